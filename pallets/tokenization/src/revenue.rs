//! Revenue distribution, O(1) in the number of holders.
//!
//! Each (asset, currency) pool keeps `P`, the revenue paid per fraction since the asset was
//! first fractionalized. A deposit of `A` over `N` fractions adds `⌊A / N⌋` to `P`; the
//! remainder `A mod N` is dust for the dust account. A holder's cursor remembers `P` at its last
//! balance change, so a holder of `b` fractions has earned `b · (P − P_settled)` since. Every
//! balance change settles the account first, which makes each holder's share exactly pro rata
//! to the fractions it held at the time of each deposit; nothing is created or lost:
//! `deposited = Σ claimable + claimed + dust`.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use codec::Encode;
use frame_support::{
	ensure,
	traits::{
		Get,
		fungible::MutateHold as _,
		fungibles::{Inspect as _, Mutate as _},
		schedule::{v3::Named as _, DispatchTime},
		tokens::{DepositConsequence, Precision, Preservation, Provenance},
		Bounded, OriginTrait,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	DispatchError, DispatchResult,
};

/// Splits a revenue deposit of `amount` over `total_fractions` fractions.
///
/// Returns `(per_fraction, dust)` with `per_fraction = ⌊amount / total_fractions⌋` and
/// `dust = amount − per_fraction · total_fractions` (always `< total_fractions`), or `None` when
/// there are no fractions.
pub fn split_revenue<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	amount: B,
	total_fractions: B,
) -> Option<(B, B)> {
	let per_fraction = amount.checked_div(&total_fractions)?;
	let dust = amount.checked_sub(&per_fraction.checked_mul(&total_fractions)?)?;
	Some((per_fraction, dust))
}

/// Revenue earned by `balance` fractions while the pool's per-fraction total grew from
/// `settled_per_fraction` to `per_fraction`: `balance · (per_fraction − settled_per_fraction)`.
pub fn earned<B: sp_runtime::traits::AtLeast32BitUnsigned + Copy>(
	balance: B,
	per_fraction: B,
	settled_per_fraction: B,
) -> Option<B> {
	balance.checked_mul(&per_fraction.checked_sub(&settled_per_fraction)?)
}

/// The scheduler task name of a revenue schedule.
pub fn schedule_task_name(schedule: ScheduleId) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(b"btt/tokenization/revenue", schedule).encode())
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
				cursor.unclaimed = cursor.unclaimed.checked_add(&earned).ok_or(Error::<T>::Overflow)?;
				cursor.settled_per_fraction = pool.per_fraction;
				Ok::<_, DispatchError>(())
			})?;
		}
		Ok(())
	}

	/// Revenue of `asset` in `currency` that `who` can claim now.
	pub fn claimable_revenue(
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
		ensure!(
			amount >= T::Currencies::minimum_balance(currency.clone()),
			Error::<T>::RevenueTooSmall
		);
		let (per_fraction, dust) =
			split_revenue(amount, fractions.total).ok_or(Error::<T>::NotFractionalized)?;
		ensure!(!per_fraction.is_zero(), Error::<T>::RevenueTooSmall);

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
			pool.dust = pool.dust.checked_add(&dust).ok_or(Error::<T>::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		if !dust.is_zero() {
			PendingDust::<T>::try_mutate(&currency, |pending| {
				*pending = pending.checked_add(&dust).ok_or(Error::<T>::Overflow)?;
				Ok::<_, DispatchError>(())
			})?;
			Self::pay_pending_dust(currency.clone());
		}
		Self::deposit_event(Event::RevenueDeposited {
			asset,
			currency,
			payer,
			amount,
			per_fraction,
			dust,
		});
		Ok(())
	}

	/// Pays the dust of `currency` held in the pallet account to the dust account, unless the
	/// dust account cannot receive it yet (a new account needs the currency's minimum balance);
	/// then it waits for the next deposit.
	fn pay_pending_dust(currency: CurrencyOf<T>) {
		let pending = PendingDust::<T>::get(&currency);
		let dust_account = T::DustAccount::get();
		let receivable = T::Currencies::can_deposit(
			currency.clone(),
			&dust_account,
			pending,
			Provenance::Extant,
		) == DepositConsequence::Success;
		if pending.is_zero() || !receivable {
			return;
		}
		let paid = frame_support::storage::with_storage_layer(|| {
			T::Currencies::transfer(
				currency.clone(),
				&Self::account_id(),
				&dust_account,
				pending,
				Preservation::Preserve,
			)
		});
		if paid.is_ok() {
			PendingDust::<T>::remove(&currency);
			Self::deposit_event(Event::DustPaid { currency, amount: pending });
		}
	}

	pub(crate) fn do_claim_revenue(
		who: T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
	) -> DispatchResult {
		Self::settle_revenue(asset, &who)?;
		let amount = RevenueCursors::<T>::get((asset, &who, &currency)).unclaimed;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		T::Currencies::transfer(
			currency.clone(),
			&Self::account_id(),
			&who,
			amount,
			Preservation::Preserve,
		)?;
		RevenueCursors::<T>::mutate((asset, &who, &currency), |cursor| cursor.unclaimed = Zero::zero());
		RevenuePools::<T>::try_mutate(asset, &currency, |pool| {
			pool.claimed = pool.claimed.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::RevenueClaimed { asset, currency, who, amount });
		Ok(())
	}

	pub(crate) fn do_schedule_revenue(
		payer: T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
		period: BlockNumberFor<T>,
		payments: u32,
	) -> DispatchResult {
		ensure!(!period.is_zero() && payments > 0, Error::<T>::InvalidSchedule);
		let details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		let fractions = details.fractions.ok_or(Error::<T>::NotFractionalized)?;
		ensure!(T::Currencies::asset_exists(currency.clone()), Error::<T>::UnknownCurrency);
		let per_fraction = split_revenue(amount, fractions.total).map(|(p, _)| p).unwrap_or_default();
		ensure!(!per_fraction.is_zero(), Error::<T>::RevenueTooSmall);

		let schedule = NextScheduleId::<T>::get();
		let next = schedule.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::deposit_revenue { asset, currency: currency.clone(), amount }.into();
		let inline = call.encode().try_into().map_err(|_| Error::<T>::InvalidSchedule)?;
		let origin = <T::RuntimeOrigin as OriginTrait>::signed(payer.clone()).into_caller();
		let first = Self::now().checked_add(&period).ok_or(Error::<T>::Overflow)?;
		T::Scheduler::schedule_named(
			schedule_task_name(schedule),
			DispatchTime::At(first),
			(payments > 1).then_some((period, payments)),
			frame_support::traits::schedule::LOWEST_PRIORITY,
			origin,
			Bounded::Inline(inline),
		)?;
		let deposit = T::ScheduleDeposit::get();
		T::NativeBalance::hold(&HoldReason::RevenueSchedule.into(), &payer, deposit)?;
		Schedules::<T>::insert(
			schedule,
			RevenueSchedule {
				payer: payer.clone(),
				asset,
				currency,
				amount,
				period,
				payments,
				deposit,
			},
		);
		NextScheduleId::<T>::put(next);
		Self::deposit_event(Event::RevenueScheduled { schedule, asset, payer, amount, period, payments });
		Ok(())
	}

	pub(crate) fn do_cancel_revenue_schedule(
		payer: T::AccountId,
		schedule: ScheduleId,
	) -> DispatchResult {
		let record = Schedules::<T>::get(schedule).ok_or(Error::<T>::UnknownSchedule)?;
		ensure!(record.payer == payer, Error::<T>::NotPayer);
		let name = schedule_task_name(schedule);
		// A schedule whose payments are all made is no longer in the scheduler.
		if T::Scheduler::next_dispatch_time(name).is_ok() {
			T::Scheduler::cancel_named(name)?;
		}
		T::NativeBalance::release(
			&HoldReason::RevenueSchedule.into(),
			&payer,
			record.deposit,
			Precision::BestEffort,
		)?;
		Schedules::<T>::remove(schedule);
		Self::deposit_event(Event::RevenueScheduleCancelled { schedule });
		Ok(())
	}
}
