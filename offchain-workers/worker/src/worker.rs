//! The worker's loop: on every finalized block, send the heartbeat when an epoch begins, and
//! move each assigned task one step along compute → commit → reveal.
//!
//! Every step is decided from two facts, the durable record ([`Store`]) and the chain's view of
//! the task, never from memory, so a restart (or `kill -9`) at any point resumes where the
//! worker stopped:
//!
//! | record | on chain | step |
//! |---|---|---|
//! | none | task in its commit phase, no commitment of ours | fetch (retried by the chain's back-off), compute under a computing marker, store, commit |
//! | none, a computing marker left at start-up | any | `InputUnreadable` stored at start-up ([`crate::recovery`]), then as `Computed` |
//! | `Computed`/`CommitSent` | no commitment of ours, commit phase | (re)send the commit |
//! | any | our commitment present | mark `Committed` |
//! | `Committed`/`RevealSent` | reveal phase, no reveal of ours | send the reveal |
//! | any | our reveal present | mark `Revealed`, wait |
//! | any | task no longer assigned to us | log the verdict, forget the record |
//!
//! The chain refuses a second commit or reveal from the same node, and the worker only sends
//! one after seeing the chain lacks it and no earlier one is still being watched
//! ([`Duty`]), so nothing is ever submitted twice for effect.
//!
//! The loop itself never waits for a fetch, a computation or a transaction's finality: each
//! runs in the background ([`crate::schedule`]), computations bounded by cores and memory and
//! started earliest commit deadline first; a computed task's commitment is sent as soon as it
//! is stored, not at the next block. So a slow input never delays another task's commit.
//!
//! An input that cannot be fetched is tried again at later blocks, after the chain's
//! back-off pause, until `give_up_blocks_before_deadline` blocks before the commit deadline,
//! and then revealed as `InputUnreachable` ([`Retries`]).

use std::{
	collections::BTreeSet,
	sync::{Arc, Mutex, RwLock},
	time::{Duration, Instant},
};

use btt_primitives::depin::{commitment, Diagnosis, InputFault, ModelId, TaskId};
use tracing::{debug, error, info, warn};

use crate::{
	chain::{task_module, Chain, ChainError, Pending, Task, TaskStatus},
	compute::{
		diagnose_marked, fetch_input, report_dir, ComputeSettings, Fetched, Job, ModelShelf,
		Outcome,
	},
	fetch::{give_up_block, Next, Retries},
	retention::scrub_uri,
	schedule::{by_deadline, Background, Candidate, Claim, Duty},
	store::{fresh_salt, Stage, Store, StoreError, TaskRecord},
	telemetry::{Metrics, SharedStatus, TaskView},
};

/// How long a sent transaction is watched: after that the loop looks at the chain again and
/// sends it anew if it is still missing (a transaction dropped without a word).
const WATCH_LIMIT: Duration = Duration::from_secs(60);

/// The phase of an open task's round, as `depinApi.taskStatus` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
	/// Assignees commit until `deadline`.
	Commit {
		/// Where the commit phase ends (`depinApi.taskStatus`).
		deadline: u32,
	},
	/// Assignees reveal.
	Reveal,
}

/// Why the loop stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
	/// The chain connection failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The state database failed: stop rather than risk a double submission.
	#[error(transparent)]
	Store(#[from] StoreError),
}

/// The worker: its chain connection, durable state, models and telemetry.
pub struct Worker {
	/// The chain, signing as the node key.
	pub chain: Chain,
	/// Durable state.
	pub store: Arc<Store>,
	/// Models.
	pub shelf: Arc<ModelShelf>,
	/// The chain's input policy, what the operator lets it fetch, report directory, test mode.
	pub settings: ComputeSettings,
	/// Prometheus metrics.
	pub metrics: Arc<Metrics>,
	/// Status API state.
	pub status: SharedStatus,
	/// Blocks per epoch.
	pub epoch_length: u32,
	/// The latest epoch known to have our heartbeat: saves a query per block.
	pub heartbeat_epoch: Mutex<Option<u32>>,
	/// The failed fetch attempts of the tasks not computed yet.
	pub retries: Arc<Mutex<Retries>>,
	/// The duties running in the background and their slots (shared across reconnections).
	pub background: Arc<Background>,
	/// A state-database failure in the background, which stops the worker at the next block.
	pub failure: Mutex<Option<StoreError>>,
}

impl Worker {
	/// Follows finalized blocks until the connection ends (an error) or the process stops.
	pub async fn run(self: Arc<Self>) -> Result<(), WorkerError> {
		let mut blocks =
			self.chain.api().stream_blocks().await.map_err(|e| ChainError(e.to_string()))?;
		self.set_status(|status| status.connected = true);
		while let Some(block) = blocks.next().await {
			let block = block.map_err(|e| ChainError(format!("block stream: {e}")))?;
			let number = block.number() as u32;
			self.metrics.finalized_block.set(i64::from(number));
			self.set_status(|status| status.finalized_block = u64::from(number));
			self.on_block(number).await?;
		}
		self.set_status(|status| status.connected = false);
		Err(ChainError("the node closed the block stream".into()).into())
	}

	/// One pass over the node's duties at finalized block `number`: reads the chain and starts
	/// what is due, waiting for none of it. Chain errors of one task are logged and retried at
	/// the next block; store errors stop the worker.
	pub async fn on_block(self: &Arc<Self>, number: u32) -> Result<(), WorkerError> {
		if let Some(error) = self.failure.lock().ok().and_then(|mut failure| failure.take()) {
			return Err(error.into());
		}
		if let Err(error) = self.heartbeat_if_due(number).await {
			self.metrics.fail("heartbeat");
			warn!(%error, "heartbeat failed; retrying next block");
		}
		let assigned = match self.chain.node_tasks().await {
			Ok(tasks) => tasks,
			Err(error) => {
				self.metrics.fail("query");
				warn!(%error, "cannot read the node's tasks");
				return Ok(());
			}
		};
		let mut waiting = Vec::new();
		for task in &assigned {
			match self.advance(*task).await {
				Ok(Some(candidate)) => waiting.push(candidate),
				Ok(None) => {}
				Err(WorkerError::Chain(error)) => {
					self.metrics.fail("chain");
					warn!(task, %error, "task step failed; retrying next block");
				}
				Err(store) => return Err(store),
			}
		}
		by_deadline(&mut waiting);
		for candidate in waiting {
			self.start_computation(candidate, number);
		}
		let assigned: BTreeSet<TaskId> = assigned.into_iter().collect();
		if let Ok(mut retries) = self.retries.lock() {
			retries.retain(&assigned);
		}
		for record in self.store.all()? {
			if !assigned.contains(&record.task)
				&& !self.background.running.is_running(Duty::Compute(record.task))
			{
				self.conclude(record).await?;
			}
		}
		self.metrics.open_tasks.set(assigned.len() as i64);
		Ok(())
	}

	async fn heartbeat_if_due(self: &Arc<Self>, number: u32) -> Result<(), ChainError> {
		let epoch = number.checked_div(self.epoch_length).unwrap_or(0);
		let known = self.heartbeat_epoch.lock().ok().and_then(|known| *known);
		if known.is_some_and(|known| known >= epoch)
			|| self.background.running.is_running(Duty::Heartbeat)
		{
			return Ok(());
		}
		let Some(view) = self.chain.node_view().await? else {
			self.set_status(|status| status.registered = false);
			return Err(ChainError("the node is not registered".into()));
		};
		self.set_status(|status| status.registered = true);
		if view.record.last_heartbeat >= epoch {
			self.remember_heartbeat(view.record.last_heartbeat);
			return Ok(());
		}
		let Some(claim) = self.background.running.claim(Duty::Heartbeat) else { return Ok(()) };
		let pending = self.chain.send_heartbeat().await?;
		let worker = self.clone();
		tokio::spawn(async move {
			if worker.watch(pending, claim).await {
				worker.remember_heartbeat(epoch);
				worker.metrics.heartbeats.inc();
				info!(epoch, "heartbeat sent");
			}
		});
		Ok(())
	}

	/// Moves one assigned task one step (or several, when nothing is missing in between):
	/// sends what the chain lacks, or returns the task to compute.
	async fn advance(
		self: &Arc<Self>,
		task_id: TaskId,
	) -> Result<Option<Candidate<Task>>, WorkerError> {
		if self.background.running.is_running(Duty::Compute(task_id)) {
			return Ok(None);
		}
		let Some(task) = self.chain.task(task_id).await? else { return Ok(None) };
		// The chain's own reading of the round (deadlines and who committed), not ours.
		let phase = match self.chain.task_status(task_id).await? {
			TaskStatus::Committing { deadline, .. } => Phase::Commit { deadline },
			TaskStatus::Revealing { .. } => Phase::Reveal,
			_ => return Ok(None),
		};
		let node = self.chain.node();
		let Some(ours) = task.assignees.0.iter().find(|assignment| &assignment.node == node) else {
			return Ok(None);
		};
		let (on_chain_commitment, on_chain_reveal) = (ours.commitment, ours.reveal.is_some());
		let mut record = match self.store.get(task_id)? {
			Some(record) => record,
			None if on_chain_commitment.is_some() => {
				error!(task = task_id, "the chain holds a commitment of ours but the state database has no record: the salt is lost and this task will count as a no-show");
				return Ok(None);
			}
			None => {
				return match phase {
					Phase::Commit { deadline } => {
						Ok(Some(Candidate { task: task_id, deadline, job: task }))
					}
					Phase::Reveal => {
						warn!(task = task_id, "assigned task already in its reveal phase without a commitment of ours");
						Ok(None)
					}
				}
			}
		};
		if on_chain_reveal {
			self.set_stage(&mut record, Stage::Revealed)?;
			return Ok(None);
		}
		if let Some(commitment) = on_chain_commitment {
			if commitment.0 != record.commitment {
				error!(task = task_id, "the chain holds a commitment of ours that differs from the stored one; not revealing");
				return Ok(None);
			}
			if matches!(record.stage, Stage::Computed | Stage::CommitSent) {
				self.set_stage(&mut record, Stage::Committed)?;
			}
		}
		match (record.stage, phase) {
			(Stage::Computed | Stage::CommitSent, Phase::Commit { .. }) => {
				self.send_commit(&mut record).await?;
			}
			(Stage::Committed | Stage::RevealSent, Phase::Reveal) => {
				self.send_reveal(&mut record).await?;
			}
			(Stage::Computed | Stage::CommitSent, Phase::Reveal) => {
				warn!(task = task_id, "the commit phase ended before our commitment was included");
			}
			_ => debug!(task = task_id, stage = ?record.stage, "waiting for the next phase"),
		}
		Ok(None)
	}

	/// Sends the record's commitment unless one is being watched already, and watches it in
	/// the background.
	async fn send_commit(self: &Arc<Self>, record: &mut TaskRecord) -> Result<(), WorkerError> {
		let Some(claim) = self.background.running.claim(Duty::Commit(record.task)) else {
			return Ok(());
		};
		// Written before sending: after a crash the worker looks the commitment up on chain
		// instead of assuming it was never sent.
		self.set_stage(record, Stage::CommitSent)?;
		let pending = self.chain.send_commit(record.task, record.commitment).await?;
		let (worker, task) = (self.clone(), record.task);
		tokio::spawn(async move {
			if worker.watch(pending, claim).await {
				worker.metrics.commits.inc();
				info!(task, "committed");
			}
		});
		Ok(())
	}

	/// Sends the record's reveal unless one is being watched already, and watches it.
	async fn send_reveal(self: &Arc<Self>, record: &mut TaskRecord) -> Result<(), WorkerError> {
		let Some(claim) = self.background.running.claim(Duty::Reveal(record.task)) else {
			return Ok(());
		};
		self.set_stage(record, Stage::RevealSent)?;
		let pending =
			self.chain.send_reveal(record.task, record.diagnosis.clone(), record.salt).await?;
		let (worker, task) = (self.clone(), record.task);
		tokio::spawn(async move {
			if worker.watch(pending, claim).await {
				worker.metrics.reveals.inc();
				info!(task, "revealed");
			}
		});
		Ok(())
	}

	/// Waits until a sent transaction is final (`true`), failed or outlived [`WATCH_LIMIT`];
	/// then ends the duty's claim, so the loop sends it again if the chain still lacks it.
	async fn watch(&self, pending: Pending, claim: Claim) -> bool {
		let included = match tokio::time::timeout(WATCH_LIMIT, pending.finalized()).await {
			Ok(Ok(_events)) => true,
			Ok(Err(error)) => {
				self.metrics.fail("chain");
				warn!(duty = ?claim.duty(), %error, "transaction failed; the next block decides whether to send it again");
				false
			}
			Err(_) => {
				warn!(duty = ?claim.duty(), "transaction not final after {} s; the next block decides whether to send it again", WATCH_LIMIT.as_secs());
				false
			}
		};
		drop(claim);
		included
	}

	/// Starts computing a waiting task in the background unless its pause after a failed fetch
	/// runs; the commit follows as soon as the record is stored.
	fn start_computation(self: &Arc<Self>, candidate: Candidate<Task>, number: u32) {
		let Candidate { task: task_id, deadline, job: task } = candidate;
		let give_up = give_up_block(deadline, &self.settings.input);
		let next = match self.retries.lock() {
			Ok(retries) => retries.next(task_id, number, give_up, Instant::now()),
			Err(_) => Next::Attempt,
		};
		if next == Next::Wait {
			return;
		}
		let Some(claim) = self.background.running.claim(Duty::Compute(task_id)) else { return };
		let worker = self.clone();
		tokio::spawn(async move {
			let result = worker.compute_and_record(task_id, &task, next, number, give_up).await;
			// Released only after the record is stored: the loop never sees neither.
			drop(claim);
			match result {
				Ok(Some(mut record)) => {
					if let Err(error) = worker.send_commit(&mut record).await {
						worker.background_error(task_id, error);
					}
				}
				Ok(None) => {}
				Err(error) => worker.background_error(task_id, error),
			}
		});
	}

	fn background_error(&self, task: TaskId, error: WorkerError) {
		match error {
			WorkerError::Chain(error) => {
				self.metrics.fail("chain");
				warn!(task, %error, "task step failed; retrying next block");
			}
			WorkerError::Store(error) => {
				error!(task, %error, "state database failure: stopping at the next block");
				if let Ok(mut failure) = self.failure.lock() {
					failure.get_or_insert(error);
				}
			}
		}
	}

	/// Fetches (in a fetch slot) and computes (in a computation slot) the task off the async
	/// runtime, and stores the record before anything is sent; `None` while its input is being
	/// retried (`next` decided at finalized block `number`, retrying until `give_up`).
	async fn compute_and_record(
		&self,
		task_id: TaskId,
		task: &Task,
		next: Next,
		number: u32,
		give_up: u32,
	) -> Result<Option<TaskRecord>, WorkerError> {
		let job = Job {
			task: task_id,
			module: task_module(task),
			model: ModelId::from(task.spec.model.0),
			input_hash: task.spec.input_hash.0,
			input_uri: task.spec.input_uri.0.clone(),
		};
		let started = Instant::now();
		let outcome = match next {
			Next::Wait => return Ok(None),
			Next::GiveUp { attempts, last_error } => give_up_outcome(attempts, &last_error),
			Next::Attempt => match self.attempt(&job).await? {
				Ok(outcome) => outcome,
				Err(error) => {
					match self.fetch_failed(task_id, &error, &job.input_uri, number, give_up) {
						Some(outcome) => outcome,
						None => return Ok(None),
					}
				}
			},
		};
		if let Ok(mut retries) = self.retries.lock() {
			retries.forget(task_id);
		}
		if let Some(inference) = outcome.inference {
			self.metrics.inference_seconds.observe(inference.as_secs_f64());
		}
		let label = match outcome.fault {
			Some(fault) => {
				debug!(task = task_id, ?fault, detail = %outcome.detail, "input fault (with its URI)");
				warn!(task = task_id, ?fault, detail = %scrub_uri(&outcome.detail, &job.input_uri), "input fault: revealing it");
				format!("{fault:?}")
			}
			None => {
				info!(task = task_id, detail = %outcome.detail, elapsed_ms = started.elapsed().as_millis() as u64, "computed");
				"diagnosed".to_string()
			}
		};
		self.metrics
			.tasks
			.get_or_create(&crate::telemetry::OutcomeLabel { outcome: label.clone() })
			.inc();
		let salt = fresh_salt();
		let commitment = commitment(
			task_id,
			&job.model,
			&job.input_hash.into(),
			&self.chain.node().0,
			&outcome.diagnosis,
			&salt,
		);
		let record = TaskRecord {
			task: task_id,
			diagnosis: outcome.diagnosis,
			salt,
			commitment: commitment.0,
			stage: Stage::Computed,
		};
		self.store.put(&record)?;
		self.set_status(|status| {
			status.tasks.insert(
				task_id,
				TaskView { task: task_id, stage: "Computed".into(), outcome: label },
			);
		});
		Ok(Some(record))
	}

	/// One attempt at `job`: the fetch in a fetch slot, then the computation in a computation
	/// slot (the fetch slot kept until then, so inputs waiting for a computation are bounded
	/// too). `Ok(Err(_))`: the fetch failed and may be retried; a panic while fetching counts
	/// as such a failure (bounded by the give-up block like any other).
	async fn attempt(
		&self,
		job: &Job,
	) -> Result<Result<Outcome, crate::fetch::FetchError>, WorkerError> {
		let limits = &self.background.limits;
		let Ok(fetch_slot) = limits.fetches.clone().acquire_owned().await else {
			return Err(ChainError("the fetch slots closed".into()).into());
		};
		debug!(task = job.task, module = ?job.module, uri = %String::from_utf8_lossy(&job.input_uri), "fetching");
		let fetched = tokio::task::spawn_blocking({
			let (job, shelf, settings) = (job.clone(), self.shelf.clone(), self.settings.clone());
			move || fetch_input(&job, &shelf, &settings)
		})
		.await;
		let bytes = match fetched {
			Ok(Ok(Fetched::Answered(outcome))) => return Ok(Ok(outcome)),
			Ok(Ok(Fetched::Input(bytes))) => bytes,
			Ok(Err(error)) => return Ok(Err(error)),
			Err(panic) => {
				return Ok(Err(crate::fetch::FetchError::Panicked(panic.to_string())));
			}
		};
		let Ok(compute_slot) = limits.computations.clone().acquire_owned().await else {
			return Err(ChainError("the computation slots closed".into()).into());
		};
		drop(fetch_slot);
		info!(task = job.task, module = ?job.module, "computing");
		// The marker is cleared in the blocking task itself, so a computation that outlives
		// this future (shutdown) still clears it when it returns.
		let computed = tokio::task::spawn_blocking({
			let (job, shelf, settings) = (job.clone(), self.shelf.clone(), self.settings.clone());
			let store = self.store.clone();
			move || {
				let outcome = diagnose_marked(&job, bytes, &shelf, &settings, &store);
				drop(compute_slot);
				outcome
			}
		})
		.await;
		match computed {
			Ok(outcome) => Ok(Ok(outcome?)),
			// `diagnose_marked` answers a panic in the model itself; this is one outside it
			// (the store): the marker stays, and the next start answers the task.
			Err(panic) => {
				Err(ChainError(format!("the computation of task {} panicked: {panic}", job.task))
					.into())
			}
		}
	}

	/// Records a failed fetch of `task_id` at block `number`: the outcome to reveal if the
	/// give-up block is reached, else `None` (the next attempt waits the chain's pause).
	fn fetch_failed(
		&self,
		task_id: TaskId,
		error: &crate::fetch::FetchError,
		uri: &[u8],
		number: u32,
		give_up: u32,
	) -> Option<Outcome> {
		self.metrics.fail("fetch");
		let Ok(mut retries) = self.retries.lock() else {
			return Some(give_up_outcome(1, &error.to_string()));
		};
		let pause =
			retries.failed(task_id, error.to_string(), &self.settings.input, Instant::now());
		match retries.next(task_id, number, give_up, Instant::now()) {
			Next::GiveUp { attempts, last_error } => Some(give_up_outcome(attempts, &last_error)),
			_ => {
				debug!(task = task_id, %error, "input not fetched (with its URI)");
				warn!(task = task_id, error = %scrub_uri(&error.to_string(), uri), retry_in_ms = pause.as_millis() as u64, give_up_block = give_up, "input not fetched; retrying");
				None
			}
		}
	}

	/// The task left our assignments: log how it ended and forget it.
	async fn conclude(&self, record: TaskRecord) -> Result<(), WorkerError> {
		match self.chain.task_status(record.task).await {
			Ok(status) => log_verdict(record.task, &record.diagnosis, &status, &self.settings),
			Err(error) => warn!(task = record.task, %error, "cannot read the verdict"),
		}
		self.store.remove(record.task)?;
		self.set_status(|status| {
			status.tasks.remove(&record.task);
		});
		Ok(())
	}

	fn remember_heartbeat(&self, epoch: u32) {
		if let Ok(mut known) = self.heartbeat_epoch.lock() {
			*known = Some(epoch);
		}
	}

	fn set_stage(&self, record: &mut TaskRecord, stage: Stage) -> Result<(), StoreError> {
		if record.stage == stage {
			return Ok(());
		}
		record.stage = stage;
		self.store.put(record)?;
		let task = record.task;
		self.set_status(|status| {
			if let Some(view) = status.tasks.get_mut(&task) {
				view.stage = format!("{stage:?}");
			} else {
				status.tasks.insert(
					task,
					TaskView { task, stage: format!("{stage:?}"), outcome: "recovered".into() },
				);
			}
		});
		Ok(())
	}

	fn set_status(&self, change: impl FnOnce(&mut crate::telemetry::Status)) {
		if let Ok(mut status) = self.status.write() {
			change(&mut status);
		}
	}
}

/// What a node reveals for an input it could not fetch by the give-up block.
fn give_up_outcome(attempts: u32, last_error: &str) -> Outcome {
	Outcome::fault(
		InputFault::InputUnreachable,
		format!("not fetched in {attempts} attempts; the last: {last_error}"),
	)
}

fn log_verdict(task: TaskId, ours: &Diagnosis, status: &TaskStatus, settings: &ComputeSettings) {
	let reports = settings.reports.as_ref().map(|reports| report_dir(reports, task));
	match status {
		TaskStatus::Verified { confidence, overturned } => {
			info!(task, confidence = ?confidence, overturned, reports = ?reports, "verified")
		}
		TaskStatus::Rejected { fault, overturned } => {
			info!(task, fault = ?fault.0, overturned, "input rejected by the quorum")
		}
		TaskStatus::Failed { reason } => warn!(task, reason = ?reason, "task failed"),
		other => debug!(task, status = ?other, findings = ?ours.findings, "left our assignments"),
	}
}

/// Shared, lock-protected status (re-exported for main).
pub fn new_status(node: String, models: Vec<(ModelId, String)>, dishonest: bool) -> SharedStatus {
	let mut status = crate::telemetry::Status { node, dishonest, ..Default::default() };
	for (id, name) in models {
		status.models.insert(format!("{id:?}"), name);
	}
	Arc::new(RwLock::new(status))
}

/// How long to wait before reconnecting after the chain connection failed.
pub const RECONNECT_DELAY: Duration = Duration::from_secs(3);
