//! Insurer claims on the real runtime: Charlie insures, Bob's clinic claims for a checkup, the
//! patient pays the co-payment, and a claim Charlie lets lapse is escalated and decided by the
//! arbiter (root until governance, issue 22).

use super::*;
use pallet_payfi::{ClaimState, Claims, Decision, Pools};
use sp_keyring::Sr25519Keyring::Charlie;
use sp_runtime::traits::Dispatchable;

const CLAIMED: Balance = 80 * DEV_USD_UNIT;
const POOL: Balance = 1_000 * DEV_USD_UNIT;

fn insured_checkup() -> BillingCode<AccountId> {
	let mut code = checkup();
	code.insurer = Some(Charlie.to_account_id());
	code
}

fn payfi(call: pallet_payfi::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Payfi(call)
}

/// Charlie registered as an insurer with a funded dUSD pool, then `test` with the clinic's
/// first claim for a checkup.
fn with_a_claim(test: impl FnOnce(u64)) {
	with_a_clinic_and_a_patient_holding_only_dusd(|_| {
		let register = payfi(pallet_payfi::Call::register_insurer {});
		assert_eq!(common::apply(common::signed_extrinsic(Charlie, register, 0)), Ok(()));
		let fund = payfi(pallet_payfi::Call::fund_pool { currency: DUSD, amount: POOL });
		assert_eq!(common::apply(common::signed_extrinsic(Charlie, fund, 0)), Ok(()));
		let submit = payfi(pallet_payfi::Call::submit_claim {
			insurer: Charlie.to_account_id(),
			currency: DUSD,
			amount: CLAIMED,
			code: insured_checkup(),
			attachment: Some(H256::repeat_byte(0xAD)),
		});
		assert_eq!(common::apply(common::signed_extrinsic(Bob, submit, 0)), Ok(()));
		assert_eq!(
			Pools::<Runtime>::get(Charlie.to_account_id(), DUSD),
			Some(pallet_payfi::Pool { funds: POOL, committed: CLAIMED })
		);
		test(0);
	});
}

#[test]
fn an_insurer_pays_a_partly_approved_claim_from_its_pool_and_the_patient_the_co_payment() {
	with_a_claim(|claim| {
		let (bob, patient) = (Bob.to_account_id(), One.to_account_id());
		let bob_usd = usd(&bob);
		let approve = payfi(pallet_payfi::Call::adjudicate {
			claim,
			decision: Decision::Approve { amount: 60 * DEV_USD_UNIT },
		});
		assert_eq!(common::apply(common::signed_extrinsic(Charlie, approve, 0)), Ok(()));
		assert_eq!(usd(&bob), bob_usd + 60 * DEV_USD_UNIT);
		assert!(payfi_events().contains(&pallet_payfi::Event::ClaimApproved {
			claim,
			paid: 60 * DEV_USD_UNIT,
			claimed: CLAIMED,
			payment: Some(0),
		}));
		// The co-payment: the patient (no BTT) pays the rest with the same claim hash.
		let co_payment = RuntimeCall::Payfi(pallet_payfi::Call::pay {
			payee: bob.clone(),
			pay_in: DUSD,
			receive: DUSD,
			amount: 20 * DEV_USD_UNIT,
			max_in: 20 * DEV_USD_UNIT,
			code: insured_checkup(),
		});
		let signed = common::signed_extrinsic_paying_in(One, co_payment, 0, Some(DUSD));
		assert_eq!(common::apply(signed), Ok(()));
		let day = Payfi::today();
		let statement =
			<Runtime as PayfiApiV1<Block, AccountId, Currency, Balance, BlockNumber>>::statement(
				bob, day, day,
			)
			.expect("a period of one day");
		let lines: Vec<_> = statement
			.iter()
			.map(|(_, _, record)| (record.payer.clone(), record.received.1, record.code.claim))
			.collect();
		let claim_hash = checkup().claim;
		assert_eq!(
			lines,
			vec![
				(Charlie.to_account_id(), 60 * DEV_USD_UNIT, claim_hash),
				(patient, 20 * DEV_USD_UNIT, claim_hash)
			]
		);
		assert!(Pools::<Runtime>::get(Charlie.to_account_id(), DUSD)
			.is_some_and(|pool| pool.funds == POOL - 60 * DEV_USD_UNIT && pool.committed == 0));
	});
}

#[test]
fn a_claim_the_insurer_lets_lapse_is_escalated_and_the_arbiter_awards_it() {
	with_a_claim(|claim| {
		let bob = Bob.to_account_id();
		let deadline = Claims::<Runtime>::get(claim).expect("open").deadline;
		let escalate = payfi(pallet_payfi::Call::escalate { claim });
		let early = common::apply(common::signed_extrinsic(Bob, escalate.clone(), 0));
		assert_eq!(early, Err(pallet_payfi::Error::<Runtime>::ClaimNotDue.into()));
		jump_to_block(deadline);
		assert_eq!(common::apply(common::signed_extrinsic(Bob, escalate, 0)), Ok(()));
		assert!(matches!(
			Claims::<Runtime>::get(claim).map(|claim| claim.state),
			Some(ClaimState::Escalated { .. })
		));
		// Charlie can no longer deny what it let lapse.
		let deny = payfi(pallet_payfi::Call::adjudicate {
			claim,
			decision: Decision::Deny { reason: 29 },
		});
		assert_eq!(
			common::apply(common::signed_extrinsic(Charlie, deny, 0)),
			Err(pallet_payfi::Error::<Runtime>::ClaimEscalated.into())
		);
		let resolve = pallet_payfi::Call::<Runtime>::resolve_claim {
			claim,
			award: CLAIMED,
			frivolous: false,
		};
		let bob_usd = usd(&bob);
		assert!(RuntimeCall::Payfi(resolve.clone())
			.dispatch(RuntimeOrigin::signed(bob.clone()))
			.is_err());
		assert!(RuntimeCall::Payfi(resolve).dispatch(RuntimeOrigin::root()).is_ok());
		assert_eq!(usd(&bob), bob_usd + CLAIMED);
		assert!(Claims::<Runtime>::get(claim).is_none());
	});
}
