//! Splits: templates that share a coded payment out as it arrives, to accounts and to the
//! fraction holders of tokenized assets; their checks, deposits and rounding.

use super::*;
use crate::{split_amounts, Error, Event, HoldReason, Recipient, Records, Share, Splits};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_runtime::Permill;

const PRACTITIONER: AccountId = 5;
const XRAY_UNIT: u32 = 3;

fn share(to: Recipient<AccountId>, percent: u32) -> Share<AccountId> {
	Share { to, part: Permill::from_percent(percent) }
}

/// The clinic keeps 60 %, its practitioner gets 25 %, the X-ray unit's investors 15 %.
fn checkup_split() -> Vec<Share<AccountId>> {
	vec![
		share(Recipient::Account(CLINIC), 60),
		share(Recipient::Account(PRACTITIONER), 25),
		share(Recipient::Asset(XRAY_UNIT), 15),
	]
}

fn set(id: u32, shares: Vec<Share<AccountId>>, remainder_to: u32) -> sp_runtime::DispatchResult {
	Payfi::set_split(
		RuntimeOrigin::signed(CLINIC),
		id,
		BoundedVec::truncate_from(shares),
		remainder_to,
	)
}

fn with_a_split(test: impl FnOnce()) {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 10));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD])
		));
		assert_ok!(set(1, checkup_split(), 0));
		test();
	});
}

fn pay_split(amount: Balance) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Payfi::pay_split(
		RuntimeOrigin::signed(PATIENT),
		CLINIC,
		1,
		WITH_DUSD,
		WITH_DUSD,
		amount,
		amount,
		checkup(),
	)
}

#[test]
fn a_split_payment_pays_each_share_in_the_same_extrinsic_and_the_x_ray_unit_s_investors() {
	with_a_split(|| {
		let (clinic, pool) =
			(balance(WITH_DUSD, CLINIC), balance(WITH_DUSD, revenue_pool(XRAY_UNIT)));
		assert_ok!(pay_split(100 * USD));
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + 60 * USD);
		assert_eq!(balance(WITH_DUSD, PRACTITIONER), 25 * USD);
		assert_eq!(balance(WITH_DUSD, revenue_pool(XRAY_UNIT)), pool + 15 * USD);
		let record = Records::<Test>::get((CLINIC, today(), 0)).expect("recorded");
		assert_eq!((record.split, record.received), (Some(1), (WITH_DUSD, 100 * USD)));
		assert!(payfi_events().contains(&Event::SplitPaid {
			payment: 0,
			payee: CLINIC,
			split: 1,
			parts: BoundedVec::truncate_from(vec![
				(Recipient::Account(CLINIC), 60 * USD),
				(Recipient::Account(PRACTITIONER), 25 * USD),
				(Recipient::Asset(XRAY_UNIT), 15 * USD),
			]),
		}));
	});
}

#[test]
fn the_weight_charged_is_the_route_s_plus_the_shares_actually_paid() {
	use btt_primitives::tokenization::AssetRevenue;
	with_a_split(|| {
		let post = pay_split(100 * USD).unwrap();
		let expected = <() as crate::WeightInfo>::pay_direct()
			+ <() as crate::WeightInfo>::distribute(1)
			+ RevenuePools::deposit_weight();
		assert_eq!(post.actual_weight, Some(expected));
	});
}

#[test]
fn rounding_leaves_the_remainder_to_the_named_share_and_the_parts_sum_to_the_amount() {
	let shares = vec![
		share(Recipient::Account(1), 0),
		Share { to: Recipient::Account(2), part: Permill::from_parts(333_333) },
		Share { to: Recipient::Account(3), part: Permill::from_parts(333_333) },
		Share { to: Recipient::Account(4), part: Permill::from_parts(333_334) },
	];
	for amount in [0u128, 1, 2, 7, 100, 999_999, 1_000_001, 123_456_789] {
		let parts = split_amounts(amount, &shares, 2);
		assert_eq!(parts.iter().sum::<u128>(), amount, "{amount}: {parts:?}");
		assert_eq!(parts[0], 0);
		let floor: Vec<u128> = shares.iter().map(|s| s.part.mul_floor(amount)).collect();
		assert_eq!(parts[2], floor[2] + (amount - floor.iter().sum::<u128>()));
	}
}

#[test]
fn a_share_below_the_currency_s_minimum_refuses_the_payment_before_anything_moves() {
	with_a_split(|| {
		let before = balance(WITH_DUSD, PATIENT);
		// 15 % of 5 cents is 0.75 cents, under dUSD's minimum of a cent.
		assert_noop!(pay_split(5 * USD / 100), Error::<Test>::ShareBelowMinimum);
		assert_eq!(balance(WITH_DUSD, PATIENT), before);
	});
}

#[test]
fn bad_templates_are_refused_with_their_errors() {
	with_a_split(|| {
		let cases: Vec<(Vec<Share<AccountId>>, u32, Error<Test>)> = vec![
			(vec![], 0, Error::NoShare),
			(checkup_split(), 3, Error::BadRemainder),
			(vec![share(Recipient::Account(CLINIC), 60)], 0, Error::SharesNotWhole),
			(
				vec![share(Recipient::Account(CLINIC), 60), share(Recipient::Account(9), 60)],
				0,
				Error::SharesNotWhole,
			),
			(
				vec![
					share(Recipient::Account(PRACTITIONER), 50),
					share(Recipient::Account(PRACTITIONER), 50),
				],
				0,
				Error::DuplicateRecipient,
			),
			(
				vec![share(Recipient::Account(CLINIC), 50), share(Recipient::Asset(9), 50)],
				0,
				Error::AssetTakesNoRevenue,
			),
		];
		for (shares, remainder_to, error) in cases {
			assert_noop!(set(2, shares, remainder_to), error);
		}
		assert!(Splits::<Test>::get(CLINIC, 2).is_none());
	});
}

#[test]
fn templates_hold_a_deposit_are_capped_and_only_a_payee_holds_them() {
	with_a_split(|| {
		let held =
			|| Balances::balance_on_hold(&RuntimeHoldReason::Payfi(HoldReason::Split), &CLINIC);
		assert_eq!(held(), SplitDeposit::get());
		// Replacing a template holds nothing more.
		assert_ok!(set(1, vec![share(Recipient::Account(CLINIC), 100)], 0));
		assert_eq!(held(), SplitDeposit::get());
		assert_ok!(set(2, checkup_split(), 0));
		assert_noop!(set(3, checkup_split(), 0), Error::<Test>::TooManySplits);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)),
			Error::<Test>::PayeeHasSplits
		);
		assert_noop!(
			Payfi::set_split(
				RuntimeOrigin::signed(OTHER_CLINIC),
				1,
				BoundedVec::truncate_from(checkup_split()),
				0
			),
			Error::<Test>::NotPayee
		);
		assert_ok!(Payfi::remove_split(RuntimeOrigin::signed(CLINIC), 2));
		assert_ok!(Payfi::remove_split(RuntimeOrigin::signed(CLINIC), 1));
		assert_eq!(held(), 0);
		assert_noop!(
			Payfi::remove_split(RuntimeOrigin::signed(CLINIC), 1),
			Error::<Test>::UnknownSplit
		);
		assert_ok!(Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)));
	});
}

#[test]
fn paying_by_an_unknown_template_is_refused() {
	with_a_split(|| {
		assert_noop!(
			Payfi::pay_split(
				RuntimeOrigin::signed(PATIENT),
				CLINIC,
				9,
				WITH_DUSD,
				WITH_DUSD,
				USD,
				USD,
				checkup()
			),
			Error::<Test>::UnknownSplit
		);
	});
}
