//! Tasks: posting with the fee in escrow and a deposit on hold, assignment rounds with fixed
//! deadlines, commit and reveal, and the hook that concludes rounds at their deadline.

use crate::{
	pallet::*, routing::Requirements, weights::WeightInfo, AssigneesOf, BalanceOf, CurrencyOf,
	ModelStatus, Round, RoutingTableOf, Task, TaskOf, TaskPhase, TaskSpec, UrgencyPolicy,
};
use alloc::vec::Vec;
use btt_primitives::depin::{self, Diagnosis, OnTaskVerified, TaskId, Urgency};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
	},
	weights::WeightMeter,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{AccountIdConversion, CheckedAdd, One, Saturating, Zero};

/// How many blocks after its due block a round's deadline may be queued when that block's
/// queue is full.
pub(crate) const DEADLINE_SPILL: u32 = 8;

/// A round that can be opened: its assignees are drawn and its deadline has a slot. Planning
/// reads only, so a post can be refused before any money moves.
pub(crate) struct RoundPlan<T: Config> {
	assignees: AssigneesOf<T>,
	round: Round<BlockNumberFor<T>>,
}

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
	///
	/// Every check comes first (the input, the currency and fee, the poster's open tasks, the
	/// assignees and the deadline slot); then the deposit is held and the fee escrowed.
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
		let least_fee =
			FeeCurrencies::<T>::get(&currency).ok_or(Error::<T>::CurrencyNotAccepted)?;
		let payable = T::Currencies::minimum_balance(currency.clone()).saturating_mul(k.into());
		ensure!(!fee.is_zero() && fee >= least_fee && fee >= payable, Error::<T>::FeeTooLow);
		let open = ClinicTasks::<T>::get(&clinic);
		ensure!(open < T::MaxOpenTasksPerClinic::get(), Error::<T>::TooManyOpenTasks);

		let id = NextTaskId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let escrowed =
			EscrowedFees::<T>::get(&currency).checked_add(&fee).ok_or(Error::<T>::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let deposit = T::TaskDeposit::get();
		let mut task = Task {
			clinic: clinic.clone(),
			spec,
			currency: currency.clone(),
			fee,
			deposit,
			posted_at: now,
			attempt: 1,
			round: Round { assigned_at: now, commit_until: now, reveal_until: now },
			assignees: Default::default(),
			spot_check_of: None,
		};
		let mut routing = Routing::<T>::get();
		let nodes = routing.len() as u32;
		let plan = Self::plan_round(id, &task, k, &[], &routing)?;

		T::NativeBalance::hold(&HoldReason::TaskDeposit.into(), &clinic, deposit)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		let escrow = Self::escrow_account();
		if !frame_system::Pallet::<T>::account_exists(&escrow) {
			// The escrow account exists for good, so that it can hold assets that are not
			// sufficient on their own and is never reaped between tasks.
			frame_system::Pallet::<T>::inc_providers(&escrow);
		}
		T::Currencies::transfer(currency.clone(), &clinic, &escrow, fee, Preservation::Preserve)
			.map_err(|_| Error::<T>::CannotPayFee)?;

		Self::open_round(id, &mut task, plan, &mut routing);
		let (module, urgency) = (task.spec.module, task.spec.urgency);
		Tasks::<T>::insert(id, task);
		Routing::<T>::put(routing);
		NextTaskId::<T>::put(next_id);
		EscrowedFees::<T>::insert(&currency, escrowed);
		ClinicTasks::<T>::insert(&clinic, open.saturating_add(1));
		Self::deposit_event(Event::TaskPosted { task: id, clinic, module, urgency, currency, fee });
		Ok(nodes)
	}

	/// Draws `k` assignees of operators outside `exclude` and finds a slot for the round's
	/// deadline, without writing anything.
	pub(crate) fn plan_round(
		id: TaskId,
		task: &TaskOf<T>,
		k: u32,
		exclude: &[T::AccountId],
		routing: &RoutingTableOf<T>,
	) -> Result<RoundPlan<T>, Error<T>> {
		let policy = Self::policy(task.spec.urgency);
		let requirements = Requirements {
			module: task.spec.module,
			min_tier: task.spec.min_tier,
			region: task.spec.region,
			assignees: k,
			exclude_operators: exclude,
		};
		let seed = Self::routing_seed(id, task.attempt);
		let assignees =
			Self::select_assignees(routing, &requirements, seed, Self::current_epoch())?;
		let now = frame_system::Pallet::<T>::block_number();
		let commit_until = now.saturating_add(policy.commit_blocks);
		let reveal_until =
			Self::find_deadline_slot(commit_until.saturating_add(policy.reveal_blocks))?;
		Ok(RoundPlan { assignees, round: Round { assigned_at: now, commit_until, reveal_until } })
	}

	/// Opens a planned round: queues its deadline and records the assignments.
	pub(crate) fn open_round(
		id: TaskId,
		task: &mut TaskOf<T>,
		plan: RoundPlan<T>,
		routing: &mut RoutingTableOf<T>,
	) {
		Deadlines::<T>::mutate(plan.round.reveal_until, |queue| {
			if queue.try_push(id).is_err() {
				// `plan_round` found the slot free in this same call, with no write between.
				frame_support::defensive!("a planned deadline slot is taken");
			}
		});
		for assignee in plan.assignees.iter() {
			Self::add_assignment(&assignee.node, id, routing);
		}
		let nodes = plan.assignees.iter().map(|assignee| assignee.node.clone()).collect::<Vec<_>>();
		task.assignees = plan.assignees;
		task.round = plan.round;
		Self::deposit_event(Event::TaskAssigned {
			task: id,
			attempt: task.attempt,
			assignees: BoundedVec::truncate_from(nodes),
			commit_deadline: plan.round.commit_until,
		});
	}

	/// The first block from `due` (up to [`DEADLINE_SPILL`] blocks later) whose deadline queue
	/// has room.
	pub(crate) fn find_deadline_slot(
		due: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, Error<T>> {
		let mut at = due;
		for _ in 0..DEADLINE_SPILL {
			let queued = Deadlines::<T>::decode_len(at).unwrap_or_default() as u32;
			if queued < T::MaxDeadlinesPerBlock::get() {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::DeadlineQueueFull)
	}

	/// Removes `task` from the queue of block `at`.
	pub(crate) fn unschedule_deadline(at: BlockNumberFor<T>, task: TaskId) {
		Deadlines::<T>::mutate_exists(at, |queue| {
			if let Some(entries) = queue {
				entries.retain(|entry| *entry != task);
				if entries.is_empty() {
					*queue = None;
				}
			}
		});
	}

	/// Records an assignee's commitment; returns k.
	pub(crate) fn do_commit(
		node: T::AccountId,
		id: TaskId,
		commitment: H256,
	) -> Result<u32, DispatchError> {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::UnknownTask)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(matches!(task.phase(now), TaskPhase::Commit { .. }), Error::<T>::CommitPhaseOver);
		let index = task
			.assignees
			.iter()
			.position(|assignee| assignee.node == node)
			.ok_or(Error::<T>::NotAssigned)?;
		let duplicate =
			task.assignees.iter().any(|assignee| assignee.commitment == Some(commitment));
		let assignment = task.assignees.get_mut(index).ok_or(Error::<T>::NotAssigned)?;
		ensure!(assignment.commitment.is_none(), Error::<T>::AlreadyCommitted);
		ensure!(!duplicate, Error::<T>::DuplicateCommitment);
		assignment.commitment = Some(commitment);
		assignment.committed_at = Some(now);
		Self::deposit_event(Event::ResultCommitted { task: id, node });
		if task.all_committed() {
			Self::deposit_event(Event::RevealPhaseStarted {
				task: id,
				deadline: task.round.reveal_until,
			});
		}
		let k = task.assignees.len() as u32;
		Tasks::<T>::insert(id, task);
		Ok(k)
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
		let now = frame_system::Pallet::<T>::block_number();
		let TaskPhase::Reveal { deadline } = task.phase(now) else {
			return Err(Error::<T>::RevealPhaseNotOpen.into());
		};
		ensure!(now < deadline, Error::<T>::RevealPhaseOver);
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
		let mut weight =
			T::WeightInfo::reveal_result(k).saturating_add(T::OnTaskVerified::weight());
		if let Some(nodes) = Self::conclude(id, task) {
			weight = weight.saturating_add(T::WeightInfo::post_task(nodes));
		}
		Ok(weight)
	}

	/// The most a reveal can cost: the last reveal of the largest task, opening a new round
	/// over the largest routing table.
	pub fn reveal_weight_bound() -> Weight {
		T::WeightInfo::reveal_result(T::MaxAssignees::get())
			.saturating_add(T::OnTaskVerified::weight())
			.saturating_add(T::WeightInfo::post_task(T::MaxNodes::get()))
	}

	/// The most concluding one round at its deadline can cost: every assignee penalized, and a
	/// new round drawn over the largest routing table.
	pub(crate) fn deadline_weight() -> Weight {
		T::WeightInfo::expire_deadline(T::MaxAssignees::get())
			.saturating_add(T::OnTaskVerified::weight())
			.saturating_add(T::WeightInfo::post_task(T::MaxNodes::get()))
	}

	/// `on_initialize`: the rounds due, then the spot-check draws, within `MaxHookWeight`.
	pub(crate) fn run_hooks(now: BlockNumberFor<T>) -> Weight {
		let mut meter = WeightMeter::with_limit(T::MaxHookWeight::get());
		Self::note_dev_randomness(now, &mut meter);
		Self::process_deadlines(now, &mut meter);
		Self::process_draws(&mut meter);
		meter.consumed()
	}

	/// Concludes the rounds whose deadline has come, oldest first, while the meter allows the
	/// costliest conclusion; the rest waits at [`DeadlineCursor`] for the next block. Late
	/// processing changes no outcome: commits and reveals are refused from the deadline on.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let db = T::DbWeight::get();
		if meter.try_consume(db.reads_writes(1, 1)).is_err() {
			return;
		}
		let mut at = DeadlineCursor::<T>::get().unwrap_or(now);
		while at <= now {
			if meter.try_consume(db.reads_writes(1, 1)).is_err() {
				break;
			}
			let mut queue = Deadlines::<T>::take(at);
			while !queue.is_empty() && meter.can_consume(Self::deadline_weight()) {
				let id = queue.remove(0);
				meter.consume(Self::deadline_weight());
				if let Some(task) = Tasks::<T>::get(id) {
					Self::conclude(id, task);
				}
			}
			if !queue.is_empty() {
				// Out of weight: the rest of this block's queue carries over.
				Deadlines::<T>::insert(at, queue);
				break;
			}
			at = at.saturating_add(One::one());
		}
		DeadlineCursor::<T>::put(at);
	}

	/// A task left the open set: the poster's count of open tasks falls.
	pub(crate) fn close_task(id: TaskId, task: &TaskOf<T>) {
		Tasks::<T>::remove(id);
		if task.spot_check_of.is_none() {
			ClinicTasks::<T>::mutate_exists(&task.clinic, |count| {
				let remaining = count.unwrap_or_default().saturating_sub(1);
				*count = (remaining > 0).then_some(remaining);
			});
		}
	}
}
