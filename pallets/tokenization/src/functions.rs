//! The asset lifecycle: registration, accreditation, attestation, valuation, claims,
//! fractionalization and unification.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use btt_primitives::TokenizedAssetId;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{self, MutateHold as _},
		fungibles::{Create as _, Inspect as _, Mutate as _},
		tokens::{
			nonfungibles_v2::{Create as _, Mutate as _, Transfer as _},
			Fortitude, Precision, Preservation,
		},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, Saturating, Zero},
	DispatchResult,
};

/// Keys of the twin's attributes (pallet namespace of pallet-nfts).
pub mod twin_attribute {
	/// SCALE-encoded [`crate::AssetCategory`].
	pub const CATEGORY: &[u8] = b"category";
	/// Two ASCII letters.
	pub const JURISDICTION: &[u8] = b"jurisdiction";
	/// 32 bytes.
	pub const DOCUMENT_HASH: &[u8] = b"document_hash";
	/// The URI bytes.
	pub const DOCUMENT_URI: &[u8] = b"document_uri";
	/// SCALE-encoded number of fractions, while fractionalized.
	pub const FRACTIONS: &[u8] = b"fractions";
}

impl<T: Config> Pallet<T> {
	/// The pallet account: custodian of the twins, escrow of revenue and of buy orders.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Whether `who` currently holds `role`.
	pub fn is_accredited(role: Role, who: &T::AccountId) -> bool {
		Accredited::<T>::contains_key(role, who)
	}

	fn ensure_accredited(role: Role, who: &T::AccountId) -> DispatchResult {
		ensure!(Self::is_accredited(role, who), Error::<T>::NotAccredited);
		Ok(())
	}

	fn issuer_asset(
		who: &T::AccountId,
		asset: TokenizedAssetId,
	) -> Result<AssetDetailsOf<T>, DispatchError> {
		let details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(&details.issuer == who, Error::<T>::NotIssuer);
		Ok(details)
	}

	/// The deposit held for an asset record with a URI of `uri_len` bytes.
	pub fn asset_deposit(uri_len: usize) -> Result<BalanceOf<T>, DispatchError> {
		let bytes: BalanceOf<T> =
			u32::try_from(uri_len).map_err(|_| Error::<T>::UriTooLong)?.into();
		T::DepositPerByte::get()
			.checked_mul(&bytes)
			.and_then(|b| b.checked_add(&T::AssetDeposit::get()))
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	/// Makes sure the pallet account holds the minimum balance of `currency` (and, first, of
	/// BTT so that it exists), paid once by `payer`. That buffer keeps the account from being
	/// reaped and is nobody's revenue.
	pub(crate) fn ensure_escrow_buffer(
		payer: &T::AccountId,
		currency: CurrencyOf<T>,
	) -> DispatchResult {
		let pallet = Self::account_id();
		// BTT first: a non-sufficient asset cannot open an account that does not exist.
		for currency in [T::NativeCurrency::get(), currency] {
			if EscrowBuffer::<T>::contains_key(&currency) {
				continue;
			}
			let minimum = T::Currencies::minimum_balance(currency.clone());
			T::Currencies::transfer(
				currency.clone(),
				payer,
				&pallet,
				minimum,
				Preservation::Preserve,
			)?;
			EscrowBuffer::<T>::insert(currency, minimum);
		}
		Ok(())
	}

	/// The twin collection, created (its pallet-nfts deposit paid by `payer`) if it does not
	/// exist yet.
	fn ensure_twin_collection(payer: &T::AccountId) -> Result<T::NftCollectionId, DispatchError> {
		if let Some(collection) = TwinCollection::<T>::get() {
			return Ok(collection);
		}
		Self::ensure_escrow_buffer(payer, T::NativeCurrency::get())?;
		let pallet = Self::account_id();
		<T::NativeBalance as fungible::Mutate<_>>::transfer(
			payer,
			&pallet,
			T::TwinCollectionDeposit::get(),
			Preservation::Preserve,
		)?;
		let collection =
			T::Nfts::create_collection(&pallet, &pallet, &T::TwinCollectionConfig::get())
				.map_err(|_| Error::<T>::TwinCollectionUnavailable)?;
		TwinCollection::<T>::put(collection);
		Self::deposit_event(Event::TwinCollectionCreated { collection });
		Ok(collection)
	}

	fn set_twin_attribute(
		collection: &T::NftCollectionId,
		asset: TokenizedAssetId,
		key: &[u8],
		value: &[u8],
	) -> DispatchResult {
		T::Nfts::set_attribute(collection, &asset, key, value)
	}

	pub(crate) fn do_register_asset(
		issuer: T::AccountId,
		category: AssetCategory,
		jurisdiction: Jurisdiction,
		document_hash: [u8; 32],
		document_uri: BoundedVec<u8, T::MaxUriLength>,
	) -> DispatchResult {
		let asset = NextAssetId::<T>::get();
		let next = asset.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = Self::asset_deposit(document_uri.len())?;
		T::NativeBalance::hold(&HoldReason::AssetRegistration.into(), &issuer, deposit)?;

		let collection = Self::ensure_twin_collection(&issuer)?;
		let pallet = Self::account_id();
		<T::NativeBalance as fungible::Mutate<_>>::transfer(
			&issuer,
			&pallet,
			T::TwinItemDeposit::get(),
			Preservation::Preserve,
		)?;
		T::Nfts::mint_into(&collection, &asset, &pallet, &T::TwinItemConfig::get(), true)?;
		Self::set_twin_attribute(&collection, asset, twin_attribute::CATEGORY, &category.encode())?;
		Self::set_twin_attribute(
			&collection,
			asset,
			twin_attribute::JURISDICTION,
			&jurisdiction.0,
		)?;
		Self::set_twin_attribute(
			&collection,
			asset,
			twin_attribute::DOCUMENT_HASH,
			&document_hash,
		)?;
		Self::set_twin_attribute(&collection, asset, twin_attribute::DOCUMENT_URI, &document_uri)?;

		Assets::<T>::insert(
			asset,
			AssetDetails {
				issuer: issuer.clone(),
				category,
				jurisdiction,
				document_hash,
				document_uri,
				deposit,
				depositor: issuer.clone(),
				attestation: None,
				fractions: None,
			},
		);
		Rules::<T>::insert(asset, RulesOf::<T>::default());
		NextAssetId::<T>::put(next);
		Self::deposit_event(Event::AssetRegistered {
			asset,
			issuer,
			category,
			jurisdiction,
			document_hash,
		});
		Ok(())
	}

	pub(crate) fn do_update_documents(
		who: T::AccountId,
		asset: TokenizedAssetId,
		document_hash: [u8; 32],
		document_uri: BoundedVec<u8, T::MaxUriLength>,
	) -> DispatchResult {
		let mut details = Self::issuer_asset(&who, asset)?;
		let new_deposit = Self::asset_deposit(document_uri.len())?;
		let reason = HoldReason::AssetRegistration.into();
		if new_deposit > details.deposit {
			T::NativeBalance::hold(
				&reason,
				&details.depositor,
				new_deposit.saturating_sub(details.deposit),
			)?;
		} else if new_deposit < details.deposit {
			T::NativeBalance::release(
				&reason,
				&details.depositor,
				details.deposit.saturating_sub(new_deposit),
				Precision::Exact,
			)?;
		}
		let collection = TwinCollection::<T>::get().ok_or(Error::<T>::TwinCollectionUnavailable)?;
		Self::set_twin_attribute(
			&collection,
			asset,
			twin_attribute::DOCUMENT_HASH,
			&document_hash,
		)?;
		Self::set_twin_attribute(&collection, asset, twin_attribute::DOCUMENT_URI, &document_uri)?;
		details.deposit = new_deposit;
		details.document_hash = document_hash;
		details.document_uri = document_uri;
		details.attestation = None;
		Assets::<T>::insert(asset, details);
		Self::deposit_event(Event::DocumentsUpdated { asset, document_hash });
		Ok(())
	}

	pub(crate) fn do_retire_asset(who: T::AccountId, asset: TokenizedAssetId) -> DispatchResult {
		let details = Self::issuer_asset(&who, asset)?;
		ensure!(details.fractions.is_none(), Error::<T>::AlreadyFractionalized);
		ensure!(OrderCount::<T>::get(asset).is_zero(), Error::<T>::OpenOrders);
		let collection = TwinCollection::<T>::get().ok_or(Error::<T>::TwinCollectionUnavailable)?;
		T::Nfts::burn(&collection, &asset, None)?;
		<T::NativeBalance as fungible::Mutate<_>>::transfer(
			&Self::account_id(),
			&details.depositor,
			T::TwinItemDeposit::get(),
			Preservation::Preserve,
		)?;
		T::NativeBalance::release(
			&HoldReason::AssetRegistration.into(),
			&details.depositor,
			details.deposit,
			Precision::Exact,
		)?;
		Assets::<T>::remove(asset);
		Rules::<T>::remove(asset);
		Valuations::<T>::remove(asset);
		AcceptedCurrencies::<T>::remove(asset);
		Self::deposit_event(Event::AssetRetired { asset });
		Ok(())
	}

	pub(crate) fn do_set_rules(
		who: T::AccountId,
		asset: TokenizedAssetId,
		rules: RulesOf<T>,
	) -> DispatchResult {
		Self::issuer_asset(&who, asset)?;
		let lists = [&rules.allowed_jurisdictions, &rules.blocked_jurisdictions];
		for list in lists {
			ensure!(list.iter().all(Jurisdiction::is_well_formed), Error::<T>::InvalidRules);
			let mut sorted = list.to_vec();
			sorted.sort();
			sorted.dedup();
			ensure!(sorted.len() == list.len(), Error::<T>::InvalidRules);
		}
		let overlap =
			rules.allowed_jurisdictions.iter().any(|j| rules.blocked_jurisdictions.contains(j));
		ensure!(!overlap, Error::<T>::InvalidRules);
		ensure!(rules.max_holders != Some(0), Error::<T>::InvalidRules);
		Rules::<T>::insert(asset, rules);
		Self::deposit_event(Event::RulesSet { asset });
		Ok(())
	}

	pub(crate) fn do_accredit(role: Role, who: T::AccountId) -> DispatchResult {
		ensure!(!Self::is_accredited(role, &who), Error::<T>::AlreadyAccredited);
		let count = AccreditedCount::<T>::get(role);
		ensure!(count < T::MaxAccredited::get(), Error::<T>::TooManyAccredited);
		Accredited::<T>::insert(role, &who, ());
		AccreditedCount::<T>::insert(role, count.saturating_add(1));
		Self::deposit_event(Event::Accredited { role, who });
		Ok(())
	}

	pub(crate) fn do_revoke_accreditation(role: Role, who: T::AccountId) -> DispatchResult {
		Self::ensure_accredited(role, &who)?;
		Accredited::<T>::remove(role, &who);
		AccreditedCount::<T>::mutate(role, |count| *count = count.saturating_sub(1));
		Self::deposit_event(Event::AccreditationRevoked { role, who });
		Ok(())
	}

	pub(crate) fn do_attest_ownership(
		registrar: T::AccountId,
		asset: TokenizedAssetId,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::ensure_accredited(Role::Registrar, &registrar)?;
		ensure!(expires_at > Self::now(), Error::<T>::ExpiryInPast);
		Assets::<T>::try_mutate(asset, |maybe| {
			let details = maybe.as_mut().ok_or(Error::<T>::UnknownAsset)?;
			details.attestation = Some(Attestation { registrar: registrar.clone(), expires_at });
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::OwnershipAttested { asset, registrar, expires_at });
		Ok(())
	}

	pub(crate) fn do_revoke_attestation(
		registrar: T::AccountId,
		asset: TokenizedAssetId,
	) -> DispatchResult {
		Self::ensure_accredited(Role::Registrar, &registrar)?;
		Assets::<T>::try_mutate(asset, |maybe| {
			let details = maybe.as_mut().ok_or(Error::<T>::UnknownAsset)?;
			ensure!(details.attestation.take().is_some(), Error::<T>::OwnershipNotVerified);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::AttestationRevoked { asset, registrar });
		Ok(())
	}

	/// Whether the asset's ownership attestation holds now: present, not expired, and made by a
	/// registrar who is still accredited.
	pub fn ownership_verified(details: &AssetDetailsOf<T>) -> bool {
		details.attestation.as_ref().is_some_and(|a| {
			a.expires_at > Self::now() && Self::is_accredited(Role::Registrar, &a.registrar)
		})
	}

	pub(crate) fn do_submit_valuation(
		valuer: T::AccountId,
		asset: TokenizedAssetId,
		value_usd_cents: BalanceOf<T>,
	) -> DispatchResult {
		Self::ensure_accredited(Role::Valuer, &valuer)?;
		ensure!(Assets::<T>::contains_key(asset), Error::<T>::UnknownAsset);
		let now = Self::now();
		Valuations::<T>::try_mutate(asset, |valuations| {
			// Entries of valuers who lost their role no longer count: make room from them.
			valuations.retain(|(who, _)| who != &valuer && Self::is_accredited(Role::Valuer, who));
			valuations
				.try_push((valuer.clone(), Valuation { value_usd_cents, submitted_at: now }))
				.map_err(|_| Error::<T>::TooManyAccredited)
		})?;
		Self::deposit_event(Event::ValuationSubmitted { asset, valuer, value_usd_cents });
		Ok(())
	}

	/// The accepted valuation of an asset: the median of an odd number of fresh valuations of
	/// accredited valuers, once at least `ValuationQuorum` (never fewer than 3) of them exist.
	///
	/// A valuation is fresh while `now - submitted_at < ValuationMaxAge`. With an even number of
	/// fresh valuations the oldest one is left out, so the accepted value is always one a valuer
	/// submitted and no single valuer moves it by more than the next valuation's distance.
	pub fn accepted_valuation(asset: TokenizedAssetId) -> Option<BalanceOf<T>> {
		let now = Self::now();
		let max_age = T::ValuationMaxAge::get();
		let mut fresh: Vec<(BlockNumberFor<T>, BalanceOf<T>)> = Valuations::<T>::get(asset)
			.into_iter()
			.filter(|(valuer, v)| {
				now.saturating_sub(v.submitted_at) < max_age
					&& Self::is_accredited(Role::Valuer, valuer)
			})
			.map(|(_, v)| (v.submitted_at, v.value_usd_cents))
			.collect();
		let quorum = T::ValuationQuorum::get().max(3) as usize;
		if fresh.len() < quorum {
			return None;
		}
		// Oldest first; with an even count the oldest is left out.
		fresh.sort_by_key(|(at, _)| *at);
		let skip = usize::from(fresh.len().is_multiple_of(2));
		let mut values: Vec<BalanceOf<T>> = fresh.into_iter().skip(skip).map(|(_, v)| v).collect();
		median(&mut values)
	}

	pub(crate) fn ensure_valuation_fresh(asset: TokenizedAssetId) -> DispatchResult {
		ensure!(Self::accepted_valuation(asset).is_some(), Error::<T>::ValuationStale);
		Ok(())
	}

	pub(crate) fn do_issue_claim(
		issuer: T::AccountId,
		who: T::AccountId,
		topic: ClaimTopic,
		expires_at: BlockNumberFor<T>,
		jurisdiction: Option<Jurisdiction>,
	) -> DispatchResult {
		Self::ensure_accredited(Role::ClaimIssuer, &issuer)?;
		ensure!(expires_at > Self::now(), Error::<T>::ExpiryInPast);
		match (topic, jurisdiction) {
			(ClaimTopic::Residence, Some(j)) => {
				ensure!(j.is_well_formed(), Error::<T>::MalformedJurisdiction)
			},
			(ClaimTopic::Residence, None) | (_, Some(_)) => {
				return Err(Error::<T>::ClaimJurisdictionMismatch.into())
			},
			_ => {},
		}
		let reason = HoldReason::Claim.into();
		if let Some((old, deposit)) = Claims::<T>::take(&who, topic) {
			// Another issuer's claim that still holds is that issuer's to withdraw: a second
			// issuer must not overwrite (say, widen the residence of) what the first attested.
			let still_valid =
				old.expires_at > Self::now() && Self::is_accredited(Role::ClaimIssuer, &old.issuer);
			ensure!(old.issuer == issuer || !still_valid, Error::<T>::ClaimHeldByAnotherIssuer);
			T::NativeBalance::release(&reason, &old.issuer, deposit, Precision::BestEffort)?;
		}
		let deposit = T::ClaimDeposit::get();
		T::NativeBalance::hold(&reason, &issuer, deposit)?;
		Claims::<T>::insert(
			&who,
			topic,
			(Claim { issuer: issuer.clone(), expires_at, jurisdiction }, deposit),
		);
		Self::deposit_event(Event::ClaimIssued { who, topic, issuer, expires_at });
		Ok(())
	}

	pub(crate) fn do_revoke_claim(
		maybe_issuer: Option<T::AccountId>,
		who: T::AccountId,
		topic: ClaimTopic,
	) -> DispatchResult {
		let (claim, deposit) = Claims::<T>::get(&who, topic).ok_or(Error::<T>::UnknownClaim)?;
		if let Some(issuer) = maybe_issuer {
			ensure!(issuer == claim.issuer, Error::<T>::NotClaimIssuer);
		}
		T::NativeBalance::release(
			&HoldReason::Claim.into(),
			&claim.issuer,
			deposit,
			Precision::BestEffort,
		)?;
		Claims::<T>::remove(&who, topic);
		Self::deposit_event(Event::ClaimRevoked { who, topic });
		Ok(())
	}

	/// The claim `who` holds on `topic`, if it is valid now: not expired, and its issuer is still
	/// an accredited claim issuer.
	pub fn valid_claim(who: &T::AccountId, topic: ClaimTopic) -> Option<ClaimOf<T>> {
		Claims::<T>::get(who, topic).map(|(claim, _)| claim).filter(|claim| {
			claim.expires_at > Self::now() && Self::is_accredited(Role::ClaimIssuer, &claim.issuer)
		})
	}

	pub(crate) fn do_fractionalize(
		who: T::AccountId,
		asset: TokenizedAssetId,
		fractions: BalanceOf<T>,
	) -> DispatchResult {
		let mut details = Self::issuer_asset(&who, asset)?;
		ensure!(details.fractions.is_none(), Error::<T>::AlreadyFractionalized);
		ensure!(!fractions.is_zero(), Error::<T>::ZeroFractions);
		ensure!(Self::ownership_verified(&details), Error::<T>::OwnershipNotVerified);
		Self::ensure_valuation_fresh(asset)?;
		ensure!(T::Fractions::total_issuance(asset).is_zero(), Error::<T>::AlreadyFractionalized);

		if !T::Fractions::asset_exists(asset) {
			// Sufficient: holding fractions takes no consumer reference of the holder (which
			// `MaxConsumers` would cap) and needs no native balance.
			T::Fractions::create(asset, Self::account_id(), true, 1u32.into())?;
		}
		Self::settle_revenue(asset, &who)?;
		Self::with_fractions_unlocked(|| {
			T::Fractions::mint_into(asset, &who, fractions)
				.map_err(|_| Error::<T>::TooManyFractions.into())
		})?;
		// The issuer's own fractions are never locked up.
		Self::note_received(asset, &who, fractions, Zero::zero())?;

		let collection = TwinCollection::<T>::get().ok_or(Error::<T>::TwinCollectionUnavailable)?;
		T::Nfts::disable_transfer(&collection, &asset)?;
		Self::set_twin_attribute(
			&collection,
			asset,
			twin_attribute::FRACTIONS,
			&fractions.encode(),
		)?;
		details.fractions = Some(Fractions { total: fractions, since: Self::now() });
		Assets::<T>::insert(asset, details);
		Self::deposit_event(Event::Fractionalized { asset, fractions, owner: who });
		Ok(())
	}

	/// Returns how many open orders it closed.
	pub(crate) fn do_unify(
		who: T::AccountId,
		asset: TokenizedAssetId,
	) -> Result<u32, DispatchError> {
		let mut details = Assets::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		let fractions = details.fractions.clone().ok_or(Error::<T>::NotFractionalized)?;
		ensure!(T::Fractions::balance(asset, &who) == fractions.total, Error::<T>::NotAllFractions);

		// Old bids priced per old fraction must not be filled with new, smaller fractions.
		let closed = Self::close_all_orders(asset)?;
		Self::settle_revenue(asset, &who)?;
		Self::with_fractions_unlocked(|| {
			T::Fractions::burn_from(
				asset,
				&who,
				fractions.total,
				Preservation::Expendable,
				Precision::Exact,
				Fortitude::Polite,
			)
		})?;
		Self::note_sent(asset, &who)?;

		let collection = TwinCollection::<T>::get().ok_or(Error::<T>::TwinCollectionUnavailable)?;
		T::Nfts::enable_transfer(&collection, &asset)?;
		T::Nfts::clear_attribute(&collection, &asset, twin_attribute::FRACTIONS)?;
		details.fractions = None;
		details.issuer = who.clone();
		// Attested and valued for the old issuer and the old fractions: both start over.
		details.attestation = None;
		Valuations::<T>::remove(asset);
		Assets::<T>::insert(asset, details);
		Self::deposit_event(Event::Unified { asset, owner: who, orders_closed: closed });
		Ok(closed)
	}

	/// Moves fractions after checking the compliance rules and settling both accounts' revenue.
	/// The single path by which fractions change hands.
	pub(crate) fn do_transfer_fractions(
		asset: TokenizedAssetId,
		from: T::AccountId,
		to: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::check_transfer(asset, &from, &to, amount).map_err(Error::<T>::from)?;
		Self::settle_revenue(asset, &from)?;
		Self::settle_revenue(asset, &to)?;
		Self::with_fractions_unlocked(|| {
			T::Fractions::transfer(asset, &from, &to, amount, Preservation::Expendable)
		})?;
		Self::note_sent(asset, &from)?;
		let lockup = Self::lockup_for(asset, &to);
		Self::note_received(asset, &to, amount, lockup)?;
		Self::deposit_event(Event::FractionsTransferred { asset, from, to, amount });
		Ok(())
	}

	/// Runs `f`, which moves fractions, with the fractions instance unfrozen for it alone.
	pub(crate) fn with_fractions_unlocked<R>(
		f: impl FnOnce() -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		FractionsUnlocked::<T>::put(true);
		let result = f();
		FractionsUnlocked::<T>::kill();
		result
	}

	/// The lock-up a receipt by `who` gets now: the asset's rules' lock-up, none for the
	/// issuer (its fractions are never locked).
	pub(crate) fn lockup_for(asset: TokenizedAssetId, who: &T::AccountId) -> BlockNumberFor<T> {
		let is_issuer = Assets::<T>::get(asset).is_some_and(|details| &details.issuer == who);
		if is_issuer {
			return Zero::zero();
		}
		Self::current_lockup(asset)
	}

	/// The lock-up the asset's rules set now (none without rules).
	pub(crate) fn current_lockup(asset: TokenizedAssetId) -> BlockNumberFor<T> {
		Rules::<T>::get(asset).map(|rules| rules.lockup).unwrap_or_default()
	}

	/// Records that `who` received `amount` fractions locked for `lockup` blocks: it becomes
	/// (or stays) a holder, and the receipt is a lot of its own.
	///
	/// Lots already unlocked are dropped first. At `MaxLockedLots` still locked lots the new
	/// receipt joins the lot that unlocks last (which then unlocks when the new one does):
	/// only that lot can be held longer by unsolicited receipts, never the older ones.
	pub(crate) fn note_received(
		asset: TokenizedAssetId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		lockup: BlockNumberFor<T>,
	) -> DispatchResult {
		let now = Self::now();
		let existing = Holdings::<T>::get(asset, who);
		if existing.is_none() {
			HolderCount::<T>::try_mutate(asset, |count| {
				*count = count.checked_add(1).ok_or(Error::<T>::Overflow)?;
				Ok::<_, DispatchError>(())
			})?;
		}
		let current_lockup = Self::current_lockup(asset);
		let mut lots = existing.unwrap_or_default();
		lots.retain(|lot| lot_unlocks_at(lot, current_lockup) > now);
		if !lockup.is_zero() {
			let lot = Lot { amount, received_at: now, unlocks_at: now.saturating_add(lockup) };
			if let Err(lot) = lots.try_push(lot) {
				let latest = lots.iter_mut().max_by_key(|l| lot_unlocks_at(l, current_lockup));
				if let Some(latest) = latest {
					latest.amount =
						latest.amount.checked_add(&lot.amount).ok_or(Error::<T>::Overflow)?;
					latest.received_at = lot.received_at;
					latest.unlocks_at = latest.unlocks_at.max(lot.unlocks_at);
				}
			}
		}
		Holdings::<T>::insert(asset, who, lots);
		Ok(())
	}

	/// Records that `who` sent fractions: if none are left it stops being a holder; otherwise
	/// its lots are settled, as a listing settles them: fractions free when they moved were
	/// free, so the lots a shorter lock-up freed stay free when it is lengthened again (a lot
	/// still counts what was sent from it, and relocking it would lock more than `who` holds).
	pub(crate) fn note_sent(asset: TokenizedAssetId, who: &T::AccountId) -> DispatchResult {
		if T::Fractions::balance(asset, who).is_zero() {
			if Holdings::<T>::take(asset, who).is_some() {
				HolderCount::<T>::mutate(asset, |count| *count = count.saturating_sub(1));
			}
		} else {
			Self::settle_lots(asset, who);
		}
		Ok(())
	}

	/// Writes into `who`'s lots the unlock block the rules' current lock-up gives them, so that
	/// a lot a shorter lock-up has freed stays free when the lock-up is lengthened again
	/// (fractions listed while free must never be locked afterwards). At most
	/// `MaxLockedLots` lots.
	pub(crate) fn settle_lots(asset: TokenizedAssetId, who: &T::AccountId) {
		let current_lockup = Self::current_lockup(asset);
		Holdings::<T>::mutate(asset, who, |lots| {
			for lot in lots.iter_mut().flat_map(|lots| lots.iter_mut()) {
				lot.unlocks_at = lot_unlocks_at(lot, current_lockup);
			}
		});
	}

	/// Fractions of `who` still inside their lot's lock-up now (the rules' current lock-up can
	/// only shorten a lot's, never lengthen it).
	pub fn locked_fractions(asset: TokenizedAssetId, who: &T::AccountId) -> BalanceOf<T> {
		let now = Self::now();
		let current_lockup = Self::current_lockup(asset);
		Holdings::<T>::get(asset, who)
			.unwrap_or_default()
			.iter()
			.filter(|lot| lot_unlocks_at(lot, current_lockup) > now)
			.fold(Zero::zero(), |sum: BalanceOf<T>, lot| sum.saturating_add(lot.amount))
	}

	/// Fractions `who` may move now: its balance minus what it has listed for sale and what is
	/// still locked up.
	pub fn transferable_fractions(asset: TokenizedAssetId, who: &T::AccountId) -> BalanceOf<T> {
		T::Fractions::balance(asset, who)
			.saturating_sub(ListedFractions::<T>::get(asset, who))
			.saturating_sub(Self::locked_fractions(asset, who))
	}

	/// Whether `currency` is BTT or listed by governance.
	pub fn is_payment_currency(currency: &CurrencyOf<T>) -> bool {
		*currency == T::NativeCurrency::get() || PaymentCurrencies::<T>::get().contains(currency)
	}

	/// Whether `asset` takes revenue in `currency` now: BTT always; another currency if
	/// governance lists it and the asset accepts it.
	pub fn accepts_currency(asset: TokenizedAssetId, currency: &CurrencyOf<T>) -> bool {
		*currency == T::NativeCurrency::get()
			|| (PaymentCurrencies::<T>::get().contains(currency)
				&& AcceptedCurrencies::<T>::get(asset).contains(currency))
	}

	/// Refuses a currency list that repeats a currency, names BTT or an unknown currency, or
	/// (with `listed`) names one outside `listed`.
	fn ensure_valid_currencies(
		currencies: &[CurrencyOf<T>],
		listed: Option<&[CurrencyOf<T>]>,
	) -> DispatchResult {
		for (i, currency) in currencies.iter().enumerate() {
			ensure!(*currency != T::NativeCurrency::get(), Error::<T>::InvalidCurrencies);
			ensure!(T::Currencies::asset_exists(currency.clone()), Error::<T>::InvalidCurrencies);
			let repeated = currencies.iter().skip(i.saturating_add(1)).any(|c| c == currency);
			ensure!(!repeated, Error::<T>::InvalidCurrencies);
			if let Some(listed) = listed {
				ensure!(listed.contains(currency), Error::<T>::InvalidCurrencies);
			}
		}
		Ok(())
	}

	pub(crate) fn do_set_payment_currencies(
		currencies: BoundedVec<CurrencyOf<T>, T::MaxPaymentCurrencies>,
	) -> DispatchResult {
		Self::ensure_valid_currencies(&currencies, None)?;
		PaymentCurrencies::<T>::put(currencies.clone());
		Self::deposit_event(Event::PaymentCurrenciesSet { currencies });
		Ok(())
	}

	pub(crate) fn do_set_accepted_currencies(
		maybe_issuer: Option<T::AccountId>,
		asset: TokenizedAssetId,
		currencies: BoundedVec<CurrencyOf<T>, T::MaxRevenueCurrencies>,
	) -> DispatchResult {
		match maybe_issuer {
			Some(issuer) => {
				Self::issuer_asset(&issuer, asset)?;
			},
			None => ensure!(Assets::<T>::contains_key(asset), Error::<T>::UnknownAsset),
		}
		let listed = PaymentCurrencies::<T>::get();
		Self::ensure_valid_currencies(&currencies, Some(&listed))?;
		AcceptedCurrencies::<T>::insert(asset, currencies.clone());
		Self::deposit_event(Event::AcceptedCurrenciesSet { asset, currencies });
		Ok(())
	}
}

/// When `lot` may move under rules whose lock-up is now `current_lockup`: its own unlock
/// block, or earlier if the rules have since shortened the lock-up.
pub fn lot_unlocks_at<B, N>(lot: &Lot<B, N>, current_lockup: N) -> N
where
	N: Copy + Ord + Saturating,
{
	lot.unlocks_at.min(lot.received_at.saturating_add(current_lockup))
}

/// The median of `values` (sorted in place); the mean of the middle two, rounded down, for an
/// even count. `None` when empty.
pub fn median<B>(values: &mut [B]) -> Option<B>
where
	B: Ord + Copy + sp_runtime::traits::AtLeast32BitUnsigned,
{
	values.sort_unstable();
	let mid = values.len() / 2;
	let upper = *values.get(mid)?;
	if values.len() % 2 == 1 {
		return Some(upper);
	}
	let lower = *values.get(mid.checked_sub(1)?)?;
	// lower + (upper - lower) / 2 cannot overflow.
	Some(lower.saturating_add(upper.saturating_sub(lower) / 2u32.into()))
}
