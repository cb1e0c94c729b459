//! The benchmarks' set-ups: funded accounts, the largest billing code, governance's fullest
//! lists, and the escrows, plans, tabs and claims each benchmark starts from.

use super::BenchmarkHelper;
use crate::{pallet::*, types::*};
use alloc::vec;
use alloc::vec::Vec;
use btt_primitives::{
	depin::{DiagnosticModule, VerifiedDiagnosis},
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
		Get,
	},
	BoundedBTreeSet, BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, Saturating},
	Permill,
};

pub(super) const SEED: u32 = 0;

/// A large amount of `currency`: a million times its minimum balance.
pub(super) fn plenty<T: Config>(currency: CurrencyOf<T>) -> BalanceOf<T> {
	T::Currencies::minimum_balance(currency).max(1u32.into()).saturating_mul(1_000_000u32.into())
}

pub(super) fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	let native = T::NativeCurrency::get();
	assert_ok!(T::Currencies::mint_into(native.clone(), &who, plenty::<T>(native)));
	who
}

/// A payee with every record slot.
pub(super) fn payee<T: Config>() -> T::AccountId {
	let payee = funded::<T>("payee", 0);
	assert_ok!(Pallet::<T>::do_register_payee(payee.clone(), T::MaxRecordsPerPayee::get()));
	payee
}

/// The largest billing code: every procedure (all in the list), every diagnosis, an insurer.
pub(super) fn largest_code<T: Config>() -> BillingCode<T::AccountId> {
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
pub(super) fn full_procedure_list<T: Config>(
) -> BoundedBTreeSet<ProcedureCode, T::MaxListedProcedures> {
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
pub(super) fn fullest_lists<T: Config>(receive: CurrencyOf<T>) {
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
pub(super) fn payer<T: Config>(pay_in: CurrencyOf<T>) -> T::AccountId {
	let payer = funded::<T>("payer", 0);
	let units = BalanceOf::<T>::from(1_000_000_000u32).saturating_mul(1_000_000_000u32.into());
	assert_ok!(T::Currencies::mint_into(pay_in, &payer, units));
	payer
}

/// What the benchmark payments pay: a thousand times the received currency's minimum balance.
pub(super) fn amount<T: Config>(receive: CurrencyOf<T>) -> BalanceOf<T> {
	T::Currencies::minimum_balance(receive).max(1u32.into()).saturating_mul(1_000u32.into())
}

/// Checks that `payee`, who held no `receive` before, received the benchmarks' amount once.
pub(super) fn assert_paid<T: Config>(payee: &T::AccountId, receive: CurrencyOf<T>) {
	assert_eq!(
		T::Currencies::balance(receive.clone(), payee),
		amount::<T>(receive),
		"the payee received the amount"
	);
	assert_eq!(Payees::<T>::get(payee).map(|info| info.used), Some(1));
}

/// A plan's parties: two stablecoins (the received one the last of the fullest list), a
/// registered payee with every slot, a payer holding the first coin.
pub(super) fn plan_parties<T: Config>() -> (CurrencyOf<T>, CurrencyOf<T>, T::AccountId, T::AccountId)
{
	let pay_in = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	let receive = T::BenchmarkHelper::pooled_asset(1, &funded::<T>("provider", 1));
	fullest_lists::<T>(receive.clone());
	(pay_in.clone(), receive, payee::<T>(), payer::<T>(pay_in))
}

/// Fills the scheduler's agenda at `block` with remarks, then frees one slot.
pub(super) fn fill_agenda<T: Config>(block: BlockNumberFor<T>) {
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
pub(super) fn scheduled_plan<T: Config>() -> (PlanId, T::AccountId, T::AccountId) {
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
pub(super) fn half<T: Config>(currency: CurrencyOf<T>) -> BalanceOf<T> {
	amount::<T>(currency) / 2u32.into()
}

/// An open tab in a stablecoin whose payer is the helper's signer; returns it with its payer,
/// its payee and the currency.
pub(super) fn open_signed_tab<T: Config>() -> (TabId, T::AccountId, T::AccountId, CurrencyOf<T>) {
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
pub(super) fn shares_to_accounts<T: Config>(n: u32) -> BoundedVec<Share<T::AccountId>, MaxShares> {
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
pub(super) fn escrow_parties<T: Config>() -> (CurrencyOf<T>, T::AccountId, T::AccountId) {
	let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	fullest_lists::<T>(currency.clone());
	(currency.clone(), payee::<T>(), payer::<T>(currency))
}

/// Three conditions, the payer's confirmation and two verified tasks: the release checks the
/// costliest set (each task condition reads its index).
pub(super) fn most_conditions<T: Config>() -> BoundedVec<ConditionOf<T>, MaxConditions> {
	let payer: T::AccountId = account("payer", 0, SEED);
	BoundedVec::truncate_from(vec![
		Condition::TaskVerified(1),
		Condition::TaskVerified(2),
		Condition::ConfirmedBy(payer),
	])
}

/// The longest refund period.
pub(super) fn refund_block<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxEscrowPeriod::get())
}

/// A pending escrow in a stablecoin waiting for two tasks (0, 1) of the payee or the payer's
/// confirmation; returns it with the payer and the payee.
pub(super) fn pending_escrow<T: Config>() -> (EscrowId, T::AccountId, T::AccountId) {
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

pub(super) fn verified<T: Config>(
	task: u64,
	clinic: &T::AccountId,
) -> VerifiedDiagnosis<T::AccountId> {
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

/// A registered insurer holding BTT.
pub(super) fn insurer<T: Config>() -> T::AccountId {
	let insurer = funded::<T>("insurer", 0);
	assert_ok!(Pallet::<T>::do_register_insurer(insurer.clone()));
	insurer
}

/// A registered insurer whose pool in a stablecoin (the last of the fullest list) holds the
/// benchmarks' amount.
pub(super) fn funded_pool<T: Config>() -> (T::AccountId, CurrencyOf<T>) {
	let currency = T::BenchmarkHelper::pooled_asset(0, &funded::<T>("provider", 0));
	fullest_lists::<T>(currency.clone());
	let insurer = insurer::<T>();
	assert_ok!(T::Currencies::mint_into(currency.clone(), &insurer, plenty::<T>(currency.clone())));
	assert_ok!(Pallet::<T>::do_fund_pool(
		insurer.clone(),
		currency.clone(),
		amount::<T>(currency.clone())
	));
	(insurer, currency)
}

/// A claim of the benchmarks' amount with the largest code on a funded pool; returns it with
/// the clinic, the insurer and the currency.
pub(super) fn submitted_claim<T: Config>() -> (ClaimId, T::AccountId, T::AccountId, CurrencyOf<T>) {
	let (insurer, currency) = funded_pool::<T>();
	let clinic = payee::<T>();
	let claim = Pallet::<T>::do_submit_claim(
		clinic.clone(),
		insurer.clone(),
		currency.clone(),
		amount::<T>(currency.clone()),
		largest_code::<T>(),
		Some(Default::default()),
	);
	assert_ok!(&claim);
	(claim.unwrap_or_default(), clinic, insurer, currency)
}
