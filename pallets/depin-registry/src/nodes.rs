//! Compute nodes: registration, stake, heartbeats and epoch rewards, deregistration,
//! penalties, and the routing table that mirrors the active nodes.

use crate::{
	formulas, pallet::*, BalanceOf, Epoch, Hardware, NodeOf, NodeRecord, NodeStatus, Offence,
	RoutingEntry, RoutingTableOf, TierParams,
};
use btt_primitives::depin::{ModuleSet, Region, TaskId, Tier};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Verify, Zero},
	FixedU64,
};

/// How many regions there are (the length of [`Region`]).
const REGIONS: usize = 6;

impl<T: Config> Pallet<T> {
	/// The current epoch: the block number divided by the epoch length.
	pub fn current_epoch() -> Epoch {
		let now = frame_system::Pallet::<T>::block_number();
		let length = T::EpochLength::get();
		if length.is_zero() {
			return 0;
		}
		(now / length).unique_saturated_into()
	}

	/// The row of the tier table for `tier`.
	pub fn tier_params(tier: Tier) -> TierParams<BalanceOf<T>> {
		let [consumer, professional, multi_gpu, cluster] = T::Tiers::get();
		match tier {
			Tier::Consumer => consumer,
			Tier::Professional => professional,
			Tier::MultiGpu => multi_gpu,
			Tier::Cluster => cluster,
		}
	}

	/// The account that pays epoch rewards and receives slashed stake.
	pub fn reward_pot() -> T::AccountId {
		T::RewardPot::get()
	}

	/// Whether a routing entry may receive a task in `epoch`: its latest heartbeat is from this
	/// epoch or the previous one.
	pub fn heartbeat_current(last_heartbeat: Epoch, epoch: Epoch) -> bool {
		last_heartbeat.saturating_add(1) >= epoch
	}

	/// Checks that `proof` is the node key's signature of its consent to `operator` on this
	/// chain ([`btt_primitives::depin::node_key_proof_payload`]).
	pub(crate) fn check_key_proof(
		operator: &T::AccountId,
		node_key: &T::AccountId,
		proof: &T::NodeKeySignature,
	) -> DispatchResult {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = btt_primitives::depin::node_key_proof_payload(operator, &genesis);
		ensure!(proof.verify(&payload[..], node_key), Error::<T>::BadKeyProof);
		Ok(())
	}

	pub(crate) fn do_register_node(
		operator: T::AccountId,
		node_key: T::AccountId,
		tier: Tier,
		hardware: Hardware,
		region: Region,
		modules: ModuleSet,
		stake: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!Nodes::<T>::contains_key(&node_key), Error::<T>::NodeAlreadyRegistered);
		ensure!(modules.is_valid(), Error::<T>::InvalidModules);
		ensure!(hardware.power_watts > 0, Error::<T>::ZeroPower);
		let params = Self::tier_params(tier);
		ensure!(
			hardware.gpu_memory_gb >= params.min_gpu_memory_gb
				&& hardware.benchmark_score >= params.min_benchmark_score,
			Error::<T>::HardwareBelowTier
		);
		ensure!(stake >= params.min_stake, Error::<T>::StakeBelowTierMinimum);
		let node_count = NodeCount::<T>::get();
		ensure!(node_count < T::MaxNodes::get(), Error::<T>::TooManyNodes);
		let operator_nodes = OperatorNodes::<T>::get(&operator);
		ensure!(
			operator_nodes < T::MaxNodesPerOperator::get(),
			Error::<T>::TooManyNodesForOperator
		);

		T::NativeBalance::hold(&HoldReason::NodeStake.into(), &operator, stake)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		let epoch = Self::current_epoch();
		let node = NodeOf::<T> {
			operator: operator.clone(),
			tier,
			hardware,
			region,
			modules,
			stake,
			status: NodeStatus::Active,
			open_tasks: 0,
			pending_reviews: 0,
			review_until: Zero::zero(),
			record: NodeRecord {
				registered_epoch: epoch,
				last_heartbeat: epoch,
				heartbeats: 1,
				..Default::default()
			},
		};
		let mut routing = Routing::<T>::get();
		Self::insert_routing_entry(&node_key, &node, &mut routing, epoch)?;

		Nodes::<T>::insert(&node_key, node);
		Routing::<T>::put(routing);
		NodeCount::<T>::put(node_count.saturating_add(1));
		OperatorNodes::<T>::insert(&operator, operator_nodes.saturating_add(1));
		Self::deposit_event(Event::NodeRegistered {
			node: node_key,
			operator,
			tier,
			region,
			stake,
		});
		Ok(())
	}

	pub(crate) fn do_update_node(
		operator: T::AccountId,
		node_key: T::AccountId,
		region: Region,
		modules: ModuleSet,
	) -> DispatchResult {
		ensure!(modules.is_valid(), Error::<T>::InvalidModules);
		let mut node = Self::operated_node(&operator, &node_key)?;
		ensure!(!node.status.is_unbonding(), Error::<T>::NodeUnbonding);
		node.region = region;
		node.modules = modules;
		let mut routing = Routing::<T>::get();
		Self::sync_routing_entry(&node_key, &node, &mut routing, Self::current_epoch());
		Nodes::<T>::insert(&node_key, node);
		Routing::<T>::put(routing);
		Self::deposit_event(Event::NodeUpdated { node: node_key, region, modules });
		Ok(())
	}

	pub(crate) fn do_bond_extra(
		operator: T::AccountId,
		node_key: T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let mut node = Self::operated_node(&operator, &node_key)?;
		ensure!(!node.status.is_unbonding(), Error::<T>::NodeUnbonding);
		let stake = node.stake.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::NativeBalance::hold(&HoldReason::NodeStake.into(), &operator, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		node.stake = stake;
		Nodes::<T>::insert(&node_key, node);
		Self::deposit_event(Event::StakeBonded { node: node_key, amount, stake });
		Ok(())
	}

	pub(crate) fn do_heartbeat(node_key: T::AccountId) -> DispatchResult {
		let mut node = Nodes::<T>::get(&node_key).ok_or(Error::<T>::UnknownNode)?;
		ensure!(!node.status.is_unbonding(), Error::<T>::NodeUnbonding);
		let epoch = Self::current_epoch();
		let previous = node.record.last_heartbeat;
		ensure!(previous < epoch, Error::<T>::HeartbeatAlreadySent);
		node.record.last_heartbeat = epoch;
		node.record.heartbeats = node.record.heartbeats.saturating_add(1);

		let mut routing = Routing::<T>::get();
		if let NodeStatus::Suspended { until } = node.status {
			if epoch >= until && node.stake >= Self::tier_params(node.tier).min_stake {
				node.status = NodeStatus::Active;
				node.record.consecutive_failures = 0;
				Self::insert_routing_entry(&node_key, &node, &mut routing, epoch)?;
				Self::deposit_event(Event::NodeReactivated { node: node_key.clone() });
			}
		}
		Self::sync_routing_entry(&node_key, &node, &mut routing, epoch);

		// Live at the end of the previous epoch and at the start of this one, with verified
		// work in it: the previous epoch is earned.
		if node.status == NodeStatus::Active && previous.saturating_add(1) == epoch {
			if node.record.work.in_epoch(previous) > 0 {
				Self::pay_epoch_reward(&node_key, &mut node, &routing, previous, epoch);
			} else {
				Self::deposit_event(Event::EpochUnearned {
					node: node_key.clone(),
					epoch: previous,
				});
			}
		}
		Nodes::<T>::insert(&node_key, node);
		Routing::<T>::put(routing);
		Self::deposit_event(Event::Heartbeat { node: node_key, epoch });
		Ok(())
	}

	/// Pays the operator the node's reward for `earned` (an epoch with verified work) from the
	/// reward pot, or what the pot can pay without being reaped.
	fn pay_epoch_reward(
		node_key: &T::AccountId,
		node: &mut NodeOf<T>,
		routing: &RoutingTableOf<T>,
		earned: Epoch,
		epoch: Epoch,
	) {
		let efficiency = Self::efficiency_of(node, routing, epoch);
		let tier = Self::tier_params(node.tier);
		let work = formulas::work_share(
			node.record.work.in_epoch(earned),
			tier.min_tasks_per_day,
			T::EpochLength::get().unique_saturated_into(),
			T::BlocksPerDay::get(),
		);
		let reward = formulas::epoch_reward(&tier, efficiency, work, T::EpochsPerMonth::get());
		let pot = Self::reward_pot();
		let available =
			T::NativeBalance::reducible_balance(&pot, Preservation::Preserve, Fortitude::Polite);
		let payable = reward.min(available);
		let paid = if payable.is_zero() {
			Zero::zero()
		} else {
			T::NativeBalance::transfer(&pot, &node.operator, payable, Preservation::Preserve)
				.unwrap_or_else(|_| Zero::zero())
		};
		node.record.last_rewarded = Some(earned);
		if !paid.is_zero() {
			Self::deposit_event(Event::EpochRewardPaid {
				node: node_key.clone(),
				operator: node.operator.clone(),
				epoch: earned,
				amount: paid,
			});
		}
		if paid < reward {
			Self::deposit_event(Event::RewardShortfall {
				node: node_key.clone(),
				epoch: earned,
				unpaid: reward.saturating_sub(paid),
			});
		}
	}

	pub(crate) fn do_deregister_node(
		operator: T::AccountId,
		node_key: T::AccountId,
	) -> DispatchResult {
		let mut node = Self::operated_node(&operator, &node_key)?;
		ensure!(!node.status.is_unbonding(), Error::<T>::NodeUnbonding);
		// Open tasks do not hold the node back: it leaves routing now and finishes them, and
		// the unbonding period outlasts every task (`check_parameters`).
		let unlocks_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		node.status = NodeStatus::Unbonding { unlocks_at };
		let mut routing = Routing::<T>::get();
		Self::sync_routing_entry(&node_key, &node, &mut routing, Self::current_epoch());
		Nodes::<T>::insert(&node_key, node);
		Routing::<T>::put(routing);
		Self::deposit_event(Event::NodeDeregistered { node: node_key, unlocks_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_stake(
		operator: T::AccountId,
		node_key: T::AccountId,
	) -> DispatchResult {
		let node = Self::operated_node(&operator, &node_key)?;
		let NodeStatus::Unbonding { unlocks_at } = node.status else {
			return Err(Error::<T>::NotUnbonding.into());
		};
		ensure!(node.open_tasks == 0 && node.pending_reviews == 0, Error::<T>::NodeBusy);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= unlocks_at && now >= node.review_until, Error::<T>::StillUnbonding);
		let released = T::NativeBalance::release(
			&HoldReason::NodeStake.into(),
			&operator,
			node.stake,
			Precision::BestEffort,
		)?;
		Nodes::<T>::remove(&node_key);
		NodeCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		OperatorNodes::<T>::mutate_exists(&operator, |count| {
			let remaining = count.unwrap_or_default().saturating_sub(1);
			*count = (remaining > 0).then_some(remaining);
		});
		Self::deposit_event(Event::StakeWithdrawn { node: node_key, operator, amount: released });
		Ok(())
	}

	/// The node `node_key`, if `operator` operates it.
	fn operated_node(
		operator: &T::AccountId,
		node_key: &T::AccountId,
	) -> Result<NodeOf<T>, Error<T>> {
		let node = Nodes::<T>::get(node_key).ok_or(Error::<T>::UnknownNode)?;
		ensure!(node.operator == *operator, Error::<T>::NotOperator);
		Ok(node)
	}

	/// Efficiency E of `node` in `epoch`, with the distribution factor taken from `routing`.
	///
	/// Every factor is evidence: challenges passed and commit latency (`P_compute / P_energy`),
	/// agreement with quorums, heartbeats, the region census. Declared hardware is not used.
	pub fn efficiency_of(node: &NodeOf<T>, routing: &RoutingTableOf<T>, epoch: Epoch) -> FixedU64 {
		let record = &node.record;
		let (in_region, routable, occupied) = Self::region_census(routing, node.region);
		let expected = formulas::expected_task_blocks(
			T::BlocksPerDay::get(),
			Self::tier_params(node.tier).min_tasks_per_day,
		);
		formulas::efficiency(
			formulas::performance_per_watt(
				formulas::challenge_score(record.challenges_passed, record.challenges_failed),
				formulas::speed_factor(record.commit_latency, record.latency_samples, expected),
			),
			formulas::success_rate(record.tasks_ok, record.tasks_concluded),
			formulas::availability(record.heartbeats, record.registered_epoch, epoch),
			formulas::distribution_factor(in_region, routable, occupied),
		)
	}

	/// Nodes of the routing table in `region`, in total, and how many regions have any.
	fn region_census(routing: &RoutingTableOf<T>, region: Region) -> (u32, u32, u32) {
		let mut per_region = [0u32; REGIONS];
		for entry in routing.iter() {
			if let Some(count) = per_region.get_mut(entry.region as usize) {
				*count = count.saturating_add(1);
			}
		}
		let in_region = per_region.get(region as usize).copied().unwrap_or_default();
		let occupied = per_region.iter().filter(|count| **count > 0).count() as u32;
		(in_region, routing.len() as u32, occupied)
	}

	fn routing_entry(
		node_key: &T::AccountId,
		node: &NodeOf<T>,
		efficiency: FixedU64,
	) -> RoutingEntry<T::AccountId> {
		RoutingEntry {
			node: node_key.clone(),
			operator: node.operator.clone(),
			tier: node.tier,
			region: node.region,
			modules: node.modules,
			load: node.open_tasks,
			efficiency,
			last_heartbeat: node.record.last_heartbeat,
		}
	}

	/// Adds an active node to the routing table.
	fn insert_routing_entry(
		node_key: &T::AccountId,
		node: &NodeOf<T>,
		routing: &mut RoutingTableOf<T>,
		epoch: Epoch,
	) -> Result<(), Error<T>> {
		// The node counts in its region's census from now on.
		let placeholder = Self::routing_entry(node_key, node, FixedU64::zero());
		routing.try_push(placeholder).map_err(|_| Error::<T>::TooManyNodes)?;
		Self::sync_routing_entry(node_key, node, routing, epoch);
		Ok(())
	}

	/// Brings the node's routing entry up to date with its record, or removes it if the node
	/// is no longer active. Never adds an entry.
	pub(crate) fn sync_routing_entry(
		node_key: &T::AccountId,
		node: &NodeOf<T>,
		routing: &mut RoutingTableOf<T>,
		epoch: Epoch,
	) {
		if node.status != NodeStatus::Active {
			routing.retain(|entry| entry.node != *node_key);
			return;
		}
		// The census behind E must see the node's current region, so the entry is brought up
		// to date first and its efficiency computed after.
		let Some(position) = routing.iter().position(|entry| entry.node == *node_key) else {
			return;
		};
		if let Some(entry) = routing.get_mut(position) {
			*entry = Self::routing_entry(node_key, node, entry.efficiency);
		}
		let efficiency = Self::efficiency_of(node, routing, epoch);
		if let Some(entry) = routing.get_mut(position) {
			entry.efficiency = efficiency;
		}
	}

	/// Counts a concluded assignment the node got right: verified work of this epoch, with
	/// the blocks it took from assignment to commitment.
	pub(crate) fn record_success(
		node_key: &T::AccountId,
		latency: u32,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		let epoch = Self::current_epoch();
		let record = &mut node.record;
		record.tasks_concluded = record.tasks_concluded.saturating_add(1);
		record.tasks_ok = record.tasks_ok.saturating_add(1);
		record.consecutive_failures = 0;
		record.commit_latency = record.commit_latency.saturating_add(u64::from(latency));
		record.latency_samples = record.latency_samples.saturating_add(1);
		record.work.record(epoch);
		Self::sync_routing_entry(node_key, &node, routing, epoch);
		Nodes::<T>::insert(node_key, node);
	}

	/// Counts an assignment in which the node disputed the input alone: not ok, neither
	/// slashed nor a failure in a row (the clinic may have served the input selectively).
	pub(crate) fn record_dispute(
		node_key: &T::AccountId,
		task: TaskId,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		node.record.tasks_concluded = node.record.tasks_concluded.saturating_add(1);
		node.record.input_disputes = node.record.input_disputes.saturating_add(1);
		Self::sync_routing_entry(node_key, &node, routing, Self::current_epoch());
		Nodes::<T>::insert(node_key, node);
		Self::deposit_event(Event::InputDisputed { task, node: node_key.clone() });
	}

	/// Counts a challenge the node answered right or wrong.
	pub(crate) fn record_challenge(
		node_key: &T::AccountId,
		passed: bool,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		let record = &mut node.record;
		if passed {
			record.challenges_passed = record.challenges_passed.saturating_add(1);
		} else {
			record.challenges_failed = record.challenges_failed.saturating_add(1);
		}
		Self::sync_routing_entry(node_key, &node, routing, Self::current_epoch());
		Nodes::<T>::insert(node_key, node);
	}

	/// The node took part in a task concluded now: its stake stays slashable through the
	/// task's audit window, and through its review if it is in the quorum of a result under
	/// review.
	pub(crate) fn hold_for_review(node_key: &T::AccountId, under_review: bool) {
		Nodes::<T>::mutate(node_key, |node| {
			if let Some(node) = node {
				let until =
					frame_system::Pallet::<T>::block_number().saturating_add(T::AuditWindow::get());
				node.review_until = node.review_until.max(until);
				if under_review {
					node.pending_reviews = node.pending_reviews.saturating_add(1);
				}
			}
		});
	}

	/// A review the node was held for has settled.
	pub(crate) fn release_review(node_key: &T::AccountId) {
		Nodes::<T>::mutate(node_key, |node| {
			if let Some(node) = node {
				node.pending_reviews = node.pending_reviews.saturating_sub(1);
			}
		});
	}

	/// Slashes the node's share for `offence` into the reward pot, lowers its success rate
	/// (and so E) and suspends it after repeated failures or when its stake falls below the
	/// tier minimum. Unbonding nodes are slashed too: deregistering does not dodge a penalty.
	pub(crate) fn penalize(
		node_key: &T::AccountId,
		task: TaskId,
		offence: Offence,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		let amount = crate::types::slash_fraction::<T>(offence).mul_floor(node.stake);
		let slashed = Self::slash_stake(&node.operator, amount);
		node.stake = node.stake.saturating_sub(slashed);

		let record = &mut node.record;
		if matches!(offence, Offence::OverturnedBySpotCheck | Offence::FailedChallenge) {
			// The assignment was counted a success when it was verified.
			record.tasks_ok = record.tasks_ok.saturating_sub(1);
		} else {
			record.tasks_concluded = record.tasks_concluded.saturating_add(1);
		}
		record.consecutive_failures = record.consecutive_failures.saturating_add(1);

		let epoch = Self::current_epoch();
		let under_staked = node.stake < Self::tier_params(node.tier).min_stake;
		let failing = node.record.consecutive_failures >= T::MaxConsecutiveFailures::get();
		if node.status == NodeStatus::Active && (under_staked || failing) {
			let until = epoch.saturating_add(T::SuspensionEpochs::get());
			node.status = NodeStatus::Suspended { until };
			Self::deposit_event(Event::NodeSuspended { node: node_key.clone(), until });
		}
		Self::sync_routing_entry(node_key, &node, routing, epoch);
		Nodes::<T>::insert(node_key, node);
		Self::deposit_event(Event::NodePenalized {
			node: node_key.clone(),
			task,
			offence,
			slashed,
		});
	}

	/// Moves up to `amount` of the operator's held stake to the reward pot (burning it if the
	/// pot cannot receive it), returning what was taken.
	fn slash_stake(operator: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let reason = HoldReason::NodeStake.into();
		T::NativeBalance::transfer_on_hold(
			&reason,
			operator,
			&Self::reward_pot(),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.or_else(|_| {
			T::NativeBalance::burn_held(
				&reason,
				operator,
				amount,
				Precision::BestEffort,
				Fortitude::Force,
			)
		})
		.unwrap_or_else(|_| Zero::zero())
	}

	/// Records a new assignment of `task` to the node: its load rises by one.
	pub(crate) fn add_assignment(
		node_key: &T::AccountId,
		task: TaskId,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		node.open_tasks = node.open_tasks.saturating_add(1);
		if let Some(entry) = routing.iter_mut().find(|entry| entry.node == *node_key) {
			entry.load = node.open_tasks;
		}
		NodeTasks::<T>::insert(node_key, task, ());
		Nodes::<T>::insert(node_key, node);
	}

	/// Ends the node's assignment to `task`: its load falls by one.
	pub(crate) fn end_assignment(
		node_key: &T::AccountId,
		task: TaskId,
		routing: &mut RoutingTableOf<T>,
	) {
		let Some(mut node) = Nodes::<T>::get(node_key) else { return };
		node.open_tasks = node.open_tasks.saturating_sub(1);
		if let Some(entry) = routing.iter_mut().find(|entry| entry.node == *node_key) {
			entry.load = node.open_tasks;
		}
		NodeTasks::<T>::remove(node_key, task);
		Nodes::<T>::insert(node_key, node);
	}

	/// The parameters the protocol's guarantees rest on.
	///
	/// - A deregistering node finishes its open tasks within the unbonding period: it outlasts
	///   every round of a task (reviews and audit windows hold the stake on their own).
	/// - Withholding a reveal costs at least as much as not committing.
	/// - The hooks' budget fits the costliest deadline and draw, or nothing would ever be done.
	pub(crate) fn check_parameters() {
		use crate::types::UrgencyPolicy;
		let policies: [UrgencyPolicy<BlockNumberFor<T>>; 3] =
			[T::RoutinePolicy::get(), T::PriorityPolicy::get(), T::EmergencyPolicy::get()];
		for policy in policies {
			assert!(
				policy.assignees >= 1 && policy.assignees <= T::MaxAssignees::get(),
				"k within MaxAssignees"
			);
			assert!(
				!policy.commit_blocks.is_zero() && !policy.reveal_blocks.is_zero(),
				"phases last a block at least"
			);
			let give_up: BlockNumberFor<T> =
				T::InputPolicy::get().give_up_blocks_before_deadline.into();
			assert!(policy.commit_blocks > give_up, "a node may retry a fetch in every phase");
			let spill: BlockNumberFor<T> = crate::tasks::DEADLINE_SPILL.into();
			let round =
				policy.commit_blocks.saturating_add(policy.reveal_blocks).saturating_add(spill);
			let attempts: BlockNumberFor<T> = T::MaxAttempts::get().into();
			assert!(
				T::UnbondingPeriod::get() > round.saturating_mul(attempts),
				"unbonding outlasts a task"
			);
		}
		assert!(
			T::NoShowSlash::get() <= T::MinoritySlash::get(),
			"withholding never pays better than a minority"
		);
		assert!(
			T::ResultRetention::get() >= T::AuditWindow::get(),
			"records outlive their audit window"
		);
		let input = T::InputPolicy::get();
		assert!(
			input.max_input_bytes > 0
				&& input.attempt_timeout_ms > 0
				&& input.first_retry_pause_ms <= input.max_retry_pause_ms,
			"inputs can be fetched and retried"
		);
		assert!(!T::EpochLength::get().is_zero(), "epochs last a block at least");
		assert!(T::MaxAttempts::get() >= 1, "a task has one round at least");
		assert!(
			T::MaxNodesPerOperator::get() >= 1 && T::MaxOpenTasksPerNode::get() >= 1,
			"nodes can work"
		);
		assert!(
			T::MaxHookWeight::get()
				.all_gte(Self::deadline_weight().saturating_add(Self::draw_weight())),
			"the hooks fit their costliest work"
		);
	}
}
