//! The budget: rewards paid once their period ends, pro rata when a period's rewards exceed
//! its budget, never more than the pot holds, nothing minted.

use super::*;
use crate::{BudgetPerPeriod, CurrentPeriod, EndedPeriods, Error, Event, Liabilities};
use frame_support::{assert_noop, traits::fungible::Mutate};

const CHECKUP_REWARD: Balance = 312 * UNITS + UNITS / 2;

fn patients(n: u64) -> Vec<AccountId> {
	(100..100 + n)
		.map(|patient| {
			assert_ok!(Balances::mint_into(&patient, UNITS));
			patient
		})
		.collect()
}

#[test]
fn rewards_are_claimed_once_their_period_has_ended() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		assert_eq!(Rewards::pending_rewards(&PATIENT), (0, CHECKUP_REWARD));
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(PATIENT)), Error::<Test>::NothingToClaim);

		let (issuance, pot, free) = (
			Balances::total_issuance(),
			Balances::free_balance(Rewards::pot()),
			Balances::free_balance(PATIENT),
		);
		next_period();
		assert_eq!(Rewards::pending_rewards(&PATIENT), (CHECKUP_REWARD, 0));
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(PATIENT)));
		System::assert_has_event(
			Event::Claimed { patient: PATIENT, amount: CHECKUP_REWARD }.into(),
		);
		assert_eq!(Balances::free_balance(PATIENT), free + CHECKUP_REWARD);
		assert_eq!(Balances::free_balance(Rewards::pot()), pot - CHECKUP_REWARD);
		assert_eq!(Balances::total_issuance(), issuance, "rewards are paid, never minted");
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(PATIENT)), Error::<Test>::NothingToClaim);
		// The claim opened the new period, which set its budget aside.
		assert_eq!(Liabilities::<Test>::get(), BUDGET);
		assert!(EndedPeriods::<Test>::iter().next().is_none(), "the ended period is paid out");
	});
}

#[test]
fn an_oversubscribed_period_pays_pro_rata_and_never_more_than_its_budget() {
	run(|| {
		assert_ok!(Rewards::set_budget(RuntimeOrigin::root(), 400 * UNITS));
		for patient in [PATIENT, OTHER_PATIENT] {
			provider_for(PROVIDER, patient);
			checkup(PROVIDER, patient);
		}
		assert_eq!(Rewards::budget_left(), 0);
		next_period();
		for patient in [PATIENT, OTHER_PATIENT] {
			assert_ok!(Rewards::claim(RuntimeOrigin::signed(patient)));
			// 625 BTT earned against 400: each point pays 0.64.
			System::assert_last_event(Event::Claimed { patient, amount: 200 * UNITS }.into());
		}
		System::assert_has_event(
			Event::PeriodEnded {
				period: START_DAY / PERIOD_DAYS,
				points: 2 * CHECKUP_REWARD,
				payout: 400 * UNITS,
				rate: Perbill::from_percent(64),
			}
			.into(),
		);
	});
}

#[test]
fn a_budget_drained_by_one_provider_s_patients_is_shared_pro_rata() {
	run(|| {
		// The budget pays 0.4 of what the provider's patients and one more earn.
		let budget = CHECKUP_REWARD * Balance::from(MAX_ATTESTATIONS + 1) * 2 / 5;
		assert_ok!(Rewards::set_budget(RuntimeOrigin::root(), budget));
		// One provider confirms as many checkups as its rate allows; they stop there.
		let theirs = patients(u64::from(MAX_ATTESTATIONS) + 1);
		for patient in &theirs {
			provider_for(PROVIDER, *patient);
		}
		for patient in theirs.iter().take(MAX_ATTESTATIONS as usize) {
			checkup(PROVIDER, *patient);
		}
		assert_noop!(
			Rewards::confirm_checkup(
				RuntimeOrigin::signed(PROVIDER),
				theirs[MAX_ATTESTATIONS as usize],
				evaluation(),
				Perbill::one(),
				None
			),
			Error::<Test>::ProviderRateLimited
		);
		// Another provider's patient comes after them, with the budget already exceeded.
		provider_for(OTHER_PROVIDER, PATIENT);
		checkup(OTHER_PROVIDER, PATIENT);
		next_period();
		// 6 · 312.5 = 1,875 earned against 750: 0.4 a point, the latecomer's share included.
		let mut paid = 0;
		for patient in theirs.iter().take(MAX_ATTESTATIONS as usize).chain([&PATIENT]) {
			assert_ok!(Rewards::claim(RuntimeOrigin::signed(*patient)));
			System::assert_last_event(
				Event::Claimed { patient: *patient, amount: 125 * UNITS }.into(),
			);
			paid += 125 * UNITS;
		}
		assert_eq!(paid, budget);
	});
}

#[test]
fn a_period_s_budget_is_at_most_what_the_pot_holds_beyond_its_debts() {
	run(|| {
		assert_ok!(Rewards::set_budget(RuntimeOrigin::root(), 1_000_000 * UNITS));
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		// The pot keeps its existential deposit.
		let budget = POT_FUNDS - UNITS / 1_000;
		System::assert_has_event(
			Event::PeriodOpened { period: START_DAY / PERIOD_DAYS, budget }.into(),
		);
		assert_eq!(Rewards::unallocated(), 0);
		next_period();
		// The next period's budget is what the last one did not pay and nobody claimed yet.
		provider_for(OTHER_PROVIDER, OTHER_PATIENT);
		checkup(OTHER_PROVIDER, OTHER_PATIENT);
		System::assert_has_event(
			Event::PeriodOpened {
				period: START_DAY / PERIOD_DAYS + 1,
				budget: budget - CHECKUP_REWARD,
			}
			.into(),
		);
	});
}

#[test]
fn what_a_period_does_not_pay_returns_to_the_pot() {
	run(|| {
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		let unallocated = Rewards::unallocated();
		assert_eq!(unallocated, POT_FUNDS - UNITS / 1_000 - BUDGET);
		next_period();
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(PATIENT)));
		// The new period set aside its budget again; the old one's rest came back.
		assert_eq!(Rewards::unallocated(), unallocated - CHECKUP_REWARD);
	});
}

#[test]
fn a_patient_earning_in_a_new_period_is_paid_for_the_old_one_first() {
	run(|| {
		device_for(DEVICE, PATIENT);
		hygiene(PATIENT, DEVICE, START_DAY, 4);
		let first = last_reward();
		next_period();
		hygiene(PATIENT, DEVICE, today(), 4);
		let (claimable, pending) = Rewards::pending_rewards(&PATIENT);
		assert_eq!(claimable, first);
		assert_eq!(pending, last_reward());
		assert_eq!(CurrentPeriod::<Test>::get().map(|p| p.patients), Some(1));
	});
}

#[test]
fn a_budget_of_zero_pays_nothing_and_owes_nothing() {
	run(|| {
		assert_ok!(Rewards::set_budget(RuntimeOrigin::root(), 0));
		assert_eq!(BudgetPerPeriod::<Test>::get(), 0);
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		next_period();
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(PATIENT)), Error::<Test>::NothingToClaim);
		assert_eq!(Rewards::unallocated(), POT_FUNDS - UNITS / 1_000);
	});
}

#[test]
fn a_chain_with_minute_periods_pays_a_minute_after_the_reward() {
	run(|| {
		// The development chain's genesis: one-minute periods (the clock is at 01:00:00).
		crate::PeriodSeconds::<Test>::put(60);
		provider_for(PROVIDER, PATIENT);
		checkup(PROVIDER, PATIENT);
		let period = Rewards::current_period();
		assert_eq!(u64::from(period), (u64::from(START_DAY) * 86_400 + 3_600) / 60);
		advance_seconds(59);
		assert_noop!(Rewards::claim(RuntimeOrigin::signed(PATIENT)), Error::<Test>::NothingToClaim);
		advance_seconds(1);
		assert_eq!(Rewards::current_period(), period + 1);
		assert_ok!(Rewards::claim(RuntimeOrigin::signed(PATIENT)));
		System::assert_has_event(
			Event::Claimed { patient: PATIENT, amount: CHECKUP_REWARD }.into(),
		);
	});
}

#[test]
#[should_panic(expected = "a budget period lasts a minute at least")]
fn genesis_refuses_a_period_shorter_than_a_minute() {
	use frame_support::traits::BuildGenesisConfig;
	new_test_ext().execute_with(|| {
		crate::GenesisConfig::<Test> { period_seconds: Some(59), ..Default::default() }.build();
	});
}
