//! `bench`: the network's forward pass on a fixed batch of preprocessed synthetic radiographs,
//! timed for both candle paths in one run (the fused blocks diagnoses use, and the candle-nn
//! layers training uses); optionally writes the batch and the fused path's logits so another
//! runtime (ONNX Runtime, see `scripts/onnx-compare.sh`) can run the same graph on the same
//! input and be compared.

use std::{path::PathBuf, time::Instant};

use btt_diagnostics::{
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
fn time(
	warmup: usize,
	iterations: usize,
	forward: impl Fn() -> Result<NetOutput, String>,
) -> Result<(f64, f64), String> {
	for _ in 0..warmup {
		forward()?;
	}
	let mut millis = Vec::with_capacity(iterations);
	for _ in 0..iterations.max(1) {
		let started = Instant::now();
		forward()?;
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
	let fused = || diagnostician.fused_net().forward(&input).map_err(|error| error.to_string());
	let layers = || diagnostician.net().forward_t(&input, false).map_err(|error| error.to_string());
	let (median, p90) = time(args.warmup, args.iterations, fused)?;
	let fused_logits = logit_rows(&fused()?)?;
	if args.fused_only {
		println!(
			"{}",
			json!({ "runtime": "candle (fused blocks)", "batch": batch, "median_ms": median, "p90_ms": p90 })
		);
		return Ok(());
	}
	let (layers_median, layers_p90) = time(args.warmup, args.iterations, layers)?;
	let difference = fused_logits
		.iter()
		.flatten()
		.flatten()
		.zip(logit_rows(&layers()?)?.iter().flatten().flatten())
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
		"batch": batch,
		"iterations": args.iterations.max(1),
		"threads": rayon::current_num_threads(),
		"median_ms": median,
		"p90_ms": p90,
		"images_per_second": per_second(median),
		"candle_nn": { "median_ms": layers_median, "p90_ms": layers_p90, "images_per_second": per_second(layers_median) },
		"max_abs_logit_difference_to_candle_nn": difference,
	});
	println!("{report}");
	Ok(())
}
