//! # Tokenization pallet
//!
//! Clinics turn dental equipment, clinic real estate, intellectual property and future service
//! rights into compliant, fractional assets whose holders are paid their share of revenue
//! automatically, and trade the fractions on a fixed-price market.
//!
//! Built on FRAME's own parts:
//! - each asset's **digital twin** is an item of a pallet-nfts collection held in custody by
//!   this pallet's account, with the asset's category, jurisdiction and document hash as
//!   attributes; it is locked (transfer disabled) while the asset is fractionalized;
//! - its **fractions** are an asset of a dedicated pallet-assets instance whose only mover is
//!   this pallet: the runtime lets no origin call that instance, so every movement of fractions
//!   passes the asset's compliance rules and settles revenue first.
//!
//! ## Lifecycle
//! 1. [`Pallet::register_asset`]: a deposit is held from the issuer and the twin is minted.
//! 2. [`Pallet::attest_ownership`]: an accredited registrar attests the issuer's ownership.
//! 3. [`Pallet::submit_valuation`]: accredited valuers value the asset; the accepted value is
//!    the median of an odd number of fresh valuations once a quorum (at least 3) exists.
//! 4. [`Pallet::fractionalize`] / [`Pallet::unify`]: mint N fractions to the issuer, or burn
//!    all N, close every open order, clear attestation and valuations, and release the twin.
//! 5. Compliance: claims ([`Pallet::issue_claim`]) by accredited claim issuers and per-asset
//!    rules ([`Pallet::set_rules`]) decide who may receive fractions.
//! 6. Revenue: [`Pallet::deposit_revenue`] (or the [`btt_primitives::tokenization::AssetRevenue`]
//!    trait, or a scheduled [`Pallet::schedule_revenue`]) and [`Pallet::claim_revenue`], both
//!    O(1) in the number of holders, in BTT or a currency governance lists
//!    ([`Pallet::set_payment_currencies`]) and the asset accepts
//!    ([`Pallet::set_accepted_currencies`]).
//! 7. Market: [`Pallet::place_order`], [`Pallet::take_order`], [`Pallet::cancel_order`]; open
//!    only while the ownership attestation holds.
//!
//! The calls are in `calls.rs`, events and errors in `events.rs`, the logic in `functions.rs`
//! (lifecycle), `compliance.rs`, `revenue.rs`, `schedule.rs` and `market.rs`.
//!
//! The maths and the compliance model are in `docs/pallets/tokenization.md`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod calls;
mod compliance;
mod events;
mod functions;
mod impl_traits;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod market;
pub mod migrations;
#[cfg(test)]
mod mock;
mod queries;
mod revenue;
pub mod runtime_api;
mod schedule;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

#[import_section(events::events)]
#[import_section(calls::calls)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use btt_primitives::TokenizedAssetId;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible, fungibles, schedule::v3::Named as ScheduleNamed, tokens::nonfungibles_v2,
			OriginTrait,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Permill;

	/// The storage layout version. 1: lots per holder, scaled revenue with a carry, counted
	/// schedules and orders, listed currencies (see `migrations.rs`).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// The origin that, dispatched by the scheduler, pays a revenue schedule.
	pub type PalletsOriginOf<T> =
		<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeCall: From<Call<Self>>> {
		/// BTT: deposits are held in it, and it is one of the revenue and market currencies.
		type NativeBalance: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currencies revenue and prices are paid in: BTT and the pallet-assets assets.
		type Currencies: fungibles::Inspect<Self::AccountId, Balance = BalanceOf<Self>>
			+ fungibles::Mutate<Self::AccountId>;

		/// The id of BTT among [`Config::Currencies`].
		#[pallet::constant]
		type NativeCurrency: Get<CurrencyOf<Self>>;

		/// The pallet-assets instance holding the fractions; this pallet must be its only mover.
		type Fractions: fungibles::Inspect<
				Self::AccountId,
				AssetId = TokenizedAssetId,
				Balance = BalanceOf<Self>,
			> + fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>;

		/// Collection id type of [`Config::Nfts`].
		type NftCollectionId: Member + Parameter + MaxEncodedLen + Copy;

		/// Collection configuration type of [`Config::Nfts`].
		type NftCollectionConfig;

		/// Item configuration type of [`Config::Nfts`].
		type NftItemConfig;

		/// pallet-nfts, which holds the digital twins.
		type Nfts: nonfungibles_v2::Inspect<
				Self::AccountId,
				ItemId = TokenizedAssetId,
				CollectionId = Self::NftCollectionId,
			> + nonfungibles_v2::Create<Self::AccountId, Self::NftCollectionConfig>
			+ nonfungibles_v2::Mutate<Self::AccountId, Self::NftItemConfig>
			+ nonfungibles_v2::Transfer<Self::AccountId>;

		/// Configuration of the twin collection, created on the first registration.
		type TwinCollectionConfig: Get<Self::NftCollectionConfig>;

		/// Configuration of each twin.
		type TwinItemConfig: Get<Self::NftItemConfig>;

		/// What pallet-nfts reserves for a collection; the first registrant pays it once.
		#[pallet::constant]
		type TwinCollectionDeposit: Get<BalanceOf<Self>>;

		/// What pallet-nfts reserves for an item; each registrant pays it, refunded on retire.
		#[pallet::constant]
		type TwinItemDeposit: Get<BalanceOf<Self>>;

		/// Manages the accredited registrars, valuers and claim issuers.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives the pallet account: twin custodian, revenue and order escrow.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Received revenue rounding remainders before storage version 1; pending ones are still
		/// paid to it. Revenue is no longer rounded away (the remainder is carried).
		type DustAccount: Get<Self::AccountId>;

		/// Receives market fees (the treasury).
		type FeeDestination: Get<Self::AccountId>;

		/// Share of every market fill's payment taken as a fee, rounded up.
		#[pallet::constant]
		type MarketFee: Get<Permill>;

		/// Smallest order, as a share of the asset's fractions (rounded up, at least one); the
		/// order's total price must also reach the currency's minimum balance.
		#[pallet::constant]
		type MinOrderShare: Get<Permill>;

		/// Most open market orders one account may have, over all assets.
		#[pallet::constant]
		type MaxOrdersPerAccount: Get<u32>;

		/// Deposit held for an asset record.
		#[pallet::constant]
		type AssetDeposit: Get<BalanceOf<Self>>;

		/// Additional deposit held per byte of an asset's document URI.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Deposit held for a market order.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from a claim issuer for each claim it records.
		#[pallet::constant]
		type ClaimDeposit: Get<BalanceOf<Self>>;

		/// Deposit held for a revenue schedule.
		#[pallet::constant]
		type ScheduleDeposit: Get<BalanceOf<Self>>;

		/// Further deposit held per payment of a revenue schedule.
		#[pallet::constant]
		type ScheduleDepositPerPayment: Get<BalanceOf<Self>>;

		/// Shortest period of a revenue schedule.
		#[pallet::constant]
		type MinSchedulePeriod: Get<BlockNumberFor<Self>>;

		/// Most revenue schedules one account may have.
		#[pallet::constant]
		type MaxSchedulesPerAccount: Get<u32>;

		/// Fresh valuations needed before a valuation is accepted (at least 3).
		#[pallet::constant]
		type ValuationQuorum: Get<u32>;

		/// Blocks a valuation stays fresh.
		#[pallet::constant]
		type ValuationMaxAge: Get<BlockNumberFor<Self>>;

		/// Most accounts that can hold one role at once (and valuations kept per asset).
		#[pallet::constant]
		type MaxAccredited: Get<u32>;

		/// Longest document URI.
		#[pallet::constant]
		type MaxUriLength: Get<u32>;

		/// Most jurisdictions in an allowed or blocked list.
		#[pallet::constant]
		type MaxJurisdictions: Get<u32>;

		/// Most currencies an asset's revenue can be paid in (BTT included).
		#[pallet::constant]
		type MaxRevenueCurrencies: Get<u32>;

		/// Most currencies besides BTT governance may list for revenue and prices. Each is an
		/// account of the pallet account in pallet-assets (a consumer reference): the bound
		/// keeps them below `MaxConsumers`.
		#[pallet::constant]
		type MaxPaymentCurrencies: Get<u32>;

		/// Most separately locked lots one holder keeps per asset (see [`Lot`]).
		#[pallet::constant]
		type MaxLockedLots: Get<u32>;

		/// Most holders of one asset's fractions (the asset's rules may set fewer).
		#[pallet::constant]
		type MaxHolders: Get<u32>;

		/// Most open market orders per asset.
		#[pallet::constant]
		type MaxOrdersPerAsset: Get<u32>;

		/// The scheduler that dispatches revenue schedules.
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			<Self as frame_system::Config>::RuntimeCall,
			PalletsOriginOf<Self>,
		>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates currencies and funds accounts for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self>;
	}

	/// Why the pallet holds BTT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for an asset record.
		#[codec(index = 0)]
		AssetRegistration,
		/// The deposit for a market order.
		#[codec(index = 1)]
		MarketOrder,
		/// The deposit a claim issuer pays for a claim.
		#[codec(index = 2)]
		Claim,
		/// The deposit for a revenue schedule.
		#[codec(index = 3)]
		RevenueSchedule,
	}

	/// The id the next registered asset receives.
	#[pallet::storage]
	pub type NextAssetId<T> = StorageValue<_, TokenizedAssetId, ValueQuery>;

	/// The registered assets.
	#[pallet::storage]
	pub type Assets<T: Config> =
		StorageMap<_, Blake2_128Concat, TokenizedAssetId, AssetDetailsOf<T>>;

	/// The compliance rules of each asset.
	#[pallet::storage]
	pub type Rules<T: Config> = StorageMap<_, Blake2_128Concat, TokenizedAssetId, RulesOf<T>>;

	/// The pallet-nfts collection of the digital twins, once created.
	#[pallet::storage]
	pub type TwinCollection<T: Config> = StorageValue<_, T::NftCollectionId>;

	/// Accredited registrars, valuers and claim issuers.
	#[pallet::storage]
	pub type Accredited<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Role, Blake2_128Concat, T::AccountId, ()>;

	/// How many accounts hold each role.
	#[pallet::storage]
	pub type AccreditedCount<T> = StorageMap<_, Twox64Concat, Role, u32, ValueQuery>;

	/// The latest valuation of each valuer, per asset.
	#[pallet::storage]
	pub type Valuations<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		BoundedVec<(T::AccountId, Valuation<BalanceOf<T>, BlockNumberFor<T>>), T::MaxAccredited>,
		ValueQuery,
	>;

	/// Claims about accounts, by topic.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ClaimTopic,
		(ClaimOf<T>, BalanceOf<T>),
	>;

	/// Accounts holding fractions of an asset, with their still locked lots (oldest first).
	#[pallet::storage]
	pub type Holdings<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		T::AccountId,
		LotsOf<T>,
	>;

	/// How many accounts hold fractions of each asset.
	#[pallet::storage]
	pub type HolderCount<T> = StorageMap<_, Blake2_128Concat, TokenizedAssetId, u32, ValueQuery>;

	/// The currencies besides BTT that governance lists for revenue and market prices.
	#[pallet::storage]
	pub type PaymentCurrencies<T: Config> =
		StorageValue<_, BoundedVec<CurrencyOf<T>, T::MaxPaymentCurrencies>, ValueQuery>;

	/// The listed currencies besides BTT an asset takes revenue in, chosen by its issuer.
	#[pallet::storage]
	pub type AcceptedCurrencies<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		BoundedVec<CurrencyOf<T>, T::MaxRevenueCurrencies>,
		ValueQuery,
	>;

	/// The currencies an asset's revenue has been paid in.
	#[pallet::storage]
	pub type RevenueCurrencies<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		BoundedVec<CurrencyOf<T>, T::MaxRevenueCurrencies>,
		ValueQuery,
	>;

	/// The revenue of each asset in each currency.
	#[pallet::storage]
	pub type RevenuePools<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		CurrencyOf<T>,
		RevenuePool<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Each holder's position in each revenue pool.
	#[pallet::storage]
	pub type RevenueCursors<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, TokenizedAssetId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, CurrencyOf<T>>,
		),
		RevenueCursor<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Rounding remainders held in the pallet account until the dust account can take them
	/// (a payment below a currency's minimum balance cannot create an account).
	#[pallet::storage]
	pub type PendingDust<T: Config> =
		StorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>, ValueQuery>;

	/// Market fees held in the pallet account until the fee destination can take them (a
	/// payment below a currency's minimum balance cannot create an account).
	#[pallet::storage]
	pub type PendingFees<T: Config> =
		StorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>, ValueQuery>;

	/// The minimum balance of each currency paid once into the pallet account so that it can
	/// never be reaped; it is nobody's revenue.
	#[pallet::storage]
	pub type EscrowBuffer<T: Config> = StorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>>;

	/// The id the next market order receives.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, OrderId, ValueQuery>;

	/// Open market orders.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderOf<T>>;

	/// Open market orders per asset.
	#[pallet::storage]
	pub type AssetOrders<T> =
		StorageDoubleMap<_, Blake2_128Concat, TokenizedAssetId, Twox64Concat, OrderId, ()>;

	/// How many orders are open per asset.
	#[pallet::storage]
	pub type OrderCount<T> = StorageMap<_, Blake2_128Concat, TokenizedAssetId, u32, ValueQuery>;

	/// How many orders each account has open.
	#[pallet::storage]
	pub type OrdersOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Fractions an account has offered in open sell orders; pallet-assets treats them as frozen.
	#[pallet::storage]
	pub type ListedFractions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		ValueQuery,
	>;

	/// Set only while this pallet itself moves fractions. At any other time every fraction is
	/// frozen in the fractions instance of pallet-assets (see the `FrozenBalance` impl), so even
	/// a root origin dispatching as a holder (`sudo_as`, `utility::dispatch_as`), which bypasses
	/// the runtime's call filter, cannot move fractions around the compliance rules.
	#[pallet::storage]
	pub type FractionsUnlocked<T> = StorageValue<_, bool, ValueQuery>;

	/// The id the next revenue schedule receives.
	#[pallet::storage]
	pub type NextScheduleId<T> = StorageValue<_, ScheduleId, ValueQuery>;

	/// Active revenue schedules; each has exactly one task in the scheduler, for its next
	/// payment.
	#[pallet::storage]
	pub type Schedules<T: Config> = StorageMap<_, Twox64Concat, ScheduleId, ScheduleOf<T>>;

	/// How many revenue schedules each account has.
	#[pallet::storage]
	pub type SchedulesOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use frame_system::ConsumerLimits;
			assert!(T::ValuationQuorum::get() >= 3, "a valuation quorum needs at least 3 valuers");
			assert!(
				T::MaxAccredited::get() >= T::ValuationQuorum::get(),
				"the quorum must be reachable"
			);
			assert!(T::MaxLockedLots::get() >= 1, "a holder needs room for one lot");
			assert!(T::MaxRevenueCurrencies::get() >= 1, "BTT is always a revenue currency");
			assert!(
				T::MinSchedulePeriod::get() >= 1u32.into(),
				"a schedule period of zero blocks would pay in a loop"
			);
			let consumers = <T as frame_system::Config>::MaxConsumers::max_consumers();
			// The pallet account: one reference per listed currency, its twin deposits, spare.
			assert!(
				T::MaxPaymentCurrencies::get().saturating_add(4) <= consumers,
				"listed currencies would exhaust the pallet account's consumer references"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
