//! Property test: whatever the assignees do, money is conserved, the fee goes either to the
//! quorum or back to the clinic, and exactly the nodes that deserve it are slashed.

use super::helpers::*;
use crate::{mock::*, Results, TaskResult};
use proptest::prelude::*;

/// What one assignee does.
#[derive(Clone, Copy, Debug)]
enum Behaviour {
	Silent,
	CommitsOnly,
	RevealsTruth,
	RevealsOther,
}

fn behaviour() -> impl Strategy<Value = Behaviour> {
	prop_oneof![
		Just(Behaviour::Silent),
		Just(Behaviour::CommitsOnly),
		Just(Behaviour::RevealsTruth),
		Just(Behaviour::RevealsOther),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	#[test]
	fn money_is_conserved_and_penalties_match_behaviour(
		behaviours in proptest::array::uniform3(behaviour()),
		fee in 30u128..100_000,
	) {
		build_and_execute(|| {
			add_model();
			register_operators(3);
			let issuance = Balances::total_issuance();
			let task = post_with(spec(), fee);
			let nodes = assignees(task);
			let other = diagnosis(&[4, 2]);
			let answer = |b: Behaviour| if matches!(b, Behaviour::RevealsOther) { other.clone() } else { truth() };
			for (node, b) in nodes.iter().zip(behaviours) {
				if !matches!(b, Behaviour::Silent) {
					frame_support::assert_ok!(commit(task, *node, &answer(b)));
				}
			}
			// With every commitment in, the reveal phase is already open; else it opens at the
			// commit deadline.
			if behaviours.iter().any(|b| matches!(b, Behaviour::Silent)) {
				run_to_block(1 + ROUTINE_COMMIT);
			}
			for (node, b) in nodes.iter().zip(behaviours) {
				if matches!(b, Behaviour::RevealsTruth | Behaviour::RevealsOther) && crate::Tasks::<Test>::contains_key(task) {
					frame_support::assert_ok!(reveal(task, *node, &answer(b)));
				}
			}
			run_to_block(1 + ROUTINE_COMMIT + ROUTINE_REVEAL);
			assert!(!crate::Tasks::<Test>::contains_key(task), "concluded");

			let truth_votes = behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsTruth)).count();
			let other_votes = behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsOther)).count();
			let winner = if truth_votes >= 2 { Some(Behaviour::RevealsTruth) } else if other_votes >= 2 { Some(Behaviour::RevealsOther) } else { None };
			assert_eq!(Balances::total_issuance(), issuance, "nothing minted or burnt");
			assert_eq!(balance(DepinRegistry::escrow_account()), 0, "no fee left in escrow");
			match winner {
				Some(_) => {
					assert!(matches!(Results::<Test>::get(task), Some(TaskResult::Verified { .. })));
					assert_eq!(balance(CLINIC), ENDOWMENT - fee);
				},
				None => {
					assert!(matches!(Results::<Test>::get(task), Some(TaskResult::Failed { .. })));
					assert_eq!(balance(CLINIC), ENDOWMENT);
				},
			}
			for (node, b) in nodes.iter().zip(behaviours) {
				let expected = match (b, winner) {
					(Behaviour::Silent | Behaviour::CommitsOnly, _) => TIER_1_STAKE - TIER_1_STAKE / 10,
					(Behaviour::RevealsTruth, Some(Behaviour::RevealsOther)) |
					(Behaviour::RevealsOther, Some(Behaviour::RevealsTruth)) => TIER_1_STAKE - TIER_1_STAKE / 5,
					_ => TIER_1_STAKE,
				};
				assert_eq!(stake_of(*node), expected, "{b:?} with winner {winner:?}");
			}
		});
	}
}
