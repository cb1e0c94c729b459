//! # Validator scoring pallet
//!
//! Collators are elected by the seeds' score **`V = 0.4·S + 0.35·H + 0.25·C`**
//! ([`score::score`]; issue 21, `docs/pallets/validator-scoring.md`).
//!
//! - **The election** (`election.rs`): this pallet is pallet-staking's `ElectionProvider`.
//!   At every era's election staking hands it its electable candidates and its voters (each
//!   validator's own bond and each nominator's nominations, `DataProvider = Staking`); the
//!   pallet ranks the candidates with session keys by `V` and returns the top
//!   `desired_targets` with their supports, so the exposures staking records are exactly the
//!   collators that then author. The [`Invulnerables`] governance sets are elected first,
//!   whatever their score: the floor that keeps the chain live.
//! - **`S`**: a candidate's approval backing (its own bond plus every nomination naming it)
//!   over the largest candidate's.
//! - **`H`** (`reliability.rs`): Aura assigns slot `s` to authority `s mod n`; every block
//!   tallies its slot as authored and the slots skipped since the previous block as missed by
//!   their authorities (a gap of `n` or more slots, a chain-wide outage, counts for nobody).
//!   When a session ends its tallies join each collator's last [`Config::ReliabilityWindow`]
//!   sessions; `H` is authored over assigned slots across them, [`Config::NewCandidateReliability`]
//!   for a collator with none.
//! - **`C`**: the [`Ratings`] the compliance origin sets, with an evidence hash and an expiry;
//!   an unrated or expired candidate counts [`Config::UnratedCompliance`].
//! - **Offences**: a collator that authored less than [`Config::OffenceThreshold`] of its
//!   slots in a session (of at least [`Config::MinExpectedSlots`]) is reported to staking's
//!   `OnOffenceHandler` with [`Config::UnresponsiveSlash`]; staking defers the slash, so
//!   governance can cancel it, and shares it with the nominators. After
//!   [`Config::ChillAfterOffences`] offending sessions in a row the collator is chilled.
//!
//! The pallet observes sessions through [`ObserveSessions`], which wraps the runtime's
//! session manager and passes its validator sets through unchanged.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod admin;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod calls;
mod election;
mod events;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod reliability;
pub mod runtime_api;
pub mod score;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use reliability::{ObserveSessions, SessionBlocks};
pub use types::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

#[import_section(events::events)]
#[import_section(calls::calls)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_election_provider_support::ElectionDataProvider;
	use frame_support::{
		pallet_prelude::*,
		traits::{ValidatorRegistration, ValidatorSetWithIdentification},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;
	use sp_staking::offence::OnOffenceHandler;

	/// The storage layout version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// An offender as staking's offence handler names it: the stash and its identification
	/// from the session history.
	pub type IdentificationTuple<T> = (
		<T as frame_system::Config>::AccountId,
		<<T as Config>::ValidatorSet as ValidatorSetWithIdentification<
			<T as frame_system::Config>::AccountId,
		>>::Identification,
	);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Staking: the electable candidates, the voters and how many collators to elect.
		type DataProvider: ElectionDataProvider<
			AccountId = Self::AccountId,
			BlockNumber = BlockNumberFor<Self>,
		>;

		/// The session's validators (Aura's authorities, in order) and their identification.
		type ValidatorSet: ValidatorSetWithIdentification<
			Self::AccountId,
			ValidatorId = Self::AccountId,
		>;

		/// Whether an account has session keys (collators without them cannot author).
		type SessionKeys: ValidatorRegistration<Self::AccountId>;

		/// The slot of the block being built.
		type CurrentSlot: CurrentSlot;

		/// Staking's offence handler, which defers and applies slashes.
		type Offences: OnOffenceHandler<Self::AccountId, IdentificationTuple<Self>, Weight>;

		/// Takes a repeatedly unresponsive collator off staking's candidates.
		type Chill: ChillCollator<Self::AccountId>;

		/// Rates candidates' compliance.
		type ComplianceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Sets the score's weights and the invulnerables.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most collators an election returns (staking's `MaxValidatorSet` at most).
		#[pallet::constant]
		type MaxWinners: Get<u32>;

		/// The most backers a collator's support lists (the largest are kept).
		#[pallet::constant]
		type MaxBackersPerWinner: Get<u32>;

		/// The most invulnerables (fewer than [`Config::MaxWinners`]).
		#[pallet::constant]
		type MaxInvulnerables: Get<u32>;

		/// The most compliance ratings in force.
		#[pallet::constant]
		type MaxRatings: Get<u32>;

		/// The most authorities in a session (Aura's `MaxAuthorities`).
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// Sessions `H` looks back over (1 or more).
		#[pallet::constant]
		type ReliabilityWindow: Get<u32>;

		/// `H` of a collator with no assigned slots in the window yet.
		#[pallet::constant]
		type NewCandidateReliability: Get<Perbill>;

		/// `C` of a candidate without a rating in force.
		#[pallet::constant]
		type UnratedCompliance: Get<Perbill>;

		/// The share of its slots under which a collator's session is an offence.
		#[pallet::constant]
		type OffenceThreshold: Get<Perbill>;

		/// The fewest slots a session must have assigned a collator for it to be judged.
		#[pallet::constant]
		type MinExpectedSlots: Get<u32>;

		/// The slash an unresponsive session reports (of the collator's exposure).
		#[pallet::constant]
		type UnresponsiveSlash: Get<Perbill>;

		/// Offending sessions in a row after which the collator is chilled.
		#[pallet::constant]
		type ChillAfterOffences: Get<u32>;

		/// Blocks per session unless genesis set [`SessionLength`] (pallet-session reads
		/// [`SessionBlocks`]).
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of the calls and hooks.
		type WeightInfo: WeightInfo;

		/// Gives benchmark accounts session keys.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The score's weights (the seeds' 0.4 / 0.35 / 0.25 unless governance changed them).
	#[pallet::storage]
	pub type Weights<T> = StorageValue<_, ScoreWeights, ValueQuery>;

	/// Compliance ratings in force or expired (an expired one counts as unrated).
	#[pallet::storage]
	pub type Ratings<T: Config> = CountedStorageMap<_, Twox64Concat, T::AccountId, RatingOf<T>>;

	/// Collators elected whatever their score (if they have session keys).
	#[pallet::storage]
	pub type Invulnerables<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxInvulnerables>, ValueQuery>;

	/// The session in progress: each authority's slots, by its index in the validator set.
	#[pallet::storage]
	pub type Tally<T: Config> =
		StorageValue<_, BoundedVec<SlotTally, T::MaxAuthorities>, ValueQuery>;

	/// The slot of the latest block.
	#[pallet::storage]
	pub type LastSlot<T> = StorageValue<_, u64>;

	/// Each collator's last [`Config::ReliabilityWindow`] ended sessions in a validator set,
	/// oldest first. Removed when its stash leaves staking.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Twox64Concat,
		T::AccountId,
		BoundedVec<SessionRecord, T::ReliabilityWindow>,
		ValueQuery,
	>;

	/// Offending sessions in a row, per collator (absent: none).
	#[pallet::storage]
	pub type Offending<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	/// Blocks per session, when genesis chose other than [`Config::DefaultSessionLength`] (a
	/// development chain's short sessions).
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>>;

	/// The latest election's collators with their scores, in the order elected.
	#[pallet::storage]
	pub type LastElection<T: Config> =
		StorageValue<_, BoundedVec<CandidateScore<T::AccountId>, T::MaxWinners>, ValueQuery>;

	#[pallet::error]
	pub enum Error<T> {
		/// The score's weights do not sum to one.
		WeightsNotUnit,
		/// The rating's expiry is not after the current block.
		RatingExpired,
		/// [`Config::MaxRatings`] ratings exist.
		TooManyRatings,
		/// The account has no rating.
		NotRated,
		/// More invulnerables than [`Config::MaxInvulnerables`].
		TooManyInvulnerables,
		/// An account is listed twice.
		DuplicateInvulnerable,
		/// An invulnerable has no session keys, so it could not author.
		NoSessionKeys,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The invulnerables.
		pub invulnerables: Vec<T::AccountId>,
		/// The score's weights (the seeds' if `None`).
		pub weights: Option<ScoreWeights>,
		/// Compliance ratings: candidate, `C`, evidence hash, expiry.
		pub ratings: Vec<(T::AccountId, Perbill, sp_core::H256, BlockNumberFor<T>)>,
		/// Blocks per session ([`Config::DefaultSessionLength`] if `None`; 2 at least).
		pub session_blocks: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let weights = self.weights.unwrap_or_default();
			assert!(weights.is_unit(), "the score's weights must sum to one");
			Weights::<T>::put(weights);
			let invulnerables: BoundedVec<_, T::MaxInvulnerables> =
				self.invulnerables.clone().try_into().expect("too many invulnerables");
			Invulnerables::<T>::put(invulnerables);
			for (who, value, evidence, expires) in &self.ratings {
				Ratings::<T>::insert(
					who,
					Rating { value: *value, evidence: *evidence, expires: *expires },
				);
			}
			assert!(Ratings::<T>::count() <= T::MaxRatings::get(), "too many ratings");
			if let Some(blocks) = self.session_blocks {
				assert!(blocks >= 2u32.into(), "a session lasts two blocks at least");
				SessionLength::<T>::put(blocks);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			match T::CurrentSlot::current_slot() {
				Some(slot) => Self::note_slot(slot),
				None => T::DbWeight::get().reads(0),
			}
		}

		fn integrity_test() {
			assert!(T::ReliabilityWindow::get() >= 1, "H needs a window of one session at least");
			assert!(
				T::MaxInvulnerables::get() < T::MaxWinners::get(),
				"invulnerables must leave seats to the score"
			);
			assert!(T::MaxBackersPerWinner::get() >= 1, "a collator's support lists itself");
			assert!(
				T::DefaultSessionLength::get() >= 2u32.into(),
				"a session lasts two blocks at least"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
