//! The v0 → v1 migration on old-format storage, run the way try-runtime runs it (through the
//! reusable [`crate::migrations::scaffold`]).

use super::helpers::*;
use crate::{
	migrations::{scaffold, v0, MigrateV0ToV1},
	mock::*,
	*,
};
use frame_support::{
	assert_ok,
	traits::{
		fungible::{InspectHold, MutateHold},
		schedule::{v3::Named, DispatchTime},
		Bounded, GetStorageVersion, StorageVersion,
	},
};

/// Rewrites the current (v1) state as v0 stored it: holder records as the block of the last
/// receipt, unscaled pools and cursors, no counts or currency lists; plus a v0 schedule with its
/// periodic task and its hold.
fn downgrade_to_v0(acquired: &[(u32, AccountId, u64)]) {
	for (asset, who, at) in acquired {
		Holdings::<Test>::remove(asset, who);
		v0::Holdings::<Test>::insert(asset, who, at);
	}
	let pools: Vec<_> = RevenuePools::<Test>::iter().collect();
	for (asset, currency, pool) in pools {
		assert_eq!(pool.per_fraction % REVENUE_SCALE, 0, "test deposits divide evenly");
		v0::RevenuePools::<Test>::insert(
			asset,
			currency,
			v0::RevenuePool {
				per_fraction: pool.per_fraction / REVENUE_SCALE,
				deposited: pool.deposited,
				claimed: pool.claimed,
				dust: pool.dust,
			},
		);
	}
	let cursors: Vec<_> = RevenueCursors::<Test>::iter().collect();
	for (key, cursor) in cursors {
		RevenueCursors::<Test>::insert(
			key,
			RevenueCursor {
				settled_per_fraction: cursor.settled_per_fraction / REVENUE_SCALE,
				unclaimed: cursor.unclaimed / REVENUE_SCALE,
			},
		);
	}
	let _ = OrdersOf::<Test>::clear(u32::MAX, None);
	PaymentCurrencies::<Test>::kill();
	let _ = AcceptedCurrencies::<Test>::clear(u32::MAX, None);

	let deposit = SCHEDULE_DEPOSIT;
	assert_ok!(<Balances as MutateHold<_>>::hold(
		&RuntimeHoldReason::Tokenization(HoldReason::RevenueSchedule),
		&BOB,
		deposit
	));
	let call: RuntimeCall =
		Call::<Test>::deposit_revenue { asset: 0, currency: btt(), amount: 100 }.into();
	assert_ok!(<Scheduler as Named<u64, RuntimeCall, OriginCaller>>::schedule_named(
		v0::schedule_task_name(0),
		DispatchTime::At(20),
		Some((10, 5)),
		255,
		frame_system::RawOrigin::Signed(BOB).into(),
		Bounded::Inline(codec::Encode::encode(&call).try_into().unwrap()),
	));
	v0::Schedules::<Test>::insert(
		0,
		v0::RevenueSchedule {
			payer: BOB,
			asset: 0,
			currency: btt(),
			amount: 100,
			period: 10,
			payments: 5,
			deposit,
		},
	);
	scaffold::set_on_chain_version::<Tokenization>(0);
}

#[test]
fn the_v1_migration_translates_v0_records() {
	build_and_execute(|| {
		let asset = fractionalized_asset(100);
		kyc(ALICE);
		kyc(BOB);
		assert_ok!(Tokenization::set_rules(RuntimeOrigin::signed(CLINIC), asset, {
			let mut rules = RulesOf::<Test>::default();
			rules.lockup = 10;
			rules
		}));
		assert_ok!(Tokenization::transfer_fractions(
			RuntimeOrigin::signed(CLINIC),
			asset,
			ALICE,
			30
		));
		assert_ok!(Tokenization::transfer_fractions(RuntimeOrigin::signed(CLINIC), asset, BOB, 10));
		assert_ok!(Tokenization::deposit_revenue(
			RuntimeOrigin::signed(CLINIC),
			asset,
			usdc(),
			1_000
		));
		assert_ok!(Tokenization::place_order(
			RuntimeOrigin::signed(ALICE),
			asset,
			OrderSide::Buy,
			5,
			100,
			usdc()
		));
		let claimable: Vec<Balance> = [CLINIC, ALICE, BOB]
			.iter()
			.map(|who| Tokenization::claimable_revenue(asset, who, &usdc()))
			.collect();
		System::set_block_number(5);
		downgrade_to_v0(&[(asset, CLINIC, 1), (asset, ALICE, 1), (asset, BOB, 1)]);
		assert_eq!(Tokenization::on_chain_storage_version(), StorageVersion::new(0));

		scaffold::run_upgrade::<MigrateV0ToV1<Test>>();

		assert_eq!(Tokenization::on_chain_storage_version(), StorageVersion::new(1));
		// v0 locked Alice's whole balance until 1 + 10: now one lot doing the same; the issuer
		// is never locked.
		let lots = Holdings::<Test>::get(asset, ALICE).unwrap();
		assert_eq!(lots.into_inner(), vec![Lot { amount: 30, received_at: 1, unlocks_at: 11 }]);
		assert!(Holdings::<Test>::get(asset, CLINIC).unwrap().is_empty());
		// Revenue is scaled, nobody's share changed.
		let after: Vec<Balance> = [CLINIC, ALICE, BOB]
			.iter()
			.map(|who| Tokenization::claimable_revenue(asset, who, &usdc()))
			.collect();
		assert_eq!(after, claimable);
		assert_eq!(RevenuePools::<Test>::get(asset, usdc()).per_fraction, 10 * REVENUE_SCALE);
		// The v0 schedule is closed: task cancelled, deposit back.
		assert!(Scheduler::next_dispatch_time(v0::schedule_task_name(0)).is_err());
		assert_eq!(
			<Balances as InspectHold<_>>::balance_on_hold(
				&RuntimeHoldReason::Tokenization(HoldReason::RevenueSchedule),
				&BOB
			),
			0
		);
		assert_eq!(OrdersOf::<Test>::get(ALICE), 1);
		assert!(AcceptedCurrencies::<Test>::get(asset).contains(&usdc()));
		assert!(PaymentCurrencies::<Test>::get().contains(&usdc()));
		// Running it again does nothing: the on-chain version is already 1.
		scaffold::run_upgrade::<MigrateV0ToV1<Test>>();
	});
}
