//! The election: staking's candidates ranked by `V`, the top seats with their supports.
//!
//! Staking calls [`ElectionProvider::elect`] once per era, while the session rotates. Its
//! data provider lists the electable candidates (validators that called `validate`) and the
//! voters: each validator's self-vote with its own bond and each nominator's nominations, in
//! vote units. The election then:
//! 1. keeps the candidates with session keys (a collator without them cannot author);
//! 2. measures each candidate's approval backing (its self-vote and every nomination naming
//!    it) and scores it ([`Pallet::candidate_scores`]);
//! 3. elects the invulnerables with session keys, then the best-scored candidates
//!    ([`score::rank`]) until `desired_targets` seats are filled;
//! 4. splits each voter's stake evenly over the elected collators it voted for (the remainder
//!    to the first), so that every exposure staking records is backed by real bonds, and no
//!    voter is exposed for more than it bonded.

use crate::{
	score, CandidateScore, Config, ElectionError, Event, Invulnerables, LastElection, Pallet,
	Ratings, ScoreInputs, Weights,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_election_provider_support::{
	BoundedSupport, BoundedSupports, BoundedSupportsOf, DataProviderBounds, ElectionDataProvider,
	ElectionProvider, PageIndex, Support, VoterOf,
};
use frame_support::{
	traits::{ConstU32, Get, ValidatorRegistration},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Every candidate with session keys (and every invulnerable with keys, candidate or
	/// not), scored, best first: the election's ranking. Invulnerables come first.
	pub fn candidate_scores(
		targets: &[T::AccountId],
		voters: &[VoterOf<T::DataProvider>],
	) -> Vec<CandidateScore<T::AccountId>> {
		let mut backing: BTreeMap<T::AccountId, u128> = BTreeMap::new();
		for target in targets {
			backing.insert(target.clone(), 0);
		}
		for (_, weight, votes) in voters {
			let mut seen: Vec<&T::AccountId> = Vec::new();
			for target in votes.iter() {
				if seen.contains(&target) {
					continue;
				}
				seen.push(target);
				if let Some(total) = backing.get_mut(target) {
					*total = total.saturating_add(u128::from(*weight));
				}
			}
		}
		let largest = backing.values().copied().max().unwrap_or_default();
		let invulnerables = Invulnerables::<T>::get();
		let weights = Weights::<T>::get();
		let session = <T::ValidatorSet as frame_support::traits::ValidatorSet<_>>::session_index();
		let now = frame_system::Pallet::<T>::block_number();
		let score_of = |who: &T::AccountId, invulnerable: bool| {
			let stake = backing.get(who).copied().unwrap_or_default();
			let rating = Ratings::<T>::get(who).map(|rating| (rating.value, rating.expires));
			let inputs = ScoreInputs {
				stake: score::stake_share(stake, largest),
				reliability: Self::reliability_of(who, session),
				compliance: score::compliance(rating, now, T::UnratedCompliance::get()),
			};
			CandidateScore {
				who: who.clone(),
				backing: stake,
				inputs,
				score: score::score(&weights, &inputs),
				invulnerable,
			}
		};
		let mut ranked: Vec<CandidateScore<T::AccountId>> = invulnerables
			.iter()
			.filter(|who| T::SessionKeys::is_registered(who))
			.map(|who| score_of(who, true))
			.collect();
		let mut scored: Vec<CandidateScore<T::AccountId>> = backing
			.keys()
			.filter(|who| !invulnerables.contains(who) && T::SessionKeys::is_registered(who))
			.map(|who| score_of(who, false))
			.collect();
		scored.sort_by(|a, b| {
			score::rank((&a.who, a.score, a.backing), (&b.who, b.score, b.backing))
		});
		ranked.append(&mut scored);
		ranked
	}

	/// Every candidate scored now on staking's data, ranked as an election now would rank
	/// them (the runtime API's `scores`; empty if staking cannot provide its data).
	pub fn current_scores() -> Vec<CandidateScore<T::AccountId>> {
		let bounds = DataProviderBounds::default();
		match (
			T::DataProvider::electable_targets(bounds, 0),
			T::DataProvider::electing_voters(bounds, 0),
		) {
			(Ok(targets), Ok(voters)) => Self::candidate_scores(&targets, &voters),
			_ => Vec::new(),
		}
	}

	/// Runs the election on staking's data ([`ElectionProvider::elect`]).
	pub(crate) fn do_elect() -> Result<BoundedSupportsOf<Self>, ElectionError> {
		let bounds = DataProviderBounds::default();
		let targets =
			T::DataProvider::electable_targets(bounds, 0).map_err(ElectionError::DataProvider)?;
		let voters =
			T::DataProvider::electing_voters(bounds, 0).map_err(ElectionError::DataProvider)?;
		let desired = T::DataProvider::desired_targets()
			.map_err(ElectionError::DataProvider)?
			.min(T::MaxWinners::get()) as usize;
		let ranked = Self::candidate_scores(&targets, &voters);
		let elected: Vec<CandidateScore<T::AccountId>> = ranked.into_iter().take(desired).collect();
		if elected.is_empty() {
			return Err(ElectionError::NoCandidates);
		}

		let mut supports: Vec<(T::AccountId, Support<T::AccountId>)> = elected
			.iter()
			.map(|winner| (winner.who.clone(), Support { total: 0, voters: Vec::new() }))
			.collect();
		let seat: BTreeMap<T::AccountId, usize> =
			elected.iter().enumerate().map(|(index, winner)| (winner.who.clone(), index)).collect();
		for (voter, weight, votes) in &voters {
			let mut seats: Vec<usize> = votes.iter().filter_map(|t| seat.get(t).copied()).collect();
			seats.sort_unstable();
			seats.dedup();
			let Some(share) = u128::from(*weight).checked_div(seats.len() as u128) else {
				continue;
			};
			let remainder = u128::from(*weight) - share * seats.len() as u128;
			for (position, index) in seats.into_iter().enumerate() {
				let amount = if position == 0 { share + remainder } else { share };
				if amount.is_zero() {
					continue;
				}
				if let Some((_, support)) = supports.get_mut(index) {
					support.total = support.total.saturating_add(amount);
					support.voters.push((voter.clone(), amount));
				}
			}
		}

		let bounded: Vec<_> =
			supports.into_iter().map(|(who, support)| Self::bound_support(who, support)).collect();
		let candidates = targets.len() as u32;
		LastElection::<T>::put(BoundedVec::truncate_from(elected));
		Self::deposit_event(Event::Elected { collators: bounded.len() as u32, candidates });
		Ok(BoundedSupports(BoundedVec::truncate_from(bounded)))
	}
}

impl<T: Config> Pallet<T> {
	/// A support within [`Config::MaxBackersPerWinner`]: the collator's own bond always, then
	/// the largest nominations (ties by account); the total is what is kept.
	fn bound_support(
		who: T::AccountId,
		support: Support<T::AccountId>,
	) -> (T::AccountId, BoundedSupport<T::AccountId, T::MaxBackersPerWinner>) {
		let (mut kept, mut others): (Vec<_>, Vec<_>) =
			support.voters.into_iter().partition(|(voter, _)| *voter == who);
		others.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
		kept.append(&mut others);
		let voters = BoundedVec::truncate_from(kept);
		let total = voters.iter().fold(0u128, |sum, (_, amount)| sum.saturating_add(*amount));
		(who, BoundedSupport { total, voters })
	}
}

impl<T: Config> ElectionProvider for Pallet<T> {
	type AccountId = T::AccountId;
	type BlockNumber = BlockNumberFor<T>;
	type Error = ElectionError;
	type MaxWinnersPerPage = T::MaxWinners;
	type MaxBackersPerWinner = T::MaxBackersPerWinner;
	type MaxBackersPerWinnerFinal = T::MaxBackersPerWinner;
	type Pages = ConstU32<1>;
	type DataProvider = T::DataProvider;

	fn elect(page: PageIndex) -> Result<BoundedSupportsOf<Self>, Self::Error> {
		if page != 0 {
			return Err(ElectionError::NoSuchPage);
		}
		Self::do_elect()
	}

	/// The election runs at once, inside the session rotation.
	fn duration() -> Self::BlockNumber {
		Zero::zero()
	}

	fn start() -> Result<(), Self::Error> {
		Ok(())
	}

	/// Never in progress (`Err`): staking's `election_ongoing` is false between elections.
	fn status() -> Result<Option<Weight>, ()> {
		Err(())
	}
}
