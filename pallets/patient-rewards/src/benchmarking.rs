//! Benchmarks of every call (frame-benchmarking v2), each in its worst case:
//! - every call that earns (`submit_hygiene`, `confirm_checkup`, `confirm_stage`,
//!   `reveal_answers`) and `claim` runs on the first day of a new budget period, for a patient
//!   whose points of the period before are still unpaid: it ends the old period, opens the new
//!   one and settles the patient, the costliest path of `earn`;
//! - `confirm_checkup` is a referee's first checkup: it also validates the referral and earns
//!   the referrer its reward, the referrer too with unpaid points of the old period;
//! - `register_device` and `submit_hygiene` verify a real signature (the runtime's helper signs
//!   with sr25519);
//! - the education calls with the most questions.

use crate::{pallet::*, types::*, DEFAULT_PERIOD_SECONDS};
use alloc::vec::Vec;
use btt_primitives::{
	depin::{DiagnosticModule, OnTaskVerified, VerifiedDiagnosis},
	payfi::{BillingCode, ProcedureCode},
};
use frame_benchmarking::v2::*;
use frame_support::{
	assert_ok,
	traits::{fungible::Mutate, EnsureOrigin, Get},
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

/// What the benchmarks need from the runtime beyond the pallet's `Config`.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// The `i`-th device account, whose key [`BenchmarkHelper::sign`] can sign with.
	fn device(i: u32) -> AccountId;

	/// `device`'s signature of `message`.
	fn sign(device: &AccountId, message: &[u8]) -> Signature;

	/// Sets the wall clock to 01:00 UTC of `day` (days since 1970-01-01).
	fn set_day(day: u32);

	/// An account `Config::Payments` can pay a coded payment to (a PayFi payee).
	fn merchant() -> AccountId;
}

const SEED: u32 = 0;
/// The benchmarks' first day (2024-10-14); their budget periods are the default 30 days,
/// whatever the chain's genesis set, so that a day's change is not a period's.
const START_DAY: u32 = 20_010;

fn helper_day<T: Config>(day: u32) {
	<T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::set_day(day);
}

/// The first day of the budget period after today's.
fn next_period_day<T: Config>() -> u32 {
	let days = (DEFAULT_PERIOD_SECONDS / crate::SECONDS_PER_DAY) as u32;
	(Pallet::<T>::today() / days).saturating_add(1).saturating_mul(days)
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	let plenty = T::Unit::get().saturating_mul(1_000_000u32.into());
	assert_ok!(T::NativeBalance::mint_into(&who, plenty));
	who
}

/// Starts the clock and fills the pot so that every period has its whole budget.
fn start<T: Config>() {
	PeriodSeconds::<T>::put(DEFAULT_PERIOD_SECONDS);
	helper_day::<T>(START_DAY);
	let pot = Pallet::<T>::pot();
	let plenty = T::Unit::get().saturating_mul(100_000_000u32.into());
	assert_ok!(T::NativeBalance::mint_into(&pot, plenty));
	BudgetPerPeriod::<T>::put(T::Unit::get().saturating_mul(1_000_000u32.into()));
	for category in Category::ALL {
		let (low, high) = category.seed_range();
		let params = CategoryParams {
			base: T::Unit::get().saturating_mul(low.into()),
			consistency_base: T::Unit::get().saturating_mul(high.into()),
		};
		assert_ok!(Pallet::<T>::do_set_category(category, params));
	}
}

fn provider<T: Config>(i: u32) -> T::AccountId {
	let who = funded::<T>("provider", i);
	assert_ok!(Pallet::<T>::do_register_provider(who.clone()));
	who
}

/// A patient consenting to `provider` for checkups and treatment plans.
fn patient<T: Config>(i: u32, provider: &T::AccountId) -> T::AccountId {
	let who = funded::<T>("patient", i);
	for purpose in [Purpose::CheckupConfirmation, Purpose::TreatmentPlan] {
		assert_ok!(Pallet::<T>::do_grant_consent(who.clone(), provider.clone(), purpose, None));
	}
	who
}

#[allow(clippy::expect_used)]
fn evaluation() -> ProcedureCode {
	ProcedureCode::from_number(120).expect("D0120 is a CDT code")
}

/// `patient` earns points today (a checkup by `provider`), unpaid until the period ends.
fn with_points<T: Config>(patient: &T::AccountId, provider: &T::AccountId) {
	assert_ok!(Pallet::<T>::do_confirm_checkup(
		provider.clone(),
		patient.clone(),
		evaluation(),
		Perbill::one(),
		None
	));
}

/// A registered device of `patient`, consented to.
fn device<T: Config>(patient: &T::AccountId) -> T::AccountId {
	let device = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::device(0);
	let message = Pallet::<T>::device_registration_message(patient);
	let proof = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::sign(
		&device, &message,
	);
	assert_ok!(Pallet::<T>::do_register_device(patient.clone(), device.clone(), proof));
	assert_ok!(Pallet::<T>::do_grant_consent(
		patient.clone(),
		device.clone(),
		Purpose::HygieneData,
		None
	));
	device
}

fn author<T: Config>() -> T::AccountId {
	let who = funded::<T>("author", 0);
	assert_ok!(Pallet::<T>::do_register_author(who.clone()));
	who
}

fn key(q: u32) -> Vec<u8> {
	(0..q).map(|i| (i % 4) as u8).collect()
}

const SALT: H256 = H256::repeat_byte(0x5a);

/// A module of `q` questions by `author`, its sitting open for a day.
fn module<T: Config>(author: &T::AccountId, q: u32) -> ModuleId {
	let hashes: Vec<H256> = key(q)
		.iter()
		.enumerate()
		.map(|(i, answer)| Pallet::<T>::answer_hash(&SALT, i as u32, *answer))
		.collect();
	assert_ok!(Pallet::<T>::do_create_module(
		author.clone(),
		PerQuestion::truncate_from(hashes),
		Perbill::from_percent(50),
		1
	));
	NextModuleId::<T>::get().saturating_sub(1)
}

fn verified<T: Config>(task: u64, clinic: &T::AccountId) -> VerifiedDiagnosis<T::AccountId> {
	VerifiedDiagnosis {
		task,
		clinic: clinic.clone(),
		module: DiagnosticModule::CariesDetection,
		model: H256::zero(),
		input_hash: H256::repeat_byte(7),
		findings: Default::default(),
		confidence: sp_runtime::Permill::one(),
	}
}

/// Fills `provider`'s list of verified tasks (tasks 0 to `MAX_RECENT_TASKS − 1`).
fn full_task_list<T: Config>(provider: &T::AccountId) {
	for task in 0..u64::from(MAX_RECENT_TASKS) {
		<Pallet<T> as OnTaskVerified<T::AccountId>>::on_task_verified(&verified::<T>(
			task, provider,
		));
	}
}

/// A cleaning (D1110), the service a patient redeems at a merchant.
#[allow(clippy::expect_used)]
fn cleaning<T: Config>() -> BillingCode<T::AccountId> {
	let code = ProcedureCode::from_number(1110).expect("D1110 is a CDT code");
	BillingCode {
		procedures: alloc::vec![code].try_into().expect("one procedure"),
		diagnoses: Default::default(),
		claim: H256::zero(),
		encounter_day: Pallet::<T>::today(),
		patient: H256::repeat_byte(1),
		insurer: None,
	}
}

fn nonce() -> H256 {
	H256::repeat_byte(0x0e)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_category() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let base = T::Unit::get().saturating_mul(300u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Category::Checkup, base, base);

		assert_eq!(Categories::<T>::get(Category::Checkup).map(|c| c.base), Some(base));
		Ok(())
	}

	#[benchmark]
	fn set_budget() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let budget = T::Unit::get().saturating_mul(10_000u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, budget);

		assert_eq!(BudgetPerPeriod::<T>::get(), budget);
		Ok(())
	}

	#[benchmark]
	fn register_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("provider", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Providers::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = provider::<T>(0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Providers::<T>::contains_key(&who));
		Ok(())
	}

	/// The patient's first consent: its record is created too.
	#[benchmark]
	fn grant_consent() {
		start::<T>();
		let patient = funded::<T>("patient", 0);
		let grantee: T::AccountId = account("provider", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), grantee.clone(), Purpose::Research, None);

		assert!(Consents::<T>::contains_key(&patient, (grantee, Purpose::Research)));
	}

	#[benchmark]
	fn revoke_consent() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), provider.clone(), Purpose::TreatmentPlan);

		assert!(!Consents::<T>::contains_key(&patient, (provider, Purpose::TreatmentPlan)));
	}

	/// The patient's first record: its record is created too; the proof is verified.
	#[benchmark]
	fn register_device() {
		start::<T>();
		let patient = funded::<T>("patient", 0);
		let device = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::device(0);
		let message = Pallet::<T>::device_registration_message(&patient);
		let proof = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::sign(
			&device, &message,
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), device.clone(), proof);

		assert_eq!(Devices::<T>::get(&device).map(|d| d.patient), Some(patient));
	}

	#[benchmark]
	fn remove_device() {
		start::<T>();
		let patient = funded::<T>("patient", 0);
		let device = device::<T>(&patient);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), device.clone());

		assert!(!Devices::<T>::contains_key(&device));
	}

	/// A new period's first day, the patient's points of the last one unpaid.
	#[benchmark]
	fn submit_hygiene() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let device = device::<T>(&patient);
		let day = next_period_day::<T>();
		helper_day::<T>(day);
		let summary = HygieneSummary {
			device: device.clone(),
			day,
			sessions: 2,
			minutes: 4,
			data_hash: H256::zero(),
		};
		let message = Pallet::<T>::hygiene_message(&patient, &summary);
		let signature = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::sign(
			&device, &message,
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), summary, signature);

		assert_eq!(Patients::<T>::get(&patient).and_then(|r| r.last_hygiene_day), Some(day));
	}

	/// A referee's first checkup on a new period's first day: the referee and its referrer
	/// both have unpaid points of the last period.
	#[benchmark]
	fn confirm_checkup() {
		start::<T>();
		let provider = provider::<T>(0);
		let referrer = patient::<T>(0, &provider);
		with_points::<T>(&referrer, &provider);
		let referee = patient::<T>(1, &provider);
		assert_ok!(Pallet::<T>::do_name_referrer(referee.clone(), referrer.clone()));
		let device = device::<T>(&referee);
		let summary = HygieneSummary {
			device: device.clone(),
			day: Pallet::<T>::today(),
			sessions: 2,
			minutes: 4,
			data_hash: H256::zero(),
		};
		let message = Pallet::<T>::hygiene_message(&referee, &summary);
		let signature = <T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::sign(
			&device, &message,
		);
		assert_ok!(Pallet::<T>::do_submit_hygiene(referee.clone(), summary, signature));
		helper_day::<T>(next_period_day::<T>());
		// Evidenced by the oldest of the provider's full list of verified tasks.
		full_task_list::<T>(&provider);
		let evidence = Some(Evidence::Task(0));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(provider.clone()),
			referee.clone(),
			evaluation(),
			Perbill::one(),
			evidence,
		);

		assert_eq!(Referrals::<T>::get(&referee).map(|r| r.validated), Some(true));
		assert!(!ProviderTasks::<T>::get(&provider).contains(&0));
	}

	#[benchmark]
	fn set_adjustment() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		let adjustment = T::MaxAdjustment::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), patient.clone(), adjustment);

		assert_eq!(Patients::<T>::get(&patient).map(|r| r.adjustment), Some(adjustment));
	}

	/// A new period's first day: the last one ends, the next opens, the patient is settled.
	#[benchmark]
	fn claim() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		helper_day::<T>(next_period_day::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()));

		assert!(Patients::<T>::get(&patient).is_some_and(|r| !r.claimed.is_zero()));
	}

	/// A patient with a confirmed checkup, so that it is remembered as a former patient.
	#[benchmark]
	fn leave() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let interval = START_DAY.saturating_add(T::MinCheckupIntervalDays::get());
		helper_day::<T>(interval.max(next_period_day::<T>()));
		assert_ok!(Pallet::<T>::do_claim(patient.clone()));
		for purpose in [Purpose::CheckupConfirmation, Purpose::TreatmentPlan] {
			assert_ok!(Pallet::<T>::do_revoke_consent(patient.clone(), provider.clone(), purpose));
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()));

		assert!(!Patients::<T>::contains_key(&patient));
		assert!(FormerPatients::<T>::contains_key(&patient));
	}

	#[benchmark]
	fn record_plan() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		let stages = T::MaxStages::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), patient.clone(), evaluation(), stages);

		assert!(OpenPlans::<T>::contains_key(&patient, &provider));
	}

	/// The last stage on a new period's first day, the patient's points of the last unpaid.
	#[benchmark]
	fn confirm_stage() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let plan = Pallet::<T>::do_record_plan(provider.clone(), patient.clone(), evaluation(), 2)
			.unwrap_or_default();
		assert_ok!(Pallet::<T>::do_confirm_stage(
			provider.clone(),
			plan,
			Perbill::one(),
			START_DAY
		));
		let day = next_period_day::<T>();
		helper_day::<T>(day);

		#[extrinsic_call]
		_(RawOrigin::Signed(provider), plan, Perbill::one(), day);

		assert!(!Plans::<T>::contains_key(plan));
	}

	#[benchmark]
	fn cancel_plan() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		let plan = Pallet::<T>::do_record_plan(provider.clone(), patient.clone(), evaluation(), 2)
			.unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), plan);

		assert!(!Plans::<T>::contains_key(plan));
	}

	#[benchmark]
	fn name_referrer() {
		start::<T>();
		let provider = provider::<T>(0);
		let referrer = patient::<T>(0, &provider);
		with_points::<T>(&referrer, &provider);
		let referee = patient::<T>(1, &provider);

		#[extrinsic_call]
		_(RawOrigin::Signed(referee.clone()), referrer);

		assert!(Referrals::<T>::contains_key(&referee));
	}

	#[benchmark]
	fn register_author() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("author", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Authors::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_author() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = author::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Authors::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn create_module(q: Linear<1, MAX_QUESTIONS>) {
		start::<T>();
		let author = author::<T>();
		let hashes = PerQuestion::truncate_from((0..q).map(|_| H256::zero()).collect());

		#[extrinsic_call]
		_(RawOrigin::Signed(author), hashes, Perbill::one(), T::MaxSittingDays::get());

		assert_eq!(NextModuleId::<T>::get(), 1);
	}

	#[benchmark]
	fn commit_answers() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let author = author::<T>();
		let module = module::<T>(&author, MAX_QUESTIONS);
		let commitment =
			Pallet::<T>::answers_commitment(&patient, module, &key(MAX_QUESTIONS), &nonce());

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), module, commitment);

		assert!(Attempts::<T>::contains_key(module, &patient));
	}

	#[benchmark]
	fn reveal_key(q: Linear<1, MAX_QUESTIONS>) {
		start::<T>();
		let author = author::<T>();
		let module = module::<T>(&author, q);
		helper_day::<T>(START_DAY.saturating_add(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(author), module, SALT, PerQuestion::truncate_from(key(q)));

		assert!(Modules::<T>::get(module).is_some_and(|m| m.key_revealed.is_some()));
	}

	/// Passing, on a new period's first day with the patient's points of the last unpaid.
	#[benchmark]
	fn reveal_answers(q: Linear<1, MAX_QUESTIONS>) {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		// The sitting opens on the period's last day and closes on the next period's first.
		let day = next_period_day::<T>();
		helper_day::<T>(day.saturating_sub(1));
		let author = author::<T>();
		let module = module::<T>(&author, q);
		let answers = key(q);
		let commitment = Pallet::<T>::answers_commitment(&patient, module, &answers, &nonce());
		assert_ok!(Pallet::<T>::do_commit_answers(patient.clone(), module, commitment));
		helper_day::<T>(day);
		assert_ok!(Pallet::<T>::do_reveal_key(
			author,
			module,
			SALT,
			PerQuestion::truncate_from(answers.clone())
		));

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), module, PerQuestion::truncate_from(answers), nonce());

		assert!(!Attempts::<T>::contains_key(module, &patient));
	}

	#[benchmark]
	fn withdraw_attempt() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let author = author::<T>();
		let module = module::<T>(&author, 1);
		let commitment = Pallet::<T>::answers_commitment(&patient, module, &key(1), &nonce());
		assert_ok!(Pallet::<T>::do_commit_answers(patient.clone(), module, commitment));
		helper_day::<T>(START_DAY.saturating_add(1).saturating_add(T::RevealDays::get()));

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), module);

		assert!(!Attempts::<T>::contains_key(module, &patient));
	}

	#[benchmark]
	fn register_merchant() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let merchant: T::AccountId = account("merchant", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, merchant.clone());

		assert!(Merchants::<T>::contains_key(&merchant));
		Ok(())
	}

	#[benchmark]
	fn remove_merchant() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let merchant: T::AccountId = account("merchant", 0, SEED);
		assert_ok!(Pallet::<T>::do_register_merchant(merchant.clone()));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, merchant.clone());

		assert!(!Merchants::<T>::contains_key(&merchant));
		Ok(())
	}

	#[benchmark]
	fn list_benefit() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let price = T::Unit::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, price, H256::zero());

		assert!(Benefits::<T>::contains_key(1));
		Ok(())
	}

	#[benchmark]
	fn delist_benefit() -> Result<(), BenchmarkError> {
		let origin =
			T::RewardsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let benefit = Benefit { price: T::Unit::get(), terms: H256::zero() };
		assert_ok!(Pallet::<T>::do_list_benefit(1, benefit));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(!Benefits::<T>::contains_key(1));
		Ok(())
	}

	/// A new period's first day: the last one ends, the patient is settled, then paid through
	/// the runtime's payments.
	#[benchmark]
	fn redeem_at_merchant() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let merchant =
			<T::BenchmarkHelper as BenchmarkHelper<T::AccountId, T::Signature>>::merchant();
		assert_ok!(Pallet::<T>::do_register_merchant(merchant.clone()));
		helper_day::<T>(next_period_day::<T>());
		let amount = T::Unit::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), merchant, amount, cleaning::<T>());

		assert_eq!(Patients::<T>::get(&patient).map(|r| r.claimed), Some(amount));
	}

	/// A new period's first day: the last one ends, the patient is settled, the price burnt.
	#[benchmark]
	fn redeem_benefit() {
		start::<T>();
		let provider = provider::<T>(0);
		let patient = patient::<T>(0, &provider);
		with_points::<T>(&patient, &provider);
		let price = T::Unit::get();
		assert_ok!(Pallet::<T>::do_list_benefit(1, Benefit { price, terms: H256::zero() }));
		helper_day::<T>(next_period_day::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), 1);

		assert_eq!(Patients::<T>::get(&patient).map(|r| r.claimed), Some(price));
	}

	/// A registered provider's task, its list full: the oldest makes room.
	#[benchmark]
	fn on_task_verified() {
		start::<T>();
		let provider = provider::<T>(0);
		full_task_list::<T>(&provider);
		let diagnosis = verified::<T>(u64::from(MAX_RECENT_TASKS), &provider);

		#[block]
		{
			<Pallet<T> as OnTaskVerified<T::AccountId>>::on_task_verified(&diagnosis);
		}

		assert_eq!(ProviderTasks::<T>::get(&provider).last(), Some(&u64::from(MAX_RECENT_TASKS)));
	}

	#[benchmark]
	fn retire_module() {
		start::<T>();
		let author = author::<T>();
		let module = module::<T>(&author, 1);
		helper_day::<T>(START_DAY.saturating_add(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(author), module);

		assert!(!Modules::<T>::contains_key(module));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
