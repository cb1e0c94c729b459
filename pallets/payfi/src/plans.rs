//! Recurring payments: membership and instalment plans, made by pallet-scheduler.
//!
//! A plan holds exactly one task in the scheduler at a time: a one-off
//! [`Pallet::pay_scheduled`] at its next payment's block, dispatched as the payer. Each payment
//! schedules the next one, so a plan takes one agenda slot whatever its number of payments,
//! and the pallet always knows which task is its own (the task name includes the payments
//! left). What a plan costs its payer: [`Config::PlanDeposit`] and
//! [`Config::PlanDepositPerPayment`] per payment, held until it ends; a period of at least
//! [`Config::MinPlanPeriod`]; at most [`Config::MaxPaymentsPerPlan`] payments and
//! [`Config::MaxPlansPerPayer`] plans.
//!
//! Each payment is made as [`Pallet::pay`] makes it (the code checked again, the route, the
//! payer's `max_in`, a record in the payee's statement). A payment that fails stops the plan
//! (`PlanEnded { end: Stopped, error }`) and releases the deposit: a plan never retries a
//! payment the payer could not make, and never pays twice for one due date.

use crate::{pallet::*, BalanceOf, CurrencyOf, Plan, PlanEnd, PlanId, PlanOf, WeightInfo};
use btt_primitives::payfi::BillingCode;
use codec::Encode;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold as _,
		schedule::{v3::Named as _, DispatchTime},
		tokens::Precision,
		Bounded, Get, OriginTrait,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, Saturating, Zero},
	DispatchError, DispatchResult,
};

/// The scheduler task name of the payment of `plan` made while `remaining` payments are left.
pub fn plan_task_name(plan: PlanId, remaining: u32) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(b"btt/payfi/plan", plan, remaining).encode())
}

impl<T: Config> Pallet<T> {
	/// The deposit of a plan of `payments` payments:
	/// `PlanDeposit + PlanDepositPerPayment · payments`.
	pub fn plan_deposit(payments: u32) -> Result<BalanceOf<T>, DispatchError> {
		T::PlanDepositPerPayment::get()
			.checked_mul(&payments.into())
			.and_then(|deposit| deposit.checked_add(&T::PlanDeposit::get()))
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	/// The weight of one scheduled payment: the most expensive route (two pools) and the
	/// scheduling of the next one.
	pub fn pay_scheduled_weight() -> Weight {
		T::WeightInfo::pay_scheduled()
	}

	/// Puts the payment of `plan` with `remaining` payments left into the scheduler at `when`,
	/// dispatched as `payer`; returns the block it landed in.
	///
	/// With `retry`, a full agenda moves it to one of the next [`btt_primitives::scheduling::RESCHEDULE_ATTEMPTS`] blocks.
	fn schedule_plan_payment(
		plan: PlanId,
		remaining: u32,
		payer: &T::AccountId,
		when: BlockNumberFor<T>,
		retry: bool,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::pay_scheduled { plan }.into();
		let inline: frame_support::traits::BoundedInline =
			call.encode().try_into().map_err(|_| Error::<T>::Overflow)?;
		let origin = <T::RuntimeOrigin as OriginTrait>::signed(payer.clone()).into_caller();
		let name = plan_task_name(plan, remaining);
		btt_primitives::scheduling::schedule_in_first_free_block(when, retry, |at| {
			T::Scheduler::schedule_named(
				name,
				DispatchTime::At(at),
				None,
				frame_support::traits::schedule::LOWEST_PRIORITY,
				origin.clone(),
				Bounded::Inline(inline.clone()),
			)
			.map(|_| ())
		})
		.map_err(|error| match error {
			DispatchError::Exhausted => Error::<T>::AgendaFull.into(),
			error => error,
		})
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_schedule_payments(
		payer: T::AccountId,
		payee: T::AccountId,
		pay_in: CurrencyOf<T>,
		receive: CurrencyOf<T>,
		amount: BalanceOf<T>,
		max_in: BalanceOf<T>,
		period: BlockNumberFor<T>,
		payments: u32,
		code: BillingCode<T::AccountId>,
	) -> Result<PlanId, DispatchError> {
		ensure!(payer != payee, Error::<T>::SelfPayment);
		ensure!(payments > 0, Error::<T>::NoPayments);
		ensure!(payments <= T::MaxPaymentsPerPlan::get(), Error::<T>::TooManyPayments);
		ensure!(period >= T::MinPlanPeriod::get() && !period.is_zero(), Error::<T>::PeriodTooShort);
		Self::check_code(&code)?;
		ensure!(Payees::<T>::contains_key(&payee), Error::<T>::NotPayee);
		Self::check_receivable(&receive, amount)?;
		let count = PlansOf::<T>::get(&payer);
		ensure!(count < T::MaxPlansPerPayer::get(), Error::<T>::TooManyPlans);

		let plan = NextPlanId::<T>::get();
		let next = plan.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let first = now.checked_add(&period).ok_or(Error::<T>::Overflow)?;
		let deposit = Self::plan_deposit(payments)?;
		T::NativeBalance::hold(&HoldReason::Plan.into(), &payer, deposit)?;
		// No retry: the payer learns at once that this block is full and picks another period.
		let next_due = Self::schedule_plan_payment(plan, payments, &payer, first, false)?;
		Plans::<T>::insert(
			plan,
			Plan {
				payer: payer.clone(),
				payee: payee.clone(),
				pay_in,
				received: (receive.clone(), amount),
				max_in,
				period,
				payments,
				remaining: payments,
				next_due,
				code,
				deposit,
			},
		);
		PlansOf::<T>::insert(&payer, count.saturating_add(1));
		NextPlanId::<T>::put(next);
		Self::deposit_event(Event::PlanScheduled {
			plan,
			payer,
			payee,
			received: (receive, amount),
			period,
			payments,
			first: next_due,
		});
		Ok(plan)
	}

	pub(crate) fn do_pay_scheduled(payer: T::AccountId, plan: PlanId) -> DispatchResult {
		let mut record = Plans::<T>::get(plan).ok_or(Error::<T>::UnknownPlan)?;
		ensure!(record.payer == payer, Error::<T>::NotPlanParty);
		let now = frame_system::Pallet::<T>::block_number();
		// Dispatched by hand once due (say, the scheduler postponed the task), the payment is
		// made once: the task, when it runs, finds the next payment not due and does nothing.
		ensure!(now >= record.next_due, Error::<T>::PaymentNotDue);

		let (receive, amount) = record.received.clone();
		let paid = frame_support::storage::with_storage_layer(|| {
			Self::do_pay_recorded(
				payer.clone(),
				record.payee.clone(),
				record.pay_in.clone(),
				receive,
				amount,
				record.max_in,
				record.code.clone(),
				None,
			)
		});
		let payment = match paid {
			Ok(payment) => payment,
			Err(error) => return Self::end_plan(plan, &record, PlanEnd::Stopped, Some(error)),
		};
		record.remaining = record.remaining.saturating_sub(1);
		Self::deposit_event(Event::PlanPaid { plan, payment, remaining: record.remaining });
		if record.remaining.is_zero() {
			return Self::end_plan(plan, &record, PlanEnd::Completed, None);
		}
		let due = now.saturating_add(record.period);
		match Self::schedule_plan_payment(plan, record.remaining, &payer, due, true) {
			Ok(at) => {
				record.next_due = at;
				Plans::<T>::insert(plan, record);
				Ok(())
			},
			Err(error) => Self::end_plan(plan, &record, PlanEnd::Stopped, Some(error)),
		}
	}

	pub(crate) fn do_cancel_plan(who: T::AccountId, plan: PlanId) -> DispatchResult {
		let record = Plans::<T>::get(plan).ok_or(Error::<T>::UnknownPlan)?;
		ensure!(who == record.payer || who == record.payee, Error::<T>::NotPlanParty);
		let name = plan_task_name(plan, record.remaining);
		if T::Scheduler::next_dispatch_time(name).is_ok() {
			T::Scheduler::cancel_named(name)?;
		}
		Self::end_plan(plan, &record, PlanEnd::Cancelled, None)
	}

	/// Ends a plan: releases its deposit, forgets it and says how it ended.
	fn end_plan(
		plan: PlanId,
		record: &PlanOf<T>,
		end: PlanEnd,
		error: Option<DispatchError>,
	) -> DispatchResult {
		T::NativeBalance::release(
			&HoldReason::Plan.into(),
			&record.payer,
			record.deposit,
			Precision::BestEffort,
		)?;
		Plans::<T>::remove(plan);
		PlansOf::<T>::mutate_exists(&record.payer, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		Self::deposit_event(Event::PlanEnded { plan, end, remaining: record.remaining, error });
		Ok(())
	}
}
