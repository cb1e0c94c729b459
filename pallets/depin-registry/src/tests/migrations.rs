//! The v0 → v1 migration on storage written in the v0 layout: nodes keep their stake, open
//! tasks are refunded, results become v1 records, and the invariants hold afterwards.

use super::helpers::*;
use crate::{
	migrations::{v0, v1::MigrateToV1},
	mock::*,
	NodeStatus, Nodes, Review, Routing, TaskResult, Tasks,
};
use btt_primitives::depin::{DiagnosticModule, ModuleSet, Region, Tier, Urgency};
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::Permill;

/// Runs the migration as the runtime's executive does (with try-runtime's pre/post checks when
/// that feature is on).
fn upgrade() {
	#[cfg(feature = "try-runtime")]
	{
		<MigrateToV1<Test> as OnRuntimeUpgrade>::try_on_runtime_upgrade(true)
			.expect("the migration's checks pass");
	}
	#[cfg(not(feature = "try-runtime"))]
	{
		<MigrateToV1<Test> as OnRuntimeUpgrade>::on_runtime_upgrade();
	}
}

#[test]
fn the_v1_migration_keeps_nodes_refunds_open_tasks_and_translates_results() {
	build_and_execute(|| {
		// A v0 chain: one node with an open task (fee in escrow), one concluded result.
		let node = register(FIRST_OPERATOR, 0);
		Nodes::<Test>::remove(node);
		Routing::<Test>::mutate(|routing| routing[0].load = 1);
		let old_node = v0::Node {
			operator: FIRST_OPERATOR,
			tier: Tier::Consumer,
			hardware: consumer_gpu(),
			region: Region::Europe,
			modules: ModuleSet::all(),
			stake: TIER_1_STAKE,
			status: NodeStatus::<u64>::Active,
			open_tasks: 1,
			record: v0::NodeRecord {
				heartbeats: 3,
				tasks_concluded: 4,
				tasks_ok: 4,
				..Default::default()
			},
		};
		unhashed::put(&Nodes::<Test>::hashed_key_for(node), &old_node);
		let old_task = v0::Task::<AccountId, Balance, NativeOrWithId<u32>, u64> {
			clinic: CLINIC,
			spec: v0::TaskSpec {
				module: DiagnosticModule::CariesDetection,
				model: model(),
				input_hash: H256::repeat_byte(1),
				input_uri: BoundedVec::truncate_from(b"https://clinic.example/1.png".to_vec()),
				urgency: Urgency::Routine,
				min_tier: Tier::Consumer,
				region: None,
			},
			currency: NativeOrWithId::Native,
			fee: FEE,
			posted_at: 1,
			attempt: 1,
			phase: v0::TaskPhase::Commit { deadline: 11 },
			assignees: BoundedVec::truncate_from(vec![v0::Assignment {
				node,
				operator: FIRST_OPERATOR,
				commitment: None,
				reveal: None,
			}]),
			spot_check_of: None,
		};
		unhashed::put(&Tasks::<Test>::hashed_key_for(7), &old_task);
		crate::NodeTasks::<Test>::insert(node, 7, ());
		crate::Deadlines::<Test>::insert(11u64, BoundedVec::truncate_from(vec![7u64]));
		crate::EscrowedFees::<Test>::insert(NativeOrWithId::Native, FEE);
		assert_ok_transfer(CLINIC, DepinRegistry::escrow_account(), FEE);
		let old_result = v0::TaskResult::<AccountId, u64>::Verified {
			module: DiagnosticModule::CariesDetection,
			findings: truth().findings,
			confidence: Permill::from_percent(80),
			agreement: Permill::one(),
			quorum: BoundedVec::truncate_from(vec![node]),
			verified_at: 1,
			spot_check: None,
			overturned: false,
		};
		unhashed::put(&crate::Results::<Test>::hashed_key_for(3), &old_result);
		StorageVersion::new(0).put::<DepinRegistry>();
		let clinic_before = balance(CLINIC);

		upgrade();

		assert_eq!(DepinRegistry::on_chain_storage_version(), StorageVersion::new(1));
		let migrated = Nodes::<Test>::get(node).expect("the node decodes in v1");
		assert_eq!(
			(migrated.operator, migrated.stake, migrated.open_tasks),
			(FIRST_OPERATOR, TIER_1_STAKE, 0)
		);
		assert_eq!((migrated.record.heartbeats, migrated.record.tasks_ok), (3, 4));
		assert_eq!(migrated.record.challenges_passed, 0);
		assert_eq!(Routing::<Test>::get()[0].load, 0);
		assert!(Tasks::<Test>::get(7).is_none());
		assert!(crate::NodeTasks::<Test>::iter().next().is_none());
		assert_eq!(balance(CLINIC), clinic_before + FEE, "the open task's fee went back");
		let TaskResult::Verified { review, findings, .. } = outcome(3) else { panic!("verified") };
		assert_eq!((review, findings), (Review::Settled, truth().findings));
		// Run again: the version gate makes it a no-op.
		upgrade();
		assert_eq!(Nodes::<Test>::get(node), Some(migrated));
	});
}

fn assert_ok_transfer(from: AccountId, to: AccountId, amount: Balance) {
	frame_support::assert_ok!(Balances::transfer_allow_death(
		RuntimeOrigin::signed(from),
		to,
		amount
	));
	frame_system::Pallet::<Test>::inc_providers(&to);
}
