//! Posting, routing, commit and reveal, verification, fees, deadlines, reassignment, refunds.

use super::helpers::*;
use crate::{
	mock::*, ClinicTasks, Deadlines, Error, EscrowedFees, Event, FailureReason, NodeTasks, Nodes,
	Offence, Results, TaskPhase, TaskResult, TaskStatus, Tasks,
};
use btt_primitives::depin::{DiagnosticModule, ModuleSet, Region, Tier, Urgency};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Inspect};
use sp_runtime::Permill;

fn usdc_balance(who: AccountId) -> Balance {
	<Test as crate::Config>::Currencies::balance(NativeOrWithId::WithId(USDC), &who)
}

fn deposit_held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::TaskDeposit.into(), &who)
}

#[test]
fn post_task_escrows_the_fee_and_assigns_k_nodes_of_distinct_operators() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(5);
		assert_eq!(nodes.len(), 3);
		let mut operators: Vec<_> = nodes.iter().map(|node| operator_of(*node)).collect();
		operators.sort();
		operators.dedup();
		assert_eq!(operators.len(), 3);
		assert_eq!(balance(CLINIC), ENDOWMENT - FEE - TASK_DEPOSIT);
		assert_eq!(deposit_held(CLINIC), TASK_DEPOSIT);
		assert_eq!(ClinicTasks::<Test>::get(CLINIC), 1);
		assert_eq!(balance(DepinRegistry::escrow_account()), FEE);
		assert_eq!(EscrowedFees::<Test>::get(NativeOrWithId::Native), FEE);
		for node in &nodes {
			assert!(NodeTasks::<Test>::contains_key(node, task));
			assert_eq!(Nodes::<Test>::get(node).unwrap().open_tasks, 1);
			assert_eq!(DepinRegistry::tasks_of_node(*node), vec![task]);
		}
		let record = Tasks::<Test>::get(task).unwrap();
		assert_eq!(record.phase(1), TaskPhase::Commit { deadline: 1 + ROUTINE_COMMIT });
		// One deadline per round: its end, fixed when the round opens.
		assert_eq!(record.round.reveal_until, 1 + ROUTINE_COMMIT + ROUTINE_REVEAL);
		assert!(Deadlines::<Test>::get(1 + ROUTINE_COMMIT + ROUTINE_REVEAL).contains(&task));
		assert_eq!(
			DepinRegistry::task_status(task),
			TaskStatus::Committing { deadline: 1 + ROUTINE_COMMIT, committed: 0, assignees: 3 }
		);
	});
}

#[test]
fn a_stablecoin_fee_is_escrowed_and_paid_in_the_stablecoin() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let id = crate::NextTaskId::<Test>::get();
		assert_ok!(DepinRegistry::post_task(
			RuntimeOrigin::signed(CLINIC),
			spec(),
			NativeOrWithId::WithId(USDC),
			300
		));
		assert_eq!(usdc_balance(DepinRegistry::escrow_account()), 300);
		assert_eq!(EscrowedFees::<Test>::get(NativeOrWithId::WithId(USDC)), 300);
		let nodes = assignees(id);
		work_honestly(id);
		for node in nodes {
			assert_eq!(usdc_balance(operator_of(node)), 100);
		}
		assert_eq!(usdc_balance(DepinRegistry::escrow_account()), 0);
	});
}

#[test]
fn post_task_rejects_bad_input_with_specific_errors() {
	build_and_execute(|| {
		register_operators(2);
		let post_spec = |spec, fee| {
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec,
				NativeOrWithId::Native,
				fee,
			)
		};
		assert_noop!(post_spec(spec(), FEE), Error::<Test>::UnknownModel);
		add_model();
		let mut no_uri = spec();
		no_uri.input_uri = Default::default();
		assert_noop!(post_spec(no_uri, FEE), Error::<Test>::EmptyInputUri);
		let mut other_module = spec();
		other_module.module = DiagnosticModule::OrthodonticAnalysis;
		assert_noop!(post_spec(other_module, FEE), Error::<Test>::ModelModuleMismatch);
		assert_noop!(post_spec(spec(), 0), Error::<Test>::FeeTooLow);
		// Below the least fee listed for BTT (30), which is also three shares of at least the
		// existential deposit (10).
		assert_noop!(post_spec(spec(), 29), Error::<Test>::FeeTooLow);
		// Two operators cannot fill three slots.
		assert_noop!(post_spec(spec(), FEE), Error::<Test>::NotEnoughNodes);
		register(FIRST_OPERATOR + 5, 0);
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(PAUPER),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::CannotPayDeposit
		);
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::WithId(99),
				FEE
			),
			Error::<Test>::CurrencyNotAccepted
		);
		assert_ok!(post_spec(spec(), LEAST_FEE));
	});
}

#[test]
fn fees_in_a_currency_governance_did_not_list_are_refused() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		// A junk asset anyone can create, with a minimum balance of 1.
		let junk = 66;
		assert_ok!(PaymentAssets::force_create(RuntimeOrigin::root(), junk, CLINIC, true, 1));
		assert_ok!(PaymentAssets::mint(RuntimeOrigin::signed(CLINIC), junk, CLINIC, 1_000));
		let post_junk = || {
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::WithId(junk),
				3,
			)
		};
		assert_noop!(post_junk(), Error::<Test>::CurrencyNotAccepted);
		// Only the admin origin lists currencies, each with a least fee per task.
		assert_noop!(
			DepinRegistry::set_fee_currency(
				RuntimeOrigin::signed(CLINIC),
				NativeOrWithId::WithId(junk),
				Some(3)
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(DepinRegistry::set_fee_currency(
			RuntimeOrigin::root(),
			NativeOrWithId::WithId(junk),
			Some(300)
		));
		assert!(emitted(Event::FeeCurrencyListed {
			currency: NativeOrWithId::WithId(junk),
			least_fee: 300
		}));
		assert_noop!(post_junk(), Error::<Test>::FeeTooLow);
		assert_ok!(DepinRegistry::post_task(
			RuntimeOrigin::signed(CLINIC),
			spec(),
			NativeOrWithId::WithId(junk),
			300
		));
		// Delisting refuses new tasks; the open one keeps its fee.
		assert_ok!(DepinRegistry::set_fee_currency(
			RuntimeOrigin::root(),
			NativeOrWithId::WithId(junk),
			None
		));
		assert_noop!(
			DepinRegistry::set_fee_currency(
				RuntimeOrigin::root(),
				NativeOrWithId::WithId(junk),
				None
			),
			Error::<Test>::CurrencyNotListed
		);
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::WithId(junk),
				300
			),
			Error::<Test>::CurrencyNotAccepted
		);
		assert_eq!(EscrowedFees::<Test>::get(NativeOrWithId::WithId(junk)), 300);
		// The bound on listed currencies (4 in the mock; 2 listed at genesis).
		for id in 70..72 {
			assert_ok!(DepinRegistry::set_fee_currency(
				RuntimeOrigin::root(),
				NativeOrWithId::WithId(id),
				Some(1)
			));
		}
		assert_noop!(
			DepinRegistry::set_fee_currency(
				RuntimeOrigin::root(),
				NativeOrWithId::WithId(80),
				Some(1)
			),
			Error::<Test>::TooManyFeeCurrencies
		);
	});
}

#[test]
fn a_posting_deposit_is_held_until_the_record_is_removed_after_its_retention() {
	build_and_execute(|| {
		let (task, _) = task_with_nodes(3);
		work_honestly(task);
		let concluded = System::block_number();
		assert!(Results::<Test>::contains_key(task));
		assert_eq!(deposit_held(CLINIC), TASK_DEPOSIT);
		assert_eq!(ClinicTasks::<Test>::get(CLINIC), 0);
		// Not before its retention ends and its review settles.
		assert_noop!(
			DepinRegistry::remove_result(RuntimeOrigin::signed(PAUPER), task),
			Error::<Test>::ResultRetained
		);
		run_to_block(concluded + RESULT_RETENTION);
		let before = balance(CLINIC);
		// Anyone may remove it; the deposit goes back to the poster.
		assert_ok!(DepinRegistry::remove_result(RuntimeOrigin::signed(PAUPER), task));
		assert_eq!(balance(CLINIC), before + TASK_DEPOSIT);
		assert_eq!(deposit_held(CLINIC), 0);
		assert!(!Results::<Test>::contains_key(task));
		assert!(emitted(Event::ResultRemoved { task, clinic: CLINIC, deposit: TASK_DEPOSIT }));
		assert_noop!(
			DepinRegistry::remove_result(RuntimeOrigin::signed(PAUPER), task),
			Error::<Test>::NotConcluded
		);
	});
}

#[test]
fn a_clinic_cannot_hold_more_open_tasks_than_its_cap() {
	build_and_execute(|| {
		add_model();
		register_operators(6);
		for _ in 0..MAX_OPEN_TASKS_PER_CLINIC {
			post();
		}
		let before = (balance(CLINIC), deposit_held(CLINIC));
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(CLINIC),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::TooManyOpenTasks
		);
		assert_eq!((balance(CLINIC), deposit_held(CLINIC)), before);
		// Another poster is not held back by this one.
		assert_ok!(DepinRegistry::post_task(
			RuntimeOrigin::signed(AUDITOR_POSTER),
			spec(),
			NativeOrWithId::Native,
			FEE
		));
	});
}

#[test]
fn a_poster_who_cannot_pay_the_deposit_is_refused_before_the_fee_moves() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		// Enough for the fee, not for the fee and the deposit.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), PAUPER, FEE + 20));
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(PAUPER),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::CannotPayFee
		);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), PAUPER, 30));
		assert_noop!(
			DepinRegistry::post_task(
				RuntimeOrigin::signed(PAUPER),
				spec(),
				NativeOrWithId::Native,
				FEE
			),
			Error::<Test>::CannotPayDeposit
		);
	});
}

#[test]
fn routing_honours_tier_and_module() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		// Three tier-2 nodes of other operators, and one that runs no caries module.
		let mut professionals = Vec::new();
		for operator in [FIRST_OPERATOR + 10, FIRST_OPERATOR + 11, FIRST_OPERATOR + 12] {
			let key = node_key(operator, 0);
			assert_ok!(DepinRegistry::register_node(
				RuntimeOrigin::signed(operator),
				key,
				Tier::Professional,
				professional_gpu(),
				Region::Europe,
				ModuleSet::all(),
				TIER_2_STAKE,
				key_proof(operator, key),
			));
			professionals.push(key);
		}
		let mut demanding = spec();
		demanding.min_tier = Tier::Professional;
		for _ in 0..4 {
			let task = post_with(demanding.clone(), FEE);
			for node in assignees(task) {
				assert!(professionals.contains(&node));
			}
		}
		let orthodontist = FIRST_OPERATOR + 13;
		let key = node_key(orthodontist, 0);
		assert_ok!(DepinRegistry::register_node(
			RuntimeOrigin::signed(orthodontist),
			key,
			Tier::Cluster,
			crate::Hardware { gpu_memory_gb: 128, benchmark_score: 5_000, power_watts: 2_000 },
			Region::Europe,
			ModuleSet::of(&[DiagnosticModule::OrthodonticAnalysis]),
			10_000,
			key_proof(orthodontist, key),
		));
		for _ in 0..4 {
			let task = post();
			assert!(!assignees(task).contains(&key));
		}
	});
}

#[test]
fn routing_follows_the_seed_and_spreads_the_load() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(6);
		let first = post();
		let drawn = assignees(first);
		// The same seed draws the same nodes; another seed draws others.
		let routing = crate::Routing::<Test>::get();
		let requirements = crate::routing::Requirements {
			module: DiagnosticModule::CariesDetection,
			min_tier: Tier::Consumer,
			region: None,
			assignees: 3,
			exclude_operators: &[],
		};
		let seed = sp_core::H256::repeat_byte(3);
		let once = DepinRegistry::select_assignees(&routing, &requirements, seed, 0).unwrap();
		let twice = DepinRegistry::select_assignees(&routing, &requirements, seed, 0).unwrap();
		assert_eq!(once, twice);
		let others = (0..20u8)
			.map(|byte| {
				DepinRegistry::select_assignees(
					&routing,
					&requirements,
					sp_core::H256::repeat_byte(byte),
					0,
				)
				.unwrap()
			})
			.filter(|draw| *draw != once)
			.count();
		assert!(others > 0, "different seeds draw different nodes");
		// Load lowers the weight: over many tasks every node is used.
		for _ in 0..8 {
			post();
		}
		for node in nodes {
			assert!(Nodes::<Test>::get(node).unwrap().open_tasks > 0, "every node got work");
		}
		assert_eq!(drawn.len(), 3);
	});
}

#[test]
fn an_honest_round_is_verified_paid_and_reported() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(4);
		let operator_balances: Vec<_> =
			nodes.iter().map(|node| balance(operator_of(*node))).collect();
		work_honestly(task);

		let result = DepinRegistry::task_result(task).unwrap();
		let TaskResult::Verified { findings, confidence, agreement, quorum, overturned, .. } =
			result
		else {
			panic!("verified");
		};
		assert_eq!(findings, truth().findings);
		// C = 0.6·(0.9·0.8) + 0.4·1·(1 − 0.1) = 0.792
		assert_eq!(confidence, Permill::from_parts(792_000));
		assert_eq!(agreement, Permill::one());
		assert_eq!(quorum.len(), 3);
		assert!(!overturned);
		assert_eq!(
			DepinRegistry::task_status(task),
			TaskStatus::Verified { confidence, overturned: false }
		);

		for (node, before) in nodes.iter().zip(operator_balances) {
			assert_eq!(balance(operator_of(*node)), before + FEE / 3);
			let record = Nodes::<Test>::get(node).unwrap();
			assert_eq!(record.open_tasks, 0);
			assert_eq!(record.record.tasks_ok, 1);
			assert_eq!(record.record.tasks_concluded, 1);
			assert!(DepinRegistry::tasks_of_node(*node).is_empty());
		}
		assert!(Tasks::<Test>::get(task).is_none());
		assert_eq!(EscrowedFees::<Test>::get(NativeOrWithId::Native), 0);
		assert_eq!(balance(DepinRegistry::escrow_account()), 0);
		let verified = verified_diagnoses();
		assert_eq!(verified.len(), 1);
		assert_eq!(verified[0].task, task);
		assert_eq!(verified[0].clinic, CLINIC);
		assert_eq!(verified[0].confidence, confidence);
		assert!(depin_events().contains(&Event::TaskVerified {
			task,
			findings: truth().findings,
			confidence,
			agreement
		}));
	});
}

#[test]
fn a_fee_that_does_not_split_evenly_pays_the_remainder_to_the_first() {
	build_and_execute(|| {
		add_model();
		register_operators(3);
		let task = post_with(spec(), 100);
		let nodes = assignees(task);
		let before: Vec<_> = nodes.iter().map(|node| balance(operator_of(*node))).collect();
		work_honestly(task);
		let paid: Vec<_> =
			nodes.iter().zip(before).map(|(node, b)| balance(operator_of(*node)) - b).collect();
		assert_eq!(paid, vec![34, 33, 33]);
	});
}

#[test]
fn commit_phase_rules() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(4);
		let outsider = (FIRST_OPERATOR..FIRST_OPERATOR + 4)
			.map(|operator| node_key(operator, 0))
			.find(|node| !nodes.contains(node))
			.unwrap();
		assert_noop!(commit(task, outsider, &truth()), Error::<Test>::NotAssigned);
		assert_noop!(
			DepinRegistry::commit_result(
				RuntimeOrigin::signed(nodes[0]),
				99,
				sp_core::H256::zero()
			),
			Error::<Test>::UnknownTask
		);
		assert_ok!(commit(task, nodes[0], &truth()));
		assert_noop!(commit(task, nodes[0], &truth()), Error::<Test>::AlreadyCommitted);
		assert_noop!(reveal(task, nodes[0], &truth()), Error::<Test>::RevealPhaseNotOpen);
		assert_ok!(commit(task, nodes[1], &truth()));
		// The third assignee misses the deadline: the reveal phase opens without it.
		run_to_block(1 + ROUTINE_COMMIT);
		assert_noop!(commit(task, nodes[2], &truth()), Error::<Test>::CommitPhaseOver);
		let reveal_deadline = 1 + ROUTINE_COMMIT + ROUTINE_REVEAL;
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().phase(System::block_number()),
			TaskPhase::Reveal { deadline: reveal_deadline }
		);
		assert_noop!(reveal(task, nodes[2], &truth()), Error::<Test>::NotCommitted);
		assert_ok!(reveal(task, nodes[0], &truth()));
		assert_noop!(reveal(task, nodes[0], &truth()), Error::<Test>::AlreadyRevealed);
		// The last committed reveal concludes: 2 of 3 agree, the silent node is slashed.
		let silent_stake = stake_of(nodes[2]);
		assert_ok!(reveal(task, nodes[1], &truth()));
		let TaskResult::Verified { agreement, .. } = DepinRegistry::task_result(task).unwrap()
		else {
			panic!()
		};
		assert_eq!(agreement, Permill::from_rational(2u32, 3));
		assert_eq!(stake_of(nodes[2]), silent_stake - silent_stake / 100);
		assert!(depin_events().contains(&Event::NodePenalized {
			node: nodes[2],
			task,
			offence: Offence::NoShow,
			slashed: silent_stake / 100
		}));
	});
}

#[test]
fn the_reveal_deadline_concludes_with_the_reveals_present() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(3);
		for node in &nodes {
			assert_ok!(commit(task, *node, &truth()));
		}
		// All committed: the reveal phase started at once, and ends at the round's deadline.
		let deadline = 1 + ROUTINE_COMMIT + ROUTINE_REVEAL;
		assert_eq!(Tasks::<Test>::get(task).unwrap().phase(1), TaskPhase::Reveal { deadline });
		assert!(emitted(Event::RevealPhaseStarted { task, deadline }));
		assert_ok!(reveal(task, nodes[0], &truth()));
		assert_ok!(reveal(task, nodes[1], &truth()));
		run_to_block(deadline);
		assert!(matches!(DepinRegistry::task_result(task), Some(TaskResult::Verified { .. })));
		assert_noop!(reveal(task, nodes[2], &truth()), Error::<Test>::UnknownTask);
	});
}

#[test]
fn silence_reassigns_then_fails_with_a_refund() {
	build_and_execute(|| {
		let (task, first_round) = task_with_nodes(6);
		let round = ROUTINE_COMMIT + ROUTINE_REVEAL;
		run_to_block(1 + round);
		// Nobody committed: everyone slashed, a second round on three other nodes.
		let second_round = assignees(task);
		assert_eq!(Tasks::<Test>::get(task).unwrap().attempt, 2);
		assert!(second_round.iter().all(|node| !first_round.contains(node)));
		for node in &first_round {
			assert_eq!(stake_of(*node), TIER_1_STAKE - TIER_1_STAKE / 100);
		}
		run_to_block(1 + 2 * round);
		assert!(Tasks::<Test>::get(task).is_none());
		assert_eq!(
			DepinRegistry::task_result(task),
			Some(TaskResult::Failed { reason: FailureReason::NoQuorum, failed_at: 1 + 2 * round })
		);
		assert_eq!(balance(CLINIC), ENDOWMENT - TASK_DEPOSIT);
		assert_eq!(EscrowedFees::<Test>::get(NativeOrWithId::Native), 0);
		assert!(depin_events().contains(&Event::TaskFailed {
			task,
			reason: FailureReason::NoQuorum,
			refunded: FEE
		}));
		assert!(verified_diagnoses().is_empty());
	});
}

#[test]
fn split_reveals_are_reassigned_without_slashing_the_revealers() {
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(4);
		let answers = [diagnosis(&[1]), diagnosis(&[2]), diagnosis(&[3])];
		for (node, answer) in nodes.iter().zip(answers.iter()) {
			assert_ok!(commit(task, *node, answer));
		}
		for (node, answer) in nodes.iter().zip(answers.iter()) {
			assert_ok!(reveal(task, *node, answer));
		}
		// No quorum; only one fresh node is left, so the second round cannot be filled.
		assert_eq!(
			DepinRegistry::task_result(task).map(|r| matches!(
				r,
				TaskResult::Failed { reason: FailureReason::NoEligibleNodes, .. }
			)),
			Some(true)
		);
		for node in &nodes {
			assert_eq!(stake_of(*node), TIER_1_STAKE);
		}
		assert_eq!(balance(CLINIC), ENDOWMENT - TASK_DEPOSIT);
	});
}

#[test]
fn emergencies_go_to_more_nodes_with_shorter_deadlines() {
	build_and_execute(|| {
		add_model();
		register_operators(5);
		let mut urgent = spec();
		urgent.urgency = Urgency::Emergency;
		let task = post_with(urgent, FEE);
		assert_eq!(assignees(task).len(), 5);
		assert_eq!(
			Tasks::<Test>::get(task).unwrap().phase(1),
			TaskPhase::Commit { deadline: 1 + 3 }
		);
	});
}

#[test]
fn a_preferred_region_attracts_tasks() {
	build_and_execute(|| {
		add_model();
		let nodes = register_operators(6);
		let local = nodes[5];
		assert_ok!(DepinRegistry::update_node(
			RuntimeOrigin::signed(FIRST_OPERATOR + 5),
			local,
			Region::Oceania,
			ModuleSet::all()
		));
		let mut in_oceania = spec();
		in_oceania.region = Some(Region::Oceania);
		let mut picked = 0;
		for salt in 0..100 {
			RandomnessSalt::set(salt);
			let routing = crate::Routing::<Test>::get();
			let requirements = crate::routing::Requirements {
				module: DiagnosticModule::CariesDetection,
				min_tier: Tier::Consumer,
				region: Some(Region::Oceania),
				assignees: 1,
				exclude_operators: &[],
			};
			let seed = DepinRegistry::routing_seed(salt, 1);
			let draw = DepinRegistry::select_assignees(&routing, &requirements, seed, 0).unwrap();
			if draw[0].node == local {
				picked += 1;
			}
		}
		// The local node weighs 2 (preferred region) × 1.5 (thin region) against five nodes of
		// weight 1: about 3/8 of the draws.
		assert!(picked >= 25, "the local node was drawn {picked} times in 100 (uniform: about 17)");
		let task = post_with(in_oceania, FEE);
		assert_eq!(assignees(task).len(), 3);
	});
}

#[test]
fn the_weight_the_verified_hook_declares_is_charged_to_every_path_that_concludes_a_task() {
	use frame_support::traits::Get;
	build_and_execute(|| {
		let (task, nodes) = task_with_nodes(5);
		let max = <Test as crate::Config>::MaxAssignees::get();
		let max_nodes = <Test as crate::Config>::MaxNodes::get();
		assert_eq!(
			DepinRegistry::reveal_weight_bound(),
			<() as crate::WeightInfo>::reveal_result(max)
				+ VERIFIED_HOOK_WEIGHT
				+ <() as crate::WeightInfo>::post_task(max_nodes)
		);
		assert_eq!(
			DepinRegistry::deadline_weight(),
			<() as crate::WeightInfo>::expire_deadline(max)
				+ VERIFIED_HOOK_WEIGHT
				+ <() as crate::WeightInfo>::post_task(max_nodes)
		);
		for node in &nodes {
			assert_ok!(commit(task, *node, &truth()));
		}
		let (last, others) = nodes.split_last().unwrap();
		for node in others {
			assert_ok!(reveal(task, *node, &truth()));
		}
		let concluding = DepinRegistry::reveal_result(
			RuntimeOrigin::signed(*last),
			task,
			truth(),
			salt(*last, task),
		)
		.unwrap();
		let k = nodes.len() as u32;
		assert_eq!(
			concluding.actual_weight,
			Some(<() as crate::WeightInfo>::reveal_result(k) + VERIFIED_HOOK_WEIGHT)
		);
		assert_eq!(verified_diagnoses().len(), 1);
	});
}
