//! Tabs: payment channels for micro-payments (a per-image analysis fee, a per-minute
//! teledentistry call).
//!
//! - [`Pallet::open_tab`]: the payer moves `amount` into the pallet account (counted in
//!   [`Escrowed`]), holds [`Config::TabDeposit`] BTT, and reserves one slot of the payee's
//!   statement for the tab's record. At most [`Config::MaxTabsPerPayer`] per payer, open at
//!   most [`Config::MaxTabPeriod`].
//! - Off chain the payer signs cumulative [`Voucher`]s (`voucher_payload`): each says what the
//!   tab owes in all, with a growing nonce. The payee keeps the latest.
//! - [`Pallet::redeem_voucher`]: the payee, before the tab expires, redeems the latest voucher
//!   and receives what it adds to the last redeemed one: a thousand micro-payments cost one
//!   extrinsic. A replayed (same nonce), older (lower nonce or lower amount), over-deposit or
//!   forged voucher is refused with its own error and changes nothing.
//! - [`Pallet::close_tab`]: the payee closes at any time (giving up what it has not
//!   redeemed); the payer, from the expiry block; the payer's early close moves the expiry to
//!   [`Config::TabNotice`] blocks from now, so the payee keeps that long to redeem. A redeem
//!   is accepted only before the expiry block and the payer's close only from it, so no block
//!   can order a close before a redeem the payee was still entitled to.
//! - Closing refunds what was not redeemed, releases the deposit and writes the tab's record
//!   (the total redeemed, with its code) into the reserved slot.

use crate::{
	pallet::*, voucher_payload, BalanceOf, CurrencyOf, PaymentRecord, Route, Tab, TabId, TabOf,
	Voucher,
};
use btt_primitives::payfi::BillingCode;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold as _,
		fungibles::Mutate as _,
		tokens::{Precision, Preservation},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Verify, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The bytes a tab's payer signs for `voucher` on this chain.
	pub fn voucher_message(voucher: &Voucher<BalanceOf<T>>) -> alloc::vec::Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		voucher_payload(&genesis, voucher)
	}

	pub(crate) fn do_open_tab(
		payer: T::AccountId,
		payee: T::AccountId,
		currency: CurrencyOf<T>,
		amount: BalanceOf<T>,
		expires_at: BlockNumberFor<T>,
		code: BillingCode<T::AccountId>,
	) -> Result<TabId, DispatchError> {
		ensure!(payer != payee, Error::<T>::SelfPayment);
		Self::check_code(&code)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(expires_at > now, Error::<T>::ExpiryInPast);
		ensure!(expires_at <= now.saturating_add(T::MaxTabPeriod::get()), Error::<T>::TabTooLong);
		let mut info = Self::payee_with_free_slot(&payee, &currency, amount)?;
		let count = TabsOf::<T>::get(&payer);
		ensure!(count < T::MaxTabsPerPayer::get(), Error::<T>::TooManyTabs);

		let deposit = T::TabDeposit::get();
		Self::hold_in_escrow(&payer, HoldReason::Tab, deposit, &currency, amount)?;
		TabsOf::<T>::insert(&payer, count.saturating_add(1));
		info.tabs = info.tabs.saturating_add(1);
		Payees::<T>::insert(&payee, info);
		let id = Self::take_id::<NextTabId<T>>();
		Self::deposit_event(Event::TabOpened {
			tab: id,
			payer: payer.clone(),
			payee: payee.clone(),
			currency: currency.clone(),
			amount,
			expires_at,
		});
		Tabs::<T>::insert(
			id,
			Tab {
				payer,
				payee,
				currency,
				amount,
				redeemed: Zero::zero(),
				nonce: 0,
				expires_at,
				code,
				deposit,
			},
		);
		Ok(id)
	}

	pub(crate) fn do_redeem_voucher(
		who: T::AccountId,
		voucher: Voucher<BalanceOf<T>>,
		signature: T::Signature,
	) -> DispatchResult {
		let mut tab = Tabs::<T>::get(voucher.tab).ok_or(Error::<T>::UnknownTab)?;
		ensure!(who == tab.payee, Error::<T>::NotTabPayee);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < tab.expires_at, Error::<T>::TabExpired);
		ensure!(voucher.nonce != tab.nonce, Error::<T>::VoucherReplayed);
		ensure!(
			voucher.nonce > tab.nonce && voucher.cumulative >= tab.redeemed,
			Error::<T>::StaleVoucher
		);
		ensure!(voucher.cumulative <= tab.amount, Error::<T>::VoucherOverDeposit);
		ensure!(voucher.cumulative > tab.redeemed, Error::<T>::NothingToRedeem);
		ensure!(
			signature.verify(&Self::voucher_message(&voucher)[..], &tab.payer),
			Error::<T>::BadVoucherSignature
		);

		let due = voucher.cumulative.saturating_sub(tab.redeemed);
		T::Currencies::transfer(
			tab.currency.clone(),
			&Self::escrow_account(),
			&tab.payee,
			due,
			Preservation::Expendable,
		)?;
		Escrowed::<T>::mutate(&tab.currency, |total| total.saturating_reduce(due));
		tab.redeemed = voucher.cumulative;
		tab.nonce = voucher.nonce;
		Self::deposit_event(Event::TabRedeemed {
			tab: voucher.tab,
			nonce: voucher.nonce,
			paid: due,
			redeemed: tab.redeemed,
		});
		Tabs::<T>::insert(voucher.tab, tab);
		Ok(())
	}

	pub(crate) fn do_close_tab(who: T::AccountId, id: TabId) -> DispatchResult {
		let mut tab = Tabs::<T>::get(id).ok_or(Error::<T>::UnknownTab)?;
		let now = frame_system::Pallet::<T>::block_number();
		if who == tab.payee || (who == tab.payer && now >= tab.expires_at) {
			return Self::finish_tab(id, tab);
		}
		ensure!(who == tab.payer, Error::<T>::NotTabParty);
		// The payer, early: the payee keeps `TabNotice` blocks to redeem.
		let notice = now.saturating_add(T::TabNotice::get());
		ensure!(notice < tab.expires_at, Error::<T>::TabClosing);
		tab.expires_at = notice;
		Tabs::<T>::insert(id, tab);
		Self::deposit_event(Event::TabClosing { tab: id, expires_at: notice });
		Ok(())
	}

	/// Closes a tab: refunds what was not redeemed to the payer, releases the deposit, and
	/// writes the tab's record (if anything was redeemed) into its reserved slot.
	fn finish_tab(id: TabId, tab: TabOf<T>) -> DispatchResult {
		let refund = tab.amount.saturating_sub(tab.redeemed);
		if !refund.is_zero() {
			T::Currencies::transfer(
				tab.currency.clone(),
				&Self::escrow_account(),
				&tab.payer,
				refund,
				Preservation::Expendable,
			)?;
		}
		Escrowed::<T>::mutate(&tab.currency, |total| total.saturating_reduce(refund));
		T::NativeBalance::release(
			&HoldReason::Tab.into(),
			&tab.payer,
			tab.deposit,
			Precision::BestEffort,
		)?;
		TabsOf::<T>::mutate_exists(&tab.payer, |count| {
			*count = count.map(|c| c.saturating_sub(1)).filter(|c| *c > 0);
		});
		let mut info = Payees::<T>::get(&tab.payee).ok_or(Error::<T>::NotPayee)?;
		info.tabs = info.tabs.saturating_sub(1);
		let payment = if tab.redeemed.is_zero() {
			Payees::<T>::insert(&tab.payee, info);
			None
		} else {
			let record = PaymentRecord {
				payer: tab.payer.clone(),
				paid: (tab.currency.clone(), tab.redeemed),
				received: (tab.currency.clone(), tab.redeemed),
				route: Route::Direct,
				code: tab.code.clone(),
				at: frame_system::Pallet::<T>::block_number(),
				escrow: None,
				split: None,
			};
			Some(Self::record_payment(&tab.payee, info, record).0)
		};
		Tabs::<T>::remove(id);
		Self::deposit_event(Event::TabClosed {
			tab: id,
			to_payee: tab.redeemed,
			to_payer: refund,
			payment,
		});
		Ok(())
	}
}
