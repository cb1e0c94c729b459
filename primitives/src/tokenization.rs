//! What other pallets may ask of the tokenization pallet.
//!
//! PayFi (and anything else that collects money on behalf of a tokenized asset, such as a
//! clinic's X-ray unit) pays the asset's fraction holders through [`AssetRevenue`]; the runtime
//! wires it to `pallet-tokenization`.

use crate::TokenizedAssetId;
use sp_runtime::DispatchResult;

/// Pays revenue to the fraction holders of a tokenized asset.
///
/// Each holder's share is pro rata to the fractions held when the revenue is deposited; the
/// implementation keeps the payout O(1) in the number of holders (holders claim later).
pub trait AssetRevenue<AccountId, CurrencyId, Balance> {
	/// Moves `amount` of `currency` from `payer` into the revenue pool of `asset`.
	///
	/// Fails, changing nothing, if the asset is not fractionalized, the amount is below the
	/// currency's minimum balance, or the payer cannot pay.
	fn deposit_revenue(
		payer: &AccountId,
		asset: TokenizedAssetId,
		currency: CurrencyId,
		amount: Balance,
	) -> DispatchResult;

	/// Whether `asset` can receive revenue now (it exists and is fractionalized).
	fn accepts_revenue(asset: TokenizedAssetId) -> bool;

	/// The most one [`AssetRevenue::deposit_revenue`] costs (its worst case: the most holders,
	/// the costliest currency), for the weight of the calls that pay revenue through it.
	fn deposit_weight() -> sp_runtime::Weight;
}
