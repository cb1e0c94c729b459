//! Test harness over the real `Runtime`: genesis from the runtime's own presets, blocks driven
//! through the real hooks with a parachain inherent, and signed extrinsics applied through
//! `Executive` with the full transaction-extension pipeline.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use btt_runtime::{
	genesis_config_presets, AllPalletsWithoutSystem, Balance, Executive, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SignedPayload, TxExtension, UncheckedExtrinsic,
};
use codec::Encode;
use parachains_runtimes_test_utils::RuntimeHelper;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, BuildStorage};

/// Externalities holding the genesis state of the named runtime preset, merged over the
/// runtime's default genesis exactly as the node's chain-spec builder does.
pub fn genesis_from_preset(preset: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("the runtime has no preset `{preset}`"));
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("presets are JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default genesis");
	merge(&mut config, patch);
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

/// Finalizes blocks up to `n` with the parachain inherent and timestamp, running every hook.
///
/// The mocked relay chain of `parachains-runtimes-test-utils` stays in one relay slot, and the
/// consensus hook admits `BLOCK_PROCESSING_VELOCITY + 1` = 4 parachain blocks per relay slot:
/// tests can drive genesis block 1 up to block 5.
pub fn run_to_block(n: u32) {
	assert!(n <= MAX_TEST_BLOCK, "the mocked relay chain admits blocks up to #{MAX_TEST_BLOCK}");
	RuntimeHelper::<Runtime, AllPalletsWithoutSystem>::run_to_block_with_finalize(n);
}

/// The highest block [`run_to_block`] can reach.
pub const MAX_TEST_BLOCK: u32 = 1 + btt_runtime::configs::BLOCK_PROCESSING_VELOCITY + 1;

/// A signed extrinsic from `signer`, with the runtime's real transaction extensions.
pub fn signed_extrinsic(signer: Sr25519Keyring, call: RuntimeCall, tip: Balance) -> UncheckedExtrinsic {
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
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
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
