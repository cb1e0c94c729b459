//! Payees, coded payments and statements.

use crate::{
	BalanceOf, Config, CurrencyOf, Error, Event, HoldReason, NextPaymentId, Pallet, Payee, PayeeOf,
	Payees, PaymentId, PaymentRecord, PaymentRecordOf, ProcedureList, ReceivableCurrencies,
	Records, SplitId, SECONDS_PER_DAY,
};
use alloc::vec::Vec;
use btt_primitives::payfi::{BillingCode, CodeError, ProcedureCode};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		fungibles::Inspect,
		tokens::Precision,
		UnixTime,
	},
};
use sp_runtime::{traits::Saturating, DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
	/// Today, in days since 1970-01-01 (UTC), by [`Config::Time`].
	pub fn today() -> u32 {
		(T::Time::now().as_secs() / SECONDS_PER_DAY).min(u64::from(u32::MAX)) as u32
	}

	/// The deposit for a payee with `slots` record slots.
	pub fn payee_deposit(slots: u32) -> BalanceOf<T> {
		T::PayeeDeposit::get().saturating_add(T::RecordDeposit::get().saturating_mul(slots.into()))
	}

	pub(crate) fn do_register_payee(payee: T::AccountId, slots: u32) -> DispatchResult {
		ensure!(slots <= T::MaxRecordsPerPayee::get(), Error::<T>::TooManySlots);
		let current = Payees::<T>::get(&payee);
		let (used, reserved) = current.as_ref().map_or((0, 0), |info| (info.used, info.reserved()));
		ensure!(slots >= used.saturating_add(reserved), Error::<T>::SlotsBelowRecords);
		let held = current.as_ref().map_or_else(Default::default, |info| info.deposit);
		let deposit = Self::payee_deposit(slots);
		let reason = HoldReason::Payee.into();
		if deposit > held {
			T::NativeBalance::hold(&reason, &payee, deposit.saturating_sub(held))?;
		} else if held > deposit {
			T::NativeBalance::release(
				&reason,
				&payee,
				held.saturating_sub(deposit),
				Precision::Exact,
			)?;
		}
		let payee_info = match current {
			Some(info) => Payee { slots, deposit, ..info },
			None => Payee { slots, used: 0, escrows: 0, splits: 0, tabs: 0, claims: 0, deposit },
		};
		Payees::<T>::insert(&payee, payee_info);
		Self::deposit_event(Event::PayeeRegistered { payee, slots, deposit });
		Ok(())
	}

	pub(crate) fn do_unregister_payee(payee: T::AccountId) -> DispatchResult {
		let info = Payees::<T>::get(&payee).ok_or(Error::<T>::NotPayee)?;
		ensure!(info.used == 0, Error::<T>::PayeeHasRecords);
		ensure!(info.escrows == 0, Error::<T>::PayeeHasEscrows);
		ensure!(info.splits == 0, Error::<T>::PayeeHasSplits);
		ensure!(info.tabs == 0, Error::<T>::PayeeHasTabs);
		ensure!(info.claims == 0, Error::<T>::PayeeHasClaims);
		T::NativeBalance::release(
			&HoldReason::Payee.into(),
			&payee,
			info.deposit,
			Precision::Exact,
		)?;
		Payees::<T>::remove(&payee);
		Self::deposit_event(Event::PayeeUnregistered { payee });
		Ok(())
	}

	/// Whether payees may receive `currency`: BTT always, assets once governance lists them.
	pub fn receivable(currency: &CurrencyOf<T>) -> bool {
		*currency == T::NativeCurrency::get() || ReceivableCurrencies::<T>::get().contains(currency)
	}

	/// Checks a billing code: its format, governance's procedure list, the encounter day.
	pub fn check_code(code: &BillingCode<T::AccountId>) -> DispatchResult {
		code.validate().map_err(Error::<T>::from)?;
		if let Some(list) = ProcedureList::<T>::get() {
			ensure!(
				code.procedures.iter().all(|procedure| list.contains(procedure)),
				Error::<T>::ProcedureNotListed
			);
		}
		ensure!(code.encounter_day <= Self::today(), Error::<T>::EncounterInFuture);
		Ok(())
	}

	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_pay(
		payer: T::AccountId,
		payee: T::AccountId,
		pay_in: CurrencyOf<T>,
		receive: CurrencyOf<T>,
		amount: BalanceOf<T>,
		max_in: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
	) -> DispatchResult {
		Self::do_pay_recorded(payer, payee, pay_in, receive, amount, max_in, code, None).map(|_| ())
	}

	/// A coded payment, recorded in the payee's statement (with the split template that will
	/// share it out, if any); returns its id.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_pay_recorded(
		payer: T::AccountId,
		payee: T::AccountId,
		pay_in: CurrencyOf<T>,
		receive: CurrencyOf<T>,
		amount: BalanceOf<T>,
		max_in: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
		split: Option<SplitId>,
	) -> Result<PaymentId, DispatchError> {
		ensure!(payer != payee, Error::<T>::SelfPayment);
		Self::check_code(&code)?;
		let info = Payees::<T>::get(&payee).ok_or(Error::<T>::NotPayee)?;
		ensure!(info.free_slots() > 0, Error::<T>::StatementFull);
		Self::check_receivable(&receive, amount)?;
		let route = Self::route(&pay_in, &receive);
		let paid = Self::settle(&payer, &payee, &route, pay_in.clone(), amount, max_in)?;
		let record = PaymentRecord {
			payer: payer.clone(),
			paid: (pay_in, paid),
			received: (receive, amount),
			route,
			code,
			at: frame_system::Pallet::<T>::block_number(),
			escrow: None,
			split,
		};
		let (id, day) = Self::record_payment(&payee, info, record.clone());
		Self::deposit_event(Event::Paid {
			id,
			payer,
			payee,
			paid: record.paid,
			received: record.received,
			route: record.route,
			day,
		});
		Ok(id)
	}

	/// Checks that payees may receive `amount` of `currency`: a listed currency, at least its
	/// minimum balance.
	pub(crate) fn check_receivable(
		currency: &CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Self::receivable(currency), Error::<T>::CurrencyNotReceivable);
		ensure!(
			amount >= T::Currencies::minimum_balance(currency.clone()),
			Error::<T>::BelowMinimum
		);
		Ok(())
	}

	/// The checks every payment held for a payee (an escrow, a tab, a claim) makes before
	/// anything moves: `payee` is registered, has a statement slot left for the record the
	/// payment will write, and may receive `amount` of `currency`. Returns the payee's record,
	/// for the caller to reserve the slot in.
	pub(crate) fn payee_with_free_slot(
		payee: &T::AccountId,
		currency: &CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> Result<PayeeOf<T>, DispatchError> {
		let info = Payees::<T>::get(payee).ok_or(Error::<T>::NotPayee)?;
		ensure!(info.free_slots() > 0, Error::<T>::StatementFull);
		Self::check_receivable(currency, amount)?;
		Ok(info)
	}

	/// Takes the next id of the counter `Counter` (`NextPaymentId`, `NextEscrowId`, …).
	pub(crate) fn take_id<Counter: frame_support::storage::StorageValue<u64, Query = u64>>() -> u64
	{
		Counter::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		})
	}

	/// Stores `record` in `payee`'s statement under today's day, taking one slot of `info`
	/// (the caller checked or reserved it); returns the payment's id and day.
	pub(crate) fn record_payment(
		payee: &T::AccountId,
		mut info: PayeeOf<T>,
		record: PaymentRecordOf<T>,
	) -> (PaymentId, u32) {
		let id = Self::take_id::<NextPaymentId<T>>();
		let day = Self::today();
		Records::<T>::insert((payee, day, id), record);
		info.used = info.used.saturating_add(1);
		Payees::<T>::insert(payee, info);
		(id, day)
	}

	pub(crate) fn do_remove_records(
		payee: T::AccountId,
		day: u32,
		ids: BoundedVec<PaymentId, ConstU32<64>>,
	) -> DispatchResult {
		let mut info = Payees::<T>::get(&payee).ok_or(Error::<T>::NotPayee)?;
		// Every check before the first removal: a bad id changes nothing.
		for (index, id) in ids.iter().enumerate() {
			ensure!(
				!ids.iter().take(index).any(|earlier| earlier == id),
				Error::<T>::DuplicateRecord
			);
			ensure!(Records::<T>::contains_key((&payee, day, id)), Error::<T>::UnknownRecord);
		}
		for id in &ids {
			Records::<T>::remove((&payee, day, id));
		}
		let count = ids.len() as u32;
		info.used = info.used.saturating_sub(count);
		Payees::<T>::insert(&payee, info);
		Self::deposit_event(Event::RecordsRemoved { payee, day, count });
		Ok(())
	}

	pub(crate) fn do_set_receivable_currencies(
		currencies: BoundedVec<CurrencyOf<T>, T::MaxReceivableCurrencies>,
	) -> DispatchResult {
		for (index, currency) in currencies.iter().enumerate() {
			ensure!(
				!currencies.iter().take(index).any(|earlier| earlier == currency),
				Error::<T>::DuplicateCurrency
			);
		}
		ReceivableCurrencies::<T>::put(&currencies);
		Self::deposit_event(Event::ReceivableCurrenciesSet { currencies });
		Ok(())
	}

	pub(crate) fn do_set_procedure_list(
		codes: Option<BoundedBTreeSet<ProcedureCode, T::MaxListedProcedures>>,
	) -> DispatchResult {
		let count = codes.as_ref().map(|codes| codes.len() as u32);
		if let Some(codes) = &codes {
			ensure!(codes.iter().all(|code| code.is_valid()), Error::<T>::ProcedureFormat);
		}
		ProcedureList::<T>::set(codes);
		Self::deposit_event(Event::ProcedureListSet { codes: count });
		Ok(())
	}

	/// The payee's records from day `from` to day `to` (inclusive), oldest day first; `None`
	/// for an empty period or one longer than `MaxStatementDays`.
	pub fn statement(
		payee: &T::AccountId,
		from: u32,
		to: u32,
	) -> Option<Vec<(u32, PaymentId, PaymentRecordOf<T>)>> {
		let days = to.checked_sub(from)?.saturating_add(1);
		if days > T::MaxStatementDays::get() {
			return None;
		}
		let mut lines = Vec::new();
		for day in from..=to {
			let mut records: Vec<_> = Records::<T>::iter_prefix((payee.clone(), day))
				.map(|(id, record)| (day, id, record))
				.collect();
			records.sort_by_key(|(_, id, _)| *id);
			lines.extend(records);
		}
		Some(lines)
	}

	/// The payee's registration.
	pub fn payee(who: &T::AccountId) -> Option<PayeeOf<T>> {
		Payees::<T>::get(who)
	}

	/// BTT held for `who`'s payee deposit.
	pub fn held_for_payee(who: &T::AccountId) -> BalanceOf<T> {
		T::NativeBalance::balance_on_hold(&HoldReason::Payee.into(), who)
	}
}

impl<T> From<CodeError> for Error<T> {
	fn from(error: CodeError) -> Self {
		match error {
			CodeError::ProcedureFormat | CodeError::TooManyProcedures => Error::ProcedureFormat,
			CodeError::DiagnosisFormat | CodeError::TooManyDiagnoses => Error::DiagnosisFormat,
			CodeError::NoProcedure => Error::NoProcedure,
			CodeError::DuplicateProcedure => Error::DuplicateProcedure,
		}
	}
}

/// Other pallets read who paid a payee's record (patient rewards' checkup evidence) and pay
/// coded payments in BTT (rewards redeemed at a merchant).
impl<T: Config> btt_primitives::payfi::PaymentRecords<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn payer_of(payee: &T::AccountId, day: u32, id: PaymentId) -> Option<T::AccountId> {
		Records::<T>::get((payee, day, id)).map(|record| record.payer)
	}

	fn pay_native(
		payer: &T::AccountId,
		payee: &T::AccountId,
		amount: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
	) -> Result<(u32, PaymentId), DispatchError> {
		let native = T::NativeCurrency::get();
		let id = Self::do_pay_recorded(
			payer.clone(),
			payee.clone(),
			native.clone(),
			native,
			amount,
			amount,
			code,
			None,
		)?;
		Ok((Self::today(), id))
	}
}
