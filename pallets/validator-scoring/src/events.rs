//! The pallet's events (a section of the pallet module, see `lib.rs`).

use frame_support::pallet_macros::pallet_section;

/// Events of the validator scoring pallet.
#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The compliance origin rated a candidate.
		Rated {
			candidate: T::AccountId,
			value: Perbill,
			evidence: sp_core::H256,
			expires: BlockNumberFor<T>,
		},
		/// The compliance origin withdrew a candidate's rating.
		RatingCleared { candidate: T::AccountId },
		/// Governance set the score's weights.
		WeightsSet { weights: ScoreWeights },
		/// Governance set the invulnerables.
		InvulnerablesSet { invulnerables: Vec<T::AccountId> },
		/// An election chose `collators` collators out of `candidates` with session keys.
		Elected { collators: u32, candidates: u32 },
		/// A session ended and its slots joined the collators' records.
		SessionScored { session: u32, collators: u32 },
		/// A collator authored less than the threshold of its slots in a session; it was
		/// reported to staking for a slash of `slash` of its exposure.
		Unresponsive {
			collator: T::AccountId,
			session: u32,
			authored: u32,
			expected: u32,
			slash: Perbill,
		},
		/// A collator offended `sessions` sessions in a row and was chilled.
		Chilled { collator: T::AccountId, sessions: u32 },
	}
}
