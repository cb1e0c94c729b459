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
//!    the median of the fresh valuations once a quorum of them exists.
//! 4. [`Pallet::fractionalize`] / [`Pallet::unify`]: mint N fractions to the issuer, or burn
//!    all N and release the twin.
//! 5. Compliance: claims ([`Pallet::issue_claim`]) by accredited claim issuers and per-asset
//!    rules ([`Pallet::set_rules`]) decide who may receive fractions.
//! 6. Revenue: [`Pallet::deposit_revenue`] (or the [`btt_primitives::tokenization::AssetRevenue`]
//!    trait, or a scheduled [`Pallet::schedule_revenue`]) and [`Pallet::claim_revenue`], both
//!    O(1) in the number of holders.
//! 7. Market: [`Pallet::place_order`], [`Pallet::take_order`], [`Pallet::cancel_order`].
//!
//! The maths and the compliance model are in `docs/pallets/tokenization.md`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod compliance;
mod functions;
mod impl_traits;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod market;
#[cfg(test)]
mod mock;
mod queries;
mod revenue;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

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

	/// The origin that, dispatched by the scheduler, pays a revenue schedule.
	pub type PalletsOriginOf<T> =
		<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;

	#[pallet::pallet]
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

		/// Receives revenue rounding remainders.
		type DustAccount: Get<Self::AccountId>;

		/// Receives market fees (the treasury).
		type FeeDestination: Get<Self::AccountId>;

		/// Share of every market fill's payment taken as a fee.
		#[pallet::constant]
		type MarketFee: Get<Permill>;

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

		/// Fresh valuations needed before a valuation is accepted.
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

		/// Most currencies an asset's revenue can be paid in.
		#[pallet::constant]
		type MaxRevenueCurrencies: Get<u32>;

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
	pub type Assets<T: Config> = StorageMap<_, Blake2_128Concat, TokenizedAssetId, AssetDetailsOf<T>>;

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

	/// Accounts holding fractions of an asset, with the block they last received some.
	#[pallet::storage]
	pub type Holdings<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	/// How many accounts hold fractions of each asset.
	#[pallet::storage]
	pub type HolderCount<T> = StorageMap<_, Blake2_128Concat, TokenizedAssetId, u32, ValueQuery>;

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

	/// Active revenue schedules.
	#[pallet::storage]
	pub type Schedules<T: Config> = StorageMap<_, Twox64Concat, ScheduleId, ScheduleOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An asset was registered and its twin minted.
		AssetRegistered {
			asset: TokenizedAssetId,
			issuer: T::AccountId,
			category: AssetCategory,
			jurisdiction: Jurisdiction,
			document_hash: [u8; 32],
		},
		/// An asset's documents changed; its ownership attestation was cleared.
		DocumentsUpdated { asset: TokenizedAssetId, document_hash: [u8; 32] },
		/// An asset was retired: its twin burnt and its deposit released.
		AssetRetired { asset: TokenizedAssetId },
		/// An asset's compliance rules changed.
		RulesSet { asset: TokenizedAssetId },
		/// An account was accredited in a role.
		Accredited { role: Role, who: T::AccountId },
		/// An account lost a role.
		AccreditationRevoked { role: Role, who: T::AccountId },
		/// A registrar attested the issuer's ownership.
		OwnershipAttested {
			asset: TokenizedAssetId,
			registrar: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// A registrar withdrew an ownership attestation.
		AttestationRevoked { asset: TokenizedAssetId, registrar: T::AccountId },
		/// A valuer valued an asset.
		ValuationSubmitted {
			asset: TokenizedAssetId,
			valuer: T::AccountId,
			value_usd_cents: BalanceOf<T>,
		},
		/// A claim issuer made a claim about an account.
		ClaimIssued {
			who: T::AccountId,
			topic: ClaimTopic,
			issuer: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// A claim was removed.
		ClaimRevoked { who: T::AccountId, topic: ClaimTopic },
		/// The twin collection was created (once).
		TwinCollectionCreated { collection: T::NftCollectionId },
		/// An asset was divided into fractions owned by its issuer; its twin is locked.
		Fractionalized { asset: TokenizedAssetId, fractions: BalanceOf<T>, owner: T::AccountId },
		/// All fractions were burnt; the twin is released and `owner` controls the asset.
		Unified { asset: TokenizedAssetId, owner: T::AccountId },
		/// Fractions moved between accounts.
		FractionsTransferred {
			asset: TokenizedAssetId,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// Revenue was deposited for an asset's holders.
		RevenueDeposited {
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			payer: T::AccountId,
			amount: BalanceOf<T>,
			per_fraction: BalanceOf<T>,
			dust: BalanceOf<T>,
		},
		/// A holder claimed its revenue.
		RevenueClaimed {
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			who: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// Accumulated rounding dust was paid to the dust account.
		DustPaid { currency: CurrencyOf<T>, amount: BalanceOf<T> },
		/// A recurring revenue payment was scheduled.
		RevenueScheduled {
			schedule: ScheduleId,
			asset: TokenizedAssetId,
			payer: T::AccountId,
			amount: BalanceOf<T>,
			period: BlockNumberFor<T>,
			payments: u32,
		},
		/// A revenue schedule was cancelled.
		RevenueScheduleCancelled { schedule: ScheduleId },
		/// A market order was placed.
		OrderPlaced {
			order: OrderId,
			asset: TokenizedAssetId,
			owner: T::AccountId,
			side: OrderSide,
			amount: BalanceOf<T>,
			price: BalanceOf<T>,
			currency: CurrencyOf<T>,
		},
		/// A market order was (partly) filled.
		OrderFilled {
			order: OrderId,
			taker: T::AccountId,
			amount: BalanceOf<T>,
			payment: BalanceOf<T>,
			fee: BalanceOf<T>,
		},
		/// A market order was closed: cancelled or completely filled.
		OrderClosed { order: OrderId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such asset.
		UnknownAsset,
		/// Only the asset's issuer may do this.
		NotIssuer,
		/// The jurisdiction is not two upper-case letters.
		MalformedJurisdiction,
		/// The document URI is longer than `MaxUriLength`.
		UriTooLong,
		/// The asset is already fractionalized.
		AlreadyFractionalized,
		/// The asset is not fractionalized.
		NotFractionalized,
		/// Zero fractions.
		ZeroFractions,
		/// More fractions than the fractions asset can hold.
		TooManyFractions,
		/// Unifying needs every fraction in the caller's account.
		NotAllFractions,
		/// The caller has fractions offered in open sell orders.
		FractionsListed,
		/// The asset has open market orders.
		OpenOrders,
		/// No valid ownership attestation.
		OwnershipNotVerified,
		/// No accepted valuation: fewer than a quorum of fresh valuations.
		ValuationStale,
		/// The caller is not accredited in the role this needs.
		NotAccredited,
		/// The account already holds the role.
		AlreadyAccredited,
		/// The role already has `MaxAccredited` accounts.
		TooManyAccredited,
		/// The expiry block is not in the future.
		ExpiryInPast,
		/// A residence claim needs a jurisdiction, other claims must not have one.
		ClaimJurisdictionMismatch,
		/// No such claim.
		UnknownClaim,
		/// Only the claim's issuer or the admin may revoke it.
		NotClaimIssuer,
		/// A list in the rules repeats or mis-forms a jurisdiction.
		InvalidRules,
		/// The twin collection could not be created or used.
		TwinCollectionUnavailable,
		/// The currency does not exist.
		UnknownCurrency,
		/// The asset's revenue is already paid in `MaxRevenueCurrencies` currencies.
		TooManyRevenueCurrencies,
		/// The revenue is smaller than one planck per fraction.
		RevenueTooSmall,
		/// Nothing to claim.
		NothingToClaim,
		/// An amount or a price overflowed.
		Overflow,
		/// No such order.
		UnknownOrder,
		/// Only the order's owner may cancel it.
		NotOrderOwner,
		/// The owner cannot take its own order.
		OwnOrder,
		/// Zero price.
		ZeroPrice,
		/// More than the order has open.
		ExceedsOrder,
		/// The asset already has `MaxOrdersPerAsset` open orders.
		TooManyOrders,
		/// A schedule needs a period and at least one payment.
		InvalidSchedule,
		/// No such revenue schedule.
		UnknownSchedule,
		/// Only the payer may cancel its schedule.
		NotPayer,
		/// No such asset (compliance check).
		TransferUnknownAsset,
		/// Zero fractions.
		ZeroAmount,
		/// Sender and receiver are the same account.
		SelfTransfer,
		/// The sender does not have that many unlisted fractions.
		InsufficientFractions,
		/// The sender is inside the lock-up period.
		LockedUp,
		/// The receiver has no valid KYC claim.
		KycMissing,
		/// The receiver has no valid accredited-investor claim.
		AccreditationMissing,
		/// The rules restrict jurisdictions and the receiver has no valid residence claim.
		ResidenceUnknown,
		/// The receiver resides in a jurisdiction the rules block or do not allow.
		JurisdictionNotPermitted,
		/// The asset already has its maximum number of holders.
		TooManyHolders,
		/// The receiver would hold more than the maximum share.
		ShareLimitExceeded,
	}

	impl<T> From<TransferRejection> for Error<T> {
		fn from(reason: TransferRejection) -> Self {
			match reason {
				TransferRejection::UnknownAsset => Error::TransferUnknownAsset,
				TransferRejection::NotFractionalized => Error::NotFractionalized,
				TransferRejection::ZeroAmount => Error::ZeroAmount,
				TransferRejection::SelfTransfer => Error::SelfTransfer,
				TransferRejection::InsufficientFractions => Error::InsufficientFractions,
				TransferRejection::LockedUp => Error::LockedUp,
				TransferRejection::KycMissing => Error::KycMissing,
				TransferRejection::AccreditationMissing => Error::AccreditationMissing,
				TransferRejection::ResidenceUnknown => Error::ResidenceUnknown,
				TransferRejection::JurisdictionNotPermitted => Error::JurisdictionNotPermitted,
				TransferRejection::TooManyHolders => Error::TooManyHolders,
				TransferRejection::ShareLimitExceeded => Error::ShareLimitExceeded,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an asset and mints its digital twin.
		///
		/// - origin: signed; the signer becomes the issuer.
		/// - `category`, `jurisdiction`: what and where the asset is.
		/// - `document_hash`, `document_uri`: the asset's documents (never personal data).
		///
		/// Holds `AssetDeposit + DepositPerByte · len(uri)` and pays the twin's pallet-nfts
		/// deposit (plus, for the very first asset, the twin collection's). Emits
		/// `AssetRegistered`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_asset())]
		pub fn register_asset(
			origin: OriginFor<T>,
			category: AssetCategory,
			jurisdiction: Jurisdiction,
			document_hash: [u8; 32],
			document_uri: BoundedVec<u8, T::MaxUriLength>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			ensure!(jurisdiction.is_well_formed(), Error::<T>::MalformedJurisdiction);
			Self::do_register_asset(issuer, category, jurisdiction, document_hash, document_uri)
		}

		/// Replaces an asset's documents; the ownership attestation is cleared and must be
		/// renewed.
		///
		/// - origin: signed by the issuer. Emits `DocumentsUpdated`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_documents())]
		pub fn update_documents(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			document_hash: [u8; 32],
			document_uri: BoundedVec<u8, T::MaxUriLength>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_documents(who, asset, document_hash, document_uri)
		}

		/// Retires an asset that is not fractionalized and has no open orders: burns its twin,
		/// refunds the twin deposit and releases the held deposit.
		///
		/// - origin: signed by the issuer. Emits `AssetRetired`. O(`MaxAccredited`).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_asset())]
		pub fn retire_asset(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_asset(who, asset)
		}

		/// Sets an asset's compliance rules; they apply to every later movement of fractions.
		///
		/// - origin: signed by the issuer. Emits `RulesSet`. O(`MaxJurisdictions`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_rules())]
		pub fn set_rules(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			rules: RulesOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_rules(who, asset, rules)
		}

		/// Accredits an account as registrar, valuer or claim issuer.
		///
		/// - origin: `AdminOrigin`. Emits `Accredited`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::accredit())]
		pub fn accredit(origin: OriginFor<T>, role: Role, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_accredit(role, who)
		}

		/// Removes a role. The account's attestations, valuations and claims stop counting.
		///
		/// - origin: `AdminOrigin`. Emits `AccreditationRevoked`. O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_accreditation())]
		pub fn revoke_accreditation(
			origin: OriginFor<T>,
			role: Role,
			who: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_revoke_accreditation(role, who)
		}

		/// Attests that the issuer owns the asset, until `expires_at`.
		///
		/// - origin: signed by an accredited registrar. Emits `OwnershipAttested`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::attest_ownership())]
		pub fn attest_ownership(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let registrar = ensure_signed(origin)?;
			Self::do_attest_ownership(registrar, asset, expires_at)
		}

		/// Withdraws an asset's ownership attestation (a fractionalized asset stays so).
		///
		/// - origin: signed by an accredited registrar. Emits `AttestationRevoked`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_attestation())]
		pub fn revoke_attestation(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResult {
			let registrar = ensure_signed(origin)?;
			Self::do_revoke_attestation(registrar, asset)
		}

		/// Submits (or replaces) the caller's valuation of an asset, in US-dollar cents.
		///
		/// - origin: signed by an accredited valuer. Emits `ValuationSubmitted`.
		///   O(`MaxAccredited`).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_valuation())]
		pub fn submit_valuation(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			value_usd_cents: BalanceOf<T>,
		) -> DispatchResult {
			let valuer = ensure_signed(origin)?;
			Self::do_submit_valuation(valuer, asset, value_usd_cents)
		}

		/// Records a claim about `who` (replacing the same topic's), valid until `expires_at`.
		///
		/// - origin: signed by an accredited claim issuer, which pays `ClaimDeposit` (held).
		/// - `jurisdiction`: required for `Residence`, refused for other topics.
		///
		/// Emits `ClaimIssued`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::issue_claim())]
		pub fn issue_claim(
			origin: OriginFor<T>,
			who: T::AccountId,
			topic: ClaimTopic,
			expires_at: BlockNumberFor<T>,
			jurisdiction: Option<Jurisdiction>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_issue_claim(issuer, who, topic, expires_at, jurisdiction)
		}

		/// Removes a claim and releases its deposit to the claim's issuer.
		///
		/// - origin: `AdminOrigin`, or signed by the claim's issuer. Emits `ClaimRevoked`. O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::revoke_claim())]
		pub fn revoke_claim(
			origin: OriginFor<T>,
			who: T::AccountId,
			topic: ClaimTopic,
		) -> DispatchResult {
			let maybe_issuer = match T::AdminOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_revoke_claim(maybe_issuer, who, topic)
		}

		/// Divides an asset into `fractions` fractions owned by the issuer and locks its twin.
		///
		/// - origin: signed by the issuer.
		/// - Needs a valid ownership attestation and an accepted (fresh, quorate) valuation.
		///
		/// Emits `Fractionalized`. O(`MaxAccredited` + `MaxRevenueCurrencies`).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::fractionalize())]
		pub fn fractionalize(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			fractions: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fractionalize(who, asset, fractions)
		}

		/// Burns every fraction of an asset, releases its twin and makes the caller its issuer.
		/// Revenue earned before stays claimable.
		///
		/// - origin: signed by the holder of all fractions (none of them listed).
		///
		/// Emits `Unified`. O(`MaxRevenueCurrencies`).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::unify())]
		pub fn unify(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unify(who, asset)
		}

		/// Transfers fractions, subject to the asset's compliance rules; revenue is settled for
		/// both accounts first.
		///
		/// - origin: signed by the sender. Emits `FractionsTransferred`.
		///   O(`MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::transfer_fractions(T::MaxHolders::get()))]
		pub fn transfer_fractions(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_transfer_fractions(asset, from, to, amount)
		}

		/// Deposits revenue for an asset's holders, pro rata to the fractions held now.
		///
		/// - origin: signed by the payer.
		/// - `amount` must be at least one planck per fraction and the currency's minimum
		///   balance; `amount mod fractions` goes to the dust account.
		///
		/// Emits `RevenueDeposited`. O(1) in the number of holders.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::deposit_revenue(T::MaxHolders::get()))]
		pub fn deposit_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_deposit_revenue(payer, asset, currency, amount)
		}

		/// Pays the caller the revenue of `asset` it has earned in `currency`.
		///
		/// - origin: signed by a present or past holder. Emits `RevenueClaimed`.
		///   O(`MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::claim_revenue(T::MaxHolders::get()))]
		pub fn claim_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_revenue(who, asset, currency)
		}

		/// Schedules `payments` deposits of `amount` every `period` blocks, starting one
		/// period from now, dispatched by the scheduler as the caller.
		///
		/// - origin: signed by the payer, which pays `ScheduleDeposit` (held).
		///
		/// Emits `RevenueScheduled`. O(1).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::schedule_revenue())]
		pub fn schedule_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			period: BlockNumberFor<T>,
			payments: u32,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_schedule_revenue(payer, asset, currency, amount, period, payments)
		}

		/// Cancels the remaining payments of a revenue schedule and releases its deposit.
		///
		/// - origin: signed by the payer. Emits `RevenueScheduleCancelled`. O(1).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::cancel_revenue_schedule())]
		pub fn cancel_revenue_schedule(origin: OriginFor<T>, schedule: ScheduleId) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_cancel_revenue_schedule(payer, schedule)
		}

		/// Places a fixed-price order for `amount` fractions at `price` each in `currency`.
		///
		/// - origin: signed; pays `OrderDeposit` (held).
		/// - Sell: the fractions stay in the seller's account, frozen. Buy: the full price is
		///   escrowed and the buyer must be allowed to receive the fractions.
		/// - Needs an accepted valuation.
		///
		/// Emits `OrderPlaced`. O(`MaxAccredited`).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::place_order())]
		pub fn place_order(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			side: OrderSide,
			amount: BalanceOf<T>,
			price: BalanceOf<T>,
			currency: CurrencyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_place_order(owner, asset, side, amount, price, currency)
		}

		/// Fills `amount` fractions of an order: the caller buys from a sell order or sells
		/// into a buy order. Compliance is checked and revenue settled as for any transfer; the
		/// market fee goes to the fee destination.
		///
		/// - origin: signed by the taker. Emits `OrderFilled` (and `OrderClosed` when done).
		///   O(`MaxAccredited` + `MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::take_order(T::MaxHolders::get()))]
		pub fn take_order(
			origin: OriginFor<T>,
			order: OrderId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let taker = ensure_signed(origin)?;
			Self::do_take_order(taker, order, amount)
		}

		/// Cancels an order: unfreezes listed fractions or refunds the escrowed price, and
		/// releases the deposit.
		///
		/// - origin: signed by the order's owner. Emits `OrderClosed`. O(1).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::cancel_order())]
		pub fn cancel_order(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(who, order)
		}
	}
}
