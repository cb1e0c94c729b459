//! The chain, through subxt: every call, query and type comes from the BTT runtime's metadata
//! (`metadata/btt.scale`, kept current by `scripts/update-worker-metadata.sh` and checked by the
//! runtime test `worker_metadata_matches_the_runtime`). The protocol's own types
//! (`Diagnosis`, modules, tiers, regions) are substituted by `btt-primitives`' definitions, so
//! what the worker reveals is encoded by the chain's own code: no hand-written SCALE.

use btt_primitives::depin::{Diagnosis, DiagnosticModule, ModuleSet, Region, TaskId, Tier};
use subxt::{
	utils::{AccountId32, MultiAddress, Static, H256},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

#[subxt::subxt(
	runtime_metadata_path = "metadata/btt.scale",
	substitute_type(
		path = "btt_primitives::depin::Diagnosis",
		with = "::subxt::utils::Static<::btt_primitives::depin::Diagnosis>"
	),
	substitute_type(
		path = "btt_primitives::depin::DiagnosticModule",
		with = "::subxt::utils::Static<::btt_primitives::depin::DiagnosticModule>"
	),
	substitute_type(
		path = "btt_primitives::depin::ModuleSet",
		with = "::subxt::utils::Static<::btt_primitives::depin::ModuleSet>"
	),
	substitute_type(
		path = "btt_primitives::depin::Tier",
		with = "::subxt::utils::Static<::btt_primitives::depin::Tier>"
	),
	substitute_type(
		path = "btt_primitives::depin::Region",
		with = "::subxt::utils::Static<::btt_primitives::depin::Region>"
	),
	substitute_type(
		path = "btt_primitives::depin::InputFault",
		with = "::subxt::utils::Static<::btt_primitives::depin::InputFault>"
	)
)]
pub mod btt {}

use btt::runtime_types::pallet_depin_registry::types as registry;

/// A node's record as the runtime API returns it.
pub type NodeView = registry::NodeView<AccountId32, u128, u32>;
/// An open task as the runtime API returns it.
pub type Task = registry::Task<AccountId32, u128, FeeCurrency, u32>;
/// The currency a task's fee is paid in: BTT or a pallet-assets asset.
pub type FeeCurrency =
	btt::runtime_types::frame_support::traits::tokens::fungible::union_of::NativeOrWithId<u32>;
/// Where a task stands.
pub type TaskStatus = registry::TaskStatus<u32>;
/// The phase of an open task.
pub use registry::TaskPhase;

/// Why a chain operation failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChainError(pub String);

fn chain_error(context: &str) -> impl Fn(&dyn std::fmt::Display) -> ChainError + '_ {
	move |error| ChainError(format!("{context}: {error}"))
}

/// A connection to a BTT node, signing as the worker's node key.
#[derive(Clone)]
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
	node_key: Keypair,
	node: AccountId32,
}

/// What a node declares when it registers.
#[derive(Clone, Debug)]
pub struct Registration {
	/// The tier claimed.
	pub tier: Tier,
	/// GPU memory (GB), benchmark score, power (W).
	pub hardware: (u32, u32, u32),
	/// The region.
	pub region: Region,
	/// The modules served.
	pub modules: ModuleSet,
	/// The stake to hold from the operator.
	pub stake: u128,
}

impl Chain {
	/// Connects to `url` (ws:// or wss://; plain ws only to loopback or where the operator
	/// said so).
	pub async fn connect(url: &str, node_key: Keypair) -> Result<Self, ChainError> {
		let api = OnlineClient::<PolkadotConfig>::from_insecure_url(url)
			.await
			.map_err(|error| ChainError(format!("cannot connect to {url}: {error}")))?;
		let node = node_key.public_key().to_account_id();
		Ok(Self { api, node_key, node })
	}

	/// The node key's account.
	pub fn node(&self) -> &AccountId32 {
		&self.node
	}

	/// The client, for block streams.
	pub fn api(&self) -> &OnlineClient<PolkadotConfig> {
		&self.api
	}

	/// The latest finalized block, to query.
	async fn at_finalized(
		&self,
	) -> Result<
		subxt::client::ClientAtBlock<
			PolkadotConfig,
			subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
		>,
		ChainError,
	> {
		self.api.at_current_block().await.map_err(|e| chain_error("latest finalized block")(&e))
	}

	/// Calls a runtime API at the latest finalized block.
	async fn call<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
		name: &str,
	) -> Result<P::ReturnType, ChainError> {
		self.at_finalized()
			.await?
			.runtime_apis()
			.call(payload)
			.await
			.map_err(|e| chain_error(name)(&e))
	}

	/// Blocks per DePIN epoch (heartbeats are due once per epoch).
	pub async fn epoch_length(&self) -> Result<u32, ChainError> {
		self.at_finalized()
			.await?
			.constants()
			.entry(btt::constants().depin_registry().epoch_length())
			.map_err(|e| chain_error("EpochLength")(&e))
	}

	/// The node's record, if registered.
	pub async fn node_view(&self) -> Result<Option<NodeView>, ChainError> {
		self.call(btt::runtime_apis().depin_api().node(self.node.clone()), "depinApi.node").await
	}

	/// The open tasks assigned to the node.
	pub async fn node_tasks(&self) -> Result<Vec<TaskId>, ChainError> {
		self.call(
			btt::runtime_apis().depin_api().node_tasks(self.node.clone()),
			"depinApi.nodeTasks",
		)
		.await
	}

	/// An open task.
	pub async fn task(&self, task: TaskId) -> Result<Option<Task>, ChainError> {
		self.call(btt::runtime_apis().depin_api().task(task), "depinApi.task").await
	}

	/// Where a task stands, open or concluded.
	pub async fn task_status(&self, task: TaskId) -> Result<TaskStatus, ChainError> {
		self.call(btt::runtime_apis().depin_api().task_status(task), "depinApi.taskStatus").await
	}

	/// Free balance of an account.
	pub async fn free_balance(&self, account: &AccountId32) -> Result<u128, ChainError> {
		let info = self
			.at_finalized()
			.await?
			.storage()
			.fetch(btt::storage().system().account(), (account.clone(),))
			.await
			.map_err(|e| chain_error("system.account")(&e))?
			.decode()
			.map_err(|e| chain_error("system.account")(&e))?;
		Ok(info.data.free)
	}

	/// Sends `amount` from the operator to the node key, so it can pay its transaction fees.
	pub async fn fund_node(&self, operator: &Keypair, amount: u128) -> Result<(), ChainError> {
		let call = btt::transactions()
			.balances()
			.transfer_keep_alive(MultiAddress::Id(self.node.clone()), amount);
		self.submit(&call, operator, "balances.transferKeepAlive").await
	}

	/// Registers the node for `operator`, holding the stake from the operator.
	pub async fn register(
		&self,
		operator: &Keypair,
		registration: &Registration,
	) -> Result<(), ChainError> {
		let (gpu_memory_gb, benchmark_score, power_watts) = registration.hardware;
		let call = btt::transactions().depin_registry().register_node(
			self.node.clone(),
			Static(registration.tier),
			registry::Hardware { gpu_memory_gb, benchmark_score, power_watts },
			Static(registration.region),
			Static(registration.modules),
			registration.stake,
		);
		self.submit(&call, operator, "depinRegistry.registerNode").await
	}

	/// The node's heartbeat for the current epoch.
	pub async fn heartbeat(&self) -> Result<(), ChainError> {
		let call = btt::transactions().depin_registry().heartbeat();
		self.submit(&call, &self.node_key, "depinRegistry.heartbeat").await
	}

	/// Commits to a result.
	pub async fn commit(&self, task: TaskId, commitment: [u8; 32]) -> Result<(), ChainError> {
		let call = btt::transactions().depin_registry().commit_result(task, H256(commitment));
		self.submit(&call, &self.node_key, "depinRegistry.commitResult").await
	}

	/// Reveals a committed result.
	pub async fn reveal(
		&self,
		task: TaskId,
		diagnosis: Diagnosis,
		salt: [u8; 32],
	) -> Result<(), ChainError> {
		let call =
			btt::transactions().depin_registry().reveal_result(task, Static(diagnosis), salt);
		self.submit(&call, &self.node_key, "depinRegistry.revealResult").await
	}

	/// Signs, submits and waits until the transaction is in a finalized block and succeeded.
	async fn submit<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		name: &str,
	) -> Result<(), ChainError> {
		let error = chain_error(name);
		self.at_finalized()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.map_err(|e| error(&e))?
			.wait_for_finalized_success()
			.await
			.map_err(|e| error(&e))?;
		Ok(())
	}
}

/// The protocol's module of a task.
pub fn task_module(task: &Task) -> DiagnosticModule {
	task.spec.module.0
}
