//! The consent registry and patients' records: deposits, caps, expiry, leaving.

use super::*;
use crate::{Consents, Error, Event, HoldReason, Patients};
use frame_support::{assert_noop, traits::fungible::InspectHold};

#[test]
fn a_first_consent_creates_the_patient_s_record_and_holds_its_deposits() {
	run(|| {
		assert_ok!(Rewards::grant_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation,
			Some(START_DAY + 30)
		));
		System::assert_has_event(
			Event::PatientJoined { patient: PATIENT, deposit: PATIENT_DEPOSIT }.into(),
		);
		assert_eq!(Patients::<Test>::get(PATIENT).map(|r| r.consents), Some(1));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Patient.into(), &PATIENT),
			PATIENT_DEPOSIT
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Consent.into(), &PATIENT),
			CONSENT_DEPOSIT
		);
		assert_eq!(
			Rewards::consents_of(&PATIENT),
			vec![(
				PROVIDER,
				Purpose::CheckupConfirmation,
				crate::Consent { expires: Some(START_DAY + 30), deposit: CONSENT_DEPOSIT }
			)]
		);
	});
}

#[test]
fn granting_again_changes_the_expiry_without_a_second_deposit() {
	run(|| {
		consent(PATIENT, PROVIDER, Purpose::CheckupConfirmation);
		assert_ok!(Rewards::grant_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation,
			Some(START_DAY + 5)
		));
		assert_eq!(
			Consents::<Test>::get(PATIENT, (PROVIDER, Purpose::CheckupConfirmation))
				.and_then(|c| c.expires),
			Some(START_DAY + 5)
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Consent.into(), &PATIENT),
			CONSENT_DEPOSIT
		);
	});
}

#[test]
fn bad_consents_are_refused() {
	run(|| {
		assert_noop!(
			Rewards::grant_consent(
				RuntimeOrigin::signed(PATIENT),
				PATIENT,
				Purpose::Research,
				None
			),
			Error::<Test>::OwnAccount
		);
		assert_noop!(
			Rewards::grant_consent(
				RuntimeOrigin::signed(PATIENT),
				PROVIDER,
				Purpose::Research,
				Some(START_DAY)
			),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			Rewards::revoke_consent(RuntimeOrigin::signed(PATIENT), PROVIDER, Purpose::Research),
			Error::<Test>::UnknownConsent
		);
	});
}

#[test]
fn a_patient_holds_at_most_its_cap_of_consents() {
	run(|| {
		let purposes = [
			Purpose::CheckupConfirmation,
			Purpose::HygieneData,
			Purpose::TreatmentPlan,
			Purpose::Research,
		];
		for purpose in purposes {
			consent(PATIENT, PROVIDER, purpose);
		}
		assert_noop!(
			Rewards::grant_consent(
				RuntimeOrigin::signed(PATIENT),
				OTHER_PROVIDER,
				Purpose::Research,
				None
			),
			Error::<Test>::TooManyConsents
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Consent.into(), &PATIENT),
			CONSENT_DEPOSIT * u128::from(MAX_CONSENTS)
		);
	});
}

#[test]
fn a_patient_leaves_only_when_nothing_is_left_and_gets_its_deposits_back() {
	run(|| {
		let free_before = Balances::free_balance(PATIENT);
		consent(PATIENT, PROVIDER, Purpose::Research);
		assert_noop!(Rewards::leave(RuntimeOrigin::signed(PATIENT)), Error::<Test>::PatientInUse);
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::Research
		));
		assert_ok!(Rewards::leave(RuntimeOrigin::signed(PATIENT)));
		assert!(Patients::<Test>::get(PATIENT).is_none());
		assert_eq!(Balances::free_balance(PATIENT), free_before);
		assert_noop!(Rewards::leave(RuntimeOrigin::signed(PATIENT)), Error::<Test>::UnknownPatient);
	});
}

#[test]
fn a_patient_with_unpaid_rewards_cannot_leave() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation
		));
		assert_noop!(Rewards::leave(RuntimeOrigin::signed(PATIENT)), Error::<Test>::PatientInUse);
	});
}

#[test]
fn leaving_cannot_reset_the_checkup_interval_or_reopen_a_hygiene_day() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		next_period();
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(PATIENT)));
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation
		));
		// Re-joining now would allow a second checkup reward within the interval.
		assert_noop!(Rewards::leave(RuntimeOrigin::signed(PATIENT)), Error::<Test>::RecentActivity);
		set_day(START_DAY + CHECKUP_INTERVAL);
		assert_ok!(Rewards::leave(RuntimeOrigin::signed(PATIENT)));

		// A device's summary of a day stays unreplayable: the patient cannot leave while the
		// day is within the backfill window.
		device_for(DEVICE, OTHER_PATIENT);
		hygiene(OTHER_PATIENT, DEVICE, today(), 4);
		next_period();
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(OTHER_PATIENT)));
		assert_ok!(Rewards::remove_device(RuntimeOrigin::signed(OTHER_PATIENT), DEVICE));
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(OTHER_PATIENT),
			DEVICE,
			Purpose::HygieneData
		));
		let last = crate::Patients::<Test>::get(OTHER_PATIENT).and_then(|r| r.last_hygiene_day);
		set_day(last.unwrap() + 7);
		assert_noop!(
			Rewards::leave(RuntimeOrigin::signed(OTHER_PATIENT)),
			Error::<Test>::RecentActivity
		);
		set_day(last.unwrap() + 8);
		assert_ok!(Rewards::leave(RuntimeOrigin::signed(OTHER_PATIENT)));
	});
}
