//! The reward budget, earning and claiming.
//!
//! - A budget period opens with the first reward in it and sets aside
//!   `min(BudgetPerPeriod, what the pot holds beyond its liabilities)` ([`Liabilities`]):
//!   nothing can mint BTT, and nothing is promised that the pot does not hold.
//! - Rewards earned in a period are **points**: the formula's result. When the period ends
//!   (lazily, with the first reward or claim after it), each point pays
//!   `rate = min(1, budget / points)`: pro rata, so a period pays at most its budget however
//!   its rewards are spread and whoever earned first. What the budget does not pay returns to
//!   the pot's free balance.
//! - A patient's record holds its points of one period: when it earns or claims in a later
//!   period, its points are paid at their period's rate into `claimable` (O(1)), and
//!   [`Pallet::claim`] transfers that from the pot.

use crate::{
	formula, Activity, BalanceOf, BudgetPerPeriod, Categories, Category, Config, CurrentPeriod,
	EndedPeriod, EndedPeriods, Error, Event, History, Liabilities, OpenPeriod, Pallet, PatientOf,
	Patients, PeriodIndex, RewardInputs,
};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult, Perbill,
};

impl<T: Config> Pallet<T> {
	/// The pot's BTT not owed or set aside: what a new period's budget can take.
	pub fn unallocated() -> BalanceOf<T> {
		T::NativeBalance::reducible_balance(&Self::pot(), Preservation::Preserve, Fortitude::Polite)
			.saturating_sub(Liabilities::<T>::get())
	}

	/// The budget period in progress, opening it (and ending the one before) if it has not
	/// opened yet.
	pub(crate) fn open_period() -> OpenPeriod<BalanceOf<T>> {
		let index = Self::current_period();
		if let Some(open) = CurrentPeriod::<T>::get() {
			if open.index >= index {
				return open;
			}
			Self::end_period(open);
		}
		let budget = BudgetPerPeriod::<T>::get().min(Self::unallocated());
		Liabilities::<T>::mutate(|owed| owed.saturating_accrue(budget));
		let open = OpenPeriod { index, budget, points: Zero::zero(), patients: 0 };
		CurrentPeriod::<T>::put(&open);
		Self::deposit_event(Event::PeriodOpened { period: index, budget });
		open
	}

	/// The payout rate of a period whose rewards came to `points`: `min(1, budget / points)`.
	pub fn payout_rate(budget: BalanceOf<T>, points: BalanceOf<T>) -> Perbill {
		if points <= budget {
			Perbill::one()
		} else {
			Perbill::from_rational(budget, points)
		}
	}

	fn end_period(open: OpenPeriod<BalanceOf<T>>) {
		let payout = open.budget.min(open.points);
		let rate = Self::payout_rate(open.budget, open.points);
		Liabilities::<T>::mutate(|owed| owed.saturating_reduce(open.budget.saturating_sub(payout)));
		if open.patients > 0 {
			EndedPeriods::<T>::insert(
				open.index,
				EndedPeriod { rate, remaining: payout, patients: open.patients },
			);
		} else {
			Liabilities::<T>::mutate(|owed| owed.saturating_reduce(payout));
		}
		Self::deposit_event(Event::PeriodEnded {
			period: open.index,
			points: open.points,
			payout,
			rate,
		});
	}

	/// Pays `record`'s points of an ended period into its `claimable`, at the period's rate.
	pub(crate) fn settle(record: &mut PatientOf<T>, current: PeriodIndex) {
		if record.points.is_zero() || record.period >= current {
			return;
		}
		let points = core::mem::take(&mut record.points);
		let Some(mut ended) = EndedPeriods::<T>::get(record.period) else { return };
		let paid = ended.rate.mul_floor(points).min(ended.remaining);
		record.claimable.saturating_accrue(paid);
		ended.remaining.saturating_reduce(paid);
		ended.patients.saturating_dec();
		if ended.patients == 0 {
			// Rounding down leaves dust: it returns to the pot's free balance.
			Liabilities::<T>::mutate(|owed| owed.saturating_reduce(ended.remaining));
			EndedPeriods::<T>::remove(record.period);
		} else {
			EndedPeriods::<T>::insert(record.period, ended);
		}
	}

	/// Earns `patient` the formula's reward for an activity of `category` of quality `quality`
	/// on `day`: updates its streak and consistency, computes `R`, and counts it as points of
	/// today's budget period. The caller stores `record`.
	pub(crate) fn earn(
		patient: &T::AccountId,
		record: &mut PatientOf<T>,
		category: Category,
		quality: Perbill,
		code: Option<btt_primitives::payfi::ProcedureCode>,
		day: u32,
	) -> Result<BalanceOf<T>, Error<T>> {
		let params = Categories::<T>::get(category).ok_or(Error::<T>::CategoryNotSet)?;
		let today = Self::today();
		let (history, last_week, streak) = formula::after_activity(
			record.history,
			record.last_week,
			record.streak,
			Self::week_of(day),
		);
		(record.history, record.last_week, record.streak) = (history, last_week, streak);
		let inputs = RewardInputs {
			base: params.base,
			quality,
			consistency: formula::consistency(
				history,
				Self::week_of(today).saturating_sub(last_week),
				T::ConsistencyWindow::get(),
			),
			consistency_base: params.consistency_base,
			streak: formula::streak_multiplier(streak, T::FullStreakWeeks::get()),
			adjustment: record.adjustment,
			cap: Self::cap(category),
		};
		let reward = formula::reward(&inputs);

		let mut open = Self::open_period();
		Self::settle(record, open.index);
		if record.points.is_zero() && !reward.is_zero() {
			record.period = open.index;
			open.patients.saturating_inc();
		}
		record.points.saturating_accrue(reward);
		open.points.saturating_accrue(reward);
		CurrentPeriod::<T>::put(&open);
		// The oldest entry makes room; a `MaxHistory` of 0 keeps no history (the only error).
		History::<T>::mutate(patient, |history| {
			history.force_insert_keep_right(history.len(), Activity { category, code, day, reward })
		})
		.map_err(|_| Error::<T>::HistoryDisabled)?;
		Self::deposit_event(Event::RewardEarned {
			patient: patient.clone(),
			category,
			reward,
			inputs,
			period: open.index,
		});
		Ok(reward)
	}

	pub(crate) fn do_claim(patient: T::AccountId) -> DispatchResult {
		let mut record = Self::settled_record(&patient)?;
		let amount = record.claimable;
		Self::spend_claimable(&mut record, amount)?;
		T::NativeBalance::transfer(&Self::pot(), &patient, amount, Preservation::Preserve)?;
		Patients::<T>::insert(&patient, record);
		Self::deposit_event(Event::Claimed { patient, amount });
		Ok(())
	}

	/// `patient`'s record, with what ended periods owe it settled into `claimable` (the
	/// period in progress opened first). The caller stores it.
	pub(crate) fn settled_record(patient: &T::AccountId) -> Result<PatientOf<T>, Error<T>> {
		let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		let open = Self::open_period();
		Self::settle(&mut record, open.index);
		Ok(record)
	}

	/// Takes `amount` of `record`'s claimable rewards: the pot no longer owes them. The caller
	/// pays them out of the pot (a claim, a merchant) or burns them (a benefit).
	pub(crate) fn spend_claimable(
		record: &mut PatientOf<T>,
		amount: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		ensure!(!record.claimable.is_zero(), Error::<T>::NothingToClaim);
		ensure!(!amount.is_zero() && amount <= record.claimable, Error::<T>::InsufficientRewards);
		record.claimable.saturating_reduce(amount);
		record.claimed.saturating_accrue(amount);
		Liabilities::<T>::mutate(|owed| owed.saturating_reduce(amount));
		Ok(())
	}

	/// What `patient` is owed now and, at the current period's rate so far, what its points
	/// of the period in progress would pay: `(claimable, pending)`.
	pub fn pending_rewards(patient: &T::AccountId) -> (BalanceOf<T>, BalanceOf<T>) {
		let Some(record) = Patients::<T>::get(patient) else {
			return (Zero::zero(), Zero::zero());
		};
		let current = CurrentPeriod::<T>::get();
		match current {
			Some(open) if open.index == record.period => {
				let points = Self::payout_rate(open.budget, open.points).mul_floor(record.points);
				if open.index < Self::current_period() {
					// Its period has ended; the next reward or claim will record that.
					(record.claimable.saturating_add(points), Zero::zero())
				} else {
					(record.claimable, points)
				}
			},
			_ => {
				let settled = EndedPeriods::<T>::get(record.period)
					.map(|ended| ended.rate.mul_floor(record.points).min(ended.remaining))
					.unwrap_or_else(Zero::zero);
				(record.claimable.saturating_add(settled), Zero::zero())
			},
		}
	}

	/// What the budget period in progress has left: its budget minus its points so far.
	pub fn budget_left() -> BalanceOf<T> {
		CurrentPeriod::<T>::get()
			.filter(|open| open.index == Self::current_period())
			.map(|open| open.budget.saturating_sub(open.points))
			.unwrap_or_else(|| BudgetPerPeriod::<T>::get().min(Self::unallocated()))
	}

	/// The patient's consistency `H` and streak multiplier `T` today (a streak broken by a
	/// week without activity reads as 1).
	pub fn engagement(patient: &T::AccountId) -> (Perbill, sp_runtime::FixedU128) {
		let Some(record) = Patients::<T>::get(patient) else {
			return (Perbill::zero(), formula::streak_multiplier(0, T::FullStreakWeeks::get()));
		};
		let weeks_since = Self::week_of(Self::today()).saturating_sub(record.last_week);
		let streak = if weeks_since > 1 { 0 } else { record.streak };
		(
			formula::consistency(record.history, weeks_since, T::ConsistencyWindow::get()),
			formula::streak_multiplier(streak, T::FullStreakWeeks::get()),
		)
	}
}
