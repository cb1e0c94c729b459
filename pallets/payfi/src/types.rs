//! The pallet's types.

use crate::Config;
use btt_primitives::{depin::TaskId, payfi::BillingCode, TokenizedAssetId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, fungibles},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, Permill};

/// Balance of BTT (deposits) and of every currency.
pub type BalanceOf<T> = <<T as Config>::NativeBalance as fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// A currency: BTT or a pallet-assets asset.
pub type CurrencyOf<T> = <<T as Config>::Currencies as fungibles::Inspect<
	<T as frame_system::Config>::AccountId,
>>::AssetId;

/// The id of a payment.
pub type PaymentId = u64;

/// The id of an escrow.
pub type EscrowId = u64;

/// The id of a payee's split template (the payee chooses it).
pub type SplitId = u32;

/// Seconds in a day: encounter days and statement days are days since 1970-01-01, UTC.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// A registered payee: how many records its deposit pays for, how many it holds and how many
/// pending escrows have a slot reserved.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Payee<Balance> {
	/// Record slots the deposit pays for.
	pub slots: u32,
	/// Records held now.
	pub used: u32,
	/// Pending escrows to this payee, each holding a slot for its record.
	pub escrows: u32,
	/// Split templates the payee holds.
	pub splits: u32,
	/// BTT held.
	pub deposit: Balance,
}

impl<Balance> Payee<Balance> {
	/// Slots neither holding a record nor reserved for an escrow.
	pub fn free_slots(&self) -> u32 {
		self.slots.saturating_sub(self.used).saturating_sub(self.escrows)
	}
}

/// [`Payee`] of a runtime.
pub type PayeeOf<T> = Payee<BalanceOf<T>>;

/// How a payment reached its payee.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Route<Currency> {
	/// Paid and received in the same currency.
	Direct,
	/// Swapped along `path` (the paid currency first, the received one last).
	Swap {
		/// The currencies swapped through.
		path: BoundedVec<Currency, ConstU32<3>>,
	},
}

/// A coded payment as the payee's statement shows it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PaymentRecord<AccountId, Currency, Balance, BlockNumber> {
	/// Who paid.
	pub payer: AccountId,
	/// The currency paid in and the amount taken from the payer.
	pub paid: (Currency, Balance),
	/// The currency received and the amount the payee received.
	pub received: (Currency, Balance),
	/// How.
	pub route: Route<Currency>,
	/// What for.
	pub code: BillingCode<AccountId>,
	/// The block the payment was made in.
	pub at: BlockNumber,
	/// The escrow it was released from, if any.
	pub escrow: Option<EscrowId>,
	/// The payee's split template it was shared out by, if any (the `SplitPaid` event has
	/// the parts).
	pub split: Option<SplitId>,
}

/// [`PaymentRecord`] of a runtime.
pub type PaymentRecordOf<T> = PaymentRecord<
	<T as frame_system::Config>::AccountId,
	CurrencyOf<T>,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

/// What releases an escrow to its payee; an escrow holds one to three, any one suffices.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Condition<AccountId, BlockNumber> {
	/// The named account confirms (the patient, or a third party such as a referring
	/// provider; never the payee itself).
	ConfirmedBy(AccountId),
	/// The DePIN registry verifies this diagnostic task, posted by the payee.
	TaskVerified(TaskId),
	/// This block is reached (a payment due on a date).
	At(BlockNumber),
}

/// The most conditions one escrow holds.
pub type MaxConditions = ConstU32<3>;

/// A dispute of an escrow, waiting for the arbiter.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Dispute<AccountId, Balance> {
	/// The payer or the payee.
	pub by: AccountId,
	/// BTT held from it until the arbiter decides.
	pub deposit: Balance,
}

/// Money held by the pallet until a condition releases it to the payee or its refund block
/// returns it to the payer.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Escrow<AccountId, Currency, Balance, BlockNumber> {
	/// Who paid it in.
	pub payer: AccountId,
	/// Who receives it on release (a registered payee; a slot is reserved for its record).
	pub payee: AccountId,
	/// The currency held (one the payee may receive).
	pub currency: Currency,
	/// The amount held.
	pub amount: Balance,
	/// Released when any of these holds before `refund_at`.
	pub conditions: BoundedVec<Condition<AccountId, BlockNumber>, MaxConditions>,
	/// From this block, with no condition met before it, the payer is refunded.
	pub refund_at: BlockNumber,
	/// What for; copied into the payee's statement on release.
	pub code: BillingCode<AccountId>,
	/// BTT held from the payer for this escrow's storage.
	pub deposit: Balance,
	/// The block a `ConfirmedBy` condition was met in.
	pub confirmed_at: Option<BlockNumber>,
	/// A dispute waiting for the arbiter.
	pub dispute: Option<Dispute<AccountId, Balance>>,
}

/// [`Escrow`] of a runtime.
pub type EscrowOf<T> =
	Escrow<<T as frame_system::Config>::AccountId, CurrencyOf<T>, BalanceOf<T>, BlockNumberFor<T>>;

/// [`Condition`] of a runtime.
pub type ConditionOf<T> = Condition<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// A DePIN task some escrow waits for, and its verification once the registry reports it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AwaitedTask<AccountId, BlockNumber> {
	/// Pending escrows naming the task.
	pub waiting: u32,
	/// The clinic that posted the task and the block it was verified in.
	pub verified: Option<(AccountId, BlockNumber)>,
}

/// How an escrow ended.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Settlement {
	/// Released to the payee: a condition held before the refund block.
	Released,
	/// Refunded to the payer: no condition held before the refund block.
	Refunded,
	/// Split by the arbiter after a dispute.
	Arbitrated,
}

/// Who receives a share of a split payment.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Recipient<AccountId> {
	/// An account: the clinic itself, a practitioner, the treasury.
	Account(AccountId),
	/// The fraction holders of a tokenized asset (the clinic's X-ray unit), paid through
	/// `AssetRevenue` in the same extrinsic.
	Asset(TokenizedAssetId),
}

/// One share of a split.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Share<AccountId> {
	/// Who receives it.
	pub to: Recipient<AccountId>,
	/// Its part of the amount.
	pub part: Permill,
}

/// The most shares of one split.
pub type MaxShares = ConstU32<8>;

/// A payee's split template: shares summing to exactly 100 %, the rounding remainder to the
/// share at `remainder_to`.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Split<AccountId, Balance> {
	/// The shares, in order.
	pub shares: BoundedVec<Share<AccountId>, MaxShares>,
	/// The index of the share that receives what rounding each share down leaves.
	pub remainder_to: u32,
	/// BTT held from the payee for it.
	pub deposit: Balance,
}

/// [`Split`] of a runtime.
pub type SplitOf<T> = Split<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// The parts a split pays out of `amount`: each share's part of it rounded down, then what
/// rounding left to the share at `remainder_to`. The parts sum to `amount` exactly when the
/// shares sum to 100 % (checked when the template is set); an out-of-range `remainder_to`
/// leaves the remainder unassigned (also refused when set).
pub fn split_amounts<AccountId, Balance>(
	amount: Balance,
	shares: &[Share<AccountId>],
	remainder_to: u32,
) -> alloc::vec::Vec<Balance>
where
	Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	let mut parts: alloc::vec::Vec<Balance> =
		shares.iter().map(|share| share.part.mul_floor(amount)).collect();
	let paid = parts.iter().fold(Balance::zero(), |sum, part| sum.saturating_add(*part));
	if let Some(part) = parts.get_mut(remainder_to as usize) {
		*part = part.saturating_add(amount.saturating_sub(paid));
	}
	parts
}
