//! The revealed bytes do not depend on the run or the thread count.

use std::process::Command;

use btt_diagnostics::{
	decode::decode, encode::encode_png, inference::Diagnostician, quantize::digest,
};
use btt_primitives::depin::DiagnosticModule;

use crate::common::{case, shipped_model_path, untrained_model};

/// The shipped model, or an untrained one written under a per-test name (tests run in
/// parallel threads of one process).
fn model_file(test: &str) -> std::path::PathBuf {
	let shipped = shipped_model_path();
	if shipped.exists() {
		return shipped;
	}
	let path = std::env::temp_dir()
		.join(format!("btt-determinism-{test}-{}.safetensors", std::process::id()));
	std::fs::write(&path, untrained_model()).unwrap();
	path
}

#[test]
fn two_runs_in_one_process_give_identical_diagnoses() {
	let diagnostician =
		Diagnostician::from_bytes(std::fs::read(model_file("in-process")).unwrap()).unwrap();
	for offset in 0..3 {
		let radiograph = case(offset).to_radiograph();
		let first = diagnostician.diagnose(&radiograph).unwrap();
		let second = diagnostician.diagnose(&radiograph).unwrap();
		assert_eq!(first.modules, second.modules);
		for module in DiagnosticModule::ALL {
			let a = diagnostician.chain_diagnosis(&first, module).unwrap();
			let b = diagnostician.chain_diagnosis(&second, module).unwrap();
			assert_eq!(digest(&a), digest(&b));
		}
	}
}

/// `btt-diagnostics diagnose` in a child process with `threads` rayon/candle threads; returns
/// its JSON output.
fn diagnose_with_threads(
	model: &std::path::Path,
	image: &std::path::Path,
	threads: &str,
) -> serde_json::Value {
	let output = Command::new(env!("CARGO_BIN_EXE_btt-diagnostics"))
		.args(["diagnose", "--model"])
		.arg(model)
		.arg(image)
		.env("RAYON_NUM_THREADS", threads)
		.output()
		.unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn one_and_two_threads_reveal_the_same_digest() {
	let model = model_file("threads");
	for offset in 0..3 {
		let case = case(offset);
		let image = std::env::temp_dir()
			.join(format!("btt-determinism-{}-{offset}.png", std::process::id()));
		std::fs::write(
			&image,
			encode_png(&case.stored, case.width, case.height, case.equipment.bits_stored).unwrap(),
		)
		.unwrap();
		assert!(decode(&std::fs::read(&image).unwrap()).is_ok());
		let one = diagnose_with_threads(&model, &image, "1");
		let two = diagnose_with_threads(&model, &image, "2");
		assert_eq!(one["chain"]["digest"], two["chain"]["digest"], "case {offset}");
		// Not only the quantized answer: the probabilities themselves are bit-identical.
		assert_eq!(one["modules"], two["modules"], "case {offset}");
	}
}
