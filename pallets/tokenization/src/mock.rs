//! A test runtime with the real FRAME parts the pallet builds on: balances, two pallet-assets
//! instances (payment currencies and fractions), pallet-nfts and the scheduler.

// Tests may panic: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate as pallet_tokenization;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, EqualPrivilegeOnly, Hooks,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot, EnsureSigned};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	traits::IdentityLookup,
	BuildStorage, Permill,
};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		PaymentAssets: pallet_assets::<Instance1>,
		FractionAssets: pallet_assets::<Instance2>,
		Nfts: pallet_nfts,
		Scheduler: pallet_scheduler,
		Tokenization: pallet_tokenization,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Payment currencies (a stablecoin in the tests).
#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<pallet_assets::Instance1> for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetAccountDeposit = ConstU128<1>;
	type Freezer = ();
}

/// The fractions: nobody may create assets here (the tokenization pallet creates them through
/// `fungibles::Create`), and the tokenization pallet decides what is frozen.
#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<pallet_assets::Instance2> for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureNever<()>;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type Freezer = Tokenization;
}

parameter_types! {
	pub NftFeatures: pallet_nfts::PalletFeatures = pallet_nfts::PalletFeatures::all_enabled();
}

pub const NFT_COLLECTION_DEPOSIT: Balance = 100;
pub const NFT_ITEM_DEPOSIT: Balance = 10;

/// pallet-nfts' benchmark helper for `u64` accounts (its own covers `AccountId32` only).
#[cfg(feature = "runtime-benchmarks")]
pub struct NftsHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_nfts::BenchmarkHelper<u32, u32, UintAuthorityId, AccountId, TestSignature>
	for NftsHelper
{
	fn collection(i: u16) -> u32 {
		i.into()
	}
	fn item(i: u16) -> u32 {
		i.into()
	}
	fn signer() -> (UintAuthorityId, AccountId) {
		(UintAuthorityId(1), 1)
	}
	fn sign(signer: &UintAuthorityId, message: &[u8]) -> TestSignature {
		TestSignature(signer.0, message.to_vec())
	}
}

impl pallet_nfts::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Locker = ();
	type CollectionDeposit = ConstU128<NFT_COLLECTION_DEPOSIT>;
	type ItemDeposit = ConstU128<NFT_ITEM_DEPOSIT>;
	type MetadataDepositBase = ConstU128<1>;
	type AttributeDepositBase = ConstU128<1>;
	type DepositPerByte = ConstU128<1>;
	type StringLimit = ConstU32<64>;
	type KeyLimit = ConstU32<32>;
	type ValueLimit = ConstU32<64>;
	type ApprovalsLimit = ConstU32<10>;
	type ItemAttributesApprovalsLimit = ConstU32<2>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = ConstU64<10_000>;
	type MaxAttributesPerCall = ConstU32<2>;
	type Features = NftFeatures;
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = NftsHelper;
	type BlockNumberProvider = System;
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = ();
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = ();
	type BlockNumberProvider = System;
}

parameter_types! {
	pub MaximumSchedulerWeight: Weight = Weight::MAX;
}

pub const DUST: AccountId = 99;
pub const TREASURY: AccountId = 98;

parameter_types! {
	pub const TokenizationPalletId: PalletId = PalletId(*b"btt/tknz");
	pub const DustAccount: AccountId = DUST;
	pub const Treasury: AccountId = TREASURY;
	pub const MarketFee: Permill = Permill::from_percent(1);
	/// 1 % of the fractions: 1 of 100.
	pub const MinOrderShare: Permill = Permill::from_percent(1);
	pub const NativeCurrency: NativeOrWithId<u32> = NativeOrWithId::Native;
	pub TwinCollectionConfig: pallet_nfts::CollectionConfigFor<Test> = pallet_nfts::CollectionConfig {
		settings: pallet_nfts::CollectionSettings::all_enabled(),
		max_supply: None,
		mint_settings: pallet_nfts::MintSettings::default(),
	};
	pub TwinItemConfig: pallet_nfts::ItemConfig = pallet_nfts::ItemConfig {
		settings: pallet_nfts::ItemSettings::all_enabled(),
	};
}

pub const ASSET_DEPOSIT: Balance = 50;
pub const ORDER_DEPOSIT: Balance = 5;
pub const CLAIM_DEPOSIT: Balance = 3;
pub const SCHEDULE_DEPOSIT: Balance = 7;
pub const SCHEDULE_DEPOSIT_PER_PAYMENT: Balance = 2;
pub const MIN_SCHEDULE_PERIOD: u64 = 5;
pub const MAX_SCHEDULES_PER_ACCOUNT: u32 = 3;
pub const MAX_ORDERS_PER_ACCOUNT: u32 = 4;
pub const MAX_LOCKED_LOTS: u32 = 3;
pub const VALUATION_MAX_AGE: u64 = 100;
pub const MAX_HOLDERS: u32 = 1_000;

impl pallet_tokenization::Config for Test {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies =
		UnionOf<Balances, PaymentAssets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;
	type NativeCurrency = NativeCurrency;
	type Fractions = FractionAssets;
	type NftCollectionId = u32;
	type NftCollectionConfig = pallet_nfts::CollectionConfigFor<Test>;
	type NftItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type TwinCollectionConfig = TwinCollectionConfig;
	type TwinItemConfig = TwinItemConfig;
	type TwinCollectionDeposit = ConstU128<NFT_COLLECTION_DEPOSIT>;
	type TwinItemDeposit = ConstU128<NFT_ITEM_DEPOSIT>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PalletId = TokenizationPalletId;
	type DustAccount = DustAccount;
	type FeeDestination = Treasury;
	type MarketFee = MarketFee;
	type AssetDeposit = ConstU128<ASSET_DEPOSIT>;
	type DepositPerByte = ConstU128<1>;
	type OrderDeposit = ConstU128<ORDER_DEPOSIT>;
	type ClaimDeposit = ConstU128<CLAIM_DEPOSIT>;
	type ScheduleDeposit = ConstU128<SCHEDULE_DEPOSIT>;
	type ScheduleDepositPerPayment = ConstU128<SCHEDULE_DEPOSIT_PER_PAYMENT>;
	type MinSchedulePeriod = ConstU64<MIN_SCHEDULE_PERIOD>;
	type MaxSchedulesPerAccount = ConstU32<MAX_SCHEDULES_PER_ACCOUNT>;
	type MinOrderShare = MinOrderShare;
	type MaxOrdersPerAccount = ConstU32<MAX_ORDERS_PER_ACCOUNT>;
	type MaxPaymentCurrencies = ConstU32<4>;
	type MaxLockedLots = ConstU32<MAX_LOCKED_LOTS>;
	type ValuationQuorum = ConstU32<3>;
	type ValuationMaxAge = ConstU64<VALUATION_MAX_AGE>;
	type MaxAccredited = ConstU32<5>;
	type MaxUriLength = ConstU32<64>;
	type MaxJurisdictions = ConstU32<4>;
	type MaxRevenueCurrencies = ConstU32<3>;
	type MaxHolders = ConstU32<MAX_HOLDERS>;
	type MaxOrdersPerAsset = ConstU32<8>;
	type Scheduler = Scheduler;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StablecoinHelper;
}

/// Gives the benchmarks pallet-assets stablecoins (ids 1000, 1001, …) to pay in.
#[cfg(feature = "runtime-benchmarks")]
pub struct StablecoinHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<Test> for StablecoinHelper {
	fn revenue_currency(i: u32) -> NativeOrWithId<u32> {
		use frame_support::traits::fungibles::{Create, Inspect};
		let id = 1_000 + i;
		if !<PaymentAssets as Inspect<AccountId>>::asset_exists(id) {
			<PaymentAssets as Create<AccountId>>::create(id, TREASURY, true, 1).unwrap();
		}
		NativeOrWithId::WithId(id)
	}
}

/// The clinic that registers and fractionalizes assets.
pub const CLINIC: AccountId = 1;
/// An investor with KYC.
pub const ALICE: AccountId = 2;
/// Another investor with KYC.
pub const BOB: AccountId = 3;
/// An investor without any claim.
pub const MALLORY: AccountId = 4;
pub const REGISTRAR: AccountId = 10;
pub const VALUER_1: AccountId = 11;
pub const VALUER_2: AccountId = 12;
pub const VALUER_3: AccountId = 13;
pub const KYC_PROVIDER: AccountId = 14;
/// The stablecoin of the tests, an asset of the payment-currencies instance.
pub const USDC: u32 = 7;
pub const USDC_MIN: Balance = 5;
pub const ENDOWMENT: Balance = 1_000_000;

/// Builds a fresh state: endowed accounts and a stablecoin.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let endowed = [
		CLINIC,
		ALICE,
		BOB,
		MALLORY,
		REGISTRAR,
		VALUER_1,
		VALUER_2,
		VALUER_3,
		KYC_PROVIDER,
		TREASURY,
		DUST,
	];
	pallet_balances::GenesisConfig::<Test> {
		balances: endowed.iter().map(|who| (*who, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test, pallet_assets::Instance1> {
		assets: vec![(USDC, CLINIC, false, USDC_MIN)],
		metadata: vec![],
		accounts: vec![(USDC, CLINIC, ENDOWMENT), (USDC, ALICE, ENDOWMENT), (USDC, BOB, ENDOWMENT)],
		next_asset_id: None,
		reserves: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on a fresh state, then checks every invariant of the pallet.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Tokenization::do_try_state().expect("invariants hold after the test");
	});
}

/// Advances to block `n`, running the scheduler's hooks on the way.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}

/// The events of this pallet so far.
pub fn tokenization_events() -> Vec<pallet_tokenization::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Tokenization(e) => Some(e),
			_ => None,
		})
		.collect()
}
