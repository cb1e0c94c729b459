//! Queries a wallet or a clinic's dashboard needs, callable from polkadot.js as
//! `api.call.tokenizationApi.*` and from subxt.

use crate::types::{OrderId, TransferRejection};
use alloc::vec::Vec;
use btt_primitives::TokenizedAssetId;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// Read access to tokenized assets, their holders, revenue and market.
	pub trait TokenizationApi<AccountId, Balance, CurrencyId, AssetDetails, Rules, Order>
	where
		AccountId: Codec,
		Balance: Codec,
		CurrencyId: Codec,
		AssetDetails: Codec,
		Rules: Codec,
		Order: Codec,
	{
		/// The asset's record: issuer, category, documents, attestation, fractions.
		fn asset(asset: TokenizedAssetId) -> Option<AssetDetails>;
		/// The asset's compliance rules.
		fn rules(asset: TokenizedAssetId) -> Option<Rules>;
		/// Whether the ownership attestation holds now.
		fn ownership_verified(asset: TokenizedAssetId) -> bool;
		/// The accepted valuation in US-dollar cents, if a quorum of fresh valuations exists.
		fn accepted_valuation(asset: TokenizedAssetId) -> Option<Balance>;
		/// How many accounts hold fractions of the asset.
		fn holders_count(asset: TokenizedAssetId) -> u32;
		/// Fractions `who` holds and how many of them it may move now (not listed, not locked).
		fn fractions_of(asset: TokenizedAssetId, who: AccountId) -> (Balance, Balance);
		/// Revenue `who` can claim, per currency.
		fn claimable_revenue(asset: TokenizedAssetId, who: AccountId) -> Vec<(CurrencyId, Balance)>;
		/// `Ok` if moving `amount` fractions from `from` to `to` would pass, else the reason.
		fn can_transfer(
			asset: TokenizedAssetId,
			from: AccountId,
			to: AccountId,
			amount: Balance,
		) -> Result<(), TransferRejection>;
		/// The open market orders of the asset.
		fn open_orders(asset: TokenizedAssetId) -> Vec<(OrderId, Order)>;
	}
}
