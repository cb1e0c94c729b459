//! Revenue deposits, claims, dust, and the `AssetRevenue` trait.

use super::helpers::*;
use crate::{mock::*, Error, Event, *};
use btt_primitives::tokenization::AssetRevenue;
use frame_support::{assert_noop, assert_ok};

/// Clinic 60, Alice 30, Bob 10 of 100 fractions.
fn distributed_asset() -> u32 {
	let asset = fractionalized_asset(100);
	kyc(ALICE);
	kyc(BOB);
	assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 30));
	assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 10));
	asset
}

#[test]
fn revenue_is_shared_pro_rata_and_the_remainder_is_dust() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_005));
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 600);
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 300);
		assert_eq!(Tokenization::claimable_revenue(asset, &BOB, &usdc()), 100);
		// 1_005 mod 100 = 5 goes to the dust account (5 = USDC's minimum, so it can receive it).
		assert_eq!(usdc_of(DUST), 5);
		assert!(tokenization_events().contains(&Event::RevenueDeposited {
			asset,
			currency: usdc(),
			payer: ALICE,
			amount: 1_005,
			per_fraction: 10,
			dust: 5,
		}));
	});
}

#[test]
fn dust_below_the_minimum_waits_in_the_pallet_account_until_it_can_be_paid() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_003));
		assert_eq!(PendingDust::<Test>::get(usdc()), 3);
		assert_eq!(usdc_of(DUST), 0);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_004));
		assert_eq!(PendingDust::<Test>::get(usdc()), 0);
		assert_eq!(usdc_of(DUST), 7);
	});
}

#[test]
fn claims_pay_exactly_what_was_earned_and_only_once() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, btt(), 10_000));
		let before = Balances::free_balance(ALICE);
		assert_ok!(Tokenization::claim_revenue(RuntimeOrigin::signed(ALICE), asset, btt()));
		assert_eq!(Balances::free_balance(ALICE), before + 3_000);
		assert_noop!(
			Tokenization::claim_revenue(RuntimeOrigin::signed(ALICE), asset, btt()),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Tokenization::claim_revenue(RuntimeOrigin::signed(MALLORY), asset, btt()),
			Error::<Test>::NothingToClaim
		);
		assert!(tokenization_events().contains(&Event::RevenueClaimed {
			asset,
			currency: btt(),
			who: ALICE,
			amount: 3_000
		}));
	});
}

#[test]
fn a_transfer_after_a_deposit_does_not_move_revenue_already_earned() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, usdc(), 1_000));
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 30));
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, usdc(), 1_000));
		// Alice held 30 for the first deposit only, Bob 10 then 40.
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 300);
		assert_eq!(Tokenization::claimable_revenue(asset, &BOB, &usdc()), 100 + 400);
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 600 + 600);
		assert_ok!(Tokenization::claim_revenue(RuntimeOrigin::signed(ALICE), asset, usdc()));
	});
}

#[test]
fn revenue_earned_before_unifying_stays_claimable() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 100));
		assert_ok!(Tokenization::unify(RuntimeOrigin::signed(CLINIC), asset));
		assert_noop!(
			Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 100),
			Error::<Test>::NotFractionalized
		);
		let before = usdc_of(CLINIC);
		assert_ok!(Tokenization::claim_revenue(RuntimeOrigin::signed(CLINIC), asset, usdc()));
		assert_eq!(usdc_of(CLINIC), before + 100);
	});
}

#[test]
fn bad_deposits_are_rejected_with_specific_errors() {
	build_and_execute(|| {
		let asset = distributed_asset();
		let unfractionalized = register();
		let cases = [
			(77, btt(), 1_000, Error::<Test>::UnknownAsset),
			(unfractionalized, btt(), 1_000, Error::<Test>::NotFractionalized),
			(asset, NativeOrWithId::WithId(404), 1_000, Error::<Test>::UnknownCurrency),
			(asset, btt(), 99, Error::<Test>::RevenueTooSmall),
			(asset, usdc(), 4, Error::<Test>::RevenueTooSmall),
		];
		for (asset, currency, amount, error) in cases {
			assert_noop!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, currency, amount), error);
		}
	});
}

#[test]
fn an_asset_takes_revenue_in_at_most_max_currencies() {
	build_and_execute(|| {
		let asset = distributed_asset();
		for id in [20u32, 21] {
			assert_ok!(PaymentAssets::force_create(RuntimeOrigin::root(), id, CLINIC, false, 1));
			assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(CLINIC), id, CLINIC, 1_000_000));
		}
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, btt(), 1_000));
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, NativeOrWithId::WithId(20), 1_000));
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, usdc(), 1_000));
		assert_noop!(
			Tokenization::deposit_revenue(RuntimeOrigin::signed(CLINIC), asset, NativeOrWithId::WithId(21), 1_000),
			Error::<Test>::TooManyRevenueCurrencies
		);
	});
}

#[test]
fn the_first_deposit_in_a_currency_pays_the_pallet_accounts_minimum_once() {
	build_and_execute(|| {
		let asset = distributed_asset();
		let before = usdc_of(ALICE);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_000));
		assert_eq!(before - usdc_of(ALICE), 1_000 + USDC_MIN);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_000));
		assert_eq!(before - usdc_of(ALICE), 2_000 + USDC_MIN);
		assert_eq!(EscrowBuffer::<Test>::get(usdc()), Some(USDC_MIN));
	});
}

#[test]
fn the_asset_revenue_trait_deposits_like_the_call() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert!(<Tokenization as AssetRevenue<_, _, _>>::accepts_revenue(asset));
		assert!(!<Tokenization as AssetRevenue<_, _, _>>::accepts_revenue(asset + 1));
		assert_ok!(<Tokenization as AssetRevenue<_, _, _>>::deposit_revenue(&BOB, asset, usdc(), 500));
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 150);
	});
}
