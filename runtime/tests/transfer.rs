//! A signed BTT transfer through `Executive`, with every transaction extension and real fees.

mod common;

use btt_runtime::{AccountId, Balances, Runtime, RuntimeCall, RuntimeEvent, System, UNITS};
use frame_support::traits::fungible::Inspect;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};

fn transfer_call(to: sp_keyring::Sr25519Keyring, amount: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.to_account_id().into(),
		value: amount,
	})
}

#[test]
fn signed_transfer_moves_funds_and_charges_a_fee() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		// Dave sends; Alice, the development chain's collator, authors the block.
		let author = pallet_authorship::Pallet::<Runtime>::author().expect("the block has an author");
		assert_eq!(author, Alice.to_account_id());
		let balance = |who: &AccountId| Balances::balance(who);
		let (dave_before, bob_before, author_before) =
			(balance(&Dave.to_account_id()), balance(&Bob.to_account_id()), balance(&author));
		let treasury_before = balance(&btt_runtime::configs::TreasuryAccount::get());

		let outcome = common::apply(common::signed_extrinsic(Dave, transfer_call(Bob, 10 * UNITS), 0));

		assert!(outcome.is_ok(), "{outcome:?}");
		assert_eq!(balance(&Bob.to_account_id()), bob_before + 10 * UNITS);
		let fee = dave_before - 10 * UNITS - balance(&Dave.to_account_id());
		assert!(fee > 0, "a signed transfer pays a fee");
		assert!(fee < UNITS / 100, "fee {fee} is out of proportion for a transfer");
		// 80 % of the fee goes to the treasury, the rest to the block's author.
		let treasury = btt_runtime::configs::TreasuryAccount::get();
		let to_treasury = btt_runtime::configs::TREASURY_FEE_SHARE.mul_floor(fee);
		assert_eq!(balance(&author), author_before + fee - to_treasury);
		assert_eq!(balance(&treasury), treasury_before + to_treasury);
		let events: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert!(events.iter().any(|e| matches!(e,
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { amount, .. }) if *amount == 10 * UNITS)));
		assert!(events.iter().any(|e| matches!(e,
			RuntimeEvent::TransactionPayment(pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. })
				if *actual_fee == fee)));
		assert_eq!(frame_system::Pallet::<Runtime>::account_nonce(Dave.to_account_id()), 1);
	});
}

#[test]
fn transfer_beyond_the_balance_fails_and_moves_nothing() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		let too_much = Balances::balance(&Charlie.to_account_id()) * 2;
		let bob_before = Balances::balance(&Bob.to_account_id());

		let outcome =
			common::apply(common::signed_extrinsic(Charlie, transfer_call(Bob, too_much), 0));

		assert!(outcome.is_err(), "overdraft must fail, got {outcome:?}");
		assert_eq!(Balances::balance(&Bob.to_account_id()), bob_before);
	});
}

#[test]
fn a_replayed_transaction_is_rejected() {
	common::dev_genesis().execute_with(|| {
		common::run_to_block(2);
		let xt = common::signed_extrinsic(Alice, transfer_call(Bob, UNITS), 0);
		assert!(common::apply(xt.clone()).is_ok());
		assert!(
			btt_runtime::Executive::apply_extrinsic(xt).is_err(),
			"stale nonce must be refused"
		);
	});
}
