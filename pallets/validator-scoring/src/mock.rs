//! A test runtime: the pallet with staking, the session and consensus played by recorders.
//!
//! Staking's data (candidates, voters, the seats), the session's validator set and keys, the
//! slot of each block, staking's offence handler and chill are thread-local fakes the tests
//! set and read. The runtime's tests (`runtime/tests/validator_scoring.rs`) run the pallet
//! with the real pallet-staking, pallet-session and Aura.

use crate as pallet_validator_scoring;
use crate::ObserveSessions;
use core::cell::RefCell;
use frame_election_provider_support::{
	data_provider, DataProviderBounds, ElectionDataProvider, PageIndex, VoterOf,
};
use frame_support::{
	construct_runtime, derive_impl, parameter_types,
	traits::{
		ConstU32, ConstU64, Hooks, ValidatorRegistration, ValidatorSet,
		ValidatorSetWithIdentification,
	},
	weights::Weight,
	BoundedVec,
};
use frame_system::EnsureRoot;
use pallet_session::SessionManager;
use sp_runtime::{
	traits::{Convert, IdentityLookup},
	BuildStorage, DispatchResult, Perbill,
};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Scoring: pallet_validator_scoring,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type Block = Block;
}

/// Limits and parameters.
pub const MAX_WINNERS: u32 = 8;
pub const MAX_BACKERS: u32 = 4;
pub const MAX_INVULNERABLES: u32 = 2;
pub const MAX_RATINGS: u32 = 3;
pub const WINDOW: u32 = 3;
pub const PRIOR: Perbill = Perbill::from_percent(50);
pub const UNRATED: Perbill = Perbill::zero();
pub const THRESHOLD: Perbill = Perbill::from_percent(50);
pub const MIN_EXPECTED: u32 = 4;
pub const SLASH: Perbill = Perbill::from_percent(1);
pub const CHILL_AFTER: u32 = 2;

parameter_types! {
	pub const Prior: Perbill = PRIOR;
	pub const Unrated: Perbill = UNRATED;
	pub const Threshold: Perbill = THRESHOLD;
	pub const Slash: Perbill = SLASH;
}

impl pallet_validator_scoring::Config for Test {
	type DataProvider = FakeStaking;
	type ValidatorSet = FakeSession;
	type SessionKeys = FakeSession;
	type CurrentSlot = FakeSlot;
	type Offences = FakeOffences;
	type Chill = FakeChill;
	type ComplianceOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxWinners = ConstU32<MAX_WINNERS>;
	type MaxBackersPerWinner = ConstU32<MAX_BACKERS>;
	type MaxInvulnerables = ConstU32<MAX_INVULNERABLES>;
	type MaxRatings = ConstU32<MAX_RATINGS>;
	type MaxAuthorities = ConstU32<16>;
	type ReliabilityWindow = ConstU32<WINDOW>;
	type NewCandidateReliability = Prior;
	type UnratedCompliance = Unrated;
	type OffenceThreshold = Threshold;
	type MinExpectedSlots = ConstU32<MIN_EXPECTED>;
	type UnresponsiveSlash = Slash;
	type ChillAfterOffences = ConstU32<CHILL_AFTER>;
	type DefaultSessionLength = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FakeSession;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for FakeSession {
	const MAX_NOMINATORS: u32 = 64;

	fn register_keys(who: &AccountId) {
		with_keys(&[*who]);
	}

	fn set_seats(seats: u32) {
		world(|w| w.staking.desired = seats);
	}

	fn set_validators(validators: &[AccountId], _backers: u32) {
		world(|w| w.validators = validators.to_vec());
	}
}

/// What staking hands the election.
#[derive(Default)]
pub struct StakingData {
	/// Validators that called `validate`.
	pub targets: Vec<AccountId>,
	/// `(voter, vote weight, nominations)`; a validator's self-vote names itself.
	pub voters: Vec<(AccountId, u64, Vec<AccountId>)>,
	/// `ValidatorCount`.
	pub desired: u32,
	/// An error the data provider returns instead.
	pub fails: Option<&'static str>,
}

/// What the session and the recorders hold.
#[derive(Default)]
pub struct World {
	pub staking: StakingData,
	/// The session's validators, in Aura's order.
	pub validators: Vec<AccountId>,
	pub session: u32,
	/// Accounts with session keys.
	pub keys: Vec<AccountId>,
	/// The slot of the block being built.
	pub slot: Option<u64>,
	/// Offences reported: `(offender, slash, session)`.
	pub offences: Vec<(AccountId, Perbill, u32)>,
	/// Stashes chilled.
	pub chilled: Vec<AccountId>,
}

thread_local! {
	pub static WORLD: RefCell<World> = RefCell::new(World::default());
}

/// Reads or changes the fakes' world.
pub fn world<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|world| f(&mut world.borrow_mut()))
}

/// Staking as the election's data provider.
pub struct FakeStaking;

impl ElectionDataProvider for FakeStaking {
	type AccountId = AccountId;
	type BlockNumber = u64;
	type MaxVotesPerVoter = ConstU32<16>;

	fn electable_targets(
		_: DataProviderBounds,
		_: PageIndex,
	) -> data_provider::Result<Vec<AccountId>> {
		world(|w| w.staking.fails.map_or_else(|| Ok(w.staking.targets.clone()), Err))
	}

	fn electing_voters(
		_: DataProviderBounds,
		_: PageIndex,
	) -> data_provider::Result<Vec<VoterOf<Self>>> {
		world(|w| {
			if let Some(error) = w.staking.fails {
				return Err(error);
			}
			Ok(w.staking
				.voters
				.iter()
				.map(|(who, weight, votes)| {
					(*who, *weight, BoundedVec::truncate_from(votes.clone()))
				})
				.collect())
		})
	}

	fn desired_targets() -> data_provider::Result<u32> {
		world(|w| w.staking.fails.map_or(Ok(w.staking.desired), Err))
	}

	fn next_election_prediction(now: u64) -> u64 {
		now
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn add_voter(voter: AccountId, weight: u64, targets: BoundedVec<AccountId, ConstU32<16>>) {
		world(|w| w.staking.voters.push((voter, weight, targets.into_inner())));
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn add_target(target: AccountId) {
		world(|w| {
			w.staking.targets.push(target);
			w.staking.voters.push((target, 1_000, vec![target]));
		});
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn clear() {
		world(|w| w.staking = StakingData { desired: w.staking.desired, ..Default::default() });
	}
}

/// The session: its validators, index and keys.
pub struct FakeSession;

impl ValidatorSet<AccountId> for FakeSession {
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;

	fn session_index() -> u32 {
		world(|w| w.session)
	}

	fn validators() -> Vec<AccountId> {
		world(|w| w.validators.clone())
	}
}

/// Like staking's `UnitIdentificationOf`: an identification only for the session's
/// validators.
pub struct InSession;

impl Convert<AccountId, Option<()>> for InSession {
	fn convert(who: AccountId) -> Option<()> {
		world(|w| w.validators.contains(&who)).then_some(())
	}
}

impl ValidatorSetWithIdentification<AccountId> for FakeSession {
	type Identification = ();
	type IdentificationOf = InSession;
}

impl ValidatorRegistration<AccountId> for FakeSession {
	fn is_registered(who: &AccountId) -> bool {
		world(|w| w.keys.contains(who))
	}
}

/// The slot of the block being built.
pub struct FakeSlot;

impl crate::CurrentSlot for FakeSlot {
	fn current_slot() -> Option<u64> {
		world(|w| w.slot)
	}
}

/// Staking's offence handler.
pub struct FakeOffences;

impl OnOffenceHandler<AccountId, (AccountId, ()), Weight> for FakeOffences {
	fn on_offence(
		offenders: &[OffenceDetails<AccountId, (AccountId, ())>],
		slash: &[Perbill],
		session: u32,
	) -> Weight {
		world(|w| {
			for (details, fraction) in offenders.iter().zip(slash) {
				w.offences.push((details.offender.0, *fraction, session));
			}
		});
		Weight::zero()
	}
}

/// Staking's chill.
pub struct FakeChill;

impl crate::ChillCollator<AccountId> for FakeChill {
	fn chill(who: &AccountId) -> DispatchResult {
		world(|w| w.chilled.push(*who));
		Ok(())
	}
}

/// Builds the test externalities: `validators` (with keys) form session 0, whose tallies are
/// open.
pub fn new_test_ext(validators: &[AccountId]) -> sp_io::TestExternalities {
	world(|w| {
		*w = World::default();
		w.validators = validators.to_vec();
		w.keys = validators.to_vec();
	});
	let storage = RuntimeGenesisConfig::default().build_storage().expect("the genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		ObserveSessions::<Test, ()>::start_session(0);
	});
	ext
}

/// Runs a test and checks the pallet's invariants after it.
pub fn build_and_execute(validators: &[AccountId], test: impl FnOnce()) {
	new_test_ext(validators).execute_with(|| {
		test();
		Scoring::do_try_state().expect("the invariants hold");
	});
}

/// Builds the next block in `slot` (`None`: a block without a slot digest).
pub fn block_in(slot: Option<u64>) {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	world(|w| w.slot = slot);
	Scoring::on_initialize(next);
}

/// Builds one block in each of `slots`.
pub fn blocks_in(slots: impl IntoIterator<Item = u64>) {
	for slot in slots {
		block_in(Some(slot));
	}
}

/// Rotates the session as pallet-session does: the ended session is scored, `next` becomes
/// the set, and the new session's tallies open.
pub fn rotate(next: &[AccountId]) {
	let ended = world(|w| w.session);
	ObserveSessions::<Test, ()>::end_session(ended);
	world(|w| {
		w.validators = next.to_vec();
		w.session = ended + 1;
	});
	ObserveSessions::<Test, ()>::start_session(ended + 1);
}

/// Sets staking's data.
pub fn set_staking(targets: &[AccountId], voters: &[(AccountId, u64, &[AccountId])], desired: u32) {
	world(|w| {
		w.staking.targets = targets.to_vec();
		w.staking.voters =
			voters.iter().map(|(who, weight, votes)| (*who, *weight, votes.to_vec())).collect();
		w.staking.desired = desired;
	});
}

/// Gives accounts session keys.
pub fn with_keys(accounts: &[AccountId]) {
	world(|w| w.keys.extend_from_slice(accounts));
}

/// The events the pallet emitted.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Scoring(event) => Some(event),
			_ => None,
		})
		.collect()
}
