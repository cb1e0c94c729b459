//! Concluding a task: the quorum, the confidence of the result, fees, penalties, reassignment,
//! refunds and spot checks.

use crate::{
	formulas, pallet::*, Assignment, FailureReason, Offence, RoutingTableOf, TaskOf, TaskPhase,
	TaskResult,
};
use alloc::vec::Vec;
use btt_primitives::depin::{Diagnosis, Findings, InputFault, OnTaskVerified, TaskId, VerifiedDiagnosis};
use frame_support::{
	pallet_prelude::*,
	traits::{fungibles::Mutate, tokens::Preservation, Get},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	Percent, Permill,
};

impl<T: Config> Pallet<T> {
	/// Concludes a task whose reveals are all in or whose deadline passed. Returns the routing
	/// table's size if it opened a new assignment round (a reassignment or a spot check), whose
	/// cost (that of posting a task) the caller adds to its weight.
	pub(crate) fn conclude(id: TaskId, mut task: TaskOf<T>) -> Option<u32> {
		let mut routing = Routing::<T>::get();
		for assignee in task.assignees.iter() {
			Self::end_assignment(&assignee.node, id, &mut routing);
		}
		let k = task.assignees.len() as u32;
		let (findings, votes) = majority(&task.assignees);
		let mut new_round = None;
		match findings {
			Some(findings) if votes >= formulas::quorum(k) => {
				if InputFault::from_findings(&findings) == Some(InputFault::ModelUnavailable) {
					Self::model_unavailable(id, &task, &mut routing);
				} else {
					new_round = Self::accept(id, &task, findings, votes, &mut routing);
				}
				Tasks::<T>::remove(id);
			},
			_ => {
				for assignee in task.assignees.iter().filter(|assignee| assignee.reveal.is_none()) {
					Self::penalize(&assignee.node, id, Offence::NoShow, &mut routing);
				}
				let previous: Vec<T::AccountId> =
					task.assignees.iter().map(|assignee| assignee.node.clone()).collect();
				let may_retry = task.spot_check_of.is_none() && task.attempt < T::MaxAttempts::get();
				if may_retry {
					task.attempt = task.attempt.saturating_add(1);
					let nodes = routing.len() as u32;
					if Self::open_round(id, &mut task, k, &previous, &mut routing).is_ok() {
						new_round = Some(nodes);
						Tasks::<T>::insert(id, task);
						Routing::<T>::put(routing);
						return new_round;
					}
					Self::fail(id, &task, FailureReason::NoEligibleNodes);
				} else {
					Self::fail(id, &task, FailureReason::NoQuorum);
				}
				Tasks::<T>::remove(id);
			},
		}
		Routing::<T>::put(routing);
		new_round
	}

	/// A quorum admitted it lacks the task's model: the clinic is refunded, no-shows are
	/// penalized, and nobody else is paid or penalized (a node that did diagnose is not wrong).
	fn model_unavailable(id: TaskId, task: &TaskOf<T>, routing: &mut RoutingTableOf<T>) {
		for assignee in task.assignees.iter().filter(|assignee| assignee.reveal.is_none()) {
			Self::penalize(&assignee.node, id, Offence::NoShow, routing);
		}
		Self::fail(id, task, FailureReason::ModelUnavailable);
	}

	/// The offence of an assignee outside the quorum: revealing that it lacks the model is an
	/// honest no-show; any other disagreeing reveal (a diagnosis, or a claimed input fault the
	/// quorum did not see) is a minority.
	fn dissent_offence(reveal: &Diagnosis) -> Offence {
		match InputFault::from_findings(&reveal.findings) {
			Some(InputFault::ModelUnavailable) => Offence::NoShow,
			_ => Offence::Minority,
		}
	}

	/// A quorum agreed on `findings` (a diagnosis, or a fault of the clinic's input): pays it,
	/// penalizes the rest, records the result and settles or starts a spot check.
	fn accept(
		id: TaskId,
		task: &TaskOf<T>,
		findings: Findings,
		votes: u32,
		routing: &mut RoutingTableOf<T>,
	) -> Option<u32> {
		let k = task.assignees.len() as u32;
		let mut quorum = Vec::new();
		let mut agreeing = Vec::new();
		for assignee in task.assignees.iter() {
			match &assignee.reveal {
				Some(reveal) if reveal.findings == findings => {
					Self::record_success(&assignee.node, routing);
					quorum.push(assignee.node.clone());
					agreeing.push(reveal.clone());
				},
				Some(reveal) => Self::penalize(&assignee.node, id, Self::dissent_offence(reveal), routing),
				None => Self::penalize(&assignee.node, id, Offence::NoShow, routing),
			}
		}
		let agreement = Permill::from_rational(votes, k.max(1));
		let confidence = formulas::confidence(
			ModuleConfidence::<T>::get(task.spec.module),
			median(agreeing.iter().map(|reveal| reveal.image_quality)),
			median(agreeing.iter().map(|reveal| reveal.model_confidence)),
			agreement,
			median(agreeing.iter().map(|reveal| reveal.uncertainty)),
		);
		Self::pay_quorum(id, task, &quorum);
		let fault = InputFault::from_findings(&findings);
		match fault {
			Some(fault) => Self::deposit_event(Event::TaskRejected { task: id, fault, agreement }),
			None => Self::deposit_event(Event::TaskVerified {
				task: id,
				findings: findings.clone(),
				confidence,
				agreement,
			}),
		}

		let mut new_round = None;
		let mut spot_check = None;
		match task.spot_check_of {
			Some(original) => Self::settle_spot_check(original, id, &findings, routing),
			None => {
				// A rejected input is no check-up: nothing downstream reacts to it.
				if fault.is_none() {
					T::OnTaskVerified::on_task_verified(&VerifiedDiagnosis {
						task: id,
						clinic: task.clinic.clone(),
						module: task.spec.module,
						model: task.spec.model,
						input_hash: task.spec.input_hash,
						findings: findings.clone(),
						confidence,
					});
				}
				if Self::spot_check_drawn(id) {
					let nodes = routing.len() as u32;
					match Self::start_spot_check(id, task, routing) {
						Some(spot_id) => {
							spot_check = Some(spot_id);
							new_round = Some(nodes);
						},
						None => Self::deposit_event(Event::SpotCheckSkipped { task: id }),
					}
				}
			},
		}
		Results::<T>::insert(
			id,
			TaskResult::Verified {
				module: task.spec.module,
				findings,
				confidence,
				agreement,
				quorum: BoundedVec::truncate_from(quorum),
				verified_at: frame_system::Pallet::<T>::block_number(),
				spot_check,
				overturned: false,
			},
		);
		new_round
	}

	/// Pays the escrowed fee to the quorum's operators in equal shares (the first takes the
	/// remainder).
	fn pay_quorum(id: TaskId, task: &TaskOf<T>, quorum: &[T::AccountId]) {
		if task.fee.is_zero() || quorum.is_empty() {
			return;
		}
		Self::release_escrow(task);
		let members: crate::BalanceOf<T> = (quorum.len() as u32).into();
		let share = task.fee / members;
		let remainder = task.fee.saturating_sub(share.saturating_mul(members));
		for (position, node) in quorum.iter().enumerate() {
			let Some(operator) = task
				.assignees
				.iter()
				.find(|assignee| assignee.node == *node)
				.map(|assignee| assignee.operator.clone())
			else {
				continue;
			};
			let amount = if position == 0 { share.saturating_add(remainder) } else { share };
			let escrow = Self::escrow_account();
			// Each share is at least the currency's minimum balance (the fee is at least k of
			// them); a share that still cannot move stays in escrow, outside every task's fee.
			if T::Currencies::transfer(task.currency.clone(), &escrow, &operator, amount, Preservation::Expendable)
				.is_ok()
			{
				Self::deposit_event(Event::FeePaid { task: id, node: node.clone(), operator, amount });
			}
		}
	}

	/// Ends a task without a result and refunds its fee.
	fn fail(id: TaskId, task: &TaskOf<T>, reason: FailureReason) {
		let mut refunded = Zero::zero();
		if !task.fee.is_zero() {
			Self::release_escrow(task);
			let escrow = Self::escrow_account();
			if T::Currencies::transfer(task.currency.clone(), &escrow, &task.clinic, task.fee, Preservation::Expendable)
				.is_ok()
			{
				refunded = task.fee;
			}
		}
		let failed_at = frame_system::Pallet::<T>::block_number();
		Results::<T>::insert(id, TaskResult::Failed { reason, failed_at });
		match task.spot_check_of {
			Some(original) => {
				Self::clear_spot_check(original);
				Self::deposit_event(Event::SpotCheckInconclusive { task: original, spot_check: id });
			},
			None => Self::deposit_event(Event::TaskFailed { task: id, reason, refunded }),
		}
	}

	/// The task's fee no longer counts as escrowed.
	fn release_escrow(task: &TaskOf<T>) {
		EscrowedFees::<T>::mutate_exists(&task.currency, |total| {
			let remaining = total.unwrap_or_default().saturating_sub(task.fee);
			*total = (!remaining.is_zero()).then_some(remaining);
		});
	}

	/// Re-executes a verified task on nodes that took no part in it, at no fee.
	fn start_spot_check(original: TaskId, task: &TaskOf<T>, routing: &mut RoutingTableOf<T>) -> Option<TaskId> {
		let id = NextTaskId::<T>::get();
		let next_id = id.checked_add(1)?;
		let mut spot = TaskOf::<T> {
			clinic: Self::escrow_account(),
			fee: Zero::zero(),
			currency: T::NativeCurrency::get(),
			posted_at: frame_system::Pallet::<T>::block_number(),
			attempt: 1,
			phase: TaskPhase::Commit { deadline: Zero::zero() },
			assignees: Default::default(),
			spot_check_of: Some(original),
			..task.clone()
		};
		let previous: Vec<T::AccountId> = task.assignees.iter().map(|assignee| assignee.node.clone()).collect();
		let k = task.assignees.len() as u32;
		Self::open_round(id, &mut spot, k, &previous, routing).ok()?;
		Tasks::<T>::insert(id, spot);
		NextTaskId::<T>::put(next_id);
		Self::deposit_event(Event::SpotCheckStarted { task: original, spot_check: id });
		Some(id)
	}

	/// A spot check reached a quorum: the original stands, or its quorum is slashed.
	fn settle_spot_check(original: TaskId, spot_id: TaskId, findings: &Findings, routing: &mut RoutingTableOf<T>) {
		let Some(TaskResult::Verified { findings: accepted, quorum, .. }) = Results::<T>::get(original) else {
			return;
		};
		if accepted == *findings {
			Self::clear_spot_check(original);
			Self::deposit_event(Event::SpotCheckPassed { task: original, spot_check: spot_id });
			return;
		}
		for node in quorum.iter() {
			Self::penalize(node, original, Offence::OverturnedBySpotCheck, routing);
		}
		Results::<T>::mutate(original, |result| {
			if let Some(TaskResult::Verified { spot_check, overturned, .. }) = result {
				*spot_check = None;
				*overturned = true;
			}
		});
		Self::deposit_event(Event::ResultOverturned { task: original, spot_check: spot_id });
	}

	/// The original task is no longer under a spot check.
	fn clear_spot_check(original: TaskId) {
		Results::<T>::mutate(original, |result| {
			if let Some(TaskResult::Verified { spot_check, .. }) = result {
				*spot_check = None;
			}
		});
	}
}

/// The most common revealed findings and how many assignees revealed them.
fn majority<AccountId>(assignees: &[Assignment<AccountId>]) -> (Option<Findings>, u32) {
	let reveals: Vec<&Diagnosis> = assignees.iter().filter_map(|assignee| assignee.reveal.as_ref()).collect();
	let mut best: (Option<Findings>, u32) = (None, 0);
	for candidate in reveals.iter() {
		let votes = reveals.iter().filter(|other| other.findings == candidate.findings).count() as u32;
		if votes > best.1 {
			best = (Some(candidate.findings.clone()), votes);
		}
	}
	best
}

/// The median of a few percentages (the lower middle one for an even count; 0 for none).
fn median(values: impl Iterator<Item = Percent>) -> Percent {
	let mut values: Vec<Percent> = values.collect();
	values.sort();
	let middle = values.len().saturating_sub(1) / 2;
	values.get(middle).copied().unwrap_or_default()
}
