//! An in-process HTTP health endpoint for the deploy tests: the "remote"
//! host's curl runs on this machine, so 127.0.0.1 reaches it.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Answers every request with an empty body and a status the test controls;
/// counts the requests and keeps their targets. Listens on 127.0.0.1 at a
/// port of its own (bound once, so no port race) until dropped.
pub struct Health {
    port: u16,
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

/// What the serving thread shares with the test.
struct State {
    /// The status of the answers after the first `first_count`.
    status: u16,
    /// The status of the first `first_count` answers.
    first_status: u16,
    first_count: usize,
    hits: AtomicUsize,
    targets: Mutex<Vec<String>>,
    stop: AtomicBool,
}

impl Health {
    /// An endpoint that answers `status`.
    pub fn start(status: u16) -> Health {
        Health::start_then(status, 0, status)
    }

    /// An endpoint that answers `first` to the first `count` requests, then
    /// `then`: a service that becomes healthy (or fails) after a while.
    pub fn start_then(first: u16, count: usize, then: u16) -> Health {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind the health endpoint");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State {
            status: then,
            first_status: first,
            first_count: count,
            hits: AtomicUsize::new(0),
            targets: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let shared = Arc::clone(&state);
        let thread = thread::spawn(move || serve(&listener, &shared));
        Health {
            port,
            state,
            thread: Some(thread),
        }
    }

    /// The port it listens on (at 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>/healthz`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/healthz", self.port)
    }

    /// How many requests it has answered.
    pub fn hits(&self) -> usize {
        self.state.hits.load(Ordering::SeqCst)
    }

    /// The request targets (path and query) it was asked for, in order.
    pub fn targets(&self) -> Vec<String> {
        self.state.targets.lock().unwrap().clone()
    }
}

impl Drop for Health {
    /// Stops the serving thread: sets the flag, then wakes its `accept`.
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One connection at a time: read the request head, answer, close.
fn serve(listener: &TcpListener, state: &State) {
    for connection in listener.incoming() {
        if state.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = connection else { continue };
        let head = read_head(&mut stream);
        let target = head.split_whitespace().nth(1).unwrap_or_default();
        state.targets.lock().unwrap().push(target.to_string());
        let hit = state.hits.fetch_add(1, Ordering::SeqCst) + 1;
        let code = if hit <= state.first_count {
            state.first_status
        } else {
            state.status
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {code} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// The request up to its blank line (or whatever arrived in 5 s).
fn read_head(stream: &mut TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}
