//! The revealed bytes do not depend on the run or the thread count.

use std::process::Command;

use btt_diagnostics::{
	decode::decode,
	encode::encode_png,
	inference::Diagnostician,
	model::fused::Kernel,
	quantize::digest,
	synthetic::{generate, GeneratorConfig},
	Radiograph,
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

/// Every module's digest and probability bits for each image, diagnosed on `kernel`.
fn fingerprints(model: &[u8], kernel: Kernel, images: &[Radiograph]) -> Vec<Vec<u8>> {
	let diagnostician =
		Diagnostician::from_bytes(model.to_vec()).unwrap().with_kernel(kernel).unwrap();
	assert_eq!(diagnostician.fused_net().kernel(), kernel);
	images
		.iter()
		.map(|radiograph| {
			let diagnostic = diagnostician.diagnose(radiograph).unwrap();
			let mut bytes = diagnostic.quality.score.to_bits().to_le_bytes().to_vec();
			for module in DiagnosticModule::ALL {
				let chain = diagnostician.chain_diagnosis(&diagnostic, module).unwrap();
				bytes.extend_from_slice(digest(&chain).as_ref());
				let result = diagnostic.module(module).unwrap();
				bytes.extend(result.probabilities.iter().flat_map(|p| p.to_bits().to_le_bytes()));
			}
			bytes.extend(diagnostic.attention.iter().flat_map(|a| a.to_bits().to_le_bytes()));
			bytes
		})
		.collect()
}

/// The shipped samples (PNG and DICOM) and 1,000 small synthetic radiographs give the same
/// digests, probabilities and attention maps, bit for bit, on every convolution kernel this
/// CPU has: portable (`f32::mul_add`), AVX2/FMA and AVX-512.
#[test]
fn every_kernel_gives_the_same_bits_on_samples_and_1000_synthetic_images() {
	let model = std::fs::read(model_file("kernels")).unwrap();
	let samples = shipped_model_path().parent().unwrap().join("samples");
	let mut images: Vec<Radiograph> = std::fs::read_dir(&samples)
		.map(|entries| {
			let mut paths: Vec<_> = entries.map(|entry| entry.unwrap().path()).collect();
			paths.sort();
			paths
		})
		.unwrap_or_default()
		.into_iter()
		.filter(|path| path.extension().is_some_and(|ext| ext == "png" || ext == "dcm"))
		.map(|path| decode(&std::fs::read(path).unwrap()).unwrap())
		.collect();
	let shipped = images.len();
	let config = GeneratorConfig { long_side: 48, ..GeneratorConfig::default() };
	images.extend((0..1000).map(|seed| generate(7u64 << 40 | seed, &config).to_radiograph()));
	let portable = fingerprints(&model, Kernel::Portable, &images);
	let mut compared = vec![Kernel::Portable];
	for kernel in [Kernel::Avx2, Kernel::Avx512] {
		if !kernel.supported() {
			continue;
		}
		let fingerprints = fingerprints(&model, kernel, &images);
		for (index, (a, b)) in portable.iter().zip(&fingerprints).enumerate() {
			assert_eq!(a, b, "image {index} ({shipped} shipped first): portable vs {kernel}");
		}
		compared.push(kernel);
	}
	eprintln!("{} images ({shipped} shipped) identical on {compared:?}", images.len());
	#[cfg(target_arch = "x86_64")]
	if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
		assert!(compared.contains(&Kernel::Avx2));
	}
}
