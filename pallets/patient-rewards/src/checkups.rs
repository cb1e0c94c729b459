//! Providers' attestations: checkups and the personal adjustment `P`.
//!
//! A provider attests only for a patient who consents to it (`CheckupConfirmation`), within
//! its rate limit ([`Config::MaxAttestationsPerProvider`] per budget period): one provider's
//! patients cannot drain a period's budget beyond what that many attestations earn, and the
//! budget is shared pro rata anyway. A patient's checkups are at least
//! [`Config::MinCheckupIntervalDays`] apart, whoever confirms them.

use crate::{Category, Config, Error, Event, Pallet, Patients, Providers, Purpose};
use btt_primitives::payfi::ProcedureCode;
use frame_support::{ensure, traits::Get};
use sp_core::H256;
use sp_runtime::{DispatchResult, FixedU128, Perbill};

/// The CDT codes a checkup may carry: diagnostic (D0100–D0999) and preventive (D1000–D1999).
pub const CHECKUP_CODES: core::ops::RangeInclusive<u16> = 100..=1_999;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_confirm_checkup(
		provider: T::AccountId,
		patient: T::AccountId,
		code: ProcedureCode,
		quality: Perbill,
		evidence: Option<H256>,
	) -> DispatchResult {
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::NotProvider);
		ensure!(CHECKUP_CODES.contains(&code.number()), Error::<T>::NotPreventiveCode);
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		Self::ensure_consent(&patient, &provider, Purpose::CheckupConfirmation)?;
		let today = Self::today();
		ensure!(
			record.last_checkup_day.is_none_or(|last| {
				today >= last.saturating_add(T::MinCheckupIntervalDays::get())
			}),
			Error::<T>::CheckupTooSoon
		);
		Self::use_provider_rate(&provider)?;

		Self::earn(&patient, &mut record, Category::Checkup, quality, Some(code), today)?;
		record.last_checkup_day = Some(today);
		record.checkups = record.checkups.saturating_add(1);
		let first = record.checkups == 1;
		Patients::<T>::insert(&patient, record);
		if first {
			Self::validate_referral(&patient)?;
		}
		Self::deposit_event(Event::CheckupConfirmed { patient, provider, code, evidence });
		Ok(())
	}

	pub(crate) fn do_set_adjustment(
		provider: T::AccountId,
		patient: T::AccountId,
		adjustment: FixedU128,
	) -> DispatchResult {
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::NotProvider);
		ensure!(
			adjustment >= T::MinAdjustment::get() && adjustment <= T::MaxAdjustment::get(),
			Error::<T>::AdjustmentOutOfRange
		);
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		Self::ensure_consent(&patient, &provider, Purpose::CheckupConfirmation)?;
		Self::use_provider_rate(&provider)?;
		record.adjustment = adjustment;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::AdjustmentSet { patient, provider, adjustment });
		Ok(())
	}
}
