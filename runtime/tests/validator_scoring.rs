//! Validator scoring on the real runtime: pallet-staking with validator-scoring as its
//! election provider, sessions and eras driven block by block through every hook with a
//! mocked relay chain (`common::run_to_block`), Aura slots skipped where a collator is offline.
//!
//! The expected sets are computed here from the seeds' formula in floating point
//! (`v = 0.4·S + 0.35·H + 0.25·C`), independently of the pallet's fixed-point code.

mod common;

use btt_runtime::{
	configs::{ERA_PAYOUT, SESSIONS_PER_ERA},
	genesis_config_presets::{COLLATOR_BOND, MIN_COLLATOR_BOND, MIN_NOMINATOR_BOND},
	AccountId, Balance, Runtime, RuntimeEvent, RuntimeOrigin, SessionKeys, Staking, System,
	ValidatorScoring, UNITS,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use pallet_staking::StakerStatus;
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{DispatchError, Perbill};

/// A network for a test: Alice the invulnerable with [`COLLATOR_BOND`], the candidates with
/// their bonds, nominators with their bonds and targets, and compliance ratings (`C`,
/// expiry block).
struct Network {
	candidates: Vec<(Sr25519Keyring, u128)>,
	nominators: Vec<(Sr25519Keyring, u128, Vec<Sr25519Keyring>)>,
	ratings: Vec<(Sr25519Keyring, Perbill, u32)>,
	seats: u32,
	session_blocks: u32,
}

impl Network {
	fn genesis(&self) -> sp_io::TestExternalities {
		let alice = Alice.to_account_id();
		let collators: Vec<(Sr25519Keyring, u128)> =
			[(Alice, COLLATOR_BOND)].into_iter().chain(self.candidates.iter().copied()).collect();
		let stakers: Vec<(AccountId, AccountId, Balance, StakerStatus<AccountId>)> = collators
			.iter()
			.map(|(key, bond)| {
				(key.to_account_id(), key.to_account_id(), *bond, StakerStatus::Validator)
			})
			.chain(self.nominators.iter().map(|(key, bond, targets)| {
				let targets = targets.iter().map(|t| t.to_account_id()).collect();
				(key.to_account_id(), key.to_account_id(), *bond, StakerStatus::Nominator(targets))
			}))
			.collect();
		let staking = pallet_staking::GenesisConfig::<Runtime> {
			validator_count: self.seats,
			minimum_validator_count: 1,
			invulnerables: vec![alice.clone()],
			stakers,
			min_nominator_bond: MIN_NOMINATOR_BOND,
			min_validator_bond: MIN_COLLATOR_BOND,
			..Default::default()
		};
		let session = pallet_session::GenesisConfig::<Runtime> {
			keys: collators
				.iter()
				.map(|(key, _)| {
					let account = key.to_account_id();
					(account.clone(), account, SessionKeys { aura: key.public().into() })
				})
				.collect(),
			non_authority_keys: vec![],
		};
		let scoring = pallet_validator_scoring::GenesisConfig::<Runtime> {
			invulnerables: vec![alice],
			weights: None,
			ratings: self
				.ratings
				.iter()
				.map(|(key, value, expires)| (key.to_account_id(), *value, evidence(key), *expires))
				.collect(),
			session_blocks: Some(self.session_blocks),
		};
		common::genesis_from_preset_with(
			btt_runtime::genesis_config_presets::DEVELOPMENT,
			serde_json::json!({
				"staking": serde_json::to_value(staking).unwrap(),
				"session": serde_json::to_value(session).unwrap(),
				"validatorScoring": serde_json::to_value(scoring).unwrap(),
			}),
		)
	}
}

/// The hash of a (made-up) audit report behind a rating.
fn evidence(key: &Sr25519Keyring) -> H256 {
	H256(sp_io::hashing::blake2_256(&key.to_raw_public()))
}

fn account(key: Sr25519Keyring) -> AccountId {
	key.to_account_id()
}

/// The session's validators.
fn validators() -> Vec<AccountId> {
	pallet_session::Validators::<Runtime>::get()
}

/// What the test expects of a candidate: its approval backing in BTT, `H` and `C`.
struct Model {
	who: Sr25519Keyring,
	backing: f64,
	h: f64,
	c: f64,
}

/// `V` of each candidate, from the seeds' formula: `S` is the backing over the largest.
fn model_scores(candidates: &[Model]) -> Vec<(Sr25519Keyring, f64)> {
	let largest = candidates.iter().map(|m| m.backing).fold(0.0, f64::max);
	candidates
		.iter()
		.map(|m| (m.who, 0.4 * m.backing / largest + 0.35 * m.h + 0.25 * m.c))
		.collect()
}

/// Alice (the invulnerable), then the best `seats - 1` others by the model's `V`.
fn model_set(candidates: &[Model], seats: usize) -> Vec<AccountId> {
	let mut scored: Vec<(Sr25519Keyring, f64)> =
		model_scores(candidates).into_iter().filter(|(who, _)| *who != Alice).collect();
	scored.sort_by(|a, b| b.1.total_cmp(&a.1));
	[account(Alice)]
		.into_iter()
		.chain(scored.into_iter().take(seats - 1).map(|(who, _)| account(who)))
		.collect()
}

/// Checks the latest election's scores against the model, to Perbill precision.
fn assert_scores_match(candidates: &[Model]) {
	let elected = pallet_validator_scoring::LastElection::<Runtime>::get();
	for (who, v) in model_scores(candidates) {
		if let Some(winner) = elected.iter().find(|w| w.who == account(who)) {
			let score = winner.score.deconstruct() as f64 / 1e9;
			assert!((score - v).abs() < 1e-8, "{who:?}: V = {score}, the model says {v}");
		}
	}
}

/// Six candidates with different bonds; Dave nominates Ferdie and EveStash; Eve, EveStash
/// and (until block 5) Charlie are rated.
fn six_candidates() -> Network {
	Network {
		candidates: vec![
			(Bob, 5_000 * UNITS),
			(Charlie, 3_000 * UNITS),
			(Eve, 2_000 * UNITS),
			(Ferdie, 1_500 * UNITS),
			(FerdieStash, 1_200 * UNITS),
			(EveStash, 1_000 * UNITS),
		],
		nominators: vec![(Dave, 4_000 * UNITS, vec![Ferdie, EveStash])],
		ratings: vec![
			(Eve, Perbill::one(), 1_000),
			(EveStash, Perbill::from_percent(80), 1_000),
			(Charlie, Perbill::one(), 5),
		],
		seats: 4,
		session_blocks: 10,
	}
}

/// Backings of [`six_candidates`] in BTT (Dave's 4,000 count for each of his targets).
fn six_backings() -> Vec<(Sr25519Keyring, f64)> {
	vec![
		(Alice, 10_000.0),
		(Bob, 5_000.0),
		(Charlie, 3_000.0),
		(Eve, 2_000.0),
		(Ferdie, 5_500.0),
		(FerdieStash, 1_200.0),
		(EveStash, 5_000.0),
	]
}

#[test]
fn the_elected_collators_are_the_top_seats_by_v_in_every_era() {
	let network = six_candidates();
	network.genesis().execute_with(|| {
		// Genesis (era 0): nobody has a record, so every `H` is the 50 % prior.
		let c0 = |who| match who {
			Eve => 1.0,
			EveStash => 0.8,
			Charlie => 1.0,
			_ => 0.0,
		};
		let era0: Vec<Model> = six_backings()
			.into_iter()
			.map(|(who, backing)| Model { who, backing, h: 0.5, c: c0(who) })
			.collect();
		let expected0 = model_set(&era0, 4);
		assert_eq!(
			expected0,
			vec![account(Alice), account(EveStash), account(Charlie), account(Eve)]
		);
		assert_eq!(validators(), expected0);
		assert_scores_match(&era0);
		let exposure = pallet_staking::ErasStakersOverview::<Runtime>::get(0, account(EveStash))
			.expect("EveStash is exposed in era 0");
		// Dave's whole nomination backs EveStash, the only one of his targets elected.
		assert_eq!((exposure.own, exposure.total), (1_000 * UNITS, 5_000 * UNITS));

		// The compliance origin rates Bob during era 0; Charlie's rating expires at block 5.
		common::run_to_block(2);
		assert_noop!(
			ValidatorScoring::rate(
				RuntimeOrigin::signed(account(Bob)),
				account(Bob),
				Perbill::one(),
				evidence(&Bob),
				1_000
			),
			DispatchError::BadOrigin
		);
		assert_ok!(ValidatorScoring::rate(
			RuntimeOrigin::root(),
			account(Bob),
			Perbill::one(),
			evidence(&Bob),
			1_000
		));

		// Era 1 starts with session 6; its election ran when session 5 began.
		let era_blocks = SESSIONS_PER_ERA * network.session_blocks;
		common::run_to_block(era_blocks);
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index), Some(1));
		// Every incumbent authored each of its slots: `H` = 1; the others keep the prior.
		let c1 = |who| match who {
			Eve | Bob => 1.0,
			EveStash => 0.8,
			_ => 0.0,
		};
		let era1: Vec<Model> = six_backings()
			.into_iter()
			.map(|(who, backing)| {
				let h = if expected0.contains(&account(who)) { 1.0 } else { 0.5 };
				Model { who, backing, h, c: c1(who) }
			})
			.collect();
		let expected1 = model_set(&era1, 4);
		assert_eq!(expected1, vec![account(Alice), account(EveStash), account(Eve), account(Bob)]);
		assert_eq!(validators(), expected1);
		assert_scores_match(&era1);
		let (records, h) = ValidatorScoring::reliability_report(&account(Charlie));
		assert_eq!(h, Perbill::one());
		assert_eq!(records.len(), SESSIONS_PER_ERA as usize);
		assert!(records.iter().all(|r| r.authored == r.expected && r.expected > 0));
		common::check_every_invariant();
	});
}

#[test]
fn era_rewards_paid_to_collators_and_nominators_add_up_to_the_era_payout() {
	let network = six_candidates();
	network.genesis().execute_with(|| {
		let era_blocks = SESSIONS_PER_ERA * network.session_blocks;
		common::run_to_block(era_blocks + 1);
		assert_eq!(pallet_staking::ErasValidatorReward::<Runtime>::get(0), Some(ERA_PAYOUT));
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		let dave_before = pallet_staking::Ledger::<Runtime>::get(account(Dave)).unwrap().total;

		let mut paid: Vec<(AccountId, Balance)> = Vec::new();
		for collator in [Alice, EveStash, Charlie, Eve] {
			System::reset_events();
			// Anyone may trigger a payout; Ferdie does.
			assert_ok!(Staking::payout_stakers(
				RuntimeOrigin::signed(account(Ferdie)),
				account(collator),
				0
			));
			paid.extend(System::events().into_iter().filter_map(|record| match record.event {
				RuntimeEvent::Staking(pallet_staking::Event::Rewarded {
					stash, amount, ..
				}) => Some((stash, amount)),
				_ => None,
			}));
		}
		let total: Balance = paid.iter().map(|(_, amount)| amount).sum();
		// Each era point's share is rounded down to Perbill: at most a few µBTT stay unpaid.
		assert!(total <= ERA_PAYOUT, "paid {total} of {ERA_PAYOUT}");
		assert!(ERA_PAYOUT - total < UNITS / 1_000, "paid {total} of {ERA_PAYOUT}");
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance + total);
		// Each collator's share is its era points' (20 per authored block; the four took the
		// slots in turn): Alice's, and EveStash's with its nominator.
		let of = |who: Sr25519Keyring| {
			paid.iter().filter(|(stash, _)| *stash == account(who)).map(|(_, a)| *a).sum::<u128>()
		};
		let points = pallet_staking::ErasRewardPoints::<Runtime>::get(0);
		let share = |who: Sr25519Keyring| {
			let mine = points.individual.get(&account(who)).copied().unwrap_or_default();
			assert!(mine >= 20 * 14, "{who:?} authored its slots: {mine} points");
			ERA_PAYOUT * u128::from(mine) / u128::from(points.total)
		};
		let eve_stash_total = of(EveStash) + of(Dave);
		assert!(share(EveStash).abs_diff(eve_stash_total) < UNITS / 1_000);
		assert!(share(Alice).abs_diff(of(Alice)) < UNITS / 1_000);
		// Dave backs four fifths of EveStash's exposure: four fifths of its share.
		assert!(of(Dave).abs_diff(eve_stash_total * 4 / 5) < UNITS / 1_000);
		// Rewards are restaked.
		let dave_after = pallet_staking::Ledger::<Runtime>::get(account(Dave)).unwrap().total;
		assert_eq!(dave_after, dave_before + of(Dave));
		// A second payout of the same era pays nothing.
		assert_noop!(
			Staking::payout_stakers(RuntimeOrigin::signed(account(Ferdie)), account(Eve), 0)
				.map_err(|error| error.error),
			pallet_staking::Error::<Runtime>::AlreadyClaimed
		);
		common::check_every_invariant();
	});
}

/// Alice and Charlie collate in 20-block sessions (ten slots each); Dave nominates Charlie.
fn two_collators() -> Network {
	Network {
		candidates: vec![(Charlie, 3_000 * UNITS), (Bob, 2_000 * UNITS)],
		nominators: vec![(Dave, 4_000 * UNITS, vec![Charlie])],
		ratings: vec![],
		seats: 2,
		session_blocks: 20,
	}
}

/// Runs blocks to `n`, skipping every slot Aura assigns to `offline`; returns how many of
/// the skipped slots follow a block with a slot (those the tally counts as missed).
fn run_to_block_without(n: u32, offline: &AccountId) -> u32 {
	let mut missed = 0;
	while System::block_number() < n {
		let set = validators();
		let author_of = |slot: u64| set[(slot % set.len() as u64) as usize].clone();
		while author_of(common::next_slot()) == *offline {
			common::skip_slots(1);
			if pallet_validator_scoring::LastSlot::<Runtime>::get().is_some() {
				missed += 1;
			}
		}
		common::run_to_block(System::block_number() + 1);
	}
	missed
}

/// The events of the current block.
fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|record| record.event).collect()
}

/// Charlie misses every slot of session 0 and is reported; returns the slash it waits for.
fn charlie_misses_session_0(
	network: &Network,
) -> pallet_staking::UnappliedSlash<AccountId, Balance> {
	let charlie = account(Charlie);
	assert_eq!(validators(), vec![account(Alice), charlie.clone()]);
	// Alice authors every block; Charlie's slot falls between each two of them.
	let missed = run_to_block_without(network.session_blocks - 1, &charlie) + 1;
	common::skip_slots(1);
	common::run_to_block(network.session_blocks);
	let unresponsive = events().into_iter().find_map(|event| match event {
		RuntimeEvent::ValidatorScoring(pallet_validator_scoring::Event::Unresponsive {
			collator,
			session,
			authored,
			expected,
			..
		}) => Some((collator, session, authored, expected)),
		_ => None,
	});
	assert_eq!(unresponsive, Some((charlie.clone(), 0, 0, missed)));
	assert!(missed >= network.session_blocks - 2);
	assert!(events().contains(&RuntimeEvent::Staking(pallet_staking::Event::SlashReported {
		validator: charlie.clone(),
		fraction: Perbill::from_percent(1),
		slash_era: 0,
	})));
	// Alice authored all her slots: no offence of hers.
	let (records, h) = ValidatorScoring::reliability_report(&account(Alice));
	assert_eq!(h, Perbill::one());
	assert_eq!(records.len(), 1);
	let (_, h) = ValidatorScoring::reliability_report(&charlie);
	assert_eq!(h, Perbill::zero());
	// Deferred: applied at the start of era 0 + 27 + 1.
	let mut slashes = pallet_staking::UnappliedSlashes::<Runtime>::get(28);
	assert_eq!(slashes.len(), 1);
	slashes.remove(0)
}

/// The block that starts era `era` when every era lasts [`SESSIONS_PER_ERA`] sessions.
fn era_start(network: &Network, era: u32) -> u32 {
	era * SESSIONS_PER_ERA * network.session_blocks
}

#[test]
fn a_collator_that_misses_its_slots_is_reported_and_slashed_after_the_deferral() {
	let network = two_collators();
	network.genesis().execute_with(|| {
		let (charlie, dave) = (account(Charlie), account(Dave));
		let slash = charlie_misses_session_0(&network);
		// 1 % of Charlie's own 3,000 and of Dave's 4,000 behind it.
		assert_eq!(slash.validator, charlie);
		assert_eq!(slash.own, 30 * UNITS);
		assert_eq!(slash.others, vec![(dave.clone(), 40 * UNITS)]);
		let bonded = |who: &AccountId| pallet_staking::Ledger::<Runtime>::get(who).unwrap().active;
		let (charlie_before, dave_before) = (bonded(&charlie), bonded(&dave));
		let treasury = btt_runtime::configs::TreasuryAccount::get();
		let treasury_before = btt_runtime::Balances::balance(&treasury);

		// Nothing happens until era 28 starts.
		common::run_to_block(era_start(&network, 28) - 1);
		assert_eq!((bonded(&charlie), bonded(&dave)), (charlie_before, dave_before));
		common::run_to_block(era_start(&network, 28) + 1);
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index), Some(28));
		assert_eq!(bonded(&charlie), charlie_before - 30 * UNITS);
		assert_eq!(bonded(&dave), dave_before - 40 * UNITS);
		// The slash went to the treasury.
		assert_eq!(btt_runtime::Balances::balance(&treasury), treasury_before + 70 * UNITS);
		assert!(pallet_staking::UnappliedSlashes::<Runtime>::get(28).is_empty());
		common::check_every_invariant();
	});
}

#[test]
fn governance_cancels_a_deferred_slash() {
	let network = two_collators();
	network.genesis().execute_with(|| {
		let (charlie, dave) = (account(Charlie), account(Dave));
		charlie_misses_session_0(&network);
		let bonded = |who: &AccountId| pallet_staking::Ledger::<Runtime>::get(who).unwrap().active;
		let (charlie_before, dave_before) = (bonded(&charlie), bonded(&dave));

		// The collator itself cannot cancel; the admin origin (root until issue 22) can.
		assert_noop!(
			Staking::cancel_deferred_slash(RuntimeOrigin::signed(charlie.clone()), 28, vec![0]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Staking::cancel_deferred_slash(RuntimeOrigin::root(), 28, vec![1]),
			pallet_staking::Error::<Runtime>::InvalidSlashIndex
		);
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), 28, vec![0]));
		assert!(pallet_staking::UnappliedSlashes::<Runtime>::get(28).is_empty());

		common::run_to_block(era_start(&network, 28) + 1);
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index), Some(28));
		// Rewards were restaked meanwhile; nothing was slashed.
		assert!(bonded(&charlie) >= charlie_before);
		assert!(bonded(&dave) >= dave_before);
		common::check_every_invariant();
	});
}

#[test]
fn a_collator_offline_for_three_sessions_is_chilled_and_replaced_at_the_next_era() {
	let network = two_collators();
	network.genesis().execute_with(|| {
		let charlie = account(Charlie);
		charlie_misses_session_0(&network);
		assert!(pallet_staking::Validators::<Runtime>::contains_key(&charlie));
		// Sessions 1 and 2 missed as well: chilled when session 2 ends.
		run_to_block_without(3 * network.session_blocks - 1, &charlie);
		common::skip_slots(1);
		common::run_to_block(3 * network.session_blocks);
		assert!(events().contains(&RuntimeEvent::ValidatorScoring(
			pallet_validator_scoring::Event::Chilled { collator: charlie.clone(), sessions: 3 }
		)));
		assert!(!pallet_staking::Validators::<Runtime>::contains_key(&charlie));
		assert_eq!(pallet_validator_scoring::Offending::<Runtime>::get(&charlie), 0);

		// Era 1 elects Bob (never offline) in Charlie's place.
		run_to_block_without(era_start(&network, 1), &charlie);
		assert_eq!(validators(), vec![account(Alice), account(Bob)]);
		common::check_every_invariant();
	});
}
