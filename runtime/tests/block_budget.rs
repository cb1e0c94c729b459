//! The block budget under async backing (issue 21): 2 s of execution per block, 6-second
//! blocks on one core, and a consistent 3-second configuration on two cores. Prints how many
//! `transfer_keep_alive` and routine DePIN tasks fit in a block before (0.5 s) and after, by
//! execution time and by proof size (which then binds: the relay chain's limit did not grow).

use btt_runtime::{
	configs::{
		Cadence, RuntimeBlockWeights, BLOCK_PROCESSING_VELOCITY, CADENCE, MAXIMUM_BLOCK_WEIGHT,
		ONE_CORE, RELAY_CHAIN_SLOT_DURATION_MILLIS, TWO_CORES, UNINCLUDED_SEGMENT_CAPACITY,
	},
	Runtime, MILLI_SECS_PER_BLOCK, SLOT_DURATION,
};
use frame_support::{
	dispatch::DispatchClass,
	traits::Get,
	weights::{constants::ExtrinsicBaseWeight, Weight},
};
use pallet_balances::WeightInfo as _;
use pallet_depin_registry::WeightInfo as _;

#[test]
fn the_runtime_makes_six_second_blocks_on_one_core() {
	assert_eq!(CADENCE, ONE_CORE);
	assert_eq!((CADENCE.cores, BLOCK_PROCESSING_VELOCITY), (1, 1));
	assert_eq!((MILLI_SECS_PER_BLOCK, SLOT_DURATION), (6_000, 6_000));
	// Three relay parents in flight, one block each, after an offset of one.
	assert_eq!(UNINCLUDED_SEGMENT_CAPACITY, 4);
	assert!(CADENCE.is_consistent());
	assert_eq!(
		MAXIMUM_BLOCK_WEIGHT.ref_time(),
		2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND
	);
	assert_eq!(RuntimeBlockWeights::get().max_block, MAXIMUM_BLOCK_WEIGHT);
}

#[test]
fn the_two_core_configuration_makes_three_second_blocks_consistently() {
	assert_eq!(TWO_CORES.velocity, 2);
	assert_eq!(TWO_CORES.block_millis, 3_000);
	assert_eq!(TWO_CORES.slot_millis, u64::from(RELAY_CHAIN_SLOT_DURATION_MILLIS));
	assert_eq!(TWO_CORES.unincluded_capacity, 8);
	assert!(TWO_CORES.is_consistent());
	// What the runtime had before: three blocks per 6-second relay slot on one core.
	let before = Cadence {
		cores: 1,
		velocity: 3,
		block_millis: 6_000,
		slot_millis: 6_000,
		unincluded_capacity: 12,
	};
	assert!(!before.is_consistent());
	// Three cores: 2-second blocks.
	assert_eq!(Cadence::on_cores(3).block_millis, 2_000);
	assert!(Cadence::on_cores(3).is_consistent());
}

/// How many of `each` fit the normal class of a block of `block` weight, by time and by proof.
fn per_block(block: Weight, each: Weight) -> (u64, u64) {
	let normal = parachains_common::NORMAL_DISPATCH_RATIO * block;
	(normal.ref_time() / each.ref_time().max(1), normal.proof_size() / each.proof_size().max(1))
}

#[test]
fn a_block_has_four_times_the_execution_for_transfers_and_routine_tasks() {
	let before = parachains_common::MAXIMUM_BLOCK_WEIGHT;
	let after = MAXIMUM_BLOCK_WEIGHT;
	assert_eq!(
		RuntimeBlockWeights::get().get(DispatchClass::Normal).max_total,
		Some(parachains_common::NORMAL_DISPATCH_RATIO * after)
	);

	type Balances = <Runtime as pallet_balances::Config>::WeightInfo;
	let transfer = Balances::transfer_keep_alive().saturating_add(ExtrinsicBaseWeight::get());

	type Depin = <Runtime as pallet_depin_registry::Config>::WeightInfo;
	let nodes = <Runtime as pallet_depin_registry::Config>::MaxNodes::get();
	let k = <Runtime as pallet_depin_registry::Config>::RoutinePolicy::get().assignees;
	let base = ExtrinsicBaseWeight::get();
	// A routine task's extrinsics: its posting, k commitments and k reveals.
	let task = Depin::post_task(nodes)
		.saturating_add(base)
		.saturating_add(Depin::commit_result(k).saturating_add(base).saturating_mul(k.into()))
		.saturating_add(
			Depin::reveal_pending(k).saturating_add(base).saturating_mul((k - 1).into()),
		)
		.saturating_add(Depin::reveal_result(k).saturating_add(base));

	let (transfers_before, transfer_proof_before) = per_block(before, transfer);
	let (transfers_after, transfer_proof_after) = per_block(after, transfer);
	let (tasks_before, task_proof_before) = per_block(before, task);
	let (tasks_after, task_proof_after) = per_block(after, task);
	println!(
		"block budget {:.1} s → {:.1} s of execution ({} ms blocks): transfer_keep_alive \
		 {transfers_before} → {transfers_after} per block by time ({transfer_proof_before} → \
		 {transfer_proof_after} by proof size); routine DePIN tasks (n = {nodes}, k = {k}) \
		 {tasks_before} → {tasks_after} by time ({task_proof_before} → {task_proof_after} by proof \
		 size); so per block {} → {} transfers and {} → {} tasks, per second {:.0} → {:.0} \
		 transfers",
		before.ref_time() as f64 / 1e12,
		after.ref_time() as f64 / 1e12,
		MILLI_SECS_PER_BLOCK,
		transfers_before.min(transfer_proof_before),
		transfers_after.min(transfer_proof_after),
		tasks_before.min(task_proof_before),
		tasks_after.min(task_proof_after),
		transfers_before.min(transfer_proof_before) as f64 * 1_000.0 / MILLI_SECS_PER_BLOCK as f64,
		transfers_after.min(transfer_proof_after) as f64 * 1_000.0 / MILLI_SECS_PER_BLOCK as f64,
	);
	assert_eq!(after.ref_time(), 4 * before.ref_time());
	assert!(transfers_after >= 4 * transfers_before, "{transfers_after} ≥ 4 × {transfers_before}");
	assert!(tasks_after >= 4 * tasks_before, "{tasks_after} ≥ 4 × {tasks_before}");
	// The proof-size budget is the relay chain's and did not change.
	assert_eq!(after.proof_size(), before.proof_size());
}
