//! `bench`: the network's forward pass on a fixed batch of preprocessed synthetic radiographs,
//! timed; optionally writes the batch and the logits so another runtime (ONNX Runtime, see
//! `scripts/onnx-compare.sh`) can run the same graph on the same input and be compared.

use std::{path::PathBuf, time::Instant};

use btt_diagnostics::{
	inference::Diagnostician,
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
}

/// Runs `bench`: prints JSON with the median and 90th-percentile latency and images per second.
pub fn run(args: BenchArgs) -> CliResult {
	let diagnostician = Diagnostician::from_bytes(read(&args.model)?).map_err(|error| error.to_string())?;
	let config = diagnostician.preprocess_config();
	let side = config.side;
	let batch = args.batch.max(1);
	let mut pixels = Vec::with_capacity(batch * side * side);
	for seed in 0..batch as u64 {
		let case = generate((3u64 << 32) + seed, &GeneratorConfig::default());
		let input = preprocess(&case.to_radiograph(), &config).map_err(|error| error.to_string())?;
		pixels.extend(input.pixels);
	}
	let input = Tensor::from_vec(pixels.clone(), (batch, 1, side, side), &Device::Cpu).map_err(|e| e.to_string())?;
	let forward = || diagnostician.net().forward_t(&input, false).map_err(|error| error.to_string());
	for _ in 0..args.warmup {
		forward()?;
	}
	let mut millis = Vec::with_capacity(args.iterations);
	for _ in 0..args.iterations.max(1) {
		let started = Instant::now();
		forward()?;
		millis.push(started.elapsed().as_secs_f64() * 1e3);
	}
	millis.sort_by(f64::total_cmp);
	let at = |q: f64| millis.get(((millis.len() - 1) as f64 * q).round() as usize).copied().unwrap_or(0.0);
	let median = at(0.5);
	if let Some(dir) = &args.dump {
		let bytes: Vec<u8> = pixels.iter().flat_map(|value| value.to_le_bytes()).collect();
		write(&dir.join("input.f32"), &bytes)?;
		let output = forward()?;
		let logits = output
			.logits
			.iter()
			.map(|tensor| tensor.to_vec2::<f32>().map_err(|error| error.to_string()))
			.collect::<Result<Vec<_>, _>>()?;
		let json = json!({ "batch": batch, "side": side, "logits": logits });
		write(&dir.join("logits.json"), json.to_string().as_bytes())?;
	}
	let report = json!({
		"runtime": "candle",
		"batch": batch,
		"iterations": millis.len(),
		"threads": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
		"median_ms": median,
		"p90_ms": at(0.9),
		"images_per_second": if median > 0.0 { batch as f64 * 1e3 / median } else { 0.0 },
	});
	println!("{report}");
	Ok(())
}
