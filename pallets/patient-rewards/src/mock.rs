//! A test runtime configured like BTT's: BTT balances with holds and the patient rewards
//! pallet. Device signatures are `sp_runtime::testing::TestSignature` (a signer id and the
//! exact message); the runtime's tests sign with sr25519 keys.

use crate as pallet_patient_rewards;
use crate::{Category, HygieneSummary};
use core::cell::Cell;
use frame_support::{
	construct_runtime, derive_impl, parameter_types,
	traits::{ConstU128, ConstU16, ConstU32, ConstU8, UnixTime},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::{testing::TestSignature, traits::IdentityLookup, BuildStorage, FixedU128};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Rewards: pallet_patient_rewards,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

/// One BTT.
pub const UNITS: Balance = 1_000_000_000_000;
/// Accounts: patients, providers, devices, a stranger.
pub const PATIENT: AccountId = 1;
pub const OTHER_PATIENT: AccountId = 2;
pub const PROVIDER: AccountId = 10;
pub const OTHER_PROVIDER: AccountId = 11;
pub const DEVICE: AccountId = 20;
pub const OTHER_DEVICE: AccountId = 21;
pub const STRANGER: AccountId = 99;
pub const AUTHOR: AccountId = 30;
pub const MERCHANT: AccountId = 40;
/// Deposits.
pub const PATIENT_DEPOSIT: Balance = UNITS / 10;
pub const CONSENT_DEPOSIT: Balance = UNITS / 100;
pub const DEVICE_DEPOSIT: Balance = UNITS / 50;
pub const PLAN_DEPOSIT: Balance = UNITS / 20;
pub const MODULE_DEPOSIT: Balance = UNITS / 5;
pub const ATTEMPT_DEPOSIT: Balance = UNITS / 100;
/// Limits.
pub const MAX_ATTESTATIONS: u32 = 5;
pub const MAX_CONSENTS: u32 = 4;
pub const MAX_DEVICES: u32 = 2;
pub const MAX_REFERRALS: u32 = 2;
pub const MAX_ATTEMPTS: u32 = 3;
pub const REVEAL_DAYS: u32 = 3;
/// The budget period: the pallet's default of 30 days (genesis leaves it).
pub const PERIOD_DAYS: u32 = 30;
pub const CHECKUP_INTERVAL: u32 = 90;
/// The budget of a period at genesis, and the pot's funds.
pub const BUDGET: Balance = 10_000 * UNITS;
pub const POT_FUNDS: Balance = 100_000 * UNITS;
/// The first day of the tests: 2024-10-14 (UTC), in the week 2,858 (days 20,006–20,012: weeks
/// count from 1970-01-01, a Thursday).
pub const START_DAY: u32 = 20_010;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<{ UNITS / 1_000 }>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static NOW_SECONDS: Cell<u64> = const { Cell::new(START_DAY as u64 * 86_400 + 3_600) };
}

thread_local! {
	static PAYMENTS: core::cell::RefCell<Vec<(AccountId, u32, u64, AccountId)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// PayFi's records in the tests: `(payee, day, id, payer)` entries [`record_payment`] made.
pub struct MockPayments;

impl btt_primitives::payfi::PaymentRecords<AccountId, Balance> for MockPayments {
	fn payer_of(payee: &AccountId, day: u32, id: u64) -> Option<AccountId> {
		PAYMENTS.with(|payments| {
			payments.borrow().iter().find(|p| (p.0, p.1, p.2) == (*payee, day, id)).map(|p| p.3)
		})
	}

	/// A transfer, recorded with the next id; only `MERCHANT` is a payee here.
	fn pay_native(
		payer: &AccountId,
		payee: &AccountId,
		amount: Balance,
		_: btt_primitives::payfi::BillingCode<AccountId>,
	) -> Result<(u32, u64), sp_runtime::DispatchError> {
		use frame_support::traits::{fungible::Mutate, tokens::Preservation};
		if *payee != MERCHANT {
			return Err(sp_runtime::DispatchError::Other("not a payee"));
		}
		Balances::transfer(payer, payee, amount, Preservation::Preserve)?;
		let id = PAYMENTS.with(|payments| payments.borrow().len() as u64);
		record_payment(*payee, today(), id, *payer);
		Ok((today(), id))
	}
}

/// Records `payer`'s payment `id` to `payee` on `day`.
pub fn record_payment(payee: AccountId, day: u32, id: u64, payer: AccountId) {
	PAYMENTS.with(|payments| payments.borrow_mut().push((payee, day, id, payer)));
}

/// The wall clock of the tests: 01:00 UTC of the day [`set_day`] set.
pub struct MockTime;

impl UnixTime for MockTime {
	fn now() -> core::time::Duration {
		core::time::Duration::from_secs(NOW_SECONDS.with(Cell::get))
	}
}

/// Today in the tests.
pub fn today() -> u32 {
	(NOW_SECONDS.with(Cell::get) / 86_400) as u32
}

/// Moves the clock `seconds` on.
pub fn advance_seconds(seconds: u64) {
	NOW_SECONDS.with(|now| now.set(now.get() + seconds));
}

/// Moves the clock to `day`, 01:00 UTC.
pub fn set_day(day: u32) {
	NOW_SECONDS.with(|now| now.set(u64::from(day) * 86_400 + 3_600));
}

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"btt/rwrd");
	pub const Unit: Balance = UNITS;
	pub MinAdjustment: FixedU128 = FixedU128::from_rational(1, 2);
	pub MaxAdjustment: FixedU128 = FixedU128::from_rational(3, 2);
}

impl pallet_patient_rewards::Config for Test {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RewardsOrigin = EnsureRoot<AccountId>;
	type Payments = MockPayments;
	type Time = MockTime;
	type Signature = TestSignature;
	type Signer = sp_runtime::testing::UintAuthorityId;
	type PalletId = RewardsPalletId;
	type Unit = Unit;
	type ConsistencyWindow = ConstU32<8>;
	type FullStreakWeeks = ConstU32<10>;
	type MinAdjustment = MinAdjustment;
	type MaxAdjustment = MaxAdjustment;
	type PatientDeposit = ConstU128<PATIENT_DEPOSIT>;
	type ConsentDeposit = ConstU128<CONSENT_DEPOSIT>;
	type DeviceDeposit = ConstU128<DEVICE_DEPOSIT>;
	type MaxConsentsPerPatient = ConstU32<MAX_CONSENTS>;
	type MaxDevicesPerPatient = ConstU32<MAX_DEVICES>;
	type MaxAttestationsPerProvider = ConstU32<MAX_ATTESTATIONS>;
	type MinCheckupIntervalDays = ConstU32<CHECKUP_INTERVAL>;
	type HygieneTargetMinutes = ConstU16<4>;
	type MaxBackfillDays = ConstU32<7>;
	type PlanDeposit = ConstU128<PLAN_DEPOSIT>;
	type MaxStages = ConstU8<8>;
	type MaxReferralsPerPeriod = ConstU32<MAX_REFERRALS>;
	type ModuleDeposit = ConstU128<MODULE_DEPOSIT>;
	type AttemptDeposit = ConstU128<ATTEMPT_DEPOSIT>;
	type MaxAttemptsPerModule = ConstU32<MAX_ATTEMPTS>;
	type MaxSittingDays = ConstU32<30>;
	type RevealDays = ConstU32<REVEAL_DAYS>;
	type MaxHistory = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestDevices;
}

/// The genesis values of the categories, in whole BTT: `(category, A, B_H)`.
pub const CATEGORIES: [(Category, u128, u128); 5] = [
	(Category::Checkup, 300, 100),
	(Category::Hygiene, 10, 4),
	(Category::TreatmentPlan, 600, 200),
	(Category::Education, 100, 30),
	(Category::Referral, 150, 50),
];

/// Genesis: 100 BTT for the patients, providers and stranger; the pot holds 100,000 BTT and
/// each period may pay 10,000; two providers are registered by the tests that need them.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(PATIENT, 100 * UNITS),
			(OTHER_PATIENT, 100 * UNITS),
			(PROVIDER, 100 * UNITS),
			(OTHER_PROVIDER, 100 * UNITS),
			(STRANGER, 100 * UNITS),
			(AUTHOR, 100 * UNITS),
			(MERCHANT, UNITS),
			(Rewards::pot(), POT_FUNDS),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_patient_rewards::GenesisConfig::<Test> {
		categories: CATEGORIES
			.iter()
			.map(|(category, base, consistency)| (*category, base * UNITS, consistency * UNITS))
			.collect(),
		budget_per_period: BUDGET,
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_day(START_DAY);
	});
	ext
}

/// Runs `test` on [`new_test_ext`], then checks the pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("patient rewards invariants hold");
	});
}

/// A device's signature of `message`.
pub fn sign(device: AccountId, message: Vec<u8>) -> TestSignature {
	TestSignature(device, message)
}

/// A summary of `day` by `device`: `sessions`, `minutes`, a hash of the day.
pub fn summary(
	device: AccountId,
	day: u32,
	sessions: u8,
	minutes: u16,
) -> HygieneSummary<AccountId> {
	HygieneSummary { device, day, sessions, minutes, data_hash: H256::repeat_byte(day as u8) }
}

/// Devices 1,000 and up, signing with `TestSignature`; the test clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestDevices;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, TestSignature> for TestDevices {
	fn device(i: u32) -> AccountId {
		1_000 + u64::from(i)
	}

	fn sign(device: &AccountId, message: &[u8]) -> TestSignature {
		TestSignature(*device, message.to_vec())
	}

	fn set_day(day: u32) {
		set_day(day);
	}

	fn merchant() -> AccountId {
		MERCHANT
	}
}
