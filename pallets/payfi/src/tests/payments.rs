//! Coded payments: the router's three routes, the payer's slippage bound, what may be received,
//! billing-code checks, full statements and the statement query.

use super::*;
use crate::{Error, Event, Pallet, PaymentRecord, ProcedureList, Records, Route};
use frame_support::{assert_noop, assert_ok, BoundedBTreeSet, BoundedVec};
use sp_runtime::DispatchError;

fn registered(test: impl FnOnce()) {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 10));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD])
		));
		test();
	});
}

fn pay(
	pay_in: NativeOrWithId<u32>,
	receive: NativeOrWithId<u32>,
	amount: Balance,
	max_in: Balance,
) -> sp_runtime::DispatchResult {
	Payfi::pay(RuntimeOrigin::signed(PATIENT), CLINIC, pay_in, receive, amount, max_in, checkup())
}

fn last_paid() -> Option<Event<Test>> {
	payfi_events().into_iter().rev().find(|event| matches!(event, Event::Paid { .. }))
}

#[test]
fn a_payment_in_the_received_currency_is_a_direct_transfer_recorded_in_the_statement() {
	registered(|| {
		let (patient, clinic) = (balance(WITH_DUSD, PATIENT), balance(WITH_DUSD, CLINIC));
		assert_ok!(pay(WITH_DUSD, WITH_DUSD, 50 * USD, 50 * USD));
		assert_eq!(balance(WITH_DUSD, PATIENT), patient - 50 * USD);
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + 50 * USD);
		assert_eq!(
			last_paid(),
			Some(Event::Paid {
				id: 0,
				payer: PATIENT,
				payee: CLINIC,
				paid: (WITH_DUSD, 50 * USD),
				received: (WITH_DUSD, 50 * USD),
				route: Route::Direct,
				day: today(),
			})
		);
		let record = Records::<Test>::get((CLINIC, today(), 0)).unwrap();
		assert_eq!(record.code, checkup());
		assert_eq!(Payfi::payee(&CLINIC).unwrap().used, 1);
	});
}

#[test]
fn a_payment_in_btt_is_swapped_so_the_clinic_receives_exactly_the_amount() {
	registered(|| {
		let before = (balance(NATIVE, PATIENT), balance(WITH_DUSD, CLINIC));
		assert_ok!(pay(NATIVE, WITH_DUSD, 50 * USD, 60 * UNITS));
		assert_eq!(balance(WITH_DUSD, CLINIC), before.1 + 50 * USD, "exactly the amount");
		let Some(Event::Paid { paid: (currency, paid), route, .. }) = last_paid() else {
			panic!("no Paid event")
		};
		assert_eq!(currency, NATIVE);
		assert_eq!(route, Route::Swap { path: BoundedVec::truncate_from(vec![NATIVE, WITH_DUSD]) });
		assert_eq!(balance(NATIVE, PATIENT), before.0 - paid);
		// 1 BTT ≈ 1 dUSD in the pool: just over 50 BTT, the 0.3 % fee and the price impact.
		assert!(paid > 50 * UNITS && paid < 51 * UNITS, "{paid}");
	});
}

#[test]
fn a_payment_between_two_stablecoins_goes_through_both_btt_pools() {
	registered(|| {
		let before = (balance(WITH_DEUR, PATIENT), balance(WITH_DUSD, CLINIC));
		assert_ok!(pay(WITH_DEUR, WITH_DUSD, 20 * USD, 25 * USD));
		assert_eq!(balance(WITH_DUSD, CLINIC), before.1 + 20 * USD);
		let Some(Event::Paid { paid: (_, paid), route, .. }) = last_paid() else {
			panic!("no Paid event")
		};
		assert_eq!(
			route,
			Route::Swap { path: BoundedVec::truncate_from(vec![WITH_DEUR, NATIVE, WITH_DUSD]) }
		);
		assert_eq!(balance(WITH_DEUR, PATIENT), before.0 - paid);
		assert!(paid > 20 * USD && paid < 21 * USD, "{paid}");
	});
}

#[test]
fn a_swap_costing_more_than_the_payers_maximum_moves_nothing() {
	registered(|| {
		let before = (balance(NATIVE, PATIENT), balance(WITH_DUSD, CLINIC));
		let outcome = pay(NATIVE, WITH_DUSD, 50 * USD, 50 * UNITS);
		assert_eq!(
			outcome,
			Err(pallet_asset_conversion::Error::<Test>::ProvidedMaximumNotSufficientForSwap.into())
		);
		assert_eq!((balance(NATIVE, PATIENT), balance(WITH_DUSD, CLINIC)), before);
		assert_eq!(Payfi::payee(&CLINIC).unwrap().used, 0);
	});
}

#[test]
fn paying_in_a_currency_without_a_pool_fails_and_moves_nothing() {
	registered(|| {
		let before = balance(NativeOrWithId::WithId(JUNK), PATIENT);
		let outcome = pay(NativeOrWithId::WithId(JUNK), WITH_DUSD, 10 * USD, 1_000 * USD);
		// pallet-asset-conversion reads a missing pool's reserves as empty.
		assert_eq!(outcome, Err(pallet_asset_conversion::Error::<Test>::PoolEmpty.into()));
		assert_eq!(balance(NativeOrWithId::WithId(JUNK), PATIENT), before);
	});
}

#[test]
fn only_listed_currencies_and_amounts_above_their_minimum_are_received() {
	registered(|| {
		assert_noop!(
			pay(WITH_DEUR, WITH_DEUR, 10 * USD, 10 * USD),
			Error::<Test>::CurrencyNotReceivable
		);
		assert_noop!(pay(WITH_DUSD, WITH_DUSD, USD / 1_000, USD), Error::<Test>::BelowMinimum);
		// BTT is always receivable.
		assert_ok!(pay(NATIVE, NATIVE, UNITS, UNITS));
	});
}

#[test]
fn malformed_codes_unlisted_procedures_and_future_encounters_are_refused() {
	registered(|| {
		let pay_with = |code| {
			Payfi::pay(RuntimeOrigin::signed(PATIENT), CLINIC, WITH_DUSD, WITH_DUSD, USD, USD, code)
		};
		let mut repeated = checkup();
		repeated.procedures = BoundedVec::truncate_from(vec![
			ProcedureCode::from_number(120).unwrap(),
			ProcedureCode::from_number(120).unwrap(),
		]);
		assert_noop!(pay_with(repeated), Error::<Test>::DuplicateProcedure);
		let mut none = checkup();
		none.procedures = BoundedVec::new();
		assert_noop!(pay_with(none), Error::<Test>::NoProcedure);
		// A decoded record can carry bytes no parser would make: caught the same.
		let mut forged = checkup();
		let smith = <DiagnosisCode as codec::Decode>::decode(&mut &b"SMITH\0\0"[..]).unwrap();
		forged.diagnoses = BoundedVec::truncate_from(vec![smith]);
		assert_noop!(pay_with(forged), Error::<Test>::DiagnosisFormat);
		let mut future = checkup();
		future.encounter_day = today() + 1;
		assert_noop!(pay_with(future), Error::<Test>::EncounterInFuture);
		let mut list = BoundedBTreeSet::new();
		list.try_insert(ProcedureCode::from_number(120).unwrap()).unwrap();
		assert_ok!(Payfi::set_procedure_list(RuntimeOrigin::root(), Some(list)));
		assert_noop!(pay_with(checkup()), Error::<Test>::ProcedureNotListed);
		assert_ok!(Payfi::set_procedure_list(RuntimeOrigin::root(), None));
		assert_eq!(ProcedureList::<Test>::get(), None);
		assert_ok!(pay_with(checkup()));
	});
}

#[test]
fn a_full_statement_refuses_coded_payments_until_records_are_removed() {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 1));
		assert_ok!(pay(NATIVE, NATIVE, UNITS, UNITS));
		// A stranger filling the statement pays the clinic real money for each record.
		assert_noop!(pay(NATIVE, NATIVE, UNITS, UNITS), Error::<Test>::StatementFull);
		assert_noop!(
			Payfi::remove_records(
				RuntimeOrigin::signed(CLINIC),
				today(),
				BoundedVec::truncate_from(vec![0, 0])
			),
			Error::<Test>::DuplicateRecord
		);
		assert_noop!(
			Payfi::remove_records(
				RuntimeOrigin::signed(CLINIC),
				today(),
				BoundedVec::truncate_from(vec![0, 7])
			),
			Error::<Test>::UnknownRecord
		);
		assert!(Records::<Test>::contains_key((CLINIC, today(), 0)), "nothing removed");
		assert_ok!(Payfi::remove_records(
			RuntimeOrigin::signed(CLINIC),
			today(),
			BoundedVec::truncate_from(vec![0])
		));
		assert_eq!(
			payfi_events().last(),
			Some(&Event::RecordsRemoved { payee: CLINIC, day: today(), count: 1 })
		);
		assert_ok!(pay(NATIVE, NATIVE, UNITS, UNITS));
	});
}

#[test]
fn paying_oneself_or_an_unregistered_account_is_refused() {
	registered(|| {
		assert_noop!(
			Payfi::pay(
				RuntimeOrigin::signed(CLINIC),
				CLINIC,
				NATIVE,
				NATIVE,
				UNITS,
				UNITS,
				checkup()
			),
			Error::<Test>::SelfPayment
		);
		assert_noop!(
			Payfi::pay(
				RuntimeOrigin::signed(PATIENT),
				OTHER_CLINIC,
				NATIVE,
				NATIVE,
				UNITS,
				UNITS,
				checkup()
			),
			Error::<Test>::NotPayee
		);
	});
}

#[test]
fn the_statement_lists_a_period_by_day_and_refuses_overlong_periods() {
	registered(|| {
		let first = today();
		assert_ok!(pay(WITH_DUSD, WITH_DUSD, 10 * USD, 10 * USD));
		set_day(first + 2);
		assert_ok!(pay(NATIVE, WITH_DUSD, 5 * USD, 10 * UNITS));
		let lines = Pallet::<Test>::statement(&CLINIC, first, first + 2).unwrap();
		let summary: Vec<(u32, u64, Balance)> =
			lines.iter().map(|(day, id, record)| (*day, *id, record.received.1)).collect();
		assert_eq!(summary, vec![(first, 0, 10 * USD), (first + 2, 1, 5 * USD)]);
		let PaymentRecord { payer, paid, .. } = &lines[1].2;
		assert_eq!((*payer, paid.0.clone()), (PATIENT, NATIVE));
		assert_eq!(Pallet::<Test>::statement(&CLINIC, first + 1, first + 1), Some(vec![]));
		assert_eq!(Pallet::<Test>::statement(&CLINIC, first, first + 31), None, "32 days");
		assert_eq!(Pallet::<Test>::statement(&CLINIC, first + 1, first), None);
	});
}

#[test]
fn only_the_payments_origin_lists_currencies_and_procedures_and_without_repeats() {
	run(|| {
		assert_noop!(
			Payfi::set_receivable_currencies(
				RuntimeOrigin::signed(CLINIC),
				BoundedVec::truncate_from(vec![WITH_DUSD])
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Payfi::set_procedure_list(RuntimeOrigin::signed(CLINIC), None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Payfi::set_receivable_currencies(
				RuntimeOrigin::root(),
				BoundedVec::truncate_from(vec![WITH_DUSD, WITH_DUSD])
			),
			Error::<Test>::DuplicateCurrency
		);
	});
}
