//! Connected devices and their daily hygiene summaries.
//!
//! - [`Pallet::register_device`]: the patient proves the device key is there: the device
//!   signs [`Pallet::device_registration_message`], which names the patient and this chain,
//!   so a proof cannot be replayed for another patient or on another chain. One patient per
//!   device, at most [`Config::MaxDevicesPerPatient`], each holding [`Config::DeviceDeposit`].
//! - [`Pallet::submit_hygiene`]: the device signs [`Pallet::hygiene_message`] (the patient,
//!   the summary, this chain); the chain checks the signature, the patient's `HygieneData`
//!   consent to the device, and that the day is after the last rewarded one: a replayed
//!   summary, a second device's summary for the same day and a reordered old summary are all
//!   refused (`DayAlreadyRewarded`), so a day earns at most one reward, itself at most the
//!   category's cap.

use crate::{
	Category, Config, Device, Devices, Error, Event, HoldReason, HygieneSummary, Pallet, Patients,
	Purpose,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Verify, Zero},
	DispatchResult, Perbill,
};

/// Domain of a device's registration proof.
pub const DEVICE_DOMAIN: &[u8] = b"btt/rewards/device/v1";
/// Domain of a device's hygiene summary.
pub const HYGIENE_DOMAIN: &[u8] = b"btt/rewards/hygiene/v1";

impl<T: Config> Pallet<T> {
	fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// What a device signs to be registered to `patient` on this chain:
	/// `"btt/rewards/device/v1" ‖ genesis hash ‖ SCALE(patient)`.
	pub fn device_registration_message(patient: &T::AccountId) -> Vec<u8> {
		(DEVICE_DOMAIN, Self::genesis_hash(), patient).encode()
	}

	/// What a device signs for a day's summary of `patient`'s hygiene on this chain:
	/// `"btt/rewards/hygiene/v1" ‖ genesis hash ‖ SCALE(patient, summary)`.
	pub fn hygiene_message(
		patient: &T::AccountId,
		summary: &HygieneSummary<T::AccountId>,
	) -> Vec<u8> {
		(HYGIENE_DOMAIN, Self::genesis_hash(), patient, summary).encode()
	}

	pub(crate) fn do_register_device(
		patient: T::AccountId,
		device: T::AccountId,
		proof: T::Signature,
	) -> DispatchResult {
		ensure!(patient != device, Error::<T>::OwnAccount);
		ensure!(!Devices::<T>::contains_key(&device), Error::<T>::DeviceTaken);
		ensure!(
			proof.verify(&Self::device_registration_message(&patient)[..], &device),
			Error::<T>::BadDeviceProof
		);
		let mut record = Self::patient_or_join(&patient)?;
		ensure!(record.devices < T::MaxDevicesPerPatient::get(), Error::<T>::TooManyDevices);
		let deposit = T::DeviceDeposit::get();
		T::NativeBalance::hold(&HoldReason::Device.into(), &patient, deposit)?;
		record.devices = record.devices.saturating_add(1);
		Patients::<T>::insert(&patient, record);
		Devices::<T>::insert(&device, Device { patient: patient.clone(), deposit });
		Self::deposit_event(Event::DeviceRegistered { patient, device });
		Ok(())
	}

	pub(crate) fn do_remove_device(patient: T::AccountId, device: T::AccountId) -> DispatchResult {
		let info = Devices::<T>::get(&device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(info.patient == patient, Error::<T>::NotYourDevice);
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		record.devices = record.devices.saturating_sub(1);
		Patients::<T>::insert(&patient, record);
		Devices::<T>::remove(&device);
		Self::release(HoldReason::Device, &patient, info.deposit)?;
		Self::deposit_event(Event::DeviceRemoved { patient, device });
		Ok(())
	}

	pub(crate) fn do_submit_hygiene(
		patient: T::AccountId,
		summary: HygieneSummary<T::AccountId>,
		signature: T::Signature,
	) -> DispatchResult {
		let info = Devices::<T>::get(&summary.device).ok_or(Error::<T>::UnknownDevice)?;
		ensure!(info.patient == patient, Error::<T>::NotYourDevice);
		Self::ensure_consent(&patient, &summary.device, Purpose::HygieneData)?;
		ensure!(
			signature.verify(&Self::hygiene_message(&patient, &summary)[..], &summary.device),
			Error::<T>::BadDeviceSignature
		);
		let today = Self::today();
		ensure!(summary.day <= today, Error::<T>::DayInFuture);
		ensure!(
			summary.day.saturating_add(T::MaxBackfillDays::get()) >= today,
			Error::<T>::DayTooOld
		);
		ensure!(summary.sessions > 0, Error::<T>::NoSessions);
		ensure!(summary.minutes <= 24 * 60, Error::<T>::ImplausibleSummary);
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(
			record.last_hygiene_day.is_none_or(|last| summary.day > last),
			Error::<T>::DayAlreadyRewarded
		);

		let quality = Self::hygiene_quality(summary.minutes);
		Self::earn(&patient, &mut record, Category::Hygiene, quality, None, summary.day)?;
		record.last_hygiene_day = Some(summary.day);
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::HygieneRecorded {
			patient,
			device: summary.device,
			day: summary.day,
			sessions: summary.sessions,
			minutes: summary.minutes,
			data_hash: summary.data_hash,
		});
		Ok(())
	}

	/// `C` of a day of hygiene: the share of [`Config::HygieneTargetMinutes`] reached, at most 1.
	pub fn hygiene_quality(minutes: u16) -> Perbill {
		let target = T::HygieneTargetMinutes::get().max(1);
		Perbill::from_rational(u32::from(minutes.min(target)), u32::from(target))
	}
}
