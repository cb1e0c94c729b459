//! Registration, stake, heartbeats, epoch rewards and deregistration.

use super::helpers::*;
use crate::{formulas, mock::*, Error, Event, Hardware, NodeCount, NodeStatus, Nodes, OperatorNodes, Routing};
use btt_primitives::depin::{ModuleSet, Region, Tier};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::InspectHold,
};

fn hold_of(operator: AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::NodeStake.into(), &operator)
}

#[test]
fn register_node_holds_stake_and_joins_routing() {
	build_and_execute(|| {
		let operator = FIRST_OPERATOR;
		let node = register(operator, 0);
		assert_eq!(hold_of(operator), TIER_1_STAKE);
		assert_eq!(balance(operator), ENDOWMENT - TIER_1_STAKE);
		let record = Nodes::<Test>::get(node).unwrap();
		assert_eq!(record.operator, operator);
		assert_eq!(record.status, NodeStatus::Active);
		assert_eq!(record.record.heartbeats, 1);
		let routing = Routing::<Test>::get();
		assert_eq!(routing.len(), 1);
		assert_eq!(routing[0].node, node);
		// A lone node in a lone region, efficient as the reference, with no history: E = 1.
		assert_eq!(routing[0].efficiency, sp_runtime::FixedU64::from_u32(1));
		assert_eq!(NodeCount::<Test>::get(), 1);
		assert_eq!(OperatorNodes::<Test>::get(operator), 1);
		assert!(depin_events().contains(&Event::NodeRegistered {
			node,
			operator,
			tier: Tier::Consumer,
			region: Region::Europe,
			stake: TIER_1_STAKE,
		}));
	});
}

#[test]
fn register_node_rejects_bad_input_with_specific_errors() {
	build_and_execute(|| {
		let operator = FIRST_OPERATOR;
		let key = node_key(operator, 0);
		let origin = || RuntimeOrigin::signed(operator);
		let register_with = |tier, hardware, modules, stake| {
			DepinRegistry::register_node(origin(), key, tier, hardware, Region::Europe, modules, stake)
		};
		assert_noop!(
			register_with(Tier::Consumer, consumer_gpu(), ModuleSet(0), TIER_1_STAKE),
			Error::<Test>::InvalidModules
		);
		assert_noop!(
			register_with(Tier::Consumer, consumer_gpu(), ModuleSet(0b10_0000), TIER_1_STAKE),
			Error::<Test>::InvalidModules
		);
		assert_noop!(
			register_with(Tier::Consumer, Hardware { power_watts: 0, ..consumer_gpu() }, ModuleSet::all(), TIER_1_STAKE),
			Error::<Test>::ZeroPower
		);
		assert_noop!(
			register_with(Tier::Professional, consumer_gpu(), ModuleSet::all(), TIER_2_STAKE),
			Error::<Test>::HardwareBelowTier
		);
		assert_noop!(
			register_with(Tier::Consumer, Hardware { benchmark_score: 10, ..consumer_gpu() }, ModuleSet::all(), TIER_1_STAKE),
			Error::<Test>::HardwareBelowTier
		);
		assert_noop!(
			register_with(Tier::Professional, professional_gpu(), ModuleSet::all(), TIER_1_STAKE),
			Error::<Test>::StakeBelowTierMinimum
		);
		assert_noop!(
			DepinRegistry::register_node(
				RuntimeOrigin::signed(PAUPER),
				key,
				Tier::Consumer,
				consumer_gpu(),
				Region::Europe,
				ModuleSet::all(),
				TIER_1_STAKE
			),
			Error::<Test>::InsufficientBalance
		);
		register(operator, 0);
		assert_noop!(
			register_with(Tier::Consumer, consumer_gpu(), ModuleSet::all(), TIER_1_STAKE),
			Error::<Test>::NodeAlreadyRegistered
		);
		for n in 1..4 {
			register(operator, n);
		}
		assert_noop!(
			DepinRegistry::register_node(
				origin(),
				node_key(operator, 4),
				Tier::Consumer,
				consumer_gpu(),
				Region::Europe,
				ModuleSet::all(),
				TIER_1_STAKE
			),
			Error::<Test>::TooManyNodesForOperator
		);
	});
}

#[test]
fn only_the_operator_updates_or_bonds_its_node() {
	build_and_execute(|| {
		let node = register(FIRST_OPERATOR, 0);
		let stranger = FIRST_OPERATOR + 1;
		assert_noop!(
			DepinRegistry::update_node(RuntimeOrigin::signed(stranger), node, Region::Asia, ModuleSet::all()),
			Error::<Test>::NotOperator
		);
		assert_noop!(DepinRegistry::bond_extra(RuntimeOrigin::signed(stranger), node, 5), Error::<Test>::NotOperator);
		assert_noop!(
			DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), 999, 5),
			Error::<Test>::UnknownNode
		);
		assert_noop!(
			DepinRegistry::update_node(RuntimeOrigin::signed(FIRST_OPERATOR), node, Region::Asia, ModuleSet(0)),
			Error::<Test>::InvalidModules
		);
		let caries_only = ModuleSet::of(&[btt_primitives::depin::DiagnosticModule::CariesDetection]);
		assert_ok!(DepinRegistry::update_node(RuntimeOrigin::signed(FIRST_OPERATOR), node, Region::Asia, caries_only));
		assert_eq!(Routing::<Test>::get()[0].region, Region::Asia);
		assert_eq!(Routing::<Test>::get()[0].modules, caries_only);
		assert_ok!(DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), node, 500));
		assert_eq!(stake_of(node), TIER_1_STAKE + 500);
		assert_eq!(hold_of(FIRST_OPERATOR), TIER_1_STAKE + 500);
	});
}

#[test]
fn heartbeat_once_per_epoch_pays_the_previous_epoch() {
	build_and_execute(|| {
		let node = register(FIRST_OPERATOR, 0);
		assert_noop!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)), Error::<Test>::HeartbeatAlreadySent);
		assert_noop!(DepinRegistry::heartbeat(RuntimeOrigin::signed(999)), Error::<Test>::UnknownNode);

		run_to_block(EPOCH_LENGTH);
		let before = balance(FIRST_OPERATOR);
		let pot_before = balance(DepinRegistry::reward_pot());
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		// E = 1 (reference efficiency, no failures, every epoch live, one region).
		let expected = formulas::epoch_reward(
			&DepinRegistry::tier_params(Tier::Consumer),
			sp_runtime::FixedU64::from_u32(1),
			EPOCHS_PER_MONTH,
		);
		assert_eq!(expected, 150);
		assert_eq!(balance(FIRST_OPERATOR), before + expected);
		assert_eq!(balance(DepinRegistry::reward_pot()), pot_before - expected);
		assert!(depin_events().contains(&Event::EpochRewardPaid {
			node,
			operator: FIRST_OPERATOR,
			epoch: 0,
			amount: expected
		}));
		assert_eq!(Nodes::<Test>::get(node).unwrap().record.last_rewarded, Some(0));
		assert_noop!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)), Error::<Test>::HeartbeatAlreadySent);
	});
}

#[test]
fn a_missed_epoch_earns_nothing_and_lowers_availability() {
	build_and_execute(|| {
		let node = register(FIRST_OPERATOR, 0);
		run_to_block(2 * EPOCH_LENGTH);
		let before = balance(FIRST_OPERATOR);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		// Epoch 1 had no heartbeat: no reward for it.
		assert_eq!(balance(FIRST_OPERATOR), before);
		// Two heartbeats in three epochs.
		let e = DepinRegistry::node_efficiency(node).unwrap();
		assert_eq!(e, <sp_runtime::FixedU64 as sp_runtime::FixedPointNumber>::checked_from_rational(2, 3).unwrap());
	});
}

#[test]
fn an_empty_reward_pot_reports_the_shortfall() {
	build_and_execute(|| {
		let node = register(FIRST_OPERATOR, 0);
		let pot = DepinRegistry::reward_pot();
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(pot), CLINIC, POT_ENDOWMENT - EXISTENTIAL_DEPOSIT));
		run_to_block(EPOCH_LENGTH);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		assert!(depin_events().contains(&Event::RewardShortfall { node, epoch: 0, unpaid: 150 }));
		assert_eq!(balance(pot), EXISTENTIAL_DEPOSIT);
	});
}

#[test]
fn a_node_without_a_current_heartbeat_gets_no_task() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(4);
		let silent = nodes[3];
		run_to_block(2 * EPOCH_LENGTH);
		for node in &nodes[..3] {
			assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(*node)));
		}
		assert!(!DepinRegistry::node_view(silent).unwrap().routable);
		for _ in 0..5 {
			let task = post();
			assert!(!assignees(task).contains(&silent));
		}
	});
}

#[test]
fn deregister_unbonds_then_releases_the_stake() {
	build_and_execute(|| {
		let node = register(FIRST_OPERATOR, 0);
		let operator = FIRST_OPERATOR;
		assert_noop!(
			DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), node),
			Error::<Test>::NotUnbonding
		);
		assert_noop!(
			DepinRegistry::deregister_node(RuntimeOrigin::signed(operator + 1), node),
			Error::<Test>::NotOperator
		);
		assert_ok!(DepinRegistry::deregister_node(RuntimeOrigin::signed(operator), node));
		assert!(Routing::<Test>::get().is_empty());
		let unlocks_at = 1 + UNBONDING_PERIOD;
		assert_eq!(Nodes::<Test>::get(node).unwrap().status, NodeStatus::Unbonding { unlocks_at });
		assert_noop!(
			DepinRegistry::deregister_node(RuntimeOrigin::signed(operator), node),
			Error::<Test>::NodeUnbonding
		);
		assert_noop!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)), Error::<Test>::NodeUnbonding);
		assert_noop!(
			DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), node),
			Error::<Test>::StillUnbonding
		);
		run_to_block(unlocks_at);
		assert_ok!(DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), node));
		assert_eq!(hold_of(operator), 0);
		assert_eq!(balance(operator), ENDOWMENT);
		assert!(Nodes::<Test>::get(node).is_none());
		assert_eq!(NodeCount::<Test>::get(), 0);
		assert!(!OperatorNodes::<Test>::contains_key(operator));
	});
}

#[test]
fn nodes_in_thin_regions_are_more_efficient() {
	build_and_execute(|| {
		let europe = register_operators(3);
		let asia = register(FIRST_OPERATOR + 10, 0);
		assert_ok!(DepinRegistry::update_node(
			RuntimeOrigin::signed(FIRST_OPERATOR + 10),
			asia,
			Region::Asia,
			ModuleSet::all()
		));
		let e_europe = DepinRegistry::node_efficiency(europe[0]).unwrap();
		let e_asia = DepinRegistry::node_efficiency(asia).unwrap();
		// Mean 2 per region: Europe 2/3, Asia capped at 3/2.
		assert_eq!(e_europe, <sp_runtime::FixedU64 as sp_runtime::FixedPointNumber>::checked_from_rational(2, 3).unwrap());
		assert_eq!(e_asia, formulas::MAX_DISTRIBUTION_FACTOR);
	});
}
