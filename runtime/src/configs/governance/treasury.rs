//! The treasury: pallet-treasury's account (`py/trsry`) receives [`TREASURY_FEE_SHARE`] of
//! every transaction fee, the market's fees and revenue dust (tokenization), pool set-up fees,
//! collator slashes and killed referenda's deposits. It pays out by `treasury.spend` from a
//! spender track (or root), after the spend's `valid_from`: this is how the DePIN and
//! patient-reward pots are refilled on a live chain.

use super::{origins, ByPace};
use crate::{
	configs::NativeAndAssets, AccountId, Balance, Balances, BlockNumber, Runtime, RuntimeEvent,
	DAYS,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::Credit,
		fungibles,
		tokens::{
			imbalance::{MaybeResolveAssetTo, ResolveAssetTo, ResolveTo},
			pay::PayFromAccount,
			UnityAssetBalanceConversion,
		},
		EitherOf, Imbalance, OnUnbalanced,
	},
	PalletId,
};
use frame_system::EnsureRootWithSuccess;
use sp_runtime::{traits::IdentityLookup, Percent};

use crate::configs::TreasuryAccount;

/// The share of each transaction fee (not of tips) that goes to the treasury; the block's
/// author receives the rest and the whole tip.
pub const TREASURY_FEE_SHARE: Percent = Percent::from_percent(80);

/// Splits fees between the treasury and the block author by [`TREASURY_FEE_SHARE`]; tips go
/// to the author.
pub struct DealWithFees;
impl OnUnbalanced<Credit<AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = Credit<AccountId, Balances>>) {
		let Some(fees) = fees_then_tips.next() else { return };
		let to_treasury = TREASURY_FEE_SHARE.mul_floor(fees.peek());
		let (treasury, mut author) = fees.split(to_treasury);
		if let Some(tips) = fees_then_tips.next() {
			author.subsume(tips);
		}
		ResolveTo::<TreasuryAccount, Balances>::on_unbalanced(treasury);
		<polkadot_runtime_common::impls::ToAuthor<Runtime> as OnUnbalanced<_>>::on_unbalanced(
			author,
		);
	}
}

/// [`DealWithFees`] for fees paid in an asset: the fee, swapped to BTT through the asset's
/// pool, is split the same way (a tip in another asset than the fee's goes to the author).
pub struct DealWithSwappedFees;
impl OnUnbalanced<fungibles::Credit<AccountId, NativeAndAssets>> for DealWithSwappedFees {
	fn on_unbalanceds(
		mut fees_then_tips: impl Iterator<Item = fungibles::Credit<AccountId, NativeAndAssets>>,
	) {
		type ToAuthor = MaybeResolveAssetTo<
			parachains_common::impls::BlockAuthor<Runtime>,
			NativeAndAssets,
			AccountId,
		>;
		let Some(fees) = fees_then_tips.next() else { return };
		let to_treasury = TREASURY_FEE_SHARE.mul_floor(fees.peek());
		let (treasury, mut author) = fees.split(to_treasury);
		if let Some(tips) = fees_then_tips.next() {
			if let Err(tips) = author.subsume(tips) {
				ToAuthor::on_unbalanced(tips);
			}
		}
		ResolveAssetTo::<TreasuryAccount, NativeAndAssets>::on_unbalanced(treasury);
		ToAuthor::on_unbalanced(author);
	}
}

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// How often approved legacy proposals are paid and the burn applies (none burns).
	pub const SpendPeriodProduction: BlockNumber = 6 * DAYS;
	pub const SpendPeriodDevelopment: BlockNumber = 10;
	/// How long an approved spend may be claimed after its `valid_from`.
	pub const PayoutPeriodProduction: BlockNumber = 30 * DAYS;
	pub const PayoutPeriodDevelopment: BlockNumber = 100;
	pub const MaxBalance: Balance = Balance::MAX;
}

/// Root spends without limit; the spender tracks up to their origin's cap.
pub type TreasurySpender = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, origins::Spender>;

impl pallet_treasury::Config for Runtime {
	type PalletId = TreasuryPalletId;
	type Currency = Balances;
	type RejectOrigin = EitherOf<frame_system::EnsureRoot<AccountId>, origins::Treasurer>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = ByPace<SpendPeriodProduction, SpendPeriodDevelopment>;
	type Burn = ();
	type BurnDestination = ();
	type MaxApprovals = frame_support::traits::ConstU32<100>;
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type SpendOrigin = TreasurySpender;
	// BTT only: the treasury pays in the native token.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = ByPace<PayoutPeriodProduction, PayoutPeriodDevelopment>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
