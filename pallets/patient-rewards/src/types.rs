//! The pallet's records. Nothing here can hold a name, a date of birth or free text: accounts
//! are pseudonymous, activities are categories and CDT code numbers, device data is counts and
//! a hash.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{FixedU128, Perbill};

/// Balance of BTT.
pub type BalanceOf<T> = <<T as crate::Config>::NativeBalance as fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;

/// A budget period: UNIX seconds divided by [`crate::PeriodSeconds`].
pub type PeriodIndex = u32;

/// The seeds' five activity categories.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub enum Category {
	/// A preventive checkup confirmed by a registered provider with its CDT code.
	Checkup,
	/// A day of oral hygiene, summarized and signed by a connected device.
	Hygiene,
	/// A multi-stage treatment plan completed.
	TreatmentPlan,
	/// A health education module passed.
	Education,
	/// A referred patient's first confirmed checkup.
	Referral,
}

impl Category {
	/// Every category.
	pub const ALL: [Category; 5] = [
		Category::Checkup,
		Category::Hygiene,
		Category::TreatmentPlan,
		Category::Education,
		Category::Referral,
	];

	/// The seeds' reward range of the category, in whole BTT: governance sets the base value
	/// `A` within it, and no single reward exceeds its upper end (the category's cap).
	pub const fn seed_range(self) -> (u32, u32) {
		match self {
			Category::Checkup => (200, 500),
			Category::Hygiene => (5, 20),
			Category::TreatmentPlan => (300, 1_200),
			Category::Education => (50, 150),
			Category::Referral => (100, 300),
		}
	}
}

/// What governance sets for a category, in BTT plancks.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct CategoryParams<Balance> {
	/// `A`: the activity's base value, within the category's seed range.
	pub base: Balance,
	/// `B_H`: converts the consistency `H` (a share, 0–1) into BTT, so that `H·T·P` is BTT; at
	/// most the category's cap.
	pub consistency_base: Balance,
}

/// What a patient's consent is for.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Purpose {
	/// A provider confirms the patient's checkups (and sets the patient's adjustment `P`).
	CheckupConfirmation,
	/// A device reports the patient's daily hygiene.
	HygieneData,
	/// A provider records and confirms the patient's treatment plans.
	TreatmentPlan,
	/// The patient's pseudonymous activity record may be used for research.
	Research,
}

/// A consent a patient granted to one account (a provider or a device) for one purpose.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Consent<Balance> {
	/// The first day (days since 1970-01-01, UTC) on which it no longer holds; `None`: until
	/// revoked.
	pub expires: Option<u32>,
	/// BTT held from the patient for the record.
	pub deposit: Balance,
}

impl<Balance> Consent<Balance> {
	/// Whether the consent holds on `day`.
	pub fn holds_on(&self, day: u32) -> bool {
		self.expires.is_none_or(|expires| day < expires)
	}
}

/// A connected device, registered by its patient with the device key's own signature.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Device<AccountId, Balance> {
	/// The patient the device reports for.
	pub patient: AccountId,
	/// BTT held from the patient for the record.
	pub deposit: Balance,
}

/// A device's summary of one day's oral hygiene: counts and a hash, nothing that identifies
/// the person.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct HygieneSummary<AccountId> {
	/// The device's key (its account).
	pub device: AccountId,
	/// The day summarized (days since 1970-01-01, UTC).
	pub day: u32,
	/// Brushing or flossing sessions that day.
	pub sessions: u8,
	/// Minutes of hygiene that day, all sessions together.
	pub minutes: u16,
	/// Hash of the device's raw data for the day, kept off chain.
	pub data_hash: H256,
}

/// What a checkup confirmation rests on, beyond the provider's word.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Evidence {
	/// A DePIN diagnostic task the provider posted, verified by the network within the
	/// provider's latest [`MAX_RECENT_TASKS`] verified tasks; it evidences one checkup.
	Task(btt_primitives::depin::TaskId),
	/// The patient's coded PayFi payment to the provider: the record's day and id. The day is
	/// at most `MaxBackfillDays` before the checkup, so one payment cannot evidence two.
	Payment {
		/// The record's day (days since 1970-01-01, UTC).
		day: u32,
		/// The record's id.
		id: u64,
	},
}

/// A benefit's number in the list governance keeps.
pub type BenefitId = u32;

/// A benefit patients may redeem rewards for (a discount, a product): it burns its price.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Benefit<Balance> {
	/// The rewards it burns.
	pub price: Balance,
	/// Hash of the benefit's terms, published by its partner off chain.
	pub terms: H256,
}

/// How many of a provider's latest verified DePIN tasks may evidence checkups.
pub const MAX_RECENT_TASKS: u32 = 32;

/// One entry of a patient's activity history: what was rewarded, when, and how much (codes
/// and dates only).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Activity<Balance> {
	/// The activity's category.
	pub category: Category,
	/// Its CDT code: a checkup's, or a treatment plan's main procedure.
	pub code: Option<btt_primitives::payfi::ProcedureCode>,
	/// The day it happened (a hygiene summary's day; otherwise the day it was rewarded).
	pub day: u32,
	/// The points it earned (the formula's `R`; paid at its period's rate).
	pub reward: Balance,
}

/// A patient's record: engagement, rewards earned and owed, the deposits it holds.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Patient<Balance> {
	/// The budget period `points` were earned in.
	pub period: PeriodIndex,
	/// Rewards earned in `period`, as computed by the formula; paid pro rata to the period's
	/// budget once the period has ended.
	pub points: Balance,
	/// Rewards of ended periods, ready to claim.
	pub claimable: Balance,
	/// Rewards claimed so far.
	pub claimed: Balance,
	/// Weeks with a verified activity: bit `i` is the week `last_week - i`.
	pub history: u32,
	/// The latest week (days since 1970-01-01 divided by 7) with a verified activity.
	pub last_week: u32,
	/// Consecutive weeks with a verified activity, ending at `last_week`.
	pub streak: u32,
	/// The latest day a hygiene summary was rewarded; summaries must come in later days.
	pub last_hygiene_day: Option<u32>,
	/// The day of the latest confirmed checkup.
	pub last_checkup_day: Option<u32>,
	/// Confirmed checkups in all.
	pub checkups: u32,
	/// `P`: the personal adjustment the patient's provider set (1 until set).
	pub adjustment: FixedU128,
	/// Consents the patient holds.
	pub consents: u32,
	/// Devices registered to the patient.
	pub devices: u32,
	/// Open treatment plans of the patient.
	pub plans: u32,
	/// Committed assessments of the patient not revealed or withdrawn yet.
	pub attempts: u32,
	/// The budget period `referrals` counts in.
	pub referral_period: PeriodIndex,
	/// Referral rewards the patient earned in `referral_period`.
	pub referrals: u32,
	/// BTT held from the patient for this record.
	pub deposit: Balance,
}

/// [`Patient`] of a runtime.
pub type PatientOf<T> = Patient<BalanceOf<T>>;

/// A registered provider's use of its rate limit.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Provider {
	/// The budget period `attestations` counts in.
	pub period: PeriodIndex,
	/// Attestations the provider made in `period`.
	pub attestations: u32,
}

/// The budget period in progress.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct OpenPeriod<Balance> {
	/// Its index.
	pub index: PeriodIndex,
	/// What its rewards may take in all, set aside from the pot when it opened.
	pub budget: Balance,
	/// Rewards earned in it so far.
	pub points: Balance,
	/// Patients with points in it.
	pub patients: u32,
}

/// An ended budget period whose patients have not all been paid.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EndedPeriod<Balance> {
	/// What each point pays: `min(1, budget / points)`.
	pub rate: Perbill,
	/// What is still set aside for its patients.
	pub remaining: Balance,
	/// Patients not paid yet.
	pub patients: u32,
}

/// How one reward came about: the formula's inputs and its result.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RewardInputs<Balance> {
	/// `A`: the category's base value.
	pub base: Balance,
	/// `C`: completion quality, from the verifier.
	pub quality: Perbill,
	/// `H`: consistency, the share of recent weeks with a verified activity.
	pub consistency: Perbill,
	/// `B_H`: the category's consistency base (BTT per unit of `H`).
	pub consistency_base: Balance,
	/// `T`: the streak multiplier.
	pub streak: FixedU128,
	/// `P`: the personal adjustment.
	pub adjustment: FixedU128,
	/// The category's cap.
	pub cap: Balance,
}

/// Identifier of a treatment plan.
pub type PlanId = u64;

/// A multi-stage treatment plan a provider recorded for a patient.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TreatmentPlan<AccountId, Balance> {
	/// The patient.
	pub patient: AccountId,
	/// The provider that recorded it and confirms its stages.
	pub provider: AccountId,
	/// The plan's main CDT procedure.
	pub code: btt_primitives::payfi::ProcedureCode,
	/// Its number of stages.
	pub stages: u8,
	/// Stages confirmed so far.
	pub confirmed: u8,
	/// The sum of the confirmed stages' qualities.
	pub quality_sum: u64,
	/// The visit day of the last confirmed stage.
	pub last_day: Option<u32>,
	/// BTT held from the provider for the record.
	pub deposit: Balance,
}

/// [`TreatmentPlan`] of a runtime.
pub type PlanOf<T> = TreatmentPlan<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A referee's referral.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Referral<AccountId> {
	/// Who referred the patient.
	pub referrer: AccountId,
	/// Whether the referee's first checkup validated it (and paid the referrer, within its
	/// cap).
	pub validated: bool,
}

/// Identifier of an education module.
pub type ModuleId = u64;

/// Most questions of an education module.
pub const MAX_QUESTIONS: u32 = 32;

/// Per question of a module, one value.
pub type PerQuestion<V> =
	frame_support::BoundedVec<V, frame_support::traits::ConstU32<MAX_QUESTIONS>>;

/// An education module: one sitting of a knowledge assessment.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EducationModule<AccountId, Balance> {
	/// Its author.
	pub author: AccountId,
	/// Per question, the hash of its salted answer (`Pallet::answer_hash`).
	pub answer_hashes: PerQuestion<H256>,
	/// The least score that passes.
	pub pass_mark: Perbill,
	/// The first day on which answers can no longer be committed.
	pub sitting_closes: u32,
	/// The day the author revealed the key, once it has.
	pub key_revealed: Option<u32>,
	/// The revealed answer key.
	pub answers: Option<PerQuestion<u8>>,
	/// Committed attempts not revealed or withdrawn yet.
	pub attempts: u32,
	/// Attempts ever committed (at most `MaxAttemptsPerModule`).
	pub committed: u32,
	/// BTT held from the author for the record.
	pub deposit: Balance,
}

/// [`EducationModule`] of a runtime.
pub type ModuleOf<T> = EducationModule<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A patient's committed assessment.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Attempt<Balance> {
	/// `Pallet::answers_commitment` of its answers.
	pub commitment: H256,
	/// BTT held from the patient until it reveals or withdraws.
	pub deposit: Balance,
}
