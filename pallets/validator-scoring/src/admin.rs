//! Governance's records: compliance ratings and invulnerables; and what staking tells the
//! pallet when a stash leaves.

use crate::{Config, Error, Event, History, Invulnerables, Offending, Pallet, RatingOf, Ratings};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{Get, ValidatorRegistration},
	BoundedVec,
};
use sp_runtime::DispatchResult;

impl<T: Config> Pallet<T> {
	/// Records `rating` for `candidate` (replacing its previous one).
	pub(crate) fn do_rate(candidate: T::AccountId, rating: RatingOf<T>) -> DispatchResult {
		ensure!(
			rating.expires > frame_system::Pallet::<T>::block_number(),
			Error::<T>::RatingExpired
		);
		ensure!(
			Ratings::<T>::contains_key(&candidate) || Ratings::<T>::count() < T::MaxRatings::get(),
			Error::<T>::TooManyRatings
		);
		Ratings::<T>::insert(&candidate, rating);
		Self::deposit_event(Event::Rated {
			candidate,
			value: rating.value,
			evidence: rating.evidence,
			expires: rating.expires,
		});
		Ok(())
	}

	/// Sets the invulnerables: distinct, with session keys, at most
	/// [`Config::MaxInvulnerables`].
	pub(crate) fn do_set_invulnerables(invulnerables: Vec<T::AccountId>) -> DispatchResult {
		let mut sorted = invulnerables.clone();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == invulnerables.len(), Error::<T>::DuplicateInvulnerable);
		ensure!(invulnerables.iter().all(T::SessionKeys::is_registered), Error::<T>::NoSessionKeys);
		let bounded: BoundedVec<_, T::MaxInvulnerables> =
			invulnerables.clone().try_into().map_err(|_| Error::<T>::TooManyInvulnerables)?;
		Invulnerables::<T>::put(bounded);
		Self::deposit_event(Event::InvulnerablesSet { invulnerables });
		Ok(())
	}

	/// Forgets a stash that left staking: its record, offences and rating. Each record is
	/// tied to a bonded stash, so the bond pays for it.
	pub(crate) fn forget(who: &T::AccountId) {
		History::<T>::remove(who);
		Offending::<T>::remove(who);
		Ratings::<T>::remove(who);
	}
}

impl<T: Config, Balance> sp_staking::OnStakingUpdate<T::AccountId, Balance> for Pallet<T> {
	fn on_unstake(who: &T::AccountId) {
		Self::forget(who)
	}
}
