//! Training: AdamW on the sum of the five heads' cross-entropies (unlabelled heads masked),
//! a checkpoint per epoch, the best epoch by validation loss kept, and per-head temperature
//! calibration on the validation split.
//!
//! Everything is seeded (initialization order, shuffling, augmentation), so a run can be
//! repeated; `MODEL_CARD.md` records the command that produced the shipped model.

use std::{
	fs,
	path::{Path, PathBuf},
	time::Instant,
};

use candle_core::{DType, Device, Tensor};
use candle_nn::{loss::cross_entropy, AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::{
	dataset::{make_batch, shuffled, DatasetError, Sample},
	model::{
		file::{write_model, ModelFileError, ModelMetadata},
		DentalNet, NetConfig,
	},
};

/// Hyper-parameters of a training run.
#[derive(Clone, Debug)]
pub struct TrainConfig {
	/// The network to train.
	pub net: NetConfig,
	/// Passes over the training split.
	pub epochs: usize,
	/// Images per step.
	pub batch_size: usize,
	/// Peak learning rate (cosine decay to 5 % of it).
	pub learning_rate: f64,
	/// AdamW weight decay.
	pub weight_decay: f64,
	/// Seed of shuffling and augmentation.
	pub seed: u64,
}

impl Default for TrainConfig {
	fn default() -> Self {
		Self {
			net: NetConfig::tiny(),
			epochs: 12,
			batch_size: 32,
			learning_rate: 3e-3,
			weight_decay: 1e-4,
			seed: 7,
		}
	}
}

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
	/// Tensor maths failed.
	#[error("tensor: {0}")]
	Tensor(#[from] candle_core::Error),
	/// Batching failed.
	#[error(transparent)]
	Dataset(#[from] DatasetError),
	/// Writing a model file failed.
	#[error(transparent)]
	ModelFile(#[from] ModelFileError),
	/// Writing a checkpoint failed.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: PathBuf,
		/// Why.
		source: std::io::Error,
	},
	/// Nothing to train on.
	#[error("the {0} split is empty")]
	EmptySplit(&'static str),
}

/// What happened in one epoch.
#[derive(Clone, Debug)]
pub struct EpochReport {
	/// 1-based epoch.
	pub epoch: usize,
	/// Mean training loss.
	pub train_loss: f64,
	/// Mean validation loss (uncalibrated).
	pub validation_loss: f64,
	/// Validation accuracy per module (labelled samples only).
	pub validation_accuracy: Vec<f64>,
	/// Training images per second.
	pub images_per_second: f64,
	/// The checkpoint written.
	pub checkpoint: PathBuf,
}

/// Progress callbacks, so the CLI can draw bars without the library knowing how.
pub trait TrainProgress {
	/// An epoch starts with `steps` steps.
	fn epoch_started(&mut self, epoch: usize, steps: usize);
	/// A step finished with this batch loss.
	fn step(&mut self, loss: f64);
	/// An epoch finished.
	fn epoch_finished(&mut self, report: &EpochReport);
}

/// A training run's result: the calibrated model file's bytes and the epochs.
pub struct TrainOutcome {
	/// The final model file (best epoch, calibrated).
	pub model: Vec<u8>,
	/// Per-epoch reports.
	pub epochs: Vec<EpochReport>,
	/// The best epoch (1-based).
	pub best_epoch: usize,
	/// The fitted temperature of each head.
	pub temperatures: Vec<f32>,
}

/// Trains a network on `train`, selects and calibrates on `validation`, writes checkpoints into
/// `out_dir`, and returns the final model file (also written as `out_dir/model.safetensors`).
pub fn train(
	config: &TrainConfig,
	metadata: &ModelMetadata,
	train: &[Sample],
	validation: &[Sample],
	out_dir: &Path,
	progress: &mut dyn TrainProgress,
) -> Result<TrainOutcome, TrainError> {
	if train.is_empty() {
		return Err(TrainError::EmptySplit("training"));
	}
	if validation.is_empty() {
		return Err(TrainError::EmptySplit("validation"));
	}
	fs::create_dir_all(out_dir).map_err(|source| io_error(out_dir, source))?;
	let device = Device::Cpu;
	let vars = VarMap::new();
	let net = DentalNet::new(VarBuilder::from_varmap(&vars, DType::F32, &device), &config.net)?;
	let trainable = trainable_vars(&vars);
	let params = ParamsAdamW {
		lr: config.learning_rate,
		weight_decay: config.weight_decay,
		..ParamsAdamW::default()
	};
	let mut optimizer = AdamW::new(trainable, params)?;
	let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
	let side = config.net.input_side;
	let batch_size = config.batch_size.max(1);
	let steps_per_epoch = train.len().div_ceil(batch_size);
	let total_steps = (steps_per_epoch * config.epochs).max(1);
	let mut step = 0usize;
	let mut epochs = Vec::with_capacity(config.epochs);
	let mut best: Option<(f64, usize, Vec<u8>)> = None;
	for epoch in 1..=config.epochs {
		progress.epoch_started(epoch, steps_per_epoch);
		let started = Instant::now();
		let order = shuffled(train.len(), &mut rng);
		let mut loss_sum = 0.0;
		for chunk in order.chunks(batch_size) {
			let samples: Vec<&Sample> =
				chunk.iter().filter_map(|index| train.get(*index)).collect();
			let batch = make_batch(&samples, side, Some(&mut rng), &device)?;
			let output = net.forward_t(&batch.input, true)?;
			let loss = masked_loss(&output.logits, &batch.targets)?;
			optimizer.set_learning_rate(cosine_learning_rate(
				config.learning_rate,
				step,
				total_steps,
			));
			optimizer.backward_step(&loss)?;
			let loss = f64::from(loss.to_scalar::<f32>()?);
			loss_sum += loss;
			step += 1;
			progress.step(loss);
		}
		let seconds = started.elapsed().as_secs_f64().max(1e-9);
		let (validation_loss, validation_accuracy) = validate(&net, validation, side, &device)?;
		let checkpoint = out_dir.join(format!("epoch-{epoch:03}.safetensors"));
		let bytes = write_model(&vars, metadata)?;
		fs::write(&checkpoint, &bytes).map_err(|source| io_error(&checkpoint, source))?;
		let report = EpochReport {
			epoch,
			train_loss: loss_sum / steps_per_epoch.max(1) as f64,
			validation_loss,
			validation_accuracy,
			images_per_second: train.len() as f64 / seconds,
			checkpoint,
		};
		progress.epoch_finished(&report);
		if best.as_ref().is_none_or(|(loss, _, _)| validation_loss < *loss) {
			best = Some((validation_loss, epoch, bytes));
		}
		epochs.push(report);
	}
	let (_, best_epoch, best_bytes) = best.ok_or(TrainError::EmptySplit("epoch"))?;
	restore(&vars, &best_bytes)?;
	let temperatures = calibrate_temperatures(&net, &vars, validation, side, &device)?;
	let model = write_model(&vars, metadata)?;
	let path = out_dir.join("model.safetensors");
	fs::write(&path, &model).map_err(|source| io_error(&path, source))?;
	Ok(TrainOutcome { model, epochs, best_epoch, temperatures })
}

fn io_error(path: &Path, source: std::io::Error) -> TrainError {
	TrainError::Io { path: path.to_path_buf(), source }
}

/// The variables the optimizer updates: all but the calibration temperatures (fitted after
/// training, on held-out data).
fn trainable_vars(vars: &VarMap) -> Vec<candle_core::Var> {
	let Ok(data) = vars.data().lock() else { return Vec::new() };
	let mut named: Vec<_> = data
		.iter()
		.filter(|(name, _)| !name.ends_with(".temperature"))
		.map(|(name, var)| (name.clone(), var.clone()))
		.collect();
	// A fixed order keeps the optimizer's arithmetic, and so the run, reproducible.
	named.sort_by(|a, b| a.0.cmp(&b.0));
	named.into_iter().map(|(_, var)| var).collect()
}

/// Sum over modules of the mean cross-entropy of the labelled rows.
fn masked_loss(
	logits: &[Tensor],
	targets: &[Option<(Tensor, Tensor)>],
) -> Result<Tensor, candle_core::Error> {
	let mut total: Option<Tensor> = None;
	for (module_logits, target) in logits.iter().zip(targets) {
		let Some((rows, classes)) = target else { continue };
		let loss = cross_entropy(&module_logits.index_select(rows, 0)?, classes)?;
		total = Some(match total {
			Some(sum) => (sum + loss)?,
			None => loss,
		});
	}
	total.ok_or_else(|| candle_core::Error::msg("no labelled sample in the batch"))
}

/// Cosine decay from `peak` to 5 % of it over `total` steps.
pub fn cosine_learning_rate(peak: f64, step: usize, total: usize) -> f64 {
	let progress = step as f64 / total.max(1) as f64;
	let floor = 0.05 * peak;
	floor + (peak - floor) * 0.5 * (1.0 + (std::f64::consts::PI * progress.min(1.0)).cos())
}

/// Mean validation loss and per-module accuracy, without augmentation or dropout.
fn validate(
	net: &DentalNet,
	validation: &[Sample],
	side: usize,
	device: &Device,
) -> Result<(f64, Vec<f64>), TrainError> {
	let modules = btt_primitives::depin::DiagnosticModule::ALL.len();
	let (mut loss_sum, mut batches) = (0.0, 0usize);
	let (mut correct, mut labelled) = (vec![0usize; modules], vec![0usize; modules]);
	for chunk in validation.chunks(64) {
		let samples: Vec<&Sample> = chunk.iter().collect();
		let batch = make_batch(&samples, side, None, device)?;
		let output = net.forward_t(&batch.input, false)?;
		loss_sum += f64::from(masked_loss(&output.logits, &batch.targets)?.to_scalar::<f32>()?);
		batches += 1;
		for (module, (logits, target)) in output.logits.iter().zip(&batch.targets).enumerate() {
			let Some((rows, classes)) = target else { continue };
			let predicted: Vec<u32> = logits.index_select(rows, 0)?.argmax(1)?.to_vec1()?;
			let truth: Vec<u32> = classes.to_vec1()?;
			let hits = predicted.iter().zip(&truth).filter(|(p, t)| p == t).count();
			if let (Some(c), Some(l)) = (correct.get_mut(module), labelled.get_mut(module)) {
				*c += hits;
				*l += truth.len();
			}
		}
	}
	let accuracy =
		correct.iter().zip(&labelled).map(|(c, l)| *c as f64 / (*l).max(1) as f64).collect();
	Ok((loss_sum / batches.max(1) as f64, accuracy))
}

/// Loads the tensors of a model file back into the variables.
fn restore(vars: &VarMap, bytes: &[u8]) -> Result<(), TrainError> {
	let tensors = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)?;
	let data = vars.data().lock().map_err(|_| candle_core::Error::msg("variable map poisoned"))?;
	for (name, var) in data.iter() {
		if let Some(tensor) = tensors.get(name) {
			var.set(tensor)?;
		}
	}
	Ok(())
}

/// Temperature scaling: for each head, the T in [0.5, 5] (steps of 0.05) that minimizes the
/// negative log-likelihood of the validation labels under softmax(logits / T). A grid rather
/// than gradient descent: deterministic and exact to the grid step.
fn calibrate_temperatures(
	net: &DentalNet,
	vars: &VarMap,
	validation: &[Sample],
	side: usize,
	device: &Device,
) -> Result<Vec<f32>, TrainError> {
	let modules = btt_primitives::depin::DiagnosticModule::ALL;
	let mut logits: Vec<Vec<(Vec<f32>, u32)>> = vec![Vec::new(); modules.len()];
	for chunk in validation.chunks(64) {
		let samples: Vec<&Sample> = chunk.iter().collect();
		let batch = make_batch(&samples, side, None, device)?;
		let output = net.forward_t(&batch.input, false)?;
		for ((module_logits, target), collected) in
			output.logits.iter().zip(&batch.targets).zip(logits.iter_mut())
		{
			let Some((rows, classes)) = target else { continue };
			let rows: Vec<Vec<f32>> = module_logits.index_select(rows, 0)?.to_vec2()?;
			let classes: Vec<u32> = classes.to_vec1()?;
			collected.extend(rows.into_iter().zip(classes));
		}
	}
	let mut temperatures = Vec::with_capacity(modules.len());
	let data = vars.data().lock().map_err(|_| candle_core::Error::msg("variable map poisoned"))?;
	for (module, collected) in modules.into_iter().zip(&logits) {
		let temperature = best_temperature(collected);
		let name = format!("heads.{}.temperature", crate::taxonomy::module_key(module));
		if let Some(var) = data.get(&name) {
			var.set(&Tensor::new(&[temperature], device)?)?;
		}
		temperatures.push(temperature);
	}
	Ok(temperatures)
}

/// The grid temperature with the lowest mean negative log-likelihood; 1 without data.
pub fn best_temperature(examples: &[(Vec<f32>, u32)]) -> f32 {
	if examples.is_empty() {
		return 1.0;
	}
	(10..=100)
		.map(|step| step as f32 * 0.05)
		.map(|temperature| (temperature, mean_nll(examples, temperature)))
		.fold(
			(1.0, f64::INFINITY),
			|best, candidate| if candidate.1 < best.1 { candidate } else { best },
		)
		.0
}

/// Mean negative log-likelihood of the true classes under softmax(logits / T).
fn mean_nll(examples: &[(Vec<f32>, u32)], temperature: f32) -> f64 {
	let total: f64 = examples
		.iter()
		.map(|(logits, class)| {
			let scaled: Vec<f64> = logits.iter().map(|l| f64::from(*l / temperature)).collect();
			let max = scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
			let log_sum = scaled.iter().map(|l| (l - max).exp()).sum::<f64>().ln() + max;
			log_sum - scaled.get(*class as usize).copied().unwrap_or(max)
		})
		.sum();
	total / examples.len() as f64
}
