//! Challenge tasks: an auditor's known-answer tasks, indistinguishable from a clinic's until
//! the seal is opened, measure the nodes and catch those that do not compute.

use super::helpers::*;
use crate::{mock::*, Auditors, ChallengeOutcome, Error, Event, Nodes, Offence, TaskResult, Tasks};
use btt_primitives::depin::{self, Findings, InputFault};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::{DispatchError, FixedPointNumber, FixedU64};

const SALT: [u8; 32] = [42; 32];

/// A challenge whose expected answer is the truth, sealed by the test auditor.
fn sealed_spec() -> crate::TaskSpec<frame_support::traits::ConstU32<128>> {
	let mut challenge = spec();
	challenge.input_hash = H256::repeat_byte(0x33);
	challenge.reference = depin::challenge_seal(
		&AUDITOR,
		&challenge.model,
		&challenge.input_hash,
		&truth().findings,
		&SALT,
	);
	challenge
}

/// Posts the challenge from the auditor's posting account; returns its id.
fn post_challenge() -> u64 {
	let id = crate::NextTaskId::<Test>::get();
	assert_ok!(DepinRegistry::post_task(
		RuntimeOrigin::signed(AUDITOR_POSTER),
		sealed_spec(),
		NativeOrWithId::Native,
		FEE
	));
	id
}

fn open_seal(task: u64) -> sp_runtime::DispatchResult {
	DepinRegistry::reveal_challenge(RuntimeOrigin::signed(AUDITOR), task, truth().findings, SALT)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn challenges(node: AccountId) -> (u32, u32) {
	let record = Nodes::<Test>::get(node).unwrap().record;
	(record.challenges_passed, record.challenges_failed)
}

#[test]
fn a_challenge_task_looks_like_a_clinic_task_until_its_seal_is_opened() {
	build_and_execute(|| {
		add_model();
		register_operators(6);
		let clinic_task = post();
		let challenge = post_challenge();
		let (clinic_record, challenge_record) =
			(Tasks::<Test>::get(clinic_task).unwrap(), Tasks::<Test>::get(challenge).unwrap());
		// Same call, same shape: the poster is an ordinary account, not a registered auditor,
		// and the seal is 32 bytes like any clinic's reference.
		assert_eq!(challenge_record.clinic, AUDITOR_POSTER);
		assert!(!Auditors::<Test>::contains_key(AUDITOR_POSTER));
		assert_eq!(
			(
				clinic_record.spec.module,
				clinic_record.spec.urgency,
				clinic_record.fee,
				clinic_record.deposit,
				clinic_record.currency.clone()
			),
			(
				challenge_record.spec.module,
				challenge_record.spec.urgency,
				challenge_record.fee,
				challenge_record.deposit,
				challenge_record.currency.clone()
			),
		);
		assert_eq!(challenge_record.assignees.len(), clinic_record.assignees.len());
		let events_of = |task: u64| -> Vec<&'static str> {
			depin_events()
				.iter()
				.filter_map(|event| match event {
					Event::TaskPosted { task: t, .. } if *t == task => Some("posted"),
					Event::TaskAssigned { task: t, .. } if *t == task => Some("assigned"),
					Event::ResultCommitted { task: t, .. } if *t == task => Some("committed"),
					Event::RevealPhaseStarted { task: t, .. } if *t == task => Some("reveal phase"),
					Event::ResultRevealed { task: t, .. } if *t == task => Some("revealed"),
					Event::TaskVerified { task: t, .. } if *t == task => Some("verified"),
					Event::FeePaid { task: t, .. } if *t == task => Some("paid"),
					_ => None,
				})
				.collect()
		};
		work_honestly(clinic_task);
		work_honestly(challenge);
		assert_eq!(events_of(clinic_task), events_of(challenge));
		// Only the opened seal tells them apart.
		assert_ok!(open_seal(challenge));
		assert!(emitted(Event::ChallengeAudited {
			task: challenge,
			auditor: AUDITOR,
			outcome: ChallengeOutcome::Passed,
			reimbursed: FEE
		}));
	});
}

#[test]
fn passing_challenges_is_the_evidence_behind_p_compute() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(3);
		let before = DepinRegistry::node_efficiency(nodes[0]).unwrap();
		let challenge = post_challenge();
		work_honestly(challenge);
		assert_ok!(open_seal(challenge));
		for node in &nodes {
			assert_eq!(challenges(*node), (1, 0));
		}
		// The challenge score rises from the prior 1/2 to 2/3.
		let after = DepinRegistry::node_efficiency(nodes[0]).unwrap();
		assert_eq!(after, FixedU64::checked_from_rational(2, 3).unwrap());
		assert!(after > before);
	});
}

#[test]
fn a_quorum_answering_a_constant_fails_the_challenge_and_is_slashed() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let challenge = post_challenge();
		let nodes = assignees(challenge);
		let (lazy, honest) = (&nodes[..2], nodes[2]);
		let constant = diagnosis(&[0]);
		// Two workers that never compute agree on a constant and outvote the honest one.
		work(challenge, |node| if lazy.contains(&node) { constant.clone() } else { truth() });
		assert!(
			matches!(outcome(challenge), TaskResult::Verified { ref findings, .. } if *findings == constant.findings)
		);
		let stakes: Vec<_> = lazy.iter().map(|node| stake_of(*node)).collect();
		let auditor_before = balance(AUDITOR);
		assert_ok!(open_seal(challenge));
		for (node, stake) in lazy.iter().zip(stakes) {
			assert_eq!(stake_of(*node), stake - stake / 5, "slashed like a failed spot check");
			assert!(emitted(Event::NodePenalized {
				node: *node,
				task: challenge,
				offence: Offence::FailedChallenge,
				slashed: stake / 5
			}));
			assert_eq!(challenges(*node), (0, 1));
		}
		assert_eq!(challenges(honest), (1, 0), "the honest minority matched the sealed answer");
		assert!(matches!(outcome(challenge), TaskResult::Verified { overturned: true, .. }));
		assert!(emitted(Event::ChallengeAudited {
			task: challenge,
			auditor: AUDITOR,
			outcome: ChallengeOutcome::Failed,
			reimbursed: FEE
		}));
		assert_eq!(balance(AUDITOR), auditor_before + FEE);
		assert!(DepinRegistry::node_efficiency(lazy[0]) < DepinRegistry::node_efficiency(honest));
	});
}

#[test]
fn only_a_registered_auditor_opens_a_seal_and_only_governance_registers_one() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let challenge = post_challenge();
		work_honestly(challenge);
		// The posting account, or a clinic, is no auditor.
		assert_noop!(
			DepinRegistry::reveal_challenge(
				RuntimeOrigin::signed(AUDITOR_POSTER),
				challenge,
				truth().findings,
				SALT
			),
			Error::<Test>::NotAuditor
		);
		assert_noop!(
			DepinRegistry::add_auditor(RuntimeOrigin::signed(AUDITOR), CLINIC),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DepinRegistry::add_auditor(RuntimeOrigin::root(), AUDITOR),
			Error::<Test>::AlreadyAuditor
		);
		assert_noop!(
			DepinRegistry::remove_auditor(RuntimeOrigin::root(), CLINIC),
			Error::<Test>::NotAuditor
		);
		assert_ok!(DepinRegistry::add_auditor(RuntimeOrigin::root(), CLINIC));
		assert!(emitted(Event::AuditorAdded { auditor: CLINIC }));
		// Another auditor cannot open this auditor's seal: it binds the auditor.
		assert_noop!(
			DepinRegistry::reveal_challenge(
				RuntimeOrigin::signed(CLINIC),
				challenge,
				truth().findings,
				SALT
			),
			Error::<Test>::SealMismatch
		);
		assert_ok!(DepinRegistry::remove_auditor(RuntimeOrigin::root(), AUDITOR));
		assert_noop!(open_seal(challenge), Error::<Test>::NotAuditor);
		for auditor in [60, 61] {
			assert_ok!(DepinRegistry::add_auditor(RuntimeOrigin::root(), auditor));
		}
		assert_ok!(DepinRegistry::add_auditor(RuntimeOrigin::root(), 62));
		assert_noop!(
			DepinRegistry::add_auditor(RuntimeOrigin::root(), 63),
			Error::<Test>::TooManyAuditors
		);
	});
}

#[test]
fn a_seal_opens_only_with_its_findings_and_salt() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let challenge = post_challenge();
		work_honestly(challenge);
		assert_noop!(
			DepinRegistry::reveal_challenge(
				RuntimeOrigin::signed(AUDITOR),
				challenge,
				truth().findings,
				[0; 32]
			),
			Error::<Test>::SealMismatch
		);
		// An auditor cannot claim, after seeing the reveals, that it expected something else.
		assert_noop!(
			DepinRegistry::reveal_challenge(
				RuntimeOrigin::signed(AUDITOR),
				challenge,
				Findings::truncate_from(vec![0]),
				SALT
			),
			Error::<Test>::SealMismatch
		);
		// A clinic's task has no seal to open.
		let clinic_task = post();
		work_honestly(clinic_task);
		assert_noop!(
			DepinRegistry::reveal_challenge(
				RuntimeOrigin::signed(AUDITOR),
				clinic_task,
				truth().findings,
				SALT
			),
			Error::<Test>::SealMismatch
		);
	});
}

#[test]
fn a_seal_opens_once_after_the_task_concludes_and_within_the_audit_window() {
	build_and_execute(|| {
		add_model();
		register_operators(6);
		let challenge = post_challenge();
		assert_noop!(open_seal(challenge), Error::<Test>::NotConcluded);
		work_honestly(challenge);
		assert_ok!(open_seal(challenge));
		assert_noop!(open_seal(challenge), Error::<Test>::AlreadyAudited);
		let late = post_challenge();
		work_honestly(late);
		run_to_block(System::block_number() + AUDIT_WINDOW);
		assert_noop!(open_seal(late), Error::<Test>::AuditWindowClosed);
	});
}

#[test]
fn the_reward_pot_reimburses_challenges_within_the_epochs_budget() {
	build_and_execute(|| {
		add_model();
		register_operators(6);
		let fee = CHALLENGE_BUDGET * 3 / 5;
		let mut reimbursed = Vec::new();
		for input in [0x61u8, 0x62] {
			let mut challenge = spec();
			challenge.input_hash = H256::repeat_byte(input);
			challenge.reference = depin::challenge_seal(
				&AUDITOR,
				&challenge.model,
				&challenge.input_hash,
				&truth().findings,
				&SALT,
			);
			let id = crate::NextTaskId::<Test>::get();
			assert_ok!(DepinRegistry::post_task(
				RuntimeOrigin::signed(AUDITOR_POSTER),
				challenge,
				NativeOrWithId::Native,
				fee
			));
			work_honestly(id);
			let before = balance(AUDITOR);
			assert_ok!(open_seal(id));
			reimbursed.push(balance(AUDITOR) - before);
		}
		assert_eq!(reimbursed, vec![fee, CHALLENGE_BUDGET - fee]);
	});
}

#[test]
fn a_challenge_whose_input_the_quorum_rejects_measures_nobody() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let challenge = post_challenge();
		let nodes = assignees(challenge);
		// The auditor's server failed: the nodes found the input unreachable.
		work(challenge, |_| InputFault::InputUnreachable.diagnosis());
		assert_ok!(open_seal(challenge));
		assert!(emitted(Event::ChallengeAudited {
			task: challenge,
			auditor: AUDITOR,
			outcome: ChallengeOutcome::Void,
			reimbursed: FEE
		}));
		for node in nodes {
			assert_eq!(challenges(node), (0, 0));
			assert_eq!(stake_of(node), TIER_1_STAKE);
		}
	});
}
