//! The shipped model on the shipped images gives the shipped answers.
//!
//! `offchain-workers/models/samples/golden.json` was written by `scripts/golden-diagnostics.sh`
//! (which runs `btt-diagnostics diagnose` on every sample). The answers are quantized, so they
//! hold on any x86-64 machine unless a probability sits within float noise of an edge; `eval`
//! counts how often that happens (the "near edge" column of MODEL_CARD.md).
//!
//! Each case is shipped as PNG and DICOM (`btt-diagnostics generate --format both`); a PNG
//! holds the display values of a MONOCHROME1 case, so both files of a case give the same
//! findings. Their digests may differ: the quality score I sees the PNG's bit depth.

use btt_diagnostics::{
	decode::decode, inference::Diagnostician, quantize::digest, taxonomy::module_key,
};
use btt_primitives::depin::DiagnosticModule;
use sp_crypto_hashing::blake2_256;

use crate::common::shipped_model_path;

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

#[test]
fn shipped_model_gives_the_golden_answers_on_the_shipped_images() {
	let model_path = shipped_model_path();
	let samples = model_path.parent().unwrap().join("samples");
	let golden: serde_json::Value = serde_json::from_slice(
		&std::fs::read(samples.join("golden.json")).expect("golden.json is shipped"),
	)
	.unwrap();
	let model = std::fs::read(&model_path).expect("the model is shipped");
	let diagnostician = Diagnostician::from_bytes(model).unwrap();
	assert_eq!(
		golden["model_id"],
		hex(diagnostician.model_id().as_bytes()),
		"golden.json is for another model"
	);
	let images = golden["images"].as_array().unwrap();
	assert!(images.len() >= 8, "PNG and DICOM samples");
	let mut findings_by_case = std::collections::BTreeMap::<String, Vec<(String, Vec<_>)>>::new();
	for entry in images {
		let file = entry["file"].as_str().unwrap();
		let bytes = std::fs::read(samples.join(file)).unwrap();
		assert_eq!(entry["input_hash"], hex(&blake2_256(&bytes)), "{file} changed");
		let diagnostic = diagnostician.diagnose(&decode(&bytes).unwrap()).unwrap();
		let findings: Vec<_> = diagnostic
			.modules
			.iter()
			.map(|result| (result.finding.class, result.finding.bucket))
			.collect();
		let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem).to_string();
		findings_by_case.entry(stem).or_default().push((file.to_string(), findings));
		for result in &diagnostic.modules {
			let expected = &entry["findings"][module_key(result.module)];
			assert_eq!(
				(expected[0].as_u64(), expected[1].as_u64()),
				(Some(u64::from(result.finding.class)), Some(u64::from(result.finding.bucket))),
				"{file}: {}",
				module_key(result.module)
			);
		}
		let chain =
			diagnostician.chain_diagnosis(&diagnostic, DiagnosticModule::CariesDetection).unwrap();
		assert_eq!(entry["digest"], hex(&digest(&chain)), "{file}: caries digest");
	}
	for (case, files) in &findings_by_case {
		assert_eq!(files.len(), 2, "{case}: a PNG and a DICOM file");
		assert_eq!(files[0].1, files[1].1, "{case}: {} and {} disagree", files[0].0, files[1].0);
	}
}
