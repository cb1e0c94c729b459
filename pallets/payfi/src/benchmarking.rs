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
//!   signs with sr25519); `close_tab` both refunds and writes the record.

use crate::{pallet::*, types::*};
use alloc::vec;
use alloc::vec::Vec;
use btt_primitives::{
	depin::{DiagnosticModule, OnTaskVerified, VerifiedDiagnosis},
	payfi::{
		BillingCode, Diagnoses, DiagnosisCode, ProcedureCode, Procedures, MAX_DIAGNOSES,
		MAX_PROCEDURES,
	},
};
use frame_benchmarking::v2::*;
use frame_support::{
	assert_ok,
	traits::{
		fungibles::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedBTreeSet, BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, Saturating},
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

const SEED: u32 = 0;

/// A large amount of `currency`: a million times its minimum balance.
fn plenty<T: Config>(currency: CurrencyOf<T>) -> BalanceOf<T> {
	T::Currencies::minimum_balance(currency).max(1u32.into()).saturating_mul(1_000_000u32.into())
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	let native = T::NativeCurrency::get();
	assert_ok!(T::Currencies::mint_into(native.clone(), &who, plenty::<T>(native)));
	who
}

/// A payee with every record slot.
fn payee<T: Config>() -> T::AccountId {
	let payee = funded::<T>("payee", 0);
	assert_ok!(Pallet::<T>::do_register_payee(payee.clone(), T::MaxRecordsPerPayee::get()));
	payee
}

/// The largest billing code: every procedure (all in the list), every diagnosis, an insurer.
fn largest_code<T: Config>() -> BillingCode<T::AccountId> {
	let procedures: Vec<ProcedureCode> = (0..MAX_PROCEDURES)
		.filter_map(|i| ProcedureCode::from_number(9_000u16.saturating_add(i as u16)).ok())
		.collect();
	let diagnoses: Vec<DiagnosisCode> = (0..MAX_DIAGNOSES)
		.filter_map(|i| DiagnosisCode::parse(&[b'K', b'0', b'2', b'.', b'5', b'0' + i as u8]).ok())
		.collect();
	BillingCode {
		procedures: Procedures::truncate_from(procedures),
		diagnoses: Diagnoses::truncate_from(diagnoses),
		claim: H256::repeat_byte(0xC1),
		encounter_day: Pallet::<T>::today(),
		patient: H256::repeat_byte(0xA7),
		insurer: Some(account("insurer", 0, SEED)),
	}
}

/// A full procedure list holding every code of [`largest_code`] (the last ones in order).
fn full_procedure_list<T: Config>() -> BoundedBTreeSet<ProcedureCode, T::MaxListedProcedures> {
	let max = T::MaxListedProcedures::get();
	let first = 9_000u32.saturating_add(MAX_PROCEDURES).saturating_sub(max);
	let mut list = BoundedBTreeSet::new();
	for number in first..first.saturating_add(max) {
		if let Ok(code) = ProcedureCode::from_number(number as u16) {
			assert_ok!(list.try_insert(code).map(|_| ()).map_err(|_| "list full"));
		}
	}
	list
}

/// Governance's lists at their largest: `receive` the last receivable currency.
fn fullest_lists<T: Config>(receive: CurrencyOf<T>) {
	let mut currencies: Vec<CurrencyOf<T>> =
		(100..100u32.saturating_add(T::MaxReceivableCurrencies::get()).saturating_sub(1))
			.map(|i| T::BenchmarkHelper::pooled_asset(i, &funded::<T>("provider", i)))
			.collect();
	currencies.push(receive);
	assert_ok!(Pallet::<T>::do_set_receivable_currencies(BoundedVec::truncate_from(currencies)));
	assert_ok!(Pallet::<T>::do_set_procedure_list(Some(full_procedure_list::<T>())));
}

/// A payer holding BTT and 10^18 units of `pay_in`: enough to buy any benchmark amount
/// through the helper's pools.
fn payer<T: Config>(pay_in: CurrencyOf<T>) -> T::AccountId {
	let payer = funded::<T>("payer", 0);
	let units = BalanceOf::<T>::from(1_000_000_000u32).saturating_mul(1_000_000_000u32.into());
	assert_ok!(T::Currencies::mint_into(pay_in, &payer, units));
	payer
}

/// What the benchmark payments pay: a thousand times the received currency's minimum balance.
fn amount<T: Config>(receive: CurrencyOf<T>) -> BalanceOf<T> {
	T::Currencies::minimum_balance(receive).max(1u32.into()).saturating_mul(1_000u32.into())
}

/// Checks that `payee`, who held no `receive` before, received the benchmarks' amount once.
fn assert_paid<T: Config>(payee: &T::AccountId, receive: CurrencyOf<T>) {
	assert_eq!(
		T::Currencies::balance(receive.clone(), payee),
		amount::<T>(receive),
		"the payee received the amount"
	);
	assert_eq!(Payees::<T>::get(payee).map(|info| info.used), Some(1));
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

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// A plan's parties: two stablecoins (the received one the last of the fullest list), a
/// registered payee with every slot, a payer holding the first coin.
fn plan_parties<T: Config>() -> (CurrencyOf<T>, CurrencyOf<T>, T::AccountId, T::AccountId) {
	let pay_in = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	let receive = T::BenchmarkHelper::pooled_asset(1, &funded::<T>("provider", 1));
	fullest_lists::<T>(receive.clone());
	(pay_in.clone(), receive, payee::<T>(), payer::<T>(pay_in))
}

/// Fills the scheduler's agenda at `block` with remarks, then frees one slot.
fn fill_agenda<T: Config>(block: BlockNumberFor<T>) {
	use frame_support::traits::schedule::{v3::Named, DispatchTime, LOWEST_PRIORITY};
	let call: <T as frame_system::Config>::RuntimeCall =
		frame_system::Call::<T>::remark { remark: Vec::new() }.into();
	let Ok(inline) = frame_support::traits::BoundedInline::try_from(codec::Encode::encode(&call))
	else {
		return;
	};
	use frame_support::traits::OriginTrait;
	let origin = <T::RuntimeOrigin as OriginTrait>::root().into_caller();
	let name = |i: u32| sp_io::hashing::blake2_256(&codec::Encode::encode(&(b"filler", i)));
	let mut last = None;
	for i in 0..1_000u32 {
		let scheduled = T::Scheduler::schedule_named(
			name(i),
			DispatchTime::At(block),
			None,
			LOWEST_PRIORITY,
			origin.clone(),
			frame_support::traits::Bounded::Inline(inline.clone()),
		);
		if scheduled.is_err() {
			break;
		}
		last = Some(i);
	}
	if let Some(i) = last {
		assert_ok!(T::Scheduler::cancel_named(name(i)));
	}
}

/// A plan of the most payments between two stablecoins, its first payment's block holding
/// all but one task; returns it with its payer and payee.
fn scheduled_plan<T: Config>() -> (PlanId, T::AccountId, T::AccountId) {
	let (pay_in, receive, payee, payer) = plan_parties::<T>();
	let period = T::MinPlanPeriod::get();
	fill_agenda::<T>(frame_system::Pallet::<T>::block_number().saturating_add(period));
	let plan = Pallet::<T>::do_schedule_payments(
		payer.clone(),
		payee.clone(),
		pay_in,
		receive.clone(),
		amount::<T>(receive),
		BalanceOf::<T>::max_value(),
		period,
		T::MaxPaymentsPerPlan::get(),
		largest_code::<T>(),
	);
	assert_ok!(&plan);
	(plan.unwrap_or_default(), payer, payee)
}

/// Half the benchmarks' amount of `currency`.
fn half<T: Config>(currency: CurrencyOf<T>) -> BalanceOf<T> {
	amount::<T>(currency) / 2u32.into()
}

/// An open tab in a stablecoin whose payer is the helper's signer; returns it with its payer,
/// its payee and the currency.
fn open_signed_tab<T: Config>() -> (TabId, T::AccountId, T::AccountId, CurrencyOf<T>) {
	let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	fullest_lists::<T>(currency.clone());
	let payee = payee::<T>();
	let payer = T::BenchmarkHelper::signer();
	let native = T::NativeCurrency::get();
	assert_ok!(T::Currencies::mint_into(native.clone(), &payer, plenty::<T>(native)));
	assert_ok!(T::Currencies::mint_into(currency.clone(), &payer, plenty::<T>(currency.clone())));
	let expires_at =
		frame_system::Pallet::<T>::block_number().saturating_add(T::MaxTabPeriod::get());
	let tab = Pallet::<T>::do_open_tab(
		payer.clone(),
		payee.clone(),
		currency.clone(),
		amount::<T>(currency.clone()),
		expires_at,
		largest_code::<T>(),
	);
	assert_ok!(&tab);
	(tab.unwrap_or_default(), payer, payee, currency)
}

/// `n` shares to distinct new accounts, summing to 100 % (the first takes the rounding).
fn shares_to_accounts<T: Config>(n: u32) -> BoundedVec<Share<T::AccountId>, MaxShares> {
	let each = Permill::from_parts(1_000_000 / n.max(1));
	let mut shares: Vec<Share<T::AccountId>> = (0..n)
		.map(|i| Share { to: Recipient::Account(account("share", i, SEED)), part: each })
		.collect();
	let rest = 1_000_000u32.saturating_sub(each.deconstruct().saturating_mul(n));
	if let Some(first) = shares.first_mut() {
		first.part = Permill::from_parts(first.part.deconstruct().saturating_add(rest));
	}
	BoundedVec::truncate_from(shares)
}

/// An escrow's parties: a stablecoin the payee may receive (the last of the fullest list),
/// a registered payee with every slot, a payer holding the stablecoin.
fn escrow_parties<T: Config>() -> (CurrencyOf<T>, T::AccountId, T::AccountId) {
	let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	fullest_lists::<T>(currency.clone());
	(currency.clone(), payee::<T>(), payer::<T>(currency))
}

/// Three conditions, the payer's confirmation and two verified tasks: the release checks the
/// costliest set (each task condition reads its index).
fn most_conditions<T: Config>() -> BoundedVec<ConditionOf<T>, MaxConditions> {
	let payer: T::AccountId = account("payer", 0, SEED);
	BoundedVec::truncate_from(vec![
		Condition::TaskVerified(1),
		Condition::TaskVerified(2),
		Condition::ConfirmedBy(payer),
	])
}

/// The longest refund period.
fn refund_block<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxEscrowPeriod::get())
}

/// A pending escrow in a stablecoin waiting for two tasks (0, 1) of the payee or the payer's
/// confirmation; returns it with the payer and the payee.
fn pending_escrow<T: Config>() -> (EscrowId, T::AccountId, T::AccountId) {
	let (currency, payee, payer) = escrow_parties::<T>();
	let conditions = BoundedVec::truncate_from(vec![
		Condition::TaskVerified(0),
		Condition::TaskVerified(1),
		Condition::ConfirmedBy(payer.clone()),
	]);
	let id = Pallet::<T>::do_escrow(
		payer.clone(),
		payee.clone(),
		currency.clone(),
		amount::<T>(currency),
		conditions,
		refund_block::<T>(),
		largest_code::<T>(),
	);
	assert_ok!(&id);
	(id.unwrap_or_default(), payer, payee)
}

fn verified<T: Config>(task: u64, clinic: &T::AccountId) -> VerifiedDiagnosis<T::AccountId> {
	VerifiedDiagnosis {
		task,
		clinic: clinic.clone(),
		module: DiagnosticModule::CariesDetection,
		model: Default::default(),
		input_hash: Default::default(),
		findings: Default::default(),
		confidence: Permill::one(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::Test;

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
