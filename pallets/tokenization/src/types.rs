//! The records the pallet stores and the values its calls take.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible, fungibles},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::Permill;

/// The native balance type (BTT), also the unit of fractions and of every revenue currency.
pub type BalanceOf<T> = <<T as Config>::NativeBalance as fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// A currency revenue and market prices are paid in: BTT or a pallet-assets asset.
pub type CurrencyOf<T> = <<T as Config>::Currencies as fungibles::Inspect<
	<T as frame_system::Config>::AccountId,
>>::AssetId;

/// A stored asset record of the runtime `T`.
pub type AssetDetailsOf<T> = AssetDetails<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxUriLength,
>;

/// The compliance rules of an asset of the runtime `T`.
pub type RulesOf<T> = ComplianceRules<BlockNumberFor<T>, <T as Config>::MaxJurisdictions>;

/// A market order of the runtime `T`.
pub type OrderOf<T> = Order<<T as frame_system::Config>::AccountId, BalanceOf<T>, CurrencyOf<T>>;

/// A claim of the runtime `T`.
pub type ClaimOf<T> = Claim<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// A revenue schedule of the runtime `T`.
pub type ScheduleOf<T> = RevenueSchedule<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	CurrencyOf<T>,
	BlockNumberFor<T>,
>;

/// The locked lots of one holder of the runtime `T`.
pub type LotsOf<T> = BoundedVec<Lot<BalanceOf<T>, BlockNumberFor<T>>, <T as Config>::MaxLockedLots>;

/// Revenue per fraction is accumulated in units of `1 / REVENUE_SCALE` planck, so that a
/// deposit smaller than one planck per fraction still reaches every holder in proportion, and
/// what no holder can be paid yet is carried to the next deposit (see `revenue.rs`).
pub const REVENUE_SCALE: u128 = 1_000_000_000_000;

/// Identifier of a market order.
pub type OrderId = u64;

/// Identifier of a recurring revenue schedule.
pub type ScheduleId = u64;

/// What kind of dental asset is tokenized.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum AssetCategory {
	/// Dental equipment: X-ray units, CBCT scanners, chairs, milling machines.
	Equipment,
	/// Clinic real estate.
	RealEstate,
	/// Intellectual property: patents, treatment protocols, software.
	IntellectualProperty,
	/// Rights to future service revenue of a clinic.
	ServiceRights,
}

/// An ISO 3166-1 alpha-2 country code in upper case, e.g. `*b"DE"`.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Jurisdiction(pub [u8; 2]);

impl Jurisdiction {
	/// Whether both letters are ASCII upper case, as ISO 3166-1 alpha-2 codes are.
	pub fn is_well_formed(&self) -> bool {
		self.0.iter().all(|c| c.is_ascii_uppercase())
	}
}

/// An accredited role, granted and revoked by the admin origin.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Role {
	/// Attests that an issuer owns the asset it registered.
	Registrar,
	/// Submits valuations of assets.
	Valuer,
	/// Issues claims (KYC, accreditation, residence) about investors.
	ClaimIssuer,
}

/// The subject of a claim a trusted claim issuer makes about an account.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ClaimTopic {
	/// The account's holder passed know-your-customer checks.
	Kyc,
	/// The account's holder is an accredited (professional) investor.
	AccreditedInvestor,
	/// The account's holder resides in the claim's jurisdiction.
	Residence,
}

/// A claim about an account, valid until `expires_at` while its issuer stays accredited.
/// It carries no personal data: the evidence stays with the claim issuer.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Claim<AccountId, BlockNumber> {
	/// The claim issuer who made the claim.
	pub issuer: AccountId,
	/// First block at which the claim no longer holds.
	pub expires_at: BlockNumber,
	/// The jurisdiction of a `Residence` claim; `None` for other topics.
	pub jurisdiction: Option<Jurisdiction>,
}

/// An accredited registrar's attestation that the issuer owns the asset.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Attestation<AccountId, BlockNumber> {
	/// The registrar who attested.
	pub registrar: AccountId,
	/// First block at which the attestation no longer holds.
	pub expires_at: BlockNumber,
}

/// An accredited valuer's valuation of an asset.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Valuation<Balance, BlockNumber> {
	/// The value, in US-dollar cents.
	pub value_usd_cents: Balance,
	/// Block at which it was submitted; it is fresh for `ValuationMaxAge` blocks.
	pub submitted_at: BlockNumber,
}

/// The fractions of a fractionalized asset.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Fractions<Balance, BlockNumber> {
	/// How many fractions exist; they are all minted at once and burnt at once.
	pub total: Balance,
	/// Block of the fractionalization.
	pub since: BlockNumber,
}

/// A registered asset.
#[derive(
	CloneNoBound, Encode, Decode, EqNoBound, PartialEqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxUri))]
pub struct AssetDetails<
	AccountId: Clone + Eq + core::fmt::Debug,
	Balance: Clone + Eq + core::fmt::Debug,
	BlockNumber: Clone + Eq + core::fmt::Debug,
	MaxUri: Get<u32>,
> {
	/// Who controls the asset: the registrant, or whoever unified all its fractions.
	pub issuer: AccountId,
	/// What kind of asset it is.
	pub category: AssetCategory,
	/// Where the asset is located and its title registered.
	pub jurisdiction: Jurisdiction,
	/// Hash of the asset's documents (title deed, invoice, appraisal); never personal data.
	pub document_hash: [u8; 32],
	/// Where the documents can be fetched; their content must hash to `document_hash`.
	pub document_uri: BoundedVec<u8, MaxUri>,
	/// The native deposit held from `depositor` for this record.
	pub deposit: Balance,
	/// The account the deposit is held from (the registrant).
	pub depositor: AccountId,
	/// The registrar's ownership attestation, if any.
	pub attestation: Option<Attestation<AccountId, BlockNumber>>,
	/// The fractions, while the asset is fractionalized.
	pub fractions: Option<Fractions<Balance, BlockNumber>>,
}

/// Per-asset compliance rules, checked on every movement of its fractions.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	EqNoBound,
	PartialEqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxJurisdictions))]
pub struct ComplianceRules<BlockNumber: Clone + Eq + core::fmt::Debug, MaxJurisdictions: Get<u32>> {
	/// The receiver must hold a valid KYC claim.
	pub require_kyc: bool,
	/// The receiver must hold a valid accredited-investor claim.
	pub require_accredited: bool,
	/// If not empty, the receiver must reside (valid `Residence` claim) in one of these.
	pub allowed_jurisdictions: BoundedVec<Jurisdiction, MaxJurisdictions>,
	/// The receiver must not reside in any of these (a `Residence` claim is then required).
	pub blocked_jurisdictions: BoundedVec<Jurisdiction, MaxJurisdictions>,
	/// At most this many accounts may hold fractions at once.
	pub max_holders: Option<u32>,
	/// No account other than the issuer may hold more than this share of the fractions.
	pub max_share: Option<Permill>,
	/// Blocks after receiving fractions during which an investor may not pass them on. The
	/// issuer's initial distribution is exempt.
	pub lockup: BlockNumber,
}

impl<BlockNumber: Clone + Eq + core::fmt::Debug + Default, M: Get<u32>> Default
	for ComplianceRules<BlockNumber, M>
{
	/// KYC required, nothing else: the least a regulated offering needs.
	fn default() -> Self {
		Self {
			require_kyc: true,
			require_accredited: false,
			allowed_jurisdictions: BoundedVec::default(),
			blocked_jurisdictions: BoundedVec::default(),
			max_holders: None,
			max_share: None,
			lockup: BlockNumber::default(),
		}
	}
}

/// Why a movement of fractions is refused; each reason is also a dispatch error of the pallet,
/// and `can_transfer` in the runtime API returns it.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TransferRejection {
	/// No such asset.
	UnknownAsset,
	/// The asset is not fractionalized.
	NotFractionalized,
	/// Zero fractions.
	ZeroAmount,
	/// Sender and receiver are the same account.
	SelfTransfer,
	/// The sender does not have that many unlisted fractions.
	InsufficientFractions,
	/// The sender is inside the lock-up period of the asset.
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
	/// The fractions instance cannot credit the receiver (its account cannot exist or take
	/// another reference); the transfer itself would fail.
	ReceiverUnavailable,
}

/// Fractions a holder received at one time, locked on their own until `unlocks_at`.
///
/// Each receipt is its own lot, so a later receipt (a gift, a purchase) never extends the
/// lock-up of fractions received earlier.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Lot<Balance, BlockNumber> {
	/// How many fractions the lot holds.
	pub amount: Balance,
	/// Block of the receipt.
	pub received_at: BlockNumber,
	/// First block at which the lot may move, fixed by the rules in force at receipt. A later
	/// shorter lock-up frees it earlier (`received_at + lockup`); a longer one never applies.
	pub unlocks_at: BlockNumber,
}

/// Which side of the market an order is on.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum OrderSide {
	/// The owner sells fractions it holds; they stay in its account, frozen until sold or
	/// cancelled.
	Sell,
	/// The owner buys fractions; the full price is escrowed in the pallet account.
	Buy,
}

/// A fixed-price order for fractions, filled partially or fully by takers.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct Order<AccountId, Balance, CurrencyId> {
	/// Who placed the order.
	pub owner: AccountId,
	/// The asset whose fractions are traded.
	pub asset: btt_primitives::TokenizedAssetId,
	/// Sell or buy.
	pub side: OrderSide,
	/// Fractions still open.
	pub remaining: Balance,
	/// Price of one fraction.
	pub price: Balance,
	/// The currency the price is paid in.
	pub currency: CurrencyId,
	/// The native deposit held from the owner for this record.
	pub deposit: Balance,
}

/// The revenue of one asset in one currency.
///
/// Conservation, in units of `1 / REVENUE_SCALE` planck:
/// `deposited · S = Σ owed + claimed · S + dust · S + carry`, and the pallet account holds at
/// least `deposited - claimed - dust` of the currency for it.
#[derive(Clone, Default, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct RevenuePool<Balance> {
	/// Revenue paid per fraction since the asset was first fractionalized, scaled by
	/// [`REVENUE_SCALE`].
	pub per_fraction: Balance,
	/// Everything ever deposited.
	pub deposited: Balance,
	/// Everything holders have claimed.
	pub claimed: Balance,
	/// Rounding remainders paid to the dust account before storage version 1 (none since).
	pub dust: Balance,
	/// The part of the deposits, scaled, that did not make a whole scaled unit per fraction;
	/// it is added to the next deposit (`< N`).
	pub carry: Balance,
}

/// A holder's position in one revenue pool.
#[derive(Clone, Default, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct RevenueCursor<Balance> {
	/// `per_fraction` of the pool when this holder's balance last changed (scaled).
	pub settled_per_fraction: Balance,
	/// Revenue earned up to that point and not yet claimed, scaled by [`REVENUE_SCALE`]; a
	/// claim pays its whole plancks and keeps the rest.
	pub unclaimed: Balance,
}

/// A recurring revenue payment, dispatched by the scheduler on behalf of its payer.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
pub struct RevenueSchedule<AccountId, Balance, CurrencyId, BlockNumber> {
	/// Who pays every period.
	pub payer: AccountId,
	/// The asset whose holders are paid.
	pub asset: btt_primitives::TokenizedAssetId,
	/// The currency paid.
	pub currency: CurrencyId,
	/// Amount paid each period.
	pub amount: Balance,
	/// Blocks between payments.
	pub period: BlockNumber,
	/// How many payments were scheduled.
	pub payments: u32,
	/// How many payments are still to be made (at least one while the record exists).
	pub remaining: u32,
	/// The block the next payment is scheduled for.
	pub next_due: BlockNumber,
	/// The native deposit held from the payer for this record:
	/// `ScheduleDeposit + ScheduleDepositPerPayment · payments`.
	pub deposit: Balance,
}
