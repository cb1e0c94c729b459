//! Health education modules, scored on chain by a commit–reveal assessment.
//!
//! A public salt would let anyone hash the few possible answers of each question and read the
//! key off the chain, so a module runs as **one sitting**:
//! 1. An author (registered by `RewardsOrigin`) creates the module: per question the hash of
//!    its salted answer ([`Pallet::answer_hash`]), a pass mark, and how many days the sitting
//!    stays open; it holds [`Config::ModuleDeposit`].
//! 2. While the sitting is open, an enrolled patient (one with a confirmed checkup: a real
//!    visit, so sock puppets cannot guess at scale) commits to its answers
//!    ([`Pallet::answers_commitment`], which names the patient and the module, so a
//!    commitment cannot be copied), holding [`Config::AttemptDeposit`]. **One attempt per
//!    module**: an assessment cannot be resubmitted until it passes.
//! 3. The author reveals the salt and the key, which closes the sitting if it was still open
//!    (a module for one class can close when the class has committed); the chain checks the
//!    key against the hashes. Revealing early cannot help anyone cheat: every attempt was
//!    committed before the key was public, and an author who wants to leak its key can do so
//!    off chain whatever the rules.
//! 4. Within [`Config::RevealDays`], each patient reveals its answers and nonce; the chain
//!    scores them. A score at or above the pass mark earns the reward with `C` = the score.
//!    The deposit returns either way.
//!
//! A patient whose attempt can no longer be revealed (the window closed, or the author never
//! revealed the key in time) withdraws it and gets its deposit back; the author retires the
//! module once no attempt is left.

use crate::{
	Attempt, Attempts, Authors, Category, Config, EducationModule, Error, Event, HoldReason,
	ModuleId, Modules, NextModuleId, Pallet, Patients, PerQuestion,
};
use codec::Encode;
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, Get},
};
use sp_core::H256;
use sp_runtime::{DispatchResult, Perbill};

/// Domain of an answer's hash.
pub const ANSWER_DOMAIN: &[u8] = b"btt/rewards/answer/v1";
/// Domain of a patient's commitment to its answers.
pub const COMMITMENT_DOMAIN: &[u8] = b"btt/rewards/answers/v1";

impl<T: Config> Pallet<T> {
	/// The hash of question `index`'s answer under `salt`:
	/// `blake2_256("btt/rewards/answer/v1" ‖ SCALE(salt, index, answer))`.
	pub fn answer_hash(salt: &H256, index: u32, answer: u8) -> H256 {
		sp_io::hashing::blake2_256(&(ANSWER_DOMAIN, salt, index, answer).encode()).into()
	}

	/// A patient's commitment to its answers to `module`:
	/// `blake2_256("btt/rewards/answers/v1" ‖ SCALE(patient, module, answers, nonce))`.
	pub fn answers_commitment(
		patient: &T::AccountId,
		module: ModuleId,
		answers: &[u8],
		nonce: &H256,
	) -> H256 {
		sp_io::hashing::blake2_256(&(COMMITMENT_DOMAIN, patient, module, answers, nonce).encode())
			.into()
	}

	pub(crate) fn do_create_module(
		author: T::AccountId,
		answer_hashes: PerQuestion<H256>,
		pass_mark: Perbill,
		sitting_days: u32,
	) -> DispatchResult {
		ensure!(Authors::<T>::contains_key(&author), Error::<T>::NotAuthor);
		ensure!(!answer_hashes.is_empty(), Error::<T>::BadQuestionCount);
		ensure!((1..=T::MaxSittingDays::get()).contains(&sitting_days), Error::<T>::BadSitting);
		let deposit = T::ModuleDeposit::get();
		T::NativeBalance::hold(&HoldReason::Module.into(), &author, deposit)?;
		let module = Self::take_id::<NextModuleId<T>>();
		let sitting_closes = Self::today().saturating_add(sitting_days);
		let questions = answer_hashes.len() as u32;
		Modules::<T>::insert(
			module,
			EducationModule {
				author: author.clone(),
				answer_hashes,
				pass_mark,
				sitting_closes,
				key_revealed: None,
				answers: None,
				attempts: 0,
				committed: 0,
				deposit,
			},
		);
		Self::deposit_event(Event::ModuleCreated {
			module,
			author,
			questions,
			pass_mark,
			sitting_closes,
		});
		Ok(())
	}

	pub(crate) fn do_commit_answers(
		patient: T::AccountId,
		module: ModuleId,
		commitment: H256,
	) -> DispatchResult {
		let mut info = Modules::<T>::get(module).ok_or(Error::<T>::UnknownModule)?;
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(record.checkups > 0, Error::<T>::NotEnrolled);
		ensure!(
			Self::today() < info.sitting_closes && info.key_revealed.is_none(),
			Error::<T>::SittingClosed
		);
		ensure!(!Attempts::<T>::contains_key(module, &patient), Error::<T>::AlreadyAttempted);
		ensure!(info.committed < T::MaxAttemptsPerModule::get(), Error::<T>::ModuleFull);
		let deposit = T::AttemptDeposit::get();
		T::NativeBalance::hold(&HoldReason::Attempt.into(), &patient, deposit)?;
		info.attempts = info.attempts.saturating_add(1);
		info.committed = info.committed.saturating_add(1);
		Modules::<T>::insert(module, info);
		record.attempts = record.attempts.saturating_add(1);
		Patients::<T>::insert(&patient, record);
		Attempts::<T>::insert(module, &patient, Attempt { commitment, deposit });
		Self::deposit_event(Event::AnswersCommitted { module, patient });
		Ok(())
	}

	pub(crate) fn do_reveal_key(
		author: T::AccountId,
		module: ModuleId,
		salt: H256,
		answers: PerQuestion<u8>,
	) -> DispatchResult {
		let mut info = Modules::<T>::get(module).ok_or(Error::<T>::UnknownModule)?;
		ensure!(info.author == author, Error::<T>::NotModuleAuthor);
		let today = Self::today();
		ensure!(info.key_revealed.is_none(), Error::<T>::KeyRevealed);
		ensure!(
			today < info.sitting_closes.saturating_add(T::RevealDays::get()),
			Error::<T>::RevealClosed
		);
		ensure!(answers.len() == info.answer_hashes.len(), Error::<T>::BadQuestionCount);
		let matches = info.answer_hashes.iter().zip(answers.iter()).enumerate().all(
			|(index, (hash, answer))| Self::answer_hash(&salt, index as u32, *answer) == *hash,
		);
		ensure!(matches, Error::<T>::BadKey);
		info.key_revealed = Some(today);
		info.answers = Some(answers);
		Modules::<T>::insert(module, info);
		Self::deposit_event(Event::KeyRevealed { module, salt });
		Ok(())
	}

	pub(crate) fn do_reveal_answers(
		patient: T::AccountId,
		module: ModuleId,
		answers: PerQuestion<u8>,
		nonce: H256,
	) -> DispatchResult {
		let attempt = Attempts::<T>::get(module, &patient).ok_or(Error::<T>::UnknownAttempt)?;
		let info = Modules::<T>::get(module).ok_or(Error::<T>::UnknownModule)?;
		let (Some(revealed), Some(key)) = (info.key_revealed, info.answers.as_ref()) else {
			return Err(Error::<T>::KeyNotRevealed.into());
		};
		let today = Self::today();
		ensure!(today < revealed.saturating_add(T::RevealDays::get()), Error::<T>::RevealClosed);
		ensure!(
			Self::answers_commitment(&patient, module, &answers, &nonce) == attempt.commitment,
			Error::<T>::CommitmentMismatch
		);
		let correct = key.iter().zip(answers.iter()).filter(|(a, b)| a == b).count() as u32;
		let score = Perbill::from_rational(correct, key.len().max(1) as u32);
		let passed = score >= info.pass_mark;

		Self::end_attempt(module, &patient, attempt.deposit)?;
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		if passed {
			Self::earn(&patient, &mut record, Category::Education, score, None, today)?;
			Patients::<T>::insert(&patient, record);
		}
		Self::deposit_event(Event::AssessmentScored { module, patient, score, passed });
		Ok(())
	}

	pub(crate) fn do_withdraw_attempt(patient: T::AccountId, module: ModuleId) -> DispatchResult {
		let attempt = Attempts::<T>::get(module, &patient).ok_or(Error::<T>::UnknownAttempt)?;
		let info = Modules::<T>::get(module).ok_or(Error::<T>::UnknownModule)?;
		let open_until = info.key_revealed.unwrap_or(info.sitting_closes);
		ensure!(
			Self::today() >= open_until.saturating_add(T::RevealDays::get()),
			Error::<T>::AttemptStillOpen
		);
		Self::end_attempt(module, &patient, attempt.deposit)?;
		Self::deposit_event(Event::AttemptWithdrawn { module, patient });
		Ok(())
	}

	pub(crate) fn do_retire_module(author: T::AccountId, module: ModuleId) -> DispatchResult {
		let info = Modules::<T>::get(module).ok_or(Error::<T>::UnknownModule)?;
		ensure!(info.author == author, Error::<T>::NotModuleAuthor);
		let closed = info.key_revealed.is_some() || Self::today() >= info.sitting_closes;
		ensure!(info.attempts == 0 && closed, Error::<T>::ModuleInUse);
		Modules::<T>::remove(module);
		Self::release(HoldReason::Module, &author, info.deposit)?;
		Self::deposit_event(Event::ModuleRetired { module });
		Ok(())
	}

	/// Removes `patient`'s attempt at `module` and releases its deposit.
	fn end_attempt(
		module: ModuleId,
		patient: &T::AccountId,
		deposit: crate::BalanceOf<T>,
	) -> DispatchResult {
		Attempts::<T>::remove(module, patient);
		Modules::<T>::mutate(module, |info| {
			if let Some(info) = info {
				info.attempts = info.attempts.saturating_sub(1);
			}
		});
		Patients::<T>::mutate(patient, |record| {
			if let Some(record) = record {
				record.attempts = record.attempts.saturating_sub(1);
			}
		});
		Self::release(HoldReason::Attempt, patient, deposit)
	}

	pub(crate) fn do_register_author(author: T::AccountId) -> DispatchResult {
		ensure!(!Authors::<T>::contains_key(&author), Error::<T>::AlreadyAuthor);
		Authors::<T>::insert(&author, ());
		Self::deposit_event(Event::AuthorRegistered { author });
		Ok(())
	}

	pub(crate) fn do_remove_author(author: T::AccountId) -> DispatchResult {
		ensure!(Authors::<T>::take(&author).is_some(), Error::<T>::NotAuthor);
		Self::deposit_event(Event::AuthorRemoved { author });
		Ok(())
	}
}
