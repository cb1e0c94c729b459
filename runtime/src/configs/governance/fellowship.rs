//! The technical fellowship: a pallet-ranked-collective whose members vote on their own
//! referenda (a second pallet-referenda instance, one track). A passed fellowship referendum
//! dispatches with [`origins::Fellows`], which may whitelist a call for the public
//! whitelisted-caller track; membership is the fellowship-admin track's.
//!
//! Ranks: 0 a candidate (no vote), 1 a fellow, up to [`FELLOWSHIP_MAX_RANK`]; a member of
//! rank r casts r votes on approval and counts once towards support.

use super::{origins, tracks, ByPace, SubmissionDeposit, UndecidingTimeoutDevelopment};
use crate::{
	AccountId, Balances, BlockNumber, FellowshipReferenda, OriginCaller, Preimage, Runtime,
	RuntimeCall, RuntimeEvent, Scheduler, Treasury, DAYS,
};
use codec::Encode;
use frame_support::{
	parameter_types,
	traits::{
		schedule::{
			v3::{Anon as ScheduleAnon, Named as ScheduleNamed, TaskName},
			DispatchTime, Period, Priority,
		},
		AsEnsureOriginWithArg, Bounded, ConstU16, ConstU32, EitherOf, MapSuccess,
	},
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess};
use pallet_ranked_collective::{EnsureMember, Linear, Rank};
use sp_runtime::traits::{ConvertToValue, Identity, Replace};
use sp_runtime::DispatchError;

/// The fellowship's pallet-ranked-collective instance.
pub type FellowshipCollectiveInstance = pallet_ranked_collective::Instance1;
/// The fellowship's pallet-referenda instance.
pub type FellowshipReferendaInstance = pallet_referenda::Instance2;
/// The fellowship, as other pallets name it.
pub type FellowshipCollective =
	pallet_ranked_collective::Pallet<Runtime, FellowshipCollectiveInstance>;

/// The highest rank of the fellowship.
pub const FELLOWSHIP_MAX_RANK: Rank = 3;

/// Root or the fellowship-admin track, either able to move a member up to the top rank.
type FellowshipAdminUpToTop = EitherOf<
	EnsureRootWithSuccess<AccountId, ConstU16<FELLOWSHIP_MAX_RANK>>,
	MapSuccess<origins::FellowshipAdmin, Replace<ConstU16<FELLOWSHIP_MAX_RANK>>>,
>;

parameter_types! {
	/// At most this many members per rank: the fellowship is a small, vetted body.
	pub const MaxFellowsPerRank: u32 = 100;
}

impl pallet_ranked_collective::Config<FellowshipCollectiveInstance> for Runtime {
	type WeightInfo = pallet_ranked_collective::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EitherOf<EnsureRoot<AccountId>, origins::FellowshipAdmin>;
	type RemoveOrigin = FellowshipAdminUpToTop;
	type PromoteOrigin = FellowshipAdminUpToTop;
	type DemoteOrigin = FellowshipAdminUpToTop;
	type ExchangeOrigin = EitherOf<EnsureRoot<AccountId>, origins::FellowshipAdmin>;
	type Polls = FellowshipReferenda;
	// A fellowship track's id is the least rank that votes on it.
	type MinRankOfClass = Identity;
	type MemberSwappedHandler = ();
	type VoteWeight = Linear;
	type MaxMemberCount = ConvertToValue<MaxFellowsPerRank>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkSetup = ();
}

parameter_types! {
	pub const FellowshipUndecidingTimeoutProduction: BlockNumber = 7 * DAYS;
}

/// The scheduler as the fellowship's referenda use it. pallet-referenda names a passed
/// referendum's enactment task after its index alone, so the fellowship's referendum `n` and
/// the public referendum `n` would share a task name: whichever passed second would silently
/// never be enacted while the other waited. Here the fellowship's task names are re-hashed
/// under a prefix of their own; anonymous tasks (alarms) pass through.
pub struct FellowshipScheduler;

/// The fellowship's name for the task pallet-referenda calls `id`.
fn fellowship_task(id: TaskName) -> TaskName {
	(b"fellowship", id).using_encoded(sp_io::hashing::blake2_256)
}

impl ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller> for FellowshipScheduler {
	type Address = <Scheduler as ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller>>::Address;
	type Hasher = <Scheduler as ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller>>::Hasher;

	fn schedule(
		when: DispatchTime<BlockNumber>,
		maybe_periodic: Option<Period<BlockNumber>>,
		priority: Priority,
		origin: OriginCaller,
		call: Bounded<RuntimeCall, Self::Hasher>,
	) -> Result<Self::Address, DispatchError> {
		<Scheduler as ScheduleAnon<_, _, _>>::schedule(when, maybe_periodic, priority, origin, call)
	}

	fn cancel(address: Self::Address) -> Result<(), DispatchError> {
		<Scheduler as ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller>>::cancel(address)
	}

	fn reschedule(
		address: Self::Address,
		when: DispatchTime<BlockNumber>,
	) -> Result<Self::Address, DispatchError> {
		<Scheduler as ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller>>::reschedule(
			address, when,
		)
	}

	fn next_dispatch_time(address: Self::Address) -> Result<BlockNumber, DispatchError> {
		<Scheduler as ScheduleAnon<BlockNumber, RuntimeCall, OriginCaller>>::next_dispatch_time(
			address,
		)
	}
}

impl ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller> for FellowshipScheduler {
	type Address = <Scheduler as ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller>>::Address;
	type Hasher = <Scheduler as ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller>>::Hasher;

	fn schedule_named(
		id: TaskName,
		when: DispatchTime<BlockNumber>,
		maybe_periodic: Option<Period<BlockNumber>>,
		priority: Priority,
		origin: OriginCaller,
		call: Bounded<RuntimeCall, Self::Hasher>,
	) -> Result<Self::Address, DispatchError> {
		<Scheduler as ScheduleNamed<_, _, _>>::schedule_named(
			fellowship_task(id),
			when,
			maybe_periodic,
			priority,
			origin,
			call,
		)
	}

	fn cancel_named(id: TaskName) -> Result<(), DispatchError> {
		<Scheduler as ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller>>::cancel_named(
			fellowship_task(id),
		)
	}

	fn reschedule_named(
		id: TaskName,
		when: DispatchTime<BlockNumber>,
	) -> Result<Self::Address, DispatchError> {
		<Scheduler as ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller>>::reschedule_named(
			fellowship_task(id),
			when,
		)
	}

	fn next_dispatch_time(id: TaskName) -> Result<BlockNumber, DispatchError> {
		<Scheduler as ScheduleNamed<BlockNumber, RuntimeCall, OriginCaller>>::next_dispatch_time(
			fellowship_task(id),
		)
	}
}

/// The fellowship's referenda: members of rank 1 and up submit; only the fellowship's track.
impl pallet_referenda::Config<FellowshipReferendaInstance> for Runtime {
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = FellowshipScheduler;
	type Currency = Balances;
	type SubmitOrigin =
		AsEnsureOriginWithArg<EnsureMember<Runtime, FellowshipCollectiveInstance, 1>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::FellowshipAdmin>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::FellowshipAdmin>;
	type Slash = Treasury;
	type Votes = pallet_ranked_collective::Votes;
	type Tally = pallet_ranked_collective::TallyOf<Runtime, FellowshipCollectiveInstance>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<10>;
	type UndecidingTimeout =
		ByPace<FellowshipUndecidingTimeoutProduction, UndecidingTimeoutDevelopment>;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::FellowshipTracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
