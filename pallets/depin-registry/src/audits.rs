//! Challenge tasks, fee currencies and the removal of concluded records.
//!
//! An auditor (registered by governance) posts a known-answer task from any account with the
//! same call, events and routing as a clinic, putting the seal of the expected findings in the
//! task's `reference` ([`btt_primitives::depin::challenge_seal`]). After the task concludes it
//! opens the seal ([`Pallet::reveal_challenge`]): each assignee's reveal counts as a challenge
//! passed or failed (the evidence behind `P_compute`), and a quorum that missed the answer is
//! slashed like one a spot check overturned. The reward pot reimburses the fee.

use crate::{
	pallet::*, verdict::findings_digest, BalanceOf, ChallengeOutcome, Concluded, CurrencyOf,
	Offence, Review, TaskResult,
};
use btt_primitives::depin::{self, Findings, InputFault, TaskId};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_fee_currency(
		currency: CurrencyOf<T>,
		least_fee: Option<BalanceOf<T>>,
	) -> DispatchResult {
		match least_fee {
			Some(least_fee) => {
				let listed = FeeCurrencies::<T>::contains_key(&currency);
				ensure!(
					listed || FeeCurrencies::<T>::count() < T::MaxFeeCurrencies::get(),
					Error::<T>::TooManyFeeCurrencies
				);
				FeeCurrencies::<T>::insert(&currency, least_fee);
				Self::deposit_event(Event::FeeCurrencyListed { currency, least_fee });
			},
			None => {
				ensure!(FeeCurrencies::<T>::contains_key(&currency), Error::<T>::CurrencyNotListed);
				FeeCurrencies::<T>::remove(&currency);
				Self::deposit_event(Event::FeeCurrencyDelisted { currency });
			},
		}
		Ok(())
	}

	pub(crate) fn do_add_auditor(auditor: T::AccountId) -> DispatchResult {
		ensure!(!Auditors::<T>::contains_key(&auditor), Error::<T>::AlreadyAuditor);
		ensure!(Auditors::<T>::count() < T::MaxAuditors::get(), Error::<T>::TooManyAuditors);
		Auditors::<T>::insert(&auditor, ());
		Self::deposit_event(Event::AuditorAdded { auditor });
		Ok(())
	}

	pub(crate) fn do_remove_auditor(auditor: T::AccountId) -> DispatchResult {
		ensure!(Auditors::<T>::contains_key(&auditor), Error::<T>::NotAuditor);
		Auditors::<T>::remove(&auditor);
		Self::deposit_event(Event::AuditorRemoved { auditor });
		Ok(())
	}

	/// Opens a challenge seal; returns the task's number of assignees (the weight's component).
	pub(crate) fn do_reveal_challenge(
		auditor: T::AccountId,
		id: TaskId,
		expected: Findings,
		salt: [u8; 32],
	) -> Result<u32, DispatchError> {
		ensure!(Auditors::<T>::contains_key(&auditor), Error::<T>::NotAuditor);
		let mut record = Results::<T>::get(id).ok_or(Error::<T>::NotConcluded)?;
		ensure!(!record.audited, Error::<T>::AlreadyAudited);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now < record.concluded_at.saturating_add(T::AuditWindow::get()),
			Error::<T>::AuditWindowClosed
		);
		let seal =
			depin::challenge_seal(&auditor, &record.model, &record.input_hash, &expected, &salt);
		ensure!(seal == record.reference, Error::<T>::SealMismatch);

		record.audited = true;
		let k = record.reveals.len() as u32;
		let mut routing = Routing::<T>::get();
		let mut paid_out = false;
		let outcome = match &mut record.outcome {
			TaskResult::Verified { findings, quorum, overturned, .. } => {
				paid_out = true;
				if InputFault::from_findings(findings).is_some() {
					// The nodes found the input unusable: the auditor may have failed to serve it.
					ChallengeOutcome::Void
				} else {
					let answer = findings_digest(&expected);
					for reveal in record.reveals.iter() {
						Self::record_challenge(
							&reveal.node,
							reveal.findings == Some(answer),
							&mut routing,
						);
					}
					if *findings == expected {
						ChallengeOutcome::Passed
					} else {
						if !*overturned {
							for node in quorum.iter() {
								Self::penalize(node, id, Offence::FailedChallenge, &mut routing);
							}
							*overturned = true;
						}
						ChallengeOutcome::Failed
					}
				}
			},
			TaskResult::Failed { .. } => ChallengeOutcome::Void,
		};
		let reimbursed =
			if paid_out { Self::reimburse(&auditor, record.fee) } else { Zero::zero() };
		Results::<T>::insert(id, record);
		Routing::<T>::put(routing);
		Self::deposit_event(Event::ChallengeAudited { task: id, auditor, outcome, reimbursed });
		Ok(k)
	}

	/// Pays the auditor back a challenge's fee from the reward pot, within what is left of
	/// this epoch's `ChallengeBudget` and what the pot can pay without being reaped.
	fn reimburse(auditor: &T::AccountId, fee: BalanceOf<T>) -> BalanceOf<T> {
		let epoch = Self::current_epoch();
		let (spent_epoch, spent) = ChallengeSpending::<T>::get();
		let spent = if spent_epoch == epoch { spent } else { Zero::zero() };
		let pot = Self::reward_pot();
		let available =
			T::NativeBalance::reducible_balance(&pot, Preservation::Preserve, Fortitude::Polite);
		let amount = fee.min(T::ChallengeBudget::get().saturating_sub(spent)).min(available);
		if amount.is_zero() {
			return amount;
		}
		match T::NativeBalance::transfer(&pot, auditor, amount, Preservation::Preserve) {
			Ok(paid) => {
				ChallengeSpending::<T>::put((epoch, spent.saturating_add(paid)));
				paid
			},
			Err(_) => Zero::zero(),
		}
	}

	/// Removes a concluded record once retained long enough and settled, releasing the
	/// poster's deposit.
	pub(crate) fn do_remove_result(id: TaskId) -> DispatchResult {
		let record: Concluded<_, _, _, _> =
			Results::<T>::get(id).ok_or(Error::<T>::NotConcluded)?;
		let now = frame_system::Pallet::<T>::block_number();
		let retained = now < record.concluded_at.saturating_add(T::ResultRetention::get());
		let reviewing = matches!(record.outcome, TaskResult::Verified { review, .. } if review != Review::Settled);
		ensure!(!retained && !reviewing, Error::<T>::ResultRetained);
		let deposit = if record.deposit.is_zero() {
			record.deposit
		} else {
			T::NativeBalance::release(
				&HoldReason::TaskDeposit.into(),
				&record.clinic,
				record.deposit,
				Precision::BestEffort,
			)?
		};
		Results::<T>::remove(id);
		Self::deposit_event(Event::ResultRemoved { task: id, clinic: record.clinic, deposit });
		Ok(())
	}
}
