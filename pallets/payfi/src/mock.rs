//! A test runtime configured like BTT's: BTT balances, pallet-assets stablecoins, LP tokens in
//! their own instance, pallet-asset-conversion with BTT in every pool, pallet-scheduler, and
//! the PayFi pallet. Vouchers are signed with `sp_runtime::testing::TestSignature` (a signer id
//! and the exact message); the runtime's tests sign them with sr25519 and ed25519 keys.

use crate as pallet_payfi;
use core::cell::Cell;
use frame_support::{
	construct_runtime, derive_impl,
	instances::{Instance1, Instance2},
	ord_parameter_types, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		tokens::imbalance::ResolveAssetTo,
		AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, UnixTime,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned, EnsureSignedBy};
use sp_runtime::{
	traits::{AccountIdConversion, IdentityLookup},
	BuildStorage, Permill,
};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets::<Instance1>,
		PoolAssets: pallet_assets::<Instance2>,
		AssetConversion: pallet_asset_conversion,
		Scheduler: pallet_scheduler,
		Payfi: pallet_payfi,
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
/// One dUSD.
pub const USD: Balance = 1_000_000;
/// The stablecoins: dUSD (a BTT pool), dEUR (a BTT pool), JUNK (no pool).
pub const DUSD: u32 = 1_337;
pub const DEUR: u32 = 1_338;
pub const JUNK: u32 = 4_242;
pub const NATIVE: NativeOrWithId<u32> = NativeOrWithId::Native;
pub const WITH_DUSD: NativeOrWithId<u32> = NativeOrWithId::WithId(DUSD);
pub const WITH_DEUR: NativeOrWithId<u32> = NativeOrWithId::WithId(DEUR);
/// Accounts: a patient, a clinic, another clinic, the liquidity provider.
pub const PATIENT: AccountId = 1;
pub const CLINIC: AccountId = 2;
pub const OTHER_CLINIC: AccountId = 3;
pub const PROVIDER: AccountId = 9;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<{ UNITS / 1_000 }>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_assets::Config<Instance1> for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<{ 10 * UNITS }>;
	type AssetAccountDeposit = ConstU128<{ UNITS / 100 }>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<50>;
	type Holder = ();
	type Freezer = ();
	type Extra = ();
	type WeightInfo = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
	pub const Native: NativeOrWithId<u32> = NativeOrWithId::Native;
	pub LpFee: Permill = Permill::from_rational(3u32, 1_000u32);
	pub MaxSwapFee: Permill = Permill::from_percent(2);
	pub LiquidityWithdrawalFee: Permill = Permill::zero();
	pub const Treasury: AccountId = 999;
}

ord_parameter_types! {
	pub const AssetConversionOrigin: AccountId =
		AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

impl pallet_assets::Config<Instance2> for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AssetConversionOrigin, AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<50>;
	type Holder = ();
	type Freezer = ();
	type Extra = ();
	type WeightInfo = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// BTT and the stablecoins, as the runtime's `NativeAndAssets`.
pub type NativeAndAssets =
	UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;

impl pallet_asset_conversion::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = NativeOrWithId<u32>;
	type Assets = NativeAndAssets;
	type PoolId = (Self::AssetKind, Self::AssetKind);
	type PoolLocator = pallet_asset_conversion::WithFirstAsset<
		Native,
		AccountId,
		Self::AssetKind,
		pallet_asset_conversion::AccountIdConverter<AssetConversionPalletId, Self::PoolId>,
	>;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type LPFee = LpFee;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxSwapFee = MaxSwapFee;
	type PoolSetupFee = ConstU128<{ 10 * UNITS }>;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<Treasury, Self::Assets>;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MintMinLiquidity = ConstU128<100>;
	type MaxSwapPathLength = ConstU32<3>;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<u32>;
}

thread_local! {
	static NOW_SECONDS: Cell<u64> = const { Cell::new(20_000 * 86_400 + 3_600) };
}

/// The wall clock of the tests: day 20,000 (2024-10-04), 01:00 UTC, until [`set_day`].
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

/// Moves the clock to `day`, 01:00 UTC.
pub fn set_day(day: u32) {
	NOW_SECONDS.with(|now| now.set(u64::from(day) * 86_400 + 3_600));
}

parameter_types! {
	pub MaximumSchedulerWeight: frame_support::weights::Weight =
		frame_support::weights::Weight::MAX;
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<{ MAX_SCHEDULED_PER_BLOCK }>;
	type WeightInfo = ();
	type OriginPrivilegeCmp = frame_support::traits::EqualPrivilegeOnly;
	type Preimages = ();
	type BlockNumberProvider = System;
}

/// The scheduler's agenda size per block in the tests (the runtime's is 50).
pub const MAX_SCHEDULED_PER_BLOCK: u32 = 4;
pub const PLAN_DEPOSIT: Balance = UNITS / 10;
pub const PLAN_DEPOSIT_PER_PAYMENT: Balance = UNITS / 100;
pub const MIN_PLAN_PERIOD: u64 = 10;
pub const MAX_PAYMENTS_PER_PLAN: u32 = 12;
pub const MAX_PLANS_PER_PAYER: u32 = 3;
pub const TAB_DEPOSIT: Balance = UNITS / 10;
pub const MAX_TABS_PER_PAYER: u32 = 2;
pub const MAX_TAB_PERIOD: u64 = 1_000;
pub const TAB_NOTICE: u64 = 20;
pub const INSURER_DEPOSIT: Balance = UNITS;
pub const CLAIM_DEPOSIT: Balance = UNITS / 10;
pub const MAX_CLAIMS_PER_CLINIC: u32 = 3;
pub const CLAIM_DEADLINE: u64 = 100;

parameter_types! {
	pub const PayeeDeposit: Balance = UNITS;
	pub const RecordDeposit: Balance = UNITS / 100;
	pub const PayfiPalletId: PalletId = PalletId(*b"btt/payf");
	pub const EscrowDeposit: Balance = UNITS / 10;
	pub const DisputeDeposit: Balance = UNITS;
	pub const SplitDeposit: Balance = UNITS / 10;
}

/// The arbiter of the tests' disputes.
pub const ARBITER: AccountId = 77;

ord_parameter_types! {
	pub const Arbiter: AccountId = ARBITER;
}

impl pallet_payfi::Config for Test {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = Native;
	type Swap = AssetConversion;
	type PaymentsOrigin = EnsureRoot<AccountId>;
	type Time = MockTime;
	type PayeeDeposit = PayeeDeposit;
	type RecordDeposit = RecordDeposit;
	type MaxRecordsPerPayee = ConstU32<1_000>;
	type MaxReceivableCurrencies = ConstU32<8>;
	type MaxListedProcedures = ConstU32<64>;
	type MaxStatementDays = ConstU32<31>;
	type PalletId = PayfiPalletId;
	type ArbiterOrigin = EnsureSignedBy<Arbiter, AccountId>;
	type EscrowDeposit = EscrowDeposit;
	type DisputeDeposit = DisputeDeposit;
	type MaxEscrowsPerPayer = ConstU32<4>;
	type MaxEscrowPeriod = ConstU64<1_000>;
	type AssetRevenue = RevenuePools;
	type SplitDeposit = SplitDeposit;
	type MaxSplitsPerPayee = ConstU32<2>;
	type Scheduler = Scheduler;
	type PlanDeposit = ConstU128<PLAN_DEPOSIT>;
	type PlanDepositPerPayment = ConstU128<PLAN_DEPOSIT_PER_PAYMENT>;
	type MinPlanPeriod = ConstU64<MIN_PLAN_PERIOD>;
	type MaxPaymentsPerPlan = ConstU32<MAX_PAYMENTS_PER_PLAN>;
	type MaxPlansPerPayer = ConstU32<MAX_PLANS_PER_PAYER>;
	type Signature = sp_runtime::testing::TestSignature;
	type Signer = sp_runtime::testing::UintAuthorityId;
	type TabDeposit = ConstU128<TAB_DEPOSIT>;
	type MaxTabsPerPayer = ConstU32<MAX_TABS_PER_PAYER>;
	type MaxTabPeriod = ConstU64<MAX_TAB_PERIOD>;
	type TabNotice = ConstU64<TAB_NOTICE>;
	type InsurerDeposit = ConstU128<INSURER_DEPOSIT>;
	type ClaimDeposit = ConstU128<CLAIM_DEPOSIT>;
	type MaxClaimsPerClinic = ConstU32<MAX_CLAIMS_PER_CLINIC>;
	type ClaimDeadline = ConstU64<CLAIM_DEADLINE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = PooledAssets;
}

/// The tokenized assets of the tests that take revenue (fractionalized): 1 to 5.
pub const FRACTIONALIZED: core::ops::RangeInclusive<u32> = 1..=5;

/// The account holding an asset's revenue pool in the tests.
pub fn revenue_pool(asset: u32) -> AccountId {
	10_000 + u64::from(asset)
}

/// What the tokenization pallet does for `AssetRevenue`, reduced to its money: the revenue
/// moves from the payer (kept alive) into the asset's pool, refused below the currency's
/// minimum or for an asset that is not fractionalized. The runtime's tests run the real
/// pallet (`runtime/tests/payfi.rs`).
pub struct RevenuePools;

impl btt_primitives::tokenization::AssetRevenue<AccountId, NativeOrWithId<u32>, Balance>
	for RevenuePools
{
	fn deposit_revenue(
		payer: &AccountId,
		asset: u32,
		currency: NativeOrWithId<u32>,
		amount: Balance,
	) -> sp_runtime::DispatchResult {
		use frame_support::traits::{
			fungibles::{Inspect, Mutate},
			tokens::Preservation,
		};
		frame_support::ensure!(
			FRACTIONALIZED.contains(&asset),
			sp_runtime::DispatchError::Other("not fractionalized")
		);
		frame_support::ensure!(
			amount >= <NativeAndAssets as Inspect<_>>::minimum_balance(currency.clone()),
			sp_runtime::DispatchError::Other("below minimum")
		);
		<NativeAndAssets as Mutate<_>>::transfer(
			currency,
			payer,
			&revenue_pool(asset),
			amount,
			Preservation::Preserve,
		)
		.map(|_| ())
	}

	fn accepts_revenue(asset: u32) -> bool {
		FRACTIONALIZED.contains(&asset)
	}

	fn deposit_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(50_000_000, 1_000)
	}
}

/// Creates the benchmarks' assets (ids from 2,000) with BTT pools of 10^8 BTT and 10^20 units.
#[cfg(feature = "runtime-benchmarks")]
pub struct PooledAssets;

#[cfg(feature = "runtime-benchmarks")]
impl
	crate::benchmarking::BenchmarkHelper<
		AccountId,
		NativeOrWithId<u32>,
		sp_runtime::testing::TestSignature,
	> for PooledAssets
{
	fn signer() -> AccountId {
		4_242
	}

	fn sign(signer: &AccountId, message: &[u8]) -> sp_runtime::testing::TestSignature {
		sp_runtime::testing::TestSignature(*signer, message.to_vec())
	}

	fn pooled_asset(i: u32, provider: &AccountId) -> NativeOrWithId<u32> {
		use frame_support::{
			assert_ok,
			traits::{
				fungible::Mutate as _,
				fungibles::{Create, Inspect, Mutate},
			},
		};
		let id = 2_000 + i;
		let asset = NativeOrWithId::WithId(id);
		if <Assets as Inspect<AccountId>>::asset_exists(id) {
			return asset;
		}
		let depth: Balance = 100_000_000 * UNITS;
		assert_ok!(<Assets as Create<AccountId>>::create(id, *provider, true, 1));
		assert_ok!(Balances::mint_into(provider, 2 * depth));
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(id, provider, 2 * depth));
		let origin = RuntimeOrigin::signed(*provider);
		let (native, pooled) = (Box::new(NATIVE), Box::new(asset.clone()));
		assert_ok!(AssetConversion::create_pool(origin.clone(), native.clone(), pooled.clone()));
		assert_ok!(AssetConversion::add_liquidity(
			origin, native, pooled, depth, depth, 1, 1, *provider
		));
		asset
	}
}

/// Genesis: BTT for everyone, dUSD and dEUR (sufficient) with BTT pools of 100,000 : 100,000,
/// JUNK (sufficient) without a pool; the patient holds 1,000 of each stablecoin and 100 BTT.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(PATIENT, 100 * UNITS),
			(CLINIC, 100 * UNITS),
			(OTHER_CLINIC, 100 * UNITS),
			(PROVIDER, 1_000_000 * UNITS),
			(Treasury::get(), UNITS),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test, Instance1> {
		assets: vec![
			(DUSD, PROVIDER, true, USD / 100),
			(DEUR, PROVIDER, true, USD / 100),
			(JUNK, PROVIDER, true, 1),
		],
		metadata: vec![],
		accounts: vec![
			(DUSD, PROVIDER, 1_000_000 * USD),
			(DEUR, PROVIDER, 1_000_000 * USD),
			(JUNK, PROVIDER, 1_000_000 * USD),
			(DUSD, PATIENT, 1_000 * USD),
			(DEUR, PATIENT, 1_000 * USD),
			(JUNK, PATIENT, 1_000 * USD),
		],
		next_asset_id: None,
		reserves: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_payfi::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	pallet_asset_conversion::GenesisConfig::<Test> {
		pools: vec![
			(NATIVE, WITH_DUSD, PROVIDER, 100_000 * UNITS, 100_000 * USD),
			(NATIVE, WITH_DEUR, PROVIDER, 100_000 * UNITS, 100_000 * USD),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_day(20_000);
	});
	ext
}

/// Advances to block `n`, running the scheduler's hooks on the way.
pub fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}

/// Runs `test` on [`new_test_ext`], then checks the pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("payfi invariants hold");
	});
}
