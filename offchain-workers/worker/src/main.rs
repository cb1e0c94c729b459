//! `btt-worker`: the compute worker a DePIN node operator runs beside a BTT node.
//!
//! It keeps a node key in its state database, registers the node (when given the operator's
//! key), sends a heartbeat every epoch, and diagnoses the radiograph of every task the chain
//! assigns to it, proving the answer by commit–reveal. See `docs/worker.md`.

mod audit;
mod chain;
mod compute;
mod config;
mod fetch;
mod recovery;
mod retention;
mod schedule;
mod secrets;
mod store;
mod telemetry;
mod worker;

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::Parser;
use subxt_signer::{sr25519::Keypair, SecretUri};
use tracing::{error, info, warn};

use crate::{
	chain::{decode_input_policy, Chain, ChainError, Registration},
	compute::{ComputeSettings, ModelShelf},
	config::WorkerConfig,
	schedule::{Background, Limits},
	secrets::{operator_secret, SecretError, OPERATOR, OPERATOR_ENV},
	store::Store,
	telemetry::{serve_metrics, serve_status, Metrics},
	worker::{new_status, Worker, RECONNECT_DELAY},
};

/// Command line: a configuration file, and flags that override its fields; or `audit` and the
/// auditor's flags.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
	/// Run something other than the worker.
	#[command(subcommand)]
	command: Option<Command>,
	/// TOML configuration file (see docs/worker.md); flags override its fields.
	#[arg(long)]
	config: Option<PathBuf>,
	/// WebSocket RPC endpoint of a BTT node.
	#[arg(long)]
	chain: Option<String>,
	/// Directory of the state database and the report files.
	#[arg(long)]
	data_dir: Option<PathBuf>,
	/// No longer accepted (a secret on the command line is visible to every local user): use
	/// --operator-file or the environment variable BTT_OPERATOR_SURI.
	#[arg(long, hide = true)]
	operator: Option<String>,
	/// A file (mode 0600) holding the secret URI of the operator account (registers the node,
	/// funds its key, holds the stake); or set BTT_OPERATOR_SURI.
	#[arg(long)]
	operator_file: Option<PathBuf>,
	/// Node tier.
	#[arg(long)]
	tier: Option<String>,
	/// Region.
	#[arg(long)]
	region: Option<String>,
	/// A module to serve (repeat; default every module).
	#[arg(long = "module")]
	modules: Vec<String>,
	/// A model file (repeat).
	#[arg(long = "model")]
	models: Vec<PathBuf>,
	/// Stake to hold at registration, in plancks.
	#[arg(long)]
	stake: Option<u128>,
	/// Address of the JSON-RPC status API.
	#[arg(long)]
	status_listen: Option<std::net::SocketAddr>,
	/// Address of the Prometheus /metrics endpoint.
	#[arg(long)]
	metrics_listen: Option<std::net::SocketAddr>,
	/// The only directory `file://` inputs may be read from (default: none, `file://` refused).
	#[arg(long)]
	input_dir: Option<PathBuf>,
	/// A network (CIDR) inputs may be fetched from although it is not public, such as
	/// 127.0.0.0/8 (repeat; replaces the file's list).
	#[arg(long = "allow-network")]
	allow_networks: Vec<String>,
	/// Tasks computed at once (0 = one per core, as memory allows).
	#[arg(long)]
	concurrent_computations: Option<usize>,
	/// Inputs fetched at once.
	#[arg(long)]
	concurrent_fetches: Option<usize>,
	/// Keep each diagnosed task's FHIR report and overlay under <data-dir>/reports (off by
	/// default).
	#[arg(long)]
	keep_reports: bool,
	/// Hours report files are kept before they are deleted (default 24).
	#[arg(long)]
	report_retention_hours: Option<u64>,
	/// Test mode: reveal a constant answer, to show the chain slashing it. Never in production.
	#[arg(long)]
	dishonest: bool,
	/// Print the configuration that would be used, and exit.
	#[arg(long)]
	print_config: bool,
	/// Print the node key's account (SS58), creating the key if needed, and exit.
	#[arg(long)]
	print_node: bool,
}

/// The other modes of the binary.
#[derive(clap::Subcommand, Debug)]
enum Command {
	/// Run as a governance-registered auditor: post challenge tasks with sealed known answers,
	/// serve their images, open the seals after the nodes reveal (docs/auditor.md).
	Audit(audit::AuditArgs),
}

impl Cli {
	fn into_config(
		self,
		operator_env: Option<std::ffi::OsString>,
	) -> Result<(WorkerConfig, bool, bool), String> {
		if self.operator.is_some() {
			return Err(SecretError::exposed("--operator", OPERATOR).to_string());
		}
		let mut config = match &self.config {
			Some(path) => WorkerConfig::from_file(path).map_err(|error| error.to_string())?,
			None => WorkerConfig::default(),
		};
		config.chain = self.chain.unwrap_or(config.chain);
		config.data_dir = self.data_dir.unwrap_or(config.data_dir);
		config.operator_file = self.operator_file.or(config.operator_file);
		config.tier = self.tier.unwrap_or(config.tier);
		config.region = self.region.unwrap_or(config.region);
		if !self.modules.is_empty() {
			config.modules = self.modules;
		}
		if !self.models.is_empty() {
			config.models = self.models;
		}
		config.stake = self.stake.unwrap_or(config.stake);
		config.status_listen = self.status_listen.unwrap_or(config.status_listen);
		config.metrics_listen = self.metrics_listen.unwrap_or(config.metrics_listen);
		config.input_dir = self.input_dir.or(config.input_dir);
		if !self.allow_networks.is_empty() {
			config.allow_networks = self.allow_networks;
		}
		config.concurrent_computations =
			self.concurrent_computations.unwrap_or(config.concurrent_computations);
		config.concurrent_fetches = self.concurrent_fetches.unwrap_or(config.concurrent_fetches);
		config.keep_reports |= self.keep_reports;
		config.report_retention_hours =
			self.report_retention_hours.unwrap_or(config.report_retention_hours);
		config.dishonest |= self.dishonest;
		config.operator = operator_secret(config.operator_file.as_deref(), operator_env)
			.map_err(|error| error.to_string())?;
		config.validate().map_err(|error| error.to_string())?;
		Ok((config, self.print_config, self.print_node))
	}
}

fn main() -> ExitCode {
	btt_diagnostics::threads::pin_thread_count();
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	let mut cli = Cli::parse();
	if let Some(Command::Audit(args)) = cli.command.take() {
		return block_on(audit::run(args));
	}
	let (config, print_config, print_node) = match cli.into_config(std::env::var_os(OPERATOR_ENV)) {
		Ok(parsed) => parsed,
		Err(message) => {
			error!("configuration: {message}");
			return ExitCode::from(2);
		}
	};
	if print_config {
		return match config.printable() {
			Ok(text) => {
				println!("{text}");
				ExitCode::SUCCESS
			}
			Err(error) => {
				error!("{error}");
				ExitCode::FAILURE
			}
		};
	}
	block_on(run(config, print_node))
}

/// Runs `task` on a multi-threaded runtime; its error is logged and becomes the exit code.
fn block_on(task: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(error) => {
			error!("cannot start the async runtime: {error}");
			return ExitCode::FAILURE;
		}
	};
	match runtime.block_on(task) {
		Ok(()) => ExitCode::SUCCESS,
		Err(message) => {
			error!("{message}");
			ExitCode::FAILURE
		}
	}
}

async fn run(config: WorkerConfig, print_node: bool) -> Result<(), String> {
	let store =
		Store::open(&config.data_dir.join("state.redb")).map_err(|error| error.to_string())?;
	let seed = store.node_seed().map_err(|error| error.to_string())?;
	let node_key = Keypair::from_secret_key(seed).map_err(|error| format!("node key: {error}"))?;
	let node = node_key.public_key().to_account_id();
	if print_node {
		println!("{node}");
		return Ok(());
	}
	// Inputs the last process died computing are answered, not computed again.
	for task in recovery::answer_interrupted(&store, &node.0).map_err(|error| error.to_string())? {
		warn!(task, "the worker stopped while computing this task's input (a crash, a kill or out of memory): answering InputUnreadable instead of computing it again");
	}
	if config.dishonest {
		warn!("--dishonest: this worker reveals a constant answer and will be slashed; a test mode only");
	}
	let shelf = ModelShelf::load(&config.models).map_err(|error| error.to_string())?;
	let status = new_status(node.to_string(), shelf.ids(), config.dishonest);
	let metrics = Arc::new(Metrics::new());
	let metrics_address = serve_metrics(config.metrics_listen, metrics.clone())
		.await
		.map_err(|error| format!("metrics: {error}"))?;
	let (status_address, _status_server) = serve_status(config.status_listen, status.clone())
		.await
		.map_err(|error| error.to_string())?;
	info!(%node, metrics = %metrics_address, status = %status_address, models = config.models.len(), "worker started");

	let access = config.access().map_err(|error| error.to_string())?;
	let reports = config.data_dir.join("reports");
	let retention = config.report_retention().map_err(|error| error.to_string())?;
	tokio::spawn(retention::run(reports.clone(), retention));
	info!(
		keep_reports = config.keep_reports,
		retention_hours = config.report_retention_hours,
		"report files"
	);
	info!(input_dir = ?access.input_dir, allow_networks = ?config.allow_networks, "inputs: public HTTP(S) servers and these only");
	let (store, shelf) = (Arc::new(store), Arc::new(shelf));
	// Outlive a connection: a computation started before a reconnection is not started twice.
	let retries = Arc::new(std::sync::Mutex::new(fetch::Retries::default()));
	let mut background: Option<Arc<Background>> = None;
	loop {
		let attempt = async {
			let chain = Chain::connect(&config.chain, node_key.clone()).await?;
			// The limits that decide which fault a node reveals are the chain's, read anew on
			// every connection (a runtime upgrade may change them).
			let bytes = chain.constant_bytes("DepinRegistry", "InputPolicy").await?;
			let input = decode_input_policy(bytes.as_deref())
				.map_err(|error| Recoverable::Fatal(error.to_string()))?;
			info!(?input, "input policy from the chain");
			let settings = ComputeSettings {
				input,
				access: access.clone(),
				reports: config.keep_reports.then(|| reports.clone()),
				dishonest: config.dishonest,
			};
			ensure_registered(&chain, &config).await?;
			if let Ok(mut status) = status.write() {
				status.registered = true;
			}
			let epoch_length = chain.epoch_length().await?;
			let background = background
				.get_or_insert_with(|| Arc::new(background_for(&config, &settings)))
				.clone();
			if let Ok(mut status) = status.write() {
				status.slots = (background.limits.computation_slots, background.limits.fetch_slots);
			}
			let worker = Arc::new(Worker {
				chain,
				store: store.clone(),
				shelf: shelf.clone(),
				settings,
				metrics: metrics.clone(),
				status: status.clone(),
				epoch_length,
				heartbeat_epoch: Default::default(),
				retries: retries.clone(),
				background,
				failure: Default::default(),
			});
			worker.run().await.map_err(|error| match error {
				worker::WorkerError::Chain(error) => Recoverable::Chain(error),
				worker::WorkerError::Store(error) => Recoverable::Fatal(error.to_string()),
			})
		};
		tokio::select! {
			result = attempt => match result {
				Ok(()) => return Ok(()),
				Err(Recoverable::Fatal(message)) => return Err(message),
				Err(Recoverable::Chain(error)) => {
					metrics.fail("connection");
					if let Ok(mut status) = status.write() {
						status.connected = false;
					}
					warn!(%error, "chain connection lost; reconnecting in {} s", RECONNECT_DELAY.as_secs());
					tokio::time::sleep(RECONNECT_DELAY).await;
				},
			},
			_ = tokio::signal::ctrl_c() => {
				info!("interrupted; the state database keeps every pending commit and salt");
				return Ok(());
			},
		}
	}
}

/// The slots of the configuration (`0` computations: one per core, as memory allows).
fn background_for(config: &WorkerConfig, settings: &ComputeSettings) -> Background {
	let computations = match config.concurrent_computations {
		0 => schedule::default_computations(
			std::thread::available_parallelism().map(usize::from).unwrap_or(1),
			schedule::available_memory(),
			btt_diagnostics::memory::largest_task_bytes(u64::from(settings.input.max_input_bytes)),
		),
		slots => slots,
	};
	let limits = Limits::new(config.concurrent_fetches, computations);
	info!(
		computations = limits.computation_slots,
		fetches = limits.fetch_slots,
		"tasks computed and inputs fetched at once"
	);
	Background { running: Default::default(), limits }
}

/// A failure the loop retries (the chain) or stops on (everything else).
enum Recoverable {
	Chain(ChainError),
	Fatal(String),
}

impl From<ChainError> for Recoverable {
	fn from(error: ChainError) -> Self {
		Self::Chain(error)
	}
}

/// Registers the node (and funds its key) with the operator's key if it is not registered yet.
async fn ensure_registered(chain: &Chain, config: &WorkerConfig) -> Result<(), Recoverable> {
	let operator = match &config.operator {
		Some(secret) => {
			let uri: SecretUri = secret.uri().parse().map_err(|_| {
				Recoverable::Fatal(format!("{} is not a valid secret URI", secret.source))
			})?;
			Some(
				Keypair::from_uri(&uri)
					.map_err(|error| Recoverable::Fatal(format!("{}: {error}", secret.source)))?,
			)
		}
		None => None,
	};
	if let Some(operator) = &operator {
		let balance = chain.free_balance(chain.node()).await?;
		if balance < config.node_funding / 2 {
			chain.fund_node(operator, config.node_funding).await?;
			info!(amount = config.node_funding, "operator funded the node key for its fees");
		}
	}
	if let Some(view) = chain.node_view().await? {
		info!(operator = %view.operator, routable = view.routable, "node registered");
		return Ok(());
	}
	let Some(operator) = operator else {
		return Err(Recoverable::Fatal(format!(
			"node {} is not registered: give the operator's secret URI (the account holding the stake) in --operator-file or BTT_OPERATOR_SURI or register it with depinRegistry.registerNode",
			chain.node()
		)));
	};
	let config_error = |error: config::ConfigError| Recoverable::Fatal(error.to_string());
	let registration = Registration {
		tier: config.tier().map_err(config_error)?,
		hardware: (
			config.hardware.gpu_memory_gb,
			config.hardware.benchmark_score,
			config.hardware.power_watts,
		),
		region: config.region().map_err(config_error)?,
		modules: config.module_set().map_err(config_error)?,
		stake: config.stake,
	};
	chain.register(&operator, &registration).await?;
	info!(tier = ?registration.tier, region = ?registration.region, stake = registration.stake, "node registered");
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	fn cli(args: &[&str]) -> Cli {
		let mut argv = vec!["btt-worker", "--model", "m.safetensors"];
		argv.extend_from_slice(args);
		Cli::try_parse_from(argv).unwrap()
	}

	#[test]
	fn operator_secret_on_the_command_line_is_refused_with_the_move_explained() {
		let error = cli(&["--operator", "//Alice"]).into_config(None).unwrap_err();
		assert_eq!(error, SecretError::exposed("--operator", OPERATOR).to_string());
		assert!(error.contains("--operator-file") && error.contains("BTT_OPERATOR_SURI"));
		assert!(!error.contains("Alice"), "{error}");
	}

	#[test]
	fn operator_secret_comes_from_the_environment_and_report_flags_apply() {
		let args = ["--keep-reports", "--report-retention-hours", "2"];
		let (config, ..) = cli(&args).into_config(Some("//Bob".into())).unwrap();
		assert_eq!(config.operator.as_ref().map(|secret| secret.uri()), Some("//Bob"));
		assert!(config.keep_reports);
		assert_eq!(config.report_retention_hours, 2);
		let printed = config.printable().unwrap();
		assert!(!printed.contains("Bob"), "{printed}");
		let (config, ..) = cli(&[]).into_config(None).unwrap();
		assert_eq!((config.operator, config.keep_reports), (None, false));
	}
}
