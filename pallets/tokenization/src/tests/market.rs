//! Fixed-price sell and buy orders.

use super::helpers::*;
use crate::{mock::*, Error, Event, *};
use frame_support::{assert_noop, assert_ok};

/// Clinic holds 100 fractions; Alice and Bob have KYC.
fn market() -> u32 {
	let asset = fractionalized_asset(100);
	kyc(ALICE);
	kyc(BOB);
	asset
}

fn sell(who: AccountId, asset: u32, amount: Balance, price: Balance) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Tokenization::place_order(RuntimeOrigin::signed(who), asset, OrderSide::Sell, amount, price, usdc()));
	id
}

fn buy(who: AccountId, asset: u32, amount: Balance, price: Balance) -> OrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Tokenization::place_order(RuntimeOrigin::signed(who), asset, OrderSide::Buy, amount, price, usdc()));
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
		assert_noop!(Tokenization::unify(RuntimeOrigin::signed(CLINIC), asset), Error::<Test>::FractionsListed);
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
			Tokenization::place_order(RuntimeOrigin::signed(MALLORY), asset, OrderSide::Buy, 1, 1, btt()),
			Error::<Test>::KycMissing
		);
		let order = NextOrderId::<Test>::get();
		assert_ok!(Tokenization::place_order(RuntimeOrigin::signed(CLINIC), asset, OrderSide::Sell, 5, 10, btt()));
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(MALLORY), order, 1), Error::<Test>::KycMissing);
	});
}

#[test]
fn stale_valuations_stop_new_orders_and_fills() {
	build_and_execute(|| {
		let asset = market();
		let order = sell(CLINIC, asset, 10, 100);
		System::set_block_number(1 + VALUATION_MAX_AGE);
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 1), Error::<Test>::ValuationStale);
		assert_noop!(
			Tokenization::place_order(RuntimeOrigin::signed(CLINIC), asset, OrderSide::Sell, 1, 1, usdc()),
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
			Tokenization::place_order(RuntimeOrigin::signed(who), asset, side, amount, price, currency)
		};
		assert_noop!(place(CLINIC, OrderSide::Sell, 0, 1, usdc()), Error::<Test>::ZeroAmount);
		assert_noop!(place(CLINIC, OrderSide::Sell, 1, 0, usdc()), Error::<Test>::ZeroPrice);
		assert_noop!(place(CLINIC, OrderSide::Sell, 1, 1, NativeOrWithId::WithId(404)), Error::<Test>::UnknownCurrency);
		assert_noop!(place(CLINIC, OrderSide::Sell, 101, 1, usdc()), Error::<Test>::InsufficientFractions);
		assert_noop!(place(ALICE, OrderSide::Buy, u128::MAX, 2, usdc()), Error::<Test>::Overflow);
		let order = sell(CLINIC, asset, 10, 100);
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(CLINIC), order, 1), Error::<Test>::OwnOrder);
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 11), Error::<Test>::ExceedsOrder);
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), order, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Tokenization::take_order(RuntimeOrigin::signed(ALICE), 999, 1), Error::<Test>::UnknownOrder);
		assert_noop!(Tokenization::cancel_order(RuntimeOrigin::signed(ALICE), order), Error::<Test>::NotOrderOwner);
	});
}

#[test]
fn an_asset_has_at_most_max_orders_open() {
	build_and_execute(|| {
		let asset = market();
		for _ in 0..8 {
			sell(CLINIC, asset, 1, 1);
		}
		assert_noop!(
			Tokenization::place_order(RuntimeOrigin::signed(CLINIC), asset, OrderSide::Sell, 1, 1, usdc()),
			Error::<Test>::TooManyOrders
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
