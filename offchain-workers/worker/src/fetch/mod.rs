//! Fetching a task's input by its URI (`file://`, `http://`, `https://`) and checking it is the
//! image the clinic committed to.
//!
//! The URI is chosen by whoever posts the task, so it is treated as an attack on the operator's
//! machine until shown otherwise:
//!
//! - `file://` reads only regular files inside the directory the operator names
//!   (`input_dir`), and nothing when it names none ([`file`]);
//! - HTTP(S) reaches only public unicast addresses, or networks the operator allow-lists
//!   (`allow_networks`), connects to exactly the address it checked and follows no redirect
//!   ([`http`], [`address`]);
//! - the limits that decide which fault a node reveals — the largest input, the time an
//!   attempt may take, the retry back-off — are the chain's (`DepinRegistry::InputPolicy`), the
//!   same for every honest node, never local settings ([`retry`] spaces the attempts).
//!
//! The chain stores only the input's blake2-256 hash; a node that diagnoses bytes with another
//! hash would diagnose something else than the task, so a mismatch is reported on chain as
//! `InputFault::InputHashMismatch` instead of being diagnosed.

mod address;
mod file;
mod http;
mod retry;
#[cfg(test)]
mod test_server;

use std::{net::IpAddr, path::PathBuf, time::Duration};

use btt_primitives::depin::{InputFault, InputPolicy};
use sp_crypto_hashing::blake2_256;

pub use address::{Network, NetworkError, Restricted};
pub use file::canonical_dir;
pub use retry::{give_up_block, Next, Retries};

/// What the operator lets the worker reach besides public HTTP(S) servers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
	/// The directory (resolved, [`canonical_dir`]) whose regular files `file://` inputs may
	/// name; `None` refuses every `file://` input.
	pub input_dir: Option<PathBuf>,
	/// Networks fetched from although they are restricted (loopback, private, …).
	pub allow_networks: Vec<Network>,
}

/// Why an input could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
	/// A scheme other than file, http or https.
	#[error("unsupported URI scheme in `{0}` (file://, http://, https://)")]
	UnsupportedScheme(String),
	/// The URI is not valid UTF-8.
	#[error("the input URI is not UTF-8")]
	NotUtf8,
	/// An HTTP(S) URI that does not parse or names no host.
	#[error("{uri}: {reason}")]
	BadUri {
		/// The URI.
		uri: String,
		/// What is wrong with it.
		reason: String,
	},
	/// A `file://` input, and the operator named no input directory.
	#[error("{uri}: file:// inputs are refused (the operator set no `input_dir`)")]
	FileInputsDisabled {
		/// The URI.
		uri: String,
	},
	/// A `file://` input outside the input directory (after resolving symlinks and `..`).
	#[error("{uri}: outside the input directory")]
	OutsideInputDir {
		/// The URI.
		uri: String,
	},
	/// A `file://` input that is not a regular file (a FIFO, a device, a directory, …).
	#[error("{uri}: {kind}, not a regular file")]
	NotRegularFile {
		/// The URI.
		uri: String,
		/// What it is.
		kind: &'static str,
	},
	/// The host is (or resolves only to) an address the worker does not connect to.
	#[error("{uri}: refused, {address} is {restricted} (allow-list its network in `allow_networks` to fetch from it)")]
	ForbiddenAddress {
		/// The URI.
		uri: String,
		/// The refused address.
		address: IpAddr,
		/// Why it is refused.
		restricted: Restricted,
	},
	/// The server answered with a redirect, which is never followed (its target would be an
	/// unchecked address).
	#[error("{uri}: HTTP {status} redirect to `{location}`, not followed")]
	Redirected {
		/// The URI.
		uri: String,
		/// The 3xx status.
		status: u16,
		/// Where it pointed.
		location: String,
	},
	/// The attempt did not finish within the chain's `attempt_timeout_ms`.
	#[error("{uri}: not fetched within {timeout:?}")]
	TimedOut {
		/// The URI.
		uri: String,
		/// The attempt's time limit.
		timeout: Duration,
	},
	/// The file or server refused or failed.
	#[error("{uri}: {reason}")]
	Unreachable {
		/// The URI.
		uri: String,
		/// Why.
		reason: String,
	},
	/// The input is larger than the chain's limit.
	#[error("{uri}: larger than {limit} bytes")]
	TooLarge {
		/// The URI.
		uri: String,
		/// The limit.
		limit: u64,
	},
	/// The bytes fetched are not the task's input.
	#[error("{uri}: the {length} bytes fetched do not hash to the task's input hash")]
	HashMismatch {
		/// The URI.
		uri: String,
		/// How many bytes were fetched.
		length: usize,
	},
	/// The fetching code panicked (a bug the input triggers): counted as a failed attempt, so
	/// it is retried after the chain's pause and given up on like an unreachable server,
	/// never retried at every block.
	#[error("the fetch panicked: {0}")]
	Panicked(String),
}

impl FetchError {
	/// The on-chain fault this failure is reported as: the bytes are not the task's input, are
	/// too large to be a radiograph the model reads, or could not be had.
	pub fn fault(&self) -> InputFault {
		match self {
			Self::HashMismatch { .. } => InputFault::InputHashMismatch,
			Self::TooLarge { .. } => InputFault::InputUnreadable,
			_ => InputFault::InputUnreachable,
		}
	}

	/// Whether another attempt cannot change the answer: the bytes were had (too large, wrong
	/// hash) or the URI is refused by rule. Only a failing or slow server, a missing file or a
	/// redirect is retried.
	pub fn is_final(&self) -> bool {
		!matches!(
			self,
			Self::Redirected { .. }
				| Self::TimedOut { .. }
				| Self::Unreachable { .. }
				| Self::Panicked(_)
		)
	}
}

/// Fetches `uri` as the chain's `policy` and the operator's `access` allow (one attempt), and
/// checks that the bytes hash to `expected`.
pub fn fetch(
	uri: &[u8],
	expected: &[u8; 32],
	policy: &InputPolicy,
	access: &Access,
) -> Result<Vec<u8>, FetchError> {
	let uri = std::str::from_utf8(uri).map_err(|_| FetchError::NotUtf8)?;
	let limit = u64::from(policy.max_input_bytes);
	let bytes = if let Some(path) = uri.strip_prefix("file://") {
		file::read_file(uri, path, access.input_dir.as_deref(), limit)?
	} else if uri.starts_with("http://") || uri.starts_with("https://") {
		let timeout = Duration::from_millis(u64::from(policy.attempt_timeout_ms));
		http::get(uri, limit, timeout, &access.allow_networks)?
	} else {
		return Err(FetchError::UnsupportedScheme(uri.to_string()));
	};
	if blake2_256(&bytes) != *expected {
		return Err(FetchError::HashMismatch { uri: uri.to_string(), length: bytes.len() });
	}
	Ok(bytes)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;

	const POLICY: InputPolicy = InputPolicy {
		max_input_bytes: 1024,
		attempt_timeout_ms: 5_000,
		first_retry_pause_ms: 1_000,
		max_retry_pause_ms: 8_000,
		give_up_blocks_before_deadline: 3,
	};

	fn local_server_access() -> Access {
		Access { input_dir: None, allow_networks: vec!["127.0.0.0/8".parse().unwrap()] }
	}

	#[test]
	fn an_allow_listed_127_0_0_1_serves_the_input_with_its_hash() {
		let server = test_server::start();
		let uri = server.url("/image");
		let hash = blake2_256(test_server::IMAGE);
		let bytes = fetch(uri.as_bytes(), &hash, &POLICY, &local_server_access()).unwrap();
		assert_eq!(bytes, test_server::IMAGE);
	}

	#[test]
	fn a_served_image_with_the_wrong_hash_is_a_final_mismatch() {
		let server = test_server::start();
		let uri = server.url("/image");
		let other = blake2_256(b"the image the clinic committed to");
		let error = fetch(uri.as_bytes(), &other, &POLICY, &local_server_access()).unwrap_err();
		assert!(
			matches!(error, FetchError::HashMismatch { length, .. } if length == test_server::IMAGE.len()),
			"{error:?}"
		);
		assert_eq!(error.fault(), InputFault::InputHashMismatch);
		assert!(error.is_final());
	}

	#[test]
	fn the_chains_largest_input_is_the_limit() {
		let server = test_server::start();
		let uri = server.url("/big");
		let hash = blake2_256(&vec![7u8; test_server::BIG as usize]);
		let error = fetch(uri.as_bytes(), &hash, &POLICY, &local_server_access()).unwrap_err();
		assert!(matches!(error, FetchError::TooLarge { limit: 1024, .. }), "{error:?}");
		let roomy = InputPolicy { max_input_bytes: test_server::BIG as u32, ..POLICY };
		assert!(fetch(uri.as_bytes(), &hash, &roomy, &local_server_access()).is_ok());
	}

	#[test]
	fn a_file_in_the_input_dir_is_fetched_and_its_hash_checked() {
		let dir = std::env::temp_dir().join(format!("btt-fetch-dir-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		std::fs::write(dir.join("x.png"), b"radiograph").unwrap();
		let access = Access { input_dir: Some(canonical_dir(&dir).unwrap()), ..Access::default() };
		let uri = format!("file://{}", dir.join("x.png").display());
		let bytes = fetch(uri.as_bytes(), &blake2_256(b"radiograph"), &POLICY, &access).unwrap();
		assert_eq!(bytes, b"radiograph");
		let error = fetch(uri.as_bytes(), &[0; 32], &POLICY, &access).unwrap_err();
		assert_eq!(error.fault(), InputFault::InputHashMismatch);
	}

	#[test]
	fn other_schemes_and_bad_bytes_are_refused_for_good() {
		let access = Access::default();
		let error = fetch(b"ftp://clinic/x.png", &[0; 32], &POLICY, &access).unwrap_err();
		assert!(matches!(error, FetchError::UnsupportedScheme(_)));
		assert!(error.is_final());
		let error = fetch(&[0xFF, 0xFE], &[0; 32], &POLICY, &access).unwrap_err();
		assert!(matches!(error, FetchError::NotUtf8));
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		let error = fetch(b"http:///x.png", &[0; 32], &POLICY, &access).unwrap_err();
		assert!(matches!(error, FetchError::BadUri { .. }), "{error:?}");
	}

	#[test]
	fn a_closed_port_is_unreachable_and_retried_not_panicked() {
		// Port 9 (discard) on loopback is closed on these machines.
		let error = fetch(b"http://127.0.0.1:9/x.png", &[0; 32], &POLICY, &local_server_access())
			.unwrap_err();
		assert!(matches!(error, FetchError::Unreachable { .. }), "{error:?}");
		assert!(!error.is_final());
	}

	#[test]
	fn a_panic_while_fetching_is_a_failed_attempt_retried_by_the_back_off() {
		// The worker turns a panic of the blocking fetch into this error: it is counted by
		// `Retries` (pause, give-up block), not final, and given up on as unreachable.
		let error = FetchError::Panicked("task 7 panicked".into());
		assert!(!error.is_final());
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		let mut retries = Retries::default();
		let now = std::time::Instant::now();
		retries.failed(7, error.to_string(), &POLICY, now);
		assert_eq!(retries.next(7, 10, 97, now), Next::Wait, "the chain's pause, not every block");
	}
}
