//! Putting a pallet's task into pallet-scheduler's agenda when the due block may be full: the
//! one rule the tokenization pallet's revenue schedules and PayFi's plans share.

use sp_runtime::{
	traits::{One, Saturating},
	DispatchError,
};

/// How many later blocks a task tries when the agenda of its due block is full.
pub const RESCHEDULE_ATTEMPTS: u32 = 3;

/// Calls `schedule(at)` for `when`, and, with `retry`, for each of the next
/// [`RESCHEDULE_ATTEMPTS`] blocks while the scheduler answers that the block's agenda is full
/// (`DispatchError::Exhausted`); returns the block the task landed in.
///
/// Any other error is returned at once; a full agenda in every block tried is returned as
/// `Exhausted`, which the caller reports as its own error (`AgendaFull`).
pub fn schedule_in_first_free_block<BlockNumber: Copy + Saturating + One>(
	when: BlockNumber,
	retry: bool,
	mut schedule: impl FnMut(BlockNumber) -> Result<(), DispatchError>,
) -> Result<BlockNumber, DispatchError> {
	let attempts = if retry { RESCHEDULE_ATTEMPTS.saturating_add(1) } else { 1 };
	let mut at = when;
	for _ in 0..attempts {
		match schedule(at) {
			Ok(()) => return Ok(at),
			Err(DispatchError::Exhausted) => at = at.saturating_add(One::one()),
			Err(error) => return Err(error),
		}
	}
	Err(DispatchError::Exhausted)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// An agenda whose blocks before `free` are full.
	fn agenda(
		free: u32,
		calls: &mut alloc::vec::Vec<u32>,
	) -> impl FnMut(u32) -> Result<(), DispatchError> + '_ {
		move |at| {
			calls.push(at);
			if at < free {
				Err(DispatchError::Exhausted)
			} else {
				Ok(())
			}
		}
	}

	#[test]
	fn a_full_block_moves_the_task_on_only_when_retrying_and_only_so_far() {
		let mut calls = alloc::vec::Vec::new();
		assert_eq!(schedule_in_first_free_block(10, true, agenda(12, &mut calls)), Ok(12));
		assert_eq!(calls, [10, 11, 12]);
		calls.clear();
		assert_eq!(
			schedule_in_first_free_block(10, false, agenda(12, &mut calls)),
			Err(DispatchError::Exhausted)
		);
		assert_eq!(calls, [10]);
		calls.clear();
		assert_eq!(
			schedule_in_first_free_block(10, true, agenda(20, &mut calls)),
			Err(DispatchError::Exhausted)
		);
		assert_eq!(calls, [10, 11, 12, 13], "the due block and three more");
		let other = schedule_in_first_free_block(10, true, |_| Err(DispatchError::BadOrigin));
		assert_eq!(other, Err(DispatchError::BadOrigin), "other errors are not retried");
	}
}
