//! The worker's configuration: a TOML file, every field of which a command-line flag can
//! override. `btt-worker --print-config` shows the result.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use btt_diagnostics::taxonomy::module_from_key;
use btt_primitives::depin::{DiagnosticModule, ModuleSet, Region, Tier};
use serde::{Deserialize, Serialize};

use crate::{
	fetch::{canonical_dir, Access, Network},
	secrets::{OperatorSecret, SecretError, OPERATOR},
};

/// Settings of older versions whose values now come from the chain
/// (`DepinRegistry::InputPolicy`), so that every honest node reveals the same fault.
const FROM_THE_CHAIN: [&str; 2] = ["max_input_bytes", "fetch_timeout_secs"];

/// Settings of older versions that held a secret in the file itself.
const SECRET_IN_FILE: [&str; 1] = ["operator"];

/// Everything the worker needs to know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerConfig {
	/// WebSocket RPC endpoint of a BTT node.
	pub chain: String,
	/// Directory of the state database (node key, pending commits and salts) and reports;
	/// created owner-only (0700).
	pub data_dir: PathBuf,
	/// A file (mode 0600 or stricter) holding the secret URI of the operator account that
	/// registers the node and holds its stake (`//Alice` on a dev chain); or leave it unset and
	/// set the environment variable `BTT_OPERATOR_SURI`. Only needed until the node is
	/// registered.
	pub operator_file: Option<PathBuf>,
	/// The operator's secret, read from `operator_file` or the environment (never from this
	/// file nor printed).
	#[serde(skip)]
	pub operator: Option<OperatorSecret>,
	/// Node tier: `consumer`, `professional`, `multi_gpu`, `cluster`.
	pub tier: String,
	/// Region: `africa`, `asia`, `europe`, `north_america`, `south_america`, `oceania`.
	pub region: String,
	/// Modules to serve (`caries`, `periodontal`, `orthodontic`, `endodontic`,
	/// `oral_pathology`); empty = every module.
	pub modules: Vec<String>,
	/// Declared hardware (checked against the tier on chain).
	pub hardware: HardwareConfig,
	/// Stake to hold, in plancks (10^-12 BTT); an integer or a decimal string.
	#[serde(with = "plancks")]
	pub stake: u128,
	/// What the operator sends the node key for its transaction fees when it holds less than
	/// half of it, in plancks (needs the operator's secret).
	#[serde(with = "plancks")]
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
	/// Write each diagnosed task's FHIR report and attention overlay under
	/// `<data_dir>/reports/task-<id>/` (off by default: they describe a patient's radiograph).
	pub keep_reports: bool,
	/// Hours a task's report files are kept before the worker deletes them (checked at start
	/// and then periodically, whether or not `keep_reports` is on now).
	pub report_retention_hours: u64,
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
			operator_file: None,
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
			keep_reports: false,
			report_retention_hours: 24,
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
	/// The operator's secret is given where it leaks, or cannot be read.
	#[error(transparent)]
	Secret(#[from] SecretError),
	/// The retention time is zero or too large.
	#[error("`report_retention_hours` = {0}: expected 1 to {MAX_RETENTION_HOURS} (set keep_reports = false to keep no report files)")]
	Retention(u64),
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
		if SECRET_IN_FILE.into_iter().any(|key| table.contains_key(key)) {
			return Err(
				SecretError::exposed("`operator` in the configuration file", OPERATOR).into()
			);
		}
		toml::from_str(text).map_err(|error| ConfigError::File(error.to_string()))
	}

	/// The configuration as `--print-config` shows it: TOML that parses back to the same
	/// settings, the operator's secret only named by its source in a comment.
	pub fn printable(&self) -> Result<String, ConfigError> {
		let text = toml::to_string_pretty(self)
			.map_err(|error| ConfigError::File(format!("--print-config: {error}")))?;
		let operator = match &self.operator {
			Some(secret) => format!("# operator: {secret}\n"),
			None => {
				"# operator: none (set operator_file or BTT_OPERATOR_SURI to register)\n".into()
			}
		};
		Ok(format!("{operator}{text}"))
	}

	/// How long a task's report files are kept.
	pub fn report_retention(&self) -> Result<Duration, ConfigError> {
		if self.report_retention_hours == 0 || self.report_retention_hours > MAX_RETENTION_HOURS {
			return Err(ConfigError::Retention(self.report_retention_hours));
		}
		Ok(Duration::from_secs(self.report_retention_hours * 3600))
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
		self.report_retention()?;
		if self.models.is_empty() {
			return Err(ConfigError::NoModel);
		}
		Ok(())
	}
}

/// Longest retention accepted: ten years.
pub const MAX_RETENTION_HOURS: u64 = 10 * 366 * 24;

/// Planck amounts (`u128`, which TOML integers cannot hold): written as decimal strings, read
/// from strings or integers.
mod plancks {
	use serde::{de, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(value: &u128, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&value.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u128, D::Error> {
		deserializer.deserialize_any(Plancks)
	}

	struct Plancks;

	impl de::Visitor<'_> for Plancks {
		type Value = u128;

		fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
			f.write_str("a non-negative amount of plancks (integer or decimal string)")
		}

		fn visit_u64<E: de::Error>(self, value: u64) -> Result<u128, E> {
			Ok(value.into())
		}

		fn visit_i64<E: de::Error>(self, value: i64) -> Result<u128, E> {
			u128::try_from(value).map_err(|_| E::custom(format!("{value} is negative")))
		}

		fn visit_u128<E: de::Error>(self, value: u128) -> Result<u128, E> {
			Ok(value)
		}

		fn visit_str<E: de::Error>(self, value: &str) -> Result<u128, E> {
			value.parse().map_err(|_| E::custom(format!("`{value}` is not a planck amount")))
		}
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

	#[test]
	fn print_config_redacts_the_operator_secret_and_parses_back() {
		let secret = crate::secrets::operator_secret(None, Some("//Alice//stash".into())).unwrap();
		let config = WorkerConfig {
			operator: secret,
			stake: u128::from(u64::MAX) * 1_000,
			node_funding: 7,
			models: vec!["m.safetensors".into()],
			..Default::default()
		};
		let printed = config.printable().unwrap();
		assert!(!printed.contains("Alice"), "{printed}");
		assert!(printed.contains("# operator: <redacted: from BTT_OPERATOR_SURI>"), "{printed}");
		assert!(printed.contains("stake = \"18446744073709551615000\""), "{printed}");
		let parsed = WorkerConfig::from_toml(&printed).unwrap();
		assert_eq!(parsed, WorkerConfig { operator: None, ..config });
		let none = WorkerConfig::default().printable().unwrap();
		assert!(none.starts_with("# operator: none"), "{none}");
	}

	#[test]
	fn planck_amounts_parse_from_integers_and_strings_but_not_negatives() {
		let config = WorkerConfig::from_toml("stake = 5000\nnode_funding = \"12\"\n").unwrap();
		assert_eq!((config.stake, config.node_funding), (5000, 12));
		for bad in ["stake = -1", "stake = \"lots\"", "stake = 1.5"] {
			assert!(matches!(WorkerConfig::from_toml(bad), Err(ConfigError::File(_))), "{bad}");
		}
	}

	#[test]
	fn operator_secret_in_the_configuration_file_is_refused_with_the_move_explained() {
		let error = WorkerConfig::from_toml("operator = \"//Alice\"\n").unwrap_err();
		assert_eq!(
			error,
			ConfigError::Secret(SecretError::exposed(
				"`operator` in the configuration file",
				OPERATOR
			))
		);
		let message = error.to_string();
		assert!(message.contains("operator_file") && message.contains("BTT_OPERATOR_SURI"));
		assert!(!message.contains("Alice"), "{message}");
	}

	#[test]
	fn report_retention_of_zero_or_over_ten_years_is_refused() {
		let config = WorkerConfig { models: vec!["m".into()], ..Default::default() };
		assert!(!config.keep_reports);
		assert_eq!(config.report_retention(), Ok(Duration::from_secs(24 * 3600)));
		for hours in [0, MAX_RETENTION_HOURS + 1, u64::MAX] {
			let bad = WorkerConfig { report_retention_hours: hours, ..config.clone() };
			assert_eq!(bad.validate(), Err(ConfigError::Retention(hours)));
		}
	}
}
