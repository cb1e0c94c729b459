//! Benchmarks of every call (frame-benchmarking v2), each in its worst case:
//! - `pay_*`: the payer pays in a pallet-assets stablecoin and the payee receives another it
//!   did not hold (a new asset account), the receivable list full with the received currency
//!   last, governance's procedure list full, the code at its largest (every procedure, every
//!   diagnosis, an insurer); `pay_two_pools` swaps through both BTT pools, the costliest route;
//! - `remove_records`: `n` records of one day;
//! - the governance calls: their lists at the largest;
//! - plans: the most payments, the next payment's block with all but one agenda slot taken,
//!   `pay_scheduled` along both BTT pools;
//! - tabs: the largest code; `redeem_voucher` checks a real signature (the runtime's helper
//!   signs with sr25519); `close_tab` both refunds and writes the record;
//! - claims: a stablecoin, the largest code; `adjudicate` approves (a transfer and a record,
//!   where a denial moves nothing); `resolve_claim` awards and gives the frivolous
//!   escalation's deposit to the insurer.

mod setup;

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use btt_primitives::depin::OnTaskVerified;
use frame_benchmarking::v2::*;
use frame_support::{
	assert_ok,
	traits::{
		fungible::InspectHold,
		fungibles::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use setup::*;
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	Permill,
};

/// What the benchmarks need from the runtime beyond the pallet's `Config`.
pub trait BenchmarkHelper<AccountId, Currency, Signature> {
	/// The `i`-th asset other than BTT, created (sufficient) if it does not exist, with a BTT
	/// pool deep enough for any benchmark payment; `provider` may be funded to add the
	/// liquidity.
	fn pooled_asset(i: u32, provider: &AccountId) -> Currency;

	/// An account whose key [`BenchmarkHelper::sign`] can sign with (a tab's payer).
	fn signer() -> AccountId;

	/// `signer`'s signature of `message`.
	fn sign(signer: &AccountId, message: &[u8]) -> Signature;
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_payee() {
		let who = funded::<T>("payee", 0);
		let slots = T::MaxRecordsPerPayee::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), slots);

		assert_eq!(Pallet::<T>::held_for_payee(&who), Pallet::<T>::payee_deposit(slots));
	}

	#[benchmark]
	fn unregister_payee() {
		let who = payee::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Payees::<T>::get(&who).is_none());
		assert!(Pallet::<T>::held_for_payee(&who) == 0u32.into());
	}

	/// Paid and received in the same stablecoin: a transfer.
	#[benchmark]
	fn pay_direct() {
		let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
		fullest_lists::<T>(currency.clone());
		let (payee, payer) = (payee::<T>(), payer::<T>(currency.clone()));
		let amount = amount::<T>(currency.clone());

		#[extrinsic_call]
		pay(
			RawOrigin::Signed(payer),
			payee.clone(),
			currency.clone(),
			currency.clone(),
			amount,
			amount,
			largest_code::<T>(),
		);

		assert_paid::<T>(&payee, currency);
	}

	/// Paid in a stablecoin, received in BTT: one pool.
	#[benchmark]
	fn pay_one_pool() {
		let pay_in = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
		let receive = T::NativeCurrency::get();
		fullest_lists::<T>(pay_in.clone());
		let payee = funded::<T>("payee", 0);
		let before = T::Currencies::balance(receive.clone(), &payee);
		assert_ok!(Pallet::<T>::do_register_payee(payee.clone(), T::MaxRecordsPerPayee::get()));
		let payer = payer::<T>(pay_in.clone());
		let amount = amount::<T>(receive.clone());

		#[extrinsic_call]
		pay(
			RawOrigin::Signed(payer),
			payee.clone(),
			pay_in,
			receive.clone(),
			amount,
			BalanceOf::<T>::max_value(),
			largest_code::<T>(),
		);

		let deposit = Pallet::<T>::payee_deposit(T::MaxRecordsPerPayee::get());
		assert_eq!(
			T::Currencies::balance(receive, &payee).saturating_add(deposit),
			before.saturating_add(amount),
			"the payee received the amount in BTT"
		);
	}

	/// Paid in one stablecoin, received in another the payee did not hold: both BTT pools.
	#[benchmark]
	fn pay_two_pools() {
		let pay_in = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
		let receive = T::BenchmarkHelper::pooled_asset(1, &funded::<T>("provider", 1));
		fullest_lists::<T>(receive.clone());
		let (payee, payer) = (payee::<T>(), payer::<T>(pay_in.clone()));
		let amount = amount::<T>(receive.clone());

		#[extrinsic_call]
		pay(
			RawOrigin::Signed(payer),
			payee.clone(),
			pay_in,
			receive.clone(),
			amount,
			BalanceOf::<T>::max_value(),
			largest_code::<T>(),
		);

		assert_paid::<T>(&payee, receive);
	}

	#[benchmark]
	fn remove_records(n: Linear<1, 64>) {
		let currency = T::NativeCurrency::get();
		let payee = payee::<T>();
		let payer = payer::<T>(currency.clone());
		let amount = amount::<T>(currency.clone());
		let mut ids = Vec::new();
		for _ in 0..n {
			ids.push(NextPaymentId::<T>::get());
			assert_ok!(Pallet::<T>::do_pay(
				payer.clone(),
				payee.clone(),
				currency.clone(),
				currency.clone(),
				amount,
				amount,
				largest_code::<T>(),
			));
		}
		let day = Pallet::<T>::today();

		#[extrinsic_call]
		_(RawOrigin::Signed(payee.clone()), day, BoundedVec::truncate_from(ids));

		assert_eq!(Payees::<T>::get(&payee).map(|info| info.used), Some(0));
	}

	#[benchmark]
	fn set_receivable_currencies() -> Result<(), BenchmarkError> {
		let origin =
			T::PaymentsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let currencies: Vec<CurrencyOf<T>> = (0..T::MaxReceivableCurrencies::get())
			.map(|i| T::BenchmarkHelper::pooled_asset(i, &funded::<T>("provider", i)))
			.collect();
		let currencies = BoundedVec::truncate_from(currencies);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, currencies.clone());

		assert_eq!(ReceivableCurrencies::<T>::get(), currencies);
		Ok(())
	}

	#[benchmark]
	fn set_procedure_list() -> Result<(), BenchmarkError> {
		let origin =
			T::PaymentsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let list = full_procedure_list::<T>();
		let len = list.len() as u32;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(list));

		assert_eq!(ProcedureList::<T>::get().map(|list| list.len() as u32), Some(len));
		Ok(())
	}

	#[benchmark]
	fn escrow() {
		let (currency, payee, payer) = escrow_parties::<T>();
		let amount = amount::<T>(currency.clone());
		let conditions = most_conditions::<T>();
		let refund_at = refund_block::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer.clone()),
			payee.clone(),
			currency.clone(),
			amount,
			conditions,
			refund_at,
			largest_code::<T>(),
		);

		assert_eq!(Escrowed::<T>::get(currency), amount);
		assert_eq!(Payees::<T>::get(&payee).map(|info| info.escrows), Some(1));
	}

	#[benchmark]
	fn confirm() {
		let (id, payer, _) = pending_escrow::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);

		assert!(Escrows::<T>::get(id).is_some_and(|pending| pending.confirmed_at.is_some()));
	}

	/// A release by the last condition, the payer's confirmation, after both task conditions
	/// were read and found verified for another clinic (the costliest check), recorded in
	/// the payee's statement, both task indexes removed.
	#[benchmark]
	fn settle_escrow() {
		let (id, payer, payee) = pending_escrow::<T>();
		let other: T::AccountId = account("other clinic", 0, SEED);
		for task in 0..2u64 {
			<Pallet<T> as OnTaskVerified<T::AccountId>>::on_task_verified(&verified::<T>(
				task, &other,
			));
		}
		assert_ok!(Pallet::<T>::do_confirm(payer, id));
		let caller = funded::<T>("settler", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(Escrows::<T>::get(id).is_none());
		assert_eq!(Payees::<T>::get(&payee).map(|info| (info.used, info.escrows)), Some((1, 0)));
	}

	#[benchmark]
	fn dispute() {
		let (id, payer, _) = pending_escrow::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);

		assert!(Escrows::<T>::get(id).is_some_and(|pending| pending.dispute.is_some()));
	}

	/// A frivolous dispute split between both parties: two transfers out, a record, the
	/// disputer's deposit moved to the other party.
	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let origin =
			T::ArbiterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (id, payer, payee) = pending_escrow::<T>();
		assert_ok!(Pallet::<T>::do_dispute(payer, id));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, Permill::from_percent(50), true);

		assert!(Escrows::<T>::get(id).is_none());
		assert_eq!(Payees::<T>::get(&payee).map(|info| info.used), Some(1));
		Ok(())
	}

	/// The report of a verified task an escrow waits for.
	#[benchmark]
	fn on_task_verified() {
		let (_, _, payee) = pending_escrow::<T>();
		let diagnosis = verified::<T>(0, &payee);

		#[block]
		{
			<Pallet<T> as OnTaskVerified<T::AccountId>>::on_task_verified(&diagnosis);
		}

		assert!(AwaitedTasks::<T>::get(0).is_some_and(|awaited| awaited.verified.is_some()));
	}

	/// The largest template, replacing none: every share's recipient checked, a deposit held.
	#[benchmark]
	fn set_split() {
		let payee = payee::<T>();
		let shares = shares_to_accounts::<T>(MaxShares::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(payee.clone()), 0, shares, 0);

		assert!(Splits::<T>::get(&payee, 0).is_some());
	}

	#[benchmark]
	fn remove_split() {
		let payee = payee::<T>();
		let shares = shares_to_accounts::<T>(MaxShares::get());
		assert_ok!(Pallet::<T>::do_set_split(payee.clone(), 0, shares, 0));

		#[extrinsic_call]
		_(RawOrigin::Signed(payee.clone()), 0);

		assert!(Splits::<T>::get(&payee, 0).is_none());
	}

	/// `n` account shares of a stablecoin payment, each to an account new to the coin.
	#[benchmark]
	fn distribute(n: Linear<1, 8>) {
		let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
		let payee = payee::<T>();
		let amount = amount::<T>(currency.clone());
		assert_ok!(T::Currencies::mint_into(currency.clone(), &payee, amount));
		let shares = shares_to_accounts::<T>(n);
		let parts = crate::split_amounts(amount, &shares, 0);
		let result;

		#[block]
		{
			result = Pallet::<T>::distribute(&payee, &shares, currency.clone(), parts);
		}

		assert_eq!(result.ok(), Some((n, 0)));
		assert_eq!(T::Currencies::balance(currency, &payee), 0u32.into());
	}

	/// A plan of the most payments in two stablecoins, its first payment's block holding all
	/// but one task.
	#[benchmark]
	fn schedule_payments() {
		let (pay_in, receive, payee, payer) = plan_parties::<T>();
		let period = T::MinPlanPeriod::get();
		fill_agenda::<T>(frame_system::Pallet::<T>::block_number().saturating_add(period));
		let amount = amount::<T>(receive.clone());
		let payments = T::MaxPaymentsPerPlan::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer.clone()),
			payee,
			pay_in,
			receive,
			amount,
			BalanceOf::<T>::max_value(),
			period,
			payments,
			largest_code::<T>(),
		);

		assert_eq!(PlansOf::<T>::get(&payer), 1);
	}

	#[benchmark]
	fn cancel_plan() {
		let (plan, payer, _) = scheduled_plan::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), plan);

		assert!(Plans::<T>::get(plan).is_none());
		assert_eq!(PlansOf::<T>::get(&payer), 0);
	}

	/// A due payment along both BTT pools, the next one scheduled into a block holding all but
	/// one task.
	#[benchmark]
	fn pay_scheduled() {
		let (plan, payer, payee) = scheduled_plan::<T>();
		let due = Plans::<T>::get(plan).map(|plan| plan.next_due).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(due);
		fill_agenda::<T>(due.saturating_add(T::MinPlanPeriod::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), plan);

		let left = Plans::<T>::get(plan).map(|plan| plan.remaining);
		assert_eq!(left, Some(T::MaxPaymentsPerPlan::get().saturating_sub(1)));
		assert_eq!(Payees::<T>::get(&payee).map(|info| info.used), Some(1));
	}

	#[benchmark]
	fn open_tab() {
		let (currency, payee, payer) = escrow_parties::<T>();
		let amount = amount::<T>(currency.clone());
		let expires_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::MaxTabPeriod::get());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer.clone()),
			payee.clone(),
			currency.clone(),
			amount,
			expires_at,
			largest_code::<T>(),
		);

		assert_eq!(Escrowed::<T>::get(currency), amount);
		assert_eq!(Payees::<T>::get(&payee).map(|info| info.tabs), Some(1));
	}

	/// A voucher paying half the tab to a payee new to the currency, its signature checked.
	#[benchmark]
	fn redeem_voucher() {
		let (tab, _, payee, currency) = open_signed_tab::<T>();
		let voucher = Voucher { tab, cumulative: half::<T>(currency.clone()), nonce: 1_000 };
		let signature = T::BenchmarkHelper::sign(
			&T::BenchmarkHelper::signer(),
			&Pallet::<T>::voucher_message(&voucher),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(payee.clone()), voucher, signature);

		assert_eq!(T::Currencies::balance(currency.clone(), &payee), half::<T>(currency));
		assert_eq!(Tabs::<T>::get(tab).map(|tab| tab.nonce), Some(1_000));
	}

	/// The payee closes a half-redeemed tab: the rest refunded, the record written.
	#[benchmark]
	fn close_tab() {
		let (tab, payer, payee, currency) = open_signed_tab::<T>();
		let voucher = Voucher { tab, cumulative: half::<T>(currency.clone()), nonce: 1 };
		let signature = T::BenchmarkHelper::sign(&payer, &Pallet::<T>::voucher_message(&voucher));
		assert_ok!(Pallet::<T>::do_redeem_voucher(payee.clone(), voucher, signature));

		#[extrinsic_call]
		_(RawOrigin::Signed(payee.clone()), tab);

		assert!(Tabs::<T>::get(tab).is_none());
		assert_eq!(Payees::<T>::get(&payee).map(|info| (info.used, info.tabs)), Some((1, 0)));
	}

	#[benchmark]
	fn register_insurer() {
		let insurer = funded::<T>("insurer", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(insurer.clone()));

		assert!(Insurers::<T>::contains_key(&insurer));
	}

	#[benchmark]
	fn unregister_insurer() {
		let insurer = insurer::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(insurer.clone()));

		assert!(!Insurers::<T>::contains_key(&insurer));
	}

	/// A new pool in a stablecoin, the last of the fullest receivable list.
	#[benchmark]
	fn fund_pool() {
		let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
		fullest_lists::<T>(currency.clone());
		let insurer = insurer::<T>();
		assert_ok!(T::Currencies::mint_into(
			currency.clone(),
			&insurer,
			plenty::<T>(currency.clone())
		));
		let amount = amount::<T>(currency.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(insurer.clone()), currency.clone(), amount);

		assert_eq!(Pools::<T>::get(&insurer, &currency).map(|pool| pool.funds), Some(amount));
	}

	/// The whole pool withdrawn: the pool's entry removed.
	#[benchmark]
	fn withdraw_pool() {
		let (insurer, currency) = funded_pool::<T>();
		let amount = amount::<T>(currency.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(insurer.clone()), currency.clone(), amount);

		assert!(Pools::<T>::get(&insurer, &currency).is_none());
	}

	/// A claim with the largest code on an insurer's funded pool.
	#[benchmark]
	fn submit_claim() {
		let (insurer, currency) = funded_pool::<T>();
		let clinic = payee::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(clinic.clone()),
			insurer,
			currency.clone(),
			amount::<T>(currency),
			largest_code::<T>(),
			Some(Default::default()),
		);

		assert_eq!(ClaimsOf::<T>::get(&clinic), 1);
	}

	/// An approval in full: paid to a clinic new to the currency, recorded.
	#[benchmark]
	fn adjudicate() {
		let (claim, clinic, insurer, currency) = submitted_claim::<T>();
		let amount = amount::<T>(currency.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(insurer), claim, Decision::Approve { amount });

		assert_eq!(T::Currencies::balance(currency, &clinic), amount);
		assert_eq!(Payees::<T>::get(&clinic).map(|info| (info.used, info.claims)), Some((1, 0)));
	}

	#[benchmark]
	fn escalate() {
		let (claim, clinic, _, _) = submitted_claim::<T>();
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(T::ClaimDeadline::get()),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(clinic), claim);

		let state = Claims::<T>::get(claim).map(|claim| claim.state);
		assert!(matches!(state, Some(ClaimState::Escalated { .. })));
	}

	/// An award in full, the escalation found frivolous (its deposit moved to the insurer).
	#[benchmark]
	fn resolve_claim() -> Result<(), BenchmarkError> {
		let (claim, clinic, insurer, currency) = submitted_claim::<T>();
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(T::ClaimDeadline::get()),
		);
		assert_ok!(Pallet::<T>::do_escalate(clinic.clone(), claim));
		let origin =
			T::ArbiterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let amount = amount::<T>(currency.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, claim, amount, true);

		assert_eq!(T::Currencies::balance(currency, &clinic), amount);
		let held = T::NativeBalance::balance_on_hold(&HoldReason::Dispute.into(), &clinic);
		assert!(held.is_zero());
		assert!(Insurers::<T>::get(&insurer).is_some_and(|info| info.claims == 0));
		Ok(())
	}

	#[benchmark]
	fn withdraw_claim() {
		let (claim, clinic, _, _) = submitted_claim::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(clinic.clone()), claim);

		assert_eq!(ClaimsOf::<T>::get(&clinic), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::Test;
	use btt_primitives::payfi::{MAX_DIAGNOSES, MAX_PROCEDURES};

	#[test]
	fn the_largest_code_is_valid_and_fits_the_full_list() {
		crate::mock::new_test_ext().execute_with(|| {
			let code = largest_code::<Test>();
			assert_eq!(code.procedures.len() as u32, MAX_PROCEDURES);
			assert_eq!(code.diagnoses.len() as u32, MAX_DIAGNOSES);
			assert_ok!(code.validate());
			let list = full_procedure_list::<Test>();
			assert_eq!(
				list.len() as u32,
				<<Test as Config>::MaxListedProcedures as Get<u32>>::get()
			);
			assert!(code.procedures.iter().all(|p| list.contains(p)));
		});
	}
}
