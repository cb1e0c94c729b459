//! PayFi settlement: coded healthcare payments in any pooled currency, received in a currency
//! governance lists, routed through the BTT pools of pallet-asset-conversion, and escrows
//! released by a confirmation, a verified DePIN task or a block, splits, recurring payment
//! plans made by the scheduler, tabs settled by signed vouchers, and insurer claims paid from
//! insurers' pools (`pallet-payfi`, docs/pallets/payfi.md).

use crate::{
	configs::{NativeAndAssets, NativeAsset},
	deposit, AssetConversion, Balance, Balances, BlockNumber, Runtime, RuntimeHoldReason,
	Scheduler, Signature, Timestamp, DAYS, HOURS, UNITS,
};
use frame_support::{parameter_types, traits::ConstU32, PalletId};

parameter_types! {
	/// A payee's registration: one item of 120 bytes (key 80, value 40; checked by
	/// `runtime/tests/payfi.rs`).
	pub const PayeeDeposit: Balance = deposit(1, 120);
	/// Each record slot of a payee's statement: one item of at most 370 bytes (key 108,
	/// `PaymentRecord`'s largest encoding 256; checked by `runtime/tests/payfi.rs`).
	pub const RecordDeposit: Balance = deposit(1, 370);
	/// The escrow account.
	pub const PayfiPalletId: PalletId = PalletId(*b"py/payfi");
	/// A pending escrow: the escrow (454 bytes with its key), the payer's count (84) and
	/// up to two awaited-task entries (89 each; checked by `runtime/tests/payfi.rs`).
	pub const EscrowDeposit: Balance = deposit(4, 720);
	/// Disputing an escrow: enough that a dispute is not a free way to delay a payment (the
	/// arbiter gives it to the other party for a frivolous one).
	pub const DisputeDeposit: Balance = 5 * UNITS;
	/// A split template: one item of at most 410 bytes with its key (checked by
	/// `runtime/tests/payfi.rs`).
	pub const SplitDeposit: Balance = deposit(1, 410);
	/// A plan: the plan (333 bytes with its key), the payer's count (84) and its task in the
	/// scheduler (an agenda entry of at most 858 bytes, its lookup 80; checked by
	/// `runtime/tests/payfi.rs`).
	pub const PlanDeposit: Balance = deposit(3, 1_360);
	/// Each payment of a plan is one more dispatch the scheduler makes unpaid.
	pub const PlanDepositPerPayment: Balance = deposit(0, 32);
	/// Daily at most: a plan is a membership or an instalment plan, not a block-by-block
	/// stream (tabs are for that).
	pub const MinPlanPeriod: BlockNumber = DAYS;
	/// An open tab: the tab (at most 320 bytes with its key) and the payer's count (84;
	/// checked by `runtime/tests/payfi.rs`).
	pub const TabDeposit: Balance = deposit(2, 410);
	/// A month.
	pub const MaxTabPeriod: BlockNumber = 30 * DAYS;
	/// The payer's early close leaves the payee six hours to redeem its latest voucher.
	pub const TabNotice: BlockNumber = 6 * HOURS;
	/// An insurer: its record (104 bytes with its key) and a pool in each of the eight
	/// currencies payees may receive (133 bytes each; checked by `runtime/tests/payfi.rs`).
	pub const InsurerDeposit: Balance = deposit(9, 1_168);
	/// An open claim: the claim (at most 350 bytes with its key) and the clinic's count (84;
	/// checked by `runtime/tests/payfi.rs`).
	pub const ClaimDeposit: Balance = deposit(2, 434);
	/// An insurer has thirty days to decide a claim (the usual prompt-payment term) before
	/// the clinic may escalate it.
	pub const ClaimDeadline: BlockNumber = 30 * DAYS;
}

impl pallet_payfi::Config for Runtime {
	type NativeBalance = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currencies = NativeAndAssets;
	type NativeCurrency = NativeAsset;
	type Swap = AssetConversion;
	// Governance later (issue 22: the payments track).
	type PaymentsOrigin = super::PaymentsAdmin;
	type Time = Timestamp;
	type PayeeDeposit = PayeeDeposit;
	type RecordDeposit = RecordDeposit;
	type MaxRecordsPerPayee = ConstU32<10_000>;
	type MaxReceivableCurrencies = ConstU32<8>;
	type MaxListedProcedures = ConstU32<256>;
	type MaxStatementDays = ConstU32<31>;
	type PalletId = PayfiPalletId;
	// Governance later (issue 22: the payments track's arbiters).
	type ArbiterOrigin = super::PaymentsAdmin;
	type EscrowDeposit = EscrowDeposit;
	type DisputeDeposit = DisputeDeposit;
	type MaxEscrowsPerPayer = ConstU32<16>;
	type MaxEscrowPeriod = ConstU32<{ 90 * DAYS }>;
	// An asset's share of a split goes to its fraction holders in the same extrinsic.
	type AssetRevenue = crate::Tokenization;
	type SplitDeposit = SplitDeposit;
	type MaxSplitsPerPayee = ConstU32<16>;
	type Scheduler = Scheduler;
	type PlanDeposit = PlanDeposit;
	type PlanDepositPerPayment = PlanDepositPerPayment;
	type MinPlanPeriod = MinPlanPeriod;
	// Ten years of monthly payments.
	type MaxPaymentsPerPlan = ConstU32<120>;
	type MaxPlansPerPayer = ConstU32<8>;
	// Vouchers are signed by the payer's account key: sr25519, ed25519 or ecdsa.
	type Signature = Signature;
	type Signer = <Signature as sp_runtime::traits::Verify>::Signer;
	type TabDeposit = TabDeposit;
	type MaxTabsPerPayer = ConstU32<8>;
	type MaxTabPeriod = MaxTabPeriod;
	type TabNotice = TabNotice;
	type InsurerDeposit = InsurerDeposit;
	type ClaimDeposit = ClaimDeposit;
	// A clinic's outstanding claims; each also holds a slot of its statement.
	type MaxClaimsPerClinic = ConstU32<256>;
	type ClaimDeadline = ClaimDeadline;
	type WeightInfo = crate::weights::pallet_payfi::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::PooledAssets;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use crate::{
		AccountId, AssetConversion, AssetId, Assets, Balance, Balances, RuntimeOrigin, Signature,
	};
	use alloc::boxed::Box;
	use frame_support::{
		assert_ok,
		traits::{
			fungible::{self, NativeOrWithId},
			fungibles::{Create, Inspect, Mutate},
		},
	};

	/// Creates the PayFi benchmarks' assets (ids from 3,000, sufficient) with BTT pools of
	/// 10^20 units on each side, funded by `provider`, and signs their vouchers with an sr25519
	/// key of the benchmark's keystore.
	pub struct PooledAssets;

	const VOUCHER_KEY: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"bttv");

	impl pallet_payfi::benchmarking::BenchmarkHelper<AccountId, NativeOrWithId<AssetId>, Signature>
		for PooledAssets
	{
		fn signer() -> AccountId {
			use sp_runtime::traits::IdentifyAccount;
			let public =
				sp_io::crypto::sr25519_generate(VOUCHER_KEY, Some(b"//btt-bench-payer".to_vec()));
			sp_runtime::MultiSigner::Sr25519(public).into_account()
		}

		fn sign(signer: &AccountId, message: &[u8]) -> Signature {
			let public = sp_core::sr25519::Public::from_raw(*AsRef::<[u8; 32]>::as_ref(signer));
			sp_io::crypto::sr25519_sign(VOUCHER_KEY, &public, message)
				.map(Signature::Sr25519)
				.unwrap_or_else(|| {
					Signature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64]))
				})
		}

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
