//! Property test: whatever the assignees do, in BTT or a stablecoin, with or without nodes left
//! for a second round, money is conserved, the fee goes either to the quorum or back to the
//! clinic, and exactly the nodes that deserve it are slashed, at the runtime's rates.

use super::helpers::*;
use crate::{mock::*, TaskResult, Tasks};
use frame_support::traits::fungibles::Inspect;
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
		operators in 3u64..8,
		in_stablecoin in any::<bool>(),
	) {
		build_and_execute(|| {
			add_model();
			register_operators(operators);
			let currency = if in_stablecoin { NativeOrWithId::WithId(USDC) } else { NativeOrWithId::Native };
			let held = |who| <Test as crate::Config>::Currencies::balance(currency.clone(), &who);
			let issuance = Balances::total_issuance();
			let clinic_before = held(CLINIC);
			let task = crate::NextTaskId::<Test>::get();
			frame_support::assert_ok!(DepinRegistry::post_task(RuntimeOrigin::signed(CLINIC), spec(), currency.clone(), fee));
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
			let round = ROUTINE_COMMIT + ROUTINE_REVEAL;
			run_to_block(1 + round);
			// Without a quorum, a second round goes to other operators if there are three more;
			// its nodes stay silent.
			let second: Vec<AccountId> = depin_events()
				.into_iter()
				.find_map(|event| match event {
					crate::Event::TaskAssigned { task: t, attempt: 2, assignees, .. } if t == task => Some(assignees.to_vec()),
					_ => None,
				})
				.unwrap_or_default();
			assert_eq!(second.is_empty(), operators < 6 || behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsTruth)).count() >= 2 || behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsOther)).count() >= 2);
			assert!(second.iter().all(|node| !nodes.contains(node)));
			run_to_block(1 + 2 * round);
			assert!(!Tasks::<Test>::contains_key(task), "concluded");

			let truth_votes = behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsTruth)).count();
			let other_votes = behaviours.iter().filter(|b| matches!(b, Behaviour::RevealsOther)).count();
			let winner = if truth_votes >= 2 { Some(Behaviour::RevealsTruth) } else if other_votes >= 2 { Some(Behaviour::RevealsOther) } else { None };
			assert_eq!(Balances::total_issuance(), issuance, "nothing minted or burnt");
			assert_eq!(held(DepinRegistry::escrow_account()), 0, "no fee left in escrow");
			match winner {
				Some(_) => {
					assert!(matches!(DepinRegistry::task_result(task), Some(TaskResult::Verified { .. })));
					assert_eq!(held(CLINIC), clinic_before - fee - if in_stablecoin { 0 } else { TASK_DEPOSIT });
				},
				None => {
					assert!(matches!(DepinRegistry::task_result(task), Some(TaskResult::Failed { .. })));
					assert_eq!(held(CLINIC), clinic_before - if in_stablecoin { 0 } else { TASK_DEPOSIT });
				},
			}
			for (node, b) in nodes.iter().zip(behaviours) {
				let expected = match (b, winner) {
					(Behaviour::Silent, _) => TIER_1_STAKE - TIER_1_STAKE / 100,
					(Behaviour::CommitsOnly, _) => TIER_1_STAKE - TIER_1_STAKE / 20,
					(Behaviour::RevealsTruth, Some(Behaviour::RevealsOther)) |
					(Behaviour::RevealsOther, Some(Behaviour::RevealsTruth)) => TIER_1_STAKE - TIER_1_STAKE / 20,
					_ => TIER_1_STAKE,
				};
				assert_eq!(stake_of(*node), expected, "{b:?} with winner {winner:?}");
			}
			for node in second {
				assert_eq!(stake_of(node), TIER_1_STAKE - TIER_1_STAKE / 100, "a silent second round");
			}
		});
	}
}
