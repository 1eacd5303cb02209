//! Maps byte offsets of a document to 1-based lines and columns, for positions and error messages.

/// The byte offset where each line starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `bytes`; only `\n` ends a line (a CR before it is part of the line, as in compose).
    pub(crate) fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line holding `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }

    /// Byte offset where the line holding `offset` starts.
    pub(crate) fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line(offset) - 1]
    }

    /// 1-based line and column (in characters) of `offset` in `text`, which must be the indexed text.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let start = self.line_start(offset);
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (self.line(offset), column)
    }

    /// Byte range of the line holding `offset`, without its `\n`.
    pub(crate) fn line_range(&self, offset: usize, len: usize) -> std::ops::Range<usize> {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(len, |next| next - 1);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "A=1\r\nBé=2\n\nC";
        let index = LineIndex::new(text.as_bytes());
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(4), 1, "the LF itself belongs to its line");
        assert_eq!(index.line(5), 2);
        assert_eq!(index.position(text, 8), (2, 3), "columns count characters, not bytes");
        assert_eq!(index.line(11), 3);
        assert_eq!(index.line_range(12, text.len()), 12..13);
        assert_eq!(index.line_range(0, text.len()), 0..4);
    }
}
