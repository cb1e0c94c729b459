//! Asset tokenization: the fractions instance of pallet-assets, pallet-nfts (digital twins and
//! users' own NFTs) and BTT's tokenization pallet.
//!
//! The fractions instance has no origin that can create, mint or force anything, and the
//! runtime's call filter ([`super::system::BaseCallFilter`]) refuses every call into it, so the
//! tokenization pallet, through `fungibles::*`, is the only thing that moves fractions.

use crate::{
	deposit, AccountId, AssetId, Assets, Balance, Balances, BlockNumber, FractionAssets, Nfts,
	Runtime, RuntimeHoldReason, Scheduler, Signature, Tokenization, DAYS, MILLI_UNITS, UNITS,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureNever, EnsureRoot, EnsureSigned};
use sp_runtime::{
	traits::{AccountIdConversion, Verify},
	Permill,
};

/// BTT and the pallet-assets assets as one `fungibles` set: the currencies revenue and market
/// prices are paid in. (The fractions instance is deliberately not part of it.)
pub type NativeAndAssets =
	UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<AssetId>, AccountId>;

parameter_types! {
	/// The account that receives market fees and revenue rounding dust; governance spends it.
	pub TreasuryAccount: AccountId = PalletId(*b"py/trsry").into_account_truncating();
}

/// The fractions of tokenized assets. Only the tokenization pallet moves them.
impl pallet_assets::Config<pallet_assets::Instance2> for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1_000>;
	type AssetId = btt_primitives::TokenizedAssetId;
	type AssetIdParameter = codec::Compact<btt_primitives::TokenizedAssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureNever<AccountId>>;
	type ForceOrigin = EnsureNever<()>;
	type AssetDeposit = ();
	type AssetAccountDeposit = ();
	type MetadataDepositBase = ();
	type MetadataDepositPerByte = ();
	type ApprovalDeposit = ();
	type StringLimit = ConstU32<50>;
	type Freezer = Tokenization;
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	pub NftsFeatures: pallet_nfts::PalletFeatures = pallet_nfts::PalletFeatures::all_enabled();
	pub const NftsCollectionDeposit: Balance = 10 * UNITS;
	pub const NftsItemDeposit: Balance = 10 * MILLI_UNITS;
	pub const NftsMetadataDepositBase: Balance = deposit(1, 129);
	pub const NftsAttributeDepositBase: Balance = deposit(1, 0);
	pub const NftsDepositPerByte: Balance = deposit(0, 1);
	pub const NftsMaxDeadlineDuration: BlockNumber = 365 * DAYS;
}

/// pallet-nfts: the digital twins of tokenized assets (a collection held by the tokenization
/// pallet) and anyone's own NFTs.
impl pallet_nfts::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Locker = ();
	type CollectionDeposit = NftsCollectionDeposit;
	type ItemDeposit = NftsItemDeposit;
	type MetadataDepositBase = NftsMetadataDepositBase;
	type AttributeDepositBase = NftsAttributeDepositBase;
	type DepositPerByte = NftsDepositPerByte;
	type StringLimit = ConstU32<256>;
	type KeyLimit = ConstU32<64>;
	type ValueLimit = ConstU32<256>;
	type ApprovalsLimit = ConstU32<20>;
	type ItemAttributesApprovalsLimit = ConstU32<30>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = NftsMaxDeadlineDuration;
	type MaxAttributesPerCall = ConstU32<10>;
	type Features = NftsFeatures;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as Verify>::Signer;
	type WeightInfo = pallet_nfts::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

parameter_types! {
	pub const TokenizationPalletId: PalletId = PalletId(*b"btt/tknz");
	pub const MarketFee: Permill = Permill::from_parts(5_000);
	pub const NativeCurrency: NativeOrWithId<AssetId> = NativeOrWithId::Native;
	pub TwinCollectionConfig: pallet_nfts::CollectionConfigFor<Runtime> = pallet_nfts::CollectionConfig {
		settings: pallet_nfts::CollectionSettings::all_enabled(),
		max_supply: None,
		mint_settings: pallet_nfts::MintSettings::default(),
	};
	pub TwinItemConfig: pallet_nfts::ItemConfig = pallet_nfts::ItemConfig {
		settings: pallet_nfts::ItemSettings::all_enabled(),
	};
	pub const TokenizedAssetDeposit: Balance = deposit(2, 250);
	pub const TokenizationDepositPerByte: Balance = deposit(0, 1);
	pub const OrderDeposit: Balance = deposit(2, 120);
	pub const ClaimDeposit: Balance = deposit(1, 90);
	/// The schedule (137 bytes with its key), the payer's count (84) and its one task in the
	/// scheduler (an agenda entry of at most 858 bytes, its lookup 80; checked by
	/// `runtime/tests/tokenization.rs`).
	pub const RevenueScheduleDeposit: Balance = deposit(3, 1_100);
	/// Each payment of a schedule is one more dispatch the scheduler makes unpaid.
	pub const RevenueScheduleDepositPerPayment: Balance = deposit(0, 32);
	/// Daily at most: a schedule is for recurring clinic revenue, not a block-by-block stream.
	pub const MinSchedulePeriod: BlockNumber = DAYS;
	/// 0.01 % of an asset's fractions.
	pub const MinOrderShare: Permill = Permill::from_parts(100);
	pub const ValuationMaxAge: BlockNumber = 90 * DAYS;
}

impl pallet_tokenization::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = NativeCurrency;
	type Fractions = FractionAssets;
	type NftCollectionId = u32;
	type NftCollectionConfig = pallet_nfts::CollectionConfigFor<Runtime>;
	type NftItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type TwinCollectionConfig = TwinCollectionConfig;
	type TwinItemConfig = TwinItemConfig;
	type TwinCollectionDeposit = NftsCollectionDeposit;
	type TwinItemDeposit = NftsItemDeposit;
	// Root or the compliance track: KYC and claim-issuer accreditation, payment currencies.
	type AdminOrigin = super::ComplianceAdmin;
	type PalletId = TokenizationPalletId;
	type DustAccount = TreasuryAccount;
	type FeeDestination = TreasuryAccount;
	type MarketFee = MarketFee;
	type AssetDeposit = TokenizedAssetDeposit;
	type DepositPerByte = TokenizationDepositPerByte;
	type OrderDeposit = OrderDeposit;
	type ClaimDeposit = ClaimDeposit;
	type ScheduleDeposit = RevenueScheduleDeposit;
	type ScheduleDepositPerPayment = RevenueScheduleDepositPerPayment;
	type MinSchedulePeriod = MinSchedulePeriod;
	type MaxSchedulesPerAccount = ConstU32<8>;
	type MinOrderShare = MinOrderShare;
	type MaxOrdersPerAccount = ConstU32<16>;
	// Below `MaxConsumers` (16) with room for the pallet account's other references.
	type MaxPaymentCurrencies = ConstU32<8>;
	type MaxLockedLots = ConstU32<16>;
	type ValuationQuorum = ConstU32<3>;
	type ValuationMaxAge = ValuationMaxAge;
	type MaxAccredited = ConstU32<16>;
	type MaxUriLength = ConstU32<128>;
	type MaxJurisdictions = ConstU32<16>;
	type MaxRevenueCurrencies = ConstU32<4>;
	type MaxHolders = ConstU32<100_000>;
	type MaxOrdersPerAsset = ConstU32<256>;
	type Scheduler = Scheduler;
	type WeightInfo = crate::weights::pallet_tokenization::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TokenizationBenchmarkHelper;
}

/// Creates payment assets for the tokenization benchmarks (revenue in several currencies).
#[cfg(feature = "runtime-benchmarks")]
pub struct TokenizationBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_tokenization::benchmarking::BenchmarkHelper<Runtime> for TokenizationBenchmarkHelper {
	fn revenue_currency(i: u32) -> NativeOrWithId<AssetId> {
		use frame_support::traits::fungibles::{Create, Inspect};
		let id = 1_000u32.saturating_add(i);
		if !<Assets as Inspect<AccountId>>::asset_exists(id) {
			let _ = <Assets as Create<AccountId>>::create(id, TreasuryAccount::get(), true, 1);
		}
		NativeOrWithId::WithId(id)
	}
}
