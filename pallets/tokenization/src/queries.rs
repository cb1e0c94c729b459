//! Read-only queries behind the runtime API (`runtime_api.rs`), each bounded by a `Config`
//! constant.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use btt_primitives::TokenizedAssetId;
use frame_support::traits::fungibles::Inspect as _;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Whether the asset's ownership attestation holds now (`false` for an unknown asset).
	pub fn asset_ownership_verified(asset: TokenizedAssetId) -> bool {
		Assets::<T>::get(asset).is_some_and(|details| Self::ownership_verified(&details))
	}

	/// Fractions `who` holds, and how many of those it may move now (neither listed for sale
	/// nor inside their lot's lock-up).
	pub fn fractions_of(
		asset: TokenizedAssetId,
		who: &T::AccountId,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		(T::Fractions::balance(asset, who), Self::transferable_fractions(asset, who))
	}

	/// Revenue `who` can claim from `asset`, per currency with something to claim
	/// (at most `MaxRevenueCurrencies` entries).
	pub fn claimable_revenue_by_currency(
		asset: TokenizedAssetId,
		who: &T::AccountId,
	) -> Vec<(CurrencyOf<T>, BalanceOf<T>)> {
		RevenueCurrencies::<T>::get(asset)
			.into_iter()
			.map(|currency| {
				let amount = Self::claimable_revenue(asset, who, &currency);
				(currency, amount)
			})
			.filter(|(_, amount)| !amount.is_zero())
			.collect()
	}

	/// The open orders of `asset` (at most `MaxOrdersPerAsset`).
	pub fn open_orders(asset: TokenizedAssetId) -> Vec<(OrderId, OrderOf<T>)> {
		AssetOrders::<T>::iter_key_prefix(asset)
			.filter_map(|id| Orders::<T>::get(id).map(|order| (id, order)))
			.collect()
	}
}
