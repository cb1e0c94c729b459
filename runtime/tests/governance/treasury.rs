//! The treasury's income (80 % of every fee) and spends, and who governs each preset.

use super::*;
use btt_runtime::{
	configs::{
		governance::pallet_governance_origins::SMALL_SPEND, TreasuryAccount, TREASURY_FEE_SHARE,
	},
	genesis_config_presets::dev_fellows,
	Treasury,
};
use common::{apply, local_genesis, signed_extrinsic};

fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

#[test]
fn the_treasury_takes_its_share_of_each_fee_and_the_author_the_rest_and_the_tip() {
	dev_genesis().execute_with(|| {
		run_to_block(2);
		let treasury = TreasuryAccount::get();
		assert_eq!(
			Treasury::account_id(),
			treasury,
			"fees, dust and slashes reach pallet-treasury"
		);
		let author = pallet_authorship::Pallet::<Runtime>::author().expect("a block author");
		let (treasury_before, author_before) = (free(&treasury), free(&author));
		let tip = UNITS;
		let call: RuntimeCall = frame_system::Call::remark { remark: vec![0; 100] }.into();
		assert_ok!(apply(signed_extrinsic(Bob, call, tip)));
		let (fee, paid_tip) = System::events()
			.iter()
			.find_map(|record| match &record.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid {
						actual_fee, tip, ..
					},
				) => Some((*actual_fee - *tip, *tip)),
				_ => None,
			})
			.expect("the fee was paid");
		assert_eq!(paid_tip, tip);
		assert!(fee > 0);
		let share = TREASURY_FEE_SHARE.mul_floor(fee);
		assert_eq!(free(&treasury) - treasury_before, share);
		assert_eq!(free(&author) - author_before, fee - share + tip);
		check_every_invariant();
	});
}

#[test]
fn a_fee_paid_in_dusd_is_swapped_to_btt_and_split_the_same_way() {
	dev_genesis().execute_with(|| {
		run_to_block(2);
		let treasury = TreasuryAccount::get();
		let author = pallet_authorship::Pallet::<Runtime>::author().expect("a block author");
		let (treasury_before, author_before) = (free(&treasury), free(&author));
		let call: RuntimeCall = frame_system::Call::remark { remark: vec![0; 100] }.into();
		let dusd = frame_support::traits::fungible::NativeOrWithId::WithId(
			btt_runtime::genesis_config_presets::DEV_USD,
		);
		assert_ok!(apply(common::signed_extrinsic_paying_in(Bob, call, 0, Some(dusd))));
		let (to_treasury, to_author) =
			(free(&treasury) - treasury_before, free(&author) - author_before);
		assert!(to_author > 0, "the author receives its share of the swapped fee");
		assert_eq!(to_treasury, TREASURY_FEE_SHARE.mul_floor(to_treasury + to_author));
		check_every_invariant();
	});
}

#[test]
fn a_treasury_spend_refills_the_patient_reward_pot_after_its_valid_from_within_the_track_cap() {
	dev_genesis().execute_with(|| {
		let treasury = TreasuryAccount::get();
		let pot: AccountId = sp_runtime::traits::AccountIdConversion::into_account_truncating(
			&btt_runtime::configs::PatientRewardsPalletId::get(),
		);
		// Fees have accumulated in the treasury.
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(account(Alice)),
			treasury.clone().into(),
			100_000 * UNITS
		));
		// Signed accounts cannot spend; the small-spender track cannot exceed its cap.
		let spend = |origin: RuntimeOrigin, amount: Balance, valid_from| {
			Treasury::spend(origin, Box::new(()), amount, Box::new(pot.clone()), valid_from)
		};
		assert_noop!(
			spend(RuntimeOrigin::signed(account(Alice)), UNITS, None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			spend(track_origin(Track::SmallSpender), SMALL_SPEND + 1, None),
			pallet_treasury::Error::<Runtime>::InsufficientPermission
		);
		let valid_from = System::block_number() + 5;
		assert_ok!(spend(track_origin(Track::SmallSpender), SMALL_SPEND, Some(valid_from)));
		let index = pallet_treasury::SpendCount::<Runtime>::get() - 1;
		let (pot_before, treasury_before) = (free(&pot), free(&treasury));
		assert_noop!(
			Treasury::payout(RuntimeOrigin::signed(account(Dave)), index),
			pallet_treasury::Error::<Runtime>::EarlyPayout
		);
		run_to_block(valid_from);
		// Anyone may trigger a due payout; it pays the beneficiary, not the caller.
		assert_ok!(Treasury::payout(RuntimeOrigin::signed(account(Dave)), index));
		assert_eq!(free(&pot) - pot_before, SMALL_SPEND);
		assert_eq!(treasury_before - free(&treasury), SMALL_SPEND);
		assert_noop!(
			Treasury::payout(RuntimeOrigin::signed(account(Dave)), index),
			pallet_treasury::Error::<Runtime>::AlreadyAttempted
		);
		check_every_invariant();
	});
}

#[test]
fn only_the_development_chain_has_a_sudo_key_and_both_test_networks_seed_the_fellowship() {
	dev_genesis().execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Alice)));
	});
	local_genesis().execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_noop!(
			pallet_sudo::Pallet::<Runtime>::sudo(
				RuntimeOrigin::signed(account(Alice)),
				Box::new(frame_system::Call::remark { remark: vec![] }.into())
			),
			pallet_sudo::Error::<Runtime>::RequireSudo
		);
		for (who, rank) in dev_fellows() {
			assert_eq!(
				<Fellowship as frame_support::traits::RankedMembers>::rank_of(&who),
				Some(rank)
			);
		}
		assert_eq!(
			btt_runtime::configs::governance::pallet_governance_origins::TrackPace::<Runtime>::get(
			),
			btt_runtime::configs::governance::Pace::Development
		);
	});
}
