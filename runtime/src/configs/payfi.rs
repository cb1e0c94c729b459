//! PayFi settlement: coded healthcare payments in any pooled currency, received in a currency
//! governance lists, routed through the BTT pools of pallet-asset-conversion
//! (`pallet-payfi`, docs/pallets/payfi.md).

use crate::{
	configs::{NativeAndAssets, NativeAsset},
	deposit, AccountId, AssetConversion, Balance, Balances, Runtime, RuntimeHoldReason, Timestamp,
};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;

parameter_types! {
	/// A payee's registration: one item of 104 bytes (key 80, value 24; checked by
	/// `runtime/tests/payfi.rs`).
	pub const PayeeDeposit: Balance = deposit(1, 104);
	/// Each record slot of a payee's statement: one item of at most 350 bytes (key 108,
	/// `PaymentRecord`'s largest encoding 242; checked by `runtime/tests/payfi.rs`).
	pub const RecordDeposit: Balance = deposit(1, 350);
}

impl pallet_payfi::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = NativeAsset;
	type Swap = AssetConversion;
	// Governance later (issue 22: the payments track).
	type PaymentsOrigin = EnsureRoot<AccountId>;
	type Time = Timestamp;
	type PayeeDeposit = PayeeDeposit;
	type RecordDeposit = RecordDeposit;
	type MaxRecordsPerPayee = ConstU32<10_000>;
	type MaxReceivableCurrencies = ConstU32<8>;
	type MaxListedProcedures = ConstU32<256>;
	type MaxStatementDays = ConstU32<31>;
	type WeightInfo = crate::weights::pallet_payfi::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::PooledAssets;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use crate::{AccountId, AssetConversion, AssetId, Assets, Balance, Balances, RuntimeOrigin};
	use alloc::boxed::Box;
	use frame_support::{
		assert_ok,
		traits::{
			fungible::{self, NativeOrWithId},
			fungibles::{Create, Inspect, Mutate},
		},
	};

	/// Creates the PayFi benchmarks' assets (ids from 3,000, sufficient) with BTT pools of
	/// 10^20 units on each side, funded by `provider`.
	pub struct PooledAssets;

	impl pallet_payfi::benchmarking::BenchmarkHelper<AccountId, NativeOrWithId<AssetId>>
		for PooledAssets
	{
		fn pooled_asset(i: u32, provider: &AccountId) -> NativeOrWithId<AssetId> {
			let id = 3_000u32.saturating_add(i);
			let asset = NativeOrWithId::WithId(id);
			if <Assets as Inspect<AccountId>>::asset_exists(id) {
				return asset;
			}
			let depth: Balance = 100_000_000_000_000_000_000;
			assert_ok!(<Assets as Create<AccountId>>::create(id, provider.clone(), true, 1));
			assert_ok!(<Balances as fungible::Mutate<AccountId>>::mint_into(provider, 2 * depth));
			assert_ok!(<Assets as Mutate<AccountId>>::mint_into(id, provider, 2 * depth));
			let origin = RuntimeOrigin::signed(provider.clone());
			let (native, pooled) = (Box::new(NativeOrWithId::Native), Box::new(asset.clone()));
			assert_ok!(AssetConversion::create_pool(
				origin.clone(),
				native.clone(),
				pooled.clone()
			));
			assert_ok!(AssetConversion::add_liquidity(
				origin,
				native,
				pooled,
				depth,
				depth,
				1,
				1,
				provider.clone(),
			));
			asset
		}
	}
}
