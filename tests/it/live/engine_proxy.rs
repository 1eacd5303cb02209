//! A Unix-socket forwarder to the Docker engine that a test can cut off: the rotation under test talks to
//! the engine through it (`DOCKER_HOST=unix://...`), so "the engine became unreachable" happens for real, to the
//! bollard client and to every `docker compose` child alike, while the test itself keeps the real socket.

use std::io::{Read, Write};
use std::net::Shutdown;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The engine's socket on this machine.
const ENGINE: &str = "/var/run/docker.sock";

/// A running forwarder; stops accepting when dropped.
pub struct EngineProxy {
    path: PathBuf,
    up: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<UnixStream>>>,
}

impl EngineProxy {
    /// Listens on `path` and forwards every connection to the engine while up.
    pub fn start(path: &Path) -> EngineProxy {
        let listener = UnixListener::bind(path).expect("bind the proxy socket");
        let proxy = EngineProxy {
            path: path.to_path_buf(),
            up: Arc::new(AtomicBool::new(true)),
            stop: Arc::new(AtomicBool::new(false)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        let (up, stop, open) = (proxy.up.clone(), proxy.stop.clone(), proxy.open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                if !up.load(Ordering::SeqCst) {
                    // Cut off: the connection is closed at once, as by an engine that went away.
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(engine) = UnixStream::connect(ENGINE) else { continue };
                if let (Ok(c), Ok(e)) = (client.try_clone(), engine.try_clone()) {
                    open.lock().expect("lock").extend([c, e]);
                }
                pipe(&client, &engine);
                pipe(&engine, &client);
            }
        });
        proxy
    }

    /// The `DOCKER_HOST` value that goes through the proxy.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.path.display())
    }

    /// The engine becomes unreachable: open connections are closed and new ones refused.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().expect("lock").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for EngineProxy {
    fn drop(&mut self) {
        self.cut();
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees `stop`.
        let _ = UnixStream::connect(&self.path);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies `from` to `to` on a thread until either side closes.
fn pipe(from: &UnixStream, to: &UnixStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else { return };
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
