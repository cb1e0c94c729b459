//! Shared set-ups: operators with nodes, a model, tasks, honest and dishonest workers.

use crate::{mock::*, Hardware, NodeStatus, Nodes, TaskSpec, Tasks};
use btt_primitives::depin::{
	self, Diagnosis, DiagnosticModule, Findings, ModuleSet, Region, TaskId, Tier, Urgency,
};
use frame_support::{assert_ok, traits::ConstU32};
use sp_core::H256;
use sp_runtime::{DispatchResult, Percent};

pub use frame_support::traits::fungible::NativeOrWithId;

/// The caries model of the tests.
pub fn model() -> H256 {
	H256::repeat_byte(0xAA)
}

/// The node key of an operator's `n`-th node (0-based).
pub fn node_key(operator: AccountId, n: u64) -> AccountId {
	operator + 1000 * (n + 1)
}

/// Hardware that meets tier 1.
pub fn consumer_gpu() -> Hardware {
	Hardware { gpu_memory_gb: 8, benchmark_score: 300, power_watts: 300 }
}

/// Hardware that meets tier 2.
pub fn professional_gpu() -> Hardware {
	Hardware { gpu_memory_gb: 24, benchmark_score: 600, power_watts: 300 }
}

/// Registers the `n`-th node of `operator` in tier 1, Europe, every module.
pub fn register(operator: AccountId, n: u64) -> AccountId {
	let key = node_key(operator, n);
	assert_ok!(DepinRegistry::register_node(
		RuntimeOrigin::signed(operator),
		key,
		Tier::Consumer,
		consumer_gpu(),
		Region::Europe,
		ModuleSet::all(),
		TIER_1_STAKE,
		key_proof(operator, key),
	));
	key
}

/// Registers one node for each of `count` operators; returns the node keys.
pub fn register_operators(count: u64) -> Vec<AccountId> {
	register_operators_from(FIRST_OPERATOR, count)
}

/// Registers one node for each of `count` operators from `first` on; returns the node keys.
pub fn register_operators_from(first: AccountId, count: u64) -> Vec<AccountId> {
	(0..count).map(|i| register(first + i, 0)).collect()
}

/// Registers the caries model.
pub fn add_model() {
	assert_ok!(DepinRegistry::register_model(
		RuntimeOrigin::root(),
		model(),
		DiagnosticModule::CariesDetection,
		1,
		1
	));
}

/// A routine caries task.
pub fn spec() -> TaskSpec<ConstU32<128>> {
	TaskSpec {
		module: DiagnosticModule::CariesDetection,
		model: model(),
		input_hash: H256::repeat_byte(0x11),
		input_uri: b"https://clinic.example/radiographs/7f3a.png".to_vec().try_into().unwrap(),
		urgency: Urgency::Routine,
		min_tier: Tier::Consumer,
		region: None,
		reference: H256::repeat_byte(0x77),
	}
}

pub const FEE: Balance = 3_000;

/// Posts `spec` for the clinic with a BTT fee; returns the task id.
pub fn post_with(spec: TaskSpec<ConstU32<128>>, fee: Balance) -> TaskId {
	let id = crate::NextTaskId::<Test>::get();
	assert_ok!(DepinRegistry::post_task(
		RuntimeOrigin::signed(CLINIC),
		spec,
		NativeOrWithId::Native,
		fee
	));
	id
}

/// Posts the routine task with the default fee.
pub fn post() -> TaskId {
	post_with(spec(), FEE)
}

/// A model, `count` operators with a node each, and one routine task; returns the task and
/// its assignees.
pub fn task_with_nodes(count: u64) -> (TaskId, Vec<AccountId>) {
	add_model();
	register_operators(count);
	let task = post();
	(task, assignees(task))
}

/// The node keys assigned to an open task.
pub fn assignees(task: TaskId) -> Vec<AccountId> {
	Tasks::<Test>::get(task).unwrap().assignees.iter().map(|a| a.node).collect()
}

/// The operator of a node.
pub fn operator_of(node: AccountId) -> AccountId {
	Nodes::<Test>::get(node).unwrap().operator
}

/// The stake of a node.
pub fn stake_of(node: AccountId) -> Balance {
	Nodes::<Test>::get(node).unwrap().stake
}

/// Whether a node is active.
pub fn is_active(node: AccountId) -> bool {
	Nodes::<Test>::get(node).unwrap().status == NodeStatus::Active
}

/// A diagnosis with the given findings and fixed I = 90 %, D = 80 %, U = 10 %.
pub fn diagnosis(findings: &[u8]) -> Diagnosis {
	Diagnosis {
		findings: Findings::truncate_from(findings.to_vec()),
		image_quality: Percent::from_percent(90),
		model_confidence: Percent::from_percent(80),
		uncertainty: Percent::from_percent(10),
	}
}

/// What honest workers find on the test image.
pub fn truth() -> Diagnosis {
	diagnosis(&[1, 3])
}

/// A node's salt for a task.
pub fn salt(node: AccountId, task: TaskId) -> [u8; 32] {
	let mut salt = [0u8; 32];
	salt[..8].copy_from_slice(&node.to_le_bytes());
	salt[8..16].copy_from_slice(&task.to_le_bytes());
	salt
}

/// The commitment `node` makes to `diagnosis` on `task`.
pub fn commitment_of(task: TaskId, node: AccountId, diagnosis: &Diagnosis) -> H256 {
	let task_record = Tasks::<Test>::get(task).unwrap();
	depin::commitment(
		task,
		&task_record.spec.model,
		&task_record.spec.input_hash,
		&node,
		diagnosis,
		&salt(node, task),
	)
}

/// `node` commits to `diagnosis` on `task`.
pub fn commit(task: TaskId, node: AccountId, diagnosis: &Diagnosis) -> DispatchResult {
	let commitment = commitment_of(task, node, diagnosis);
	DepinRegistry::commit_result(RuntimeOrigin::signed(node), task, commitment)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// `node` reveals `diagnosis` on `task`.
pub fn reveal(task: TaskId, node: AccountId, diagnosis: &Diagnosis) -> DispatchResult {
	DepinRegistry::reveal_result(
		RuntimeOrigin::signed(node),
		task,
		diagnosis.clone(),
		salt(node, task),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// Every assignee commits, then reveals, the diagnosis `answer` gives it.
pub fn work(task: TaskId, answer: impl Fn(AccountId) -> Diagnosis) {
	let nodes = assignees(task);
	for node in &nodes {
		assert_ok!(commit(task, *node, &answer(*node)));
	}
	for node in &nodes {
		assert_ok!(reveal(task, *node, &answer(*node)));
	}
}

/// Every assignee computes the truth.
pub fn work_honestly(task: TaskId) {
	work(task, |_| truth());
}

/// The native balance of an account.
pub fn balance(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The outcome of a concluded task.
pub fn outcome(task: TaskId) -> crate::TaskResultOf<Test> {
	DepinRegistry::task_result(task).expect("the task concluded")
}

/// Advances to the block after which the spot-check draw of a task concluded now is made
/// (randomness `RANDOMNESS_DELAY` blocks newer than now's), running the hooks.
pub fn run_past_draw() {
	run_to_block(System::block_number() + u64::from(RANDOMNESS_DELAY) + 1);
}

/// Whether `event` was emitted.
pub fn emitted(event: crate::Event<Test>) -> bool {
	depin_events().contains(&event)
}
