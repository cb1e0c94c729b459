//! Plans: recurring payments made by the scheduler, their deposit and caps, cancellation by
//! either party, a payment that fails, a full agenda, and what a stranger cannot do.

use super::*;
use crate::{plans::plan_task_name, Error, Event, HoldReason, PlanEnd, Plans, PlansOf, Records};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, schedule::v3::Named},
	BoundedVec,
};
use sp_runtime::{DispatchError, TokenError};

const AMOUNT: Balance = 30 * USD;
const PERIOD: u64 = MIN_PLAN_PERIOD;

fn with_a_clinic(test: impl FnOnce()) {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 20));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD])
		));
		test();
	});
}

fn schedule(payments: u32) -> Result<u64, DispatchError> {
	let id = crate::NextPlanId::<Test>::get();
	Payfi::schedule_payments(
		RuntimeOrigin::signed(PATIENT),
		CLINIC,
		WITH_DUSD,
		WITH_DUSD,
		AMOUNT,
		AMOUNT,
		PERIOD,
		payments,
		checkup(),
	)?;
	Ok(id)
}

fn plan_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Payfi(HoldReason::Plan), &who)
}

fn ended() -> Option<Event<Test>> {
	payfi_events().into_iter().rev().find(|event| matches!(event, Event::PlanEnded { .. }))
}

#[test]
fn a_membership_pays_once_each_period_and_completes() {
	with_a_clinic(|| {
		let before = balance(WITH_DUSD, PATIENT);
		let plan = schedule(3).unwrap();
		assert_eq!(plan_held(PATIENT), PLAN_DEPOSIT + 3 * PLAN_DEPOSIT_PER_PAYMENT);
		assert_eq!(Plans::<Test>::get(plan).unwrap().next_due, 1 + PERIOD);

		run_to_block(PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), 0, "nothing before the first period ends");
		run_to_block(1 + PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), AMOUNT);
		assert_eq!(Plans::<Test>::get(plan).unwrap().remaining, 2);
		run_to_block(1 + 3 * PERIOD);

		assert_eq!(balance(WITH_DUSD, CLINIC), 3 * AMOUNT);
		assert_eq!(balance(WITH_DUSD, PATIENT), before - 3 * AMOUNT);
		assert_eq!(Records::<Test>::iter_prefix((CLINIC,)).count(), 3);
		assert!(Plans::<Test>::get(plan).is_none());
		assert_eq!(PlansOf::<Test>::get(PATIENT), 0);
		assert_eq!(plan_held(PATIENT), 0);
		assert_eq!(
			ended(),
			Some(Event::PlanEnded { plan, end: PlanEnd::Completed, remaining: 0, error: None })
		);
		let paid = payfi_events()
			.into_iter()
			.filter(|event| matches!(event, Event::PlanPaid { .. }))
			.count();
		assert_eq!(paid, 3);
	});
}

#[test]
fn an_instalment_plan_in_another_currency_swaps_within_the_payer_s_bound() {
	with_a_clinic(|| {
		let before = balance(WITH_DEUR, PATIENT);
		assert_ok!(Payfi::schedule_payments(
			RuntimeOrigin::signed(PATIENT),
			CLINIC,
			WITH_DEUR,
			WITH_DUSD,
			AMOUNT,
			AMOUNT * 11 / 10,
			PERIOD,
			2,
			checkup(),
		));
		run_to_block(1 + 2 * PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), 2 * AMOUNT);
		let spent = before - balance(WITH_DEUR, PATIENT);
		assert!(spent > 2 * AMOUNT && spent <= 2 * AMOUNT * 11 / 10, "spent {spent}");
	});
}

#[test]
fn schedule_payments_refuses_every_bad_plan_with_state_unchanged() {
	with_a_clinic(|| {
		let patient = RuntimeOrigin::signed(PATIENT);
		let plan = |payee, receive, amount, period, payments| {
			Payfi::schedule_payments(
				patient.clone(),
				payee,
				WITH_DUSD,
				receive,
				amount,
				amount,
				period,
				payments,
				checkup(),
			)
		};
		assert_noop!(plan(CLINIC, WITH_DUSD, AMOUNT, PERIOD, 0), Error::<Test>::NoPayments);
		assert_noop!(
			plan(CLINIC, WITH_DUSD, AMOUNT, PERIOD, MAX_PAYMENTS_PER_PLAN + 1),
			Error::<Test>::TooManyPayments
		);
		assert_noop!(plan(CLINIC, WITH_DUSD, AMOUNT, PERIOD - 1, 2), Error::<Test>::PeriodTooShort);
		assert_noop!(plan(OTHER_CLINIC, WITH_DUSD, AMOUNT, PERIOD, 2), Error::<Test>::NotPayee);
		assert_noop!(
			plan(CLINIC, WITH_DEUR, AMOUNT, PERIOD, 2),
			Error::<Test>::CurrencyNotReceivable
		);
		assert_noop!(plan(CLINIC, WITH_DUSD, 1, PERIOD, 2), Error::<Test>::BelowMinimum);
		assert_noop!(
			Payfi::schedule_payments(
				RuntimeOrigin::signed(CLINIC),
				CLINIC,
				WITH_DUSD,
				WITH_DUSD,
				AMOUNT,
				AMOUNT,
				PERIOD,
				2,
				checkup(),
			),
			Error::<Test>::SelfPayment
		);
		let mut future = checkup();
		future.encounter_day = today() + 1;
		assert_noop!(
			Payfi::schedule_payments(
				patient.clone(),
				CLINIC,
				WITH_DUSD,
				WITH_DUSD,
				AMOUNT,
				AMOUNT,
				PERIOD,
				2,
				future,
			),
			Error::<Test>::EncounterInFuture
		);
		assert_eq!(plan_held(PATIENT), 0);
		assert_eq!(crate::NextPlanId::<Test>::get(), 0);
	});
}

#[test]
fn a_payer_holds_at_most_max_plans_per_payer() {
	with_a_clinic(|| {
		for _ in 0..MAX_PLANS_PER_PAYER {
			assert_ok!(schedule(2));
		}
		assert_noop!(schedule(2), Error::<Test>::TooManyPlans);
		assert_eq!(PlansOf::<Test>::get(PATIENT), MAX_PLANS_PER_PAYER);
	});
}

#[test]
fn the_payer_or_the_payee_cancels_a_plan_and_a_stranger_cannot() {
	with_a_clinic(|| {
		let first = schedule(5).unwrap();
		let second = schedule(5).unwrap();
		assert_noop!(
			Payfi::cancel_plan(RuntimeOrigin::signed(OTHER_CLINIC), first),
			Error::<Test>::NotPlanParty
		);
		assert_noop!(
			Payfi::cancel_plan(RuntimeOrigin::signed(PATIENT), 99),
			Error::<Test>::UnknownPlan
		);

		assert_ok!(Payfi::cancel_plan(RuntimeOrigin::signed(PATIENT), first));
		assert!(Scheduler::next_dispatch_time(plan_task_name(first, 5)).is_err());
		assert_ok!(Payfi::cancel_plan(RuntimeOrigin::signed(CLINIC), second));
		assert_eq!(
			ended(),
			Some(Event::PlanEnded {
				plan: second,
				end: PlanEnd::Cancelled,
				remaining: 5,
				error: None
			})
		);
		run_to_block(1 + 2 * PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), 0, "a cancelled plan pays nothing");
		assert_eq!(plan_held(PATIENT), 0);
	});
}

#[test]
fn a_payment_the_payer_cannot_make_stops_the_plan_and_releases_the_deposit() {
	with_a_clinic(|| {
		let plan = schedule(4).unwrap();
		run_to_block(1 + PERIOD);
		// The patient spends its dUSD elsewhere before the second payment.
		let left = balance(WITH_DUSD, PATIENT);
		assert_ok!(Assets::transfer(
			RuntimeOrigin::signed(PATIENT),
			DUSD,
			PROVIDER,
			left - 10 * USD
		));

		run_to_block(1 + 2 * PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), AMOUNT, "only the first payment was made");
		assert!(Plans::<Test>::get(plan).is_none());
		assert_eq!(plan_held(PATIENT), 0);
		assert_eq!(
			ended(),
			Some(Event::PlanEnded {
				plan,
				end: PlanEnd::Stopped,
				remaining: 3,
				error: Some(DispatchError::Token(TokenError::FundsUnavailable)),
			})
		);
		run_to_block(1 + 4 * PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), AMOUNT, "a stopped plan never retries");
	});
}

#[test]
fn pay_scheduled_is_refused_before_it_is_due_and_to_anyone_but_the_payer() {
	with_a_clinic(|| {
		let plan = schedule(2).unwrap();
		assert_noop!(
			Payfi::pay_scheduled(RuntimeOrigin::signed(PATIENT), plan),
			Error::<Test>::PaymentNotDue
		);
		run_to_block(PERIOD + 1);
		assert_noop!(
			Payfi::pay_scheduled(RuntimeOrigin::signed(CLINIC), plan),
			Error::<Test>::NotPlanParty
		);
		assert_noop!(
			Payfi::pay_scheduled(RuntimeOrigin::signed(PATIENT), plan),
			Error::<Test>::PaymentNotDue
		);
		assert_eq!(balance(WITH_DUSD, CLINIC), AMOUNT, "paid once, by the scheduler");
	});
}

#[test]
fn a_full_agenda_refuses_a_new_plan_and_postpones_a_running_one() {
	with_a_clinic(|| {
		let filler = |block: u64| {
			for i in 0..MAX_SCHEDULED_PER_BLOCK {
				let call: RuntimeCall = frame_system::Call::remark { remark: vec![] }.into();
				assert_ok!(Scheduler::schedule_named(
					RuntimeOrigin::root(),
					sp_io::hashing::blake2_256(&(block, i).encode()),
					block,
					None,
					0,
					Box::new(call),
				));
			}
		};
		filler(1 + PERIOD);
		assert_noop!(schedule(2), Error::<Test>::AgendaFull);

		run_to_block(2);
		let plan = schedule(3).unwrap();
		assert_eq!(Plans::<Test>::get(plan).unwrap().next_due, 2 + PERIOD);
		// The second payment's block and the next one are full: it moves two blocks on.
		filler(2 + 2 * PERIOD);
		filler(3 + 2 * PERIOD);
		run_to_block(2 + PERIOD);
		assert_eq!(Plans::<Test>::get(plan).unwrap().next_due, 4 + 2 * PERIOD);
		run_to_block(4 + 2 * PERIOD);
		assert_eq!(balance(WITH_DUSD, CLINIC), 2 * AMOUNT);
	});
}
