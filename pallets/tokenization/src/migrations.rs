//! Storage migrations of the tokenization pallet, and a scaffold to test any migration the way
//! try-runtime runs it.
//!
//! ## v0 → v1 ([`MigrateV0ToV1`])
//! - `Holdings`: the block a holder last received fractions becomes its locked lots: one lot of
//!   its whole balance locked until `acquired + lockup` if that is still ahead (what v0 enforced),
//!   none otherwise, none for the issuer.
//! - `RevenuePools` / `RevenueCursors`: per-fraction totals and unclaimed revenue are scaled by
//!   [`REVENUE_SCALE`]; pools get a zero carry (their past dust stays in `dust`).
//! - `Schedules`: v0 schedules were periodic `deposit_revenue` tasks whose progress the pallet
//!   did not track; they are cancelled in the scheduler and their deposits released (payers
//!   schedule again, under the v1 deposit and limits).
//! - `OrdersOf`: counted from the open orders.
//! - `PaymentCurrencies` / `AcceptedCurrencies`: every currency an asset already took revenue in
//!   stays accepted by it and listed (up to the bounds).

use crate::{pallet::*, types::*};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold as _, fungibles::Inspect as _, schedule::v3::Named as _,
		tokens::Precision, UncheckedOnRuntimeUpgrade,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::traits::{Saturating, Zero};

/// The v0 storage layout, for the migration and its test.
pub mod v0 {
	use super::*;
	use btt_primitives::TokenizedAssetId;

	/// v0 `Holdings`: the block each holder last received fractions.
	#[frame_support::storage_alias]
	pub type Holdings<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
	>;

	/// A v0 revenue pool: per-fraction totals in whole plancks, remainders paid as dust.
	#[derive(Clone, Default, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
	pub struct RevenuePool<Balance> {
		/// Revenue per fraction, plancks.
		pub per_fraction: Balance,
		/// Everything deposited.
		pub deposited: Balance,
		/// Everything claimed.
		pub claimed: Balance,
		/// Remainders paid to the dust account.
		pub dust: Balance,
	}

	/// v0 `RevenuePools`.
	#[frame_support::storage_alias]
	pub type RevenuePools<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		TokenizedAssetId,
		Blake2_128Concat,
		CurrencyOf<T>,
		RevenuePool<BalanceOf<T>>,
		ValueQuery,
	>;

	/// A v0 revenue schedule, without progress.
	#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
	pub struct RevenueSchedule<AccountId, Balance, CurrencyId, BlockNumber> {
		/// Who pays.
		pub payer: AccountId,
		/// The asset paid.
		pub asset: TokenizedAssetId,
		/// The currency paid.
		pub currency: CurrencyId,
		/// Amount per period.
		pub amount: Balance,
		/// Blocks between payments.
		pub period: BlockNumber,
		/// Payments scheduled.
		pub payments: u32,
		/// The held deposit.
		pub deposit: Balance,
	}

	/// A v0 schedule of the runtime `T`.
	pub type ScheduleOf<T> = RevenueSchedule<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		CurrencyOf<T>,
		BlockNumberFor<T>,
	>;

	/// v0 `Schedules`.
	#[frame_support::storage_alias]
	pub type Schedules<T: Config> = StorageMap<Pallet<T>, Twox64Concat, ScheduleId, ScheduleOf<T>>;

	/// The scheduler task name of a v0 schedule (one periodic task).
	pub fn schedule_task_name(schedule: ScheduleId) -> [u8; 32] {
		sp_io::hashing::blake2_256(&(b"btt/tokenization/revenue", schedule).encode())
	}
}

/// Counts of what the migration must carry over, taken before it runs.
#[derive(Encode, Decode, Default, Debug, PartialEq)]
pub struct Snapshot {
	/// Holder records.
	pub holdings: u32,
	/// Revenue pools.
	pub pools: u32,
	/// Sum of every pool's `deposited` (saturating), which must not change.
	pub deposited: u128,
	/// Open orders.
	pub orders: u32,
}

/// The v0 → v1 translation, run only from version 0 by [`MigrateV0ToV1`].
pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

/// v0 → v1, guarded by the on-chain storage version (sets it to 1).
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let (mut reads, mut writes) = (0u64, 0u64);
		let now = frame_system::Pallet::<T>::block_number();
		let scale: BalanceOf<T> = crate::revenue::revenue_scale();

		Holdings::<T>::translate::<BlockNumberFor<T>, _>(|asset, who, acquired| {
			reads.saturating_accrue(4);
			writes.saturating_accrue(1);
			let lockup = Pallet::<T>::lockup_for(asset, &who);
			let unlocks_at = acquired.saturating_add(lockup);
			let balance = T::Fractions::balance(asset, &who);
			let mut lots = LotsOf::<T>::default();
			if unlocks_at > now && !balance.is_zero() {
				// One lot of the whole balance: exactly what v0 locked. Cannot fail (bound ≥ 1).
				let _ = lots.try_push(Lot { amount: balance, received_at: acquired, unlocks_at });
			}
			Some(lots)
		});

		RevenuePools::<T>::translate::<v0::RevenuePool<BalanceOf<T>>, _>(|_, _, old| {
			reads.saturating_accrue(1);
			writes.saturating_accrue(1);
			Some(RevenuePool {
				per_fraction: old.per_fraction.saturating_mul(scale),
				deposited: old.deposited,
				claimed: old.claimed,
				dust: old.dust,
				carry: Zero::zero(),
			})
		});
		RevenueCursors::<T>::translate::<RevenueCursor<BalanceOf<T>>, _>(|_, old| {
			reads.saturating_accrue(1);
			writes.saturating_accrue(1);
			Some(RevenueCursor {
				settled_per_fraction: old.settled_per_fraction.saturating_mul(scale),
				unclaimed: old.unclaimed.saturating_mul(scale),
			})
		});

		for (id, old) in v0::Schedules::<T>::drain() {
			reads.saturating_accrue(3);
			writes.saturating_accrue(3);
			let name = v0::schedule_task_name(id);
			if T::Scheduler::next_dispatch_time(name).is_ok() {
				let _ = T::Scheduler::cancel_named(name);
			}
			let _ = T::NativeBalance::release(
				&HoldReason::RevenueSchedule.into(),
				&old.payer,
				old.deposit,
				Precision::BestEffort,
			);
		}

		for (_, order) in Orders::<T>::iter() {
			reads.saturating_accrue(2);
			writes.saturating_accrue(1);
			OrdersOf::<T>::mutate(&order.owner, |count| *count = count.saturating_add(1));
		}

		let mut listed = PaymentCurrencies::<T>::get();
		for (asset, currencies) in RevenueCurrencies::<T>::iter() {
			reads.saturating_accrue(1);
			writes.saturating_accrue(1);
			let mut accepted = AcceptedCurrencies::<T>::get(asset);
			for currency in currencies.into_iter().filter(|c| *c != T::NativeCurrency::get()) {
				if !listed.contains(&currency) {
					let _ = listed.try_push(currency.clone());
				}
				if !accepted.contains(&currency) {
					let _ = accepted.try_push(currency);
				}
			}
			AcceptedCurrencies::<T>::insert(asset, accepted);
		}
		PaymentCurrencies::<T>::put(listed);
		writes.saturating_accrue(1);

		T::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		let snapshot = Snapshot {
			holdings: v0::Holdings::<T>::iter().count() as u32,
			pools: v0::RevenuePools::<T>::iter().count() as u32,
			deposited: v0::RevenuePools::<T>::iter_values().fold(0u128, |sum, pool| {
				sum.saturating_add(sp_runtime::SaturatedConversion::saturated_into(pool.deposited))
			}),
			orders: Orders::<T>::iter().count() as u32,
		};
		Ok(snapshot.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = Snapshot::decode(&mut &state[..]).map_err(|_| "undecodable snapshot")?;
		let after = Snapshot {
			holdings: Holdings::<T>::iter().count() as u32,
			pools: RevenuePools::<T>::iter().count() as u32,
			deposited: RevenuePools::<T>::iter_values().fold(0u128, |sum, pool| {
				sum.saturating_add(sp_runtime::SaturatedConversion::saturated_into(pool.deposited))
			}),
			orders: OrdersOf::<T>::iter_values().map(u128::from).sum::<u128>() as u32,
		};
		frame_support::ensure!(before == after, "the migration lost or made up records");
		frame_support::ensure!(Schedules::<T>::iter().next().is_none(), "v0 schedules left");
		Pallet::<T>::do_try_state()
	}
}

/// A scaffold to test a migration the way try-runtime runs it: `pre_upgrade`,
/// `on_runtime_upgrade`, `post_upgrade`, in one externalities. Other pallets copy this module
/// (it depends on frame-support only).
///
/// A test writes the old layout (with `#[storage_alias]` types of the old version), sets the
/// on-chain storage version, calls [`scaffold::run_upgrade`], then asserts the new layout.
#[cfg(feature = "std")]
pub mod scaffold {
	use frame_support::{
		traits::{GetStorageVersion, OnRuntimeUpgrade, PalletInfoAccess, StorageVersion},
		weights::Weight,
	};

	/// Runs `M` with its try-runtime checks (when the `try-runtime` feature is on) and returns
	/// the weight it reported. Panics, naming the step, if a check fails.
	pub fn run_upgrade<M: OnRuntimeUpgrade>() -> Weight {
		#[cfg(feature = "try-runtime")]
		let state = M::pre_upgrade().unwrap_or_else(|e| panic!("pre_upgrade failed: {e:?}"));
		let weight = M::on_runtime_upgrade();
		#[cfg(feature = "try-runtime")]
		M::post_upgrade(state).unwrap_or_else(|e| panic!("post_upgrade failed: {e:?}"));
		weight
	}

	/// Sets pallet `P`'s on-chain storage version to `version`, as an old chain would have it.
	pub fn set_on_chain_version<P: PalletInfoAccess + GetStorageVersion>(version: u16) {
		StorageVersion::new(version).put::<P>();
	}
}
