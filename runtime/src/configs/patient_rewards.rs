//! Patient rewards: verified healthy behaviour earns BTT by the seeds' formula
//! `R = (A·C) + (H·T)·P`, paid from a reward pot within a budget per period, under the
//! patient's consent (`pallet-patient-rewards`, docs/pallets/patient-rewards.md).

use crate::{deposit, Balance, Balances, Runtime, RuntimeHoldReason, Signature, Timestamp, UNITS};
use frame_support::{
	parameter_types,
	traits::{ConstU16, ConstU32, ConstU8},
	PalletId,
};
use sp_runtime::FixedU128;

parameter_types! {
	/// The reward pot.
	pub const PatientRewardsPalletId: PalletId = PalletId(*b"btt/rwrd");
	pub const RewardUnit: Balance = UNITS;
	/// `P` is 0.5 to 1.5: a provider may halve or add half to a patient's consistency reward.
	pub MinAdjustment: FixedU128 = FixedU128::from_rational(1, 2);
	pub MaxAdjustment: FixedU128 = FixedU128::from_rational(3, 2);
	/// A patient's record and its history of 32 activities: two items of at most 1,100 bytes
	/// with their keys (checked by `runtime/tests/patient_rewards.rs`, like every deposit
	/// below).
	pub const PatientDeposit: Balance = deposit(2, 1_100);
	/// A consent: one item of at most 160 bytes.
	pub const ConsentDeposit: Balance = deposit(1, 160);
	/// A device: one item of at most 140 bytes.
	pub const DeviceDeposit: Balance = deposit(1, 140);
	/// An open treatment plan and its (patient, provider) index: two items, at most 300 bytes.
	pub const PlanDeposit: Balance = deposit(2, 300);
	/// An education module of the most questions: one item of at most 1,400 bytes.
	pub const ModuleDeposit: Balance = deposit(1, 1_400);
	/// A committed assessment: one item of at most 160 bytes.
	pub const AttemptDeposit: Balance = deposit(1, 160);
}

impl pallet_patient_rewards::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Governance later (issue 22: the rewards track).
	type RewardsOrigin = super::RewardsAdmin;
	// Checkups may cite the patient's coded payment to the clinic.
	type Payments = crate::Payfi;
	type Time = Timestamp;
	// Devices sign with sr25519, ed25519 or ecdsa keys: a device is an account.
	type Signature = Signature;
	type Signer = <Signature as sp_runtime::traits::Verify>::Signer;
	type PalletId = PatientRewardsPalletId;
	type Unit = RewardUnit;
	type ConsistencyWindow = ConstU32<8>;
	type FullStreakWeeks = ConstU32<10>;
	type MinAdjustment = MinAdjustment;
	type MaxAdjustment = MaxAdjustment;
	type PatientDeposit = PatientDeposit;
	type ConsentDeposit = ConsentDeposit;
	type DeviceDeposit = DeviceDeposit;
	// A provider, each device and a research study or two.
	type MaxConsentsPerPatient = ConstU32<16>;
	type MaxDevicesPerPatient = ConstU32<4>;
	// A busy clinic: about 50 attestations (checkups, plan stages, adjustments) a working day
	// of a 30-day period.
	type MaxAttestationsPerProvider = ConstU32<1_000>;
	// Preventive checkups are due twice a year; a recall at three months is the shortest.
	type MinCheckupIntervalDays = ConstU32<90>;
	// Two minutes twice a day.
	type HygieneTargetMinutes = ConstU16<4>;
	type MaxBackfillDays = ConstU32<7>;
	type PlanDeposit = PlanDeposit;
	type MaxStages = ConstU8<8>;
	type MaxReferralsPerPeriod = ConstU32<10>;
	type ModuleDeposit = ModuleDeposit;
	type AttemptDeposit = AttemptDeposit;
	type MaxAttemptsPerModule = ConstU32<1_000>;
	type MaxSittingDays = ConstU32<30>;
	type RevealDays = ConstU32<3>;
	type MaxHistory = ConstU32<32>;
	type WeightInfo = crate::weights::pallet_patient_rewards::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::Sr25519Devices;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use crate::{AccountId, Balances, Runtime, Signature, UNITS};
	use alloc::format;

	/// Devices with sr25519 keys of the benchmark's keystore, and the timestamp pallet's clock.
	pub struct Sr25519Devices;

	const DEVICE_KEY: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"bttd");

	impl pallet_patient_rewards::benchmarking::BenchmarkHelper<AccountId, Signature>
		for Sr25519Devices
	{
		fn device(i: u32) -> AccountId {
			use sp_runtime::traits::IdentifyAccount;
			let seed = format!("//btt-bench-device-{i}").into_bytes();
			let public = sp_io::crypto::sr25519_generate(DEVICE_KEY, Some(seed));
			sp_runtime::MultiSigner::Sr25519(public).into_account()
		}

		fn sign(device: &AccountId, message: &[u8]) -> Signature {
			let public = sp_core::sr25519::Public::from_raw(*AsRef::<[u8; 32]>::as_ref(device));
			sp_io::crypto::sr25519_sign(DEVICE_KEY, &public, message)
				.map(Signature::Sr25519)
				.unwrap_or_else(|| {
					Signature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64]))
				})
		}

		fn set_day(day: u32) {
			let millis = (u64::from(day) * 86_400 + 3_600) * 1_000;
			pallet_timestamp::Now::<Runtime>::put(millis);
		}

		/// A funded PayFi payee with free record slots.
		fn merchant() -> AccountId {
			use frame_support::{assert_ok, traits::fungible::Mutate};
			let merchant: AccountId = frame_benchmarking::account("merchant", 0, 0);
			assert_ok!(<Balances as Mutate<AccountId>>::mint_into(&merchant, 1_000 * UNITS));
			assert_ok!(crate::Payfi::register_payee(
				crate::RuntimeOrigin::signed(merchant.clone()),
				16
			));
			merchant
		}
	}
}
