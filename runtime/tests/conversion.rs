//! Currency conversion on the real runtime: the development chain's dUSD and its BTT pool,
//! fees paid in dUSD by an account holding no BTT at all, and what cannot be pooled or pay a
//! fee (fractions of tokenized assets, an asset without a pool).

mod common;

use btt_runtime::{
	configs::{NativeAndAssets, PoolSetupFee, TreasuryAccount},
	genesis_config_presets::{
		DEV_POOL_BTT, DEV_POOL_USD, DEV_USD, DEV_USD_DECIMALS, DEV_USD_ENDOWMENT,
		DEV_USD_MIN_BALANCE, DEV_USD_UNIT,
	},
	AccountId, AssetConversion, Assets, Balance, Balances, FractionAssets, Runtime, RuntimeCall,
	RuntimeEvent, System, UNITS,
};
use codec::Compact;
use frame_support::traits::{
	fungible::{self, NativeOrWithId},
	fungibles::{self, metadata::Inspect as MetadataInspect, Create, Mutate},
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, One, Two};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

const DUSD: NativeOrWithId<u32> = NativeOrWithId::WithId(DEV_USD);

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

fn usd(who: &AccountId) -> Balance {
	<Assets as fungibles::Inspect<_>>::balance(DEV_USD, who)
}

fn btt(who: &AccountId) -> Balance {
	<Balances as fungible::Inspect<_>>::balance(who)
}

fn send_usd(to: &AccountId, amount: Balance) -> RuntimeCall {
	RuntimeCall::Assets(pallet_assets::Call::transfer_keep_alive {
		id: Compact(DEV_USD),
		target: to.clone().into(),
		amount,
	})
}

/// The development genesis with `One` (not a well-known account: no BTT) given 20 dUSD by
/// Alice.
fn with_a_patient_holding_only_dusd(test: impl FnOnce(AccountId)) {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		let patient = One.to_account_id();
		assert_eq!(
			common::apply(common::signed_extrinsic(
				Alice,
				send_usd(&patient, 20 * DEV_USD_UNIT),
				0
			)),
			Ok(())
		);
		assert_eq!((btt(&patient), usd(&patient)), (0, 20 * DEV_USD_UNIT));
		assert!(System::account_exists(&patient), "a sufficient asset keeps the account");
		test(patient);
		common::check_every_invariant();
	});
}

#[test]
fn the_development_chain_has_dusd_with_metadata_funded_accounts_and_a_btt_pool() {
	common::dev_genesis().execute_with(|| {
		assert!(<Assets as fungibles::Inspect<_>>::asset_exists(DEV_USD));
		assert_eq!(<Assets as MetadataInspect<_>>::symbol(DEV_USD), b"dUSD".to_vec());
		assert_eq!(<Assets as MetadataInspect<_>>::decimals(DEV_USD), DEV_USD_DECIMALS);
		assert_eq!(
			<Assets as fungibles::Inspect<_>>::minimum_balance(DEV_USD),
			DEV_USD_MIN_BALANCE
		);
		let asset = pallet_assets::Asset::<Runtime>::get(DEV_USD).expect("dUSD");
		assert!(asset.is_sufficient, "an account holding only dUSD exists");
		for who in [Bob, Charlie] {
			assert_eq!(usd(&who.to_account_id()), DEV_USD_ENDOWMENT);
		}
		// Alice gave the pool its liquidity.
		assert_eq!(usd(&Alice.to_account_id()), DEV_USD_ENDOWMENT - DEV_POOL_USD);
		assert_eq!(
			AssetConversion::get_reserves(NativeOrWithId::Native, DUSD).ok(),
			Some((DEV_POOL_BTT, DEV_POOL_USD))
		);
		// 1 BTT buys just under 1 dUSD (the 0.3 % LP fee and the price impact).
		let quote = AssetConversion::quote_price_exact_tokens_for_tokens(
			NativeOrWithId::Native,
			DUSD,
			UNITS,
			true,
		)
		.expect("a quote");
		assert!(quote < DEV_USD_UNIT && quote > DEV_USD_UNIT * 99 / 100, "{quote}");
	});
}

#[test]
fn an_account_holding_only_dusd_pays_its_fee_in_dusd() {
	with_a_patient_holding_only_dusd(|patient| {
		let pot = pallet_authorship::Pallet::<Runtime>::author().expect("the block has an author");
		assert_eq!(pot, Alice.to_account_id(), "the development chain's only collator");
		let (pot_before, reserves_before) =
			(btt(&pot), AssetConversion::get_reserves(NativeOrWithId::Native, DUSD).unwrap());
		let treasury_before = btt(&TreasuryAccount::get());
		let bob = Bob.to_account_id();
		let bob_before = usd(&bob);

		let call = send_usd(&bob, 5 * DEV_USD_UNIT);
		let outcome = common::apply(common::signed_extrinsic_paying_in(One, call, 0, Some(DUSD)));

		assert_eq!(outcome, Ok(()));
		assert_eq!(usd(&bob), bob_before + 5 * DEV_USD_UNIT);
		assert_eq!(btt(&patient), 0, "no BTT was ever needed");
		let fee_in_usd = 15 * DEV_USD_UNIT - usd(&patient);
		assert!(fee_in_usd > 0 && fee_in_usd < DEV_USD_UNIT / 100, "fee {fee_in_usd}");
		let paid = events().into_iter().find_map(|event| match event {
			RuntimeEvent::AssetTxPayment(
				pallet_asset_conversion_tx_payment::Event::AssetTxFeePaid {
					who,
					actual_fee,
					asset_id,
					..
				},
			) => Some((who, actual_fee, asset_id)),
			_ => None,
		});
		assert_eq!(paid, Some((patient, fee_in_usd, DUSD)));
		// The fee reached the treasury (80 %) and the block's author in BTT, through the pool.
		let to_treasury = btt(&TreasuryAccount::get()) - treasury_before;
		let fee_in_btt = btt(&pot) - pot_before + to_treasury;
		assert!(fee_in_btt > 0);
		assert_eq!(to_treasury, btt_runtime::configs::TREASURY_FEE_SHARE.mul_floor(fee_in_btt));
		let reserves = AssetConversion::get_reserves(NativeOrWithId::Native, DUSD).unwrap();
		assert_eq!(reserves, (reserves_before.0 - fee_in_btt, reserves_before.1 + fee_in_usd));
	});
}

#[test]
fn a_fee_asset_without_a_pool_is_refused_as_a_payment_failure() {
	with_a_patient_holding_only_dusd(|patient| {
		// A sufficient asset the patient holds, with no BTT pool.
		const UNPOOLED: u32 = 4_242;
		assert!(<Assets as Create<_>>::create(UNPOOLED, Alice.to_account_id(), true, 1).is_ok());
		assert!(<Assets as Mutate<_>>::mint_into(UNPOOLED, &patient, 1_000_000).is_ok());
		let before =
			(usd(&patient), <Assets as fungibles::Inspect<_>>::balance(UNPOOLED, &patient));

		let xt = common::signed_extrinsic_paying_in(
			One,
			send_usd(&Bob.to_account_id(), DEV_USD_UNIT),
			0,
			Some(NativeOrWithId::WithId(UNPOOLED)),
		);
		assert_eq!(
			btt_runtime::Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_eq!(
			(usd(&patient), <Assets as fungibles::Inspect<_>>::balance(UNPOOLED, &patient)),
			before,
			"nothing moved"
		);
	});
}

#[test]
fn a_fee_larger_than_the_dusd_held_above_its_minimum_is_refused() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		// `Two` holds the minimum balance and 10 micro-dUSD: less than any fee (the base
		// extrinsic alone costs 0.0001 BTT ≈ 100 micro-dUSD), and the minimum must stay.
		let poor = Two.to_account_id();
		let funding = send_usd(&poor, DEV_USD_MIN_BALANCE + 10);
		assert_eq!(common::apply(common::signed_extrinsic(Alice, funding, 0)), Ok(()));
		let xt = common::signed_extrinsic_paying_in(
			Two,
			send_usd(&Bob.to_account_id(), 1),
			0,
			Some(DUSD),
		);
		assert_eq!(
			btt_runtime::Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_eq!(usd(&poor), DEV_USD_MIN_BALANCE + 10, "nothing moved");
	});
}

#[test]
fn fractions_of_tokenized_assets_can_neither_be_pooled_nor_seen_as_currencies() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		// Fractions with id 7 held by Bob; no payment asset has id 7.
		const FRACTIONS: u32 = 7;
		let bob = Bob.to_account_id();
		assert!(<FractionAssets as Create<_>>::create(FRACTIONS, bob.clone(), false, 1).is_ok());
		assert!(<FractionAssets as Mutate<_>>::mint_into(FRACTIONS, &bob, 1_000).is_ok());
		assert_eq!(<FractionAssets as fungibles::Inspect<_>>::balance(FRACTIONS, &bob), 1_000);
		// The currencies of pools and fees (`NativeAndAssets`) name pallet-assets' asset 7,
		// which does not exist: the fractions are not reachable through them.
		let currency = NativeOrWithId::WithId(FRACTIONS);
		assert_eq!(<NativeAndAssets as fungibles::Inspect<_>>::balance(currency.clone(), &bob), 0);
		assert!(!<NativeAndAssets as fungibles::Inspect<_>>::asset_exists(currency.clone()));
		let outcome = common::apply(common::signed_extrinsic(
			Bob,
			RuntimeCall::AssetConversion(pallet_asset_conversion::Call::create_pool {
				asset1: Box::new(NativeOrWithId::Native),
				asset2: Box::new(currency),
			}),
			0,
		));
		assert!(outcome.is_err(), "{outcome:?}");
		assert_eq!(<FractionAssets as fungibles::Inspect<_>>::balance(FRACTIONS, &bob), 1_000);
	});
}

#[test]
fn creating_a_pool_pays_the_setup_fee_to_the_treasury_and_needs_btt_on_one_side() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		const NEW: u32 = 5_555;
		let charlie = Charlie.to_account_id();
		assert!(<Assets as Create<_>>::create(NEW, charlie.clone(), true, 1).is_ok());
		let treasury = TreasuryAccount::get();
		let before = btt(&treasury);
		let create = |asset1, asset2| {
			RuntimeCall::AssetConversion(pallet_asset_conversion::Call::create_pool {
				asset1: Box::new(asset1),
				asset2: Box::new(asset2),
			})
		};
		// A pool of two assets, without BTT, is refused: the treasury receives only its share
		// of the transaction fee.
		let outcome = common::apply(common::signed_extrinsic(
			Charlie,
			create(NativeOrWithId::WithId(NEW), DUSD),
			0,
		));
		assert_eq!(
			outcome,
			Err(pallet_asset_conversion::Error::<Runtime>::InvalidAssetPair.into())
		);
		assert_eq!(btt(&treasury), before + treasury_fee_shares());
		let outcome = common::apply(common::signed_extrinsic(
			Charlie,
			create(NativeOrWithId::Native, NativeOrWithId::WithId(NEW)),
			0,
		));
		assert_eq!(outcome, Ok(()));
		assert_eq!(btt(&treasury), before + treasury_fee_shares() + PoolSetupFee::get());
		// One pool per pair.
		let outcome = common::apply(common::signed_extrinsic(
			Charlie,
			create(NativeOrWithId::Native, NativeOrWithId::WithId(NEW)),
			0,
		));
		assert_eq!(outcome, Err(pallet_asset_conversion::Error::<Runtime>::PoolExists.into()));
	});
}

/// The treasury's share of every BTT fee paid in this block (`TREASURY_FEE_SHARE` of each
/// fee without its tip).
fn treasury_fee_shares() -> Balance {
	events()
		.into_iter()
		.filter_map(|event| match event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, tip, .. },
			) => Some(btt_runtime::configs::TREASURY_FEE_SHARE.mul_floor(actual_fee - tip)),
			_ => None,
		})
		.sum()
}

#[test]
fn the_conversion_runtime_api_quotes_the_pool() {
	use pallet_asset_conversion::runtime_decl_for_asset_conversion_api::AssetConversionApiV1;
	common::dev_genesis().execute_with(|| {
		let direct = AssetConversion::quote_price_tokens_for_exact_tokens(
			DUSD,
			NativeOrWithId::Native,
			UNITS,
			true,
		);
		assert_eq!(
			<Runtime as AssetConversionApiV1<_, _, _>>::quote_price_tokens_for_exact_tokens(
				DUSD,
				NativeOrWithId::Native,
				UNITS,
				true
			),
			direct
		);
		assert!(direct.is_some_and(|usd| usd > DEV_USD_UNIT), "{direct:?}");
		assert_eq!(
			<Runtime as AssetConversionApiV1<_, _, _>>::get_reserves(NativeOrWithId::Native, DUSD),
			Some((DEV_POOL_BTT, DEV_POOL_USD))
		);
	});
}
