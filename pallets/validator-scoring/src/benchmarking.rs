//! Benchmarks of the pallet's calls and its per-block slot tally (the worst case of each:
//! a new rating when all but one seat of [`Config::MaxRatings`] is taken, the most
//! invulnerables, a block after the most missed slots of the largest set).
//!
//! The election ([`ElectionProvider::elect`]: the most candidates, the most nominators each
//! naming the most candidates, every seat filled) and the end of a session (the largest set,
//! every collator unresponsive, reported to staking and chilled, with nominators exposed to
//! it) run inside pallet-session's rotation, which claims the whole block: their weights are
//! the figures that show the rotation fits in it (`runtime/tests/integrity.rs`). The runtime's
//! benchmarks run them on its real pallet-staking.

use super::*;
use crate::Pallet as Scoring;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_election_provider_support::{ElectionDataProvider, ElectionProvider};
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::Perbill;

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn rate() -> Result<(), BenchmarkError> {
		let compliance =
			T::ComplianceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		for index in 1..T::MaxRatings::get() {
			let who: T::AccountId = account("rated", index, 0);
			Ratings::<T>::insert(
				&who,
				Rating { value: Perbill::one(), evidence: H256::zero(), expires: 100u32.into() },
			);
		}
		let candidate: T::AccountId = account("candidate", 0, 0);
		let expires = frame_system::Pallet::<T>::block_number() + 100u32.into();

		#[extrinsic_call]
		_(
			compliance as T::RuntimeOrigin,
			candidate.clone(),
			Perbill::from_percent(80),
			H256::repeat_byte(1),
			expires,
		);

		assert!(Ratings::<T>::contains_key(&candidate));
		Ok(())
	}

	#[benchmark]
	fn clear_rating() -> Result<(), BenchmarkError> {
		let compliance =
			T::ComplianceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let candidate: T::AccountId = account("candidate", 0, 0);
		Ratings::<T>::insert(
			&candidate,
			Rating { value: Perbill::one(), evidence: H256::zero(), expires: 100u32.into() },
		);

		#[extrinsic_call]
		_(compliance as T::RuntimeOrigin, candidate.clone());

		assert!(!Ratings::<T>::contains_key(&candidate));
		Ok(())
	}

	#[benchmark]
	fn set_weights() -> Result<(), BenchmarkError> {
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let weights = ScoreWeights {
			stake: Perbill::from_percent(50),
			reliability: Perbill::from_percent(30),
			compliance: Perbill::from_percent(20),
		};

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, weights);

		assert_eq!(Weights::<T>::get(), weights);
		Ok(())
	}

	#[benchmark]
	fn set_invulnerables(
		n: Linear<1, { T::MaxInvulnerables::get() }>,
	) -> Result<(), BenchmarkError> {
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let invulnerables: Vec<T::AccountId> = (0..n)
			.map(|index| {
				let who: T::AccountId = account("invulnerable", index, 0);
				T::BenchmarkHelper::register_keys(&who);
				who
			})
			.collect();

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, invulnerables.clone());

		assert_eq!(Invulnerables::<T>::get().to_vec(), invulnerables);
		Ok(())
	}

	#[benchmark]
	fn note_slot(m: Linear<0, { T::MaxAuthorities::get().saturating_sub(1) }>) {
		let count = T::MaxAuthorities::get();
		let tally: Vec<SlotTally> = (0..count).map(|_| SlotTally::default()).collect();
		Tally::<T>::put(BoundedVec::truncate_from(tally));
		let last = 1_000u64;
		LastSlot::<T>::put(last);
		let slot = last + u64::from(m) + 1;

		#[block]
		{
			Scoring::<T>::note_slot(slot);
		}

		assert_eq!(LastSlot::<T>::get(), Some(slot));
		let expected: u32 = Tally::<T>::get().iter().map(|entry| entry.expected).sum();
		assert_eq!(expected, m + 1);
	}

	#[benchmark]
	fn elect(
		c: Linear<1, { T::MaxWinners::get() }>,
		v: Linear<0, { <T::BenchmarkHelper as BenchmarkHelper<T::AccountId>>::MAX_NOMINATORS }>,
	) -> Result<(), BenchmarkError> {
		T::DataProvider::clear();
		let candidates: Vec<T::AccountId> = (0..c)
			.map(|index| {
				let who: T::AccountId = account("candidate", index, 0);
				T::DataProvider::add_target(who.clone());
				T::BenchmarkHelper::register_keys(&who);
				who
			})
			.collect();
		// Each nominator names as many candidates as it may, overlapping its neighbours', so
		// that every support has many backers and every vote is split.
		let votes = <<T::DataProvider as ElectionDataProvider>::MaxVotesPerVoter as Get<u32>>::get()
			.min(c) as usize;
		for index in 0..v {
			let voter: T::AccountId = account("nominator", index, 0);
			let targets: Vec<T::AccountId> = (0..votes)
				.map(|k| candidates[(index as usize + k) % candidates.len()].clone())
				.collect();
			T::DataProvider::add_voter(
				voter,
				1_000_000 + u64::from(index),
				BoundedVec::truncate_from(targets),
			);
		}
		T::BenchmarkHelper::set_seats(c);

		let elected;
		#[block]
		{
			elected = <Scoring<T> as ElectionProvider>::elect(0);
		}

		let supports = elected.map_err(|_| BenchmarkError::Stop("the election failed"))?;
		assert_eq!(supports.len(), c as usize);
		assert_eq!(LastElection::<T>::get().len(), c as usize);
		Ok(())
	}

	#[benchmark]
	fn close_session(
		c: Linear<1, { T::MaxAuthorities::get() }>,
		b: Linear<0, { T::MaxBackersPerWinner::get() }>,
	) {
		let validators: Vec<T::AccountId> =
			(0..c).map(|index| account("collator", index, 0)).collect();
		T::BenchmarkHelper::set_validators(&validators, b);
		// Every collator missed all its slots, has a full record, and is one unresponsive
		// session short of being chilled: each is recorded, reported and chilled.
		let slots = T::MinExpectedSlots::get().max(1);
		let tally: Vec<SlotTally> =
			(0..c).map(|_| SlotTally { authored: 0, expected: slots }).collect();
		Tally::<T>::put(BoundedVec::truncate_from(tally));
		let window = T::ReliabilityWindow::get();
		let session = <T::ValidatorSet as frame_support::traits::ValidatorSet<_>>::session_index()
			.saturating_add(window);
		for who in &validators {
			let records: Vec<SessionRecord> = (0..window)
				.map(|k| SessionRecord {
					session: session - window + k,
					authored: slots,
					expected: slots,
				})
				.collect();
			History::<T>::insert(who, BoundedVec::truncate_from(records));
			Offending::<T>::insert(who, T::ChillAfterOffences::get().saturating_sub(1).max(1));
		}

		#[block]
		{
			Scoring::<T>::close_session(session);
		}

		for who in &validators {
			assert!(!Offending::<T>::contains_key(who), "every collator is chilled");
			assert_eq!(History::<T>::get(who).last().map(|r| r.authored), Some(0));
		}
	}

	impl_benchmark_test_suite!(Scoring, crate::mock::new_test_ext(&[1, 2, 3]), crate::mock::Test);
}
