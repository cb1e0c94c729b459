//! Property tests: distribution fairness against a naive model that pays every holder at every
//! deposit, and agreement of `can_transfer` with the transfer itself in every case.

use super::helpers::*;
use crate::{mock::*, revenue::accumulate, Error, *};
use frame_support::{assert_ok, traits::fungible::Mutate as _};
use proptest::prelude::*;
use std::collections::BTreeMap;

const S: Balance = REVENUE_SCALE;

#[derive(Clone, Debug)]
enum Step {
	/// Revenue of `amount` plancks in currency `currency` (0: BTT, 1: USDC).
	Deposit { currency: usize, amount: Balance },
	/// Move `amount` fractions from holder `from` to holder `to` (indices into the investors).
	Transfer { from: usize, to: usize, amount: Balance },
	/// `seller` lists `amount` fractions for USDC and `buyer` takes them all.
	Trade { seller: usize, buyer: usize, amount: Balance },
	/// Holder `who` claims in currency `currency`.
	Claim { who: usize, currency: usize },
}

const INVESTORS: [AccountId; 5] = [CLINIC, ALICE, BOB, 20, 21];

fn currency(i: usize) -> NativeOrWithId<u32> {
	if i == 0 {
		btt()
	} else {
		usdc()
	}
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		(0usize..2, 10u128..1_000_000)
			.prop_map(|(currency, amount)| Step::Deposit { currency, amount }),
		(0usize..5, 0usize..5, 1u128..400).prop_map(|(from, to, amount)| Step::Transfer {
			from,
			to,
			amount
		}),
		(0usize..5, 0usize..5, 1u128..400).prop_map(|(seller, buyer, amount)| Step::Trade {
			seller,
			buyer,
			amount
		}),
		(0usize..5, 0usize..2).prop_map(|(who, currency)| Step::Claim { who, currency }),
	]
}

/// What can happen to a would-be receiver or sender in the agreement property.
#[derive(Clone, Debug)]
enum Move {
	/// `from` sends `amount` to `to` (indices into [`PARTIES`]).
	Transfer { from: usize, to: usize, amount: Balance },
	/// Blocks pass.
	Wait(u64),
	/// `who` gets a KYC claim.
	Kyc(usize),
	/// `who`'s account takes every consumer reference it can.
	ExhaustConsumers(usize),
	/// `who` lists `amount` fractions for sale.
	List { who: usize, amount: Balance },
	/// The issuer changes the lock-up.
	Lockup(u64),
}

/// The issuer, two endowed investors, and three accounts with no native balance at all.
const PARTIES: [AccountId; 6] = [CLINIC, ALICE, BOB, 40, 41, 42];

fn a_move() -> impl Strategy<Value = Move> {
	prop_oneof![
		4 => (0usize..6, 0usize..6, 0u128..60).prop_map(|(from, to, amount)| Move::Transfer { from, to, amount }),
		1 => (1u64..30).prop_map(Move::Wait),
		2 => (0usize..6).prop_map(Move::Kyc),
		1 => (0usize..6).prop_map(Move::ExhaustConsumers),
		1 => (0usize..6, 1u128..30).prop_map(|(who, amount)| Move::List { who, amount }),
		1 => (0u64..20).prop_map(Move::Lockup),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

	#[test]
	fn accumulating_conserves_every_scaled_planck(
		amount in 0u128..u64::MAX as u128,
		carry in 0u128..1_000_000,
		fractions in 1u128..1_000_000,
	) {
		let carry = carry % fractions;
		let (per_fraction, carried) = accumulate(amount, carry, fractions, S).unwrap();
		prop_assert_eq!(per_fraction * fractions + carried, amount * S + carry);
		prop_assert!(carried < fractions);
	}

	/// Random deposits in two currencies, transfers, market trades and claims, then every holder
	/// hands its fractions back and the clinic unifies: at every step each holder can claim
	/// exactly what the model says, and what was earned before unifying stays claimable.
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
			for who in INVESTORS {
				assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(CLINIC), USDC, who, 1_000_000_000_000));
			}
			// Alice pays every deposit.
			Balances::set_balance(&ALICE, Balance::from(u64::MAX));
			// The model, scaled, per currency: balances, what each account is owed, the carry.
			let mut balances: BTreeMap<AccountId, Balance> = BTreeMap::from([(CLINIC, fractions)]);
			let mut owed: BTreeMap<(AccountId, usize), Balance> = BTreeMap::new();
			let mut carry = [0; 2];
			let moved = |balances: &mut BTreeMap<AccountId, Balance>, from, to, amount| {
				*balances.entry(from).or_default() -= amount;
				*balances.entry(to).or_default() += amount;
			};
			for step in steps {
				match step {
					Step::Deposit { currency: c, amount } => {
						let scaled = amount * S + carry[c];
						let per_fraction = scaled / fractions;
						carry[c] = scaled % fractions;
						assert_ok!(Tokenization::deposit_revenue(RuntimeOrigin::signed(ALICE), asset, currency(c), amount));
						for (who, balance) in &balances {
							*owed.entry((*who, c)).or_default() += balance * per_fraction;
						}
					},
					Step::Transfer { from, to, amount } => {
						let (from, to) = (INVESTORS[from], INVESTORS[to]);
						let available = balances.get(&from).copied().unwrap_or_default();
						let result = Tokenization::transfer_fractions(RuntimeOrigin::signed(from), asset, to, amount);
						if from != to && amount <= available {
							assert_ok!(result);
							moved(&mut balances, from, to, amount);
						} else {
							assert!(result.is_err());
						}
					},
					Step::Trade { seller, buyer, amount } => {
						let (seller, buyer) = (INVESTORS[seller], INVESTORS[buyer]);
						let order = NextOrderId::<Test>::get();
						let placed = Tokenization::place_order(RuntimeOrigin::signed(seller), asset, OrderSide::Sell, amount, 10, usdc());
						if placed.is_err() {
							continue;
						}
						if Tokenization::take_order(RuntimeOrigin::signed(buyer), order, amount).is_ok() {
							moved(&mut balances, seller, buyer, amount);
						} else {
							assert_ok!(Tokenization::cancel_order(RuntimeOrigin::signed(seller), order));
						}
					},
					Step::Claim { who, currency: c } => {
						let who = INVESTORS[who];
						let due = owed.get(&(who, c)).copied().unwrap_or_default() / S;
						let result = Tokenization::claim_revenue(RuntimeOrigin::signed(who), asset, currency(c));
						if due > 0 {
							assert_ok!(result);
							*owed.entry((who, c)).or_default() -= due * S;
						} else {
							assert_eq!(result, Err(Error::<Test>::NothingToClaim.into()));
						}
					},
				}
				for who in INVESTORS {
					for c in 0..2 {
						let due = owed.get(&(who, c)).copied().unwrap_or_default() / S;
						assert_eq!(Tokenization::claimable_revenue(asset, &who, &currency(c)), due, "holder {who}");
					}
				}
			}
			for c in 0..2 {
				assert_eq!(RevenuePools::<Test>::get(asset, currency(c)).carry, carry[c]);
				assert_eq!(RevenuePools::<Test>::get(asset, currency(c)).dust, 0);
			}
			assert_eq!(HolderCount::<Test>::get(asset) as usize, balances.values().filter(|b| **b > 0).count());

			// Everyone hands its fractions back and the clinic unifies.
			for who in INVESTORS.iter().skip(1) {
				let balance = balances.get(who).copied().unwrap_or_default();
				if balance > 0 {
					assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(*who), asset, CLINIC, balance));
				}
			}
			assert_ok!(Tokenization::unify(RuntimeOrigin::signed(CLINIC), asset));
			assert_eq!(OrderCount::<Test>::get(asset), 0);
			for who in INVESTORS {
				for c in 0..2 {
					let due = owed.get(&(who, c)).copied().unwrap_or_default() / S;
					assert_eq!(Tokenization::claimable_revenue(asset, &who, &currency(c)), due, "holder {who} after unify");
				}
			}
			Tokenization::do_try_state().unwrap();
		});
	}

	/// `can_transfer` (the runtime API) says `Ok` exactly when the transfer succeeds, and
	/// otherwise names the transfer's own error; a refused transfer changes nothing.
	#[test]
	fn can_transfer_and_the_transfer_agree_in_every_case(
		moves in proptest::collection::vec(a_move(), 1..60),
	) {
		new_test_ext().execute_with(|| {
			let asset = fractionalized_asset(100);
			kyc(ALICE);
			// Non-sufficient payment assets give the exhausting moves references to take.
			for id in 100u32..120 {
				assert_ok!(<PaymentAssets as frame_support::traits::fungibles::Create<AccountId>>::create(id, CLINIC, false, 1));
			}
			for m in moves {
				match m {
					Move::Transfer { from, to, amount } => {
						let (from, to) = (PARTIES[from], PARTIES[to]);
						let predicted = Tokenization::check_transfer(asset, &from, &to, amount).map_err(Error::<Test>::from);
						let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
						let result = frame_support::storage::with_storage_layer(|| {
							Tokenization::transfer_fractions(RuntimeOrigin::signed(from), asset, to, amount)
						});
						match predicted {
							Ok(()) => {
								assert_ok!(result);
							},
							Err(error) => {
								assert_eq!(result, Err(error.into()), "{from} → {to}: {amount}");
								assert_eq!(before, sp_io::storage::root(sp_runtime::StateVersion::V1));
							},
						}
					},
					Move::Wait(blocks) => System::set_block_number(System::block_number() + blocks),
					Move::Kyc(who) => kyc(PARTIES[who]),
					Move::ExhaustConsumers(who) => {
						let who = PARTIES[who];
						let mut id = 100u32;
						while frame_system::Pallet::<Test>::can_accrue_consumers(&who, 1) && id < 120 {
							let _ = <PaymentAssets as frame_support::traits::fungibles::Mutate<AccountId>>::mint_into(id, &who, 1);
							id += 1;
						}
					},
					Move::List { who, amount } => {
						let _ = Tokenization::place_order(
							RuntimeOrigin::signed(PARTIES[who]),
							asset,
							OrderSide::Sell,
							amount,
							10,
							usdc(),
						);
					},
					Move::Lockup(lockup) => {
						let mut rules = Rules::<Test>::get(asset).unwrap();
						rules.lockup = lockup;
						assert_ok!(Tokenization::set_rules(RuntimeOrigin::signed(CLINIC), asset, rules));
					},
				}
			}
			Tokenization::do_try_state().unwrap();
		});
	}
}
