//! Treatment plans: stages on separate visits, the reward scaled by their mean quality.

use super::*;
use crate::{Error, Event, HoldReason, OpenPlans, Patients, Plans};
use frame_support::{assert_noop, traits::fungible::InspectHold};

/// D2740, a crown.
fn crown() -> ProcedureCode {
	ProcedureCode::parse(b"D2740").unwrap()
}

fn plan_for(patient: AccountId, stages: u8) -> crate::PlanId {
	provider_for(PROVIDER, patient);
	consent(patient, PROVIDER, Purpose::TreatmentPlan);
	assert_ok!(Rewards::record_plan(RuntimeOrigin::signed(PROVIDER), patient, crown(), stages));
	crate::NextPlanId::<Test>::get() - 1
}

/// The provider confirms the plan's next stage, visited today.
fn confirm(plan: crate::PlanId, percent: u32) -> sp_runtime::DispatchResult {
	confirm_on(plan, percent, today())
}

fn confirm_on(plan: crate::PlanId, percent: u32, day: u32) -> sp_runtime::DispatchResult {
	let quality = Perbill::from_percent(percent);
	Rewards::confirm_stage(RuntimeOrigin::signed(PROVIDER), plan, quality, day)
}

#[test]
fn a_three_stage_plan_earns_on_completion_scaled_by_its_mean_quality() {
	run(|| {
		let plan = plan_for(PATIENT, 3);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Plan.into(), &PROVIDER), PLAN_DEPOSIT);
		for (offset, percent) in [(0, 100), (1, 90), (2, 80)] {
			set_day(START_DAY + offset);
			assert_ok!(confirm(plan, percent));
		}
		// C = 0.9 (the mean), H = 1/8 of B_H = 200, T = 1: 540 + 25.
		assert_eq!(last_reward(), 565 * UNITS);
		System::assert_has_event(
			Event::PlanCompleted { plan, patient: PATIENT, quality: Perbill::from_percent(90) }
				.into(),
		);
		assert!(Plans::<Test>::get(plan).is_none());
		assert!(OpenPlans::<Test>::get(PATIENT, PROVIDER).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::Plan.into(), &PROVIDER), 0);
		assert_eq!(Patients::<Test>::get(PATIENT).map(|r| r.plans), Some(0));
	});
}

#[test]
fn an_unfinished_plan_earns_nothing() {
	run(|| {
		let plan = plan_for(PATIENT, 3);
		assert_ok!(confirm(plan, 100));
		set_day(START_DAY + 1);
		assert_ok!(confirm(plan, 100));
		assert_eq!(Patients::<Test>::get(PATIENT).map(|r| r.points), Some(0));
		assert_eq!(Plans::<Test>::get(plan).map(|p| p.confirmed), Some(2));
	});
}

#[test]
fn a_plan_s_stages_are_separate_visits_within_the_backfill_window() {
	run(|| {
		let plan = plan_for(PATIENT, 3);
		assert_noop!(confirm_on(plan, 100, START_DAY + 1), Error::<Test>::DayInFuture);
		assert_ok!(confirm(plan, 100));
		// One visit per stage: a second stage on the same day, or an earlier one, is refused.
		assert_noop!(confirm(plan, 100), Error::<Test>::StageNotAfterPrevious);
		assert_noop!(confirm_on(plan, 100, START_DAY - 1), Error::<Test>::StageNotAfterPrevious);
		set_day(START_DAY + 10);
		assert_noop!(confirm_on(plan, 100, START_DAY + 2), Error::<Test>::DayTooOld);
		assert_ok!(confirm_on(plan, 100, START_DAY + 3));
		assert_eq!(Plans::<Test>::get(plan).and_then(|p| p.last_day), Some(START_DAY + 3));
	});
}

#[test]
fn a_clinic_that_syncs_late_confirms_its_visits_in_one_go() {
	run(|| {
		let plan = plan_for(PATIENT, 3);
		for (day, percent) in [(START_DAY - 2, 100), (START_DAY - 1, 90), (START_DAY, 80)] {
			assert_ok!(confirm_on(plan, percent, day));
		}
		// The same reward as three separate days' confirmations.
		assert_eq!(last_reward(), 565 * UNITS);
		assert!(Plans::<Test>::get(plan).is_none());
	});
}

#[test]
fn every_stage_counts_against_the_provider_s_rate_limit() {
	run(|| {
		// Recording is one attestation, each stage one more.
		let plan = plan_for(PATIENT, 8);
		for offset in 0..MAX_ATTESTATIONS - 1 {
			assert_ok!(confirm_on(plan, 100, START_DAY - 7 + offset));
		}
		assert_noop!(
			confirm_on(plan, 100, START_DAY - 7 + MAX_ATTESTATIONS),
			Error::<Test>::ProviderRateLimited
		);
		// The next period's limit is fresh.
		next_period();
		assert_ok!(confirm(plan, 100));
	});
}

#[test]
fn a_plan_needs_consent_a_provider_and_a_sane_stage_count() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		let record = |stages| {
			Rewards::record_plan(RuntimeOrigin::signed(PROVIDER), PATIENT, crown(), stages)
		};
		// Checkup consent is not treatment-plan consent.
		assert_noop!(record(3), Error::<Test>::NoConsent);
		consent(PATIENT, PROVIDER, Purpose::TreatmentPlan);
		assert_noop!(record(1), Error::<Test>::BadStageCount);
		assert_noop!(record(9), Error::<Test>::BadStageCount);
		assert_ok!(record(2));
		assert_noop!(record(2), Error::<Test>::PlanOpen);
		consent(PATIENT, STRANGER, Purpose::TreatmentPlan);
		assert_noop!(
			Rewards::record_plan(RuntimeOrigin::signed(STRANGER), PATIENT, crown(), 2),
			Error::<Test>::NotProvider
		);
	});
}

#[test]
fn only_the_plan_s_provider_confirms_and_only_its_parties_cancel() {
	run(|| {
		let plan = plan_for(PATIENT, 2);
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), OTHER_PROVIDER));
		assert_noop!(
			Rewards::confirm_stage(
				RuntimeOrigin::signed(OTHER_PROVIDER),
				plan,
				Perbill::one(),
				today()
			),
			Error::<Test>::NotPlanParty
		);
		assert_noop!(
			Rewards::cancel_plan(RuntimeOrigin::signed(STRANGER), plan),
			Error::<Test>::NotPlanParty
		);
		assert_ok!(Rewards::cancel_plan(RuntimeOrigin::signed(PATIENT), plan));
		System::assert_last_event(Event::PlanCancelled { plan, by: PATIENT }.into());
		assert_eq!(Balances::balance_on_hold(&HoldReason::Plan.into(), &PROVIDER), 0);
		assert_noop!(confirm(plan, 100), Error::<Test>::UnknownPlan);
	});
}

#[test]
fn a_revoked_treatment_consent_stops_the_plan_s_confirmations() {
	run(|| {
		let plan = plan_for(PATIENT, 2);
		assert_ok!(Rewards::revoke_consent(
			RuntimeOrigin::signed(PATIENT),
			PROVIDER,
			Purpose::TreatmentPlan
		));
		assert_noop!(confirm(plan, 100), Error::<Test>::NoConsent);
	});
}

#[test]
fn a_patient_with_an_open_plan_cannot_leave() {
	run(|| {
		let plan = plan_for(PATIENT, 2);
		for (grantee, purpose) in
			[(PROVIDER, Purpose::CheckupConfirmation), (PROVIDER, Purpose::TreatmentPlan)]
		{
			assert_ok!(Rewards::revoke_consent(RuntimeOrigin::signed(PATIENT), grantee, purpose));
		}
		assert_noop!(Rewards::leave(RuntimeOrigin::signed(PATIENT)), Error::<Test>::PatientInUse);
		assert_ok!(Rewards::cancel_plan(RuntimeOrigin::signed(PROVIDER), plan));
		assert_ok!(Rewards::leave(RuntimeOrigin::signed(PATIENT)));
	});
}
