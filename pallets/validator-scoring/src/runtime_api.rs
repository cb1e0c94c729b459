//! The runtime API of the validator scoring pallet (`api.call.validatorScoringApi`).

use crate::{CandidateScore, Rating, SessionRecord};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Candidates' scores, the last election and collators' records.
	pub trait ValidatorScoringApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Every candidate with session keys scored now, in the order an election now would
		/// rank them (invulnerables first).
		fn scores() -> Vec<CandidateScore<AccountId>>;

		/// The latest election's collators with the scores they were elected by.
		fn last_election() -> Vec<CandidateScore<AccountId>>;

		/// A collator's ended sessions in the window, oldest first, and its `H` now.
		fn reliability(who: AccountId) -> (Vec<SessionRecord>, sp_runtime::Perbill);

		/// A candidate's compliance rating, if any (expired or not).
		fn rating(who: AccountId) -> Option<Rating<BlockNumber>>;
	}
}
