//! Money: BTT balances, transaction fees and pallet-assets (stablecoins used for payments).

use crate::{
	AccountId, AssetId, Balance, Balances, Runtime, RuntimeFreezeReason, RuntimeHoldReason,
	EXISTENTIAL_DEPOSIT, MICRO_UNITS, MILLI_UNITS, UNITS,
};
use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU8},
	weights::{
		constants::ExtrinsicBaseWeight, ConstantMultiplier, WeightToFeeCoefficient,
		WeightToFeeCoefficients, WeightToFeePolynomial,
	},
};
use frame_system::{EnsureRoot, EnsureSigned};
use polkadot_runtime_common::SlowAdjustingFeeUpdate;
use sp_runtime::Perbill;

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	/// Fee per byte of an extrinsic: 0.00001 BTT.
	pub const TransactionByteFee: Balance = 10 * MICRO_UNITS;
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = frame_system::Pallet<Runtime>;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = ConstU32<8>;
	type DoneSlashHandler = ();
}

/// The fee, in plancks of BTT, for executing `ref_time` picoseconds of weight.
///
/// `fee = ref_time · (FEE_PER_BASE_EXTRINSIC / base_extrinsic_ref_time)`: the smallest
/// extrinsic (the benchmarked base weight) costs 0.0001 BTT of execution fee, before the length
/// fee and the congestion multiplier.
pub fn fee_for_weight() -> (Balance, Perbill) {
	const FEE_PER_BASE_EXTRINSIC: Balance = MILLI_UNITS / 10;
	let base = Balance::from(ExtrinsicBaseWeight::get().ref_time()).max(1);
	(FEE_PER_BASE_EXTRINSIC / base, Perbill::from_rational(FEE_PER_BASE_EXTRINSIC % base, base))
}

/// Converts weight to a BTT fee with the linear coefficient of [`fee_for_weight`].
pub struct WeightToFee;

impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;

	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let (coeff_integer, coeff_frac) = fee_for_weight();
		let mut coefficients = WeightToFeeCoefficients::new();
		coefficients.push(WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac,
			coeff_integer,
		});
		coefficients
	}
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	// 80 % of each fee to the treasury, the rest and the tip to the block's author.
	type OnChargeTransaction =
		pallet_transaction_payment::FungibleAdapter<Balances, super::DealWithFees>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const AssetDeposit: Balance = 10 * UNITS;
	pub const AssetAccountDeposit: Balance = crate::deposit(1, 16);
	pub const MetadataDepositBase: Balance = crate::deposit(1, 68);
	pub const MetadataDepositPerByte: Balance = crate::deposit(0, 1);
	pub const ApprovalDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

/// pallet-assets: stablecoins and other fungibles accepted for payments. Anyone may create an
/// asset against a deposit; force operations need root (governance later).
impl pallet_assets::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1_000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
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
