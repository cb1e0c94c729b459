//! Routing: which k nodes compute a task.
//!
//! Eligible are the active nodes whose heartbeat is current, that run the task's module, meet
//! its minimum tier, have room for another task and whose operator is not excluded (the
//! operators of the previous round, or of the task a spot check re-examines: another node of
//! the same operator is no independent check). k of them are drawn one after another,
//! each with probability proportional to [`formulas::routing_weight`] (E, tier, region, load);
//! after each draw every node of the drawn node's operator leaves the pool, so no task has two
//! nodes of one operator. The draws follow from a seed derived from the newest randomness the
//! pallet was given ([`crate::FreshRandomness`]), the parent block's hash, the task id and the
//! round, so every node (and every client) can recompute them. The poster chooses the block it
//! posts in, and so among a few draws: routing is a fair spread, not a secret; spot checks,
//! which must be a secret, are drawn later (`draws.rs`).

use crate::{formulas, pallet::*, AssigneesOf, Assignment, Epoch, RoutingTableOf};
use alloc::vec::Vec;
use btt_primitives::depin::{DiagnosticModule, Region, TaskId, Tier};
use codec::Encode;
use frame_support::pallet_prelude::*;
use sp_core::H256;

/// What a task asks of its nodes.
pub(crate) struct Requirements<'a, AccountId> {
	pub module: DiagnosticModule,
	pub min_tier: Tier,
	pub region: Option<Region>,
	pub assignees: u32,
	pub exclude_operators: &'a [AccountId],
}

impl<T: Config> Pallet<T> {
	/// The seed of a task's assignment round.
	pub(crate) fn routing_seed(task: TaskId, attempt: u32) -> H256 {
		let fresh = FreshRandomness::<T>::get().unwrap_or_default();
		let parent = frame_system::Pallet::<T>::parent_hash();
		H256(sp_io::hashing::blake2_256(
			&(b"btt/depin/route", fresh.value, parent, task, attempt).encode(),
		))
	}

	/// Draws `requirements.assignees` nodes of distinct operators from `routing`.
	pub(crate) fn select_assignees(
		routing: &RoutingTableOf<T>,
		requirements: &Requirements<T::AccountId>,
		seed: H256,
		epoch: Epoch,
	) -> Result<AssigneesOf<T>, Error<T>> {
		let max_load = T::MaxOpenTasksPerNode::get();
		let mut pool: Vec<(usize, u128)> = routing
			.iter()
			.enumerate()
			.filter(|(_, entry)| {
				entry.modules.contains(requirements.module)
					&& entry.tier >= requirements.min_tier
					&& entry.load < max_load
					&& Self::heartbeat_current(entry.last_heartbeat, epoch)
					&& !requirements.exclude_operators.contains(&entry.operator)
			})
			.map(|(index, entry)| {
				let in_region = requirements.region == Some(entry.region);
				let tier_weight = Self::tier_params(entry.tier).routing_weight;
				(
					index,
					formulas::routing_weight(entry.efficiency, tier_weight, entry.load, in_region),
				)
			})
			.filter(|(_, weight)| *weight > 0)
			.collect();

		let mut chosen = AssigneesOf::<T>::default();
		for round in 0..requirements.assignees {
			let total = pool.iter().fold(0u128, |sum, (_, weight)| sum.saturating_add(*weight));
			if total == 0 {
				return Err(Error::<T>::NotEnoughNodes);
			}
			let mut point = Self::draw(seed, round) % total;
			let picked = pool
				.iter()
				.find(|(_, weight)| {
					if point < *weight {
						true
					} else {
						point = point.saturating_sub(*weight);
						false
					}
				})
				.and_then(|(index, _)| routing.get(*index))
				.ok_or(Error::<T>::NotEnoughNodes)?;
			chosen
				.try_push(Assignment {
					node: picked.node.clone(),
					operator: picked.operator.clone(),
					commitment: None,
					committed_at: None,
					reveal: None,
				})
				.map_err(|_| Error::<T>::NotEnoughNodes)?;
			let operator = &picked.operator;
			pool.retain(|(index, _)| {
				routing.get(*index).is_some_and(|entry| entry.operator != *operator)
			});
		}
		Ok(chosen)
	}

	/// The `round`-th number drawn from `seed`.
	fn draw(seed: H256, round: u32) -> u128 {
		let digest = sp_io::hashing::blake2_256(&(seed, round).encode());
		let mut bytes = [0u8; 16];
		bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0u8; 16]));
		u128::from_le_bytes(bytes)
	}
}
