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
	}
}
