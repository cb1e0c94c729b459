//! The pallet's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

pub use crate::score::{ScoreInputs, ScoreWeights};

/// A compliance rating the compliance origin gave a candidate.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Rating<BlockNumber> {
	/// `C`, from 0 to 1.
	pub value: Perbill,
	/// The hash of the evidence behind it (an audit report kept off chain).
	pub evidence: H256,
	/// The block from which it no longer counts (the candidate's `C` is then
	/// [`crate::Config::UnratedCompliance`]).
	pub expires: BlockNumber,
}

/// A [`Rating`] of this runtime.
pub type RatingOf<T> = Rating<BlockNumberFor<T>>;

/// The slots of the session in progress of one authority (by its index in the session's
/// validator set, which is Aura's authority index).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SlotTally {
	/// Slots it authored a block in.
	pub authored: u32,
	/// Slots Aura assigned to it (authored or missed; slots of a chain-wide outage excluded).
	pub expected: u32,
}

/// One ended session of a collator's record.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SessionRecord {
	/// The session's index.
	pub session: u32,
	/// Slots it authored a block in.
	pub authored: u32,
	/// Slots Aura assigned to it.
	pub expected: u32,
}

/// A candidate's score as the election computed it.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct CandidateScore<AccountId> {
	/// The candidate (a staking stash).
	pub who: AccountId,
	/// Its approval backing: its own bond and every nomination naming it, in staking's vote
	/// units (`CurrencyToVote`).
	pub backing: u128,
	/// `S`, `H` and `C`.
	pub inputs: ScoreInputs,
	/// `V`.
	pub score: Perbill,
	/// Whether it is an invulnerable (elected whatever its score).
	pub invulnerable: bool,
}

/// Why an election produced no collators.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ElectionError {
	/// Staking could not provide its candidates, nominations or desired count.
	DataProvider(&'static str),
	/// No candidate (and no invulnerable) has session keys.
	NoCandidates,
	/// Only page 0 exists.
	NoSuchPage,
}

/// Takes a validator off staking's list of candidates ("chills" it); the runtime uses
/// pallet-staking's `StakingInterface::chill`.
pub trait ChillCollator<AccountId> {
	/// Stops `who` (a stash) from being electable until it calls `validate` again.
	fn chill(who: &AccountId) -> sp_runtime::DispatchResult;
}

impl<AccountId> ChillCollator<AccountId> for () {
	fn chill(_: &AccountId) -> sp_runtime::DispatchResult {
		Ok(())
	}
}

/// The current Aura slot of the block being built, read from its pre-runtime digest (`None`
/// when it carries none).
pub trait CurrentSlot {
	/// The slot.
	fn current_slot() -> Option<u64>;
}

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// The most nominators the runtime's staking keeps: the election's worst case.
	const MAX_NOMINATORS: u32;

	/// Gives `who` session keys, so that it may be elected or be an invulnerable.
	fn register_keys(who: &AccountId);

	/// Sets the seats of the next election (staking's `ValidatorCount`).
	fn set_seats(seats: u32);

	/// Makes `validators` the session's validator set in an active era, each a bonded
	/// candidate (so that it can be reported and chilled) exposed to `backers` nominators of
	/// its own (what a slash then reaches).
	fn set_validators(validators: &[AccountId], backers: u32);
}
