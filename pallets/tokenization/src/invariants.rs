//! The pallet's invariants, checked by `try_state` (after every unit test, and by try-runtime).

use crate::{
	pallet::*,
	revenue::{earned, revenue_scale},
	schedule::schedule_task_name,
	types::*,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{
		fungible::InspectHold as _, fungibles::Inspect as _, schedule::v3::Named as _,
		tokens::nonfungibles_v2::Inspect as _,
	},
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedMul, CheckedSub, Zero},
	TryRuntimeError,
};

/// Sums per currency (currency ids need not be ordered, so a small list).
struct Totals<C, B>(Vec<(C, B)>);

impl<C: PartialEq, B: CheckedAdd + Zero + Copy> Totals<C, B> {
	fn add(&mut self, currency: C, amount: B) -> Result<(), TryRuntimeError> {
		match self.0.iter_mut().find(|(c, _)| *c == currency) {
			Some((_, total)) => *total = total.checked_add(&amount).ok_or("total overflows")?,
			None => self.0.push((currency, amount)),
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet:
	/// - a fractionalized asset's fractions supply is its `N` and its twin is locked; any other
	///   asset has no fractions and a transferable twin;
	/// - holder records match balances: `HolderCount` = number of holders, the holders'
	///   balances sum to the supply, listed fractions are backed by the seller's balance and
	///   equal its open sell orders;
	///   and locked lots are backed by it too;
	/// - per revenue pool, scaled: `Σ owed + (claimed + dust) · S + carry = deposited · S`,
	///   with `carry < N`;
	/// - the pallet account holds, per currency, at least every liability: unclaimed revenue,
	///   pending dust and fees, escrowed buy orders and its existence buffer;
	/// - every hold of the pallet equals its records: asset, order, claim and schedule
	///   deposits per account; the per-account order and schedule counts match the records;
	/// - every schedule has exactly its own next payment in the scheduler, at `next_due`;
	/// - fractions are frozen again (`FractionsUnlocked` is only set inside the pallet's own
	///   moves, never between calls).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(
			!FractionsUnlocked::<T>::get(),
			"fractions left unlocked outside the pallet's moves"
		);
		Self::check_assets()?;
		Self::check_revenue_conservation()?;
		Self::check_escrow_coverage()?;
		Self::check_holds()?;
		Self::check_schedules()
	}

	fn check_assets() -> Result<(), TryRuntimeError> {
		let collection = TwinCollection::<T>::get();
		for (asset, details) in Assets::<T>::iter() {
			let collection = collection.ok_or("asset without a twin collection")?;
			ensure!(T::Nfts::owner(&collection, &asset).is_some(), "asset without its twin");
			let supply = T::Fractions::total_issuance(asset);
			let twin_locked = !T::Nfts::can_transfer(&collection, &asset);
			match &details.fractions {
				Some(fractions) => {
					ensure!(supply == fractions.total, "fractions supply differs from N");
					ensure!(twin_locked, "fractionalized asset with an unlocked twin");
				},
				None => {
					ensure!(supply.is_zero(), "fractions exist for an unfractionalized asset");
					ensure!(!twin_locked, "twin locked although not fractionalized");
				},
			}

			let mut holders = 0u32;
			let mut held = BalanceOf::<T>::zero();
			for (who, _) in Holdings::<T>::iter_prefix(asset) {
				let balance = T::Fractions::balance(asset, &who);
				ensure!(!balance.is_zero(), "holder record without fractions");
				holders = holders.saturating_add(1);
				held = held.checked_add(&balance).ok_or("holdings overflow")?;
			}
			ensure!(holders == HolderCount::<T>::get(asset), "holder count differs from holders");
			ensure!(held == supply, "holders' balances differ from the supply");

			let mut orders = 0u32;
			let mut listed = Totals::<T::AccountId, BalanceOf<T>>(Vec::new());
			for (order_id, _) in AssetOrders::<T>::iter_prefix(asset) {
				let order =
					Orders::<T>::get(order_id).ok_or("asset index names a missing order")?;
				ensure!(order.asset == asset, "order indexed under another asset");
				orders = orders.saturating_add(1);
				if order.side == OrderSide::Sell {
					listed.add(order.owner, order.remaining)?;
				}
			}
			ensure!(orders == OrderCount::<T>::get(asset), "order count differs from orders");
			for (who, amount) in ListedFractions::<T>::iter_prefix(asset) {
				let in_orders =
					listed.0.iter().find(|(o, _)| *o == who).map(|(_, a)| *a).unwrap_or_default();
				ensure!(amount == in_orders, "listed fractions differ from open sell orders");
				ensure!(amount <= T::Fractions::balance(asset, &who), "listed more than held");
			}
			for (who, _) in Holdings::<T>::iter_prefix(asset) {
				let committed = ListedFractions::<T>::get(asset, &who)
					.checked_add(&Self::locked_fractions(asset, &who))
					.ok_or("locked overflows")?;
				ensure!(
					committed <= T::Fractions::balance(asset, &who),
					"listed and locked fractions exceed the balance"
				);
			}
		}
		Ok(())
	}

	fn check_revenue_conservation() -> Result<(), TryRuntimeError> {
		let scale = revenue_scale::<BalanceOf<T>>();
		for (asset, currency, pool) in RevenuePools::<T>::iter() {
			if let Some(fractions) = Assets::<T>::get(asset).and_then(|d| d.fractions) {
				ensure!(pool.carry < fractions.total, "carry of a whole scaled unit per fraction");
			}
			let mut claimable = BalanceOf::<T>::zero();
			let mut with_cursor = Vec::new();
			for ((who, c), cursor) in RevenueCursors::<T>::iter_prefix((asset,)) {
				if c != currency {
					continue;
				}
				let balance = T::Fractions::balance(asset, &who);
				let owed = earned(balance, pool.per_fraction, cursor.settled_per_fraction)
					.and_then(|e| e.checked_add(&cursor.unclaimed))
					.ok_or("cursor ahead of its pool")?;
				claimable = claimable.checked_add(&owed).ok_or("claimable overflows")?;
				with_cursor.push(who);
			}
			for (who, _) in Holdings::<T>::iter_prefix(asset) {
				if !with_cursor.contains(&who) {
					let owed =
						earned(T::Fractions::balance(asset, &who), pool.per_fraction, Zero::zero())
							.ok_or("claimable overflows")?;
					claimable = claimable.checked_add(&owed).ok_or("claimable overflows")?;
				}
			}
			let accounted = pool
				.claimed
				.checked_add(&pool.dust)
				.and_then(|a| a.checked_mul(&scale))
				.and_then(|a| a.checked_add(&claimable))
				.and_then(|a| a.checked_add(&pool.carry))
				.ok_or("accounted overflows")?;
			let deposited = pool.deposited.checked_mul(&scale).ok_or("deposited overflows")?;
			ensure!(
				accounted == deposited,
				"revenue created or lost: Σ owed + (claimed + dust)·S + carry ≠ deposited·S"
			);
		}
		Ok(())
	}

	fn check_escrow_coverage() -> Result<(), TryRuntimeError> {
		let mut owed = Totals::<CurrencyOf<T>, BalanceOf<T>>(Vec::new());
		for (_, currency, pool) in RevenuePools::<T>::iter() {
			let outstanding = pool
				.deposited
				.checked_sub(&pool.claimed)
				.and_then(|o| o.checked_sub(&pool.dust))
				.ok_or("pool paid out more than deposited")?;
			owed.add(currency, outstanding)?;
		}
		for (currency, pending) in PendingDust::<T>::iter() {
			owed.add(currency, pending)?;
		}
		for (currency, pending) in PendingFees::<T>::iter() {
			owed.add(currency, pending)?;
		}
		for (currency, buffer) in EscrowBuffer::<T>::iter() {
			owed.add(currency, buffer)?;
		}
		for (_, order) in Orders::<T>::iter() {
			if order.side == OrderSide::Buy {
				let escrowed = crate::market::order_cost(order.remaining, order.price)
					.ok_or("order escrow overflows")?;
				owed.add(order.currency, escrowed)?;
			}
		}
		let pallet = Self::account_id();
		for (currency, liability) in owed.0 {
			let held = T::Currencies::balance(currency, &pallet);
			ensure!(held >= liability, "pallet account holds less than its liabilities");
		}
		Ok(())
	}

	fn check_holds() -> Result<(), TryRuntimeError> {
		let mut expected = Totals::<(HoldReason, T::AccountId), BalanceOf<T>>(Vec::new());
		for (_, details) in Assets::<T>::iter() {
			expected.add((HoldReason::AssetRegistration, details.depositor), details.deposit)?;
		}
		let mut orders = Totals::<T::AccountId, u32>(Vec::new());
		for (_, order) in Orders::<T>::iter() {
			expected.add((HoldReason::MarketOrder, order.owner.clone()), order.deposit)?;
			orders.add(order.owner, 1)?;
		}
		for (_, _, (claim, deposit)) in Claims::<T>::iter() {
			expected.add((HoldReason::Claim, claim.issuer), deposit)?;
		}
		let mut schedules = Totals::<T::AccountId, u32>(Vec::new());
		for (_, record) in Schedules::<T>::iter() {
			expected.add((HoldReason::RevenueSchedule, record.payer.clone()), record.deposit)?;
			schedules.add(record.payer, 1)?;
		}
		for ((reason, who), amount) in &expected.0 {
			let held = T::NativeBalance::balance_on_hold(&(*reason).into(), who);
			ensure!(held == *amount, "a hold of the pallet differs from its records");
		}
		for (who, count) in OrdersOf::<T>::iter() {
			let in_records = orders.0.iter().find(|(o, _)| *o == who).map(|(_, c)| *c);
			ensure!(in_records == Some(count), "per-account order count differs from the orders");
		}
		ensure!(orders.0.len() == OrdersOf::<T>::iter().count(), "an order owner is not counted");
		for (who, count) in SchedulesOf::<T>::iter() {
			let in_records = schedules.0.iter().find(|(o, _)| *o == who).map(|(_, c)| *c);
			ensure!(
				in_records == Some(count),
				"per-account schedule count differs from the schedules"
			);
		}
		ensure!(
			schedules.0.len() == SchedulesOf::<T>::iter().count(),
			"a schedule payer is not counted"
		);
		Ok(())
	}

	fn check_schedules() -> Result<(), TryRuntimeError> {
		for (id, record) in Schedules::<T>::iter() {
			ensure!(
				record.remaining >= 1 && record.remaining <= record.payments,
				"schedule with no payment left or more than it was made for"
			);
			let due = T::Scheduler::next_dispatch_time(schedule_task_name(id, record.remaining))
				.map_err(|_| "schedule without its task in the scheduler")?;
			ensure!(due == record.next_due, "schedule's task is not at its next payment");
		}
		Ok(())
	}
}
