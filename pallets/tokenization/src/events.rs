//! The pallet's events and errors (a section of the pallet module, see `lib.rs`).

use frame_support::pallet_macros::pallet_section;

/// Events and errors of the tokenization pallet.
#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An asset was registered and its twin minted.
		AssetRegistered {
			asset: TokenizedAssetId,
			issuer: T::AccountId,
			category: AssetCategory,
			jurisdiction: Jurisdiction,
			document_hash: [u8; 32],
		},
		/// An asset's documents changed; its ownership attestation was cleared (a fractionalized
		/// asset's market is suspended until a registrar attests again).
		DocumentsUpdated { asset: TokenizedAssetId, document_hash: [u8; 32] },
		/// An asset was retired: its twin burnt and its deposit released.
		AssetRetired { asset: TokenizedAssetId },
		/// An asset's compliance rules changed.
		RulesSet { asset: TokenizedAssetId },
		/// An account was accredited in a role.
		Accredited { role: Role, who: T::AccountId },
		/// An account lost a role.
		AccreditationRevoked { role: Role, who: T::AccountId },
		/// A registrar attested the issuer's ownership.
		OwnershipAttested {
			asset: TokenizedAssetId,
			registrar: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// A registrar withdrew an ownership attestation.
		AttestationRevoked { asset: TokenizedAssetId, registrar: T::AccountId },
		/// A valuer valued an asset.
		ValuationSubmitted {
			asset: TokenizedAssetId,
			valuer: T::AccountId,
			value_usd_cents: BalanceOf<T>,
		},
		/// A claim issuer made a claim about an account.
		ClaimIssued {
			who: T::AccountId,
			topic: ClaimTopic,
			issuer: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// A claim was removed.
		ClaimRevoked { who: T::AccountId, topic: ClaimTopic },
		/// The twin collection was created (once).
		TwinCollectionCreated { collection: T::NftCollectionId },
		/// An asset was divided into fractions owned by its issuer; its twin is locked.
		Fractionalized { asset: TokenizedAssetId, fractions: BalanceOf<T>, owner: T::AccountId },
		/// All fractions were burnt; the twin is released and `owner` controls the asset. Its
		/// `orders_closed` open orders were refunded, its attestation and valuations cleared.
		Unified { asset: TokenizedAssetId, owner: T::AccountId, orders_closed: u32 },
		/// Fractions moved between accounts.
		FractionsTransferred {
			asset: TokenizedAssetId,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// Revenue was deposited for an asset's holders.
		RevenueDeposited {
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			payer: T::AccountId,
			amount: BalanceOf<T>,
			/// What each fraction earned, in `1 / REVENUE_SCALE` planck.
			per_fraction: BalanceOf<T>,
			/// The scaled remainder now carried to the next deposit.
			carried: BalanceOf<T>,
		},
		/// A holder claimed its revenue.
		RevenueClaimed {
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			who: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// Accumulated rounding dust was paid to the dust account.
		DustPaid { currency: CurrencyOf<T>, amount: BalanceOf<T> },
		/// Accumulated market fees were paid to the fee destination.
		FeesPaid { currency: CurrencyOf<T>, amount: BalanceOf<T> },
		/// Governance listed the currencies (besides BTT) revenue and prices may be paid in.
		PaymentCurrenciesSet { currencies: BoundedVec<CurrencyOf<T>, T::MaxPaymentCurrencies> },
		/// The currencies (besides BTT) an asset takes revenue in changed.
		AcceptedCurrenciesSet {
			asset: TokenizedAssetId,
			currencies: BoundedVec<CurrencyOf<T>, T::MaxRevenueCurrencies>,
		},
		/// A recurring revenue payment was scheduled.
		RevenueScheduled {
			schedule: ScheduleId,
			asset: TokenizedAssetId,
			payer: T::AccountId,
			amount: BalanceOf<T>,
			period: BlockNumberFor<T>,
			payments: u32,
		},
		/// A revenue schedule was cancelled; its deposit was released.
		RevenueScheduleCancelled { schedule: ScheduleId },
		/// A scheduled payment was made; `remaining` are still to come.
		ScheduledRevenuePaid { schedule: ScheduleId, remaining: u32 },
		/// A revenue schedule made its last payment; its deposit was released.
		RevenueScheduleCompleted { schedule: ScheduleId },
		/// A revenue schedule stopped early (the payment failed, or no block in reach had room
		/// for the next one); its deposit was released.
		RevenueScheduleStopped { schedule: ScheduleId, error: DispatchError },
		/// A market order was placed.
		OrderPlaced {
			order: OrderId,
			asset: TokenizedAssetId,
			owner: T::AccountId,
			side: OrderSide,
			amount: BalanceOf<T>,
			price: BalanceOf<T>,
			currency: CurrencyOf<T>,
		},
		/// A market order was (partly) filled.
		OrderFilled {
			order: OrderId,
			taker: T::AccountId,
			amount: BalanceOf<T>,
			payment: BalanceOf<T>,
			fee: BalanceOf<T>,
		},
		/// A market order was closed: cancelled or completely filled.
		OrderClosed { order: OrderId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such asset.
		UnknownAsset,
		/// Only the asset's issuer may do this.
		NotIssuer,
		/// The jurisdiction is not two upper-case letters.
		MalformedJurisdiction,
		/// The document URI is longer than `MaxUriLength`.
		UriTooLong,
		/// The asset is already fractionalized.
		AlreadyFractionalized,
		/// The asset is not fractionalized.
		NotFractionalized,
		/// Zero fractions.
		ZeroFractions,
		/// More fractions than the fractions asset can hold.
		TooManyFractions,
		/// Unifying needs every fraction in the caller's account.
		NotAllFractions,
		/// The asset has open market orders.
		OpenOrders,
		/// No valid ownership attestation.
		OwnershipNotVerified,
		/// No accepted valuation: fewer than a quorum of fresh valuations.
		ValuationStale,
		/// The caller is not accredited in the role this needs.
		NotAccredited,
		/// The account already holds the role.
		AlreadyAccredited,
		/// The role already has `MaxAccredited` accounts.
		TooManyAccredited,
		/// The expiry block is not in the future.
		ExpiryInPast,
		/// A residence claim needs a jurisdiction, other claims must not have one.
		ClaimJurisdictionMismatch,
		/// No such claim.
		UnknownClaim,
		/// Only the claim's issuer or the admin may revoke it.
		NotClaimIssuer,
		/// Another claim issuer's claim on this topic is still valid; only it (or the admin)
		/// may replace it, by revoking it first.
		ClaimHeldByAnotherIssuer,
		/// A list in the rules repeats or mis-forms a jurisdiction.
		InvalidRules,
		/// The twin collection could not be created or used.
		TwinCollectionUnavailable,
		/// The currency does not exist.
		UnknownCurrency,
		/// The asset's revenue is already paid in `MaxRevenueCurrencies` currencies.
		TooManyRevenueCurrencies,
		/// The revenue is below the currency's minimum balance.
		RevenueTooSmall,
		/// The currency is neither BTT nor listed by governance and accepted by the asset.
		CurrencyNotAccepted,
		/// A currency list repeats a currency, names BTT, an unknown or an unlisted currency.
		InvalidCurrencies,
		/// Nothing to claim.
		NothingToClaim,
		/// An amount or a price overflowed.
		Overflow,
		/// No such order.
		UnknownOrder,
		/// Only the order's owner may cancel it.
		NotOrderOwner,
		/// The owner cannot take its own order.
		OwnOrder,
		/// Zero price.
		ZeroPrice,
		/// More than the order has open.
		ExceedsOrder,
		/// The asset already has `MaxOrdersPerAsset` open orders.
		TooManyOrders,
		/// The account already has `MaxOrdersPerAccount` open orders.
		TooManyAccountOrders,
		/// Fewer fractions than `MinOrderShare` of the asset, or a total price below the
		/// currency's minimum balance.
		OrderTooSmall,
		/// The asset's ownership attestation is missing, expired or from a registrar who lost
		/// the role: its market is paused.
		TradingSuspended,
		/// A schedule needs at least one payment.
		InvalidSchedule,
		/// The schedule's period is shorter than `MinSchedulePeriod`.
		PeriodTooShort,
		/// The account already has `MaxSchedulesPerAccount` revenue schedules.
		TooManySchedules,
		/// The scheduler's agenda of the first payment's block is full.
		AgendaFull,
		/// The schedule's next payment is not due yet.
		PaymentNotDue,
		/// No such revenue schedule.
		UnknownSchedule,
		/// Only the payer may cancel its schedule.
		NotPayer,
		/// No such asset (compliance check).
		TransferUnknownAsset,
		/// Zero fractions.
		ZeroAmount,
		/// Sender and receiver are the same account.
		SelfTransfer,
		/// The sender does not have that many unlisted fractions.
		InsufficientFractions,
		/// The fractions are inside their lock-up period.
		LockedUp,
		/// The receiver has no valid KYC claim.
		KycMissing,
		/// The receiver has no valid accredited-investor claim.
		AccreditationMissing,
		/// The rules restrict jurisdictions and the receiver has no valid residence claim.
		ResidenceUnknown,
		/// The receiver resides in a jurisdiction the rules block or do not allow.
		JurisdictionNotPermitted,
		/// The asset already has its maximum number of holders.
		TooManyHolders,
		/// The receiver would hold more than the maximum share.
		ShareLimitExceeded,
		/// The fractions instance cannot credit the receiver's account.
		ReceiverUnavailable,
	}

	impl<T> From<TransferRejection> for Error<T> {
		fn from(reason: TransferRejection) -> Self {
			match reason {
				TransferRejection::UnknownAsset => Error::TransferUnknownAsset,
				TransferRejection::NotFractionalized => Error::NotFractionalized,
				TransferRejection::ZeroAmount => Error::ZeroAmount,
				TransferRejection::SelfTransfer => Error::SelfTransfer,
				TransferRejection::InsufficientFractions => Error::InsufficientFractions,
				TransferRejection::LockedUp => Error::LockedUp,
				TransferRejection::KycMissing => Error::KycMissing,
				TransferRejection::AccreditationMissing => Error::AccreditationMissing,
				TransferRejection::ResidenceUnknown => Error::ResidenceUnknown,
				TransferRejection::JurisdictionNotPermitted => Error::JurisdictionNotPermitted,
				TransferRejection::TooManyHolders => Error::TooManyHolders,
				TransferRejection::ShareLimitExceeded => Error::ShareLimitExceeded,
				TransferRejection::ReceiverUnavailable => Error::ReceiverUnavailable,
			}
		}
	}
}
