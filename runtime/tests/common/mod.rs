//! Test harness over the real `Runtime`: genesis from the runtime's own presets, blocks driven
//! through the real hooks with a parachain inherent, and signed extrinsics applied through
//! `Executive` with the full transaction-extension pipeline.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use btt_runtime::{
	genesis_config_presets, AllPalletsWithoutSystem, Balance, Executive, ParachainSystem, Runtime,
	RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin, SignedPayload, Timestamp, TxExtension,
	UncheckedExtrinsic, PARACHAIN_ID, SLOT_DURATION,
};
use codec::Encode;
use cumulus_pallet_parachain_system::parachain_inherent::{
	deconstruct_parachain_inherent_data, InboundMessagesData,
};
use cumulus_primitives_core::{relay_chain::Slot, PersistedValidationData};
use cumulus_primitives_parachain_inherent::ParachainInherentData;
use cumulus_test_relay_sproof_builder::RelayStateSproofBuilder;
use frame_support::traits::{OnFinalize, OnInitialize};
use polkadot_parachain_primitives::primitives::HeadData;
use sp_consensus_aura::AURA_ENGINE_ID;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, BuildStorage, Digest, DigestItem};

/// Externalities holding the genesis state of the named runtime preset, merged over the
/// runtime's default genesis exactly as the node's chain-spec builder does.
pub fn genesis_from_preset(preset: &str) -> sp_io::TestExternalities {
	genesis_from_preset_with(preset, serde_json::json!({}))
}

/// [`genesis_from_preset`] with `extra` merged over the preset (a test's own collators,
/// bonds or session length), as a chain spec's patch would be.
pub fn genesis_from_preset_with(
	preset: &str,
	extra: serde_json::Value,
) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("the runtime has no preset `{preset}`"));
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("presets are JSON");
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default genesis");
	merge(&mut config, patch);
	merge(&mut config, extra);
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("the preset fits RuntimeGenesisConfig");
	let mut ext: sp_io::TestExternalities = config.build_storage().expect("genesis builds").into();
	ext.execute_with(|| frame_system::Pallet::<Runtime>::set_block_number(1));
	ext
}

/// The development chain's genesis (what `btt-node --dev` starts from).
pub fn dev_genesis() -> sp_io::TestExternalities {
	genesis_from_preset(genesis_config_presets::DEVELOPMENT)
}

/// JSON merge patch (RFC 7386 without deletions): objects merge key by key, anything else
/// replaces.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// Finalizes the current block and runs blocks up to `n` through every hook, each with the
/// parachain inherent (a mocked relay chain whose slot advances with every block), an Aura
/// pre-digest for the matching slot, and the timestamp inherent.
///
/// Block `b` has relay slot `b + k`, Aura slot `b + k` and timestamp `(b + k) · SLOT_DURATION`,
/// where `k` counts the slots [`skip_slots`] skipped so far: what the consensus hook demands
/// (parachain slot = slot derived from the relay chain, and at most
/// `BLOCK_PROCESSING_VELOCITY + 1` blocks per relay slot).
pub fn run_to_block(n: u32) {
	while frame_system::Pallet::<Runtime>::block_number() < n {
		let parent = frame_system::Pallet::<Runtime>::finalize();
		let number = parent.number + 1;
		let slot = u64::from(number) + SLOT_OFFSET.with(|offset| *offset.borrow());
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())],
		};
		frame_system::Pallet::<Runtime>::reset_events();
		frame_system::Pallet::<Runtime>::initialize(&number, &parent.hash(), &digest);
		AllPalletsWithoutSystem::on_initialize(number);

		let parent_head = HeadData(parent.encode());
		let sproof = RelayStateSproofBuilder {
			para_id: PARACHAIN_ID.into(),
			included_para_head: Some(parent_head.clone()),
			current_slot: Slot::from(slot),
			randomness: RELAY_RANDOMNESS.with(|randomness| *randomness.borrow()),
			additional_key_values: RELAY_VRF
				.with(|vrf| *vrf.borrow())
				.map(|vrf| {
					let key = cumulus_primitives_core::relay_chain::well_known_keys::CURRENT_BLOCK_RANDOMNESS.to_vec();
					// The relay chain's `Babe::AuthorVrfRandomness` of block `number`: the
					// configured value mixed with the number, so that every block differs.
					let value: [u8; 32] = sp_io::hashing::blake2_256(&(vrf, number).encode());
					(key, Some(value).encode())
				})
				.into_iter()
				.collect(),
			..Default::default()
		};
		let offset = u64::from(btt_runtime::configs::RELAY_PARENT_OFFSET);
		let (relay_parent_storage_root, relay_chain_state, relay_parent_descendants) =
			sproof.into_state_root_proof_and_descendants(offset);
		let inherent = ParachainInherentData {
			validation_data: PersistedValidationData {
				parent_head,
				relay_parent_number: number * 2 + 1,
				relay_parent_storage_root,
				max_pov_size: 10 * 1024 * 1024,
			},
			relay_chain_state,
			downward_messages: Default::default(),
			horizontal_messages: Default::default(),
			relay_parent_descendants,
			collator_peer_id: None,
		};
		let (data, downward, horizontal) = deconstruct_parachain_inherent_data(inherent);
		ParachainSystem::set_validation_data(
			RuntimeOrigin::none(),
			data,
			InboundMessagesData::new(
				downward.into_abridged(&mut usize::MAX.clone()),
				horizontal.into_abridged(&mut usize::MAX.clone()),
			),
		)
		.expect("the mocked relay chain state is valid");
		Timestamp::set(RuntimeOrigin::none(), slot * SLOT_DURATION).expect("timestamp inherent");

		AllPalletsWithoutSystem::on_finalize(number);
	}
}

/// Lets `k` slots pass with no block: the next block's slot is `k` later, as when the
/// collators Aura assigned them were offline.
pub fn skip_slots(k: u64) {
	SLOT_OFFSET.with(|offset| *offset.borrow_mut() += k);
}

/// The Aura slot the next block [`run_to_block`] builds will have.
pub fn next_slot() -> u64 {
	u64::from(frame_system::Pallet::<Runtime>::block_number())
		+ 1 + SLOT_OFFSET.with(|offset| *offset.borrow())
}

thread_local! {
	/// Slots skipped so far ([`skip_slots`]).
	pub static SLOT_OFFSET: core::cell::RefCell<u64> = const { core::cell::RefCell::new(0) };
	/// The relay chain's randomness (of its previous epoch) in the mocked relay state proofs.
	pub static RELAY_RANDOMNESS: core::cell::RefCell<sp_core::H256> =
		const { core::cell::RefCell::new(sp_core::H256::zero()) };
	/// The seed of the relay chain's per-block VRF output in the mocked proofs, if they carry
	/// one (a real collator's proofs do).
	pub static RELAY_VRF: core::cell::RefCell<Option<sp_core::H256>> = const { core::cell::RefCell::new(None) };
}

/// The VRF output the mocked relay state proof of block `number` carries for `seed`.
pub fn relay_vrf_of(seed: sp_core::H256, number: u32) -> sp_core::H256 {
	sp_core::H256(sp_io::hashing::blake2_256(&(seed, number).encode()))
}

/// The local testnet's genesis: no development randomness, the relay chain's only.
pub fn local_genesis() -> sp_io::TestExternalities {
	genesis_from_preset(genesis_config_presets::LOCAL_TESTNET)
}

/// A signed extrinsic from `signer`, with the runtime's real transaction extensions, its fee
/// paid in BTT.
pub fn signed_extrinsic(
	signer: Sr25519Keyring,
	call: RuntimeCall,
	tip: Balance,
) -> UncheckedExtrinsic {
	signed_extrinsic_paying_in(signer, call, tip, None)
}

/// A signed extrinsic from `signer` whose fee is paid in `fee_asset` (`None`: BTT), through
/// the asset's BTT pool, as polkadot.js signs with `assetId`.
pub fn signed_extrinsic_paying_in(
	signer: Sr25519Keyring,
	call: RuntimeCall,
	tip: Balance,
	fee_asset: Option<frame_support::traits::fungible::NativeOrWithId<btt_runtime::AssetId>>,
) -> UncheckedExtrinsic {
	let account = signer.to_account_id();
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(&account);
	let extension: TxExtension = (
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::<Runtime>::from(tip, fee_asset),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
	)
		.into();
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("valid extension");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(call, account.into(), signature.into(), extension)
}

/// Applies `xt` in the current block, returning the dispatch outcome.
pub fn apply(xt: UncheckedExtrinsic) -> sp_runtime::DispatchOutcome {
	Executive::apply_extrinsic(xt).expect("the extrinsic is valid")
}

/// Runs every pallet's `try_state` at the current block (with the `try-runtime` feature).
pub fn check_every_invariant() {
	#[cfg(feature = "try-runtime")]
	{
		use frame_support::traits::TryState;
		btt_runtime::AllPalletsWithSystem::try_state(
			frame_system::Pallet::<Runtime>::block_number(),
			frame_support::traits::TryStateSelect::All,
		)
		.expect("every invariant holds");
	}
}
