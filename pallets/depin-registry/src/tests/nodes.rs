//! Registration, stake, heartbeats, epoch rewards and deregistration.

use super::helpers::*;
use crate::{
	formulas, mock::*, Error, Event, Hardware, NodeCount, NodeStatus, Nodes, OperatorNodes, Routing,
};
use btt_primitives::depin::{ModuleSet, Region, Tier};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::{FixedPointNumber, FixedU64};

fn hold_of(operator: AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::NodeStake.into(), &operator)
}

fn ratio(a: u128, b: u128) -> FixedU64 {
	FixedU64::checked_from_rational(a, b).unwrap()
}

/// Three operators' nodes, each with one verified task done now.
fn nodes_with_work() -> Vec<AccountId> {
	let (task, nodes) = task_with_nodes(3);
	work_honestly(task);
	nodes
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
		// A lone node in a lone region with no history: every factor 1 but the challenge score,
		// whose prior is one pass and one failure: E = 1/2.
		assert_eq!(routing[0].efficiency, ratio(1, 2));
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
			DepinRegistry::register_node(
				origin(),
				key,
				tier,
				hardware,
				Region::Europe,
				modules,
				stake,
				key_proof(operator, key),
			)
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
			register_with(
				Tier::Consumer,
				Hardware { power_watts: 0, ..consumer_gpu() },
				ModuleSet::all(),
				TIER_1_STAKE
			),
			Error::<Test>::ZeroPower
		);
		assert_noop!(
			register_with(Tier::Professional, consumer_gpu(), ModuleSet::all(), TIER_2_STAKE),
			Error::<Test>::HardwareBelowTier
		);
		assert_noop!(
			register_with(
				Tier::Consumer,
				Hardware { benchmark_score: 10, ..consumer_gpu() },
				ModuleSet::all(),
				TIER_1_STAKE
			),
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
				TIER_1_STAKE,
				key_proof(PAUPER, key),
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
				TIER_1_STAKE,
				key_proof(operator, node_key(operator, 4)),
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
			DepinRegistry::update_node(
				RuntimeOrigin::signed(stranger),
				node,
				Region::Asia,
				ModuleSet::all()
			),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			DepinRegistry::bond_extra(RuntimeOrigin::signed(stranger), node, 5),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), 999, 5),
			Error::<Test>::UnknownNode
		);
		assert_noop!(
			DepinRegistry::update_node(
				RuntimeOrigin::signed(FIRST_OPERATOR),
				node,
				Region::Asia,
				ModuleSet(0)
			),
			Error::<Test>::InvalidModules
		);
		let caries_only =
			ModuleSet::of(&[btt_primitives::depin::DiagnosticModule::CariesDetection]);
		assert_ok!(DepinRegistry::update_node(
			RuntimeOrigin::signed(FIRST_OPERATOR),
			node,
			Region::Asia,
			caries_only
		));
		assert_eq!(Routing::<Test>::get()[0].region, Region::Asia);
		assert_eq!(Routing::<Test>::get()[0].modules, caries_only);
		assert_ok!(DepinRegistry::bond_extra(RuntimeOrigin::signed(FIRST_OPERATOR), node, 500));
		assert_eq!(stake_of(node), TIER_1_STAKE + 500);
		assert_eq!(hold_of(FIRST_OPERATOR), TIER_1_STAKE + 500);
	});
}

#[test]
fn heartbeat_once_per_epoch_pays_the_previous_epoch_for_its_verified_work() {
	build_and_execute(|| {
		let nodes = nodes_with_work();
		let node = nodes[0];
		let operator = operator_of(node);
		assert_noop!(
			DepinRegistry::heartbeat(RuntimeOrigin::signed(node)),
			Error::<Test>::HeartbeatAlreadySent
		);
		assert_noop!(
			DepinRegistry::heartbeat(RuntimeOrigin::signed(999)),
			Error::<Test>::UnknownNode
		);

		run_to_block(EPOCH_LENGTH);
		let before = balance(operator);
		let pot_before = balance(DepinRegistry::reward_pot());
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		// E = 1/2: the challenge prior; everything else 1 (a commitment in the block of the
		// assignment is faster than tier 1's 4 blocks a task). One task of the 5 tier 1 expects
		// in an epoch (50 a day, 200 blocks a day, 20-block epochs).
		let expected = formulas::epoch_reward(
			&DepinRegistry::tier_params(Tier::Consumer),
			ratio(1, 2),
			sp_runtime::Perbill::from_percent(20),
			EPOCHS_PER_MONTH,
		);
		// (750 + 750 · 1/2) · 1/5 / 10 epochs.
		assert_eq!(expected, 22);
		assert_eq!(balance(operator), before + expected);
		assert_eq!(balance(DepinRegistry::reward_pot()), pot_before - expected);
		assert!(depin_events().contains(&Event::EpochRewardPaid {
			node,
			operator,
			epoch: 0,
			amount: expected
		}));
		assert_eq!(Nodes::<Test>::get(node).unwrap().record.last_rewarded, Some(0));
		assert_noop!(
			DepinRegistry::heartbeat(RuntimeOrigin::signed(node)),
			Error::<Test>::HeartbeatAlreadySent
		);
	});
}

#[test]
fn an_idle_node_earns_no_epoch_reward() {
	build_and_execute(|| {
		// A node that declares the best hardware there is and sends every heartbeat, but does
		// no task.
		let operator = FIRST_OPERATOR;
		let node = node_key(operator, 0);
		assert_ok!(DepinRegistry::register_node(
			RuntimeOrigin::signed(operator),
			node,
			Tier::Cluster,
			Hardware { gpu_memory_gb: 1_024, benchmark_score: 1_000_000, power_watts: 1 },
			Region::Europe,
			ModuleSet::all(),
			10_000,
			key_proof(operator, node),
		));
		for epoch in 1..4u64 {
			run_to_block(epoch * EPOCH_LENGTH);
			let before = balance(operator);
			assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
			assert_eq!(balance(operator), before, "no reward without verified work");
			assert!(emitted(Event::EpochUnearned { node, epoch: (epoch - 1) as u32 }));
		}
		assert_eq!(balance(DepinRegistry::reward_pot()), POT_ENDOWMENT);
	});
}

#[test]
fn declared_hardware_never_raises_a_reward() {
	build_and_execute(|| {
		add_model();
		// Two tier-1 nodes, one claiming a thousandth of the other's power draw and a thousand
		// times its benchmark score.
		let modest = register(FIRST_OPERATOR, 0);
		let boastful = node_key(FIRST_OPERATOR + 1, 0);
		assert_ok!(DepinRegistry::register_node(
			RuntimeOrigin::signed(FIRST_OPERATOR + 1),
			boastful,
			Tier::Consumer,
			Hardware { gpu_memory_gb: 80, benchmark_score: 300_000, power_watts: 1 },
			Region::Europe,
			ModuleSet::all(),
			TIER_1_STAKE,
			key_proof(FIRST_OPERATOR + 1, boastful),
		));
		register(FIRST_OPERATOR + 2, 0);
		let task = post();
		work_honestly(task);
		assert_eq!(
			DepinRegistry::node_efficiency(modest),
			DepinRegistry::node_efficiency(boastful)
		);
		run_to_block(EPOCH_LENGTH);
		let paid = |node: AccountId| {
			let before = balance(operator_of(node));
			assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
			balance(operator_of(node)) - before
		};
		assert_eq!(paid(modest), paid(boastful));
	});
}

#[test]
fn a_high_tier_claim_is_paid_only_for_the_work_the_node_does() {
	build_and_execute(|| {
		add_model();
		// A node admitted to tier 4 by its declaration does one task in an epoch: it is paid
		// for one of the 60 tasks tier 4 expects in an epoch (600 a day), not its tier's range.
		let cluster = node_key(FIRST_OPERATOR, 0);
		assert_ok!(DepinRegistry::register_node(
			RuntimeOrigin::signed(FIRST_OPERATOR),
			cluster,
			Tier::Cluster,
			Hardware { gpu_memory_gb: 64, benchmark_score: 600, power_watts: 1 },
			Region::Europe,
			ModuleSet::all(),
			10_000,
			key_proof(FIRST_OPERATOR, cluster),
		));
		register_operators_from(FIRST_OPERATOR + 1, 2);
		let task = post();
		work_honestly(task);
		run_to_block(EPOCH_LENGTH);
		let before = balance(FIRST_OPERATOR);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(cluster)));
		let tier = DepinRegistry::tier_params(Tier::Cluster);
		let e = DepinRegistry::node_efficiency(cluster).unwrap();
		let share =
			formulas::work_share(1, tier.min_tasks_per_day, EPOCH_LENGTH as u32, BLOCKS_PER_DAY);
		assert_eq!(share, sp_runtime::Perbill::from_rational(1u32, 60));
		let reward = formulas::epoch_reward(&tier, e, share, EPOCHS_PER_MONTH);
		assert_eq!(balance(FIRST_OPERATOR), before + reward);
		// Far below the tier's low end for an epoch (6,500 / 10).
		assert!(reward < 650 / 10);
	});
}

#[test]
fn a_missed_epoch_earns_nothing_and_lowers_availability() {
	build_and_execute(|| {
		let node = nodes_with_work()[0];
		let operator = operator_of(node);
		run_to_block(2 * EPOCH_LENGTH);
		let before = balance(operator);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		// Epoch 1 had no heartbeat: no reward for it.
		assert_eq!(balance(operator), before);
		// Two heartbeats in three epochs, with the challenge prior of 1/2.
		assert_eq!(DepinRegistry::node_efficiency(node).unwrap(), ratio(1, 3));
	});
}

#[test]
fn an_empty_reward_pot_reports_the_shortfall() {
	build_and_execute(|| {
		let node = nodes_with_work()[0];
		let pot = DepinRegistry::reward_pot();
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(pot),
			CLINIC,
			POT_ENDOWMENT - EXISTENTIAL_DEPOSIT
		));
		run_to_block(EPOCH_LENGTH);
		assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(node)));
		assert!(depin_events().contains(&Event::RewardShortfall { node, epoch: 0, unpaid: 22 }));
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
		assert_noop!(
			DepinRegistry::heartbeat(RuntimeOrigin::signed(node)),
			Error::<Test>::NodeUnbonding
		);
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
		// Mean 2 per region: Europe 2/3, Asia capped at 3/2; times the challenge prior 1/2.
		assert_eq!(e_europe, ratio(1, 3));
		assert_eq!(e_asia, formulas::MAX_DISTRIBUTION_FACTOR * ratio(1, 2));
	});
}

#[test]
fn a_leaving_node_gets_no_new_task_and_finishes_its_open_ones() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(4);
		let leaving = nodes[0];
		let operator = operator_of(leaving);
		// Its open task does not hold it back.
		assert_ok!(DepinRegistry::deregister_node(RuntimeOrigin::signed(operator), leaving));
		assert!(Routing::<Test>::get().iter().all(|entry| entry.node != leaving));
		for _ in 0..4 {
			let other = post();
			assert!(!assignees(other).contains(&leaving), "no new task after deregistering");
		}
		// It finishes the task it had, and is paid for it.
		let before = balance(operator);
		work_honestly(task);
		assert_eq!(balance(operator), before + FEE / 3);
		assert_eq!(Nodes::<Test>::get(leaving).unwrap().open_tasks, 0);
	});
}

#[test]
fn griefing_cannot_keep_a_leaving_nodes_stake_locked() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(4);
		let leaving = nodes[0];
		let operator = operator_of(leaving);
		let first = post();
		assert!(assignees(first).contains(&leaving) || assignees(first).len() == 3);
		assert_ok!(DepinRegistry::deregister_node(RuntimeOrigin::signed(operator), leaving));
		work_honestly(first);
		// A clinic posts task after task, hoping to keep the node assigned for ever: none
		// reaches it. (The others keep their heartbeats current.)
		let mut epoch = DepinRegistry::current_epoch();
		let unlocks_at = 1 + UNBONDING_PERIOD;
		while System::block_number() + 5 < unlocks_at {
			if DepinRegistry::current_epoch() != epoch {
				epoch = DepinRegistry::current_epoch();
				for node in &nodes[1..] {
					assert_ok!(DepinRegistry::heartbeat(RuntimeOrigin::signed(*node)));
				}
			}
			let task = post();
			assert!(!assignees(task).contains(&leaving));
			work_honestly(task);
			assert!(open_tasks_of(CLINIC) < MAX_OPEN_TASKS_PER_CLINIC);
			run_to_block(System::block_number() + 5);
		}
		assert_noop!(
			DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), leaving),
			Error::<Test>::StillUnbonding
		);
		run_to_block(unlocks_at);
		assert_eq!(Nodes::<Test>::get(leaving).unwrap().open_tasks, 0);
		assert_ok!(DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator), leaving));
		assert!(Nodes::<Test>::get(leaving).is_none());
	});
}

fn open_tasks_of(clinic: AccountId) -> u32 {
	crate::ClinicTasks::<Test>::get(clinic)
}
