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
/// pending escrows, open tabs and open claims have a slot reserved.
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
	/// Open tabs to this payee, each holding a slot for its record.
	pub tabs: u32,
	/// Open claims of this payee to insurers, each holding a slot for the payment's record.
	pub claims: u32,
	/// BTT held.
	pub deposit: Balance,
}

impl<Balance> Payee<Balance> {
	/// Slots reserved for the records of pending escrows, open tabs and open claims.
	pub fn reserved(&self) -> u32 {
		self.escrows.saturating_add(self.tabs).saturating_add(self.claims)
	}

	/// Slots neither holding a record nor reserved.
	pub fn free_slots(&self) -> u32 {
		self.slots.saturating_sub(self.used).saturating_sub(self.reserved())
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

/// The id of a recurring payment plan.
pub type PlanId = u64;

/// A recurring payment (a membership or an instalment plan): `payments` coded payments of
/// `amount`, one every `period` blocks, each made as [`crate::Pallet::pay`] makes it. The
/// scheduler holds one task per plan at a time, for its next payment.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Plan<AccountId, Currency, Balance, BlockNumber> {
	/// Who pays.
	pub payer: AccountId,
	/// Who receives (a registered payee).
	pub payee: AccountId,
	/// The currency taken from the payer.
	pub pay_in: Currency,
	/// The currency the payee receives, and how much each payment.
	pub received: (Currency, Balance),
	/// The most of `pay_in` one payment may take (the payer's slippage bound).
	pub max_in: Balance,
	/// Blocks between payments.
	pub period: BlockNumber,
	/// Payments in all.
	pub payments: u32,
	/// Payments still to make.
	pub remaining: u32,
	/// The block the next payment is scheduled in.
	pub next_due: BlockNumber,
	/// What for: every payment carries it into the payee's statement.
	pub code: BillingCode<AccountId>,
	/// BTT held from the payer until the plan ends.
	pub deposit: Balance,
}

/// [`Plan`] of a runtime.
pub type PlanOf<T> =
	Plan<<T as frame_system::Config>::AccountId, CurrencyOf<T>, BalanceOf<T>, BlockNumberFor<T>>;

/// How a plan ended.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum PlanEnd {
	/// Every payment was made.
	Completed,
	/// The payer or the payee cancelled it.
	Cancelled,
	/// A payment failed (its error is in the event): nothing more is paid.
	Stopped,
}

/// The id of a tab.
pub type TabId = u64;

/// A tab: a payment channel from a payer to a payee. The payer's `amount` is held by the
/// pallet; off chain the payer signs cumulative [`Voucher`]s; the payee redeems the latest one
/// at any time before `expires_at`, and whatever is left returns to the payer when the tab
/// closes.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Tab<AccountId, Currency, Balance, BlockNumber> {
	/// Who opened it and signs its vouchers.
	pub payer: AccountId,
	/// Who redeems them (a registered payee; a slot of its statement is reserved for the
	/// tab's record).
	pub payee: AccountId,
	/// The currency held.
	pub currency: Currency,
	/// The amount held: no voucher may pay more.
	pub amount: Balance,
	/// What the payee has redeemed so far (the cumulative amount of the last voucher).
	pub redeemed: Balance,
	/// The nonce of the last redeemed voucher (0: none yet; vouchers start at 1).
	pub nonce: u64,
	/// The payee may redeem before this block; from it, either side may close the tab.
	pub expires_at: BlockNumber,
	/// What for: the tab's record in the payee's statement carries it.
	pub code: BillingCode<AccountId>,
	/// BTT held from the payer until the tab closes.
	pub deposit: Balance,
}

/// [`Tab`] of a runtime.
pub type TabOf<T> =
	Tab<<T as frame_system::Config>::AccountId, CurrencyOf<T>, BalanceOf<T>, BlockNumberFor<T>>;

/// What the payer of a tab signs off chain: the tab owes its payee `cumulative` in all. A
/// voucher replaces every earlier one, so the payee only ever redeems the latest.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Voucher<Balance> {
	/// The tab.
	pub tab: TabId,
	/// All the payer owes the payee on this tab so far.
	pub cumulative: Balance,
	/// Greater than the nonce of every voucher the payee redeemed before.
	pub nonce: u64,
}

/// The context every voucher signature is bound to, before the chain's genesis hash.
pub const VOUCHER_CONTEXT: [u8; 16] = *b"btt/payfi/tab/v1";

/// The bytes the payer of a tab signs for `voucher` on the chain whose genesis block hash is
/// `genesis`: `VOUCHER_CONTEXT ‖ genesis ‖ tab (u64 LE) ‖ cumulative (LE) ‖ nonce (u64 LE)`,
/// the SCALE encoding of the tuple. A voucher thus pays on one tab of one chain only.
pub fn voucher_payload<Hash: Encode, Balance: Encode>(
	genesis: &Hash,
	voucher: &Voucher<Balance>,
) -> alloc::vec::Vec<u8> {
	(VOUCHER_CONTEXT, genesis, voucher).encode()
}

/// The id of an insurer claim.
pub type ClaimId = u64;

/// An account registered to receive claims and pay them from its pools.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Insurer<Balance> {
	/// BTT held for the registration.
	pub deposit: Balance,
	/// Claims submitted to it and not yet decided.
	pub claims: u32,
	/// Its pools (one per currency), funded or committed to open claims.
	pub pools: u32,
}

/// [`Insurer`] of a runtime.
pub type InsurerOf<T> = Insurer<BalanceOf<T>>;

/// An insurer's money in one currency, held by the pallet account, and what its open claims
/// in that currency ask: the insurer may withdraw only what exceeds that.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Pool<Balance> {
	/// What the pool holds.
	pub funds: Balance,
	/// The amounts of the open claims in this currency.
	pub committed: Balance,
}

/// Where a claim stands. A decided or withdrawn claim is removed (its event says how).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ClaimState<Balance> {
	/// Waiting for the insurer.
	Submitted,
	/// The insurer let the deadline pass and the clinic escalated: only `ArbiterOrigin`
	/// decides; `deposit` BTT is held from the clinic until it does.
	Escalated {
		/// The clinic's escalation deposit (`DisputeDeposit`).
		deposit: Balance,
	},
}

/// The largest claim adjustment reason code: X12 CARC numbers run from 1 to 299 today.
pub const MAX_REASON_CODE: u16 = 999;

/// An insurer's decision on a claim.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Decision<Balance> {
	/// Pays `amount` (all of the claim or part of it) from the insurer's pool.
	Approve {
		/// At most the claimed amount, at least the currency's minimum balance.
		amount: Balance,
	},
	/// Pays nothing, for a reason given as an X12 claim adjustment reason code number (CARC
	/// 1–999: 18 duplicate claim, 29 time limit expired, 50 not medically necessary, 96
	/// non-covered charge); no text.
	Deny {
		/// The CARC number.
		reason: u16,
	},
}

/// A clinic's claim to an insurer for care it gave: the amount asked, in a currency of the
/// insurer's pools, with the billing code that says what for (naming the insurer).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Claim<AccountId, Currency, Balance, BlockNumber> {
	/// Who claims (a registered payee; a slot of its statement is reserved for the payment).
	pub clinic: AccountId,
	/// Who is asked to pay.
	pub insurer: AccountId,
	/// The currency asked for (one payees may receive).
	pub currency: Currency,
	/// The amount asked for.
	pub amount: Balance,
	/// What for: procedures, diagnoses, the claim and the patient as salted hashes.
	pub code: BillingCode<AccountId>,
	/// A hash of the documents sent off chain (radiographs, the FHIR claim), if any.
	pub attachment: Option<sp_core::H256>,
	/// From this block, undecided, the clinic may escalate.
	pub deadline: BlockNumber,
	/// BTT held from the clinic until the claim is decided or withdrawn.
	pub deposit: Balance,
	/// Where it stands.
	pub state: ClaimState<Balance>,
}

/// [`Claim`] of a runtime.
pub type ClaimOf<T> =
	Claim<<T as frame_system::Config>::AccountId, CurrencyOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
