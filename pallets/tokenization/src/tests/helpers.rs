//! Shared steps of the lifecycle.

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};

pub const DE: Jurisdiction = Jurisdiction(*b"DE");
pub const US: Jurisdiction = Jurisdiction(*b"US");
pub const FR: Jurisdiction = Jurisdiction(*b"FR");
pub const DOCS: [u8; 32] = [7u8; 32];
pub const FAR: u64 = 1_000_000;

pub fn uri(text: &str) -> BoundedVec<u8, <Test as Config>::MaxUriLength> {
	text.as_bytes().to_vec().try_into().unwrap()
}

/// Accredits the registrar, three valuers and the KYC provider.
pub fn accredit_all() {
	for (role, who) in [
		(Role::Registrar, REGISTRAR),
		(Role::Valuer, VALUER_1),
		(Role::Valuer, VALUER_2),
		(Role::Valuer, VALUER_3),
		(Role::ClaimIssuer, KYC_PROVIDER),
	] {
		assert_ok!(Tokenization::accredit(RuntimeOrigin::root(), role, who));
	}
}

/// The clinic registers an X-ray unit; returns its id.
pub fn register() -> u32 {
	let id = NextAssetId::<Test>::get();
	assert_ok!(Tokenization::register_asset(
		RuntimeOrigin::signed(CLINIC),
		AssetCategory::Equipment,
		DE,
		DOCS,
		uri("ipfs://bafy-xray-unit"),
	));
	id
}

/// Registered, attested, valued by three valuers, and taking revenue in USDC (listed by
/// governance, accepted by the clinic).
pub fn verified_asset() -> u32 {
	accredit_all();
	let asset = register();
	assert_ok!(Tokenization::attest_ownership(RuntimeOrigin::signed(REGISTRAR), asset, FAR));
	value(asset, 1_000_000, 1_200_000);
	accept_usdc(asset);
	asset
}

/// Governance lists USDC and the clinic's asset accepts it.
pub fn accept_usdc(asset: u32) {
	assert_ok!(Tokenization::set_payment_currencies(
		RuntimeOrigin::root(),
		vec![usdc()].try_into().unwrap()
	));
	assert_ok!(Tokenization::set_accepted_currencies(
		RuntimeOrigin::signed(CLINIC),
		asset,
		vec![usdc()].try_into().unwrap()
	));
}

/// Three fresh valuations (a quorum): `low`, `high` and their midpoint, which is accepted.
pub fn value(asset: u32, low: Balance, high: Balance) {
	assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_1), asset, low));
	assert_ok!(Tokenization::submit_valuation(RuntimeOrigin::signed(VALUER_2), asset, high));
	assert_ok!(Tokenization::submit_valuation(
		RuntimeOrigin::signed(VALUER_3),
		asset,
		(low + high) / 2
	));
}

/// Verified and divided into `fractions` fractions owned by the clinic.
pub fn fractionalized_asset(fractions: Balance) -> u32 {
	let asset = verified_asset();
	assert_ok!(Tokenization::fractionalize(RuntimeOrigin::signed(CLINIC), asset, fractions));
	asset
}

pub fn kyc(who: AccountId) {
	assert_ok!(Tokenization::issue_claim(
		RuntimeOrigin::signed(KYC_PROVIDER),
		who,
		ClaimTopic::Kyc,
		FAR,
		None
	));
}

pub fn residence(who: AccountId, j: Jurisdiction) {
	assert_ok!(Tokenization::issue_claim(
		RuntimeOrigin::signed(KYC_PROVIDER),
		who,
		ClaimTopic::Residence,
		FAR,
		Some(j)
	));
}

pub fn fractions_of(asset: u32, who: AccountId) -> Balance {
	<FractionAssets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(asset, &who)
}

pub fn usdc_of(who: AccountId) -> Balance {
	<PaymentAssets as frame_support::traits::fungibles::Inspect<AccountId>>::balance(USDC, &who)
}

pub fn usdc() -> NativeOrWithId<u32> {
	NativeOrWithId::WithId(USDC)
}

pub fn btt() -> NativeOrWithId<u32> {
	NativeOrWithId::Native
}

pub use frame_support::traits::fungible::NativeOrWithId;
