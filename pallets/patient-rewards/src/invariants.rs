//! The pallet's invariants, checked after every test and by `try-runtime`.

use crate::{
	Attempts, BalanceOf, Categories, Category, Config, Consents, CurrentPeriod, Devices,
	EndedPeriods, History, HoldReason, Liabilities, Modules, OpenPlans, Pallet, Patients, Plans,
	ProviderTasks, Providers,
};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, InspectHold},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks:
	/// - the pot holds what it owes: [`Liabilities`] is at most its reducible balance, and
	///   equals the open period's budget, plus what ended periods still owe, plus every
	///   patient's claimable rewards;
	/// - paid + pending never exceeds a period's budget: the open period's points and patients
	///   are its patients' points and count; each ended period's patients are counted, and
	///   what their points pay at its rate is at most what it still holds;
	/// - each patient's consents, devices and plans exist and are counted, and its holds are
	///   exactly its records' deposits; each provider's plan holds are its open plans'
	///   deposits, and every open plan is indexed by its patient and provider;
	/// - a patient's last hygiene day is not after today (so a day's reward is at most once
	///   the category's cap), its adjustment is within bounds, its streak and history agree;
	/// - the categories' values are within their seed ranges;
	/// - verified tasks are kept only for registered providers, histories only for patients.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let pot = T::NativeBalance::reducible_balance(
			&Self::pot(),
			Preservation::Preserve,
			Fortitude::Polite,
		);
		let liabilities = Liabilities::<T>::get();
		ensure!(liabilities <= pot, "the pot owes more than it holds");

		let current = CurrentPeriod::<T>::get();
		let mut owed = current.as_ref().map_or_else(Zero::zero, |open| open.budget);
		// Per period of patients' points: (points, patients, what they pay at the rate).
		let mut by_period: BTreeMap<u32, (BalanceOf<T>, u32, BalanceOf<T>)> = BTreeMap::new();
		let today = Self::today();
		for (patient, record) in Patients::<T>::iter() {
			owed.saturating_accrue(record.claimable);
			if !record.points.is_zero() {
				let rate = EndedPeriods::<T>::get(record.period)
					.map_or(sp_runtime::Perbill::one(), |ended| ended.rate);
				let entry = by_period.entry(record.period).or_default();
				entry.0.saturating_accrue(record.points);
				entry.1.saturating_inc();
				entry.2.saturating_accrue(rate.mul_floor(record.points));
			}
			let consents: alloc::vec::Vec<_> = Consents::<T>::iter_prefix(&patient).collect();
			ensure!(consents.len() as u32 == record.consents, "a patient's consents miscounted");
			let devices: alloc::vec::Vec<_> =
				Devices::<T>::iter().filter(|(_, device)| device.patient == patient).collect();
			ensure!(devices.len() as u32 == record.devices, "a patient's devices miscounted");
			let plans = Plans::<T>::iter_values().filter(|plan| plan.patient == patient).count();
			ensure!(plans as u32 == record.plans, "a patient's plans miscounted");
			let attempts: alloc::vec::Vec<_> =
				Attempts::<T>::iter().filter(|(_, who, _)| *who == patient).collect();
			ensure!(attempts.len() as u32 == record.attempts, "a patient's attempts miscounted");
			let attempt_deposits = attempts
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, (_, _, a)| sum.saturating_add(a.deposit));
			ensure!(
				T::NativeBalance::balance_on_hold(&HoldReason::Attempt.into(), &patient)
					== attempt_deposits,
				"a patient's attempt holds differ from its attempts' deposits"
			);
			let consent_deposits = consents
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, (_, c)| sum.saturating_add(c.deposit));
			let device_deposits = devices
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, (_, d)| sum.saturating_add(d.deposit));
			for (reason, expected) in [
				(HoldReason::Patient, record.deposit),
				(HoldReason::Consent, consent_deposits),
				(HoldReason::Device, device_deposits),
			] {
				ensure!(
					T::NativeBalance::balance_on_hold(&reason.into(), &patient) == expected,
					"a patient's holds differ from its records' deposits"
				);
			}
			ensure!(
				record.last_hygiene_day.is_none_or(|day| day <= today),
				"a hygiene reward dated after today"
			);
			ensure!(
				record.adjustment >= T::MinAdjustment::get()
					&& record.adjustment <= T::MaxAdjustment::get(),
				"an adjustment out of bounds"
			);
			ensure!((record.streak == 0) == (record.history == 0), "streak and history disagree");
		}
		let mut plan_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, plan) in Plans::<T>::iter() {
			ensure!(
				OpenPlans::<T>::get(&plan.patient, &plan.provider) == Some(id),
				"an open plan missing from its patient's and provider's index"
			);
			ensure!(plan.confirmed < plan.stages, "a completed plan left open");
			plan_deposits.entry(plan.provider.clone()).or_default().saturating_accrue(plan.deposit);
		}
		ensure!(
			OpenPlans::<T>::iter().all(|(_, _, id)| Plans::<T>::contains_key(id)),
			"an index entry of a plan that is not open"
		);
		for (provider, deposits) in plan_deposits {
			ensure!(
				T::NativeBalance::balance_on_hold(&HoldReason::Plan.into(), &provider) == deposits,
				"a provider's plan holds differ from its plans' deposits"
			);
		}
		let mut module_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, module) in Modules::<T>::iter() {
			let attempts = Attempts::<T>::iter_prefix(id).count() as u32;
			ensure!(attempts == module.attempts, "a module's attempts miscounted");
			ensure!(module.attempts <= module.committed, "more open attempts than committed");
			module_deposits
				.entry(module.author.clone())
				.or_default()
				.saturating_accrue(module.deposit);
		}
		for (author, deposits) in module_deposits {
			ensure!(
				T::NativeBalance::balance_on_hold(&HoldReason::Module.into(), &author) == deposits,
				"an author's module holds differ from its modules' deposits"
			);
		}
		ensure!(
			Attempts::<T>::iter_keys().all(|(module, _)| Modules::<T>::contains_key(module)),
			"an attempt at a module that does not exist"
		);
		ensure!(
			Consents::<T>::iter_keys().all(|(patient, _)| Patients::<T>::contains_key(&patient)),
			"a consent without its patient"
		);
		ensure!(
			Devices::<T>::iter_values().all(|device| Patients::<T>::contains_key(&device.patient)),
			"a device without its patient"
		);

		if let Some(open) = &current {
			let (points, patients, _) = by_period.remove(&open.index).unwrap_or_default();
			ensure!(points == open.points, "the open period's points differ from its patients'");
			ensure!(patients == open.patients, "the open period's patients miscounted");
		}
		for (index, ended) in EndedPeriods::<T>::iter() {
			owed.saturating_accrue(ended.remaining);
			let (_, patients, pays) = by_period.remove(&index).unwrap_or_default();
			ensure!(patients == ended.patients, "an ended period's patients miscounted");
			ensure!(pays <= ended.remaining, "an ended period owes more than it holds");
		}
		ensure!(by_period.is_empty(), "points of a period that is neither open nor ended");
		ensure!(owed == liabilities, "liabilities differ from budgets and claimable rewards");

		for category in Category::ALL {
			if let Some(params) = Categories::<T>::get(category) {
				let (low, _) = category.seed_range();
				let low = T::Unit::get().saturating_mul(low.into());
				let cap = Self::cap(category);
				ensure!(
					params.base >= low && params.base <= cap && params.consistency_base <= cap,
					"a category's values outside its seed range"
				);
			}
		}
		for (provider, _) in ProviderTasks::<T>::iter() {
			ensure!(
				Providers::<T>::contains_key(&provider),
				"verified tasks of a removed provider"
			);
		}
		for patient in History::<T>::iter_keys() {
			ensure!(Patients::<T>::contains_key(&patient), "the history of a patient who left");
		}
		Ok(())
	}
}
