//! The compliance model: who may receive fractions, and when a holder may pass them on.
//!
//! Every movement of fractions (a transfer, a market fill) runs [`Pallet::check_transfer`]
//! first. The runtime lets no other path move fractions (see the runtime's call filter), so
//! these rules hold for every holder at all times.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use frame_support::{
	ensure,
	traits::{
		fungibles::Inspect as _,
		tokens::{DepositConsequence, Provenance},
		Get,
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Why moving `amount` fractions of `asset` from `from` to `to` would be refused, if it
	/// would; the runtime API `can_transfer` returns this.
	pub fn check_transfer(
		asset: TokenizedAssetId,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), TransferRejection> {
		let details = Assets::<T>::get(asset).ok_or(TransferRejection::UnknownAsset)?;
		let fractions = details.fractions.as_ref().ok_or(TransferRejection::NotFractionalized)?;
		ensure!(!amount.is_zero(), TransferRejection::ZeroAmount);
		ensure!(from != to, TransferRejection::SelfTransfer);
		let held = T::Fractions::balance(asset, from);
		let listed = ListedFractions::<T>::get(asset, from);
		ensure!(held.saturating_sub(listed) >= amount, TransferRejection::InsufficientFractions);
		Self::check_lockup(asset, from, amount)?;
		let rules = Rules::<T>::get(asset).unwrap_or_default();
		let sender_leaves = held == amount;
		Self::check_receiver(asset, &details, &rules, fractions.total, to, amount, sender_leaves)
	}

	/// Whether `holder` may move `amount` of its unlisted fractions now: each received lot is
	/// locked on its own (see [`Lot`]), so only `balance − listed − locked` may move. The
	/// issuer's fractions are never locked.
	pub(crate) fn check_lockup(
		asset: TokenizedAssetId,
		holder: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), TransferRejection> {
		ensure!(Self::transferable_fractions(asset, holder) >= amount, TransferRejection::LockedUp);
		Ok(())
	}

	/// Whether `to` may receive `amount` more fractions of `asset`: its claims satisfy the
	/// rules, the holder limit is kept (`sender_leaves` when the sender gives away all it has)
	/// and the share limit is kept. The issuer is exempt from claims and the share limit.
	pub(crate) fn check_receiver(
		asset: TokenizedAssetId,
		details: &AssetDetailsOf<T>,
		rules: &RulesOf<T>,
		total: BalanceOf<T>,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		sender_leaves: bool,
	) -> Result<(), TransferRejection> {
		let is_issuer = to == &details.issuer;
		if !is_issuer {
			Self::check_claims(to, rules)?;
		}

		let receiver_balance = T::Fractions::balance(asset, to);
		if receiver_balance.is_zero() && !sender_leaves {
			let limit =
				rules.max_holders.map_or(T::MaxHolders::get(), |max| max.min(T::MaxHolders::get()));
			ensure!(HolderCount::<T>::get(asset) < limit, TransferRejection::TooManyHolders);
		}

		if let (Some(max_share), false) = (rules.max_share, is_issuer) {
			ensure!(
				receiver_balance.saturating_add(amount) <= max_share.mul_floor(total),
				TransferRejection::ShareLimitExceeded
			);
		}
		// What pallet-assets itself would refuse (the receiver's account cannot exist or take
		// a reference): asked here so that `can_transfer` and the transfer agree in every case.
		ensure!(
			T::Fractions::can_deposit(asset, to, amount, Provenance::Extant)
				== DepositConsequence::Success,
			TransferRejection::ReceiverUnavailable
		);
		Ok(())
	}

	/// Whether `who` holds the valid claims the rules require (see [`Pallet::valid_claim`]).
	pub(crate) fn check_claims(
		who: &T::AccountId,
		rules: &RulesOf<T>,
	) -> Result<(), TransferRejection> {
		if rules.require_kyc {
			ensure!(
				Self::valid_claim(who, ClaimTopic::Kyc).is_some(),
				TransferRejection::KycMissing
			);
		}
		if rules.require_accredited {
			ensure!(
				Self::valid_claim(who, ClaimTopic::AccreditedInvestor).is_some(),
				TransferRejection::AccreditationMissing
			);
		}
		if !rules.allowed_jurisdictions.is_empty() || !rules.blocked_jurisdictions.is_empty() {
			let residence = Self::valid_claim(who, ClaimTopic::Residence)
				.and_then(|claim| claim.jurisdiction)
				.ok_or(TransferRejection::ResidenceUnknown)?;
			ensure!(
				!rules.blocked_jurisdictions.contains(&residence),
				TransferRejection::JurisdictionNotPermitted
			);
			ensure!(
				rules.allowed_jurisdictions.is_empty()
					|| rules.allowed_jurisdictions.contains(&residence),
				TransferRejection::JurisdictionNotPermitted
			);
		}
		Ok(())
	}
}
