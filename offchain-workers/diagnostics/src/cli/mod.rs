//! The subcommands of `btt-diagnostics`, one module each.

pub mod bench;
pub mod diagnose;
pub mod eval;
pub mod generate;
pub mod train;

use std::path::Path;

use btt_diagnostics::{
	model::file::{self, read_metadata},
	taxonomy::{classes, module_key},
};
use btt_primitives::depin::DiagnosticModule;
use indicatif::{ProgressBar, ProgressStyle};

/// A command's error: a message for the operator.
pub type CliResult = Result<(), String>;

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
	std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))
}

/// Writes a file (creating its directory), naming it in the error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
	if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
		std::fs::create_dir_all(parent)
			.map_err(|error| format!("{}: {error}", parent.display()))?;
	}
	std::fs::write(path, bytes).map_err(|error| format!("{}: {error}", path.display()))
}

/// A progress bar of `length` items with a message.
pub fn bar(length: usize, message: &str) -> ProgressBar {
	let bar = ProgressBar::new(length as u64);
	let style = ProgressStyle::with_template(
		"{msg:>12} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta})",
	)
	.unwrap_or_else(|_| ProgressStyle::default_bar());
	bar.set_style(style);
	bar.set_message(message.to_string());
	bar
}

/// Lowercase hex with a 0x prefix.
pub fn hex(bytes: &[u8]) -> String {
	let digits: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
	format!("0x{digits}")
}

/// `model-id`: the file's hash, the chain id of each of its modules (what
/// `depinRegistry.registerModel` takes), the class names of each module's findings and the
/// metadata, as JSON.
pub fn model_id(path: &Path) -> CliResult {
	let bytes = read(path)?;
	let metadata = read_metadata(&bytes).map_err(|error| error.to_string())?;
	let file_id = file::model_id(&bytes);
	let modules: serde_json::Map<String, serde_json::Value> = DiagnosticModule::ALL
		.into_iter()
		.map(|module| {
			(module_key(module).to_string(), hex(&file::module_model_id(&file_id, module)).into())
		})
		.collect();
	let classes: serde_json::Map<String, serde_json::Value> = DiagnosticModule::ALL
		.into_iter()
		.map(|module| (module_key(module).to_string(), classes(module).into()))
		.collect();
	let json = serde_json::json!({ "file": hex(&file_id), "modules": modules, "classes": classes, "metadata": metadata });
	println!("{}", serde_json::to_string_pretty(&json).map_err(|error| error.to_string())?);
	Ok(())
}
