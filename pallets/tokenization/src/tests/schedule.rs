//! Recurring revenue through pallet-scheduler.

use super::helpers::*;
use crate::{mock::*, Error, *};
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_monthly_schedule_pays_each_period_then_stops() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 100, 5, 3));
		assert_eq!(Balances::reserved_balance(ALICE), SCHEDULE_DEPOSIT);
		run_to_block(5);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 0);
		run_to_block(6);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 100);
		run_to_block(30);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).deposited, 300);
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 300);
		// Finished schedules can still be closed to get the deposit back.
		assert_ok!(Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(Balances::reserved_balance(ALICE), 0);
	});
}

#[test]
fn cancelling_a_schedule_stops_later_payments() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::schedule_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 100, 5, 12));
		run_to_block(6);
		assert_noop!(
			Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotPayer
		);
		assert_ok!(Tokenization::cancel_revenue_schedule(RuntimeOrigin::signed(ALICE), 0));
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
			Tokenization::schedule_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), amount, period, payments)
		};
		assert_noop!(schedule(100, 0, 3), Error::<Test>::InvalidSchedule);
		assert_noop!(schedule(100, 5, 0), Error::<Test>::InvalidSchedule);
		assert_noop!(schedule(9, 5, 3), Error::<Test>::RevenueTooSmall);
		let unfractionalized = register();
		assert_noop!(
			Tokenization::schedule_revenue(RuntimeOrigin::signed(ALICE), unfractionalized, usdc(), 100, 5, 3),
			Error::<Test>::NotFractionalized
		);
	});
}
