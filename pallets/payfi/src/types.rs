//! The pallet's types.

use crate::Config;
use btt_primitives::payfi::BillingCode;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, fungibles},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::ConstU32;

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

/// Seconds in a day: encounter days and statement days are days since 1970-01-01, UTC.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// A registered payee: how many records its deposit pays for and how many it holds.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Payee<Balance> {
	/// Record slots the deposit pays for.
	pub slots: u32,
	/// Records held now.
	pub used: u32,
	/// BTT held.
	pub deposit: Balance,
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
}

/// [`PaymentRecord`] of a runtime.
pub type PaymentRecordOf<T> = PaymentRecord<
	<T as frame_system::Config>::AccountId,
	CurrencyOf<T>,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
