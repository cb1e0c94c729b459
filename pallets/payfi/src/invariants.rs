//! `try_state`: what must hold after every block (and after every test).

use crate::{Config, Pallet, Payees, Records};
use alloc::collections::BTreeMap;
use frame_support::traits::Get;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// - every payee's records number `used`, and `used ≤ slots ≤ MaxRecordsPerPayee`;
	/// - every record belongs to a registered payee;
	/// - each payee's held BTT equals the deposit recorded, which is what its slots cost.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut counted: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for ((payee, _, _), _) in Records::<T>::iter() {
			*counted.entry(payee).or_default() += 1;
		}
		for (payee, info) in Payees::<T>::iter() {
			let records = counted.remove(&payee).unwrap_or(0);
			ensure_state(records == info.used, "a payee's record count is not its records")?;
			ensure_state(info.used <= info.slots, "a payee holds more records than slots")?;
			ensure_state(
				info.slots <= T::MaxRecordsPerPayee::get(),
				"a payee has more slots than allowed",
			)?;
			ensure_state(
				Self::held_for_payee(&payee) == info.deposit,
				"a payee's held deposit is not the recorded one",
			)?;
			ensure_state(
				info.deposit == Self::payee_deposit(info.slots),
				"a payee's deposit is not what its slots cost",
			)?;
		}
		ensure_state(counted.is_empty(), "records of an unregistered payee")
	}
}

fn ensure_state(condition: bool, what: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(what.into())
	}
}
