//! The pallet's tests, one file per feature; each runs in [`crate::mock::run`], which checks
//! the invariants after it.

mod budget;
mod checkups;
mod consent;
mod education;
mod formula;
mod hygiene;
mod plans;
mod redemption;
mod referrals;

use crate::{mock::*, Purpose};
use btt_primitives::payfi::ProcedureCode;
use frame_support::assert_ok;
use sp_runtime::Perbill;

/// D0120, a periodic oral evaluation.
pub fn evaluation() -> ProcedureCode {
	ProcedureCode::parse(b"D0120").expect("a CDT code")
}

/// `patient` consents to `grantee` for `purpose`, until revoked.
pub fn consent(patient: AccountId, grantee: AccountId, purpose: Purpose) {
	assert_ok!(Rewards::grant_consent(RuntimeOrigin::signed(patient), grantee, purpose, None));
}

/// Registers `provider` and lets `patient` consent to its checkup confirmations.
pub fn provider_for(provider: AccountId, patient: AccountId) {
	if !crate::Providers::<Test>::contains_key(provider) {
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), provider));
	}
	consent(patient, provider, Purpose::CheckupConfirmation);
}

/// `provider` confirms a complete checkup of `patient` today.
pub fn checkup(provider: AccountId, patient: AccountId) {
	assert_ok!(Rewards::confirm_checkup(
		RuntimeOrigin::signed(provider),
		patient,
		evaluation(),
		Perbill::one(),
		None
	));
}

/// Registers `device` to `patient` with the device's proof and the patient's consent.
pub fn device_for(device: AccountId, patient: AccountId) {
	let proof = sign(device, Rewards::device_registration_message(&patient));
	assert_ok!(Rewards::register_device(RuntimeOrigin::signed(patient), device, proof));
	consent(patient, device, Purpose::HygieneData);
}

/// `patient` submits `device`'s signed summary of `day` with `minutes` in two sessions.
pub fn hygiene(patient: AccountId, device: AccountId, day: u32, minutes: u16) {
	let summary = summary(device, day, 2, minutes);
	let signature = sign(device, Rewards::hygiene_message(&patient, &summary));
	assert_ok!(Rewards::submit_hygiene(RuntimeOrigin::signed(patient), summary, signature));
}

/// The reward of the latest `RewardEarned` event.
pub fn last_reward() -> Balance {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Rewards(crate::Event::RewardEarned { reward, .. }) => Some(reward),
			_ => None,
		})
		.expect("a reward was earned")
}

/// Ends the budget period of today by moving to the first day of the next one.
pub fn next_period() {
	let next = (today() / PERIOD_DAYS + 1) * PERIOD_DAYS;
	set_day(next);
}
