//! `H`: the Aura slots each collator authored and missed, tallied per block and scored per
//! session, and the offences of unresponsive sessions.
//!
//! Aura assigns slot `s` to the authority at index `s mod n` of the session's `n`
//! validators. The pallet runs before pallet-session in each block (its index is lower), so a
//! block that rotates the session is still tallied to the set that authored it; the session
//! manager's `end_session` ([`ObserveSessions`]) then scores the tallies, and `start_session`
//! opens the next set's.

use crate::{
	score, ChillCollator, Config, Event, History, LastSlot, Offending, Pallet, SessionRecord,
	SlotTally, Tally, WeightInfo,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{
	traits::{Get, ValidatorSet, ValidatorSetWithIdentification},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Convert, Saturating},
	Perbill,
};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

impl<T: Config> Pallet<T> {
	/// Tallies the block's slot: authored by its authority, and every slot skipped since the
	/// previous block missed by its own. A gap of `n` slots or more means nobody produced a
	/// block for a whole rotation, a chain-wide outage (the relay chain, not a collator): its
	/// slots count for nobody. Further blocks in the same slot (elastic scaling) add nothing.
	pub(crate) fn note_slot(slot: u64) -> Weight {
		let mut tally = Tally::<T>::get();
		let previous = LastSlot::<T>::get();
		if previous.is_some_and(|last| slot <= last) {
			return T::DbWeight::get().reads(2);
		}
		LastSlot::<T>::put(slot);
		let count = tally.len() as u64;
		if count == 0 {
			return T::DbWeight::get().reads_writes(2, 1);
		}
		let mut missed = 0u32;
		if let Some(last) = previous {
			let gap = slot - last - 1;
			if gap < count {
				for skipped in last + 1..slot {
					if let Some(entry) = tally.get_mut((skipped % count) as usize) {
						entry.expected.saturating_inc();
						missed.saturating_inc();
					}
				}
			}
		}
		if let Some(entry) = tally.get_mut((slot % count) as usize) {
			entry.expected.saturating_inc();
			entry.authored.saturating_inc();
		}
		Tally::<T>::put(tally);
		T::WeightInfo::note_slot(missed)
	}

	/// Opens the session's tallies, one per validator of the new set.
	pub(crate) fn open_session() {
		let count = T::ValidatorSet::validators().len().min(T::MaxAuthorities::get() as usize);
		let tally: Vec<SlotTally> = (0..count).map(|_| SlotTally::default()).collect();
		Tally::<T>::put(BoundedVec::truncate_from(tally));
	}

	/// Scores the ended session: each validator's tally joins its record, and those that
	/// authored less than [`Config::OffenceThreshold`] of at least [`Config::MinExpectedSlots`]
	/// slots are reported to staking; those that did so [`Config::ChillAfterOffences`]
	/// sessions in a row are chilled.
	pub(crate) fn close_session(session: u32) {
		let tally = Tally::<T>::take();
		let validators = T::ValidatorSet::validators();
		let threshold = T::OffenceThreshold::get();
		let slash = T::UnresponsiveSlash::get();
		let mut offenders = Vec::new();
		for (index, who) in validators.iter().enumerate() {
			let SlotTally { authored, expected } = tally.get(index).copied().unwrap_or_default();
			History::<T>::mutate(who, |history| {
				if history.is_full() && !history.is_empty() {
					history.remove(0);
				}
				if history.try_push(SessionRecord { session, authored, expected }).is_err() {
					frame_support::defensive!("a record fits once the oldest is out");
				}
			});
			if !Self::is_offence(authored, expected, threshold) {
				Offending::<T>::remove(who);
				continue;
			}
			Self::deposit_event(Event::Unresponsive {
				collator: who.clone(),
				session,
				authored,
				expected,
				slash,
			});
			let sessions = Offending::<T>::mutate(who, |count| {
				count.saturating_inc();
				*count
			});
			if sessions >= T::ChillAfterOffences::get() && T::Chill::chill(who).is_ok() {
				Offending::<T>::remove(who);
				Self::deposit_event(Event::Chilled { collator: who.clone(), sessions });
			}
			if let Some(identification) =
				<T::ValidatorSet as ValidatorSetWithIdentification<_>>::IdentificationOf::convert(
					who.clone(),
				) {
				offenders.push(OffenceDetails {
					offender: (who.clone(), identification),
					reporters: Vec::new(),
				});
			}
		}
		if !offenders.is_empty() {
			let fractions: Vec<Perbill> = offenders.iter().map(|_| slash).collect();
			T::Offences::on_offence(&offenders, &fractions, session);
		}
		Self::deposit_event(Event::SessionScored { session, collators: validators.len() as u32 });
	}

	/// Whether a session of `authored` out of `expected` slots is an offence.
	pub fn is_offence(authored: u32, expected: u32, threshold: Perbill) -> bool {
		expected >= T::MinExpectedSlots::get()
			&& score::reliability(authored, expected, Perbill::one()) < threshold
	}

	/// A collator's ended sessions in the window, oldest first, and its `H` now (the runtime
	/// API's `reliability`).
	pub fn reliability_report(who: &T::AccountId) -> (Vec<SessionRecord>, Perbill) {
		let session = T::ValidatorSet::session_index();
		(History::<T>::get(who).into_inner(), Self::reliability_of(who, session))
	}

	/// `H` of `who`: authored over assigned slots in its sessions of the last
	/// [`Config::ReliabilityWindow`] (before `session`, the one in progress).
	pub fn reliability_of(who: &T::AccountId, session: u32) -> Perbill {
		let since = session.saturating_sub(T::ReliabilityWindow::get());
		let (authored, expected) = History::<T>::get(who)
			.iter()
			.filter(|record| record.session >= since)
			.fold((0u32, 0u32), |(a, e), record| {
				(a.saturating_add(record.authored), e.saturating_add(record.expected))
			});
		score::reliability(authored, expected, T::NewCandidateReliability::get())
	}
}

/// Blocks per session: [`crate::SessionLength`] if genesis set it, else
/// [`Config::DefaultSessionLength`]. The runtime's `pallet_session::PeriodicSessions` period.
pub struct SessionBlocks<T>(PhantomData<T>);

impl<T: Config> Get<BlockNumberFor<T>> for SessionBlocks<T> {
	fn get() -> BlockNumberFor<T> {
		crate::SessionLength::<T>::get().unwrap_or_else(T::DefaultSessionLength::get)
	}
}

/// The runtime's session manager with this pallet watching: the inner manager's validator
/// sets pass through unchanged; `end_session` first scores the ended session's slots (and
/// reports its offences while its era is active), `start_session` then opens the new set's
/// tallies.
pub struct ObserveSessions<T, Inner>(PhantomData<(T, Inner)>);

impl<T, Inner> pallet_session::SessionManager<T::AccountId> for ObserveSessions<T, Inner>
where
	T: Config,
	Inner: pallet_session::SessionManager<T::AccountId>,
{
	fn new_session(index: u32) -> Option<Vec<T::AccountId>> {
		Inner::new_session(index)
	}

	fn new_session_genesis(index: u32) -> Option<Vec<T::AccountId>> {
		Inner::new_session_genesis(index)
	}

	fn end_session(index: u32) {
		Pallet::<T>::close_session(index);
		Inner::end_session(index)
	}

	fn start_session(index: u32) {
		Inner::start_session(index);
		Pallet::<T>::open_session()
	}
}
