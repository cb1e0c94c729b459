//! The pallet's invariants, checked by `try_state` (after every unit test, and by try-runtime).

use crate::{pallet::*, revenue::earned, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect as _, tokens::nonfungibles_v2::Inspect as _},
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Zero},
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
	/// - per revenue pool: `Σ claimable + claimed + dust = deposited`;
	/// - the pallet account holds, per currency, at least every liability: unclaimed revenue,
	///   pending dust, escrowed buy orders and its existence buffer.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_assets()?;
		Self::check_revenue_conservation()?;
		Self::check_escrow_coverage()
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
				let order = Orders::<T>::get(order_id).ok_or("asset index names a missing order")?;
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
		}
		Ok(())
	}

	fn check_revenue_conservation() -> Result<(), TryRuntimeError> {
		for (asset, currency, pool) in RevenuePools::<T>::iter() {
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
					let owed = earned(T::Fractions::balance(asset, &who), pool.per_fraction, Zero::zero())
						.ok_or("claimable overflows")?;
					claimable = claimable.checked_add(&owed).ok_or("claimable overflows")?;
				}
			}
			let accounted = claimable
				.checked_add(&pool.claimed)
				.and_then(|a| a.checked_add(&pool.dust))
				.ok_or("accounted overflows")?;
			ensure!(accounted == pool.deposited, "revenue created or lost: Σ claimable + claimed + dust ≠ deposited");
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
}
