//! Education modules: a commit–reveal assessment scored on chain, one attempt per module.

use super::*;
use crate::{Attempts, Error, Event, HoldReason, Modules, PerQuestion};
use frame_support::{assert_noop, traits::fungible::InspectHold};
use sp_core::H256;

const SALT: H256 = H256::repeat_byte(0x5a);
/// The key of the test module: five questions with four choices each.
const KEY: [u8; 5] = [2, 0, 3, 1, 2];
const SITTING: u32 = 7;

fn per_question<V: Clone + core::fmt::Debug>(values: &[V]) -> PerQuestion<V> {
	PerQuestion::try_from(values.to_vec()).unwrap()
}

/// The author creates the module (80 % to pass) and `patient`, enrolled by a checkup, joins.
fn module_with(patient: AccountId) -> crate::ModuleId {
	assert_ok!(Rewards::register_author(RuntimeOrigin::root(), AUTHOR));
	let hashes: Vec<H256> = KEY
		.iter()
		.enumerate()
		.map(|(index, answer)| Rewards::answer_hash(&SALT, index as u32, *answer))
		.collect();
	assert_ok!(Rewards::create_module(
		RuntimeOrigin::signed(AUTHOR),
		per_question(&hashes),
		Perbill::from_percent(80),
		SITTING
	));
	provider_for(PROVIDER, patient);
	checkup(PROVIDER, patient);
	crate::NextModuleId::<Test>::get() - 1
}

fn commit(
	patient: AccountId,
	module: crate::ModuleId,
	answers: &[u8],
) -> sp_runtime::DispatchResult {
	let nonce = H256::repeat_byte(patient as u8);
	Rewards::commit_answers(
		RuntimeOrigin::signed(patient),
		module,
		Rewards::answers_commitment(&patient, module, answers, &nonce),
	)
}

fn reveal(
	patient: AccountId,
	module: crate::ModuleId,
	answers: &[u8],
) -> sp_runtime::DispatchResult {
	let nonce = H256::repeat_byte(patient as u8);
	Rewards::reveal_answers(RuntimeOrigin::signed(patient), module, per_question(answers), nonce)
}

fn reveal_key(module: crate::ModuleId) -> sp_runtime::DispatchResult {
	Rewards::reveal_key(RuntimeOrigin::signed(AUTHOR), module, SALT, per_question(&KEY))
}

#[test]
fn a_passed_assessment_earns_by_its_score() {
	run(|| {
		let module = module_with(PATIENT);
		// Four of five right: 80 %, the pass mark.
		assert_ok!(commit(PATIENT, module, &[2, 0, 3, 1, 0]));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Attempt.into(), &PATIENT),
			ATTEMPT_DEPOSIT
		);
		set_day(START_DAY + SITTING);
		assert_ok!(reveal_key(module));
		assert_ok!(reveal(PATIENT, module, &[2, 0, 3, 1, 0]));
		System::assert_has_event(
			Event::AssessmentScored {
				module,
				patient: PATIENT,
				score: Perbill::from_percent(80),
				passed: true,
			}
			.into(),
		);
		// A·C = 100·0.8; the checkup a week earlier and this week: H = 2/8 of 30, T = 1.1.
		assert_eq!(last_reward(), 80 * UNITS + 8 * UNITS + UNITS / 4);
		assert_eq!(Balances::balance_on_hold(&HoldReason::Attempt.into(), &PATIENT), 0);
		assert!(Attempts::<Test>::get(module, PATIENT).is_none());
	});
}

#[test]
fn a_failed_assessment_earns_nothing_and_cannot_be_resubmitted() {
	run(|| {
		let module = module_with(PATIENT);
		assert_ok!(commit(PATIENT, module, &[0, 0, 0, 0, 0]));
		assert_noop!(commit(PATIENT, module, &KEY), Error::<Test>::AlreadyAttempted);
		set_day(START_DAY + SITTING);
		assert_ok!(reveal_key(module));
		let points = crate::Patients::<Test>::get(PATIENT).unwrap().points;
		assert_ok!(reveal(PATIENT, module, &[0, 0, 0, 0, 0]));
		System::assert_last_event(
			Event::AssessmentScored {
				module,
				patient: PATIENT,
				score: Perbill::from_percent(20),
				passed: false,
			}
			.into(),
		);
		assert_eq!(crate::Patients::<Test>::get(PATIENT).unwrap().points, points);
		// The sitting is closed: the key is public now, and nobody commits again.
		assert_noop!(commit(PATIENT, module, &KEY), Error::<Test>::SittingClosed);
	});
}

#[test]
fn answers_revealed_differently_from_the_commitment_are_refused() {
	run(|| {
		let module = module_with(PATIENT);
		assert_ok!(commit(PATIENT, module, &[0, 0, 0, 0, 0]));
		set_day(START_DAY + SITTING);
		assert_ok!(reveal_key(module));
		// The key is public now; the patient tries the right answers instead.
		assert_noop!(reveal(PATIENT, module, &KEY), Error::<Test>::CommitmentMismatch);
	});
}

#[test]
fn a_commitment_copied_from_another_patient_does_not_reveal() {
	run(|| {
		let module = module_with(PATIENT);
		provider_for(PROVIDER, OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		let nonce = H256::repeat_byte(PATIENT as u8);
		let theirs = Rewards::answers_commitment(&PATIENT, module, &KEY, &nonce);
		assert_ok!(Rewards::commit_answers(RuntimeOrigin::signed(OTHER_PATIENT), module, theirs));
		set_day(START_DAY + SITTING);
		assert_ok!(reveal_key(module));
		assert_noop!(
			Rewards::reveal_answers(
				RuntimeOrigin::signed(OTHER_PATIENT),
				module,
				per_question(&KEY),
				nonce
			),
			Error::<Test>::CommitmentMismatch
		);
	});
}

#[test]
fn the_key_must_match_the_hashes() {
	run(|| {
		let module = module_with(PATIENT);
		set_day(START_DAY + SITTING);
		assert_noop!(
			Rewards::reveal_key(
				RuntimeOrigin::signed(AUTHOR),
				module,
				SALT,
				per_question(&[2, 0, 3, 1, 3])
			),
			Error::<Test>::BadKey
		);
		assert_noop!(
			Rewards::reveal_key(
				RuntimeOrigin::signed(AUTHOR),
				module,
				H256::zero(),
				per_question(&KEY)
			),
			Error::<Test>::BadKey
		);
		assert_noop!(
			Rewards::reveal_key(
				RuntimeOrigin::signed(AUTHOR),
				module,
				SALT,
				per_question(&KEY[..4])
			),
			Error::<Test>::BadQuestionCount
		);
		assert_noop!(
			Rewards::reveal_key(RuntimeOrigin::signed(STRANGER), module, SALT, per_question(&KEY)),
			Error::<Test>::NotModuleAuthor
		);
		assert_ok!(reveal_key(module));
		System::assert_last_event(Event::KeyRevealed { module, salt: SALT }.into());
		assert_noop!(reveal_key(module), Error::<Test>::KeyRevealed);
	});
}

#[test]
fn only_enrolled_patients_take_assessments_within_the_module_s_cap() {
	run(|| {
		let module = module_with(PATIENT);
		// A record without a confirmed checkup is not enrolled.
		consent(STRANGER, PROVIDER, Purpose::Research);
		assert_noop!(commit(STRANGER, module, &KEY), Error::<Test>::NotEnrolled);
		assert_noop!(commit(77, module, &KEY), Error::<Test>::UnknownPatient);
		assert_noop!(commit(PATIENT, 42, &KEY), Error::<Test>::UnknownModule);
		assert_ok!(Rewards::register_provider(RuntimeOrigin::root(), OTHER_PROVIDER));
		let enrolled: Vec<AccountId> = (300..300 + u64::from(MAX_ATTEMPTS)).collect();
		for patient in &enrolled {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				patient, UNITS
			));
			consent(*patient, OTHER_PROVIDER, Purpose::CheckupConfirmation);
			checkup(OTHER_PROVIDER, *patient);
			assert_ok!(commit(*patient, module, &KEY));
		}
		assert_noop!(commit(PATIENT, module, &KEY), Error::<Test>::ModuleFull);
	});
}

#[test]
fn an_attempt_is_withdrawn_once_it_can_no_longer_be_revealed() {
	run(|| {
		let module = module_with(PATIENT);
		assert_ok!(commit(PATIENT, module, &KEY));
		set_day(START_DAY + SITTING);
		assert_noop!(
			Rewards::withdraw_attempt(RuntimeOrigin::signed(PATIENT), module),
			Error::<Test>::AttemptStillOpen
		);
		assert_noop!(
			Rewards::retire_module(RuntimeOrigin::signed(AUTHOR), module),
			Error::<Test>::ModuleInUse
		);
		// The author never reveals the key: after the reveal days the patient withdraws.
		set_day(START_DAY + SITTING + REVEAL_DAYS);
		assert_noop!(reveal_key(module), Error::<Test>::RevealClosed);
		assert_ok!(Rewards::withdraw_attempt(RuntimeOrigin::signed(PATIENT), module));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Attempt.into(), &PATIENT), 0);
		assert_ok!(Rewards::retire_module(RuntimeOrigin::signed(AUTHOR), module));
		assert!(Modules::<Test>::get(module).is_none());
		assert_eq!(Balances::balance_on_hold(&HoldReason::Module.into(), &AUTHOR), 0);
	});
}

#[test]
fn answers_are_revealed_only_within_the_reveal_window() {
	run(|| {
		let module = module_with(PATIENT);
		assert_ok!(commit(PATIENT, module, &KEY));
		set_day(START_DAY + SITTING);
		assert_noop!(reveal(PATIENT, module, &KEY), Error::<Test>::KeyNotRevealed);
		assert_ok!(reveal_key(module));
		set_day(START_DAY + SITTING + REVEAL_DAYS);
		assert_noop!(reveal(PATIENT, module, &KEY), Error::<Test>::RevealClosed);
		assert_ok!(Rewards::withdraw_attempt(RuntimeOrigin::signed(PATIENT), module));
	});
}

#[test]
fn modules_are_created_by_registered_authors_with_sane_sittings() {
	run(|| {
		let hashes = per_question(&[H256::zero()]);
		assert_noop!(
			Rewards::create_module(
				RuntimeOrigin::signed(STRANGER),
				hashes.clone(),
				Perbill::one(),
				1
			),
			Error::<Test>::NotAuthor
		);
		assert_ok!(Rewards::register_author(RuntimeOrigin::root(), AUTHOR));
		assert_noop!(
			Rewards::register_author(RuntimeOrigin::root(), AUTHOR),
			Error::<Test>::AlreadyAuthor
		);
		assert_noop!(
			Rewards::create_module(
				RuntimeOrigin::signed(AUTHOR),
				per_question(&[]),
				Perbill::one(),
				1
			),
			Error::<Test>::BadQuestionCount
		);
		for days in [0, 31] {
			assert_noop!(
				Rewards::create_module(
					RuntimeOrigin::signed(AUTHOR),
					hashes.clone(),
					Perbill::one(),
					days
				),
				Error::<Test>::BadSitting
			);
		}
		assert_ok!(Rewards::create_module(
			RuntimeOrigin::signed(AUTHOR),
			hashes,
			Perbill::one(),
			1
		));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Module.into(), &AUTHOR), MODULE_DEPOSIT);
		assert_ok!(Rewards::remove_author(RuntimeOrigin::root(), AUTHOR));
		assert_noop!(
			Rewards::remove_author(RuntimeOrigin::root(), AUTHOR),
			Error::<Test>::NotAuthor
		);
	});
}

#[test]
fn revealing_the_key_early_closes_the_sitting() {
	run(|| {
		let module = module_with(PATIENT);
		assert_ok!(commit(PATIENT, module, &KEY));
		provider_for(PROVIDER, OTHER_PATIENT);
		checkup(PROVIDER, OTHER_PATIENT);
		// The class has committed: the author reveals the key on the sitting's first day.
		assert_ok!(reveal_key(module));
		// Nobody commits once the key is public, not even before the scheduled close.
		assert_noop!(commit(OTHER_PATIENT, module, &KEY), Error::<Test>::SittingClosed);
		assert_ok!(reveal(PATIENT, module, &KEY));
		System::assert_has_event(
			Event::AssessmentScored {
				module,
				patient: PATIENT,
				score: Perbill::one(),
				passed: true,
			}
			.into(),
		);
		// Closed and without attempts: the author may retire it the same day.
		assert_ok!(Rewards::retire_module(RuntimeOrigin::signed(AUTHOR), module));
	});
}
