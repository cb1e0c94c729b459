//! Referrals: a new patient names its referrer; its first confirmed checkup pays the referrer.

use super::*;
use crate::{Error, Event, Referrals};
use frame_support::assert_noop;

/// The referral reward of a referrer whose only activity is one checkup this week:
/// A·C = 150, H·T·P = (1/8 · 50)·1·1 = 6.25.
const REFERRAL_REWARD: Balance = 156 * UNITS + UNITS / 4;

/// `PATIENT` is a patient with a confirmed checkup; `referee` has a record and names it.
fn referred(referee: AccountId) {
	provider_for(PROVIDER, PATIENT);
	if crate::Patients::<Test>::get(PATIENT).map_or(true, |r| r.checkups == 0) {
		checkup(PROVIDER, PATIENT);
	}
	provider_for(PROVIDER, referee);
	assert_ok!(Rewards::name_referrer(RuntimeOrigin::signed(referee), PATIENT));
}

#[test]
fn a_referee_s_first_checkup_pays_its_referrer() {
	run(|| {
		referred(OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		System::assert_has_event(
			Event::ReferralValidated { referee: OTHER_PATIENT, referrer: PATIENT, rewarded: true }
				.into(),
		);
		assert_eq!(last_reward(), REFERRAL_REWARD);
		assert_eq!(Referrals::<Test>::get(OTHER_PATIENT).map(|r| r.validated), Some(true));
	});
}

#[test]
fn a_patient_referring_itself_is_refused() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(PATIENT), PATIENT),
			Error::<Test>::SelfReferral
		);
	});
}

#[test]
fn only_a_new_patient_names_a_referrer_and_only_once() {
	run(|| {
		referred(OTHER_PATIENT);
		// Named once: not again, not another referrer.
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), PATIENT),
			Error::<Test>::NotNewPatient
		);
		// A patient with a checkup already is not new.
		provider_for(PROVIDER, STRANGER);
		checkup(PROVIDER, STRANGER);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(STRANGER), PATIENT),
			Error::<Test>::NotNewPatient
		);
		// An account without a record is no patient.
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(77), PATIENT),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn the_referrer_must_be_a_patient_with_a_confirmed_checkup() {
	run(|| {
		provider_for(PROVIDER, OTHER_PATIENT);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), STRANGER),
			Error::<Test>::ReferrerNotPatient
		);
		consent(STRANGER, PROVIDER, Purpose::Research);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), STRANGER),
			Error::<Test>::ReferrerNotPatient
		);
	});
}

/// `patient` claims what it earned, revokes its checkup consent and leaves once its checkup
/// interval has passed.
fn leave_after_the_interval(patient: AccountId) {
	set_day(today() + CHECKUP_INTERVAL);
	assert_ok!(Rewards::claim(RuntimeOrigin::signed(patient)));
	assert_ok!(Rewards::revoke_consent(
		RuntimeOrigin::signed(patient),
		PROVIDER,
		Purpose::CheckupConfirmation
	));
	assert_ok!(Rewards::leave(RuntimeOrigin::signed(patient)));
}

#[test]
fn leaving_and_re_joining_does_not_make_a_referee_new_again() {
	run(|| {
		referred(OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		leave_after_the_interval(OTHER_PATIENT);
		provider_for(PROVIDER, OTHER_PATIENT);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), PATIENT),
			Error::<Test>::NotNewPatient
		);
	});
}

#[test]
fn a_checked_up_patient_that_leaves_is_never_new_again() {
	run(|| {
		// PATIENT (the referrer of these tests) had a checkup; OTHER_PATIENT too, unreferred.
		referred(STRANGER);
		provider_for(PROVIDER, OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		leave_after_the_interval(OTHER_PATIENT);
		assert!(crate::FormerPatients::<Test>::contains_key(OTHER_PATIENT));
		provider_for(PROVIDER, OTHER_PATIENT);
		assert_noop!(
			Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), PATIENT),
			Error::<Test>::NotNewPatient
		);
	});
}

#[test]
fn an_unvalidated_referral_leaves_with_its_referee() {
	run(|| {
		referred(OTHER_PATIENT);
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(OTHER_PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation
		));
		assert_ok!(Rewards::leave(RuntimeOrigin::signed(OTHER_PATIENT)));
		// Nobody paid for the entry: it goes; the account never had a visit, so it is new.
		assert!(crate::Referrals::<Test>::get(OTHER_PATIENT).is_none());
		assert!(!crate::FormerPatients::<Test>::contains_key(OTHER_PATIENT));
		provider_for(PROVIDER, OTHER_PATIENT);
		assert_ok!(Rewards::name_referrer(RuntimeOrigin::signed(OTHER_PATIENT), PATIENT));
	});
}

#[test]
fn a_referrer_earns_at_most_its_cap_of_referrals_a_period() {
	run(|| {
		let referees: Vec<AccountId> = (200..200 + u64::from(MAX_REFERRALS) + 1).collect();
		for referee in &referees {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				referee, UNITS
			));
			referred(*referee);
		}
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), OTHER_PROVIDER));
		for (i, referee) in referees.iter().enumerate() {
			consent(*referee, OTHER_PROVIDER, Purpose::CheckupConfirmation);
			checkup(OTHER_PROVIDER, *referee);
			let rewarded = i < MAX_REFERRALS as usize;
			System::assert_has_event(
				Event::ReferralValidated { referee: *referee, referrer: PATIENT, rewarded }.into(),
			);
		}
	});
}
