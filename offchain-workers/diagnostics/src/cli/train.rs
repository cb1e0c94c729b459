//! `train`: a model from synthetic images (default) or a DENTEX annotation file.

use std::path::PathBuf;

use btt_diagnostics::{
	dataset::{
		dentex_samples, split_every, synthetic_samples, Sample, TRAIN_SEEDS, VALIDATION_SEEDS,
	},
	model::{
		file::{ModelMetadata, MODEL_FORMAT},
		NetConfig,
	},
	preprocess::PreprocessConfig,
	quantize::BTT_Q1,
	synthetic::GeneratorConfig,
	taxonomy::module_key,
	train::{train, EpochReport, TrainConfig, TrainProgress},
};
use btt_primitives::depin::DiagnosticModule;
use clap::Args;
use indicatif::ProgressBar;

use super::{bar, hex, CliResult};

/// Arguments of `train`.
#[derive(Args)]
pub struct TrainArgs {
	/// Directory for checkpoints (`epoch-NNN.safetensors`) and `model.safetensors`.
	#[arg(long)]
	out: PathBuf,
	/// Network preset: `tiny` (shipped) or `small`.
	#[arg(long, default_value = "tiny")]
	preset: String,
	/// Synthetic training images.
	#[arg(long, default_value_t = 4000)]
	train_count: usize,
	/// Synthetic validation images.
	#[arg(long, default_value_t = 600)]
	validation_count: usize,
	/// Epochs.
	#[arg(long, default_value_t = 12)]
	epochs: usize,
	/// Batch size.
	#[arg(long, default_value_t = 32)]
	batch_size: usize,
	/// Peak learning rate.
	#[arg(long, default_value_t = 3e-3)]
	learning_rate: f64,
	/// Seed of shuffling and augmentation.
	#[arg(long, default_value_t = 7)]
	seed: u64,
	/// Model name written into the file.
	#[arg(long, default_value = "btt-dental-tiny")]
	name: String,
	/// Model version written into the file.
	#[arg(long, default_value_t = 1)]
	version: u32,
	/// Train on DENTEX instead: the COCO JSON file (every 5th image is held out for validation).
	#[arg(long, requires = "dentex_images")]
	dentex_json: Option<PathBuf>,
	/// DENTEX image directory.
	#[arg(long)]
	dentex_images: Option<PathBuf>,
}

struct Bars {
	current: Option<ProgressBar>,
	/// Without a terminal the bar is invisible: print a line every tenth of an epoch instead.
	plain: bool,
	step: usize,
	steps: usize,
	epoch: usize,
}

impl TrainProgress for Bars {
	fn epoch_started(&mut self, epoch: usize, steps: usize) {
		self.current = Some(bar(steps, &format!("epoch {epoch}")));
		(self.epoch, self.step, self.steps) = (epoch, 0, steps);
	}

	fn step(&mut self, loss: f64) {
		self.step += 1;
		if let Some(bar) = &self.current {
			bar.set_message(format!("loss {loss:.3}"));
			bar.inc(1);
		}
		if self.plain && self.step % (self.steps / 10).max(1) == 0 {
			println!(
				"epoch {:>3}: step {}/{}, batch loss {loss:.3}",
				self.epoch, self.step, self.steps
			);
		}
	}

	fn epoch_finished(&mut self, report: &EpochReport) {
		if let Some(bar) = self.current.take() {
			bar.finish_and_clear();
		}
		let accuracy: Vec<String> = DiagnosticModule::ALL
			.into_iter()
			.zip(&report.validation_accuracy)
			.map(|(module, accuracy)| format!("{} {:.2}", module_key(module), accuracy))
			.collect();
		println!(
			"epoch {:>3}: train loss {:.4}, validation loss {:.4}, {:.0} img/s, accuracy [{}] -> {}",
			report.epoch,
			report.train_loss,
			report.validation_loss,
			report.images_per_second,
			accuracy.join(", "),
			report.checkpoint.display()
		);
	}
}

/// Runs `train`.
pub fn run(args: TrainArgs) -> CliResult {
	let net = NetConfig::preset(&args.preset).ok_or(format!("unknown preset `{}`", args.preset))?;
	let preprocess = PreprocessConfig { side: net.input_side, ..PreprocessConfig::default() };
	let (train_split, validation_split, data) = load(&args, &preprocess)?;
	let config = TrainConfig {
		net: net.clone(),
		epochs: args.epochs,
		batch_size: args.batch_size,
		learning_rate: args.learning_rate,
		weight_decay: TrainConfig::default().weight_decay,
		seed: args.seed,
	};
	let metadata = ModelMetadata {
		format: MODEL_FORMAT,
		name: args.name.clone(),
		version: args.version,
		net,
		quantization: BTT_Q1.name.to_string(),
		provenance: format!(
			"{data}; {} epochs, batch {}, lr {}, seed {}",
			args.epochs, args.batch_size, args.learning_rate, args.seed
		),
	};
	use std::io::IsTerminal;
	let plain = !std::io::stderr().is_terminal();
	let mut progress = Bars { current: None, plain, step: 0, steps: 0, epoch: 0 };
	let outcome =
		train(&config, &metadata, &train_split, &validation_split, &args.out, &mut progress)
			.map_err(|error| error.to_string())?;
	let temperatures: Vec<String> = DiagnosticModule::ALL
		.into_iter()
		.zip(&outcome.temperatures)
		.map(|(module, t)| format!("{} {t:.2}", module_key(module)))
		.collect();
	println!(
		"best epoch {}; calibration temperatures [{}]",
		outcome.best_epoch,
		temperatures.join(", ")
	);
	println!(
		"model {} ({} bytes), id {}",
		args.out.join("model.safetensors").display(),
		outcome.model.len(),
		hex(&btt_diagnostics::model::file::model_id(&outcome.model))
	);
	Ok(())
}

/// The training and validation samples, and a one-line description of the data.
fn load(
	args: &TrainArgs,
	preprocess: &PreprocessConfig,
) -> Result<(Vec<Sample>, Vec<Sample>, String), String> {
	if let (Some(json), Some(images)) = (&args.dentex_json, &args.dentex_images) {
		let progress = bar(0, "loading");
		let samples = dentex_samples(json, images, preprocess, || progress.inc(1))
			.map_err(|error| error.to_string())?;
		progress.finish_and_clear();
		let (train, validation) = split_every(samples, 5);
		let data = format!(
			"DENTEX {} ({} train, {} validation)",
			json.display(),
			train.len(),
			validation.len()
		);
		return Ok((train, validation, data));
	}
	let generator = GeneratorConfig::default();
	let progress = bar(args.train_count + args.validation_count, "generating");
	let train = synthetic_samples(TRAIN_SEEDS, args.train_count, &generator, preprocess, || {
		progress.inc(1)
	})
	.map_err(|error| error.to_string())?;
	let validation =
		synthetic_samples(VALIDATION_SEEDS, args.validation_count, &generator, preprocess, || {
			progress.inc(1)
		})
		.map_err(|error| error.to_string())?;
	progress.finish_and_clear();
	let data = format!(
		"synthetic seeds {TRAIN_SEEDS}..+{} (train), {VALIDATION_SEEDS}..+{} (validation)",
		args.train_count, args.validation_count
	);
	Ok((train, validation, data))
}
