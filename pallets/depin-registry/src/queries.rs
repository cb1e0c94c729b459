//! Read-only views for the runtime API.

use crate::{
	pallet::*, BalanceOf, NodeStatus, NodeView, TaskOf, TaskPhase, TaskResult, TaskResultOf,
	TaskStatus,
};
use alloc::vec::Vec;
use btt_primitives::depin::{InputFault, TaskId};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::FixedU64;

impl<T: Config> Pallet<T> {
	/// A node's record with its efficiency and whether it would receive a task now.
	pub fn node_view(
		node_key: T::AccountId,
	) -> Option<NodeView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let node = Nodes::<T>::get(&node_key)?;
		let routing = Routing::<T>::get();
		let epoch = Self::current_epoch();
		let routable = node.status == NodeStatus::Active
			&& Self::heartbeat_current(node.record.last_heartbeat, epoch)
			&& node.open_tasks < T::MaxOpenTasksPerNode::get();
		Some(NodeView {
			efficiency: Self::efficiency_of(&node, &routing, epoch),
			operator: node.operator,
			tier: node.tier,
			hardware: node.hardware,
			region: node.region,
			modules: node.modules,
			stake: node.stake,
			status: node.status,
			routable,
			open_tasks: node.open_tasks,
			pending_reviews: node.pending_reviews,
			review_until: node.review_until,
			record: node.record,
		})
	}

	/// Efficiency E of a node now.
	pub fn node_efficiency(node_key: T::AccountId) -> Option<FixedU64> {
		let node = Nodes::<T>::get(&node_key)?;
		Some(Self::efficiency_of(&node, &Routing::<T>::get(), Self::current_epoch()))
	}

	/// The open tasks assigned to a node.
	pub fn tasks_of_node(node_key: T::AccountId) -> Vec<TaskId> {
		NodeTasks::<T>::iter_key_prefix(&node_key).collect()
	}

	/// An open task.
	pub fn open_task(id: TaskId) -> Option<TaskOf<T>> {
		Tasks::<T>::get(id)
	}

	/// How a concluded task ended.
	pub fn task_result(id: TaskId) -> Option<TaskResultOf<T>> {
		Results::<T>::get(id).map(|record| record.outcome)
	}

	/// Where a task stands.
	pub fn task_status(id: TaskId) -> TaskStatus<BlockNumberFor<T>> {
		if let Some(task) = Tasks::<T>::get(id) {
			let assignees = task.assignees.len() as u32;
			return match task.phase(frame_system::Pallet::<T>::block_number()) {
				TaskPhase::Commit { deadline } => TaskStatus::Committing {
					deadline,
					committed: task.assignees.iter().filter(|a| a.commitment.is_some()).count()
						as u32,
					assignees,
				},
				TaskPhase::Reveal { deadline } => TaskStatus::Revealing {
					deadline,
					revealed: task.assignees.iter().filter(|a| a.reveal.is_some()).count() as u32,
					assignees,
				},
			};
		}
		match Self::task_result(id) {
			Some(TaskResult::Verified { findings, confidence, overturned, .. }) => {
				match InputFault::from_findings(&findings) {
					Some(fault) => TaskStatus::Rejected { fault, overturned },
					None => TaskStatus::Verified { confidence, overturned },
				}
			},
			Some(TaskResult::Failed { reason, .. }) => TaskStatus::Failed { reason },
			None => TaskStatus::Unknown,
		}
	}
}
