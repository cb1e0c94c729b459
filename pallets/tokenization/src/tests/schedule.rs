//! Recurring revenue through pallet-scheduler: one task per schedule, deposits, limits.

use super::helpers::*;
use crate::{mock::*, schedule::schedule_task_name, Error, Event, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::InspectHold,
		schedule::{v3::Named, DispatchTime},
		Bounded,
	},
};
use sp_runtime::TokenError;

fn schedule_held(who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Tokenization(HoldReason::RevenueSchedule),
		&who,
	)
}

fn deposit_for(payments: u32) -> Balance {
	SCHEDULE_DEPOSIT + SCHEDULE_DEPOSIT_PER_PAYMENT * Balance::from(payments)
}

#[test]
fn a_monthly_schedule_pays_each_period_then_releases_its_deposit() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			5,
			3
		));
		assert_eq!(schedule_held(ALICE), deposit_for(3));
		run_to_block(5);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 0);
		run_to_block(6);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 100);
		assert_eq!(Schedules::<Test>::get(0).unwrap().remaining, 2);
		run_to_block(30);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 300);
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 300);
		// Completion releases the deposit and forgets the schedule.
		assert_eq!(schedule_held(ALICE), 0);
		assert!(Schedules::<Test>::get(0).is_none());
		assert_eq!(SchedulesOf::<Test>::get(ALICE), 0);
		assert!(tokenization_events().contains(&Event::RevenueScheduleCompleted { schedule: 0 }));
	});
}

#[test]
fn cancelling_a_schedule_stops_later_payments_and_releases_the_deposit() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			5,
			12
		));
		run_to_block(6);
		assert_noop!(
			Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotPayer
		);
		assert_ok!(Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(schedule_held(ALICE), 0);
		run_to_block(40);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 100);
		assert_noop!(
			Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::UnknownSchedule
		);
	});
}

#[test]
fn invalid_schedules_are_rejected() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		let schedule = |amount, period, payments| {
			Tokenization::schedule_revenue(
				RuntimeOrigin::signed(ALICE),
				asset,
				usdc(),
				amount,
				period,
				payments,
			)
		};
		assert_noop!(schedule(100, 5, 0), Error::<Test>::InvalidSchedule);
		assert_noop!(schedule(USDC_MIN - 1, 5, 3), Error::<Test>::RevenueTooSmall);
		let unfractionalized = register();
		assert_noop!(
			Tokenization::schedule_revenue(
				RuntimeOrigin::signed(ALICE),
				unfractionalized,
				usdc(),
				100,
				5,
				3
			),
			Error::<Test>::NotFractionalized
		);
	});
}

#[test]
fn a_schedule_with_a_period_of_one_block_is_refused() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		for period in [0, 1, MIN_SCHEDULE_PERIOD - 1] {
			assert_noop!(
				Tokenization::schedule_revenue(
					RuntimeOrigin::signed(MALLORY),
					asset,
					btt(),
					100,
					period,
					3
				),
				Error::<Test>::PeriodTooShort
			);
		}
	});
}

#[test]
fn a_schedule_of_u32_max_payments_costs_a_deposit_no_attacker_can_pay() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_eq!(Tokenization::schedule_deposit(u32::MAX).unwrap(), deposit_for(u32::MAX));
		assert_noop!(
			Tokenization::schedule_revenue(
				RuntimeOrigin::signed(MALLORY),
				asset,
				btt(),
				100,
				5,
				u32::MAX
			),
			TokenError::FundsUnavailable
		);
		// The deposit grows with the payments.
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(MALLORY),
			asset,
			btt(),
			100,
			5,
			100
		));
		assert_eq!(schedule_held(MALLORY), deposit_for(100));
	});
}

#[test]
fn an_account_has_at_most_max_schedules() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		for _ in 0..MAX_SCHEDULES_PER_ACCOUNT {
			assert_ok!(Tokenization::schedule_revenue(
				RuntimeOrigin::signed(MALLORY),
				asset,
				btt(),
				100,
				5,
				2
			));
		}
		assert_noop!(
			Tokenization::schedule_revenue(RuntimeOrigin::signed(MALLORY), asset, btt(), 100, 5, 2),
			Error::<Test>::TooManySchedules
		);
		assert_eq!(SchedulesOf::<Test>::get(MALLORY), MAX_SCHEDULES_PER_ACCOUNT);
		// Another account is not affected.
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(BOB),
			asset,
			btt(),
			100,
			5,
			2
		));
	});
}

#[test]
fn a_schedule_takes_one_agenda_slot_whatever_its_payments() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			5,
			40
		));
		let agendas = pallet_scheduler::Agenda::<Test>::iter()
			.map(|(_, a)| a.iter().flatten().count())
			.sum::<usize>();
		assert_eq!(agendas, 1);
		assert_eq!(Scheduler::next_dispatch_time(schedule_task_name(0, 40)), Ok(6));
		run_to_block(6);
		assert_eq!(Scheduler::next_dispatch_time(schedule_task_name(0, 39)), Ok(11));
	});
}

/// Fills the agenda of `block` with 50 root remarks.
fn fill_agenda(block: u64) {
	for i in 0..50u32 {
		let call: RuntimeCall = frame_system::Call::remark { remark: vec![] }.into();
		assert_ok!(<Scheduler as Named<u64, RuntimeCall, OriginCaller>>::schedule_named(
			sp_io::hashing::blake2_256(&i.to_le_bytes()),
			DispatchTime::At(block),
			None,
			0,
			frame_system::RawOrigin::Root.into(),
			Bounded::Inline(codec::Encode::encode(&call).try_into().unwrap()),
		));
	}
}

#[test]
fn a_full_agenda_at_the_first_payment_is_a_clean_error() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		fill_agenda(6);
		assert_noop!(
			Tokenization::schedule_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 100, 5, 3),
			Error::<Test>::AgendaFull
		);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			6,
			3
		));
	});
}

#[test]
fn a_full_agenda_later_moves_the_payment_to_the_next_free_block() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			5,
			3
		));
		fill_agenda(11);
		run_to_block(6);
		assert_eq!(Schedules::<Test>::get(0).unwrap().next_due, 12);
		run_to_block(12);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 200);
	});
}

#[test]
fn a_payment_the_payer_cannot_make_stops_the_schedule_and_releases_its_deposit() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		let poor = 60;
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&poor, 1_000);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(poor),
			asset,
			btt(),
			500,
			5,
			3
		));
		run_to_block(6);
		// 1_000 − deposit − 500 left: too little for the second payment.
		run_to_block(11);
		assert!(Schedules::<Test>::get(0).is_none());
		assert_eq!(schedule_held(poor), 0);
		assert!(tokenization_events()
			.iter()
			.any(|e| matches!(e, Event::RevenueScheduleStopped { schedule: 0, .. })));
	});
}

#[test]
fn a_payment_is_not_made_before_it_is_due() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			100,
			5,
			3
		));
		assert_noop!(
			Tokenization::pay_scheduled_revenue(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::PaymentNotDue
		);
		assert_noop!(
			Tokenization::pay_scheduled_revenue(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotPayer
		);
	});
}
