//! The report files a worker leaves on disk (a task's FHIR report and attention overlay, which
//! describe a patient's radiograph): written only if the operator opts in (`keep_reports`),
//! owner-only (directories 0700, files 0600, set at creation), and deleted once older than the
//! retention time (`report_retention_hours`), at start and then periodically.
//!
//! Also [`scrub_uri`]: log lines above debug level name a task's input by `<input>`, never by
//! its URI (which may name a clinic, a patient or a signed link).

use std::{
	fs::{DirBuilder, OpenOptions},
	io::Write,
	os::unix::fs::{DirBuilderExt, OpenOptionsExt},
	path::{Path, PathBuf},
	time::{Duration, SystemTime},
};

use tracing::{debug, info, warn};

/// Prefix of a task's directory of report files (`task-<id>`).
const TASK_DIR_PREFIX: &str = "task-";

/// Writes `files` (name, bytes) into `dir`, creating it and its missing parents owner-only.
pub fn write_private(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), String> {
	DirBuilder::new()
		.recursive(true)
		.mode(0o700)
		.create(dir)
		.map_err(|error| format!("{}: {error}", dir.display()))?;
	for (name, bytes) in files {
		let path = dir.join(name);
		let mut file = OpenOptions::new()
			.write(true)
			.create(true)
			.truncate(true)
			.mode(0o600)
			.open(&path)
			.map_err(|error| format!("{}: {error}", path.display()))?;
		file.write_all(bytes).map_err(|error| format!("{}: {error}", path.display()))?;
	}
	Ok(())
}

/// What a sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
	/// Task directories deleted.
	pub deleted: usize,
	/// Task directories kept (younger than the retention time).
	pub kept: usize,
	/// Task directories that could not be deleted, with why.
	pub failed: Vec<(PathBuf, String)>,
}

/// Deletes every `task-<id>` directory of `reports` last modified more than `retention`
/// before `now`. Anything else in `reports` (and symlinks) is left alone; a missing `reports`
/// directory is nothing to do.
pub fn sweep(reports: &Path, retention: Duration, now: SystemTime) -> Result<Swept, String> {
	let mut swept = Swept::default();
	let entries = match std::fs::read_dir(reports) {
		Ok(entries) => entries,
		Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(swept),
		Err(error) => return Err(format!("{}: {error}", reports.display())),
	};
	for entry in entries {
		let entry = entry.map_err(|error| format!("{}: {error}", reports.display()))?;
		let path = entry.path();
		if !entry.file_name().to_string_lossy().starts_with(TASK_DIR_PREFIX) {
			continue;
		}
		// `DirEntry::metadata` does not follow symlinks.
		let modified = match entry.metadata().and_then(|metadata| {
			if metadata.is_dir() {
				metadata.modified().map(Some)
			} else {
				Ok(None)
			}
		}) {
			Ok(Some(modified)) => modified,
			Ok(None) => continue,
			Err(error) => {
				swept.failed.push((path, error.to_string()));
				continue;
			}
		};
		// A modification time in the future (a clock set back) counts as new.
		let age = now.duration_since(modified).unwrap_or(Duration::ZERO);
		if age <= retention {
			swept.kept += 1;
			continue;
		}
		match std::fs::remove_dir_all(&path) {
			Ok(()) => swept.deleted += 1,
			Err(error) => swept.failed.push((path, error.to_string())),
		}
	}
	Ok(swept)
}

/// How often [`run`] sweeps: a tenth of the retention time, between a minute and an hour.
pub fn sweep_interval(retention: Duration) -> Duration {
	(retention / 10).clamp(Duration::from_secs(60), Duration::from_secs(3600))
}

/// Sweeps `reports` now and then every [`sweep_interval`], forever (spawn it).
pub async fn run(reports: PathBuf, retention: Duration) {
	loop {
		match sweep(&reports, retention, SystemTime::now()) {
			Ok(swept) => {
				if swept.deleted > 0 {
					info!(
						deleted = swept.deleted,
						kept = swept.kept,
						retention_hours = retention.as_secs() / 3600,
						"expired report files deleted"
					);
				} else {
					debug!(kept = swept.kept, "no report files expired");
				}
				for (path, error) in swept.failed {
					warn!(path = %path.display(), %error, "expired report files could not be deleted");
				}
			}
			Err(error) => warn!(%error, "cannot sweep the report files"),
		}
		tokio::time::sleep(sweep_interval(retention)).await;
	}
}

/// `text` (an error, a detail) with every occurrence of the input URI `uri` replaced by
/// `<input>`, for log lines above debug level.
pub fn scrub_uri(text: &str, uri: &[u8]) -> String {
	let uri = String::from_utf8_lossy(uri);
	if uri.is_empty() {
		return text.to_string();
	}
	text.replace(uri.as_ref(), "<input>")
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use std::os::unix::fs::PermissionsExt;

	use super::*;

	fn temp_dir(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("btt-retention-{}-{name}", std::process::id()));
		let _fresh = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		dir
	}

	fn mode(path: &Path) -> u32 {
		std::fs::metadata(path).unwrap().permissions().mode() & 0o777
	}

	/// Sets a directory's modification time (the sweep's clock) to `age` ago.
	fn age(dir: &Path, age: Duration) {
		let file = std::fs::File::open(dir).unwrap();
		file.set_modified(SystemTime::now() - age).unwrap();
	}

	#[test]
	fn report_files_are_created_owner_only() {
		let reports = temp_dir("modes").join("reports");
		let dir = reports.join("task-7");
		write_private(&dir, &[("report.fhir.json", b"{}"), ("overlay.png", b"png")]).unwrap();
		assert_eq!(mode(&reports), 0o700);
		assert_eq!(mode(&dir), 0o700);
		assert_eq!(mode(&dir.join("report.fhir.json")), 0o600);
		assert_eq!(mode(&dir.join("overlay.png")), 0o600);
		assert_eq!(std::fs::read(dir.join("overlay.png")).unwrap(), b"png");
	}

	#[test]
	fn expired_report_directories_are_deleted_and_younger_ones_kept() {
		let reports = temp_dir("sweep");
		for task in ["task-1", "task-2", "task-3"] {
			write_private(&reports.join(task), &[("report.fhir.json", b"{}")]).unwrap();
		}
		age(&reports.join("task-1"), Duration::from_secs(3 * 3600));
		age(&reports.join("task-2"), Duration::from_secs(25 * 3600));
		std::fs::write(reports.join("notes.txt"), b"the operator's").unwrap();
		std::fs::create_dir(reports.join("archive")).unwrap();
		age(&reports.join("archive"), Duration::from_secs(100 * 3600));
		let day = Duration::from_secs(24 * 3600);
		let swept = sweep(&reports, day, SystemTime::now()).unwrap();
		assert_eq!(swept, Swept { deleted: 1, kept: 2, failed: Vec::new() });
		assert!(!reports.join("task-2").exists());
		assert!(reports.join("task-1/report.fhir.json").exists());
		assert!(reports.join("task-3").exists());
		assert!(reports.join("notes.txt").exists() && reports.join("archive").exists());
		// A day later (a fake clock) the rest has expired too.
		let later = SystemTime::now() + day + Duration::from_secs(60);
		let swept = sweep(&reports, day, later).unwrap();
		assert_eq!(swept, Swept { deleted: 2, kept: 0, failed: Vec::new() });
		assert!(!reports.join("task-1").exists() && !reports.join("task-3").exists());
	}

	#[test]
	fn sweep_leaves_symlinks_alone_and_a_missing_directory_is_nothing_to_do() {
		let root = temp_dir("symlink");
		let target = root.join("elsewhere");
		write_private(&target, &[("keep", b"x")]).unwrap();
		let reports = root.join("reports");
		std::fs::create_dir(&reports).unwrap();
		std::os::unix::fs::symlink(&target, reports.join("task-9")).unwrap();
		let later = SystemTime::now() + Duration::from_secs(1000 * 3600);
		let swept = sweep(&reports, Duration::from_secs(3600), later).unwrap();
		assert_eq!(swept, Swept::default());
		assert!(target.join("keep").exists());
		assert_eq!(
			sweep(&root.join("absent"), Duration::from_secs(1), later),
			Ok(Swept::default())
		);
	}

	#[test]
	fn sweep_interval_is_a_tenth_of_the_retention_within_a_minute_and_an_hour() {
		assert_eq!(sweep_interval(Duration::from_secs(3600)), Duration::from_secs(360));
		assert_eq!(sweep_interval(Duration::from_secs(60)), Duration::from_secs(60));
		assert_eq!(sweep_interval(Duration::from_secs(1000 * 3600)), Duration::from_secs(3600));
	}

	#[test]
	fn input_uris_are_scrubbed_from_fetch_errors() {
		let uri = b"https://clinic.example/patients/jane-doe/bitewing.png?sig=abc";
		let error = crate::fetch::FetchError::BadUri {
			uri: String::from_utf8_lossy(uri).into_owned(),
			reason: "no host".into(),
		};
		let scrubbed = scrub_uri(&error.to_string(), uri);
		assert_eq!(scrubbed, "<input>: no host");
		assert_eq!(scrub_uri("timed out", b""), "timed out");
	}
}
