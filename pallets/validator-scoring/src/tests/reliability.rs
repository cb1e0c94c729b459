//! `H` from Aura's slots: tallies per block, records per session, offences and chilling.

use crate::{mock::*, Event, History, Offending, SessionRecord, SlotTally, Tally};
use sp_runtime::Perbill;

/// Three collators: slot `s` is `[1, 2, 3][s mod 3]`'s.
const SET: [AccountId; 3] = [1, 2, 3];

fn record(session: u32, authored: u32, expected: u32) -> SessionRecord {
	SessionRecord { session, authored, expected }
}

#[test]
fn a_block_in_every_slot_is_full_reliability_for_everyone() {
	build_and_execute(&SET, || {
		blocks_in(3..=14);
		assert_eq!(Tally::<Test>::get().to_vec(), vec![SlotTally { authored: 4, expected: 4 }; 3]);
		rotate(&SET);
		for who in SET {
			assert_eq!(History::<Test>::get(who).to_vec(), vec![record(0, 4, 4)]);
			assert_eq!(Scoring::reliability_of(&who, 1), Perbill::one());
		}
		assert!(world(|w| w.offences.is_empty()));
		assert!(events().contains(&Event::SessionScored { session: 0, collators: 3 }));
	});
}

#[test]
fn a_collator_that_misses_its_slots_loses_h_and_is_reported_for_a_slash() {
	build_and_execute(&SET, || {
		// Collator 2's slots are 4, 7, 10 and 13: none has a block.
		blocks_in([3, 5, 6, 8, 9, 11, 12, 14]);
		rotate(&SET);
		assert_eq!(History::<Test>::get(2).to_vec(), vec![record(0, 0, 4)]);
		assert_eq!(History::<Test>::get(1).to_vec(), vec![record(0, 4, 4)]);
		assert_eq!(Scoring::reliability_of(&2, 1), Perbill::zero());
		assert_eq!(world(|w| w.offences.clone()), vec![(2, SLASH, 0)]);
		assert!(events().contains(&Event::Unresponsive {
			collator: 2,
			session: 0,
			authored: 0,
			expected: 4,
			slash: SLASH,
		}));
		assert_eq!(Offending::<Test>::get(2), 1);
		assert_eq!(Offending::<Test>::get(1), 0);
	});
}

#[test]
fn a_collator_at_the_threshold_is_not_reported() {
	build_and_execute(&SET, || {
		// Collator 2 authors 4 and 10 and misses 7 and 13: half its slots, the threshold.
		blocks_in([3, 4, 5, 6, 8, 9, 10, 11, 12, 14]);
		rotate(&SET);
		assert_eq!(History::<Test>::get(2).to_vec(), vec![record(0, 2, 4)]);
		assert!(world(|w| w.offences.is_empty()));
	});
}

#[test]
fn a_gap_of_a_whole_rotation_is_an_outage_that_counts_for_nobody() {
	build_and_execute(&SET, || {
		// Nothing between slots 3 and 10: every collator missed, so the relay chain (not
		// a collator) stalled.
		blocks_in([3, 10]);
		rotate(&SET);
		assert_eq!(History::<Test>::get(1).to_vec(), vec![record(0, 1, 1)]);
		assert_eq!(History::<Test>::get(2).to_vec(), vec![record(0, 1, 1)]);
		assert_eq!(History::<Test>::get(3).to_vec(), vec![record(0, 0, 0)]);
	});
}

#[test]
fn more_blocks_in_one_slot_count_once() {
	build_and_execute(&SET, || {
		blocks_in([3, 3, 3, 4]);
		assert_eq!(
			Tally::<Test>::get().to_vec(),
			vec![
				SlotTally { authored: 1, expected: 1 },
				SlotTally { authored: 1, expected: 1 },
				SlotTally::default()
			]
		);
	});
}

#[test]
fn a_block_without_a_slot_changes_nothing() {
	build_and_execute(&SET, || {
		blocks_in([3]);
		block_in(None);
		assert_eq!(Tally::<Test>::get()[0], SlotTally { authored: 1, expected: 1 });
		assert_eq!(crate::LastSlot::<Test>::get(), Some(3));
	});
}

#[test]
fn a_session_with_few_slots_is_not_judged() {
	build_and_execute(&SET, || {
		// Collator 2 misses slots 4, 7 and 10: 3 slots, fewer than the 4 a judgement needs.
		blocks_in([3, 5, 6, 8, 9, 11]);
		rotate(&SET);
		assert_eq!(History::<Test>::get(2).to_vec(), vec![record(0, 0, 3)]);
		assert!(world(|w| w.offences.is_empty()));
	});
}

#[test]
fn h_looks_back_over_the_window_and_a_new_collator_starts_at_the_prior() {
	build_and_execute(&SET, || {
		assert_eq!(Scoring::reliability_of(&2, 0), PRIOR);
		// Session 0: collator 2 misses everything; sessions 1–3: it authors everything.
		blocks_in([3, 5, 6, 8, 9, 11, 12, 14]);
		rotate(&SET);
		blocks_in(15..=26);
		rotate(&SET);
		// Sessions 0 and 1: 4 of 8 slots.
		assert_eq!(Scoring::reliability_of(&2, 2), Perbill::from_percent(50));
		blocks_in(27..=50);
		rotate(&SET);
		// Session 2 had 24 slots, 8 of them collator 2's: (0 + 4 + 8) / (4 + 4 + 8).
		assert_eq!(Scoring::reliability_of(&2, 3), Perbill::from_percent(75));
		blocks_in(51..=62);
		rotate(&SET);
		// The window keeps sessions 1–3; session 0 fell out.
		let history = History::<Test>::get(2);
		assert_eq!(history.len(), WINDOW as usize);
		assert_eq!(history[0].session, 1);
		assert_eq!(Scoring::reliability_of(&2, 4), Perbill::one());
	});
}

#[test]
fn a_collator_unresponsive_two_sessions_in_a_row_is_chilled() {
	build_and_execute(&SET, || {
		blocks_in([3, 5, 6, 8, 9, 11, 12, 14]);
		rotate(&SET);
		assert!(world(|w| w.chilled.is_empty()));
		blocks_in([15, 17, 18, 20, 21, 23, 24, 26]);
		rotate(&SET);
		assert_eq!(world(|w| w.chilled.clone()), vec![2]);
		assert!(events().contains(&Event::Chilled { collator: 2, sessions: CHILL_AFTER }));
		assert_eq!(Offending::<Test>::get(2), 0);
		assert_eq!(world(|w| w.offences.len()), 2);
	});
}

#[test]
fn a_good_session_between_two_bad_ones_starts_the_count_again() {
	build_and_execute(&SET, || {
		blocks_in([3, 5, 6, 8, 9, 11, 12, 14]);
		rotate(&SET);
		blocks_in(15..=26);
		rotate(&SET);
		assert_eq!(Offending::<Test>::get(2), 0);
		blocks_in([27, 29, 30, 32, 33, 35, 36, 38]);
		rotate(&SET);
		assert!(world(|w| w.chilled.is_empty()));
		assert_eq!(Offending::<Test>::get(2), 1);
	});
}

#[test]
fn a_new_set_is_tallied_by_its_own_indices() {
	build_and_execute(&SET, || {
		blocks_in(3..=5);
		// Two collators now: slot `s` is `[3, 1][s mod 2]`'s.
		rotate(&[3, 1]);
		assert_eq!(Tally::<Test>::get().len(), 2);
		blocks_in([6, 7, 8]);
		assert_eq!(
			Tally::<Test>::get().to_vec(),
			vec![SlotTally { authored: 2, expected: 2 }, SlotTally { authored: 1, expected: 1 }]
		);
		rotate(&[3, 1]);
		assert_eq!(History::<Test>::get(3).to_vec(), vec![record(0, 1, 1), record(1, 2, 2)]);
		assert_eq!(History::<Test>::get(2).to_vec(), vec![record(0, 1, 1)]);
	});
}

#[test]
fn a_stash_that_leaves_staking_is_forgotten() {
	build_and_execute(&SET, || {
		blocks_in([3, 5, 6, 8, 9, 11, 12, 14]);
		rotate(&SET);
		assert_eq!(Offending::<Test>::get(2), 1);
		<Scoring as sp_staking::OnStakingUpdate<AccountId, u128>>::on_unstake(&2);
		assert!(!History::<Test>::contains_key(2));
		assert!(!Offending::<Test>::contains_key(2));
		assert_eq!(Scoring::reliability_of(&2, 1), PRIOR);
	});
}
