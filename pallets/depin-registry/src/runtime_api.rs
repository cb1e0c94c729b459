//! Queries a worker, a clinic's dashboard or polkadot.js needs, callable as
//! `api.call.depinApi.*` and from subxt.

use crate::types::TaskStatus;
use alloc::vec::Vec;
use btt_primitives::depin::TaskId;
use codec::Codec;
use sp_runtime::FixedU64;

sp_api::decl_runtime_apis! {
	/// Read access to compute nodes and diagnostic tasks.
	pub trait DepinApi<AccountId, BlockNumber, NodeView, Task, TaskResult>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		NodeView: Codec,
		Task: Codec,
		TaskResult: Codec,
	{
		/// A node's record, whether it would receive a task now, and its efficiency E.
		fn node(node: AccountId) -> Option<NodeView>;
		/// The open tasks assigned to a node (what its worker must compute).
		fn node_tasks(node: AccountId) -> Vec<TaskId>;
		/// Efficiency E of a node (a fixed-point number, 10^9 = 1).
		fn efficiency(node: AccountId) -> Option<FixedU64>;
		/// An open task: its specification, phase and assignees.
		fn task(task: TaskId) -> Option<Task>;
		/// Where a task stands, open or concluded.
		fn task_status(task: TaskId) -> TaskStatus<BlockNumber>;
		/// How a concluded task ended: the verified findings and confidence, or the failure.
		fn task_result(task: TaskId) -> Option<TaskResult>;
	}
}
