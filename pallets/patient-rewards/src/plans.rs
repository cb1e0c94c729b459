//! Multi-stage treatment plans.
//!
//! A provider the patient consents to (`TreatmentPlan`) records a plan of 2 to
//! [`Config::MaxStages`] stages, holding [`Config::PlanDeposit`] (the provider pays for the
//! records it creates; recording counts against its rate limit). It confirms the stages one
//! visit at a time (each on a later day than the last) with a quality each; when the last is
//! confirmed, the plan earns the patient its reward with `C` = the mean stage quality, and the
//! deposit is released. One open plan per patient and provider; either may cancel it.

use crate::{
	Category, Config, Error, Event, HoldReason, NextPlanId, OpenPlans, Pallet, Patients, PlanId,
	Plans, Providers, Purpose, TreatmentPlan,
};
use btt_primitives::payfi::ProcedureCode;
use frame_support::{
	ensure,
	traits::{fungible::MutateHold, Get},
};
use sp_runtime::{DispatchError, DispatchResult, Perbill};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_record_plan(
		provider: T::AccountId,
		patient: T::AccountId,
		code: ProcedureCode,
		stages: u8,
	) -> Result<PlanId, DispatchError> {
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::NotProvider);
		ensure!((2..=T::MaxStages::get()).contains(&stages), Error::<T>::BadStageCount);
		let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::UnknownPatient)?;
		Self::ensure_consent(&patient, &provider, Purpose::TreatmentPlan)?;
		ensure!(!OpenPlans::<T>::contains_key(&patient, &provider), Error::<T>::PlanOpen);
		Self::use_provider_rate(&provider)?;

		let deposit = T::PlanDeposit::get();
		T::NativeBalance::hold(&HoldReason::Plan.into(), &provider, deposit)?;
		let plan = Self::take_id::<NextPlanId<T>>();
		record.plans = record.plans.saturating_add(1);
		Patients::<T>::insert(&patient, record);
		OpenPlans::<T>::insert(&patient, &provider, plan);
		Plans::<T>::insert(
			plan,
			TreatmentPlan {
				patient: patient.clone(),
				provider: provider.clone(),
				code,
				stages,
				confirmed: 0,
				quality_sum: 0,
				last_day: None,
				deposit,
			},
		);
		Self::deposit_event(Event::PlanRecorded { plan, patient, provider, code, stages });
		Ok(plan)
	}

	pub(crate) fn do_confirm_stage(
		provider: T::AccountId,
		plan: PlanId,
		quality: Perbill,
		day: u32,
	) -> DispatchResult {
		let mut info = Plans::<T>::get(plan).ok_or(Error::<T>::UnknownPlan)?;
		ensure!(info.provider == provider, Error::<T>::NotPlanParty);
		ensure!(Providers::<T>::contains_key(&provider), Error::<T>::NotProvider);
		Self::ensure_consent(&info.patient, &provider, Purpose::TreatmentPlan)?;
		let today = Self::today();
		ensure!(day <= today, Error::<T>::DayInFuture);
		ensure!(day.saturating_add(T::MaxBackfillDays::get()) >= today, Error::<T>::DayTooOld);
		ensure!(info.last_day.is_none_or(|last| day > last), Error::<T>::StageNotAfterPrevious);
		Self::use_provider_rate(&provider)?;

		info.confirmed = info.confirmed.saturating_add(1);
		info.quality_sum = info.quality_sum.saturating_add(u64::from(quality.deconstruct()));
		info.last_day = Some(day);
		Self::deposit_event(Event::StageConfirmed { plan, stage: info.confirmed, quality });
		if info.confirmed < info.stages {
			Plans::<T>::insert(plan, info);
			return Ok(());
		}
		let mut record = Patients::<T>::get(&info.patient).ok_or(Error::<T>::UnknownPatient)?;
		let mean = Perbill::from_parts(
			(info.quality_sum / u64::from(info.stages.max(1))).min(1_000_000_000) as u32,
		);
		let code = Some(info.code);
		Self::earn(&info.patient, &mut record, Category::TreatmentPlan, mean, code, today)?;
		Patients::<T>::insert(&info.patient, record);
		Self::close_plan(plan, &info)?;
		Self::deposit_event(Event::PlanCompleted { plan, patient: info.patient, quality: mean });
		Ok(())
	}

	pub(crate) fn do_cancel_plan(who: T::AccountId, plan: PlanId) -> DispatchResult {
		let info = Plans::<T>::get(plan).ok_or(Error::<T>::UnknownPlan)?;
		ensure!(who == info.provider || who == info.patient, Error::<T>::NotPlanParty);
		Self::close_plan(plan, &info)?;
		Self::deposit_event(Event::PlanCancelled { plan, by: who });
		Ok(())
	}

	/// Removes `plan` and releases its provider's deposit.
	fn close_plan(plan: PlanId, info: &crate::PlanOf<T>) -> DispatchResult {
		Plans::<T>::remove(plan);
		OpenPlans::<T>::remove(&info.patient, &info.provider);
		Patients::<T>::mutate(&info.patient, |record| {
			if let Some(record) = record {
				record.plans = record.plans.saturating_sub(1);
			}
		});
		Self::release(HoldReason::Plan, &info.provider, info.deposit)
	}
}
