//! Revenue distribution, O(1) in the number of holders, with nothing rounded away.
//!
//! Each (asset, currency) pool keeps `P`, the revenue paid per fraction since the asset was
//! first fractionalized, in units of `1 / S` planck (`S` = [`REVENUE_SCALE`]). A deposit of `A`
//! over `N` fractions adds `⌊(A · S + c) / N⌋` to `P`, and the remainder becomes the new carry
//! `c` (always `< N`): it is part of the next deposit, so no planck goes to the treasury. A
//! holder's cursor remembers `P` at its last balance change, so a holder of `b` fractions has
//! earned `b · (P − P_settled)` (scaled) since; a claim pays the whole plancks and keeps the
//! rest. Every balance change settles the account first, which makes each holder's share
//! exactly pro rata to the fractions it held at the time of each deposit:
//! `deposited · S = Σ owed + claimed · S + dust · S + c`.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect as _, Mutate as _},
		tokens::{DepositConsequence, Preservation, Provenance},
		Get,
	},
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, CheckedSub, Zero},
	DispatchError, DispatchResult, SaturatedConversion,
};

/// [`REVENUE_SCALE`] as a balance.
pub fn revenue_scale<B: sp_runtime::traits::AtLeast32BitUnsigned>() -> B {
	REVENUE_SCALE.saturated_into()
}

/// Adds a revenue deposit of `amount` over `total_fractions` fractions to a pool whose carry
/// is `carry`, all scaled by `scale`.
///
/// Returns `(Δper_fraction, carry')` with `Δper_fraction = ⌊(amount · scale + carry) / N⌋` and
/// `carry' = (amount · scale + carry) mod N` (always `< N`), or `None` when there are no
/// fractions or the scaled amount overflows.
pub fn accumulate<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	amount: B,
	carry: B,
	total_fractions: B,
	scale: B,
) -> Option<(B, B)> {
	let scaled = amount.checked_mul(&scale)?.checked_add(&carry)?;
	let per_fraction = scaled.checked_div(&total_fractions)?;
	let carried = scaled.checked_sub(&per_fraction.checked_mul(&total_fractions)?)?;
	Some((per_fraction, carried))
}

/// Revenue (scaled) earned by `balance` fractions while the pool's per-fraction total grew
/// from `settled_per_fraction` to `per_fraction`: `balance · (per_fraction − settled)`.
pub fn earned<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	balance: B,
	per_fraction: B,
	settled_per_fraction: B,
) -> Option<B> {
	balance.checked_mul(&per_fraction.checked_sub(&settled_per_fraction)?)
}

impl<T: Config> Pallet<T> {
	/// Brings `who`'s cursors in every revenue currency of `asset` up to date. Must run before
	/// any change of `who`'s fraction balance.
	pub(crate) fn settle_revenue(asset: TokenizedAssetId, who: &T::AccountId) -> DispatchResult {
		let balance = T::Fractions::balance(asset, who);
		for currency in RevenueCurrencies::<T>::get(asset) {
			let pool = RevenuePools::<T>::get(asset, &currency);
			RevenueCursors::<T>::try_mutate((asset, who, &currency), |cursor| {
				let earned = earned(balance, pool.per_fraction, cursor.settled_per_fraction)
					.ok_or(Error::<T>::Overflow)?;
				cursor.unclaimed =
					cursor.unclaimed.checked_add(&earned).ok_or(Error::<T>::Overflow)?;
				cursor.settled_per_fraction = pool.per_fraction;
				Ok::<_, DispatchError>(())
			})?;
		}
		Ok(())
	}

	/// Revenue of `asset` in `currency` that `who` can claim now, in plancks.
	pub fn claimable_revenue(
		asset: TokenizedAssetId,
		who: &T::AccountId,
		currency: &CurrencyOf<T>,
	) -> BalanceOf<T> {
		Self::owed_scaled(asset, who, currency) / revenue_scale::<BalanceOf<T>>()
	}

	/// Revenue of `asset` in `currency` owed to `who`, scaled by [`REVENUE_SCALE`].
	pub(crate) fn owed_scaled(
		asset: TokenizedAssetId,
		who: &T::AccountId,
		currency: &CurrencyOf<T>,
	) -> BalanceOf<T> {
		let pool = RevenuePools::<T>::get(asset, currency);
		let cursor = RevenueCursors::<T>::get((asset, who, currency));
		let balance = T::Fractions::balance(asset, who);
		earned(balance, pool.per_fraction, cursor.settled_per_fraction)
			.and_then(|e| e.checked_add(&cursor.unclaimed))
			.unwrap_or(cursor.unclaimed)
	}

	pub(crate) fn do_deposit_revenue(
		payer: T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		let fractions = details.fractions.ok_or(Error::<T>::NotFractionalized)?;
		ensure!(T::Currencies::asset_exists(currency.clone()), Error::<T>::UnknownCurrency);
		ensure!(Self::accepts_currency(asset, &currency), Error::<T>::CurrencyNotAccepted);
		ensure!(
			amount >= T::Currencies::minimum_balance(currency.clone()),
			Error::<T>::RevenueTooSmall
		);
		let pool = RevenuePools::<T>::get(asset, &currency);
		let (per_fraction, carried) =
			accumulate(amount, pool.carry, fractions.total, revenue_scale::<BalanceOf<T>>())
				.ok_or(Error::<T>::Overflow)?;

		RevenueCurrencies::<T>::try_mutate(asset, |currencies| {
			if !currencies.contains(&currency) {
				currencies
					.try_push(currency.clone())
					.map_err(|_| Error::<T>::TooManyRevenueCurrencies)?;
			}
			Ok::<_, DispatchError>(())
		})?;
		Self::ensure_escrow_buffer(&payer, currency.clone())?;
		T::Currencies::transfer(
			currency.clone(),
			&payer,
			&Self::account_id(),
			amount,
			Preservation::Preserve,
		)?;
		RevenuePools::<T>::try_mutate(asset, &currency, |pool| {
			pool.per_fraction =
				pool.per_fraction.checked_add(&per_fraction).ok_or(Error::<T>::Overflow)?;
			pool.deposited = pool.deposited.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			pool.carry = carried;
			Ok::<_, DispatchError>(())
		})?;
		// Dust from before storage version 1, and fees, wait for a receivable amount.
		Self::pay_pending(currency.clone());
		Self::deposit_event(Event::RevenueDeposited {
			asset,
			currency,
			payer,
			amount,
			per_fraction,
			carried,
		});
		Ok(())
	}

	/// Pays what the pallet account holds for the dust account and the fee destination in
	/// `currency`, to each that can receive it (a new account needs the currency's minimum
	/// balance); the rest waits for the next deposit or fill.
	pub(crate) fn pay_pending(currency: CurrencyOf<T>) {
		let dust = PendingDust::<T>::get(&currency);
		if Self::pay_out(&currency, &T::DustAccount::get(), dust) {
			PendingDust::<T>::remove(&currency);
			Self::deposit_event(Event::DustPaid { currency: currency.clone(), amount: dust });
		}
		let fees = PendingFees::<T>::get(&currency);
		if Self::pay_out(&currency, &T::FeeDestination::get(), fees) {
			PendingFees::<T>::remove(&currency);
			Self::deposit_event(Event::FeesPaid { currency, amount: fees });
		}
	}

	/// Transfers `amount` of `currency` from the pallet account to `to` if `to` can receive
	/// it; whether it did. Never fails the caller.
	fn pay_out(currency: &CurrencyOf<T>, to: &T::AccountId, amount: BalanceOf<T>) -> bool {
		if amount.is_zero() {
			return false;
		}
		let receivable =
			T::Currencies::can_deposit(currency.clone(), to, amount, Provenance::Extant)
				== DepositConsequence::Success;
		receivable
			&& frame_support::storage::with_storage_layer(|| {
				T::Currencies::transfer(
					currency.clone(),
					&Self::account_id(),
					to,
					amount,
					Preservation::Preserve,
				)
			})
			.is_ok()
	}

	pub(crate) fn do_claim_revenue(
		who: T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
	) -> DispatchResult {
		Self::settle_revenue(asset, &who)?;
		let scale = revenue_scale::<BalanceOf<T>>();
		let owed = RevenueCursors::<T>::get((asset, &who, &currency)).unclaimed;
		let amount = owed / scale;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		T::Currencies::transfer(
			currency.clone(),
			&Self::account_id(),
			&who,
			amount,
			Preservation::Preserve,
		)?;
		// The part of a planck stays owed; it completes with later revenue.
		let paid_scaled = amount.checked_mul(&scale).ok_or(Error::<T>::Overflow)?;
		RevenueCursors::<T>::try_mutate((asset, &who, &currency), |cursor| {
			cursor.unclaimed =
				cursor.unclaimed.checked_sub(&paid_scaled).ok_or(Error::<T>::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		RevenuePools::<T>::try_mutate(asset, &currency, |pool| {
			pool.claimed = pool.claimed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::RevenueClaimed { asset, currency, who, amount });
		Ok(())
	}
}
