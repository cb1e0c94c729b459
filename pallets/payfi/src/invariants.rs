//! `try_state`: what must hold after every block (and after every test).

use crate::{
	plans::plan_task_name, AwaitedTasks, BalanceOf, ClaimState, Claims, ClaimsOf, Condition,
	Config, CurrencyOf, Escrowed, Escrows, EscrowsOf, HoldReason, Insurers, Pallet, Payees, Plans,
	PlansOf, Pools, Records, Splits, Tabs, TabsOf,
};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::traits::{fungible::InspectHold, fungibles::Inspect, schedule::v3::Named, Get};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// - every payee's records number `used`, its pending escrows `escrows`, and
	///   `used + escrows ≤ slots ≤ MaxRecordsPerPayee`;
	/// - every record belongs to a registered payee;
	/// - each payee's held BTT equals the deposit recorded, which is what its slots cost;
	/// - escrows: each payer's count is its pending escrows (at most `MaxEscrowsPerPayer`) and
	///   its escrow and dispute holds are their deposits; every awaited task's count is the
	///   pending escrows naming it;
	/// - tabs: each payer's count is its open tabs (at most `MaxTabsPerPayer`), its tab hold
	///   their deposits, each payee's `tabs` its open tabs; no tab redeemed more than it holds;
	/// - the total per currency in [`Escrowed`] is what the pending escrows and the open tabs
	///   still hold, and the escrow account holds at least that;
	/// - plans: each payer's count is its plans (at most `MaxPlansPerPayer`), its plan hold
	///   their deposits, and each plan has its next payment's task in the scheduler;
	/// - claims: each clinic's count is its open claims (at most `MaxClaimsPerClinic`), its
	///   claim hold their deposits, each payee's `claims` its open claims; each insurer's
	///   `claims` and `pools` count its open claims and stored pools, its hold is its deposit;
	///   each pool's `committed` is the sum of its open claims, no stored pool is empty, and
	///   the pools' funds count in [`Escrowed`] too; an escalated claim's deposit is in its
	///   clinic's dispute hold.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut records: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for ((payee, _, _), _) in Records::<T>::iter() {
			*records.entry(payee).or_default() += 1;
		}
		let mut to_payee: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut of_payer: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		let mut disputes: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		// Currencies are not `Ord`: a short list.
		let mut totals: Vec<(CurrencyOf<T>, BalanceOf<T>)> = Vec::new();
		let mut awaited: BTreeMap<btt_primitives::depin::TaskId, u32> = BTreeMap::new();
		for (_, escrow) in Escrows::<T>::iter() {
			*to_payee.entry(escrow.payee.clone()).or_default() += 1;
			let payer = of_payer.entry(escrow.payer.clone()).or_default();
			payer.0 += 1;
			payer.1.saturating_accrue(escrow.deposit);
			if let Some(dispute) = &escrow.dispute {
				disputes.entry(dispute.by.clone()).or_default().saturating_accrue(dispute.deposit);
			}
			match totals.iter_mut().find(|(currency, _)| *currency == escrow.currency) {
				Some((_, total)) => total.saturating_accrue(escrow.amount),
				None => totals.push((escrow.currency.clone(), escrow.amount)),
			}
			for condition in &escrow.conditions {
				if let Condition::TaskVerified(task) = condition {
					*awaited.entry(*task).or_default() += 1;
				}
			}
		}

		let mut tabs_of: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		let mut tabs_to: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, tab) in Tabs::<T>::iter() {
			ensure_state(tab.redeemed <= tab.amount, "a tab redeemed more than it holds")?;
			*tabs_to.entry(tab.payee.clone()).or_default() += 1;
			let payer = tabs_of.entry(tab.payer.clone()).or_default();
			payer.0 += 1;
			payer.1.saturating_accrue(tab.deposit);
			let left = tab.amount.saturating_sub(tab.redeemed);
			match totals.iter_mut().find(|(currency, _)| *currency == tab.currency) {
				Some((_, total)) => total.saturating_accrue(left),
				None => totals.push((tab.currency.clone(), left)),
			}
		}
		for (payer, count) in TabsOf::<T>::iter() {
			let (open, deposits) = tabs_of.remove(&payer).unwrap_or_default();
			ensure_state(count == open && count > 0, "a payer's tab count is not its tabs")?;
			ensure_state(count <= T::MaxTabsPerPayer::get(), "a payer holds too many tabs")?;
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Tab.into(), &payer);
			ensure_state(held == deposits, "a payer's tab hold is not its deposits")?;
		}
		ensure_state(tabs_of.is_empty(), "tabs of a payer without a count")?;

		let claims_to = Self::check_claims(&mut totals, &mut disputes)?;

		let mut plans_of: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		for (id, plan) in Plans::<T>::iter() {
			let payer = plans_of.entry(plan.payer.clone()).or_default();
			payer.0 += 1;
			payer.1.saturating_accrue(plan.deposit);
			ensure_state(
				plan.remaining > 0 && plan.remaining <= plan.payments,
				"a plan's remaining payments are out of range",
			)?;
			ensure_state(
				T::Scheduler::next_dispatch_time(plan_task_name(id, plan.remaining)).is_ok(),
				"a plan has no task in the scheduler",
			)?;
		}
		for (payer, count) in PlansOf::<T>::iter() {
			let (active, deposits) = plans_of.remove(&payer).unwrap_or_default();
			ensure_state(count == active && count > 0, "a payer's plan count is not its plans")?;
			ensure_state(count <= T::MaxPlansPerPayer::get(), "a payer holds too many plans")?;
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Plan.into(), &payer);
			ensure_state(held == deposits, "a payer's plan hold is not its deposits")?;
		}
		ensure_state(plans_of.is_empty(), "plans of a payer without a count")?;

		let mut splits: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		for (payee, _, split) in Splits::<T>::iter() {
			let entry = splits.entry(payee).or_default();
			entry.0 += 1;
			entry.1.saturating_accrue(split.deposit);
			let total = split.shares.iter().fold(0u32, |sum, share| sum + share.part.deconstruct());
			ensure_state(total == 1_000_000, "a split's shares do not sum to 100 %")?;
			ensure_state(
				(split.remainder_to as usize) < split.shares.len(),
				"a split's remainder has no share",
			)?;
		}

		for (payee, info) in Payees::<T>::iter() {
			let (templates, deposits) = splits.remove(&payee).unwrap_or_default();
			ensure_state(templates == info.splits, "a payee's split count is not its templates")?;
			ensure_state(
				T::NativeBalance::balance_on_hold(&HoldReason::Split.into(), &payee) == deposits,
				"a payee's split hold is not its templates' deposits",
			)?;
			let held = records.remove(&payee).unwrap_or(0);
			ensure_state(held == info.used, "a payee's record count is not its records")?;
			let escrows = to_payee.remove(&payee).unwrap_or(0);
			ensure_state(escrows == info.escrows, "a payee's escrow count is not its escrows")?;
			let tabs = tabs_to.remove(&payee).unwrap_or(0);
			ensure_state(tabs == info.tabs, "a payee's tab count is not its tabs")?;
			let claims = claims_to.get(&payee).copied().unwrap_or(0);
			ensure_state(claims == info.claims, "a payee's claim count is not its claims")?;
			ensure_state(
				info.used.saturating_add(info.reserved()) <= info.slots,
				"a payee holds more records, escrows and tabs than slots",
			)?;
			ensure_state(
				info.slots <= T::MaxRecordsPerPayee::get(),
				"a payee has more slots than allowed",
			)?;
			ensure_state(
				Self::held_for_payee(&payee) == info.deposit,
				"a payee's held deposit is not the recorded one",
			)?;
			ensure_state(
				info.deposit == Self::payee_deposit(info.slots),
				"a payee's deposit is not what its slots cost",
			)?;
		}
		ensure_state(records.is_empty(), "records of an unregistered payee")?;
		ensure_state(splits.is_empty(), "split templates of an unregistered payee")?;
		ensure_state(to_payee.is_empty(), "escrows to an unregistered payee")?;
		ensure_state(tabs_to.is_empty(), "tabs to an unregistered payee")?;
		ensure_state(
			claims_to.keys().all(Payees::<T>::contains_key),
			"claims of an unregistered payee",
		)?;

		for (payer, count) in EscrowsOf::<T>::iter() {
			let (pending, deposits) = of_payer.remove(&payer).unwrap_or_default();
			ensure_state(count == pending, "a payer's escrow count is not its escrows")?;
			ensure_state(count > 0, "a zero escrow count is stored")?;
			ensure_state(count <= T::MaxEscrowsPerPayer::get(), "a payer holds too many escrows")?;
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Escrow.into(), &payer);
			ensure_state(held == deposits, "a payer's escrow hold is not its deposits")?;
		}
		ensure_state(of_payer.is_empty(), "escrows of a payer without a count")?;
		for (who, deposits) in disputes {
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Dispute.into(), &who);
			ensure_state(held == deposits, "a disputer's hold is not its dispute deposits")?;
		}

		let account = Self::escrow_account();
		for (currency, total) in Escrowed::<T>::iter() {
			let position = totals.iter().position(|(listed, _)| *listed == currency);
			let counted = position.map(|at| totals.swap_remove(at).1).unwrap_or_default();
			ensure_state(
				total == counted,
				"the escrowed total is not what escrows, tabs and pools hold",
			)?;
			ensure_state(
				T::Currencies::balance(currency, &account) >= total,
				"the escrow account holds less than is escrowed",
			)?;
		}
		ensure_state(
			totals.iter().all(|(_, amount)| *amount == Default::default()),
			"escrowed money missing from the totals",
		)?;

		for (task, entry) in AwaitedTasks::<T>::iter() {
			let naming = awaited.remove(&task).unwrap_or(0);
			ensure_state(entry.waiting == naming, "an awaited task's count is not its escrows")?;
			ensure_state(entry.waiting > 0, "an awaited task no escrow waits for")?;
		}
		ensure_state(awaited.is_empty(), "an escrow waits for a task that is not indexed")
	}
}

impl<T: Config> Pallet<T> {
	/// The claims' and insurers' part of [`Pallet::do_try_state`]: adds the pools' funds to
	/// `totals` and escalation deposits to `disputes`; returns each clinic's open claims.
	fn check_claims(
		totals: &mut Vec<(CurrencyOf<T>, BalanceOf<T>)>,
		disputes: &mut BTreeMap<T::AccountId, BalanceOf<T>>,
	) -> Result<BTreeMap<T::AccountId, u32>, TryRuntimeError> {
		let mut of_clinic: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		let mut to_insurer: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		// (insurer, currency, committed): currencies are not `Ord`.
		let mut committed: Vec<(T::AccountId, CurrencyOf<T>, BalanceOf<T>)> = Vec::new();
		for (_, claim) in Claims::<T>::iter() {
			let clinic = of_clinic.entry(claim.clinic.clone()).or_default();
			clinic.0 += 1;
			clinic.1.saturating_accrue(claim.deposit);
			*to_insurer.entry(claim.insurer.clone()).or_default() += 1;
			if let ClaimState::Escalated { deposit } = claim.state {
				disputes.entry(claim.clinic.clone()).or_default().saturating_accrue(deposit);
			}
			let key = |(insurer, currency, _): &(T::AccountId, CurrencyOf<T>, BalanceOf<T>)| {
				*insurer == claim.insurer && *currency == claim.currency
			};
			match committed.iter_mut().find(|entry| key(entry)) {
				Some((_, _, total)) => total.saturating_accrue(claim.amount),
				None => committed.push((claim.insurer, claim.currency, claim.amount)),
			}
		}
		let mut clinics = BTreeMap::new();
		for (clinic, count) in ClaimsOf::<T>::iter() {
			let (open, deposits) = of_clinic.remove(&clinic).unwrap_or_default();
			ensure_state(count == open && count > 0, "a clinic's claim count is not its claims")?;
			ensure_state(count <= T::MaxClaimsPerClinic::get(), "a clinic holds too many claims")?;
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Claim.into(), &clinic);
			ensure_state(held == deposits, "a clinic's claim hold is not its deposits")?;
			clinics.insert(clinic, count);
		}
		ensure_state(of_clinic.is_empty(), "claims of a clinic without a count")?;

		let mut pools: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (insurer, currency, pool) in Pools::<T>::iter() {
			*pools.entry(insurer.clone()).or_default() += 1;
			ensure_state(
				pool.funds != Default::default() || pool.committed != Default::default(),
				"an empty pool is stored",
			)?;
			let position = committed.iter().position(|(i, c, _)| *i == insurer && *c == currency);
			let asked = position.map(|at| committed.swap_remove(at).2).unwrap_or_default();
			ensure_state(pool.committed == asked, "a pool's commitment is not its open claims")?;
			match totals.iter_mut().find(|(listed, _)| *listed == currency) {
				Some((_, total)) => total.saturating_accrue(pool.funds),
				None => totals.push((currency, pool.funds)),
			}
		}
		ensure_state(committed.is_empty(), "open claims on a pool that is not stored")?;
		for (insurer, info) in Insurers::<T>::iter() {
			let open = to_insurer.remove(&insurer).unwrap_or(0);
			ensure_state(open == info.claims, "an insurer's claim count is not its claims")?;
			let stored = pools.remove(&insurer).unwrap_or(0);
			ensure_state(stored == info.pools, "an insurer's pool count is not its pools")?;
			let held = T::NativeBalance::balance_on_hold(&HoldReason::Insurer.into(), &insurer);
			ensure_state(held == info.deposit, "an insurer's hold is not its deposit")?;
		}
		ensure_state(to_insurer.is_empty(), "claims to an unregistered insurer")?;
		ensure_state(pools.is_empty(), "pools of an unregistered insurer")?;
		Ok(clinics)
	}
}

fn ensure_state(condition: bool, what: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(what.into())
	}
}
