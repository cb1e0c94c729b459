//! Benchmarks of every call, with frame-benchmarking v2.
//!
//! Components: `n`, the nodes in the routing table (posting scans it), and `k`, a task's
//! assignees (commit, reveal and deadline processing touch each). Every benchmark measures the
//! worst path over a full routing table (`MaxNodes` nodes: each penalty or success rescans it):
//! registration into a full table, a heartbeat that pays a reward, the commitment that opens
//! the reveal phase, the reveal that concludes the task with fees paid in a stablecoin-like
//! listed currency to a quorum and the minority slashed, a deadline at which every assignee is
//! slashed and the fee refunded, a challenge seal that slashes its quorum, and a spot-check
//! draw that assigns a spot check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::{Hardware, TaskPhase, TaskSpec};
use alloc::vec::Vec;
use btt_primitives::depin::{
	self, Diagnosis, DiagnosticModule, Findings, ModelId, ModuleSet, Region, TaskId, Tier, Urgency,
};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get, Hooks};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, Zero},
	Percent, Saturating,
};

/// What the benchmarks need from the runtime: node keys they can sign node-key proofs with.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// The `index`-th node key (one the helper holds the secret of).
	fn node_key(index: u32) -> AccountId;
	/// The node key's signature of `message`.
	fn sign(node_key: &AccountId, message: &[u8]) -> Signature;
}

fn model() -> ModelId {
	H256::repeat_byte(0xAA)
}

/// The proof that `node` consents to `operator`.
fn key_proof<T: Config>(operator: &T::AccountId, node: &T::AccountId) -> T::NodeKeySignature {
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	T::BenchmarkHelper::sign(node, &depin::node_key_proof_payload(operator, &genesis))
}

/// Lists BTT for fees at the least fee the benchmarks pay.
fn list_currency<T: Config>() {
	FeeCurrencies::<T>::insert(T::NativeCurrency::get(), fee::<T>());
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let amount = Pallet::<T>::tier_params(Tier::Consumer).min_stake.saturating_mul(1_000u32.into());
	let amount = amount.max(BalanceOf::<T>::max_value() / 1_000_000u32.into());
	T::NativeBalance::set_balance(&who, amount);
	who
}

fn hardware<T: Config>() -> Hardware {
	let tier = Pallet::<T>::tier_params(Tier::Consumer);
	Hardware {
		gpu_memory_gb: tier.min_gpu_memory_gb,
		benchmark_score: tier.min_benchmark_score.max(1),
		power_watts: 1_000,
	}
}

/// Registers node `i` (operator `i`); returns its key.
fn register<T: Config>(i: u32) -> T::AccountId {
	let operator = funded::<T>("operator", i);
	let node: T::AccountId = T::BenchmarkHelper::node_key(i);
	T::NativeBalance::set_balance(&node, Pallet::<T>::tier_params(Tier::Consumer).min_stake);
	Pallet::<T>::do_register_node(
		operator,
		node.clone(),
		Tier::Consumer,
		hardware::<T>(),
		Region::Europe,
		ModuleSet::all(),
		Pallet::<T>::tier_params(Tier::Consumer).min_stake.saturating_mul(10u32.into()),
	)
	.unwrap();
	node
}

fn register_many<T: Config>(count: u32) -> Vec<T::AccountId> {
	(0..count).map(register::<T>).collect()
}

fn add_model<T: Config>() {
	Pallet::<T>::do_register_model(model(), DiagnosticModule::CariesDetection, 1, 1).unwrap();
	list_currency::<T>();
}

fn spec<T: Config>() -> TaskSpec<T::MaxUriLength> {
	let uri = alloc::vec![b'u'; T::MaxUriLength::get() as usize];
	TaskSpec {
		module: DiagnosticModule::CariesDetection,
		model: model(),
		input_hash: H256::repeat_byte(0x11),
		input_uri: uri.try_into().unwrap(),
		urgency: Urgency::Routine,
		min_tier: Tier::Consumer,
		region: Some(Region::Europe),
		reference: H256::repeat_byte(0x55),
	}
}

/// A fee that splits into k payable shares.
fn fee<T: Config>() -> BalanceOf<T> {
	Pallet::<T>::tier_params(Tier::Consumer).min_stake
}

/// Posts a task to `k` nodes; returns its id and assignees.
fn open_task<T: Config>(k: u32) -> (TaskId, Vec<T::AccountId>) {
	let clinic = funded::<T>("clinic", 0);
	let id = NextTaskId::<T>::get();
	Pallet::<T>::post_task_to(clinic, spec::<T>(), T::NativeCurrency::get(), fee::<T>(), k)
		.unwrap();
	let nodes = Tasks::<T>::get(id).unwrap().assignees.iter().map(|a| a.node.clone()).collect();
	(id, nodes)
}

fn diagnosis(findings: &[u8]) -> Diagnosis {
	Diagnosis {
		findings: Findings::truncate_from(findings.to_vec()),
		image_quality: Percent::from_percent(90),
		model_confidence: Percent::from_percent(80),
		uncertainty: Percent::from_percent(10),
	}
}

fn salt_of(i: usize) -> [u8; 32] {
	[i as u8; 32]
}

fn commitment<T: Config>(id: TaskId, node: &T::AccountId, diagnosis: &Diagnosis, i: usize) -> H256 {
	let task = Tasks::<T>::get(id).unwrap();
	depin::commitment(id, &task.spec.model, &task.spec.input_hash, node, diagnosis, &salt_of(i))
}

/// What assignee `i` of `k` reveals: a bare majority agrees, the others disagree.
fn answer(i: usize, k: u32) -> Diagnosis {
	if (i as u32) < formulas::quorum(k) {
		diagnosis(&[1, 3])
	} else {
		diagnosis(&[9, 9])
	}
}

fn commit_all<T: Config>(id: TaskId, nodes: &[T::AccountId], k: u32) {
	for (i, node) in nodes.iter().enumerate() {
		let c = commitment::<T>(id, node, &answer(i, k), i);
		Pallet::<T>::do_commit(node.clone(), id, c).unwrap();
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_node() {
		register_many::<T>(T::MaxNodes::get() - 1);
		let operator = funded::<T>("operator", T::MaxNodes::get());
		let node: T::AccountId = T::BenchmarkHelper::node_key(T::MaxNodes::get());
		let stake = Pallet::<T>::tier_params(Tier::Consumer).min_stake;
		let proof = key_proof::<T>(&operator, &node);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(operator),
			node.clone(),
			Tier::Consumer,
			hardware::<T>(),
			Region::Asia,
			ModuleSet::all(),
			stake,
			proof,
		);

		assert!(Nodes::<T>::contains_key(&node));
		assert_eq!(Routing::<T>::get().len() as u32, T::MaxNodes::get());
	}

	#[benchmark]
	fn update_node() {
		let nodes = register_many::<T>(T::MaxNodes::get());
		let node = nodes[nodes.len() - 1].clone();
		let operator = Nodes::<T>::get(&node).unwrap().operator;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), node.clone(), Region::Oceania, ModuleSet::all());

		assert_eq!(Nodes::<T>::get(&node).unwrap().region, Region::Oceania);
	}

	#[benchmark]
	fn bond_extra() {
		let node = register::<T>(0);
		let operator = Nodes::<T>::get(&node).unwrap().operator;
		let amount = fee::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), node.clone(), amount);

		assert_eq!(
			Nodes::<T>::get(&node).unwrap().stake,
			Pallet::<T>::tier_params(Tier::Consumer).min_stake.saturating_mul(11u32.into())
		);
	}

	#[benchmark]
	fn heartbeat() {
		let nodes = register_many::<T>(T::MaxNodes::get());
		let node = nodes[nodes.len() - 1].clone();
		T::NativeBalance::set_balance(
			&Pallet::<T>::reward_pot(),
			fee::<T>().saturating_mul(1_000u32.into()),
		);
		Nodes::<T>::mutate(&node, |record| {
			if let Some(record) = record {
				record.record.work.record(0);
			}
		});
		frame_system::Pallet::<T>::set_block_number(T::EpochLength::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(node.clone()));

		assert_eq!(Nodes::<T>::get(&node).unwrap().record.last_rewarded, Some(0));
	}

	#[benchmark]
	fn deregister_node() {
		let nodes = register_many::<T>(T::MaxNodes::get());
		let node = nodes[nodes.len() - 1].clone();
		let operator = Nodes::<T>::get(&node).unwrap().operator;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), node.clone());

		assert_eq!(Routing::<T>::get().len() as u32, T::MaxNodes::get() - 1);
	}

	#[benchmark]
	fn withdraw_stake() {
		let node = register::<T>(0);
		let operator = Nodes::<T>::get(&node).unwrap().operator;
		Pallet::<T>::do_deregister_node(operator.clone(), node.clone()).unwrap();
		frame_system::Pallet::<T>::set_block_number(
			T::UnbondingPeriod::get().saturating_add(1u32.into()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), node.clone());

		assert!(!Nodes::<T>::contains_key(&node));
	}

	#[benchmark]
	fn register_model() -> Result<(), BenchmarkError> {
		let origin =
			T::ModelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model(), DiagnosticModule::CariesDetection, 1, 1);

		assert!(Models::<T>::contains_key(model()));
		Ok(())
	}

	#[benchmark]
	fn retire_model() -> Result<(), BenchmarkError> {
		add_model::<T>();
		let origin =
			T::ModelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model());

		assert_eq!(Models::<T>::get(model()).unwrap().status, ModelStatus::Retired);
		Ok(())
	}

	#[benchmark]
	fn set_confidence_weights() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let weights = ConfidenceWeights::default();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, DiagnosticModule::EndodonticPathology, weights);

		Ok(())
	}

	/// Posting with the largest k of the urgency policies, over a routing table of `n` nodes.
	#[benchmark]
	fn post_task(n: Linear<5, { T::MaxNodes::get() }>) {
		add_model::<T>();
		register_many::<T>(n);
		let clinic = funded::<T>("clinic", 0);
		let mut urgent = spec::<T>();
		urgent.urgency = Urgency::Emergency;

		#[extrinsic_call]
		_(RawOrigin::Signed(clinic), urgent, T::NativeCurrency::get(), fee::<T>());

		assert!(Tasks::<T>::contains_key(0));
	}

	/// The last commitment, which opens the reveal phase.
	#[benchmark]
	fn commit_result(k: Linear<1, { T::MaxAssignees::get() }>) {
		add_model::<T>();
		register_many::<T>(T::MaxNodes::get());
		let (id, nodes) = open_task::<T>(k);
		let (last, others) = nodes.split_last().unwrap();
		commit_all::<T>(id, others, k);
		let c = commitment::<T>(id, last, &answer(nodes.len() - 1, k), nodes.len() - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), id, c);

		let now = frame_system::Pallet::<T>::block_number();
		assert!(matches!(Tasks::<T>::get(id).unwrap().phase(now), TaskPhase::Reveal { .. }));
	}

	/// The last reveal, which concludes the task: the quorum is paid, the minority slashed.
	#[benchmark]
	fn reveal_result(k: Linear<1, { T::MaxAssignees::get() }>) {
		add_model::<T>();
		register_many::<T>(T::MaxNodes::get());
		let (id, nodes) = open_task::<T>(k);
		commit_all::<T>(id, &nodes, k);
		let last = nodes.len() - 1;
		for (i, node) in nodes.iter().enumerate().take(last) {
			Pallet::<T>::do_reveal(node.clone(), id, answer(i, k), salt_of(i)).unwrap();
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(nodes[last].clone()), id, answer(last, k), salt_of(last));

		assert!(matches!(Pallet::<T>::task_result(id), Some(TaskResult::Verified { .. })));
	}

	/// A reveal that is not the last: the diagnosis is checked and recorded.
	#[benchmark]
	fn reveal_pending(k: Linear<2, { T::MaxAssignees::get() }>) {
		add_model::<T>();
		register_many::<T>(k);
		let (id, nodes) = open_task::<T>(k);
		commit_all::<T>(id, &nodes, k);

		#[extrinsic_call]
		reveal_result(RawOrigin::Signed(nodes[0].clone()), id, answer(0, k), salt_of(0));

		assert!(Tasks::<T>::get(id).unwrap().assignees[0].reveal.is_some());
	}

	/// A reveal deadline with no reveal: every assignee is slashed and the fee refunded.
	#[benchmark]
	fn expire_deadline(k: Linear<1, { T::MaxAssignees::get() }>) {
		add_model::<T>();
		register_many::<T>(T::MaxNodes::get());
		let (id, nodes) = open_task::<T>(k);
		commit_all::<T>(id, &nodes, k);
		Tasks::<T>::mutate(id, |task| {
			if let Some(task) = task {
				task.attempt = T::MaxAttempts::get();
			}
		});
		let deadline: BlockNumberFor<T> = Tasks::<T>::get(id).unwrap().round.reveal_until;
		frame_system::Pallet::<T>::set_block_number(deadline);

		#[block]
		{
			Pallet::<T>::on_initialize(deadline);
		}

		assert!(matches!(Pallet::<T>::task_result(id), Some(TaskResult::Failed { .. })));
	}

	#[benchmark]
	fn set_fee_currency() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::NativeCurrency::get(), Some(fee::<T>()));

		assert!(FeeCurrencies::<T>::contains_key(T::NativeCurrency::get()));
		Ok(())
	}

	#[benchmark]
	fn add_auditor() -> Result<(), BenchmarkError> {
		let origin =
			T::AuditorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let auditor: T::AccountId = account("auditor", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, auditor.clone());

		assert!(Auditors::<T>::contains_key(&auditor));
		Ok(())
	}

	#[benchmark]
	fn remove_auditor() -> Result<(), BenchmarkError> {
		let origin =
			T::AuditorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let auditor: T::AccountId = account("auditor", 0, 0);
		Pallet::<T>::do_add_auditor(auditor.clone()).unwrap();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, auditor.clone());

		assert!(!Auditors::<T>::contains_key(&auditor));
		Ok(())
	}

	/// A seal whose answer the `k`-node quorum missed: every assignee's challenge record is
	/// updated, the quorum slashed, the fee reimbursed, over a full routing table.
	#[benchmark]
	fn reveal_challenge(k: Linear<1, { T::MaxAssignees::get() }>) {
		add_model::<T>();
		register_many::<T>(T::MaxNodes::get());
		let auditor = funded::<T>("auditor", 0);
		Pallet::<T>::do_add_auditor(auditor.clone()).unwrap();
		let expected = Findings::truncate_from(alloc::vec![4u8; depin::MAX_FINDINGS_LEN as usize]);
		let salt = [9u8; 32];
		let mut sealed = spec::<T>();
		sealed.reference =
			depin::challenge_seal(&auditor, &sealed.model, &sealed.input_hash, &expected, &salt);
		let poster = funded::<T>("poster", 0);
		let id = NextTaskId::<T>::get();
		Pallet::<T>::post_task_to(poster, sealed, T::NativeCurrency::get(), fee::<T>(), k).unwrap();
		let nodes: Vec<T::AccountId> =
			Tasks::<T>::get(id).unwrap().assignees.iter().map(|a| a.node.clone()).collect();
		commit_all::<T>(id, &nodes, k);
		for (i, node) in nodes.iter().enumerate() {
			Pallet::<T>::do_reveal(node.clone(), id, answer(i, k), salt_of(i)).unwrap();
		}
		T::NativeBalance::set_balance(
			&Pallet::<T>::reward_pot(),
			fee::<T>().saturating_mul(1_000u32.into()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(auditor), id, expected, salt);

		assert!(Results::<T>::get(id).unwrap().audited);
		assert!(matches!(
			Pallet::<T>::task_result(id),
			Some(TaskResult::Verified { overturned: true, .. })
		));
	}

	#[benchmark]
	fn remove_result() {
		add_model::<T>();
		register_many::<T>(3);
		let (id, nodes) = open_task::<T>(3);
		commit_all::<T>(id, &nodes, 3);
		for (i, node) in nodes.iter().enumerate() {
			Pallet::<T>::do_reveal(node.clone(), id, answer(i, 3), salt_of(i)).unwrap();
		}
		Pallet::<T>::settle_review(id);
		let later =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ResultRetention::get());
		frame_system::Pallet::<T>::set_block_number(later);
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Results::<T>::contains_key(id));
	}

	/// A drawn spot check of a task with the largest k, assigned over `n` routed nodes.
	#[benchmark]
	fn draw_spot_check(n: Linear<{ 2 * T::MaxAssignees::get() }, { T::MaxNodes::get() }>) {
		add_model::<T>();
		register_many::<T>(n);
		let k = T::MaxAssignees::get();
		let (id, nodes) = open_task::<T>(k);
		commit_all::<T>(id, &nodes, k);
		for (i, node) in nodes.iter().enumerate() {
			Pallet::<T>::do_reveal(node.clone(), id, answer(i, k), salt_of(i)).unwrap();
		}
		let draw = DrawQueue::<T>::get(DrawQueueBounds::<T>::get().0).unwrap();
		// Randomness that draws the task (any value does when every task is checked).
		let mut value = H256::zero();
		for _ in 0..10_000 {
			if Pallet::<T>::spot_check_drawn(id, value) {
				break;
			}
			value = H256(sp_io::hashing::blake2_256(value.as_bytes()));
		}
		Pallet::<T>::note_randomness(draw.source_from, value);
		let mut meter = frame_support::weights::WeightMeter::new();

		#[block]
		{
			Pallet::<T>::process_draws(&mut meter);
		}

		assert!(matches!(
			Pallet::<T>::task_result(id),
			Some(TaskResult::Verified { review: Review::SpotCheck(_), .. })
		));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
