//! Tokenization on the real runtime: the whole lifecycle through signed extrinsics, and proof
//! that no path but the tokenization pallet moves fractions: pallet-assets calls on the
//! fractions instance, `utility` batches, `proxy`, `multisig`, `sudo_as`, and the fungibles
//! adapters other pallets use.

mod common;

use btt_runtime::{
	configs::{NativeAndAssets, ProxyType},
	Balance, FractionAssets, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	Tokenization, UNITS,
};
use codec::Compact;
use frame_support::traits::{fungible::NativeOrWithId, fungibles::Inspect};
use pallet_tokenization::{
	runtime_api::runtime_decl_for_tokenization_api::TokenizationApiV1, AssetCategory, ClaimTopic,
	Jurisdiction, OrderSide, Role, TransferRejection,
};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::DispatchError;

const CLINIC: Sr25519Keyring = Charlie;
const INVESTOR: Sr25519Keyring = Dave;
/// An investor without KYC: refused on every path.
const MALLORY: Sr25519Keyring = Eve;
const REGISTRAR: Sr25519Keyring = Ferdie;
const ASSET: u32 = 0;
const FRACTIONS: Balance = 1_000;

fn filtered() -> DispatchError {
	frame_system::Error::<Runtime>::CallFiltered.into()
}

fn signed(who: Sr25519Keyring, call: RuntimeCall) -> sp_runtime::DispatchOutcome {
	common::apply(common::signed_extrinsic(who, call, 0))
}

fn sudo(call: RuntimeCall) {
	let outcome =
		signed(Alice, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }));
	assert_eq!(outcome, Ok(()));
	assert!(
		events().iter().any(|e| matches!(
			e,
			RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(()) })
		)),
		"{:?}",
		events()
	);
}

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|r| r.event).collect()
}

fn tk(call: pallet_tokenization::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Tokenization(call)
}

fn fractions_of(who: Sr25519Keyring) -> Balance {
	Tokenization::fractions_of(ASSET, &who.to_account_id()).0
}

fn fraction_transfer(to: Sr25519Keyring, amount: Balance) -> RuntimeCall {
	RuntimeCall::FractionAssets(pallet_assets::Call::transfer {
		id: Compact(ASSET),
		target: to.to_account_id().into(),
		amount,
	})
}

/// The clinic's X-ray unit, registered, attested, valued and fractionalized; the investor has
/// KYC and holds 100 fractions; the fractions rules are the defaults (KYC required).
fn fractionalized_asset() {
	common::run_to_block(2);
	for (role, who) in [
		(Role::Registrar, REGISTRAR),
		(Role::Valuer, Alice),
		(Role::Valuer, Bob),
		(Role::Valuer, REGISTRAR),
		(Role::ClaimIssuer, REGISTRAR),
	] {
		sudo(tk(pallet_tokenization::Call::accredit { role, who: who.to_account_id() }));
	}
	assert_eq!(
		signed(
			CLINIC,
			tk(pallet_tokenization::Call::register_asset {
				category: AssetCategory::Equipment,
				jurisdiction: Jurisdiction(*b"DE"),
				document_hash: [7; 32],
				document_uri: b"ipfs://bafy-xray-unit".to_vec().try_into().unwrap(),
			})
		),
		Ok(())
	);
	let far = 1_000_000;
	assert_eq!(
		signed(
			REGISTRAR,
			tk(pallet_tokenization::Call::attest_ownership { asset: ASSET, expires_at: far })
		),
		Ok(())
	);
	for (valuer, value) in [(Alice, 25_000_000), (Bob, 26_000_000), (REGISTRAR, 25_500_000)] {
		assert_eq!(
			signed(
				valuer,
				tk(pallet_tokenization::Call::submit_valuation {
					asset: ASSET,
					value_usd_cents: value
				})
			),
			Ok(())
		);
	}
	assert_eq!(
		signed(
			CLINIC,
			tk(pallet_tokenization::Call::fractionalize { asset: ASSET, fractions: FRACTIONS })
		),
		Ok(())
	);
	assert_eq!(
		signed(
			REGISTRAR,
			tk(pallet_tokenization::Call::issue_claim {
				who: INVESTOR.to_account_id(),
				topic: ClaimTopic::Kyc,
				expires_at: far,
				jurisdiction: None,
			})
		),
		Ok(())
	);
	assert_eq!(
		signed(
			CLINIC,
			tk(pallet_tokenization::Call::transfer_fractions {
				asset: ASSET,
				to: INVESTOR.to_account_id(),
				amount: 100,
			})
		),
		Ok(())
	);
	assert_eq!(fractions_of(INVESTOR), 100);
}

/// Runs `test` on the development genesis, then checks every pallet's `try_state`.
fn run(test: impl FnOnce()) {
	common::dev_genesis().execute_with(|| {
		test();
		Tokenization::do_try_state().expect("tokenization invariants hold");
	});
}

#[test]
fn a_clinic_tokenizes_an_x_ray_unit_and_its_holders_are_paid_pro_rata() {
	run(|| {
		fractionalized_asset();
		assert_eq!(Runtime::accepted_valuation(ASSET), Some(25_500_000));
		assert!(Runtime::ownership_verified(ASSET));
		assert_eq!(Runtime::holders_count(ASSET), 2);

		let revenue = 10 * UNITS;
		assert_eq!(
			signed(
				CLINIC,
				tk(pallet_tokenization::Call::deposit_revenue {
					asset: ASSET,
					currency: NativeOrWithId::Native,
					amount: revenue,
				})
			),
			Ok(())
		);
		let investor = INVESTOR.to_account_id();
		assert_eq!(
			Runtime::claimable_revenue(ASSET, investor.clone()),
			vec![(NativeOrWithId::Native, revenue / 10)]
		);
		let before = pallet_balances::Pallet::<Runtime>::free_balance(&investor);
		assert_eq!(
			signed(
				INVESTOR,
				tk(pallet_tokenization::Call::claim_revenue {
					asset: ASSET,
					currency: NativeOrWithId::Native
				})
			),
			Ok(())
		);
		let after = pallet_balances::Pallet::<Runtime>::free_balance(&investor);
		// The claim pays a tenth of the revenue, minus the transaction fee.
		assert!(
			after > before + revenue / 10 - UNITS / 100 && after < before + revenue / 10,
			"{before} → {after}"
		);
	});
}

#[test]
fn a_checkup_paid_through_the_clinic_s_split_pays_the_x_ray_unit_s_investors_at_once() {
	use btt_runtime::genesis_config_presets::{DEV_USD, DEV_USD_UNIT};
	const DUSD: NativeOrWithId<u32> = NativeOrWithId::WithId(DEV_USD);
	run(|| {
		fractionalized_asset();
		// A fresh block: the set-up's worst-case weights have filled this one.
		common::run_to_block(3);
		// Governance lets assets take dUSD revenue; the clinic's X-ray unit takes it.
		sudo(tk(pallet_tokenization::Call::set_payment_currencies {
			currencies: vec![DUSD].try_into().unwrap(),
		}));
		let accept = tk(pallet_tokenization::Call::set_accepted_currencies {
			asset: ASSET,
			currencies: vec![DUSD].try_into().unwrap(),
		});
		assert_eq!(signed(CLINIC, accept), Ok(()));
		// The clinic keeps 80 % of a checkup; 20 % goes to the X-ray unit's investors.
		let register = RuntimeCall::Payfi(pallet_payfi::Call::register_payee { slots: 10 });
		assert_eq!(signed(CLINIC, register), Ok(()));
		let share = |to, percent| pallet_payfi::Share {
			to,
			part: sp_runtime::Permill::from_percent(percent),
		};
		let split = RuntimeCall::Payfi(pallet_payfi::Call::set_split {
			id: 1,
			shares: vec![
				share(pallet_payfi::Recipient::Account(CLINIC.to_account_id()), 80),
				share(pallet_payfi::Recipient::Asset(ASSET), 20),
			]
			.try_into()
			.unwrap(),
			remainder_to: 0,
		});
		assert_eq!(signed(CLINIC, split), Ok(()));
		let usd = |who: Sr25519Keyring| {
			<NativeAndAssets as Inspect<_>>::balance(DUSD, &who.to_account_id())
		};
		let clinic_before = usd(CLINIC);
		let code = btt_primitives::payfi::BillingCode::from_text(
			&[b"D0120", b"D0274"],
			&[],
			sp_core::H256::repeat_byte(1),
			btt_runtime::Payfi::today(),
			sp_core::H256::repeat_byte(2),
			None,
		)
		.unwrap();
		let pay = RuntimeCall::Payfi(pallet_payfi::Call::pay_split {
			payee: CLINIC.to_account_id(),
			split: 1,
			pay_in: DUSD,
			receive: DUSD,
			amount: 50 * DEV_USD_UNIT,
			max_in: 50 * DEV_USD_UNIT,
			code,
		});

		assert_eq!(signed(Alice, pay), Ok(()));

		// The clinic keeps 80 %, less the tokenization pallet's one-time dUSD buffer (the
		// currency's minimum, paid by the first payer of dUSD revenue, nobody's revenue).
		let buffer = <NativeAndAssets as Inspect<_>>::minimum_balance(DUSD);
		assert_eq!(
			usd(CLINIC),
			clinic_before + 40 * DEV_USD_UNIT - buffer,
			"the clinic keeps 80 %"
		);
		// The investor holds 100 of 1,000 fractions: a tenth of the unit's 10 dUSD.
		assert_eq!(
			Runtime::claimable_revenue(ASSET, INVESTOR.to_account_id()),
			vec![(DUSD, DEV_USD_UNIT)]
		);
		assert!(events().iter().any(|event| matches!(
			event,
			RuntimeEvent::Payfi(pallet_payfi::Event::SplitPaid { split: 1, .. })
		)));
		btt_runtime::Payfi::do_try_state().expect("payfi invariants hold");
	});
}

#[test]
fn the_investor_without_kyc_is_refused_by_the_tokenization_pallet_and_the_market() {
	run(|| {
		fractionalized_asset();
		let mallory = MALLORY.to_account_id();
		assert_eq!(
			Runtime::can_transfer(ASSET, INVESTOR.to_account_id(), mallory.clone(), 1),
			Err(TransferRejection::KycMissing)
		);
		let outcome = signed(
			INVESTOR,
			tk(pallet_tokenization::Call::transfer_fractions {
				asset: ASSET,
				to: mallory,
				amount: 1,
			}),
		);
		assert_eq!(outcome, Err(pallet_tokenization::Error::<Runtime>::KycMissing.into()));
		assert_eq!(
			signed(
				MALLORY,
				tk(pallet_tokenization::Call::place_order {
					asset: ASSET,
					side: OrderSide::Buy,
					amount: 10,
					price: UNITS,
					currency: NativeOrWithId::Native,
				})
			),
			Err(pallet_tokenization::Error::<Runtime>::KycMissing.into())
		);
		assert_eq!(
			signed(
				CLINIC,
				tk(pallet_tokenization::Call::place_order {
					asset: ASSET,
					side: OrderSide::Sell,
					amount: 10,
					price: UNITS,
					currency: NativeOrWithId::Native,
				})
			),
			Ok(())
		);
		assert_eq!(Runtime::open_orders(ASSET).len(), 1);
		assert_eq!(
			signed(MALLORY, tk(pallet_tokenization::Call::take_order { order: 0, amount: 1 })),
			Err(pallet_tokenization::Error::<Runtime>::KycMissing.into())
		);
		assert_eq!(fractions_of(MALLORY), 0);
	});
}

#[test]
fn pallet_assets_calls_on_the_fractions_instance_are_filtered() {
	run(|| {
		fractionalized_asset();
		assert_eq!(signed(INVESTOR, fraction_transfer(MALLORY, 1)), Err(filtered()));
		let approve = RuntimeCall::FractionAssets(pallet_assets::Call::approve_transfer {
			id: Compact(ASSET),
			delegate: MALLORY.to_account_id().into(),
			amount: 1,
		});
		assert_eq!(signed(INVESTOR, approve), Err(filtered()));
		let burn_dust = RuntimeCall::FractionAssets(pallet_assets::Call::refund {
			id: Compact(ASSET),
			allow_burn: true,
		});
		assert_eq!(signed(INVESTOR, burn_dust), Err(filtered()));
		assert_eq!(fractions_of(MALLORY), 0);
		assert_eq!(fractions_of(INVESTOR), 100);
	});
}

#[test]
fn a_utility_batch_cannot_smuggle_a_fraction_transfer() {
	run(|| {
		fractionalized_asset();
		let smuggle = || vec![fraction_transfer(MALLORY, 1)];
		let has = |wanted: &dyn Fn(&RuntimeEvent) -> bool| events().iter().any(wanted);

		// `batch` stops at the refused call and reports it.
		System::reset_events();
		assert_eq!(
			signed(
				INVESTOR,
				RuntimeCall::Utility(pallet_utility::Call::batch { calls: smuggle() })
			),
			Ok(())
		);
		assert!(has(&|e| matches!(e,
			RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { index: 0, error }) if *error == filtered())));
		assert_eq!((fractions_of(INVESTOR), fractions_of(MALLORY)), (100, 0));

		// `batch_all` fails as a whole with the inner error.
		System::reset_events();
		assert_eq!(
			signed(
				INVESTOR,
				RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: smuggle() })
			),
			Err(filtered())
		);
		assert_eq!((fractions_of(INVESTOR), fractions_of(MALLORY)), (100, 0));

		// `force_batch` goes on past it and reports the failed item.
		System::reset_events();
		assert_eq!(
			signed(
				INVESTOR,
				RuntimeCall::Utility(pallet_utility::Call::force_batch { calls: smuggle() })
			),
			Ok(())
		);
		assert!(has(&|e| matches!(e,
			RuntimeEvent::Utility(pallet_utility::Event::ItemFailed { error }) if *error == filtered())));
		assert!(has(&|e| matches!(
			e,
			RuntimeEvent::Utility(pallet_utility::Event::BatchCompletedWithErrors)
		)));
		assert_eq!((fractions_of(INVESTOR), fractions_of(MALLORY)), (100, 0));
		assert_eq!(
			pallet_assets::Pallet::<Runtime, pallet_assets::Instance2>::balance(
				ASSET,
				MALLORY.to_account_id()
			),
			0
		);
	});
}

#[test]
fn a_proxy_cannot_move_fractions_around_the_rules() {
	run(|| {
		fractionalized_asset();
		let add = pallet_proxy::Call::add_proxy {
			delegate: MALLORY.to_account_id().into(),
			proxy_type: ProxyType::Any,
			delay: 0,
		};
		assert_eq!(signed(INVESTOR, RuntimeCall::Proxy(add)), Ok(()));
		let through = |call: RuntimeCall| {
			RuntimeCall::Proxy(pallet_proxy::Call::proxy {
				real: INVESTOR.to_account_id().into(),
				force_proxy_type: None,
				call: Box::new(call),
			})
		};
		assert_eq!(signed(MALLORY, through(fraction_transfer(MALLORY, 1))), Ok(()));
		assert!(events().iter().any(|e| matches!(e,
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(error) }) if *error == filtered())));
		// Through the tokenization pallet the rules apply to the proxied account's transfer.
		let to_mallory = tk(pallet_tokenization::Call::transfer_fractions {
			asset: ASSET,
			to: MALLORY.to_account_id(),
			amount: 1,
		});
		assert_eq!(signed(MALLORY, through(to_mallory)), Ok(()));
		let kyc_missing: DispatchError = pallet_tokenization::Error::<Runtime>::KycMissing.into();
		assert!(events().iter().any(|e| matches!(e,
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(error) }) if *error == kyc_missing)));
		assert_eq!(fractions_of(MALLORY), 0);
	});
}

#[test]
fn a_multisig_cannot_move_fractions_around_the_rules() {
	run(|| {
		fractionalized_asset();
		let multi = pallet_multisig::Call::as_multi_threshold_1 {
			other_signatories: vec![Bob.to_account_id()],
			call: Box::new(fraction_transfer(MALLORY, 1)),
		};
		assert_eq!(signed(INVESTOR, RuntimeCall::Multisig(multi)), Err(filtered()));
		assert_eq!(fractions_of(MALLORY), 0);
	});
}

#[test]
fn not_even_root_moves_fractions_through_pallet_assets() {
	run(|| {
		fractionalized_asset();
		// `sudo_as` (like `utility::dispatch_as`) dispatches as the holder *bypassing* the call
		// filter; outside the tokenization pallet every fraction is frozen, so it still fails.
		let as_investor = pallet_sudo::Call::sudo_as {
			who: INVESTOR.to_account_id().into(),
			call: Box::new(fraction_transfer(MALLORY, 1)),
		};
		assert_eq!(signed(Alice, RuntimeCall::Sudo(as_investor)), Ok(()));
		assert!(
			events().iter().any(|e| matches!(
				e,
				RuntimeEvent::Sudo(pallet_sudo::Event::SudoAsDone { sudo_result: Err(_) })
			)),
			"{:?}",
			events()
		);
		assert_eq!(fractions_of(INVESTOR), 100);
		// Root passes the filter, but the instance's force origin is `EnsureNever`.
		let force = RuntimeCall::FractionAssets(pallet_assets::Call::force_transfer {
			id: Compact(ASSET),
			source: INVESTOR.to_account_id().into(),
			dest: MALLORY.to_account_id().into(),
			amount: 1,
		});
		assert_eq!(force.clone().dispatch_bypass_filter_as_root(), Err(DispatchError::BadOrigin));
		assert_eq!(fractions_of(MALLORY), 0);
	});
}

#[test]
fn the_fungibles_other_pallets_use_do_not_reach_the_fractions() {
	use frame_support::traits::{
		fungibles::Mutate,
		tokens::{Fortitude, Preservation},
	};
	run(|| {
		fractionalized_asset();
		let (investor, mallory) = (INVESTOR.to_account_id(), MALLORY.to_account_id());
		assert!(<FractionAssets as Inspect<_>>::asset_exists(ASSET));
		// A payment asset with the fractions' id: what `NativeAndAssets` (revenue and market
		// currencies, transaction payment in assets, the XCM transactor's set) calls asset 0.
		sudo(RuntimeCall::Assets(pallet_assets::Call::force_create {
			id: Compact(ASSET),
			owner: Alice.to_account_id().into(),
			is_sufficient: true,
			min_balance: 1,
		}));
		assert_eq!(
			signed(
				Alice,
				RuntimeCall::Assets(pallet_assets::Call::mint {
					id: Compact(ASSET),
					beneficiary: investor.clone().into(),
					amount: 5,
				})
			),
			Ok(())
		);
		// Moving and burning "asset 0" through those fungibles moves the payment asset, never
		// a fraction.
		assert!(<NativeAndAssets as Mutate<_>>::transfer(
			NativeOrWithId::WithId(ASSET),
			&investor,
			&mallory,
			1,
			Preservation::Expendable
		)
		.is_ok());
		assert!(<NativeAndAssets as Mutate<_>>::burn_from(
			NativeOrWithId::WithId(ASSET),
			&investor,
			4,
			Preservation::Expendable,
			frame_support::traits::tokens::Precision::Exact,
			Fortitude::Force,
		)
		.is_ok());
		assert_eq!(
			<NativeAndAssets as Inspect<_>>::balance(NativeOrWithId::WithId(ASSET), &mallory),
			1
		);
		assert_eq!((fractions_of(INVESTOR), fractions_of(MALLORY)), (100, 0));
		// Even the fractions instance's own fungibles, used by any code but the tokenization
		// pallet, finds every fraction frozen.
		assert!(<FractionAssets as Mutate<_>>::transfer(
			ASSET,
			&investor,
			&mallory,
			1,
			Preservation::Expendable
		)
		.is_err());
		assert_eq!(
			<FractionAssets as Inspect<_>>::reducible_balance(
				ASSET,
				&investor,
				Preservation::Expendable,
				Fortitude::Polite
			),
			0
		);
		assert_eq!(fractions_of(INVESTOR), 100);
		assert_eq!(fractions_of(MALLORY), 0);
	});
}

trait DispatchAsRoot {
	fn dispatch_bypass_filter_as_root(self) -> Result<(), DispatchError>;
}

impl DispatchAsRoot for RuntimeCall {
	fn dispatch_bypass_filter_as_root(self) -> Result<(), DispatchError> {
		use frame_support::traits::UnfilteredDispatchable;
		self.dispatch_bypass_filter(RuntimeOrigin::root()).map(|_| ()).map_err(|e| e.error)
	}
}

#[test]
fn a_revenue_schedule_s_deposit_pays_for_its_agenda_entry_too() {
	use codec::MaxEncodedLen;
	use frame_support::traits::Get;
	common::dev_genesis().execute_with(|| {
		let who = Alice.to_account_id();
		let schedule_bytes = pallet_tokenization::Schedules::<Runtime>::hashed_key_for(0u64).len()
			as u32 + pallet_tokenization::ScheduleOf::<Runtime>::max_encoded_len()
			as u32;
		let count_bytes =
			pallet_tokenization::SchedulesOf::<Runtime>::hashed_key_for(&who).len() as u32 + 4;
		// The one task a schedule keeps in the scheduler: an agenda entry and its lookup.
		let task_bytes = pallet_scheduler::ScheduledOf::<Runtime>::max_encoded_len() as u32
			+ pallet_scheduler::Lookup::<Runtime>::hashed_key_for([0u8; 32]).len() as u32
			+ 8;
		let deposit: Balance = <Runtime as pallet_tokenization::Config>::ScheduleDeposit::get();
		assert!(
			deposit >= btt_runtime::deposit(3, schedule_bytes + count_bytes + task_bytes),
			"{schedule_bytes} + {count_bytes} + {task_bytes} bytes per schedule"
		);
	});
}
