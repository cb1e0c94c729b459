//! Concluding a task: the quorum, the confidence of the result, fees, penalties, input
//! disputes, reassignment, refunds, and the record its audit and spot check work from.

use crate::{
	formulas, pallet::*, AssignmentOf, Concluded, FailureReason, Offence, PendingDraw,
	RevealRecord, Review, RoutingTableOf, TaskOf, TaskResult,
};
use alloc::vec::Vec;
use btt_primitives::depin::{
	Diagnosis, Findings, InputFault, OnTaskVerified, TaskId, VerifiedDiagnosis,
};
use frame_support::{
	pallet_prelude::*,
	traits::{fungibles::Mutate, tokens::Preservation, Get},
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	Percent, Permill,
};

/// What became of an assignee that is not in the accepted quorum.
enum Dissent {
	/// Penalized for this offence.
	Penalized(Offence),
	/// It disputed the input alone: unpaid, unslashed.
	Disputed,
}

impl<T: Config> Pallet<T> {
	/// Concludes a task whose reveals are all in or whose deadline passed. Returns the routing
	/// table's size if it opened a new round, whose cost (that of posting a task) the caller
	/// adds to its weight.
	pub(crate) fn conclude(id: TaskId, mut task: TaskOf<T>) -> Option<u32> {
		let mut routing = Routing::<T>::get();
		for assignee in task.assignees.iter() {
			Self::end_assignment(&assignee.node, id, &mut routing);
		}
		let k = task.assignees.len() as u32;
		let (findings, votes) = majority(&task.assignees);
		let quorate = findings.filter(|_| votes >= formulas::quorum(k));
		let lacks_model = quorate.as_ref().is_some_and(|findings| {
			InputFault::from_findings(findings) == Some(InputFault::ModelUnavailable)
		});
		let accepted = quorate.filter(|_| !lacks_model);
		match accepted {
			Some(findings) => Self::accept(id, &task, findings, votes, &mut routing),
			None => {
				// No quorum, or a quorum that lacks the model: nothing is accepted. Every node
				// that did not do its part is penalized (lacking the model is a no-show, never
				// free, so a quorum cannot censor a task by claiming it); the others are not.
				for assignee in task.assignees.iter() {
					if let Some(offence) = Self::unfinished_offence(assignee) {
						Self::penalize(&assignee.node, id, offence, &mut routing);
					}
				}
				let reason = if lacks_model {
					FailureReason::ModelUnavailable
				} else {
					FailureReason::NoQuorum
				};
				let operators: Vec<T::AccountId> =
					task.assignees.iter().map(|assignee| assignee.operator.clone()).collect();
				let may_retry =
					task.spot_check_of.is_none() && task.attempt < T::MaxAttempts::get();
				if may_retry {
					task.attempt = task.attempt.saturating_add(1);
					let nodes = routing.len() as u32;
					match Self::plan_round(id, &task, k, &operators, &routing) {
						Ok(plan) => {
							Self::open_round(id, &mut task, plan, &mut routing);
							Tasks::<T>::insert(id, task);
							Routing::<T>::put(routing);
							return Some(nodes);
						},
						Err(Error::<T>::DeadlineQueueFull) => {
							Self::fail(id, &task, FailureReason::Congested)
						},
						Err(_) => Self::fail(id, &task, FailureReason::NoEligibleNodes),
					}
				} else {
					Self::fail(id, &task, reason);
				}
			},
		}
		Self::close_task(id, &task);
		Routing::<T>::put(routing);
		None
	}

	/// The penalty of an assignee of a round that accepted nothing: none for a node that
	/// revealed a diagnosis or an input fault (the round split, nobody is known wrong).
	fn unfinished_offence(assignee: &AssignmentOf<T>) -> Option<Offence> {
		match (&assignee.commitment, &assignee.reveal) {
			(None, _) => Some(Offence::NoShow),
			(Some(_), None) => Some(Offence::Withheld),
			(Some(_), Some(reveal)) => (InputFault::from_findings(&reveal.findings)
				== Some(InputFault::ModelUnavailable))
			.then_some(Offence::NoShow),
		}
	}

	/// What becomes of an assignee outside the quorum that accepted `accepted`.
	///
	/// - No commitment: a no-show. A commitment without a reveal: withheld, slashed like a
	///   minority, so that seeing the others' reveals and keeping quiet never pays better.
	/// - Revealing that it lacks the model: a no-show.
	/// - Disputing the input alone (an input fault the quorum did not see, or a diagnosis of
	///   an input the quorum found faulty): the clinic may have served it selectively, so the
	///   node is unpaid but not slashed.
	/// - Any other disagreeing reveal: a minority.
	fn dissent(assignee: &AssignmentOf<T>, accepted: &Findings) -> Dissent {
		let Some(reveal) = &assignee.reveal else {
			return match assignee.commitment {
				Some(_) => Dissent::Penalized(Offence::Withheld),
				None => Dissent::Penalized(Offence::NoShow),
			};
		};
		let fault = InputFault::from_findings(&reveal.findings);
		if fault == Some(InputFault::ModelUnavailable) {
			return Dissent::Penalized(Offence::NoShow);
		}
		let clinic_fault =
			|fault: Option<InputFault>| fault.is_some_and(InputFault::is_clinic_fault);
		if clinic_fault(fault) != clinic_fault(InputFault::from_findings(accepted)) {
			Dissent::Disputed
		} else {
			Dissent::Penalized(Offence::Minority)
		}
	}

	/// A quorum agreed on `findings` (a diagnosis, or a fault of the clinic's input): pays it,
	/// settles the others, records the result and queues its spot-check draw (or settles the
	/// spot check this task is).
	fn accept(
		id: TaskId,
		task: &TaskOf<T>,
		findings: Findings,
		votes: u32,
		routing: &mut RoutingTableOf<T>,
	) {
		let k = task.assignees.len() as u32;
		let mut quorum = Vec::new();
		let mut agreeing = Vec::new();
		for assignee in task.assignees.iter() {
			match &assignee.reveal {
				Some(reveal) if reveal.findings == findings => {
					let latency = assignee
						.committed_at
						.unwrap_or(task.round.reveal_until)
						.saturating_sub(task.round.assigned_at);
					Self::record_success(
						&assignee.node,
						sp_runtime::SaturatedConversion::saturated_into(latency),
						routing,
					);
					quorum.push(assignee.node.clone());
					agreeing.push(reveal.clone());
				},
				_ => match Self::dissent(assignee, &findings) {
					Dissent::Penalized(offence) => {
						Self::penalize(&assignee.node, id, offence, routing)
					},
					Dissent::Disputed => Self::record_dispute(&assignee.node, id, routing),
				},
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

		let review = match task.spot_check_of {
			Some(original) => {
				Self::settle_spot_check(original, id, &findings, routing);
				Review::Settled
			},
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
				Self::queue_draw(id, task);
				Review::AwaitingDraw
			},
		};
		for assignee in task.assignees.iter() {
			Self::hold_for_review(
				&assignee.node,
				review == Review::AwaitingDraw && quorum.contains(&assignee.node),
			);
		}
		let outcome = TaskResult::Verified {
			module: task.spec.module,
			findings,
			confidence,
			agreement,
			quorum: BoundedVec::truncate_from(quorum),
			verified_at: frame_system::Pallet::<T>::block_number(),
			review,
			overturned: false,
		};
		Self::record_conclusion(id, task, outcome);
	}

	/// Stores the concluded record of `task`.
	fn record_conclusion(id: TaskId, task: &TaskOf<T>, outcome: crate::TaskResultOf<T>) {
		let reveals = task
			.assignees
			.iter()
			.map(|assignee| RevealRecord {
				node: assignee.node.clone(),
				operator: assignee.operator.clone(),
				findings: assignee.reveal.as_ref().map(|reveal| findings_digest(&reveal.findings)),
			})
			.collect::<Vec<_>>();
		Results::<T>::insert(
			id,
			Concluded {
				clinic: task.clinic.clone(),
				deposit: task.deposit,
				fee: task.fee,
				model: task.spec.model,
				input_hash: task.spec.input_hash,
				reference: task.spec.reference,
				concluded_at: frame_system::Pallet::<T>::block_number(),
				reveals: BoundedVec::truncate_from(reveals),
				audited: false,
				outcome,
			},
		);
	}

	/// Queues the spot-check draw of a verified task: it waits for randomness from at least
	/// `RandomnessDelay` sources after the newest one known now, which did not exist while the
	/// task's nodes could still reveal.
	fn queue_draw(id: TaskId, task: &TaskOf<T>) {
		let known = FreshRandomness::<T>::get().map(|seed| seed.source).unwrap_or_default();
		let (head, tail) = DrawQueueBounds::<T>::get();
		DrawQueue::<T>::insert(
			tail,
			PendingDraw {
				task: id,
				source_from: known.saturating_add(T::RandomnessDelay::get()),
				spec: task.spec.clone(),
			},
		);
		DrawQueueBounds::<T>::put((head, tail.saturating_add(1)));
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
			if T::Currencies::transfer(
				task.currency.clone(),
				&escrow,
				&operator,
				amount,
				Preservation::Expendable,
			)
			.is_ok()
			{
				Self::deposit_event(Event::FeePaid {
					task: id,
					node: node.clone(),
					operator,
					amount,
				});
			}
		}
	}

	/// Ends a task without a result and refunds its fee.
	fn fail(id: TaskId, task: &TaskOf<T>, reason: FailureReason) {
		let mut refunded = Zero::zero();
		if !task.fee.is_zero() {
			Self::release_escrow(task);
			let escrow = Self::escrow_account();
			if T::Currencies::transfer(
				task.currency.clone(),
				&escrow,
				&task.clinic,
				task.fee,
				Preservation::Expendable,
			)
			.is_ok()
			{
				refunded = task.fee;
			}
		}
		let failed_at = frame_system::Pallet::<T>::block_number();
		Self::record_conclusion(id, task, TaskResult::Failed { reason, failed_at });
		match task.spot_check_of {
			Some(original) => {
				Self::settle_review(original);
				Self::deposit_event(Event::SpotCheckInconclusive {
					task: original,
					spot_check: id,
				});
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

	/// A spot check reached a quorum: the original stands, or its quorum is slashed.
	fn settle_spot_check(
		original: TaskId,
		spot_id: TaskId,
		findings: &Findings,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(record) = Results::<T>::get(original) else { return };
		let TaskResult::Verified { findings: accepted, quorum, .. } = record.outcome else {
			return;
		};
		if accepted == *findings {
			Self::deposit_event(Event::SpotCheckPassed { task: original, spot_check: spot_id });
		} else {
			for node in quorum.iter() {
				Self::penalize(node, original, Offence::OverturnedBySpotCheck, routing);
			}
			Results::<T>::mutate(original, |record| {
				if let Some(Concluded {
					outcome: TaskResult::Verified { overturned, .. }, ..
				}) = record
				{
					*overturned = true;
				}
			});
			Self::deposit_event(Event::ResultOverturned { task: original, spot_check: spot_id });
		}
		Self::settle_review(original);
	}

	/// The review of a verified result is over: its quorum's stake is free of it.
	pub(crate) fn settle_review(original: TaskId) {
		Results::<T>::mutate(original, |record| {
			if let Some(Concluded {
				outcome: TaskResult::Verified { review, quorum, .. }, ..
			}) = record
			{
				if *review != Review::Settled {
					for node in quorum.iter() {
						Self::release_review(node);
					}
					*review = Review::Settled;
				}
			}
		});
	}
}

/// The digest of revealed findings kept for the audit.
pub(crate) fn findings_digest(findings: &Findings) -> H256 {
	H256(sp_io::hashing::blake2_256(findings))
}

/// The most common revealed findings and how many assignees revealed them.
fn majority<AccountId, BlockNumber>(
	assignees: &[crate::Assignment<AccountId, BlockNumber>],
) -> (Option<Findings>, u32) {
	let reveals: Vec<&Diagnosis> =
		assignees.iter().filter_map(|assignee| assignee.reveal.as_ref()).collect();
	let mut best: (Option<Findings>, u32) = (None, 0);
	for candidate in reveals.iter() {
		let votes =
			reveals.iter().filter(|other| other.findings == candidate.findings).count() as u32;
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
