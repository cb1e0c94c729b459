//! The pallet's invariants, checked after every test and by `try-runtime`.

use crate::{Config, History, Invulnerables, LastElection, Pallet, Ratings, Tally, Weights};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks:
	/// - the score's weights sum to one; a session lasts two blocks at least;
	/// - no authority authored more slots than it was assigned, in the session in progress or
	///   in any record; records are in increasing session order;
	/// - the ratings are counted and at most [`Config::MaxRatings`];
	/// - the invulnerables are distinct;
	/// - the last election elected distinct collators, invulnerables first, and the
	///   scored collators follow in rank order.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(Weights::<T>::get().is_unit(), "the score's weights do not sum to one");
		ensure!(
			crate::SessionLength::<T>::get().map_or(true, |blocks| blocks >= 2u32.into()),
			"a session shorter than two blocks"
		);
		for entry in Tally::<T>::get() {
			ensure!(entry.authored <= entry.expected, "a tally authored more than it was assigned");
		}
		for (_, history) in History::<T>::iter() {
			ensure!(
				history.iter().all(|record| record.authored <= record.expected),
				"a session record authored more than it was assigned"
			);
			ensure!(
				history.windows(2).all(|pair| pair[0].session < pair[1].session),
				"session records out of order"
			);
		}
		let ratings = Ratings::<T>::iter().count() as u32;
		ensure!(ratings == Ratings::<T>::count(), "the ratings' count is wrong");
		ensure!(ratings <= T::MaxRatings::get(), "more ratings than the limit");
		let mut invulnerables = Invulnerables::<T>::get().into_inner();
		invulnerables.sort();
		let listed = invulnerables.len();
		invulnerables.dedup();
		ensure!(invulnerables.len() == listed, "an invulnerable is listed twice");
		let elected = LastElection::<T>::get();
		let mut who: alloc::vec::Vec<_> = elected.iter().map(|winner| winner.who.clone()).collect();
		who.sort();
		who.dedup();
		ensure!(who.len() == elected.len(), "a collator was elected twice");
		ensure!(
			elected.windows(2).all(|pair| pair[0].invulnerable || !pair[1].invulnerable),
			"an invulnerable was elected after a scored candidate"
		);
		ensure!(
			elected.windows(2).filter(|pair| !pair[0].invulnerable).all(|pair| {
				crate::score::rank(
					(&pair[0].who, pair[0].score, pair[0].backing),
					(&pair[1].who, pair[1].score, pair[1].backing),
				) == core::cmp::Ordering::Less
			}),
			"the scored collators were not elected in rank order"
		);
		Ok(())
	}
}
