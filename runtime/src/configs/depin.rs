//! The DePIN compute layer: BTT's registry of compute nodes, diagnostic tasks and their
//! verification (`pallet-depin-registry`), and the randomness its routing draws from.

use crate::{
	AccountId, Balance, Balances, BlockNumber, Hash, ParachainInfo, Runtime, RuntimeHoldReason,
	System, DAYS, HOURS, MINUTES, UNITS,
};
use codec::Encode;
use cumulus_pallet_parachain_system::RelayChainStateProof;
use cumulus_primitives_core::relay_chain::well_known_keys;
use frame_support::{parameter_types, traits::Randomness, PalletId};
use frame_system::EnsureRoot;
use pallet_depin_registry::{TierParams, UrgencyPolicy};
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash as _},
	Perbill,
};

use super::tokenization::{NativeAndAssets, NativeCurrency};

/// Randomness for task routing and spot checks: the relay chain's BABE VRF output of the
/// relay parent, read from the relay state proof that every parachain block carries (the
/// collator includes the key by default), hashed with the subject.
///
/// Where the proof lacks it, the previous relay epoch's randomness mixed with the relay
/// parent's number; where no relay state is available at all (a `--dev` node seals without a
/// relay chain, and benchmarks), the parent block's hash.
///
/// Bias: the VRF output is fixed once the relay parent is; a collator can still choose among
/// the few relay parents it may build on, and choose whether to include a `post_task` in its
/// block or leave it to the next one, so it picks among a handful of draws: enough to nudge a
/// single task, not to steer tasks to its own nodes systematically (routing weights and the
/// one-slot-per-operator rule still apply). The parent-hash fallback is fully known to the
/// collator in advance: it is for development chains only; the previous epoch's randomness is
/// known an epoch ahead, which lets anyone predict draws (not choose them). See
/// `docs/pallets/depin-registry.md`.
pub struct RelayChainRandomness;

impl RelayChainRandomness {
	/// Randomness from this block's relay state proof, if it carries one: the relay parent's
	/// VRF output (`Babe::AuthorVrfRandomness`), or, if the proof lacks it, the randomness of
	/// the relay chain's previous epoch mixed with the relay parent's number.
	fn relay_randomness() -> Option<Hash> {
		let validation = cumulus_pallet_parachain_system::ValidationData::<Runtime>::get()?;
		let proof = cumulus_pallet_parachain_system::RelayStateProof::<Runtime>::get()?;
		let state = RelayChainStateProof::new(
			ParachainInfo::parachain_id(),
			validation.relay_parent_storage_root,
			proof,
		)
		.ok()?;
		let block_vrf = state
			.read_optional_entry::<Option<[u8; 32]>>(well_known_keys::CURRENT_BLOCK_RANDOMNESS)
			.ok()
			.flatten()
			.flatten();
		if let Some(vrf) = block_vrf {
			return Some((b"btt/relay-vrf", vrf).using_encoded(BlakeTwo256::hash));
		}
		let epoch = state.read_optional_entry::<[u8; 32]>(well_known_keys::ONE_EPOCH_AGO_RANDOMNESS).ok().flatten()?;
		Some((b"btt/relay-epoch", epoch, validation.relay_parent_number).using_encoded(BlakeTwo256::hash))
	}
}

impl Randomness<Hash, BlockNumber> for RelayChainRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		let block = System::block_number();
		let source = Self::relay_randomness()
			.unwrap_or_else(|| (b"btt/parent-hash", System::parent_hash()).using_encoded(BlakeTwo256::hash));
		((subject, source).using_encoded(BlakeTwo256::hash), block)
	}
}

parameter_types! {
	pub const DepinPalletId: PalletId = PalletId(*b"btt/depn");
	/// Pays epoch rewards, receives slashed stake; the treasury and anyone else may fund it.
	pub DepinRewardPot: AccountId = PalletId(*b"btt/dpot").into_account_truncating();
	/// The seeds' node tiers: hardware, least stake, and monthly rewards (750–1,500,
	/// 1,400–3,200, 3,000–7,500 and 6,500–15,000 BTT).
	pub const DepinTiers: [TierParams<Balance>; 4] = [
		TierParams { min_gpu_memory_gb: 8, min_benchmark_score: 50, min_stake: 1_000 * UNITS, monthly_reward_low: 750 * UNITS, monthly_reward_high: 1_500 * UNITS, routing_weight: 1 },
		TierParams { min_gpu_memory_gb: 16, min_benchmark_score: 100, min_stake: 2_500 * UNITS, monthly_reward_low: 1_400 * UNITS, monthly_reward_high: 3_200 * UNITS, routing_weight: 2 },
		TierParams { min_gpu_memory_gb: 32, min_benchmark_score: 250, min_stake: 5_000 * UNITS, monthly_reward_low: 3_000 * UNITS, monthly_reward_high: 7_500 * UNITS, routing_weight: 3 },
		TierParams { min_gpu_memory_gb: 64, min_benchmark_score: 600, min_stake: 10_000 * UNITS, monthly_reward_low: 6_500 * UNITS, monthly_reward_high: 15_000 * UNITS, routing_weight: 4 },
	];
	/// Routine: 3 nodes, 10 minutes to commit, 5 to reveal.
	pub const RoutinePolicy: UrgencyPolicy<BlockNumber> = UrgencyPolicy { assignees: 3, commit_blocks: 10 * MINUTES, reveal_blocks: 5 * MINUTES };
	/// Priority: 3 nodes, 2 minutes to commit, 2 to reveal.
	pub const PriorityPolicy: UrgencyPolicy<BlockNumber> = UrgencyPolicy { assignees: 3, commit_blocks: 2 * MINUTES, reveal_blocks: 2 * MINUTES };
	/// Emergency: 5 nodes (a quorum survives two no-shows), 1 minute each.
	pub const EmergencyPolicy: UrgencyPolicy<BlockNumber> = UrgencyPolicy { assignees: 5, commit_blocks: MINUTES, reveal_blocks: MINUTES };
	pub const DepinEpochLength: BlockNumber = HOURS;
	pub const DepinEpochsPerMonth: u32 = 30 * 24;
	pub const DepinUnbondingPeriod: BlockNumber = 7 * DAYS;
	pub const NoShowSlash: Perbill = Perbill::from_percent(1);
	pub const MinoritySlash: Perbill = Perbill::from_percent(5);
	pub const SpotCheckSlash: Perbill = Perbill::from_percent(20);
	pub const SpotCheckRate: Perbill = Perbill::from_percent(10);
}

impl pallet_depin_registry::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = NativeCurrency;
	type Randomness = RelayChainRandomness;
	// Root until the governance issue brings referenda.
	type ModelOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	// Patient rewards will react to verified check-ups here.
	type OnTaskVerified = ();
	type PalletId = DepinPalletId;
	type RewardPot = DepinRewardPot;
	type Tiers = DepinTiers;
	type RoutinePolicy = RoutinePolicy;
	type PriorityPolicy = PriorityPolicy;
	type EmergencyPolicy = EmergencyPolicy;
	type EpochLength = DepinEpochLength;
	type EpochsPerMonth = DepinEpochsPerMonth;
	type UnbondingPeriod = DepinUnbondingPeriod;
	// A tier-1 reference card: 300 images per minute at 300 W.
	type ReferenceScorePerKilowatt = frame_support::traits::ConstU32<1_000>;
	type NoShowSlash = NoShowSlash;
	type MinoritySlash = MinoritySlash;
	type SpotCheckSlash = SpotCheckSlash;
	type SpotCheckRate = SpotCheckRate;
	type MaxConsecutiveFailures = frame_support::traits::ConstU32<5>;
	type SuspensionEpochs = frame_support::traits::ConstU32<24>;
	type MaxAttempts = frame_support::traits::ConstU32<2>;
	type MaxNodes = frame_support::traits::ConstU32<256>;
	type MaxNodesPerOperator = frame_support::traits::ConstU32<16>;
	type MaxOpenTasksPerNode = frame_support::traits::ConstU32<64>;
	type MaxAssignees = frame_support::traits::ConstU32<5>;
	type MaxDeadlinesPerBlock = frame_support::traits::ConstU32<64>;
	type MaxUriLength = frame_support::traits::ConstU32<256>;
	type WeightInfo = crate::weights::pallet_depin_registry::WeightInfo<Runtime>;
}
