//! The router: how a payment in one currency reaches its payee in another.
//!
//! - the same currency: a transfer;
//! - one of them BTT: a swap through that asset's BTT pool;
//! - two assets: a swap through both BTT pools (BTT in the middle).
//!
//! A swap is `swap_tokens_for_exact_tokens`: the payee receives exactly the amount, the payer
//! gives at most `max_in` (its slippage bound, checked by the pools, nothing moving past it),
//! and the payer's account is kept alive.

use crate::{BalanceOf, Config, CurrencyOf, Pallet, Route, WeightInfo};
use alloc::vec;
use frame_support::{
	traits::{fungibles::Mutate, tokens::Preservation, Get},
	weights::Weight,
	BoundedVec,
};
use pallet_asset_conversion::Swap;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// The route from `pay_in` to `receive`.
	pub fn route(pay_in: &CurrencyOf<T>, receive: &CurrencyOf<T>) -> Route<CurrencyOf<T>> {
		if pay_in == receive {
			return Route::Direct;
		}
		let native = T::NativeCurrency::get();
		let path = if *pay_in == native || *receive == native {
			vec![pay_in.clone(), receive.clone()]
		} else {
			vec![pay_in.clone(), native, receive.clone()]
		};
		Route::Swap { path: BoundedVec::truncate_from(path) }
	}

	/// The weight of a payment from `pay_in` to `receive`, by its route: the same currency, one
	/// pool (one side BTT) or two.
	pub fn pay_weight(pay_in: &CurrencyOf<T>, receive: &CurrencyOf<T>) -> Weight {
		match Self::route(pay_in, receive) {
			Route::Direct => T::WeightInfo::pay_direct(),
			Route::Swap { path } if path.len() <= 2 => T::WeightInfo::pay_one_pool(),
			Route::Swap { .. } => T::WeightInfo::pay_two_pools(),
		}
	}

	/// Moves the payment along `route`: `payee` receives exactly `amount` of the route's last
	/// currency; returns what was taken from `payer` (at most `max_in` for a swap).
	pub(crate) fn settle(
		payer: &T::AccountId,
		payee: &T::AccountId,
		route: &Route<CurrencyOf<T>>,
		pay_in: CurrencyOf<T>,
		amount: BalanceOf<T>,
		max_in: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		match route {
			Route::Direct => {
				T::Currencies::transfer(pay_in, payer, payee, amount, Preservation::Preserve)?;
				Ok(amount)
			},
			Route::Swap { path } => T::Swap::swap_tokens_for_exact_tokens(
				payer.clone(),
				path.clone().into_inner(),
				amount,
				Some(max_in),
				payee.clone(),
				true,
			),
		}
	}
}
