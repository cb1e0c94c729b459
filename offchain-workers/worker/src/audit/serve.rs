//! The auditor's image server: plain HTTP/1.1 `GET /radiographs/<name>` for the challenge
//! images in one directory, as a clinic's image store would answer a worker's fetch.
//!
//! Only names the auditor generates are served (32 hex digits and `.png` or `.dcm`), so no
//! request can reach another file. Every challenge stays served for the life of the process:
//! a spot check of a challenge task fetches the same URI again later.

use std::{net::SocketAddr, path::PathBuf};

use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};
use tracing::debug;

/// The URL path under which images are served.
pub const PREFIX: &str = "/radiographs/";

/// Serves the images of `dir` on `listen` until the process ends; returns the bound address.
pub async fn serve_images(listen: SocketAddr, dir: PathBuf) -> std::io::Result<SocketAddr> {
	let listener = TcpListener::bind(listen).await?;
	let address = listener.local_addr()?;
	tokio::spawn(async move {
		while let Ok((mut socket, peer)) = listener.accept().await {
			let dir = dir.clone();
			tokio::spawn(async move {
				let head = read_head(&mut socket).await;
				let (status, content_type, body) = respond(&head, &dir).await;
				debug!(%peer, request = %head.lines().next().unwrap_or_default(), status, "image request");
				let header = format!(
					"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
					body.len()
				);
				if socket.write_all(header.as_bytes()).await.is_ok() {
					let _ = socket.write_all(&body).await;
				}
				let _ = socket.shutdown().await;
			});
		}
	});
	Ok(address)
}

/// The request line and headers (up to 8 KiB, or what arrived before the peer stopped).
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
	let mut head = Vec::with_capacity(1024);
	let mut buffer = [0u8; 1024];
	while head.len() < 8 * 1024 && !head.windows(4).any(|window| window == b"\r\n\r\n") {
		match socket.read(&mut buffer).await {
			Ok(0) | Err(_) => break,
			Ok(read) => head.extend_from_slice(buffer.get(..read).unwrap_or_default()),
		}
	}
	String::from_utf8_lossy(&head).into_owned()
}

async fn respond(head: &str, dir: &std::path::Path) -> (&'static str, &'static str, Vec<u8>) {
	const NOT_FOUND: (&str, &str, &[u8]) = ("404 Not Found", "text/plain", b"not found\n");
	let not_found = || (NOT_FOUND.0, NOT_FOUND.1, NOT_FOUND.2.to_vec());
	let mut request = head.lines().next().unwrap_or_default().split(' ');
	let (Some("GET"), Some(target)) = (request.next(), request.next()) else {
		return ("405 Method Not Allowed", "text/plain", b"GET only\n".to_vec());
	};
	let Some(name) = target.strip_prefix(PREFIX).filter(|name| is_image_name(name)) else {
		return not_found();
	};
	let content_type = if name.ends_with(".png") { "image/png" } else { "application/dicom" };
	// Challenge images are small (a few hundred KB): a plain read is fine here.
	match std::fs::read(dir.join(name)) {
		Ok(bytes) => ("200 OK", content_type, bytes),
		Err(_) => not_found(),
	}
}

/// Whether `name` is one the auditor generates: 32 lower-case hex digits, `.png` or `.dcm`.
pub fn is_image_name(name: &str) -> bool {
	let Some((stem, extension)) = name.split_once('.') else { return false };
	stem.len() == 32
		&& stem.bytes().all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
		&& matches!(extension, "png" | "dcm")
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;

	#[test]
	fn only_generated_names_are_served() {
		assert!(is_image_name("0123456789abcdef0123456789abcdef.png"));
		assert!(is_image_name("0123456789abcdef0123456789abcdef.dcm"));
		assert!(!is_image_name("../state.redb"));
		assert!(!is_image_name("0123456789abcdef0123456789abcdef.png/../../x"));
		assert!(!is_image_name("0123456789ABCDEF0123456789abcdef.png"));
		assert!(!is_image_name("state.redb"));
	}

	#[tokio::test]
	async fn images_are_served_over_http_and_everything_else_is_404() {
		let dir = std::env::temp_dir().join(format!("btt-audit-serve-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let name = "00112233445566778899aabbccddeeff.png";
		std::fs::write(dir.join(name), b"\x89PNG image bytes").unwrap();
		std::fs::write(dir.join("secret.txt"), b"not served").unwrap();
		let address = serve_images(([127, 0, 0, 1], 0).into(), dir).await.unwrap();
		// Workers fetch from an auditor on their own machine only if they allow-list it.
		let access = crate::fetch::Access {
			input_dir: None,
			allow_networks: vec!["127.0.0.0/8".parse().unwrap()],
		};
		let policy = btt_primitives::depin::InputPolicy {
			max_input_bytes: 1 << 20,
			attempt_timeout_ms: 5_000,
			first_retry_pause_ms: 1_000,
			max_retry_pause_ms: 1_000,
			give_up_blocks_before_deadline: 1,
		};
		let hash = sp_crypto_hashing::blake2_256(b"\x89PNG image bytes");
		let get = |path: String| {
			let access = access.clone();
			tokio::task::spawn_blocking(move || {
				crate::fetch::fetch(
					format!("http://{address}{path}").as_bytes(),
					&hash,
					&policy,
					&access,
				)
			})
		};
		let bytes = get(format!("{PREFIX}{name}")).await.unwrap().unwrap();
		assert_eq!(bytes, b"\x89PNG image bytes");
		for path in
			[format!("{PREFIX}secret.txt"), "/secret.txt".into(), format!("{PREFIX}../secret.txt")]
		{
			assert!(get(path.clone()).await.unwrap().is_err(), "{path} must not be served");
		}
	}
}
