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
	}
}
