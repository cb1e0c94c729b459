//! The pallet's calls (a section of the pallet module, see `lib.rs`). Each checks its origin
//! and hands over to a `do_*` function.

use frame_support::pallet_macros::pallet_section;

/// The dispatchable calls of the validator scoring pallet.
#[pallet_section]
mod calls {
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Rates a candidate's compliance `C`, until `expires`.
		///
		/// - origin: `ComplianceOrigin`.
		/// - `candidate`: a staking stash (it need not be a candidate yet).
		/// - `value`: `C`, from 0 to 1.
		/// - `evidence`: the hash of the audit report behind the rating (kept off chain).
		/// - `expires`: a block after the current one; from it on the candidate counts as
		///   unrated.
		///
		/// Errors: `RatingExpired`, `TooManyRatings` (a new rating when
		/// [`Config::MaxRatings`] exist). Emits `Rated`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::rate())]
		pub fn rate(
			origin: OriginFor<T>,
			candidate: T::AccountId,
			value: Perbill,
			evidence: sp_core::H256,
			expires: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			Self::do_rate(candidate, Rating { value, evidence, expires })
		}

		/// Withdraws a candidate's rating: it counts as unrated.
		///
		/// - origin: `ComplianceOrigin`.
		///
		/// Errors: `NotRated`. Emits `RatingCleared`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::clear_rating())]
		pub fn clear_rating(origin: OriginFor<T>, candidate: T::AccountId) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			ensure!(Ratings::<T>::contains_key(&candidate), Error::<T>::NotRated);
			Ratings::<T>::remove(&candidate);
			Self::deposit_event(Event::RatingCleared { candidate });
			Ok(())
		}

		/// Sets the score's weights, from the next election on.
		///
		/// - origin: `AdminOrigin`.
		/// - `weights`: of `S`, `H` and `C`; they must sum to exactly one.
		///
		/// Errors: `WeightsNotUnit`. Emits `WeightsSet`. O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_weights())]
		pub fn set_weights(origin: OriginFor<T>, weights: ScoreWeights) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(weights.is_unit(), Error::<T>::WeightsNotUnit);
			Weights::<T>::put(weights);
			Self::deposit_event(Event::WeightsSet { weights });
			Ok(())
		}

		/// Sets the invulnerables, elected at every election whatever their score.
		///
		/// - origin: `AdminOrigin`.
		/// - `invulnerables`: distinct accounts with session keys, at most
		///   [`Config::MaxInvulnerables`]; empty to elect every seat by score.
		///
		/// Errors: `TooManyInvulnerables`, `DuplicateInvulnerable`, `NoSessionKeys`. Emits
		/// `InvulnerablesSet`. O(n log n) in the list's length.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_invulnerables(invulnerables.len() as u32))]
		pub fn set_invulnerables(
			origin: OriginFor<T>,
			invulnerables: Vec<T::AccountId>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_invulnerables(invulnerables)
		}
	}
}
