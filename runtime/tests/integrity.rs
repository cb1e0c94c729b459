//! Runtime-wide checks: pallet integrity tests, fee calibration, proxy filters, XCM lock-down,
//! and (with `try-runtime`) every pallet's `try_state` invariants after a few blocks.

mod common;

use btt_runtime::{
	configs::{ProxyType, WeightToFee},
	AllPalletsWithSystem, Runtime, RuntimeCall, RuntimeOrigin, MILLI_UNITS,
};
use frame_support::{
	traits::{InstanceFilter, IntegrityTest},
	weights::{constants::ExtrinsicBaseWeight, WeightToFee as _},
};
use sp_keyring::Sr25519Keyring::{Alice, Bob};

#[test]
fn every_pallet_passes_its_integrity_test() {
	common::dev_genesis().execute_with(|| AllPalletsWithSystem::integrity_test());
}

#[test]
fn base_extrinsic_weight_costs_a_tenth_of_a_milli_btt() {
	let fee = WeightToFee::weight_to_fee(&ExtrinsicBaseWeight::get());
	let target = MILLI_UNITS / 10;
	// The linear coefficient is exact up to Perbill rounding of its fractional part.
	assert!(fee.abs_diff(target) <= target / 1_000_000, "fee {fee} vs {target}");
}

/// One call of every kind a `NonTransfer` proxy must not make.
fn value_moving_calls() -> Vec<(&'static str, RuntimeCall)> {
	use codec::Compact;
	use frame_support::traits::fungible::NativeOrWithId;
	let bob = || Bob.to_account_id();
	let tk = RuntimeCall::Tokenization;
	vec![
		(
			"balances transfer",
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: bob().into(),
				value: 1,
			}),
		),
		(
			"assets transfer",
			RuntimeCall::Assets(pallet_assets::Call::transfer {
				id: Compact(1),
				target: bob().into(),
				amount: 1,
			}),
		),
		(
			"fraction transfer (pallet-assets)",
			RuntimeCall::FractionAssets(pallet_assets::Call::transfer {
				id: Compact(0),
				target: bob().into(),
				amount: 1,
			}),
		),
		(
			"fraction transfer",
			tk(pallet_tokenization::Call::transfer_fractions { asset: 0, to: bob(), amount: 1 }),
		),
		(
			"sell or buy order",
			tk(pallet_tokenization::Call::place_order {
				asset: 0,
				side: pallet_tokenization::OrderSide::Buy,
				amount: 1,
				price: 1,
				currency: NativeOrWithId::Native,
			}),
		),
		("fill an order", tk(pallet_tokenization::Call::take_order { order: 0, amount: 1 })),
		(
			"revenue deposit",
			tk(pallet_tokenization::Call::deposit_revenue {
				asset: 0,
				currency: NativeOrWithId::Native,
				amount: 1,
			}),
		),
		(
			"revenue schedule",
			tk(pallet_tokenization::Call::schedule_revenue {
				asset: 0,
				currency: NativeOrWithId::Native,
				amount: 1,
				period: 1,
				payments: 1,
			}),
		),
		("scheduled payment", tk(pallet_tokenization::Call::pay_scheduled_revenue { schedule: 0 })),
		("fractionalize", tk(pallet_tokenization::Call::fractionalize { asset: 0, fractions: 1 })),
		("unify", tk(pallet_tokenization::Call::unify { asset: 0 })),
		(
			"register an asset",
			tk(pallet_tokenization::Call::register_asset {
				category: pallet_tokenization::AssetCategory::Equipment,
				jurisdiction: pallet_tokenization::Jurisdiction(*b"DE"),
				document_hash: [0; 32],
				document_uri: Default::default(),
			}),
		),
		(
			"nft transfer",
			RuntimeCall::Nfts(pallet_nfts::Call::transfer {
				collection: 0,
				item: 0,
				dest: bob().into(),
			}),
		),
		(
			"swap to the delegate's account",
			RuntimeCall::AssetConversion(
				pallet_asset_conversion::Call::swap_exact_tokens_for_tokens {
					path: vec![
						Box::new(NativeOrWithId::Native),
						Box::new(NativeOrWithId::WithId(1_337)),
					],
					amount_in: 1,
					amount_out_min: 0,
					send_to: bob(),
					keep_alive: true,
				},
			),
		),
		(
			"add liquidity minted to the delegate",
			RuntimeCall::AssetConversion(pallet_asset_conversion::Call::add_liquidity {
				asset1: Box::new(NativeOrWithId::Native),
				asset2: Box::new(NativeOrWithId::WithId(1_337)),
				amount1_desired: 1,
				amount2_desired: 1,
				amount1_min: 0,
				amount2_min: 0,
				mint_to: bob(),
			}),
		),
		(
			"LP token transfer",
			RuntimeCall::PoolAssets(pallet_assets::Call::transfer {
				id: 0,
				target: bob().into(),
				amount: 1,
			}),
		),
		(
			"coded payment to the delegate",
			RuntimeCall::Payfi(pallet_payfi::Call::pay {
				payee: bob(),
				pay_in: NativeOrWithId::Native,
				receive: NativeOrWithId::Native,
				amount: 1,
				max_in: 1,
				code: checkup_code(),
			}),
		),
		("payee deposit", RuntimeCall::Payfi(pallet_payfi::Call::register_payee { slots: 1 })),
		("payee deposit release", RuntimeCall::Payfi(pallet_payfi::Call::unregister_payee {})),
		(
			"escrow to the delegate",
			RuntimeCall::Payfi(pallet_payfi::Call::escrow {
				payee: bob(),
				currency: NativeOrWithId::Native,
				amount: 1,
				conditions: vec![pallet_payfi::Condition::At(10)].try_into().expect("one"),
				refund_at: 20,
				code: checkup_code(),
			}),
		),
		("escrow confirmation", RuntimeCall::Payfi(pallet_payfi::Call::confirm { id: 0 })),
		("escrow dispute deposit", RuntimeCall::Payfi(pallet_payfi::Call::dispute { id: 0 })),
		(
			"split template deposit",
			RuntimeCall::Payfi(pallet_payfi::Call::set_split {
				id: 0,
				shares: vec![pallet_payfi::Share {
					to: pallet_payfi::Recipient::Account(bob()),
					part: sp_runtime::Permill::one(),
				}]
				.try_into()
				.expect("one"),
				remainder_to: 0,
			}),
		),
		(
			"split payment to the delegate",
			RuntimeCall::Payfi(pallet_payfi::Call::pay_split {
				payee: bob(),
				split: 0,
				pay_in: NativeOrWithId::Native,
				receive: NativeOrWithId::Native,
				amount: 1,
				max_in: 1,
				code: checkup_code(),
			}),
		),
		(
			"payment plan to the delegate",
			RuntimeCall::Payfi(pallet_payfi::Call::schedule_payments {
				payee: bob(),
				pay_in: NativeOrWithId::Native,
				receive: NativeOrWithId::Native,
				amount: 1,
				max_in: 1,
				period: 14_400,
				payments: 2,
				code: checkup_code(),
			}),
		),
		("payment plan cancel", RuntimeCall::Payfi(pallet_payfi::Call::cancel_plan { plan: 0 })),
		(
			"tab to the delegate",
			RuntimeCall::Payfi(pallet_payfi::Call::open_tab {
				payee: bob(),
				currency: NativeOrWithId::Native,
				amount: 1,
				expires_at: 20,
				code: checkup_code(),
			}),
		),
		(
			"voucher redemption",
			RuntimeCall::Payfi(pallet_payfi::Call::redeem_voucher {
				voucher: pallet_payfi::Voucher { tab: 0, cumulative: 1, nonce: 1 },
				signature: sp_runtime::MultiSignature::Sr25519(
					sp_core::sr25519::Signature::from_raw([0; 64]),
				),
			}),
		),
		("tab close", RuntimeCall::Payfi(pallet_payfi::Call::close_tab { tab: 0 })),
		("insurer deposit", RuntimeCall::Payfi(pallet_payfi::Call::register_insurer {})),
		(
			"insurer pool funding",
			RuntimeCall::Payfi(pallet_payfi::Call::fund_pool {
				currency: NativeOrWithId::Native,
				amount: 1,
			}),
		),
		(
			"insurer pool withdrawal",
			RuntimeCall::Payfi(pallet_payfi::Call::withdraw_pool {
				currency: NativeOrWithId::Native,
				amount: 1,
			}),
		),
		(
			"claim deposit",
			RuntimeCall::Payfi(pallet_payfi::Call::submit_claim {
				insurer: bob(),
				currency: NativeOrWithId::Native,
				amount: 1,
				code: checkup_code(),
				attachment: None,
			}),
		),
		(
			"claim approval paid from the pool",
			RuntimeCall::Payfi(pallet_payfi::Call::adjudicate {
				claim: 0,
				decision: pallet_payfi::Decision::Approve { amount: 1 },
			}),
		),
		("claim escalation deposit", RuntimeCall::Payfi(pallet_payfi::Call::escalate { claim: 0 })),
		(
			"patient consent deposit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::grant_consent {
				grantee: bob(),
				purpose: pallet_patient_rewards::Purpose::Research,
				expires: None,
			}),
		),
		(
			"patient device deposit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::register_device {
				device: bob(),
				proof: sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(
					[0; 64],
				)),
			}),
		),
		(
			"treatment plan deposit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::record_plan {
				patient: bob(),
				code: btt_primitives::payfi::ProcedureCode::from_number(2740).expect("D2740"),
				stages: 3,
			}),
		),
		(
			"education module deposit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::create_module {
				answer_hashes: Default::default(),
				pass_mark: sp_runtime::Perbill::one(),
				sitting_days: 1,
			}),
		),
		(
			"assessment deposit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::commit_answers {
				module: 0,
				commitment: sp_core::H256::zero(),
			}),
		),
		(
			"rewards redeemed at a merchant",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::redeem_at_merchant {
				merchant: bob(),
				amount: 1,
				code: checkup_code(),
			}),
		),
		(
			"rewards burnt for a benefit",
			RuntimeCall::PatientRewards(pallet_patient_rewards::Call::redeem_benefit {
				benefit: 0,
			}),
		),
		(
			"depin stake",
			RuntimeCall::DepinRegistry(pallet_depin_registry::Call::bond_extra {
				node: bob(),
				amount: 1,
			}),
		),
		(
			"depin unbond",
			RuntimeCall::DepinRegistry(pallet_depin_registry::Call::withdraw_stake { node: bob() }),
		),
		(
			"xcm",
			RuntimeCall::PolkadotXcm(pallet_xcm::Call::claim_assets {
				assets: Box::new(xcm::VersionedAssets::from(xcm::latest::Assets::new())),
				beneficiary: Box::new(xcm::VersionedLocation::from(xcm::latest::Location::here())),
			}),
		),
		(
			"sudo",
			RuntimeCall::Sudo(pallet_sudo::Call::sudo {
				call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
			}),
		),
		(
			"a transfer inside a batch",
			RuntimeCall::Utility(pallet_utility::Call::batch_all {
				calls: vec![RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest: bob().into(),
					value: 1,
				})],
			}),
		),
	]
}

/// What the last `ProxyExecuted` event of the block says.
fn proxy_result() -> Option<Result<(), sp_runtime::DispatchError>> {
	btt_runtime::System::events().into_iter().rev().find_map(|record| match record.event {
		btt_runtime::RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => {
			Some(result)
		},
		_ => None,
	})
}

#[test]
fn non_transfer_proxy_cannot_move_funds() {
	common::dev_genesis().execute_with(|| {
		let (real, delegate) = (Alice.to_account_id(), Bob.to_account_id());
		assert_eq!(
			pallet_proxy::Pallet::<Runtime>::add_proxy(
				RuntimeOrigin::signed(real.clone()),
				delegate.clone().into(),
				ProxyType::NonTransfer,
				0
			),
			Ok(())
		);
		let filtered: sp_runtime::DispatchError =
			frame_system::Error::<Runtime>::CallFiltered.into();
		let free = btt_runtime::Balances::free_balance(&real);
		for (what, call) in value_moving_calls() {
			let batched = matches!(call, RuntimeCall::Utility(..));
			assert_eq!(ProxyType::NonTransfer.filter(&call), batched, "{what}");
			btt_runtime::System::reset_events();
			let outcome = pallet_proxy::Pallet::<Runtime>::proxy(
				RuntimeOrigin::signed(delegate.clone()),
				real.clone().into(),
				None,
				Box::new(call),
			);
			assert_eq!(outcome, Ok(()), "{what}");
			// (A batch passes the proxy filter; its transfer is refused inside it, failing it.)
			assert_eq!(proxy_result(), Some(Err(filtered)), "{what}");
		}
		assert_eq!(btt_runtime::Balances::free_balance(&real), free);

		// Allowed: a remark, and a tokenization call that only pays the real account back (it
		// reaches the pallet, which has nothing to pay).
		btt_runtime::System::reset_events();
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let outcome = pallet_proxy::Pallet::<Runtime>::proxy(
			RuntimeOrigin::signed(delegate.clone()),
			real.clone().into(),
			None,
			Box::new(remark),
		);
		assert_eq!(outcome, Ok(()));
		assert_eq!(proxy_result(), Some(Ok(())));
		btt_runtime::System::reset_events();
		let claim = RuntimeCall::Tokenization(pallet_tokenization::Call::claim_revenue {
			asset: 0,
			currency: frame_support::traits::fungible::NativeOrWithId::Native,
		});
		assert!(ProxyType::NonTransfer.filter(&claim));
		assert_eq!(
			pallet_proxy::Pallet::<Runtime>::proxy(
				RuntimeOrigin::signed(delegate.clone()),
				real.clone().into(),
				None,
				Box::new(claim)
			),
			Ok(())
		);
		assert_eq!(
			proxy_result(),
			Some(Err(pallet_tokenization::Error::<Runtime>::NothingToClaim.into()))
		);

		assert!(ProxyType::Any.is_superset(&ProxyType::NonTransfer));
		assert!(!ProxyType::CancelProxy.is_superset(&ProxyType::NonTransfer));
	});
}

/// Dispatches `call` as Alice, through the call filter like an extrinsic.
fn as_alice(call: pallet_xcm::Call<Runtime>) -> Result<(), sp_runtime::DispatchError> {
	use sp_runtime::traits::Dispatchable;
	RuntimeCall::PolkadotXcm(call)
		.dispatch(RuntimeOrigin::signed(Alice.to_account_id()))
		.map(|_| ())
		.map_err(|e| e.error)
}

#[test]
fn user_initiated_xcm_execution_is_filtered() {
	use sp_runtime::DispatchError::BadOrigin;
	use xcm::{
		latest::prelude::*, VersionedAssetId, VersionedAssets, VersionedLocation, VersionedXcm,
	};
	common::dev_genesis().execute_with(|| {
		let parent = || Box::new(VersionedLocation::from(Location::parent()));
		let beneficiary = || {
			Box::new(VersionedLocation::from(Location::new(
				0,
				[AccountId32 { network: None, id: Bob.to_raw_public() }],
			)))
		};
		let btt = || {
			Box::new(VersionedAssets::from(Assets::from(
				vec![(Here, 1_000_000_000_000u128).into()],
			)))
		};
		let balance = || btt_runtime::Balances::free_balance(Alice.to_account_id());
		let before = balance();

		// No signed origin passes `SendXcmOrigin` or `ExecuteXcmOrigin`.
		assert_eq!(
			as_alice(pallet_xcm::Call::send {
				dest: parent(),
				message: Box::new(VersionedXcm::from(Xcm::<()>(vec![ClearOrigin]))),
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::execute {
				message: Box::new(VersionedXcm::from(Xcm::<RuntimeCall>(vec![ClearOrigin]))),
				max_weight: frame_support::weights::Weight::MAX,
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::teleport_assets {
				dest: parent(),
				beneficiary: beneficiary(),
				assets: btt(),
				fee_asset_item: 0
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::limited_teleport_assets {
				dest: parent(),
				beneficiary: beneficiary(),
				assets: btt(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::reserve_transfer_assets {
				dest: parent(),
				beneficiary: beneficiary(),
				assets: btt(),
				fee_asset_item: 0
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::limited_reserve_transfer_assets {
				dest: parent(),
				beneficiary: beneficiary(),
				assets: btt(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::transfer_assets {
				dest: parent(),
				beneficiary: beneficiary(),
				assets: btt(),
				fee_asset_item: 0,
				weight_limit: Unlimited,
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::transfer_assets_using_type_and_then {
				dest: parent(),
				assets: btt(),
				assets_transfer_type: Box::new(xcm_executor::traits::TransferType::LocalReserve),
				remote_fees_id: Box::new(VersionedAssetId::from(AssetId(Location::here()))),
				fees_transfer_type: Box::new(xcm_executor::traits::TransferType::LocalReserve),
				custom_xcm_on_dest: Box::new(VersionedXcm::from(Xcm::<()>(vec![]))),
				weight_limit: Unlimited,
			}),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::claim_assets { assets: btt(), beneficiary: beneficiary() }),
			Err(BadOrigin)
		);
		// Aliases would hold a deposit for an origin nobody can use.
		assert_eq!(
			as_alice(pallet_xcm::Call::add_authorized_alias { aliaser: parent(), expires: None }),
			Err(BadOrigin)
		);
		assert_eq!(
			as_alice(pallet_xcm::Call::remove_authorized_alias { aliaser: parent() }),
			Err(BadOrigin)
		);
		assert_eq!(as_alice(pallet_xcm::Call::remove_all_authorized_aliases {}), Err(BadOrigin));
		assert_eq!(balance(), before, "nothing was charged or moved");
	});
}

#[test]
fn the_barrier_refuses_local_claims_of_trapped_assets() {
	use btt_runtime::configs::xcm_config::XcmConfig;
	use frame_support::weights::Weight;
	use xcm::latest::prelude::*;
	use xcm_executor::XcmExecutor;
	common::dev_genesis().execute_with(|| {
		let alice = Location::new(0, [AccountId32 { network: None, id: Alice.to_raw_public() }]);
		let claim = || {
			Xcm::<RuntimeCall>(vec![
				UnpaidExecution { weight_limit: Unlimited, check_origin: None },
				ClaimAsset {
					assets: vec![(Here, 1_000_000_000_000u128).into()].into(),
					ticket: Here.into(),
				},
				DepositAsset { assets: All.into(), beneficiary: alice.clone() },
			])
		};
		let execute = |origin: Location| {
			XcmExecutor::<XcmConfig>::prepare_and_execute(
				origin,
				claim(),
				&mut [0u8; 32],
				Weight::MAX,
				Weight::zero(),
			)
		};

		// From a local account: refused before execution.
		let local = execute(alice.clone());
		assert!(
			matches!(local, Outcome::Incomplete { ref error, .. }
				if error.index == 0 && error.error == XcmError::Barrier),
			"{local:?}"
		);
		// The same claim from the relay chain passes the barrier and fails on the missing trap.
		let relay = execute(Location::parent());
		assert!(
			matches!(relay, Outcome::Incomplete { ref error, .. }
				if error.index == 1 && error.error == XcmError::UnknownClaim),
			"{relay:?}"
		);
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn try_state_of_every_pallet_holds_after_blocks_with_transfers() {
	use btt_runtime::{genesis_config_presets::DEV_ENDOWMENT, Balances};
	use frame_support::traits::{TryState, TryStateSelect};
	use sp_keyring::Sr25519Keyring::Charlie;

	common::dev_genesis().execute_with(|| {
		// Long enough to cross several relay slots.
		const LAST: u32 = 12;
		for block in 2..LAST {
			common::run_to_block(block);
			let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: Charlie.to_account_id().into(),
				value: btt_runtime::UNITS,
			});
			assert!(common::apply(common::signed_extrinsic(Alice, call, 0)).is_ok());
		}
		common::run_to_block(LAST);
		assert_eq!(btt_runtime::System::block_number(), LAST);
		assert_eq!(btt_runtime::Timestamp::get(), u64::from(LAST) * btt_runtime::SLOT_DURATION);
		let transfers_received = Balances::free_balance(Charlie.to_account_id()) - DEV_ENDOWMENT;
		assert_eq!(transfers_received, u128::from(LAST - 2) * btt_runtime::UNITS);
		AllPalletsWithSystem::try_state(LAST, TryStateSelect::All).expect("every invariant holds");
	});
}

/// With the generated weights, the XCM calls no origin may use are never included in a block
/// (their weight is `Weight::MAX`), and the governance calls cost what they were measured at.
#[test]
fn unusable_xcm_calls_cannot_enter_a_block_and_governance_calls_are_weighed() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
	use xcm::{latest::prelude::*, VersionedAssets, VersionedLocation};
	common::dev_genesis().execute_with(|| {
		let claim = RuntimeCall::PolkadotXcm(pallet_xcm::Call::claim_assets {
			assets: Box::new(VersionedAssets::from(Assets::from(vec![(Here, 1u128).into()]))),
			beneficiary: Box::new(VersionedLocation::from(Location::here())),
		});
		assert_eq!(
			btt_runtime::Executive::apply_extrinsic(common::signed_extrinsic(Alice, claim, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources))
		);
		let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		let force = RuntimeCall::PolkadotXcm(pallet_xcm::Call::force_subscribe_version_notify {
			location: Box::new(VersionedLocation::from(Location::parent())),
		});
		let weight = force.get_dispatch_info().call_weight;
		assert!(weight.ref_time() > 0 && weight.all_lt(block / 100), "{weight:?}");
	});
}

/// Every generated weight of BTT's own pallets, at its largest components, fits one normal
/// extrinsic in time and in proof size. The benchmark CLI's regression can wrap a negative
/// proof-size intercept to about 2^63 bytes, which makes the call impossible to include
/// (`ExhaustsResources`): `set_accepted_currencies` shipped that way once.
#[test]
fn every_generated_weight_of_btt_s_pallets_fits_one_extrinsic() {
	use frame_support::{traits::Get, weights::Weight};
	use pallet_depin_registry::WeightInfo as _;
	use pallet_patient_rewards::WeightInfo as _;
	use pallet_payfi::WeightInfo as _;
	use pallet_tokenization::WeightInfo as _;
	use pallet_validator_scoring::WeightInfo as _;
	type Vs = <Runtime as pallet_validator_scoring::Config>::WeightInfo;
	type Tk = <Runtime as pallet_tokenization::Config>::WeightInfo;
	type Dp = <Runtime as pallet_depin_registry::Config>::WeightInfo;
	type Pf = <Runtime as pallet_payfi::Config>::WeightInfo;
	type Pr = <Runtime as pallet_patient_rewards::Config>::WeightInfo;
	let q = pallet_patient_rewards::MAX_QUESTIONS;
	let h: u32 = <Runtime as pallet_tokenization::Config>::MaxHolders::get();
	let o: u32 = <Runtime as pallet_tokenization::Config>::MaxOrdersPerAsset::get();
	let pc: u32 = <Runtime as pallet_tokenization::Config>::MaxPaymentCurrencies::get();
	let rc: u32 = <Runtime as pallet_tokenization::Config>::MaxRevenueCurrencies::get();
	let k: u32 = <Runtime as pallet_depin_registry::Config>::MaxAssignees::get();
	let n: u32 = <Runtime as pallet_depin_registry::Config>::MaxNodes::get();
	let weights: Vec<(&str, Weight)> = vec![
		("tokenization::accredit", Tk::accredit()),
		("tokenization::revoke_accreditation", Tk::revoke_accreditation()),
		("tokenization::register_asset", Tk::register_asset()),
		("tokenization::update_documents", Tk::update_documents()),
		("tokenization::attest_ownership", Tk::attest_ownership()),
		("tokenization::revoke_attestation", Tk::revoke_attestation()),
		("tokenization::submit_valuation", Tk::submit_valuation()),
		("tokenization::fractionalize", Tk::fractionalize()),
		("tokenization::unify", Tk::unify(o)),
		("tokenization::retire_asset", Tk::retire_asset()),
		("tokenization::set_rules", Tk::set_rules()),
		("tokenization::issue_claim", Tk::issue_claim()),
		("tokenization::revoke_claim", Tk::revoke_claim()),
		("tokenization::transfer_fractions", Tk::transfer_fractions(h)),
		("tokenization::deposit_revenue", Tk::deposit_revenue(h)),
		("tokenization::claim_revenue", Tk::claim_revenue(h)),
		("tokenization::schedule_revenue", Tk::schedule_revenue()),
		("tokenization::pay_scheduled_revenue", Tk::pay_scheduled_revenue()),
		("tokenization::cancel_revenue_schedule", Tk::cancel_revenue_schedule()),
		("tokenization::set_payment_currencies", Tk::set_payment_currencies(pc)),
		("tokenization::set_accepted_currencies", Tk::set_accepted_currencies(rc)),
		("tokenization::place_order", Tk::place_order()),
		("tokenization::take_order", Tk::take_order(h)),
		("tokenization::cancel_order", Tk::cancel_order()),
		("tokenization::state_size_control", Tk::state_size_control(h)),
		("depin::register_node", Dp::register_node()),
		("depin::update_node", Dp::update_node()),
		("depin::bond_extra", Dp::bond_extra()),
		("depin::heartbeat", Dp::heartbeat()),
		("depin::deregister_node", Dp::deregister_node()),
		("depin::withdraw_stake", Dp::withdraw_stake()),
		("depin::register_model", Dp::register_model()),
		("depin::retire_model", Dp::retire_model()),
		("depin::set_confidence_weights", Dp::set_confidence_weights()),
		("depin::post_task", Dp::post_task(n)),
		("depin::commit_result", Dp::commit_result(k)),
		("depin::reveal_result", Dp::reveal_result(k)),
		("depin::reveal_pending", Dp::reveal_pending(k)),
		("depin::expire_deadline", Dp::expire_deadline(k)),
		("depin::set_fee_currency", Dp::set_fee_currency()),
		("depin::add_auditor", Dp::add_auditor()),
		("depin::remove_auditor", Dp::remove_auditor()),
		("depin::reveal_challenge", Dp::reveal_challenge(k)),
		("depin::remove_result", Dp::remove_result()),
		("depin::draw_spot_check", Dp::draw_spot_check(n)),
		("payfi::register_payee", Pf::register_payee()),
		("payfi::unregister_payee", Pf::unregister_payee()),
		("payfi::pay_direct", Pf::pay_direct()),
		("payfi::pay_one_pool", Pf::pay_one_pool()),
		("payfi::pay_two_pools", Pf::pay_two_pools()),
		("payfi::remove_records", Pf::remove_records(64)),
		("payfi::set_receivable_currencies", Pf::set_receivable_currencies()),
		("payfi::set_procedure_list", Pf::set_procedure_list()),
		("payfi::escrow", Pf::escrow()),
		("payfi::confirm", Pf::confirm()),
		("payfi::settle_escrow", Pf::settle_escrow()),
		("payfi::dispute", Pf::dispute()),
		("payfi::resolve_dispute", Pf::resolve_dispute()),
		("payfi::on_task_verified", Pf::on_task_verified()),
		("payfi::set_split", Pf::set_split()),
		("payfi::remove_split", Pf::remove_split()),
		("payfi::distribute", Pf::distribute(8)),
		("payfi::schedule_payments", Pf::schedule_payments()),
		("payfi::cancel_plan", Pf::cancel_plan()),
		("payfi::pay_scheduled", Pf::pay_scheduled()),
		("payfi::open_tab", Pf::open_tab()),
		("payfi::redeem_voucher", Pf::redeem_voucher()),
		("payfi::close_tab", Pf::close_tab()),
		("payfi::register_insurer", Pf::register_insurer()),
		("payfi::unregister_insurer", Pf::unregister_insurer()),
		("payfi::fund_pool", Pf::fund_pool()),
		("payfi::withdraw_pool", Pf::withdraw_pool()),
		("payfi::submit_claim", Pf::submit_claim()),
		("payfi::adjudicate", Pf::adjudicate()),
		("payfi::escalate", Pf::escalate()),
		("payfi::resolve_claim", Pf::resolve_claim()),
		("payfi::withdraw_claim", Pf::withdraw_claim()),
		("patient_rewards::set_category", Pr::set_category()),
		("patient_rewards::set_budget", Pr::set_budget()),
		("patient_rewards::register_provider", Pr::register_provider()),
		("patient_rewards::remove_provider", Pr::remove_provider()),
		("patient_rewards::grant_consent", Pr::grant_consent()),
		("patient_rewards::revoke_consent", Pr::revoke_consent()),
		("patient_rewards::register_device", Pr::register_device()),
		("patient_rewards::remove_device", Pr::remove_device()),
		("patient_rewards::submit_hygiene", Pr::submit_hygiene()),
		("patient_rewards::confirm_checkup", Pr::confirm_checkup()),
		("patient_rewards::set_adjustment", Pr::set_adjustment()),
		("patient_rewards::claim", Pr::claim()),
		("patient_rewards::leave", Pr::leave()),
		("patient_rewards::record_plan", Pr::record_plan()),
		("patient_rewards::confirm_stage", Pr::confirm_stage()),
		("patient_rewards::cancel_plan", <Pr as pallet_patient_rewards::WeightInfo>::cancel_plan()),
		("patient_rewards::name_referrer", Pr::name_referrer()),
		("patient_rewards::register_author", Pr::register_author()),
		("patient_rewards::remove_author", Pr::remove_author()),
		("patient_rewards::create_module", Pr::create_module(q)),
		("patient_rewards::commit_answers", Pr::commit_answers()),
		("patient_rewards::reveal_key", Pr::reveal_key(q)),
		("patient_rewards::reveal_answers", Pr::reveal_answers(q)),
		("patient_rewards::withdraw_attempt", Pr::withdraw_attempt()),
		("patient_rewards::retire_module", Pr::retire_module()),
		(
			"patient_rewards::on_task_verified",
			<Pr as pallet_patient_rewards::WeightInfo>::on_task_verified(),
		),
		("patient_rewards::register_merchant", Pr::register_merchant()),
		("patient_rewards::remove_merchant", Pr::remove_merchant()),
		("patient_rewards::list_benefit", Pr::list_benefit()),
		("patient_rewards::delist_benefit", Pr::delist_benefit()),
		("patient_rewards::redeem_at_merchant", Pr::redeem_at_merchant()),
		("patient_rewards::redeem_benefit", Pr::redeem_benefit()),
		("validator_scoring::rate", Vs::rate()),
		("validator_scoring::clear_rating", Vs::clear_rating()),
		("validator_scoring::set_weights", Vs::set_weights()),
		(
			"validator_scoring::set_invulnerables",
			Vs::set_invulnerables(
				<Runtime as pallet_validator_scoring::Config>::MaxInvulnerables::get(),
			),
		),
	];
	let max = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_extrinsic
		.expect("a limit for normal extrinsics");
	let too_heavy: Vec<_> = weights.iter().filter(|(_, weight)| !weight.all_lte(max)).collect();
	assert!(too_heavy.is_empty(), "over {max}: {too_heavy:?}");
}

/// A valid billing code for the PayFi rows of the proxy test.
fn checkup_code() -> btt_primitives::payfi::BillingCode<btt_runtime::AccountId> {
	btt_primitives::payfi::BillingCode::from_text(
		&[b"D0120"],
		&[],
		Default::default(),
		0,
		Default::default(),
		None,
	)
	.expect("a valid code")
}

/// The weights of the collator rotation's parts at the runtime's limits: the election of
/// `MAX_COLLATORS` seats among as many candidates and `MAX_NOMINATORS` nominators, and a
/// session's end with every collator unresponsive and reported to staking with its share of
/// the exposed nominators (`MAX_NOMINATORS` × 16 nominations over `MAX_COLLATORS` collators:
/// 164 each). The rotation runs in pallet-session's hook.
fn rotation_parts() -> [(&'static str, frame_support::weights::Weight); 3] {
	use pallet_validator_scoring::WeightInfo as _;
	type Vs = <Runtime as pallet_validator_scoring::Config>::WeightInfo;
	let c = btt_runtime::configs::MAX_COLLATORS;
	let v = btt_runtime::configs::MAX_NOMINATORS;
	let nominations =
		<pallet_staking::MaxNominationsOf<Runtime> as frame_support::traits::Get<u32>>::get();
	let exposed = (v * nominations).div_ceil(c);
	assert_eq!(exposed, 164);
	let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let parts = [
		("elect(100, 1024)", Vs::elect(c, v)),
		("close_session(100, 164)", Vs::close_session(c, exposed)),
		("note_slot(99)", Vs::note_slot(c - 1)),
	];
	for (what, weight) in parts {
		println!(
			"{what}: {:.1} ms ({:.2} of the block), proof {} bytes ({:.2} of the block)",
			weight.ref_time() as f64 / 1e9,
			weight.ref_time() as f64 / block.ref_time() as f64,
			weight.proof_size(),
			weight.proof_size() as f64 / block.proof_size() as f64
		);
	}
	parts
}

/// The largest election and the per-block slot tally fit one block, in time and in proof.
#[test]
fn the_largest_election_fits_one_block() {
	let [(_, elect), _, (_, note_slot)] = rotation_parts();
	let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let election = elect.saturating_add(note_slot);
	assert!(election.all_lte(block), "the election {election} exceeds the block {block}");
}

/// The heaviest reachable session end fits one block. It does not yet: with the generated
/// weights, reporting 100 unresponsive collators with 164 exposed nominators each costs about
/// 5.5 blocks of weight (staking's `on_offence` reads and writes three slashing records per
/// nominator at RocksDB prices), docs/performance.md "Validator scoring". Issue #21 keeps this
/// open until offence reports are bounded per session end.
#[test]
#[ignore = "issue #21: the worst session end exceeds a block; bound the offence reports per session"]
fn the_heaviest_session_end_fits_one_block() {
	let [(_, elect), (_, close), (_, note_slot)] = rotation_parts();
	let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let rotation = elect.saturating_add(close).saturating_add(note_slot);
	assert!(rotation.all_lte(block), "the rotation {rotation} exceeds the block {block}");
}
