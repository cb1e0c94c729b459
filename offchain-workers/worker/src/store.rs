//! The worker's durable state, in an embedded redb database: its node key, and for every task
//! it works on, what it computed, the salt, and how far it got (computed → commit sent →
//! committed → reveal sent → revealed).
//!
//! Every record is written and committed to disk *before* the extrinsic it prepares is sent, so
//! a crash or `kill -9` at any point leaves enough to finish after a restart: the worker
//! compares the record with the chain (is our commitment already there? our reveal?) and sends
//! only what is missing, never the same thing twice.
//!
//! Decoding and diagnosing an input is the one step a hostile input can crash (a decoder
//! exhausting memory, an abort): before it, the worker writes a *computing* marker, and removes
//! it after (or with the task's record). A marker left at start-up means the process died on
//! that input; [`Store::answer_interrupted`] turns it into the task's `InputUnreadable` record
//! instead of computing the input again, and crashing again, at every restart.
//!
//! An auditor (`btt-worker audit`) keeps its challenges in the same kind of database, under the
//! same rule: a challenge's expected findings, salt and posting key are on disk before any of
//! its transactions is sent, so a crash never loses the means to open its seal.

use std::{
	fs::{DirBuilder, OpenOptions},
	os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt},
	path::Path,
};

use btt_primitives::depin::{Diagnosis, DiagnosticModule, TaskId};
use codec::{Decode, Encode};
use rand::{rngs::OsRng, RngCore};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const TASKS: TableDefinition<u64, &[u8]> = TableDefinition::new("tasks");
const CHALLENGES: TableDefinition<u64, &[u8]> = TableDefinition::new("challenges");
const COMPUTING: TableDefinition<u64, &[u8]> = TableDefinition::new("computing");
const NODE_SEED: &str = "node_seed";

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The database could not be opened or written.
	#[error("state database: {0}")]
	Database(String),
	/// A record did not decode (written by another version?).
	#[error("state database record for {0} is corrupt")]
	Corrupt(String),
}

fn db_error(error: impl std::fmt::Display) -> StoreError {
	StoreError::Database(error.to_string())
}

/// How far the worker got with a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Stage {
	/// Diagnosed (or a fault found); commitment and salt stored, nothing sent yet.
	Computed,
	/// The commit extrinsic was sent; not yet seen in a block.
	CommitSent,
	/// The commitment is on chain.
	Committed,
	/// The reveal extrinsic was sent; not yet seen in a block.
	RevealSent,
	/// The reveal is on chain: nothing left to do but wait for the verdict.
	Revealed,
}

/// One task's record.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct TaskRecord {
	/// The task.
	pub task: TaskId,
	/// What the worker will reveal.
	pub diagnosis: Diagnosis,
	/// The commitment's salt (secret until the reveal).
	pub salt: [u8; 32],
	/// The commitment sent.
	pub commitment: [u8; 32],
	/// Progress.
	pub stage: Stage,
}

/// The crash marker of a task whose input is being decoded and diagnosed: enough to commit to
/// an answer for it after a restart without the chain.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ComputingMarker {
	/// The task.
	pub task: TaskId,
	/// Its model (the chain's module model id).
	pub model: [u8; 32],
	/// Its input's hash.
	pub input_hash: [u8; 32],
}

/// Creates `path` empty and owner-only if it does not exist (redb initializes an empty file);
/// makes an existing one owner-only if its group or others have any access.
fn private_file(path: &Path) -> Result<(), StoreError> {
	let error =
		|error: std::io::Error| StoreError::Database(format!("{}: {error}", path.display()));
	match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
		Ok(_) => return Ok(()),
		Err(failure) if failure.kind() == std::io::ErrorKind::AlreadyExists => {}
		Err(failure) => return Err(error(failure)),
	}
	let mode = std::fs::metadata(path).map_err(error)?.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))
			.map_err(error)?;
		tracing::warn!(path = %path.display(), mode = format!("{mode:03o}"), "the state database (it holds the node key) was readable by other users: made it owner-only; if they could read it, consider the node key known");
	}
	Ok(())
}

/// The database.
pub struct Store {
	db: Database,
}

impl Store {
	/// Opens (or creates) the database at `path`. It holds the node's secret seed, so its
	/// directory is created owner-only (0700) and the file itself 0600, both at creation; an
	/// existing file its group or others may read is made 0600 (and a warning logged).
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
			DirBuilder::new()
				.recursive(true)
				.mode(0o700)
				.create(parent)
				.map_err(|error| StoreError::Database(format!("{}: {error}", parent.display())))?;
		}
		private_file(path)?;
		let db = Database::create(path).map_err(db_error)?;
		let write = db.begin_write().map_err(db_error)?;
		write.open_table(META).map_err(db_error)?;
		write.open_table(TASKS).map_err(db_error)?;
		write.open_table(CHALLENGES).map_err(db_error)?;
		write.open_table(COMPUTING).map_err(db_error)?;
		write.commit().map_err(db_error)?;
		Ok(Self { db })
	}

	/// The node key's 32-byte secret seed, created from OS randomness on first use.
	pub fn node_seed(&self) -> Result<[u8; 32], StoreError> {
		let read = self.db.begin_read().map_err(db_error)?;
		let table = read.open_table(META).map_err(db_error)?;
		if let Some(stored) = table.get(NODE_SEED).map_err(db_error)? {
			return <[u8; 32]>::try_from(stored.value())
				.map_err(|_| StoreError::Corrupt(NODE_SEED.into()));
		}
		drop(table);
		drop(read);
		let mut seed = [0u8; 32];
		OsRng.fill_bytes(&mut seed);
		let write = self.db.begin_write().map_err(db_error)?;
		{
			let mut table = write.open_table(META).map_err(db_error)?;
			// Another process may have raced us: keep the first seed written.
			let existing =
				table.get(NODE_SEED).map_err(db_error)?.map(|value| value.value().to_vec());
			match existing {
				Some(existing) => {
					seed = <[u8; 32]>::try_from(existing.as_slice())
						.map_err(|_| StoreError::Corrupt(NODE_SEED.into()))?;
				}
				None => {
					table.insert(NODE_SEED, seed.as_slice()).map_err(db_error)?;
				}
			}
		}
		write.commit().map_err(db_error)?;
		Ok(seed)
	}

	/// Stores (replaces) a task record durably, and clears the task's computing marker in the
	/// same transaction: the record is the answer.
	pub fn put(&self, record: &TaskRecord) -> Result<(), StoreError> {
		let write = self.db.begin_write().map_err(db_error)?;
		{
			let mut table = write.open_table(TASKS).map_err(db_error)?;
			table.insert(record.task, record.encode().as_slice()).map_err(db_error)?;
			write.open_table(COMPUTING).map_err(db_error)?.remove(record.task).map_err(db_error)?;
		}
		write.commit().map_err(db_error)
	}

	/// Records durably that the input of `marker.task` is about to be decoded and diagnosed.
	pub fn begin_computing(&self, marker: &ComputingMarker) -> Result<(), StoreError> {
		let write = self.db.begin_write().map_err(db_error)?;
		{
			let mut table = write.open_table(COMPUTING).map_err(db_error)?;
			table.insert(marker.task, marker.encode().as_slice()).map_err(db_error)?;
		}
		write.commit().map_err(db_error)
	}

	/// Clears the computing marker of `task`: the computation returned.
	pub fn end_computing(&self, task: TaskId) -> Result<(), StoreError> {
		let write = self.db.begin_write().map_err(db_error)?;
		write.open_table(COMPUTING).map_err(db_error)?.remove(task).map_err(db_error)?;
		write.commit().map_err(db_error)
	}

	/// The computing markers present, by task id: at start-up, the computations the last
	/// process did not survive.
	pub fn computing(&self) -> Result<Vec<ComputingMarker>, StoreError> {
		let read = self.db.begin_read().map_err(db_error)?;
		let table = read.open_table(COMPUTING).map_err(db_error)?;
		let mut markers = Vec::new();
		for entry in table.iter().map_err(db_error)? {
			let (key, bytes) = entry.map_err(db_error)?;
			let marker = ComputingMarker::decode(&mut bytes.value())
				.map_err(|_| StoreError::Corrupt(format!("computing marker {}", key.value())))?;
			markers.push(marker);
		}
		Ok(markers)
	}

	/// At start-up: replaces every leftover computing marker by the record `answer` makes for
	/// it (`InputUnreadable`, see `recovery`), in one transaction, and returns their tasks. A
	/// task that already has a record keeps it.
	pub fn answer_interrupted(
		&self,
		answer: impl Fn(&ComputingMarker) -> TaskRecord,
	) -> Result<Vec<TaskId>, StoreError> {
		let markers = self.computing()?;
		if markers.is_empty() {
			return Ok(Vec::new());
		}
		let write = self.db.begin_write().map_err(db_error)?;
		let mut answered = Vec::new();
		{
			let mut tasks = write.open_table(TASKS).map_err(db_error)?;
			let mut computing = write.open_table(COMPUTING).map_err(db_error)?;
			for marker in markers {
				if tasks.get(marker.task).map_err(db_error)?.is_none() {
					tasks
						.insert(marker.task, answer(&marker).encode().as_slice())
						.map_err(db_error)?;
					answered.push(marker.task);
				}
				computing.remove(marker.task).map_err(db_error)?;
			}
		}
		write.commit().map_err(db_error)?;
		Ok(answered)
	}

	/// The record of `task`, if any.
	pub fn get(&self, task: TaskId) -> Result<Option<TaskRecord>, StoreError> {
		let read = self.db.begin_read().map_err(db_error)?;
		let table = read.open_table(TASKS).map_err(db_error)?;
		let Some(bytes) = table.get(task).map_err(db_error)? else { return Ok(None) };
		TaskRecord::decode(&mut bytes.value())
			.map(Some)
			.map_err(|_| StoreError::Corrupt(format!("task {task}")))
	}

	/// Every task record, by task id.
	pub fn all(&self) -> Result<Vec<TaskRecord>, StoreError> {
		let read = self.db.begin_read().map_err(db_error)?;
		let table = read.open_table(TASKS).map_err(db_error)?;
		let mut records = Vec::new();
		for entry in table.iter().map_err(db_error)? {
			let (key, bytes) = entry.map_err(db_error)?;
			let record = TaskRecord::decode(&mut bytes.value())
				.map_err(|_| StoreError::Corrupt(format!("task {}", key.value())))?;
			records.push(record);
		}
		Ok(records)
	}

	/// Forgets a task (concluded on chain).
	pub fn remove(&self, task: TaskId) -> Result<(), StoreError> {
		let write = self.db.begin_write().map_err(db_error)?;
		{
			let mut table = write.open_table(TASKS).map_err(db_error)?;
			table.remove(task).map_err(db_error)?;
		}
		write.commit().map_err(db_error)
	}
}

/// How far an auditor got with a challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum ChallengeStage {
	/// Image written; expected findings, salt, seal and posting key stored; nothing sent.
	Prepared,
	/// The posting account's funding or the post was sent; the task not yet seen on chain.
	Posting,
	/// The task is on chain; waiting for it to conclude.
	Posted,
	/// The seal-opening transaction was sent.
	Revealing,
	/// The seal is open: the chain audited the task.
	Audited,
	/// The audit window closed (or the record was removed) before the seal was opened.
	Expired,
}

impl ChallengeStage {
	/// Whether nothing is left to do.
	pub fn is_final(self) -> bool {
		matches!(self, Self::Audited | Self::Expired)
	}
}

/// What the chain concluded when an auditor opened a seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum AuditVerdict {
	/// The accepted findings were the sealed answer.
	Passed,
	/// They were not: the quorum was slashed (`FailedChallenge`).
	Failed,
	/// The task ended with an input fault or without a result: it measured nobody.
	Void,
}

/// The audit of one challenge, as the chain reported it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AuditRecord {
	/// The verdict.
	pub verdict: AuditVerdict,
	/// The fee reimbursed to the auditor from the reward pot (`None`: the seal was found open
	/// after a restart, the amount was not seen).
	pub reimbursed: Option<u128>,
	/// Assignees whose reveal matched the sealed answer.
	pub matched: Vec<[u8; 32]>,
	/// Assignees that revealed something else, or nothing.
	pub missed: Vec<[u8; 32]>,
}

/// One challenge task of an auditor.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChallengeRecord {
	/// The auditor's own number for it, from 1.
	pub id: u64,
	/// The synthetic generator's seed of its image.
	pub generator_seed: u64,
	/// The image's file name under the auditor's `challenges/` directory (what it serves).
	pub file: String,
	/// The module asked for.
	pub module: DiagnosticModule,
	/// The chain model id (module id of the model file).
	pub model: [u8; 32],
	/// blake2-256 of the image bytes.
	pub input_hash: [u8; 32],
	/// Where nodes fetch the image.
	pub uri: Vec<u8>,
	/// The findings an honest worker reveals (computed with the worker's own path).
	pub expected: Vec<u8>,
	/// The seal's salt (secret until the seal is opened).
	pub salt: [u8; 32],
	/// The seal, posted as the task's `reference`.
	pub seal: [u8; 32],
	/// The secret seed of the fresh account that posts the task.
	pub poster_seed: [u8; 32],
	/// The fee offered, in plancks.
	pub fee: u128,
	/// Progress.
	pub stage: ChallengeStage,
	/// The task, once posted.
	pub task: Option<TaskId>,
	/// Its first round's assignees.
	pub assignees: Vec<[u8; 32]>,
	/// The audit, once the seal is open.
	pub audit: Option<AuditRecord>,
}

impl Store {
	/// Stores (replaces) a challenge record durably.
	pub fn put_challenge(&self, record: &ChallengeRecord) -> Result<(), StoreError> {
		let write = self.db.begin_write().map_err(db_error)?;
		{
			let mut table = write.open_table(CHALLENGES).map_err(db_error)?;
			table.insert(record.id, record.encode().as_slice()).map_err(db_error)?;
		}
		write.commit().map_err(db_error)
	}

	/// Every challenge record, by id.
	pub fn challenges(&self) -> Result<Vec<ChallengeRecord>, StoreError> {
		let read = self.db.begin_read().map_err(db_error)?;
		let table = read.open_table(CHALLENGES).map_err(db_error)?;
		let mut records = Vec::new();
		for entry in table.iter().map_err(db_error)? {
			let (key, bytes) = entry.map_err(db_error)?;
			let record = ChallengeRecord::decode(&mut bytes.value())
				.map_err(|_| StoreError::Corrupt(format!("challenge {}", key.value())))?;
			records.push(record);
		}
		Ok(records)
	}
}

/// A fresh 32-byte salt from OS randomness.
pub fn fresh_salt() -> [u8; 32] {
	let mut salt = [0u8; 32];
	OsRng.fill_bytes(&mut salt);
	salt
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;
	use btt_primitives::depin::InputFault;

	fn temp_db(name: &str) -> std::path::PathBuf {
		let dir =
			std::env::temp_dir().join(format!("btt-worker-store-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		dir.join("state.redb")
	}

	fn record(task: TaskId, stage: Stage) -> TaskRecord {
		TaskRecord {
			task,
			diagnosis: InputFault::InputUnreadable.diagnosis(),
			salt: [task as u8; 32],
			commitment: [7; 32],
			stage,
		}
	}

	fn mode(path: &Path) -> u32 {
		std::fs::metadata(path).unwrap().permissions().mode() & 0o777
	}

	#[test]
	fn state_directory_and_seed_database_are_created_owner_only() {
		let path = temp_db("modes");
		Store::open(&path).unwrap().node_seed().unwrap();
		assert_eq!(mode(path.parent().unwrap()), 0o700);
		assert_eq!(mode(&path), 0o600);
	}

	#[test]
	fn seed_database_readable_by_others_is_made_owner_only_on_open() {
		let path = temp_db("exposed");
		let seed = Store::open(&path).unwrap().node_seed().unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let store = Store::open(&path).unwrap();
		assert_eq!(mode(&path), 0o600);
		assert_eq!(store.node_seed().unwrap(), seed);
	}

	#[test]
	fn node_seed_is_created_once_and_survives_reopening() {
		let path = temp_db("seed");
		let first = Store::open(&path).unwrap().node_seed().unwrap();
		let again = Store::open(&path).unwrap().node_seed().unwrap();
		assert_eq!(first, again);
		assert_ne!(first, [0u8; 32]);
		let other = Store::open(&temp_db("seed-other")).unwrap().node_seed().unwrap();
		assert_ne!(first, other, "every worker gets its own key");
	}

	#[test]
	fn task_records_survive_reopening_and_can_be_advanced_and_removed() {
		let path = temp_db("tasks");
		{
			let store = Store::open(&path).unwrap();
			store.put(&record(3, Stage::Computed)).unwrap();
			store.put(&record(1, Stage::CommitSent)).unwrap();
		}
		let store = Store::open(&path).unwrap();
		assert_eq!(store.get(3).unwrap(), Some(record(3, Stage::Computed)));
		store.put(&record(3, Stage::Committed)).unwrap();
		let stages: Vec<_> = store.all().unwrap().into_iter().map(|r| (r.task, r.stage)).collect();
		assert_eq!(stages, vec![(1, Stage::CommitSent), (3, Stage::Committed)]);
		store.remove(1).unwrap();
		assert_eq!(store.get(1).unwrap(), None);
	}

	#[test]
	fn challenge_records_keep_their_salt_and_stage_across_reopening() {
		let path = temp_db("challenges");
		let challenge = |id: u64, stage: ChallengeStage| ChallengeRecord {
			id,
			generator_seed: 42,
			file: format!("{id:032x}.png"),
			module: DiagnosticModule::PeriodontalAssessment,
			model: [1; 32],
			input_hash: [2; 32],
			uri: b"http://127.0.0.1:8090/radiographs/x.png".to_vec(),
			expected: vec![1, 0, 1, 2, 3],
			salt: fresh_salt(),
			seal: [3; 32],
			poster_seed: fresh_salt(),
			fee: 30,
			stage,
			task: None,
			assignees: Vec::new(),
			audit: None,
		};
		let (first, second) =
			(challenge(1, ChallengeStage::Prepared), challenge(2, ChallengeStage::Posting));
		{
			let store = Store::open(&path).unwrap();
			store.put(&record(9, Stage::Computed)).unwrap();
			store.put_challenge(&second).unwrap();
			store.put_challenge(&first).unwrap();
		}
		let store = Store::open(&path).unwrap();
		assert_eq!(store.challenges().unwrap(), vec![first.clone(), second]);
		let audited = ChallengeRecord {
			stage: ChallengeStage::Audited,
			task: Some(7),
			audit: Some(AuditRecord {
				verdict: AuditVerdict::Passed,
				reimbursed: Some(30),
				matched: vec![[4; 32]],
				missed: vec![],
			}),
			..first
		};
		store.put_challenge(&audited).unwrap();
		assert_eq!(store.challenges().unwrap().first(), Some(&audited));
		assert!(ChallengeStage::Audited.is_final() && !ChallengeStage::Revealing.is_final());
		// Task records and challenge records live side by side.
		assert_eq!(store.all().unwrap().len(), 1);
	}

	fn marker(task: TaskId) -> ComputingMarker {
		ComputingMarker { task, model: [1; 32], input_hash: [task as u8; 32] }
	}

	#[test]
	fn a_computing_marker_left_by_a_dead_process_is_answered_once() {
		let path = temp_db("computing");
		{
			let store = Store::open(&path).unwrap();
			store.begin_computing(&marker(4)).unwrap();
			store.begin_computing(&marker(5)).unwrap();
			store.end_computing(5).unwrap();
			store.begin_computing(&marker(6)).unwrap();
			// Task 6 finished: its record clears its marker.
			store.put(&record(6, Stage::Computed)).unwrap();
			// The process dies here, with task 4 being computed.
		}
		let store = Store::open(&path).unwrap();
		assert_eq!(store.computing().unwrap(), vec![marker(4)]);
		let answered = store.answer_interrupted(|marker| record(marker.task, Stage::Computed));
		assert_eq!(answered.unwrap(), vec![4]);
		assert_eq!(store.get(4).unwrap(), Some(record(4, Stage::Computed)));
		assert_eq!(store.computing().unwrap(), vec![]);
		// Nothing is answered twice, and a stored record is never replaced.
		assert_eq!(store.answer_interrupted(|_| unreachable!()).unwrap(), Vec::<TaskId>::new());
		store.begin_computing(&marker(6)).unwrap();
		let kept = store.answer_interrupted(|marker| record(marker.task, Stage::Revealed));
		assert_eq!(kept.unwrap(), Vec::<TaskId>::new());
		assert_eq!(store.get(6).unwrap(), Some(record(6, Stage::Computed)));
		assert_eq!(store.computing().unwrap(), vec![]);
	}

	#[test]
	fn salts_are_fresh() {
		assert_ne!(fresh_salt(), fresh_salt());
	}
}
