//! Connected devices and daily hygiene: registration with the device key's proof, signed
//! summaries, one reward a day, and the attacks on them.

use super::*;
use crate::{Devices, Error, Event, HoldReason, HygieneSummary, Patients};
use frame_support::{assert_noop, traits::fungible::InspectHold};
use sp_runtime::traits::BadOrigin;

#[test]
fn a_device_registered_with_its_key_s_proof_belongs_to_its_patient() {
	run(|| {
		let proof = sign(DEVICE, Rewards::device_registration_message(&PATIENT));
		assert_ok!(Rewards::register_device(RuntimeOrigin::signed(PATIENT), DEVICE, proof));
		assert_eq!(Devices::<Test>::get(DEVICE).map(|d| d.patient), Some(PATIENT));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Device.into(), &PATIENT), DEVICE_DEPOSIT);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Patient.into(), &PATIENT),
			PATIENT_DEPOSIT,
			"the first device creates the patient's record"
		);
		System::assert_has_event(
			Event::DeviceRegistered { patient: PATIENT, device: DEVICE }.into(),
		);
	});
}

#[test]
fn a_device_registered_without_its_key_is_refused() {
	run(|| {
		// The patient signs for the device key instead of the device.
		let forged = sign(PATIENT, Rewards::device_registration_message(&PATIENT));
		assert_noop!(
			Rewards::register_device(RuntimeOrigin::signed(PATIENT), DEVICE, forged),
			Error::<Test>::BadDeviceProof
		);
		// A proof the device gave another patient.
		let theirs = sign(DEVICE, Rewards::device_registration_message(&OTHER_PATIENT));
		assert_noop!(
			Rewards::register_device(RuntimeOrigin::signed(PATIENT), DEVICE, theirs),
			Error::<Test>::BadDeviceProof
		);
	});
}

#[test]
fn a_device_of_one_patient_cannot_be_taken_by_another() {
	run(|| {
		device_for(DEVICE, PATIENT);
		let proof = sign(DEVICE, Rewards::device_registration_message(&OTHER_PATIENT));
		assert_noop!(
			Rewards::register_device(RuntimeOrigin::signed(OTHER_PATIENT), DEVICE, proof),
			Error::<Test>::DeviceTaken
		);
		assert_noop!(
			Rewards::remove_device(RuntimeOrigin::signed(OTHER_PATIENT), DEVICE),
			Error::<Test>::NotYourDevice
		);
	});
}

#[test]
fn a_patient_registers_at_most_its_cap_of_devices() {
	run(|| {
		for device in [DEVICE, OTHER_DEVICE] {
			device_for(device, PATIENT);
		}
		let third = 22;
		let proof = sign(third, Rewards::device_registration_message(&PATIENT));
		assert_noop!(
			Rewards::register_device(RuntimeOrigin::signed(PATIENT), third, proof),
			Error::<Test>::TooManyDevices
		);
		assert_ok!(Rewards::remove_device(RuntimeOrigin::signed(PATIENT), OTHER_DEVICE));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Device.into(), &PATIENT),
			DEVICE_DEPOSIT,
			"the removed device's deposit is released"
		);
		let proof = sign(third, Rewards::device_registration_message(&PATIENT));
		assert_ok!(Rewards::register_device(RuntimeOrigin::signed(PATIENT), third, proof));
	});
}

#[test]
fn seven_days_of_hygiene_earn_by_the_formula_with_a_growing_streak() {
	run(|| {
		device_for(DEVICE, PATIENT);
		// Days 20,010–20,012 are in week 2,858, days 20,013–20,016 in week 2,859.
		let mut rewards = vec![];
		for day in START_DAY..START_DAY + 7 {
			set_day(day);
			hygiene(PATIENT, DEVICE, day, 4);
			rewards.push(last_reward());
		}
		// Week one: A·C = 10·1, H·T·P = (1/8 · 4)·1·1 = 0.5 → 10.5 BTT a day.
		// Week two: H = 2/8, T = 1.1 → 10 + (0.25 · 4)·1.1 = 11.1 BTT a day.
		let week_one = 10 * UNITS + UNITS / 2;
		let week_two = 11 * UNITS + UNITS / 10;
		assert_eq!(rewards, [vec![week_one; 3], vec![week_two; 4]].concat());
		let record = Patients::<Test>::get(PATIENT).unwrap();
		assert_eq!(
			(record.streak, record.history, record.last_hygiene_day),
			(2, 0b11, Some(START_DAY + 6))
		);
		assert_eq!(record.points, 3 * week_one + 4 * week_two);
	});
}

#[test]
fn a_short_day_earns_its_share_of_the_target() {
	run(|| {
		device_for(DEVICE, PATIENT);
		hygiene(PATIENT, DEVICE, START_DAY, 1);
		// C = 1/4 of the 4-minute target: 10·0.25 + 0.5 = 3 BTT.
		assert_eq!(last_reward(), 3 * UNITS);
	});
}

#[test]
fn a_replayed_device_summary_is_refused() {
	run(|| {
		device_for(DEVICE, PATIENT);
		let summary = summary(DEVICE, START_DAY, 2, 4);
		let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &summary));
		assert_ok!(Rewards::submit_hygiene(
			RuntimeOrigin::signed(PATIENT),
			summary.clone(),
			signature.clone()
		));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), summary, signature),
			Error::<Test>::DayAlreadyRewarded
		);
	});
}

#[test]
fn a_second_device_cannot_earn_the_same_day_again() {
	run(|| {
		device_for(DEVICE, PATIENT);
		device_for(OTHER_DEVICE, PATIENT);
		hygiene(PATIENT, DEVICE, START_DAY, 4);
		let summary = summary(OTHER_DEVICE, START_DAY, 2, 4);
		let signature = sign(OTHER_DEVICE, Rewards::hygiene_message(&PATIENT, &summary));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), summary, signature),
			Error::<Test>::DayAlreadyRewarded
		);
	});
}

#[test]
fn an_old_summary_after_a_newer_one_is_refused() {
	run(|| {
		device_for(DEVICE, PATIENT);
		set_day(START_DAY + 1);
		hygiene(PATIENT, DEVICE, START_DAY + 1, 4);
		let summary = summary(DEVICE, START_DAY, 2, 4);
		let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &summary));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), summary, signature),
			Error::<Test>::DayAlreadyRewarded
		);
	});
}

#[test]
fn a_forged_device_summary_is_refused() {
	run(|| {
		device_for(DEVICE, PATIENT);
		let honest = summary(DEVICE, START_DAY, 1, 1);
		let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &honest));
		// The patient raises the minutes after the device signed.
		let inflated = HygieneSummary { minutes: 4, ..honest.clone() };
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), inflated, signature),
			Error::<Test>::BadDeviceSignature
		);
		// The patient signs the summary itself.
		let own = sign(PATIENT, Rewards::hygiene_message(&PATIENT, &honest));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), honest, own),
			Error::<Test>::BadDeviceSignature
		);
	});
}

#[test]
fn a_summary_for_another_patient_is_refused() {
	run(|| {
		device_for(DEVICE, PATIENT);
		device_for(OTHER_DEVICE, OTHER_PATIENT);
		// The other patient submits this patient's device's summary.
		let theirs = summary(DEVICE, START_DAY, 2, 4);
		let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &theirs));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(OTHER_PATIENT), theirs, signature),
			Error::<Test>::NotYourDevice
		);
		// A device's signature for one patient does not hold for another's message.
		let mine = summary(OTHER_DEVICE, START_DAY, 2, 4);
		let signature = sign(OTHER_DEVICE, Rewards::hygiene_message(&PATIENT, &mine));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(OTHER_PATIENT), mine, signature),
			Error::<Test>::BadDeviceSignature
		);
	});
}

#[test]
fn a_device_without_hygiene_consent_earns_nothing() {
	run(|| {
		device_for(DEVICE, PATIENT);
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			DEVICE,
			Purpose::HygieneData
		));
		let summary = summary(DEVICE, START_DAY, 2, 4);
		let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &summary));
		assert_noop!(
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), summary, signature),
			Error::<Test>::NoConsent
		);
	});
}

#[test]
fn summaries_outside_the_backfill_window_or_implausible_are_refused() {
	run(|| {
		device_for(DEVICE, PATIENT);
		let submit = |summary: HygieneSummary<AccountId>| {
			let signature = sign(DEVICE, Rewards::hygiene_message(&PATIENT, &summary));
			Rewards::submit_hygiene(RuntimeOrigin::signed(PATIENT), summary, signature)
		};
		assert_noop!(submit(summary(DEVICE, START_DAY + 1, 2, 4)), Error::<Test>::DayInFuture);
		assert_noop!(submit(summary(DEVICE, START_DAY - 8, 2, 4)), Error::<Test>::DayTooOld);
		assert_noop!(submit(summary(DEVICE, START_DAY, 0, 4)), Error::<Test>::NoSessions);
		assert_noop!(
			submit(summary(DEVICE, START_DAY, 2, 24 * 60 + 1)),
			Error::<Test>::ImplausibleSummary
		);
		assert_ok!(submit(summary(DEVICE, START_DAY - 7, 2, 4)));
		assert_noop!(
			Rewards::submit_hygiene(
				RuntimeOrigin::signed(PATIENT),
				summary(OTHER_DEVICE, START_DAY, 2, 4),
				sign(OTHER_DEVICE, vec![])
			),
			Error::<Test>::UnknownDevice
		);
		assert_noop!(
			Rewards::set_category(
				RuntimeOrigin::signed(PATIENT),
				crate::Category::Hygiene,
				20 * UNITS,
				0
			),
			BadOrigin
		);
	});
}

#[test]
fn the_history_keeps_the_latest_activities_as_codes_and_days() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		device_for(DEVICE, PATIENT);
		for day in START_DAY..START_DAY + 4 {
			set_day(day);
			hygiene(PATIENT, DEVICE, day, 4);
		}
		// The mock keeps 4: the checkup of the first day made room for the fourth summary.
		let history = crate::History::<Test>::get(PATIENT);
		let entries: Vec<_> = history.iter().map(|a| (a.category, a.code, a.day)).collect();
		assert_eq!(
			entries,
			(START_DAY..START_DAY + 4)
				.map(|day| (crate::Category::Hygiene, None, day))
				.collect::<Vec<_>>()
		);
		assert_eq!(history.last().map(|a| a.reward), Some(last_reward()));

		provider_for(PROVIDER, OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		let theirs = crate::History::<Test>::get(OTHER_PATIENT);
		assert_eq!(
			theirs.iter().map(|a| (a.category, a.code, a.day)).collect::<Vec<_>>(),
			vec![(crate::Category::Checkup, Some(evaluation()), START_DAY + 3)]
		);
	});
}
