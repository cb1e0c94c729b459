//! One task's computation, off the async runtime: fetch the input, check its hash, decode,
//! diagnose with the model the task names, and write the clinic's files (FHIR report, overlay).
//! Whatever goes wrong with the *input* becomes an [`InputFault`] to reveal, never a crash;
//! a fetch that another attempt may still fix is handed back to the caller, which retries it
//! by the chain's back-off ([`crate::fetch::Retries`]).
//!
//! The worker computes through [`fetch_input`] and [`diagnose_marked`]: a computing marker is on disk while the input
//! is decoded and diagnosed, so a crash there is answered after the restart
//! ([`crate::recovery`]); a panic there is answered at once. The fetched bytes are freed as soon
//! as the image is decoded, so a task's peak memory is `btt_diagnostics::memory`'s bound plus
//! the input during decoding only.

use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

use btt_diagnostics::{
	decode::decode,
	inference::Diagnostician,
	quantize::{chain_diagnosis, QuantizedFinding},
	report::{attention_overlay, fhir_report, ReportContext},
	taxonomy::{class_count, module_key},
};
use btt_primitives::depin::{
	Diagnosis, DiagnosticModule, InputFault, InputPolicy, ModelId, TaskId,
};

use crate::{
	fetch::{fetch, Access, FetchError},
	store::{ComputingMarker, Store, StoreError},
};

/// The models a worker can run, by the chain ids of their modules.
pub struct ModelShelf {
	models: Vec<(PathBuf, Diagnostician)>,
}

/// Why a model file could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ShelfError {
	path: String,
	reason: String,
}

impl ModelShelf {
	/// Loads every model file.
	pub fn load(paths: &[PathBuf]) -> Result<Self, ShelfError> {
		let models = paths
			.iter()
			.map(|path| {
				let error =
					|reason: String| ShelfError { path: path.display().to_string(), reason };
				let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
				let diagnostician =
					Diagnostician::from_bytes(bytes).map_err(|e| error(e.to_string()))?;
				Ok((path.clone(), diagnostician))
			})
			.collect::<Result<Vec<_>, ShelfError>>()?;
		Ok(Self { models })
	}

	/// The model and module a chain model id names, if this worker has it.
	pub fn find(&self, model: &ModelId) -> Option<(&Diagnostician, DiagnosticModule)> {
		self.models
			.iter()
			.find_map(|(_, diagnostician)| Some((diagnostician, diagnostician.module_of(model)?)))
	}

	/// Every (chain model id, description) this worker serves.
	pub fn ids(&self) -> Vec<(ModelId, String)> {
		self.models
			.iter()
			.flat_map(|(path, diagnostician)| {
				DiagnosticModule::ALL.into_iter().map(move |module| {
					(
						diagnostician.module_model_id(module),
						format!("{} ({})", path.display(), module_key(module)),
					)
				})
			})
			.collect()
	}
}

/// What the chain asks of this node for one task.
#[derive(Clone, Debug)]
pub struct Job {
	/// The task.
	pub task: TaskId,
	/// Its module.
	pub module: DiagnosticModule,
	/// Its model.
	pub model: ModelId,
	/// Hash of the input's bytes.
	pub input_hash: [u8; 32],
	/// Where to fetch the input.
	pub input_uri: Vec<u8>,
}

/// Limits and places for the computation.
#[derive(Clone, Debug)]
pub struct ComputeSettings {
	/// How inputs are fetched: the chain's `DepinRegistry::InputPolicy`.
	pub input: InputPolicy,
	/// What the operator lets the worker fetch from (input directory, allow-listed networks).
	pub access: Access,
	/// Where each task's files go (`<reports>/task-<id>/`); `None`: nowhere (`keep_reports`
	/// off).
	pub reports: Option<PathBuf>,
	/// Reveal a constant answer instead of computing (the `--dishonest` test mode).
	pub dishonest: bool,
}

/// What the worker will reveal for a job, and why.
#[derive(Clone, Debug)]
pub struct Outcome {
	/// The diagnosis to commit and reveal.
	pub diagnosis: Diagnosis,
	/// The input fault found, if the diagnosis is one.
	pub fault: Option<InputFault>,
	/// Why, for the logs.
	pub detail: String,
	/// Time spent in the model, if it ran.
	pub inference: Option<Duration>,
}

impl Outcome {
	/// The outcome of an input fault.
	pub fn fault(fault: InputFault, detail: String) -> Self {
		Self { diagnosis: fault.diagnosis(), fault: Some(fault), detail, inference: None }
	}
}

/// Computes a job with one fetch attempt: a diagnosis, or the fault that prevents one
/// (`Ok`); or the fetch failure, if another attempt may still succeed (`Err`: a failing or
/// slow server, a missing file). Writes the report files of a successful diagnosis under
/// `settings.reports`.
pub fn compute(
	job: &Job,
	shelf: &ModelShelf,
	settings: &ComputeSettings,
) -> Result<Outcome, FetchError> {
	Ok(match fetch_input(job, shelf, settings)? {
		Fetched::Answered(outcome) => outcome,
		Fetched::Input(bytes) => match find_model(job, shelf) {
			Some((diagnostician, module)) => {
				diagnose_guarded(job, bytes, diagnostician, module, settings)
			}
			None => no_model(job),
		},
	})
}

/// Why [`compute_marked`] gave no outcome.
#[cfg(test)]
#[derive(Debug, thiserror::Error)]
pub enum ComputeError {
	/// The input was not fetched; another attempt may succeed.
	#[error(transparent)]
	Fetch(#[from] FetchError),
	/// The computing marker could not be written or cleared: stop rather than compute without it.
	#[error(transparent)]
	Store(#[from] StoreError),
}

/// [`compute`] with a computing marker in `store` from before the decoding until the outcome
/// is known: if the process dies on the input (a decoder exhausting memory, an abort, a kill),
/// the marker survives and [`crate::recovery::answer_interrupted`] answers the task at the next
/// start instead of computing it again. The worker runs the two halves, [`fetch_input`] and
/// [`diagnose_marked`], in slots of their own; the tests run both at once with this.
#[cfg(test)]
pub fn compute_marked(
	job: &Job,
	shelf: &ModelShelf,
	settings: &ComputeSettings,
	store: &Store,
) -> Result<Outcome, ComputeError> {
	match fetch_input(job, shelf, settings)? {
		Fetched::Answered(outcome) => Ok(outcome),
		Fetched::Input(bytes) => Ok(diagnose_marked(job, bytes, shelf, settings, store)?),
	}
}

/// The first half of [`compute_marked`], which the worker runs under its own limit of
/// concurrent fetches: the input's bytes, or the outcome if the job is answered without
/// decoding (dishonest mode, no model, a final fetch fault).
pub fn fetch_input(
	job: &Job,
	shelf: &ModelShelf,
	settings: &ComputeSettings,
) -> Result<Fetched, FetchError> {
	if settings.dishonest {
		return Ok(Fetched::Answered(dishonest_outcome(job.module)));
	}
	if find_model(job, shelf).is_none() {
		return Ok(Fetched::Answered(no_model(job)));
	}
	match fetch(&job.input_uri, &job.input_hash, &settings.input, &settings.access) {
		Ok(bytes) => Ok(Fetched::Input(bytes)),
		Err(error) if error.is_final() => {
			Ok(Fetched::Answered(Outcome::fault(error.fault(), error.to_string())))
		}
		Err(error) => Err(error),
	}
}

/// What [`fetch_input`] got.
pub enum Fetched {
	/// Answered without decoding.
	Answered(Outcome),
	/// The input's bytes, hash checked.
	Input(Vec<u8>),
}

/// The second half of [`compute_marked`], which the worker runs under its limit of concurrent
/// computations: decodes and diagnoses fetched `bytes` under a computing marker.
pub fn diagnose_marked(
	job: &Job,
	bytes: Vec<u8>,
	shelf: &ModelShelf,
	settings: &ComputeSettings,
	store: &Store,
) -> Result<Outcome, StoreError> {
	let Some((diagnostician, module)) = find_model(job, shelf) else {
		return Ok(no_model(job));
	};
	store.begin_computing(&ComputingMarker {
		task: job.task,
		model: job.model.0,
		input_hash: job.input_hash,
	})?;
	let outcome = diagnose_guarded(job, bytes, diagnostician, module, settings);
	store.end_computing(job.task)?;
	Ok(outcome)
}

/// The job's model and module, if this worker has it.
fn find_model<'a>(
	job: &Job,
	shelf: &'a ModelShelf,
) -> Option<(&'a Diagnostician, DiagnosticModule)> {
	shelf.find(&job.model).filter(|(_, module)| *module == job.module)
}

fn no_model(job: &Job) -> Outcome {
	Outcome::fault(InputFault::ModelUnavailable, format!("no local model with id {:?}", job.model))
}

/// [`diagnose`], a panic in it answered as `InputUnreadable` (the input made the computation
/// fail; computing it again would fail again).
fn diagnose_guarded(
	job: &Job,
	bytes: Vec<u8>,
	diagnostician: &Diagnostician,
	module: DiagnosticModule,
	settings: &ComputeSettings,
) -> Outcome {
	std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
		diagnose(job, bytes, diagnostician, module, settings)
	}))
	.unwrap_or_else(|_| {
		Outcome::fault(InputFault::InputUnreadable, "the computation panicked on this input".into())
	})
}

/// Diagnoses the fetched input of `job`, freeing the input once it is decoded.
fn diagnose(
	job: &Job,
	bytes: Vec<u8>,
	diagnostician: &Diagnostician,
	module: DiagnosticModule,
	settings: &ComputeSettings,
) -> Outcome {
	let decoded = decode(&bytes);
	drop(bytes);
	let radiograph = match decoded {
		Ok(radiograph) => radiograph,
		Err(error) => return Outcome::fault(InputFault::InputUnreadable, error.to_string()),
	};
	let started = Instant::now();
	let diagnostic = match diagnostician.diagnose(&radiograph) {
		Ok(diagnostic) => diagnostic,
		Err(error) => return Outcome::fault(InputFault::InputUnreadable, error.to_string()),
	};
	let inference = started.elapsed();
	let diagnosis = match diagnostician.chain_diagnosis(&diagnostic, module) {
		Ok(diagnosis) => diagnosis,
		Err(error) => return Outcome::fault(InputFault::ModelUnavailable, error.to_string()),
	};
	let context = ReportContext {
		task: Some(job.task),
		input_hash: job.input_hash,
		module,
		subject: None,
		colour: radiograph.source.colour,
	};
	let detail = match &settings.reports {
		None => "diagnosed; no report files (keep_reports is off)".to_string(),
		Some(reports) => {
			match write_reports(
				reports,
				job.task,
				diagnostician,
				&diagnostic,
				&radiograph,
				&context,
			) {
				Ok(dir) => format!("diagnosed; report in {}", dir.display()),
				Err(error) => format!("diagnosed; the report files could not be written: {error}"),
			}
		}
	};
	Outcome { diagnosis, fault: None, detail, inference: Some(inference) }
}

/// The constant answer of the `--dishonest` test mode: the module's last class with the lowest
/// confidence bucket, full quality and confidence. Honest nodes almost never agree with it.
pub fn dishonest_outcome(module: DiagnosticModule) -> Outcome {
	let class = class_count(module).saturating_sub(1) as u8;
	let finding = QuantizedFinding { module, class, bucket: 0 };
	let findings = btt_diagnostics::quantize::BTT_Q1.encode(&finding);
	Outcome {
		diagnosis: chain_diagnosis(findings, 1.0, 1.0, 0.0),
		fault: None,
		detail: "dishonest test mode: constant answer, nothing computed".into(),
		inference: None,
	}
}

/// The task's directory of report files.
pub fn report_dir(reports: &Path, task: TaskId) -> PathBuf {
	reports.join(format!("task-{task}"))
}

fn write_reports(
	reports: &Path,
	task: TaskId,
	diagnostician: &Diagnostician,
	diagnostic: &btt_diagnostics::inference::Diagnostic,
	radiograph: &btt_diagnostics::Radiograph,
	context: &ReportContext,
) -> Result<PathBuf, String> {
	let dir = report_dir(reports, task);
	let report =
		fhir_report(diagnostician, diagnostic, context).map_err(|error| error.to_string())?;
	let overlay = attention_overlay(radiograph, diagnostic).map_err(|error| error.to_string())?;
	let files = [("report.fhir.json", report.as_bytes()), ("overlay.png", overlay.as_slice())];
	crate::retention::write_private(&dir, &files)?;
	Ok(dir)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use btt_diagnostics::{decode::ColourEncoding, fhir::parse_report};

	use super::*;
	use crate::fetch::canonical_dir;

	#[test]
	fn a_colour_radiograph_s_report_records_its_conversion_to_luminance() {
		let dir = std::env::temp_dir().join(format!("btt-compute-colour-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
		let bytes =
			std::fs::read(manifest.join("../diagnostics/tests/data/codecs/rgb.dcm")).unwrap();
		std::fs::write(dir.join("rgb.dcm"), &bytes).unwrap();
		let shelf =
			ModelShelf::load(&[manifest.join("../models/btt-dental-tiny-v1.safetensors")]).unwrap();
		let (model, _) =
			shelf.ids().into_iter().find(|(_, name)| name.ends_with("(caries)")).unwrap();
		let input_dir = canonical_dir(&dir).unwrap();
		let job = Job {
			task: 11,
			module: DiagnosticModule::CariesDetection,
			model,
			input_hash: sp_crypto_hashing::blake2_256(&bytes),
			input_uri: format!("file://{}", input_dir.join("rgb.dcm").display()).into_bytes(),
		};
		let settings = ComputeSettings {
			input: InputPolicy {
				max_input_bytes: 1 << 20,
				attempt_timeout_ms: 10_000,
				first_retry_pause_ms: 1_000,
				max_retry_pause_ms: 8_000,
				give_up_blocks_before_deadline: 3,
			},
			access: Access { input_dir: Some(input_dir), allow_networks: Vec::new() },
			reports: Some(dir.join("reports")),
			dishonest: false,
		};
		let outcome = compute(&job, &shelf, &settings).unwrap();
		assert_eq!(outcome.fault, None, "{}", outcome.detail);
		let json =
			std::fs::read_to_string(report_dir(&dir.join("reports"), 11).join("report.fhir.json"))
				.unwrap();
		let report = parse_report(&json).unwrap();
		assert_eq!(report.extension.len(), 2, "{json}");
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		let colour = &value["extension"][1];
		assert_eq!(colour["url"], btt_diagnostics::fhir::SOURCE_COLOUR_EXTENSION);
		assert_eq!(colour["valueCoding"]["code"], "RGB");
		assert_eq!(colour["valueCoding"]["display"], ColourEncoding::Rgb.conversion());
		assert!(json.contains("Read from a RGB image converted to luminance"), "{json}");
		let _ = std::fs::remove_dir_all(&dir);
	}
}
