//! The attacks the protocol must withstand, one named test each: every one is rejected with a
//! specific error or penalized.

use super::helpers::*;
use crate::{
	mock::*, Error, Event, NodeStatus, Nodes, Offence, Review, Routing, TaskResult, Tasks,
};
use btt_primitives::depin::{self, ModuleSet, Region, Tier};
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_node_key_cannot_be_registered_without_its_signature() {
	build_and_execute(|| {
		let (worker_operator, attacker) = (FIRST_OPERATOR, FIRST_OPERATOR + 1);
		let key = node_key(worker_operator, 0);
		let register_as = |operator: AccountId, proof| {
			DepinRegistry::register_node(
				RuntimeOrigin::signed(operator),
				key,
				Tier::Consumer,
				consumer_gpu(),
				Region::Europe,
				ModuleSet::all(),
				TIER_1_STAKE,
				proof,
			)
		};
		// The attacker saw the worker's registration in the pool and replays its proof for
		// itself, or signs with its own key: neither proves the node key's consent.
		assert_noop!(
			register_as(attacker, key_proof(worker_operator, key)),
			Error::<Test>::BadKeyProof
		);
		assert_noop!(
			register_as(
				attacker,
				sp_runtime::testing::TestSignature(attacker, key_proof(attacker, key).1)
			),
			Error::<Test>::BadKeyProof
		);
		assert!(Nodes::<Test>::get(key).is_none());
		assert_ok!(register_as(worker_operator, key_proof(worker_operator, key)));
		assert_eq!(operator_of(key), worker_operator);
	});
}

#[test]
fn withholding_a_reveal_costs_as_much_as_revealing_a_minority_answer() {
	// A node committed to a wrong answer and then saw the honest reveals: keeping quiet ...
	let mut withheld = 0;
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let withholder = nodes[0];
		assert_ok!(commit(task, withholder, &diagnosis(&[9])));
		for node in &nodes[1..] {
			assert_ok!(commit(task, *node, &truth()));
		}
		for node in &nodes[1..] {
			assert_ok!(reveal(task, *node, &truth()));
		}
		run_to_block(1 + ROUTINE_COMMIT + ROUTINE_REVEAL);
		withheld = TIER_1_STAKE - stake_of(withholder);
		assert!(emitted(Event::NodePenalized {
			node: withholder,
			task,
			offence: Offence::Withheld,
			slashed: withheld
		}));
	});
	// ... costs what revealing the wrong answer costs.
	let mut revealed = 0;
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let minority = nodes[0];
		work(task, |node| if node == minority { diagnosis(&[9]) } else { truth() });
		revealed = TIER_1_STAKE - stake_of(minority);
		assert!(emitted(Event::NodePenalized {
			node: minority,
			task,
			offence: Offence::Minority,
			slashed: revealed
		}));
	});
	assert_eq!(withheld, TIER_1_STAKE / 20);
	assert!(withheld >= revealed, "withholding never pays better than revealing");
}

#[test]
fn sybil_operator_never_takes_two_slots_of_one_task() {
	build_and_execute(|| {
		add_model();
		let sybil = FIRST_OPERATOR;
		let sybil_nodes: Vec<_> = (0..4).map(|n| register(sybil, n)).collect();
		register(FIRST_OPERATOR + 1, 0);
		// Five nodes but two operators: three slots cannot be filled.
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::NotEnoughNodes
		);
		register(FIRST_OPERATOR + 2, 0);
		for _ in 0..6 {
			let task = post();
			let taken = assignees(task).iter().filter(|node| sybil_nodes.contains(node)).count();
			assert_eq!(taken, 1, "the sybil operator holds exactly one slot");
		}
	});
}

#[test]
fn copied_commitment_is_rejected() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let honest = commitment_of(task, nodes[0], &truth());
		assert_ok!(DepinRegistry::commit_result(RuntimeOrigin::signed(nodes[0]), task, honest));
		assert_noop!(
			DepinRegistry::commit_result(RuntimeOrigin::signed(nodes[1]), task, honest),
			Error::<Test>::DuplicateCommitment
		);
	});
}

#[test]
fn copied_reveal_does_not_open_the_copiers_commitment() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		let (honest, copier, other) = (nodes[0], nodes[1], nodes[2]);
		assert_ok!(commit(task, honest, &truth()));
		assert_ok!(commit(task, other, &truth()));
		// The copier commits to something it hopes to replace with the honest reveal.
		assert_ok!(DepinRegistry::commit_result(
			RuntimeOrigin::signed(copier),
			task,
			sp_core::H256::repeat_byte(7)
		));
		assert_ok!(reveal(task, honest, &truth()));
		// It copies the honest node's diagnosis and salt: the commitment binds the node key.
		assert_noop!(
			DepinRegistry::reveal_result(
				RuntimeOrigin::signed(copier),
				task,
				truth(),
				salt(honest, task)
			),
			Error::<Test>::CommitmentMismatch
		);
		let stake = stake_of(copier);
		assert_ok!(reveal(task, other, &truth()));
		run_to_block(1 + ROUTINE_COMMIT + ROUTINE_REVEAL);
		// It committed and could not open its commitment: withheld, slashed like a minority.
		assert_eq!(stake_of(copier), stake - stake / 20);
		assert!(depin_events().contains(&Event::NodePenalized {
			node: copier,
			task,
			offence: Offence::Withheld,
			slashed: stake / 20
		}));
	});
}

#[test]
fn reveal_without_commit_is_rejected() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		assert_ok!(commit(task, nodes[0], &truth()));
		assert_ok!(commit(task, nodes[1], &truth()));
		run_to_block(1 + ROUTINE_COMMIT);
		assert_noop!(reveal(task, nodes[2], &truth()), Error::<Test>::NotCommitted);
	});
}

#[test]
fn reveal_mismatching_commit_is_rejected() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		for node in &nodes {
			assert_ok!(commit(task, *node, &truth()));
		}
		// Another diagnosis, or the right one with another salt.
		assert_noop!(reveal(task, nodes[0], &diagnosis(&[9])), Error::<Test>::CommitmentMismatch);
		assert_noop!(
			DepinRegistry::reveal_result(RuntimeOrigin::signed(nodes[0]), task, truth(), [0u8; 32]),
			Error::<Test>::CommitmentMismatch
		);
	});
}

#[test]
fn lazy_node_revealing_a_constant_is_slashed_and_loses_efficiency() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(3);
		let lazy = nodes[0];
		// Enough stake that the penalties do not suspend it: it keeps being assigned.
		assert_ok!(DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), lazy, 9_000));
		let constant = diagnosis(&[0]);
		for _ in 0..2 {
			let task = post();
			work(task, |node| if node == lazy { constant.clone() } else { truth() });
			assert!(matches!(DepinRegistry::task_result(task), Some(TaskResult::Verified { .. })));
		}
		// 5 % of 10,000, then 5 % of 9,500.
		assert_eq!(stake_of(lazy), 9_025);
		let record = Nodes::<Test>::get(lazy).unwrap().record;
		assert_eq!((record.tasks_ok, record.tasks_concluded), (0, 2));
		let lazy_e = DepinRegistry::node_efficiency(lazy).unwrap();
		let honest_e = DepinRegistry::node_efficiency(nodes[1]).unwrap();
		// (0 + 1) / (2 + 1) against (2 + 1) / (2 + 1), times the challenge prior 1/2.
		assert_eq!(
			lazy_e,
			<sp_runtime::FixedU64 as sp_runtime::FixedPointNumber>::checked_from_rational(1, 6)
				.unwrap()
		);
		assert!(lazy_e < honest_e);
		let lazy_weight =
			Routing::<Test>::get().iter().find(|entry| entry.node == lazy).unwrap().efficiency;
		assert_eq!(lazy_weight, lazy_e, "routing already prefers the honest nodes");
	});
}

#[test]
fn colluding_minority_is_slashed() {
	build_and_execute(|| {
		add_model();
		register_operators(5);
		let mut urgent = spec();
		urgent.urgency = btt_primitives::depin::Urgency::Emergency;
		let task = post_with(urgent, FEE);
		let nodes = assignees(task);
		let colluders = [nodes[0], nodes[1]];
		let forged = diagnosis(&[7, 7]);
		work(task, |node| if colluders.contains(&node) { forged.clone() } else { truth() });
		let TaskResult::Verified { findings, quorum, .. } =
			DepinRegistry::task_result(task).unwrap()
		else {
			panic!()
		};
		assert_eq!(findings, truth().findings);
		assert_eq!(quorum.len(), 3);
		for colluder in colluders {
			assert_eq!(stake_of(colluder), TIER_1_STAKE - TIER_1_STAKE / 20);
			assert!(depin_events().contains(&Event::NodePenalized {
				node: colluder,
				task,
				offence: Offence::Minority,
				slashed: TIER_1_STAKE / 20
			}));
		}
	});
}

#[test]
fn colluding_majority_is_caught_by_spot_check() {
	build_and_execute(|| {
		SpotCheckRate::set(sp_runtime::Perbill::one());
		let (task, nodes) = task_with_nodes(6);
		let colluders = [nodes[0], nodes[1]];
		let forged = diagnosis(&[7, 7]);
		work(task, |node| if colluders.contains(&node) { forged.clone() } else { truth() });
		// The forgery wins the vote and the clinic is told.
		let TaskResult::Verified { findings, review, .. } =
			DepinRegistry::task_result(task).unwrap()
		else {
			panic!()
		};
		assert_eq!(findings, forged.findings);
		assert_eq!(review, Review::AwaitingDraw);
		run_past_draw();
		let TaskResult::Verified { review: Review::SpotCheck(spot), .. } = outcome(task) else {
			panic!("a spot check started")
		};
		let checkers = assignees(spot);
		assert!(checkers.iter().all(|node| !nodes.contains(node)), "spot checkers are fresh nodes");
		assert_eq!(Tasks::<Test>::get(spot).unwrap().fee, 0);

		let stakes: Vec<_> = colluders.iter().map(|node| stake_of(*node)).collect();
		work_honestly(spot);
		let TaskResult::Verified { overturned, review, .. } =
			DepinRegistry::task_result(task).unwrap()
		else {
			panic!()
		};
		assert!(overturned);
		assert_eq!(review, Review::Settled);
		for (colluder, before) in colluders.iter().zip(stakes) {
			assert_eq!(stake_of(*colluder), before - before / 5);
		}
		assert!(depin_events().contains(&Event::ResultOverturned { task, spot_check: spot }));
		assert!(matches!(
			DepinRegistry::task_status(task),
			crate::TaskStatus::Verified { overturned: true, .. }
		));
	});
}

#[test]
fn reveal_replayed_on_another_task_is_rejected() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let first = post();
		let mut second_spec = spec();
		second_spec.input_hash = sp_core::H256::repeat_byte(0x22);
		let second = post_with(second_spec, FEE);
		let node = assignees(first)[0];
		assert!(assignees(second).contains(&node));
		work_honestly(first);
		// The node replays its first-task commitment and reveal on the second task.
		let record = Tasks::<Test>::get(second).unwrap();
		let replayed = depin::commitment(
			first,
			&record.spec.model,
			&sp_core::H256::repeat_byte(0x11),
			&node,
			&truth(),
			&salt(node, first),
		);
		assert_ok!(DepinRegistry::commit_result(RuntimeOrigin::signed(node), second, replayed));
		for other in assignees(second).into_iter().filter(|other| *other != node) {
			assert_ok!(commit(second, other, &truth()));
		}
		assert_noop!(
			DepinRegistry::reveal_result(
				RuntimeOrigin::signed(node),
				second,
				truth(),
				salt(node, first)
			),
			Error::<Test>::CommitmentMismatch
		);
	});
}

#[test]
fn deregistering_to_dodge_a_slash_fails() {
	build_and_execute(|| {
		SpotCheckRate::set(sp_runtime::Perbill::one());
		let (task, nodes) = task_with_nodes(6);
		let cheat = nodes[0];
		let operator = operator_of(cheat);
		// It leaves while assigned: out of routing at once, its task still to finish.
		assert_ok!(DepinRegistry::deregister_node(RuntimeOrigin::signed(operator), cheat));
		assert!(Routing::<Test>::get().iter().all(|entry| entry.node != cheat));
		let forged = diagnosis(&[7, 7]);
		work(task, |node| if node == cheat || node == nodes[1] { forged.clone() } else { truth() });
		// Verified (wrongly): its stake is held for the result's review.
		assert_eq!(Nodes::<Test>::get(cheat).unwrap().pending_reviews, 1);
		assert_noop!(
			DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), cheat),
			Error::<Test>::NodeBusy
		);
		let stake = stake_of(cheat);
		run_past_draw();
		let TaskResult::Verified { review: Review::SpotCheck(spot), .. } = outcome(task) else {
			panic!()
		};
		work_honestly(spot);
		// It is slashed from its unbonding stake all the same.
		assert_eq!(stake_of(cheat), stake - stake / 5);
		assert_eq!(Nodes::<Test>::get(cheat).unwrap().pending_reviews, 0);
		run_to_block(2 + UNBONDING_PERIOD);
		let before = balance(operator);
		assert_ok!(DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), cheat));
		assert_eq!(balance(operator), before + stake - stake / 5);
	});
}

#[test]
fn task_naming_a_retired_model_is_rejected() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		assert_ok!(DepinRegistry::retire_model(RuntimeOrigin::root(), model()));
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::ModelRetired
		);
	});
}

#[test]
fn fee_cannot_be_drained_twice() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		work_honestly(task);
		let operators: Vec<_> = nodes.iter().map(|node| operator_of(*node)).collect();
		let paid: Vec<_> = operators.iter().map(|operator| balance(*operator)).collect();
		// Reveals, commits and the old deadlines after the conclusion change nothing.
		assert_noop!(reveal(task, nodes[0], &truth()), Error::<Test>::UnknownTask);
		assert_noop!(
			DepinRegistry::commit_result(
				RuntimeOrigin::signed(nodes[0]),
				task,
				sp_core::H256::zero()
			),
			Error::<Test>::UnknownTask
		);
		run_to_block(1 + ROUTINE_COMMIT + ROUTINE_REVEAL + 1);
		let after: Vec<_> = operators.iter().map(|operator| balance(*operator)).collect();
		assert_eq!(paid, after);
		assert_eq!(balance(DepinRegistry::escrow_account()), 0);
		assert_eq!(balance(CLINIC), ENDOWMENT - FEE - TASK_DEPOSIT);
	});
}

#[test]
fn repeated_failures_suspend_a_node_until_it_recovers() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(3);
		let flaky = nodes[0];
		assert_ok!(DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), flaky, 9_000));
		for round in 0..3 {
			let task = post();
			for node in nodes.iter().filter(|node| **node != flaky) {
				assert_ok!(commit(task, *node, &truth()));
			}
			run_to_block(System::block_number() + ROUTINE_COMMIT);
			for node in nodes.iter().filter(|node| **node != flaky) {
				assert_ok!(reveal(task, *node, &truth()));
			}
			let suspended =
				matches!(Nodes::<Test>::get(flaky).unwrap().status, NodeStatus::Suspended { .. });
			assert_eq!(suspended, round == 2, "suspended after the third failure in a row");
		}
		let NodeStatus::Suspended { until } = Nodes::<Test>::get(flaky).unwrap().status else {
			panic!()
		};
		assert!(Routing::<Test>::get().iter().all(|entry| entry.node != flaky));
		// A heartbeat before the end of the suspension does not reactivate it.
		let epoch_start = |epoch: u32| u64::from(epoch) * EPOCH_LENGTH;
		run_to_block(epoch_start(until - 1));
		assert!(DepinRegistry::current_epoch() < until);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(flaky)));
		assert!(!is_active(flaky));
		run_to_block(epoch_start(until));
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(flaky)));
		assert!(is_active(flaky));
		assert!(depin_events().contains(&Event::NodeReactivated { node: flaky }));
		assert_eq!(Nodes::<Test>::get(flaky).unwrap().record.consecutive_failures, 0);
	});
}
