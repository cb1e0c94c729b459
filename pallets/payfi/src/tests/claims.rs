//! Insurer claims: approval in full and in part paid from the pool, denial with a reason code,
//! the deadline and the arbiter, and what a clinic, an insurer or a stranger cannot do: empty
//! the pool its open claims are owed from, decide another's claim or decide twice, claim from
//! an insurer the code does not name, overrun a clinic's caps, leave with claims open.

use super::*;
use crate::{
	ClaimState, Claims, ClaimsOf, Decision, Error, Escrowed, Event, HoldReason, Insurers, Pools,
	Records,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_runtime::DispatchError;

const INSURER: AccountId = 5;
const STRANGER: AccountId = 6;
const CLAIMED: Balance = 80 * USD;
const FUNDS: Balance = 500 * USD;

fn with_an_insurer(test: impl FnOnce()) {
	run(|| {
		for who in [INSURER, STRANGER] {
			assert_ok!(Balances::transfer_allow_death(
				RuntimeOrigin::signed(PROVIDER),
				who,
				100 * UNITS
			));
			assert_ok!(Assets::transfer(RuntimeOrigin::signed(PROVIDER), DUSD, who, 10 * FUNDS));
		}
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 3));
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(OTHER_CLINIC), 3));
		assert_ok!(Payfi::set_receivable_currencies(
			RuntimeOrigin::root(),
			BoundedVec::truncate_from(vec![WITH_DUSD, WITH_DEUR])
		));
		assert_ok!(Payfi::register_insurer(RuntimeOrigin::signed(INSURER)));
		assert_ok!(Payfi::fund_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, FUNDS));
		test();
	});
}

/// The checkup's code, naming `insurer`.
fn insured(insurer: AccountId) -> btt_primitives::payfi::BillingCode<AccountId> {
	let mut code = checkup();
	code.insurer = Some(insurer);
	code
}

fn submit_as(clinic: AccountId, amount: Balance) -> Result<u64, DispatchError> {
	let id = crate::NextClaimId::<Test>::get();
	Payfi::submit_claim(
		RuntimeOrigin::signed(clinic),
		INSURER,
		WITH_DUSD,
		amount,
		insured(INSURER),
		Some(H256::repeat_byte(0xAD)),
	)?;
	Ok(id)
}

fn submit() -> Result<u64, DispatchError> {
	submit_as(CLINIC, CLAIMED)
}

fn approve(id: u64, amount: Balance) -> sp_runtime::DispatchResult {
	Payfi::adjudicate(RuntimeOrigin::signed(INSURER), id, Decision::Approve { amount })
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Payfi(reason), &who)
}

fn pool() -> crate::Pool<Balance> {
	Pools::<Test>::get(INSURER, WITH_DUSD).unwrap_or_default()
}

fn escalated(id: u64) -> u64 {
	run_to_block(System::block_number() + CLAIM_DEADLINE);
	assert_ok!(Payfi::escalate(RuntimeOrigin::signed(CLINIC), id));
	id
}

#[test]
fn a_partial_approval_pays_the_clinic_from_the_pool_and_records_it() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		let claim = Claims::<Test>::get(id).unwrap();
		assert_eq!(claim.deadline, 1 + CLAIM_DEADLINE);
		assert_eq!(claim.state, ClaimState::Submitted);
		assert_eq!(held(HoldReason::Claim, CLINIC), CLAIM_DEPOSIT);
		assert_eq!(pool(), crate::Pool { funds: FUNDS, committed: CLAIMED });
		let payee = Payfi::payee(&CLINIC).unwrap();
		assert_eq!((payee.claims, payee.free_slots()), (1, 2));

		let before = balance(WITH_DUSD, CLINIC);
		assert_ok!(approve(id, 60 * USD));
		assert_eq!(balance(WITH_DUSD, CLINIC), before + 60 * USD);
		assert_eq!(pool(), crate::Pool { funds: FUNDS - 60 * USD, committed: 0 });
		assert_eq!(Escrowed::<Test>::get(WITH_DUSD), FUNDS - 60 * USD);
		assert_eq!(held(HoldReason::Claim, CLINIC), 0);
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(ClaimsOf::<Test>::get(CLINIC), 0);
		assert_eq!(Insurers::<Test>::get(INSURER).unwrap().claims, 0);
		let payee = Payfi::payee(&CLINIC).unwrap();
		assert_eq!((payee.used, payee.claims), (1, 0));
		let (_, record) = Records::<Test>::iter_prefix((CLINIC, today())).next().unwrap();
		assert_eq!(record.payer, INSURER);
		assert_eq!(record.received, (WITH_DUSD, 60 * USD));
		assert_eq!(record.code, insured(INSURER));
		assert!(payfi_events().contains(&Event::ClaimApproved {
			claim: id,
			paid: 60 * USD,
			claimed: CLAIMED,
			payment: Some(0),
		}));
		// The patient's co-payment: a separate coded payment with the same claim hash.
		assert_ok!(Payfi::pay(
			RuntimeOrigin::signed(PATIENT),
			CLINIC,
			WITH_DUSD,
			WITH_DUSD,
			20 * USD,
			20 * USD,
			insured(INSURER)
		));
		let claim_hashes: Vec<H256> = Records::<Test>::iter_prefix((CLINIC, today()))
			.map(|(_, record)| record.code.claim)
			.collect();
		assert_eq!(claim_hashes, vec![checkup().claim; 2]);
	});
}

#[test]
fn a_denial_pays_nothing_and_carries_a_carc_number_only() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		for reason in [0, 1_000] {
			assert_noop!(
				Payfi::adjudicate(RuntimeOrigin::signed(INSURER), id, Decision::Deny { reason }),
				Error::<Test>::BadReason
			);
		}
		let before = balance(WITH_DUSD, CLINIC);
		assert_ok!(Payfi::adjudicate(
			RuntimeOrigin::signed(INSURER),
			id,
			Decision::Deny { reason: 96 }
		));
		assert_eq!(balance(WITH_DUSD, CLINIC), before);
		assert_eq!(pool(), crate::Pool { funds: FUNDS, committed: 0 });
		assert_eq!(held(HoldReason::Claim, CLINIC), 0);
		assert_eq!(Payfi::payee(&CLINIC).unwrap().used, 0);
		assert_eq!(payfi_events().last(), Some(&Event::ClaimDenied { claim: id, reason: 96 }));
	});
}

#[test]
fn an_insurer_cannot_withdraw_what_its_open_claims_may_be_paid_from() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		let free = FUNDS - CLAIMED;
		assert_noop!(
			Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, free + 1),
			Error::<Test>::PoolCommitted
		);
		assert_noop!(
			Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, FUNDS + 1),
			Error::<Test>::PoolTooSmall
		);
		assert_noop!(
			Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, 0),
			Error::<Test>::PoolTooSmall
		);
		let before = balance(WITH_DUSD, INSURER);
		assert_ok!(Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, free));
		assert_eq!(balance(WITH_DUSD, INSURER), before + free);
		// What is left pays the claim in full, even past the deadline through the arbiter.
		escalated(id);
		assert_ok!(Payfi::resolve_claim(RuntimeOrigin::signed(ARBITER), id, CLAIMED, false));
		assert!(Pools::<Test>::get(INSURER, WITH_DUSD).is_none(), "the emptied pool is removed");
		assert_eq!(Insurers::<Test>::get(INSURER).unwrap().pools, 0);
	});
}

#[test]
fn a_claim_on_an_unfunded_pool_commits_it_and_is_paid_once_funded() {
	with_an_insurer(|| {
		let id = Payfi::submit_claim(
			RuntimeOrigin::signed(CLINIC),
			INSURER,
			WITH_DEUR,
			CLAIMED,
			insured(INSURER),
			None,
		)
		.map(|_| 0u64)
		.unwrap();
		assert_eq!(
			Pools::<Test>::get(INSURER, WITH_DEUR),
			Some(crate::Pool { funds: 0, committed: CLAIMED })
		);
		assert_eq!(Insurers::<Test>::get(INSURER).unwrap().pools, 2);
		assert_noop!(
			Payfi::adjudicate(
				RuntimeOrigin::signed(INSURER),
				id,
				Decision::Approve { amount: CLAIMED }
			),
			Error::<Test>::PoolTooSmall
		);
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(PROVIDER), DEUR, INSURER, 2 * CLAIMED));
		assert_ok!(Payfi::fund_pool(RuntimeOrigin::signed(INSURER), WITH_DEUR, CLAIMED));
		assert_ok!(Payfi::adjudicate(
			RuntimeOrigin::signed(INSURER),
			id,
			Decision::Approve { amount: CLAIMED }
		));
		assert_eq!(balance(WITH_DEUR, CLINIC), CLAIMED);
		assert!(Pools::<Test>::get(INSURER, WITH_DEUR).is_none());
	});
}

#[test]
fn only_the_claim_s_insurer_decides_and_only_once() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		for who in [CLINIC, STRANGER] {
			assert_noop!(
				Payfi::adjudicate(
					RuntimeOrigin::signed(who),
					id,
					Decision::Approve { amount: CLAIMED }
				),
				Error::<Test>::NotClaimInsurer
			);
		}
		assert_ok!(approve(id, CLAIMED));
		assert_noop!(approve(id, CLAIMED), Error::<Test>::UnknownClaim);
		assert_noop!(
			Payfi::adjudicate(RuntimeOrigin::signed(INSURER), id, Decision::Deny { reason: 18 }),
			Error::<Test>::UnknownClaim
		);
	});
}

#[test]
fn an_approval_over_the_claim_or_the_pool_or_below_the_minimum_is_refused() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		assert_noop!(approve(id, CLAIMED + 1), Error::<Test>::OverClaimed);
		assert_noop!(approve(id, USD / 1_000), Error::<Test>::BelowMinimum);
		let big = submit_as(OTHER_CLINIC, 2 * FUNDS).unwrap();
		assert_noop!(approve(big, FUNDS + 1), Error::<Test>::PoolTooSmall);
		assert_eq!(pool(), crate::Pool { funds: FUNDS, committed: CLAIMED + 2 * FUNDS });
	});
}

#[test]
fn a_claim_must_name_a_registered_insurer_in_its_code_and_come_from_a_payee() {
	with_an_insurer(|| {
		let submit_with = |clinic, insurer, currency, amount, code| {
			Payfi::submit_claim(
				RuntimeOrigin::signed(clinic),
				insurer,
				currency,
				amount,
				code,
				None,
			)
		};
		assert_noop!(
			submit_with(CLINIC, INSURER, WITH_DUSD, CLAIMED, checkup()),
			Error::<Test>::InsurerNotInCode
		);
		assert_noop!(
			submit_with(CLINIC, INSURER, WITH_DUSD, CLAIMED, insured(STRANGER)),
			Error::<Test>::InsurerNotInCode
		);
		assert_noop!(
			submit_with(CLINIC, STRANGER, WITH_DUSD, CLAIMED, insured(STRANGER)),
			Error::<Test>::NotInsurer
		);
		assert_noop!(
			submit_with(PATIENT, INSURER, WITH_DUSD, CLAIMED, insured(INSURER)),
			Error::<Test>::NotPayee
		);
		assert_noop!(
			submit_with(INSURER, INSURER, WITH_DUSD, CLAIMED, insured(INSURER)),
			Error::<Test>::SelfPayment
		);
		assert_noop!(
			submit_with(CLINIC, INSURER, NativeOrWithId::WithId(JUNK), CLAIMED, insured(INSURER)),
			Error::<Test>::CurrencyNotReceivable
		);
		assert_noop!(
			submit_with(CLINIC, INSURER, WITH_DUSD, 1, insured(INSURER)),
			Error::<Test>::BelowMinimum
		);
		let mut future = insured(INSURER);
		future.encounter_day = today() + 1;
		assert_noop!(
			submit_with(CLINIC, INSURER, WITH_DUSD, CLAIMED, future),
			Error::<Test>::EncounterInFuture
		);
	});
}

#[test]
fn a_clinic_s_claims_are_capped_and_each_needs_a_statement_slot() {
	with_an_insurer(|| {
		for _ in 0..3 {
			assert_ok!(submit());
		}
		// Three claims hold the clinic's three slots.
		assert_noop!(submit(), Error::<Test>::StatementFull);
		assert_ok!(Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 10));
		assert_eq!(MAX_CLAIMS_PER_CLINIC, 3);
		assert_noop!(submit(), Error::<Test>::TooManyClaims);
		assert_eq!(held(HoldReason::Claim, CLINIC), 3 * CLAIM_DEPOSIT);
		assert_noop!(
			Payfi::register_payee(RuntimeOrigin::signed(CLINIC), 2),
			Error::<Test>::SlotsBelowRecords
		);
	});
}

#[test]
fn escalation_waits_for_the_deadline_and_then_only_the_arbiter_decides() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		run_to_block(CLAIM_DEADLINE);
		assert_noop!(
			Payfi::escalate(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::ClaimNotDue
		);
		assert_noop!(
			Payfi::resolve_claim(RuntimeOrigin::signed(ARBITER), id, CLAIMED, false),
			Error::<Test>::NotEscalated
		);
		run_to_block(1 + CLAIM_DEADLINE);
		assert_noop!(
			Payfi::escalate(RuntimeOrigin::signed(OTHER_CLINIC), id),
			Error::<Test>::NotClaimant
		);
		assert_ok!(Payfi::escalate(RuntimeOrigin::signed(CLINIC), id));
		assert_eq!(held(HoldReason::Dispute, CLINIC), DisputeDeposit::get());
		assert_noop!(
			Payfi::escalate(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::ClaimEscalated
		);
		// The insurer cannot now deny what it let lapse, nor the clinic withdraw.
		assert_noop!(
			Payfi::adjudicate(RuntimeOrigin::signed(INSURER), id, Decision::Deny { reason: 29 }),
			Error::<Test>::ClaimEscalated
		);
		assert_noop!(
			Payfi::withdraw_claim(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::ClaimEscalated
		);
		assert_noop!(
			Payfi::resolve_claim(RuntimeOrigin::signed(INSURER), id, 0, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Payfi::resolve_claim(RuntimeOrigin::signed(ARBITER), id, CLAIMED + 1, false),
			Error::<Test>::OverClaimed
		);
		let before = balance(WITH_DUSD, CLINIC);
		assert_ok!(Payfi::resolve_claim(RuntimeOrigin::signed(ARBITER), id, CLAIMED, false));
		assert_eq!(balance(WITH_DUSD, CLINIC), before + CLAIMED);
		assert_eq!(held(HoldReason::Dispute, CLINIC), 0);
		assert_eq!(held(HoldReason::Claim, CLINIC), 0);
		assert_eq!(
			payfi_events().last(),
			Some(&Event::ClaimResolved {
				claim: id,
				awarded: CLAIMED,
				payment: Some(0),
				frivolous: false
			})
		);
	});
}

#[test]
fn a_frivolous_escalation_s_deposit_goes_to_the_insurer() {
	with_an_insurer(|| {
		let id = escalated(submit().unwrap());
		let insurer_before = Balances::free_balance(INSURER);
		let clinic_before = Balances::free_balance(CLINIC);
		assert_ok!(Payfi::resolve_claim(RuntimeOrigin::signed(ARBITER), id, 0, true));
		assert_eq!(Balances::free_balance(INSURER), insurer_before + DisputeDeposit::get());
		// The claim deposit comes back; the escalation deposit does not.
		assert_eq!(Balances::free_balance(CLINIC), clinic_before + CLAIM_DEPOSIT);
		assert_eq!(pool(), crate::Pool { funds: FUNDS, committed: 0 });
		assert_eq!(Payfi::payee(&CLINIC).unwrap().used, 0);
	});
}

#[test]
fn a_clinic_withdraws_its_undecided_claim_and_nobody_else_can() {
	with_an_insurer(|| {
		let id = submit().unwrap();
		for who in [INSURER, OTHER_CLINIC] {
			assert_noop!(
				Payfi::withdraw_claim(RuntimeOrigin::signed(who), id),
				Error::<Test>::NotClaimant
			);
		}
		assert_ok!(Payfi::withdraw_claim(RuntimeOrigin::signed(CLINIC), id));
		assert_eq!(payfi_events().last(), Some(&Event::ClaimWithdrawn { claim: id }));
		assert_eq!(pool().committed, 0);
		assert_eq!(Payfi::payee(&CLINIC).unwrap().free_slots(), 3);
		assert_noop!(
			Payfi::withdraw_claim(RuntimeOrigin::signed(CLINIC), id),
			Error::<Test>::UnknownClaim
		);
	});
}

#[test]
fn nobody_leaves_with_claims_open_or_money_in_a_pool() {
	with_an_insurer(|| {
		assert_noop!(
			Payfi::register_insurer(RuntimeOrigin::signed(INSURER)),
			Error::<Test>::AlreadyInsurer
		);
		assert_eq!(held(HoldReason::Insurer, INSURER), INSURER_DEPOSIT);
		let id = submit().unwrap();
		assert_noop!(
			Payfi::unregister_insurer(RuntimeOrigin::signed(INSURER)),
			Error::<Test>::InsurerHasClaims
		);
		assert_noop!(
			Payfi::unregister_payee(RuntimeOrigin::signed(CLINIC)),
			Error::<Test>::PayeeHasClaims
		);
		assert_ok!(Payfi::withdraw_claim(RuntimeOrigin::signed(CLINIC), id));
		assert_noop!(
			Payfi::unregister_insurer(RuntimeOrigin::signed(INSURER)),
			Error::<Test>::PoolNotEmpty
		);
		assert_ok!(Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, FUNDS));
		assert_ok!(Payfi::unregister_insurer(RuntimeOrigin::signed(INSURER)));
		assert_eq!(held(HoldReason::Insurer, INSURER), 0);
		assert_noop!(
			Payfi::unregister_insurer(RuntimeOrigin::signed(INSURER)),
			Error::<Test>::NotInsurer
		);
		assert_noop!(
			Payfi::fund_pool(RuntimeOrigin::signed(STRANGER), WITH_DUSD, FUNDS),
			Error::<Test>::NotInsurer
		);
		assert_noop!(
			Payfi::withdraw_pool(RuntimeOrigin::signed(STRANGER), WITH_DUSD, FUNDS),
			Error::<Test>::NotInsurer
		);
	});
}

#[test]
fn a_pool_takes_only_receivable_currencies_and_the_insurer_s_own_money() {
	with_an_insurer(|| {
		assert_noop!(
			Payfi::fund_pool(RuntimeOrigin::signed(INSURER), NativeOrWithId::WithId(JUNK), FUNDS),
			Error::<Test>::CurrencyNotReceivable
		);
		assert_noop!(
			Payfi::fund_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, 1),
			Error::<Test>::BelowMinimum
		);
		assert!(Payfi::fund_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, 100 * FUNDS).is_err());
		assert_eq!(pool().funds, FUNDS);
		assert_eq!(balance(WITH_DUSD, Payfi::escrow_account()), FUNDS);
	});
}

#[test]
fn an_insurer_holds_at_most_one_pool_per_receivable_currency_even_after_delisting() {
	with_an_insurer(|| {
		let ids: Vec<u32> = (100..109).collect();
		for id in &ids {
			assert_ok!(Assets::force_create(RuntimeOrigin::root(), *id, PROVIDER, true, 1));
			assert_ok!(Assets::mint(RuntimeOrigin::signed(PROVIDER), *id, INSURER, 1_000));
		}
		let list = |ids: &[u32]| {
			Payfi::set_receivable_currencies(
				RuntimeOrigin::root(),
				BoundedVec::truncate_from(
					ids.iter().map(|id| NativeOrWithId::WithId(*id)).collect(),
				),
			)
		};
		// dUSD's pool and seven more: eight, the most currencies governance may list.
		assert_ok!(list(&ids[..7]));
		for id in &ids[..7] {
			assert_ok!(Payfi::fund_pool(
				RuntimeOrigin::signed(INSURER),
				NativeOrWithId::WithId(*id),
				10
			));
		}
		assert_eq!(Insurers::<Test>::get(INSURER).unwrap().pools, 8);
		assert_ok!(list(&ids[7..]));
		let ninth = NativeOrWithId::WithId(ids[8]);
		assert_noop!(
			Payfi::fund_pool(RuntimeOrigin::signed(INSURER), ninth.clone(), 10),
			Error::<Test>::TooManyPools
		);
		assert_ok!(Payfi::withdraw_pool(RuntimeOrigin::signed(INSURER), WITH_DUSD, FUNDS));
		assert_ok!(Payfi::fund_pool(RuntimeOrigin::signed(INSURER), ninth, 10));
	});
}
