//! # PayFi pallet
//!
//! Coded healthcare payments between patients, insurers and clinics, settled on chain in any
//! listed currency (issue 19; `docs/pallets/payfi.md`).
//!
//! This first part holds:
//! - **payees**: a clinic registers to receive coded payments, holding a deposit for the
//!   records of its statement ([`Pallet::register_payee`]); it removes reconciled records to
//!   free their slots ([`Pallet::remove_records`]);
//! - **payments** ([`Pallet::pay`]): the payer pays in any pooled currency and the payee
//!   receives exactly the amount in a currency governance lists; the **router** (`router.rs`)
//!   transfers directly or swaps through pallet-asset-conversion, bounded by the payer's
//!   `max_in`, and the event reports the route and both amounts;
//! - **billing codes** ([`btt_primitives::payfi::BillingCode`]): checked on every payment,
//!   procedure codes optionally restricted to a list governance keeps;
//! - the **statement** of a payee for a period of days, through the runtime API.
//!
//! - **escrow** ([`Pallet::escrow`]): money held until the payer's conditions release it to
//!   the payee (a named account's confirmation, a DePIN task the payee posted verified, a
//!   block), refunded at its refund block otherwise; a dispute by either party goes to
//!   `ArbiterOrigin`, which splits it.
//!
//! - **splits** ([`Pallet::pay_split`]): a payee's templates share a payment out as it
//!   arrives, to accounts and, through `AssetRevenue`, to the fraction holders of tokenized
//!   assets (the clinic's X-ray unit's investors), in the same extrinsic.
//!
//! - **plans** ([`Pallet::schedule_payments`]): recurring coded payments (a membership, an
//!   instalment plan) made by pallet-scheduler, one agenda slot per plan, each payment as
//!   `pay` makes it (`plans.rs`);
//! - **tabs** ([`Pallet::open_tab`]): payment channels for micro-payments; the payer signs
//!   cumulative vouchers off chain (`MultiSignature` in the runtime) and the payee redeems the
//!   latest in one extrinsic, whatever their number (`tabs.rs`).
//!
//! - **claims** ([`Pallet::submit_claim`]): a clinic claims from a registered insurer, which
//!   approves (in full or in part, paid at once from its pool) or denies with a reason code;
//!   an undecided claim past its deadline goes to `ArbiterOrigin` (`claims.rs`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod calls;
mod claims;
mod escrow;
mod events;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod payments;
mod plans;
mod router;
pub mod runtime_api;
mod splits;
mod tabs;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

#[import_section(events::events)]
#[import_section(calls::calls)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use btt_primitives::payfi::ProcedureCode;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible, fungibles, schedule::v3::Named as ScheduleNamed, OriginTrait, UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{IdentifyAccount, MaybeSerializeDeserialize, Verify},
		Permill,
	};

	/// The origin the scheduler dispatches a plan's payment with (the payer's).
	pub type PalletsOriginOf<T> =
		<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;

	/// The storage layout version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeCall: From<Call<Self>>> {
		/// BTT: payees' deposits are held in it.
		type NativeBalance: fungible::Inspect<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currencies payments are made in: BTT and the pallet-assets assets (never the
		/// fractions of tokenized assets).
		type Currencies: fungibles::Inspect<
				Self::AccountId,
				Balance = BalanceOf<Self>,
				AssetId: MaybeSerializeDeserialize,
			> + fungibles::Mutate<Self::AccountId>;

		/// The id of BTT among [`Config::Currencies`], the middle of every two-pool route.
		#[pallet::constant]
		type NativeCurrency: Get<CurrencyOf<Self>>;

		/// Swaps between currencies: pallet-asset-conversion.
		type Swap: pallet_asset_conversion::Swap<
			Self::AccountId,
			Balance = BalanceOf<Self>,
			AssetKind = CurrencyOf<Self>,
		>;

		/// Lists the currencies payees may receive and the procedure codes payments may carry.
		type PaymentsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time: an encounter day may not be in the future.
		type Time: UnixTime;

		/// Deposit held from a payee for its registration.
		#[pallet::constant]
		type PayeeDeposit: Get<BalanceOf<Self>>;

		/// Further deposit held from a payee per record slot of its statement.
		#[pallet::constant]
		type RecordDeposit: Get<BalanceOf<Self>>;

		/// Most record slots one payee may hold.
		#[pallet::constant]
		type MaxRecordsPerPayee: Get<u32>;

		/// Most currencies governance may list for payees to receive (BTT included).
		#[pallet::constant]
		type MaxReceivableCurrencies: Get<u32>;

		/// Most procedure codes in governance's list.
		#[pallet::constant]
		type MaxListedProcedures: Get<u32>;

		/// Longest period of a statement, in days.
		#[pallet::constant]
		type MaxStatementDays: Get<u32>;

		/// The account escrowed money is held in.
		#[pallet::constant]
		type PalletId: Get<frame_support::PalletId>;

		/// Decides disputed escrows: how much of the amount goes to the payee.
		type ArbiterOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// BTT held from a payer per pending escrow.
		#[pallet::constant]
		type EscrowDeposit: Get<BalanceOf<Self>>;

		/// BTT held from whoever disputes an escrow, until the arbiter decides (it may give it to
		/// the other party for a frivolous dispute).
		#[pallet::constant]
		type DisputeDeposit: Get<BalanceOf<Self>>;

		/// Most pending escrows one payer may hold.
		#[pallet::constant]
		type MaxEscrowsPerPayer: Get<u32>;

		/// Longest an escrow may wait for its conditions before its refund block.
		#[pallet::constant]
		type MaxEscrowPeriod: Get<BlockNumberFor<Self>>;

		/// Pays the fraction holders of tokenized assets their share of split payments
		/// (`pallet-tokenization`).
		type AssetRevenue: btt_primitives::tokenization::AssetRevenue<
			Self::AccountId,
			CurrencyOf<Self>,
			BalanceOf<Self>,
		>;

		/// BTT held from a payee per split template.
		#[pallet::constant]
		type SplitDeposit: Get<BalanceOf<Self>>;

		/// Most split templates one payee may hold.
		#[pallet::constant]
		type MaxSplitsPerPayee: Get<u32>;

		/// The scheduler that makes plans' payments.
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			<Self as frame_system::Config>::RuntimeCall,
			PalletsOriginOf<Self>,
		>;

		/// BTT held from a payer per plan.
		#[pallet::constant]
		type PlanDeposit: Get<BalanceOf<Self>>;

		/// Further BTT held per payment of a plan: each is a dispatch the scheduler makes
		/// without a fee.
		#[pallet::constant]
		type PlanDepositPerPayment: Get<BalanceOf<Self>>;

		/// Shortest period of a plan.
		#[pallet::constant]
		type MinPlanPeriod: Get<BlockNumberFor<Self>>;

		/// Most payments of one plan.
		#[pallet::constant]
		type MaxPaymentsPerPlan: Get<u32>;

		/// Most plans one payer may have.
		#[pallet::constant]
		type MaxPlansPerPayer: Get<u32>;

		/// What a tab's payer signs vouchers with (`MultiSignature` in the runtime).
		type Signature: Verify<Signer = Self::Signer> + Parameter;

		/// The key behind a voucher signature: it must be the payer's account.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// BTT held from a payer per open tab.
		#[pallet::constant]
		type TabDeposit: Get<BalanceOf<Self>>;

		/// Most open tabs one payer may hold.
		#[pallet::constant]
		type MaxTabsPerPayer: Get<u32>;

		/// Longest a tab may stay open.
		#[pallet::constant]
		type MaxTabPeriod: Get<BlockNumberFor<Self>>;

		/// The notice a payer gives when it closes its tab early: the payee may still redeem
		/// for this many blocks.
		#[pallet::constant]
		type TabNotice: Get<BlockNumberFor<Self>>;

		/// BTT held from an insurer for its registration (its record and its pools).
		#[pallet::constant]
		type InsurerDeposit: Get<BalanceOf<Self>>;

		/// BTT held from a clinic per open claim.
		#[pallet::constant]
		type ClaimDeposit: Get<BalanceOf<Self>>;

		/// Most open claims one clinic may hold (across insurers).
		#[pallet::constant]
		type MaxClaimsPerClinic: Get<u32>;

		/// How long an insurer has to decide a claim before the clinic may escalate it to
		/// `ArbiterOrigin`.
		#[pallet::constant]
		type ClaimDeadline: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates pooled assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<
			Self::AccountId,
			CurrencyOf<Self>,
			Self::Signature,
		>;
	}

	/// Why the pallet holds BTT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A payee's deposit for its registration and record slots.
		#[codec(index = 0)]
		Payee,
		/// A payer's deposit for a pending escrow.
		#[codec(index = 1)]
		Escrow,
		/// A disputer's deposit until the arbiter decides.
		#[codec(index = 2)]
		Dispute,
		/// A payee's deposit for a split template.
		#[codec(index = 3)]
		Split,
		/// A payer's deposit for a recurring payment plan.
		#[codec(index = 4)]
		Plan,
		/// A payer's deposit for an open tab.
		#[codec(index = 5)]
		Tab,
		/// An insurer's deposit for its registration.
		#[codec(index = 6)]
		Insurer,
		/// A clinic's deposit for an open claim.
		#[codec(index = 7)]
		Claim,
	}

	/// The currencies payees may receive.
	#[pallet::storage]
	pub type ReceivableCurrencies<T: Config> =
		StorageValue<_, BoundedVec<CurrencyOf<T>, T::MaxReceivableCurrencies>, ValueQuery>;

	/// The procedure codes payments may carry; `None`: every well-formed CDT code.
	#[pallet::storage]
	pub type ProcedureList<T: Config> =
		StorageValue<_, BoundedBTreeSet<ProcedureCode, T::MaxListedProcedures>>;

	/// The registered payees.
	#[pallet::storage]
	pub type Payees<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PayeeOf<T>>;

	/// Each payee's records of coded payments, by day (days since 1970-01-01, UTC) and id.
	#[pallet::storage]
	pub type Records<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, u32>,
			NMapKey<Twox64Concat, PaymentId>,
		),
		PaymentRecordOf<T>,
	>;

	/// The id the next payment receives.
	#[pallet::storage]
	pub type NextPaymentId<T> = StorageValue<_, PaymentId, ValueQuery>;

	/// Pending escrows.
	#[pallet::storage]
	pub type Escrows<T: Config> = StorageMap<_, Twox64Concat, EscrowId, EscrowOf<T>>;

	/// The id the next escrow receives.
	#[pallet::storage]
	pub type NextEscrowId<T> = StorageValue<_, EscrowId, ValueQuery>;

	/// Pending escrows per payer (at most `MaxEscrowsPerPayer`).
	#[pallet::storage]
	pub type EscrowsOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The total held per currency for pending escrows, open tabs and insurers' pools: what
	/// the pallet account holds for them.
	#[pallet::storage]
	pub type Escrowed<T: Config> =
		StorageMap<_, Blake2_128Concat, CurrencyOf<T>, BalanceOf<T>, ValueQuery>;

	/// Payees' split templates, by payee and the payee's id.
	#[pallet::storage]
	pub type Splits<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, SplitId, SplitOf<T>>;

	/// DePIN tasks pending escrows wait for, and their verification once reported: what
	/// [`btt_primitives::depin::OnTaskVerified`] writes, in O(1).
	#[pallet::storage]
	pub type AwaitedTasks<T: Config> = StorageMap<
		_,
		Twox64Concat,
		btt_primitives::depin::TaskId,
		AwaitedTask<T::AccountId, BlockNumberFor<T>>,
	>;

	/// Active recurring payment plans; each has exactly one task in the scheduler, for its
	/// next payment.
	#[pallet::storage]
	pub type Plans<T: Config> = StorageMap<_, Twox64Concat, PlanId, PlanOf<T>>;

	/// The id the next plan receives.
	#[pallet::storage]
	pub type NextPlanId<T> = StorageValue<_, PlanId, ValueQuery>;

	/// Active plans per payer (at most `MaxPlansPerPayer`).
	#[pallet::storage]
	pub type PlansOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Open tabs.
	#[pallet::storage]
	pub type Tabs<T: Config> = StorageMap<_, Twox64Concat, TabId, TabOf<T>>;

	/// The id the next tab receives.
	#[pallet::storage]
	pub type NextTabId<T> = StorageValue<_, TabId, ValueQuery>;

	/// Open tabs per payer (at most `MaxTabsPerPayer`).
	#[pallet::storage]
	pub type TabsOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Registered insurers.
	#[pallet::storage]
	pub type Insurers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, InsurerOf<T>>;

	/// Insurers' pools, by insurer and currency: what the pallet account holds for each and
	/// what its open claims ask.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		CurrencyOf<T>,
		Pool<BalanceOf<T>>,
	>;

	/// Open claims (submitted or escalated).
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Twox64Concat, ClaimId, ClaimOf<T>>;

	/// The id the next claim receives.
	#[pallet::storage]
	pub type NextClaimId<T> = StorageValue<_, ClaimId, ValueQuery>;

	/// Open claims per clinic (at most `MaxClaimsPerClinic`).
	#[pallet::storage]
	pub type ClaimsOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The currencies payees may receive and the procedure list at genesis (the development
	/// chain lists its stablecoin).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Currencies besides BTT payees may receive.
		pub receivable_currencies: alloc::vec::Vec<CurrencyOf<T>>,
		/// The procedure codes payments may carry (CDT numbers, e.g. 120 for D0120); `None`:
		/// every well-formed code.
		pub procedure_list: Option<alloc::vec::Vec<u16>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A genesis that breaks a bound must not start a chain.
		#[allow(clippy::expect_used)]
		fn build(&self) {
			let currencies = BoundedVec::try_from(self.receivable_currencies.clone())
				.expect("genesis lists at most MaxReceivableCurrencies currencies");
			Pallet::<T>::do_set_receivable_currencies(currencies)
				.expect("genesis lists each currency once");
			let list = self.procedure_list.as_ref().map(|numbers| {
				let codes = numbers
					.iter()
					.map(|number| {
						ProcedureCode::from_number(*number)
							.expect("genesis procedure codes are CDT")
					})
					.collect::<alloc::collections::BTreeSet<_>>();
				BoundedBTreeSet::try_from(codes)
					.expect("genesis lists at most MaxListedProcedures codes")
			});
			Pallet::<T>::do_set_procedure_list(list).expect("genesis procedure codes are CDT");
			// The escrow account exists for good, so that it can hold any listed asset.
			frame_system::Pallet::<T>::inc_providers(&Pallet::<T>::escrow_account());
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinPlanPeriod::get() >= 1u32.into(),
				"a plan period of zero blocks would pay in a loop"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
