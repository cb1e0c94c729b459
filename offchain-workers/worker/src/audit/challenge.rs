//! One challenge, before it reaches the chain: a synthetic radiograph, and the findings an
//! honest worker reveals for it.
//!
//! The expected findings come from [`crate::compute::compute`], the very function a worker
//! runs on an assigned task (fetch, hash check, decode, diagnose, quantize), on the file the
//! auditor will serve. So the sealed answer is, byte for byte, what a worker running the
//! registered model reveals: there is no second quantization to drift from the first.

use std::{io::Write, path::Path};

use btt_diagnostics::{
	encode::{encode_dicom, encode_png, DicomWriteOptions},
	synthetic::{generate, GeneratorConfig},
	taxonomy::module_key,
};
use btt_primitives::depin::{DiagnosticModule, Findings, InputPolicy, ModelId};
use rand::{rngs::OsRng, RngCore};
use sp_crypto_hashing::blake2_256;

use crate::{
	compute::{compute, ComputeSettings, Job, ModelShelf},
	fetch::{canonical_dir, Access},
};

/// The auditor reads its own files: no size or time limit worth the name, no retries.
const OWN_FILES: InputPolicy = InputPolicy {
	max_input_bytes: u32::MAX,
	attempt_timeout_ms: 30_000,
	first_retry_pause_ms: 0,
	max_retry_pause_ms: 0,
	give_up_blocks_before_deadline: 0,
};

/// Settings that read `file://` inputs from the auditor's own `dir` of challenge images.
fn own_file_settings(dir: &Path, reports: &Path) -> Result<ComputeSettings, String> {
	let input_dir = canonical_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
	Ok(ComputeSettings {
		input: OWN_FILES,
		access: Access { input_dir: Some(input_dir), allow_networks: Vec::new() },
		reports: Some(reports.to_path_buf()),
		dishonest: false,
	})
}

/// The file format of a challenge image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImageFormat {
	/// PNG (8 or 16 bit, as the simulated detector stores).
	Png,
	/// DICOM Part 10 (intra-oral image storage).
	Dicom,
	/// PNG or DICOM, at random per challenge (as clinics send both).
	Mixed,
}

/// A challenge image and its expected answer.
#[derive(Clone, Debug)]
pub struct PreparedImage {
	/// The file's name (random, so that names say nothing) under the challenges directory.
	pub file: String,
	/// blake2-256 of its bytes.
	pub input_hash: [u8; 32],
	/// The quantized findings an honest worker reveals.
	pub expected: Findings,
	/// What the generator drew (ground truth of the module), for the logs.
	pub truth: u8,
}

/// Renders the synthetic radiograph of `seed`, writes it (synced to disk) under `dir`, and
/// computes its expected findings for `module` with the model `model` of `shelf`, through the
/// worker's own compute path. `id` names the auditor's own report directory of it
/// (`<reports>/task-<id>`).
pub fn prepare_image(
	seed: u64,
	format: ImageFormat,
	module: DiagnosticModule,
	model: ModelId,
	dir: &Path,
	shelf: &ModelShelf,
	reports: &Path,
	id: u64,
) -> Result<PreparedImage, String> {
	let case = generate(seed, &GeneratorConfig::default());
	let dicom = match format {
		ImageFormat::Png => false,
		ImageFormat::Dicom => true,
		ImageFormat::Mixed => OsRng.next_u32() % 2 == 0,
	};
	let (bytes, extension) = if dicom {
		let options = DicomWriteOptions {
			bits_stored: case.equipment.bits_stored,
			photometric: case.equipment.photometric,
			..DicomWriteOptions::default()
		};
		(encode_dicom(&case.stored, case.width, case.height, &options), "dcm")
	} else {
		// Display values: a PNG cannot say that its values are MONOCHROME1.
		let display = case.display_values();
		(encode_png(&display, case.width, case.height, case.equipment.bits_stored), "png")
	};
	let bytes = bytes.map_err(|error| format!("encoding the challenge image: {error}"))?;
	let file = format!("{}.{extension}", random_name());
	let path = dir.join(&file);
	write_synced(&path, &bytes).map_err(|error| format!("{}: {error}", path.display()))?;

	let input_hash = blake2_256(&bytes);
	let settings = own_file_settings(dir, reports)?;
	// The resolved path: `file://` inputs name absolute paths inside the input directory.
	let resolved = settings.access.input_dir.as_deref().unwrap_or(dir).join(&file);
	let job = Job {
		task: id,
		module,
		model,
		input_hash,
		input_uri: format!("file://{}", resolved.display()).into_bytes(),
	};
	let outcome = compute(&job, shelf, &settings)
		.map_err(|error| format!("the challenge image cannot be read back: {error}"))?;
	if let Some(fault) = outcome.fault {
		return Err(format!(
			"the model does not diagnose the challenge image ({fault:?}): {}",
			outcome.detail
		));
	}
	Ok(PreparedImage {
		file,
		input_hash,
		expected: outcome.diagnosis.findings,
		truth: case.labels.get(module).unwrap_or(0),
	})
}

/// 16 random bytes in hex: a file name that tells nothing about the challenge.
fn random_name() -> String {
	let mut bytes = [0u8; 16];
	OsRng.fill_bytes(&mut bytes);
	hex(&bytes)
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The module's key (`caries`, …), for logs and the JSON report.
pub fn module_name(module: DiagnosticModule) -> &'static str {
	module_key(module)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
	if let Some(parent) = path.parent() {
		std::fs::create_dir_all(parent)?;
	}
	let mut file = std::fs::File::create(path)?;
	file.write_all(bytes)?;
	file.sync_all()
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::expect_used)]

	use super::*;

	fn shipped_model() -> std::path::PathBuf {
		Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/btt-dental-tiny-v1.safetensors")
	}

	#[test]
	fn expected_findings_are_what_a_worker_computes_for_the_served_file() {
		let dir = std::env::temp_dir().join(format!("btt-audit-prepare-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		let shelf = ModelShelf::load(&[shipped_model()]).unwrap();
		let module = DiagnosticModule::PeriodontalAssessment;
		let model = shelf
			.ids()
			.into_iter()
			.map(|(id, _)| id)
			.find(|id| shelf.find(id).map(|(_, m)| m) == Some(module))
			.unwrap();
		for format in [ImageFormat::Png, ImageFormat::Dicom] {
			let image = prepare_image(
				8_589_934_700,
				format,
				module,
				model,
				&dir.join("challenges"),
				&shelf,
				&dir.join("reports"),
				1,
			)
			.unwrap();
			let path = dir.join("challenges").join(&image.file);
			let bytes = std::fs::read(&path).unwrap();
			assert_eq!(blake2_256(&bytes), image.input_hash);
			assert!(image.file.ends_with(if format == ImageFormat::Png { ".png" } else { ".dcm" }));
			// A worker assigned the task fetches the same bytes and reveals these findings.
			let job = Job {
				task: 99,
				module,
				model,
				input_hash: image.input_hash,
				input_uri: format!("file://{}", path.display()).into_bytes(),
			};
			let settings =
				own_file_settings(&dir.join("challenges"), &dir.join("worker-reports")).unwrap();
			let worker = compute(&job, &shelf, &settings).unwrap();
			assert_eq!(worker.fault, None);
			assert_eq!(worker.diagnosis.findings, image.expected);
			assert_eq!(
				image.expected.len(),
				5,
				"scheme btt-q1: id (2 bytes), module, class, bucket"
			);
		}
	}
}
