//! The pallet's calls (a section of the pallet module, see `lib.rs`). Each checks its origin
//! and hands over to a `do_*` function.

use frame_support::pallet_macros::pallet_section;

/// The dispatchable calls of the patient rewards pallet.
#[pallet_section]
mod calls {
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets a category's base value `A` and consistency base `B_H`.
		///
		/// - origin: `RewardsOrigin`.
		/// - `base`: within the category's seed range (`Category::seed_range`, whole BTT).
		/// - `consistency_base`: at most the range's upper end.
		///
		/// Emits `CategorySet`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_category())]
		pub fn set_category(
			origin: OriginFor<T>,
			category: Category,
			base: BalanceOf<T>,
			consistency_base: BalanceOf<T>,
		) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_set_category(category, CategoryParams { base, consistency_base })
		}

		/// Sets what each budget period may pay at most, from the next period on.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `BudgetSet`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_budget())]
		pub fn set_budget(origin: OriginFor<T>, per_period: BalanceOf<T>) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			BudgetPerPeriod::<T>::put(per_period);
			Self::deposit_event(Event::BudgetSet { per_period });
			Ok(())
		}

		/// Registers a provider: it may then confirm checkups and set adjustments of the
		/// patients who consent.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `ProviderRegistered`. O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_register_provider(provider)
		}

		/// Removes a provider; its past attestations stand.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `ProviderRemoved`. O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_provider())]
		pub fn remove_provider(origin: OriginFor<T>, provider: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_remove_provider(provider)
		}

		/// Grants `grantee` (a provider or a device) consent for `purpose`, until `expires`
		/// (a day, days since 1970-01-01 UTC, after today) or until revoked. Granting again
		/// changes the expiry.
		///
		/// - origin: signed; the patient.
		///
		/// Holds `ConsentDeposit` (and `PatientDeposit` for the patient's first record).
		/// At most `MaxConsentsPerPatient`. Emits `ConsentGranted` (and `PatientJoined`). O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::grant_consent())]
		pub fn grant_consent(
			origin: OriginFor<T>,
			grantee: T::AccountId,
			purpose: Purpose,
			expires: Option<u32>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_grant_consent(patient, grantee, purpose, expires)
		}

		/// Revokes a consent: from now on the grantee's attestations are refused.
		///
		/// - origin: signed; the patient.
		///
		/// Releases the consent's deposit. Emits `ConsentRevoked`. O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_consent())]
		pub fn revoke_consent(
			origin: OriginFor<T>,
			grantee: T::AccountId,
			purpose: Purpose,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_revoke_consent(patient, grantee, purpose)
		}

		/// Registers a connected device to the signer.
		///
		/// - origin: signed; the patient.
		/// - `device`: the device key's account.
		/// - `proof`: the device key's signature of `Pallet::device_registration_message`
		///   for this patient: nobody registers a key it does not hold.
		///
		/// Holds `DeviceDeposit` (and `PatientDeposit` for the first record). At most
		/// `MaxDevicesPerPatient`. Emits `DeviceRegistered`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::register_device())]
		pub fn register_device(
			origin: OriginFor<T>,
			device: T::AccountId,
			proof: T::Signature,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_register_device(patient, device, proof)
		}

		/// Removes one of the signer's devices and releases its deposit.
		///
		/// - origin: signed; the device's patient.
		///
		/// Emits `DeviceRemoved`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::remove_device())]
		pub fn remove_device(origin: OriginFor<T>, device: T::AccountId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_remove_device(patient, device)
		}

		/// Submits a device's signed summary of a day's hygiene and earns that day's reward:
		/// `C` is the share of `HygieneTargetMinutes` reached.
		///
		/// - origin: signed; the device's patient.
		/// - `summary`: for a day from `MaxBackfillDays` ago to today, after the last rewarded
		///   one; at least one session.
		/// - `signature`: the device key's signature of `Pallet::hygiene_message`.
		///
		/// Needs the patient's `HygieneData` consent to the device. Emits `HygieneRecorded`
		/// and `RewardEarned`. O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_hygiene())]
		pub fn submit_hygiene(
			origin: OriginFor<T>,
			summary: HygieneSummary<T::AccountId>,
			signature: T::Signature,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_submit_hygiene(patient, summary, signature)
		}

		/// Confirms a patient's preventive checkup and earns its reward.
		///
		/// - origin: signed; a registered provider, within its rate limit.
		/// - `code`: a diagnostic or preventive CDT code (D0100–D1999).
		/// - `quality`: `C`, the provider's rating of the checkup's completeness.
		/// - `evidence`: optionally what it rests on, checked: one of the provider's latest
		///   verified DePIN tasks (used up), or the patient's PayFi payment to the provider
		///   (at most `MaxBackfillDays` old).
		///
		/// Needs the patient's `CheckupConfirmation` consent to the provider and
		/// `MinCheckupIntervalDays` since its last checkup. Emits `CheckupConfirmed` and
		/// `RewardEarned`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::confirm_checkup())]
		pub fn confirm_checkup(
			origin: OriginFor<T>,
			patient: T::AccountId,
			code: btt_primitives::payfi::ProcedureCode,
			quality: sp_runtime::Perbill,
			evidence: Option<crate::Evidence>,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_confirm_checkup(provider, patient, code, quality, evidence)
		}

		/// Sets a patient's personal adjustment `P` for its goals.
		///
		/// - origin: signed; a registered provider, within its rate limit.
		/// - `adjustment`: within `MinAdjustment..=MaxAdjustment`.
		///
		/// Needs the patient's `CheckupConfirmation` consent to the provider. Emits
		/// `AdjustmentSet`. O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_adjustment())]
		pub fn set_adjustment(
			origin: OriginFor<T>,
			patient: T::AccountId,
			adjustment: sp_runtime::FixedU128,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_set_adjustment(provider, patient, adjustment)
		}

		/// Pays the signer what ended budget periods owe it, from the pot.
		///
		/// - origin: signed; the patient.
		///
		/// Emits `Claimed` (and `PeriodEnded`/`PeriodOpened` when a period turns). O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(origin: OriginFor<T>) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_claim(patient)
		}

		/// Removes the signer's record and releases its deposit: it must hold no consent, no
		/// device, no open plan or attempt and no unpaid reward, and its last checkup must be
		/// `MinCheckupIntervalDays` and its last hygiene day `MaxBackfillDays` behind it (so
		/// that re-joining resets neither). An account that had a confirmed checkup is
		/// remembered: it is never a new patient (referee) again.
		///
		/// - origin: signed; the patient.
		///
		/// Emits `PatientLeft`. O(1).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::leave())]
		pub fn leave(origin: OriginFor<T>) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_leave(patient)
		}

		/// Records a treatment plan of `stages` stages for a patient.
		///
		/// - origin: signed; a registered provider, within its rate limit.
		/// - `code`: the plan's main CDT procedure.
		/// - `stages`: 2 to `MaxStages`.
		///
		/// Needs the patient's `TreatmentPlan` consent to the provider; one open plan per
		/// patient and provider. Holds `PlanDeposit` from the provider. Emits `PlanRecorded`.
		/// O(1).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::record_plan())]
		pub fn record_plan(
			origin: OriginFor<T>,
			patient: T::AccountId,
			code: btt_primitives::payfi::ProcedureCode,
			stages: u8,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_record_plan(provider, patient, code, stages).map(|_| ())
		}

		/// Confirms the next stage of a plan with its quality and visit day; the last one earns
		/// the plan's reward with `C` the mean stage quality and releases the deposit.
		///
		/// - origin: signed; the plan's provider, still registered and consented to, within
		///   its rate limit (each stage counts as an attestation).
		/// - `day`: the visit's day (days since 1970-01-01, UTC): after the previous stage's,
		///   at most today and at most `MaxBackfillDays` ago (a clinic that syncs late).
		///
		/// Emits `StageConfirmed` (and `PlanCompleted`, `RewardEarned`). O(1).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::confirm_stage())]
		pub fn confirm_stage(
			origin: OriginFor<T>,
			plan: PlanId,
			quality: sp_runtime::Perbill,
			day: u32,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_confirm_stage(provider, plan, quality, day)
		}

		/// Cancels an open plan and releases the provider's deposit.
		///
		/// - origin: signed; the plan's provider or patient.
		///
		/// Emits `PlanCancelled`. O(1).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::cancel_plan())]
		pub fn cancel_plan(origin: OriginFor<T>, plan: PlanId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_plan(who, plan)
		}

		/// Names the patient who referred the signer; the signer's first confirmed checkup
		/// validates it and earns the referrer the referral reward.
		///
		/// - origin: signed; a new patient (a record, no confirmed checkup, never referred).
		/// - `referrer`: another patient with a confirmed checkup.
		///
		/// Emits `ReferrerNamed`. O(1).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::name_referrer())]
		pub fn name_referrer(origin: OriginFor<T>, referrer: T::AccountId) -> DispatchResult {
			let referee = ensure_signed(origin)?;
			Self::do_name_referrer(referee, referrer)
		}

		/// Registers an author of education modules.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `AuthorRegistered`. O(1).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::register_author())]
		pub fn register_author(origin: OriginFor<T>, author: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_register_author(author)
		}

		/// Removes an author; its modules stand.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `AuthorRemoved`. O(1).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::remove_author())]
		pub fn remove_author(origin: OriginFor<T>, author: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_remove_author(author)
		}

		/// Creates an education module whose sitting is open for `sitting_days` days.
		///
		/// - origin: signed; a registered author.
		/// - `answer_hashes`: per question, `Pallet::answer_hash(salt, index, answer)` under a
		///   salt the author keeps secret until the sitting closes (1 to `MAX_QUESTIONS`).
		/// - `pass_mark`: the least score that earns the reward.
		/// - `sitting_days`: 1 to `MaxSittingDays`.
		///
		/// Holds `ModuleDeposit`. Emits `ModuleCreated`. O(questions).
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::create_module(answer_hashes.len() as u32))]
		pub fn create_module(
			origin: OriginFor<T>,
			answer_hashes: PerQuestion<sp_core::H256>,
			pass_mark: sp_runtime::Perbill,
			sitting_days: u32,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			Self::do_create_module(author, answer_hashes, pass_mark, sitting_days)
		}

		/// Commits to answers to a module while its sitting is open: one attempt per module.
		///
		/// - origin: signed; a patient with a confirmed checkup.
		/// - `commitment`: `Pallet::answers_commitment(patient, module, answers, nonce)`.
		///
		/// Holds `AttemptDeposit` until the reveal. Emits `AnswersCommitted`. O(1).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::commit_answers())]
		pub fn commit_answers(
			origin: OriginFor<T>,
			module: ModuleId,
			commitment: sp_core::H256,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_commit_answers(patient, module, commitment)
		}

		/// Reveals a module's salt and answer key, which closes its sitting: no commitment is
		/// accepted once the key is public. At the latest `RevealDays` after the sitting's
		/// scheduled close; the chain checks the key against the answer hashes.
		///
		/// - origin: signed; the module's author.
		///
		/// Emits `KeyRevealed`. O(questions).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::reveal_key(answers.len() as u32))]
		pub fn reveal_key(
			origin: OriginFor<T>,
			module: ModuleId,
			salt: sp_core::H256,
			answers: PerQuestion<u8>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			Self::do_reveal_key(author, module, salt, answers)
		}

		/// Reveals the signer's committed answers; the chain scores them against the key and a
		/// passing score earns the reward with `C` = the score.
		///
		/// - origin: signed; the patient, within `RevealDays` of the key's reveal.
		///
		/// Releases the attempt's deposit. Emits `AssessmentScored` (and `RewardEarned`).
		/// O(questions).
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::reveal_answers(answers.len() as u32))]
		pub fn reveal_answers(
			origin: OriginFor<T>,
			module: ModuleId,
			answers: PerQuestion<u8>,
			nonce: sp_core::H256,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_reveal_answers(patient, module, answers, nonce)
		}

		/// Withdraws an attempt that can no longer be revealed (the window closed, or the
		/// author did not reveal the key in time) and releases its deposit.
		///
		/// - origin: signed; the patient.
		///
		/// Emits `AttemptWithdrawn`. O(1).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::withdraw_attempt())]
		pub fn withdraw_attempt(origin: OriginFor<T>, module: ModuleId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_withdraw_attempt(patient, module)
		}

		/// Retires a module whose sitting has closed and whose attempts are all revealed or
		/// withdrawn, releasing its deposit.
		///
		/// - origin: signed; the module's author.
		///
		/// Emits `ModuleRetired`. O(1).
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::retire_module())]
		pub fn retire_module(origin: OriginFor<T>, module: ModuleId) -> DispatchResult {
			let author = ensure_signed(origin)?;
			Self::do_retire_module(author, module)
		}

		/// Registers a partner merchant where patients redeem rewards.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `MerchantRegistered`. O(1).
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::register_merchant())]
		pub fn register_merchant(origin: OriginFor<T>, merchant: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_register_merchant(merchant)
		}

		/// Removes a partner merchant.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `MerchantRemoved`. O(1).
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::remove_merchant())]
		pub fn remove_merchant(origin: OriginFor<T>, merchant: T::AccountId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_remove_merchant(merchant)
		}

		/// Lists a benefit (or changes a listed one's price or terms).
		///
		/// - origin: `RewardsOrigin`.
		/// - `price`: the rewards it burns, not zero.
		/// - `terms`: hash of the benefit's terms, published by its partner.
		///
		/// Emits `BenefitListed`. O(1).
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::list_benefit())]
		pub fn list_benefit(
			origin: OriginFor<T>,
			benefit: BenefitId,
			price: BalanceOf<T>,
			terms: sp_core::H256,
		) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_list_benefit(benefit, Benefit { price, terms })
		}

		/// Delists a benefit.
		///
		/// - origin: `RewardsOrigin`.
		///
		/// Emits `BenefitDelisted`. O(1).
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::delist_benefit())]
		pub fn delist_benefit(origin: OriginFor<T>, benefit: BenefitId) -> DispatchResult {
			T::RewardsOrigin::ensure_origin(origin)?;
			Self::do_delist_benefit(benefit)
		}

		/// Pays a partner merchant `amount` of the signer's claimable rewards through a coded
		/// PayFi payment in BTT, recorded in the merchant's statement with `code`.
		///
		/// - origin: signed; a patient with at least `amount` claimable (rewards of ended
		///   periods, settled first).
		/// - `merchant`: a partner merchant that is also a PayFi payee with a free slot.
		/// - `code`: the payment's billing code (the service or product).
		///
		/// Emits `RedeemedAtMerchant` (and PayFi's `Paid`). O(1).
		#[pallet::call_index(29)]
		#[pallet::weight(T::WeightInfo::redeem_at_merchant())]
		pub fn redeem_at_merchant(
			origin: OriginFor<T>,
			merchant: T::AccountId,
			amount: BalanceOf<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_redeem_at_merchant(patient, merchant, amount, code)
		}

		/// Redeems a listed benefit: burns its price out of the signer's claimable rewards.
		///
		/// - origin: signed; a patient with at least the price claimable.
		///
		/// Emits `BenefitRedeemed`. O(1).
		#[pallet::call_index(30)]
		#[pallet::weight(T::WeightInfo::redeem_benefit())]
		pub fn redeem_benefit(origin: OriginFor<T>, benefit: BenefitId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_redeem_benefit(patient, benefit)
		}
	}
}
