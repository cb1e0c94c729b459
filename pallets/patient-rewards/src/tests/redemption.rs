//! Redemption: claimable rewards paid to a partner merchant through a coded payment, or burnt
//! for a listed benefit; nothing of the period in progress, nothing beyond what is claimable.

use super::*;
use crate::{Benefit, Error, Event, Liabilities};
use frame_support::assert_noop;
use sp_core::H256;
use sp_runtime::traits::BadOrigin;

const CHECKUP_REWARD: Balance = 312 * UNITS + UNITS / 2;

/// A cleaning (D1110) at the merchant.
fn cleaning() -> btt_primitives::payfi::BillingCode<AccountId> {
	btt_primitives::payfi::BillingCode::from_text(
		&[b"D1110"],
		&[],
		H256::zero(),
		today(),
		H256::repeat_byte(1),
		None,
	)
	.unwrap()
}

/// PATIENT earned a checkup's reward in the last period: it is claimable now.
fn with_claimable_rewards() {
	provider_for(PROVIDER, PATIENT);
	checkup(PROVIDER, PATIENT);
	next_period();
}

fn redeem(amount: Balance) -> sp_runtime::DispatchResult {
	Rewards::redeem_at_merchant(RuntimeOrigin::signed(PATIENT), MERCHANT, amount, cleaning())
}

#[test]
fn a_patient_pays_a_partner_merchant_with_its_rewards_through_a_coded_payment() {
	run(|| {
		assert_ok!(Rewards::register_merchant(RuntimeOrigin::root(), MERCHANT));
		with_claimable_rewards();
		let (issuance, merchant, patient, owed) = (
			Balances::total_issuance(),
			Balances::free_balance(MERCHANT),
			Balances::free_balance(PATIENT),
			Liabilities::<Test>::get(),
		);

		assert_ok!(redeem(100 * UNITS));

		System::assert_last_event(
			Event::RedeemedAtMerchant {
				patient: PATIENT,
				merchant: MERCHANT,
				amount: 100 * UNITS,
				day: today(),
				id: 0,
			}
			.into(),
		);
		assert_eq!(Balances::free_balance(MERCHANT), merchant + 100 * UNITS);
		assert_eq!(Balances::free_balance(PATIENT), patient, "it passed through, unchanged");
		assert_eq!(Balances::total_issuance(), issuance);
		// The record is PayFi's: the patient paid the merchant.
		assert_eq!(
			<MockPayments as btt_primitives::payfi::PaymentRecords<_, _>>::payer_of(
				&MERCHANT,
				today(),
				0
			),
			Some(PATIENT)
		);
		// The claim settled the ended period (the new one's budget is set aside) and the
		// redemption took 100 of the 312.5 claimable.
		let record = crate::Patients::<Test>::get(PATIENT).unwrap();
		assert_eq!((record.claimable, record.claimed), (CHECKUP_REWARD - 100 * UNITS, 100 * UNITS));
		assert_eq!(owed, BUDGET, "before: the ended period's budget, set aside");
		assert_eq!(Liabilities::<Test>::get(), CHECKUP_REWARD - 100 * UNITS + BUDGET);
	});
}

#[test]
fn only_claimable_rewards_can_be_redeemed_and_never_more() {
	run(|| {
		assert_ok!(Rewards::register_merchant(RuntimeOrigin::root(), MERCHANT));
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		// The period in progress has not paid anything yet.
		assert_noop!(redeem(UNITS), Error::<Test>::NothingToClaim);
		next_period();
		assert_noop!(redeem(CHECKUP_REWARD + 1), Error::<Test>::InsufficientRewards);
		assert_noop!(redeem(0), Error::<Test>::InsufficientRewards);
		assert_ok!(redeem(CHECKUP_REWARD));
		assert_noop!(redeem(UNITS), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn rewards_are_redeemed_only_at_registered_merchants_that_take_payments() {
	run(|| {
		with_claimable_rewards();
		assert_noop!(redeem(UNITS), Error::<Test>::NotMerchant);
		assert_noop!(
			Rewards::register_merchant(RuntimeOrigin::signed(MERCHANT), MERCHANT),
			BadOrigin
		);
		// A merchant that is not a PayFi payee cannot be paid: nothing changes.
		assert_ok!(Rewards::register_merchant(RuntimeOrigin::root(), STRANGER));
		assert_noop!(
			Rewards::redeem_at_merchant(
				RuntimeOrigin::signed(PATIENT),
				STRANGER,
				UNITS,
				cleaning()
			),
			sp_runtime::DispatchError::Other("not a payee")
		);
		assert_ok!(Rewards::register_merchant(RuntimeOrigin::root(), MERCHANT));
		assert_noop!(
			Rewards::register_merchant(RuntimeOrigin::root(), MERCHANT),
			Error::<Test>::AlreadyMerchant
		);
		assert_ok!(Rewards::remove_merchant(RuntimeOrigin::root(), MERCHANT));
		assert_noop!(redeem(UNITS), Error::<Test>::NotMerchant);
	});
}

#[test]
fn a_listed_benefit_burns_its_price_out_of_the_pot() {
	run(|| {
		let terms = H256::repeat_byte(0xbe);
		assert_noop!(
			Rewards::list_benefit(RuntimeOrigin::root(), 1, 0, terms),
			Error::<Test>::FreeBenefit
		);
		assert_noop!(
			Rewards::list_benefit(RuntimeOrigin::signed(PATIENT), 1, 50 * UNITS, terms),
			BadOrigin
		);
		assert_ok!(Rewards::list_benefit(RuntimeOrigin::root(), 1, 50 * UNITS, terms));
		assert_eq!(crate::Benefits::<Test>::get(1), Some(Benefit { price: 50 * UNITS, terms }));
		with_claimable_rewards();
		let (issuance, pot) = (Balances::total_issuance(), Balances::free_balance(Rewards::pot()));

		assert_ok!(Rewards::redeem_benefit(RuntimeOrigin::signed(PATIENT), 1));

		System::assert_last_event(
			Event::BenefitRedeemed { patient: PATIENT, benefit: 1, price: 50 * UNITS }.into(),
		);
		assert_eq!(Balances::total_issuance(), issuance - 50 * UNITS, "burnt");
		assert_eq!(Balances::free_balance(Rewards::pot()), pot - 50 * UNITS);
		assert_eq!(
			crate::Patients::<Test>::get(PATIENT).map(|r| r.claimable),
			Some(CHECKUP_REWARD - 50 * UNITS)
		);
		assert_noop!(
			Rewards::redeem_benefit(RuntimeOrigin::signed(PATIENT), 2),
			Error::<Test>::UnknownBenefit
		);
		assert_ok!(Rewards::delist_benefit(RuntimeOrigin::root(), 1));
		assert_noop!(
			Rewards::redeem_benefit(RuntimeOrigin::signed(PATIENT), 1),
			Error::<Test>::UnknownBenefit
		);
	});
}
