//! `diagnose`: one image through the node's pipeline, with the optional FHIR report and
//! attention overlay.

use std::path::PathBuf;

use btt_diagnostics::{
	decode::decode,
	inference::Diagnostician,
	quantize::digest,
	report::{attention_overlay, fhir_report, ReportContext},
	taxonomy::{classes, module_from_key, module_key},
};
use btt_primitives::depin::DiagnosticModule;
use clap::Args;
use serde_json::json;
use sp_crypto_hashing::blake2_256;

use super::{hex, read, write, CliResult};

/// Arguments of `diagnose`.
#[derive(Args)]
pub struct DiagnoseArgs {
	/// The model file.
	#[arg(long)]
	model: PathBuf,
	/// The radiograph (DICOM, PNG or JPEG).
	image: PathBuf,
	/// The module whose chain diagnosis (findings bytes and digest) to print.
	#[arg(long, default_value = "caries")]
	module: String,
	/// Write a FHIR R4 DiagnosticReport (JSON) here.
	#[arg(long)]
	fhir: Option<PathBuf>,
	/// FHIR reference of the patient (e.g. `Patient/123`); omitted from the report otherwise.
	#[arg(long)]
	subject: Option<String>,
	/// Write the attention overlay (PNG) here.
	#[arg(long)]
	overlay: Option<PathBuf>,
}

/// Runs `diagnose`.
pub fn run(args: DiagnoseArgs) -> CliResult {
	let module = module_from_key(&args.module).ok_or(format!(
		"unknown module `{}` (one of: {})",
		args.module,
		DiagnosticModule::ALL.map(module_key).join(", ")
	))?;
	let diagnostician =
		Diagnostician::from_bytes(read(&args.model)?).map_err(|error| error.to_string())?;
	let bytes = read(&args.image)?;
	let input_hash = blake2_256(&bytes);
	let radiograph =
		decode(&bytes).map_err(|error| format!("{}: {error}", args.image.display()))?;
	let diagnostic = diagnostician.diagnose(&radiograph).map_err(|error| error.to_string())?;
	let chain =
		diagnostician.chain_diagnosis(&diagnostic, module).map_err(|error| error.to_string())?;
	let modules: Vec<_> = diagnostic
		.modules
		.iter()
		.map(|result| {
			json!({
				"module": module_key(result.module),
				"class": result.finding.class,
				"finding": classes(result.module).get(result.finding.class as usize),
				"bucket": result.finding.bucket,
				"probabilities": result.probabilities,
				"confidence": result.confidence,
				"uncertainty": result.uncertainty,
			})
		})
		.collect();
	if let Some(path) = &args.fhir {
		let context = ReportContext {
			task: None,
			input_hash,
			module,
			subject: args.subject.as_deref(),
			colour: radiograph.source.colour,
		};
		let report = fhir_report(&diagnostician, &diagnostic, &context)
			.map_err(|error| error.to_string())?;
		write(path, report.as_bytes())?;
	}
	if let Some(path) = &args.overlay {
		write(
			path,
			&attention_overlay(&radiograph, &diagnostic).map_err(|error| error.to_string())?,
		)?;
	}
	let report = json!({
		"image": args.image.display().to_string(),
		"input_hash": hex(&input_hash),
		"model_file": hex(diagnostician.model_id().as_bytes()),
		"image_quality": diagnostic.quality.score,
		"modules": modules,
		"chain": {
			"module": module_key(module),
			"model_id": hex(diagnostician.module_model_id(module).as_bytes()),
			"findings": hex(&chain.findings),
			"image_quality_percent": chain.image_quality.deconstruct(),
			"model_confidence_percent": chain.model_confidence.deconstruct(),
			"uncertainty_percent": chain.uncertainty.deconstruct(),
			"digest": hex(&digest(&chain)),
		},
	});
	println!("{}", serde_json::to_string_pretty(&report).map_err(|error| error.to_string())?);
	Ok(())
}
