//! The records the pallet stores and the values its calls take.

use crate::Config;
use btt_primitives::depin::{
	Diagnosis, DiagnosticModule, Findings, InputFault, ModelId, ModuleSet, Region, TaskId, Tier,
	Urgency,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible, fungibles},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{FixedU64, Perbill, Permill};

/// The native balance type (BTT): stakes, rewards, and the unit of every fee currency.
pub type BalanceOf<T> = <<T as Config>::NativeBalance as fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// A currency task fees are paid in: BTT or a pallet-assets asset (a stablecoin).
pub type CurrencyOf<T> = <<T as Config>::Currencies as fungibles::Inspect<
	<T as frame_system::Config>::AccountId,
>>::AssetId;

/// A node record of the runtime `T`.
pub type NodeOf<T> = Node<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A routing entry of the runtime `T`.
pub type RoutingEntryOf<T> = RoutingEntry<<T as frame_system::Config>::AccountId>;

/// The routing table of the runtime `T`: every node that may receive tasks.
pub type RoutingTableOf<T> = BoundedVec<RoutingEntryOf<T>, <T as Config>::MaxNodes>;

/// An open task of the runtime `T`.
pub type TaskOf<T> = Task<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	CurrencyOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxAssignees,
	<T as Config>::MaxUriLength,
>;

/// An assignee of a task of the runtime `T`.
pub type AssignmentOf<T> = Assignment<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// The assignees of a task of the runtime `T`.
pub type AssigneesOf<T> = BoundedVec<AssignmentOf<T>, <T as Config>::MaxAssignees>;

/// The outcome of a concluded task of the runtime `T`.
pub type TaskResultOf<T> = TaskResult<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxAssignees,
>;

/// The stored record of a concluded task of the runtime `T`.
pub type ConcludedOf<T> = Concluded<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxAssignees,
>;

/// An epoch: `EpochLength` blocks. Nodes send one heartbeat per epoch and earn one epoch reward.
pub type Epoch = u32;

/// What a node declares about its hardware: it must meet the tier the node claims, and admits
/// it to that tier; nothing declared here raises its efficiency or its reward.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Hardware {
	/// GPU memory in GB (summed over GPUs for tiers 3 and 4).
	pub gpu_memory_gb: u32,
	/// The node's score on the reference diagnostic benchmark (images per minute).
	pub benchmark_score: u32,
	/// Power drawn under the benchmark, in watts (informational: energy cannot be observed on
	/// chain, so efficiency uses the tier's reference draw instead).
	pub power_watts: u32,
}

/// One row of the seeds' tier table: what a tier requires and what it earns.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct TierParams<Balance> {
	/// Least declared GPU memory, in GB.
	pub min_gpu_memory_gb: u32,
	/// Least benchmark score.
	pub min_benchmark_score: u32,
	/// Least stake held while the node is registered.
	pub min_stake: Balance,
	/// Monthly reward of a node of this tier with efficiency 0 (the table's low end).
	pub monthly_reward_low: Balance,
	/// Monthly reward of a node of this tier with efficiency 1 or more (the table's high end).
	pub monthly_reward_high: Balance,
	/// Relative weight in routing: higher tiers receive more tasks.
	pub routing_weight: u32,
	/// The low end of the tier's tasks per day in the seeds' table: the throughput the node's
	/// measured commit latency is held against, and the work at which the epoch reward is full.
	pub min_tasks_per_day: u32,
}

/// Deadlines and redundancy of one urgency class.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct UrgencyPolicy<BlockNumber> {
	/// How many nodes (of distinct operators) compute each task: k.
	pub assignees: u32,
	/// Blocks after assignment by which every assignee must have committed.
	pub commit_blocks: BlockNumber,
	/// Blocks after the commit phase by which every assignee must have revealed.
	pub reveal_blocks: BlockNumber,
}

/// The weights α and β of the confidence formula for one module (α + β ≤ 1).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ConfidenceWeights {
	/// α: weight of image quality × model confidence.
	pub alpha: Permill,
	/// β: weight of agreement × certainty.
	pub beta: Permill,
}

impl Default for ConfidenceWeights {
	fn default() -> Self {
		Self { alpha: Permill::from_percent(60), beta: Permill::from_percent(40) }
	}
}

/// Whether a node can receive tasks.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum NodeStatus<BlockNumber> {
	/// In the routing table; receives tasks while its heartbeats are current.
	Active,
	/// Out of routing after repeated failures or with its stake below the tier minimum; a
	/// heartbeat from `until` on, with enough stake, reactivates it.
	Suspended { until: Epoch },
	/// Deregistered: out of routing at once; it finishes its open tasks, and its stake stays
	/// held (and slashable) until `unlocks_at` and until its tasks and reviews are done.
	Unbonding { unlocks_at: BlockNumber },
}

impl<BlockNumber> NodeStatus<BlockNumber> {
	/// Whether the node was deregistered and waits for its stake to unlock.
	pub fn is_unbonding(&self) -> bool {
		matches!(self, Self::Unbonding { .. })
	}
}

/// The evidence a node's efficiency is computed from.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct NodeRecord {
	/// The epoch of registration.
	pub registered_epoch: Epoch,
	/// The epoch of the latest heartbeat (registration counts as one).
	pub last_heartbeat: Epoch,
	/// Epochs with a heartbeat.
	pub heartbeats: u32,
	/// Assignments concluded (the node's T_all).
	pub tasks_concluded: u32,
	/// Assignments in which the node was with the accepted quorum (T_ok).
	pub tasks_ok: u32,
	/// Failures (no-show, minority, overturned by a spot check) since the last success.
	pub consecutive_failures: u32,
	/// The epoch whose reward was paid last, if any.
	pub last_rewarded: Option<Epoch>,
	/// Challenge tasks whose sealed answer the node's reveal matched.
	pub challenges_passed: u32,
	/// Challenge tasks whose sealed answer the node missed (another answer, or none).
	pub challenges_failed: u32,
	/// Blocks from assignment to commitment, summed over the node's verified assignments.
	pub commit_latency: u64,
	/// How many verified assignments `commit_latency` sums.
	pub latency_samples: u32,
	/// Tasks in which the node disputed the input alone: it reported an input fault the quorum
	/// did not see, or diagnosed an input the quorum found faulty. Unpaid, unslashed, counted
	/// as not ok in `T_ok / T_all`.
	pub input_disputes: u32,
	/// Verified work in the latest epochs: what the epoch reward pays for.
	pub work: WorkLog,
}

/// How many verified assignments a node completed in its two latest epochs with work.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct WorkLog {
	/// The latest epoch with verified work.
	pub epoch: Epoch,
	/// Verified assignments concluded in `epoch`.
	pub tasks: u32,
	/// Verified assignments concluded in `epoch - 1`.
	pub previous: u32,
}

impl WorkLog {
	/// Counts one verified assignment concluded in `epoch`.
	pub fn record(&mut self, epoch: Epoch) {
		if epoch == self.epoch {
			self.tasks = self.tasks.saturating_add(1);
			return;
		}
		self.previous = if epoch == self.epoch.saturating_add(1) { self.tasks } else { 0 };
		self.epoch = epoch;
		self.tasks = 1;
	}

	/// Verified assignments concluded in `epoch` (0 if it is older than the log).
	pub fn in_epoch(&self, epoch: Epoch) -> u32 {
		if epoch == self.epoch {
			self.tasks
		} else if epoch.saturating_add(1) == self.epoch {
			self.previous
		} else {
			0
		}
	}
}

/// A registered compute node, keyed by its node key.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Node<AccountId, Balance, BlockNumber> {
	/// The operator: holds the stake and receives fees and rewards.
	pub operator: AccountId,
	/// The tier the node registered in.
	pub tier: Tier,
	/// The declared hardware.
	pub hardware: Hardware,
	/// Where the node runs.
	pub region: Region,
	/// The diagnostic modules it runs.
	pub modules: ModuleSet,
	/// Stake held from the operator for this node.
	pub stake: Balance,
	/// Whether it can receive tasks.
	pub status: NodeStatus<BlockNumber>,
	/// Open tasks assigned to it.
	pub open_tasks: u32,
	/// Verified results in whose quorum it is that still await a spot-check draw or a spot
	/// check: its stake cannot be withdrawn before they settle.
	pub pending_reviews: u32,
	/// Its stake stays slashable at least until this block: the end of the audit window of the
	/// latest task it took part in.
	pub review_until: BlockNumber,
	/// The evidence behind its efficiency.
	pub record: NodeRecord,
}

/// What routing needs of an active node, kept in one bounded table so that assigning a task
/// reads one storage value, not one per node.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RoutingEntry<AccountId> {
	/// The node key.
	pub node: AccountId,
	/// Its operator: no task has two nodes of one operator.
	pub operator: AccountId,
	/// Its tier.
	pub tier: Tier,
	/// Its region.
	pub region: Region,
	/// Its modules.
	pub modules: ModuleSet,
	/// Its open tasks.
	pub load: u32,
	/// Its efficiency E, as last updated.
	pub efficiency: FixedU64,
	/// The epoch of its latest heartbeat.
	pub last_heartbeat: Epoch,
}

/// Whether a model may be named by new tasks.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ModelStatus {
	/// New tasks may name it.
	Active,
	/// Retired: new tasks are refused; open ones finish.
	Retired,
}

/// A registered diagnostic model.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Model<BlockNumber> {
	/// The module it serves.
	pub module: DiagnosticModule,
	/// Its version, as its publisher numbers it.
	pub version: u32,
	/// The quantization scheme its outputs are encoded with (see `docs/worker.md`).
	pub quantization: u16,
	/// Whether tasks may name it.
	pub status: ModelStatus,
	/// When it was registered.
	pub registered_at: BlockNumber,
}

/// What a clinic asks for when it posts a task.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxUri))]
pub struct TaskSpec<MaxUri: Get<u32>> {
	/// The diagnostic module.
	pub module: DiagnosticModule,
	/// The model, by the hash of its safetensors file.
	pub model: ModelId,
	/// Hash (blake2-256) of the image bytes.
	pub input_hash: H256,
	/// Where workers fetch the image (`https://…`, `file://…`); never the image itself, never
	/// a patient identifier.
	pub input_uri: BoundedVec<u8, MaxUri>,
	/// How urgent it is.
	pub urgency: Urgency,
	/// The lowest tier that may compute it.
	pub min_tier: Tier,
	/// A preferred region, if any (preferred, not required).
	pub region: Option<Region>,
	/// 32 bytes the poster chooses and nobody else reads: a clinic puts a hash of its own order
	/// reference (or random bytes), an auditor the seal of a challenge's expected answer
	/// ([`btt_primitives::depin::challenge_seal`]). It makes challenge tasks look like any other.
	pub reference: H256,
}

/// An assignment round's deadlines, fixed when the round opens.
///
/// Assignees commit until `commit_until` (or until all have committed), then reveal until
/// `reveal_until`; the round ends at `reveal_until` at the latest, so each round queues one
/// deadline and no phase change ever needs a slot of its own.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Round<BlockNumber> {
	/// When the round's assignees were drawn.
	pub assigned_at: BlockNumber,
	/// Commitments are accepted before this block.
	pub commit_until: BlockNumber,
	/// Reveals are accepted before this block; the round is concluded at it.
	pub reveal_until: BlockNumber,
}

/// Where an open task stands at a block (derived from its round and its commitments).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum TaskPhase<BlockNumber> {
	/// Assignees commit until `deadline`.
	Commit { deadline: BlockNumber },
	/// Assignees reveal until `deadline`.
	Reveal { deadline: BlockNumber },
}

/// One assignee of a task and what it submitted.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Assignment<AccountId, BlockNumber> {
	/// The node key.
	pub node: AccountId,
	/// Its operator.
	pub operator: AccountId,
	/// Its commitment, once submitted.
	pub commitment: Option<H256>,
	/// The block of its commitment (its latency is measured from the round's assignment).
	pub committed_at: Option<BlockNumber>,
	/// Its revealed diagnosis, once revealed.
	pub reveal: Option<Diagnosis>,
}

/// An open task.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxAssignees, MaxUri))]
pub struct Task<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	Currency: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxAssignees: Get<u32>,
	MaxUri: Get<u32>,
> {
	/// Who posted it (the pallet account for spot checks).
	pub clinic: AccountId,
	/// What the clinic asked for: module, model, input, urgency, minimum tier, region.
	pub spec: TaskSpec<MaxUri>,
	/// The fee currency.
	pub currency: Currency,
	/// The fee held in escrow (zero for spot checks).
	pub fee: Balance,
	/// The posting deposit held from the clinic until the task's result is removed.
	pub deposit: Balance,
	/// When it was posted.
	pub posted_at: BlockNumber,
	/// Assignment round, from 1; a round without a quorum may be reassigned.
	pub attempt: u32,
	/// The current round's deadlines.
	pub round: Round<BlockNumber>,
	/// The assignees of the current round.
	pub assignees: BoundedVec<Assignment<AccountId, BlockNumber>, MaxAssignees>,
	/// Set on a spot check: the accepted task it re-executes.
	pub spot_check_of: Option<TaskId>,
}

impl<AccountId, Balance, Currency, BlockNumber, MaxAssignees, MaxUri>
	Task<AccountId, Balance, Currency, BlockNumber, MaxAssignees, MaxUri>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	Currency: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Copy + PartialOrd + Eq + core::fmt::Debug,
	MaxAssignees: Get<u32>,
	MaxUri: Get<u32>,
{
	/// Whether every assignee has committed.
	pub fn all_committed(&self) -> bool {
		self.assignees.iter().all(|assignee| assignee.commitment.is_some())
	}

	/// The phase at block `now`: commitments until `commit_until` (or until every assignee has
	/// committed), then reveals until `reveal_until`.
	pub fn phase(&self, now: BlockNumber) -> TaskPhase<BlockNumber> {
		if now < self.round.commit_until && !self.all_committed() {
			TaskPhase::Commit { deadline: self.round.commit_until }
		} else {
			TaskPhase::Reveal { deadline: self.round.reveal_until }
		}
	}
}

/// Why a task ended without a verified result.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum FailureReason {
	/// No quorum of equal reveals in the last round.
	NoQuorum,
	/// Not enough eligible nodes for another round.
	NoEligibleNodes,
	/// A quorum of the assignees did not have the task's model
	/// ([`btt_primitives::depin::InputFault::ModelUnavailable`]) in the last round.
	ModelUnavailable,
	/// Every block a new round could end in had its deadline queue full.
	Congested,
}

/// Where the review of a verified result stands: the spot-check draw, then the spot check.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Review {
	/// Waiting for randomness that did not exist when the reveal phase closed.
	AwaitingDraw,
	/// Being re-executed by the spot check with this id.
	SpotCheck(TaskId),
	/// Not drawn, or the spot check passed, overturned it, was skipped or was inconclusive.
	Settled,
}

/// How a concluded task ended.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxAssignees))]
pub enum TaskResult<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxAssignees: Get<u32>,
> {
	/// A quorum agreed.
	Verified {
		/// The module.
		module: DiagnosticModule,
		/// The accepted findings.
		findings: Findings,
		/// Diagnostic confidence C.
		confidence: Permill,
		/// Agreement P: agreeing assignees over all assignees.
		agreement: Permill,
		/// The nodes whose reveals formed the quorum.
		quorum: BoundedVec<AccountId, MaxAssignees>,
		/// When it was verified.
		verified_at: BlockNumber,
		/// Its spot-check draw and spot check.
		review: Review,
		/// Whether a spot check or a challenge's sealed answer later disagreed (the quorum
		/// was slashed).
		overturned: bool,
	},
	/// It ended without a verified result; the fee was refunded.
	Failed { reason: FailureReason, failed_at: BlockNumber },
}

/// What one assignee revealed, kept with a concluded task for its audit.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RevealRecord<AccountId> {
	/// The node key.
	pub node: AccountId,
	/// Its operator.
	pub operator: AccountId,
	/// blake2-256 of the findings it revealed; `None` if it revealed nothing.
	pub findings: Option<H256>,
}

/// A concluded task: its outcome and what its audit and its removal need.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxAssignees))]
pub struct Concluded<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxAssignees: Get<u32>,
> {
	/// Who posted it (the pallet's escrow account for spot checks).
	pub clinic: AccountId,
	/// The posting deposit held from the clinic until the record is removed.
	pub deposit: Balance,
	/// The fee it was posted with (an auditor is reimbursed it from the reward pot).
	pub fee: Balance,
	/// The model and input it named (a challenge's seal binds both).
	pub model: ModelId,
	/// The input's hash.
	pub input_hash: H256,
	/// The poster's reference: a clinic's own, or an auditor's seal.
	pub reference: H256,
	/// When it concluded.
	pub concluded_at: BlockNumber,
	/// What each assignee of the last round revealed.
	pub reveals: BoundedVec<RevealRecord<AccountId>, MaxAssignees>,
	/// Whether an auditor opened a seal on it.
	pub audited: bool,
	/// How it ended.
	pub outcome: TaskResult<AccountId, BlockNumber, MaxAssignees>,
}

/// The newest randomness the pallet was given, and where it comes from.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RandomSeed {
	/// The number of the block that produced it (a relay-chain block in the runtime; a
	/// parachain block on a development chain).
	pub source: u32,
	/// The random value.
	pub value: H256,
}

/// A verified task waiting for its spot-check draw.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxUri))]
pub struct PendingDraw<MaxUri: Get<u32>> {
	/// The verified task.
	pub task: TaskId,
	/// The draw uses a [`RandomSeed`] whose `source` is at least this: one produced after the
	/// task's reveal phase closed.
	pub source_from: u32,
	/// What the task asked for: a spot check re-executes it.
	pub spec: TaskSpec<MaxUri>,
}

/// A pending spot-check draw of the runtime `T`.
pub type PendingDrawOf<T> = PendingDraw<<T as Config>::MaxUriLength>;

/// What an auditor's opened seal showed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ChallengeOutcome {
	/// The accepted findings are the sealed answer.
	Passed,
	/// They are not: the quorum was slashed.
	Failed,
	/// The task ended with an input fault or without a result: it measures nobody.
	Void,
}

/// Where a task stands, for clients (runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum TaskStatus<BlockNumber> {
	/// No such task.
	Unknown,
	/// Assignees are committing until `deadline`.
	Committing { deadline: BlockNumber, committed: u32, assignees: u32 },
	/// Assignees are revealing until `deadline`.
	Revealing { deadline: BlockNumber, revealed: u32, assignees: u32 },
	/// Verified with confidence C; `overturned` if a spot check disagreed later.
	Verified { confidence: Permill, overturned: bool },
	/// A quorum found the clinic's input unusable; the fee paid the nodes that checked it.
	/// `overturned` if a spot check disagreed later.
	Rejected { fault: InputFault, overturned: bool },
	/// Ended without a result; the fee was refunded.
	Failed { reason: FailureReason },
}

/// Why a node was penalized.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Offence {
	/// It did not commit, or did not reveal (or revealed something that does not match).
	NoShow,
	/// Its reveal disagreed with the accepted quorum.
	Minority,
	/// It was in a quorum that a spot check contradicted.
	OverturnedBySpotCheck,
	/// It committed but did not reveal (or revealed something that does not open its
	/// commitment): slashed like a minority, so that withholding never pays better.
	Withheld,
	/// It was in a quorum whose result a challenge's sealed answer contradicted.
	FailedChallenge,
}

/// A node's state for clients (runtime API): the record plus what follows from it now.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NodeView<AccountId, Balance, BlockNumber> {
	/// The operator.
	pub operator: AccountId,
	/// Tier, hardware, region and modules.
	pub tier: Tier,
	pub hardware: Hardware,
	pub region: Region,
	pub modules: ModuleSet,
	/// Stake held.
	pub stake: Balance,
	/// The stored status.
	pub status: NodeStatus<BlockNumber>,
	/// Whether it would receive a task now (active, heartbeat current, stake enough).
	pub routable: bool,
	/// Open tasks.
	pub open_tasks: u32,
	/// Results under review whose quorum it is in (its stake cannot be withdrawn meanwhile).
	pub pending_reviews: u32,
	/// Its stake stays slashable at least until this block.
	pub review_until: BlockNumber,
	/// The evidence.
	pub record: NodeRecord,
	/// Efficiency E now.
	pub efficiency: FixedU64,
}

/// Fractions of a node's stake slashed per offence.
pub fn slash_fraction<T: Config>(offence: Offence) -> Perbill {
	match offence {
		Offence::NoShow => T::NoShowSlash::get(),
		Offence::Minority => T::MinoritySlash::get(),
		Offence::OverturnedBySpotCheck | Offence::FailedChallenge => T::SpotCheckSlash::get(),
		Offence::Withheld => T::MinoritySlash::get(),
	}
}
