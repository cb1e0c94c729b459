//! The pallet's events (a section of the pallet module, see `lib.rs`).

use frame_support::pallet_macros::pallet_section;

/// Events of the patient rewards pallet.
#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance set a category's base value `A` and consistency base `B_H`.
		CategorySet { category: Category, base: BalanceOf<T>, consistency_base: BalanceOf<T> },
		/// Governance set what each budget period may pay at most.
		BudgetSet { per_period: BalanceOf<T> },
		/// Governance registered a provider.
		ProviderRegistered { provider: T::AccountId },
		/// Governance removed a provider.
		ProviderRemoved { provider: T::AccountId },
		/// A patient's record was created; `deposit` is held for it.
		PatientJoined { patient: T::AccountId, deposit: BalanceOf<T> },
		/// A patient removed its record; its deposit was released.
		PatientLeft { patient: T::AccountId },
		/// A patient granted (or renewed) a consent.
		ConsentGranted {
			patient: T::AccountId,
			grantee: T::AccountId,
			purpose: Purpose,
			expires: Option<u32>,
		},
		/// A patient revoked a consent.
		ConsentRevoked { patient: T::AccountId, grantee: T::AccountId, purpose: Purpose },
		/// A patient registered a device (proven by the device key's signature).
		DeviceRegistered { patient: T::AccountId, device: T::AccountId },
		/// A patient removed a device.
		DeviceRemoved { patient: T::AccountId, device: T::AccountId },
		/// A device's day of hygiene was accepted.
		HygieneRecorded {
			patient: T::AccountId,
			device: T::AccountId,
			day: u32,
			sessions: u8,
			minutes: u16,
			data_hash: sp_core::H256,
		},
		/// A provider confirmed a patient's checkup.
		CheckupConfirmed {
			patient: T::AccountId,
			provider: T::AccountId,
			code: btt_primitives::payfi::ProcedureCode,
			evidence: Option<crate::Evidence>,
		},
		/// A provider set a patient's personal adjustment `P`.
		AdjustmentSet {
			patient: T::AccountId,
			provider: T::AccountId,
			adjustment: sp_runtime::FixedU128,
		},
		/// A patient earned `reward` by the formula, from `inputs`, in budget period
		/// `period` (paid pro rata once it ends).
		RewardEarned {
			patient: T::AccountId,
			category: Category,
			reward: BalanceOf<T>,
			inputs: RewardInputs<BalanceOf<T>>,
			period: PeriodIndex,
		},
		/// A budget period opened with `budget` set aside from the pot.
		PeriodOpened { period: PeriodIndex, budget: BalanceOf<T> },
		/// A budget period ended: its rewards pay `rate` per point, `payout` in all.
		PeriodEnded {
			period: PeriodIndex,
			points: BalanceOf<T>,
			payout: BalanceOf<T>,
			rate: sp_runtime::Perbill,
		},
		/// A provider recorded a treatment plan of `stages` stages for a patient.
		PlanRecorded {
			plan: PlanId,
			patient: T::AccountId,
			provider: T::AccountId,
			code: btt_primitives::payfi::ProcedureCode,
			stages: u8,
		},
		/// The provider confirmed stage `stage` (from 1) of a plan.
		StageConfirmed { plan: PlanId, stage: u8, quality: sp_runtime::Perbill },
		/// A plan's last stage was confirmed; `quality` is the mean of its stages'.
		PlanCompleted { plan: PlanId, patient: T::AccountId, quality: sp_runtime::Perbill },
		/// A plan was cancelled by its provider or its patient.
		PlanCancelled { plan: PlanId, by: T::AccountId },
		/// A new patient named its referrer.
		ReferrerNamed { referee: T::AccountId, referrer: T::AccountId },
		/// A referee's first checkup validated its referral; `rewarded`: the referrer earned
		/// the referral reward (false past its cap this period).
		ReferralValidated { referee: T::AccountId, referrer: T::AccountId, rewarded: bool },
		/// Governance registered an author of education modules.
		AuthorRegistered { author: T::AccountId },
		/// Governance removed an author; its modules stand.
		AuthorRemoved { author: T::AccountId },
		/// An author created a module; answers may be committed until `sitting_closes`.
		ModuleCreated {
			module: ModuleId,
			author: T::AccountId,
			questions: u32,
			pass_mark: sp_runtime::Perbill,
			sitting_closes: u32,
		},
		/// A patient committed to its answers.
		AnswersCommitted { module: ModuleId, patient: T::AccountId },
		/// The author revealed the module's salt (and key), checked against its hashes.
		KeyRevealed { module: ModuleId, salt: sp_core::H256 },
		/// A patient's revealed answers were scored; `passed`: at or above the pass mark (and
		/// the reward earned).
		AssessmentScored {
			module: ModuleId,
			patient: T::AccountId,
			score: sp_runtime::Perbill,
			passed: bool,
		},
		/// A patient withdrew an attempt that could no longer be revealed.
		AttemptWithdrawn { module: ModuleId, patient: T::AccountId },
		/// An author retired a module; its deposit was released.
		ModuleRetired { module: ModuleId },
		/// A patient claimed its rewards.
		Claimed { patient: T::AccountId, amount: BalanceOf<T> },
		/// A partner merchant was registered.
		MerchantRegistered { merchant: T::AccountId },
		/// A partner merchant was removed.
		MerchantRemoved { merchant: T::AccountId },
		/// A benefit was listed (or its price or terms changed).
		BenefitListed { benefit: crate::BenefitId, price: BalanceOf<T>, terms: sp_core::H256 },
		/// A benefit was delisted.
		BenefitDelisted { benefit: crate::BenefitId },
		/// A patient paid a partner merchant with its rewards: PayFi's record `(day, id)` in
		/// the merchant's statement.
		RedeemedAtMerchant {
			patient: T::AccountId,
			merchant: T::AccountId,
			amount: BalanceOf<T>,
			day: u32,
			id: u64,
		},
		/// A patient redeemed a benefit, burning its price: the patient's voucher.
		BenefitRedeemed { patient: T::AccountId, benefit: crate::BenefitId, price: BalanceOf<T> },
	}
}
