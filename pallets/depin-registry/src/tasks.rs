//! Tasks: posting with the fee in escrow, assignment rounds, commit and reveal, and the
//! deadlines that end each phase.

use crate::{
	pallet::*, weights::WeightInfo, routing::Requirements, BalanceOf, CurrencyOf, ModelStatus, RoutingTableOf, Task,
	TaskOf, TaskPhase, TaskSpec, UrgencyPolicy,
};
use alloc::vec::Vec;
use btt_primitives::depin::{self, Diagnosis, TaskId, Urgency};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{AccountIdConversion, CheckedAdd, Saturating, Zero};

/// How many blocks after its due block a deadline may be queued when that block's queue is
/// full.
pub(crate) const DEADLINE_SPILL: u32 = 8;

impl<T: Config> Pallet<T> {
	/// The account that holds task fees in escrow.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// k and the deadlines of an urgency class.
	pub fn policy(urgency: Urgency) -> UrgencyPolicy<BlockNumberFor<T>> {
		match urgency {
			Urgency::Routine => T::RoutinePolicy::get(),
			Urgency::Priority => T::PriorityPolicy::get(),
			Urgency::Emergency => T::EmergencyPolicy::get(),
		}
	}

	/// Posts a task to as many nodes as its urgency asks; returns the routing table's size (the
	/// weight's component).
	pub(crate) fn do_post_task(
		clinic: T::AccountId,
		spec: TaskSpec<T::MaxUriLength>,
		currency: CurrencyOf<T>,
		fee: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let k = Self::policy(spec.urgency).assignees;
		Self::post_task_to(clinic, spec, currency, fee, k)
	}

	/// Posts a task to `k` nodes; returns the routing table's size.
	pub(crate) fn post_task_to(
		clinic: T::AccountId,
		spec: TaskSpec<T::MaxUriLength>,
		currency: CurrencyOf<T>,
		fee: BalanceOf<T>,
		k: u32,
	) -> Result<u32, DispatchError> {
		ensure!(!spec.input_uri.is_empty(), Error::<T>::EmptyInputUri);
		let model = Models::<T>::get(spec.model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(model.status == ModelStatus::Active, Error::<T>::ModelRetired);
		ensure!(model.module == spec.module, Error::<T>::ModelModuleMismatch);
		let least_fee = T::Currencies::minimum_balance(currency.clone()).saturating_mul(k.into());
		ensure!(!fee.is_zero() && fee >= least_fee, Error::<T>::FeeTooLow);

		let id = NextTaskId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let escrowed = EscrowedFees::<T>::get(&currency).checked_add(&fee).ok_or(Error::<T>::Overflow)?;
		let escrow = Self::escrow_account();
		if !frame_system::Pallet::<T>::account_exists(&escrow) {
			// The escrow account exists for good, so that it can hold assets that are not
			// sufficient on their own and is never reaped between tasks.
			frame_system::Pallet::<T>::inc_providers(&escrow);
		}
		T::Currencies::transfer(currency.clone(), &clinic, &escrow, fee, Preservation::Preserve)
			.map_err(|_| Error::<T>::CannotPayFee)?;

		let (module, urgency) = (spec.module, spec.urgency);
		let mut task = Task {
			clinic: clinic.clone(),
			spec,
			currency: currency.clone(),
			fee,
			posted_at: frame_system::Pallet::<T>::block_number(),
			attempt: 1,
			phase: TaskPhase::Commit { deadline: Zero::zero() },
			assignees: Default::default(),
			spot_check_of: None,
		};
		let mut routing = Routing::<T>::get();
		let nodes = routing.len() as u32;
		Self::open_round(id, &mut task, k, &[], &mut routing)?;

		Tasks::<T>::insert(id, task);
		Routing::<T>::put(routing);
		NextTaskId::<T>::put(next_id);
		EscrowedFees::<T>::insert(&currency, escrowed);
		Self::deposit_event(Event::TaskPosted {
			task: id,
			clinic,
			module,
			urgency,
			currency,
			fee,
		});
		Ok(nodes)
	}

	/// Assigns the task to `k` fresh nodes (none of `exclude`) and opens its commit phase.
	///
	/// Fails before writing anything if there are not enough eligible nodes or deadline slots.
	pub(crate) fn open_round(
		id: TaskId,
		task: &mut TaskOf<T>,
		k: u32,
		exclude: &[T::AccountId],
		routing: &mut RoutingTableOf<T>,
	) -> Result<(), Error<T>> {
		let policy = Self::policy(task.spec.urgency);
		let requirements = Requirements {
			module: task.spec.module,
			min_tier: task.spec.min_tier,
			region: task.spec.region,
			assignees: k,
			exclude,
		};
		let seed = Self::routing_seed(id, task.attempt);
		let assignees = Self::select_assignees(routing, &requirements, seed, Self::current_epoch())?;
		let now = frame_system::Pallet::<T>::block_number();
		let deadline = Self::schedule_deadline(now.saturating_add(policy.commit_blocks), id)?;

		for assignee in assignees.iter() {
			Self::add_assignment(&assignee.node, id, routing);
		}
		let nodes = assignees.iter().map(|assignee| assignee.node.clone()).collect::<Vec<_>>();
		task.assignees = assignees;
		task.phase = TaskPhase::Commit { deadline };
		Self::deposit_event(Event::TaskAssigned {
			task: id,
			attempt: task.attempt,
			assignees: BoundedVec::truncate_from(nodes),
			commit_deadline: deadline,
		});
		Ok(())
	}

	/// Queues `task` to be processed at `due`, or up to [`DEADLINE_SPILL`] blocks later if that
	/// block is full; returns the block.
	pub(crate) fn schedule_deadline(
		due: BlockNumberFor<T>,
		task: TaskId,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let mut at = due;
		for _ in 0..DEADLINE_SPILL {
			if Deadlines::<T>::try_mutate(at, |queue| queue.try_push(task)).is_ok() {
				return Ok(at);
			}
			at = at.saturating_add(1u32.into());
		}
		Err(Error::<T>::DeadlineQueueFull)
	}

	/// Removes `task` from the queue of block `at`.
	fn unschedule_deadline(at: BlockNumberFor<T>, task: TaskId) {
		Deadlines::<T>::mutate_exists(at, |queue| {
			if let Some(entries) = queue {
				entries.retain(|entry| *entry != task);
				if entries.is_empty() {
					*queue = None;
				}
			}
		});
	}

	/// Records an assignee's commitment; returns k. The last commitment opens the reveal phase.
	pub(crate) fn do_commit(node: T::AccountId, id: TaskId, commitment: H256) -> Result<u32, DispatchError> {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let now = frame_system::Pallet::<T>::block_number();
		let TaskPhase::Commit { deadline } = task.phase else {
			return Err(Error::<T>::CommitPhaseOver.into());
		};
		ensure!(now < deadline, Error::<T>::CommitPhaseOver);
		let index = task
			.assignees
			.iter()
			.position(|assignee| assignee.node == node)
			.ok_or(Error::<T>::NotAssigned)?;
		let duplicate = task.assignees.iter().any(|assignee| assignee.commitment == Some(commitment));
		let assignment = task.assignees.get_mut(index).ok_or(Error::<T>::NotAssigned)?;
		ensure!(assignment.commitment.is_none(), Error::<T>::AlreadyCommitted);
		ensure!(!duplicate, Error::<T>::DuplicateCommitment);
		assignment.commitment = Some(commitment);
		Self::deposit_event(Event::ResultCommitted { task: id, node });

		if task.assignees.iter().all(|assignee| assignee.commitment.is_some()) {
			// Unqueued first: the reveal deadline may fall in the same block.
			Self::unschedule_deadline(deadline, id);
			Self::open_reveal_phase(id, &mut task, now)?;
		}
		let k = task.assignees.len() as u32;
		Tasks::<T>::insert(id, task);
		Ok(k)
	}

	/// Ends the commit phase: assignees reveal for `reveal_blocks` from `now`.
	fn open_reveal_phase(id: TaskId, task: &mut TaskOf<T>, now: BlockNumberFor<T>) -> Result<(), Error<T>> {
		let due = now.saturating_add(Self::policy(task.spec.urgency).reveal_blocks);
		let deadline = Self::schedule_deadline(due, id)?;
		task.phase = TaskPhase::Reveal { deadline };
		Self::deposit_event(Event::RevealPhaseStarted { task: id, deadline });
		Ok(())
	}

	/// Checks a reveal against the node's commitment and records it; the last reveal concludes
	/// the task. Returns the weight used.
	pub(crate) fn do_reveal(
		node: T::AccountId,
		id: TaskId,
		diagnosis: Diagnosis,
		salt: [u8; 32],
	) -> Result<Weight, DispatchError> {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let TaskPhase::Reveal { deadline } = task.phase else {
			return Err(Error::<T>::RevealPhaseNotOpen.into());
		};
		ensure!(frame_system::Pallet::<T>::block_number() < deadline, Error::<T>::RevealPhaseOver);
		let (model, input_hash) = (task.spec.model, task.spec.input_hash);
		let assignment = task
			.assignees
			.iter_mut()
			.find(|assignee| assignee.node == node)
			.ok_or(Error::<T>::NotAssigned)?;
		let committed = assignment.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(assignment.reveal.is_none(), Error::<T>::AlreadyRevealed);
		let expected = depin::commitment(id, &model, &input_hash, &node, &diagnosis, &salt);
		ensure!(expected == committed, Error::<T>::CommitmentMismatch);
		assignment.reveal = Some(diagnosis);
		Self::deposit_event(Event::ResultRevealed { task: id, node });

		let k = task.assignees.len() as u32;
		let all_revealed = task
			.assignees
			.iter()
			.all(|assignee| assignee.commitment.is_none() || assignee.reveal.is_some());
		if !all_revealed {
			Tasks::<T>::insert(id, task);
			return Ok(T::WeightInfo::reveal_pending(k));
		}
		Self::unschedule_deadline(deadline, id);
		let mut weight = T::WeightInfo::reveal_result(k);
		if let Some(nodes) = Self::conclude(id, task) {
			weight = weight.saturating_add(T::WeightInfo::post_task(nodes));
		}
		Ok(weight)
	}

	/// The most a reveal can cost: the last reveal of the largest task, starting a spot check
	/// over the largest routing table.
	pub fn reveal_weight_bound() -> Weight {
		T::WeightInfo::reveal_result(T::MaxAssignees::get())
			.saturating_add(T::WeightInfo::post_task(T::MaxNodes::get()))
	}

	/// Ends the phases due at `now` (the block's `on_initialize`).
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let due = Deadlines::<T>::take(now);
		let mut weight = T::DbWeight::get().reads_writes(1, 1);
		for id in due {
			let Some(mut task) = Tasks::<T>::get(id) else { continue };
			weight.saturating_accrue(T::DbWeight::get().reads(1));
			if task.phase.deadline() != now {
				continue;
			}
			let k = task.assignees.len() as u32;
			weight.saturating_accrue(T::WeightInfo::expire_deadline(k));
			let anyone_committed = task.assignees.iter().any(|assignee| assignee.commitment.is_some());
			let to_reveal = matches!(task.phase, TaskPhase::Commit { .. }) && anyone_committed;
			if to_reveal && Self::open_reveal_phase(id, &mut task, now).is_ok() {
				Tasks::<T>::insert(id, task);
				continue;
			}
			if let Some(nodes) = Self::conclude(id, task) {
				weight.saturating_accrue(T::WeightInfo::post_task(nodes));
			}
		}
		weight
	}
}
