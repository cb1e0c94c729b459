//! Registration, accreditation, attestation, valuation, fractionalization, unification.

use super::helpers::*;
use crate::{mock::*, Error, Event, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{InspectHold, Mutate as _},
		tokens::nonfungibles_v2::Inspect as _,
		Get,
	},
};
use sp_runtime::DispatchError;

fn held(reason: HoldReason, who: AccountId) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Tokenization(reason),
		&who,
	)
}

#[test]
fn registering_holds_a_deposit_and_mints_the_twin_with_attributes() {
	build_and_execute(|| {
		let free_before = Balances::free_balance(CLINIC);
		let asset = register();
		let deposit = ASSET_DEPOSIT + "ipfs://bafy-xray-unit".len() as Balance;
		assert_eq!(held(HoldReason::AssetRegistration, CLINIC), deposit);
		// Hold + the twin's nfts deposit + (first asset) the collection deposit and the
		// pallet account's existential deposit.
		let paid = deposit + NFT_ITEM_DEPOSIT + NFT_COLLECTION_DEPOSIT + EXISTENTIAL_DEPOSIT;
		assert_eq!(Balances::free_balance(CLINIC), free_before - paid);

		let collection = TwinCollection::<Test>::get().unwrap();
		assert_eq!(Nfts::owner(collection, asset), Some(Tokenization::account_id()));
		assert_eq!(
			Nfts::system_attribute(&collection, Some(&asset), b"jurisdiction"),
			Some(b"DE".to_vec())
		);
		assert_eq!(
			Nfts::system_attribute(&collection, Some(&asset), b"document_hash"),
			Some(DOCS.to_vec())
		);
		assert!(Nfts::can_transfer(&collection, &asset));

		let details = Assets::<Test>::get(asset).unwrap();
		assert_eq!(details.issuer, CLINIC);
		assert_eq!(details.category, AssetCategory::Equipment);
		assert_eq!(details.fractions, None);
		assert!(tokenization_events().contains(&Event::AssetRegistered {
			asset,
			issuer: CLINIC,
			category: AssetCategory::Equipment,
			jurisdiction: DE,
			document_hash: DOCS,
		}));
	});
}

#[test]
fn the_second_registration_does_not_pay_for_the_collection_again() {
	build_and_execute(|| {
		register();
		let free_before = Balances::free_balance(CLINIC);
		let second = register();
		assert_eq!(second, 1);
		let deposit = ASSET_DEPOSIT + "ipfs://bafy-xray-unit".len() as Balance;
		assert_eq!(Balances::free_balance(CLINIC), free_before - deposit - NFT_ITEM_DEPOSIT);
	});
}

#[test]
fn registration_with_a_malformed_jurisdiction_is_rejected() {
	build_and_execute(|| {
		assert_noop!(
			Tokenization::register_asset(
				RuntimeOrigin::signed(CLINIC),
				AssetCategory::RealEstate,
				Jurisdiction(*b"de"),
				DOCS,
				uri("x"),
			),
			Error::<Test>::MalformedJurisdiction
		);
	});
}

#[test]
fn registration_without_funds_for_the_deposit_fails_and_changes_nothing() {
	build_and_execute(|| {
		let poor = 77;
		Balances::set_balance(&poor, 20);
		assert_noop!(
			Tokenization::register_asset(
				RuntimeOrigin::signed(poor),
				AssetCategory::Equipment,
				DE,
				DOCS,
				uri("x")
			),
			sp_runtime::TokenError::FundsUnavailable
		);
		assert_eq!(NextAssetId::<Test>::get(), 0);
	});
}

#[test]
fn accreditation_needs_the_admin_origin_and_is_bounded() {
	build_and_execute(|| {
		assert_noop!(
			Tokenization::accredit(RuntimeOrigin::signed(CLINIC), Role::Registrar, REGISTRAR),
			DispatchError::BadOrigin
		);
		assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), Role::Registrar, REGISTRAR));
		assert_noop!(
			Tokenization::accredit(RuntimeOrigin::root(), Role::Registrar, REGISTRAR),
			Error::<Test>::AlreadyAccredited
		);
		for who in 100..104 {
			assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), Role::Registrar, who));
		}
		assert_noop!(
			Tokenization::accredit(RuntimeOrigin::root(), Role::Registrar, 104),
			Error::<Test>::TooManyAccredited
		);
		assert_ok!(Tokenization::revoke_accreditation(RuntimeOrigin::root(), Role::Registrar, 100));
		assert_eq!(AccreditedCount::<Test>::get(Role::Registrar), 4);
		assert_noop!(
			Tokenization::revoke_accreditation(RuntimeOrigin::root(), Role::Registrar, 100),
			Error::<Test>::NotAccredited
		);
	});
}

#[test]
fn only_accredited_registrars_attest_and_only_into_the_future() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		assert_noop!(
			Tokenization::attest_ownership(RuntimeOrigin::signed(VALUER_1), asset, FAR),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, 1),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), 42, FAR),
			Error::<Test>::UnknownAsset
		);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
		assert!(Tokenization::ownership_verified(&Assets::<Test>::get(asset).unwrap()));
	});
}

#[test]
fn unverified_assets_cannot_be_fractionalized() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		value(asset, 10, 20);
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100),
			Error::<Test>::OwnershipNotVerified
		);
	});
}

#[test]
fn an_expired_attestation_no_longer_verifies_ownership() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		value(asset, 10, 20);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, 5));
		System::set_block_number(5);
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100),
			Error::<Test>::OwnershipNotVerified
		);
	});
}

#[test]
fn revoking_the_registrar_voids_its_attestations() {
	build_and_execute(|| {
		let asset = verified_asset();
		assert_ok!(Tokenization::revoke_accreditation(
			RuntimeOrigin::root(),
			Role::Registrar,
			REGISTRAR
		));
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100),
			Error::<Test>::OwnershipNotVerified
		);
	});
}

#[test]
fn updating_documents_clears_the_attestation() {
	build_and_execute(|| {
		let asset = verified_asset();
		assert_noop!(
			Tokenization::update_documents(
				RuntimeOrigin::signed(ALICE),
				asset,
				[9; 32],
				uri("new")
			),
			Error::<Test>::NotIssuer
		);
		assert_ok!(Tokenization::update_documents(
			RuntimeOrigin::signed(CLINIC),
			asset,
			[9; 32],
			uri("new")
		));
		let details = Assets::<Test>::get(asset).unwrap();
		assert_eq!(details.attestation, None);
		assert_eq!(details.deposit, ASSET_DEPOSIT + 3);
		assert_eq!(held(HoldReason::AssetRegistration, CLINIC), ASSET_DEPOSIT + 3);
	});
}

#[test]
fn the_accepted_valuation_is_the_median_of_fresh_valuations_with_a_quorum() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_1), asset, 900));
		assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_2), asset, 1_000));
		assert_eq!(
			Tokenization::accepted_valuation(asset),
			None,
			"two valuations are below the quorum of three"
		);
		assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_3), asset, 5_000));
		assert_eq!(Tokenization::accepted_valuation(asset), Some(1_000));
		// A valuer replaces its own valuation.
		assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_3), asset, 100));
		assert_eq!(Tokenization::accepted_valuation(asset), Some(900));
		assert_eq!(Valuations::<Test>::get(asset).len(), 3);
	});
}

#[test]
fn one_valuer_of_two_cannot_set_the_accepted_value() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_1), asset, 1_000));
		// A colluding second valuer would set the mean of two (≈ 500 M) on its own.
		assert_ok!(Tokenization::submit_valuation(
			RuntimeOrigin::signed(VALUER_2),
			asset,
			1_000_000_000
		));
		assert_eq!(Tokenization::accepted_valuation(asset), None);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 10),
			Error::<Test>::ValuationStale
		);
	});
}

#[test]
fn an_even_count_of_valuations_drops_the_oldest_so_the_median_is_a_submitted_value() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		let valuer_4 = 15;
		assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), Role::Valuer, valuer_4));
		for (block, valuer, value) in [
			(2, VALUER_1, 1_000),
			(3, VALUER_2, 1_100),
			(4, VALUER_3, 1_200),
			(5, valuer_4, 1_000_000_000),
		] {
			System::set_block_number(block);
			assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(valuer), asset, value));
		}
		// The mean of the middle two would be 1_150, a value nobody submitted.
		assert_eq!(Tokenization::accepted_valuation(asset), Some(1_200));
	});
}

#[test]
fn the_runtime_cannot_configure_a_quorum_below_three() {
	build_and_execute(|| {
		use frame_support::traits::Hooks;
		// The mock's quorum (3) passes; a quorum of 2 would fail this check.
		<Tokenization as Hooks<u64>>::integrity_test();
		assert!(<<Test as Config>::ValuationQuorum as Get<u32>>::get() >= 3);
	});
}

#[test]
fn stale_valuations_block_fractionalization() {
	build_and_execute(|| {
		let asset = verified_asset();
		System::set_block_number(1 + VALUATION_MAX_AGE);
		assert_eq!(Tokenization::accepted_valuation(asset), None);
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100),
			Error::<Test>::ValuationStale
		);
		value(asset, 5, 7);
		assert_ok!(Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 100));
	});
}

#[test]
fn valuations_need_an_accredited_valuer_and_an_existing_asset() {
	build_and_execute(|| {
		accredit_all();
		let asset = register();
		assert_noop!(
			Tokenization::submit_valuation(RuntimeOrigin::signed(ALICE), asset, 1),
			Error::<Test>::NotAccredited
		);
		assert_noop!(
			Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_1), 9, 1),
			Error::<Test>::UnknownAsset
		);
	});
}

#[test]
fn fractionalizing_mints_n_fractions_to_the_issuer_and_locks_the_twin() {
	build_and_execute(|| {
		let asset = fractionalized_asset(1_000);
		assert_eq!(fractions_of(asset, CLINIC), 1_000);
		assert_eq!(HolderCount::<Test>::get(asset), 1);
		let collection = TwinCollection::<Test>::get().unwrap();
		assert!(!Nfts::can_transfer(&collection, &asset));
		assert_eq!(
			Nfts::system_attribute(&collection, Some(&asset), b"fractions"),
			Some(codec::Encode::encode(&1_000u128))
		);
		assert!(tokenization_events().contains(&Event::Fractionalized {
			asset,
			fractions: 1_000,
			owner: CLINIC
		}));
	});
}

#[test]
fn zero_fractions_double_fractionalization_and_strangers_are_rejected() {
	build_and_execute(|| {
		let asset = verified_asset();
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 0),
			Error::<Test>::ZeroFractions
		);
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(ALICE), asset, 10),
			Error::<Test>::NotIssuer
		);
		assert_ok!(Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 10));
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, 10),
			Error::<Test>::AlreadyFractionalized
		);
	});
}

#[test]
fn unifying_needs_every_fraction() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			1
		));
		assert_noop!(
			Tokenization::unify(RuntimeOrigin::signed(CLINIC), asset),
			Error::<Test>::NotAllFractions
		);
		assert_noop!(
			Tokenization::unify(RuntimeOrigin::signed(ALICE), asset),
			Error::<Test>::NotAllFractions
		);
	});
}

#[test]
fn unifying_burns_all_fractions_releases_the_twin_and_hands_over_control() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			100
		));
		assert_ok!(Tokenization::unify(RuntimeOrigin::signed(ALICE), asset));
		assert_eq!(fractions_of(asset, ALICE), 0);
		assert_eq!(HolderCount::<Test>::get(asset), 0);
		let details = Assets::<Test>::get(asset).unwrap();
		assert_eq!(details.fractions, None);
		assert_eq!(details.issuer, ALICE);
		assert!(Nfts::can_transfer(&TwinCollection::<Test>::get().unwrap(), &asset));
		assert_noop!(
			Tokenization::unify(RuntimeOrigin::signed(ALICE), asset),
			Error::<Test>::NotFractionalized
		);
		// The new issuer can fractionalize again, once attested and valued anew.
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(ALICE), asset, 7),
			Error::<Test>::OwnershipNotVerified
		);
		assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
		assert_noop!(
			Tokenization::fractionalize(RuntimeOrigin::signed(ALICE), asset, 7),
			Error::<Test>::ValuationStale
		);
		value(asset, 10, 20);
		assert_ok!(Tokenization::fractionalize(RuntimeOrigin::signed(ALICE), asset, 7));
		assert_eq!(fractions_of(asset, ALICE), 7);
	});
}

#[test]
fn retiring_burns_the_twin_and_returns_every_deposit() {
	build_and_execute(|| {
		register();
		let asset = register();
		let free_before = Balances::free_balance(CLINIC);
		let deposit = Assets::<Test>::get(asset).unwrap().deposit;
		assert_noop!(
			Tokenization::retire_asset(RuntimeOrigin::signed(ALICE), asset),
			Error::<Test>::NotIssuer
		);
		assert_ok!(Tokenization::retire_asset(RuntimeOrigin::signed(CLINIC), asset));
		assert_eq!(Balances::free_balance(CLINIC), free_before + deposit + NFT_ITEM_DEPOSIT);
		assert!(Assets::<Test>::get(asset).is_none());
		assert_eq!(Nfts::owner(TwinCollection::<Test>::get().unwrap(), asset), None);
	});
}

#[test]
fn fractionalized_assets_cannot_be_retired() {
	build_and_execute(|| {
		let asset = fractionalized_asset(10);
		assert_noop!(
			Tokenization::retire_asset(RuntimeOrigin::signed(CLINIC), asset),
			Error::<Test>::AlreadyFractionalized
		);
	});
}
