//! The DePIN registry on the real runtime, through signed extrinsics: three operators register
//! nodes, a clinic posts a task (in BTT and in a stablecoin), the nodes commit and reveal, the
//! task is verified and the quorum paid; the runtime API answers; spot checks draw from the
//! relay chain's VRF output and from nothing else.

mod common;

use btt_primitives::depin::{
	self, Diagnosis, DiagnosticModule, Findings, ModuleSet, Region, Tier, Urgency,
};
use btt_runtime::{
	configs::DepinRewardPot, Balance, Balances, DepinRegistry, Runtime, RuntimeCall, RuntimeEvent,
	System, UNITS,
};
use frame_support::traits::{fungible::NativeOrWithId, Get};
use pallet_depin_registry::{
	runtime_api::runtime_decl_for_depin_api::DepinApiV1, Hardware, TaskSpec, TaskStatus,
};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Ferdie};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, MultiSignature, Percent,
};

const CLINIC: Sr25519Keyring = Dave;
// Not Alice: the development chain's collator receives every block's fees.
const OPERATORS: [Sr25519Keyring; 3] = [Bob, Charlie, Ferdie];
const FEE: Balance = 3 * UNITS;
const USDC: u32 = 1984;

fn signed(who: Sr25519Keyring, call: RuntimeCall) -> sp_runtime::DispatchOutcome {
	common::apply(common::signed_extrinsic(who, call, 0))
}

fn depin(call: pallet_depin_registry::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::DepinRegistry(call)
}

fn sudo(call: RuntimeCall) {
	let outcome =
		signed(Alice, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }));
	assert_eq!(outcome, Ok(()));
	assert!(
		events().iter().any(|e| matches!(
			e,
			RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(()) })
		)),
		"{:?}",
		events()
	);
}

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

fn model() -> H256 {
	BlakeTwo256::hash(b"caries-v1.safetensors")
}

/// The node key's consent to being registered for `operator` on this chain.
fn key_proof(node: Sr25519Keyring, operator: Sr25519Keyring) -> MultiSignature {
	let genesis = System::block_hash(0);
	MultiSignature::Sr25519(
		node.sign(&depin::node_key_proof_payload(&operator.to_account_id(), &genesis)),
	)
}

fn register_call(node: Sr25519Keyring, proof: MultiSignature) -> RuntimeCall {
	depin(pallet_depin_registry::Call::register_node {
		node: node.to_account_id(),
		tier: Tier::Consumer,
		hardware: Hardware { gpu_memory_gb: 8, benchmark_score: 300, power_watts: 300 },
		region: Region::Europe,
		modules: ModuleSet::all(),
		stake: 1_000 * UNITS,
		proof,
	})
}

fn register_nodes_and_model() {
	for operator in OPERATORS {
		let outcome = signed(operator, register_call(operator, key_proof(operator, operator)));
		assert_eq!(outcome, Ok(()));
	}
	sudo(depin(pallet_depin_registry::Call::register_model {
		model: model(),
		module: DiagnosticModule::CariesDetection,
		version: 1,
		quantization: 1,
	}));
}

fn spec() -> TaskSpec<<Runtime as pallet_depin_registry::Config>::MaxUriLength> {
	TaskSpec {
		module: DiagnosticModule::CariesDetection,
		model: model(),
		input_hash: BlakeTwo256::hash(b"radiograph bytes"),
		input_uri: b"https://clinic.example/r/1.png".to_vec().try_into().unwrap(),
		urgency: Urgency::Routine,
		min_tier: Tier::Consumer,
		region: None,
		reference: BlakeTwo256::hash(b"clinic order 1"),
	}
}

fn diagnosis() -> Diagnosis {
	Diagnosis {
		findings: Findings::truncate_from(vec![1, 3]),
		image_quality: Percent::from_percent(90),
		model_confidence: Percent::from_percent(80),
		uncertainty: Percent::from_percent(10),
	}
}

/// Every assignee commits and reveals the same diagnosis, each in its own extrinsic.
fn work_honestly(task: u64) {
	let record = DepinRegistry::open_task(task).expect("task open");
	let keyring = |account: &btt_runtime::AccountId| {
		OPERATORS.into_iter().find(|k| k.to_account_id() == *account).expect("a dev node")
	};
	for assignee in record.assignees.iter() {
		let salt = [keyring(&assignee.node) as u8; 32];
		let commitment = depin::commitment(
			task,
			&record.spec.model,
			&record.spec.input_hash,
			&assignee.node,
			&diagnosis(),
			&salt,
		);
		let outcome = signed(
			keyring(&assignee.node),
			depin(pallet_depin_registry::Call::commit_result { task, commitment }),
		);
		assert_eq!(outcome, Ok(()));
	}
	for assignee in record.assignees.iter() {
		let salt = [keyring(&assignee.node) as u8; 32];
		let outcome = signed(
			keyring(&assignee.node),
			depin(pallet_depin_registry::Call::reveal_result {
				task,
				diagnosis: diagnosis(),
				salt,
			}),
		);
		assert_eq!(outcome, Ok(()));
	}
}

#[test]
fn a_task_is_routed_verified_and_paid_on_the_real_runtime() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		register_nodes_and_model();
		assert!(
			Balances::free_balance(DepinRewardPot::get()) > 0,
			"the reward pot is endowed at genesis"
		);
		let clinic_before = Balances::free_balance(CLINIC.to_account_id());
		let outcome = signed(
			CLINIC,
			depin(pallet_depin_registry::Call::post_task {
				spec: spec(),
				currency: NativeOrWithId::Native,
				fee: FEE,
			}),
		);
		assert_eq!(outcome, Ok(()));
		let task = 0;
		assert!(matches!(
			Runtime::task_status(task),
			TaskStatus::Committing { committed: 0, assignees: 3, .. }
		));
		for operator in OPERATORS {
			assert_eq!(Runtime::node_tasks(operator.to_account_id()), vec![task]);
		}
		let operator_before: Vec<_> =
			OPERATORS.iter().map(|k| Balances::free_balance(k.to_account_id())).collect();

		work_honestly(task);

		assert!(events().iter().any(|e| matches!(
			e,
			RuntimeEvent::DepinRegistry(pallet_depin_registry::Event::TaskVerified { task: 0, .. })
		)));
		assert!(matches!(
			Runtime::task_status(task),
			TaskStatus::Verified { overturned: false, .. }
		));
		assert!(Runtime::task_result(task).is_some());
		assert!(Runtime::task(task).is_none());
		// Each operator got a third of the fee, less the fees of its two extrinsics.
		for (operator, before) in OPERATORS.iter().zip(operator_before) {
			let now = Balances::free_balance(operator.to_account_id());
			assert!(now > before, "{operator:?} was paid");
			assert!(now <= before + FEE / 3);
			let view = Runtime::node(operator.to_account_id()).expect("registered");
			assert_eq!(view.record.tasks_ok, 1);
			assert!(view.routable);
			assert!(Runtime::efficiency(operator.to_account_id()).is_some());
		}
		assert!(Balances::free_balance(CLINIC.to_account_id()) < clinic_before - FEE + UNITS);
		DepinRegistry::do_try_state().expect("depin invariants hold");
	});
}

#[test]
fn a_payfi_escrow_for_the_clinic_s_diagnostic_task_is_released_when_the_registry_verifies_it() {
	use btt_runtime::{genesis_config_presets::DEV_USD, Payfi};
	use frame_support::traits::fungibles::Inspect;
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		register_nodes_and_model();
		let clinic = CLINIC.to_account_id();
		let usd = |who: &btt_runtime::AccountId| {
			<btt_runtime::Assets as Inspect<_>>::balance(DEV_USD, who)
		};
		let register = RuntimeCall::Payfi(pallet_payfi::Call::register_payee { slots: 5 });
		assert_eq!(signed(CLINIC, register), Ok(()));
		let post = depin(pallet_depin_registry::Call::post_task {
			spec: spec(),
			currency: NativeOrWithId::Native,
			fee: FEE,
		});
		assert_eq!(signed(CLINIC, post), Ok(()));
		// An insurer (Eve) escrows 40 dUSD for the clinic until task 0 is verified.
		let code = btt_primitives::payfi::BillingCode::from_text(
			&[b"D0210"],
			&[b"K02.52"],
			H256::repeat_byte(1),
			Payfi::today(),
			H256::repeat_byte(2),
			Some(Sr25519Keyring::Eve.to_account_id()),
		)
		.expect("a valid code");
		let escrow = RuntimeCall::Payfi(pallet_payfi::Call::escrow {
			payee: clinic.clone(),
			currency: NativeOrWithId::WithId(DEV_USD),
			amount: 40_000_000,
			conditions: vec![pallet_payfi::Condition::TaskVerified(0)].try_into().expect("one"),
			refund_at: 1_000,
			code,
		});
		assert_eq!(signed(Sr25519Keyring::Eve, escrow), Ok(()));
		let settle = || {
			signed(
				Sr25519Keyring::Eve,
				RuntimeCall::Payfi(pallet_payfi::Call::settle_escrow { id: 0 }),
			)
		};
		assert_eq!(settle(), Err(pallet_payfi::Error::<Runtime>::EscrowPending.into()));
		let before = usd(&clinic);

		work_honestly(0);

		assert_eq!(
			pallet_payfi::AwaitedTasks::<Runtime>::get(0).and_then(|awaited| awaited.verified),
			Some((clinic.clone(), System::block_number()))
		);
		assert_eq!(settle(), Ok(()));
		assert_eq!(usd(&clinic), before + 40_000_000, "the clinic was paid for the diagnosis");
		assert_eq!(Payfi::payee(&clinic).map(|payee| (payee.used, payee.escrows)), Some((1, 0)));
		// The registry charges the hook's weight to every path that concludes a task.
		assert_eq!(
			<<Runtime as pallet_depin_registry::Config>::OnTaskVerified as depin::OnTaskVerified<
				_,
			>>::weight(),
			<<Runtime as pallet_payfi::Config>::WeightInfo as pallet_payfi::WeightInfo>::on_task_verified()
				.saturating_add(<<Runtime as pallet_patient_rewards::Config>::WeightInfo as pallet_patient_rewards::WeightInfo>::on_task_verified())
		);
		common::check_every_invariant();
	});
}

#[test]
fn a_stablecoin_fee_is_escrowed_and_paid_through_the_fungibles_union() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		register_nodes_and_model();
		sudo(RuntimeCall::Assets(pallet_assets::Call::force_create {
			id: codec::Compact(USDC),
			owner: Alice.to_account_id().into(),
			is_sufficient: true,
			min_balance: 10_000,
		}));
		assert_eq!(
			signed(
				Alice,
				RuntimeCall::Assets(pallet_assets::Call::mint {
					id: codec::Compact(USDC),
					beneficiary: CLINIC.to_account_id().into(),
					amount: 1_000_000_000,
				})
			),
			Ok(())
		);
		let fee = 30_000_000;
		// Not accepted until governance lists it.
		let refused = signed(
			CLINIC,
			depin(pallet_depin_registry::Call::post_task {
				spec: spec(),
				currency: NativeOrWithId::WithId(USDC),
				fee,
			}),
		);
		assert_eq!(
			refused,
			Err(pallet_depin_registry::Error::<Runtime>::CurrencyNotAccepted.into())
		);
		sudo(depin(pallet_depin_registry::Call::set_fee_currency {
			currency: NativeOrWithId::WithId(USDC),
			least_fee: Some(1_000_000),
		}));
		let outcome = signed(
			CLINIC,
			depin(pallet_depin_registry::Call::post_task {
				spec: spec(),
				currency: NativeOrWithId::WithId(USDC),
				fee,
			}),
		);
		assert_eq!(outcome, Ok(()));
		let usdc = |who: &btt_runtime::AccountId| btt_runtime::Assets::balance(USDC, who);
		assert_eq!(usdc(&DepinRegistry::escrow_account()), fee);
		work_honestly(0);
		for operator in OPERATORS {
			assert_eq!(usdc(&operator.to_account_id()), fee / 3);
		}
		assert_eq!(usdc(&DepinRegistry::escrow_account()), 0);
		DepinRegistry::do_try_state().expect("depin invariants hold");
	});
}

#[test]
fn the_model_registry_needs_root() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		let outcome = signed(
			Bob,
			depin(pallet_depin_registry::Call::register_model {
				model: model(),
				module: DiagnosticModule::CariesDetection,
				version: 1,
				quantization: 1,
			}),
		);
		assert_eq!(outcome, Err(DispatchError::BadOrigin));
	});
}

#[test]
fn a_node_key_registered_by_another_operator_is_refused_on_the_real_runtime() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		// Bob front-runs Alice's worker: he names her node key with her proof for herself, or
		// with his own signature.
		for proof in [key_proof(Alice, Alice), key_proof(Bob, Bob)] {
			let outcome = signed(Bob, register_call(Alice, proof));
			assert_eq!(outcome, Err(pallet_depin_registry::Error::<Runtime>::BadKeyProof.into()));
		}
		assert_eq!(signed(Bob, register_call(Alice, key_proof(Alice, Bob))), Ok(()));
		assert_eq!(
			DepinRegistry::node_view(Alice.to_account_id()).expect("registered").operator,
			Bob.to_account_id()
		);
	});
}

#[test]
fn spot_checks_draw_from_the_relay_chains_vrf_output_and_nothing_else() {
	let noted = |vrf: Option<H256>| {
		common::RELAY_VRF.with(|seed| *seed.borrow_mut() = vrf);
		common::RELAY_RANDOMNESS.with(|randomness| *randomness.borrow_mut() = H256::repeat_byte(9));
		let seed = common::local_genesis().execute_with(|| {
			common::run_to_block(3);
			let relay_parent = cumulus_pallet_parachain_system::ValidationData::<Runtime>::get()
				.expect("validation data")
				.relay_parent_number;
			(pallet_depin_registry::FreshRandomness::<Runtime>::get(), relay_parent)
		});
		common::RELAY_VRF.with(|seed| *seed.borrow_mut() = None);
		common::RELAY_RANDOMNESS.with(|randomness| *randomness.borrow_mut() = H256::zero());
		seed
	};
	// The proof carries block 3's VRF output: the registry holds it, with its relay parent as
	// the source that later draws wait for.
	let vrf = H256::repeat_byte(1);
	let (fresh, relay_parent) = noted(Some(vrf));
	assert_eq!(
		fresh,
		Some(pallet_depin_registry::RandomSeed {
			source: relay_parent,
			value: common::relay_vrf_of(vrf, 3)
		})
	);
	// Another VRF output, another seed.
	let (other, _) = noted(Some(H256::repeat_byte(2)));
	assert_ne!(other, fresh);
	// Without it, the previous epoch's randomness (known an epoch ahead) is not used: nothing
	// is noted, and draws wait.
	let (none, _) = noted(None);
	assert_eq!(none, None);
}

/// Task throughput per block from the runtime's generated weights: a routine task costs one
/// `post_task` over a full routing table, k commitments, k − 1 reveals and the concluding one.
/// Prints the figure (docs/performance.md) and checks a task fits a block.
#[test]
fn task_throughput_per_block() {
	use frame_support::weights::Weight;
	use pallet_depin_registry::WeightInfo as _;
	type Weights = <Runtime as pallet_depin_registry::Config>::WeightInfo;
	let nodes = <Runtime as pallet_depin_registry::Config>::MaxNodes::get();
	let k = <Runtime as pallet_depin_registry::Config>::RoutinePolicy::get().assignees;
	let per_task: Weight = Weights::post_task(nodes)
		.saturating_add(Weights::commit_result(k).saturating_mul(k.into()))
		.saturating_add(Weights::reveal_pending(k).saturating_mul((k - 1).into()))
		.saturating_add(Weights::reveal_result(k));
	let block = btt_runtime::configs::RuntimeBlockWeights::get();
	let normal = block
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_total
		.expect("normal extrinsics have a limit");
	let by_time = normal.ref_time() / per_task.ref_time().max(1);
	let by_proof = normal.proof_size() / per_task.proof_size().max(1);
	println!(
		"routine task (n = {nodes}, k = {k}): {:.2} ms, {} bytes of proof; normal block budget {:.0} ms, {} bytes: \
		 {by_time} tasks per block by time, {by_proof} by proof size",
		per_task.ref_time() as f64 / 1e9,
		per_task.proof_size(),
		normal.ref_time() as f64 / 1e9,
		normal.proof_size(),
	);
	assert!(by_time.min(by_proof) >= 1, "a task fits in a block");

	// The hooks: conclusions at a deadline, each charged the costliest (every assignee
	// penalized and a new round drawn over the full table), within `MaxHookWeight`.
	let k_max = <Runtime as pallet_depin_registry::Config>::MaxAssignees::get();
	let per_deadline = Weights::expire_deadline(k_max).saturating_add(Weights::post_task(nodes));
	let hook = <Runtime as pallet_depin_registry::Config>::MaxHookWeight::get();
	let conclusions = (hook.ref_time() / per_deadline.ref_time().max(1))
		.min(hook.proof_size() / per_deadline.proof_size().max(1));
	println!(
		"hooks: {:.0} ms and {} bytes of proof per block; a deadline costs at most {:.2} ms, {} bytes: {conclusions} per block",
		hook.ref_time() as f64 / 1e9,
		hook.proof_size(),
		per_deadline.ref_time() as f64 / 1e9,
		per_deadline.proof_size(),
	);
	assert!(conclusions >= 1, "a conclusion fits the hooks' budget");
}

/// The input policy the workers read (`DepinRegistry::InputPolicy`) leaves, in every urgency's
/// commit phase, room for one attempt at least before the give-up block, and after it, time
/// for a last attempt and the commitment's inclusion (two blocks).
#[test]
fn the_input_policy_leaves_time_to_retry_and_commit_in_every_phase() {
	use btt_runtime::MILLI_SECS_PER_BLOCK;
	let policy = <Runtime as pallet_depin_registry::Config>::InputPolicy::get();
	let give_up_ms = u64::from(policy.give_up_blocks_before_deadline) * MILLI_SECS_PER_BLOCK;
	assert!(
		give_up_ms >= u64::from(policy.attempt_timeout_ms) + 2 * MILLI_SECS_PER_BLOCK,
		"a last attempt and the commitment fit in the margin"
	);
	let phases = [
		<Runtime as pallet_depin_registry::Config>::RoutinePolicy::get(),
		<Runtime as pallet_depin_registry::Config>::PriorityPolicy::get(),
		<Runtime as pallet_depin_registry::Config>::EmergencyPolicy::get(),
	];
	for phase in phases {
		let retry_ms = u64::from(phase.commit_blocks - policy.give_up_blocks_before_deadline)
			* MILLI_SECS_PER_BLOCK;
		assert!(
			retry_ms >= 2 * u64::from(policy.attempt_timeout_ms),
			"two attempts before giving up in a {}-block commit phase",
			phase.commit_blocks
		);
	}
	assert_eq!(policy.max_input_bytes, 64 * 1024 * 1024);
}

#[test]
fn a_task_the_registry_verified_evidences_one_checkup_of_the_clinic() {
	use pallet_patient_rewards::{Error, Evidence, Purpose};
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		register_nodes_and_model();
		let clinic = CLINIC.to_account_id();
		assert_eq!(
			btt_runtime::PatientRewards::register_provider(
				btt_runtime::RuntimeOrigin::root(),
				clinic.clone()
			),
			Ok(())
		);
		let post = depin(pallet_depin_registry::Call::post_task {
			spec: spec(),
			currency: NativeOrWithId::Native,
			fee: FEE,
		});
		assert_eq!(signed(CLINIC, post), Ok(()));
		let confirm = |patient: Sr25519Keyring| {
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::confirm_checkup {
				patient: patient.to_account_id(),
				code: btt_primitives::payfi::ProcedureCode::parse(b"D0274").expect("bitewings"),
				quality: sp_runtime::Perbill::one(),
				evidence: Some(Evidence::Task(0)),
			})
		};
		for patient in [Sr25519Keyring::Eve, Sr25519Keyring::Ferdie] {
			let consent =
				RuntimeCall::PatientRewards(pallet_patient_rewards::Call::grant_consent {
					grantee: clinic.clone(),
					purpose: Purpose::CheckupConfirmation,
					expires: None,
				});
			assert_eq!(signed(patient, consent), Ok(()));
		}
		// Not verified yet: no evidence.
		assert_eq!(
			signed(CLINIC, confirm(Sr25519Keyring::Eve)),
			Err(Error::<Runtime>::UnknownTask.into())
		);

		work_honestly(0);

		assert_eq!(
			pallet_patient_rewards::ProviderTasks::<Runtime>::get(&clinic).into_inner(),
			[0]
		);
		assert_eq!(signed(CLINIC, confirm(Sr25519Keyring::Eve)), Ok(()));
		// One task, one checkup.
		assert_eq!(
			signed(CLINIC, confirm(Sr25519Keyring::Ferdie)),
			Err(Error::<Runtime>::UnknownTask.into())
		);
		common::check_every_invariant();
	});
}
