//! `generate`: synthetic radiographs as files, with a `labels.json` of their ground truth.

use std::path::PathBuf;

use btt_diagnostics::{
	encode::{encode_dicom, encode_png, DicomWriteOptions},
	synthetic::{generate, GeneratorConfig},
	taxonomy::module_key,
};
use btt_primitives::depin::DiagnosticModule;
use clap::{Args, ValueEnum};
use serde_json::{json, Value};

use super::{bar, write, CliResult};

/// File formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
	/// PNG (8 or 16 bit, the case's detector depth).
	Png,
	/// DICOM Part 10, intra-oral image storage.
	Dicom,
	/// Both.
	Both,
}

/// Arguments of `generate`.
#[derive(Args)]
pub struct GenerateArgs {
	/// Output directory.
	#[arg(long)]
	out: PathBuf,
	/// Number of images.
	#[arg(long, default_value_t = 8)]
	count: usize,
	/// First generator seed (the test split starts at 8589934592).
	#[arg(long, default_value_t = 8_589_934_592)]
	seed: u64,
	/// File format.
	#[arg(long, value_enum, default_value_t = Format::Both)]
	format: Format,
}

/// Runs `generate`.
pub fn run(args: GenerateArgs) -> CliResult {
	let config = GeneratorConfig::default();
	let progress = bar(args.count, "generating");
	let mut entries = Vec::with_capacity(args.count);
	for seed in (args.seed..).take(args.count) {
		let case = generate(seed, &config);
		let stem = format!("case-{seed}");
		let mut files = Vec::new();
		if matches!(args.format, Format::Png | Format::Both) {
			// Display values: a PNG cannot say that its values are MONOCHROME1.
			let display = case.display_values();
			let bytes = encode_png(&display, case.width, case.height, case.equipment.bits_stored)
				.map_err(|error| format!("{stem}: {error}"))?;
			write(&args.out.join(format!("{stem}.png")), &bytes)?;
			files.push(format!("{stem}.png"));
		}
		if matches!(args.format, Format::Dicom | Format::Both) {
			let options = DicomWriteOptions {
				bits_stored: case.equipment.bits_stored,
				photometric: case.equipment.photometric,
				..DicomWriteOptions::default()
			};
			let bytes = encode_dicom(&case.stored, case.width, case.height, &options)
				.map_err(|error| format!("{stem}: {error}"))?;
			write(&args.out.join(format!("{stem}.dcm")), &bytes)?;
			files.push(format!("{stem}.dcm"));
		}
		let labels: serde_json::Map<String, Value> = DiagnosticModule::ALL
			.into_iter()
			.map(|module| (module_key(module).to_string(), json!(case.labels.get(module))))
			.collect();
		entries.push(json!({
			"seed": seed,
			"files": files,
			"view": format!("{:?}", case.view),
			"bits_stored": case.equipment.bits_stored,
			"photometric": format!("{:?}", case.equipment.photometric),
			"labels": labels,
		}));
		progress.inc(1);
	}
	progress.finish();
	let json = serde_json::to_string_pretty(&entries).map_err(|error| error.to_string())?;
	write(&args.out.join("labels.json"), json.as_bytes())?;
	println!("wrote {} cases to {}", args.count, args.out.display());
	Ok(())
}
