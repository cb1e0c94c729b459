//! The traits other parts of the runtime use this pallet through, each a line into the
//! pallet's functions.

use crate::{pallet::*, types::*, WeightInfo};
use btt_primitives::{tokenization::AssetRevenue, TokenizedAssetId};
use frame_support::{
	traits::{fungibles::Inspect as _, Get},
	weights::Weight,
};
use sp_runtime::{traits::Zero, DispatchResult};

impl<T: Config> AssetRevenue<T::AccountId, CurrencyOf<T>, BalanceOf<T>> for Pallet<T> {
	fn deposit_revenue(
		payer: &T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::do_deposit_revenue(payer.clone(), asset, currency, amount)
	}

	fn accepts_revenue(asset: TokenizedAssetId) -> bool {
		Assets::<T>::get(asset).is_some_and(|details| details.fractions.is_some())
	}

	fn deposit_weight() -> Weight {
		T::WeightInfo::deposit_revenue(T::MaxHolders::get())
	}
}

/// The fractions instance of pallet-assets asks this pallet what is frozen:
/// - while this pallet moves fractions ([`FractionsUnlocked`]), the fractions offered in open
///   sell orders, so only a fill of those orders can move them;
/// - at any other time, everything: no other code path can move a fraction.
impl<T: Config> pallet_assets::FrozenBalance<TokenizedAssetId, T::AccountId, BalanceOf<T>>
	for Pallet<T>
{
	fn frozen_balance(asset: TokenizedAssetId, who: &T::AccountId) -> Option<BalanceOf<T>> {
		if !FractionsUnlocked::<T>::get() {
			return Some(T::Fractions::balance(asset, who));
		}
		let listed = ListedFractions::<T>::get(asset, who);
		(!listed.is_zero()).then_some(listed)
	}

	fn died(_asset: TokenizedAssetId, _who: &T::AccountId) {}

	fn contains_freezes(_asset: TokenizedAssetId) -> bool {
		true
	}
}
