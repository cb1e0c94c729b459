//! `file://` inputs: only regular files inside the directory the operator names
//! (`input_dir`), never anything else on the machine.
//!
//! The path is resolved (symlinks and `..` included) and must stay inside the directory; the
//! resolved file is opened with `O_NOFOLLOW | O_NONBLOCK`, so opening a FIFO cannot block the
//! worker and a symlink swapped in after the check is not followed; the open file must be a
//! regular file (no FIFO, device, socket or directory) no larger than the chain's limit, and at
//! most one byte past the limit is ever read.

use std::{
	fs::{File, OpenOptions},
	io::Read,
	os::unix::fs::OpenOptionsExt,
	path::{Path, PathBuf},
};

use super::FetchError;

/// Reads the file `path` of `uri` from inside `input_dir`, at most `limit` bytes.
pub fn read_file(
	uri: &str,
	path: &str,
	input_dir: Option<&Path>,
	limit: u64,
) -> Result<Vec<u8>, FetchError> {
	let Some(root) = input_dir else {
		return Err(FetchError::FileInputsDisabled { uri: uri.to_string() });
	};
	let unreachable = |reason: String| FetchError::Unreachable { uri: uri.to_string(), reason };
	let path = Path::new(path);
	if !path.is_absolute() {
		return Err(FetchError::OutsideInputDir { uri: uri.to_string() });
	}
	// Resolving first tells "outside" from "missing" only for paths inside the directory: a
	// missing file elsewhere is refused as outside, like any other path there.
	let resolved = match std::fs::canonicalize(path) {
		Ok(resolved) => resolved,
		Err(_) if !lexically_inside(path, root) => {
			return Err(FetchError::OutsideInputDir { uri: uri.to_string() })
		}
		Err(error) => return Err(unreachable(error.to_string())),
	};
	if !resolved.starts_with(root) {
		return Err(FetchError::OutsideInputDir { uri: uri.to_string() });
	}
	let file = open_no_follow(&resolved).map_err(|error| unreachable(error.to_string()))?;
	let metadata = file.metadata().map_err(|error| unreachable(error.to_string()))?;
	let kind = metadata.file_type();
	if !kind.is_file() {
		return Err(FetchError::NotRegularFile { uri: uri.to_string(), kind: describe(&kind) });
	}
	if metadata.len() > limit {
		return Err(FetchError::TooLarge { uri: uri.to_string(), limit });
	}
	let mut bytes = Vec::with_capacity(metadata.len() as usize);
	// One byte past the limit tells "exactly at the limit" from "grew past it since the check".
	file.take(limit.saturating_add(1))
		.read_to_end(&mut bytes)
		.map_err(|error| unreachable(error.to_string()))?;
	if bytes.len() as u64 > limit {
		return Err(FetchError::TooLarge { uri: uri.to_string(), limit });
	}
	Ok(bytes)
}

/// Opens `path` read-only without following a final symlink and without blocking (a FIFO
/// with no writer would otherwise hold the open for ever).
fn open_no_follow(path: &Path) -> std::io::Result<File> {
	OpenOptions::new()
		.read(true)
		.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
		.open(path)
}

/// Whether `path`, without `.` or `..` components, names something under `root`.
fn lexically_inside(path: &Path, root: &Path) -> bool {
	use std::path::Component;
	let plain =
		path.components().all(|part| matches!(part, Component::RootDir | Component::Normal(_)));
	plain && path.starts_with(root)
}

/// What a non-regular file is, for the logs.
fn describe(kind: &std::fs::FileType) -> &'static str {
	use std::os::unix::fs::FileTypeExt;
	if kind.is_dir() {
		"a directory"
	} else if kind.is_fifo() {
		"a FIFO"
	} else if kind.is_char_device() {
		"a character device"
	} else if kind.is_block_device() {
		"a block device"
	} else if kind.is_socket() {
		"a socket"
	} else {
		"not a regular file"
	}
}

/// `dir` resolved (symlinks followed), as [`read_file`] compares paths with it.
pub fn canonical_dir(dir: &Path) -> std::io::Result<PathBuf> {
	let resolved = std::fs::canonicalize(dir)?;
	if !resolved.is_dir() {
		return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"));
	}
	Ok(resolved)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use btt_primitives::depin::InputFault;

	use super::*;

	/// A fresh, resolved directory of input files for one test.
	fn input_dir(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("btt-file-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		canonical_dir(&dir).unwrap()
	}

	fn read(path: &Path, dir: Option<&Path>, limit: u64) -> Result<Vec<u8>, FetchError> {
		let uri = format!("file://{}", path.display());
		read_file(&uri, &path.display().to_string(), dir, limit)
	}

	#[test]
	fn a_regular_file_inside_the_input_dir_is_read() {
		let dir = input_dir("ok");
		std::fs::write(dir.join("x.png"), b"radiograph").unwrap();
		assert_eq!(read(&dir.join("x.png"), Some(&dir), 1024).unwrap(), b"radiograph");
		// Exactly at the limit is fine; a byte over is too large, a final fault.
		assert_eq!(read(&dir.join("x.png"), Some(&dir), 10).unwrap().len(), 10);
		let error = read(&dir.join("x.png"), Some(&dir), 9).unwrap_err();
		assert!(matches!(error, FetchError::TooLarge { limit: 9, .. }), "{error:?}");
		assert_eq!(error.fault(), InputFault::InputUnreadable);
		assert!(error.is_final());
	}

	#[test]
	fn file_uris_are_refused_when_the_operator_names_no_input_dir() {
		let dir = input_dir("disabled");
		std::fs::write(dir.join("x.png"), b"radiograph").unwrap();
		let error = read(&dir.join("x.png"), None, 1024).unwrap_err();
		assert!(matches!(error, FetchError::FileInputsDisabled { .. }), "{error:?}");
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert!(error.is_final());
	}

	#[test]
	fn reading_the_operators_files_outside_the_input_dir_is_refused() {
		let dir = input_dir("outside");
		for path in ["/etc/passwd", "/etc/no-such-file"] {
			let error = read(Path::new(path), Some(&dir), 1 << 20).unwrap_err();
			assert!(matches!(error, FetchError::OutsideInputDir { .. }), "{path}: {error:?}");
			assert_eq!(error.fault(), InputFault::InputUnreachable);
		}
		let error = read(&dir.join("../../etc/passwd"), Some(&dir), 1 << 20).unwrap_err();
		assert!(matches!(error, FetchError::OutsideInputDir { .. }), "{error:?}");
		let error = read_file("file://etc/passwd", "etc/passwd", Some(&dir), 1 << 20).unwrap_err();
		assert!(matches!(error, FetchError::OutsideInputDir { .. }), "relative: {error:?}");
	}

	#[test]
	fn a_symlink_out_of_the_input_dir_is_refused() {
		let dir = input_dir("symlink");
		let secret = std::env::temp_dir().join(format!("btt-file-secret-{}", std::process::id()));
		std::fs::write(&secret, b"the operator's secret").unwrap();
		std::os::unix::fs::symlink(&secret, dir.join("escape.png")).unwrap();
		std::os::unix::fs::symlink("/dev/zero", dir.join("zero.png")).unwrap();
		for link in ["escape.png", "zero.png"] {
			let error = read(&dir.join(link), Some(&dir), 1 << 20).unwrap_err();
			assert!(matches!(error, FetchError::OutsideInputDir { .. }), "{link}: {error:?}");
			assert_eq!(error.fault(), InputFault::InputUnreachable);
			assert!(error.is_final());
		}
		// A symlink that stays inside the directory is followed.
		std::fs::write(dir.join("real.png"), b"radiograph").unwrap();
		std::os::unix::fs::symlink(dir.join("real.png"), dir.join("alias.png")).unwrap();
		assert_eq!(read(&dir.join("alias.png"), Some(&dir), 1024).unwrap(), b"radiograph");
	}

	#[test]
	fn a_fifo_in_the_input_dir_is_refused_without_blocking() {
		let dir = input_dir("fifo");
		let fifo = dir.join("pipe.png");
		let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
		assert!(made.success());
		// With no writer, a blocking open would never return; the test would hang.
		let error = read(&fifo, Some(&dir), 1 << 20).unwrap_err();
		assert!(matches!(error, FetchError::NotRegularFile { kind: "a FIFO", .. }), "{error:?}");
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert!(error.is_final());
	}

	#[test]
	fn dev_zero_is_refused_outside_and_inside_the_input_dir() {
		let dir = input_dir("dev-zero");
		let error = read(Path::new("/dev/zero"), Some(&dir), 1 << 20).unwrap_err();
		assert!(matches!(error, FetchError::OutsideInputDir { .. }), "{error:?}");
		// Even an operator who names /dev gets no endless stream of zeros.
		let dev = canonical_dir(Path::new("/dev")).unwrap();
		let error = read(Path::new("/dev/zero"), Some(&dev), 1 << 20).unwrap_err();
		assert!(
			matches!(error, FetchError::NotRegularFile { kind: "a character device", .. }),
			"{error:?}"
		);
		assert_eq!(error.fault(), InputFault::InputUnreachable);
	}

	#[test]
	fn a_directory_or_a_missing_file_in_the_input_dir_is_not_read() {
		let dir = input_dir("dir");
		std::fs::create_dir_all(dir.join("sub.png")).unwrap();
		let error = read(&dir.join("sub.png"), Some(&dir), 1024).unwrap_err();
		assert!(matches!(error, FetchError::NotRegularFile { kind: "a directory", .. }));
		// A file that is not there yet may be uploaded later: retried, not final.
		let error = read(&dir.join("later.png"), Some(&dir), 1024).unwrap_err();
		assert!(matches!(error, FetchError::Unreachable { .. }), "{error:?}");
		assert_eq!(error.fault(), InputFault::InputUnreachable);
		assert!(!error.is_final());
	}
}
