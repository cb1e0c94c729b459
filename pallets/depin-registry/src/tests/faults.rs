//! Input faults: the on-chain record of a task its nodes could not diagnose, revealed through
//! the same commit–reveal as a diagnosis, so that neither a lazy node nor a clinic can abuse it.

use super::helpers::*;
use crate::{mock::*, Event, FailureReason, Offence, Results, TaskResult, TaskStatus, Tasks};
use btt_primitives::depin::InputFault;

fn penalized(node: AccountId, task: u64, offence: Offence, slashed: Balance) -> bool {
	depin_events().contains(&Event::NodePenalized { node, task, offence, slashed })
}

#[test]
fn quorum_reporting_a_bad_input_rejects_the_task_and_is_paid_by_the_clinic() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let clinic_before = balance(CLINIC);
		let fault = InputFault::InputHashMismatch;
		work(task, |_| fault.diagnosis());

		assert!(Tasks::<Test>::get(task).is_none());
		assert_eq!(DepinRegistry::task_status(task), TaskStatus::Rejected { fault, overturned: false });
		assert!(depin_events().iter().any(|event| matches!(
			event,
			Event::TaskRejected { task: t, fault: f, .. } if *t == task && *f == fault
		)));
		// The fee (escrowed at posting) paid the three nodes; the clinic got nothing back.
		let paid: Balance = depin_events()
			.iter()
			.filter_map(|event| match event {
				Event::FeePaid { task: t, amount, .. } if *t == task => Some(*amount),
				_ => None,
			})
			.sum();
		assert_eq!(paid, FEE);
		assert_eq!(balance(CLINIC), clinic_before);
		// A bad image is no check-up: nothing downstream hears of it.
		assert!(verified_diagnoses().is_empty());
		for node in nodes {
			assert_eq!(stake_of(node), TIER_1_STAKE);
		}
	});
}

#[test]
fn lazy_node_claiming_an_unreadable_input_is_slashed_as_a_minority() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let lazy = nodes[0];
		work(task, |node| if node == lazy { InputFault::InputUnreadable.diagnosis() } else { truth() });

		assert_eq!(DepinRegistry::task_status(task), TaskStatus::Verified {
			confidence: match Results::<Test>::get(task) {
				Some(TaskResult::Verified { confidence, .. }) => confidence,
				_ => panic!("the honest majority verified the task"),
			},
			overturned: false,
		});
		assert!(penalized(lazy, task, Offence::Minority, TIER_1_STAKE / 5));
		assert_eq!(stake_of(lazy), TIER_1_STAKE - TIER_1_STAKE / 5);
	});
}

#[test]
fn lone_node_without_the_model_is_penalized_no_more_than_a_no_show() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let missing = nodes[2];
		work(task, |node| if node == missing { InputFault::ModelUnavailable.diagnosis() } else { truth() });

		assert!(matches!(Results::<Test>::get(task), Some(TaskResult::Verified { .. })));
		assert!(penalized(missing, task, Offence::NoShow, TIER_1_STAKE / 10));
		assert!(!penalized(missing, task, Offence::Minority, TIER_1_STAKE / 5));
	});
}

#[test]
fn quorum_without_the_model_refunds_the_clinic_and_spares_the_node_that_diagnosed() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let clinic_before = balance(CLINIC);
		let diagnosing = nodes[0];
		work(task, |node| if node == diagnosing { truth() } else { InputFault::ModelUnavailable.diagnosis() });

		assert_eq!(DepinRegistry::task_status(task), TaskStatus::Failed { reason: FailureReason::ModelUnavailable });
		assert!(depin_events().contains(&Event::TaskFailed {
			task,
			reason: FailureReason::ModelUnavailable,
			refunded: FEE
		}));
		assert_eq!(balance(CLINIC), clinic_before + FEE);
		for node in nodes {
			assert_eq!(stake_of(node), TIER_1_STAKE, "nobody is paid, nobody is slashed");
		}
		assert!(verified_diagnoses().is_empty());
	});
}
