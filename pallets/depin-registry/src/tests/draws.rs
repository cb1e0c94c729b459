//! Spot-check draws from randomness nobody knew when the reveal phase closed, deadlines that a
//! full queue never turns into slashes, and hooks that stay within their weight.

use super::helpers::*;
use crate::{
	mock::*, Deadlines, DrawQueue, DrawQueueBounds, Error, EscrowedFees, Event, FailureReason,
	Nodes, Review, TaskResult, Tasks,
};
use frame_support::{assert_noop, assert_ok, traits::Get, BoundedVec};
use sp_runtime::Perbill;

fn spot_check_started(task: u64) -> bool {
	depin_events()
		.iter()
		.any(|event| matches!(event, Event::SpotCheckStarted { task: t, .. } if *t == task))
}

#[test]
fn the_spot_check_is_not_drawn_in_the_block_that_concludes_the_task() {
	build_and_execute(|| {
		SpotCheckRate::set(Perbill::one());
		let (task, _) = task_with_nodes(6);
		work_honestly(task);
		// The last reveal concluded the task; the draw waits for newer randomness.
		assert_eq!(outcome_review(task), Review::AwaitingDraw);
		assert!(!spot_check_started(task));
		let (head, _) = DrawQueueBounds::<Test>::get();
		let draw = DrawQueue::<Test>::get(head).unwrap();
		assert_eq!((draw.task, draw.source_from), (task, 1 + RANDOMNESS_DELAY));
		run_to_block(1 + u64::from(RANDOMNESS_DELAY));
		assert_eq!(
			outcome_review(task),
			Review::AwaitingDraw,
			"the hook saw no new enough randomness yet"
		);
		run_past_draw();
		assert!(spot_check_started(task));
	});
}

fn outcome_review(task: u64) -> Review {
	match outcome(task) {
		TaskResult::Verified { review, .. } => review,
		TaskResult::Failed { .. } => panic!("verified"),
	}
}

#[test]
fn the_last_revealer_cannot_choose_the_spot_check_draw() {
	// Whichever block the last reveal lands in, the draw is decided by randomness produced
	// RANDOMNESS_DELAY blocks later; across salts, the outcome is exactly that randomness's.
	for salt in 0..12 {
		build_and_execute(|| {
			RandomnessSalt::set(salt);
			SpotCheckRate::set(Perbill::from_percent(50));
			let (task, nodes) = task_with_nodes(6);
			for node in &nodes {
				assert_ok!(commit(task, *node, &truth()));
			}
			// The last revealer waits a few blocks, hoping for a favourable block.
			for node in &nodes[..2] {
				assert_ok!(reveal(task, *node, &truth()));
			}
			run_to_block(1 + salt % 5);
			let concluded_at = System::block_number();
			assert_ok!(reveal(task, nodes[2], &truth()));
			assert!(!spot_check_started(task));
			let deciding = randomness_of(concluded_at + u64::from(RANDOMNESS_DELAY));
			let expected = DepinRegistry::spot_check_drawn(task, deciding);
			run_past_draw();
			assert_eq!(spot_check_started(task), expected, "salt {salt}");
			assert_eq!(emitted(Event::SpotCheckNotDrawn { task }), !expected);
		});
	}
}

#[test]
fn without_fresh_randomness_the_draw_waits_and_never_falls_back() {
	build_and_execute(|| {
		SpotCheckRate::set(Perbill::one());
		let (task, nodes) = task_with_nodes(6);
		work_honestly(task);
		// The relay chain's VRF output stops coming (proofs without it).
		RelayRandomness::set(false);
		run_to_block(15);
		assert_eq!(outcome_review(task), Review::AwaitingDraw);
		assert!(!spot_check_started(task));
		assert!(!emitted(Event::SpotCheckNotDrawn { task }));
		// The quorum stays held for the pending review.
		assert_eq!(Nodes::<Test>::get(nodes[0]).unwrap().pending_reviews, 1);
		assert_noop!(
			DepinRegistry::withdraw_stake(RuntimeOrigin::signed(operator_of(nodes[0])), nodes[0]),
			Error::<Test>::NotUnbonding
		);
		RelayRandomness::set(true);
		run_to_block(17);
		assert!(spot_check_started(task));
	});
}

#[test]
fn spot_checks_are_drawn_at_the_configured_rate() {
	build_and_execute(|| {
		SpotCheckRate::set(Perbill::from_percent(10));
		let samples = 100_000u64;
		let drawn = (0..samples)
			.filter(|i| {
				DepinRegistry::spot_check_drawn(*i, sp_core::H256::repeat_byte((*i % 251) as u8))
			})
			.count() as u64;
		// 10 % within three standard deviations (≈ 95 draws); a u32 reduced modulo 10⁹, as
		// before, draws 11.6 %.
		assert!((9_700..=10_300).contains(&drawn), "drawn {drawn} of {samples}");
	});
}

#[test]
fn spot_checks_exclude_every_operator_of_the_quorum() {
	build_and_execute(|| {
		SpotCheckRate::set(Perbill::one());
		add_model();
		// Each operator runs two nodes: a spot check by an operator's second node is no
		// independent check.
		let mut nodes = register_operators(6);
		nodes.extend((0..6).map(|i| register(FIRST_OPERATOR + i, 1)));
		for _ in 0..4 {
			let task = post();
			let operators: Vec<_> = assignees(task).iter().map(|node| operator_of(*node)).collect();
			work_honestly(task);
			run_past_draw();
			let TaskResult::Verified { review: Review::SpotCheck(spot), .. } = outcome(task) else {
				panic!("drawn")
			};
			assert!(assignees(spot).iter().all(|node| !operators.contains(&operator_of(*node))));
			work_honestly(spot);
			assert!(emitted(Event::SpotCheckPassed { task, spot_check: spot }));
		}
		assert_eq!(nodes.len(), 12);
	});
}

#[test]
fn a_spot_check_without_enough_other_operators_is_skipped() {
	build_and_execute(|| {
		SpotCheckRate::set(Perbill::one());
		let (task, nodes) = task_with_nodes(4);
		work_honestly(task);
		run_past_draw();
		assert!(emitted(Event::SpotCheckSkipped { task }));
		assert_eq!(outcome_review(task), Review::Settled);
		assert_eq!(Nodes::<Test>::get(nodes[0]).unwrap().pending_reviews, 0);
	});
}

/// Fills the deadline queues of `blocks` with ids of no task.
fn fill_deadlines(blocks: core::ops::Range<u64>) {
	let capacity: u32 = <Test as crate::Config>::MaxDeadlinesPerBlock::get();
	for at in blocks {
		let mut queue = Deadlines::<Test>::get(at).into_inner();
		let mut filler = 1_000_000 + at * 100;
		while (queue.len() as u32) < capacity {
			queue.push(filler);
			filler += 1;
		}
		Deadlines::<Test>::insert(at, BoundedVec::truncate_from(queue));
	}
}

#[test]
fn a_full_deadline_queue_refuses_the_post_before_any_money_moves() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let due = 1 + ROUTINE_COMMIT + ROUTINE_REVEAL;
		fill_deadlines(due..due + u64::from(crate::tasks::DEADLINE_SPILL));
		let before = (balance(CLINIC), EscrowedFees::<Test>::get(NativeOrWithId::Native));
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::DeadlineQueueFull
		);
		assert_eq!((balance(CLINIC), EscrowedFees::<Test>::get(NativeOrWithId::Native)), before);
		// A free slot within the spill takes it.
		Deadlines::<Test>::mutate(due + 3, |queue| queue.pop());
		let task = post();
		assert_eq!(Tasks::<Test>::get(task).unwrap().round.reveal_until, due + 3);
		// The queue was full; clear the filler so the deadlines that follow are real.
		for at in due..due + u64::from(crate::tasks::DEADLINE_SPILL) {
			Deadlines::<Test>::mutate(at, |queue| queue.retain(|id| *id == task));
		}
	});
}

#[test]
fn a_full_deadline_queue_never_slashes_honest_committers() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		// Every later block's queue is full: committing and revealing need no slot.
		fill_deadlines(2..60);
		work_honestly(task);
		assert!(matches!(outcome(task), TaskResult::Verified { .. }));
		for node in nodes {
			assert_eq!(stake_of(node), TIER_1_STAKE);
		}
		clear_filler(2..60);
	});
}

/// Removes the filler ids again.
fn clear_filler(blocks: core::ops::Range<u64>) {
	for at in blocks {
		Deadlines::<Test>::mutate_exists(at, |queue| {
			if let Some(entries) = queue {
				entries.retain(|id| *id < 1_000_000);
				if entries.is_empty() {
					*queue = None;
				}
			}
		});
	}
}

#[test]
fn a_congested_reassignment_refunds_and_slashes_no_revealer() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(6);
		let answers = [diagnosis(&[1]), diagnosis(&[2]), diagnosis(&[3])];
		for (node, answer) in nodes.iter().zip(answers.iter()) {
			assert_ok!(commit(task, *node, answer));
		}
		run_to_block(5);
		// Every block a new round opened now could end in is full.
		let due = 5 + ROUTINE_COMMIT + ROUTINE_REVEAL;
		fill_deadlines(due..due + u64::from(crate::tasks::DEADLINE_SPILL));
		let clinic_before = balance(CLINIC);
		for (node, answer) in nodes.iter().zip(answers.iter()) {
			assert_ok!(reveal(task, *node, answer));
		}
		// No quorum, and no block near the new round's deadline has room.
		assert_eq!(
			DepinRegistry::task_status(task),
			crate::TaskStatus::Failed { reason: FailureReason::Congested }
		);
		assert!(emitted(Event::TaskFailed {
			task,
			reason: FailureReason::Congested,
			refunded: FEE
		}));
		assert_eq!(balance(CLINIC), clinic_before + FEE);
		for node in nodes {
			assert_eq!(stake_of(node), TIER_1_STAKE);
		}
		clear_filler(due..due + u64::from(crate::tasks::DEADLINE_SPILL));
	});
}

#[test]
fn a_full_queue_is_processed_within_the_hook_budget_over_several_blocks() {
	build_and_execute(|| {
		add_model();
		register_operators(12);
		// Room for two conclusions (and one draw) per block.
		let budget = DepinRegistry::deadline_weight()
			.saturating_mul(2)
			.saturating_add(DepinRegistry::draw_weight())
			.saturating_add(
				<<Test as frame_system::Config>::DbWeight as Get<
					frame_support::weights::RuntimeDbWeight,
				>>::get()
				.reads_writes(8, 8),
			);
		MaxHookWeight::set(budget);
		let due = 1 + ROUTINE_COMMIT + ROUTINE_REVEAL;
		let tasks: Vec<_> = (0..10).map(|_| post()).collect();
		assert!(tasks
			.iter()
			.all(|task| Tasks::<Test>::get(task).unwrap().round.reveal_until == due));
		// Nobody commits: every round ends at `due`, and each conclusion reassigns.
		let weights = run_to_block(due);
		assert!(weights.iter().all(|weight| weight.all_lte(budget)));
		// Tasks still in their first round.
		let open_at = |tasks: &[u64]| {
			tasks
				.iter()
				.filter(|task| Tasks::<Test>::get(**task).map(|t| t.attempt) == Some(1))
				.count()
		};
		assert_eq!(open_at(&tasks), 8, "two concluded in the deadline's block");
		let weights = run_to_block(due + 4);
		assert!(
			weights.iter().all(|weight| weight.all_lte(budget)),
			"no block exceeds the budget: {weights:?}"
		);
		assert_eq!(open_at(&tasks), 0, "the rest carried over, two a block");
		assert!(crate::DeadlineCursor::<Test>::get().unwrap() > due);
	});
}
