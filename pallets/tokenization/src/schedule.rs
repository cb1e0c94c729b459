//! Recurring revenue through pallet-scheduler.
//!
//! A schedule holds exactly one task in the scheduler at a time: a one-off
//! [`Pallet::pay_scheduled_revenue`] at its next payment's block, dispatched as the payer. Each
//! payment schedules the next one, so a schedule takes one agenda slot whatever its number of
//! payments, and the pallet always knows which task is its own (the task name includes the
//! payments left). What a schedule costs its payer: a deposit growing with its payments, held
//! until it completes or is cancelled; a minimum period; at most `MaxSchedulesPerAccount` per
//! account.

use crate::{pallet::*, types::*};
use btt_primitives::TokenizedAssetId;
use codec::Encode;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold as _,
		fungibles::Inspect as _,
		schedule::{v3::Named as _, DispatchTime},
		tokens::Precision,
		Bounded, Get, OriginTrait,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, Saturating, Zero},
	DispatchError, DispatchResult,
};

/// The scheduler task name of the payment of `schedule` made while `remaining` payments are
/// left.
pub fn schedule_task_name(schedule: ScheduleId, remaining: u32) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(b"btt/tokenization/revenue", schedule, remaining).encode())
}

impl<T: Config> Pallet<T> {
	/// The deposit of a schedule of `payments` payments:
	/// `ScheduleDeposit + ScheduleDepositPerPayment · payments`.
	pub fn schedule_deposit(payments: u32) -> Result<BalanceOf<T>, DispatchError> {
		T::ScheduleDepositPerPayment::get()
			.checked_mul(&payments.into())
			.and_then(|d| d.checked_add(&T::ScheduleDeposit::get()))
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	/// Puts the payment of `schedule` with `remaining` payments left into the scheduler at
	/// `when`, dispatched as `payer`; returns the block it landed in.
	///
	/// With `retry`, a full agenda moves it to one of the next [`btt_primitives::scheduling::RESCHEDULE_ATTEMPTS`] blocks.
	fn schedule_payment(
		schedule: ScheduleId,
		remaining: u32,
		payer: &T::AccountId,
		when: BlockNumberFor<T>,
		retry: bool,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::pay_scheduled_revenue { schedule }.into();
		let inline: frame_support::traits::BoundedInline =
			call.encode().try_into().map_err(|_| Error::<T>::InvalidSchedule)?;
		let origin = <T::RuntimeOrigin as OriginTrait>::signed(payer.clone()).into_caller();
		let name = schedule_task_name(schedule, remaining);
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

	pub(crate) fn do_schedule_revenue(
		payer: T::AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
		period: BlockNumberFor<T>,
		payments: u32,
	) -> DispatchResult {
		ensure!(payments > 0, Error::<T>::InvalidSchedule);
		ensure!(
			period >= T::MinSchedulePeriod::get() && !period.is_zero(),
			Error::<T>::PeriodTooShort
		);
		let details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		details.fractions.ok_or(Error::<T>::NotFractionalized)?;
		ensure!(T::Currencies::asset_exists(currency.clone()), Error::<T>::UnknownCurrency);
		ensure!(Self::accepts_currency(asset, &currency), Error::<T>::CurrencyNotAccepted);
		ensure!(
			amount >= T::Currencies::minimum_balance(currency.clone()),
			Error::<T>::RevenueTooSmall
		);
		let count = SchedulesOf::<T>::get(&payer);
		ensure!(count < T::MaxSchedulesPerAccount::get(), Error::<T>::TooManySchedules);

		let schedule = NextScheduleId::<T>::get();
		let next = schedule.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let first = Self::now().checked_add(&period).ok_or(Error::<T>::Overflow)?;
		let deposit = Self::schedule_deposit(payments)?;
		T::NativeBalance::hold(&HoldReason::RevenueSchedule.into(), &payer, deposit)?;
		// No retry: the payer learns at once that this block is full and picks another period.
		let next_due = Self::schedule_payment(schedule, payments, &payer, first, false)?;
		Schedules::<T>::insert(
			schedule,
			RevenueSchedule {
				payer: payer.clone(),
				asset,
				currency,
				amount,
				period,
				payments,
				remaining: payments,
				next_due,
				deposit,
			},
		);
		SchedulesOf::<T>::insert(&payer, count.saturating_add(1));
		NextScheduleId::<T>::put(next);
		Self::deposit_event(Event::RevenueScheduled {
			schedule,
			asset,
			payer,
			amount,
			period,
			payments,
		});
		Ok(())
	}

	pub(crate) fn do_pay_scheduled_revenue(
		payer: T::AccountId,
		schedule: ScheduleId,
	) -> DispatchResult {
		let mut record = Schedules::<T>::get(schedule).ok_or(Error::<T>::UnknownSchedule)?;
		ensure!(record.payer == payer, Error::<T>::NotPayer);
		let now = Self::now();
		// Dispatched by hand once due (say, the scheduler postponed the task), the payment is
		// made once: the task, when it runs, finds the next payment not due and does nothing.
		ensure!(now >= record.next_due, Error::<T>::PaymentNotDue);

		let paid = frame_support::storage::with_storage_layer(|| {
			Self::do_deposit_revenue(
				payer.clone(),
				record.asset,
				record.currency.clone(),
				record.amount,
			)
		});
		if let Err(error) = paid {
			return Self::end_schedule(schedule, &record, Some(error));
		}
		record.remaining = record.remaining.saturating_sub(1);
		Self::deposit_event(Event::ScheduledRevenuePaid { schedule, remaining: record.remaining });
		if record.remaining.is_zero() {
			return Self::end_schedule(schedule, &record, None);
		}
		let due = now.saturating_add(record.period);
		match Self::schedule_payment(schedule, record.remaining, &payer, due, true) {
			Ok(at) => {
				record.next_due = at;
				Schedules::<T>::insert(schedule, record);
				Ok(())
			},
			Err(error) => Self::end_schedule(schedule, &record, Some(error)),
		}
	}

	pub(crate) fn do_cancel_revenue_schedule(
		payer: T::AccountId,
		schedule: ScheduleId,
	) -> DispatchResult {
		let record = Schedules::<T>::get(schedule).ok_or(Error::<T>::UnknownSchedule)?;
		ensure!(record.payer == payer, Error::<T>::NotPayer);
		let name = schedule_task_name(schedule, record.remaining);
		if T::Scheduler::next_dispatch_time(name).is_ok() {
			T::Scheduler::cancel_named(name)?;
		}
		Self::release_schedule(schedule, &record)?;
		Self::deposit_event(Event::RevenueScheduleCancelled { schedule });
		Ok(())
	}

	/// Ends a schedule whose task has run: completed (`None`) or stopped by `error`.
	fn end_schedule(
		schedule: ScheduleId,
		record: &ScheduleOf<T>,
		error: Option<DispatchError>,
	) -> DispatchResult {
		Self::release_schedule(schedule, record)?;
		Self::deposit_event(match error {
			None => Event::RevenueScheduleCompleted { schedule },
			Some(error) => Event::RevenueScheduleStopped { schedule, error },
		});
		Ok(())
	}

	/// Releases a schedule's deposit and forgets it.
	fn release_schedule(schedule: ScheduleId, record: &ScheduleOf<T>) -> DispatchResult {
		T::NativeBalance::release(
			&HoldReason::RevenueSchedule.into(),
			&record.payer,
			record.deposit,
			Precision::BestEffort,
		)?;
		Schedules::<T>::remove(schedule);
		SchedulesOf::<T>::mutate_exists(&record.payer, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		Ok(())
	}
}
