//! Tabs: a thousand vouchers settled by one redeem, every refused voucher (replayed, older,
//! over the deposit, forged, for another tab), closing by either side and the race between a
//! redeem and the payer's close.

use super::*;
use crate::{Error, Escrowed, Event, HoldReason, Records, Tabs, TabsOf, Voucher};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_runtime::{testing::TestSignature, DispatchError};

const AMOUNT: Balance = 10 * USD;
/// A thousandth of a dUSD: each voucher adds one.
const MICRO: Balance = USD / 1_000;

fn with_a_clinic(test: impl FnOnce()) {
	run(|| {
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 3));
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(OTHER_CLINIC), 3));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD])
		));
		// The clinic holds dUSD already, as a clinic receiving micro-payments would.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(PROVIDER), DUSD, CLINIC, USD));
		test();
	});
}

fn open(expires_at: u64) -> Result<u64, DispatchError> {
	let id = crate::NextTabId::<Test>::get();
	Payfi::open_tab(
		RuntimeOrigin::signed(PATIENT),
		CLINIC,
		WITH_DUSD,
		AMOUNT,
		expires_at,
		checkup(),
	)?;
	Ok(id)
}

fn voucher(tab: u64, cumulative: Balance, nonce: u64) -> Voucher<Balance> {
	Voucher { tab, cumulative, nonce }
}

/// What the payer signs off chain.
fn signed(by: AccountId, voucher: &Voucher<Balance>) -> TestSignature {
	TestSignature(by, Payfi::voucher_message(voucher))
}

fn redeem(voucher: Voucher<Balance>) -> sp_runtime::DispatchResult {
	let signature = signed(PATIENT, &voucher);
	Payfi::redeem_voucher(RuntimeOrigin::signed(CLINIC), voucher, signature)
}

fn tab_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Payfi(HoldReason::Tab), &who)
}

#[test]
fn a_thousand_vouchers_are_settled_by_one_redeem() {
	with_a_clinic(|| {
		let (patient_before, clinic_before) =
			(balance(WITH_DUSD, PATIENT), balance(WITH_DUSD, CLINIC));
		let tab = open(500).unwrap();
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), AMOUNT);
		assert_eq!(tab_held(PATIENT), TAB_DEPOSIT);
		assert_eq!(Payfi::payee(&CLINIC).unwrap().tabs, 1);

		// Off chain: one voucher per micro-payment; the clinic keeps the latest.
		let vouchers: Vec<_> = (1..=1_000u64)
			.map(|n| {
				let voucher = voucher(tab, MICRO * Balance::from(n), n);
				let signature = signed(PATIENT, &voucher);
				(voucher, signature)
			})
			.collect();
		let (last, signature) = vouchers.last().cloned().unwrap();
		assert_ok!(Payfi::redeem_voucher(RuntimeOrigin::signed(CLINIC), last, signature));

		assert_eq!(balance(WITH_DUSD, CLINIC), clinic_before + USD);
		assert_eq!(Tabs::<Test>::get(tab).map(|tab| (tab.redeemed, tab.nonce)), Some((USD, 1_000)));
		assert!(payfi_events().contains(&Event::TabRedeemed {
			tab,
			nonce: 1_000,
			paid: USD,
			redeemed: USD
		}));

		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(CLINIC), tab));
		assert_eq!(balance(WITH_DUSD, PATIENT), patient_before - USD);
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), 0);
		assert_eq!(tab_held(PATIENT), 0);
		assert_eq!(TabsOf::<Test>::get(PATIENT), 0);
		let records: Vec<_> = Records::<Test>::iter_prefix((CLINIC,)).collect();
		assert_eq!(records.len(), 1, "the tab is one line of the statement");
		assert_eq!(records[0].1.received, (WITH_DUSD, USD));
		assert_eq!(records[0].1.code, checkup());
		assert_eq!(
			payfi_events().last(),
			Some(&Event::TabClosed {
				tab,
				to_payee: USD,
				to_payer: AMOUNT - USD,
				payment: Some(records[0].0 .1)
			})
		);
		assert_eq!(Payfi::payee(&CLINIC).map(|payee| (payee.used, payee.tabs)), Some((1, 0)));
	});
}

#[test]
fn a_payee_redeeming_the_same_voucher_twice_is_refused() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		assert_ok!(redeem(voucher(tab, 3 * MICRO, 3)));
		assert_noop!(redeem(voucher(tab, 3 * MICRO, 3)), Error::<Test>::VoucherReplayed);
		// The same nonce with a larger amount is a replay too: the payer signed one voucher
		// per nonce.
		assert_noop!(redeem(voucher(tab, 4 * MICRO, 3)), Error::<Test>::VoucherReplayed);
	});
}

#[test]
fn an_older_voucher_is_refused() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		assert_ok!(redeem(voucher(tab, 5 * MICRO, 5)));
		assert_noop!(redeem(voucher(tab, 4 * MICRO, 4)), Error::<Test>::StaleVoucher);
		assert_noop!(redeem(voucher(tab, 6 * MICRO, 4)), Error::<Test>::StaleVoucher);
		assert_noop!(redeem(voucher(tab, 4 * MICRO, 6)), Error::<Test>::StaleVoucher);
		assert_noop!(redeem(voucher(tab, 5 * MICRO, 6)), Error::<Test>::NothingToRedeem);
		assert_ok!(redeem(voucher(tab, 6 * MICRO, 6)));
		assert_eq!(Tabs::<Test>::get(tab).unwrap().redeemed, 6 * MICRO);
	});
}

#[test]
fn a_voucher_over_the_tab_s_deposit_is_refused() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		assert_noop!(redeem(voucher(tab, AMOUNT + 1, 1)), Error::<Test>::VoucherOverDeposit);
		assert_ok!(redeem(voucher(tab, AMOUNT, 1)));
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), 0);
	});
}

#[test]
fn a_forged_voucher_or_one_signed_for_another_tab_is_refused() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		let other = open(500).unwrap();
		let forged = voucher(tab, AMOUNT, 1);
		// Signed by the clinic itself, not the payer.
		let by_clinic = signed(CLINIC, &forged);
		assert_noop!(
			Payfi::redeem_voucher(RuntimeOrigin::signed(CLINIC), forged.clone(), by_clinic),
			Error::<Test>::BadVoucherSignature
		);
		// The payer's real signature of a small voucher on the other tab, presented for this
		// one, or with its amount raised.
		let small = voucher(other, MICRO, 1);
		let signature = signed(PATIENT, &small);
		assert_noop!(
			Payfi::redeem_voucher(RuntimeOrigin::signed(CLINIC), forged, signature.clone()),
			Error::<Test>::BadVoucherSignature
		);
		assert_noop!(
			Payfi::redeem_voucher(
				RuntimeOrigin::signed(CLINIC),
				voucher(other, AMOUNT, 1),
				signature.clone()
			),
			Error::<Test>::BadVoucherSignature
		);
		assert_ok!(Payfi::redeem_voucher(RuntimeOrigin::signed(CLINIC), small, signature));
	});
}

#[test]
fn only_the_payee_redeems_and_only_the_parties_close() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		let voucher = voucher(tab, MICRO, 1);
		let signature = signed(PATIENT, &voucher);
		assert_noop!(
			Payfi::redeem_voucher(RuntimeOrigin::signed(OTHER_CLINIC), voucher.clone(), signature),
			Error::<Test>::NotTabPayee
		);
		assert_noop!(
			Payfi::close_tab(RuntimeOrigin::signed(OTHER_CLINIC), tab),
			Error::<Test>::NotTabParty
		);
		assert_noop!(
			Payfi::close_tab(RuntimeOrigin::signed(CLINIC), tab + 5),
			Error::<Test>::UnknownTab
		);
	});
}

#[test]
fn the_payer_s_early_close_gives_the_payee_notice_and_then_refunds() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(PATIENT), tab));
		assert_eq!(Tabs::<Test>::get(tab).unwrap().expires_at, 1 + TAB_NOTICE);
		assert_eq!(
			payfi_events().last(),
			Some(&Event::TabClosing { tab, expires_at: 1 + TAB_NOTICE })
		);
		assert_noop!(
			Payfi::close_tab(RuntimeOrigin::signed(PATIENT), tab),
			Error::<Test>::TabClosing
		);

		// Within the notice the clinic still redeems.
		System::set_block_number(TAB_NOTICE);
		assert_ok!(redeem(voucher(tab, 2 * MICRO, 2)));
		System::set_block_number(1 + TAB_NOTICE);
		assert_noop!(redeem(voucher(tab, 3 * MICRO, 3)), Error::<Test>::TabExpired);
		let before = balance(WITH_DUSD, PATIENT);
		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(PATIENT), tab));
		assert_eq!(balance(WITH_DUSD, PATIENT), before + AMOUNT - 2 * MICRO);
		assert!(Tabs::<Test>::get(tab).is_none());
	});
}

#[test]
fn a_payer_racing_a_redeem_with_a_close_cannot_take_what_the_payee_may_still_redeem() {
	with_a_clinic(|| {
		let tab = open(50).unwrap();
		// The last block the clinic may redeem in: the payer's close cannot end the tab in it,
		// whichever order the collator puts the two in.
		System::set_block_number(49);
		assert_noop!(
			Payfi::close_tab(RuntimeOrigin::signed(PATIENT), tab),
			Error::<Test>::TabClosing
		);
		assert_ok!(redeem(voucher(tab, 7 * MICRO, 7)));
		// From the expiry block the payer closes, and the clinic's late voucher is refused.
		System::set_block_number(50);
		assert_noop!(redeem(voucher(tab, 8 * MICRO, 8)), Error::<Test>::TabExpired);
		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(PATIENT), tab));
		assert_eq!(balance(WITH_DUSD, CLINIC), USD + 7 * MICRO);
	});
}

#[test]
fn closing_an_unredeemed_tab_refunds_everything_and_writes_no_record() {
	with_a_clinic(|| {
		let before = balance(WITH_DUSD, PATIENT);
		let tab = open(500).unwrap();
		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(CLINIC), tab));
		assert_eq!(balance(WITH_DUSD, PATIENT), before);
		assert_eq!(Records::<Test>::iter_prefix((CLINIC,)).count(), 0);
		assert_eq!(Payfi::payee(&CLINIC).map(|payee| (payee.used, payee.tabs)), Some((0, 0)));
	});
}

#[test]
fn open_tab_refuses_every_bad_tab_with_state_unchanged() {
	with_a_clinic(|| {
		let patient = RuntimeOrigin::signed(PATIENT);
		let open_to = |payee, currency, amount, expires_at| {
			Payfi::open_tab(patient.clone(), payee, currency, amount, expires_at, checkup())
		};
		assert_noop!(open_to(CLINIC, WITH_DUSD, AMOUNT, 1), Error::<Test>::ExpiryInPast);
		assert_noop!(
			open_to(CLINIC, WITH_DUSD, AMOUNT, 2 + MAX_TAB_PERIOD),
			Error::<Test>::TabTooLong
		);
		assert_noop!(open_to(PROVIDER, WITH_DUSD, AMOUNT, 100), Error::<Test>::NotPayee);
		assert_noop!(open_to(CLINIC, WITH_DEUR, AMOUNT, 100), Error::<Test>::CurrencyNotReceivable);
		assert_noop!(open_to(CLINIC, WITH_DUSD, 1, 100), Error::<Test>::BelowMinimum);
		assert_noop!(
			Payfi::open_tab(
				RuntimeOrigin::signed(CLINIC),
				CLINIC,
				WITH_DUSD,
				AMOUNT,
				100,
				checkup()
			),
			Error::<Test>::SelfPayment
		);
		for _ in 0..MAX_TABS_PER_PAYER {
			assert_ok!(open_to(CLINIC, WITH_DUSD, AMOUNT, 100));
		}
		assert_noop!(open_to(CLINIC, WITH_DUSD, AMOUNT, 100), Error::<Test>::TooManyTabs);
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), 2 * AMOUNT, "only the two tabs hold money");
		assert_eq!(TabsOf::<Test>::get(PATIENT), MAX_TABS_PER_PAYER);
		assert_eq!(tab_held(PATIENT), 2 * TAB_DEPOSIT);
	});
}

#[test]
fn a_tab_reserves_a_statement_slot_and_a_payee_with_open_tabs_cannot_leave() {
	with_a_clinic(|| {
		let tab = open(500).unwrap();
		assert_eq!(Payfi::payee(&CLINIC).unwrap().free_slots(), 2);
		assert_noop!(
			Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 0),
			Error::<Test>::SlotsBelowRecords
		);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)),
			Error::<Test>::PayeeHasTabs
		);
		// Two payments fill the statement: the tab's record still has its slot.
		for _ in 0..2 {
			assert_ok!(Payfi::pay(
				RuntimeOrigin::signed(PATIENT),
				CLINIC,
				WITH_DUSD,
				WITH_DUSD,
				USD,
				USD,
				checkup()
			));
		}
		assert_noop!(open(500), Error::<Test>::StatementFull);
		assert_ok!(redeem(voucher(tab, MICRO, 1)));
		assert_ok!(Payfi::close_tab(RuntimeOrigin::signed(CLINIC), tab));
		assert_eq!(Payfi::payee(&CLINIC).map(|payee| (payee.used, payee.slots)), Some((3, 3)));
	});
}
