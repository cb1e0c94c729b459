//! Governance on the real runtime: each BTT admin call accepts root and its own track's origin
//! and refuses signed accounts and every other track; referenda on the development pace pass
//! or fail by their curves through the real scheduler; the fellowship whitelists a call that
//! the whitelisted-caller track then dispatches as root; the treasury takes its share of fees
//! and pays spends after their `valid_from`. Treasury and presets in `treasury.rs`.

#[path = "../common/mod.rs"]
mod common;

mod treasury;

use btt_runtime::{
	configs::governance::{
		pallet_governance_origins::Origin as Track, tracks::TRACKS, FellowshipReferendaInstance,
	},
	AccountId, Balance, Balances, ConvictionVoting, Fellowship, FellowshipReferenda, OriginCaller,
	Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, Whitelist,
	UNITS,
};
use codec::Encode;
use common::{check_every_invariant, dev_genesis, run_to_block};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Bounded, UnfilteredDispatchable},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_referenda::ReferendumInfo;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Hash as _, DispatchError, Perbill};

/// Every track origin other than root.
const TRACK_ORIGINS: [Track; 13] = [
	Track::WhitelistedCaller,
	Track::StakingAdmin,
	Track::Treasurer,
	Track::SmallSpender,
	Track::BigSpender,
	Track::FellowshipAdmin,
	Track::ReferendumCanceller,
	Track::ReferendumKiller,
	Track::Compliance,
	Track::ClinicalModels,
	Track::Payments,
	Track::Rewards,
	Track::Fellows,
];

fn account(who: Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// What a privileged call does from its own track on the development genesis.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
	/// It succeeds and changes the state.
	Changes,
	/// It passes the origin check and fails on the genesis' content (nothing to remove, no
	/// dispute to resolve): any error but `BadOrigin`.
	PassesTheOrigin,
}

/// Every privileged call of the BTT pallets (and staking's `AdminOrigin` calls), with the
/// track that owns it.
fn admin_calls() -> Vec<(&'static str, RuntimeCall, Track, Expect)> {
	use btt_primitives::depin::DiagnosticModule;
	use frame_support::traits::fungible::NativeOrWithId;
	use Expect::*;
	let dave = || account(Dave);
	let dusd = || NativeOrWithId::WithId(btt_runtime::genesis_config_presets::DEV_USD);
	let model = sp_core::H256::repeat_byte(0x31);
	type Vs = pallet_validator_scoring::Call<Runtime>;
	type Tk = pallet_tokenization::Call<Runtime>;
	type Dp = pallet_depin_registry::Call<Runtime>;
	type Pf = pallet_payfi::Call<Runtime>;
	type Pr = pallet_patient_rewards::Call<Runtime>;
	type St = pallet_staking::Call<Runtime>;
	let rate = Vs::rate {
		candidate: account(Bob),
		value: Perbill::from_percent(90),
		evidence: sp_core::H256::repeat_byte(7),
		expires: 1_000,
	};
	vec![
		("validator_scoring.rate", rate.into(), Track::Compliance, Changes),
		(
			"validator_scoring.clear_rating",
			Vs::clear_rating { candidate: account(Bob) }.into(),
			Track::Compliance,
			PassesTheOrigin,
		),
		(
			"validator_scoring.set_weights",
			Vs::set_weights { weights: Default::default() }.into(),
			Track::StakingAdmin,
			Changes,
		),
		(
			"validator_scoring.set_invulnerables",
			// Bob has no session keys on the development genesis: `NoSessionKeys`.
			Vs::set_invulnerables { invulnerables: vec![account(Alice), account(Bob)] }.into(),
			Track::StakingAdmin,
			PassesTheOrigin,
		),
		(
			"staking.set_min_commission",
			St::set_min_commission { new: Perbill::from_percent(5) }.into(),
			Track::StakingAdmin,
			Changes,
		),
		(
			"staking.cancel_deferred_slash",
			St::cancel_deferred_slash { era: 0, slash_indices: vec![0] }.into(),
			Track::StakingAdmin,
			PassesTheOrigin,
		),
		(
			"tokenization.accredit",
			Tk::accredit { role: pallet_tokenization::Role::Valuer, who: dave() }.into(),
			Track::Compliance,
			Changes,
		),
		(
			"tokenization.revoke_accreditation",
			Tk::revoke_accreditation { role: pallet_tokenization::Role::Valuer, who: dave() }
				.into(),
			Track::Compliance,
			PassesTheOrigin,
		),
		(
			"tokenization.set_payment_currencies",
			Tk::set_payment_currencies { currencies: vec![dusd()].try_into().unwrap() }.into(),
			Track::Compliance,
			Changes,
		),
		(
			"depin_registry.register_model",
			Dp::register_model {
				model,
				module: DiagnosticModule::CariesDetection,
				version: 2,
				quantization: 8,
			}
			.into(),
			Track::ClinicalModels,
			Changes,
		),
		(
			"depin_registry.retire_model",
			Dp::retire_model { model }.into(),
			Track::ClinicalModels,
			PassesTheOrigin,
		),
		(
			"depin_registry.set_confidence_weights",
			Dp::set_confidence_weights {
				module: DiagnosticModule::CariesDetection,
				weights: Default::default(),
			}
			.into(),
			Track::ClinicalModels,
			Changes,
		),
		(
			"depin_registry.set_fee_currency",
			Dp::set_fee_currency {
				currency: dusd(),
				least_fee: Some(2 * btt_runtime::genesis_config_presets::DEV_USD_UNIT),
			}
			.into(),
			Track::ClinicalModels,
			Changes,
		),
		(
			"depin_registry.add_auditor",
			Dp::add_auditor { auditor: dave() }.into(),
			Track::ClinicalModels,
			Changes,
		),
		(
			"depin_registry.remove_auditor",
			Dp::remove_auditor { auditor: dave() }.into(),
			Track::ClinicalModels,
			PassesTheOrigin,
		),
		(
			"payfi.set_receivable_currencies",
			Pf::set_receivable_currencies { currencies: vec![dusd()].try_into().unwrap() }.into(),
			Track::Payments,
			Changes,
		),
		(
			"payfi.set_procedure_list",
			Pf::set_procedure_list { codes: Some(Default::default()) }.into(),
			Track::Payments,
			Changes,
		),
		(
			"payfi.resolve_dispute",
			Pf::resolve_dispute { id: 0, payee_share: Default::default(), frivolous: false }.into(),
			Track::Payments,
			PassesTheOrigin,
		),
		(
			"payfi.resolve_claim",
			Pf::resolve_claim { claim: 0, award: 0, frivolous: false }.into(),
			Track::Payments,
			PassesTheOrigin,
		),
		(
			"patient_rewards.set_category",
			Pr::set_category {
				category: pallet_patient_rewards::Category::Hygiene,
				base: 12 * UNITS,
				consistency_base: 5 * UNITS,
			}
			.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.set_budget",
			Pr::set_budget { per_period: 50_000 * UNITS }.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.register_provider",
			Pr::register_provider { provider: dave() }.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.remove_provider",
			Pr::remove_provider { provider: dave() }.into(),
			Track::Rewards,
			PassesTheOrigin,
		),
		(
			"patient_rewards.register_author",
			Pr::register_author { author: dave() }.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.remove_author",
			Pr::remove_author { author: dave() }.into(),
			Track::Rewards,
			PassesTheOrigin,
		),
		(
			"patient_rewards.register_merchant",
			Pr::register_merchant { merchant: dave() }.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.remove_merchant",
			Pr::remove_merchant { merchant: dave() }.into(),
			Track::Rewards,
			PassesTheOrigin,
		),
		(
			"patient_rewards.list_benefit",
			Pr::list_benefit {
				benefit: 7,
				price: 100 * UNITS,
				terms: sp_core::H256::repeat_byte(9),
			}
			.into(),
			Track::Rewards,
			Changes,
		),
		(
			"patient_rewards.delist_benefit",
			Pr::delist_benefit { benefit: 7 }.into(),
			Track::Rewards,
			PassesTheOrigin,
		),
	]
}

fn track_origin(track: Track) -> RuntimeOrigin {
	RuntimeOrigin::from(OriginCaller::Origins(track))
}

/// Whether `result` is a bad-origin refusal.
fn is_bad_origin(result: &frame_support::dispatch::DispatchResultWithPostInfo) -> bool {
	matches!(result, Err(e) if e.error == DispatchError::BadOrigin)
}

#[test]
fn every_btt_admin_call_accepts_root_and_its_own_track_only() {
	for (what, call, own, expect) in admin_calls() {
		dev_genesis().execute_with(|| {
			let genesis = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let signed = call.clone().dispatch_bypass_filter(RuntimeOrigin::signed(account(Alice)));
			assert!(is_bad_origin(&signed), "{what} from a signed account: {signed:?}");
			for track in TRACK_ORIGINS.into_iter().filter(|track| *track != own) {
				let result = call.clone().dispatch_bypass_filter(track_origin(track.clone()));
				assert!(is_bad_origin(&result), "{what} from the {track:?} track: {result:?}");
			}
			// Everything refused above left the state as it was.
			assert_eq!(
				sp_io::storage::root(sp_runtime::StateVersion::V1),
				genesis,
				"{what}: a refused call changed the state"
			);
			let result = call.clone().dispatch_bypass_filter(track_origin(own.clone()));
			match expect {
				Expect::Changes => {
					assert!(result.is_ok(), "{what} from its own track: {result:?}");
					assert_ne!(
						sp_io::storage::root(sp_runtime::StateVersion::V1),
						genesis,
						"{what} from its own track changed nothing"
					);
				},
				Expect::PassesTheOrigin => assert!(
					result.is_err() && !is_bad_origin(&result),
					"{what} from its own track: {result:?}"
				),
			}
			check_every_invariant();
		});
		dev_genesis().execute_with(|| {
			let root = call.clone().dispatch_bypass_filter(RuntimeOrigin::root());
			assert!(!is_bad_origin(&root), "{what} as root: {root:?}");
			assert_eq!(root.is_ok(), expect == Expect::Changes, "{what} as root: {root:?}");
		});
	}
}

/// Notes `call`'s preimage from Alice and submits it for `origin`'s track, to be enacted a
/// block after it passes, Alice placing the decision deposit: returns the referendum's index.
fn propose(origin: OriginCaller, call: RuntimeCall) -> u32 {
	propose_enacted_after(origin, call, 1)
}

/// [`propose`], enacted `delay` blocks after it passes.
fn propose_enacted_after(origin: OriginCaller, call: RuntimeCall, delay: u32) -> u32 {
	let bytes = call.encode();
	let hash = <Runtime as frame_system::Config>::Hashing::hash(&bytes);
	assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(account(Alice)), bytes.clone()));
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		RuntimeOrigin::signed(account(Alice)),
		Box::new(origin),
		Bounded::Lookup { hash, len: bytes.len() as u32 },
		frame_support::traits::schedule::DispatchTime::After(delay),
	));
	assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(account(Alice)), index));
	index
}

/// `who` votes `balance` BTT on referendum `index` with 1× conviction.
fn vote(who: Sr25519Keyring, index: u32, aye: bool, balance: Balance) {
	assert_ok!(ConvictionVoting::vote(
		RuntimeOrigin::signed(account(who)),
		index,
		AccountVote::Standard { vote: Vote { aye, conviction: Conviction::Locked1x }, balance },
	));
}

/// Runs blocks until referendum `index` of the public referenda has ended, at most `limit`
/// blocks; returns the block it ended in.
fn run_until_ended(index: u32, limit: u32) -> u32 {
	let start = System::block_number();
	while matches!(
		pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
		Some(ReferendumInfo::Ongoing(_))
	) {
		assert!(System::block_number() < start + limit, "referendum {index} still ongoing");
		run_to_block(System::block_number() + 1);
	}
	System::block_number()
}

/// The scheduler's name of public referendum `index`'s enactment, as pallet-referenda
/// builds it.
fn enactment_task(index: u32) -> [u8; 32] {
	(*b"assembly", "enactment", index).using_encoded(sp_io::hashing::blake2_256)
}

/// Whether the scheduler dispatched public referendum `index`'s call in the current block
/// (its alarms, also scheduler tasks, are anonymous).
fn enacted_in_this_block(index: u32) -> bool {
	System::events().iter().any(|record| {
		matches!(
			record.event,
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { id: Some(id), .. })
				if id == enactment_task(index)
		)
	})
}

#[test]
fn a_root_referendum_with_enough_support_passes_and_is_enacted_by_the_scheduler() {
	dev_genesis().execute_with(|| {
		let before = pallet_staking::ValidatorCount::<Runtime>::get();
		let index = propose(
			OriginCaller::system(frame_system::RawOrigin::Root),
			pallet_staking::Call::set_validator_count { new: before + 3 }.into(),
		);
		for who in [Alice, Bob, Charlie, Dave, Eve, Ferdie] {
			vote(who, index, true, 900_000 * UNITS);
		}
		let ended = run_until_ended(index, 60);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(ReferendumInfo::Approved(..))
		));
		// Enactment: at least the track's one block after approval.
		let mut enacted = false;
		for _ in 0..3 {
			run_to_block(System::block_number() + 1);
			if enacted_in_this_block(index) {
				enacted = true;
				break;
			}
		}
		assert!(enacted, "approved at block {ended} and never enacted");
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), before + 3);
		// A vote locks what it weighs: Bob's 900,000 BTT stay locked after the referendum.
		let locks = pallet_balances::Locks::<Runtime>::get(account(Bob));
		assert!(
			locks.iter().any(|lock| lock.id == *b"pyconvot" && lock.amount == 900_000 * UNITS),
			"{locks:?}"
		);
		assert_noop!(
			Balances::transfer_keep_alive(
				RuntimeOrigin::signed(account(Bob)),
				account(Dave).into(),
				200_000 * UNITS
			),
			sp_runtime::TokenError::Frozen
		);
		check_every_invariant();
	});
}

#[test]
fn a_referendum_below_its_approval_curve_is_rejected_and_not_enacted() {
	dev_genesis().execute_with(|| {
		let before = pallet_staking::ValidatorCount::<Runtime>::get();
		let index = propose(
			OriginCaller::system(frame_system::RawOrigin::Root),
			pallet_staking::Call::set_validator_count { new: before + 3 }.into(),
		);
		// Plenty of support, but a third of the weighted votes aye: approval never reaches
		// the curve's 50 % floor.
		vote(Alice, index, true, 900_000 * UNITS);
		vote(Bob, index, false, 900_000 * UNITS);
		vote(Charlie, index, false, 900_000 * UNITS);
		run_until_ended(index, 60);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(ReferendumInfo::Rejected(..))
		));
		for _ in 0..5 {
			run_to_block(System::block_number() + 1);
			assert!(!enacted_in_this_block(index));
		}
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), before);
		check_every_invariant();
	});
}

#[test]
fn the_fellowship_origin_has_no_public_track_and_a_track_origin_cannot_be_claimed_by_signing() {
	dev_genesis().execute_with(|| {
		let call: RuntimeCall = frame_system::Call::remark { remark: vec![1] }.into();
		assert_noop!(
			Referenda::submit(
				RuntimeOrigin::signed(account(Dave)),
				Box::new(OriginCaller::Origins(Track::Fellows)),
				Bounded::Inline(call.encode().try_into().unwrap()),
				frame_support::traits::schedule::DispatchTime::After(1),
			),
			pallet_referenda::Error::<Runtime>::NoTrack
		);
		// Only fellowship members (rank 1 and up) submit fellowship referenda.
		assert_noop!(
			FellowshipReferenda::submit(
				RuntimeOrigin::signed(account(Dave)),
				Box::new(OriginCaller::Origins(Track::Fellows)),
				Bounded::Inline(call.encode().try_into().unwrap()),
				frame_support::traits::schedule::DispatchTime::After(1),
			),
			DispatchError::BadOrigin
		);
		// Signed accounts cannot whitelist, or dispatch a whitelisted call.
		let hash = <Runtime as frame_system::Config>::Hashing::hash(&call.encode());
		assert_noop!(
			Whitelist::whitelist_call(RuntimeOrigin::signed(account(Alice)), hash),
			DispatchError::BadOrigin
		);
		// A signed account may only relay a dispatch that a whitelisted-caller referendum
		// passed before the fellowship whitelisted it (pallet-whitelist's deferred dispatch).
		assert_noop!(
			Whitelist::dispatch_whitelisted_call_with_preimage(
				RuntimeOrigin::signed(account(Alice)),
				Box::new(call)
			),
			pallet_whitelist::Error::<Runtime>::DeferredDispatchNotFound
		);
	});
}

/// Submits a fellowship referendum (from Charlie, rank 1) to whitelist `call_hash`, which
/// Alice and Bob vote for: returns its index.
fn fellowship_whitelists(call_hash: sp_core::H256) -> u32 {
	let whitelist: RuntimeCall = pallet_whitelist::Call::whitelist_call { call_hash }.into();
	let index = pallet_referenda::ReferendumCount::<Runtime, FellowshipReferendaInstance>::get();
	assert_ok!(FellowshipReferenda::submit(
		RuntimeOrigin::signed(account(Charlie)),
		Box::new(OriginCaller::Origins(Track::Fellows)),
		Bounded::Inline(whitelist.encode().try_into().unwrap()),
		frame_support::traits::schedule::DispatchTime::After(1),
	));
	assert_ok!(FellowshipReferenda::place_decision_deposit(
		RuntimeOrigin::signed(account(Charlie)),
		index
	));
	assert_ok!(Fellowship::vote(RuntimeOrigin::signed(account(Alice)), index, true));
	assert_ok!(Fellowship::vote(RuntimeOrigin::signed(account(Bob)), index, true));
	index
}

/// Runs blocks until `done` holds, at most `limit` blocks.
fn run_until(what: &str, limit: u32, done: impl Fn() -> bool) {
	let start = System::block_number();
	while !done() {
		assert!(System::block_number() < start + limit, "{what}: not within {limit} blocks");
		run_to_block(System::block_number() + 1);
	}
}

#[test]
fn a_fellowship_referendum_and_a_public_one_of_the_same_index_are_both_enacted() {
	dev_genesis().execute_with(|| {
		let before = pallet_staking::ValidatorCount::<Runtime>::get();
		// Public referendum 0 passes and waits 30 blocks for its enactment...
		let public = propose_enacted_after(
			OriginCaller::system(frame_system::RawOrigin::Root),
			pallet_staking::Call::set_validator_count { new: before + 2 }.into(),
			30,
		);
		assert_eq!(public, 0);
		for who in [Alice, Bob, Charlie, Dave, Eve, Ferdie] {
			vote(who, public, true, 900_000 * UNITS);
		}
		run_until_ended(public, 60);
		// ...while fellowship referendum 0 passes and is enacted: pallet-referenda names both
		// enactments after index 0 alone; the fellowship's scheduler renames its own.
		let hash = sp_core::H256::repeat_byte(0x42);
		assert_eq!(fellowship_whitelists(hash), 0);
		run_until("the fellowship's enactment", 20, || {
			pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(hash)
		});
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), before);
		run_until("the public enactment", 40, || {
			pallet_staking::ValidatorCount::<Runtime>::get() == before + 2
		});
		check_every_invariant();
	});
}

#[test]
fn the_fellowship_whitelists_a_call_and_the_whitelisted_caller_track_dispatches_it_as_root() {
	dev_genesis().execute_with(|| {
		let before = pallet_staking::ValidatorCount::<Runtime>::get();
		let urgent: RuntimeCall =
			pallet_staking::Call::set_validator_count { new: before + 1 }.into();
		let urgent_hash = <Runtime as frame_system::Config>::Hashing::hash(&urgent.encode());

		// 1. A fellowship referendum to whitelist the call's hash; its fellows vote, a
		// non-member's vote is refused.
		let index = fellowship_whitelists(urgent_hash);
		assert_noop!(
			Fellowship::vote(RuntimeOrigin::signed(account(Dave)), index, true),
			pallet_ranked_collective::Error::<Runtime, pallet_ranked_collective::Instance1>::NotMember
		);
		run_until("the fellowship's whitelisting", 40, || {
			pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(urgent_hash)
		});
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime, FellowshipReferendaInstance>::get(index),
			Some(ReferendumInfo::Approved(..))
		));

		// 2. A public referendum on the whitelisted-caller track dispatches it as root.
		let dispatch: RuntimeCall =
			pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
				call: Box::new(urgent),
			}
			.into();
		let index = propose(OriginCaller::Origins(Track::WhitelistedCaller), dispatch);
		let status = match pallet_referenda::ReferendumInfoFor::<Runtime>::get(index) {
			Some(ReferendumInfo::Ongoing(status)) => status,
			other => panic!("{other:?}"),
		};
		assert_eq!(status.track, 1, "the whitelisted-caller track");
		for who in [Alice, Bob, Charlie, Dave] {
			vote(who, index, true, 900_000 * UNITS);
		}
		run_until_ended(index, 60);
		run_until("the whitelisted dispatch", 5, || {
			pallet_staking::ValidatorCount::<Runtime>::get() != before
		});
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), before + 1);
		assert!(!pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(urgent_hash));
		check_every_invariant();
	});
}

#[test]
fn every_track_is_consistent_at_both_paces_and_production_periods_are_days() {
	use pallet_referenda::TracksInfo as _;
	for pace in ["Production", "Development"] {
		common::genesis_from_preset_with(
			btt_runtime::genesis_config_presets::DEVELOPMENT,
			serde_json::json!({ "origins": { "pace": pace } }),
		)
		.execute_with(|| {
			assert_ok!(btt_runtime::configs::governance::tracks::TracksInfo::check_integrity());
			assert_ok!(
				btt_runtime::configs::governance::tracks::FellowshipTracksInfo::check_integrity()
			);
			let root = btt_runtime::configs::governance::tracks::TracksInfo::info(0).unwrap();
			let expected = if pace == "Production" { 14 * btt_runtime::DAYS } else { 24 };
			assert_eq!(root.decision_period, expected, "{pace}");
		});
	}
	assert_eq!(TRACKS.len(), 13);
}
