//! `Config` implementations of the runtime's pallets, one file per concern.

mod collators;
mod conversion;
mod depin;
pub mod governance;
mod monetary;
mod patient_rewards;
mod payfi;
mod system;
mod tokenization;
mod utility;
pub mod xcm_config;

pub use collators::{
	DEFAULT_SESSION_BLOCKS, ERA_PAYOUT, MAX_COLLATORS, MAX_NOMINATORS, SESSIONS_PER_ERA,
};
pub use conversion::{AssetConversionPalletId, NativeAsset, PoolSetupFee};
pub use depin::{DepinRewardPot, RelayRandomnessToDepin};
pub use governance::{
	ClinicalModelsAdmin, ComplianceAdmin, DealWithFees, DealWithSwappedFees, PaymentsAdmin,
	RewardsAdmin, StakingAdmin, TREASURY_FEE_SHARE,
};
pub use monetary::WeightToFee;
pub use patient_rewards::PatientRewardsPalletId;
pub use system::{
	BaseCallFilter, Cadence, ConsensusHook, RuntimeBlockWeights, BLOCK_PROCESSING_VELOCITY,
	CADENCE, MAXIMUM_BLOCK_WEIGHT, ONE_CORE, RELAY_CHAIN_SLOT_DURATION_MILLIS, RELAY_PARENT_OFFSET,
	TWO_CORES, UNINCLUDED_SEGMENT_CAPACITY,
};
pub use tokenization::{NativeAndAssets, TreasuryAccount};
pub use utility::ProxyType;
