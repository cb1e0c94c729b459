//! The pallet's calls (a section of the pallet module, see `lib.rs`). Each checks its origin
//! and hands over to a `do_*` function.

use frame_support::pallet_macros::pallet_section;

/// The dispatchable calls of the tokenization pallet.
#[pallet_section]
mod calls {
	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an asset and mints its digital twin.
		///
		/// - origin: signed; the signer becomes the issuer.
		/// - `category`, `jurisdiction`: what and where the asset is.
		/// - `document_hash`, `document_uri`: the asset's documents (never personal data).
		///
		/// Holds `AssetDeposit + DepositPerByte · len(uri)` and pays the twin's pallet-nfts
		/// deposit (plus, for the very first asset, the twin collection's). Emits
		/// `AssetRegistered`. O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_asset())]
		pub fn register_asset(
			origin: OriginFor<T>,
			category: AssetCategory,
			jurisdiction: Jurisdiction,
			document_hash: [u8; 32],
			document_uri: BoundedVec<u8, T::MaxUriLength>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			ensure!(jurisdiction.is_well_formed(), Error::<T>::MalformedJurisdiction);
			Self::do_register_asset(issuer, category, jurisdiction, document_hash, document_uri)
		}

		/// Replaces an asset's documents; the ownership attestation is cleared and must be
		/// renewed. A fractionalized asset's market is suspended until then.
		///
		/// - origin: signed by the issuer.
		/// - `document_hash`, `document_uri`: the new documents; the deposit follows the URI.
		///
		/// Emits `DocumentsUpdated`. O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_documents())]
		pub fn update_documents(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			document_hash: [u8; 32],
			document_uri: BoundedVec<u8, T::MaxUriLength>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_documents(who, asset, document_hash, document_uri)
		}

		/// Retires an asset that is not fractionalized and has no open orders: burns its twin,
		/// refunds the twin deposit and releases the held deposit.
		///
		/// - origin: signed by the issuer. Emits `AssetRetired`. O(`MaxAccredited`).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_asset())]
		pub fn retire_asset(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_asset(who, asset)
		}

		/// Sets an asset's compliance rules. Receiver rules apply to every later movement; a
		/// longer lock-up applies only to lots received from now on (a shorter one frees
		/// existing lots earlier).
		///
		/// - origin: signed by the issuer.
		/// - `rules`: the new rules; malformed lists are refused (`InvalidRules`).
		///
		/// Emits `RulesSet`. O(`MaxJurisdictions`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_rules())]
		pub fn set_rules(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			rules: RulesOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_rules(who, asset, rules)
		}

		/// Accredits an account as registrar, valuer or claim issuer.
		///
		/// - origin: `AdminOrigin`. Emits `Accredited`. O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::accredit())]
		pub fn accredit(origin: OriginFor<T>, role: Role, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_accredit(role, who)
		}

		/// Removes a role. The account's attestations, valuations and claims stop counting.
		///
		/// - origin: `AdminOrigin`. Emits `AccreditationRevoked`. O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::revoke_accreditation())]
		pub fn revoke_accreditation(
			origin: OriginFor<T>,
			role: Role,
			who: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_revoke_accreditation(role, who)
		}

		/// Attests that the issuer owns the asset, until `expires_at`.
		///
		/// - origin: signed by an accredited registrar. Emits `OwnershipAttested`. O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::attest_ownership())]
		pub fn attest_ownership(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let registrar = ensure_signed(origin)?;
			Self::do_attest_ownership(registrar, asset, expires_at)
		}

		/// Withdraws an asset's ownership attestation (a fractionalized asset stays so).
		///
		/// - origin: signed by an accredited registrar. Emits `AttestationRevoked`. O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_attestation())]
		pub fn revoke_attestation(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResult {
			let registrar = ensure_signed(origin)?;
			Self::do_revoke_attestation(registrar, asset)
		}

		/// Submits (or replaces) the caller's valuation of an asset, in US-dollar cents.
		///
		/// - origin: signed by an accredited valuer. Emits `ValuationSubmitted`.
		///   O(`MaxAccredited`).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::submit_valuation())]
		pub fn submit_valuation(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			value_usd_cents: BalanceOf<T>,
		) -> DispatchResult {
			let valuer = ensure_signed(origin)?;
			Self::do_submit_valuation(valuer, asset, value_usd_cents)
		}

		/// Records a claim about `who`, valid until `expires_at`. It replaces the same topic's
		/// claim only if that one is the caller's own, expired, or from an issuer who lost the
		/// role (`ClaimHeldByAnotherIssuer` otherwise).
		///
		/// - origin: signed by an accredited claim issuer, which pays `ClaimDeposit` (held).
		/// - `jurisdiction`: required for `Residence`, refused for other topics.
		///
		/// Emits `ClaimIssued`. O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::issue_claim())]
		pub fn issue_claim(
			origin: OriginFor<T>,
			who: T::AccountId,
			topic: ClaimTopic,
			expires_at: BlockNumberFor<T>,
			jurisdiction: Option<Jurisdiction>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_issue_claim(issuer, who, topic, expires_at, jurisdiction)
		}

		/// Removes a claim and releases its deposit to the claim's issuer.
		///
		/// - origin: `AdminOrigin`, or signed by the claim's issuer. Emits `ClaimRevoked`. O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::revoke_claim())]
		pub fn revoke_claim(
			origin: OriginFor<T>,
			who: T::AccountId,
			topic: ClaimTopic,
		) -> DispatchResult {
			let maybe_issuer = match T::AdminOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_revoke_claim(maybe_issuer, who, topic)
		}

		/// Divides an asset into `fractions` fractions owned by the issuer and locks its twin.
		///
		/// - origin: signed by the issuer.
		/// - Needs a valid ownership attestation and an accepted (fresh, quorate) valuation.
		///
		/// Emits `Fractionalized`. O(`MaxAccredited` + `MaxRevenueCurrencies`).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::fractionalize())]
		pub fn fractionalize(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			fractions: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fractionalize(who, asset, fractions)
		}

		/// Burns every fraction of an asset, releases its twin and makes the caller its issuer.
		/// Every open order of the asset is closed (buy escrows refunded, deposits released),
		/// and the attestation and valuations are cleared: fractionalizing again needs a new
		/// attestation and a new quorum. Revenue earned before stays claimable.
		///
		/// - origin: signed by the holder of all fractions.
		///
		/// Emits `OrderClosed` per order, then `Unified`. O(`MaxRevenueCurrencies` + o), o the
		/// asset's open orders (at most `MaxOrdersPerAsset`); returns the actual weight.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::unify(T::MaxOrdersPerAsset::get()))]
		pub fn unify(origin: OriginFor<T>, asset: TokenizedAssetId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let closed = Self::do_unify(who, asset)?;
			Ok(Some(T::WeightInfo::unify(closed)).into())
		}

		/// Transfers fractions, subject to the asset's compliance rules; revenue is settled for
		/// both accounts first.
		///
		/// - origin: signed by the sender. Emits `FractionsTransferred`.
		///   O(`MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::transfer_fractions(T::MaxHolders::get()))]
		pub fn transfer_fractions(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let from = ensure_signed(origin)?;
			Self::do_transfer_fractions(asset, from, to, amount)
		}

		/// Deposits revenue for an asset's holders, pro rata to the fractions held now.
		///
		/// - origin: signed by the payer.
		/// - `currency`: BTT, or a currency governance lists and the asset accepts.
		/// - `amount`: at least the currency's minimum balance. What does not divide evenly
		///   (in `1 / REVENUE_SCALE` planck per fraction) is carried to the next deposit.
		///
		/// Emits `RevenueDeposited`. O(1) in the number of holders.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::deposit_revenue(T::MaxHolders::get()))]
		pub fn deposit_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_deposit_revenue(payer, asset, currency, amount)
		}

		/// Pays the caller the revenue of `asset` it has earned in `currency`.
		///
		/// - origin: signed by a present or past holder. Emits `RevenueClaimed`.
		///   O(`MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::claim_revenue(T::MaxHolders::get()))]
		pub fn claim_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_revenue(who, asset, currency)
		}

		/// Schedules `payments` deposits of `amount` every `period` blocks, starting one
		/// period from now. The scheduler holds one task per schedule at a time (the next
		/// payment), dispatched as the caller.
		///
		/// - origin: signed by the payer, which pays `ScheduleDeposit +
		///   ScheduleDepositPerPayment · payments` (held until completion or cancellation) and
		///   may have at most `MaxSchedulesPerAccount` schedules.
		/// - `period`: at least `MinSchedulePeriod`.
		/// - A full agenda at the first payment's block is refused (`AgendaFull`).
		///
		/// Emits `RevenueScheduled`. O(1).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::schedule_revenue())]
		pub fn schedule_revenue(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currency: CurrencyOf<T>,
			amount: BalanceOf<T>,
			period: BlockNumberFor<T>,
			payments: u32,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_schedule_revenue(payer, asset, currency, amount, period, payments)
		}

		/// Cancels the remaining payments of a revenue schedule and releases its deposit.
		///
		/// - origin: signed by the payer. Emits `RevenueScheduleCancelled`. O(1).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::cancel_revenue_schedule())]
		pub fn cancel_revenue_schedule(
			origin: OriginFor<T>,
			schedule: ScheduleId,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_cancel_revenue_schedule(payer, schedule)
		}

		/// Places a fixed-price order for `amount` fractions at `price` each in `currency`.
		///
		/// - origin: signed; pays `OrderDeposit` (held) and may have at most
		///   `MaxOrdersPerAccount` open orders.
		/// - `amount`: at least `MinOrderShare` of the fractions; `amount · price` at least the
		///   currency's minimum balance.
		/// - `currency`: BTT or a currency governance lists.
		/// - Sell: the fractions (unlocked, unlisted) stay in the seller's account, frozen.
		///   Buy: the full price is escrowed and the buyer must be allowed to receive them.
		/// - Needs a valid ownership attestation and an accepted valuation.
		///
		/// Emits `OrderPlaced`. O(`MaxAccredited`).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::place_order())]
		pub fn place_order(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			side: OrderSide,
			amount: BalanceOf<T>,
			price: BalanceOf<T>,
			currency: CurrencyOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_place_order(owner, asset, side, amount, price, currency)
		}

		/// Fills `amount` fractions of an order: the caller buys from a sell order or sells
		/// into a buy order. Compliance is checked and revenue settled as for any transfer; the
		/// market fee (rounded up, never zero) goes to the fee destination. Needs a valid
		/// ownership attestation and an accepted valuation.
		///
		/// - origin: signed by the taker. Emits `OrderFilled` (and `OrderClosed` when done).
		///   O(`MaxAccredited` + `MaxRevenueCurrencies`), independent of the number of holders.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::take_order(T::MaxHolders::get()))]
		pub fn take_order(
			origin: OriginFor<T>,
			order: OrderId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let taker = ensure_signed(origin)?;
			Self::do_take_order(taker, order, amount)
		}

		/// Cancels an order: unfreezes listed fractions or refunds the escrowed price, and
		/// releases the deposit.
		///
		/// - origin: signed by the order's owner. Emits `OrderClosed`. O(1).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::cancel_order())]
		pub fn cancel_order(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(who, order)
		}

		/// Makes the next payment of a revenue schedule and schedules the one after; the last
		/// payment releases the deposit. A payment that fails (the payer lacks the funds) stops
		/// the schedule and releases its deposit. The scheduler dispatches this as the payer.
		///
		/// - origin: signed by the schedule's payer.
		/// - `schedule`: a schedule whose next payment is due (`PaymentNotDue` before).
		///
		/// Emits `ScheduledRevenuePaid`, and `RevenueScheduleCompleted` or
		/// `RevenueScheduleStopped` when it ends. O(1).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::pay_scheduled_revenue())]
		pub fn pay_scheduled_revenue(origin: OriginFor<T>, schedule: ScheduleId) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_pay_scheduled_revenue(payer, schedule)
		}

		/// Lists the currencies besides BTT that revenue and market prices may be paid in.
		/// Currencies delisted stop taking new deposits and orders; revenue already paid in
		/// them stays claimable.
		///
		/// - origin: `AdminOrigin`.
		/// - `currencies`: existing, distinct, not BTT (`InvalidCurrencies`).
		///
		/// Emits `PaymentCurrenciesSet`. O(`MaxPaymentCurrencies`²).
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::set_payment_currencies(T::MaxPaymentCurrencies::get()))]
		pub fn set_payment_currencies(
			origin: OriginFor<T>,
			currencies: BoundedVec<CurrencyOf<T>, T::MaxPaymentCurrencies>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_payment_currencies(currencies)
		}

		/// Chooses the listed currencies besides BTT an asset takes revenue in; deposits in any
		/// other currency are refused (`CurrencyNotAccepted`).
		///
		/// - origin: signed by the issuer, or `AdminOrigin`.
		/// - `currencies`: distinct currencies listed by governance (`InvalidCurrencies`).
		///
		/// Emits `AcceptedCurrenciesSet`. O(`MaxRevenueCurrencies` · `MaxPaymentCurrencies`).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::set_accepted_currencies(T::MaxRevenueCurrencies::get()))]
		pub fn set_accepted_currencies(
			origin: OriginFor<T>,
			asset: TokenizedAssetId,
			currencies: BoundedVec<CurrencyOf<T>, T::MaxRevenueCurrencies>,
		) -> DispatchResult {
			let maybe_issuer = match T::AdminOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_set_accepted_currencies(maybe_issuer, asset, currencies)
		}
	}
}
