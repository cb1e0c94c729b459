//! Providers' attestations: checkups and the personal adjustment `P`.
//!
//! A provider attests only for a patient who consents to it (`CheckupConfirmation`), within
//! its rate limit ([`Config::MaxAttestationsPerProvider`] per budget period): one provider's
//! patients cannot drain a period's budget beyond what that many attestations earn, and the
//! budget is shared pro rata anyway. A patient's checkups are at least
//! [`Config::MinCheckupIntervalDays`] apart, whoever confirms them.

use crate::{
	Category, Config, Error, Event, Evidence, Pallet, Patients, ProviderTasks, Providers, Purpose,
};
use btt_primitives::{
	depin::{OnTaskVerified, VerifiedDiagnosis},
	payfi::{PaymentRecords, ProcedureCode},
};
use frame_support::{ensure, traits::Get, weights::Weight};
use sp_runtime::{DispatchResult, FixedU128, Perbill};

/// The CDT codes a checkup may carry: diagnostic (D0100–D0999) and preventive (D1000–D1999).
pub const CHECKUP_CODES: core::ops::RangeInclusive<u16> = 100..=1_999;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_confirm_checkup(
		provider: T::AccountId,
		patient: T::AccountId,
		code: ProcedureCode,
		quality: Perbill,
		evidence: Option<Evidence>,
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
		match evidence {
			Some(Evidence::Task(task)) => ProviderTasks::<T>::try_mutate(&provider, |tasks| {
				let index = tasks.iter().position(|t| *t == task).ok_or(Error::<T>::UnknownTask)?;
				tasks.remove(index);
				Ok::<_, Error<T>>(())
			})?,
			Some(Evidence::Payment { day, id }) => {
				let payer = T::Payments::payer_of(&provider, day, id);
				ensure!(payer.as_ref() == Some(&patient), Error::<T>::UnknownPayment);
				ensure!(
					day.saturating_add(T::MaxBackfillDays::get()) >= today,
					Error::<T>::PaymentTooOld
				);
			},
			None => {},
		}
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

/// The DePIN registry reports verified diagnoses here: one posted by a registered provider
/// joins its latest tasks, which its checkups may cite as evidence (two reads, one write).
impl<T: Config> OnTaskVerified<T::AccountId> for Pallet<T> {
	fn on_task_verified(diagnosis: &VerifiedDiagnosis<T::AccountId>) {
		if !Providers::<T>::contains_key(&diagnosis.clinic) {
			return;
		}
		ProviderTasks::<T>::mutate(&diagnosis.clinic, |tasks| {
			// Full: the oldest task makes room (the bound is not zero, so this cannot fail).
			if tasks.force_insert_keep_right(tasks.len(), diagnosis.task).is_err() {
				frame_support::defensive!("MAX_RECENT_TASKS is not zero");
			}
		});
	}

	fn weight() -> Weight {
		<T::WeightInfo as crate::WeightInfo>::on_task_verified()
	}
}
