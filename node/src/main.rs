//! `btt-node`: the BTT collator.
//!
//! A thin binary on `polkadot-omni-node-lib`: the library brings the collator, the `--dev`
//! manual-seal mode, chain-spec tooling and the `benchmark` subcommands; this crate adds BTT's
//! identity and the chain specs built from the runtime it embeds (see [`chain_spec`]), so
//! `btt-node --dev` and `btt-node --chain local` need no JSON file.

mod chain_spec;

use polkadot_omni_node_lib::{
	extra_subcommand::NoExtraSubcommand, run_with_custom_cli, runtime::DefaultRuntimeResolver,
	CliConfig, RunConfig,
};

/// BTT's identity as shown by `--help` and `--version`.
struct BttCli;

impl CliConfig for BttCli {
	fn impl_version() -> String {
		format!("{}-{}", env!("CARGO_PKG_VERSION"), env!("SUBSTRATE_CLI_COMMIT_HASH"))
	}

	fn description(executable_name: String) -> String {
		format!(
			"BTT oral-healthcare parachain collator.\n\n\
			Start a local development chain: {executable_name} --dev\n\
			Run a collator:                  {executable_name} --collator --chain <spec> -- --chain <relay-spec>\n\n\
			Arguments after -- are passed to the embedded relay-chain node."
		)
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		format!("{}/issues", env!("CARGO_PKG_REPOSITORY"))
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

fn main() -> color_eyre::eyre::Result<()> {
	color_eyre::install()?;
	let config =
		RunConfig::new(Box::new(DefaultRuntimeResolver), Box::new(chain_spec::BttChainSpecLoader));
	Ok(run_with_custom_cli::<BttCli, NoExtraSubcommand>(config)?)
}
