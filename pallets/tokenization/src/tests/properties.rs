//! Property tests of distribution fairness: random holders, deposits and transfers, checked
//! against a naive model that pays every holder at every deposit.

use super::helpers::*;
use crate::{mock::*, revenue::split_revenue, Error, *};
use frame_support::{assert_ok, traits::fungible::Mutate as _};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Step {
	/// Revenue of `amount` BTT plancks.
	Deposit(Balance),
	/// Move `amount` fractions from holder `from` to holder `to` (indices into the investors).
	Transfer { from: usize, to: usize, amount: Balance },
	/// Holder `who` claims.
	Claim(usize),
}

const INVESTORS: [AccountId; 5] = [CLINIC, ALICE, BOB, 20, 21];

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		(1_000u128..1_000_000).prop_map(Step::Deposit),
		(0usize..5, 0usize..5, 1u128..400).prop_map(|(from, to, amount)| Step::Transfer { from, to, amount }),
		(0usize..5).prop_map(Step::Claim),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

	#[test]
	fn split_conserves_every_planck(amount in 0u128..u64::MAX as u128, fractions in 1u128..1_000_000) {
		let (per_fraction, dust) = split_revenue(amount, fractions).unwrap();
		prop_assert_eq!(per_fraction * fractions + dust, amount);
		prop_assert!(dust < fractions);
	}

	#[test]
	fn every_holder_gets_exactly_its_pro_rata_share(
		fractions in 10u128..2_000,
		steps in proptest::collection::vec(step(), 1..40),
	) {
		new_test_ext().execute_with(|| {
			let asset = fractionalized_asset(fractions);
			for who in INVESTORS.iter().skip(1) {
				Balances::set_balance(who, ENDOWMENT);
				kyc(*who);
			}
			// Alice pays every deposit.
			Balances::set_balance(&ALICE, Balance::from(u64::MAX));
			// The model: balances, and what each account has earned and claimed.
			let mut balances: BTreeMap<AccountId, Balance> = BTreeMap::from([(CLINIC, fractions)]);
			let mut earned: BTreeMap<AccountId, Balance> = BTreeMap::new();
			let mut claimed: BTreeMap<AccountId, Balance> = BTreeMap::new();
			let mut dust = 0;
			for step in steps {
				match step {
					Step::Deposit(amount) => {
						let per_fraction = amount / fractions;
						let result = Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, btt(), amount);
						if per_fraction == 0 {
							assert_eq!(result, Err(Error::<Test>::RevenueTooSmall.into()));
							continue;
						}
						assert_ok!(result);
						dust += amount % fractions;
						for (who, balance) in &balances {
							*earned.entry(*who).or_default() += balance * per_fraction;
						}
					},
					Step::Transfer { from, to, amount } => {
						let (from, to) = (INVESTORS[from], INVESTORS[to]);
						let available = balances.get(&from).copied().unwrap_or_default();
						let result = Tokenization::transfer_fractions(RuntimeOrigin::signed(from), asset, to, amount);
						if from != to && amount <= available {
							assert_ok!(result);
							*balances.entry(from).or_default() -= amount;
							*balances.entry(to).or_default() += amount;
						} else {
							assert!(result.is_err());
						}
					},
					Step::Claim(who) => {
						let who = INVESTORS[who];
						let owed = earned.get(&who).copied().unwrap_or_default() - claimed.get(&who).copied().unwrap_or_default();
						let before = Balances::free_balance(who);
						let result = Tokenization::claim_revenue(RuntimeOrigin::signed(who), asset, btt());
						if owed > 0 {
							assert_ok!(result);
							assert_eq!(Balances::free_balance(who), before + owed);
							*claimed.entry(who).or_default() += owed;
						} else {
							assert!(result.is_err());
						}
					},
				}
				for who in INVESTORS {
					let owed = earned.get(&who).copied().unwrap_or_default() - claimed.get(&who).copied().unwrap_or_default();
					assert_eq!(Tokenization::claimable_revenue(asset, &who, &btt()), owed, "holder {who}");
				}
			}
			assert_eq!(RevenuePools::<Test>::get(asset, btt()).dust, dust);
			assert_eq!(HolderCount::<Test>::get(asset) as usize, balances.values().filter(|b| **b > 0).count());
			Tokenization::do_try_state().unwrap();
		});
	}
}
