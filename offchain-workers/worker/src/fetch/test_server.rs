//! A hostile image store for the fetch tests: a plain HTTP/1.1 server on `127.0.0.1` where
//! each path is one attack or failure.
//!
//! | path | answer |
//! |---|---|
//! | `/image` | 200, [`IMAGE`] |
//! | `/redirect` | 302 to `http://127.0.0.1:<port>/image` |
//! | `/drip` | 200 announcing 1,000 bytes, then one byte every 50 ms |
//! | `/big` | 200 announcing and sending [`BIG`] bytes |
//! | `/big-unannounced` | 200 without a length, [`BIG`] bytes, then close |
//! | anything else | 404 |

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpListener, TcpStream},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::Duration,
};

/// The body of `/image`.
pub const IMAGE: &[u8] = b"\x89PNG a radiograph's bytes";

/// The size of `/big` and `/big-unannounced`.
pub const BIG: u64 = 4096;

/// A running server (it lives until the test process ends).
pub struct Server {
	/// Where it listens.
	pub address: SocketAddr,
	requests: Arc<AtomicUsize>,
}

impl Server {
	/// The URL of `path` on this server.
	pub fn url(&self, path: &str) -> String {
		format!("http://{}{path}", self.address)
	}

	/// How many requests it has received.
	pub fn requests(&self) -> usize {
		self.requests.load(Ordering::SeqCst)
	}
}

/// Starts a server on a free port of `127.0.0.1`.
pub fn start() -> Server {
	let listener = TcpListener::bind("127.0.0.1:0").unwrap();
	let address = listener.local_addr().unwrap();
	let requests = Arc::new(AtomicUsize::new(0));
	let counter = requests.clone();
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			counter.fetch_add(1, Ordering::SeqCst);
			std::thread::spawn(move || {
				let _ = serve(stream, address);
			});
		}
	});
	Server { address, requests }
}

fn serve(mut stream: TcpStream, address: SocketAddr) -> std::io::Result<()> {
	stream.set_read_timeout(Some(Duration::from_secs(5)))?;
	let path = read_path(&mut stream)?;
	let head = |status: &str, extra: &str| {
		format!("HTTP/1.1 {status}\r\nconnection: close\r\n{extra}\r\n").into_bytes()
	};
	match path.as_str() {
		"/image" => {
			stream.write_all(&head("200 OK", &format!("content-length: {}\r\n", IMAGE.len())))?;
			stream.write_all(IMAGE)?;
		}
		"/redirect" => {
			let location = format!("location: http://{address}/image\r\ncontent-length: 0\r\n");
			stream.write_all(&head("302 Found", &location))?;
		}
		"/drip" => {
			stream.write_all(&head("200 OK", "content-length: 1000\r\n"))?;
			for _ in 0..1000 {
				stream.write_all(b"x")?;
				stream.flush()?;
				std::thread::sleep(Duration::from_millis(50));
			}
		}
		"/big" => {
			stream.write_all(&head("200 OK", &format!("content-length: {BIG}\r\n")))?;
			stream.write_all(&vec![7u8; BIG as usize])?;
		}
		"/big-unannounced" => {
			stream.write_all(&head("200 OK", ""))?;
			stream.write_all(&vec![7u8; BIG as usize])?;
		}
		_ => {
			stream.write_all(&head("404 Not Found", "content-length: 10\r\n"))?;
			stream.write_all(b"not found\n")?;
		}
	}
	stream.flush()?;
	stream.shutdown(std::net::Shutdown::Write)
}

/// The request's path, after reading its head.
fn read_path(stream: &mut TcpStream) -> std::io::Result<String> {
	let mut head = Vec::new();
	let mut buffer = [0u8; 1024];
	while head.len() < 16 * 1024 && !head.windows(4).any(|window| window == b"\r\n\r\n") {
		let read = stream.read(&mut buffer)?;
		if read == 0 {
			break;
		}
		head.extend_from_slice(&buffer[..read]);
	}
	let head = String::from_utf8_lossy(&head);
	Ok(head.split(' ').nth(1).unwrap_or("/").to_string())
}
