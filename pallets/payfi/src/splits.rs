//! Splits: a payee's templates that share a payment out as it arrives, to accounts and to the
//! fraction holders of tokenized assets.
//!
//! - A template is the payee's own: it holds [`Config::SplitDeposit`] per template, at most
//!   [`Config::MaxSplitsPerPayee`]; its shares sum to exactly 100 % and name who takes the
//!   rounding remainder ([`crate::split_amounts`]).
//! - [`Pallet::pay_split`] routes the payment to the payee as `pay` does, then, in the same
//!   extrinsic, moves each share from the payee: to an account by a transfer, to an asset's
//!   holders through [`btt_primitives::tokenization::AssetRevenue`]. Every part is zero or at
//!   least the currency's minimum balance, checked before anything moves.
//! - The payee's own share simply stays with it; the payer never pays more than `pay` would.

use crate::{
	split_amounts, BalanceOf, Config, CurrencyOf, Error, Event, HoldReason, MaxShares, Pallet,
	Payees, Recipient, Share, Split, SplitId, SplitOf, Splits,
};
use alloc::vec::Vec;
use btt_primitives::{payfi::BillingCode, tokenization::AssetRevenue};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		fungibles::{Inspect, Mutate},
		tokens::{Precision, Preservation},
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult, Permill,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_split(
		payee: T::AccountId,
		id: SplitId,
		shares: BoundedVec<Share<T::AccountId>, MaxShares>,
		remainder_to: u32,
	) -> DispatchResult {
		let mut info = Payees::<T>::get(&payee).ok_or(Error::<T>::NotPayee)?;
		ensure!(!shares.is_empty(), Error::<T>::NoShare);
		ensure!((remainder_to as usize) < shares.len(), Error::<T>::BadRemainder);
		let total =
			shares.iter().fold(0u32, |sum, share| sum.saturating_add(share.part.deconstruct()));
		ensure!(total == Permill::one().deconstruct(), Error::<T>::SharesNotWhole);
		for (index, share) in shares.iter().enumerate() {
			ensure!(
				!shares.iter().take(index).any(|earlier| earlier.to == share.to),
				Error::<T>::DuplicateRecipient
			);
			if let Recipient::Asset(asset) = share.to {
				ensure!(T::AssetRevenue::accepts_revenue(asset), Error::<T>::AssetTakesNoRevenue);
			}
		}
		let deposit = match Splits::<T>::get(&payee, id) {
			Some(existing) => existing.deposit,
			None => {
				ensure!(info.splits < T::MaxSplitsPerPayee::get(), Error::<T>::TooManySplits);
				let deposit = T::SplitDeposit::get();
				T::NativeBalance::hold(&HoldReason::Split.into(), &payee, deposit)?;
				info.splits = info.splits.saturating_add(1);
				Payees::<T>::insert(&payee, &info);
				deposit
			},
		};
		Splits::<T>::insert(&payee, id, Split { shares, remainder_to, deposit });
		Self::deposit_event(Event::SplitSet { payee, id });
		Ok(())
	}

	pub(crate) fn do_remove_split(payee: T::AccountId, id: SplitId) -> DispatchResult {
		let split = Splits::<T>::take(&payee, id).ok_or(Error::<T>::UnknownSplit)?;
		T::NativeBalance::release(
			&HoldReason::Split.into(),
			&payee,
			split.deposit,
			Precision::BestEffort,
		)?;
		Payees::<T>::mutate(&payee, |info| {
			if let Some(info) = info {
				info.splits = info.splits.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::SplitRemoved { payee, id });
		Ok(())
	}

	/// A coded payment to `payee`, shared out by its split `id` as it arrives; returns the
	/// number of shares paid to accounts and to assets (for the actual weight).
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_pay_split(
		payer: T::AccountId,
		payee: T::AccountId,
		id: SplitId,
		pay_in: CurrencyOf<T>,
		receive: CurrencyOf<T>,
		amount: BalanceOf<T>,
		max_in: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
	) -> Result<(u32, u32), DispatchError> {
		let split = Splits::<T>::get(&payee, id).ok_or(Error::<T>::UnknownSplit)?;
		let parts = split_amounts(amount, &split.shares, split.remainder_to);
		let minimum = T::Currencies::minimum_balance(receive.clone());
		ensure!(
			parts.iter().all(|part| part.is_zero() || *part >= minimum),
			Error::<T>::ShareBelowMinimum
		);
		for share in &split.shares {
			if let Recipient::Asset(asset) = share.to {
				ensure!(T::AssetRevenue::accepts_revenue(asset), Error::<T>::AssetTakesNoRevenue);
			}
		}
		let payment = Self::do_pay_recorded(
			payer,
			payee.clone(),
			pay_in,
			receive.clone(),
			amount,
			max_in,
			code,
			Some(id),
		)?;
		let (accounts, assets) = Self::distribute(&payee, &split.shares, receive, parts.clone())?;
		let paid = split.shares.iter().map(|share| share.to.clone()).zip(parts).collect::<Vec<_>>();
		Self::deposit_event(Event::SplitPaid {
			payment,
			payee,
			split: id,
			parts: BoundedVec::truncate_from(paid),
		});
		Ok((accounts, assets))
	}

	/// Moves each share's part from `payee`, which holds them: a transfer to an account (none
	/// to the payee itself), a revenue deposit to an asset's holders; returns how many of
	/// each were made.
	pub(crate) fn distribute(
		payee: &T::AccountId,
		shares: &[Share<T::AccountId>],
		currency: CurrencyOf<T>,
		parts: Vec<BalanceOf<T>>,
	) -> Result<(u32, u32), DispatchError> {
		let (mut accounts, mut assets) = (0u32, 0u32);
		for (share, part) in shares.iter().zip(parts) {
			if part.is_zero() {
				continue;
			}
			match &share.to {
				Recipient::Account(to) if to == payee => {},
				Recipient::Account(to) => {
					T::Currencies::transfer(
						currency.clone(),
						payee,
						to,
						part,
						Preservation::Expendable,
					)?;
					accounts.saturating_inc();
				},
				Recipient::Asset(asset) => {
					T::AssetRevenue::deposit_revenue(payee, *asset, currency.clone(), part)?;
					assets.saturating_inc();
				},
			}
		}
		Ok((accounts, assets))
	}

	/// The weight of a split payment with `accounts` transfers and `assets` revenue deposits
	/// on top of its route's.
	pub fn split_weight(
		pay_in: &CurrencyOf<T>,
		receive: &CurrencyOf<T>,
		accounts: u32,
		assets: u32,
	) -> Weight {
		use crate::WeightInfo;
		Self::pay_weight(pay_in, receive)
			.saturating_add(T::WeightInfo::distribute(accounts))
			.saturating_add(T::AssetRevenue::deposit_weight().saturating_mul(u64::from(assets)))
	}

	/// A payee's split template.
	pub fn split(payee: &T::AccountId, id: SplitId) -> Option<SplitOf<T>> {
		Splits::<T>::get(payee, id)
	}
}
