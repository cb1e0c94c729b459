//! Currency conversion: pallet-asset-conversion's BTT/asset pools, their LP tokens (a third
//! pallet-assets instance) and transaction fees paid in a pool's asset.
//!
//! - Every pool pairs BTT with one asset of the default pallet-assets instance
//!   ([`NativeAndAssets`]): fractions of tokenized assets (`FractionAssets`) and LP tokens
//!   (`PoolAssets`) are not in that set, so they can never be swapped or pay a fee.
//! - Creating a pool costs [`PoolSetupFee`] (to the treasury) on top of the asset's own deposit,
//!   so pools of junk currencies are not free.
//! - A fee paid in an asset is priced in BTT as usual, quoted through the asset's pool, taken in
//!   the asset, swapped to BTT and sent where BTT fees go (the collators' staking pot); an
//!   account holding only a sufficient asset (the development chain's dUSD) pays every fee.

// `ord_parameter_types!` expands to `vec!`.
use alloc::vec;

use crate::{
	configs::{NativeAndAssets, TreasuryAccount},
	AccountId, AssetConversion, AssetId, Balance, Balances, PoolAssets, Runtime, UNITS,
};
use frame_support::{
	ord_parameter_types, parameter_types,
	traits::{
		fungible::NativeOrWithId, tokens::imbalance::ResolveAssetTo, AsEnsureOriginWithArg,
		ConstU128, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::{traits::AccountIdConversion, Permill};

parameter_types! {
	/// Derives each pool's account (with the pool id) and the LP-token creator.
	pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
	/// BTT, the first asset of every pool.
	pub const NativeAsset: NativeOrWithId<AssetId> = NativeOrWithId::Native;
	/// The liquidity providers' fee on every swap: 0.3 %.
	pub LpFee: Permill = Permill::from_rational(3u32, 1_000u32);
	/// Highest fee governance may set for one pool.
	pub MaxSwapFee: Permill = Permill::from_percent(2);
	/// What withdrawing liquidity costs: nothing.
	pub LiquidityWithdrawalFee: Permill = Permill::zero();
	/// What creating a pool costs, paid to the treasury: a pool is state every node keeps.
	pub const PoolSetupFee: Balance = 10 * UNITS;
}

ord_parameter_types! {
	/// The pallet account: the only creator of LP-token classes.
	pub const AssetConversionOrigin: AccountId =
		AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

/// LP tokens of the pools. Only pallet-asset-conversion creates their classes (deposit-free:
/// the pool setup fee pays for the pool); holders may transfer them.
impl pallet_assets::Config<pallet_assets::Instance3> for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1_000>;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AssetConversionOrigin, AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// The account of a pool, from its pair.
pub type PoolIdToAccountId = pallet_asset_conversion::AccountIdConverter<
	AssetConversionPalletId,
	(NativeOrWithId<AssetId>, NativeOrWithId<AssetId>),
>;

impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = NativeOrWithId<AssetId>;
	type Assets = NativeAndAssets;
	type PoolId = (Self::AssetKind, Self::AssetKind);
	type PoolLocator = pallet_asset_conversion::WithFirstAsset<
		NativeAsset,
		AccountId,
		Self::AssetKind,
		PoolIdToAccountId,
	>;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type LPFee = LpFee;
	// Governance later (issue 22).
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxSwapFee = MaxSwapFee;
	type PoolSetupFee = PoolSetupFee;
	type PoolSetupFeeAsset = NativeAsset;
	type PoolSetupFeeTarget = ResolveAssetTo<TreasuryAccount, Self::Assets>;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MintMinLiquidity = ConstU128<100>;
	type MaxSwapPathLength = ConstU32<3>;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = pallet_asset_conversion::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<AssetId>;
}

/// Transaction fees in any pool's asset: `ChargeAssetTxPayment` in the transaction extension,
/// `assetId` in polkadot.js's signer options.
impl pallet_asset_conversion_tx_payment::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type AssetId = NativeOrWithId<AssetId>;
	type OnChargeAssetTransaction = pallet_asset_conversion_tx_payment::SwapAssetAdapter<
		NativeAsset,
		NativeAndAssets,
		AssetConversion,
		// Split like a BTT fee: 80 % to the treasury, the rest to the author.
		super::DealWithSwappedFees,
	>;
	type WeightInfo = pallet_asset_conversion_tx_payment::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::AssetTxHelper;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use super::*;
	use crate::{Assets, RuntimeOrigin};
	use alloc::boxed::Box;
	use frame_support::{
		assert_ok,
		traits::{fungible, fungibles},
	};

	/// Creates a sufficient asset, funds the benchmark account in it and BTT, and opens its
	/// BTT pool with liquidity, for the fee-in-asset benchmarks.
	pub struct AssetTxHelper;

	impl
		pallet_asset_conversion_tx_payment::BenchmarkHelperTrait<
			AccountId,
			NativeOrWithId<AssetId>,
			NativeOrWithId<AssetId>,
		> for AssetTxHelper
	{
		fn create_asset_id_parameter(
			seed: u32,
		) -> (NativeOrWithId<AssetId>, NativeOrWithId<AssetId>) {
			(NativeOrWithId::WithId(seed), NativeOrWithId::WithId(seed))
		}

		fn setup_balances_and_pool(asset: NativeOrWithId<AssetId>, account: AccountId) {
			let NativeOrWithId::WithId(id) = asset.clone() else { return };
			// A failed step would make the benchmark measure nothing: stop it loudly.
			assert_ok!(<Assets as fungibles::Create<AccountId>>::create(
				id,
				account.clone(),
				true,
				1
			));
			let funds: Balance = u64::MAX.into();
			assert_ok!(<Balances as fungible::Mutate<AccountId>>::mint_into(&account, funds));
			assert_ok!(<Assets as fungibles::Mutate<AccountId>>::mint_into(id, &account, funds));
			let (native, asset) = (Box::new(NativeOrWithId::Native), Box::new(asset));
			let origin = RuntimeOrigin::signed(account.clone());
			assert_ok!(AssetConversion::create_pool(origin.clone(), native.clone(), asset.clone()));
			assert_ok!(AssetConversion::add_liquidity(
				origin,
				native,
				asset,
				(u32::MAX / 2).into(),
				u32::MAX.into(),
				1,
				1,
				account,
			));
		}
	}
}
