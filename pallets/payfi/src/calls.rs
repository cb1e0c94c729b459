//! The pallet's calls (a section of the pallet module, see `lib.rs`). Each checks its origin
//! and hands over to a `do_*` function.

use frame_support::pallet_macros::pallet_section;

/// The dispatchable calls of the PayFi pallet.
#[pallet_section]
mod calls {
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signer to receive coded payments, or changes its record slots.
		///
		/// - origin: signed; the payee.
		/// - `slots`: records its statement may hold (at most `MaxRecordsPerPayee`, at least
		///   the records it holds).
		///
		/// Holds `PayeeDeposit + RecordDeposit · slots` (the difference when changing).
		/// Emits `PayeeRegistered`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_payee())]
		pub fn register_payee(origin: OriginFor<T>, slots: u32) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_register_payee(payee, slots)
		}

		/// Stops receiving coded payments and releases the deposit; the statement must be
		/// empty.
		///
		/// - origin: signed by the payee.
		///
		/// Emits `PayeeUnregistered`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister_payee())]
		pub fn unregister_payee(origin: OriginFor<T>) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_unregister_payee(payee)
		}

		/// Pays `payee` exactly `amount` of `receive`, taken from the signer in `pay_in`,
		/// for what `code` says.
		///
		/// - origin: signed; the payer.
		/// - `pay_in`: the currency taken from the payer (BTT or any asset with a BTT pool).
		/// - `receive`: the currency the payee receives, one governance lists.
		/// - `amount`: what the payee receives, at least the currency's minimum balance.
		/// - `max_in`: the most of `pay_in` the payer gives for it (its maximum slippage); a
		///   direct payment takes exactly `amount`.
		/// - `code`: the billing code: checked as `BillingCode::validate`, procedure codes
		///   against governance's list, the encounter day not after today.
		///
		/// Stores a record in the payee's statement. Emits `Paid` with the route and both
		/// amounts. O(1) (a swap through at most two pools), weighed by the route.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::pay_weight(pay_in, receive))]
		pub fn pay(
			origin: OriginFor<T>,
			payee: T::AccountId,
			pay_in: CurrencyOf<T>,
			receive: CurrencyOf<T>,
			amount: BalanceOf<T>,
			max_in: BalanceOf<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_pay(payer, payee, pay_in, receive, amount, max_in, code)
		}

		/// Removes reconciled records of one day from the signer's statement, freeing their
		/// slots.
		///
		/// - origin: signed by the payee.
		/// - `day`, `ids`: the records (at most 64).
		///
		/// Emits `RecordsRemoved`. O(ids).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_records(ids.len() as u32))]
		pub fn remove_records(
			origin: OriginFor<T>,
			day: u32,
			ids: BoundedVec<PaymentId, ConstU32<64>>,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_remove_records(payee, day, ids)
		}

		/// Sets the currencies payees may receive (BTT only when empty).
		///
		/// - origin: `PaymentsOrigin`.
		///
		/// Emits `ReceivableCurrenciesSet`. O(currencies).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_receivable_currencies())]
		pub fn set_receivable_currencies(
			origin: OriginFor<T>,
			currencies: BoundedVec<CurrencyOf<T>, T::MaxReceivableCurrencies>,
		) -> DispatchResult {
			T::PaymentsOrigin::ensure_origin(origin)?;
			Self::do_set_receivable_currencies(currencies)
		}

		/// Restricts the procedure codes payments may carry to `codes`, or lifts the
		/// restriction (`None`).
		///
		/// - origin: `PaymentsOrigin`.
		///
		/// Emits `ProcedureListSet`. O(codes).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_procedure_list())]
		pub fn set_procedure_list(
			origin: OriginFor<T>,
			codes: Option<
				BoundedBTreeSet<btt_primitives::payfi::ProcedureCode, T::MaxListedProcedures>,
			>,
		) -> DispatchResult {
			T::PaymentsOrigin::ensure_origin(origin)?;
			Self::do_set_procedure_list(codes)
		}

		/// Escrows `amount` of `currency` for `payee` until one of `conditions` releases it,
		/// refunded to the signer from `refund_at` if none held before it.
		///
		/// - origin: signed; the payer.
		/// - `payee`: a registered payee with a free statement slot (reserved for the record of
		///   the release).
		/// - `currency`, `amount`: a currency the payee may receive, at least its minimum.
		/// - `conditions`: one to three of `ConfirmedBy(account)` (never the payee),
		///   `TaskVerified(task)` (a DePIN task the payee posted), `At(block)` (before
		///   `refund_at`); any one releases.
		/// - `refund_at`: after now, within `MaxEscrowPeriod`.
		/// - `code`: the billing code, checked as for `pay`.
		///
		/// Holds `EscrowDeposit` BTT from the signer and moves the amount to the escrow
		/// account. Emits `Escrowed`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::escrow())]
		pub fn escrow(
			origin: OriginFor<T>,
			payee: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			conditions: BoundedVec<ConditionOf<T>, MaxConditions>,
			refund_at: BlockNumberFor<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_escrow(payer, payee, currency, amount, conditions, refund_at, code).map(|_| ())
		}

		/// Confirms an escrow's `ConfirmedBy(signer)` condition, before its refund block.
		///
		/// - origin: signed; the named confirmer.
		///
		/// Emits `EscrowConfirmed`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::confirm())]
		pub fn confirm(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm(who, id)
		}

		/// Settles an escrow: released to the payee (recorded in its statement) if a
		/// condition held before the refund block, refunded to the payer from the refund block
		/// otherwise; the payer's deposit is released.
		///
		/// - origin: signed; anyone.
		///
		/// Emits `EscrowSettled`. O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::settle_escrow())]
		pub fn settle_escrow(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle(id).map(|_| ())
		}

		/// Disputes an escrow before it settles and before its refund block: only the arbiter
		/// can settle it afterwards.
		///
		/// - origin: signed; the payer or the payee.
		///
		/// Holds `DisputeDeposit` BTT from the signer. Emits `EscrowDisputed`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, id)
		}

		/// Decides a disputed escrow: `payee_share` of it to the payee (rounded down), the
		/// rest to the payer; the disputer's deposit back to it, or to the other party if the
		/// dispute was `frivolous`.
		///
		/// - origin: `ArbiterOrigin`.
		///
		/// Emits `EscrowSettled`. O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			id: EscrowId,
			payee_share: Permill,
			frivolous: bool,
		) -> DispatchResult {
			T::ArbiterOrigin::ensure_origin(origin)?;
			Self::do_resolve(id, payee_share, frivolous)
		}

		/// Sets (or replaces) the signer's split template `id`.
		///
		/// - origin: signed; a registered payee.
		/// - `shares`: one to eight recipients (accounts, or tokenized assets that take
		///   revenue), each once, with parts summing to exactly 100 %.
		/// - `remainder_to`: the index of the share that takes what rounding leaves.
		///
		/// A new template holds `SplitDeposit` BTT. Emits `SplitSet`. O(shares).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_split())]
		pub fn set_split(
			origin: OriginFor<T>,
			id: SplitId,
			shares: BoundedVec<Share<T::AccountId>, MaxShares>,
			remainder_to: u32,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_set_split(payee, id, shares, remainder_to)
		}

		/// Removes the signer's split template `id`, releasing its deposit.
		///
		/// - origin: signed; the payee.
		///
		/// Emits `SplitRemoved`. O(1).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_split())]
		pub fn remove_split(origin: OriginFor<T>, id: SplitId) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_remove_split(payee, id)
		}

		/// Pays `payee` as `pay` does, then shares the amount out by its split template
		/// `split` in the same extrinsic: each account share transferred from the payee, each
		/// asset share paid to the asset's fraction holders through `AssetRevenue`.
		///
		/// - origin: signed; the payer.
		/// - `split`: one of the payee's templates; each of its parts of `amount` must be zero
		///   or at least the received currency's minimum balance.
		/// - the rest: as `pay`.
		///
		/// Emits `Paid` and `SplitPaid`. O(shares), weighed at the most shares and refunded
		/// to what was paid.
		#[pallet::call_index(13)]
		#[pallet::weight(Pallet::<T>::split_weight(pay_in, receive, 8, 8))]
		pub fn pay_split(
			origin: OriginFor<T>,
			payee: T::AccountId,
			split: SplitId,
			pay_in: CurrencyOf<T>,
			receive: CurrencyOf<T>,
			amount: BalanceOf<T>,
			max_in: BalanceOf<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let payer = ensure_signed(origin)?;
			let (accounts, assets) = Self::do_pay_split(
				payer,
				payee,
				split,
				pay_in.clone(),
				receive.clone(),
				amount,
				max_in,
				code,
			)?;
			Ok(Some(Self::split_weight(&pay_in, &receive, accounts, assets)).into())
		}

		/// Schedules `payments` coded payments to `payee`, one every `period` blocks, the first
		/// one period from now (pay a first instalment at once with `pay`). Each is made as
		/// `pay` makes it, dispatched by the scheduler as the signer.
		///
		/// - origin: signed; the payer, with fewer than `MaxPlansPerPayer` plans.
		/// - `period`: at least `MinPlanPeriod`; `payments`: 1 to `MaxPaymentsPerPlan`.
		/// - the rest: as `pay` (checked now, and again at each payment).
		///
		/// Holds `PlanDeposit + PlanDepositPerPayment · payments` BTT until the plan ends.
		/// Emits `PlanScheduled`. O(1): one agenda slot, whatever the number of payments.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::schedule_payments())]
		pub fn schedule_payments(
			origin: OriginFor<T>,
			payee: T::AccountId,
			pay_in: CurrencyOf<T>,
			receive: CurrencyOf<T>,
			amount: BalanceOf<T>,
			max_in: BalanceOf<T>,
			period: BlockNumberFor<T>,
			payments: u32,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_schedule_payments(
				payer, payee, pay_in, receive, amount, max_in, period, payments, code,
			)
			.map(|_| ())
		}

		/// Cancels a plan's remaining payments and releases its deposit.
		///
		/// - origin: signed by the plan's payer or its payee (a clinic ending a membership).
		///
		/// Emits `PlanEnded`. O(1).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::cancel_plan())]
		pub fn cancel_plan(origin: OriginFor<T>, plan: PlanId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_plan(who, plan)
		}

		/// Makes a plan's due payment and schedules the next; the last one ends the plan. The
		/// scheduler dispatches this as the payer; a payment that fails ends the plan.
		///
		/// - origin: signed by the plan's payer.
		/// - `plan`: a plan whose next payment is due (`PaymentNotDue` before).
		///
		/// Emits `Paid` and `PlanPaid`, and `PlanEnded` when the plan ends. O(1), weighed at
		/// the most expensive route.
		#[pallet::call_index(16)]
		#[pallet::weight(Pallet::<T>::pay_scheduled_weight())]
		pub fn pay_scheduled(origin: OriginFor<T>, plan: PlanId) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_pay_scheduled(payer, plan)
		}

		/// Opens a tab to `payee`: `amount` of `currency` is held by the pallet for the
		/// vouchers the signer will sign.
		///
		/// - origin: signed; the payer, with fewer than `MaxTabsPerPayer` open tabs.
		/// - `payee`: a registered payee with a free statement slot (reserved for the tab's
		///   record).
		/// - `currency`, `amount`: a currency the payee may receive, at least its minimum.
		/// - `expires_at`: after now, within `MaxTabPeriod`; the payee may redeem before it.
		/// - `code`: the billing code, checked as for `pay`.
		///
		/// Holds `TabDeposit` BTT. Emits `TabOpened`. O(1).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::open_tab())]
		pub fn open_tab(
			origin: OriginFor<T>,
			payee: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_open_tab(payer, payee, currency, amount, expires_at, code).map(|_| ())
		}

		/// Redeems the latest voucher of a tab: the payee receives what it adds to the last
		/// redeemed one.
		///
		/// - origin: signed by the tab's payee, before the tab's expiry block.
		/// - `voucher`: a higher nonce than the last redeemed (`VoucherReplayed`,
		///   `StaleVoucher`), a cumulative amount not below the redeemed one (`StaleVoucher`),
		///   above it (`NothingToRedeem`), and not above the tab's amount
		///   (`VoucherOverDeposit`).
		/// - `signature`: the payer's signature of `voucher_payload(genesis, voucher)`
		///   (`BadVoucherSignature`).
		///
		/// Emits `TabRedeemed`. O(1), whatever the number of vouchers it settles.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::redeem_voucher())]
		pub fn redeem_voucher(
			origin: OriginFor<T>,
			voucher: Voucher<BalanceOf<T>>,
			signature: T::Signature,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			Self::do_redeem_voucher(payee, voucher, signature)
		}

		/// Closes a tab: the payee at any time; the payer from the expiry block. The payer's
		/// earlier call moves the expiry to `TabNotice` blocks from now instead.
		///
		/// - origin: signed; the payer or the payee.
		///
		/// Closing refunds what was not redeemed, releases the deposit and records the tab in
		/// the payee's statement. Emits `TabClosed` (or `TabClosing`). O(1).
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::close_tab())]
		pub fn close_tab(origin: OriginFor<T>, tab: TabId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_tab(who, tab)
		}

		/// Registers the signer as an insurer that clinics may claim from.
		///
		/// - origin: signed; the insurer.
		///
		/// Holds `InsurerDeposit` BTT. Emits `InsurerRegistered`. O(1).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::register_insurer())]
		pub fn register_insurer(origin: OriginFor<T>) -> DispatchResult {
			let insurer = ensure_signed(origin)?;
			Self::do_register_insurer(insurer)
		}

		/// Stops being an insurer and releases the deposit: no open claim, every pool emptied.
		///
		/// - origin: signed by the insurer.
		///
		/// Emits `InsurerUnregistered`. O(1).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::unregister_insurer())]
		pub fn unregister_insurer(origin: OriginFor<T>) -> DispatchResult {
			let insurer = ensure_signed(origin)?;
			Self::do_unregister_insurer(insurer)
		}

		/// Pays `amount` of `currency` into the signer's pool, which pays its approved claims.
		///
		/// - origin: signed; a registered insurer.
		/// - `currency`, `amount`: a currency payees may receive, at least its minimum.
		///
		/// Emits `PoolFunded`. O(1).
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::fund_pool())]
		pub fn fund_pool(
			origin: OriginFor<T>,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let insurer = ensure_signed(origin)?;
			Self::do_fund_pool(insurer, currency, amount)
		}

		/// Takes `amount` of `currency` out of the signer's pool: at most what the pool holds
		/// beyond the amounts of its open claims (`PoolCommitted`).
		///
		/// - origin: signed; a registered insurer.
		///
		/// Emits `PoolWithdrawn`. O(1).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::withdraw_pool())]
		pub fn withdraw_pool(
			origin: OriginFor<T>,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let insurer = ensure_signed(origin)?;
			Self::do_withdraw_pool(insurer, currency, amount)
		}

		/// Claims `amount` of `currency` from `insurer` for what `code` says; the amount is
		/// committed in the insurer's pool until the claim is decided.
		///
		/// - origin: signed; a registered payee (the clinic) with a free statement slot
		///   (reserved for the payment) and fewer than `MaxClaimsPerClinic` open claims.
		/// - `insurer`: a registered insurer, the one `code.insurer` names.
		/// - `currency`, `amount`: a currency payees may receive, at least its minimum.
		/// - `code`: checked as for `pay`; its claim and patient are salted hashes.
		/// - `attachment`: a hash of the documents sent to the insurer off chain.
		///
		/// Holds `ClaimDeposit` BTT. Emits `ClaimSubmitted` with the deadline. O(1).
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::submit_claim())]
		pub fn submit_claim(
			origin: OriginFor<T>,
			insurer: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			code: btt_primitives::payfi::BillingCode<T::AccountId>,
			attachment: Option<sp_core::H256>,
		) -> DispatchResult {
			let clinic = ensure_signed(origin)?;
			Self::do_submit_claim(clinic, insurer, currency, amount, code, attachment).map(|_| ())
		}

		/// Decides a submitted claim: `Approve { amount }` pays it (in full or in part) from
		/// the pool at once and records it in the clinic's statement; `Deny { reason }` pays
		/// nothing, for an X12 CARC reason number.
		///
		/// - origin: signed by the claim's insurer, while the claim is not escalated.
		///
		/// Releases the clinic's deposit. Emits `ClaimApproved` or `ClaimDenied`. O(1).
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::adjudicate())]
		pub fn adjudicate(
			origin: OriginFor<T>,
			claim: ClaimId,
			decision: Decision<BalanceOf<T>>,
		) -> DispatchResult {
			let insurer = ensure_signed(origin)?;
			Self::do_adjudicate(insurer, claim, decision)
		}

		/// Escalates a claim its insurer left undecided past its deadline: only
		/// `ArbiterOrigin` decides it now.
		///
		/// - origin: signed by the claiming clinic, from the claim's deadline.
		///
		/// Holds `DisputeDeposit` BTT until the arbiter decides. Emits `ClaimEscalated`. O(1).
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::escalate())]
		pub fn escalate(origin: OriginFor<T>, claim: ClaimId) -> DispatchResult {
			let clinic = ensure_signed(origin)?;
			Self::do_escalate(clinic, claim)
		}

		/// Decides an escalated claim: `award` (zero, or up to the claimed amount and what the
		/// pool holds) paid from the insurer's pool; the clinic's escalation deposit back to
		/// it, or to the insurer if the escalation was `frivolous`.
		///
		/// - origin: `ArbiterOrigin`.
		///
		/// Emits `ClaimResolved`. O(1).
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::resolve_claim())]
		pub fn resolve_claim(
			origin: OriginFor<T>,
			claim: ClaimId,
			award: BalanceOf<T>,
			frivolous: bool,
		) -> DispatchResult {
			T::ArbiterOrigin::ensure_origin(origin)?;
			Self::do_resolve_claim(claim, award, frivolous)
		}

		/// Withdraws a claim the insurer has not decided, releasing its deposit, its slot and
		/// its commitment.
		///
		/// - origin: signed by the claiming clinic, while the claim is not escalated.
		///
		/// Emits `ClaimWithdrawn`. O(1).
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::withdraw_claim())]
		pub fn withdraw_claim(origin: OriginFor<T>, claim: ClaimId) -> DispatchResult {
			let clinic = ensure_signed(origin)?;
			Self::do_withdraw_claim(clinic, claim)
		}
	}
}
