//! Registering payees, their deposits and record slots.

use super::*;
use crate::{Error, Event, Payee, Payees};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Payfi(crate::HoldReason::Payee), &who)
}

#[test]
fn a_payee_holds_a_deposit_for_its_slots_and_changes_it_with_them() {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 100));
		let deposit = PayeeDeposit::get() + 100 * RecordDeposit::get();
		assert_eq!(held(CLINIC), deposit);
		assert_eq!(
			Payees::<Test>::get(CLINIC),
			Some(Payee { slots: 100, used: 0, escrows: 0, splits: 0, tabs: 0, claims: 0, deposit })
		);
		assert_eq!(
			payfi_events().last(),
			Some(&Event::PayeeRegistered { payee: CLINIC, slots: 100, deposit })
		);
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 10));
		assert_eq!(held(CLINIC), PayeeDeposit::get() + 10 * RecordDeposit::get());
		assert_ok!(Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)));
		assert_eq!(held(CLINIC), 0);
		assert_eq!(Payees::<Test>::get(CLINIC), None);
	});
}

#[test]
fn slots_are_capped_and_never_below_the_records_held() {
	run(|| {
		assert_noop!(
			Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 1_001),
			Error::<Test>::TooManySlots
		);
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 2));
		assert_ok!(Payfi::pay(
			RuntimeOrigin::signed(PATIENT),
			CLINIC,
			NATIVE,
			NATIVE,
			UNITS,
			UNITS,
			checkup()
		));
		assert_noop!(
			Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 0),
			Error::<Test>::SlotsBelowRecords
		);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)),
			Error::<Test>::PayeeHasRecords
		);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(OTHER_CLINIC)),
			Error::<Test>::NotPayee
		);
	});
}

#[test]
fn a_payee_that_cannot_pay_the_deposit_is_refused() {
	run(|| {
		// 100 BTT, and 10,000 slots would cost 1 + 100 BTT: over the cap anyway; 1,000 slots
		// cost 11 BTT, so a poorer account is needed.
		const POOR: AccountId = 42;
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
			&POOR, UNITS
		));
		assert!(Payfi::register_payee(RuntimeOrigin::signed(POOR), 1_000).is_err());
		assert_eq!(Payees::<Test>::get(POOR), None);
		assert_eq!(held(POOR), 0);
	});
}
