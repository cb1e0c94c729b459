//! The runtime API of the patient rewards pallet (`api.call.patientRewardsApi`).

use crate::{Activity, Consent, Patient, Purpose};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// A patient's rewards, engagement and consents, and the budget.
	pub trait PatientRewardsApi<AccountId, Balance>
	where
		AccountId: Codec,
		Balance: Codec,
	{
		/// `(claimable, pending)`: what the patient may claim now, and what its points of
		/// the period in progress pay at that period's rate so far.
		fn pending_rewards(patient: AccountId) -> (Balance, Balance);

		/// The patient's record: points, streak, consistency history, last days, deposits.
		fn patient(patient: AccountId) -> Option<Patient<Balance>>;

		/// The patient's consistency `H` and streak multiplier `T` today, in parts per
		/// billion and as a `FixedU128` (10^18 = 1).
		fn engagement(patient: AccountId) -> (sp_runtime::Perbill, sp_runtime::FixedU128);

		/// What the budget period in progress has left: its budget minus its points so far
		/// (0 once its rewards exceed it: they are then paid pro rata).
		fn budget_left() -> Balance;

		/// The patient's latest activities, oldest first: category, CDT code, day, points.
		fn history(patient: AccountId) -> Vec<Activity<Balance>>;

		/// The patient's consents: grantee, purpose, expiry.
		fn consents(patient: AccountId) -> Vec<(AccountId, Purpose, Consent<Balance>)>;
	}
}
