//! When to try a task's fetch again: the chain's back-off (`InputPolicy::retry_pause_ms`)
//! until `give_up_blocks_before_deadline` blocks before the task's commit deadline, then
//! `InputUnreachable`.
//!
//! The worker's loop asks once per finalized block ([`Retries::next`]) and makes at most one
//! attempt per task per block, so a failing input costs the loop one attempt (bounded by the
//! chain's `attempt_timeout_ms`), never the whole commit phase, and the other tasks' commits
//! and reveals go on in between. The failures are kept in memory: after a restart a task's
//! retries start over, still bounded by its deadline.

use std::{
	collections::{BTreeMap, BTreeSet},
	time::{Duration, Instant},
};

use btt_primitives::depin::{InputPolicy, TaskId};

/// The block from which a node stops retrying: the commit deadline less the chain's
/// `give_up_blocks_before_deadline` (time to submit the commitment).
pub fn give_up_block(commit_deadline: u32, policy: &InputPolicy) -> u32 {
	commit_deadline.saturating_sub(policy.give_up_blocks_before_deadline)
}

/// What to do about a task whose input is not fetched yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
	/// Make an attempt now.
	Attempt,
	/// The pause after the last failure is not over: ask again at a later block.
	Wait,
	/// The give-up block is reached and the input could not be fetched: reveal
	/// `InputUnreachable`.
	GiveUp {
		/// Attempts made.
		attempts: u32,
		/// Why the last one failed.
		last_error: String,
	},
}

/// The failed fetch attempts of the tasks whose input is not fetched yet.
#[derive(Debug, Default)]
pub struct Retries {
	tasks: BTreeMap<TaskId, Failures>,
}

/// One task's failed attempts.
#[derive(Debug)]
struct Failures {
	/// How many.
	count: u32,
	/// When the next may start.
	next_attempt: Instant,
	/// Why the last failed.
	last_error: String,
}

impl Retries {
	/// What to do for `task` at finalized block `block`; `give_up` is its [`give_up_block`].
	/// The first attempt is always made, even past the give-up block (a task assigned late,
	/// a worker restarted late): only failed attempts are given up on.
	pub fn next(&self, task: TaskId, block: u32, give_up: u32, now: Instant) -> Next {
		match self.tasks.get(&task) {
			None => Next::Attempt,
			Some(failures) if block >= give_up => {
				Next::GiveUp { attempts: failures.count, last_error: failures.last_error.clone() }
			}
			Some(failures) if now < failures.next_attempt => Next::Wait,
			Some(_) => Next::Attempt,
		}
	}

	/// Records a failed attempt of `task` at `now`; returns the pause before the next one.
	pub fn failed(
		&mut self,
		task: TaskId,
		error: String,
		policy: &InputPolicy,
		now: Instant,
	) -> Duration {
		let failures = self.tasks.entry(task).or_insert(Failures {
			count: 0,
			next_attempt: now,
			last_error: String::new(),
		});
		failures.count = failures.count.saturating_add(1);
		let pause = Duration::from_millis(u64::from(policy.retry_pause_ms(failures.count)));
		failures.next_attempt = now + pause;
		failures.last_error = error;
		pause
	}

	/// Forgets `task` (its input was fetched, or it was given up on).
	pub fn forget(&mut self, task: TaskId) {
		self.tasks.remove(&task);
	}

	/// Forgets every task not in `open`.
	pub fn retain(&mut self, open: &BTreeSet<TaskId>) {
		self.tasks.retain(|task, _| open.contains(task));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const POLICY: InputPolicy = InputPolicy {
		max_input_bytes: 1 << 20,
		attempt_timeout_ms: 1_000,
		first_retry_pause_ms: 1_000,
		max_retry_pause_ms: 8_000,
		give_up_blocks_before_deadline: 3,
	};

	#[test]
	fn a_failed_fetch_waits_the_chains_backoff_before_the_next_attempt() {
		let mut retries = Retries::default();
		let start = Instant::now();
		let mut now = start;
		for (failure, seconds) in [1, 2, 4, 8, 8, 8].into_iter().enumerate() {
			assert_eq!(retries.next(7, 10, 97, now), Next::Attempt, "attempt {failure}");
			let pause = retries.failed(7, "connection refused".into(), &POLICY, now);
			assert_eq!(pause, Duration::from_secs(seconds));
			let almost = now + pause - Duration::from_millis(1);
			assert_eq!(retries.next(7, 10, 97, almost), Next::Wait);
			now += pause;
		}
		// Another task is not held back by this one's failures.
		assert_eq!(retries.next(8, 10, 97, start), Next::Attempt);
	}

	#[test]
	fn retrying_stops_give_up_blocks_before_the_commit_deadline() {
		let give_up = give_up_block(100, &POLICY);
		assert_eq!(give_up, 97);
		let mut retries = Retries::default();
		let now = Instant::now();
		retries.failed(7, "HTTP status 503".into(), &POLICY, now);
		retries.failed(7, "timed out".into(), &POLICY, now);
		let later = now + Duration::from_secs(60);
		assert_eq!(retries.next(7, 96, give_up, later), Next::Attempt);
		assert_eq!(
			retries.next(7, 97, give_up, later),
			Next::GiveUp { attempts: 2, last_error: "timed out".into() }
		);
		// Even while a pause runs: the deadline decides.
		assert!(matches!(retries.next(7, 97, give_up, now), Next::GiveUp { .. }));
	}

	#[test]
	fn the_first_attempt_is_made_even_past_the_give_up_block() {
		let mut retries = Retries::default();
		let now = Instant::now();
		assert_eq!(retries.next(7, 99, 97, now), Next::Attempt);
		retries.failed(7, "refused".into(), &POLICY, now);
		assert!(matches!(retries.next(7, 99, 97, now), Next::GiveUp { attempts: 1, .. }));
		// A deadline closer than the margin gives up at once after one failure.
		assert_eq!(give_up_block(2, &POLICY), 0);
	}

	#[test]
	fn concluded_and_fetched_tasks_are_forgotten() {
		let mut retries = Retries::default();
		let now = Instant::now();
		retries.failed(7, "refused".into(), &POLICY, now);
		retries.failed(8, "refused".into(), &POLICY, now);
		retries.retain(&BTreeSet::from([8]));
		assert_eq!(retries.next(7, 10, 97, now), Next::Attempt);
		assert_eq!(retries.next(8, 10, 97, now), Next::Wait);
		retries.forget(8);
		assert_eq!(retries.next(8, 10, 97, now), Next::Attempt);
	}
}
