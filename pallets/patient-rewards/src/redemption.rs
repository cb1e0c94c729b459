//! Redemption: a patient spends its claimable rewards at a partner merchant or on a benefit.
//!
//! - **At a merchant** ([`Pallet::redeem_at_merchant`]): governance registers partner
//!   merchants (dental services, products); the patient pays one from its claimable rewards
//!   through a coded PayFi payment in BTT (`Config::Payments`), so the redemption is a record
//!   in the merchant's statement like any payment, with the procedure or product code.
//! - **For a benefit** ([`Pallet::redeem_benefit`]): governance lists benefits with a price;
//!   redeeming one burns its price out of the pot, and the event is the patient's voucher.
//!
//! Either way the rewards leave the pot's liabilities first, as a claim does: the pot never
//! owes more than it holds, and only rewards of ended periods (claimable) can be spent.

use crate::{
	BalanceOf, Benefit, BenefitId, Benefits, Config, Error, Event, Merchants, Pallet, Patients,
};
use btt_primitives::payfi::{BillingCode, PaymentRecords};
use frame_support::{
	ensure,
	traits::{
		fungible::Mutate,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::{traits::Zero, DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_merchant(merchant: T::AccountId) -> DispatchResult {
		ensure!(!Merchants::<T>::contains_key(&merchant), Error::<T>::AlreadyMerchant);
		Merchants::<T>::insert(&merchant, ());
		Self::deposit_event(Event::MerchantRegistered { merchant });
		Ok(())
	}

	pub(crate) fn do_remove_merchant(merchant: T::AccountId) -> DispatchResult {
		ensure!(Merchants::<T>::take(&merchant).is_some(), Error::<T>::NotMerchant);
		Self::deposit_event(Event::MerchantRemoved { merchant });
		Ok(())
	}

	pub(crate) fn do_list_benefit(
		benefit: BenefitId,
		info: Benefit<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(!info.price.is_zero(), Error::<T>::FreeBenefit);
		Benefits::<T>::insert(benefit, info);
		Self::deposit_event(Event::BenefitListed { benefit, price: info.price, terms: info.terms });
		Ok(())
	}

	pub(crate) fn do_delist_benefit(benefit: BenefitId) -> DispatchResult {
		ensure!(Benefits::<T>::take(benefit).is_some(), Error::<T>::UnknownBenefit);
		Self::deposit_event(Event::BenefitDelisted { benefit });
		Ok(())
	}

	pub(crate) fn do_redeem_at_merchant(
		patient: T::AccountId,
		merchant: T::AccountId,
		amount: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
	) -> DispatchResult {
		ensure!(Merchants::<T>::contains_key(&merchant), Error::<T>::NotMerchant);
		let mut record = Self::settled_record(&patient)?;
		Self::spend_claimable(&mut record, amount)?;
		// The rewards pass through the patient's account into PayFi's coded payment: the
		// payment is the patient's, recorded in the merchant's statement.
		T::NativeBalance::transfer(&Self::pot(), &patient, amount, Preservation::Preserve)?;
		let (day, id) = T::Payments::pay_native(&patient, &merchant, amount, code)?;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::RedeemedAtMerchant { patient, merchant, amount, day, id });
		Ok(())
	}

	pub(crate) fn do_redeem_benefit(patient: T::AccountId, benefit: BenefitId) -> DispatchResult {
		let info = Benefits::<T>::get(benefit).ok_or(Error::<T>::UnknownBenefit)?;
		let mut record = Self::settled_record(&patient)?;
		Self::spend_claimable(&mut record, info.price)?;
		T::NativeBalance::burn_from(
			&Self::pot(),
			info.price,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::BenefitRedeemed { patient, benefit, price: info.price });
		Ok(())
	}
}
