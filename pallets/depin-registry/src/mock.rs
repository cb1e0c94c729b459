//! A test runtime with the real FRAME parts the pallet builds on: balances (stakes on hold,
//! rewards, BTT fees) and pallet-assets (stablecoin fees).

// Tests may panic: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::{self as pallet_depin_registry, TierParams, UrgencyPolicy};
use btt_primitives::depin::{OnTaskVerified, VerifiedDiagnosis};
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU128, ConstU32, Hooks,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_core::H256;
use sp_runtime::{testing::TestSignature, traits::IdentityLookup, BuildStorage, Perbill};
use std::cell::RefCell;

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		PaymentAssets: pallet_assets::<Instance1>,
		DepinRegistry: pallet_depin_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// Payment currencies (a stablecoin in the tests).
#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<pallet_assets::Instance1> for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetAccountDeposit = ConstU128<1>;
	type Freezer = ();
}

/// The randomness the runtime would note in block `block` (its relay chain's VRF output): a
/// hash of the block number and a salt the tests can change to explore other draws.
pub fn randomness_of(block: u64) -> H256 {
	H256((b"relay-vrf", block, RandomnessSalt::get()).using_encoded(sp_io::hashing::blake2_256))
}

/// Notes this block's randomness, as the runtime's relay-state hook does during each block
/// (source = the block number, standing for its relay parent's), unless the test has turned
/// the relay randomness off.
pub fn note_block_randomness() {
	if RelayRandomness::get() {
		let block = System::block_number();
		DepinRegistry::note_randomness(block as u32, randomness_of(block));
	}
}

thread_local! {
	/// Diagnoses the pallet reported verified, in order.
	pub static VERIFIED: RefCell<Vec<VerifiedDiagnosis<AccountId>>> = const { RefCell::new(Vec::new()) };
}

/// Records the verified diagnoses, as a patient-rewards pallet would react to them.
pub struct RecordVerified;

impl OnTaskVerified<AccountId> for RecordVerified {
	fn on_task_verified(diagnosis: &VerifiedDiagnosis<AccountId>) {
		VERIFIED.with(|verified| verified.borrow_mut().push(diagnosis.clone()));
	}

	fn weight() -> frame_support::weights::Weight {
		VERIFIED_HOOK_WEIGHT
	}
}

/// What the mock's `OnTaskVerified` declares it costs: the registry must add it.
pub const VERIFIED_HOOK_WEIGHT: frame_support::weights::Weight =
	frame_support::weights::Weight::from_parts(7_000_000, 700);

/// The diagnoses reported verified so far.
pub fn verified_diagnoses() -> Vec<VerifiedDiagnosis<AccountId>> {
	VERIFIED.with(|verified| verified.borrow().clone())
}

pub const TIER_1_STAKE: Balance = 1_000;
pub const TIER_2_STAKE: Balance = 2_000;
pub const EPOCH_LENGTH: u64 = 20;
pub const EPOCHS_PER_MONTH: u32 = 10;
pub const UNBONDING_PERIOD: u64 = 100;
pub const ROUTINE_COMMIT: u64 = 10;
pub const ROUTINE_REVEAL: u64 = 10;
pub const BLOCKS_PER_DAY: u32 = 200;
pub const RANDOMNESS_DELAY: u32 = 2;
pub const AUDIT_WINDOW: u64 = 30;
pub const RESULT_RETENTION: u64 = 50;
pub const TASK_DEPOSIT: Balance = 50;
pub const CHALLENGE_BUDGET: Balance = 10_000;
pub const MAX_OPEN_TASKS_PER_CLINIC: u32 = 12;

parameter_types! {
	pub const DepinPalletId: PalletId = PalletId(*b"btt/depn");
	pub const RewardPot: AccountId = REWARD_POT;
	pub const NativeCurrency: NativeOrWithId<u32> = NativeOrWithId::Native;
	/// The seeds' tiers; with 200 blocks a day and 20-block epochs, tier 1 expects 5 tasks an
	/// epoch (50 a day) and 4 blocks a task.
	pub const Tiers: [TierParams<Balance>; 4] = [
		TierParams { min_gpu_memory_gb: 8, min_benchmark_score: 50, min_stake: TIER_1_STAKE, monthly_reward_low: 750, monthly_reward_high: 1_500, routing_weight: 1, min_tasks_per_day: 50 },
		TierParams { min_gpu_memory_gb: 16, min_benchmark_score: 100, min_stake: TIER_2_STAKE, monthly_reward_low: 1_400, monthly_reward_high: 3_200, routing_weight: 2, min_tasks_per_day: 100 },
		TierParams { min_gpu_memory_gb: 32, min_benchmark_score: 250, min_stake: 5_000, monthly_reward_low: 3_000, monthly_reward_high: 7_500, routing_weight: 3, min_tasks_per_day: 250 },
		TierParams { min_gpu_memory_gb: 64, min_benchmark_score: 600, min_stake: 10_000, monthly_reward_low: 6_500, monthly_reward_high: 15_000, routing_weight: 4, min_tasks_per_day: 600 },
	];
	pub const RoutinePolicy: UrgencyPolicy<u64> = UrgencyPolicy { assignees: 3, commit_blocks: ROUTINE_COMMIT, reveal_blocks: ROUTINE_REVEAL };
	pub const PriorityPolicy: UrgencyPolicy<u64> = UrgencyPolicy { assignees: 3, commit_blocks: 5, reveal_blocks: 5 };
	pub const EmergencyPolicy: UrgencyPolicy<u64> = UrgencyPolicy { assignees: 5, commit_blocks: 3, reveal_blocks: 3 };
	// The runtime's rates (`runtime/src/configs/depin.rs`), so that the tests measure what the
	// chain does.
	/// The runtime's input policy but for the margin, which fits the mock's 3-block commit phase.
	pub const InputPolicy: btt_primitives::depin::InputPolicy = btt_primitives::depin::InputPolicy {
		max_input_bytes: 64 * 1024 * 1024,
		attempt_timeout_ms: 10_000,
		first_retry_pause_ms: 1_000,
		max_retry_pause_ms: 8_000,
		give_up_blocks_before_deadline: 1,
	};
	pub const NoShowSlash: Perbill = Perbill::from_percent(1);
	pub const MinoritySlash: Perbill = Perbill::from_percent(5);
	pub const SpotCheckSlash: Perbill = Perbill::from_percent(20);
	/// Tests that need a spot check set it to 100 %.
	pub static SpotCheckRate: Perbill = Perbill::zero();
	/// Changes every random draw.
	pub static RandomnessSalt: u64 = 0;
	/// Whether blocks carry relay-chain randomness (tests turn it off).
	pub static RelayRandomness: bool = true;
	/// The hooks' weight budget (tests that fill the queues lower it).
	pub static MaxHookWeight: Weight = Weight::from_parts(2_000_000_000_000, 10 * 1024 * 1024);
}

impl pallet_depin_registry::Config for Test {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies =
		UnionOf<Balances, PaymentAssets, NativeFromLeft, NativeOrWithId<u32>, AccountId>;
	type NativeCurrency = NativeCurrency;
	type NodeKeySignature = TestSignature;
	type ModelOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type AuditorOrigin = EnsureRoot<AccountId>;
	type OnTaskVerified = RecordVerified;
	type PalletId = DepinPalletId;
	type RewardPot = RewardPot;
	type Tiers = Tiers;
	type RoutinePolicy = RoutinePolicy;
	type PriorityPolicy = PriorityPolicy;
	type EmergencyPolicy = EmergencyPolicy;
	type EpochLength = frame_support::traits::ConstU64<EPOCH_LENGTH>;
	type EpochsPerMonth = ConstU32<EPOCHS_PER_MONTH>;
	type BlocksPerDay = ConstU32<BLOCKS_PER_DAY>;
	type UnbondingPeriod = frame_support::traits::ConstU64<UNBONDING_PERIOD>;
	type NoShowSlash = NoShowSlash;
	type MinoritySlash = MinoritySlash;
	type SpotCheckSlash = SpotCheckSlash;
	type SpotCheckRate = SpotCheckRate;
	type RandomnessDelay = ConstU32<RANDOMNESS_DELAY>;
	type AuditWindow = frame_support::traits::ConstU64<AUDIT_WINDOW>;
	type ChallengeBudget = ConstU128<CHALLENGE_BUDGET>;
	type InputPolicy = InputPolicy;
	type TaskDeposit = ConstU128<TASK_DEPOSIT>;
	type ResultRetention = frame_support::traits::ConstU64<RESULT_RETENTION>;
	type MaxConsecutiveFailures = ConstU32<3>;
	type SuspensionEpochs = ConstU32<2>;
	type MaxAttempts = ConstU32<2>;
	type MaxNodes = ConstU32<64>;
	type MaxNodesPerOperator = ConstU32<4>;
	type MaxOpenTasksPerNode = ConstU32<8>;
	type MaxAssignees = ConstU32<5>;
	type MaxDeadlinesPerBlock = ConstU32<16>;
	type MaxUriLength = ConstU32<128>;
	type MaxOpenTasksPerClinic = ConstU32<MAX_OPEN_TASKS_PER_CLINIC>;
	type MaxFeeCurrencies = ConstU32<4>;
	type MaxAuditors = ConstU32<4>;
	type MaxHookWeight = MaxHookWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestKeys;
}

/// Node-key proofs of the tests: [`TestSignature`] is valid when it names the signer and the
/// signed bytes.
pub struct TestKeys;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, TestSignature> for TestKeys {
	fn node_key(index: u32) -> AccountId {
		9_000_000 + u64::from(index)
	}

	fn sign(node_key: &AccountId, message: &[u8]) -> TestSignature {
		TestSignature(*node_key, message.to_vec())
	}
}

/// The proof that `node_key` consents to `operator`.
pub fn key_proof(operator: AccountId, node_key: AccountId) -> TestSignature {
	let genesis = System::block_hash(0);
	TestSignature(node_key, btt_primitives::depin::node_key_proof_payload(&operator, &genesis))
}

/// The reward pot.
pub const REWARD_POT: AccountId = 500;
/// The clinic that posts tasks.
pub const CLINIC: AccountId = 1;
/// A clinic with no money.
pub const PAUPER: AccountId = 2;
/// The stablecoin of the tests, an asset of the payment-currencies instance.
pub const USDC: u32 = 7;
pub const USDC_MIN: Balance = 5;
pub const ENDOWMENT: Balance = 1_000_000;
pub const POT_ENDOWMENT: Balance = 100_000;
/// Operators are accounts 11..=40; each operator's first node key is `operator + 1000`.
pub const FIRST_OPERATOR: AccountId = 11;
pub const LAST_OPERATOR: AccountId = 40;
/// The auditor of the tests, registered at genesis.
pub const AUDITOR: AccountId = 3;
/// The auditor's posting account: unknown to the chain as an auditor's.
pub const AUDITOR_POSTER: AccountId = 4;
/// The least fee of a task paid in BTT.
pub const LEAST_FEE: Balance = 30;

/// Builds a fresh state: endowed clinic and operators, a funded reward pot and a stablecoin.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, Balance)> =
		(FIRST_OPERATOR..=LAST_OPERATOR).map(|operator| (operator, ENDOWMENT)).collect();
	balances.push((CLINIC, ENDOWMENT));
	balances.push((AUDITOR, ENDOWMENT));
	balances.push((AUDITOR_POSTER, ENDOWMENT));
	balances.push((DepinRegistry::reward_pot(), POT_ENDOWMENT));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_assets::GenesisConfig::<Test, pallet_assets::Instance1> {
		assets: vec![(USDC, CLINIC, false, USDC_MIN)],
		metadata: vec![],
		accounts: vec![(USDC, CLINIC, ENDOWMENT)],
		next_asset_id: None,
		reserves: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_depin_registry::GenesisConfig::<Test> {
		fee_currencies: vec![
			(NativeOrWithId::Native, LEAST_FEE),
			(NativeOrWithId::WithId(USDC), USDC_MIN * 3),
		],
		auditors: vec![AUDITOR],
		dev_randomness: false,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		VERIFIED.with(|verified| verified.borrow_mut().clear());
		SpotCheckRate::set(Perbill::zero());
		RandomnessSalt::set(0);
		RelayRandomness::set(true);
		MaxHookWeight::set(Weight::from_parts(2_000_000_000_000, 10 * 1024 * 1024));
		note_block_randomness();
	});
	ext
}

/// The state the benchmark tests run in: every verified task is spot-checked, as the
/// benchmarks' worst case assumes.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	let mut ext = new_test_ext();
	ext.execute_with(|| SpotCheckRate::set(Perbill::one()));
	ext
}

/// Runs `test` on a fresh state, then checks every invariant of the pallet.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		DepinRegistry::do_try_state().expect("invariants hold after the test");
	});
}

/// Advances to block `n`, running the pallet's `on_initialize` on the way, then noting the
/// block's randomness as the runtime's inherent does (and checking the invariants after every
/// block). Returns the weight each block's hook reported.
pub fn run_to_block(n: u64) -> Vec<Weight> {
	let mut weights = Vec::new();
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		weights.push(DepinRegistry::on_initialize(next));
		note_block_randomness();
		DepinRegistry::do_try_state().expect("invariants hold after every block");
	}
	weights
}

/// The events of this pallet so far.
pub fn depin_events() -> Vec<pallet_depin_registry::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::DepinRegistry(event) => Some(event),
			_ => None,
		})
		.collect()
}
