//! Benchmarks of the pallet's calls and its per-block slot tally (the worst case of each:
//! a new rating when all but one seat of [`Config::MaxRatings`] is taken, the most
//! invulnerables, a block after the most missed slots of the largest set).
//!
//! The election and the session's scoring run inside pallet-session's rotation, which claims
//! the whole block; the runtime's benchmarks measure them with staking's real data.

use super::*;
use crate::Pallet as Scoring;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
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

	impl_benchmark_test_suite!(Scoring, crate::mock::new_test_ext(&[1, 2, 3]), crate::mock::Test);
}
