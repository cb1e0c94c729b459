//! Fixed-price sell and buy orders.

use super::helpers::*;
use crate::{mock::*, Error, Event, *};
use frame_support::{assert_noop, assert_ok};

/// An account that passed KYC and places as many orders as it may.
const MALLORY_WITH_KYC: AccountId = 30;

/// Clinic holds 100 fractions; Alice, Bob and `MALLORY_WITH_KYC` have KYC.
fn market() -> u32 {
	let asset = fractionalized_asset(100);
	kyc(ALICE);
	kyc(BOB);
	kyc(MALLORY_WITH_KYC);
	<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(
		&MALLORY_WITH_KYC,
		ENDOWMENT,
	);
	assert_ok!(PaymentAssets::mint(
		RuntimeOrigin::signed(CLINIC),
		USDC,
		MALLORY_WITH_KYC,
		ENDOWMENT
	));
	asset
}

fn sell(who: AccountId, asset: u32, amount: Balance, price: Balance) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Tokenization::place_order(
		RuntimeOrigin::signed(who),
		asset,
		OrderSide::Sell,
		amount,
		price,
		usdc()
	));
	id
}

fn buy(who: AccountId, asset: u32, amount: Balance, price: Balance) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Tokenization::place_order(
		RuntimeOrigin::signed(who),
		asset,
		OrderSide::Buy,
		amount,
		price,
		usdc()
	));
	id
}

#[test]
fn a_sell_order_freezes_the_listed_fractions() {
	build_and_execute(|| {
		let asset = market();
		sell(CLINIC, asset, 60, 1_000);
		assert_eq!(ListedFractions::<Test>::get(asset, CLINIC), 60);
		assert_eq!(Tokenization::transferable_fractions(asset, &CLINIC), 40);
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 41),
			Error::<Test>::InsufficientFractions
		);
	});
}

#[test]
fn taking_a_sell_order_in_part_pays_the_seller_and_the_fee() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 60, 1_000);
		let (clinic, alice) = (usdc_of(CLINIC), usdc_of(ALICE));
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 20));
		assert_eq!(fractions_of(asset, ALICE), 20);
		assert_eq!(usdc_of(ALICE), alice - 20_000);
		assert_eq!(usdc_of(CLINIC), clinic + 19_800);
		assert_eq!(usdc_of(TREASURY), 200);
		assert_eq!(Orders::<Test>::get(order).unwrap().remaining, 40);
		assert_eq!(ListedFractions::<Test>::get(asset, CLINIC), 40);
		assert!(tokenization_events().contains(&Event::OrderFilled {
			order,
			taker: ALICE,
			amount: 20,
			payment: 20_000,
			fee: 200
		}));
	});
}

#[test]
fn filling_an_order_completely_closes_it_and_returns_the_deposit() {
	build_and_execute(|| {
		let asset = market();
		let held_before = Balances::reserved_balance(CLINIC);
		let order = sell(CLINIC, asset, 10, 100);
		assert_eq!(Balances::reserved_balance(CLINIC), held_before + ORDER_DEPOSIT);
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 10));
		assert!(Orders::<Test>::get(order).is_none());
		assert_eq!(OrderCount::<Test>::get(asset), 0);
		assert_eq!(Balances::reserved_balance(CLINIC), held_before);
		assert!(tokenization_events().contains(&Event::OrderClosed { order }));
	});
}

#[test]
fn a_buy_order_escrows_the_price_and_a_seller_fills_it() {
	build_and_execute(|| {
		let asset = market();
		let alice = usdc_of(ALICE);
		let order = buy(ALICE, asset, 10, 500);
		assert_eq!(usdc_of(ALICE), alice - 5_000 - USDC_MIN);
		let clinic = usdc_of(CLINIC);
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(CLINIC), order, 4));
		assert_eq!(fractions_of(asset, ALICE), 4);
		assert_eq!(usdc_of(CLINIC), clinic + 2_000 - 20);
		assert_ok!(Tokenization::cancel_order(RuntimeOrigin::signed(ALICE), order));
		assert_eq!(usdc_of(ALICE), alice - 2_000 - USDC_MIN);
	});
}

#[test]
fn an_investor_without_kyc_can_neither_bid_nor_buy() {
	build_and_execute(|| {
		let asset = market();
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(MALLORY),
				asset,
				OrderSide::Buy,
				1,
				100,
				btt()
			),
			Error::<Test>::KycMissing
		);
		let order = NextOrderId::<Test>::get();
		assert_ok!(Tokenization::place_order(
			RuntimeOrigin::signed(CLINIC),
			asset,
			OrderSide::Sell,
			5,
			10,
			btt()
		));
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(MALLORY), order, 1),
			Error::<Test>::KycMissing
		);
	});
}

#[test]
fn stale_valuations_stop_new_orders_and_fills() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 10, 100);
		System::set_block_number(1 + VALUATION_MAX_AGE);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1),
			Error::<Test>::ValuationStale
		);
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(CLINIC),
				asset,
				OrderSide::Sell,
				1,
				1,
				usdc()
			),
			Error::<Test>::ValuationStale
		);
		// Cancelling still works.
		assert_ok!(Tokenization::cancel_order(RuntimeOrigin::signed(CLINIC), order));
	});
}

#[test]
fn bad_orders_are_rejected_with_specific_errors() {
	build_and_execute(|| {
		let asset = market();
		let place = |who, side, amount, price, currency| {
			Tokenization::place_order(
				RuntimeOrigin::signed(who),
				asset,
				side,
				amount,
				price,
				currency,
			)
		};
		assert_noop!(place(CLINIC, OrderSide::Sell, 0, 1, usdc()), Error::<Test>::ZeroAmount);
		assert_noop!(place(CLINIC, OrderSide::Sell, 1, 0, usdc()), Error::<Test>::ZeroPrice);
		assert_noop!(
			place(CLINIC, OrderSide::Sell, 1, 1, NativeOrWithId::WithId(404)),
			Error::<Test>::UnknownCurrency
		);
		assert_noop!(
			place(CLINIC, OrderSide::Sell, 101, 1, usdc()),
			Error::<Test>::InsufficientFractions
		);
		assert_noop!(place(ALICE, OrderSide::Buy, u128::MAX, 2, usdc()), Error::<Test>::Overflow);
		let order = sell(CLINIC, asset, 10, 100);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(CLINIC), order, 1),
			Error::<Test>::OwnOrder
		);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 11),
			Error::<Test>::ExceedsOrder
		);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), 999, 1),
			Error::<Test>::UnknownOrder
		);
		assert_noop!(
			Tokenization::cancel_order(RuntimeOrigin::signed(ALICE), order),
			Error::<Test>::NotOrderOwner
		);
	});
}

#[test]
fn an_asset_has_at_most_max_orders_open() {
	build_and_execute(|| {
		let asset = market();
		for _ in 0..4 {
			sell(CLINIC, asset, 1, 10);
			buy(ALICE, asset, 1, 10);
		}
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(BOB),
				asset,
				OrderSide::Buy,
				1,
				10,
				usdc()
			),
			Error::<Test>::TooManyOrders
		);
	});
}

#[test]
fn an_account_has_at_most_max_orders_open() {
	build_and_execute(|| {
		let asset = market();
		for _ in 0..MAX_ORDERS_PER_ACCOUNT {
			buy(MALLORY_WITH_KYC, asset, 1, 10);
		}
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(MALLORY_WITH_KYC),
				asset,
				OrderSide::Buy,
				1,
				10,
				usdc()
			),
			Error::<Test>::TooManyAccountOrders
		);
		assert_eq!(OrdersOf::<Test>::get(MALLORY_WITH_KYC), MAX_ORDERS_PER_ACCOUNT);
		// Others still find room on the asset.
		sell(CLINIC, asset, 1, 10);
		assert_ok!(Tokenization::cancel_order(RuntimeOrigin::signed(MALLORY_WITH_KYC), 0));
		assert_eq!(OrdersOf::<Test>::get(MALLORY_WITH_KYC), MAX_ORDERS_PER_ACCOUNT - 1);
	});
}

#[test]
fn dust_orders_are_refused() {
	build_and_execute(|| {
		let asset = fractionalized_asset(1_000);
		kyc(ALICE);
		// 1 % of 1_000 fractions is 10.
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(ALICE),
				asset,
				OrderSide::Buy,
				9,
				100,
				usdc()
			),
			Error::<Test>::OrderTooSmall
		);
		// A currency whose minimum balance is 100: 10 fractions at 5 are too little.
		let dear = NativeOrWithId::WithId(40);
		assert_ok!(PaymentAssets::force_create(RuntimeOrigin::root(), 40, CLINIC, false, 100));
		assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(CLINIC), 40, ALICE, 10_000));
		assert_ok!(Tokenization::set_payment_currencies(
			RuntimeOrigin::root(),
			vec![usdc(), dear.clone()].try_into().unwrap()
		));
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(ALICE),
				asset,
				OrderSide::Buy,
				10,
				5,
				dear.clone()
			),
			Error::<Test>::OrderTooSmall
		);
		assert_ok!(Tokenization::place_order(
			RuntimeOrigin::signed(ALICE),
			asset,
			OrderSide::Buy,
			10,
			10,
			dear
		));
		buy(ALICE, asset, 10, 1);
	});
}

#[test]
fn orders_in_an_unlisted_currency_are_refused() {
	build_and_execute(|| {
		let asset = market();
		assert_ok!(PaymentAssets::create(RuntimeOrigin::signed(MALLORY), 66, MALLORY, 1));
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(CLINIC),
				asset,
				OrderSide::Sell,
				10,
				10,
				NativeOrWithId::WithId(66)
			),
			Error::<Test>::CurrencyNotAccepted
		);
	});
}

#[test]
fn the_fee_of_a_small_fill_rounds_up_and_is_never_zero() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 25, 1);
		// A payment of 5 at 1 % would be a zero fee rounded down.
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 5));
		assert!(tokenization_events().contains(&Event::OrderFilled {
			order,
			taker: ALICE,
			amount: 5,
			payment: 5,
			fee: 1
		}));
		// One planck cannot open the treasury's USDC account: it waits in the pallet account.
		assert_eq!(PendingFees::<Test>::get(usdc()), 1);
		assert_eq!(usdc_of(TREASURY), 0);
		for _ in 0..4 {
			assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 5));
		}
		// Five fees of 1: USDC's minimum, paid out.
		assert_eq!(usdc_of(TREASURY), 5);
		assert_eq!(PendingFees::<Test>::get(usdc()), 0);
	});
}

#[test]
fn updating_documents_suspends_the_market_until_attested_again() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 10, 100);
		assert_ok!(Tokenization::update_documents(
			RuntimeOrigin::signed(CLINIC),
			asset,
			[9; 32],
			uri("new")
		));
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1),
			Error::<Test>::TradingSuspended
		);
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(CLINIC),
				asset,
				OrderSide::Sell,
				1,
				100,
				usdc()
			),
			Error::<Test>::TradingSuspended
		);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1));
	});
}

#[test]
fn a_lapsed_or_revoked_attestation_pauses_the_market() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 10, 100);
		assert_ok!(Tokenization::revoke_attestation(RuntimeOrigin::signed(REGISTRAR), asset));
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1),
			Error::<Test>::TradingSuspended
		);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, 20));
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1));
		System::set_block_number(20);
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1),
			Error::<Test>::TradingSuspended
		);
		// Owners can still leave: cancelling stays open.
		assert_ok!(Tokenization::cancel_order(RuntimeOrigin::signed(CLINIC), order));
	});
}

#[test]
fn unifying_refunds_every_open_order_so_old_bids_cannot_be_filled_with_new_fractions() {
	build_and_execute(|| {
		let asset = market();
		let alice = usdc_of(ALICE);
		// Alice bids 1_000 per fraction for 10 of the 100 fractions.
		let bid = buy(ALICE, asset, 10, 1_000);
		let ask = sell(CLINIC, asset, 5, 2_000);
		assert_ok!(Tokenization::unify(RuntimeOrigin::signed(CLINIC), asset));
		assert!(Orders::<Test>::get(bid).is_none() && Orders::<Test>::get(ask).is_none());
		assert_eq!(OrderCount::<Test>::get(asset), 0);
		assert_eq!(OrdersOf::<Test>::get(ALICE), 0);
		assert_eq!(ListedFractions::<Test>::get(asset, CLINIC), 0);
		// The escrow is back (the pallet account keeps the minimum Alice paid once).
		assert_eq!(usdc_of(ALICE), alice - USDC_MIN);
		assert_eq!(Balances::reserved_balance(ALICE), 0);
		assert!(tokenization_events().contains(&Event::Unified {
			asset,
			owner: CLINIC,
			orders_closed: 2
		}));
		// Re-fractionalizing needs a new attestation and quorum; the old bid is gone for good.
		let details = Assets::<Test>::get(asset).unwrap();
		assert!(details.attestation.is_none());
		assert!(Valuations::<Test>::get(asset).is_empty());
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
		value(asset, 10, 20);
		assert_ok!(Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100_000));
		assert_noop!(
			Tokenization::take_order(RuntimeOrigin::signed(CLINIC), bid, 10),
			Error::<Test>::UnknownOrder
		);
	});
}

#[test]
fn a_fill_settles_revenue_before_the_fractions_move() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 50, 10);
		assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(BOB), asset, btt(), 1_000));
		assert_ok!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 50));
		assert_eq!(Tokenization::claimable_revenue(asset, &CLINIC, &btt()), 1_000);
		assert_eq!(Tokenization::claimable_revenue(asset, &ALICE, &btt()), 0);
	});
}
