//! The origins that referenda dispatch with, one per track (`tracks.rs`), and the pace of
//! the tracks.
//!
//! A passed referendum dispatches its call with the origin of its track: `Root` on the root
//! track, one of [`Origin`]'s variants on the others. Each BTT pallet's admin calls accept
//! root or their own track's origin and nothing else (`super::ComplianceAdmin` and its
//! siblings), so a referendum on the rewards track cannot, say, re-rate a collator.

pub use pallet_governance_origins::*;

#[frame_support::pallet]
pub mod pallet_governance_origins {
	use crate::{Balance, UNITS};
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::RankedMembers};

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The technical fellowship, which the genesis may seed with members.
		type Fellowship: RankedMembers<AccountId = Self::AccountId, Rank = u16>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origins of the tracks other than root (`docs/governance.md` has who holds which).
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Dispatches a call the technical fellowship has whitelisted, as root.
		WhitelistedCaller,
		/// Staking and the collator election: invulnerables, score weights, slash cancels.
		StakingAdmin,
		/// Spends up to [`TREASURER_SPEND`] and rejects treasury proposals.
		Treasurer,
		/// Spends up to [`SMALL_SPEND`] from the treasury at once.
		SmallSpender,
		/// Spends up to [`BIG_SPEND`] from the treasury at once.
		BigSpender,
		/// Who is in the technical fellowship, and at which rank.
		FellowshipAdmin,
		/// Cancels a referendum (its deposits are refunded).
		ReferendumCanceller,
		/// Kills a referendum (its deposits are slashed to the treasury).
		ReferendumKiller,
		/// KYC and claim-issuer accreditation, the fraction market's currencies, and the
		/// collators' compliance ratings.
		Compliance,
		/// The DePIN model registry, its confidence weights, fee currencies and auditors.
		ClinicalModels,
		/// PayFi's receivable currencies, procedure code lists and arbitration.
		Payments,
		/// Patient-reward categories, budgets, providers, authors and merchants.
		Rewards,
		/// The technical fellowship's own origin: a passed fellowship referendum (ranks 1 and
		/// up vote) dispatches with it, and it may whitelist calls.
		Fellows,
	}

	/// The most one spend of the [`Origin::SmallSpender`] track may pay: 10,000 BTT.
	pub const SMALL_SPEND: Balance = 10_000 * UNITS;
	/// The most one spend of the [`Origin::BigSpender`] track may pay: 1,000,000 BTT.
	pub const BIG_SPEND: Balance = 1_000_000 * UNITS;
	/// The most one spend of the [`Origin::Treasurer`] track may pay: 10,000,000 BTT.
	pub const TREASURER_SPEND: Balance = 10_000_000 * UNITS;

	/// An `EnsureOrigin` per listed origin that accepts exactly that origin.
	macro_rules! ensure_exactly {
		($($name:ident),* $(,)?) => { $(
			#[doc = concat!("Accepts exactly [`Origin::", stringify!($name), "`].")]
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<(), O> {
					match o.into() {
						Ok(Origin::$name) => Ok(()),
						Ok(other) => Err(O::from(other)),
						Err(o) => Err(o),
					}
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)* };
	}
	ensure_exactly!(
		WhitelistedCaller,
		StakingAdmin,
		Treasurer,
		FellowshipAdmin,
		ReferendumCanceller,
		ReferendumKiller,
		Compliance,
		ClinicalModels,
		Payments,
		Rewards,
		Fellows,
	);

	/// The treasury's spend origins, succeeding with the most the origin may spend at once.
	pub struct Spender;
	impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for Spender {
		type Success = Balance;
		fn try_origin(o: O) -> Result<Balance, O> {
			match o.into() {
				Ok(Origin::SmallSpender) => Ok(SMALL_SPEND),
				Ok(Origin::BigSpender) => Ok(BIG_SPEND),
				Ok(Origin::Treasurer) => Ok(TREASURER_SPEND),
				Ok(other) => Err(O::from(other)),
				Err(o) => Err(o),
			}
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::Treasurer))
		}
	}

	/// How long the tracks' periods are: a live chain's days, or a development chain's blocks
	/// (`tracks.rs` has both, side by side).
	#[derive(
		Clone,
		Copy,
		Default,
		PartialEq,
		Eq,
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
		Debug,
		frame_support::Serialize,
		frame_support::Deserialize,
	)]
	#[serde(crate = "frame_support::__private::serde")]
	pub enum Pace {
		/// The production periods.
		#[default]
		Production,
		/// Periods of a few blocks, so that a referendum passes in minutes: development and
		/// local test networks only.
		Development,
	}

	/// The tracks' pace. Set by the genesis only: no call changes it, so a live chain's
	/// periods can only shorten by a runtime upgrade, itself a root referendum.
	#[pallet::storage]
	pub type TrackPace<T> = StorageValue<_, Pace, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The tracks' pace.
		pub pace: Pace,
		/// The technical fellowship's first members and their ranks.
		pub fellows: Vec<(T::AccountId, u16)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			TrackPace::<T>::put(self.pace);
			// A fellow listed twice or ranked above the top is a malformed chain spec: it is
			// skipped (reported by `defensive!`), never a panic in the runtime.
			for (who, rank) in &self.fellows {
				let seeded = T::Fellowship::induct(who)
					.and_then(|()| (0..*rank).try_for_each(|_| T::Fellowship::promote(who)));
				if seeded.is_err() {
					frame_support::defensive!(
						"a genesis fellow is listed twice or ranked too high"
					);
				}
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// The tracks' pace.
		pub fn pace() -> Pace {
			TrackPace::<T>::get()
		}
	}
}
