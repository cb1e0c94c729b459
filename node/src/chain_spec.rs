//! Chain specs built from the runtime embedded in the binary.
//!
//! `dev` and `local` come from the runtime's genesis presets of the same purpose, so the node
//! never carries a copy of genesis that could drift from the runtime. Any other `--chain`
//! value is a path to a JSON chain spec (for example one exported with `build-spec`).

use btt_runtime::{
	genesis_config_presets::{DEVELOPMENT, LOCAL_TESTNET},
	PARACHAIN_ID, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use polkadot_omni_node_lib::chain_spec::{ChainSpec, Extensions, GenericChainSpec, LoadSpec};
use sc_chain_spec::ChainType;

/// Relay chain named in the specs' extensions (the relay a local network is launched with).
const LOCAL_RELAY_CHAIN: &str = "westend-local";

/// Loads `dev`, `local` (also the default when no `--chain` is given) or a JSON file.
pub struct BttChainSpecLoader;

impl LoadSpec for BttChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(development()?),
			"" | "local" => Box::new(local_testnet()?),
			path => Box::new(GenericChainSpec::from_json_file(path.into()).map_err(|e| {
				format!("`--chain {path}` is neither `dev`, `local` nor a readable chain spec: {e}")
			})?),
		})
	}
}

/// The single-node development chain (`--dev`): Alice authors, Alice is sudo.
pub fn development() -> Result<GenericChainSpec, String> {
	build("BTT Development", "btt_dev", ChainType::Development, DEVELOPMENT)
}

/// A local test network with Alice and Bob as collators, for zombienet.
pub fn local_testnet() -> Result<GenericChainSpec, String> {
	build("BTT Local Testnet", "btt_local", ChainType::Local, LOCAL_TESTNET)
}

fn build(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<GenericChainSpec, String> {
	let wasm = WASM_BINARY
		.ok_or("this btt-node was built without the runtime's wasm (SKIP_WASM_BUILD)")?;
	Ok(GenericChainSpec::builder(wasm, Extensions::new(LOCAL_RELAY_CHAIN.into(), PARACHAIN_ID))
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// Token and address format shown by wallets and polkadot.js apps.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}
