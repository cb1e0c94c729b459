//! Benchmarks of every call (frame-benchmarking v2), each in its worst case:
//! - `pay_*`: the payer pays in a pallet-assets stablecoin and the payee receives another it
//!   did not hold (a new asset account), the receivable list full with the received currency
//!   last, governance's procedure list full, the code at its largest (every procedure, every
//!   diagnosis, an insurer); `pay_two_pools` swaps through both BTT pools, the costliest route;
//! - `remove_records`: `n` records of one day;
//! - the governance calls: their lists at the largest.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use btt_primitives::payfi::{
	BillingCode, Diagnoses, DiagnosisCode, ProcedureCode, Procedures, MAX_DIAGNOSES, MAX_PROCEDURES,
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
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::{Bounded, Saturating};

/// What the benchmarks need from the runtime beyond the pallet's `Config`.
pub trait BenchmarkHelper<AccountId, Currency> {
	/// The `i`-th asset other than BTT, created (sufficient) if it does not exist, with a BTT
	/// pool deep enough for any benchmark payment; `provider` may be funded to add the
	/// liquidity.
	fn pooled_asset(i: u32, provider: &AccountId) -> Currency;
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

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
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
