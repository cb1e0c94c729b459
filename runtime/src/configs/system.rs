//! Accounts, blocks and the parachain machinery: frame-system, parachain-system, timestamp,
//! parachain-info, Aura's parachain extension and storage weight reclaim.

use crate::{
	AccountId, Aura, Balance, Block, Hash, MessageQueue, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, RuntimeVersion, XcmpQueue, SS58_PREFIX, VERSION,
};
use cumulus_pallet_parachain_system::RelayNumberMonotonicallyIncreases;
use cumulus_primitives_core::AggregateMessageOrigin;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstU32, ConstU64, Contains},
	weights::{
		constants::{BlockExecutionWeight, ExtrinsicBaseWeight, RocksDbWeight},
		Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use parachains_common::{
	AVERAGE_ON_INITIALIZE_RATIO, MAXIMUM_BLOCK_WEIGHT_FOR_ASYNC_BACKING, NORMAL_DISPATCH_RATIO,
};
use polkadot_runtime_common::BlockHashCount;

/// How many relay-chain blocks behind the tip parachain blocks build on.
pub const RELAY_PARENT_OFFSET: u32 = 1;

/// Relay chain slot duration, in milliseconds.
pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6_000;

/// One consistent choice of block cadence under async backing: cores, blocks per relay-chain
/// slot, block time, Aura slot and unincluded segment, derived from the number of cores.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cadence {
	/// Relay-chain cores the parachain occupies (more than one: elastic scaling).
	pub cores: u32,
	/// Parachain blocks per relay-chain slot (`BLOCK_PROCESSING_VELOCITY`): one per core.
	pub velocity: u32,
	/// Milliseconds between parachain blocks: the relay slot over the velocity.
	pub block_millis: u64,
	/// Aura's slot: the relay chain's. With elastic scaling one author builds all of a slot's
	/// blocks (`AllowMultipleBlocksPerSlot`).
	pub slot_millis: u64,
	/// Blocks authored and not yet included: `(3 + RELAY_PARENT_OFFSET) · velocity`.
	pub unincluded_capacity: u32,
}

impl Cadence {
	/// The cadence of `cores` cores.
	pub const fn on_cores(cores: u32) -> Self {
		Self {
			cores,
			velocity: cores,
			block_millis: RELAY_CHAIN_SLOT_DURATION_MILLIS as u64 / cores as u64,
			slot_millis: RELAY_CHAIN_SLOT_DURATION_MILLIS as u64,
			unincluded_capacity: (3 + RELAY_PARENT_OFFSET) * cores,
		}
	}

	/// Whether the parts agree: `velocity` blocks of `block_millis` fill one relay slot, at
	/// most one block per core per relay block, the Aura slot is the relay slot, and the
	/// unincluded segment holds the blocks of the relay parents in flight.
	pub const fn is_consistent(&self) -> bool {
		self.cores >= 1
			&& self.velocity == self.cores
			&& self.block_millis * self.velocity as u64 == RELAY_CHAIN_SLOT_DURATION_MILLIS as u64
			&& self.slot_millis == RELAY_CHAIN_SLOT_DURATION_MILLIS as u64
			&& self.unincluded_capacity >= (2 + RELAY_PARENT_OFFSET) * self.velocity
	}
}

/// 6-second blocks on one core: BTT's cadence.
pub const ONE_CORE: Cadence = Cadence::on_cores(1);

/// 3-second blocks on two cores (elastic scaling; the seeds' "3-second confirmation"). To run
/// it: set [`CADENCE`] to it, and in `btt_primitives::time` `MILLI_SECS_PER_BLOCK` to 3,000 and
/// `SLOT_DURATION` to the relay slot, 6,000 (the assertion below keeps them together); order
/// two cores on the relay chain and start the collators with `--authoring slot-based`. See
/// docs/performance.md, "Block budget".
pub const TWO_CORES: Cadence = Cadence::on_cores(2);

/// The runtime's cadence.
pub const CADENCE: Cadence = ONE_CORE;

const _: () = assert!(CADENCE.is_consistent() && TWO_CORES.is_consistent());
const _: () = assert!(
	CADENCE.block_millis == crate::MILLI_SECS_PER_BLOCK
		&& CADENCE.slot_millis == crate::SLOT_DURATION,
	"the cadence and the time constants disagree"
);

/// Parachain blocks the relay chain accepts per relay parent.
pub const BLOCK_PROCESSING_VELOCITY: u32 = CADENCE.velocity;

/// Blocks that may be authored and not yet included in the relay chain.
pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = CADENCE.unincluded_capacity;

/// The execution a block may use: async backing gives each block 2 s of execution on its core
/// (and the relay chain's proof-of-validity limit), whether one core or several.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = MAXIMUM_BLOCK_WEIGHT_FOR_ASYNC_BACKING;

/// Decides whether a collator may build on a given relay parent (async backing).
pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	RELAY_CHAIN_SLOT_DURATION_MILLIS,
	BLOCK_PROCESSING_VELOCITY,
	UNINCLUDED_SEGMENT_CAPACITY,
>;

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |m| *m = NORMAL_DISPATCH_RATIO * *m)
		.build();
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			// Operational transactions keep room even when normal ones filled the block.
			weights.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	pub const SS58Prefix: u16 = SS58_PREFIX;
	pub const ReservedXcmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	pub const ReservedDmpWeight: Weight = MAXIMUM_BLOCK_WEIGHT.saturating_div(4);
	pub const RelayOrigin: AggregateMessageOrigin = AggregateMessageOrigin::Parent;
}

/// The calls any signed or unsigned origin may dispatch, directly or nested in `utility`,
/// `proxy`, `multisig` or `sudo_as`: all but those into the fractions instance of
/// pallet-assets. Fractions move only through the tokenization pallet, which checks the asset's
/// compliance rules and settles revenue first.
pub struct BaseCallFilter;

impl Contains<RuntimeCall> for BaseCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::FractionAssets(_))
	}
}

#[derive_impl(frame_system::config_preludes::ParaChainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = BaseCallFilter;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type Block = Block;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type OnSetCode = cumulus_pallet_parachain_system::ParachainSetCode<Self>;
	type MaxConsumers = ConstU32<16>;
	type SingleBlockMigrations = crate::Migrations;
}

impl cumulus_pallet_weight_reclaim::Config for Runtime {
	type WeightInfo = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	// Aura's slot checks bound block times; parachain timestamps come from the relay chain.
	type MinimumPeriod = ConstU64<0>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl cumulus_pallet_parachain_system::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// The relay chain's VRF output of every block goes to the DePIN registry's spot checks.
	type OnSystemEvent = super::depin::RelayRandomnessToDepin;
	type SelfParaId = parachain_info::Pallet<Runtime>;
	type OutboundXcmpMessageSource = XcmpQueue;
	type DmpQueue = frame_support::traits::EnqueueWithOrigin<MessageQueue, RelayOrigin>;
	type ReservedDmpWeight = ReservedDmpWeight;
	type XcmpMessageHandler = XcmpQueue;
	type ReservedXcmpWeight = ReservedXcmpWeight;
	type CheckAssociatedRelayNumber = RelayNumberMonotonicallyIncreases;
	type ConsensusHook = ConsensusHook;
	type WeightInfo = cumulus_pallet_parachain_system::weights::SubstrateWeight<Runtime>;
	type RelayParentOffset = ConstU32<RELAY_PARENT_OFFSET>;
	type SchedulingSignatureVerifier = ();
}

impl parachain_info::Config for Runtime {}

impl cumulus_pallet_aura_ext::Config for Runtime {}
