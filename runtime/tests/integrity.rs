//! Runtime-wide checks: pallet integrity tests, fee calibration, proxy filters, XCM lock-down,
//! and (with `try-runtime`) every pallet's `try_state` invariants after a few blocks.

mod common;

use btt_runtime::{
	configs::{ProxyType, WeightToFee},
	AllPalletsWithSystem, PolkadotXcm, RuntimeCall, RuntimeOrigin, MILLI_UNITS,
};
use frame_support::{
	traits::{InstanceFilter, IntegrityTest},
	weights::{constants::ExtrinsicBaseWeight, WeightToFee as _},
};
use sp_keyring::Sr25519Keyring::{Alice, Bob};

#[test]
fn every_pallet_passes_its_integrity_test() {
	common::dev_genesis().execute_with(|| AllPalletsWithSystem::integrity_test());
}

#[test]
fn base_extrinsic_weight_costs_a_tenth_of_a_milli_btt() {
	let fee = WeightToFee::weight_to_fee(&ExtrinsicBaseWeight::get());
	let target = MILLI_UNITS / 10;
	// The linear coefficient is exact up to Perbill rounding of its fractional part.
	assert!(fee.abs_diff(target) <= target / 1_000_000, "fee {fee} vs {target}");
}

#[test]
fn non_transfer_proxy_cannot_move_funds() {
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
		dest: Bob.to_account_id().into(),
		value: 1,
	});
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	assert!(!ProxyType::NonTransfer.filter(&transfer));
	assert!(ProxyType::NonTransfer.filter(&remark));
	assert!(ProxyType::Any.filter(&transfer));
	assert!(ProxyType::Any.is_superset(&ProxyType::NonTransfer));
	assert!(!ProxyType::CancelProxy.is_superset(&ProxyType::NonTransfer));
}

#[test]
fn user_initiated_xcm_execution_is_filtered() {
	common::dev_genesis().execute_with(|| {
		let message = Box::new(xcm::VersionedXcm::from(xcm::latest::Xcm::<RuntimeCall>(vec![
			xcm::latest::Instruction::ClearOrigin,
		])));
		let result = PolkadotXcm::execute(
			RuntimeOrigin::signed(Alice.to_account_id()),
			message,
			frame_support::weights::Weight::MAX,
		);
		assert_eq!(
			result.map_err(|e| e.error),
			Err(pallet_xcm::Error::<btt_runtime::Runtime>::Filtered.into())
		);
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn try_state_of_every_pallet_holds_after_blocks_with_transfers() {
	use btt_runtime::{genesis_config_presets::DEV_ENDOWMENT, Balances};
	use frame_support::traits::{TryState, TryStateSelect};
	use sp_keyring::Sr25519Keyring::Charlie;

	common::dev_genesis().execute_with(|| {
		// Long enough to cross several relay slots.
		const LAST: u32 = 12;
		for block in 2..LAST {
			common::run_to_block(block);
			let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: Charlie.to_account_id().into(),
				value: btt_runtime::UNITS,
			});
			assert!(common::apply(common::signed_extrinsic(Alice, call, 0)).is_ok());
		}
		common::run_to_block(LAST);
		assert_eq!(btt_runtime::System::block_number(), LAST);
		assert_eq!(btt_runtime::Timestamp::get(), u64::from(LAST) * btt_runtime::SLOT_DURATION);
		let transfers_received = Balances::free_balance(Charlie.to_account_id()) - DEV_ENDOWMENT;
		assert_eq!(transfers_received, u128::from(LAST - 2) * btt_runtime::UNITS);
		AllPalletsWithSystem::try_state(LAST, TryStateSelect::All).expect("every invariant holds");
	});
}
