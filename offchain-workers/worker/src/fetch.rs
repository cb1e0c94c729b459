//! Fetching a task's input by its URI (`file://`, `http://`, `https://`) and checking it is the
//! image the clinic committed to.
//!
//! The chain stores only the input's blake2-256 hash; a node that diagnoses bytes with another
//! hash would diagnose something else than the task, so a mismatch is reported on chain as
//! `InputFault::InputHashMismatch` instead of being diagnosed.

use std::{io::Read, time::Duration};

use btt_primitives::depin::InputFault;
use sp_crypto_hashing::blake2_256;

/// Why an input could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
	/// A scheme other than file, http or https.
	#[error("unsupported URI scheme in `{0}` (file://, http://, https://)")]
	UnsupportedScheme(String),
	/// The URI is not valid UTF-8.
	#[error("the input URI is not UTF-8")]
	NotUtf8,
	/// The file or server refused or failed.
	#[error("{uri}: {reason}")]
	Unreachable {
		/// The URI.
		uri: String,
		/// Why.
		reason: String,
	},
	/// The input is larger than the configured limit.
	#[error("{uri}: larger than {limit} bytes")]
	TooLarge {
		/// The URI.
		uri: String,
		/// The limit.
		limit: u64,
	},
}

impl FetchError {
	/// The on-chain fault this failure is reported as: the input could not be had (the clinic's
	/// storage), or is too large to be a radiograph the model reads.
	pub fn fault(&self) -> InputFault {
		match self {
			Self::TooLarge { .. } => InputFault::InputUnreadable,
			_ => InputFault::InputUnreachable,
		}
	}
}

/// Fetches `uri`, reading at most `limit` bytes, within `timeout` for HTTP.
pub fn fetch(uri: &[u8], limit: u64, timeout: Duration) -> Result<Vec<u8>, FetchError> {
	let uri = std::str::from_utf8(uri).map_err(|_| FetchError::NotUtf8)?;
	if let Some(path) = uri.strip_prefix("file://") {
		return read_file(uri, path, limit);
	}
	if uri.starts_with("http://") || uri.starts_with("https://") {
		return get(uri, limit, timeout);
	}
	Err(FetchError::UnsupportedScheme(uri.to_string()))
}

fn read_file(uri: &str, path: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
	let unreachable = |reason: String| FetchError::Unreachable { uri: uri.to_string(), reason };
	let file = std::fs::File::open(path).map_err(|error| unreachable(error.to_string()))?;
	let mut bytes = Vec::new();
	// One byte past the limit tells "exactly at the limit" from "larger".
	file.take(limit.saturating_add(1))
		.read_to_end(&mut bytes)
		.map_err(|error| unreachable(error.to_string()))?;
	if bytes.len() as u64 > limit {
		return Err(FetchError::TooLarge { uri: uri.to_string(), limit });
	}
	Ok(bytes)
}

fn get(uri: &str, limit: u64, timeout: Duration) -> Result<Vec<u8>, FetchError> {
	let agent: ureq::Agent =
		ureq::Agent::config_builder().timeout_global(Some(timeout)).build().into();
	let unreachable = |reason: String| FetchError::Unreachable { uri: uri.to_string(), reason };
	let mut response = agent.get(uri).call().map_err(|error| unreachable(error.to_string()))?;
	match response.body_mut().with_config().limit(limit).read_to_vec() {
		Ok(bytes) => Ok(bytes),
		Err(ureq::Error::BodyExceedsLimit(_)) => {
			Err(FetchError::TooLarge { uri: uri.to_string(), limit })
		}
		Err(error) => Err(unreachable(error.to_string())),
	}
}

/// Whether `bytes` are the input the task names (blake2-256).
pub fn matches_hash(bytes: &[u8], expected: &[u8; 32]) -> bool {
	blake2_256(bytes) == *expected
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;

	fn temp_file(name: &str, bytes: &[u8]) -> String {
		let path = std::env::temp_dir().join(format!("btt-fetch-{name}-{}", std::process::id()));
		std::fs::write(&path, bytes).unwrap();
		format!("file://{}", path.display())
	}

	#[test]
	fn file_uri_is_read_and_its_hash_checked() {
		let uri = temp_file("ok", b"radiograph");
		let bytes = fetch(uri.as_bytes(), 1024, Duration::from_secs(1)).unwrap();
		assert_eq!(bytes, b"radiograph");
		assert!(matches_hash(&bytes, &blake2_256(b"radiograph")));
		assert!(!matches_hash(&bytes, &blake2_256(b"another image")));
	}

	#[test]
	fn missing_file_is_unreachable() {
		let error =
			fetch(b"file:///nonexistent/btt/x.png", 1024, Duration::from_secs(1)).unwrap_err();
		assert!(matches!(error, FetchError::Unreachable { .. }));
		assert_eq!(error.fault(), InputFault::InputUnreachable);
	}

	#[test]
	fn oversized_input_is_refused_at_the_limit() {
		let uri = temp_file("big", &[0u8; 11]);
		assert_eq!(fetch(uri.as_bytes(), 11, Duration::from_secs(1)).unwrap().len(), 11);
		let error = fetch(uri.as_bytes(), 10, Duration::from_secs(1)).unwrap_err();
		assert!(matches!(error, FetchError::TooLarge { limit: 10, .. }));
		assert_eq!(error.fault(), InputFault::InputUnreadable);
	}

	#[test]
	fn other_schemes_and_bad_bytes_are_refused() {
		assert!(matches!(
			fetch(b"ftp://clinic/x.png", 10, Duration::from_secs(1)),
			Err(FetchError::UnsupportedScheme(_))
		));
		assert!(matches!(
			fetch(&[0xFF, 0xFE], 10, Duration::from_secs(1)),
			Err(FetchError::NotUtf8)
		));
	}

	#[test]
	fn unreachable_http_server_is_reported_not_panicked() {
		// Port 9 (discard) on loopback is closed on these machines.
		let error = fetch(b"http://127.0.0.1:9/x.png", 10, Duration::from_millis(500)).unwrap_err();
		assert!(matches!(error, FetchError::Unreachable { .. }));
	}
}
