//! `bench`: the network's forward pass on a fixed batch of preprocessed synthetic radiographs,
//! timed for both candle paths in one run (the fused blocks diagnoses use, on the convolution
//! kernel `BTT_KERNEL` selects, and the candle-nn layers training uses), and whole diagnoses
//! (PNG decoding, image quality, preprocessing, four-view inference); optionally writes the batch and the fused path's logits so another
//! runtime (ONNX Runtime, see `scripts/onnx-compare.sh`) can run the same graph on the same
//! input and be compared.

use std::{path::PathBuf, time::Instant};

use btt_diagnostics::{
	decode::decode,
	encode::encode_png,
	inference::Diagnostician,
	model::NetOutput,
	preprocess::preprocess,
	synthetic::{generate, GeneratorConfig},
};
use candle_core::{Device, Tensor};
use clap::Args;
use serde_json::json;

use super::{read, write, CliResult};

/// Arguments of `bench`.
#[derive(Args)]
pub struct BenchArgs {
	/// The model file.
	#[arg(long)]
	model: PathBuf,
	/// Images per forward pass (4 = one diagnosis with its test-time augmentations).
	#[arg(long, default_value_t = 4)]
	batch: usize,
	/// Timed forward passes.
	#[arg(long, default_value_t = 50)]
	iterations: usize,
	/// Untimed passes first.
	#[arg(long, default_value_t = 5)]
	warmup: usize,
	/// Write `input.f32` (little-endian, batch × 1 × side × side) and `logits.json` here.
	#[arg(long)]
	dump: Option<PathBuf>,
	/// Time only the fused path (for a profiler: the candle-nn path is not run at all).
	#[arg(long)]
	fused_only: bool,
}

/// Median and 90th-percentile latency of `iterations` calls of `forward` after `warmup` calls.
fn time<T>(
	warmup: usize,
	iterations: usize,
	forward: impl Fn(usize) -> Result<T, String>,
) -> Result<(f64, f64), String> {
	for index in 0..warmup {
		forward(index)?;
	}
	let mut millis = Vec::with_capacity(iterations);
	for index in 0..iterations.max(1) {
		let started = Instant::now();
		forward(index)?;
		millis.push(started.elapsed().as_secs_f64() * 1e3);
	}
	millis.sort_by(f64::total_cmp);
	let at = |q: f64| {
		millis.get(((millis.len() - 1) as f64 * q).round() as usize).copied().unwrap_or(0.0)
	};
	Ok((at(0.5), at(0.9)))
}

/// The logits of every head, as rows per image.
fn logit_rows(output: &NetOutput) -> Result<Vec<Vec<Vec<f32>>>, String> {
	output
		.logits
		.iter()
		.map(|tensor| tensor.to_vec2::<f32>().map_err(|error| error.to_string()))
		.collect()
}

/// Runs `bench`: prints JSON with the median and 90th-percentile latency and images per second
/// of the fused path (top level) and of the candle-nn path (`candle_nn`), and the largest logit
/// difference between them.
pub fn run(args: BenchArgs) -> CliResult {
	let diagnostician =
		Diagnostician::from_bytes(read(&args.model)?).map_err(|error| error.to_string())?;
	let config = diagnostician.preprocess_config();
	let side = config.side;
	let batch = args.batch.max(1);
	let mut pixels = Vec::with_capacity(batch * side * side);
	for seed in 0..batch as u64 {
		let case = generate((3u64 << 32) + seed, &GeneratorConfig::default());
		let input =
			preprocess(&case.to_radiograph(), &config).map_err(|error| error.to_string())?;
		pixels.extend(input.pixels);
	}
	let input = Tensor::from_vec(pixels.clone(), (batch, 1, side, side), &Device::Cpu)
		.map_err(|e| e.to_string())?;
	let fused = |_| diagnostician.fused_net().forward(&input).map_err(|error| error.to_string());
	let layers =
		|_| diagnostician.net().forward_t(&input, false).map_err(|error| error.to_string());
	let (median, p90) = time(args.warmup, args.iterations, fused)?;
	let fused_logits = logit_rows(&fused(0)?)?;
	let kernel = diagnostician.fused_net().kernel().name();
	let threads = rayon::current_num_threads();
	if args.fused_only {
		println!(
			"{}",
			json!({ "runtime": "candle (fused blocks)", "kernel": kernel, "threads": threads, "batch": batch, "median_ms": median, "p90_ms": p90 })
		);
		return Ok(());
	}
	// Whole diagnoses from PNG bytes: what a node does per task, but for fetching the input.
	let pngs = (0..8u64)
		.map(|seed| {
			let case = generate((5u64 << 32) + seed, &GeneratorConfig::default());
			encode_png(&case.stored, case.width, case.height, case.equipment.bits_stored)
				.map_err(|error| error.to_string())
		})
		.collect::<Result<Vec<_>, _>>()?;
	let diagnose = |index: usize| {
		let bytes = pngs.get(index % pngs.len()).ok_or("no image")?;
		let radiograph = decode(bytes).map_err(|error| error.to_string())?;
		diagnostician.diagnose(&radiograph).map_err(|error| error.to_string())
	};
	let (diagnosis_median, diagnosis_p90) = time(args.warmup, args.iterations, diagnose)?;
	let (layers_median, layers_p90) = time(args.warmup, args.iterations, layers)?;
	let difference = fused_logits
		.iter()
		.flatten()
		.flatten()
		.zip(logit_rows(&layers(0)?)?.iter().flatten().flatten())
		.map(|(a, b)| (a - b).abs())
		.fold(0.0f32, f32::max);
	if let Some(dir) = &args.dump {
		let bytes: Vec<u8> = pixels.iter().flat_map(|value| value.to_le_bytes()).collect();
		write(&dir.join("input.f32"), &bytes)?;
		let json = json!({ "batch": batch, "side": side, "logits": fused_logits });
		write(&dir.join("logits.json"), json.to_string().as_bytes())?;
	}
	let per_second = |millis: f64| if millis > 0.0 { batch as f64 * 1e3 / millis } else { 0.0 };
	let report = json!({
		"runtime": "candle (fused blocks)",
		"kernel": kernel,
		"cpu_flags": cpu_flags(),
		"batch": batch,
		"iterations": args.iterations.max(1),
		"threads": threads,
		"median_ms": median,
		"p90_ms": p90,
		"images_per_second": per_second(median),
		"whole_diagnosis": {
			"what": "decode PNG (256 px long side) + quality + preprocess + 4-view inference, per image",
			"median_ms": diagnosis_median,
			"p90_ms": diagnosis_p90,
			"diagnoses_per_second": if diagnosis_median > 0.0 { 1e3 / diagnosis_median } else { 0.0 },
		},
		"candle_nn": { "median_ms": layers_median, "p90_ms": layers_p90, "images_per_second": per_second(layers_median) },
		"max_abs_logit_difference_to_candle_nn": difference,
	});
	println!("{report}");
	Ok(())
}

/// The instruction-set flags of this CPU that decide the kernel.
fn cpu_flags() -> Vec<&'static str> {
	#[cfg(target_arch = "x86_64")]
	{
		let mut flags = Vec::new();
		macro_rules! check {
			($($flag:tt),*) => {
				$(if std::is_x86_feature_detected!($flag) { flags.push($flag); })*
			};
		}
		check!("avx2", "fma", "avx512f", "avx512bw", "avx512vl");
		flags
	}
	#[cfg(not(target_arch = "x86_64"))]
	{
		vec![std::env::consts::ARCH]
	}
}
