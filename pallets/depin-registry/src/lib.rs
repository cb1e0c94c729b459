//! # DePIN registry pallet
//!
//! The seeds' computational resource orchestration layer: a registry of compute nodes in four
//! tiers that run AI diagnostics on dental radiographs for clinics, tasks routed to them by
//! urgency, hardware, region, load and efficiency, verification of the work by commit–reveal
//! and quorum, and payment of fees and epoch rewards.
//!
//! ## Nodes
//! An operator registers a node key, signed by that key, with a tier, declared hardware,
//! region and modules, and a stake held from the operator ([`Pallet::register_node`]).
//! Declared hardware only admits a node to a tier. The node sends a [`Pallet::heartbeat`] each
//! epoch and is paid for an epoch only if it completed verified work in it: the tier's range
//! scaled by its efficiency E and by the share of the tier's tasks per day it did. E rests on
//! evidence: challenge tasks passed, commit latency, agreement with quorums, availability. A
//! node whose heartbeat is an epoch old receives no tasks. Deregistering
//! ([`Pallet::deregister_node`]) takes the node out of routing at once; it finishes its open
//! tasks, and its stake stays slashable until the unbonding period and its reviews end.
//!
//! ## Tasks and the proof of completed compute
//! 1. A clinic posts a task ([`Pallet::post_task`]): module, model (the hash of its
//!    safetensors file), the hash and URI of the image, urgency, minimum tier, region; the fee
//!    is escrowed in BTT or a stablecoin.
//! 2. The chain assigns it to k nodes of k distinct operators, drawn from on-chain randomness
//!    with weights from tier, region, load and E.
//! 3. Each assignee commits `H(task ‖ model ‖ input ‖ node ‖ diagnosis ‖ salt)`
//!    ([`Pallet::commit_result`]), then reveals the diagnosis and salt
//!    ([`Pallet::reveal_result`]).
//! 4. A strict majority of equal findings verifies the result with confidence C; the fee pays
//!    the quorum; no-shows, withholders and the minority are slashed. Without a quorum the
//!    task is reassigned, then fails with the fee refunded. A random share of verified tasks
//!    is re-executed by nodes of other operators: a contradiction slashes the original quorum.
//!    The draw waits for randomness produced after the reveal phase closed.
//! 5. Auditors registered by governance post challenge tasks like any clinic, sealing the
//!    expected answer in the task's reference, and open the seal after the task concludes
//!    ([`Pallet::reveal_challenge`]): passing challenges is a node's measured capability,
//!    failing one is slashed like a failed spot check.
//!
//! The protocol, its threat model and the formulas are in `docs/pallets/depin-registry.md`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod audits;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod draws;
mod events;
pub mod formulas;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;

#[cfg(test)]
mod mock;
mod models;
mod nodes;
mod queries;
mod routing;
pub mod runtime_api;
mod tasks;
#[cfg(test)]
mod tests;
pub mod types;
mod verdict;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

#[import_section(events::events)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use btt_primitives::depin::{
		Diagnosis, DiagnosticModule, Findings, InputFault, ModelId, ModuleSet, OnTaskVerified,
		Region, TaskId, Tier, Urgency,
	};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{IdentifyAccount, MaybeSerializeDeserialize, Verify},
		Perbill, Permill,
	};

	/// The in-code storage version: 1 since deposits, rounds with fixed deadlines, concluded
	/// records and measured capability (`migrations::v1`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// BTT: stakes are held in it and rewards paid in it.
		type NativeBalance: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currencies task fees may be paid in: BTT and the pallet-assets assets; governance
		/// lists which are accepted ([`FeeCurrencies`]).
		type Currencies: fungibles::Inspect<
				Self::AccountId,
				Balance = BalanceOf<Self>,
				AssetId: MaybeSerializeDeserialize,
			> + fungibles::Mutate<Self::AccountId>;

		/// The id of BTT among [`Config::Currencies`].
		#[pallet::constant]
		type NativeCurrency: Get<CurrencyOf<Self>>;

		/// A signature by a node key: registering a node needs the key's consent
		/// ([`btt_primitives::depin::node_key_proof_payload`]).
		type NodeKeySignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter;

		/// Registers and retires diagnostic models.
		type ModelOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Sets the confidence weights of the modules and the accepted fee currencies.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Registers and removes auditors, whose challenge tasks measure the nodes.
		type AuditorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told of every verified diagnosis.
		type OnTaskVerified: OnTaskVerified<Self::AccountId>;

		/// Derives the account that holds task fees in escrow.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Pays epoch rewards and receives slashed stake (anyone may fund it).
		type RewardPot: Get<Self::AccountId>;

		/// The seeds' tier table: requirements, minimum stake and monthly reward of tiers 1–4.
		#[pallet::constant]
		type Tiers: Get<[TierParams<BalanceOf<Self>>; 4]>;

		/// k and deadlines of routine tasks.
		#[pallet::constant]
		type RoutinePolicy: Get<UrgencyPolicy<BlockNumberFor<Self>>>;

		/// k and deadlines of priority tasks.
		#[pallet::constant]
		type PriorityPolicy: Get<UrgencyPolicy<BlockNumberFor<Self>>>;

		/// k and deadlines of emergency tasks.
		#[pallet::constant]
		type EmergencyPolicy: Get<UrgencyPolicy<BlockNumberFor<Self>>>;

		/// Blocks per epoch (heartbeats, rewards, availability).
		#[pallet::constant]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// Epochs in a month: the tier table's monthly rewards are divided by it.
		#[pallet::constant]
		type EpochsPerMonth: Get<u32>;

		/// Blocks in a day: turns the tier table's tasks per day into blocks.
		#[pallet::constant]
		type BlocksPerDay: Get<u32>;

		/// Blocks a deregistered node's stake stays held and slashable.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Share of its stake a node loses for not committing in a round.
		#[pallet::constant]
		type NoShowSlash: Get<Perbill>;

		/// Share of its stake a node loses for a reveal that disagrees with the quorum, or for
		/// withholding the reveal of its commitment (at least [`Config::NoShowSlash`]).
		#[pallet::constant]
		type MinoritySlash: Get<Perbill>;

		/// Share of its stake a node loses when a spot check contradicts its quorum.
		#[pallet::constant]
		type SpotCheckSlash: Get<Perbill>;

		/// Share of verified tasks re-executed by fresh nodes.
		#[pallet::constant]
		type SpotCheckRate: Get<Perbill>;

		/// How far past the close of a reveal phase the randomness that draws its spot check
		/// must come from, in the randomness's own blocks (relay-chain blocks in the runtime):
		/// more than the most a parachain block's relay parent can lag behind the relay tip.
		#[pallet::constant]
		type RandomnessDelay: Get<u32>;

		/// Blocks after a task concludes during which an auditor may open its challenge seal.
		#[pallet::constant]
		type AuditWindow: Get<BlockNumberFor<Self>>;

		/// Most the reward pot reimburses auditors for challenge fees in one epoch.
		#[pallet::constant]
		type ChallengeBudget: Get<BalanceOf<Self>>;

		/// How every node fetches a task's input (largest input, attempt timeout, retries): read
		/// by the workers from the metadata, so all honest nodes reveal the same fault. It gives
		/// up retrying before the shortest commit phase ends.
		#[pallet::constant]
		type InputPolicy: Get<btt_primitives::depin::InputPolicy>;

		/// Deposit held from the poster of a task until its concluded record is removed.
		#[pallet::constant]
		type TaskDeposit: Get<BalanceOf<Self>>;

		/// Blocks a concluded task's record is kept before anyone may remove it (the deposit
		/// goes back to the poster). At least the audit window.
		#[pallet::constant]
		type ResultRetention: Get<BlockNumberFor<Self>>;

		/// Failures in a row after which a node is suspended.
		#[pallet::constant]
		type MaxConsecutiveFailures: Get<u32>;

		/// Epochs a suspension lasts.
		#[pallet::constant]
		type SuspensionEpochs: Get<u32>;

		/// Assignment rounds a task gets before it fails.
		#[pallet::constant]
		type MaxAttempts: Get<u32>;

		/// Most registered nodes (the routing table's size).
		#[pallet::constant]
		type MaxNodes: Get<u32>;

		/// Most nodes of one operator.
		#[pallet::constant]
		type MaxNodesPerOperator: Get<u32>;

		/// Most open tasks assigned to one node.
		#[pallet::constant]
		type MaxOpenTasksPerNode: Get<u32>;

		/// Most assignees of a task (at least the largest k of the urgency policies).
		#[pallet::constant]
		type MaxAssignees: Get<u32>;

		/// Most task deadlines falling in one block: bounds the work of `on_initialize`.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// Longest input URI.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;

		/// Most open tasks one poster may have.
		#[pallet::constant]
		type MaxOpenTasksPerClinic: Get<u32>;

		/// Most fee currencies governance may list.
		#[pallet::constant]
		type MaxFeeCurrencies: Get<u32>;

		/// Most registered auditors.
		#[pallet::constant]
		type MaxAuditors: Get<u32>;

		/// Most weight `on_initialize` spends per block on deadlines and spot-check draws; what
		/// does not fit carries over to the next block.
		#[pallet::constant]
		type MaxHookWeight: Get<Weight>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Signs node-key proofs in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, Self::NodeKeySignature>;
	}

	/// Why the pallet holds BTT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A compute node's stake.
		#[codec(index = 0)]
		NodeStake,
		/// A task's posting deposit, until its concluded record is removed.
		#[codec(index = 1)]
		TaskDeposit,
	}

	/// Registered nodes, by node key.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, NodeOf<T>>;

	/// How many nodes are registered (unbonding ones included).
	#[pallet::storage]
	pub type NodeCount<T> = StorageValue<_, u32, ValueQuery>;

	/// How many nodes each operator has registered.
	#[pallet::storage]
	pub type OperatorNodes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The active nodes as routing sees them; one value so that assigning a task costs one read.
	#[pallet::storage]
	pub type Routing<T: Config> = StorageValue<_, RoutingTableOf<T>, ValueQuery>;

	/// Registered diagnostic models, by the hash of their safetensors file.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Identity, ModelId, Model<BlockNumberFor<T>>>;

	/// α and β of the confidence formula, per module.
	#[pallet::storage]
	pub type ModuleConfidence<T> =
		StorageMap<_, Twox64Concat, DiagnosticModule, ConfidenceWeights, ValueQuery>;

	/// The id the next task receives.
	#[pallet::storage]
	pub type NextTaskId<T> = StorageValue<_, TaskId, ValueQuery>;

	/// Open tasks.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskOf<T>>;

	/// Open tasks of each node.
	#[pallet::storage]
	pub type NodeTasks<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, TaskId, ()>;

	/// Tasks whose round ends at a block; `on_initialize` concludes them at that block, or
	/// later if earlier blocks' work used up its weight.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<TaskId, T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// The earliest block whose deadlines may not all be processed yet.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// Concluded tasks, until their retention ends and someone removes them.
	#[pallet::storage]
	pub type Results<T: Config> = StorageMap<_, Twox64Concat, TaskId, ConcludedOf<T>>;

	/// Fees held in escrow for open tasks, per currency.
	#[pallet::storage]
	pub type EscrowedFees<T: Config> =
		StorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>, ValueQuery>;

	/// The currencies task fees may be paid in, with the least fee of a task in each.
	#[pallet::storage]
	pub type FeeCurrencies<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>>;

	/// Open tasks of each poster.
	#[pallet::storage]
	pub type ClinicTasks<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Accounts whose challenge seals the pallet opens.
	#[pallet::storage]
	pub type Auditors<T: Config> = CountedStorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Challenge fees the reward pot reimbursed in an epoch (the latest epoch with any).
	#[pallet::storage]
	pub type ChallengeSpending<T: Config> = StorageValue<_, (Epoch, BalanceOf<T>), ValueQuery>;

	/// The newest randomness noted (the relay chain's VRF output in the runtime).
	#[pallet::storage]
	pub type FreshRandomness<T> = StorageValue<_, RandomSeed, OptionQuery>;

	/// Development chains only, set at genesis: without relay-chain randomness, note the parent
	/// block's hash as randomness each block (known to the block's author in advance).
	#[pallet::storage]
	pub type DevRandomness<T> = StorageValue<_, bool, ValueQuery>;

	/// Verified tasks waiting for their spot-check draw, in order; see [`DrawQueueBounds`].
	#[pallet::storage]
	pub type DrawQueue<T: Config> = StorageMap<_, Twox64Concat, u64, PendingDrawOf<T>>;

	/// The first waiting and the next free position of [`DrawQueue`].
	#[pallet::storage]
	pub type DrawQueueBounds<T> = StorageValue<_, (u64, u64), ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Currencies task fees may be paid in, with the least fee per task.
		pub fee_currencies: Vec<(CurrencyOf<T>, BalanceOf<T>)>,
		/// Auditors.
		pub auditors: Vec<T::AccountId>,
		/// Development chains only: use parent hashes as randomness (see [`DevRandomness`]).
		pub dev_randomness: bool,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (currency, least_fee) in self.fee_currencies.iter() {
				FeeCurrencies::<T>::insert(currency, *least_fee);
			}
			for auditor in self.auditors.iter() {
				Auditors::<T>::insert(auditor, ());
			}
			DevRandomness::<T>::put(self.dev_randomness);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Concludes the rounds whose deadline has come and draws the spot checks whose
		/// randomness has arrived, within `MaxHookWeight`; what does not fit carries over to
		/// the next block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::run_hooks(now)
		}

		fn integrity_test() {
			Self::check_parameters();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `node` (a key the node's worker signs with) for the caller as operator,
		/// holding `stake` from the caller.
		///
		/// Origin: signed (the operator). `proof` is the node key's signature of
		/// [`btt_primitives::depin::node_key_proof_payload`]`(operator, genesis hash)`, so no
		/// one can register another's worker key. The declared hardware must meet the tier's GPU
		/// memory and benchmark score (it admits the node to the tier and raises nothing else),
		/// and the stake the tier's minimum. The node joins routing at once.
		/// Emits `NodeRegistered`. O(MaxNodes): the routing table is rewritten.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_node())]
		pub fn register_node(
			origin: OriginFor<T>,
			node: T::AccountId,
			tier: Tier,
			hardware: Hardware,
			region: Region,
			modules: ModuleSet,
			stake: BalanceOf<T>,
			proof: T::NodeKeySignature,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::check_key_proof(&operator, &node, &proof)?;
			Self::do_register_node(operator, node, tier, hardware, region, modules, stake)
		}

		/// Changes the region and modules of the caller's node.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_node())]
		pub fn update_node(
			origin: OriginFor<T>,
			node: T::AccountId,
			region: Region,
			modules: ModuleSet,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_update_node(operator, node, region, modules)
		}

		/// Holds `amount` more stake for the caller's node.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(
			origin: OriginFor<T>,
			node: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_bond_extra(operator, node, amount)
		}

		/// The node's heartbeat for the current epoch, signed by the node key. Pays the epoch
		/// reward for the previous epoch if the node's previous heartbeat was in it and the node
		/// completed verified work in it, and reactivates a suspended node whose suspension
		/// ended. Emits `Heartbeat`, and `EpochRewardPaid` or `EpochUnearned`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::heartbeat())]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResult {
			let node = ensure_signed(origin)?;
			Self::do_heartbeat(node)
		}

		/// Deregisters the caller's node: it leaves routing at once and receives no new task;
		/// it finishes its open tasks; its stake unlocks after the unbonding period (during
		/// which it can still be slashed) once its tasks and reviews are done. Emits
		/// `NodeDeregistered`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deregister_node())]
		pub fn deregister_node(origin: OriginFor<T>, node: T::AccountId) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_deregister_node(operator, node)
		}

		/// Releases a deregistered node's stake once unbonded and removes the node. Refused
		/// (`NodeBusy`) while it has open tasks or results under review, and (`StillUnbonding`)
		/// before the unbonding period and its latest audit window end.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw_stake())]
		pub fn withdraw_stake(origin: OriginFor<T>, node: T::AccountId) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_withdraw_stake(operator, node)
		}

		/// Registers a model by the blake2-256 hash of its safetensors file.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::register_model())]
		pub fn register_model(
			origin: OriginFor<T>,
			model: ModelId,
			module: DiagnosticModule,
			version: u32,
			quantization: u16,
		) -> DispatchResult {
			T::ModelOrigin::ensure_origin(origin)?;
			Self::do_register_model(model, module, version, quantization)
		}

		/// Retires a model: new tasks may not name it; open tasks finish.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::retire_model())]
		pub fn retire_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			T::ModelOrigin::ensure_origin(origin)?;
			Self::do_retire_model(model)
		}

		/// Sets α and β of the confidence formula for a module.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_confidence_weights())]
		pub fn set_confidence_weights(
			origin: OriginFor<T>,
			module: DiagnosticModule,
			weights: ConfidenceWeights,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_confidence_weights(module, weights)
		}

		/// Lists `currency` for task fees with a least fee per task, or delists it (`None`).
		///
		/// Origin: `AdminOrigin`. Open tasks keep their fee. Emits `FeeCurrencyListed` or
		/// `FeeCurrencyDelisted`. O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_fee_currency())]
		pub fn set_fee_currency(
			origin: OriginFor<T>,
			currency: CurrencyOf<T>,
			least_fee: Option<BalanceOf<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_fee_currency(currency, least_fee)
		}

		/// Registers an auditor: an account whose challenge seals the pallet opens.
		///
		/// Origin: `AuditorOrigin`. Emits `AuditorAdded`. O(1).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::add_auditor())]
		pub fn add_auditor(origin: OriginFor<T>, auditor: T::AccountId) -> DispatchResult {
			T::AuditorOrigin::ensure_origin(origin)?;
			Self::do_add_auditor(auditor)
		}

		/// Removes an auditor. Origin: `AuditorOrigin`. Emits `AuditorRemoved`. O(1).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_auditor())]
		pub fn remove_auditor(origin: OriginFor<T>, auditor: T::AccountId) -> DispatchResult {
			T::AuditorOrigin::ensure_origin(origin)?;
			Self::do_remove_auditor(auditor)
		}

		/// Posts a diagnostic task, escrows `fee` of `currency` from the caller, holds the
		/// posting deposit and assigns the task to k nodes of distinct operators.
		///
		/// Origin: signed (a clinic, or an auditor's posting account: the call is the same).
		/// The currency must be listed and the fee at least its least fee; the poster may have
		/// `MaxOpenTasksPerClinic` open tasks. Every check, the draw of the assignees and the
		/// deadline slot come before any money moves. Emits `TaskPosted` and `TaskAssigned`.
		/// O(n) in the routing table's nodes.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::post_task(T::MaxNodes::get()))]
		pub fn post_task(
			origin: OriginFor<T>,
			spec: TaskSpec<T::MaxUriLength>,
			currency: CurrencyOf<T>,
			fee: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let clinic = ensure_signed(origin)?;
			let nodes = Self::do_post_task(clinic, spec, currency, fee)?;
			Ok(Some(T::WeightInfo::post_task(nodes)).into())
		}

		/// Commits the caller node's result for a task:
		/// `btt_primitives::depin::commitment(task, model, input, node, diagnosis, salt)`.
		///
		/// Origin: signed (an assignee's node key), before the round's `commit_until`. The last
		/// commitment opens the reveal phase. Emits `ResultCommitted`. O(k).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::commit_result(T::MaxAssignees::get()))]
		pub fn commit_result(
			origin: OriginFor<T>,
			task: TaskId,
			commitment: H256,
		) -> DispatchResultWithPostInfo {
			let node = ensure_signed(origin)?;
			let k = Self::do_commit(node, task, commitment)?;
			Ok(Some(T::WeightInfo::commit_result(k)).into())
		}

		/// Reveals the caller node's result for a task.
		///
		/// Origin: signed (an assignee that committed), before the round's `reveal_until`. The
		/// last reveal concludes the task, which may open a new round (as costly as posting).
		/// Emits `ResultRevealed`, and the conclusion's events. O(k), or O(n) with a new round.
		#[pallet::call_index(22)]
		#[pallet::weight(Pallet::<T>::reveal_weight_bound())]
		pub fn reveal_result(
			origin: OriginFor<T>,
			task: TaskId,
			diagnosis: Diagnosis,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let node = ensure_signed(origin)?;
			let weight = Self::do_reveal(node, task, diagnosis, salt)?;
			Ok(Some(weight).into())
		}

		/// Opens the seal of a concluded challenge task: the findings the auditor expected and
		/// the salt of [`btt_primitives::depin::challenge_seal`].
		///
		/// Origin: signed (a registered auditor), within `AuditWindow` of the conclusion. If the
		/// accepted findings match, the quorum passed the challenge; if not, the quorum is
		/// slashed like a failed spot check and the result marked overturned. Every assignee's
		/// reveal counts as a pass or a failure of its own. A task its quorum found unusable
		/// (an input fault: the auditor may have failed to serve it) counts for nobody. The
		/// fee is reimbursed to the auditor from the reward pot within `ChallengeBudget`.
		/// Emits `ChallengeAudited`. O(k).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::reveal_challenge(T::MaxAssignees::get()))]
		pub fn reveal_challenge(
			origin: OriginFor<T>,
			task: TaskId,
			expected: Findings,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let auditor = ensure_signed(origin)?;
			let k = Self::do_reveal_challenge(auditor, task, expected, salt)?;
			Ok(Some(T::WeightInfo::reveal_challenge(k)).into())
		}

		/// Removes a concluded task's record and returns its deposit to the poster.
		///
		/// Origin: signed (anyone), once `ResultRetention` blocks have passed since the
		/// conclusion and its review has settled. Emits `ResultRemoved`. O(1).
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::remove_result())]
		pub fn remove_result(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_result(task)
		}
	}
}
