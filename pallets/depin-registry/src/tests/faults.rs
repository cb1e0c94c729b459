//! Input faults: the on-chain record of a task its nodes could not diagnose, revealed through
//! the same commit–reveal as a diagnosis, so that neither a lazy node nor a clinic can abuse it.

use super::helpers::*;
use crate::{mock::*, Event, FailureReason, Nodes, Offence, TaskResult, TaskStatus, Tasks};
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
		assert_eq!(
			DepinRegistry::task_status(task),
			TaskStatus::Rejected { fault, overturned: false }
		);
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
fn a_lone_input_fault_report_is_unpaid_unslashed_and_lowers_efficiency() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let lone = nodes[0];
		let operator = operator_of(lone);
		let before = balance(operator);
		// The clinic may have served this node a bad copy: it is not slashed as a minority ...
		work(
			task,
			|node| if node == lone { InputFault::InputUnreadable.diagnosis() } else { truth() },
		);
		assert!(matches!(outcome(task), TaskResult::Verified { .. }));
		assert_eq!(stake_of(lone), TIER_1_STAKE);
		assert!(emitted(Event::InputDisputed { task, node: lone }));
		assert!(!depin_events()
			.iter()
			.any(|event| matches!(event, Event::NodePenalized { node, .. } if *node == lone)));
		// ... but it is not paid, and the dispute counts against it.
		assert_eq!(balance(operator), before);
		let record = Nodes::<Test>::get(lone).unwrap().record;
		assert_eq!((record.tasks_ok, record.tasks_concluded, record.input_disputes), (0, 1, 1));
		assert_eq!(record.consecutive_failures, 0);
		assert!(DepinRegistry::node_efficiency(lone) < DepinRegistry::node_efficiency(nodes[1]));
	});
}

#[test]
fn a_lone_diagnosis_of_an_input_the_quorum_rejected_is_a_dispute_too() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let lone = nodes[0];
		work(
			task,
			|node| if node == lone { truth() } else { InputFault::InputHashMismatch.diagnosis() },
		);
		assert_eq!(
			DepinRegistry::task_status(task),
			TaskStatus::Rejected { fault: InputFault::InputHashMismatch, overturned: false }
		);
		assert_eq!(stake_of(lone), TIER_1_STAKE);
		assert!(emitted(Event::InputDisputed { task, node: lone }));
	});
}

#[test]
fn lone_node_without_the_model_is_penalized_no_more_than_a_no_show() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let missing = nodes[2];
		work(task, |node| {
			if node == missing {
				InputFault::ModelUnavailable.diagnosis()
			} else {
				truth()
			}
		});

		assert!(matches!(DepinRegistry::task_result(task), Some(TaskResult::Verified { .. })));
		assert!(penalized(missing, task, Offence::NoShow, TIER_1_STAKE / 100));
		assert!(!penalized(missing, task, Offence::Minority, TIER_1_STAKE / 20));
	});
}

#[test]
fn a_quorum_claiming_the_model_is_missing_is_penalized_and_the_task_reassigned() {
	build_and_execute(|| {
		add_model();
		register_operators(6);
		let task = post();
		let first = assignees(task);
		let diagnosing = first[0];
		// Two of three claim they lack the model: no free way to censor the clinic's task.
		work(task, |node| {
			if node == diagnosing {
				truth()
			} else {
				InputFault::ModelUnavailable.diagnosis()
			}
		});
		for node in &first[1..] {
			assert!(penalized(*node, task, Offence::NoShow, TIER_1_STAKE / 100));
		}
		assert_eq!(stake_of(diagnosing), TIER_1_STAKE, "the node that diagnosed is not wrong");
		let second = assignees(task);
		assert_eq!(Tasks::<Test>::get(task).unwrap().attempt, 2);
		let operators: Vec<_> = first.iter().map(|node| operator_of(*node)).collect();
		assert!(second.iter().all(|node| !operators.contains(&operator_of(*node))));
		// The second round claims the same: the task fails with the fee refunded.
		let clinic_before = balance(CLINIC);
		work(task, |_| InputFault::ModelUnavailable.diagnosis());
		assert_eq!(
			DepinRegistry::task_status(task),
			TaskStatus::Failed { reason: FailureReason::ModelUnavailable }
		);
		assert!(emitted(Event::TaskFailed {
			task,
			reason: FailureReason::ModelUnavailable,
			refunded: FEE
		}));
		assert_eq!(balance(CLINIC), clinic_before + FEE);
		for node in second {
			assert!(penalized(node, task, Offence::NoShow, TIER_1_STAKE / 100));
		}
		assert!(verified_diagnoses().is_empty());
	});
}
