//! # BTT runtime
//!
//! The state-transition function of the BTT oral-healthcare parachain: a Cumulus runtime with
//! the FRAME pallets a parachain needs (accounts, fees, collators, XCM, multisig/proxy/utility,
//! pallet-assets for stablecoins) and, from pallet index 50 on, BTT's own pallets.
//!
//! Layout: this file holds the types and the pallet list; `configs/` one `Config` impl per
//! concern; `apis.rs` the runtime APIs; `genesis_config_presets.rs` the named genesis presets
//! that the node turns into its `--dev` and `--chain local` specs; `weights/` generated
//! weights only.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` and `impl_runtime_apis` expand to deeply nested types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Defines `list_benchmarks!`/`add_benchmarks!`, so it must come before `apis`.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
mod apis;
pub mod configs;
pub mod genesis_config_presets;
mod weights;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, MultiAddress};
use sp_version::RuntimeVersion;

pub use btt_primitives::{
	currency::{deposit, EXISTENTIAL_DEPOSIT, MICRO_UNITS, MILLI_UNITS, UNITS},
	time::{DAYS, HOURS, MILLI_SECS_PER_BLOCK, MINUTES, SLOT_DURATION},
	token::{DECIMALS as TOKEN_DECIMALS, SS58_PREFIX, SYMBOL as TOKEN_SYMBOL},
	AccountId, AssetId, Balance, BlockNumber, Hash, Nonce, Signature,
};
pub use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// The parachain id BTT uses on local and development networks.
pub const PARACHAIN_ID: u32 = 2_000;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions, checked for every signed transaction.
///
/// All are either known to polkadot.js or zero-sized (`AuthorizeCall`, `StorageWeightReclaim`),
/// so clients need no type registration to pay in BTT; paying a fee in an asset
/// (`ChargeAssetTxPayment`'s `assetId`) needs one type registered (docs/runtime.md).
/// `StorageWeightReclaim` wraps the others and returns unused proof size to the block after
/// each extrinsic.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::AuthorizeCall<Runtime>,
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment<Runtime>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a transaction's signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on the next runtime upgrade.
pub type Migrations = (
	pallet_xcm::migration::MigrateToLatestXcmVersion<Runtime>,
	pallet_depin_registry::migrations::v1::MigrateToV1<Runtime>,
	pallet_tokenization::migrations::MigrateV0ToV1<Runtime>,
);

/// Dispatches calls to the pallets and runs their hooks.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

impl_opaque_keys! {
	/// The session keys a collator registers: its Aura authoring key.
	pub struct SessionKeys {
		/// Key that signs the blocks this collator authors.
		pub aura: Aura,
	}
}

/// The runtime's version. `spec_version` must increase with every upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("btt"),
	impl_name: Cow::Borrowed("btt"),
	authoring_version: 1,
	spec_version: 1_000,
	impl_version: 0,
	apis: apis::RUNTIME_API_VERSIONS,
	// 2: ChargeAssetTxPayment (a fee asset) replaced ChargeTransactionPayment.
	transaction_version: 2,
	system_version: 1,
};

/// The pallets, with explicit indices grouped by purpose:
/// 0–9 system, 10–19 money, 20–29 collators, 30–39 XCM, 40–49 governance, 50+ BTT pallets.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;
	#[runtime::pallet_index(5)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(6)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(7)]
	pub type Proxy = pallet_proxy;

	// Money.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(13)]
	pub type FractionAssets = pallet_assets<Instance2>;
	#[runtime::pallet_index(14)]
	pub type Nfts = pallet_nfts;
	#[runtime::pallet_index(15)]
	pub type AssetTxPayment = pallet_asset_conversion_tx_payment;
	#[runtime::pallet_index(16)]
	pub type PoolAssets = pallet_assets<Instance3>;
	#[runtime::pallet_index(17)]
	pub type AssetConversion = pallet_asset_conversion;

	// Collators. Authorship must come before Session, and Session before Aura.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	// Validator-scoring before Session: each block's slot is tallied to the set that authored
	// it before a rotation; Staking before Session: its genesis elects the first set.
	#[runtime::pallet_index(21)]
	pub type ValidatorScoring = pallet_validator_scoring;
	#[runtime::pallet_index(22)]
	pub type Staking = pallet_staking;
	#[runtime::pallet_index(23)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(24)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(25)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(26)]
	pub type AuraExt = cumulus_pallet_aura_ext;

	// XCM.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// Governance (`configs/governance`): OpenGov. Sudo has a key on the development chain only.
	#[runtime::pallet_index(40)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(41)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(42)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(43)]
	pub type Origins = configs::governance::pallet_governance_origins;
	#[runtime::pallet_index(44)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(45)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(46)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(47)]
	pub type Fellowship = pallet_ranked_collective<Instance1>;
	#[runtime::pallet_index(48)]
	pub type FellowshipReferenda = pallet_referenda<Instance2>;
	#[runtime::pallet_index(49)]
	pub type Treasury = pallet_treasury;

	// BTT.
	#[runtime::pallet_index(50)]
	pub type Tokenization = pallet_tokenization;
	#[runtime::pallet_index(51)]
	pub type DepinRegistry = pallet_depin_registry;
	#[runtime::pallet_index(52)]
	pub type Payfi = pallet_payfi;
	#[runtime::pallet_index(53)]
	pub type PatientRewards = pallet_patient_rewards;
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
