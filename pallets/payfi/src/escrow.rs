//! Escrow: money held by the pallet account until one of the payer's conditions releases it to
//! the payee, or its refund block returns it to the payer; disputes go to the arbiter.
//!
//! - Creating one costs the payer [`Config::EscrowDeposit`] (BTT, held) and is capped per payer
//!   ([`Config::MaxEscrowsPerPayer`]); the payee must be registered and a slot of its statement
//!   is reserved for the record its release writes, so a release never fails for want of one.
//! - A condition counts only if it held before the refund block; from the refund block with
//!   none held, the escrow refunds. [`Pallet::do_settle`] (anyone may call it) does whichever
//!   applies, so neither side depends on the other to finish.
//! - A DePIN task condition is met when the registry reports the task verified **and** the
//!   task's poster is the payee: a payer cannot be made to pay for someone else's task. The
//!   report costs O(1) ([`AwaitedTasks`]), whatever the number of escrows naming the task.
//! - A dispute (payer or payee, before settlement and before the refund block) freezes the
//!   escrow until `ArbiterOrigin` splits it; the disputer's deposit returns to it, or goes to
//!   the other party if the arbiter finds the dispute frivolous.

use crate::{
	AwaitedTask, AwaitedTasks, BalanceOf, Condition, ConditionOf, Config, CurrencyOf, Dispute,
	Error, Escrow, EscrowId, EscrowOf, Escrowed, Escrows, EscrowsOf, Event, HoldReason,
	MaxConditions, NextEscrowId, Pallet, Payees, PaymentRecord, Route, Settlement, WeightInfo,
};
use btt_primitives::{
	depin::{OnTaskVerified, VerifiedDiagnosis},
	payfi::BillingCode,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, Saturating, Zero},
	DispatchResult, Permill,
};

impl<T: Config> Pallet<T> {
	/// The account every escrowed amount is held in.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Moves `amount` of the payer's `currency` into the escrow account (counted in
	/// [`Escrowed`]) and holds `deposit` of its BTT under `reason`: how an escrow and a tab
	/// take their money. The caller has made every check: a failure here is the payer's
	/// funds, and the call's storage transaction undoes whatever moved before it.
	pub(crate) fn hold_in_escrow(
		payer: &T::AccountId,
		reason: HoldReason,
		deposit: BalanceOf<T>,
		currency: &CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::NativeBalance::hold(&reason.into(), payer, deposit)?;
		T::Currencies::transfer(
			currency.clone(),
			payer,
			&Self::escrow_account(),
			amount,
			Preservation::Preserve,
		)?;
		Escrowed::<T>::mutate(currency, |total| total.saturating_accrue(amount));
		Ok(())
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_escrow(
		payer: T::AccountId,
		payee: T::AccountId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
		conditions: BoundedVec<ConditionOf<T>, MaxConditions>,
		refund_at: BlockNumberFor<T>,
		code: BillingCode<T::AccountId>,
	) -> Result<EscrowId, DispatchError> {
		ensure!(payer != payee, Error::<T>::SelfPayment);
		Self::check_code(&code)?;
		Self::check_conditions(&payee, &conditions, refund_at)?;
		let mut info = Self::payee_with_free_slot(&payee, &currency, amount)?;
		let count = EscrowsOf::<T>::get(&payer);
		ensure!(count < T::MaxEscrowsPerPayer::get(), Error::<T>::TooManyEscrows);

		let deposit = T::EscrowDeposit::get();
		Self::hold_in_escrow(&payer, HoldReason::Escrow, deposit, &currency, amount)?;
		for condition in &conditions {
			if let Condition::TaskVerified(task) = condition {
				AwaitedTasks::<T>::mutate(task, |awaited| {
					let entry = awaited.get_or_insert(AwaitedTask { waiting: 0, verified: None });
					entry.waiting = entry.waiting.saturating_add(1);
				});
			}
		}
		EscrowsOf::<T>::insert(&payer, count.saturating_add(1));
		info.escrows = info.escrows.saturating_add(1);
		Payees::<T>::insert(&payee, info);
		let id = Self::take_id::<NextEscrowId<T>>();
		let escrow = Escrow {
			payer,
			payee,
			currency,
			amount,
			conditions,
			refund_at,
			code,
			deposit,
			confirmed_at: None,
			dispute: None,
		};
		Self::deposit_event(Event::Escrowed {
			id,
			payer: escrow.payer.clone(),
			payee: escrow.payee.clone(),
			currency: escrow.currency.clone(),
			amount,
			refund_at,
		});
		Escrows::<T>::insert(id, escrow);
		Ok(id)
	}

	/// One to three distinct conditions, none confirmed by the payee, every block condition
	/// after now and before the refund block, which is within `MaxEscrowPeriod`.
	fn check_conditions(
		payee: &T::AccountId,
		conditions: &[ConditionOf<T>],
		refund_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(!conditions.is_empty(), Error::<T>::NoCondition);
		ensure!(refund_at > now, Error::<T>::RefundInPast);
		ensure!(
			refund_at <= now.saturating_add(T::MaxEscrowPeriod::get()),
			Error::<T>::EscrowTooLong
		);
		for (index, condition) in conditions.iter().enumerate() {
			ensure!(
				!conditions.iter().take(index).any(|earlier| earlier == condition),
				Error::<T>::DuplicateCondition
			);
			match condition {
				Condition::ConfirmedBy(who) => {
					ensure!(who != payee, Error::<T>::PayeeCannotConfirm)
				},
				Condition::At(block) => {
					ensure!(*block > now, Error::<T>::ReleaseInPast);
					ensure!(*block < refund_at, Error::<T>::RefundBeforeRelease);
				},
				Condition::TaskVerified(_) => {},
			}
		}
		Ok(())
	}

	pub(crate) fn do_confirm(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
		ensure!(
			escrow.conditions.contains(&Condition::ConfirmedBy(who.clone())),
			Error::<T>::NotConfirmer
		);
		ensure!(escrow.confirmed_at.is_none(), Error::<T>::AlreadyConfirmed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < escrow.refund_at, Error::<T>::EscrowExpired);
		escrow.confirmed_at = Some(now);
		Escrows::<T>::insert(id, escrow);
		Self::deposit_event(Event::EscrowConfirmed { id, by: who });
		Ok(())
	}

	/// Whether one of the escrow's conditions held before its refund block (and by `now`).
	pub fn condition_met(escrow: &EscrowOf<T>, now: BlockNumberFor<T>) -> bool {
		escrow.conditions.iter().any(|condition| match condition {
			Condition::ConfirmedBy(_) => {
				escrow.confirmed_at.is_some_and(|at| at < escrow.refund_at)
			},
			Condition::At(block) => *block <= now && *block < escrow.refund_at,
			Condition::TaskVerified(task) => AwaitedTasks::<T>::get(task)
				.and_then(|awaited| awaited.verified)
				.is_some_and(|(clinic, at)| clinic == escrow.payee && at < escrow.refund_at),
		})
	}

	/// Releases the escrow to its payee if a condition held, refunds it if its refund block
	/// has come with none, and otherwise fails with `EscrowPending`.
	pub(crate) fn do_settle(id: EscrowId) -> Result<Settlement, DispatchError> {
		let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
		ensure!(escrow.dispute.is_none(), Error::<T>::EscrowDisputed);
		let now = frame_system::Pallet::<T>::block_number();
		if Self::condition_met(&escrow, now) {
			Self::close(id, escrow, escrow_amount_to_payee::<T>)?;
			Ok(Settlement::Released)
		} else if now >= escrow.refund_at {
			Self::close(id, escrow, |_| Zero::zero())?;
			Ok(Settlement::Refunded)
		} else {
			Err(Error::<T>::EscrowPending.into())
		}
	}

	pub(crate) fn do_dispute(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
		ensure!(who == escrow.payer || who == escrow.payee, Error::<T>::NotParty);
		ensure!(escrow.dispute.is_none(), Error::<T>::EscrowDisputed);
		ensure!(
			frame_system::Pallet::<T>::block_number() < escrow.refund_at,
			Error::<T>::EscrowExpired
		);
		let deposit = T::DisputeDeposit::get();
		T::NativeBalance::hold(&HoldReason::Dispute.into(), &who, deposit)?;
		escrow.dispute = Some(Dispute { by: who.clone(), deposit });
		Escrows::<T>::insert(id, escrow);
		Self::deposit_event(Event::EscrowDisputed { id, by: who });
		Ok(())
	}

	/// The arbiter's decision: `payee_share` of the amount to the payee, the rest to the payer
	/// (the payee's part rounded down: the payer receives the remainder). Each part is zero or
	/// at least the currency's minimum balance. The disputer's deposit returns to it, or, if
	/// `frivolous`, goes to the other party.
	pub(crate) fn do_resolve(
		id: EscrowId,
		payee_share: Permill,
		frivolous: bool,
	) -> DispatchResult {
		let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
		let dispute = escrow.dispute.clone().ok_or(Error::<T>::NotDisputed)?;
		let to_payee = payee_share.mul_floor(escrow.amount);
		let to_payer = escrow.amount.saturating_sub(to_payee);
		let minimum = T::Currencies::minimum_balance(escrow.currency.clone());
		for part in [to_payee, to_payer] {
			ensure!(part.is_zero() || part >= minimum, Error::<T>::ShareBelowMinimum);
		}
		let reason = HoldReason::Dispute.into();
		if frivolous {
			let other = if dispute.by == escrow.payer { &escrow.payee } else { &escrow.payer };
			T::NativeBalance::transfer_on_hold(
				&reason,
				&dispute.by,
				other,
				dispute.deposit,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?;
		} else {
			T::NativeBalance::release(
				&reason,
				&dispute.by,
				dispute.deposit,
				Precision::BestEffort,
			)?;
		}
		Self::close(id, escrow, |_| to_payee)?;
		Ok(())
	}

	/// Ends an escrow: `to_payee(&escrow)` to the payee (recorded in its statement when not
	/// zero), the rest to the payer, the payer's deposit released, the counts and the task
	/// index updated.
	fn close(
		id: EscrowId,
		escrow: EscrowOf<T>,
		to_payee: impl FnOnce(&EscrowOf<T>) -> BalanceOf<T>,
	) -> DispatchResult {
		let to_payee = to_payee(&escrow);
		let to_payer = escrow.amount.saturating_sub(to_payee);
		let account = Self::escrow_account();
		for (who, part) in [(&escrow.payee, to_payee), (&escrow.payer, to_payer)] {
			if !part.is_zero() {
				T::Currencies::transfer(
					escrow.currency.clone(),
					&account,
					who,
					part,
					Preservation::Expendable,
				)?;
			}
		}
		T::NativeBalance::release(
			&HoldReason::Escrow.into(),
			&escrow.payer,
			escrow.deposit,
			Precision::BestEffort,
		)?;
		Escrowed::<T>::mutate(&escrow.currency, |total| total.saturating_reduce(escrow.amount));
		EscrowsOf::<T>::mutate_exists(&escrow.payer, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		for condition in &escrow.conditions {
			if let Condition::TaskVerified(task) = condition {
				AwaitedTasks::<T>::mutate_exists(task, |awaited| {
					if let Some(entry) = awaited {
						entry.waiting = entry.waiting.saturating_sub(1);
						if entry.waiting == 0 {
							*awaited = None;
						}
					}
				});
			}
		}
		Escrows::<T>::remove(id);
		if let Some(mut info) = Payees::<T>::get(&escrow.payee) {
			info.escrows = info.escrows.saturating_sub(1);
			if to_payee.is_zero() {
				Payees::<T>::insert(&escrow.payee, info);
			} else {
				let record = PaymentRecord {
					payer: escrow.payer.clone(),
					paid: (escrow.currency.clone(), escrow.amount),
					received: (escrow.currency.clone(), to_payee),
					route: Route::Direct,
					code: escrow.code,
					at: frame_system::Pallet::<T>::block_number(),
					escrow: Some(id),
					split: None,
				};
				Self::record_payment(&escrow.payee, info, record);
			}
		}
		Self::deposit_event(Event::EscrowSettled {
			id,
			to_payee: (escrow.payee, to_payee),
			to_payer: (escrow.payer, to_payer),
		});
		Ok(())
	}

	/// The escrow's pending record, for clients.
	pub fn pending_escrow(id: EscrowId) -> Option<EscrowOf<T>> {
		Escrows::<T>::get(id)
	}
}

/// A release pays the payee everything.
fn escrow_amount_to_payee<T: Config>(escrow: &EscrowOf<T>) -> BalanceOf<T> {
	escrow.amount
}

/// The DePIN registry reports verified diagnoses here: a task some escrow waits for is marked
/// verified, with its poster, in one read and one write.
impl<T: Config> OnTaskVerified<T::AccountId> for Pallet<T> {
	fn on_task_verified(diagnosis: &VerifiedDiagnosis<T::AccountId>) {
		AwaitedTasks::<T>::mutate(diagnosis.task, |awaited| {
			if let Some(entry) = awaited {
				if entry.verified.is_none() {
					let now = frame_system::Pallet::<T>::block_number();
					entry.verified = Some((diagnosis.clinic.clone(), now));
				}
			}
		});
	}

	fn weight() -> Weight {
		<T as Config>::WeightInfo::on_task_verified()
	}
}
