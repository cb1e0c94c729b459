//! Tests of the PayFi pallet on the mock (configured like the runtime: real pallet-balances,
//! pallet-assets and pallet-asset-conversion). Every test ends with `do_try_state`.

#![allow(clippy::unwrap_used)]

mod claims;
mod escrow;
mod payees;
mod payments;
mod plans;
mod splits;
mod tabs;

use crate::mock::*;
use btt_primitives::payfi::{BillingCode, DiagnosisCode, ProcedureCode};
use frame_support::traits::fungible::NativeOrWithId;
use sp_core::H256;

/// A checkup's billing code: D0120 (periodic oral evaluation), D0274 (bitewings), K02.52.
pub fn checkup() -> BillingCode<AccountId> {
	BillingCode::from_text(
		&[b"D0120", b"D0274"],
		&[b"K02.52"],
		H256::repeat_byte(0xC1),
		today(),
		H256::repeat_byte(0xA7),
		None,
	)
	.unwrap()
}

/// The events of this pallet, in order.
pub fn payfi_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Payfi(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// A balance of `currency`.
pub fn balance(currency: NativeOrWithId<u32>, who: AccountId) -> Balance {
	<NativeAndAssets as frame_support::traits::fungibles::Inspect<_>>::balance(currency, &who)
}
