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
fn revenue_is_shared_pro_rata_and_nothing_goes_to_the_dust_account() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			1_005
		));
		// 10.05 per fraction: 603, 301.5 and 100.5; the half plancks wait in the holders'
		// cursors for the next deposit.
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 603);
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 301);
		assert_eq!(Tokenization::claimable_revenue(asset, &BOB, &usdc()), 100);
		assert_eq!(usdc_of(DUST), 0);
		assert!(tokenization_events().contains(&Event::RevenueDeposited {
			asset,
			currency: usdc(),
			payer: ALICE,
			amount: 1_005,
			per_fraction: 10_050_000_000_000,
			carried: 0,
		}));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			1_005
		));
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 603);
		assert_eq!(Tokenization::claimable_revenue(asset, &BOB, &usdc()), 201);
	});
}

#[test]
fn a_deposit_below_one_planck_per_fraction_reaches_the_holders_not_the_treasury() {
	build_and_execute(|| {
		// The case: 1.99 units of a 6-decimal coin over 10⁶ fractions.
		let asset = fractionalized_asset(1_000_000);
		kyc(ALICE);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			250_000
		));
		assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(CLINIC), USDC, BOB, 2_000_000));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(BOB),
			asset,
			usdc(),
			1_990_000
		));
		// ⌊A/N⌋ = 1 per fraction would have paid Alice 250_000 and the dust account 990_000.
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 497_500);
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 1_492_500);
		assert_eq!(usdc_of(DUST), 0);
		assert_eq!(PendingDust::<Test>::get(usdc()), 0);
	});
}

#[test]
fn the_remainder_of_a_deposit_is_carried_to_the_next_one() {
	build_and_execute(|| {
		let asset = fractionalized_asset(3);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(BOB), asset, usdc(), 10));
		// 10·S = 3·3_333_333_333_333 + 1: one scaled unit carried.
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).carry, 1);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(BOB), asset, usdc(), 10));
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).carry, 2);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(BOB), asset, usdc(), 10));
		// 30 over 3: the carries made a whole scaled unit per fraction.
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).carry, 0);
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &usdc()), 30);
		let before = usdc_of(CLINIC);
		assert_ok!(Tokenization::claim_revenue(RuntimeOrigin::signed(CLINIC), asset, usdc()));
		assert_eq!(usdc_of(CLINIC), before + 30);
	});
}

#[test]
fn a_claim_keeps_the_part_of_a_planck_for_later() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_005
		));
		let before = usdc_of(ALICE);
		assert_ok!(Tokenization::claim_revenue(RuntimeOrigin::signed(ALICE), asset, usdc()));
		assert_eq!(usdc_of(ALICE), before + 301);
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 0);
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_005
		));
		// 301.5 more plus the half planck kept: 302.
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 302);
	});
}

#[test]
fn claims_pay_exactly_what_was_earned_and_only_once() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			btt(),
			10_000
		));
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
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_000
		));
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 30));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_000
		));
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
			(asset, btt(), EXISTENTIAL_DEPOSIT - 1, Error::<Test>::RevenueTooSmall),
			(asset, usdc(), USDC_MIN - 1, Error::<Test>::RevenueTooSmall),
		];
		for (asset, currency, amount, error) in cases {
			assert_noop!(
				Tokenization::deposit_revenue(
					RuntimeOrigin::signed(ALICE),
					asset,
					currency,
					amount
				),
				error
			);
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
		let three = vec![NativeOrWithId::WithId(20), NativeOrWithId::WithId(21), usdc()];
		assert_ok!(Tokenization::set_payment_currencies(
			RuntimeOrigin::root(),
			three.clone().try_into().unwrap()
		));
		assert_ok!(Tokenization::set_accepted_currencies(
			RuntimeOrigin::signed(CLINIC),
			asset,
			three.try_into().unwrap()
		));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			btt(),
			1_000
		));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			NativeOrWithId::WithId(20),
			1_000
		));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_000
		));
		assert_noop!(
			Tokenization::deposit_revenue(
				RuntimeOrigin::signed(CLINIC),
				asset,
				NativeOrWithId::WithId(21),
				1_000
			),
			Error::<Test>::TooManyRevenueCurrencies
		);
	});
}

#[test]
fn the_first_deposit_in_a_currency_pays_the_pallet_accounts_minimum_once() {
	build_and_execute(|| {
		let asset = distributed_asset();
		let before = usdc_of(ALICE);
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			1_000
		));
		assert_eq!(before - usdc_of(ALICE), 1_000 + USDC_MIN);
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			1_000
		));
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
		assert_ok!(<Tokenization as AssetRevenue<_, _, _>>::deposit_revenue(
			&BOB,
			asset,
			usdc(),
			500
		));
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &usdc()), 150);
	});
}

/// A junk asset anyone can create: not listed by governance, not accepted by the asset.
fn junk_currency(id: u32) -> NativeOrWithId<u32> {
	assert_ok!(PaymentAssets::create(RuntimeOrigin::signed(MALLORY), id, MALLORY, 1));
	assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(MALLORY), id, MALLORY, 1_000_000));
	NativeOrWithId::WithId(id)
}

#[test]
fn revenue_in_a_self_minted_junk_currency_is_refused() {
	build_and_execute(|| {
		let asset = distributed_asset();
		let junk = junk_currency(66);
		assert_noop!(
			Tokenization::deposit_revenue(
				RuntimeOrigin::signed(MALLORY),
				asset,
				junk.clone(),
				1_000
			),
			Error::<Test>::CurrencyNotAccepted
		);
		// Junk cannot fill the asset's currency slots, so real currencies still fit.
		assert!(RevenueCurrencies::<Test>::get(asset).is_empty());
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			usdc(),
			1_000
		));
	});
}

#[test]
fn a_listed_currency_the_asset_does_not_accept_is_refused() {
	build_and_execute(|| {
		let asset = distributed_asset();
		assert_ok!(Tokenization::set_accepted_currencies(
			RuntimeOrigin::signed(CLINIC),
			asset,
			Default::default()
		));
		assert_noop!(
			Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, usdc(), 1_000),
			Error::<Test>::CurrencyNotAccepted
		);
		// BTT is always accepted.
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(ALICE),
			asset,
			btt(),
			1_000
		));
	});
}

#[test]
fn only_the_issuer_or_governance_chooses_the_accepted_currencies_among_listed_ones() {
	build_and_execute(|| {
		let asset = distributed_asset();
		let junk = junk_currency(66);
		let list = |c: Vec<NativeOrWithId<u32>>| -> frame_support::BoundedVec<_, _> {
			c.try_into().unwrap()
		};
		assert_noop!(
			Tokenization::set_accepted_currencies(
				RuntimeOrigin::signed(MALLORY),
				asset,
				list(vec![usdc()])
			),
			Error::<Test>::NotIssuer
		);
		for bad in [
			vec![junk.clone()],
			vec![usdc(), usdc()],
			vec![btt()],
			vec![NativeOrWithId::WithId(404)],
		] {
			assert_noop!(
				Tokenization::set_accepted_currencies(
					RuntimeOrigin::signed(CLINIC),
					asset,
					list(bad)
				),
				Error::<Test>::InvalidCurrencies
			);
		}
		assert_noop!(
			Tokenization::set_payment_currencies(
				RuntimeOrigin::signed(CLINIC),
				vec![junk.clone()].try_into().unwrap()
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Tokenization::set_payment_currencies(
			RuntimeOrigin::root(),
			vec![usdc(), junk.clone()].try_into().unwrap()
		));
		assert_ok!(Tokenization::set_accepted_currencies(
			RuntimeOrigin::root(),
			asset,
			list(vec![junk.clone()])
		));
		assert!(tokenization_events()
			.contains(&Event::AcceptedCurrenciesSet { asset, currencies: list(vec![junk]) }));
	});
}
