//! Secret URIs (the operator's, the auditor's, the auditor's funder's), read from a file only
//! its owner can read or from the environment, never from the command line (every local user
//! sees it in `ps` and `/proc/<pid>/cmdline`) nor from the configuration file (which
//! `--print-config` and backups copy around).
//!
//! | secret | file | environment |
//! | --- | --- | --- |
//! | [`OPERATOR`]: registers the node, funds its key, holds its stake | `operator_file`, `--operator-file` | `BTT_OPERATOR_SURI` |
//! | [`AUDITOR`]: the registered auditor, opens the seals | `--auditor-file` | `BTT_AUDITOR_SURI` |
//! | [`FUNDER`]: funds each challenge's posting account | `--funder-file` | `BTT_FUNDER_SURI` |

use std::{
	fmt,
	io::Read,
	os::unix::fs::PermissionsExt,
	path::{Path, PathBuf},
};

use subxt_signer::SecretUri;

/// One kind of secret and where it may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretKind {
	/// Whose secret (`operator`), for messages.
	pub name: &'static str,
	/// How its file is named to the user (`operator_file`, `--auditor-file`).
	pub file: &'static str,
	/// Where the file is given, for the message that moves a secret out of argv.
	pub file_hint: &'static str,
	/// The environment variable that may hold it.
	pub env: &'static str,
}

/// The operator account's secret.
pub const OPERATOR: SecretKind = SecretKind {
	name: "operator",
	file: "operator_file",
	file_hint: "`operator_file` in the configuration, or --operator-file",
	env: "BTT_OPERATOR_SURI",
};
/// The auditor account's secret (`btt-worker audit`).
pub const AUDITOR: SecretKind = SecretKind {
	name: "auditor",
	file: "--auditor-file",
	file_hint: "--auditor-file",
	env: "BTT_AUDITOR_SURI",
};
/// The secret of the account funding the auditor's challenges (`btt-worker audit`).
pub const FUNDER: SecretKind = SecretKind {
	name: "funder",
	file: "--funder-file",
	file_hint: "--funder-file",
	env: "BTT_FUNDER_SURI",
};

/// The environment variable that may hold the operator's secret URI.
pub const OPERATOR_ENV: &str = OPERATOR.env;

/// Longest secret file read (a secret URI is a phrase and a derivation path).
const MAX_SECRET_BYTES: u64 = 4096;

/// Where a secret came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
	/// A file, named as the user names it (`operator_file`).
	File(&'static str, PathBuf),
	/// An environment variable.
	Env(&'static str),
}

impl fmt::Display for SecretSource {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::File(name, path) => write!(f, "{name} {}", path.display()),
			Self::Env(variable) => f.write_str(variable),
		}
	}
}

/// A secret URI; `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
	uri: String,
	/// Where it came from.
	pub source: SecretSource,
}

/// The operator's secret.
pub type OperatorSecret = Secret;

impl Secret {
	/// The secret URI itself, to derive the key from.
	pub fn uri(&self) -> &str {
		&self.uri
	}
}

impl fmt::Debug for Secret {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "<redacted: from {}>", self.source)
	}
}

impl fmt::Display for Secret {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Debug::fmt(self, f)
	}
}

/// Why a secret cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
	/// The secret given where it leaks (a flag, the configuration file).
	#[error("{where_} is no longer accepted: a secret there is visible to other users (ps, /proc/<pid>/cmdline) or copied with the configuration; put the {} secret URI in a file only you can read ({}; `chmod 600` it) or in the environment variable {}", kind.name, kind.file_hint, kind.env)]
	Exposed {
		/// Where it was given.
		where_: &'static str,
		/// Which secret.
		kind: SecretKind,
	},
	/// The secret file cannot be read.
	#[error("{file} {path}: {reason}")]
	Unreadable {
		/// How the file is named to the user.
		file: &'static str,
		/// The file.
		path: PathBuf,
		/// Why.
		reason: String,
	},
	/// The secret file can be read by other users.
	#[error("{file} {} is readable or writable by its group or others (mode {mode:03o}): run `chmod 600 {}` (and consider the secret read by whoever could)", path.display(), path.display())]
	Permissions {
		/// How the file is named to the user.
		file: &'static str,
		/// The file.
		path: PathBuf,
		/// Its permission bits.
		mode: u32,
	},
	/// Both sources are set: which one is meant is unclear.
	#[error("both {} and {} are set: use one of them", .0.file, .0.env)]
	Ambiguous(SecretKind),
	/// The source holds nothing.
	#[error("{0} is empty")]
	Empty(SecretSource),
	/// The source does not hold a secret URI (its text is not repeated).
	#[error("{0} does not hold a valid secret URI (a phrase or 0x seed, then //derivations)")]
	Invalid(SecretSource),
}

impl SecretError {
	/// The `kind` secret given where it leaks (`where_`: `--operator`, a configuration key).
	pub fn exposed(where_: &'static str, kind: SecretKind) -> Self {
		SecretError::Exposed { where_, kind }
	}
}

/// The operator's secret from `file` or from the environment value `env` (what
/// `std::env::var_os(OPERATOR_ENV)` returns); `None` if neither is set.
pub fn operator_secret(
	file: Option<&Path>,
	env: Option<std::ffi::OsString>,
) -> Result<Option<Secret>, SecretError> {
	read_secret(OPERATOR, file, env)
}

/// The `kind` secret from `file` or from the environment value `env` (what
/// `std::env::var_os(kind.env)` returns); `None` if neither is set.
pub fn read_secret(
	kind: SecretKind,
	file: Option<&Path>,
	env: Option<std::ffi::OsString>,
) -> Result<Option<Secret>, SecretError> {
	let (text, source) = match (file, env) {
		(Some(_), Some(_)) => return Err(SecretError::Ambiguous(kind)),
		(None, None) => return Ok(None),
		(Some(path), None) => {
			(read_private(kind.file, path)?, SecretSource::File(kind.file, path.to_path_buf()))
		}
		(None, Some(value)) => match value.into_string() {
			Ok(text) => (text, SecretSource::Env(kind.env)),
			Err(_) => return Err(SecretError::Invalid(SecretSource::Env(kind.env))),
		},
	};
	let uri = text.trim();
	if uri.is_empty() {
		return Err(SecretError::Empty(source));
	}
	if uri.parse::<SecretUri>().is_err() {
		return Err(SecretError::Invalid(source));
	}
	Ok(Some(Secret { uri: uri.to_string(), source }))
}

/// Reads a regular file that neither its group nor others may read or write (checked on the
/// opened file, so a swap between the check and the read changes nothing).
fn read_private(name: &'static str, path: &Path) -> Result<String, SecretError> {
	let unreadable =
		|reason: String| SecretError::Unreadable { file: name, path: path.to_path_buf(), reason };
	let file = std::fs::File::open(path).map_err(|error| unreadable(error.to_string()))?;
	let metadata = file.metadata().map_err(|error| unreadable(error.to_string()))?;
	if !metadata.is_file() {
		return Err(unreadable("not a regular file".into()));
	}
	let mode = metadata.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		return Err(SecretError::Permissions { file: name, path: path.to_path_buf(), mode });
	}
	let mut bytes = Vec::new();
	file.take(MAX_SECRET_BYTES + 1)
		.read_to_end(&mut bytes)
		.map_err(|error| unreadable(error.to_string()))?;
	if bytes.len() as u64 > MAX_SECRET_BYTES {
		return Err(unreadable(format!("longer than {MAX_SECRET_BYTES} bytes")));
	}
	String::from_utf8(bytes)
		.map_err(|_| SecretError::Invalid(SecretSource::File(name, path.into())))
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use std::{io::Write, os::unix::fs::OpenOptionsExt};

	use super::*;

	fn secret_file(name: &str, mode: u32, text: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("btt-secrets-{}-{name}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("operator");
		let _removed = std::fs::remove_file(&path);
		let mut file = std::fs::OpenOptions::new()
			.write(true)
			.create_new(true)
			.mode(mode)
			.open(&path)
			.unwrap();
		file.write_all(text.as_bytes()).unwrap();
		// The umask may have cleared bits the test wants set.
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
		path
	}

	#[test]
	fn operator_file_owner_only_is_read_and_trimmed() {
		let path = secret_file("ok", 0o600, "  //Alice\n");
		let secret = operator_secret(Some(&path), None).unwrap().unwrap();
		assert_eq!(secret.uri(), "//Alice");
		assert_eq!(secret.source, SecretSource::File("operator_file", path.clone()));
		let shown = format!("{secret:?} {secret}");
		assert!(!shown.contains("Alice"), "{shown}");
		assert!(shown.contains("<redacted: from operator_file"), "{shown}");
	}

	#[test]
	fn operator_file_readable_by_group_or_others_is_refused() {
		for mode in [0o640, 0o604, 0o660, 0o620] {
			let path = secret_file(&format!("mode-{mode:o}"), mode, "//Alice");
			let error = operator_secret(Some(&path), None).unwrap_err();
			assert_eq!(
				error,
				SecretError::Permissions { file: "operator_file", path: path.clone(), mode }
			);
			assert!(error.to_string().contains("chmod 600"), "{error}");
			assert!(!error.to_string().contains("Alice"), "{error}");
		}
	}

	#[test]
	fn operator_secret_from_the_environment() {
		let secret = operator_secret(None, Some("//Bob".into())).unwrap().unwrap();
		assert_eq!(secret.uri(), "//Bob");
		assert_eq!(format!("{secret:?}"), "<redacted: from BTT_OPERATOR_SURI>");
		assert_eq!(operator_secret(None, None), Ok(None));
	}

	#[test]
	fn operator_secret_ambiguous_empty_missing_or_invalid_is_refused() {
		let path = secret_file("both", 0o600, "//Alice");
		assert_eq!(
			operator_secret(Some(&path), Some("//Bob".into())),
			Err(SecretError::Ambiguous(OPERATOR))
		);
		assert_eq!(
			operator_secret(None, Some(" \n".into())),
			Err(SecretError::Empty(SecretSource::Env(OPERATOR_ENV)))
		);
		let empty = secret_file("empty", 0o600, "\n");
		assert_eq!(
			operator_secret(Some(&empty), None),
			Err(SecretError::Empty(SecretSource::File("operator_file", empty.clone())))
		);
		let missing = Path::new("/nonexistent/btt-operator");
		assert!(matches!(
			operator_secret(Some(missing), None),
			Err(SecretError::Unreadable { path, .. }) if path == missing
		));
		let bad = secret_file("bad", 0o600, "bad!secret");
		let error = operator_secret(Some(&bad), None).unwrap_err();
		assert_eq!(error, SecretError::Invalid(SecretSource::File("operator_file", bad.clone())));
		assert!(!error.to_string().contains("bad!secret"), "{error}");
	}

	#[test]
	fn auditor_and_funder_secrets_are_read_by_their_own_names() {
		let path = secret_file("auditor", 0o600, "//Alice//stash\n");
		let secret = read_secret(AUDITOR, Some(&path), None).unwrap().unwrap();
		assert_eq!(secret.uri(), "//Alice//stash");
		assert_eq!(
			format!("{secret}"),
			format!("<redacted: from --auditor-file {}>", path.display())
		);
		let secret = read_secret(FUNDER, None, Some("//Bob".into())).unwrap().unwrap();
		assert_eq!(format!("{secret:?}"), "<redacted: from BTT_FUNDER_SURI>");
		let open = secret_file("auditor-open", 0o644, "//Alice//stash");
		let error = read_secret(AUDITOR, Some(&open), None).unwrap_err();
		assert_eq!(
			error,
			SecretError::Permissions { file: "--auditor-file", path: open.clone(), mode: 0o644 }
		);
		assert_eq!(
			read_secret(AUDITOR, Some(&path), Some("//Bob".into())).unwrap_err().to_string(),
			"both --auditor-file and BTT_AUDITOR_SURI are set: use one of them"
		);
		let exposed = SecretError::exposed("--auditor", AUDITOR).to_string();
		assert!(exposed.starts_with("--auditor is no longer accepted"), "{exposed}");
		assert!(exposed.contains("--auditor-file") && exposed.contains("BTT_AUDITOR_SURI"));
	}
}
