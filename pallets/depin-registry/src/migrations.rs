//! Storage migrations.
//!
//! ## v0 → v1 ([`v1::MigrateToV1`])
//! Version 1 adds deposits, rounds with fixed deadlines, concluded records kept for audits and
//! spot checks, measured capability and the nodes' review holds. What the migration does:
//! - **Nodes** keep their operator, tier, hardware, region, modules, stake, status and record;
//!   the new evidence (challenges, latency, disputes, work log) starts at zero.
//! - **Open tasks** end: their fees go back to the posters, assignments and deadlines are
//!   cleared (an old task carries no deposit and no fixed reveal deadline, so it cannot be
//!   finished under the new rules). Nodes' loads fall to zero.
//! - **Concluded results** become records with no deposit and no seal, their review settled.
//!
//! It reads every node, open task and result once (BTT has no live network: test networks hold
//! a few thousand at most), and returns the weight of those reads and writes.

use crate::{pallet::*, Concluded, NodeOf, NodeRecord, Review, TaskResult};
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration,
	pallet_prelude::*,
	traits::{fungibles::Mutate, tokens::Preservation, UncheckedOnRuntimeUpgrade},
};
use sp_runtime::traits::Zero;

/// The v0 layout of the items v1 changed.
pub mod v0 {
	use crate::{Epoch, FailureReason, Hardware, NodeStatus};
	use btt_primitives::depin::{
		DiagnosticModule, Findings, ModelId, ModuleSet, Region, TaskId, Tier, Urgency,
	};
	use codec::{Decode, Encode};
	use frame_support::{traits::ConstU32, BoundedVec};
	use sp_core::H256;
	use sp_runtime::Permill;

	/// A node's record in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug, Default)]
	pub struct NodeRecord {
		pub registered_epoch: Epoch,
		pub last_heartbeat: Epoch,
		pub heartbeats: u32,
		pub tasks_concluded: u32,
		pub tasks_ok: u32,
		pub consecutive_failures: u32,
		pub last_rewarded: Option<Epoch>,
	}

	/// A node in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub struct Node<AccountId, Balance, BlockNumber> {
		pub operator: AccountId,
		pub tier: Tier,
		pub hardware: Hardware,
		pub region: Region,
		pub modules: ModuleSet,
		pub stake: Balance,
		pub status: NodeStatus<BlockNumber>,
		pub open_tasks: u32,
		pub record: NodeRecord,
	}

	/// A task's specification in v0 (no reference).
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub struct TaskSpec {
		pub module: DiagnosticModule,
		pub model: ModelId,
		pub input_hash: H256,
		pub input_uri: BoundedVec<u8, ConstU32<{ u32::MAX }>>,
		pub urgency: Urgency,
		pub min_tier: Tier,
		pub region: Option<Region>,
	}

	/// A task's phase in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub enum TaskPhase<BlockNumber> {
		Commit { deadline: BlockNumber },
		Reveal { deadline: BlockNumber },
	}

	/// An assignee in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub struct Assignment<AccountId> {
		pub node: AccountId,
		pub operator: AccountId,
		pub commitment: Option<H256>,
		pub reveal: Option<btt_primitives::depin::Diagnosis>,
	}

	/// An open task in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub struct Task<AccountId, Balance, Currency, BlockNumber> {
		pub clinic: AccountId,
		pub spec: TaskSpec,
		pub currency: Currency,
		pub fee: Balance,
		pub posted_at: BlockNumber,
		pub attempt: u32,
		pub phase: TaskPhase<BlockNumber>,
		pub assignees: BoundedVec<Assignment<AccountId>, ConstU32<{ u32::MAX }>>,
		pub spot_check_of: Option<TaskId>,
	}

	/// A concluded task in v0.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
	pub enum TaskResult<AccountId, BlockNumber> {
		Verified {
			module: DiagnosticModule,
			findings: Findings,
			confidence: Permill,
			agreement: Permill,
			quorum: BoundedVec<AccountId, ConstU32<{ u32::MAX }>>,
			verified_at: BlockNumber,
			spot_check: Option<TaskId>,
			overturned: bool,
		},
		Failed {
			reason: FailureReason,
			failed_at: BlockNumber,
		},
	}
}

/// The migration to v1.
pub mod v1 {
	use super::*;

	/// v0 → v1, run once: [`VersionedMigration`] checks and sets the on-chain version.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		crate::Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The unversioned body of [`MigrateToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	type OldNode<T> = v0::Node<
		<T as frame_system::Config>::AccountId,
		crate::BalanceOf<T>,
		frame_system::pallet_prelude::BlockNumberFor<T>,
	>;
	type OldTask<T> = v0::Task<
		<T as frame_system::Config>::AccountId,
		crate::BalanceOf<T>,
		crate::CurrencyOf<T>,
		frame_system::pallet_prelude::BlockNumberFor<T>,
	>;
	type OldResult<T> = v0::TaskResult<
		<T as frame_system::Config>::AccountId,
		frame_system::pallet_prelude::BlockNumberFor<T>,
	>;

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);

			// Open tasks end first, refunding their posters.
			let escrow = crate::Pallet::<T>::escrow_account();
			let tasks: Vec<(u64, OldTask<T>)> = Tasks::<T>::iter_keys()
				.filter_map(|id| {
					let raw =
						frame_support::storage::unhashed::get_raw(&Tasks::<T>::hashed_key_for(id))?;
					OldTask::<T>::decode(&mut &raw[..]).ok().map(|task| (id, task))
				})
				.collect();
			for (_, task) in tasks.iter() {
				if !task.fee.is_zero() {
					let refunded = T::Currencies::transfer(
						task.currency.clone(),
						&escrow,
						&task.clinic,
						task.fee,
						Preservation::Expendable,
					);
					if refunded.is_err() {
						frame_support::defensive!("a v0 task's escrowed fee could not be refunded");
					}
				}
				reads = reads.saturating_add(2);
				writes = writes.saturating_add(3);
			}
			let _ = Tasks::<T>::clear(u32::MAX, None);
			let _ = NodeTasks::<T>::clear(u32::MAX, None);
			let _ = Deadlines::<T>::clear(u32::MAX, None);
			let _ = EscrowedFees::<T>::clear(u32::MAX, None);

			Nodes::<T>::translate::<OldNode<T>, _>(|_, old| {
				reads = reads.saturating_add(1);
				writes = writes.saturating_add(1);
				Some(NodeOf::<T> {
					operator: old.operator,
					tier: old.tier,
					hardware: old.hardware,
					region: old.region,
					modules: old.modules,
					stake: old.stake,
					status: old.status,
					open_tasks: 0,
					pending_reviews: 0,
					review_until: Zero::zero(),
					record: NodeRecord {
						registered_epoch: old.record.registered_epoch,
						last_heartbeat: old.record.last_heartbeat,
						heartbeats: old.record.heartbeats,
						tasks_concluded: old.record.tasks_concluded,
						tasks_ok: old.record.tasks_ok,
						consecutive_failures: old.record.consecutive_failures,
						last_rewarded: old.record.last_rewarded,
						..Default::default()
					},
				})
			});
			Routing::<T>::mutate(|routing| {
				for entry in routing.iter_mut() {
					entry.load = 0;
				}
			});

			Results::<T>::translate::<OldResult<T>, _>(|_, old| {
				reads = reads.saturating_add(1);
				writes = writes.saturating_add(1);
				let (outcome, concluded_at) = match old {
					v0::TaskResult::Verified {
						module,
						findings,
						confidence,
						agreement,
						quorum,
						verified_at,
						overturned,
						..
					} => (
						TaskResult::Verified {
							module,
							findings,
							confidence,
							agreement,
							quorum: BoundedVec::truncate_from(quorum.into_inner()),
							verified_at,
							review: Review::Settled,
							overturned,
						},
						verified_at,
					),
					v0::TaskResult::Failed { reason, failed_at } => {
						(TaskResult::Failed { reason, failed_at }, failed_at)
					},
				};
				Some(Concluded {
					clinic: escrow.clone(),
					deposit: Zero::zero(),
					fee: Zero::zero(),
					model: Default::default(),
					input_hash: Default::default(),
					reference: Default::default(),
					concluded_at,
					reveals: Default::default(),
					// Nothing was sealed before v1.
					audited: true,
					outcome,
				})
			});
			T::DbWeight::get().reads_writes(reads.saturating_add(4), writes.saturating_add(6))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let nodes: Vec<(T::AccountId, crate::BalanceOf<T>)> = Nodes::<T>::iter_keys()
				.filter_map(|key| {
					let raw = frame_support::storage::unhashed::get_raw(
						&Nodes::<T>::hashed_key_for(&key),
					)?;
					OldNode::<T>::decode(&mut &raw[..]).ok().map(|node| (key, node.stake))
				})
				.collect();
			ensure!(nodes.len() == Nodes::<T>::iter_keys().count(), "every v0 node decodes");
			let results = Results::<T>::iter_keys().count() as u32;
			Ok((nodes, results).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (nodes, results): (Vec<(T::AccountId, crate::BalanceOf<T>)>, u32) =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			for (key, stake) in nodes {
				let node = Nodes::<T>::get(&key).ok_or("every node survives the migration")?;
				ensure!(node.stake == stake, "stakes are unchanged");
				ensure!(node.open_tasks == 0, "no node keeps a v0 task");
			}
			ensure!(Tasks::<T>::iter_keys().count() == 0, "v0 tasks ended");
			ensure!(
				Results::<T>::iter().count() as u32 == results,
				"every result decodes as a v1 record"
			);
			crate::Pallet::<T>::do_try_state()
		}
	}
}
