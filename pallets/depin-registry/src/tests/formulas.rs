//! The seeds' formulas against hand-computed values and their bounds.

use crate::{formulas::*, ConfidenceWeights, TierParams};
use sp_runtime::{
	traits::{One, Zero},
	FixedPointNumber, FixedU64, Perbill, Percent, Permill,
};

fn fixed(a: u128, b: u128) -> FixedU64 {
	FixedU64::checked_from_rational(a, b).unwrap()
}

#[test]
fn challenge_score_starts_at_one_half_and_follows_the_evidence() {
	assert_eq!(challenge_score(0, 0), fixed(1, 2));
	assert_eq!(challenge_score(8, 0), fixed(9, 10));
	assert_eq!(challenge_score(0, 8), fixed(1, 10));
	assert!(challenge_score(100, 0) < FixedU64::one());
	assert!(challenge_score(u32::MAX, u32::MAX) > FixedU64::zero());
}

#[test]
fn speed_factor_holds_commit_latency_against_the_tier_throughput() {
	// Tier 1: 50 tasks a day at 14,400 blocks a day is 288 blocks a task.
	assert_eq!(expected_task_blocks(14_400, 50), 288);
	assert_eq!(expected_task_blocks(14_400, 0), 14_400);
	assert_eq!(expected_task_blocks(10, 600), 1);
	// No samples: the prior (the expected latency) scores 1.
	assert_eq!(speed_factor(0, 0, 24), FixedU64::one());
	// Always within the expected time: 1; twice as slow on every task: towards 1/2.
	assert_eq!(speed_factor(10 * 20, 10, 24), FixedU64::one());
	assert_eq!(speed_factor(99 * 48, 99, 24), fixed(24 * 100, 99 * 48 + 24));
	assert!(speed_factor(1_000 * 48, 1_000, 24) < fixed(51, 100));
	assert_eq!(speed_factor(u64::MAX, u32::MAX, 0), FixedU64::zero());
}

#[test]
fn performance_per_watt_is_measured_capability_at_most_one() {
	assert_eq!(performance_per_watt(fixed(1, 2), FixedU64::one()), fixed(1, 2));
	assert_eq!(performance_per_watt(fixed(1, 2), fixed(1, 2)), fixed(1, 4));
	assert_eq!(performance_per_watt(FixedU64::from_u32(3), FixedU64::from_u32(3)), FixedU64::one());
	assert_eq!(performance_per_watt(FixedU64::zero(), FixedU64::one()), FixedU64::zero());
}

#[test]
fn success_rate_starts_at_one_and_falls_with_failures() {
	assert_eq!(success_rate(0, 0), FixedU64::one());
	assert_eq!(success_rate(3, 3), FixedU64::one());
	assert_eq!(success_rate(0, 1), fixed(1, 2));
	assert_eq!(success_rate(1, 3), fixed(2, 4));
	// More successes than conclusions cannot push it above 1.
	assert_eq!(success_rate(9, 3), FixedU64::one());
}

#[test]
fn availability_counts_epochs_with_heartbeats() {
	assert_eq!(availability(1, 5, 5), FixedU64::one());
	assert_eq!(availability(1, 5, 6), fixed(1, 2));
	assert_eq!(availability(3, 0, 3), fixed(3, 4));
	assert_eq!(availability(9, 0, 3), FixedU64::one());
}

#[test]
fn distribution_factor_favours_thin_regions_within_bounds() {
	// One region: everyone is average.
	assert_eq!(distribution_factor(4, 4, 1), FixedU64::one());
	// Two regions, 3 + 1 nodes: mean 2.
	assert_eq!(distribution_factor(3, 4, 2), fixed(2, 3));
	assert_eq!(distribution_factor(1, 4, 2), MAX_DISTRIBUTION_FACTOR);
	assert_eq!(distribution_factor(10, 11, 3), MIN_DISTRIBUTION_FACTOR);
	assert_eq!(distribution_factor(0, 0, 0), FixedU64::one());
}

#[test]
fn efficiency_multiplies_its_factors() {
	let e = efficiency(fixed(3, 2), fixed(1, 2), fixed(1, 2), FixedU64::one());
	assert_eq!(e, fixed(3, 8));
	assert_eq!(
		efficiency(FixedU64::zero(), FixedU64::one(), FixedU64::one(), FixedU64::one()),
		FixedU64::zero()
	);
}

#[test]
fn confidence_follows_the_seed_formula() {
	let weights =
		ConfidenceWeights { alpha: Permill::from_percent(60), beta: Permill::from_percent(40) };
	// 0.6·(0.9·0.8) + 0.4·1·(1 − 0.1) = 0.432 + 0.36 = 0.792
	let c = confidence(
		weights,
		Percent::from_percent(90),
		Percent::from_percent(80),
		Permill::one(),
		Percent::from_percent(10),
	);
	assert_eq!(c, Permill::from_parts(792_000));
	// Lower agreement lowers it.
	let split = confidence(
		weights,
		Percent::from_percent(90),
		Percent::from_percent(80),
		Permill::from_rational(2u32, 3),
		Percent::from_percent(10),
	);
	assert!(split < c);
	// Full marks give at most α + β.
	let best = confidence(weights, Percent::one(), Percent::one(), Permill::one(), Percent::zero());
	assert_eq!(best, Permill::one());
}

#[test]
fn quorum_is_a_strict_majority() {
	assert_eq!(quorum(1), 1);
	assert_eq!(quorum(3), 2);
	assert_eq!(quorum(4), 3);
	assert_eq!(quorum(5), 3);
}

#[test]
fn routing_weight_prefers_efficient_idle_local_nodes() {
	let base = routing_weight(FixedU64::one(), 1, 0, false);
	assert!(routing_weight(FixedU64::one(), 2, 0, false) > base);
	assert!(routing_weight(FixedU64::one(), 1, 0, true) > base);
	assert!(routing_weight(FixedU64::one(), 1, 3, false) < base);
	assert!(routing_weight(fixed(1, 2), 1, 0, false) < base);
	assert_eq!(routing_weight(FixedU64::zero(), 4, 0, true), 0);
}

#[test]
fn epoch_reward_spans_the_tier_range() {
	let tier = TierParams {
		min_gpu_memory_gb: 8,
		min_benchmark_score: 1,
		min_stake: 0u128,
		monthly_reward_low: 750,
		monthly_reward_high: 1_500,
		routing_weight: 1,
		min_tasks_per_day: 50,
	};
	let full = Perbill::one();
	assert_eq!(epoch_reward(&tier, FixedU64::zero(), full, 1), 750);
	assert_eq!(epoch_reward(&tier, fixed(1, 2), full, 1), 1_125);
	assert_eq!(epoch_reward(&tier, FixedU64::from_u32(2), full, 1), 1_500);
	assert_eq!(epoch_reward(&tier, FixedU64::one(), full, 30), 50);
	// Scaled by the work done; nothing for none.
	assert_eq!(epoch_reward(&tier, FixedU64::one(), Perbill::from_percent(10), 1), 150);
	assert_eq!(epoch_reward(&tier, FixedU64::from_u32(2), Perbill::zero(), 1), 0);
}

#[test]
fn work_share_is_the_epochs_tasks_against_the_tiers_tasks_per_day() {
	// 50 a day in 600-block epochs of 14,400-block days: 2.08 tasks an epoch.
	assert_eq!(work_share(0, 50, 600, 14_400), Perbill::zero());
	assert_eq!(work_share(1, 50, 600, 14_400), Perbill::from_rational(14_400u64, 30_000));
	assert_eq!(work_share(3, 50, 600, 14_400), Perbill::one());
	assert_eq!(work_share(u32::MAX, 0, 0, u32::MAX), Perbill::one());
	// Monotone in the tasks.
	assert!(work_share(2, 600, 600, 14_400) > work_share(1, 600, 600, 14_400));
}
