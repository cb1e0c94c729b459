//! Governance's part: the categories' values and the providers; and the clock.

use crate::{
	BalanceOf, Categories, Category, CategoryParams, Config, Error, Event, Pallet, PeriodIndex,
	PeriodSeconds, Provider, ProviderTasks, Providers, DAYS_PER_WEEK, SECONDS_PER_DAY,
};
use frame_support::{
	ensure,
	traits::{Get, UnixTime},
};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The reward pot: every reward is paid from it.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Today, in days since 1970-01-01 (UTC), by [`Config::Time`].
	pub fn today() -> u32 {
		(T::Time::now().as_secs() / SECONDS_PER_DAY).min(u64::from(u32::MAX)) as u32
	}

	/// The streak week of `day`.
	pub fn week_of(day: u32) -> u32 {
		day / DAYS_PER_WEEK
	}

	/// The budget period in progress now, by [`Config::Time`].
	pub fn current_period() -> PeriodIndex {
		let index = T::Time::now().as_secs() / PeriodSeconds::<T>::get().max(1);
		index.min(u64::from(PeriodIndex::MAX)) as PeriodIndex
	}

	/// Takes the next id of the counter `Counter` (`NextPlanId`, `NextModuleId`).
	pub(crate) fn take_id<Counter>() -> u64
	where
		Counter: frame_support::storage::StorageValue<u64, Query = u64>,
	{
		Counter::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		})
	}

	/// The category's cap: the upper end of its seed range, in plancks.
	pub fn cap(category: Category) -> BalanceOf<T> {
		let (_, high) = category.seed_range();
		T::Unit::get().saturating_mul(high.into())
	}

	pub(crate) fn do_set_category(
		category: Category,
		params: CategoryParams<BalanceOf<T>>,
	) -> DispatchResult {
		let (low, _) = category.seed_range();
		let (low, cap) = (T::Unit::get().saturating_mul(low.into()), Self::cap(category));
		ensure!(params.base >= low && params.base <= cap, Error::<T>::BaseOutOfRange);
		ensure!(params.consistency_base <= cap, Error::<T>::ConsistencyBaseTooHigh);
		Self::deposit_event(Event::CategorySet {
			category,
			base: params.base,
			consistency_base: params.consistency_base,
		});
		Categories::<T>::insert(category, params);
		Ok(())
	}

	pub(crate) fn do_register_provider(provider: T::AccountId) -> DispatchResult {
		ensure!(!Providers::<T>::contains_key(&provider), Error::<T>::AlreadyProvider);
		Providers::<T>::insert(&provider, Provider::default());
		Self::deposit_event(Event::ProviderRegistered { provider });
		Ok(())
	}

	pub(crate) fn do_remove_provider(provider: T::AccountId) -> DispatchResult {
		ensure!(Providers::<T>::take(&provider).is_some(), Error::<T>::NotProvider);
		ProviderTasks::<T>::remove(&provider);
		Self::deposit_event(Event::ProviderRemoved { provider });
		Ok(())
	}

	/// Counts one attestation of `provider` against its rate limit for this period.
	pub(crate) fn use_provider_rate(provider: &T::AccountId) -> DispatchResult {
		let mut info = Providers::<T>::get(provider).ok_or(Error::<T>::NotProvider)?;
		let period = Self::current_period();
		if info.period != period {
			info = Provider { period, attestations: 0 };
		}
		ensure!(
			info.attestations < T::MaxAttestationsPerProvider::get(),
			Error::<T>::ProviderRateLimited
		);
		info.attestations = info.attestations.saturating_add(1);
		Providers::<T>::insert(provider, info);
		Ok(())
	}
}
