//! The consent registry and patients' records.
//!
//! A patient's first consent (or device) creates its record and holds
//! [`Config::PatientDeposit`]; each consent holds [`Config::ConsentDeposit`]. Every
//! attestation goes through [`Pallet::ensure_consent`]: a provider or a device the patient has
//! not consented to, for that purpose, today, is refused.

use crate::{
	BalanceOf, Config, Consent, Consents, Error, Event, FormerPatients, History, HoldReason,
	Pallet, Patient, PatientOf, Patients, Purpose, Referrals,
};
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, tokens::Precision, Get},
};
use sp_runtime::{traits::Zero, DispatchError, DispatchResult, FixedU128};

impl<T: Config> Pallet<T> {
	/// The patient's record, created (holding [`Config::PatientDeposit`]) if it has none.
	pub(crate) fn patient_or_join(patient: &T::AccountId) -> Result<PatientOf<T>, DispatchError> {
		if let Some(record) = Patients::<T>::get(patient) {
			return Ok(record);
		}
		let deposit = T::PatientDeposit::get();
		T::NativeBalance::hold(&HoldReason::Patient.into(), patient, deposit)?;
		Self::deposit_event(Event::PatientJoined { patient: patient.clone(), deposit });
		Ok(Patient {
			period: 0,
			points: Zero::zero(),
			claimable: Zero::zero(),
			claimed: Zero::zero(),
			history: 0,
			last_week: 0,
			streak: 0,
			last_hygiene_day: None,
			last_checkup_day: None,
			checkups: 0,
			adjustment: FixedU128::from_u32(1),
			consents: 0,
			devices: 0,
			plans: 0,
			attempts: 0,
			referral_period: 0,
			referrals: 0,
			deposit,
		})
	}

	/// Checks that `patient` consents to `grantee` for `purpose` today.
	pub fn ensure_consent(
		patient: &T::AccountId,
		grantee: &T::AccountId,
		purpose: Purpose,
	) -> DispatchResult {
		let consent =
			Consents::<T>::get(patient, (grantee, purpose)).ok_or(Error::<T>::NoConsent)?;
		ensure!(consent.holds_on(Self::today()), Error::<T>::ConsentExpired);
		Ok(())
	}

	pub(crate) fn do_grant_consent(
		patient: T::AccountId,
		grantee: T::AccountId,
		purpose: Purpose,
		expires: Option<u32>,
	) -> DispatchResult {
		ensure!(patient != grantee, Error::<T>::OwnAccount);
		if let Some(expires) = expires {
			ensure!(expires > Self::today(), Error::<T>::ExpiryInPast);
		}
		let key = (grantee.clone(), purpose);
		if let Some(mut consent) = Consents::<T>::get(&patient, &key) {
			consent.expires = expires;
			Consents::<T>::insert(&patient, &key, consent);
		} else {
			let mut record = Self::patient_or_join(&patient)?;
			ensure!(record.consents < T::MaxConsentsPerPatient::get(), Error::<T>::TooManyConsents);
			let deposit = T::ConsentDeposit::get();
			T::NativeBalance::hold(&HoldReason::Consent.into(), &patient, deposit)?;
			record.consents = record.consents.saturating_add(1);
			Patients::<T>::insert(&patient, record);
			Consents::<T>::insert(&patient, &key, Consent { expires, deposit });
		}
		Self::deposit_event(Event::ConsentGranted { patient, grantee, purpose, expires });
		Ok(())
	}

	pub(crate) fn do_revoke_consent(
		patient: T::AccountId,
		grantee: T::AccountId,
		purpose: Purpose,
	) -> DispatchResult {
		let consent =
			Consents::<T>::take(&patient, (&grantee, purpose)).ok_or(Error::<T>::UnknownConsent)?;
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		record.consents = record.consents.saturating_sub(1);
		Patients::<T>::insert(&patient, record);
		Self::release(HoldReason::Consent, &patient, consent.deposit)?;
		Self::deposit_event(Event::ConsentRevoked { patient, grantee, purpose });
		Ok(())
	}

	pub(crate) fn do_leave(patient: T::AccountId) -> DispatchResult {
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(
			record.consents == 0
				&& record.devices == 0
				&& record.plans == 0
				&& record.attempts == 0
				&& record.points.is_zero()
				&& record.claimable.is_zero(),
			Error::<T>::PatientInUse
		);
		let today = Self::today();
		let checkup_due = record
			.last_checkup_day
			.is_none_or(|day| day.saturating_add(T::MinCheckupIntervalDays::get()) <= today);
		let hygiene_closed = record
			.last_hygiene_day
			.is_none_or(|day| day.saturating_add(T::MaxBackfillDays::get()) < today);
		ensure!(checkup_due && hygiene_closed, Error::<T>::RecentActivity);
		if record.checkups > 0 {
			FormerPatients::<T>::insert(&patient, ());
		} else {
			// Only a checkup validates a referral: this one never was, and nobody paid for it.
			Referrals::<T>::remove(&patient);
		}
		Patients::<T>::remove(&patient);
		History::<T>::remove(&patient);
		Self::release(HoldReason::Patient, &patient, record.deposit)?;
		Self::deposit_event(Event::PatientLeft { patient });
		Ok(())
	}

	/// Releases exactly `amount` held from `who` for `reason`.
	pub(crate) fn release(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::NativeBalance::release(&reason.into(), who, amount, Precision::Exact)?;
		Ok(())
	}

	/// The patient's consents: grantee, purpose, expiry (at most `MaxConsentsPerPatient`).
	pub fn consents_of(
		patient: &T::AccountId,
	) -> alloc::vec::Vec<(T::AccountId, Purpose, Consent<BalanceOf<T>>)> {
		Consents::<T>::iter_prefix(patient)
			.map(|((grantee, purpose), consent)| (grantee, purpose, consent))
			.collect()
	}
}
