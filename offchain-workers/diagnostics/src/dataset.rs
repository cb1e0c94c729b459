//! Training and evaluation data: preprocessed images with their labels, from the synthetic
//! generator or from DENTEX, and the batches the trainer feeds the network.
//!
//! Synthetic splits are disjoint ranges of generator seeds ([`TRAIN_SEEDS`],
//! [`VALIDATION_SEEDS`], [`TEST_SEEDS`]), so "held-out" means images the trainer never saw and
//! anyone can regenerate them exactly.

use std::path::Path;

use btt_primitives::depin::DiagnosticModule;
use candle_core::{Device, Tensor};
use rand::{seq::SliceRandom, Rng};
use rand_chacha::ChaCha8Rng;

use crate::{
	decode::{decode, DecodeError},
	dentex::{load_dentex, DentexError},
	preprocess::{preprocess, PreprocessConfig, PreprocessError, Preprocessed},
	quality::{image_quality, ImageQuality},
	synthetic::{generate, GeneratorConfig},
	Labels, Radiograph,
};

/// First generator seed of the training split.
pub const TRAIN_SEEDS: u64 = 0;
/// First generator seed of the validation split (early stopping, temperature calibration).
pub const VALIDATION_SEEDS: u64 = 1 << 32;
/// First generator seed of the held-out test split (`eval`).
pub const TEST_SEEDS: u64 = 2 << 32;

/// One example: the model input, the image's quality and the ground truth.
#[derive(Clone, Debug)]
pub struct Sample {
	/// The preprocessed image.
	pub input: Preprocessed,
	/// Quality score I of the source image.
	pub quality: ImageQuality,
	/// Ground truth per module (`None` where unlabelled).
	pub labels: Labels,
}

/// Why data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
	/// A DENTEX file is unusable.
	#[error(transparent)]
	Dentex(#[from] DentexError),
	/// An image did not decode.
	#[error("{path}: {source}")]
	Decode {
		/// The image file.
		path: String,
		/// Why.
		source: DecodeError,
	},
	/// An image could not be preprocessed.
	#[error("{what}: {source}")]
	Preprocess {
		/// Which image.
		what: String,
		/// Why.
		source: PreprocessError,
	},
	/// Building a tensor failed.
	#[error("tensor: {0}")]
	Tensor(#[from] candle_core::Error),
}

/// The sample of one decoded radiograph.
pub fn sample_of(
	radiograph: &Radiograph,
	labels: Labels,
	config: &PreprocessConfig,
) -> Result<Sample, PreprocessError> {
	Ok(Sample {
		input: preprocess(radiograph, config)?,
		quality: image_quality(radiograph),
		labels,
	})
}

/// `count` synthetic samples from seeds `first_seed..first_seed + count`; `tick` is called
/// after each (progress bars).
pub fn synthetic_samples(
	first_seed: u64,
	count: usize,
	generator: &GeneratorConfig,
	config: &PreprocessConfig,
	mut tick: impl FnMut(),
) -> Result<Vec<Sample>, DatasetError> {
	let mut samples = Vec::with_capacity(count);
	for seed in (first_seed..).take(count) {
		let case = generate(seed, generator);
		let sample = sample_of(&case.to_radiograph(), case.labels, config)
			.map_err(|source| DatasetError::Preprocess { what: format!("seed {seed}"), source })?;
		samples.push(sample);
		tick();
	}
	Ok(samples)
}

/// Every image of a DENTEX annotation file, decoded and preprocessed.
pub fn dentex_samples(
	json: &Path,
	image_dir: &Path,
	config: &PreprocessConfig,
	mut tick: impl FnMut(),
) -> Result<Vec<Sample>, DatasetError> {
	let entries = load_dentex(json, image_dir)?;
	let mut samples = Vec::with_capacity(entries.len());
	for entry in entries {
		let path = entry.image_path.display().to_string();
		let bytes = entry.read_bytes()?;
		let radiograph =
			decode(&bytes).map_err(|source| DatasetError::Decode { path: path.clone(), source })?;
		let sample = sample_of(&radiograph, entry.labels, config)
			.map_err(|source| DatasetError::Preprocess { what: path, source })?;
		samples.push(sample);
		tick();
	}
	Ok(samples)
}

/// Splits `samples` deterministically: every `1/holdout`-th sample (by position) is held out.
pub fn split_every(samples: Vec<Sample>, holdout: usize) -> (Vec<Sample>, Vec<Sample>) {
	let holdout = holdout.max(2);
	let (mut kept, mut held) = (Vec::new(), Vec::new());
	for (index, sample) in samples.into_iter().enumerate() {
		if index % holdout == 0 {
			held.push(sample);
		} else {
			kept.push(sample);
		}
	}
	(kept, held)
}

/// Training-time augmentation: a random mirror, a contrast factor in [0.85, 1.15] and a shift
/// of up to 4 pixels in each direction (zero fill).
pub fn augment(pixels: &[f32], side: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
	let mirror = rng.gen_bool(0.5);
	let contrast: f32 = rng.gen_range(0.85..1.15);
	let dx: isize = rng.gen_range(-4..=4);
	let dy: isize = rng.gen_range(-4..=4);
	let mut out = vec![0f32; side * side];
	for (index, value) in out.iter_mut().enumerate() {
		let (x, y) = ((index % side) as isize, (index / side) as isize);
		let source_x = if mirror { side as isize - 1 - (x - dx) } else { x - dx };
		let source_y = y - dy;
		if (0..side as isize).contains(&source_x) && (0..side as isize).contains(&source_y) {
			let source = source_y as usize * side + source_x as usize;
			*value = pixels.get(source).copied().unwrap_or(0.0) * contrast;
		}
	}
	out
}

/// A batch: the input tensor and, per module, the labelled rows and their classes.
pub struct Batch {
	/// `(n, 1, side, side)`.
	pub input: Tensor,
	/// Per module in [`DiagnosticModule::ALL`] order: `(row indices, classes)` of the labelled
	/// samples, `None` if no sample in the batch is labelled for it.
	pub targets: Vec<Option<(Tensor, Tensor)>>,
}

/// Stacks `samples` into a batch, augmenting each when `rng` is given.
pub fn make_batch(
	samples: &[&Sample],
	side: usize,
	mut rng: Option<&mut ChaCha8Rng>,
	device: &Device,
) -> Result<Batch, DatasetError> {
	let mut pixels = Vec::with_capacity(samples.len() * side * side);
	for sample in samples {
		match rng.as_deref_mut() {
			Some(rng) => pixels.extend(augment(&sample.input.pixels, side, rng)),
			None => pixels.extend_from_slice(&sample.input.pixels),
		}
	}
	let input = Tensor::from_vec(pixels, (samples.len(), 1, side, side), device)?;
	let mut targets = Vec::with_capacity(DiagnosticModule::ALL.len());
	for module in DiagnosticModule::ALL {
		let (rows, classes): (Vec<u32>, Vec<u32>) = samples
			.iter()
			.enumerate()
			.filter_map(|(row, sample)| Some((row as u32, u32::from(sample.labels.get(module)?))))
			.unzip();
		targets.push(if rows.is_empty() {
			None
		} else {
			Some((Tensor::new(rows, device)?, Tensor::new(classes, device)?))
		});
	}
	Ok(Batch { input, targets })
}

/// The sample indices in a seeded random order.
pub fn shuffled(count: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
	let mut order: Vec<usize> = (0..count).collect();
	order.shuffle(rng);
	order
}
