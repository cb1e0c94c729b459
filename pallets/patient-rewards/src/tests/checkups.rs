//! Providers' checkup confirmations and adjustments: consent, rate limits, codes, intervals.

use super::*;
use crate::{Error, Event, Patients, Providers};
use frame_support::assert_noop;
use sp_runtime::{traits::BadOrigin, FixedU128};

#[test]
fn a_confirmed_checkup_earns_by_the_formula() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		// A·C = 300·1, H·T·P = (1/8 · 100)·1·1 = 12.5: 312.5 BTT.
		assert_eq!(last_reward(), 312 * UNITS + UNITS / 2);
		System::assert_has_event(
			Event::CheckupConfirmed {
				patient: PATIENT,
				provider: PROVIDER,
				code: evaluation(),
				evidence: None,
			}
			.into(),
		);
		let record = Patients::<Test>::get(PATIENT).unwrap();
		assert_eq!((record.checkups, record.last_checkup_day), (1, Some(START_DAY)));
	});
}

#[test]
fn the_provider_s_adjustment_scales_the_consistency_term() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		assert_ok!(Rewards::set_adjustment(
			RuntimeOrigin::signed(PROVIDER),
			PATIENT,
			FixedU128::from_rational(3, 2)
		));
		assert_ok!(Rewards::confirm_checkup(
			RuntimeOrigin::signed(PROVIDER),
			PATIENT,
			evaluation(),
			Perbill::from_percent(50),
			None
		));
		// 300·0.5 + (1/8 · 100)·1·1.5 = 150 + 18.75.
		assert_eq!(last_reward(), 168 * UNITS + 3 * UNITS / 4);
	});
}

#[test]
fn a_provider_confirming_without_consent_is_refused() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), OTHER_PROVIDER));
		let confirm = |provider| {
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(provider),
				PATIENT,
				evaluation(),
				Perbill::one(),
				None,
			)
		};
		assert_noop!(confirm(OTHER_PROVIDER), Error::<Test>::NoConsent);
		// Consent for another purpose is not consent to confirm checkups.
		consent(PATIENT, OTHER_PROVIDER, Purpose::Research);
		assert_noop!(confirm(OTHER_PROVIDER), Error::<Test>::NoConsent);
		assert_noop!(
			Rewards::set_adjustment(
				RuntimeOrigin::signed(OTHER_PROVIDER),
				PATIENT,
				FixedU128::from_u32(1)
			),
			Error::<Test>::NoConsent
		);
		// A revoked consent stops the provider that had it.
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation
		));
		assert_noop!(confirm(PROVIDER), Error::<Test>::NoConsent);
	});
}

#[test]
fn a_provider_confirming_after_the_consent_expired_is_refused() {
	run(|| {
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), PROVIDER));
		assert_ok!(Rewards::grant_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::CheckupConfirmation,
			Some(START_DAY + 1)
		));
		set_day(START_DAY + 1);
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(PROVIDER),
				PATIENT,
				evaluation(),
				Perbill::one(),
				None
			),
			Error::<Test>::ConsentExpired
		);
	});
}

#[test]
fn an_account_that_is_not_a_provider_cannot_attest() {
	run(|| {
		consent(PATIENT, STRANGER, Purpose::CheckupConfirmation);
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(STRANGER),
				PATIENT,
				evaluation(),
				Perbill::one(),
				None
			),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Rewards::set_adjustment(
				RuntimeOrigin::signed(STRANGER),
				PATIENT,
				FixedU128::from_u32(1)
			),
			Error::<Test>::NotProvider
		);
		assert_noop!(
			Rewards::register_provider(RuntimeOrigin::signed(STRANGER), STRANGER),
			BadOrigin
		);
		provider_for(PROVIDER, PATIENT);
		assert_ok!(Rewards::remove_provider(RuntimeOrigin::root(), PROVIDER));
		assert!(!Providers::<Test>::contains_key(PROVIDER));
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(PROVIDER),
				PATIENT,
				evaluation(),
				Perbill::one(),
				None
			),
			Error::<Test>::NotProvider
		);
	});
}

#[test]
fn a_provider_over_its_rate_is_refused_until_the_next_period() {
	run(|| {
		let patients: Vec<AccountId> = (100..=100 + u64::from(MAX_ATTESTATIONS)).collect();
		for patient in &patients {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				patient, UNITS
			));
			provider_for(PROVIDER, *patient);
		}
		let (within, over) = patients.split_at(MAX_ATTESTATIONS as usize);
		for patient in within {
			checkup(PROVIDER, *patient);
		}
		let confirm = |patient| {
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(PROVIDER),
				patient,
				evaluation(),
				Perbill::one(),
				None,
			)
		};
		assert_noop!(confirm(over[0]), Error::<Test>::ProviderRateLimited);
		next_period();
		assert_ok!(confirm(over[0]));
	});
}

#[test]
fn a_checkup_too_soon_after_the_last_is_refused_whoever_confirms() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		provider_for(OTHER_PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		set_day(START_DAY + CHECKUP_INTERVAL - 1);
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(OTHER_PROVIDER),
				PATIENT,
				evaluation(),
				Perbill::one(),
				None
			),
			Error::<Test>::CheckupTooSoon
		);
		set_day(START_DAY + CHECKUP_INTERVAL);
		checkup(OTHER_PROVIDER, PATIENT);
	});
}

#[test]
fn a_checkup_needs_a_diagnostic_or_preventive_code() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		// D2391, a composite filling, is a restoration, not a checkup.
		let filling = ProcedureCode::parse(b"D2391").unwrap();
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(PROVIDER),
				PATIENT,
				filling,
				Perbill::one(),
				None
			),
			Error::<Test>::NotPreventiveCode
		);
		// D1110, a prophylaxis, is preventive.
		assert_ok!(Rewards::confirm_checkup(
			RuntimeOrigin::signed(PROVIDER),
			PATIENT,
			ProcedureCode::parse(b"D1110").unwrap(),
			Perbill::one(),
			None
		));
	});
}

#[test]
fn an_adjustment_outside_its_bounds_is_refused() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		for adjustment in [FixedU128::from_rational(49, 100), FixedU128::from_rational(151, 100)] {
			assert_noop!(
				Rewards::set_adjustment(RuntimeOrigin::signed(PROVIDER), PATIENT, adjustment),
				Error::<Test>::AdjustmentOutOfRange
			);
		}
	});
}

#[test]
fn governance_sets_a_category_within_its_seed_range_only() {
	run(|| {
		use crate::{Categories, Category, CategoryParams};
		assert_noop!(
			Rewards::set_category(RuntimeOrigin::root(), Category::Checkup, 199 * UNITS, 0),
			Error::<Test>::BaseOutOfRange
		);
		assert_noop!(
			Rewards::set_category(RuntimeOrigin::root(), Category::Checkup, 501 * UNITS, 0),
			Error::<Test>::BaseOutOfRange
		);
		assert_noop!(
			Rewards::set_category(
				RuntimeOrigin::root(),
				Category::Checkup,
				200 * UNITS,
				501 * UNITS
			),
			Error::<Test>::ConsistencyBaseTooHigh
		);
		assert_ok!(Rewards::set_category(
			RuntimeOrigin::root(),
			Category::Checkup,
			500 * UNITS,
			500 * UNITS
		));
		assert_eq!(
			Categories::<Test>::get(Category::Checkup),
			Some(CategoryParams { base: 500 * UNITS, consistency_base: 500 * UNITS })
		);
	});
}

fn verified(task: u64, clinic: AccountId) {
	use btt_primitives::depin::{DiagnosticModule, OnTaskVerified, VerifiedDiagnosis};
	<Rewards as OnTaskVerified<AccountId>>::on_task_verified(&VerifiedDiagnosis {
		task,
		clinic,
		module: DiagnosticModule::CariesDetection,
		model: sp_core::H256::zero(),
		input_hash: sp_core::H256::repeat_byte(7),
		findings: Default::default(),
		confidence: sp_runtime::Permill::one(),
	});
}

fn confirm_with(patient: AccountId, evidence: crate::Evidence) -> sp_runtime::DispatchResult {
	Rewards::confirm_checkup(
		RuntimeOrigin::signed(PROVIDER),
		patient,
		evaluation(),
		Perbill::one(),
		Some(evidence),
	)
}

#[test]
fn a_verified_depin_task_of_the_provider_evidences_one_checkup() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		provider_for(PROVIDER, OTHER_PATIENT);
		provider_for(OTHER_PROVIDER, PATIENT);
		verified(5, PROVIDER);
		// Another clinic's task, or a task of a clinic that is no provider, is no evidence.
		verified(6, OTHER_PROVIDER);
		verified(7, STRANGER);
		assert!(!crate::ProviderTasks::<Test>::contains_key(STRANGER));
		assert_noop!(confirm_with(PATIENT, crate::Evidence::Task(6)), Error::<Test>::UnknownTask);
		assert_noop!(confirm_with(PATIENT, crate::Evidence::Task(7)), Error::<Test>::UnknownTask);

		assert_ok!(confirm_with(PATIENT, crate::Evidence::Task(5)));
		System::assert_has_event(
			Event::CheckupConfirmed {
				patient: PATIENT,
				provider: PROVIDER,
				code: evaluation(),
				evidence: Some(crate::Evidence::Task(5)),
			}
			.into(),
		);
		// Used up: it cannot evidence a second patient's checkup.
		assert_noop!(
			confirm_with(OTHER_PATIENT, crate::Evidence::Task(5)),
			Error::<Test>::UnknownTask
		);
	});
}

#[test]
fn a_provider_keeps_only_its_latest_verified_tasks() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		let most = u64::from(crate::MAX_RECENT_TASKS);
		for task in 0..=most {
			verified(task, PROVIDER);
		}
		let tasks = crate::ProviderTasks::<Test>::get(PROVIDER);
		assert_eq!(tasks.first(), Some(&1), "the oldest made room");
		assert_eq!(tasks.last(), Some(&most));
		assert_noop!(confirm_with(PATIENT, crate::Evidence::Task(0)), Error::<Test>::UnknownTask);
		// Removing the provider removes its tasks.
		assert_ok!(Rewards::remove_provider(RuntimeOrigin::root(), PROVIDER));
		assert!(!crate::ProviderTasks::<Test>::contains_key(PROVIDER));
	});
}

#[test]
fn a_payment_evidences_a_checkup_only_if_the_patient_paid_the_provider_recently() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		provider_for(PROVIDER, OTHER_PATIENT);
		record_payment(PROVIDER, START_DAY - 8, 1, PATIENT);
		record_payment(PROVIDER, START_DAY - 1, 2, OTHER_PATIENT);
		record_payment(PROVIDER, START_DAY, 3, PATIENT);
		let payment = |day, id| crate::Evidence::Payment { day, id };
		// Someone else's payment, a payment that does not exist, one too old.
		assert_noop!(
			confirm_with(PATIENT, payment(START_DAY - 1, 2)),
			Error::<Test>::UnknownPayment
		);
		assert_noop!(confirm_with(PATIENT, payment(START_DAY, 4)), Error::<Test>::UnknownPayment);
		assert_noop!(
			confirm_with(PATIENT, payment(START_DAY - 8, 1)),
			Error::<Test>::PaymentTooOld
		);
		assert_ok!(confirm_with(PATIENT, payment(START_DAY, 3)));
		assert_ok!(confirm_with(OTHER_PATIENT, payment(START_DAY - 1, 2)));
	});
}
