//! Referrals, validated by the network: a real visit.
//!
//! A new patient (a record, no confirmed checkup, never referred before) names its referrer,
//! a patient with a confirmed checkup, once ([`Pallet::name_referrer`]). The referee's first
//! provider-confirmed checkup validates the referral and earns the referrer the referral
//! reward (`C` = 1), at most [`Config::MaxReferralsPerPeriod`] a period. A patient cannot refer
//! itself, a referee counts once, and a patient that leaves after a confirmed checkup is
//! remembered ([`crate::FormerPatients`]; a validated referral outlives the record too):
//! leaving and re-joining does not make an account new again. An unvalidated referral is
//! removed when its referee leaves (nobody paid for its storage). Two accounts of one person can still
//! refer each other, but each referral costs a real, provider-confirmed visit within the
//! provider's rate limit and the checkup interval.

use crate::{
	Category, Config, Error, Event, FormerPatients, Pallet, Patients, Referral, Referrals,
};
use frame_support::{ensure, traits::Get};
use sp_runtime::{DispatchResult, Perbill};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_name_referrer(
		referee: T::AccountId,
		referrer: T::AccountId,
	) -> DispatchResult {
		ensure!(referee != referrer, Error::<T>::SelfReferral);
		let record = Patients::<T>::get(&referee).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(
			record.checkups == 0
				&& !Referrals::<T>::contains_key(&referee)
				&& !FormerPatients::<T>::contains_key(&referee),
			Error::<T>::NotNewPatient
		);
		let theirs = Patients::<T>::get(&referrer).ok_or(Error::<T>::ReferrerNotPatient)?;
		ensure!(theirs.checkups > 0, Error::<T>::ReferrerNotPatient);
		Referrals::<T>::insert(&referee, Referral { referrer: referrer.clone(), validated: false });
		Self::deposit_event(Event::ReferrerNamed { referee, referrer });
		Ok(())
	}

	/// After `referee`'s first confirmed checkup: validates its referral, if any, and earns
	/// the referrer its reward unless it reached its cap this period (or left).
	pub(crate) fn validate_referral(referee: &T::AccountId) -> DispatchResult {
		let Some(mut referral) = Referrals::<T>::get(referee) else { return Ok(()) };
		if referral.validated {
			return Ok(());
		}
		referral.validated = true;
		Referrals::<T>::insert(referee, &referral);
		let referrer = referral.referrer;
		let Some(mut record) = Patients::<T>::get(&referrer) else {
			Self::deposit_event(Event::ReferralValidated {
				referee: referee.clone(),
				referrer,
				rewarded: false,
			});
			return Ok(());
		};
		let period = Self::current_period();
		if record.referral_period != period {
			(record.referral_period, record.referrals) = (period, 0);
		}
		let rewarded = record.referrals < T::MaxReferralsPerPeriod::get();
		if rewarded {
			record.referrals = record.referrals.saturating_add(1);
			let (category, today) = (Category::Referral, Self::today());
			Self::earn(&referrer, &mut record, category, Perbill::one(), None, today)?;
		}
		Patients::<T>::insert(&referrer, record);
		Self::deposit_event(Event::ReferralValidated {
			referee: referee.clone(),
			referrer,
			rewarded,
		});
		Ok(())
	}
}
