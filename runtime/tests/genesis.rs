//! The genesis presets build a working state, as the node's `--dev` and `--chain local` use them.

mod common;

use btt_runtime::{
	genesis_config_presets::{
		self, COLLATOR_BOND, DEVELOPMENT, DEV_COLLATOR_SEATS, DEV_ENDOWMENT, DEV_SESSION_BLOCKS,
		LOCAL_TESTNET, MIN_COLLATOR_BOND, MIN_NOMINATOR_BOND,
	},
	Balances, ParachainInfo, Runtime, PARACHAIN_ID,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Ferdie};

#[test]
fn runtime_offers_the_development_and_local_testnet_presets() {
	let names: Vec<String> = genesis_config_presets::preset_names()
		.into_iter()
		.map(|id| {
			let name: &str = id.as_ref();
			name.to_string()
		})
		.collect();
	assert_eq!(names, vec![DEVELOPMENT.to_string(), LOCAL_TESTNET.to_string()]);
}

#[test]
fn unknown_preset_is_refused() {
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn development_genesis_has_alice_as_only_collator_and_sudo() {
	common::dev_genesis().execute_with(|| {
		assert_eq!(ParachainInfo::parachain_id(), PARACHAIN_ID.into());
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		let alice = Alice.to_account_id();
		assert_eq!(
			pallet_validator_scoring::Invulnerables::<Runtime>::get().into_inner(),
			vec![alice.clone()]
		);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![alice.clone()]);
		// Alice is a bonded staking validator, elected by validator-scoring at genesis.
		assert!(pallet_staking::Validators::<Runtime>::contains_key(&alice));
		let ledger = pallet_staking::Ledger::<Runtime>::get(&alice).expect("Alice is bonded");
		assert_eq!((ledger.total, ledger.active), (COLLATOR_BOND, COLLATOR_BOND));
		let exposure = pallet_staking::ErasStakersOverview::<Runtime>::get(0, &alice)
			.expect("Alice is exposed in era 0");
		assert_eq!((exposure.own, exposure.total), (COLLATOR_BOND, COLLATOR_BOND));
		assert_eq!(
			pallet_validator_scoring::LastElection::<Runtime>::get()
				.iter()
				.map(|winner| (winner.who.clone(), winner.invulnerable))
				.collect::<Vec<_>>(),
			vec![(alice.clone(), true)]
		);
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), DEV_COLLATOR_SEATS);
		assert_eq!(pallet_staking::MinValidatorBond::<Runtime>::get(), MIN_COLLATOR_BOND);
		assert_eq!(pallet_staking::MinNominatorBond::<Runtime>::get(), MIN_NOMINATOR_BOND);
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index), Some(0));
		assert_eq!(
			pallet_validator_scoring::SessionLength::<Runtime>::get(),
			Some(DEV_SESSION_BLOCKS)
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Alice.to_account_id()));
		assert_eq!(Balances::free_balance(Ferdie.to_account_id()), DEV_ENDOWMENT);
	});
}

#[test]
fn local_testnet_genesis_has_alice_and_bob_as_collators() {
	common::genesis_from_preset(LOCAL_TESTNET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.len(), 2);
		let expected = vec![Alice.to_account_id(), Bob.to_account_id()];
		assert_eq!(
			pallet_validator_scoring::Invulnerables::<Runtime>::get().into_inner(),
			expected
		);
		let mut validators = pallet_session::Validators::<Runtime>::get();
		validators.sort();
		let mut sorted = expected.clone();
		sorted.sort();
		assert_eq!(validators, sorted);
		// A local network keeps a live chain's hour-long sessions.
		assert_eq!(pallet_validator_scoring::SessionLength::<Runtime>::get(), None);
		assert_eq!(
			<pallet_validator_scoring::SessionBlocks<Runtime> as frame_support::traits::Get<u32>>::get(),
			btt_runtime::configs::DEFAULT_SESSION_BLOCKS
		);
		let alice_keys = pallet_session::NextKeys::<Runtime>::get(Alice.to_account_id()).unwrap();
		assert!(aura.contains(&alice_keys.aura));
	});
}

#[test]
fn total_issuance_is_the_sum_of_endowments() {
	common::dev_genesis().execute_with(|| {
		let endowed = sp_keyring::Sr25519Keyring::well_known().count() as u128;
		assert_eq!(
			pallet_balances::TotalIssuance::<Runtime>::get(),
			endowed * DEV_ENDOWMENT
				+ genesis_config_presets::TREASURY_ENDOWMENT
				+ genesis_config_presets::DEPIN_REWARD_POT_ENDOWMENT
				+ genesis_config_presets::PATIENT_REWARD_POT_ENDOWMENT
		);
		let pot = btt_runtime::configs::DepinRewardPot::get();
		assert_eq!(
			pallet_balances::Pallet::<Runtime>::free_balance(&pot),
			genesis_config_presets::DEPIN_REWARD_POT_ENDOWMENT
		);
		let treasury = btt_runtime::configs::TreasuryAccount::get();
		assert_eq!(Balances::free_balance(treasury), genesis_config_presets::TREASURY_ENDOWMENT);
	});
}

#[test]
fn only_the_development_chain_uses_parent_hashes_as_randomness() {
	use frame_support::traits::fungible::NativeOrWithId;
	common::dev_genesis().execute_with(|| {
		assert!(pallet_depin_registry::DevRandomness::<Runtime>::get());
		assert_eq!(
			pallet_depin_registry::FeeCurrencies::<Runtime>::get(NativeOrWithId::Native),
			Some(genesis_config_presets::DEPIN_LEAST_FEE)
		);
		assert!(pallet_depin_registry::Auditors::<Runtime>::contains_key(
			genesis_config_presets::dev_auditor()
		));
	});
	common::genesis_from_preset(LOCAL_TESTNET).execute_with(|| {
		assert!(
			!pallet_depin_registry::DevRandomness::<Runtime>::get(),
			"a relay chain's network draws from its VRF"
		);
		assert_eq!(
			pallet_depin_registry::FeeCurrencies::<Runtime>::get(NativeOrWithId::Native),
			Some(genesis_config_presets::DEPIN_LEAST_FEE)
		);
	});
}
