//! A loopback server that answers many requests at once, each page after its own delay, and
//! counts what the parallel read path must respect: calls in flight at once, each page asked
//! for, and calls the client abandoned (it closed the socket before the answer).

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the server answers one page.
pub struct Answer {
    pub delay: Duration,
    pub status: u16,
    pub body: String,
}

#[derive(Default)]
struct Counts {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    abandoned: AtomicUsize,
    pages: Mutex<Vec<u32>>,
}

pub struct PageServer {
    pub base: String,
    counts: Arc<Counts>,
}

impl PageServer {
    /// Answers `GET …?page=N…` with `answer(N)` (N = 0 without a page parameter), every
    /// connection on its own thread so that answers can overtake each other.
    pub fn start(answer: impl Fn(u32) -> Answer + Send + Sync + 'static) -> PageServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let counts = Arc::new(Counts::default());
        let (shared, answer) = (counts.clone(), Arc::new(answer));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (counts, answer) = (shared.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &counts, answer.as_ref()));
            }
        });
        PageServer { base, counts }
    }

    pub fn max_in_flight(&self) -> usize {
        self.counts.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn in_flight(&self) -> usize {
        self.counts.in_flight.load(Ordering::SeqCst)
    }

    pub fn abandoned(&self) -> usize {
        self.counts.abandoned.load(Ordering::SeqCst)
    }

    /// The pages asked for, in the order the requests arrived.
    pub fn pages(&self) -> Vec<u32> {
        self.counts.pages.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, counts: &Counts, answer: &(dyn Fn(u32) -> Answer + Send + Sync)) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some(request) = super::read_request(&mut reader) else { return };
    let page = request
        .path
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    counts.pages.lock().unwrap().push(page);
    let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    counts.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let a = answer(page);
    let gone = client_left_within(&stream, a.delay);
    if gone {
        counts.abandoned.fetch_add(1, Ordering::SeqCst);
    } else {
        let text = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
            a.status,
            a.body.len(),
            a.body
        );
        // Counted out before the answer leaves: the client may start its next call as soon as
        // it has this one, and must not be seen as exceeding its window for that.
        counts.in_flight.fetch_sub(1, Ordering::SeqCst);
        let _ = (&stream).write_all(text.as_bytes());
        return;
    }
    counts.in_flight.fetch_sub(1, Ordering::SeqCst);
}

/// Waits `delay`, watching the socket: true as soon as the client closes it.
fn client_left_within(stream: &TcpStream, delay: Duration) -> bool {
    let until = Instant::now() + delay;
    stream.set_read_timeout(Some(Duration::from_millis(10))).ok();
    let mut buf = [0u8; 1];
    while Instant::now() < until {
        match stream.peek(&mut buf) {
            Ok(0) => return true,
            Ok(_) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}
