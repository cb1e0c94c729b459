//! # Patient rewards pallet
//!
//! Verified healthy behaviour earns BTT by the seeds' formula **`R = (A·C) + (H·T)·P`**
//! ([`formula::reward`]; issue 20, `docs/pallets/patient-rewards.md`).
//!
//! - **Categories** ([`Category`]): the seeds' five activities, each with a base value `A`
//!   and a consistency base `B_H` governance sets within the seed range
//!   ([`Pallet::set_category`]); no reward exceeds the range's upper end.
//! - **Consent** ([`Pallet::grant_consent`]): a patient grants an account (a provider, a
//!   device) a purpose, with an optional expiry; every attestation checks it. The patient's
//!   first consent or device creates its record, for which it holds [`Config::PatientDeposit`]:
//!   the patient pays for its own records, so nobody can fill the chain with patients.
//! - **Providers** ([`Pallet::register_provider`], by `RewardsOrigin`) confirm checkups with
//!   their CDT code ([`Pallet::confirm_checkup`]) and set a patient's personal adjustment `P`,
//!   at most [`Config::MaxAttestationsPerProvider`] attestations per budget period.
//! - **Devices** ([`Pallet::register_device`]): a patient registers a connected device with
//!   the device key's own signature; the device signs each day's hygiene summary, which the
//!   patient submits ([`Pallet::submit_hygiene`]): one reward per day, replays refused.
//! - **Treatment plans** ([`Pallet::record_plan`]): a provider records a plan of stages,
//!   confirms each on its own day, and the completed plan earns its reward with `C` the mean
//!   stage quality (`plans.rs`).
//! - **Education** ([`Pallet::create_module`]): an author's module is a sitting with a
//!   commit–reveal assessment: patients commit to their answers, the author then reveals the
//!   salted answer key, patients reveal and the chain scores them, once (`education.rs`).
//! - **Referrals** ([`Pallet::name_referrer`]): a new patient names its referrer; its first
//!   provider-confirmed checkup validates the referral and earns the referrer its reward
//!   (`referrals.rs`).
//! - **Budget** (`budget.rs`): each budget period sets aside at most
//!   [`BudgetPerPeriod`] of the reward pot (the pallet account, funded by transfers: nothing
//!   mints BTT). Rewards earned in a period are **paid pro rata**: once it ends, each point
//!   pays `min(1, budget / points)`, so the period never pays more than its budget whoever
//!   earns first. A patient claims what ended periods owe it in O(1) ([`Pallet::claim`]).
//!
//! Time is the wall clock ([`Config::Time`]) in days since 1970-01-01 (UTC): weeks for
//! streaks, dates for hygiene summaries and visits. Budget periods are [`PeriodSeconds`] long
//! (30 days unless the chain's genesis chose otherwise: the development chain's last a minute,
//! so that its demo and tests see a period end).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod admin;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod budget;
mod calls;
mod checkups;
mod consent;
mod devices;
mod education;
mod events;
pub mod formula;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod plans;
mod redemption;
mod referrals;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use frame_support::pallet_macros::import_section;

/// Days in a streak week.
pub const DAYS_PER_WEEK: u32 = 7;
/// Seconds in a day.
pub const SECONDS_PER_DAY: u64 = 86_400;
/// The budget period's length unless genesis sets another: 30 days.
pub const DEFAULT_PERIOD_SECONDS: u64 = 30 * SECONDS_PER_DAY;
/// The shortest budget period genesis may set: a minute.
pub const MIN_PERIOD_SECONDS: u64 = 60;

#[import_section(events::events)]
#[import_section(calls::calls)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{IdentifyAccount, Verify},
		FixedU128,
	};

	/// The storage layout version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// BTT: rewards are paid in it and deposits are held in it.
		type NativeBalance: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Registers providers, sets the categories' values and the budget.
		type RewardsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// PayFi's payment records, for checkups evidenced by a payment.
		type Payments: btt_primitives::payfi::PaymentRecords<Self::AccountId, BalanceOf<Self>>;

		/// Wall-clock time, for days, weeks and periods.
		type Time: UnixTime;

		/// What devices sign with (`MultiSignature` in the runtime).
		type Signature: Verify<Signer = Self::Signer> + Parameter;

		/// The key behind a device signature: the device's account.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// The reward pot: the account rewards are paid from.
		#[pallet::constant]
		type PalletId: Get<frame_support::PalletId>;

		/// One BTT, to read the seeds' ranges (whole BTT) in plancks.
		#[pallet::constant]
		type Unit: Get<BalanceOf<Self>>;

		/// Weeks the consistency `H` looks back over (the current one included; 1–32).
		#[pallet::constant]
		type ConsistencyWindow: Get<u32>;

		/// Weeks of streak after which the streak multiplier `T` reaches 2.
		#[pallet::constant]
		type FullStreakWeeks: Get<u32>;

		/// The least personal adjustment `P` a provider may set (at most 1).
		#[pallet::constant]
		type MinAdjustment: Get<FixedU128>;

		/// The greatest personal adjustment `P` a provider may set (at least 1).
		#[pallet::constant]
		type MaxAdjustment: Get<FixedU128>;

		/// BTT held from a patient for its record.
		#[pallet::constant]
		type PatientDeposit: Get<BalanceOf<Self>>;

		/// BTT held from a patient per consent.
		#[pallet::constant]
		type ConsentDeposit: Get<BalanceOf<Self>>;

		/// BTT held from a patient per registered device.
		#[pallet::constant]
		type DeviceDeposit: Get<BalanceOf<Self>>;

		/// Most consents one patient may hold.
		#[pallet::constant]
		type MaxConsentsPerPatient: Get<u32>;

		/// Most devices one patient may register.
		#[pallet::constant]
		type MaxDevicesPerPatient: Get<u32>;

		/// Most attestations (checkups, adjustments) one provider may make per budget period.
		#[pallet::constant]
		type MaxAttestationsPerProvider: Get<u32>;

		/// Fewest days between two rewarded checkups of one patient.
		#[pallet::constant]
		type MinCheckupIntervalDays: Get<u32>;

		/// Minutes of hygiene a day that count as complete (`C = 1`).
		#[pallet::constant]
		type HygieneTargetMinutes: Get<u16>;

		/// How many days back a device's summary may be submitted (a device that synced late).
		#[pallet::constant]
		type MaxBackfillDays: Get<u32>;

		/// BTT held from a provider per open treatment plan it recorded.
		#[pallet::constant]
		type PlanDeposit: Get<BalanceOf<Self>>;

		/// Most stages of a treatment plan (at least 2).
		#[pallet::constant]
		type MaxStages: Get<u8>;

		/// Most referral rewards one referrer earns per budget period.
		#[pallet::constant]
		type MaxReferralsPerPeriod: Get<u32>;

		/// BTT held from an author per education module.
		#[pallet::constant]
		type ModuleDeposit: Get<BalanceOf<Self>>;

		/// BTT held from a patient per committed assessment, until it reveals or withdraws.
		#[pallet::constant]
		type AttemptDeposit: Get<BalanceOf<Self>>;

		/// Most patients who commit answers to one module.
		#[pallet::constant]
		type MaxAttemptsPerModule: Get<u32>;

		/// Longest a module's sitting (its commit window) lasts, in days.
		#[pallet::constant]
		type MaxSittingDays: Get<u32>;

		/// Days patients have to reveal their answers once the author revealed the key, and
		/// the author has to reveal it once the sitting closed.
		#[pallet::constant]
		type RevealDays: Get<u32>;

		/// How many of its latest activities a patient's history keeps.
		#[pallet::constant]
		type MaxHistory: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Signs as devices and sets the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Why the pallet holds BTT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A patient's deposit for its record.
		#[codec(index = 0)]
		Patient,
		/// A patient's deposit for a consent.
		#[codec(index = 1)]
		Consent,
		/// A patient's deposit for a registered device.
		#[codec(index = 2)]
		Device,
		/// A provider's deposit for an open treatment plan.
		#[codec(index = 3)]
		Plan,
		/// An author's deposit for an education module.
		#[codec(index = 4)]
		Module,
		/// A patient's deposit for a committed assessment.
		#[codec(index = 5)]
		Attempt,
	}

	/// The categories' values.
	#[pallet::storage]
	pub type Categories<T: Config> =
		StorageMap<_, Twox64Concat, Category, CategoryParams<BalanceOf<T>>>;

	/// Registered providers and their use of the rate limit.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Provider>;

	/// Each registered provider's latest DePIN tasks the network verified, oldest first: the
	/// tasks a checkup may cite as its evidence (`OnTaskVerified`; at most
	/// [`MAX_RECENT_TASKS`], removed with the provider).
	#[pallet::storage]
	pub type ProviderTasks<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<btt_primitives::depin::TaskId, ConstU32<MAX_RECENT_TASKS>>,
		ValueQuery,
	>;

	/// Patients' records.
	#[pallet::storage]
	pub type Patients<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PatientOf<T>>;

	/// Each patient's latest activities, oldest first (at most `MaxHistory`; paid for by the
	/// patient's deposit and removed when it leaves).
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Activity<BalanceOf<T>>, T::MaxHistory>,
		ValueQuery,
	>;

	/// Consents, by patient, then grantee and purpose.
	#[pallet::storage]
	pub type Consents<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		(T::AccountId, Purpose),
		Consent<BalanceOf<T>>,
	>;

	/// Registered devices, by the device's account.
	#[pallet::storage]
	pub type Devices<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Device<T::AccountId, BalanceOf<T>>>;

	/// [`DEFAULT_PERIOD_SECONDS`].
	#[pallet::type_value]
	pub fn DefaultPeriodSeconds() -> u64 {
		DEFAULT_PERIOD_SECONDS
	}

	/// The length of a budget period in seconds; period `i` spans the UNIX times
	/// `i · PeriodSeconds .. (i + 1) · PeriodSeconds`. Set at genesis only: changing it on a
	/// live chain would renumber the periods that still owe rewards.
	#[pallet::storage]
	pub type PeriodSeconds<T> = StorageValue<_, u64, ValueQuery, DefaultPeriodSeconds>;

	/// What each budget period may pay in all, at most (less when the pot holds less).
	#[pallet::storage]
	pub type BudgetPerPeriod<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// The budget period in progress, once a reward opened it.
	#[pallet::storage]
	pub type CurrentPeriod<T: Config> = StorageValue<_, OpenPeriod<BalanceOf<T>>>;

	/// Ended budget periods with patients still to be paid.
	#[pallet::storage]
	pub type EndedPeriods<T: Config> =
		StorageMap<_, Twox64Concat, PeriodIndex, EndedPeriod<BalanceOf<T>>>;

	/// What the pot owes or has set aside: the open period's budget, what ended periods still
	/// owe, and every patient's claimable rewards. Never more than the pot holds.
	#[pallet::storage]
	pub type Liabilities<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Open treatment plans.
	#[pallet::storage]
	pub type Plans<T: Config> = StorageMap<_, Twox64Concat, PlanId, PlanOf<T>>;

	/// The open plan of each patient with each provider (one at a time).
	#[pallet::storage]
	pub type OpenPlans<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, PlanId>;

	/// The id the next plan receives.
	#[pallet::storage]
	pub type NextPlanId<T> = StorageValue<_, PlanId, ValueQuery>;

	/// Referrals, by referee: who referred it and whether its first checkup validated it. An
	/// entry outlives the referee's record, so leaving and re-joining does not make it a new
	/// patient again.
	#[pallet::storage]
	pub type Referrals<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Referral<T::AccountId>>;

	/// Accounts that left with a confirmed checkup: never new patients (referees) again. Each
	/// entry is the trace of a provider's attestation, so the map grows no faster than
	/// providers' rate limits allow.
	#[pallet::storage]
	pub type FormerPatients<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Partner merchants (dental services, products) where patients redeem rewards.
	#[pallet::storage]
	pub type Merchants<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Benefits patients may redeem rewards for by burning them.
	#[pallet::storage]
	pub type Benefits<T: Config> = StorageMap<_, Twox64Concat, BenefitId, Benefit<BalanceOf<T>>>;

	/// Registered authors of education modules.
	#[pallet::storage]
	pub type Authors<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Education modules.
	#[pallet::storage]
	pub type Modules<T: Config> = StorageMap<_, Twox64Concat, ModuleId, ModuleOf<T>>;

	/// The id the next module receives.
	#[pallet::storage]
	pub type NextModuleId<T> = StorageValue<_, ModuleId, ValueQuery>;

	/// Committed assessments not revealed yet, by module and patient.
	#[pallet::storage]
	pub type Attempts<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ModuleId,
		Blake2_128Concat,
		T::AccountId,
		Attempt<BalanceOf<T>>,
	>;

	#[pallet::error]
	pub enum Error<T> {
		/// The category's values have not been set.
		CategoryNotSet,
		/// The base value is outside the category's seed range.
		BaseOutOfRange,
		/// The consistency base is above the category's cap.
		ConsistencyBaseTooHigh,
		/// The account is already a provider.
		AlreadyProvider,
		/// The account is not a registered provider.
		NotProvider,
		/// The provider has made its most attestations this period.
		ProviderRateLimited,
		/// The patient has no record (it has granted no consent and registered no device).
		UnknownPatient,
		/// A patient cannot grant consent to itself or register itself as a device.
		OwnAccount,
		/// The consent's expiry is not after today.
		ExpiryInPast,
		/// The patient holds its most consents.
		TooManyConsents,
		/// There is no such consent.
		UnknownConsent,
		/// The patient has not consented to this account for this purpose.
		NoConsent,
		/// The patient's consent to this account for this purpose has expired.
		ConsentExpired,
		/// The device is registered already.
		DeviceTaken,
		/// The patient has registered its most devices.
		TooManyDevices,
		/// The device's proof is not its key's signature of the registration message.
		BadDeviceProof,
		/// The device is not registered.
		UnknownDevice,
		/// The device is registered to another patient.
		NotYourDevice,
		/// The summary's signature is not the device's.
		BadDeviceSignature,
		/// The summary is for a day after today.
		DayInFuture,
		/// The summary is for a day longer ago than `MaxBackfillDays`.
		DayTooOld,
		/// A summary for this day or a later one was rewarded already (a replay, or a second
		/// device for the same day).
		DayAlreadyRewarded,
		/// The summary reports no session.
		NoSessions,
		/// The summary reports more minutes than a day has.
		ImplausibleSummary,
		/// The code is not a diagnostic or preventive CDT code (D0100–D1999).
		NotPreventiveCode,
		/// The patient's last checkup is less than `MinCheckupIntervalDays` ago.
		CheckupTooSoon,
		/// The task is not among the provider's latest verified DePIN tasks, or it evidenced a
		/// checkup already.
		UnknownTask,
		/// No coded payment of the patient to the provider is recorded with that day and id.
		UnknownPayment,
		/// The payment is more than `MaxBackfillDays` older than the checkup.
		PaymentTooOld,
		/// The adjustment is outside `MinAdjustment..=MaxAdjustment`.
		AdjustmentOutOfRange,
		/// The patient has nothing to claim yet (rewards of the period in progress are paid
		/// once it ends).
		NothingToClaim,
		/// The amount is zero or more than the patient's claimable rewards.
		InsufficientRewards,
		/// The account is already a partner merchant.
		AlreadyMerchant,
		/// The account is not a partner merchant.
		NotMerchant,
		/// There is no such benefit.
		UnknownBenefit,
		/// A benefit's price is zero.
		FreeBenefit,
		/// The patient still holds consents, devices, open plans, attempts or unpaid rewards.
		PatientInUse,
		/// The patient's last checkup is less than `MinCheckupIntervalDays` ago, or its last
		/// hygiene day within `MaxBackfillDays`: leaving and re-joining must not reset them.
		RecentActivity,
		/// A plan has 2 to `MaxStages` stages.
		BadStageCount,
		/// The patient already has an open plan with this provider.
		PlanOpen,
		/// There is no such open plan.
		UnknownPlan,
		/// Only the plan's provider confirms its stages; only it or the patient cancels it.
		NotPlanParty,
		/// A stage's visit day is not after the plan's previous stage's (one visit each).
		StageNotAfterPrevious,
		/// A patient cannot refer itself.
		SelfReferral,
		/// Only a new patient (no confirmed checkup, never referred before) names a referrer.
		NotNewPatient,
		/// The referrer is not a patient with a confirmed checkup.
		ReferrerNotPatient,
		/// The account is already an author.
		AlreadyAuthor,
		/// The account is not a registered author.
		NotAuthor,
		/// A module has 1 to `MAX_QUESTIONS` questions, and its key one answer per question.
		BadQuestionCount,
		/// A sitting lasts 1 to `MaxSittingDays` days.
		BadSitting,
		/// There is no such module.
		UnknownModule,
		/// Only patients with a confirmed checkup take assessments.
		NotEnrolled,
		/// The module's sitting has closed: no more commitments.
		SittingClosed,
		/// The patient committed answers to this module already: one attempt per module.
		AlreadyAttempted,
		/// The module has its most attempts.
		ModuleFull,
		/// Only the module's author reveals its key or retires it.
		NotModuleAuthor,
		/// The key was revealed already.
		KeyRevealed,
		/// The key is not the module's: an answer does not match its hash.
		BadKey,
		/// The patient has no committed attempt at this module.
		UnknownAttempt,
		/// The author has not revealed the key yet.
		KeyNotRevealed,
		/// The reveal window has closed.
		RevealClosed,
		/// The answers and nonce are not what the patient committed to.
		CommitmentMismatch,
		/// The attempt can still be revealed: withdraw it once the reveal window has closed.
		AttemptStillOpen,
		/// The module still has attempts, or its sitting is open.
		ModuleInUse,
		/// `MaxHistory` is 0: the runtime keeps no activity history, so no reward can be
		/// recorded (`integrity_test` refuses such a runtime).
		HistoryDisabled,
	}

	/// The categories' values and the budget at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(category, base value A, consistency base B_H)`, in plancks.
		pub categories: alloc::vec::Vec<(Category, BalanceOf<T>, BalanceOf<T>)>,
		/// What each budget period may pay at most.
		pub budget_per_period: BalanceOf<T>,
		/// The budget period's length in seconds ([`MIN_PERIOD_SECONDS`] at least), if not
		/// [`DEFAULT_PERIOD_SECONDS`].
		pub period_seconds: Option<u64>,
		/// Providers registered from genesis.
		pub providers: alloc::vec::Vec<T::AccountId>,
		/// Education authors registered from genesis.
		pub authors: alloc::vec::Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		// A genesis that breaks a bound must not start a chain.
		#[allow(clippy::expect_used)]
		fn build(&self) {
			for (category, base, consistency_base) in &self.categories {
				Pallet::<T>::do_set_category(
					*category,
					CategoryParams { base: *base, consistency_base: *consistency_base },
				)
				.expect("genesis category values are within the seed ranges");
			}
			BudgetPerPeriod::<T>::put(self.budget_per_period);
			if let Some(seconds) = self.period_seconds {
				assert!(seconds >= MIN_PERIOD_SECONDS, "a budget period lasts a minute at least");
				PeriodSeconds::<T>::put(seconds);
			}
			for provider in &self.providers {
				Pallet::<T>::do_register_provider(provider.clone())
					.expect("genesis providers are distinct");
			}
			for author in &self.authors {
				Pallet::<T>::do_register_author(author.clone())
					.expect("genesis authors are distinct");
			}
			// The pot exists for good, so that paying out its last reward cannot reap it.
			frame_system::Pallet::<T>::inc_providers(&Pallet::<T>::pot());
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let window = T::ConsistencyWindow::get();
			assert!((1..=32).contains(&window), "the consistency window is 1 to 32 weeks");
			assert!(
				T::MinAdjustment::get() <= FixedU128::from_u32(1)
					&& T::MaxAdjustment::get() >= FixedU128::from_u32(1),
				"the neutral adjustment 1 is allowed"
			);
			assert!(T::HygieneTargetMinutes::get() >= 1, "a hygiene target of 0 minutes");
			assert!(T::MaxHistory::get() >= 1, "a patient's history keeps an activity at least");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
