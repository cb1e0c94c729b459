//! Patient rewards on the real runtime: the development genesis (categories, budget, a funded
//! pot, the clinic and the author, minute periods), device summaries signed by a real sr25519
//! key and verified as `MultiSignature`, a checkup confirmed by the clinic and claimed a
//! period later through the runtime API, and deposits that pay for the bytes they store.

mod common;

use btt_primitives::payfi::ProcedureCode;
use btt_runtime::{
	genesis_config_presets::{
		dev_author, dev_provider, DEV_REWARD_PERIOD_SECONDS, PATIENT_REWARD_BUDGET,
		PATIENT_REWARD_POT_ENDOWMENT, REWARD_CATEGORIES,
	},
	AccountId, Balance, Runtime, RuntimeCall, RuntimeEvent, System, UNITS,
};
use codec::MaxEncodedLen;
use frame_support::traits::{fungible::Inspect, Get};
use pallet_patient_rewards::{
	runtime_api::runtime_decl_for_patient_rewards_api::PatientRewardsApiV1, Category, Error,
	HygieneSummary, Purpose,
};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring::{self, Bob, Dave, Eve};
use sp_runtime::{MultiSignature, Perbill};

type Rewards = pallet_patient_rewards::Pallet<Runtime>;

fn call(call: pallet_patient_rewards::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::PatientRewards(call)
}

fn apply(signer: Sr25519Keyring, call: RuntimeCall) -> sp_runtime::DispatchOutcome {
	common::apply(common::signed_extrinsic(signer, call, 0))
}

/// A connected toothbrush: its own sr25519 key, as the e2e's device simulator has.
fn device() -> sr25519::Pair {
	sr25519::Pair::from_string("//btt-toothbrush", None).expect("a dev key")
}

fn account_of(pair: &sr25519::Pair) -> AccountId {
	AccountId::from(pair.public())
}

fn consent(patient: Sr25519Keyring, grantee: AccountId, purpose: Purpose) {
	let grant =
		call(pallet_patient_rewards::Call::grant_consent { grantee, purpose, expires: None });
	assert_eq!(apply(patient, grant), Ok(()));
}

fn reward_events() -> Vec<(AccountId, Category, Balance)> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::PatientRewards(pallet_patient_rewards::Event::RewardEarned {
				patient,
				category,
				reward,
				..
			}) => Some((patient, category, reward)),
			_ => None,
		})
		.collect()
}

/// The development genesis at block 2; `try_state` of every pallet afterwards.
fn on_the_dev_chain(test: impl FnOnce()) {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		test();
		common::check_every_invariant();
	});
}

#[test]
fn the_development_chain_starts_with_values_a_budget_a_funded_pot_a_clinic_and_an_author() {
	on_the_dev_chain(|| {
		for (category, base, consistency) in REWARD_CATEGORIES {
			let params = pallet_patient_rewards::Categories::<Runtime>::get(category);
			assert_eq!(
				params.map(|p| (p.base, p.consistency_base)),
				Some((base * UNITS, consistency * UNITS))
			);
		}
		assert_eq!(
			pallet_patient_rewards::BudgetPerPeriod::<Runtime>::get(),
			PATIENT_REWARD_BUDGET
		);
		assert_eq!(btt_runtime::Balances::balance(&Rewards::pot()), PATIENT_REWARD_POT_ENDOWMENT);
		assert_eq!(
			pallet_patient_rewards::PeriodSeconds::<Runtime>::get(),
			DEV_REWARD_PERIOD_SECONDS
		);
		assert!(pallet_patient_rewards::Providers::<Runtime>::contains_key(dev_provider()));
		assert!(pallet_patient_rewards::Authors::<Runtime>::contains_key(dev_author()));
		assert_eq!(Runtime::budget_left(), PATIENT_REWARD_BUDGET);
	});
	// A local network keeps a live chain's 30-day periods.
	common::local_genesis().execute_with(|| {
		assert_eq!(
			pallet_patient_rewards::PeriodSeconds::<Runtime>::get(),
			pallet_patient_rewards::DEFAULT_PERIOD_SECONDS
		);
	});
}

#[test]
fn a_device_s_sr25519_signature_earns_a_day_of_hygiene_and_a_forgery_is_refused() {
	on_the_dev_chain(|| {
		let (patient, device) = (Dave.to_account_id(), device());
		let proof =
			MultiSignature::Sr25519(device.sign(&Rewards::device_registration_message(&patient)));
		let register = call(pallet_patient_rewards::Call::register_device {
			device: account_of(&device),
			proof: proof.clone(),
		});
		// The proof names Dave: Eve cannot register Dave's device to herself with it.
		assert_eq!(apply(Eve, register.clone()), Err(Error::<Runtime>::BadDeviceProof.into()));
		assert_eq!(apply(Dave, register), Ok(()));
		consent(Dave, account_of(&device), Purpose::HygieneData);

		let summary = HygieneSummary {
			device: account_of(&device),
			day: Rewards::today(),
			sessions: 2,
			minutes: 5,
			data_hash: H256::repeat_byte(0xd7),
		};
		let submit = |signature: MultiSignature| {
			call(pallet_patient_rewards::Call::submit_hygiene {
				summary: summary.clone(),
				signature,
			})
		};
		let forged = sr25519::Pair::from_string("//someone-else", None).expect("a dev key");
		let forgery =
			MultiSignature::Sr25519(forged.sign(&Rewards::hygiene_message(&patient, &summary)));
		assert_eq!(apply(Dave, submit(forgery)), Err(Error::<Runtime>::BadDeviceSignature.into()));

		let signature =
			MultiSignature::Sr25519(device.sign(&Rewards::hygiene_message(&patient, &summary)));
		assert_eq!(apply(Dave, submit(signature.clone())), Ok(()));
		// H = 1/8 of B_H = 4, T = 1, P = 1: 10 + 0.5 = 10.5 BTT.
		assert_eq!(
			reward_events(),
			vec![(patient.clone(), Category::Hygiene, 10 * UNITS + UNITS / 2)]
		);
		assert_eq!(
			apply(Dave, submit(signature)),
			Err(Error::<Runtime>::DayAlreadyRewarded.into())
		);
		let history = Runtime::history(patient.clone());
		assert_eq!(history.len(), 1);
		assert_eq!(
			(history[0].category, history[0].code, history[0].day),
			(Category::Hygiene, None, Rewards::today())
		);
	});
}

#[test]
fn a_checkup_confirmed_by_the_clinic_is_claimed_once_its_minute_long_period_has_ended() {
	on_the_dev_chain(|| {
		let patient = Eve.to_account_id();
		consent(Eve, dev_provider(), Purpose::CheckupConfirmation);
		let code = ProcedureCode::parse(b"D0120").expect("a CDT code");
		let confirm = call(pallet_patient_rewards::Call::confirm_checkup {
			patient: patient.clone(),
			code,
			quality: Perbill::one(),
			evidence: None,
		});
		// Only a registered provider confirms; Dave is none.
		assert_eq!(apply(Dave, confirm.clone()), Err(Error::<Runtime>::NotProvider.into()));
		assert_eq!(apply(Bob, confirm), Ok(()));
		// 300 + 1/8 · 100 = 312.5 BTT, pending until the period ends.
		let reward = 312 * UNITS + UNITS / 2;
		assert_eq!(Runtime::pending_rewards(patient.clone()), (0, reward));
		assert_eq!(Runtime::budget_left(), PATIENT_REWARD_BUDGET - reward);
		let claim = call(pallet_patient_rewards::Call::claim {});
		assert_eq!(apply(Eve, claim.clone()), Err(Error::<Runtime>::NothingToClaim.into()));
		assert_eq!(
			Runtime::consents(patient.clone())
				.into_iter()
				.map(|(who, purpose, _)| (who, purpose))
				.collect::<Vec<_>>(),
			vec![(dev_provider(), Purpose::CheckupConfirmation)]
		);

		// Blocks are 6 s apart in these tests: eleven blocks end the minute.
		common::run_to_block(13);
		assert_eq!(Runtime::pending_rewards(patient.clone()), (reward, 0));
		let before = btt_runtime::Balances::balance(&patient);
		assert_eq!(apply(Eve, claim), Ok(()));
		let fee = before + reward - btt_runtime::Balances::balance(&patient);
		assert!(fee < UNITS / 100, "the claim's fee: {fee}");
		assert_eq!(Runtime::patient(patient).map(|r| r.claimed), Some(reward));
	});
}

#[test]
fn deposits_pay_for_the_bytes_they_store() {
	common::dev_genesis().execute_with(|| {
		let who = Dave.to_account_id();
		let deposit = |items, bytes| btt_runtime::deposit(items, bytes);
		let key = |len: usize| len as u32;
		let patient = key(pallet_patient_rewards::Patients::<Runtime>::hashed_key_for(&who).len())
			+ pallet_patient_rewards::PatientOf::<Runtime>::max_encoded_len() as u32;
		let history = key(pallet_patient_rewards::History::<Runtime>::hashed_key_for(&who).len())
			+ frame_support::BoundedVec::<
				pallet_patient_rewards::Activity<Balance>,
				<Runtime as pallet_patient_rewards::Config>::MaxHistory,
			>::max_encoded_len() as u32;
		let patient_deposit: Balance =
			<Runtime as pallet_patient_rewards::Config>::PatientDeposit::get();
		assert!(
			patient_deposit >= deposit(2, patient + history),
			"{patient} + {history} bytes per patient"
		);
		let consent = key(pallet_patient_rewards::Consents::<Runtime>::hashed_key_for(
			&who,
			(&who, Purpose::Research),
		)
		.len()) + pallet_patient_rewards::Consent::<Balance>::max_encoded_len()
			as u32;
		let consent_deposit: Balance =
			<Runtime as pallet_patient_rewards::Config>::ConsentDeposit::get();
		assert!(consent_deposit >= deposit(1, consent), "{consent} bytes per consent");
		let device = key(pallet_patient_rewards::Devices::<Runtime>::hashed_key_for(&who).len())
			+ pallet_patient_rewards::Device::<AccountId, Balance>::max_encoded_len() as u32;
		let device_deposit: Balance =
			<Runtime as pallet_patient_rewards::Config>::DeviceDeposit::get();
		assert!(device_deposit >= deposit(1, device), "{device} bytes per device");
		let plan = key(pallet_patient_rewards::Plans::<Runtime>::hashed_key_for(0u64).len())
			+ pallet_patient_rewards::PlanOf::<Runtime>::max_encoded_len() as u32;
		let open =
			key(pallet_patient_rewards::OpenPlans::<Runtime>::hashed_key_for(&who, &who).len()) + 8;
		let plan_deposit: Balance = <Runtime as pallet_patient_rewards::Config>::PlanDeposit::get();
		assert!(plan_deposit >= deposit(2, plan + open), "{plan} + {open} bytes per plan");
		let module = key(pallet_patient_rewards::Modules::<Runtime>::hashed_key_for(0u64).len())
			+ pallet_patient_rewards::ModuleOf::<Runtime>::max_encoded_len() as u32;
		let module_deposit: Balance =
			<Runtime as pallet_patient_rewards::Config>::ModuleDeposit::get();
		assert!(module_deposit >= deposit(1, module), "{module} bytes per module");
		let attempt =
			key(pallet_patient_rewards::Attempts::<Runtime>::hashed_key_for(0u64, &who).len())
				+ pallet_patient_rewards::Attempt::<Balance>::max_encoded_len() as u32;
		let attempt_deposit: Balance =
			<Runtime as pallet_patient_rewards::Config>::AttemptDeposit::get();
		assert!(attempt_deposit >= deposit(1, attempt), "{attempt} bytes per attempt");
		// A patient with the most consents and devices holds a bounded, stated amount.
		let consents: u32 =
			<Runtime as pallet_patient_rewards::Config>::MaxConsentsPerPatient::get();
		let devices: u32 = <Runtime as pallet_patient_rewards::Config>::MaxDevicesPerPatient::get();
		let most = patient_deposit
			+ Balance::from(consents) * consent_deposit
			+ Balance::from(devices) * device_deposit;
		assert!(most < UNITS, "a patient holds at most {most}");
	});
}

#[test]
fn rewards_are_redeemed_at_a_partner_merchant_as_a_coded_payfi_payment() {
	use sp_keyring::Sr25519Keyring::Ferdie;
	on_the_dev_chain(|| {
		let (patient, merchant) = (Eve.to_account_id(), Ferdie.to_account_id());
		let register = RuntimeCall::Payfi(pallet_payfi::Call::register_payee { slots: 4 });
		assert_eq!(apply(Ferdie, register), Ok(()));
		assert_eq!(
			Rewards::register_merchant(btt_runtime::RuntimeOrigin::root(), merchant.clone()),
			Ok(())
		);
		consent(Eve, dev_provider(), Purpose::CheckupConfirmation);
		let confirm = call(pallet_patient_rewards::Call::confirm_checkup {
			patient: patient.clone(),
			code: ProcedureCode::parse(b"D0120").expect("a CDT code"),
			quality: Perbill::one(),
			evidence: None,
		});
		assert_eq!(apply(Bob, confirm), Ok(()));
		common::run_to_block(13);

		let code = btt_primitives::payfi::BillingCode::from_text(
			&[b"D1110"],
			&[],
			H256::zero(),
			btt_runtime::Payfi::today(),
			H256::repeat_byte(0xe7),
			None,
		)
		.expect("a cleaning");
		let before = btt_runtime::Balances::balance(&merchant);
		let redeem = call(pallet_patient_rewards::Call::redeem_at_merchant {
			merchant: merchant.clone(),
			amount: 100 * UNITS,
			code,
		});
		assert_eq!(apply(Eve, redeem), Ok(()));
		assert_eq!(btt_runtime::Balances::balance(&merchant), before + 100 * UNITS);
		let day = btt_runtime::Payfi::today();
		let statement = btt_runtime::Payfi::statement(&merchant, day, day).expect("a payee");
		assert_eq!(statement.len(), 1);
		assert_eq!(statement[0].2.payer, patient);
		assert_eq!(
			statement[0].2.received,
			(frame_support::traits::fungible::NativeOrWithId::Native, 100 * UNITS)
		);
		assert_eq!(Runtime::pending_rewards(patient), (312 * UNITS + UNITS / 2 - 100 * UNITS, 0));
	});
}
