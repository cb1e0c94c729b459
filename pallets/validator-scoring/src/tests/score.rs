//! The score's formula: the seeds' weights, monotone in every input, at most one, and a
//! deterministic order for ties.

use crate::score::{compliance, rank, reliability, score, stake_share, ScoreInputs, ScoreWeights};
use core::cmp::Ordering;
use proptest::prelude::*;
use sp_runtime::Perbill;

fn inputs(stake: u32, reliability: u32, compliance: u32) -> ScoreInputs {
	ScoreInputs {
		stake: Perbill::from_parts(stake),
		reliability: Perbill::from_parts(reliability),
		compliance: Perbill::from_parts(compliance),
	}
}

#[test]
fn the_seeds_weights_give_the_seeds_formula() {
	let weights = ScoreWeights::SEEDS;
	assert!(weights.is_unit());
	// S = 1, H = 0.5, C = 0.8: 0.4 + 0.175 + 0.2 = 0.775.
	let v = score(
		&weights,
		&ScoreInputs {
			stake: Perbill::one(),
			reliability: Perbill::from_percent(50),
			compliance: Perbill::from_percent(80),
		},
	);
	assert_eq!(v, Perbill::from_parts(775_000_000));
	assert_eq!(score(&weights, &inputs(0, 0, 0)), Perbill::zero());
	assert_eq!(
		score(
			&weights,
			&ScoreInputs {
				stake: Perbill::one(),
				reliability: Perbill::one(),
				compliance: Perbill::one(),
			}
		),
		Perbill::one()
	);
}

#[test]
fn weights_that_do_not_sum_to_one_are_not_a_unit() {
	let weights = ScoreWeights {
		stake: Perbill::from_percent(40),
		reliability: Perbill::from_percent(40),
		compliance: Perbill::from_percent(25),
	};
	assert!(!weights.is_unit());
}

#[test]
fn stake_share_is_relative_to_the_largest_candidate() {
	assert_eq!(stake_share(500, 1_000), Perbill::from_percent(50));
	assert_eq!(stake_share(1_000, 1_000), Perbill::one());
	assert_eq!(stake_share(0, 0), Perbill::zero());
	// A backing above the "largest" (never the case in an election) saturates.
	assert_eq!(stake_share(2_000, 1_000), Perbill::one());
}

#[test]
fn reliability_is_authored_over_assigned_and_the_prior_without_slots() {
	assert_eq!(reliability(3, 4, Perbill::from_percent(50)), Perbill::from_percent(75));
	assert_eq!(reliability(0, 0, Perbill::from_percent(50)), Perbill::from_percent(50));
	assert_eq!(reliability(5, 4, Perbill::zero()), Perbill::one());
}

#[test]
fn an_expired_rating_counts_as_the_default() {
	let default = Perbill::from_percent(10);
	assert_eq!(
		compliance(Some((Perbill::from_percent(90), 100u64)), 99, default),
		Perbill::from_percent(90)
	);
	assert_eq!(compliance(Some((Perbill::from_percent(90), 100u64)), 100, default), default);
	assert_eq!(compliance(None, 5u64, default), default);
}

#[test]
fn ties_break_by_backing_then_by_account() {
	let v = Perbill::from_percent(60);
	assert_eq!(rank((&1u64, v, 10), (&2u64, v, 20)), Ordering::Greater, "the larger backing first");
	assert_eq!(rank((&2u64, v, 10), (&1u64, v, 10)), Ordering::Greater, "then the lower account");
	assert_eq!(rank((&1u64, v, 10), (&1u64, v, 10)), Ordering::Equal);
	assert_eq!(
		rank((&9u64, Perbill::from_percent(61), 0), (&1u64, v, 1_000)),
		Ordering::Less,
		"the higher score first, whatever the backing"
	);
}

proptest! {
	#[test]
	fn the_score_is_monotone_in_every_input_and_at_most_one(
		s in 0u32..=1_000_000_000, h in 0u32..=1_000_000_000, c in 0u32..=1_000_000_000,
		more in 0u32..=1_000_000_000,
		ws in 0u32..=1_000_000_000, wh_share in 0u32..=1_000_000_000,
	) {
		let ws = Perbill::from_parts(ws);
		let wh = Perbill::from_parts(wh_share) * (Perbill::one() - ws);
		let wc = Perbill::one() - ws - wh;
		let weights = ScoreWeights { stake: ws, reliability: wh, compliance: wc };
		prop_assert!(weights.is_unit());
		let base = score(&weights, &inputs(s, h, c));
		let up = |x: u32| x.saturating_add(more).min(1_000_000_000);
		prop_assert!(score(&weights, &inputs(up(s), h, c)) >= base);
		prop_assert!(score(&weights, &inputs(s, up(h), c)) >= base);
		prop_assert!(score(&weights, &inputs(s, h, up(c))) >= base);
		prop_assert!(base <= Perbill::one());
		prop_assert!(score(&weights, &inputs(1_000_000_000, 1_000_000_000, 1_000_000_000)) >= base);
	}

	#[test]
	fn the_ranking_is_a_total_order_that_does_not_depend_on_the_input_order(
		mut candidates in proptest::collection::vec((0u64..20, 0u32..5, 0u128..4), 1..12),
	) {
		let key = |(who, v, backing): &(u64, u32, u128)| (*who, Perbill::from_percent(*v * 10), *backing);
		candidates.sort_by_key(|c| c.0);
		candidates.dedup_by_key(|c| c.0);
		let mut forward = candidates.clone();
		let mut backward = candidates.clone();
		backward.reverse();
		let order = |a: &(u64, u32, u128), b: &(u64, u32, u128)| {
			let (a, b) = (key(a), key(b));
			rank((&a.0, a.1, a.2), (&b.0, b.1, b.2))
		};
		forward.sort_by(order);
		backward.sort_by(order);
		prop_assert_eq!(&forward, &backward);
		for pair in forward.windows(2) {
			prop_assert_eq!(order(&pair[0], &pair[1]), Ordering::Less);
		}
	}
}
