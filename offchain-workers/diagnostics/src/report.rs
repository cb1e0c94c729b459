//! What a diagnosis leaves for the clinic, off chain: the FHIR R4 report and the attention
//! overlay. The CLI's `diagnose` and the worker write the same files through these functions.

use btt_primitives::depin::DiagnosticModule;

use crate::{
	decode::ColourEncoding,
	fhir::{diagnostic_report, fhir_instant, report_json, FhirError, ReportFinding, ReportInput},
	inference::{Diagnostic, Diagnostician},
	overlay::{overlay_png_with, OverlayError},
	preprocess::SourceHeat,
	Radiograph,
};

/// Opacity of the heat map over the radiograph.
pub const OVERLAY_OPACITY: f32 = 0.6;

/// Who and what a report is about, beyond the diagnosis itself.
#[derive(Clone, Copy, Debug)]
pub struct ReportContext<'a> {
	/// The DePIN task answered, if any.
	pub task: Option<u64>,
	/// blake2-256 of the input image's bytes.
	pub input_hash: [u8; 32],
	/// The module whose confidence and uncertainty the report carries.
	pub module: DiagnosticModule,
	/// A FHIR patient reference, only if the clinic gave one.
	pub subject: Option<&'a str>,
	/// The colour encoding the radiograph was converted to luminance from
	/// (`radiograph.source.colour`), recorded in the report.
	pub colour: Option<ColourEncoding>,
}

/// The FHIR R4 `DiagnosticReport` (JSON) of a diagnosis: every module's finding, the model
/// by its id for the report's module, and no patient identifier unless `context.subject`.
/// Its `effectiveDateTime` and `issued` are now (the reading is made just before); the
/// report's module is tagged verified if the report answers a task (`context.task`).
pub fn fhir_report(
	diagnostician: &Diagnostician,
	diagnostic: &Diagnostic,
	context: &ReportContext,
) -> Result<String, FhirError> {
	let findings: Vec<ReportFinding> = diagnostic
		.modules
		.iter()
		.map(|result| ReportFinding {
			module: result.module,
			class: result.finding.class,
			probability: result.confidence,
			bucket: result.finding.bucket,
		})
		.collect();
	let module_result = diagnostic.module(context.module);
	let metadata = diagnostician.metadata();
	let now = fhir_instant(std::time::SystemTime::now());
	let report = diagnostic_report(&ReportInput {
		task: context.task,
		model_id: diagnostician.module_model_id(context.module).0,
		model_version: Some(format!("{} v{}", metadata.name, metadata.version)),
		input_hash: context.input_hash,
		findings: &findings,
		image_quality: diagnostic.quality.score,
		model_confidence: module_result.map(|result| result.confidence).unwrap_or(0.0),
		uncertainty: module_result.map(|result| result.uncertainty).unwrap_or(1.0),
		subject: context.subject,
		issued: now.as_deref(),
		effective: now.as_deref(),
		verified_module: context.task.map(|_| context.module),
		colour: context.colour,
	})?;
	report_json(&report)
}

/// The attention map laid over the radiograph, as a PNG the size of the radiograph (the map
/// is resampled pixel by pixel, never held at full size).
pub fn attention_overlay(
	radiograph: &Radiograph,
	diagnostic: &Diagnostic,
) -> Result<Vec<u8>, OverlayError> {
	let heat = SourceHeat::new(
		&diagnostic.preprocessed,
		&diagnostic.attention,
		diagnostic.attention_side,
		radiograph.width,
		radiograph.height,
	);
	overlay_png_with(radiograph, |x, y| heat.at(x, y), OVERLAY_OPACITY)
}
