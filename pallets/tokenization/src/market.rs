//! The secondary market: fixed-price sell and buy orders for fractions, filled in part or in
//! full. Every fill moves the fractions through [`Pallet::do_transfer_fractions`], so the
//! compliance rules run and revenue is settled first.
//!
//! The market of an asset is open only while its ownership attestation holds (new documents,
//! an expired or revoked attestation pause it) and its valuation is accepted. Orders are priced
//! in BTT or a currency governance lists, cost a deposit, have a minimum size and are capped per
//! account and per asset.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold as _,
		fungibles::{Inspect as _, Mutate as _},
		tokens::{DepositConsequence, Precision, Preservation, Provenance},
		Get,
	},
};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	DispatchError, DispatchResult, Permill,
};

/// The price of `amount` fractions at `price` each.
pub fn order_cost<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	amount: B,
	price: B,
) -> Option<B> {
	amount.checked_mul(&price)
}

/// The market fee on a fill of `payment`: `fee · payment` rounded up, so that no fill is too
/// small to pay it (a non-zero fee rate on a non-zero payment is at least one planck).
pub fn market_fee<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	fee: Permill,
	payment: B,
) -> B {
	fee.mul_ceil(payment).min(payment)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_place_order(
		owner: T::AccountId,
		asset: TokenizedAssetId,
		side: OrderSide,
		amount: BalanceOf<T>,
		price: BalanceOf<T>,
		currency: CurrencyOf<T>,
	) -> DispatchResult {
		let details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		let fractions = details.fractions.clone().ok_or(Error::<T>::NotFractionalized)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!price.is_zero(), Error::<T>::ZeroPrice);
		ensure!(T::Currencies::asset_exists(currency.clone()), Error::<T>::UnknownCurrency);
		ensure!(Self::is_payment_currency(&currency), Error::<T>::CurrencyNotAccepted);
		Self::ensure_market_open(asset, &details)?;
		let open = OrderCount::<T>::get(asset);
		ensure!(open < T::MaxOrdersPerAsset::get(), Error::<T>::TooManyOrders);
		let own = OrdersOf::<T>::get(&owner);
		ensure!(own < T::MaxOrdersPerAccount::get(), Error::<T>::TooManyAccountOrders);
		let cost = order_cost(amount, price).ok_or(Error::<T>::Overflow)?;
		let min_amount = T::MinOrderShare::get().mul_ceil(fractions.total).max(1u32.into());
		ensure!(
			amount >= min_amount && cost >= T::Currencies::minimum_balance(currency.clone()),
			Error::<T>::OrderTooSmall
		);
		let rules = Rules::<T>::get(asset).unwrap_or_default();

		match side {
			OrderSide::Sell => {
				let unlisted = T::Fractions::balance(asset, &owner)
					.saturating_sub(ListedFractions::<T>::get(asset, &owner));
				ensure!(unlisted >= amount, Error::<T>::InsufficientFractions);
				Self::check_lockup(asset, &owner, amount).map_err(Error::<T>::from)?;
				// What is listed now must stay unlocked if the lock-up is lengthened later.
				Self::settle_lots(asset, &owner);
				ListedFractions::<T>::try_mutate(asset, &owner, |listed| {
					*listed = listed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					Ok::<_, DispatchError>(())
				})?;
			},
			OrderSide::Buy => {
				Self::check_receiver(
					asset,
					&details,
					&rules,
					fractions.total,
					&owner,
					amount,
					false,
				)
				.map_err(Error::<T>::from)?;
				Self::ensure_escrow_buffer(&owner, currency.clone())?;
				T::Currencies::transfer(
					currency.clone(),
					&owner,
					&Self::account_id(),
					cost,
					Preservation::Preserve,
				)?;
			},
		}

		let deposit = T::OrderDeposit::get();
		T::NativeBalance::hold(&HoldReason::MarketOrder.into(), &owner, deposit)?;
		let order = NextOrderId::<T>::get();
		NextOrderId::<T>::put(order.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Orders::<T>::insert(
			order,
			Order {
				owner: owner.clone(),
				asset,
				side,
				remaining: amount,
				price,
				currency: currency.clone(),
				deposit,
			},
		);
		AssetOrders::<T>::insert(asset, order, ());
		OrderCount::<T>::insert(asset, open.saturating_add(1));
		OrdersOf::<T>::insert(&owner, own.saturating_add(1));
		Self::deposit_event(Event::OrderPlaced {
			order,
			asset,
			owner,
			side,
			amount,
			price,
			currency,
		});
		Ok(())
	}

	pub(crate) fn do_take_order(
		taker: T::AccountId,
		order_id: OrderId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut order = Orders::<T>::get(order_id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(taker != order.owner, Error::<T>::OwnOrder);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount <= order.remaining, Error::<T>::ExceedsOrder);
		let details = Assets::<T>::get(order.asset).ok_or(Error::<T>::UnknownAsset)?;
		Self::ensure_market_open(order.asset, &details)?;
		let payment = order_cost(amount, order.price).ok_or(Error::<T>::Overflow)?;
		let fee = market_fee(T::MarketFee::get(), payment);
		let proceeds = payment.saturating_sub(fee);
		let pallet = Self::account_id();

		let (seller, buyer, payer) = match order.side {
			OrderSide::Sell => {
				// The sold fractions stop being frozen just before they move.
				ListedFractions::<T>::mutate(order.asset, &order.owner, |listed| {
					*listed = listed.saturating_sub(amount)
				});
				(order.owner.clone(), taker.clone(), taker.clone())
			},
			OrderSide::Buy => (taker.clone(), order.owner.clone(), pallet),
		};
		Self::do_transfer_fractions(order.asset, seller.clone(), buyer, amount)?;
		T::Currencies::transfer(
			order.currency.clone(),
			&payer,
			&seller,
			proceeds,
			Preservation::Preserve,
		)?;
		if !fee.is_zero() {
			Self::pay_fee(&order.currency, &payer, fee)?;
		}

		order.remaining = order.remaining.saturating_sub(amount);
		Self::deposit_event(Event::OrderFilled { order: order_id, taker, amount, payment, fee });
		if order.remaining.is_zero() {
			Self::close_order(order_id, &order)?;
		} else {
			Orders::<T>::insert(order_id, order);
		}
		Ok(())
	}

	/// Pays a market fee from `payer` to the fee destination, or, if the destination cannot
	/// receive it yet (a fee below the currency's minimum balance cannot open its account),
	/// into the pallet account until it can.
	fn pay_fee(
		currency: &CurrencyOf<T>,
		payer: &T::AccountId,
		fee: BalanceOf<T>,
	) -> DispatchResult {
		let destination = T::FeeDestination::get();
		let pallet = Self::account_id();
		let direct =
			T::Currencies::can_deposit(currency.clone(), &destination, fee, Provenance::Extant)
				== DepositConsequence::Success;
		if direct {
			return T::Currencies::transfer(
				currency.clone(),
				payer,
				&destination,
				fee,
				Preservation::Preserve,
			)
			.map(|_| ());
		}
		if *payer != pallet {
			Self::ensure_escrow_buffer(payer, currency.clone())?;
			T::Currencies::transfer(currency.clone(), payer, &pallet, fee, Preservation::Preserve)?;
		}
		PendingFees::<T>::try_mutate(currency, |pending| {
			*pending = pending.checked_add(&fee).ok_or(Error::<T>::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::pay_pending(currency.clone());
		Ok(())
	}

	pub(crate) fn do_cancel_order(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.owner == who, Error::<T>::NotOrderOwner);
		Self::unwind_order(&order)?;
		Self::close_order(order_id, &order)
	}

	/// The market of an asset is open while its ownership attestation holds and its valuation
	/// is accepted.
	pub(crate) fn ensure_market_open(
		asset: TokenizedAssetId,
		details: &AssetDetailsOf<T>,
	) -> DispatchResult {
		ensure!(Self::ownership_verified(details), Error::<T>::TradingSuspended);
		Self::ensure_valuation_fresh(asset)
	}

	/// Closes every open order of `asset` (at most `MaxOrdersPerAsset`): unlists sold
	/// fractions, refunds escrowed prices, releases deposits. Returns how many it closed.
	pub(crate) fn close_all_orders(asset: TokenizedAssetId) -> Result<u32, DispatchError> {
		let ids: alloc::vec::Vec<OrderId> = AssetOrders::<T>::iter_key_prefix(asset)
			.take(T::MaxOrdersPerAsset::get() as usize)
			.collect();
		let mut closed = 0u32;
		for id in ids {
			let order = Orders::<T>::get(id).ok_or(Error::<T>::UnknownOrder)?;
			Self::unwind_order(&order)?;
			Self::close_order(id, &order)?;
			closed = closed.saturating_add(1);
		}
		Ok(closed)
	}

	/// Gives back what an open order holds: the listed fractions, or the escrowed price.
	fn unwind_order(order: &OrderOf<T>) -> DispatchResult {
		match order.side {
			OrderSide::Sell => ListedFractions::<T>::mutate(order.asset, &order.owner, |listed| {
				*listed = listed.saturating_sub(order.remaining)
			}),
			OrderSide::Buy => {
				let refund =
					order_cost(order.remaining, order.price).ok_or(Error::<T>::Overflow)?;
				T::Currencies::transfer(
					order.currency.clone(),
					&Self::account_id(),
					&order.owner,
					refund,
					Preservation::Preserve,
				)?;
			},
		}
		Ok(())
	}

	fn close_order(order_id: OrderId, order: &OrderOf<T>) -> DispatchResult {
		T::NativeBalance::release(
			&HoldReason::MarketOrder.into(),
			&order.owner,
			order.deposit,
			Precision::BestEffort,
		)?;
		Orders::<T>::remove(order_id);
		AssetOrders::<T>::remove(order.asset, order_id);
		OrderCount::<T>::mutate(order.asset, |count| *count = count.saturating_sub(1));
		OrdersOf::<T>::mutate_exists(&order.owner, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		if ListedFractions::<T>::get(order.asset, &order.owner).is_zero() {
			ListedFractions::<T>::remove(order.asset, &order.owner);
		}
		Self::deposit_event(Event::OrderClosed { order: order_id });
		Ok(())
	}
}
