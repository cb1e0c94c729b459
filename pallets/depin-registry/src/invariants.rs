//! The pallet's invariants, checked after every unit test, in the runtime integration tests
//! and by try-runtime.

use crate::{pallet::*, BalanceOf, CurrencyOf, NodeStatus, Review, TaskPhase, TaskResult};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, fungibles::Inspect, Get},
};
use sp_runtime::{traits::Zero, Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks:
	/// 1. the fees counted in escrow are exactly the open tasks' fees, per currency, and the
	///    escrow account holds at least that much;
	/// 2. each operator's held stake equals the stakes of its nodes;
	/// 3. every open task's assignees are distinct nodes of distinct operators, registered and
	///    not unbonding, each recording the assignment, and its deadline is queued;
	/// 4. the routing table holds exactly the active nodes, with their loads, and the node
	///    counters match the nodes;
	/// 5. each poster's held deposit equals the deposits of its open tasks and records, and
	///    its count of open tasks is right;
	/// 6. every result awaiting its draw is queued exactly once, every running spot check is
	///    an open task, each node's pending reviews count the results under review whose
	///    quorum it is in, and no deadline is queued before the cursor.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_escrow()?;
		Self::check_stakes()?;
		Self::check_open_tasks()?;
		Self::check_routing()?;
		Self::check_deposits()?;
		Self::check_reviews()
	}

	fn check_deposits() -> Result<(), TryRuntimeError> {
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (_, task) in Tasks::<T>::iter() {
			let deposit = deposits.entry(task.clinic.clone()).or_default();
			*deposit = deposit.saturating_add(task.deposit);
			if task.spot_check_of.is_none() {
				let count = open.entry(task.clinic).or_default();
				*count = count.saturating_add(1);
			}
		}
		for (_, record) in Results::<T>::iter() {
			let deposit = deposits.entry(record.clinic).or_default();
			*deposit = deposit.saturating_add(record.deposit);
		}
		let reason = HoldReason::TaskDeposit.into();
		for (clinic, deposit) in deposits.iter() {
			ensure!(
				T::NativeBalance::balance_on_hold(&reason, clinic) == *deposit,
				"a poster's held deposit = its open tasks' and records' deposits"
			);
		}
		let counted: BTreeMap<T::AccountId, u32> = ClinicTasks::<T>::iter().collect();
		ensure!(counted == open, "ClinicTasks counts each poster's open tasks");
		ensure!(
			FeeCurrencies::<T>::count() <= T::MaxFeeCurrencies::get(),
			"fee currencies within their bound"
		);
		ensure!(Auditors::<T>::count() <= T::MaxAuditors::get(), "auditors within their bound");
		Ok(())
	}

	fn check_reviews() -> Result<(), TryRuntimeError> {
		let (head, tail) = DrawQueueBounds::<T>::get();
		ensure!(head <= tail, "the draw queue's head is not past its tail");
		let queued: Vec<_> =
			(head..tail).filter_map(DrawQueue::<T>::get).map(|draw| draw.task).collect();
		ensure!(
			queued.len() as u64 == u64::saturating_sub(tail, head),
			"the draw queue has no gaps"
		);
		ensure!(
			DrawQueue::<T>::iter().count() == queued.len(),
			"nothing is queued outside the bounds"
		);
		let mut reviews: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut awaiting = 0usize;
		for (id, record) in Results::<T>::iter() {
			let TaskResult::Verified { review, quorum, .. } = record.outcome else { continue };
			match review {
				Review::Settled => continue,
				Review::AwaitingDraw => {
					awaiting = awaiting.saturating_add(1);
					ensure!(queued.contains(&id), "a result awaiting its draw is queued");
				},
				Review::SpotCheck(spot) => {
					let task =
						Tasks::<T>::get(spot).ok_or("a running spot check is an open task")?;
					ensure!(
						task.spot_check_of == Some(id),
						"a running spot check re-executes its task"
					);
				},
			}
			for node in quorum {
				let count = reviews.entry(node).or_default();
				*count = count.saturating_add(1);
			}
		}
		ensure!(awaiting == queued.len(), "only results awaiting their draw are queued");
		for (node_key, node) in Nodes::<T>::iter() {
			let expected = reviews.get(&node_key).copied().unwrap_or_default();
			ensure!(
				node.pending_reviews == expected,
				"a node's pending reviews = the results under review it is in"
			);
		}
		if let Some(cursor) = DeadlineCursor::<T>::get() {
			ensure!(
				Deadlines::<T>::iter_keys().all(|at| at >= cursor),
				"no deadline waits before the cursor"
			);
		}
		Ok(())
	}

	fn check_escrow() -> Result<(), TryRuntimeError> {
		// Currencies are not ordered, so pairs in a vector (there are few currencies).
		let mut open_fees: Vec<(CurrencyOf<T>, BalanceOf<T>)> = Vec::new();
		for (_, task) in Tasks::<T>::iter().filter(|(_, task)| !task.fee.is_zero()) {
			match open_fees.iter_mut().find(|(currency, _)| *currency == task.currency) {
				Some((_, total)) => *total = total.saturating_add(task.fee),
				None => open_fees.push((task.currency.clone(), task.fee)),
			}
		}
		let counted: Vec<(CurrencyOf<T>, BalanceOf<T>)> = EscrowedFees::<T>::iter().collect();
		ensure!(
			counted.len() == open_fees.len(),
			"escrowed fees = the open tasks' fees, per currency"
		);
		let escrow = Self::escrow_account();
		for (currency, total) in counted {
			ensure!(
				open_fees.contains(&(currency.clone(), total)),
				"escrowed fees = the open tasks' fees, per currency"
			);
			ensure!(
				T::Currencies::balance(currency, &escrow) >= total,
				"the escrow account holds the fees"
			);
		}
		Ok(())
	}

	fn check_stakes() -> Result<(), TryRuntimeError> {
		let mut stakes: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut per_operator: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut count = 0u32;
		for (_, node) in Nodes::<T>::iter() {
			let stake = stakes.entry(node.operator.clone()).or_default();
			*stake = stake.saturating_add(node.stake);
			let nodes = per_operator.entry(node.operator).or_default();
			*nodes = nodes.saturating_add(1);
			count = count.saturating_add(1);
		}
		let reason = HoldReason::NodeStake.into();
		for (operator, stake) in stakes.iter() {
			ensure!(
				T::NativeBalance::balance_on_hold(&reason, operator) == *stake,
				"an operator's held stake = its nodes' stakes"
			);
		}
		ensure!(NodeCount::<T>::get() == count, "NodeCount counts the nodes");
		let counted: BTreeMap<T::AccountId, u32> = OperatorNodes::<T>::iter().collect();
		ensure!(counted == per_operator, "OperatorNodes counts each operator's nodes");
		Ok(())
	}

	fn check_open_tasks() -> Result<(), TryRuntimeError> {
		let mut loads: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (id, task) in Tasks::<T>::iter() {
			let nodes: Vec<&T::AccountId> = task.assignees.iter().map(|a| &a.node).collect();
			let operators: Vec<&T::AccountId> =
				task.assignees.iter().map(|a| &a.operator).collect();
			ensure!(all_distinct(&nodes), "an open task's assignees are distinct nodes");
			ensure!(all_distinct(&operators), "an open task's assignees have distinct operators");
			for assignee in task.assignees.iter() {
				let node = Nodes::<T>::get(&assignee.node).ok_or("an assignee is registered")?;
				ensure!(node.operator == assignee.operator, "an assignee's operator is its node's");
				ensure!(
					NodeTasks::<T>::contains_key(&assignee.node, id),
					"the node records its assignment"
				);
				let load = loads.entry(assignee.node.clone()).or_default();
				*load = load.saturating_add(1);
				if matches!(
					task.phase(frame_system::Pallet::<T>::block_number()),
					TaskPhase::Commit { .. }
				) {
					ensure!(assignee.reveal.is_none(), "no reveal before the reveal phase");
				}
			}
			ensure!(
				Deadlines::<T>::get(task.round.reveal_until).contains(&id),
				"an open task's deadline is queued"
			);
		}
		for (node_key, node) in Nodes::<T>::iter() {
			let load = loads.get(&node_key).copied().unwrap_or_default();
			ensure!(node.open_tasks == load, "a node's open tasks = its assignments");
			ensure!(
				NodeTasks::<T>::iter_key_prefix(&node_key).count() as u32 == load,
				"NodeTasks lists exactly the open assignments"
			);
		}
		Ok(())
	}

	fn check_routing() -> Result<(), TryRuntimeError> {
		let routing = Routing::<T>::get();
		let keys: Vec<&T::AccountId> = routing.iter().map(|entry| &entry.node).collect();
		ensure!(all_distinct(&keys), "a node appears once in routing");
		for entry in routing.iter() {
			let node = Nodes::<T>::get(&entry.node).ok_or("a routed node is registered")?;
			ensure!(node.status == NodeStatus::Active, "only active nodes are routed");
			ensure!(
				entry.operator == node.operator && entry.tier == node.tier,
				"routing mirrors the node"
			);
			ensure!(
				entry.region == node.region && entry.modules == node.modules,
				"routing mirrors the node"
			);
			ensure!(entry.load == node.open_tasks, "routing's load = the node's open tasks");
			ensure!(
				entry.last_heartbeat == node.record.last_heartbeat,
				"routing's heartbeat = the node's"
			);
		}
		let active =
			Nodes::<T>::iter().filter(|(_, node)| node.status == NodeStatus::Active).count();
		ensure!(active == routing.len(), "every active node is routed");
		Ok(())
	}
}

fn all_distinct<Item: Ord>(items: &[Item]) -> bool {
	let mut sorted: Vec<&Item> = items.iter().collect();
	sorted.sort();
	sorted.windows(2).all(|pair| matches!(pair, [a, b] if a != b))
}
