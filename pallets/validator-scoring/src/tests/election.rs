//! The election: the top seats by `V`, invulnerables first, supports backed by real bonds.

use crate::{mock::*, ElectionError, Event, Invulnerables, LastElection, Rating, Ratings};
use frame_election_provider_support::ElectionProvider;
use frame_support::BoundedVec;
use sp_core::H256;
use sp_runtime::Perbill;

/// Six candidates with their own bonds, two nominators, three seats. In vote units:
/// approvals 1: 1,000; 2: 800; 3: 600; 4: 400 + 600 = 1,000; 5: 200 + 600 = 800;
/// 6: 100 + 300 = 400 (nominator 11's vote for 99, not a candidate, counts for nobody).
fn six_candidates() {
	with_keys(&[4, 5, 6]);
	set_staking(
		&[1, 2, 3, 4, 5, 6],
		&[
			(1, 1_000, &[1]),
			(2, 800, &[2]),
			(3, 600, &[3]),
			(4, 400, &[4]),
			(5, 200, &[5]),
			(6, 100, &[6]),
			(10, 600, &[4, 5]),
			(11, 300, &[6, 99]),
		],
		3,
	);
	let rating = |value, expires| Rating {
		value: Perbill::from_percent(value),
		evidence: H256::repeat_byte(7),
		expires,
	};
	Ratings::<Test>::insert(3, rating(100, 100));
	Ratings::<Test>::insert(6, rating(100, 100));
	// Collator 2's rating expired at block 5.
	Ratings::<Test>::insert(2, rating(90, 5));
	System::set_block_number(10);
}

/// `V` in parts per billion, computed here from the seeds' weights in whole numbers:
/// `(40·S + 35·H + 25·C) / 100` with `S`, `H`, `C` in parts per billion.
fn expected_score(stake_ppb: u64, reliability_ppb: u64, compliance_ppb: u64) -> Perbill {
	Perbill::from_parts(
		((40 * stake_ppb + 35 * reliability_ppb + 25 * compliance_ppb) / 100) as u32,
	)
}

#[test]
fn the_elected_set_is_the_top_seats_by_v_not_by_stake() {
	build_and_execute(&[1, 2, 3], || {
		six_candidates();
		let supports = Scoring::elect(0).expect("an election");
		let elected: Vec<AccountId> = supports.0.iter().map(|(who, _)| *who).collect();
		// H is the prior (0.5) for all; C is 1 for 3 and 6 and 0 for the rest (2's expired).
		// V: 1: 0.575, 2: 0.495, 3: 0.665, 4: 0.575, 5: 0.495, 6: 0.585.
		let prior = u64::from(PRIOR.deconstruct());
		let scores = LastElection::<Test>::get();
		assert_eq!(scores[0].score, expected_score(600_000_000, prior, 1_000_000_000));
		assert_eq!(scores[1].score, expected_score(400_000_000, prior, 1_000_000_000));
		assert_eq!(scores[2].score, expected_score(1_000_000_000, prior, 0));
		// 1 and 4 tie at 0.575 with equal backing: the lower account wins the seat.
		assert_eq!(elected, vec![3, 6, 1]);
		assert_eq!(scores.iter().map(|s| s.who).collect::<Vec<_>>(), elected);
		assert_eq!(scores[2].backing, 1_000);
		assert!(events().contains(&Event::Elected { collators: 3, candidates: 6 }));
	});
}

#[test]
fn supports_are_the_elected_collators_own_bonds_and_their_elected_nominations() {
	build_and_execute(&[1, 2, 3], || {
		six_candidates();
		let supports = Scoring::elect(0).expect("an election");
		let support_of = |who: AccountId| {
			let (_, support) = supports.0.iter().find(|(w, _)| *w == who).expect("elected");
			let mut voters = support.voters.to_vec();
			voters.sort();
			(support.total, voters)
		};
		assert_eq!(support_of(3), (600, vec![(3, 600)]));
		assert_eq!(support_of(6), (400, vec![(6, 100), (11, 300)]));
		assert_eq!(support_of(1), (1_000, vec![(1, 1_000)]));
		// Nominator 10 named only candidates that were not elected: it is exposed nowhere.
		assert!(supports.0.iter().all(|(_, s)| s.voters.iter().all(|(v, _)| *v != 10)));
	});
}

#[test]
fn a_nominator_is_split_evenly_over_its_elected_collators_and_never_over_exposed() {
	build_and_execute(&[1, 2], || {
		set_staking(&[1, 2], &[(1, 500, &[1]), (2, 500, &[2]), (12, 301, &[2, 1, 2])], 2);
		let supports = Scoring::elect(0).expect("an election");
		let exposed: Vec<u128> = supports
			.0
			.iter()
			.flat_map(|(_, s)| s.voters.iter().filter(|(v, _)| *v == 12).map(|(_, a)| *a))
			.collect();
		// 301 over two collators (its repeated vote for 2 counts once): 151 and 150.
		let mut sorted = exposed.clone();
		sorted.sort();
		assert_eq!(sorted, vec![150, 151]);
		assert_eq!(exposed.iter().sum::<u128>(), 301);
		for (_, support) in supports.0.iter() {
			assert_eq!(support.total, support.voters.iter().map(|(_, a)| a).sum::<u128>());
		}
	});
}

#[test]
fn invulnerables_are_elected_first_whatever_their_score() {
	build_and_execute(&[1, 2, 3], || {
		six_candidates();
		Invulnerables::<Test>::put(BoundedVec::truncate_from(vec![5]));
		let supports = Scoring::elect(0).expect("an election");
		let elected: Vec<AccountId> = supports.0.iter().map(|(who, _)| *who).collect();
		assert_eq!(elected, vec![5, 3, 6]);
		assert!(LastElection::<Test>::get()[0].invulnerable);
		assert!(!LastElection::<Test>::get()[1].invulnerable);
	});
}

#[test]
fn a_candidate_without_session_keys_is_not_elected() {
	build_and_execute(&[1, 2, 3], || {
		six_candidates();
		world(|w| w.keys.retain(|who| *who != 6));
		let supports = Scoring::elect(0).expect("an election");
		let elected: Vec<AccountId> = supports.0.iter().map(|(who, _)| *who).collect();
		// 6 (0.585) had the second seat.
		assert_eq!(elected, vec![3, 1, 4]);
	});
}

#[test]
fn an_unreliable_collator_loses_its_seat() {
	build_and_execute(&[1, 2, 3], || {
		six_candidates();
		// Collator 1 authors none of its slots (6, 9, 12): H = 0, V = 0.4.
		blocks_in([4, 5, 7, 8, 10, 11, 13, 14]);
		rotate(&[1, 2, 3]);
		let supports = Scoring::elect(0).expect("an election");
		let elected: Vec<AccountId> = supports.0.iter().map(|(who, _)| *who).collect();
		// 3 and 2 authored everything (H = 1): 3: 0.24 + 0.35 + 0.25 = 0.84, 2: 0.32 + 0.35 =
		// 0.67; 6 and 4 have the prior: 0.585 and 0.575; 1: 0.4.
		assert_eq!(elected, vec![3, 2, 6]);
	});
}

#[test]
fn an_election_of_another_page_or_without_candidates_fails() {
	build_and_execute(&[1, 2], || {
		six_candidates();
		assert_eq!(Scoring::elect(1).map(|_| ()), Err(ElectionError::NoSuchPage));
		world(|w| w.keys.clear());
		assert_eq!(Scoring::elect(0).map(|_| ()), Err(ElectionError::NoCandidates));
		world(|w| w.staking.fails = Some("snapshot too big"));
		assert_eq!(
			Scoring::elect(0).map(|_| ()),
			Err(ElectionError::DataProvider("snapshot too big"))
		);
		assert!(LastElection::<Test>::get().is_empty());
		assert_eq!(<Scoring as ElectionProvider>::status(), Err(()));
	});
}

#[test]
fn a_collator_with_more_backers_than_the_bound_keeps_the_largest() {
	build_and_execute(&[1], || {
		set_staking(
			&[1],
			&[(1, 100, &[1]), (20, 5, &[1]), (21, 50, &[1]), (22, 40, &[1]), (23, 1, &[1])],
			1,
		);
		let supports = Scoring::elect(0).expect("an election");
		let mut voters = supports.0[0].1.voters.to_vec();
		voters.sort();
		assert_eq!(voters.len() as u32, MAX_BACKERS);
		assert_eq!(voters, vec![(1, 100), (20, 5), (21, 50), (22, 40)]);
		assert_eq!(supports.0[0].1.total, 195);
	});
}

#[test]
fn a_collator_s_own_bond_is_kept_whatever_the_nominations() {
	build_and_execute(&[1], || {
		set_staking(
			&[1],
			&[(1, 2, &[1]), (20, 5, &[1]), (21, 50, &[1]), (22, 40, &[1]), (23, 30, &[1])],
			1,
		);
		let supports = Scoring::elect(0).expect("an election");
		let voters = supports.0[0].1.voters.to_vec();
		assert_eq!(voters, vec![(1, 2), (21, 50), (22, 40), (23, 30)]);
		assert_eq!(supports.0[0].1.total, 122);
	});
}
