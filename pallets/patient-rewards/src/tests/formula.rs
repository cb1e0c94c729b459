//! The formula `R = (A·C) + (H·T)·P` and the engagement measures: worked values and
//! properties.

use crate::{
	formula::{after_activity, consistency, reward, streak_multiplier},
	mock::UNITS,
	RewardInputs,
};
use proptest::prelude::*;
use sp_runtime::{traits::Saturating, FixedPointNumber, FixedU128, Perbill};

fn inputs(
	base: u128,
	quality: u32,
	consistency_ppb: u32,
	streak: u128,
	adjustment: u128,
) -> RewardInputs<u128> {
	RewardInputs {
		base: base * UNITS,
		quality: Perbill::from_parts(quality),
		consistency: Perbill::from_parts(consistency_ppb),
		consistency_base: 100 * UNITS,
		streak: FixedU128::from_inner(streak),
		adjustment: FixedU128::from_inner(adjustment),
		cap: 500 * UNITS,
	}
}

const ONE: u128 = 1_000_000_000_000_000_000;

#[test]
fn the_formula_multiplies_before_it_adds() {
	// A = 300, C = 0.9, H = 0.5 of B_H = 100, T = 1.5, P = 1.2:
	// R = 300·0.9 + (0.5·100)·1.5·1.2 = 270 + 90 = 360 BTT.
	let r = reward(&inputs(300, 900_000_000, 500_000_000, 3 * ONE / 2, 6 * ONE / 5));
	assert_eq!(r, 360 * UNITS);
}

#[test]
fn the_formula_stops_at_the_category_s_cap() {
	// 300·1 + 100·1·2·1.5 = 600 > 500.
	assert_eq!(
		reward(&inputs(300, 1_000_000_000, 1_000_000_000, 2 * ONE, 3 * ONE / 2)),
		500 * UNITS
	);
}

#[test]
fn consistency_counts_the_active_weeks_of_the_window() {
	assert_eq!(consistency(0b1011, 0, 8), Perbill::from_rational(3u32, 8u32));
	// Two weeks after the latest active week, the 8-week window holds only the 6 latest
	// weeks of the history: the one 7 weeks before it is out.
	assert_eq!(consistency(0b1000_0001, 2, 8), Perbill::from_rational(1u32, 8u32));
	assert_eq!(consistency(u32::MAX, 8, 8), Perbill::zero());
	assert_eq!(consistency(u32::MAX, 0, 32), Perbill::one());
}

#[test]
fn the_streak_multiplier_grows_a_tenth_a_week_to_two() {
	let tenth = FixedU128::saturating_from_rational(1, 10);
	assert_eq!(streak_multiplier(0, 10), FixedU128::from_u32(1));
	assert_eq!(streak_multiplier(1, 10), FixedU128::from_u32(1));
	assert_eq!(streak_multiplier(2, 10), FixedU128::from_u32(1) + tenth);
	assert_eq!(streak_multiplier(11, 10), FixedU128::from_u32(2));
	assert_eq!(streak_multiplier(500, 10), FixedU128::from_u32(2));
}

#[test]
fn a_streak_grows_week_after_week_and_restarts_after_a_gap() {
	let first = after_activity(0, 0, 0, 100);
	assert_eq!(first, (1, 100, 1));
	assert_eq!(after_activity(1, 100, 1, 100), (1, 100, 1), "the same week changes nothing");
	assert_eq!(after_activity(1, 100, 1, 101), (0b11, 101, 2));
	assert_eq!(after_activity(0b11, 101, 2, 103), (0b1101, 103, 1), "a week without activity");
	assert_eq!(after_activity(0b1101, 103, 1, 102), (0b1111, 103, 1), "a backfilled week");
	assert_eq!(after_activity(0b1, 103, 5, 200), (1, 200, 1), "a gap longer than the history");
}

fn arb_inputs() -> impl Strategy<Value = RewardInputs<u128>> {
	(
		0u128..=1_200,
		0u32..=1_000_000_000,
		0u32..=1_000_000_000,
		0u128..=1_200,
		ONE..=2 * ONE,
		ONE / 2..=3 * ONE / 2,
		0u128..=1_200,
	)
		.prop_map(|(base, quality, consistency, consistency_base, streak, adjustment, cap)| {
			RewardInputs {
				base: base * UNITS,
				quality: Perbill::from_parts(quality),
				consistency: Perbill::from_parts(consistency),
				consistency_base: consistency_base * UNITS,
				streak: FixedU128::from_inner(streak),
				adjustment: FixedU128::from_inner(adjustment),
				cap: cap * UNITS,
			}
		})
}

proptest! {
	#[test]
	fn the_reward_is_monotone_in_every_factor(i in arb_inputs(), step in 1u32..1_000_000) {
		let r = reward(&i);
		let more = |f: &dyn Fn(&mut RewardInputs<u128>)| { let mut j = i.clone(); f(&mut j); reward(&j) };
		prop_assert!(more(&|j| j.base += u128::from(step) * UNITS) >= r);
		prop_assert!(more(&|j| j.quality = j.quality.saturating_add(Perbill::from_parts(step))) >= r);
		prop_assert!(more(&|j| j.consistency = j.consistency.saturating_add(Perbill::from_parts(step))) >= r);
		prop_assert!(more(&|j| j.consistency_base += u128::from(step)) >= r);
		prop_assert!(more(&|j| j.streak = j.streak + FixedU128::from_inner(step.into())) >= r);
		prop_assert!(more(&|j| j.adjustment = j.adjustment + FixedU128::from_inner(step.into())) >= r);
		prop_assert!(more(&|j| j.cap += u128::from(step)) >= r);
	}

	#[test]
	fn the_reward_is_at_most_the_cap(i in arb_inputs()) {
		prop_assert!(reward(&i) <= i.cap);
	}

	#[test]
	fn the_reward_is_zero_without_completion_and_consistency(mut i in arb_inputs()) {
		i.quality = Perbill::zero();
		i.consistency = Perbill::zero();
		prop_assert_eq!(reward(&i), 0);
	}

	#[test]
	fn consistency_is_a_share_of_the_window(history: u32, since in 0u32..40, window in 1u32..=32) {
		let h = consistency(history, since, window);
		prop_assert!(h <= Perbill::one());
		prop_assert!(consistency(history | 1, since, window) >= h);
	}
}
