//! After a crash: the tasks whose input the last process did not survive.
//!
//! [`crate::compute::diagnose_marked`] keeps a computing marker on disk while an input is
//! decoded and diagnosed. A marker found at start-up means the process died there (a decoder
//! exhausting memory, an abort, `kill -9`, a power cut): computing the input again would most
//! likely kill the worker again, at every restart, and then the node would miss the commit and
//! be slashed as a no-show. [`answer_interrupted`] instead stores the task's answer as
//! `InputUnreadable`, committed and revealed like any other record; an honest quorum that also
//! cannot read the input agrees, and one that can outvotes a single node's restart
//! (`InputDisputed`: unpaid, not slashed).

use btt_primitives::depin::{commitment, InputFault, ModelId, TaskId};

use crate::store::{fresh_salt, ComputingMarker, Stage, Store, StoreError, TaskRecord};

/// Stores an `InputUnreadable` record (fresh salt, commitment for `node`) for every task left
/// with a computing marker, and returns those tasks. Run at start-up, before the worker loop.
pub fn answer_interrupted(store: &Store, node: &[u8; 32]) -> Result<Vec<TaskId>, StoreError> {
	store.answer_interrupted(|marker| unreadable_record(marker, node))
}

/// The record answering the task of `marker` as `InputUnreadable`.
fn unreadable_record(marker: &ComputingMarker, node: &[u8; 32]) -> TaskRecord {
	let diagnosis = InputFault::InputUnreadable.diagnosis();
	let salt = fresh_salt();
	let commitment = commitment(
		marker.task,
		&ModelId::from(marker.model),
		&marker.input_hash.into(),
		node,
		&diagnosis,
		&salt,
	);
	TaskRecord {
		task: marker.task,
		diagnosis,
		salt,
		commitment: commitment.0,
		stage: Stage::Computed,
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use std::{path::PathBuf, process::Command};

	use btt_diagnostics::encode::encode_png;
	use btt_primitives::depin::DiagnosticModule;

	use super::*;
	use crate::{
		compute::{compute_marked, ComputeSettings, Job, ModelShelf},
		fetch::{canonical_dir, Access},
	};

	/// The environment variable that makes [`child_computes_until_it_runs_out_of_memory`] run.
	const CHILD_DIR: &str = "BTT_RECOVERY_CHILD_DIR";
	const NODE: [u8; 32] = [9; 32];

	fn shipped_model() -> PathBuf {
		std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
			.join("../models/btt-dental-tiny-v1.safetensors")
	}

	/// The job of task 7: `file` in `dir`, for the shipped model's caries module.
	fn job(shelf: &ModelShelf, dir: &std::path::Path, file: &str) -> Job {
		let path = canonical_dir(dir).unwrap().join(file);
		let bytes = std::fs::read(&path).unwrap();
		let (model, _) =
			shelf.ids().into_iter().find(|(_, name)| name.ends_with("(caries)")).unwrap();
		Job {
			task: 7,
			module: DiagnosticModule::CariesDetection,
			model,
			input_hash: sp_crypto_hashing::blake2_256(&bytes),
			input_uri: format!("file://{}", path.display()).into_bytes(),
		}
	}

	fn settings(dir: &std::path::Path) -> ComputeSettings {
		ComputeSettings {
			input: btt_primitives::depin::InputPolicy {
				max_input_bytes: 64 << 20,
				attempt_timeout_ms: 20_000,
				first_retry_pause_ms: 1_000,
				max_retry_pause_ms: 8_000,
				give_up_blocks_before_deadline: 3,
			},
			access: Access {
				input_dir: Some(canonical_dir(dir).unwrap()),
				allow_networks: Vec::new(),
			},
			reports: Some(dir.join("reports")),
			dishonest: false,
		}
	}

	/// The helper process of [`an_input_that_kills_the_worker_is_answered_unreadable_after_the_restart`]:
	/// computes the big image with its address space capped a little above what it already
	/// uses, so the decoder's first full-size buffer cannot be allocated and the process aborts
	/// in the middle of the computation, as an out-of-memory kill would end it.
	#[test]
	#[ignore = "run as a child process by the test below"]
	fn child_computes_until_it_runs_out_of_memory() {
		let Some(dir) = std::env::var_os(CHILD_DIR).map(PathBuf::from) else { return };
		let shelf = ModelShelf::load(&[shipped_model()]).unwrap();
		let store = Store::open(&dir.join("state.redb")).unwrap();
		let (job, settings) = (job(&shelf, &dir, "big.png"), settings(&dir));
		let status = std::fs::read_to_string("/proc/self/status").unwrap();
		let used_kib: u64 = status
			.lines()
			.find_map(|line| line.strip_prefix("VmSize:"))
			.and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
			.unwrap();
		let limit = (used_kib << 10) + (48 << 20);
		let cap = libc::rlimit { rlim_cur: limit, rlim_max: limit };
		// SAFETY: setrlimit reads the struct, which lives across the call.
		assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_AS, &cap) }, 0);
		let outcome = compute_marked(&job, &shelf, &settings, &store);
		// Only reached if the computation survived: the parent then fails.
		println!("survived: {outcome:?}");
	}

	#[test]
	fn an_input_that_kills_the_worker_is_answered_unreadable_after_the_restart() {
		let dir = std::env::temp_dir().join(format!("btt-recovery-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		// 8,192² at 16 bits: 128 MiB decoded, 256 MiB as f32, from a 1 MiB file.
		let side = 8192u32;
		let stored: Vec<u16> =
			(0..side * side).map(|i| ((i % side / 8 + i / side / 8) % 4096) as u16).collect();
		std::fs::write(dir.join("big.png"), encode_png(&stored, side, side, 16).unwrap()).unwrap();
		drop(stored);
		let child = Command::new(std::env::current_exe().unwrap())
			.args(["--exact", "recovery::tests::child_computes_until_it_runs_out_of_memory"])
			.args(["--ignored", "--nocapture", "--test-threads", "1"])
			.env(CHILD_DIR, &dir)
			.output()
			.unwrap();
		let stdout = String::from_utf8_lossy(&child.stdout);
		assert!(!child.status.success() && !stdout.contains("survived"), "the child: {stdout}");

		// The restart: the marker is there, and becomes the answer.
		let store = Store::open(&dir.join("state.redb")).unwrap();
		let shelf = ModelShelf::load(&[shipped_model()]).unwrap();
		let job = job(&shelf, &dir, "big.png");
		let marker = ComputingMarker { task: 7, model: job.model.0, input_hash: job.input_hash };
		assert_eq!(store.computing().unwrap(), vec![marker]);
		assert_eq!(answer_interrupted(&store, &NODE).unwrap(), vec![7]);
		let record = store.get(7).unwrap().unwrap();
		assert_eq!(record.diagnosis, InputFault::InputUnreadable.diagnosis());
		assert_eq!(record.stage, Stage::Computed);
		let expected = commitment(
			7,
			&job.model,
			&job.input_hash.into(),
			&NODE,
			&record.diagnosis,
			&record.salt,
		);
		assert_eq!(record.commitment, expected.0, "a commitment the reveal will open");
		assert_eq!(store.computing().unwrap(), vec![], "answered once, not at every restart");
		let _ = std::fs::remove_dir_all(&dir);
	}

	#[test]
	fn a_computation_that_returns_leaves_no_marker() {
		let dir = std::env::temp_dir().join(format!("btt-recovery-ok-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		std::fs::write(dir.join("bad.png"), b"\x89PNG\r\n\x1a\n not really").unwrap();
		let store = Store::open(&dir.join("state.redb")).unwrap();
		let shelf = ModelShelf::load(&[shipped_model()]).unwrap();
		let outcome =
			compute_marked(&job(&shelf, &dir, "bad.png"), &shelf, &settings(&dir), &store).unwrap();
		assert_eq!(outcome.fault, Some(InputFault::InputUnreadable));
		assert_eq!(store.computing().unwrap(), vec![]);
		assert_eq!(answer_interrupted(&store, &NODE).unwrap(), Vec::<TaskId>::new());
		let _ = std::fs::remove_dir_all(&dir);
	}
}
