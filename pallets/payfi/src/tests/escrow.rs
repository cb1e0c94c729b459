//! Escrow: each condition releasing, the refund at the refund block, disputes and the
//! arbiter's split, the DePIN task report, and what a payer, a payee or a stranger cannot do.

use super::*;
use crate::{
	AwaitedTasks, Condition, ConditionOf, Error, Escrowed, Escrows, EscrowsOf, Event, HoldReason,
	Records,
};
use btt_primitives::depin::{
	DiagnosticModule, Findings, ModelId, OnTaskVerified, VerifiedDiagnosis,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_runtime::{DispatchError, Permill};

const PATIENT_CONFIRMS: Condition<AccountId, u64> = Condition::ConfirmedBy(PATIENT);
const AMOUNT: Balance = 100 * USD;
const TASK: u64 = 7;

fn with_a_clinic(test: impl FnOnce()) {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 3));
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(OTHER_CLINIC), 3));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD])
		));
		test();
	});
}

fn escrow_with(conditions: Vec<ConditionOf<Test>>, refund_at: u64) -> Result<u64, DispatchError> {
	let id = crate::NextEscrowId::<Test>::get();
	Payfi::escrow(
		RuntimeOrigin::signed(PATIENT),
		CLINIC,
		WITH_DUSD,
		AMOUNT,
		BoundedVec::truncate_from(conditions),
		refund_at,
		checkup(),
	)?;
	Ok(id)
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Payfi(reason), &who)
}

fn settle(id: u64) -> sp_runtime::DispatchResult {
	Payfi::settle_escrow(RuntimeOrigin::signed(OTHER_CLINIC), id)
}

fn verified(task: u64, clinic: AccountId) -> VerifiedDiagnosis<AccountId> {
	VerifiedDiagnosis {
		task,
		clinic,
		module: DiagnosticModule::CariesDetection,
		model: ModelId::default(),
		input_hash: Default::default(),
		findings: Findings::default(),
		confidence: Permill::one(),
	}
}

fn settled_event() -> Option<Event<Test>> {
	payfi_events().into_iter().rev().find(|event| matches!(event, Event::EscrowSettled { .. }))
}

#[test]
fn an_escrow_holds_the_money_and_a_deposit_and_reserves_a_statement_slot() {
	with_a_clinic(|| {
		let before = balance(WITH_DUSD, PATIENT);
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		assert_eq!(balance(WITH_DUSD, PATIENT), before - AMOUNT);
		assert_eq!(balance(WITH_DUSD, Payfi::escrow_account()), AMOUNT);
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), AMOUNT);
		assert_eq!(held(HoldReason::Escrow, PATIENT), EscrowDeposit::get());
		assert_eq!(EscrowsOf::<Test>::get(PATIENT), 1);
		let payee = Payfi::payee(&CLINIC).unwrap();
		assert_eq!((payee.used, payee.escrows, payee.free_slots()), (0, 1, 2));
		assert!(payfi_events().contains(&Event::Escrowed {
			id,
			payer: PATIENT,
			payee: CLINIC,
			currency: WITH_DUSD,
			amount: AMOUNT,
			refund_at: 100,
		}));
	});
}

#[test]
fn the_named_confirmer_releases_the_escrow_to_the_payee_s_statement() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		assert_noop!(settle(id), Error::<Test>::EscrowPending);
		let clinic = balance(WITH_DUSD, CLINIC);
		assert_ok!(Payfi::confirm(RuntimeOrigin::signed(PATIENT), id));
		assert_ok!(settle(id));
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + AMOUNT);
		assert_eq!(balance(WITH_DUSD, Payfi::escrow_account()), 0);
		assert_eq!(held(HoldReason::Escrow, PATIENT), 0, "the deposit is back");
		assert!(Escrows::<Test>::get(id).is_none());
		assert_eq!(EscrowsOf::<Test>::get(PATIENT), 0);
		let record = Records::<Test>::get((CLINIC, today(), 0)).expect("the release's record");
		assert_eq!((record.escrow, record.received), (Some(id), (WITH_DUSD, AMOUNT)));
		assert_eq!(record.code, checkup());
		let payee = Payfi::payee(&CLINIC).unwrap();
		assert_eq!((payee.used, payee.escrows), (1, 0));
		assert_eq!(
			settled_event(),
			Some(Event::EscrowSettled { id, to_payee: (CLINIC, AMOUNT), to_payer: (PATIENT, 0) })
		);
	});
}

#[test]
fn without_a_condition_met_the_refund_block_returns_everything_to_the_payer() {
	with_a_clinic(|| {
		let before = balance(WITH_DUSD, PATIENT);
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		System::set_block_number(99);
		assert_noop!(settle(id), Error::<Test>::EscrowPending);
		System::set_block_number(100);
		// Too late to confirm: the refund block has come.
		assert_noop!(
			Payfi::confirm(RuntimeOrigin::signed(PATIENT), id),
			Error::<Test>::EscrowExpired
		);
		assert_ok!(settle(id));
		assert_eq!(balance(WITH_DUSD, PATIENT), before);
		assert_eq!(held(HoldReason::Escrow, PATIENT), 0);
		let payee = Payfi::payee(&CLINIC).unwrap();
		assert_eq!((payee.used, payee.escrows), (0, 0), "no record, the slot is free again");
		assert_eq!(
			settled_event(),
			Some(Event::EscrowSettled { id, to_payee: (CLINIC, 0), to_payer: (PATIENT, AMOUNT) })
		);
	});
}

#[test]
fn a_block_condition_releases_from_its_block_even_if_settled_after_the_refund_block() {
	with_a_clinic(|| {
		let id = escrow_with(vec![Condition::At(50)], 100).unwrap();
		System::set_block_number(49);
		assert_noop!(settle(id), Error::<Test>::EscrowPending);
		// Nobody settled between block 50 and the refund block: the condition held first.
		System::set_block_number(150);
		let clinic = balance(WITH_DUSD, CLINIC);
		assert_ok!(settle(id));
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + AMOUNT);
	});
}

#[test]
fn a_verified_task_releases_only_if_the_payee_posted_it_before_the_refund_block() {
	with_a_clinic(|| {
		let id = escrow_with(vec![Condition::TaskVerified(TASK)], 100).unwrap();
		assert_eq!(AwaitedTasks::<Test>::get(TASK).map(|awaited| awaited.waiting), Some(1));
		// A task another clinic posted under that id does not pay this clinic.
		<Payfi as OnTaskVerified<_>>::on_task_verified(&verified(TASK, OTHER_CLINIC));
		assert_noop!(settle(id), Error::<Test>::EscrowPending);
		System::set_block_number(100);
		assert_ok!(settle(id));
		assert_eq!(
			settled_event(),
			Some(Event::EscrowSettled { id, to_payee: (CLINIC, 0), to_payer: (PATIENT, AMOUNT) })
		);
		assert!(AwaitedTasks::<Test>::get(TASK).is_none(), "the index is cleaned up");
	});
}

#[test]
fn the_payee_s_verified_task_releases_the_escrow() {
	with_a_clinic(|| {
		let id = escrow_with(vec![Condition::TaskVerified(TASK)], 100).unwrap();
		System::set_block_number(20);
		<Payfi as OnTaskVerified<_>>::on_task_verified(&verified(TASK, CLINIC));
		assert_eq!(AwaitedTasks::<Test>::get(TASK).unwrap().verified, Some((CLINIC, 20)));
		let clinic = balance(WITH_DUSD, CLINIC);
		assert_ok!(settle(id));
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + AMOUNT);
		assert!(AwaitedTasks::<Test>::get(TASK).is_none());
	});
}

#[test]
fn a_report_of_a_task_no_escrow_waits_for_writes_nothing() {
	with_a_clinic(|| {
		<Payfi as OnTaskVerified<_>>::on_task_verified(&verified(TASK, CLINIC));
		assert_eq!(AwaitedTasks::<Test>::iter().count(), 0);
	});
}

#[test]
fn bad_conditions_are_refused_with_their_errors_and_nothing_moves() {
	with_a_clinic(|| {
		let before = balance(WITH_DUSD, PATIENT);
		let cases: Vec<(Vec<ConditionOf<Test>>, u64, Error<Test>)> = vec![
			(vec![], 100, Error::NoCondition),
			(vec![PATIENT_CONFIRMS, PATIENT_CONFIRMS], 100, Error::DuplicateCondition),
			(vec![Condition::ConfirmedBy(CLINIC)], 100, Error::PayeeCannotConfirm),
			(vec![Condition::At(1)], 100, Error::ReleaseInPast),
			(vec![Condition::At(100)], 100, Error::RefundBeforeRelease),
			(vec![PATIENT_CONFIRMS], 1, Error::RefundInPast),
			(vec![PATIENT_CONFIRMS], 1_002, Error::EscrowTooLong),
		];
		for (conditions, refund_at, error) in cases {
			assert_noop!(escrow_with(conditions.clone(), refund_at), error);
		}
		assert_eq!(balance(WITH_DUSD, PATIENT), before);
	});
}

#[test]
fn escrows_are_capped_per_payer_and_need_a_free_slot_of_the_payee() {
	with_a_clinic(|| {
		for _ in 0..3 {
			assert_ok!(escrow_with(vec![PATIENT_CONFIRMS], 100));
		}
		// The clinic's three slots are reserved.
		assert_noop!(escrow_with(vec![PATIENT_CONFIRMS], 100), Error::<Test>::StatementFull);
		assert_noop!(
			Payfi::pay(
				RuntimeOrigin::signed(PATIENT),
				CLINIC,
				WITH_DUSD,
				WITH_DUSD,
				USD,
				USD,
				checkup()
			),
			Error::<Test>::StatementFull
		);
		assert_noop!(
			Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 2),
			Error::<Test>::SlotsBelowRecords
		);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)),
			Error::<Test>::PayeeHasEscrows
		);
		assert_ok!(Payfi::escrow(
			RuntimeOrigin::signed(PATIENT),
			OTHER_CLINIC,
			WITH_DUSD,
			AMOUNT,
			BoundedVec::truncate_from(vec![PATIENT_CONFIRMS]),
			100,
			checkup(),
		));
		// The fifth: over `MaxEscrowsPerPayer` (4).
		assert_noop!(
			Payfi::escrow(
				RuntimeOrigin::signed(PATIENT),
				OTHER_CLINIC,
				WITH_DUSD,
				AMOUNT,
				BoundedVec::truncate_from(vec![PATIENT_CONFIRMS]),
				100,
				checkup(),
			),
			Error::<Test>::TooManyEscrows
		);
	});
}

#[test]
fn only_the_named_confirmer_confirms_and_only_once() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		for stranger in [CLINIC, OTHER_CLINIC] {
			assert_noop!(
				Payfi::confirm(RuntimeOrigin::signed(stranger), id),
				Error::<Test>::NotConfirmer
			);
		}
		assert_ok!(Payfi::confirm(RuntimeOrigin::signed(PATIENT), id));
		assert_noop!(
			Payfi::confirm(RuntimeOrigin::signed(PATIENT), id),
			Error::<Test>::AlreadyConfirmed
		);
		assert_noop!(
			Payfi::confirm(RuntimeOrigin::signed(PATIENT), id + 1),
			Error::<Test>::UnknownEscrow
		);
	});
}

#[test]
fn a_dispute_freezes_the_escrow_until_the_arbiter_splits_it() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		assert_noop!(
			Payfi::dispute(RuntimeOrigin::signed(OTHER_CLINIC), id),
			Error::<Test>::NotParty
		);
		assert_ok!(Payfi::dispute(RuntimeOrigin::signed(CLINIC), id));
		assert_eq!(held(HoldReason::Dispute, CLINIC), DisputeDeposit::get());
		assert_noop!(
			Payfi::dispute(RuntimeOrigin::signed(PATIENT), id),
			Error::<Test>::EscrowDisputed
		);
		// Neither a confirmation nor the refund block settles it now.
		assert_ok!(Payfi::confirm(RuntimeOrigin::signed(PATIENT), id));
		System::set_block_number(500);
		assert_noop!(settle(id), Error::<Test>::EscrowDisputed);
		// Only the arbiter decides: 30 % to the clinic, the rest back to the patient.
		assert_noop!(
			Payfi::resolve_dispute(
				RuntimeOrigin::signed(PATIENT),
				id,
				Permill::from_percent(30),
				false
			),
			DispatchError::BadOrigin
		);
		let (patient, clinic) = (balance(WITH_DUSD, PATIENT), balance(WITH_DUSD, CLINIC));
		assert_ok!(Payfi::resolve_dispute(
			RuntimeOrigin::signed(ARBITER),
			id,
			Permill::from_percent(30),
			false
		));
		assert_eq!(balance(WITH_DUSD, CLINIC), clinic + 30 * USD);
		assert_eq!(balance(WITH_DUSD, PATIENT), patient + 70 * USD);
		assert_eq!(held(HoldReason::Dispute, CLINIC), 0, "a fair dispute's deposit returns");
		assert_eq!(held(HoldReason::Escrow, PATIENT), 0);
		let record = Records::<Test>::get((CLINIC, today(), 0)).expect("the clinic's part");
		assert_eq!(record.received, (WITH_DUSD, 30 * USD));
	});
}

#[test]
fn a_frivolous_dispute_s_deposit_goes_to_the_other_party() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		assert_ok!(Payfi::dispute(RuntimeOrigin::signed(PATIENT), id));
		let clinic_btt = Balances::free_balance(CLINIC);
		assert_ok!(Payfi::resolve_dispute(
			RuntimeOrigin::signed(ARBITER),
			id,
			Permill::one(),
			true
		));
		assert_eq!(held(HoldReason::Dispute, PATIENT), 0);
		assert_eq!(Balances::free_balance(CLINIC), clinic_btt + DisputeDeposit::get());
	});
}

#[test]
fn the_arbiter_cannot_leave_a_part_below_the_currency_s_minimum_or_decide_an_undisputed_escrow() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		assert_noop!(
			Payfi::resolve_dispute(RuntimeOrigin::signed(ARBITER), id, Permill::zero(), false),
			Error::<Test>::NotDisputed
		);
		assert_ok!(Payfi::dispute(RuntimeOrigin::signed(PATIENT), id));
		// 1 ppm of 100 dUSD is 100 micro-dUSD, under dUSD's minimum (a cent).
		assert_noop!(
			Payfi::resolve_dispute(
				RuntimeOrigin::signed(ARBITER),
				id,
				Permill::from_parts(1),
				false
			),
			Error::<Test>::ShareBelowMinimum
		);
		System::set_block_number(100);
		assert_noop!(
			Payfi::dispute(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::EscrowDisputed
		);
	});
}

#[test]
fn a_dispute_after_the_refund_block_is_refused() {
	with_a_clinic(|| {
		let id = escrow_with(vec![PATIENT_CONFIRMS], 100).unwrap();
		System::set_block_number(100);
		assert_noop!(
			Payfi::dispute(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::EscrowExpired
		);
		assert_ok!(settle(id));
	});
}
