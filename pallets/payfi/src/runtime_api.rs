//! The runtime API of the PayFi pallet, for clinics' reconciliation (`api.call.payfiApi`).

use crate::{Payee, PaymentId, PaymentRecord};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// A payee's registration and statement.
	pub trait PayfiApi<AccountId, Currency, Balance, BlockNumber>
	where
		AccountId: Codec,
		Currency: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The payee's registration (record slots, records held, deposit).
		fn payee(who: AccountId) -> Option<Payee<Balance>>;

		/// The payee's coded payments received from day `from` to day `to` (days since
		/// 1970-01-01, UTC, inclusive), by day then id: payer, both currencies and amounts,
		/// route, billing code, block. `None` for an empty period or one longer than
		/// `MaxStatementDays`.
		fn statement(
			payee: AccountId,
			from: u32,
			to: u32,
		) -> Option<Vec<(u32, PaymentId, PaymentRecord<AccountId, Currency, Balance, BlockNumber>)>>;
	}
}
