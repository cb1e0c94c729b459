//! The worker's configuration: a TOML file, every field of which a command-line flag can
//! override. `btt-worker --print-config` shows the result.

use std::{net::SocketAddr, path::PathBuf};

use btt_diagnostics::taxonomy::module_from_key;
use btt_primitives::depin::{DiagnosticModule, ModuleSet, Region, Tier};
use serde::{Deserialize, Serialize};

use crate::fetch::{canonical_dir, Access, Network};

/// Settings of older versions whose values now come from the chain
/// (`DepinRegistry::InputPolicy`), so that every honest node reveals the same fault.
const FROM_THE_CHAIN: [&str; 2] = ["max_input_bytes", "fetch_timeout_secs"];

/// Everything the worker needs to know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerConfig {
	/// WebSocket RPC endpoint of a BTT node.
	pub chain: String,
	/// Directory of the state database (node key, pending commits and salts) and reports.
	pub data_dir: PathBuf,
	/// Secret URI of the operator account that registers the node and holds its stake
	/// (`//Alice` on a dev chain). Only needed until the node is registered.
	pub operator: Option<String>,
	/// Node tier: `consumer`, `professional`, `multi_gpu`, `cluster`.
	pub tier: String,
	/// Region: `africa`, `asia`, `europe`, `north_america`, `south_america`, `oceania`.
	pub region: String,
	/// Modules to serve (`caries`, `periodontal`, `orthodontic`, `endodontic`,
	/// `oral_pathology`); empty = every module.
	pub modules: Vec<String>,
	/// Declared hardware (checked against the tier on chain).
	pub hardware: HardwareConfig,
	/// Stake to hold, in plancks (10^-12 BTT).
	pub stake: u128,
	/// What the operator sends the node key for its transaction fees when it holds less than
	/// half of it, in plancks (needs `operator`).
	pub node_funding: u128,
	/// Model files (.safetensors) this worker can run.
	pub models: Vec<PathBuf>,
	/// Address of the JSON-RPC status API.
	pub status_listen: SocketAddr,
	/// Address of the Prometheus `/metrics` endpoint.
	pub metrics_listen: SocketAddr,
	/// The only directory `file://` inputs may be read from (regular files inside it, after
	/// resolving symlinks); unset, every `file://` input is refused.
	pub input_dir: Option<PathBuf>,
	/// Networks (CIDR, `127.0.0.0/8`, `fd00::/8`) the worker may fetch inputs from although
	/// they are loopback, private, link-local or otherwise not public; empty = public
	/// addresses only.
	pub allow_networks: Vec<String>,
	/// Tasks computed at once (decode, quality, model); 0 = one per core, no more than the
	/// available memory holds at the largest accepted image's bound.
	pub concurrent_computations: usize,
	/// Inputs fetched at once (each may hold the chain's `max_input_bytes`).
	pub concurrent_fetches: usize,
	/// Test mode: reveal a constant answer instead of running the model, to show the chain
	/// catching and slashing it. Never use it on a real network.
	pub dishonest: bool,
}

/// The hardware a node declares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareConfig {
	/// GPU memory in GB.
	pub gpu_memory_gb: u32,
	/// Benchmark score (the seeds' P).
	pub benchmark_score: u32,
	/// Power draw in watts.
	pub power_watts: u32,
}

impl Default for WorkerConfig {
	fn default() -> Self {
		Self {
			chain: "ws://127.0.0.1:9944".into(),
			data_dir: PathBuf::from("btt-worker-data"),
			operator: None,
			tier: "consumer".into(),
			region: "europe".into(),
			modules: Vec::new(),
			hardware: HardwareConfig { gpu_memory_gb: 8, benchmark_score: 300, power_watts: 300 },
			stake: 1_000 * 1_000_000_000_000,
			node_funding: 10 * 1_000_000_000_000,
			models: Vec::new(),
			status_listen: ([127, 0, 0, 1], 9955).into(),
			metrics_listen: ([127, 0, 0, 1], 9616).into(),
			input_dir: None,
			allow_networks: Vec::new(),
			concurrent_computations: 0,
			concurrent_fetches: crate::schedule::DEFAULT_FETCHES,
			dishonest: false,
		}
	}
}

/// Why a configuration is unusable.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
	/// The file could not be read or parsed.
	#[error("{0}")]
	File(String),
	/// A field has a value outside its set.
	#[error("`{field}` = `{value}`: expected one of {expected}")]
	Invalid {
		/// The field.
		field: &'static str,
		/// Its value.
		value: String,
		/// The accepted values.
		expected: &'static str,
	},
	/// No model file given.
	#[error("no model given: set `models` or pass --model")]
	NoModel,
	/// A setting that is no longer local.
	#[error("`{0}` is no longer a worker setting: every node uses the chain's limits (the runtime constant DepinRegistry::InputPolicy: largest input, attempt timeout, retry back-off), so remove it from the configuration file")]
	FromTheChain(&'static str),
	/// An `allow_networks` entry that is not a network.
	#[error("`allow_networks`: {0}")]
	Network(#[from] crate::fetch::NetworkError),
	/// The input directory cannot be used.
	#[error("`input_dir` = `{path}`: {reason}")]
	InputDir {
		/// The directory.
		path: String,
		/// Why.
		reason: String,
	},
}

impl WorkerConfig {
	/// Reads a TOML file.
	pub fn from_file(path: &std::path::Path) -> Result<Self, ConfigError> {
		let text = std::fs::read_to_string(path)
			.map_err(|error| ConfigError::File(format!("{}: {error}", path.display())))?;
		Self::from_toml(&text)
			.map_err(|error| ConfigError::File(format!("{}: {error}", path.display())))
	}

	/// Parses a configuration; a setting that moved to the chain gets its own error rather
	/// than "unknown field".
	pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
		let table: toml::Table =
			toml::from_str(text).map_err(|error| ConfigError::File(error.to_string()))?;
		if let Some(moved) = FROM_THE_CHAIN.into_iter().find(|key| table.contains_key(*key)) {
			return Err(ConfigError::FromTheChain(moved));
		}
		toml::from_str(text).map_err(|error| ConfigError::File(error.to_string()))
	}

	/// What the worker may fetch inputs from besides public servers: the input directory
	/// (which must exist) and the allow-listed networks.
	pub fn access(&self) -> Result<Access, ConfigError> {
		let input_dir = match &self.input_dir {
			Some(dir) => Some(canonical_dir(dir).map_err(|error| ConfigError::InputDir {
				path: dir.display().to_string(),
				reason: error.to_string(),
			})?),
			None => None,
		};
		let allow_networks = self
			.allow_networks
			.iter()
			.map(|network| network.parse::<Network>())
			.collect::<Result<Vec<_>, _>>()?;
		Ok(Access { input_dir, allow_networks })
	}

	/// The tier.
	pub fn tier(&self) -> Result<Tier, ConfigError> {
		match self.tier.as_str() {
			"consumer" => Ok(Tier::Consumer),
			"professional" => Ok(Tier::Professional),
			"multi_gpu" => Ok(Tier::MultiGpu),
			"cluster" => Ok(Tier::Cluster),
			other => Err(ConfigError::Invalid {
				field: "tier",
				value: other.into(),
				expected: "consumer, professional, multi_gpu, cluster",
			}),
		}
	}

	/// The region.
	pub fn region(&self) -> Result<Region, ConfigError> {
		match self.region.as_str() {
			"africa" => Ok(Region::Africa),
			"asia" => Ok(Region::Asia),
			"europe" => Ok(Region::Europe),
			"north_america" => Ok(Region::NorthAmerica),
			"south_america" => Ok(Region::SouthAmerica),
			"oceania" => Ok(Region::Oceania),
			other => Err(ConfigError::Invalid {
				field: "region",
				value: other.into(),
				expected: "africa, asia, europe, north_america, south_america, oceania",
			}),
		}
	}

	/// The modules served.
	pub fn module_set(&self) -> Result<ModuleSet, ConfigError> {
		if self.modules.is_empty() {
			return Ok(ModuleSet::of(&DiagnosticModule::ALL));
		}
		let modules = self
			.modules
			.iter()
			.map(|key| {
				module_from_key(key).ok_or_else(|| ConfigError::Invalid {
					field: "modules",
					value: key.clone(),
					expected: "caries, periodontal, orthodontic, endodontic, oral_pathology",
				})
			})
			.collect::<Result<Vec<_>, _>>()?;
		Ok(ModuleSet::of(&modules))
	}

	/// Checks every field that has a fixed set of values.
	pub fn validate(&self) -> Result<(), ConfigError> {
		self.tier()?;
		self.region()?;
		self.module_set()?;
		self.access()?;
		if self.models.is_empty() {
			return Err(ConfigError::NoModel);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	#[test]
	fn toml_fields_parse_and_unknown_fields_are_refused() {
		let config: WorkerConfig = toml::from_str(
			"chain = \"ws://127.0.0.1:9999\"\nregion = \"asia\"\nmodules = [\"caries\"]\nmodels = [\"m.safetensors\"]\n",
		)
		.unwrap();
		assert_eq!(config.chain, "ws://127.0.0.1:9999");
		assert_eq!(config.region().unwrap(), Region::Asia);
		assert_eq!(
			config.module_set().unwrap(),
			ModuleSet::of(&[DiagnosticModule::CariesDetection])
		);
		assert_eq!(config.validate(), Ok(()));
		assert!(toml::from_str::<WorkerConfig>("chian = \"typo\"").is_err());
	}

	#[test]
	fn local_fetch_limits_are_refused_because_they_come_from_the_chain() {
		for key in ["max_input_bytes = 67108864", "fetch_timeout_secs = 30"] {
			let text = format!("chain = \"ws://127.0.0.1:9944\"\n{key}\n");
			let error = WorkerConfig::from_toml(&text).unwrap_err();
			let field = key.split(' ').next().unwrap();
			assert!(matches!(error, ConfigError::FromTheChain(moved) if moved == field));
			assert!(error.to_string().contains("DepinRegistry::InputPolicy"), "{error}");
		}
		assert!(matches!(WorkerConfig::from_toml("chian = 1"), Err(ConfigError::File(_))));
	}

	#[test]
	fn file_inputs_and_local_networks_are_off_unless_the_operator_names_them() {
		let access = WorkerConfig::default().access().unwrap();
		assert_eq!(access, Access::default());
		let dir = std::env::temp_dir();
		let config = WorkerConfig::from_toml(&format!(
			"input_dir = \"{}\"\nallow_networks = [\"127.0.0.0/8\", \"::1/128\"]\n",
			dir.display()
		))
		.unwrap();
		let access = config.access().unwrap();
		assert_eq!(access.input_dir, Some(std::fs::canonicalize(&dir).unwrap()));
		assert_eq!(access.allow_networks.len(), 2);
		let bad = WorkerConfig { allow_networks: vec!["localhost".into()], ..config.clone() };
		assert!(matches!(bad.access(), Err(ConfigError::Network(_))));
		let missing = WorkerConfig { input_dir: Some("/nonexistent/btt-inputs".into()), ..config };
		assert!(matches!(missing.access(), Err(ConfigError::InputDir { .. })));
	}

	#[test]
	fn bad_values_name_the_field_and_the_choices() {
		let config =
			WorkerConfig { tier: "gpu".into(), models: vec!["m".into()], ..Default::default() };
		assert!(matches!(config.validate(), Err(ConfigError::Invalid { field: "tier", .. })));
		let config = WorkerConfig {
			modules: vec!["teeth".into()],
			models: vec!["m".into()],
			..Default::default()
		};
		assert!(matches!(config.validate(), Err(ConfigError::Invalid { field: "modules", .. })));
		assert_eq!(WorkerConfig::default().validate(), Err(ConfigError::NoModel));
	}
}
