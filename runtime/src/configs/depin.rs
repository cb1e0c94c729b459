//! The DePIN compute layer: BTT's registry of compute nodes, diagnostic tasks and their
//! verification (`pallet-depin-registry`), and the relay-chain randomness its spot checks are
//! drawn from.

use super::system::RELAY_PARENT_OFFSET;
use super::MAXIMUM_BLOCK_WEIGHT;
use crate::{
	AccountId, Balance, Balances, BlockNumber, DepinRegistry, Runtime, RuntimeHoldReason,
	Signature, DAYS, HOURS, MINUTES, UNITS,
};
use btt_primitives::currency::deposit;
use cumulus_pallet_parachain_system::{relay_state_snapshot::RelayChainStateProof, OnSystemEvent};
use cumulus_primitives_core::{relay_chain::well_known_keys, PersistedValidationData};
use frame_support::{parameter_types, weights::Weight, PalletId};
use pallet_depin_registry::{TierParams, UrgencyPolicy};
use parachains_common::AVERAGE_ON_INITIALIZE_RATIO;
use sp_core::H256;
use sp_runtime::{traits::AccountIdConversion, Perbill};

use super::tokenization::{NativeAndAssets, NativeCurrency};

/// Gives the DePIN registry the relay chain's randomness of every block: the BABE VRF output
/// of the relay parent (`Babe::AuthorVrfRandomness`), read from the relay state proof that
/// parachain-system has just verified, with the relay parent's number as its source.
///
/// Nothing else is given: neither the previous relay epoch's randomness (known an epoch
/// ahead) nor a parachain block hash (known to the collator). Where the proof lacks the VRF
/// output, the registry keeps the older value, and draws that need a newer one wait. The
/// collator includes the key in the proof by default. A development chain, whose mocked relay
/// chain has no VRF, uses the registry's `dev_randomness` genesis flag instead.
pub struct RelayRandomnessToDepin;

impl OnSystemEvent for RelayRandomnessToDepin {
	fn on_validation_data(_: &PersistedValidationData) {}

	fn on_validation_code_applied() {}

	fn on_relay_state_proof(proof: &RelayChainStateProof) -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let vrf = proof
			.read_optional_entry::<Option<[u8; 32]>>(well_known_keys::CURRENT_BLOCK_RANDOMNESS)
			.ok()
			.flatten()
			.flatten();
		// parachain-system stores the validation data before it hands out the proof.
		let relay_parent = cumulus_pallet_parachain_system::ValidationData::<Runtime>::get()
			.map(|data| data.relay_parent_number);
		if let (Some(vrf), Some(source)) = (vrf, relay_parent) {
			DepinRegistry::note_randomness(source, H256(vrf));
			return db.reads_writes(2, 1);
		}
		db.reads(1)
	}
}

/// Signs node-key proofs in the benchmarks with a key generated in the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct DepinBenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_depin_registry::benchmarking::BenchmarkHelper<AccountId, Signature>
	for DepinBenchmarkKeys
{
	fn node_key(index: u32) -> AccountId {
		use sp_runtime::traits::IdentifyAccount;
		let seed = alloc::format!("//btt-bench-node-{index}").into_bytes();
		let public =
			sp_io::crypto::sr25519_generate(sp_core::crypto::KeyTypeId(*b"bttn"), Some(seed));
		sp_runtime::MultiSigner::Sr25519(public).into_account()
	}

	fn sign(node_key: &AccountId, message: &[u8]) -> Signature {
		let public = sp_core::sr25519::Public::from_raw(*AsRef::<[u8; 32]>::as_ref(node_key));
		sp_io::crypto::sr25519_sign(sp_core::crypto::KeyTypeId(*b"bttn"), &public, message)
			.map(Signature::Sr25519)
			.unwrap_or_else(|| Signature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64])))
	}
}

parameter_types! {
	pub const DepinPalletId: PalletId = PalletId(*b"btt/depn");
	/// Pays epoch rewards, receives slashed stake; the treasury and anyone else may fund it.
	pub DepinRewardPot: AccountId = PalletId(*b"btt/dpot").into_account_truncating();
	/// The seeds' node tiers: hardware, least stake, monthly rewards (750–1,500, 1,400–3,200,
	/// 3,000–7,500 and 6,500–15,000 BTT) and tasks per day (50, 100, 250 and 600 at the low
	/// end: the work at which a node is paid its tier's full range).
	pub const DepinTiers: [TierParams<Balance>; 4] = [
		TierParams { min_gpu_memory_gb: 8, min_benchmark_score: 50, min_stake: 1_000 * UNITS, monthly_reward_low: 750 * UNITS, monthly_reward_high: 1_500 * UNITS, routing_weight: 1, min_tasks_per_day: 50 },
		TierParams { min_gpu_memory_gb: 16, min_benchmark_score: 100, min_stake: 2_500 * UNITS, monthly_reward_low: 1_400 * UNITS, monthly_reward_high: 3_200 * UNITS, routing_weight: 2, min_tasks_per_day: 100 },
		TierParams { min_gpu_memory_gb: 32, min_benchmark_score: 250, min_stake: 5_000 * UNITS, monthly_reward_low: 3_000 * UNITS, monthly_reward_high: 7_500 * UNITS, routing_weight: 3, min_tasks_per_day: 250 },
		TierParams { min_gpu_memory_gb: 64, min_benchmark_score: 600, min_stake: 10_000 * UNITS, monthly_reward_low: 6_500 * UNITS, monthly_reward_high: 15_000 * UNITS, routing_weight: 4, min_tasks_per_day: 600 },
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
	/// A parachain block's relay parent lags the relay tip by at most the relay parent offset
	/// plus the async-backing ancestry the relay chain accepts (3); the spot-check draw waits
	/// for a relay block one newer than that.
	pub const RandomnessDelay: u32 = RELAY_PARENT_OFFSET + 4;
	/// An hour for auditors to open their seals.
	pub const AuditWindow: BlockNumber = HOURS;
	/// Reimbursed challenge fees per epoch, at most.
	pub const ChallengeBudget: Balance = 1_000 * UNITS;
	/// Inputs up to 64 MiB (a large multi-frame DICOM), 10 s an attempt, retries after 1, 2, 4,
	/// then every 8 s, until 4 blocks (24 s) before the commit deadline: time for a last attempt
	/// and the commitment; the shortest commit phase (Emergency, a minute) still gets three.
	pub const DepinInputPolicy: btt_primitives::depin::InputPolicy = btt_primitives::depin::InputPolicy {
		max_input_bytes: 64 * 1024 * 1024,
		attempt_timeout_ms: 10_000,
		first_retry_pause_ms: 1_000,
		max_retry_pause_ms: 8_000,
		give_up_blocks_before_deadline: 4,
	};
	/// A task and its concluded record: about 1.2 KB of storage together.
	pub const TaskDeposit: Balance = deposit(2, 1_200);
	/// A day before a concluded record may be removed and its deposit returned.
	pub const ResultRetention: BlockNumber = DAYS;
	/// The hooks get the share of a block the runtime sets aside for initialization.
	pub DepinHookWeight: Weight = AVERAGE_ON_INITIALIZE_RATIO * MAXIMUM_BLOCK_WEIGHT;
}

impl pallet_depin_registry::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = NativeCurrency;
	type NodeKeySignature = Signature;
	// Root or the clinical-models track.
	type ModelOrigin = super::ClinicalModelsAdmin;
	type AdminOrigin = super::ClinicalModelsAdmin;
	type AuditorOrigin = super::ClinicalModelsAdmin;
	// Patient rewards will react to verified check-ups here.
	// PayFi escrows waiting for a diagnosis (O(1) per report, weighed by the registry).
	// One fan-out: PayFi releases escrows waiting for the task, patient rewards lets the
	// clinic's checkups cite it as evidence.
	type OnTaskVerified = (crate::Payfi, crate::PatientRewards);
	type PalletId = DepinPalletId;
	type RewardPot = DepinRewardPot;
	type Tiers = DepinTiers;
	type RoutinePolicy = RoutinePolicy;
	type PriorityPolicy = PriorityPolicy;
	type EmergencyPolicy = EmergencyPolicy;
	type EpochLength = DepinEpochLength;
	type EpochsPerMonth = DepinEpochsPerMonth;
	type BlocksPerDay = frame_support::traits::ConstU32<DAYS>;
	type UnbondingPeriod = DepinUnbondingPeriod;
	type NoShowSlash = NoShowSlash;
	type MinoritySlash = MinoritySlash;
	type SpotCheckSlash = SpotCheckSlash;
	type SpotCheckRate = SpotCheckRate;
	type RandomnessDelay = RandomnessDelay;
	type AuditWindow = AuditWindow;
	type ChallengeBudget = ChallengeBudget;
	type InputPolicy = DepinInputPolicy;
	type TaskDeposit = TaskDeposit;
	type ResultRetention = ResultRetention;
	type MaxConsecutiveFailures = frame_support::traits::ConstU32<5>;
	type SuspensionEpochs = frame_support::traits::ConstU32<24>;
	type MaxAttempts = frame_support::traits::ConstU32<2>;
	type MaxNodes = frame_support::traits::ConstU32<256>;
	type MaxNodesPerOperator = frame_support::traits::ConstU32<16>;
	type MaxOpenTasksPerNode = frame_support::traits::ConstU32<64>;
	type MaxAssignees = frame_support::traits::ConstU32<5>;
	type MaxDeadlinesPerBlock = frame_support::traits::ConstU32<64>;
	type MaxUriLength = frame_support::traits::ConstU32<256>;
	type MaxOpenTasksPerClinic = frame_support::traits::ConstU32<64>;
	type MaxFeeCurrencies = frame_support::traits::ConstU32<8>;
	type MaxAuditors = frame_support::traits::ConstU32<16>;
	type MaxHookWeight = DepinHookWeight;
	type WeightInfo = crate::weights::pallet_depin_registry::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = DepinBenchmarkKeys;
}
