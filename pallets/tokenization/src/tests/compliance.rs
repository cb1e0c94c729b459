//! Claims, rules, and their enforcement on every movement of fractions.

use super::helpers::*;
use crate::{mock::*, Error, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::{DispatchError, Permill};

fn rules(f: impl FnOnce(&mut RulesOf<Test>)) -> RulesOf<Test> {
	let mut rules = RulesOf::<Test>::default();
	f(&mut rules);
	rules
}

fn jurisdictions(
	list: &[Jurisdiction],
) -> BoundedVec<Jurisdiction, <Test as Config>::MaxJurisdictions> {
	list.to_vec().try_into().unwrap()
}

#[test]
fn claims_come_only_from_accredited_claim_issuers_and_hold_a_deposit() {
	build_and_execute(|| {
		accredit_all();
		assert_noop!(
			Tokenization::issue_claim(
				RuntimeOrigin::signed(ALICE),
				ALICE,
				ClaimTopic::Kyc,
				FAR,
				None
			),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			Tokenization::issue_claim(
				RuntimeOrigin::signed(KYC_PROVIDER),
				ALICE,
				ClaimTopic::Kyc,
				1,
				None
			),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			Tokenization::issue_claim(
				RuntimeOrigin::signed(KYC_PROVIDER),
				ALICE,
				ClaimTopic::Residence,
				FAR,
				None
			),
			Error::<Test>::ClaimJurisdictionMismatch
		);
		assert_noop!(
			Tokenization::issue_claim(
				RuntimeOrigin::signed(KYC_PROVIDER),
				ALICE,
				ClaimTopic::Kyc,
				FAR,
				Some(DE)
			),
			Error::<Test>::ClaimJurisdictionMismatch
		);
		let free = Balances::free_balance(KYC_PROVIDER);
		kyc(ALICE);
		assert_eq!(Balances::free_balance(KYC_PROVIDER), free - CLAIM_DEPOSIT);
		// Re-issuing replaces the claim without holding twice.
		kyc(ALICE);
		assert_eq!(Balances::free_balance(KYC_PROVIDER), free - CLAIM_DEPOSIT);
		assert!(Tokenization::valid_claim(&ALICE, ClaimTopic::Kyc).is_some());
	});
}

#[test]
fn only_the_claim_issuer_or_the_admin_revokes_a_claim() {
	build_and_execute(|| {
		accredit_all();
		kyc(ALICE);
		assert_noop!(
			Tokenization::revoke_claim(RuntimeOrigin::signed(ALICE), ALICE, ClaimTopic::Kyc),
			Error::<Test>::NotClaimIssuer
		);
		assert_noop!(
			Tokenization::revoke_claim(
				RuntimeOrigin::root(),
				ALICE,
				ClaimTopic::AccreditedInvestor
			),
			Error::<Test>::UnknownClaim
		);
		let free = Balances::free_balance(KYC_PROVIDER);
		assert_ok!(Tokenization::revoke_claim(RuntimeOrigin::root(), ALICE, ClaimTopic::Kyc));
		assert_eq!(Balances::free_balance(KYC_PROVIDER), free + CLAIM_DEPOSIT);
		assert!(Tokenization::valid_claim(&ALICE, ClaimTopic::Kyc).is_none());
	});
}

#[test]
fn fraction_transfer_to_an_account_without_kyc_is_rejected() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		assert_eq!(
			Tokenization::check_transfer(asset, &CLINIC, &MALLORY, 1),
			Err(TransferRejection::KycMissing)
		);
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, MALLORY, 1),
			Error::<Test>::KycMissing
		);
	});
}

#[test]
fn an_expired_claim_or_a_revoked_claim_issuer_no_longer_counts() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		assert_ok!(Tokenization::issue_claim(
			RuntimeOrigin::signed(KYC_PROVIDER),
			ALICE,
			ClaimTopic::Kyc,
			10,
			None
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
		System::set_block_number(10);
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			Error::<Test>::KycMissing
		);
		kyc(BOB);
		assert_ok!(Tokenization::revoke_accreditation(
			RuntimeOrigin::root(),
			Role::ClaimIssuer,
			KYC_PROVIDER
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 1),
			Error::<Test>::KycMissing
		);
	});
}

#[test]
fn accredited_investor_rule_needs_the_claim() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.require_accredited = true)
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			Error::<Test>::AccreditationMissing
		);
		assert_ok!(Tokenization::issue_claim(
			RuntimeOrigin::signed(KYC_PROVIDER),
			ALICE,
			ClaimTopic::AccreditedInvestor,
			FAR,
			None
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
	});
}

#[test]
fn jurisdiction_rules_allow_and_block_by_residence() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		kyc(BOB);
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| {
				r.allowed_jurisdictions = jurisdictions(&[DE, FR]);
			})
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			Error::<Test>::ResidenceUnknown
		);
		residence(ALICE, US);
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			Error::<Test>::JurisdictionNotPermitted
		);
		residence(BOB, FR);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 1));

		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.blocked_jurisdictions = jurisdictions(&[FR]))
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 1),
			Error::<Test>::JurisdictionNotPermitted
		);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
	});
}

#[test]
fn malformed_rules_are_rejected() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		for bad in [
			rules(|r| r.allowed_jurisdictions = jurisdictions(&[DE, DE])),
			rules(|r| r.blocked_jurisdictions = jurisdictions(&[Jurisdiction(*b"d1")])),
			rules(|r| {
				r.allowed_jurisdictions = jurisdictions(&[DE]);
				r.blocked_jurisdictions = jurisdictions(&[DE]);
			}),
			rules(|r| r.max_holders = Some(0)),
		] {
			assert_noop!(
				Tokenization::set_rules(RuntimeOrigin::signed(CLINIC), asset, bad),
				Error::<Test>::InvalidRules
			);
		}
		assert_noop!(
			Tokenization::set_rules(RuntimeOrigin::signed(ALICE), asset, rules(|_| ())),
			Error::<Test>::NotIssuer
		);
	});
}

#[test]
fn the_holder_limit_counts_holders_and_a_leaving_sender_frees_a_place() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		kyc(BOB);
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.max_holders = Some(2))
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 10),
			Error::<Test>::TooManyHolders
		);
		// Alice passes everything to Bob: still two holders.
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 10));
		assert_eq!(HolderCount::<Test>::get(asset), 2);
	});
}

#[test]
fn the_share_limit_caps_what_one_investor_may_hold() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.max_share = Some(Permill::from_percent(25)))
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			25
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			Error::<Test>::ShareLimitExceeded
		);
	});
}

#[test]
fn the_lockup_stops_investors_but_not_the_issuers_distribution() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		kyc(BOB);
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 10)
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 1),
			Error::<Test>::LockedUp
		);
		System::set_block_number(11);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 1));
	});
}

#[test]
fn basic_transfer_errors_are_specific() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		let cases = [
			(9, CLINIC, ALICE, 1, Error::<Test>::TransferUnknownAsset),
			(asset, CLINIC, ALICE, 0, Error::<Test>::ZeroAmount),
			(asset, CLINIC, CLINIC, 1, Error::<Test>::SelfTransfer),
			(asset, CLINIC, ALICE, 101, Error::<Test>::InsufficientFractions),
			(asset, ALICE, CLINIC, 1, Error::<Test>::InsufficientFractions),
		];
		for (asset, from, to, amount, error) in cases {
			assert_noop!(
				Tokenization::transfer_fractions(RuntimeOrigin::signed(from), asset, to, amount),
				error
			);
		}
		let unfractionalized = register();
		assert_noop!(
			Tokenization::transfer_fractions(
				RuntimeOrigin::signed(CLINIC),
				unfractionalized,
				ALICE,
				1
			),
			Error::<Test>::NotFractionalized
		);
	});
}

#[test]
fn pallet_assets_calls_on_the_fractions_instance_have_no_origin_that_passes() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		// The instance's create and force origins are `EnsureNever`: nobody, not even root,
		// creates or force-moves fractions behind the pallet's back. (The runtime also filters
		// every signed call to the instance; see its integration tests.)
		assert_noop!(
			FractionAssets::force_transfer(RuntimeOrigin::root(), asset, CLINIC, MALLORY, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			FractionAssets::create(RuntimeOrigin::signed(ALICE), 99, ALICE, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			FractionAssets::mint(RuntimeOrigin::signed(CLINIC), asset, CLINIC, 1),
			pallet_assets::Error::<Test, pallet_assets::Instance2>::NoPermission
		);
	});
}

#[test]
fn can_transfer_reports_ok_for_a_compliant_transfer() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		assert_eq!(Tokenization::check_transfer(asset, &CLINIC, &ALICE, 5), Ok(()));
	});
}

#[test]
fn outside_the_pallet_every_fraction_is_frozen() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		// What a root origin dispatching as the clinic (`sudo_as`, bypassing call filters) would
		// reach: pallet-assets' own transfer.
		assert_noop!(
			FractionAssets::transfer(RuntimeOrigin::signed(CLINIC), asset, ALICE, 1),
			pallet_assets::Error::<Test, pallet_assets::Instance2>::BalanceLow
		);
		assert_eq!(
			<FractionAssets as frame_support::traits::fungibles::Inspect<AccountId>>::reducible_balance(
				asset,
				&CLINIC,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Fortitude::Polite,
			),
			0
		);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
		assert!(!FractionsUnlocked::<Test>::get());
	});
}

/// Clinic 100 fractions; Alice and Bob have KYC; the lock-up is `lockup` blocks.
fn locked_asset(lockup: u64) -> u32 {
	let asset = fractionalized_asset(100);
	kyc(ALICE);
	kyc(BOB);
	assert_ok!(Tokenization::set_rules(
		RuntimeOrigin::signed(CLINIC),
		asset,
		rules(|r| r.lockup = lockup)
	));
	asset
}

#[test]
fn a_gift_does_not_extend_the_lockup_of_fractions_received_earlier() {
	build_and_execute(|| {
		let asset = locked_asset(10);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 10));
		System::set_block_number(11);
		// Bob's 1-fraction gift used to relock Alice's whole balance until block 21.
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(BOB), asset, ALICE, 1));
		assert_eq!(Tokenization::locked_fractions(asset, &ALICE), 1);
		assert_eq!(
			Tokenization::check_transfer(asset, &ALICE, &BOB, 11),
			Err(TransferRejection::LockedUp)
		);
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 11),
			Error::<Test>::LockedUp
		);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 10));
		System::set_block_number(21);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 1));
	});
}

#[test]
fn a_longer_lockup_set_after_issuance_applies_only_to_later_receipts() {
	build_and_execute(|| {
		let asset = locked_asset(10);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		System::set_block_number(2);
		// The issuer tries to freeze its investors for a thousand blocks while it sells.
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 1_000)
		));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			5
		));
		System::set_block_number(11);
		// The first lot keeps the lock-up it was received under.
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 10));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 1),
			Error::<Test>::LockedUp
		);
		System::set_block_number(1_002);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 5));
	});
}

#[test]
fn a_shorter_lockup_frees_existing_lots_earlier() {
	build_and_execute(|| {
		let asset = locked_asset(100);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 5)
		));
		System::set_block_number(6);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 10));
	});
}

#[test]
fn fractions_listed_while_a_shorter_lockup_freed_them_stay_free_when_it_grows_again() {
	build_and_execute(|| {
		let asset = locked_asset(8);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			22
		));
		assert_eq!(Tokenization::locked_fractions(asset, &ALICE), 22);
		// The issuer shortens the lock-up: Alice's lot is free and she lists a fraction.
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 0)
		));
		assert_eq!(Tokenization::locked_fractions(asset, &ALICE), 0);
		assert_ok!(Tokenization::place_order(
			RuntimeOrigin::signed(ALICE),
			asset,
			OrderSide::Sell,
			1,
			1_000,
			usdc()
		));
		// Lengthening it again must not lock what was free and is listed: listed + locked
		// would exceed the balance (the property test's shrunk case).
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 1)
		));
		assert_eq!(Tokenization::locked_fractions(asset, &ALICE), 0);
		assert_eq!(Tokenization::transferable_fractions(asset, &ALICE), 21);
	});
}

#[test]
fn fractions_sent_while_a_shorter_lockup_freed_them_leave_no_lot_to_relock_beyond_the_balance() {
	build_and_execute(|| {
		let asset = locked_asset(5);
		kyc(40);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			3
		));
		System::set_block_number(4);
		// The issuer shortens the lock-up: Alice's lot of 3 is free and she sends one.
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 0)
		));
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, 40, 1));
		// Lengthening it again must not relock the lot of 3 over her balance of 2 (the
		// property test's shrunk case: locked 3 > held 2, her 2 fractions frozen).
		assert_ok!(Tokenization::set_rules(
			RuntimeOrigin::signed(CLINIC),
			asset,
			rules(|r| r.lockup = 4)
		));
		assert_eq!(Tokenization::locked_fractions(asset, &ALICE), 0);
		assert_eq!(Tokenization::transferable_fractions(asset, &ALICE), 2);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, 40, 2));
	});
}

#[test]
fn at_the_lot_bound_a_new_receipt_joins_the_lot_that_unlocks_last() {
	build_and_execute(|| {
		let asset = locked_asset(10);
		for block in 1..=5u64 {
			System::set_block_number(block);
			assert_ok!(Tokenization::transfer_fractions(
				RuntimeOrigin::signed(CLINIC),
				asset,
				ALICE,
				1
			));
		}
		let lots = Holdings::<Test>::get(asset, ALICE).unwrap();
		assert_eq!(lots.len() as u32, MAX_LOCKED_LOTS);
		// Blocks 1 and 2 keep their own lots; 3, 4 and 5 share the last, unlocking at 15.
		assert_eq!(
			lots.iter().map(|l| (l.amount, l.unlocks_at)).collect::<Vec<_>>(),
			vec![(1, 11), (1, 12), (3, 15)]
		);
		System::set_block_number(12);
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 2));
		assert_noop!(
			Tokenization::transfer_fractions(RuntimeOrigin::signed(ALICE), asset, BOB, 1),
			Error::<Test>::LockedUp
		);
	});
}

#[test]
fn locked_fractions_cannot_be_listed_for_sale() {
	build_and_execute(|| {
		let asset = locked_asset(10);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			10
		));
		assert_noop!(
			Tokenization::place_order(
				RuntimeOrigin::signed(ALICE),
				asset,
				OrderSide::Sell,
				10,
				100,
				super::helpers::usdc()
			),
			Error::<Test>::LockedUp
		);
	});
}

#[test]
fn a_claim_issuer_cannot_overwrite_another_issuers_valid_claim() {
	build_and_execute(|| {
		accredit_all();
		let rogue = 16;
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&rogue, ENDOWMENT);
		assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), Role::ClaimIssuer, rogue));
		residence(ALICE, FR);
		// The rogue issuer would move Alice to a jurisdiction of its choice.
		assert_noop!(
			Tokenization::issue_claim(
				RuntimeOrigin::signed(rogue),
				ALICE,
				ClaimTopic::Residence,
				FAR,
				Some(US)
			),
			Error::<Test>::ClaimHeldByAnotherIssuer
		);
		assert_eq!(
			Tokenization::valid_claim(&ALICE, ClaimTopic::Residence).unwrap().jurisdiction,
			Some(FR)
		);
		// Once the first issuer loses its role, its claims stop counting and may be replaced.
		assert_ok!(Tokenization::revoke_accreditation(
			RuntimeOrigin::root(),
			Role::ClaimIssuer,
			KYC_PROVIDER
		));
		let held = Balances::reserved_balance(KYC_PROVIDER);
		assert_ok!(Tokenization::issue_claim(
			RuntimeOrigin::signed(rogue),
			ALICE,
			ClaimTopic::Residence,
			FAR,
			Some(US)
		));
		assert_eq!(Balances::reserved_balance(KYC_PROVIDER), held - CLAIM_DEPOSIT);
	});
}

#[test]
fn an_expired_claim_of_another_issuer_may_be_replaced() {
	build_and_execute(|| {
		accredit_all();
		let other = 16;
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&other, ENDOWMENT);
		assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), Role::ClaimIssuer, other));
		assert_ok!(Tokenization::issue_claim(
			RuntimeOrigin::signed(KYC_PROVIDER),
			ALICE,
			ClaimTopic::Kyc,
			5,
			None
		));
		System::set_block_number(5);
		assert_ok!(Tokenization::issue_claim(
			RuntimeOrigin::signed(other),
			ALICE,
			ClaimTopic::Kyc,
			FAR,
			None
		));
		assert_eq!(Tokenization::valid_claim(&ALICE, ClaimTopic::Kyc).unwrap().issuer, other);
	});
}

#[test]
fn a_receiver_with_every_consumer_reference_taken_still_receives_fractions() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		// Alice's account already has the most consumer references the runtime allows.
		let own = frame_system::Pallet::<Test>::consumers(&ALICE);
		while frame_system::Pallet::<Test>::can_accrue_consumers(&ALICE, 1) {
			frame_system::Pallet::<Test>::inc_consumers(&ALICE).unwrap();
		}
		// Sufficient fractions take no consumer reference: `can_transfer` and the transfer agree.
		assert_eq!(Tokenization::check_transfer(asset, &CLINIC, &ALICE, 1), Ok(()));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
		assert_eq!(fractions_of(asset, ALICE), 1);
		while frame_system::Pallet::<Test>::consumers(&ALICE) > own {
			frame_system::Pallet::<Test>::dec_consumers(&ALICE);
		}
	});
}

#[test]
fn a_receiver_without_any_native_balance_receives_fractions_and_leaves_no_reference_behind() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		let fresh = 70;
		kyc(fresh);
		assert_eq!(Tokenization::check_transfer(asset, &CLINIC, &fresh, 5), Ok(()));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			fresh,
			5
		));
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&fresh), 1);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(fresh),
			asset,
			CLINIC,
			5
		));
		// The account's reference is released with its last fraction.
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&fresh), 0);
		assert_eq!(frame_system::Pallet::<Test>::consumers(&fresh), 0);
	});
}
