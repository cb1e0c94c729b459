//! The secondary market: fixed-price sell and buy orders for fractions, filled in part or in
//! full. Every fill moves the fractions through [`Pallet::do_transfer_fractions`], so the
//! compliance rules run and revenue is settled first.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use frame_support::{
	ensure,
	traits::{
		Get,
		fungible::MutateHold as _,
		fungibles::{Inspect as _, Mutate as _},
		tokens::{Precision, Preservation},
	},
};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	DispatchError, DispatchResult,
};

/// The price of `amount` fractions at `price` each.
pub fn order_cost<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	amount: B,
	price: B,
) -> Option<B> {
	amount.checked_mul(&price)
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
		Self::ensure_valuation_fresh(asset)?;
		let open = OrderCount::<T>::get(asset);
		ensure!(open < T::MaxOrdersPerAsset::get(), Error::<T>::TooManyOrders);
		let cost = order_cost(amount, price).ok_or(Error::<T>::Overflow)?;
		let rules = Rules::<T>::get(asset).unwrap_or_default();

		match side {
			OrderSide::Sell => {
				ensure!(
					Self::transferable_fractions(asset, &owner) >= amount,
					Error::<T>::InsufficientFractions
				);
				if owner != details.issuer {
					Self::check_lockup(asset, &owner, &rules).map_err(Error::<T>::from)?;
				}
				ListedFractions::<T>::try_mutate(asset, &owner, |listed| {
					*listed = listed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					Ok::<_, DispatchError>(())
				})?;
			},
			OrderSide::Buy => {
				Self::check_receiver(asset, &details, &rules, fractions.total, &owner, amount, false)
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
		Self::deposit_event(Event::OrderPlaced { order, asset, owner, side, amount, price, currency });
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
		Self::ensure_valuation_fresh(order.asset)?;
		let payment = order_cost(amount, order.price).ok_or(Error::<T>::Overflow)?;
		let fee = T::MarketFee::get().mul_floor(payment);
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
		T::Currencies::transfer(order.currency.clone(), &payer, &seller, proceeds, Preservation::Preserve)?;
		if !fee.is_zero() {
			T::Currencies::transfer(
				order.currency.clone(),
				&payer,
				&T::FeeDestination::get(),
				fee,
				Preservation::Preserve,
			)?;
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

	pub(crate) fn do_cancel_order(who: T::AccountId, order_id: OrderId) -> DispatchResult {
		let order = Orders::<T>::get(order_id).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(order.owner == who, Error::<T>::NotOrderOwner);
		match order.side {
			OrderSide::Sell => ListedFractions::<T>::mutate(order.asset, &who, |listed| {
				*listed = listed.saturating_sub(order.remaining)
			}),
			OrderSide::Buy => {
				let refund = order_cost(order.remaining, order.price).ok_or(Error::<T>::Overflow)?;
				T::Currencies::transfer(
					order.currency.clone(),
					&Self::account_id(),
					&who,
					refund,
					Preservation::Preserve,
				)?;
			},
		}
		Self::close_order(order_id, &order)
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
		if ListedFractions::<T>::get(order.asset, &order.owner).is_zero() {
			ListedFractions::<T>::remove(order.asset, &order.owner);
		}
		Self::deposit_event(Event::OrderClosed { order: order_id });
		Ok(())
	}
}
