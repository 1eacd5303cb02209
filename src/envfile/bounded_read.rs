//! Reading an input file whole, but never one larger than any real env or compose file: a hostile or mistaken
//! multi-gigabyte input is refused up front instead of being parsed with unbounded memory.

use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The largest env or compose file read: 16 MiB. Real ones are a few kilobytes; parsing keeps several copies of
/// the bytes, so a larger file would cost a multiple of its size in memory for no legitimate use.
pub const MAX_INPUT_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Reads all of `path`, failing with [`io::ErrorKind::FileTooLarge`] when it holds more than
/// [`MAX_INPUT_FILE_SIZE`] bytes. Reads at most one byte past the limit, so a file growing meanwhile or a device
/// without a size is bounded too.
///
/// Only a regular file (or a directory, whose read fails with "Is a directory") is read: a FIFO, a socket or a device
/// named as an env or compose file would block forever or never end, so it is refused. The file is opened
/// non-blocking (which does not change reading a regular file) and checked after opening, with no race.
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let nonblocking = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    let file = std::fs::OpenOptions::new().read(true).custom_flags(nonblocking).open(path)?;
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if !kind.is_file() && !kind.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file (a FIFO, socket or device)"));
    }
    // Sized from the file, plus the byte that tells the end: one read call, no probing reads and regrowth.
    let mut bytes = Vec::with_capacity(metadata.len().min(MAX_INPUT_FILE_SIZE) as usize + 1);
    file.take(MAX_INPUT_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_FILE_SIZE {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Like [`read_bounded`], for text: invalid UTF-8 is an [`io::ErrorKind::InvalidData`] error.
pub fn read_bounded_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bounded(path)?)
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8 text: {}", err.utf8_error())))
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "larger than {} MiB, the limit for env and compose files: refusing to read it",
            MAX_INPUT_FILE_SIZE >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=1\n").expect("write");
        assert_eq!(read_bounded(&path).expect("read"), b"A=1\n");
        assert_eq!(read_bounded_to_string(&path).expect("read"), "A=1\n");
    }

    #[test]
    fn refuses_a_file_one_byte_over_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(MAX_INPUT_FILE_SIZE).expect("sparse file at the limit");
        assert_eq!(read_bounded(&path).expect("at the limit is fine").len() as u64, MAX_INPUT_FILE_SIZE);
        file.set_len(MAX_INPUT_FILE_SIZE + 1).expect("sparse file over the limit");
        let err = read_bounded(&path).expect_err("over the limit");
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert!(err.to_string().contains("16 MiB"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_invalid_data() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("compose.yaml");
        std::fs::write(&path, b"a: \xff\n").expect("write");
        let err = read_bounded_to_string(&path).expect_err("binary");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }
}
