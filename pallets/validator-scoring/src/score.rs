//! The seeds' validator score and the measures it reads, each in one named function, in fixed
//! point.

use core::cmp::Ordering;
use sp_runtime::{traits::Saturating, Perbill};

/// The weights of the score's three terms; they sum to one ([`ScoreWeights::is_unit`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub struct ScoreWeights {
	/// The weight of the stake share `S` (the seeds: 0.4).
	pub stake: Perbill,
	/// The weight of the reliability `H` (the seeds: 0.35).
	pub reliability: Perbill,
	/// The weight of the compliance rating `C` (the seeds: 0.25).
	pub compliance: Perbill,
}

impl ScoreWeights {
	/// The seeds' weights: `0.4·S + 0.35·H + 0.25·C`.
	pub const SEEDS: Self = Self {
		stake: Perbill::from_percent(40),
		reliability: Perbill::from_percent(35),
		compliance: Perbill::from_percent(25),
	};

	/// Whether the three weights sum to exactly one.
	pub fn is_unit(&self) -> bool {
		let sum = u64::from(self.stake.deconstruct())
			+ u64::from(self.reliability.deconstruct())
			+ u64::from(self.compliance.deconstruct());
		sum == u64::from(Perbill::one().deconstruct())
	}
}

impl Default for ScoreWeights {
	fn default() -> Self {
		Self::SEEDS
	}
}

/// The three inputs of the score, each a share from 0 to 1.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct ScoreInputs {
	/// `S`: the candidate's backing over the largest candidate's ([`stake_share`]).
	pub stake: Perbill,
	/// `H`: slots authored over slots assigned in the last sessions ([`reliability`]).
	pub reliability: Perbill,
	/// `C`: the compliance rating in force ([`compliance`]).
	pub compliance: Perbill,
}

/// The validator score, as the seeds write it: **`V = 0.4·S + 0.35·H + 0.25·C`**, with the
/// weights `w` a runtime parameter (governance may change them; they sum to one).
///
/// - `S` ([`ScoreInputs::stake`]): the candidate's total backing (its own bond and the
///   nominations naming it, as staking reports them to the election) over the largest
///   candidate's backing ([`stake_share`]);
/// - `H` ([`ScoreInputs::reliability`]): the Aura slots it authored over the slots assigned to
///   it in the last sessions, from the authorship record ([`reliability`]);
/// - `C` ([`ScoreInputs::compliance`]): the rating the compliance origin gave it, or the
///   default once that rating expired ([`compliance`]).
///
/// Each product rounds down and the sum saturates, so `V` is monotone in every input and
/// never above one.
pub fn score(weights: &ScoreWeights, inputs: &ScoreInputs) -> Perbill {
	(weights.stake * inputs.stake)
		.saturating_add(weights.reliability * inputs.reliability)
		.saturating_add(weights.compliance * inputs.compliance)
}

/// `S`: a candidate's backing as a share of the largest candidate's (0 when nobody has any).
pub fn stake_share(backing: u128, largest: u128) -> Perbill {
	if largest == 0 {
		return Perbill::zero();
	}
	Perbill::from_rational(backing.min(largest), largest)
}

/// `H`: slots authored over slots assigned, at most one; `prior` when nothing was assigned
/// yet (a new candidate).
pub fn reliability(authored: u32, expected: u32, prior: Perbill) -> Perbill {
	if expected == 0 {
		return prior;
	}
	Perbill::from_rational(authored.min(expected), expected)
}

/// `C`: the rating while it is in force (`now` before its expiry), otherwise `default` (an
/// unrated candidate, or one whose rating expired).
pub fn compliance<Moment: PartialOrd>(
	rating: Option<(Perbill, Moment)>,
	now: Moment,
	default: Perbill,
) -> Perbill {
	match rating {
		Some((value, expires)) if now < expires => value,
		_ => default,
	}
}

/// The election's order: the higher score first; equal scores by the larger backing; then by
/// the account's encoding, so that every node ranks a tie the same way.
pub fn rank<AccountId: Ord>(
	a: (&AccountId, Perbill, u128),
	b: (&AccountId, Perbill, u128),
) -> Ordering {
	b.1.cmp(&a.1).then_with(|| b.2.cmp(&a.2)).then_with(|| a.0.cmp(b.0))
}
