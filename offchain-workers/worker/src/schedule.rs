//! What the worker does in the background, and how much of it at once.
//!
//! The block loop ([`crate::worker`]) only reads the chain and starts work; every fetch,
//! computation and transaction runs in a task of its own, so a slow input or a transaction
//! waiting for finality never delays another task's commit or reveal:
//!
//! - **fetches** run up to [`Limits::fetches`] at once (each holds at most the chain's
//!   `max_input_bytes` in memory, and an input waiting for a computation slot keeps its fetch
//!   slot, so waiting inputs are bounded too);
//! - **computations** (decode, quality, model) run up to [`Limits::computations`] at once:
//!   by default as many as the machine has cores and memory for the largest accepted image
//!   ([`btt_diagnostics::memory::largest_task_bytes`]);
//! - tasks waiting for a slot start in order of their commit deadline, earliest first
//!   ([`by_deadline`]), so an Emergency task overtakes a queue of Routine ones;
//! - a [`Duty`] (one task's computation, its commit, its reveal, the epoch's heartbeat) runs
//!   once at a time: [`Running::claim`] refuses a second while the first runs, across chain
//!   reconnections too (the [`Background`] outlives a connection).

use std::{
	collections::BTreeSet,
	sync::{Arc, Mutex},
};

use btt_primitives::depin::TaskId;
use tokio::sync::Semaphore;

/// Work that runs once at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
	/// Fetching and computing a task's input.
	Compute(TaskId),
	/// Sending a task's commitment and watching it until it is final.
	Commit(TaskId),
	/// Sending a task's reveal and watching it until it is final.
	Reveal(TaskId),
	/// Sending the epoch's heartbeat and watching it.
	Heartbeat,
}

/// The duties running now.
#[derive(Debug, Default)]
pub struct Running {
	duties: Mutex<BTreeSet<Duty>>,
}

impl Running {
	/// Claims `duty`: `None` if it runs already. The claim ends when the returned guard drops.
	pub fn claim(self: &Arc<Self>, duty: Duty) -> Option<Claim> {
		let mut duties = self.duties.lock().ok()?;
		duties.insert(duty).then(|| Claim { running: self.clone(), duty })
	}

	/// Whether `duty` runs now.
	pub fn is_running(&self, duty: Duty) -> bool {
		self.duties.lock().map(|duties| duties.contains(&duty)).unwrap_or(true)
	}
}

/// A running duty; dropping it ends the claim.
#[derive(Debug)]
pub struct Claim {
	running: Arc<Running>,
	duty: Duty,
}

impl Claim {
	/// The duty claimed.
	pub fn duty(&self) -> Duty {
		self.duty
	}
}

impl Drop for Claim {
	fn drop(&mut self) {
		if let Ok(mut duties) = self.running.duties.lock() {
			duties.remove(&self.duty);
		}
	}
}

/// How many fetches and computations may run at once.
#[derive(Clone, Debug)]
pub struct Limits {
	/// Fetch slots.
	pub fetches: Arc<Semaphore>,
	/// Computation slots.
	pub computations: Arc<Semaphore>,
	/// The number of fetch slots.
	pub fetch_slots: usize,
	/// The number of computation slots.
	pub computation_slots: usize,
}

impl Limits {
	/// `fetch_slots` and `computation_slots`, each at least 1.
	pub fn new(fetch_slots: usize, computation_slots: usize) -> Self {
		let (fetch_slots, computation_slots) = (fetch_slots.max(1), computation_slots.max(1));
		Self {
			fetches: Arc::new(Semaphore::new(fetch_slots)),
			computations: Arc::new(Semaphore::new(computation_slots)),
			fetch_slots,
			computation_slots,
		}
	}
}

/// What survives a chain reconnection: the running duties and the slots they hold.
#[derive(Debug)]
pub struct Background {
	/// The duties running now.
	pub running: Arc<Running>,
	/// The slots.
	pub limits: Limits,
}

/// The default number of computation slots: one per core, no more than `available_memory`
/// holds tasks of `task_bytes` each (the bound of the largest accepted image and input), and
/// at least one. `available_memory` unknown: the cores decide.
pub fn default_computations(cores: usize, available_memory: Option<u64>, task_bytes: u64) -> usize {
	let by_memory = match available_memory {
		Some(bytes) => usize::try_from(bytes / task_bytes.max(1)).unwrap_or(usize::MAX),
		None => usize::MAX,
	};
	cores.min(by_memory).max(1)
}

/// The default number of fetch slots: fetches mostly wait on the network, so more than the
/// computations, and bounded because each may hold `max_input_bytes`.
pub const DEFAULT_FETCHES: usize = 8;

/// `MemAvailable` of `/proc/meminfo`, in bytes (Linux); `None` elsewhere.
pub fn available_memory() -> Option<u64> {
	let text = std::fs::read_to_string("/proc/meminfo").ok()?;
	let line = text.lines().find(|line| line.starts_with("MemAvailable:"))?;
	let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
	kib.checked_mul(1024)
}

/// A task waiting to be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate<T> {
	/// The task.
	pub task: TaskId,
	/// The block its commit phase ends at.
	pub deadline: u32,
	/// What the computation needs.
	pub job: T,
}

/// Sorts waiting tasks by commit deadline, the earliest first, then by task id (the order in
/// which the chain assigned them).
pub fn by_deadline<T>(candidates: &mut [Candidate<T>]) {
	candidates.sort_by_key(|candidate| (candidate.deadline, candidate.task));
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_duty_runs_once_at_a_time_and_its_claim_ends_when_dropped() {
		let running = Arc::new(Running::default());
		let claim = running.claim(Duty::Commit(7)).expect("free");
		assert!(running.claim(Duty::Commit(7)).is_none(), "a second commit of task 7");
		assert!(running.is_running(Duty::Commit(7)));
		// Other duties of the same task and the same duty of other tasks are independent.
		let reveal = running.claim(Duty::Reveal(7)).expect("the reveal is another duty");
		let other = running.claim(Duty::Commit(8)).expect("another task");
		let compute = running.claim(Duty::Compute(9)).expect("a computation");
		drop(claim);
		assert!(!running.is_running(Duty::Commit(7)));
		assert!(running.claim(Duty::Commit(7)).is_some(), "claimable again once dropped");
		drop((reveal, other, compute));
		assert!(!running.is_running(Duty::Compute(9)));
	}

	#[test]
	fn an_emergency_overtakes_routine_tasks_waiting_for_a_slot() {
		// Routine tasks 1–3 (deadlines 200+), then an Emergency task 4 with the earliest
		// deadline, and two tasks with the same deadline in task order.
		let mut waiting: Vec<Candidate<()>> =
			[(1, 205), (2, 201), (3, 203), (4, 30), (6, 90), (5, 90)]
				.into_iter()
				.map(|(task, deadline)| Candidate { task, deadline, job: () })
				.collect();
		by_deadline(&mut waiting);
		let order: Vec<TaskId> = waiting.iter().map(|candidate| candidate.task).collect();
		assert_eq!(order, [4, 5, 6, 2, 3, 1]);
	}

	#[test]
	fn computations_are_bounded_by_cores_and_by_memory() {
		const GIB: u64 = 1 << 30;
		let task = 800 << 20;
		assert_eq!(default_computations(8, Some(24 * GIB), task), 8, "cores decide");
		assert_eq!(default_computations(8, Some(2 * GIB), task), 2, "memory decides");
		assert_eq!(default_computations(8, Some(GIB / 2), task), 1, "at least one");
		assert_eq!(default_computations(2, None, task), 2, "unknown memory");
		assert_eq!(default_computations(0, None, task), 1);
	}

	#[test]
	fn slots_are_at_least_one() {
		let limits = Limits::new(0, 0);
		assert_eq!((limits.fetch_slots, limits.computation_slots), (1, 1));
		assert_eq!(limits.computations.available_permits(), 1);
	}

	#[tokio::test]
	async fn a_third_computation_waits_until_a_slot_is_free() {
		let limits = Limits::new(8, 2);
		let first = limits.computations.clone().acquire_owned().await.expect("open");
		let _second = limits.computations.clone().acquire_owned().await.expect("open");
		assert!(limits.computations.clone().try_acquire_owned().is_err(), "both slots taken");
		drop(first);
		assert!(limits.computations.clone().try_acquire_owned().is_ok(), "a slot came free");
	}
}
