//! `eval`: a model's metrics on held-out data, as JSON, a Markdown table and a ROC plot.

use std::path::PathBuf;

use btt_diagnostics::{
	dataset::{dentex_samples, synthetic_samples, TEST_SEEDS},
	evaluate::evaluate,
	inference::Diagnostician,
	plot::{roc_plot_png, RocSeries},
	synthetic::GeneratorConfig,
};
use clap::Args;

use super::{bar, read, write, CliResult};

/// Arguments of `eval`.
#[derive(Args)]
pub struct EvalArgs {
	/// The model file.
	#[arg(long)]
	model: PathBuf,
	/// Directory for metrics.json, metrics.md and roc.png.
	#[arg(long)]
	out: PathBuf,
	/// Held-out synthetic images (seeds from 8589934592, never used in training).
	#[arg(long, default_value_t = 1000)]
	test_count: usize,
	/// Evaluate on DENTEX instead: the COCO JSON file.
	#[arg(long, requires = "dentex_images")]
	dentex_json: Option<PathBuf>,
	/// DENTEX image directory.
	#[arg(long)]
	dentex_images: Option<PathBuf>,
}

/// Runs `eval`.
pub fn run(args: EvalArgs) -> CliResult {
	let diagnostician =
		Diagnostician::from_bytes(read(&args.model)?).map_err(|error| error.to_string())?;
	let preprocess = diagnostician.preprocess_config();
	let (samples, data) =
		if let (Some(json), Some(images)) = (&args.dentex_json, &args.dentex_images) {
			let progress = bar(0, "loading");
			let samples = dentex_samples(json, images, &preprocess, || progress.inc(1))
				.map_err(|error| error.to_string())?;
			progress.finish_and_clear();
			(samples, format!("DENTEX {}", json.display()))
		} else {
			let progress = bar(args.test_count, "generating");
			let samples = synthetic_samples(
				TEST_SEEDS,
				args.test_count,
				&GeneratorConfig::default(),
				&preprocess,
				|| progress.inc(1),
			)
			.map_err(|error| error.to_string())?;
			progress.finish_and_clear();
			(samples, format!("synthetic test seeds {TEST_SEEDS}..+{}", args.test_count))
		};
	let progress = bar(samples.len(), "diagnosing");
	let evaluation = evaluate(&diagnostician, &samples, || progress.inc(1))
		.map_err(|error| error.to_string())?;
	progress.finish_and_clear();
	let table = evaluation.markdown_table();
	println!("{data}, model {}\n\n{table}", evaluation.model_id);
	println!(
		"{:.1} images/s (one image at a time, 4 augmented views each)",
		evaluation.images_per_second
	);
	let json = serde_json::to_string_pretty(
		&serde_json::json!({ "data": data, "evaluation": evaluation }),
	)
	.map_err(|error| error.to_string())?;
	write(&args.out.join("metrics.json"), json.as_bytes())?;
	write(&args.out.join("metrics.md"), format!("Data: {data}\n\n{table}").as_bytes())?;
	let series: Vec<RocSeries> = evaluation
		.modules
		.iter()
		.map(|module| RocSeries {
			name: module.module,
			points: &module.metrics.roc,
			auc: module.auc,
		})
		.collect();
	let png =
		roc_plot_png(&series, 720, 540, "ROC, held-out data").map_err(|error| error.to_string())?;
	write(&args.out.join("roc.png"), &png)?;
	println!("wrote {}/metrics.json, metrics.md, roc.png", args.out.display());
	Ok(())
}
