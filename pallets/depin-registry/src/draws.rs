//! Randomness and spot-check draws.
//!
//! The runtime gives the pallet the relay chain's VRF output of each block's relay parent
//! ([`Pallet::note_randomness`]). A verified task's spot check is drawn only from randomness
//! whose source is at least `RandomnessDelay` blocks newer than the newest one known when its
//! reveal phase closed: nobody who could still reveal, or choose the block of the last reveal,
//! knew it. Without such randomness the draw waits; it never falls back to a value known in
//! advance. Draws are taken in order from [`DrawQueue`] by `on_initialize`, within its weight
//! budget, and the drawn spot check is assigned to nodes of operators that took no part in the
//! task.

use crate::{pallet::*, weights::WeightInfo, PendingDrawOf, RandomSeed, Review, Task, TaskResult};
use alloc::vec::Vec;
use btt_primitives::depin::TaskId;
use codec::Encode;
use frame_support::{pallet_prelude::*, weights::WeightMeter};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{SaturatedConversion, Zero},
	Perbill,
};

/// Why a drawn spot check did not start.
enum NotStarted {
	/// No block near its deadline has room: try again next block.
	Congested,
	/// Too few nodes of other operators: it is skipped.
	NoNodes,
}

impl<T: Config> Pallet<T> {
	/// Notes randomness produced by block `source` (in the runtime: the relay chain's VRF
	/// output of the relay parent, read from the relay state proof each block). Only newer
	/// sources replace the stored one.
	pub fn note_randomness(source: u32, value: H256) {
		FreshRandomness::<T>::mutate(|seed| {
			if seed.is_none_or(|seed| source > seed.source) {
				*seed = Some(RandomSeed { source, value });
			}
		});
	}

	/// On a development chain (no relay chain), notes the parent block's hash as randomness.
	pub(crate) fn note_dev_randomness(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let db = T::DbWeight::get();
		if meter.try_consume(db.reads(1)).is_err() || !DevRandomness::<T>::get() {
			return;
		}
		if meter.try_consume(db.reads_writes(1, 1)).is_ok() {
			let parent = frame_system::Pallet::<T>::parent_hash();
			Self::note_randomness(
				now.saturated_into(),
				H256(sp_io::hashing::blake2_256(parent.as_ref())),
			);
		}
	}

	/// The most one draw can cost: starting a spot check over the largest routing table.
	pub(crate) fn draw_weight() -> Weight {
		T::WeightInfo::draw_spot_check(T::MaxNodes::get())
	}

	/// Takes draws from the front of the queue while their randomness has arrived and the
	/// meter allows the costliest draw.
	pub(crate) fn process_draws(meter: &mut WeightMeter) {
		let db = T::DbWeight::get();
		if meter.try_consume(db.reads(2)).is_err() {
			return;
		}
		let Some(seed) = FreshRandomness::<T>::get() else { return };
		let (start, tail) = DrawQueueBounds::<T>::get();
		let mut head = start;
		while head < tail && meter.can_consume(Self::draw_weight()) {
			meter.consume(Self::draw_weight());
			let Some(draw) = DrawQueue::<T>::get(head) else {
				head = head.saturating_add(1);
				continue;
			};
			if seed.source < draw.source_from {
				break;
			}
			if Self::spot_check_drawn(draw.task, seed.value) {
				match Self::start_spot_check(&draw) {
					Ok(spot) => Self::deposit_event(Event::SpotCheckStarted {
						task: draw.task,
						spot_check: spot,
					}),
					Err(NotStarted::Congested) => break,
					Err(NotStarted::NoNodes) => {
						Self::settle_review(draw.task);
						Self::deposit_event(Event::SpotCheckSkipped { task: draw.task });
					},
				}
			} else {
				Self::settle_review(draw.task);
				Self::deposit_event(Event::SpotCheckNotDrawn { task: draw.task });
			}
			DrawQueue::<T>::remove(head);
			head = head.saturating_add(1);
		}
		if head != start {
			DrawQueueBounds::<T>::put((head, tail));
		}
	}

	/// Whether a verified task is drawn for a spot check, with probability `SpotCheckRate`:
	/// 128 random bits reduced modulo 10⁹ (a bias below 10⁻²⁹).
	pub(crate) fn spot_check_drawn(task: TaskId, randomness: H256) -> bool {
		let digest = sp_io::hashing::blake2_256(&(b"btt/depin/spot", randomness, task).encode());
		let mut bytes = [0u8; 16];
		bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0u8; 16]));
		let draw = u128::from_le_bytes(bytes) % 1_000_000_000;
		Perbill::from_parts(draw as u32) < T::SpotCheckRate::get()
	}

	/// Re-executes a verified task on nodes of operators that took no part in it, at no fee.
	fn start_spot_check(draw: &PendingDrawOf<T>) -> Result<TaskId, NotStarted> {
		let record = Results::<T>::get(draw.task).ok_or(NotStarted::NoNodes)?;
		if !matches!(record.outcome, TaskResult::Verified { review: Review::AwaitingDraw, .. }) {
			return Err(NotStarted::NoNodes);
		}
		let id = NextTaskId::<T>::get();
		let next_id = id.checked_add(1).ok_or(NotStarted::NoNodes)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut spec = draw.spec.clone();
		// Nobody's seal: a spot check is the pallet's own task.
		spec.reference = H256::zero();
		let mut spot = Task {
			clinic: Self::escrow_account(),
			spec,
			currency: T::NativeCurrency::get(),
			fee: Zero::zero(),
			deposit: Zero::zero(),
			posted_at: now,
			attempt: 1,
			round: crate::Round { assigned_at: now, commit_until: now, reveal_until: now },
			assignees: Default::default(),
			spot_check_of: Some(draw.task),
		};
		let operators: Vec<T::AccountId> =
			record.reveals.iter().map(|reveal| reveal.operator.clone()).collect();
		let k = record.reveals.len() as u32;
		let mut routing = Routing::<T>::get();
		let plan =
			Self::plan_round(id, &spot, k, &operators, &routing).map_err(|error| match error {
				Error::<T>::DeadlineQueueFull => NotStarted::Congested,
				_ => NotStarted::NoNodes,
			})?;
		Self::open_round(id, &mut spot, plan, &mut routing);
		Tasks::<T>::insert(id, spot);
		Routing::<T>::put(routing);
		NextTaskId::<T>::put(next_id);
		Results::<T>::mutate(draw.task, |record| {
			if let Some(crate::Concluded { outcome: TaskResult::Verified { review, .. }, .. }) =
				record
			{
				*review = Review::SpotCheck(id);
			}
		});
		Ok(id)
	}
}
