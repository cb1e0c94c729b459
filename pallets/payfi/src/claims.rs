//! Insurer claims: a clinic claims for care it gave, the insurer decides, and an insurer that
//! does not decide in time answers to the arbiter.
//!
//! - [`Pallet::register_insurer`]: an account holds [`Config::InsurerDeposit`] and may then
//!   fund pools ([`Pallet::fund_pool`]), one per currency, held by the pallet account and
//!   counted in [`Escrowed`].
//! - [`Pallet::submit_claim`]: a registered payee (the clinic) claims `amount` of a currency
//!   from an insurer its billing code names, holding [`Config::ClaimDeposit`] and reserving a
//!   slot of its statement for the payment. The claim **commits** that amount of the
//!   insurer's pool: the insurer cannot withdraw money its open claims may be paid from, so it
//!   cannot empty its pool and then let the deadline pass.
//! - [`Pallet::adjudicate`]: the insurer approves (in full or in part: paid at once from the
//!   pool, recorded in the clinic's statement) or denies with an X12 reason code number. A
//!   claim's commitment ends with its decision.
//! - [`Pallet::escalate`]: from the deadline, an undecided claim goes to `ArbiterOrigin`; the
//!   clinic holds [`Config::DisputeDeposit`], which the arbiter gives to the insurer if the
//!   escalation was frivolous ([`Pallet::resolve_claim`]).
//! - [`Pallet::withdraw_claim`]: the clinic, while the insurer has not decided.
//!
//! The patient's co-payment is a separate coded payment (`pay`) with the same claim hash.

use crate::{
	pallet::*, BalanceOf, Claim, ClaimId, ClaimOf, ClaimState, CurrencyOf, Decision, Insurer,
	PaymentId, PaymentRecord, Pool, Route, MAX_REASON_CODE,
};
use btt_primitives::payfi::BillingCode;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold as _,
		fungibles::{Inspect as _, Mutate as _},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_insurer(insurer: T::AccountId) -> DispatchResult {
		ensure!(!Insurers::<T>::contains_key(&insurer), Error::<T>::AlreadyInsurer);
		let deposit = T::InsurerDeposit::get();
		T::NativeBalance::hold(&HoldReason::Insurer.into(), &insurer, deposit)?;
		Insurers::<T>::insert(&insurer, Insurer { deposit, claims: 0, pools: 0 });
		Self::deposit_event(Event::InsurerRegistered { insurer, deposit });
		Ok(())
	}

	pub(crate) fn do_unregister_insurer(insurer: T::AccountId) -> DispatchResult {
		let info = Insurers::<T>::get(&insurer).ok_or(Error::<T>::NotInsurer)?;
		ensure!(info.claims == 0, Error::<T>::InsurerHasClaims);
		ensure!(info.pools == 0, Error::<T>::PoolNotEmpty);
		T::NativeBalance::release(
			&HoldReason::Insurer.into(),
			&insurer,
			info.deposit,
			Precision::Exact,
		)?;
		Insurers::<T>::remove(&insurer);
		Self::deposit_event(Event::InsurerUnregistered { insurer });
		Ok(())
	}

	pub(crate) fn do_fund_pool(
		insurer: T::AccountId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Insurers::<T>::contains_key(&insurer), Error::<T>::NotInsurer);
		Self::check_receivable(&currency, amount)?;
		T::Currencies::transfer(
			currency.clone(),
			&insurer,
			&Self::escrow_account(),
			amount,
			Preservation::Preserve,
		)?;
		Escrowed::<T>::mutate(&currency, |total| total.saturating_accrue(amount));
		let pool =
			Self::mutate_pool(&insurer, &currency, |pool| pool.funds.saturating_accrue(amount))?;
		Self::deposit_event(Event::PoolFunded { insurer, currency, amount, funds: pool.funds });
		Ok(())
	}

	pub(crate) fn do_withdraw_pool(
		insurer: T::AccountId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Insurers::<T>::contains_key(&insurer), Error::<T>::NotInsurer);
		let pool = Pools::<T>::get(&insurer, &currency).unwrap_or_default();
		ensure!(!amount.is_zero() && amount <= pool.funds, Error::<T>::PoolTooSmall);
		ensure!(amount <= pool.funds.saturating_sub(pool.committed), Error::<T>::PoolCommitted);
		T::Currencies::transfer(
			currency.clone(),
			&Self::escrow_account(),
			&insurer,
			amount,
			Preservation::Expendable,
		)?;
		Escrowed::<T>::mutate(&currency, |total| total.saturating_reduce(amount));
		let pool =
			Self::mutate_pool(&insurer, &currency, |pool| pool.funds.saturating_reduce(amount))?;
		Self::deposit_event(Event::PoolWithdrawn { insurer, currency, amount, funds: pool.funds });
		Ok(())
	}

	/// Changes an insurer's pool in `currency`, creating it (counted in the insurer's `pools`,
	/// at most `MaxReceivableCurrencies`) or removing it when it neither holds nor is
	/// committed to anything; returns it.
	fn mutate_pool(
		insurer: &T::AccountId,
		currency: &CurrencyOf<T>,
		change: impl FnOnce(&mut Pool<BalanceOf<T>>),
	) -> Result<Pool<BalanceOf<T>>, DispatchError> {
		let mut info = Insurers::<T>::get(insurer).ok_or(Error::<T>::NotInsurer)?;
		let existed = Pools::<T>::get(insurer, currency);
		let mut pool = existed.clone().unwrap_or_default();
		change(&mut pool);
		let empty = pool.funds.is_zero() && pool.committed.is_zero();
		if existed.is_none() && !empty {
			// At most one pool per currency payees may receive: the deposit pays for them.
			ensure!(info.pools < T::MaxReceivableCurrencies::get(), Error::<T>::TooManyPools);
			info.pools = info.pools.saturating_add(1);
		} else if existed.is_some() && empty {
			info.pools = info.pools.saturating_sub(1);
		}
		if empty {
			Pools::<T>::remove(insurer, currency);
		} else {
			Pools::<T>::insert(insurer, currency, &pool);
		}
		Insurers::<T>::insert(insurer, info);
		Ok(pool)
	}

	pub(crate) fn do_submit_claim(
		clinic: T::AccountId,
		insurer: T::AccountId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
		code: BillingCode<T::AccountId>,
		attachment: Option<H256>,
	) -> Result<ClaimId, DispatchError> {
		ensure!(clinic != insurer, Error::<T>::SelfPayment);
		Self::check_code(&code)?;
		ensure!(code.insurer.as_ref() == Some(&insurer), Error::<T>::InsurerNotInCode);
		let mut insurer_info = Insurers::<T>::get(&insurer).ok_or(Error::<T>::NotInsurer)?;
		let mut info = Self::payee_with_free_slot(&clinic, &currency, amount)?;
		let count = ClaimsOf::<T>::get(&clinic);
		ensure!(count < T::MaxClaimsPerClinic::get(), Error::<T>::TooManyClaims);

		let deposit = T::ClaimDeposit::get();
		T::NativeBalance::hold(&HoldReason::Claim.into(), &clinic, deposit)?;
		insurer_info.claims = insurer_info.claims.saturating_add(1);
		Insurers::<T>::insert(&insurer, insurer_info);
		Self::mutate_pool(&insurer, &currency, |pool| pool.committed.saturating_accrue(amount))?;
		ClaimsOf::<T>::insert(&clinic, count.saturating_add(1));
		info.claims = info.claims.saturating_add(1);
		Payees::<T>::insert(&clinic, info);
		let id = Self::take_id::<NextClaimId<T>>();
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ClaimDeadline::get());
		Self::deposit_event(Event::ClaimSubmitted {
			claim: id,
			clinic: clinic.clone(),
			insurer: insurer.clone(),
			currency: currency.clone(),
			amount,
			deadline,
		});
		let claim = Claim {
			clinic,
			insurer,
			currency,
			amount,
			code,
			attachment,
			deadline,
			deposit,
			state: ClaimState::Submitted,
		};
		Claims::<T>::insert(id, claim);
		Ok(id)
	}

	pub(crate) fn do_adjudicate(
		who: T::AccountId,
		id: ClaimId,
		decision: Decision<BalanceOf<T>>,
	) -> DispatchResult {
		let claim = Claims::<T>::get(id).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(who == claim.insurer, Error::<T>::NotClaimInsurer);
		ensure!(claim.state == ClaimState::Submitted, Error::<T>::ClaimEscalated);
		match decision {
			Decision::Approve { amount } => {
				Self::check_award(&claim, amount)?;
				let payment = Self::end_claim(id, claim.clone(), amount)?;
				Self::deposit_event(Event::ClaimApproved {
					claim: id,
					paid: amount,
					claimed: claim.amount,
					payment,
				});
			},
			Decision::Deny { reason } => {
				ensure!((1..=MAX_REASON_CODE).contains(&reason), Error::<T>::BadReason);
				Self::end_claim(id, claim, Zero::zero())?;
				Self::deposit_event(Event::ClaimDenied { claim: id, reason });
			},
		}
		Ok(())
	}

	/// An amount the claim may be paid: at least the currency's minimum, at most the claimed
	/// amount and what the insurer's pool holds.
	fn check_award(claim: &ClaimOf<T>, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(
			amount >= T::Currencies::minimum_balance(claim.currency.clone()),
			Error::<T>::BelowMinimum
		);
		ensure!(amount <= claim.amount, Error::<T>::OverClaimed);
		let pool = Pools::<T>::get(&claim.insurer, &claim.currency).unwrap_or_default();
		ensure!(amount <= pool.funds, Error::<T>::PoolTooSmall);
		Ok(())
	}

	pub(crate) fn do_escalate(who: T::AccountId, id: ClaimId) -> DispatchResult {
		let mut claim = Claims::<T>::get(id).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(who == claim.clinic, Error::<T>::NotClaimant);
		ensure!(claim.state == ClaimState::Submitted, Error::<T>::ClaimEscalated);
		ensure!(
			frame_system::Pallet::<T>::block_number() >= claim.deadline,
			Error::<T>::ClaimNotDue
		);
		let deposit = T::DisputeDeposit::get();
		T::NativeBalance::hold(&HoldReason::Dispute.into(), &who, deposit)?;
		claim.state = ClaimState::Escalated { deposit };
		Claims::<T>::insert(id, claim);
		Self::deposit_event(Event::ClaimEscalated { claim: id });
		Ok(())
	}

	pub(crate) fn do_resolve_claim(
		id: ClaimId,
		award: BalanceOf<T>,
		frivolous: bool,
	) -> DispatchResult {
		let claim = Claims::<T>::get(id).ok_or(Error::<T>::UnknownClaim)?;
		let ClaimState::Escalated { deposit } = claim.state else {
			return Err(Error::<T>::NotEscalated.into());
		};
		if !award.is_zero() {
			Self::check_award(&claim, award)?;
		}
		let reason = HoldReason::Dispute.into();
		if frivolous {
			T::NativeBalance::transfer_on_hold(
				&reason,
				&claim.clinic,
				&claim.insurer,
				deposit,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?;
		} else {
			T::NativeBalance::release(&reason, &claim.clinic, deposit, Precision::BestEffort)?;
		}
		let payment = Self::end_claim(id, claim, award)?;
		Self::deposit_event(Event::ClaimResolved { claim: id, awarded: award, payment, frivolous });
		Ok(())
	}

	pub(crate) fn do_withdraw_claim(who: T::AccountId, id: ClaimId) -> DispatchResult {
		let claim = Claims::<T>::get(id).ok_or(Error::<T>::UnknownClaim)?;
		ensure!(who == claim.clinic, Error::<T>::NotClaimant);
		ensure!(claim.state == ClaimState::Submitted, Error::<T>::ClaimEscalated);
		Self::end_claim(id, claim, Zero::zero())?;
		Self::deposit_event(Event::ClaimWithdrawn { claim: id });
		Ok(())
	}

	/// Ends a claim: pays `paid` (checked by the caller) from the insurer's pool to the clinic
	/// and records it in the clinic's reserved slot, ends the claim's commitment, releases the
	/// clinic's claim deposit and removes the claim. Returns the payment's id, if any.
	fn end_claim(
		id: ClaimId,
		claim: ClaimOf<T>,
		paid: BalanceOf<T>,
	) -> Result<Option<PaymentId>, DispatchError> {
		if !paid.is_zero() {
			T::Currencies::transfer(
				claim.currency.clone(),
				&Self::escrow_account(),
				&claim.clinic,
				paid,
				Preservation::Expendable,
			)?;
			Escrowed::<T>::mutate(&claim.currency, |total| total.saturating_reduce(paid));
		}
		Self::mutate_pool(&claim.insurer, &claim.currency, |pool| {
			pool.funds.saturating_reduce(paid);
			pool.committed.saturating_reduce(claim.amount);
		})?;
		Insurers::<T>::mutate(&claim.insurer, |info| {
			if let Some(info) = info {
				info.claims = info.claims.saturating_sub(1);
			}
		});
		T::NativeBalance::release(
			&HoldReason::Claim.into(),
			&claim.clinic,
			claim.deposit,
			Precision::BestEffort,
		)?;
		ClaimsOf::<T>::mutate_exists(&claim.clinic, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		let mut info = Payees::<T>::get(&claim.clinic).ok_or(Error::<T>::NotPayee)?;
		info.claims = info.claims.saturating_sub(1);
		let payment = if paid.is_zero() {
			Payees::<T>::insert(&claim.clinic, info);
			None
		} else {
			let record = PaymentRecord {
				payer: claim.insurer.clone(),
				paid: (claim.currency.clone(), paid),
				received: (claim.currency.clone(), paid),
				route: Route::Direct,
				code: claim.code.clone(),
				at: frame_system::Pallet::<T>::block_number(),
				escrow: None,
				split: None,
			};
			Some(Self::record_payment(&claim.clinic, info, record).0)
		};
		Claims::<T>::remove(id);
		Ok(payment)
	}

	/// An open claim, for clients.
	pub fn open_claim(id: ClaimId) -> Option<ClaimOf<T>> {
		Claims::<T>::get(id)
	}
}
