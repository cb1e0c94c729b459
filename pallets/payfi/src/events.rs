//! The pallet's events and errors (a section of the pallet module, see `lib.rs`).

use frame_support::pallet_macros::pallet_section;

/// Events and errors of the PayFi pallet.
#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account registered (or changed its record slots) to receive coded payments.
		PayeeRegistered { payee: T::AccountId, slots: u32, deposit: BalanceOf<T> },
		/// A payee left; its deposit was released.
		PayeeUnregistered { payee: T::AccountId },
		/// A coded payment was made. The rate is `received / paid`.
		Paid {
			id: PaymentId,
			payer: T::AccountId,
			payee: T::AccountId,
			paid: (CurrencyOf<T>, BalanceOf<T>),
			received: (CurrencyOf<T>, BalanceOf<T>),
			route: Route<CurrencyOf<T>>,
			day: u32,
		},
		/// A payee removed reconciled records from its statement.
		RecordsRemoved { payee: T::AccountId, day: u32, count: u32 },
		/// Governance set the currencies payees may receive.
		ReceivableCurrenciesSet {
			currencies: BoundedVec<CurrencyOf<T>, T::MaxReceivableCurrencies>,
		},
		/// Governance set (or cleared, `None`) the list of procedure codes payments may carry.
		ProcedureListSet { codes: Option<u32> },
		/// A payer escrowed `amount` for `payee`, refunded from `refund_at` unless released.
		Escrowed {
			id: EscrowId,
			payer: T::AccountId,
			payee: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			refund_at: BlockNumberFor<T>,
		},
		/// The named confirmer confirmed the escrow's condition.
		EscrowConfirmed { id: EscrowId, by: T::AccountId },
		/// The payer or the payee disputed the escrow: only the arbiter can settle it now.
		EscrowDisputed { id: EscrowId, by: T::AccountId },
		/// A payee set (or changed) a split template.
		SplitSet { payee: T::AccountId, id: SplitId },
		/// A payee removed a split template; its deposit was released.
		SplitRemoved { payee: T::AccountId, id: SplitId },
		/// A coded payment was shared out by the payee's split: each recipient and its part
		/// (the payee's own share stays with it).
		SplitPaid {
			payment: PaymentId,
			payee: T::AccountId,
			split: SplitId,
			parts: BoundedVec<(Recipient<T::AccountId>, BalanceOf<T>), MaxShares>,
		},
		/// The escrow ended: released (all to the payee), refunded (all to the payer) or split
		/// by the arbiter.
		EscrowSettled {
			id: EscrowId,
			to_payee: (T::AccountId, BalanceOf<T>),
			to_payer: (T::AccountId, BalanceOf<T>),
		},
		/// A payer scheduled `payments` payments to `payee`, the first in block `first`.
		PlanScheduled {
			plan: PlanId,
			payer: T::AccountId,
			payee: T::AccountId,
			received: (CurrencyOf<T>, BalanceOf<T>),
			period: BlockNumberFor<T>,
			payments: u32,
			first: BlockNumberFor<T>,
		},
		/// A plan's payment was made (its `Paid` event has the amounts).
		PlanPaid { plan: PlanId, payment: PaymentId, remaining: u32 },
		/// A plan ended: completed, cancelled, or stopped by the `error` of a payment (or of
		/// scheduling the next); its deposit was released.
		PlanEnded { plan: PlanId, end: PlanEnd, remaining: u32, error: Option<DispatchError> },
		/// A payer opened a tab to `payee`.
		TabOpened {
			tab: TabId,
			payer: T::AccountId,
			payee: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
		},
		/// The payee redeemed the voucher `nonce`: `paid` now, `redeemed` in all.
		TabRedeemed { tab: TabId, nonce: u64, paid: BalanceOf<T>, redeemed: BalanceOf<T> },
		/// The payer asked to close its tab: the payee may redeem until `expires_at`.
		TabClosing { tab: TabId, expires_at: BlockNumberFor<T> },
		/// A tab closed: `to_payee` redeemed in all (recorded as `payment` in the payee's
		/// statement), `to_payer` refunded.
		TabClosed {
			tab: TabId,
			to_payee: BalanceOf<T>,
			to_payer: BalanceOf<T>,
			payment: Option<PaymentId>,
		},
		/// An account registered as an insurer.
		InsurerRegistered { insurer: T::AccountId, deposit: BalanceOf<T> },
		/// An insurer left; its deposit was released.
		InsurerUnregistered { insurer: T::AccountId },
		/// An insurer paid `amount` into its pool; the pool holds `funds`.
		PoolFunded {
			insurer: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			funds: BalanceOf<T>,
		},
		/// An insurer took `amount` out of its pool; the pool holds `funds`.
		PoolWithdrawn {
			insurer: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			funds: BalanceOf<T>,
		},
		/// A clinic claimed `amount` from `insurer`, to be decided before `deadline`.
		ClaimSubmitted {
			claim: ClaimId,
			clinic: T::AccountId,
			insurer: T::AccountId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// The insurer approved the claim: `paid` of the `claimed` amount, recorded as
		/// `payment` in the clinic's statement.
		ClaimApproved {
			claim: ClaimId,
			paid: BalanceOf<T>,
			claimed: BalanceOf<T>,
			payment: Option<PaymentId>,
		},
		/// The insurer denied the claim for `reason` (an X12 CARC number).
		ClaimDenied { claim: ClaimId, reason: u16 },
		/// The clinic escalated an undecided claim past its deadline to the arbiter.
		ClaimEscalated { claim: ClaimId },
		/// The arbiter decided an escalated claim: `awarded` paid from the insurer's pool
		/// (`payment` in the clinic's statement); a `frivolous` escalation's deposit went to
		/// the insurer.
		ClaimResolved {
			claim: ClaimId,
			awarded: BalanceOf<T>,
			payment: Option<PaymentId>,
			frivolous: bool,
		},
		/// The clinic withdrew its claim; its deposit was released.
		ClaimWithdrawn { claim: ClaimId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// More record slots than a payee may hold.
		TooManySlots,
		/// Fewer record slots than the records the payee holds: remove records first.
		SlotsBelowRecords,
		/// The account is not a registered payee.
		NotPayee,
		/// The payee still holds records: remove them first.
		PayeeHasRecords,
		/// The payee's statement is full: it must remove reconciled records first.
		StatementFull,
		/// Paying oneself.
		SelfPayment,
		/// The payee cannot receive this currency (governance has not listed it).
		CurrencyNotReceivable,
		/// The amount is below the received currency's minimum balance.
		BelowMinimum,
		/// A procedure code is not `D` and four digits.
		ProcedureFormat,
		/// A diagnosis code is not in the ICD-10-CM format.
		DiagnosisFormat,
		/// No procedure code.
		NoProcedure,
		/// The same procedure code twice.
		DuplicateProcedure,
		/// A procedure code outside governance's list.
		ProcedureNotListed,
		/// The encounter day is after today.
		EncounterInFuture,
		/// A currency listed twice.
		DuplicateCurrency,
		/// The record to remove does not exist.
		UnknownRecord,
		/// The same record twice in one removal.
		DuplicateRecord,
		/// The payee has pending escrows: they must settle first.
		PayeeHasEscrows,
		/// An escrow without a condition.
		NoCondition,
		/// The same condition twice.
		DuplicateCondition,
		/// The payee may not be the confirmer of its own escrow.
		PayeeCannotConfirm,
		/// A block condition that is not after the current block.
		ReleaseInPast,
		/// A block condition not before the refund block.
		RefundBeforeRelease,
		/// The refund block is not after the current block.
		RefundInPast,
		/// The refund block is further than `MaxEscrowPeriod` away.
		EscrowTooLong,
		/// The payer holds `MaxEscrowsPerPayer` pending escrows.
		TooManyEscrows,
		/// No such pending escrow.
		UnknownEscrow,
		/// The signer is not a confirmer of this escrow.
		NotConfirmer,
		/// The escrow was confirmed already.
		AlreadyConfirmed,
		/// The escrow's refund block has come: it can only be refunded.
		EscrowExpired,
		/// No condition holds and the refund block has not come.
		EscrowPending,
		/// The escrow is disputed: only the arbiter can settle it.
		EscrowDisputed,
		/// The escrow is not disputed: nothing for the arbiter to decide.
		NotDisputed,
		/// Only the payer or the payee may dispute.
		NotParty,
		/// A part (the arbiter's split, or a split template's share of this payment) that is
		/// neither zero nor the currency's minimum balance.
		ShareBelowMinimum,
		/// The payee holds split templates: remove them first.
		PayeeHasSplits,
		/// A split without a share.
		NoShare,
		/// The shares do not sum to exactly 100 %.
		SharesNotWhole,
		/// The remainder is assigned to a share that does not exist.
		BadRemainder,
		/// The same recipient twice.
		DuplicateRecipient,
		/// A tokenized asset that cannot receive revenue (not fractionalized).
		AssetTakesNoRevenue,
		/// The payee holds `MaxSplitsPerPayee` templates.
		TooManySplits,
		/// No such split template.
		UnknownSplit,
		/// An arithmetic overflow (a deposit, an id).
		Overflow,
		/// A plan without a payment.
		NoPayments,
		/// More payments than `MaxPaymentsPerPlan`.
		TooManyPayments,
		/// A plan period below `MinPlanPeriod`.
		PeriodTooShort,
		/// The payer has `MaxPlansPerPayer` plans.
		TooManyPlans,
		/// No such plan.
		UnknownPlan,
		/// Only the plan's payer (or, to cancel, its payee) may do this.
		NotPlanParty,
		/// The plan's next payment is not due yet.
		PaymentNotDue,
		/// The scheduler's agenda is full in the block a payment is due (and the next ones).
		AgendaFull,
		/// The payee has open tabs: they must close first.
		PayeeHasTabs,
		/// A tab expiry that is not after the current block.
		ExpiryInPast,
		/// A tab expiry further than `MaxTabPeriod` away.
		TabTooLong,
		/// The payer has `MaxTabsPerPayer` open tabs.
		TooManyTabs,
		/// No such open tab.
		UnknownTab,
		/// Only the tab's payee may redeem its vouchers.
		NotTabPayee,
		/// Only the tab's payer or payee may close it.
		NotTabParty,
		/// The tab has expired: it can only be closed.
		TabExpired,
		/// The tab already closes sooner than the payer's notice would.
		TabClosing,
		/// The voucher's nonce is the last redeemed one's.
		VoucherReplayed,
		/// The voucher is older than the last redeemed one (a lower nonce or a lower amount).
		StaleVoucher,
		/// The voucher pays more than the tab holds.
		VoucherOverDeposit,
		/// The voucher adds nothing to what was redeemed.
		NothingToRedeem,
		/// The voucher's signature is not the payer's.
		BadVoucherSignature,
		/// The payee has open claims: they must be decided or withdrawn first.
		PayeeHasClaims,
		/// The account is a registered insurer already.
		AlreadyInsurer,
		/// The account is not a registered insurer.
		NotInsurer,
		/// The insurer has open claims: it must decide them first.
		InsurerHasClaims,
		/// The insurer's pools still hold money: withdraw it first.
		PoolNotEmpty,
		/// The pool holds less than the amount (or the amount is zero).
		PoolTooSmall,
		/// The amount is committed to open claims: the pool keeps it until they are decided.
		PoolCommitted,
		/// The claim's billing code does not name the insurer claimed from.
		InsurerNotInCode,
		/// The clinic holds `MaxClaimsPerClinic` open claims.
		TooManyClaims,
		/// No such open claim.
		UnknownClaim,
		/// Only the claim's insurer may decide it.
		NotClaimInsurer,
		/// Only the claiming clinic may do this.
		NotClaimant,
		/// More than the claimed amount.
		OverClaimed,
		/// The claim is escalated: only the arbiter decides it.
		ClaimEscalated,
		/// The claim is not escalated: the insurer decides it.
		NotEscalated,
		/// The claim's deadline has not come: the insurer may still decide.
		ClaimNotDue,
		/// A denial reason outside the CARC numbers (1 to 999).
		BadReason,
		/// The insurer has a pool in `MaxReceivableCurrencies` currencies (some no longer
		/// listed): empty one first.
		TooManyPools,
	}
}
