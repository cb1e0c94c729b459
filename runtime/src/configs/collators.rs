//! Collators: block authorship, Aura, sessions, pallet-staking (bonds, nominations, era
//! rewards, slashes) and the validator-scoring election that picks the collators by
//! `V = 0.4·S + 0.35·H + 0.25·C` (`docs/pallets/validator-scoring.md`).
//!
//! Sessions rotate every [`DEFAULT_SESSION_BLOCKS`] (a development genesis shortens them);
//! every [`SESSIONS_PER_ERA`] sessions staking opens an era, asks validator-scoring for the
//! next set and pays the ended era's [`ERA_PAYOUT`] through `payout_stakers`.

use crate::{
	AccountId, Aura, Balance, Balances, BlockNumber, Historical, Runtime, RuntimeHoldReason,
	Session, SessionKeys, Staking, Timestamp, ValidatorScoring, HOURS, SLOT_DURATION, UNITS,
};
use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU32, ConstU64, Nothing},
};
use pallet_session::historical::NoteHistoricalRoot;
use pallet_validator_scoring::{ObserveSessions, SessionBlocks};
use sp_runtime::{traits::ConvertInto, Perbill};

/// The most collators a session has (staking's `MaxValidatorSet`, Aura's `MaxAuthorities`,
/// the election's winners).
pub const MAX_COLLATORS: u32 = 100;

/// The most nominators staking keeps (and its benchmarks use).
pub const MAX_NOMINATORS: u32 = 1_024;

/// Blocks per session on a live chain: an hour.
pub const DEFAULT_SESSION_BLOCKS: BlockNumber = HOURS;

/// Sessions per era: the collator set is re-elected every six hours.
pub const SESSIONS_PER_ERA: u32 = 6;

/// What an era pays its collators and their nominators, minted (`docs/pallets/validator-scoring.md`
/// "Rewards"): 1,000 BTT, 4,000 a day.
pub const ERA_PAYOUT: Balance = 1_000 * UNITS;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	// Staking's era points: 20 per authored block.
	type EventHandler = (Staking,);
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = crate::AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_COLLATORS>;
	type AllowMultipleBlocksPerSlot = ConstBool<true>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

/// Sessions of [`SessionBlocks`] blocks from block 0.
type Sessions = pallet_session::PeriodicSessions<SessionBlocks<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ValidatorId = AccountId;
	// Collators are staking stashes (staking 50 has no separate controller).
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	// Staking chooses the sets (through validator-scoring's election); the historical pallet
	// keeps each session's root for offences; validator-scoring watches the slots.
	type SessionManager = ObserveSessions<Runtime, NoteHistoricalRoot<Runtime, Staking>>;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// Aura has no disabling: an offending collator keeps its slots until the next election.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

/// Each era pays [`ERA_PAYOUT`] to its collators and nominators, whatever the stake.
pub struct FixedEraPayout;

impl sp_staking::EraPayout<Balance> for FixedEraPayout {
	fn era_payout(_staked: Balance, _issuance: Balance, _era_millis: u64) -> (Balance, Balance) {
		(ERA_PAYOUT, 0)
	}
}

parameter_types! {
	pub const SessionsPerEra: u32 = SESSIONS_PER_ERA;
	/// Eras a bond stays locked after `unbond`: a week.
	pub const BondingDuration: u32 = 28;
	/// Eras a slash waits before it applies, for governance to cancel it: a day less than
	/// the bonding duration, so that a slashed bond cannot leave first.
	pub const SlashDeferDuration: u32 = 27;
	pub const MaxExposurePageSize: u32 = 512;
}

/// How many validators and nominators staking's benchmarks use.
pub struct StakingBenchmarkingConfig;

impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = ConstU32<MAX_COLLATORS>;
	type MaxNominators = ConstU32<MAX_NOMINATORS>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurrencyBalance = Balance;
	type UnixTime = Timestamp;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = ValidatorScoring;
	type GenesisElectionProvider = ValidatorScoring;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = ConstU32<84>;
	// Era rewards are minted; slashes go to the treasury.
	type RewardRemainder = ();
	type RuntimeEvent = crate::RuntimeEvent;
	type Slash = ResolveTo<crate::configs::TreasuryAccount, Balances>;
	type Reward = ();
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	// Root or the staking-admin track: cancels deferred slashes, sets the minimum commission,
	// slashes manually, repairs ledgers (the seat count and staking's configs stay root's).
	type AdminOrigin = super::StakingAdmin;
	type SessionInterface = Self;
	type EraPayout = FixedEraPayout;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = ConstU32<MAX_COLLATORS>;
	// No bags list at this size: staking's own maps, read whole at each election.
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Self>;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	// Validator-scoring forgets a stash's records when it leaves.
	type EventListeners = ValidatorScoring;
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

/// The Aura slot of the block being built, from its pre-runtime digest (validator-scoring runs
/// before Aura in each block, so Aura's own record still holds the previous block's).
pub struct AuraSlot;

impl pallet_validator_scoring::CurrentSlot for AuraSlot {
	fn current_slot() -> Option<u64> {
		frame_system::Pallet::<Runtime>::digest().logs().iter().find_map(|item| {
			item.pre_runtime_try_to::<sp_consensus_aura::Slot>(&sp_consensus_aura::AURA_ENGINE_ID)
				.map(u64::from)
		})
	}
}

/// Chills a repeatedly unresponsive collator through staking.
pub struct ChillThroughStaking;

impl pallet_validator_scoring::ChillCollator<AccountId> for ChillThroughStaking {
	fn chill(who: &AccountId) -> sp_runtime::DispatchResult {
		<Staking as sp_staking::StakingInterface>::chill(who)
	}
}

parameter_types! {
	pub const NewCandidateReliability: Perbill = Perbill::from_percent(50);
	pub const UnratedCompliance: Perbill = Perbill::zero();
	pub const OffenceThreshold: Perbill = Perbill::from_percent(50);
	pub const UnresponsiveSlash: Perbill = Perbill::from_percent(1);
}

impl pallet_validator_scoring::Config for Runtime {
	type DataProvider = Staking;
	type ValidatorSet = Historical;
	type SessionKeys = Session;
	type CurrentSlot = AuraSlot;
	type Offences = Staking;
	type Chill = ChillThroughStaking;
	// Ratings: root or the compliance track; score weights and invulnerables: root or the
	// staking-admin track.
	type ComplianceOrigin = super::ComplianceAdmin;
	type AdminOrigin = super::StakingAdmin;
	type MaxWinners = ConstU32<MAX_COLLATORS>;
	type MaxBackersPerWinner = MaxExposurePageSize;
	type MaxInvulnerables = ConstU32<20>;
	type MaxRatings = ConstU32<200>;
	type MaxAuthorities = ConstU32<MAX_COLLATORS>;
	// `H` looks back an era.
	type ReliabilityWindow = SessionsPerEra;
	type NewCandidateReliability = NewCandidateReliability;
	type UnratedCompliance = UnratedCompliance;
	type OffenceThreshold = OffenceThreshold;
	type MinExpectedSlots = ConstU32<4>;
	type UnresponsiveSlash = UnresponsiveSlash;
	type ChillAfterOffences = ConstU32<3>;
	type DefaultSessionLength = ConstU32<DEFAULT_SESSION_BLOCKS>;
	type WeightInfo = crate::weights::pallet_validator_scoring::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ScoringBenchmarkHelper;
}

/// Sets up validator-scoring's benchmarks on the runtime's staking and session.
#[cfg(feature = "runtime-benchmarks")]
pub struct ScoringBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_scoring::BenchmarkHelper<AccountId> for ScoringBenchmarkHelper {
	const MAX_NOMINATORS: u32 = MAX_NOMINATORS;

	fn register_keys(who: &AccountId) {
		use codec::Encode;
		let seed: [u8; 32] = sp_io::hashing::blake2_256(&who.encode());
		let aura = crate::AuraId::from(sp_core::sr25519::Public::from_raw(seed));
		pallet_session::NextKeys::<Runtime>::insert(who, SessionKeys { aura });
	}

	fn set_seats(seats: u32) {
		pallet_staking::ValidatorCount::<Runtime>::put(seats);
	}

	fn set_validators(validators: &[AccountId], backers: u32) {
		use frame_election_provider_support::ElectionDataProvider;
		use sp_staking::{Exposure, IndividualExposure};
		let era = pallet_staking::ActiveEra::<Runtime>::get().map_or(0, |era| era.index);
		if pallet_staking::ActiveEra::<Runtime>::get().is_none() {
			pallet_staking::ActiveEra::<Runtime>::put(pallet_staking::ActiveEraInfo {
				index: era,
				start: None,
			});
			pallet_staking::ErasStartSessionIndex::<Runtime>::insert(era, 0);
		}
		for (index, who) in validators.iter().enumerate() {
			<Staking as ElectionDataProvider>::add_target(who.clone());
			Self::register_keys(who);
			let own = MIN_COLLATOR_BOND_FOR_BENCHMARKS;
			let others: alloc::vec::Vec<IndividualExposure<AccountId, Balance>> = (0..backers)
				.map(|k| {
					let nominator: AccountId =
						frame_benchmarking::account("backer", k, index as u32);
					<Staking as ElectionDataProvider>::add_voter(
						nominator.clone(),
						NOMINATION_FOR_BENCHMARKS as u64,
						frame_support::BoundedVec::truncate_from(alloc::vec![who.clone()]),
					);
					IndividualExposure { who: nominator, value: NOMINATION_FOR_BENCHMARKS }
				})
				.collect();
			let total = own + NOMINATION_FOR_BENCHMARKS * Balance::from(backers);
			pallet_staking::EraInfo::<Runtime>::set_exposure(
				era,
				who,
				Exposure { total, own, others },
			);
		}
		pallet_session::Validators::<Runtime>::put(validators.to_vec());
	}
}

/// A benchmark collator's own exposure.
#[cfg(feature = "runtime-benchmarks")]
const MIN_COLLATOR_BOND_FOR_BENCHMARKS: Balance = 1_000 * UNITS;

/// A benchmark nominator's bond and exposure.
#[cfg(feature = "runtime-benchmarks")]
const NOMINATION_FOR_BENCHMARKS: Balance = 100 * UNITS;
