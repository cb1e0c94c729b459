//! The chain, through subxt: every call, query and type comes from the BTT runtime's metadata
//! (`metadata/btt.scale`, kept current by `scripts/update-worker-metadata.sh` and checked by the
//! runtime test `worker_metadata_matches_the_runtime`). The protocol's own types
//! (`Diagnosis`, modules, tiers, regions) are substituted by `btt-primitives`' definitions, so
//! what the worker reveals is encoded by the chain's own code: no hand-written SCALE.

use btt_primitives::depin::{
	node_key_proof_payload, Diagnosis, DiagnosticModule, Findings, InputPolicy, ModelId, ModuleSet,
	Region, TaskId, Tier,
};
use std::sync::Arc;

use subxt::{
	client::OnlineClientAtBlockImpl,
	config::{DefaultExtrinsicParamsBuilder, RpcConfigFor},
	rpcs::{methods::LegacyRpcMethods, RpcClient},
	transactions::TransactionProgress,
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
	),
	substitute_type(
		path = "btt_primitives::depin::Urgency",
		with = "::subxt::utils::Static<::btt_primitives::depin::Urgency>"
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
/// What a task asks for, as posted.
pub type TaskSpec = registry::TaskSpec;
/// A concluded task's record: its outcome, the poster's reference and each assignee's reveal.
pub type Concluded = registry::Concluded<AccountId32, u128, u32>;
/// What an auditor's opened seal showed.
pub use registry::ChallengeOutcome;
/// How a concluded task ended.
pub type TaskResult = registry::TaskResult<AccountId32, u32>;
/// A bounded byte vector as the chain's calls take it (a task's input URI, findings).
pub type BoundedBytes = btt::runtime_types::bounded_collections::bounded_vec::BoundedVec<u8>;

/// `bytes` as a [`BoundedBytes`] (the chain checks the bound).
pub fn bounded_bytes(bytes: Vec<u8>) -> BoundedBytes {
	btt::runtime_types::bounded_collections::bounded_vec::BoundedVec(bytes)
}
/// The chain's events of the registry.
pub use btt::depin_registry::events as registry_events;
/// The events of one included transaction.
pub type Events = subxt::extrinsics::ExtrinsicEvents<PolkadotConfig>;

/// Why a chain operation failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChainError(pub String);

/// Why the chain's input policy is unusable; the worker does not start without it.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InputPolicyError {
	/// The runtime has no such constant.
	#[error("the chain's metadata has no DepinRegistry::InputPolicy constant: this runtime predates chain-wide fetch limits, and the worker will not guess limits that decide what it reveals (upgrade the runtime or connect to a node that runs the current one)")]
	Missing,
	/// The constant's bytes are not an `InputPolicy`.
	#[error(
		"DepinRegistry::InputPolicy does not decode as btt_primitives::depin::InputPolicy: {0}"
	)]
	Malformed(String),
}

/// The chain's input policy from the SCALE bytes of the runtime constant
/// `DepinRegistry::InputPolicy` (`None`: the runtime has none). Decoded from the live
/// metadata rather than through `metadata/btt.scale`, so the worker needs no regenerated
/// metadata file to follow the chain's current limits; every byte must be used.
pub fn decode_input_policy(bytes: Option<&[u8]>) -> Result<InputPolicy, InputPolicyError> {
	use codec::DecodeAll;
	let mut bytes = bytes.ok_or(InputPolicyError::Missing)?;
	InputPolicy::decode_all(&mut bytes)
		.map_err(|error| InputPolicyError::Malformed(error.to_string()))
}

fn chain_error(context: &str) -> impl Fn(&dyn std::fmt::Display) -> ChainError + '_ {
	move |error| ChainError(format!("{context}: {error}"))
}

/// A connection to a BTT node, signing its own calls with one key: the worker's node key, or
/// the auditor's account (`btt-worker audit`). Calls signed by another account (the operator,
/// a challenge's posting account) take that account's key as an argument.
///
/// Clones share the connection and the signing lock, so tasks running at once can submit
/// through their own clone: transactions are signed one at a time, each with the signer's next
/// nonce as the node's transaction pool counts it (`system_accountNextIndex`), and only then
/// watched, concurrently ([`Pending`]).
#[derive(Clone)]
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
	rpc: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
	node_key: Keypair,
	node: AccountId32,
	/// Held from reading a signer's next nonce until the pool has its transaction: two
	/// transactions signed at once would get the same nonce and one would replace the other.
	signing: Arc<tokio::sync::Mutex<()>>,
}

/// A transaction the node's pool accepted, not yet finalized.
pub struct Pending {
	progress: TransactionProgress<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>,
	name: &'static str,
}

impl Pending {
	/// Waits until the transaction is in a finalized block and succeeded, returning its events.
	pub async fn finalized(self) -> Result<Events, ChainError> {
		self.progress.wait_for_finalized_success().await.map_err(|e| chain_error(self.name)(&e))
	}
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

/// The node key's consent to be registered for `operator` on the chain with `genesis` hash:
/// its sr25519 signature of [`node_key_proof_payload`], which the chain checks
/// (`BadKeyProof` otherwise). The payload names the operator and the chain, so the proof can
/// be neither reused by another operator nor replayed on another network.
pub fn node_key_proof(node_key: &Keypair, operator: &AccountId32, genesis: &H256) -> [u8; 64] {
	node_key.sign(&node_key_proof_payload(operator, genesis)).0
}

/// A task the chain accepted from a poster.
#[derive(Clone, Debug)]
pub struct PostedTask {
	/// Its id.
	pub task: TaskId,
	/// The nodes of its first round.
	pub assignees: Vec<AccountId32>,
}

impl Chain {
	/// Connects to `url` (ws:// or wss://; plain ws only to loopback or where the operator
	/// said so).
	pub async fn connect(url: &str, node_key: Keypair) -> Result<Self, ChainError> {
		let cannot =
			|error: &dyn std::fmt::Display| ChainError(format!("cannot connect to {url}: {error}"));
		let rpc_client = RpcClient::from_insecure_url(url).await.map_err(|e| cannot(&e))?;
		let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc_client.clone())
			.await
			.map_err(|e| cannot(&e))?;
		let node = node_key.public_key().to_account_id();
		Ok(Self {
			api,
			rpc: LegacyRpcMethods::new(rpc_client),
			node_key,
			node,
			signing: Default::default(),
		})
	}

	/// The node key's account.
	pub fn node(&self) -> &AccountId32 {
		&self.node
	}

	/// The client, for block streams.
	pub fn api(&self) -> &OnlineClient<PolkadotConfig> {
		&self.api
	}

	/// The chain's genesis hash (what registration proofs name).
	pub fn genesis_hash(&self) -> H256 {
		self.api.genesis_hash()
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

	/// The SCALE bytes of the runtime constant `pallet::name` at the latest finalized block,
	/// if the runtime has it.
	pub async fn constant_bytes(
		&self,
		pallet: &str,
		name: &str,
	) -> Result<Option<Vec<u8>>, ChainError> {
		let at = self.at_finalized().await?;
		let metadata = at.metadata_ref();
		Ok(metadata
			.pallet_by_name(pallet)
			.and_then(|pallet| pallet.constant_by_name(name))
			.map(|constant| constant.value().to_vec()))
	}

	/// The node's record, if registered.
	pub async fn node_view(&self) -> Result<Option<NodeView>, ChainError> {
		self.node_view_of(&self.node).await
	}

	/// Another node's record, if registered.
	pub async fn node_view_of(&self, node: &AccountId32) -> Result<Option<NodeView>, ChainError> {
		self.call(btt::runtime_apis().depin_api().node(node.clone()), "depinApi.node").await
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
		self.transfer(operator, &self.node, amount).await
	}

	/// Sends `amount` from `from` to `to`, keeping `from` alive.
	pub async fn transfer(
		&self,
		from: &Keypair,
		to: &AccountId32,
		amount: u128,
	) -> Result<(), ChainError> {
		let call = btt::transactions()
			.balances()
			.transfer_keep_alive(MultiAddress::Id(to.clone()), amount);
		self.submit(&call, from, "balances.transferKeepAlive").await
	}

	/// The smallest balance an account may hold.
	pub async fn existential_deposit(&self) -> Result<u128, ChainError> {
		self.at_finalized()
			.await?
			.constants()
			.entry(btt::constants().balances().existential_deposit())
			.map_err(|e| chain_error("ExistentialDeposit")(&e))
	}

	/// The deposit held from a task's poster until its record is removed.
	pub async fn task_deposit(&self) -> Result<u128, ChainError> {
		self.at_finalized()
			.await?
			.constants()
			.entry(btt::constants().depin_registry().task_deposit())
			.map_err(|e| chain_error("TaskDeposit")(&e))
	}

	/// Blocks after a task's conclusion during which its auditor may open its seal.
	pub async fn audit_window(&self) -> Result<u32, ChainError> {
		self.at_finalized()
			.await?
			.constants()
			.entry(btt::constants().depin_registry().audit_window())
			.map_err(|e| chain_error("AuditWindow")(&e))
	}

	/// Whether governance registered `account` as an auditor.
	pub async fn is_auditor(&self, account: &AccountId32) -> Result<bool, ChainError> {
		let at = self.at_finalized().await?;
		let value = at
			.storage()
			.try_fetch(btt::storage().depin_registry().auditors(), (account.clone(),))
			.await
			.map_err(|e| chain_error("depinRegistry.auditors")(&e))?;
		Ok(value.is_some())
	}

	/// Whether `model` is registered and active (tasks may name it).
	pub async fn model_active(&self, model: &ModelId) -> Result<bool, ChainError> {
		let at = self.at_finalized().await?;
		let value = at
			.storage()
			.try_fetch(btt::storage().depin_registry().models(), (H256(model.0),))
			.await
			.map_err(|e| chain_error("depinRegistry.models")(&e))?;
		let Some(value) = value else { return Ok(false) };
		let model = value.decode().map_err(|e| chain_error("depinRegistry.models")(&e))?;
		Ok(matches!(model.status, registry::ModelStatus::Active))
	}

	/// The least fee of a task paid in BTT, if BTT is an accepted fee currency.
	pub async fn least_native_fee(&self) -> Result<Option<u128>, ChainError> {
		let at = self.at_finalized().await?;
		let value = at
			.storage()
			.try_fetch(btt::storage().depin_registry().fee_currencies(), (FeeCurrency::Native,))
			.await
			.map_err(|e| chain_error("depinRegistry.feeCurrencies")(&e))?;
		value
			.map(|value| value.decode().map_err(|e| chain_error("depinRegistry.feeCurrencies")(&e)))
			.transpose()
	}

	/// Posts a task signed by `poster`, paying `fee` in BTT; returns its id and first assignees.
	pub async fn post_task(
		&self,
		poster: &Keypair,
		spec: TaskSpec,
		fee: u128,
	) -> Result<PostedTask, ChainError> {
		let call = btt::transactions().depin_registry().post_task(spec, FeeCurrency::Native, fee);
		let events = self.submit_with_events(&call, poster, "depinRegistry.postTask").await?;
		let error = chain_error("depinRegistry.postTask");
		let posted = events
			.find_first::<registry_events::TaskPosted>()
			.ok_or_else(|| ChainError("depinRegistry.postTask: no TaskPosted event".into()))?
			.map_err(|e| error(&e))?;
		let assignees = match events.find_first::<registry_events::TaskAssigned>() {
			Some(assigned) => assigned.map_err(|e| error(&e))?.assignees.0,
			None => Vec::new(),
		};
		Ok(PostedTask { task: posted.task, assignees })
	}

	/// A posting fee estimate: what `poster` would pay to post `spec` with `fee`.
	pub async fn post_task_fee_estimate(
		&self,
		poster: &Keypair,
		spec: TaskSpec,
		fee: u128,
	) -> Result<u128, ChainError> {
		use subxt::transactions::DefaultParams;
		let call = btt::transactions().depin_registry().post_task(spec, FeeCurrency::Native, fee);
		let error = chain_error("payment estimate");
		self.at_finalized()
			.await?
			.transactions()
			.create_signed(&call, poster, DefaultParams::default_params())
			.await
			.map_err(|e| error(&e))?
			.partial_fee_estimate()
			.await
			.map_err(|e| error(&e))
	}

	/// The open or concluded task whose `reference` is `reference`, if any: how an auditor
	/// finds the task it posted when it crashed before seeing the post's events.
	pub async fn find_task_by_reference(
		&self,
		reference: &[u8; 32],
	) -> Result<Option<TaskId>, ChainError> {
		let at = self.at_finalized().await?;
		let storage = at.storage();
		let error = chain_error("depinRegistry.tasks");
		let mut open = storage
			.iter(btt::storage().depin_registry().tasks(), ())
			.await
			.map_err(|e| error(&e))?;
		while let Some(entry) = open.next().await {
			let entry = entry.map_err(|e| error(&e))?;
			let task = entry.value().decode().map_err(|e| error(&e))?;
			if task.spec.reference.0 == *reference {
				let key = entry.key().map_err(|e| error(&e))?;
				return Ok(Some(key.decode().map_err(|e| error(&e))?.0));
			}
		}
		let error = chain_error("depinRegistry.results");
		let mut concluded = storage
			.iter(btt::storage().depin_registry().results(), ())
			.await
			.map_err(|e| error(&e))?;
		while let Some(entry) = concluded.next().await {
			let entry = entry.map_err(|e| error(&e))?;
			let record = entry.value().decode().map_err(|e| error(&e))?;
			if record.reference.0 == *reference {
				let key = entry.key().map_err(|e| error(&e))?;
				return Ok(Some(key.decode().map_err(|e| error(&e))?.0));
			}
		}
		Ok(None)
	}

	/// A concluded task's record (outcome, reference, reveals), while it is retained.
	pub async fn concluded(&self, task: TaskId) -> Result<Option<Concluded>, ChainError> {
		let error = chain_error("depinRegistry.results");
		let at = self.at_finalized().await?;
		let value = at
			.storage()
			.try_fetch(btt::storage().depin_registry().results(), (task,))
			.await
			.map_err(|e| error(&e))?;
		value.map(|value| value.decode().map_err(|e| error(&e))).transpose()
	}

	/// Opens a challenge's seal, signed by this connection's key (the auditor): the findings
	/// it sealed and the salt. Returns the chain's `ChallengeAudited` event.
	pub async fn reveal_challenge(
		&self,
		task: TaskId,
		expected: &Findings,
		salt: [u8; 32],
	) -> Result<registry_events::ChallengeAudited, ChainError> {
		let call = btt::transactions().depin_registry().reveal_challenge(
			task,
			bounded_bytes(expected.to_vec()),
			salt,
		);
		let events =
			self.submit_with_events(&call, &self.node_key, "depinRegistry.revealChallenge").await?;
		events
			.find_first::<registry_events::ChallengeAudited>()
			.ok_or_else(|| {
				ChainError("depinRegistry.revealChallenge: no ChallengeAudited event".into())
			})?
			.map_err(|e| chain_error("depinRegistry.revealChallenge")(&e))
	}

	/// Registers the node for `operator`, holding the stake from the operator.
	pub async fn register(
		&self,
		operator: &Keypair,
		registration: &Registration,
	) -> Result<(), ChainError> {
		let (gpu_memory_gb, benchmark_score, power_watts) = registration.hardware;
		let operator_account = operator.public_key().to_account_id();
		let proof = node_key_proof(&self.node_key, &operator_account, &self.genesis_hash());
		let call = btt::transactions().depin_registry().register_node(
			self.node.clone(),
			Static(registration.tier),
			registry::Hardware { gpu_memory_gb, benchmark_score, power_watts },
			Static(registration.region),
			Static(registration.modules),
			registration.stake,
			btt::runtime_types::sp_runtime::MultiSignature::Sr25519(proof),
		);
		self.submit(&call, operator, "depinRegistry.registerNode").await
	}

	/// Sends the node's heartbeat for the current epoch (signed by the node key).
	pub async fn send_heartbeat(&self) -> Result<Pending, ChainError> {
		let call = btt::transactions().depin_registry().heartbeat();
		self.send(&call, &self.node_key, "depinRegistry.heartbeat").await
	}

	/// Sends a commitment to a result.
	pub async fn send_commit(
		&self,
		task: TaskId,
		commitment: [u8; 32],
	) -> Result<Pending, ChainError> {
		let call = btt::transactions().depin_registry().commit_result(task, H256(commitment));
		self.send(&call, &self.node_key, "depinRegistry.commitResult").await
	}

	/// Sends the reveal of a committed result.
	pub async fn send_reveal(
		&self,
		task: TaskId,
		diagnosis: Diagnosis,
		salt: [u8; 32],
	) -> Result<Pending, ChainError> {
		let call =
			btt::transactions().depin_registry().reveal_result(task, Static(diagnosis), salt);
		self.send(&call, &self.node_key, "depinRegistry.revealResult").await
	}

	/// Signs, submits and waits until the transaction is in a finalized block and succeeded.
	async fn submit<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		name: &'static str,
	) -> Result<(), ChainError> {
		self.submit_with_events(call, signer, name).await.map(|_| ())
	}

	/// [`Self::submit`], returning the transaction's events.
	async fn submit_with_events<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		name: &'static str,
	) -> Result<Events, ChainError> {
		self.send(call, signer, name).await?.finalized().await
	}

	/// Signs `call` with `signer`'s next nonce as the node's pool counts it and submits it;
	/// returns once the pool accepted it (under the signing lock, so concurrent senders get
	/// consecutive nonces).
	async fn send<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		name: &'static str,
	) -> Result<Pending, ChainError> {
		let error = chain_error(name);
		let _signing = self.signing.lock().await;
		let account = signer.public_key().to_account_id();
		let nonce = self.rpc.system_account_next_index(&account).await.map_err(|e| error(&e))?;
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let progress = self
			.at_finalized()
			.await?
			.transactions()
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.map_err(|e| error(&e))?;
		Ok(Pending { progress, name })
	}
}

/// The protocol's module of a task.
pub fn task_module(task: &Task) -> DiagnosticModule {
	task.spec.module.0
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;
	use sp_runtime::{app_crypto::sp_core, traits::Verify};

	fn verifies(proof: [u8; 64], payload: &[u8], node: &Keypair) -> bool {
		let signature =
			sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(proof));
		signature.verify(payload, &sp_runtime::AccountId32::new(node.public_key().0))
	}

	#[test]
	fn the_input_policy_is_decoded_from_the_constants_bytes_or_the_worker_refuses_to_start() {
		use codec::Encode;
		let policy = InputPolicy {
			max_input_bytes: 64 << 20,
			attempt_timeout_ms: 20_000,
			first_retry_pause_ms: 1_000,
			max_retry_pause_ms: 8_000,
			give_up_blocks_before_deadline: 3,
		};
		let bytes = policy.encode();
		assert_eq!(bytes.len(), 20, "five u32s");
		assert_eq!(decode_input_policy(Some(&bytes)), Ok(policy));
		assert_eq!(decode_input_policy(None), Err(InputPolicyError::Missing));
		assert!(InputPolicyError::Missing.to_string().contains("DepinRegistry::InputPolicy"));
		assert!(matches!(
			decode_input_policy(Some(&bytes[..19])),
			Err(InputPolicyError::Malformed(_))
		));
		let mut longer = bytes.clone();
		longer.push(0);
		assert!(matches!(decode_input_policy(Some(&longer)), Err(InputPolicyError::Malformed(_))));
	}

	#[test]
	fn registration_proof_signs_the_primitives_payload_and_verifies_as_the_chain_checks_it() {
		let node_key = Keypair::from_secret_key([7u8; 32]).unwrap();
		let operator = subxt_signer::sr25519::dev::dave().public_key().to_account_id();
		let genesis = H256([0xab; 32]);

		// SCALE of (18 raw domain bytes, operator, genesis hash): 82 bytes, no length prefixes.
		let payload = node_key_proof_payload(&operator, &genesis);
		let mut expected = b"btt/depin/node-key".to_vec();
		expected.extend_from_slice(&operator.0);
		expected.extend_from_slice(&[0xab; 32]);
		assert_eq!(payload, expected);
		// The chain encodes its own AccountId32 and H256 to the same bytes.
		let chain_operator = sp_runtime::AccountId32::new(operator.0);
		let chain_genesis = btt_primitives::depin::ModelId::repeat_byte(0xab);
		assert_eq!(node_key_proof_payload(&chain_operator, &chain_genesis), payload);

		let proof = node_key_proof(&node_key, &operator, &genesis);
		assert!(
			verifies(proof, &payload, &node_key),
			"the pallet's MultiSignature check accepts it"
		);
		// It consents to this operator on this chain only, and only the node key can give it.
		let eve = subxt_signer::sr25519::dev::eve().public_key().to_account_id();
		assert!(!verifies(proof, &node_key_proof_payload(&eve, &genesis), &node_key));
		assert!(!verifies(proof, &node_key_proof_payload(&operator, &H256([1; 32])), &node_key));
		let other = Keypair::from_secret_key([8u8; 32]).unwrap();
		assert!(!verifies(node_key_proof(&other, &operator, &genesis), &payload, &node_key));
	}
}
