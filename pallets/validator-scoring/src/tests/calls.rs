//! Governance's calls: ratings, weights and invulnerables, each refused to the wrong origin
//! and for every bad input with the state unchanged.

use crate::{mock::*, Error, Event, Invulnerables, Rating, Ratings, ScoreWeights, Weights};
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};

const EVIDENCE: H256 = H256::repeat_byte(1);

#[test]
fn the_compliance_origin_rates_a_candidate_until_the_rating_expires() {
	build_and_execute(&[1], || {
		assert_ok!(Scoring::rate(
			RuntimeOrigin::root(),
			7,
			Perbill::from_percent(80),
			EVIDENCE,
			50
		));
		assert_eq!(
			Ratings::<Test>::get(7),
			Some(Rating { value: Perbill::from_percent(80), evidence: EVIDENCE, expires: 50 })
		);
		assert!(events().contains(&Event::Rated {
			candidate: 7,
			value: Perbill::from_percent(80),
			evidence: EVIDENCE,
			expires: 50
		}));
		assert_ok!(Scoring::clear_rating(RuntimeOrigin::root(), 7));
		assert!(!Ratings::<Test>::contains_key(7));
		assert!(events().contains(&Event::RatingCleared { candidate: 7 }));
	});
}

#[test]
fn a_candidate_cannot_rate_itself() {
	build_and_execute(&[1], || {
		assert_noop!(
			Scoring::rate(RuntimeOrigin::signed(7), 7, Perbill::one(), EVIDENCE, 50),
			DispatchError::BadOrigin
		);
		assert_noop!(Scoring::clear_rating(RuntimeOrigin::signed(7), 7), DispatchError::BadOrigin);
	});
}

#[test]
fn a_rating_that_has_already_expired_is_refused() {
	build_and_execute(&[1], || {
		assert_noop!(
			Scoring::rate(RuntimeOrigin::root(), 7, Perbill::one(), EVIDENCE, 1),
			Error::<Test>::RatingExpired
		);
	});
}

#[test]
fn ratings_are_capped_but_a_rated_candidate_can_be_rated_again() {
	build_and_execute(&[1], || {
		for who in 0..MAX_RATINGS as u64 {
			assert_ok!(Scoring::rate(RuntimeOrigin::root(), who, Perbill::one(), EVIDENCE, 50));
		}
		assert_noop!(
			Scoring::rate(RuntimeOrigin::root(), 99, Perbill::one(), EVIDENCE, 50),
			Error::<Test>::TooManyRatings
		);
		assert_ok!(Scoring::rate(RuntimeOrigin::root(), 0, Perbill::zero(), EVIDENCE, 60));
		assert_eq!(Ratings::<Test>::count(), MAX_RATINGS);
	});
}

#[test]
fn clearing_a_rating_that_does_not_exist_is_refused() {
	build_and_execute(&[1], || {
		assert_noop!(Scoring::clear_rating(RuntimeOrigin::root(), 7), Error::<Test>::NotRated);
	});
}

#[test]
fn weights_must_sum_to_one() {
	build_and_execute(&[1], || {
		assert_eq!(Weights::<Test>::get(), ScoreWeights::SEEDS);
		let bad = ScoreWeights {
			stake: Perbill::from_percent(50),
			reliability: Perbill::from_percent(35),
			compliance: Perbill::from_percent(25),
		};
		assert_noop!(
			Scoring::set_weights(RuntimeOrigin::root(), bad),
			Error::<Test>::WeightsNotUnit
		);
		assert_noop!(
			Scoring::set_weights(RuntimeOrigin::signed(1), ScoreWeights::SEEDS),
			DispatchError::BadOrigin
		);
		let stake_only = ScoreWeights {
			stake: Perbill::one(),
			reliability: Perbill::zero(),
			compliance: Perbill::zero(),
		};
		assert_ok!(Scoring::set_weights(RuntimeOrigin::root(), stake_only));
		assert_eq!(Weights::<Test>::get(), stake_only);
		assert!(events().contains(&Event::WeightsSet { weights: stake_only }));
	});
}

#[test]
fn invulnerables_are_distinct_bounded_accounts_with_session_keys() {
	build_and_execute(&[1, 2, 3], || {
		assert_noop!(
			Scoring::set_invulnerables(RuntimeOrigin::signed(1), vec![1]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Scoring::set_invulnerables(RuntimeOrigin::root(), vec![1, 1]),
			Error::<Test>::DuplicateInvulnerable
		);
		assert_noop!(
			Scoring::set_invulnerables(RuntimeOrigin::root(), vec![1, 9]),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			Scoring::set_invulnerables(RuntimeOrigin::root(), vec![1, 2, 3]),
			Error::<Test>::TooManyInvulnerables
		);
		assert_ok!(Scoring::set_invulnerables(RuntimeOrigin::root(), vec![2, 1]));
		assert_eq!(Invulnerables::<Test>::get().to_vec(), vec![2, 1]);
		assert!(events().contains(&Event::InvulnerablesSet { invulnerables: vec![2, 1] }));
	});
}
