//! Running a model on a radiograph: calibrated probabilities D, uncertainty U and the
//! attention map, for every module, from one batched forward pass.
//!
//! Test-time augmentation: the preprocessed image is run as [`TTA_VIEWS`] views (itself, its
//! mirror, lower and higher contrast). The reported probabilities are the views' mean of the
//! temperature-calibrated softmax; the spread between views enters U.

use btt_primitives::depin::{Diagnosis, DiagnosticModule, ModelId};
use candle_core::{Device, Tensor};

use crate::{
	model::{
		file::{self, ModelFileError, ModelMetadata},
		fused::Kernel,
		DentalNet, FusedNet,
	},
	preprocess::{preprocess, PreprocessConfig, PreprocessError, Preprocessed},
	quality::{image_quality, ImageQuality},
	quantize::{chain_diagnosis, scheme_named, QuantizationScheme, QuantizedFinding},
	Radiograph,
};

/// The augmented views of test-time augmentation, in batch order.
pub const TTA_VIEWS: [TtaView; 4] =
	[TtaView::Identity, TtaView::Mirror, TtaView::Contrast(0.85), TtaView::Contrast(1.15)];

/// One test-time augmentation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TtaView {
	/// The image as preprocessed.
	Identity,
	/// Mirrored left–right (dental anatomy is roughly symmetric under it).
	Mirror,
	/// Standardized values scaled by the factor (contrast change).
	Contrast(f32),
}

impl TtaView {
	/// The view applied to a `side × side` standardized image.
	pub fn apply(&self, pixels: &[f32], side: usize) -> Vec<f32> {
		match self {
			Self::Identity => pixels.to_vec(),
			Self::Mirror => {
				pixels.chunks(side.max(1)).flat_map(|row| row.iter().rev().copied()).collect()
			}
			Self::Contrast(factor) => pixels.iter().map(|value| value * factor).collect(),
		}
	}
}

/// Why a diagnosis failed.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
	/// The model file is unusable.
	#[error(transparent)]
	ModelFile(#[from] ModelFileError),
	/// The model names a quantization scheme this build does not know.
	#[error("unknown quantization scheme `{0}`")]
	UnknownScheme(String),
	/// The image cannot be preprocessed.
	#[error(transparent)]
	Preprocess(#[from] PreprocessError),
	/// A tensor operation failed.
	#[error("inference failed: {0}")]
	Tensor(#[from] candle_core::Error),
	/// The network returned something of an unexpected shape or value.
	#[error("unexpected network output: {0}")]
	Output(String),
}

/// One module's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleResult {
	/// The module.
	pub module: DiagnosticModule,
	/// Calibrated probability per class, averaged over the views.
	pub probabilities: Vec<f32>,
	/// The quantized class and confidence bucket.
	pub finding: QuantizedFinding,
	/// D: the calibrated probability of the chosen class.
	pub confidence: f32,
	/// U: see [`uncertainty`].
	pub uncertainty: f32,
	/// Distance to the nearest quantization edge ([`QuantizationScheme::edge_margin`]).
	pub edge_margin: f32,
}

/// Everything one diagnosis produced.
#[derive(Clone, Debug)]
pub struct Diagnostic {
	/// The image-quality score I and its parts.
	pub quality: ImageQuality,
	/// One result per module, in [`DiagnosticModule::ALL`] order.
	pub modules: Vec<ModuleResult>,
	/// Spatial attention of the identity view, `attention_side²` values in (0, 1), over the
	/// preprocessed square.
	pub attention: Vec<f32>,
	/// Side of the attention map.
	pub attention_side: usize,
	/// The preprocessed input (its geometry maps the attention back onto the radiograph).
	pub preprocessed: Preprocessed,
}

impl Diagnostic {
	/// The result of `module`.
	pub fn module(&self, module: DiagnosticModule) -> Option<&ModuleResult> {
		self.modules.iter().find(|result| result.module == module)
	}
}

/// U, the uncertainty of a module's answer: the normalized entropy of the view-averaged
/// distribution plus the views' disagreement,
/// `U = min(1, H(p̄) / ln K + 2 · sd_views(p_c))`, where p̄ is the mean over views, K the number
/// of classes, c the chosen class and sd the standard deviation of its probability across the
/// views. Both terms are 0 for a confident, augmentation-stable answer.
pub fn uncertainty(mean: &[f32], per_view: &[Vec<f32>], class: usize) -> f32 {
	let classes = mean.len();
	if classes < 2 {
		return 0.0;
	}
	let entropy: f64 =
		mean.iter().filter(|p| **p > 0.0).map(|p| -f64::from(*p) * libm::log(f64::from(*p))).sum();
	let normalized_entropy = entropy / libm::log(classes as f64);
	let chosen: Vec<f64> =
		per_view.iter().filter_map(|view| view.get(class)).map(|p| f64::from(*p)).collect();
	let count = chosen.len().max(1) as f64;
	let average = chosen.iter().sum::<f64>() / count;
	let variance = chosen.iter().map(|p| (p - average).powi(2)).sum::<f64>() / count;
	(normalized_entropy + 2.0 * variance.sqrt()).clamp(0.0, 1.0) as f32
}

/// `e^(x_i − max) / Σ_j e^(x_j − max)`, with `libm::expf` (pure Rust) and the sum in index
/// order: the same bits on every CPU and C library (`candle_nn`'s softmax calls `f32::exp`,
/// the C library's, which may pick a CPU-specific variant at run time).
pub fn softmax(logits: &[f32]) -> Vec<f32> {
	let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
	let exps: Vec<f32> = logits.iter().map(|logit| libm::expf(logit - max)).collect();
	let sum = exps.iter().fold(0.0f32, |sum, value| sum + value);
	exps.iter().map(|value| value / sum).collect()
}

/// A loaded model, ready to diagnose.
pub struct Diagnostician {
	net: DentalNet,
	/// The same network with fused blocks: what diagnoses run.
	fused: FusedNet,
	metadata: ModelMetadata,
	scheme: QuantizationScheme,
	model_id: ModelId,
	device: Device,
}

impl Diagnostician {
	/// Loads a model file; its id is the blake2-256 of exactly these bytes.
	pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, InferenceError> {
		let model_id = ModelId::from(file::model_id(&bytes));
		let metadata = file::read_metadata(&bytes)?;
		let scheme = scheme_named(&metadata.quantization)
			.ok_or_else(|| InferenceError::UnknownScheme(metadata.quantization.clone()))?;
		let vb = file::var_builder(bytes)?;
		let net = DentalNet::new(vb, &metadata.net).map_err(ModelFileError::from)?;
		let fused = net.fused().map_err(ModelFileError::from)?;
		Ok(Self { net, fused, metadata, scheme, model_id, device: Device::Cpu })
	}

	/// The same model with its convolutions on `kernel` (refused if this CPU cannot run it);
	/// the default is `BTT_KERNEL` ([`Kernel::configured`]). Every kernel gives the same bits.
	pub fn with_kernel(mut self, kernel: Kernel) -> Result<Self, InferenceError> {
		self.fused = self.fused.with_kernel(kernel)?;
		Ok(self)
	}

	/// The blake2-256 hash of the loaded model file.
	pub fn model_id(&self) -> ModelId {
		self.model_id
	}

	/// The chain's id of the model for one module (see [`file::module_model_id`]).
	pub fn module_model_id(&self, module: DiagnosticModule) -> ModelId {
		ModelId::from(file::module_model_id(&self.model_id.0, module))
	}

	/// The module a chain model id names, if it is one of this file's.
	pub fn module_of(&self, model: &ModelId) -> Option<DiagnosticModule> {
		DiagnosticModule::ALL.into_iter().find(|module| self.module_model_id(*module) == *model)
	}

	/// The model's metadata.
	pub fn metadata(&self) -> &ModelMetadata {
		&self.metadata
	}

	/// The quantization scheme the model's answers are encoded with.
	pub fn scheme(&self) -> QuantizationScheme {
		self.scheme
	}

	/// The network (candle-nn layers, as trained).
	pub fn net(&self) -> &DentalNet {
		&self.net
	}

	/// The network with fused blocks, which [`Self::diagnose`] runs.
	pub fn fused_net(&self) -> &FusedNet {
		&self.fused
	}

	/// The preprocessing the model was trained with.
	pub fn preprocess_config(&self) -> PreprocessConfig {
		PreprocessConfig { side: self.metadata.net.input_side, ..PreprocessConfig::default() }
	}

	/// Diagnoses a radiograph: quality, every module's result, the attention map.
	pub fn diagnose(&self, radiograph: &Radiograph) -> Result<Diagnostic, InferenceError> {
		let quality = image_quality(radiograph);
		let preprocessed = preprocess(radiograph, &self.preprocess_config())?;
		self.diagnose_preprocessed(quality, preprocessed)
	}

	/// [`Self::diagnose`] from an already preprocessed image.
	pub fn diagnose_preprocessed(
		&self,
		quality: ImageQuality,
		preprocessed: Preprocessed,
	) -> Result<Diagnostic, InferenceError> {
		let side = preprocessed.side;
		let mut batch = Vec::with_capacity(TTA_VIEWS.len() * side * side);
		for view in TTA_VIEWS {
			batch.extend(view.apply(&preprocessed.pixels, side));
		}
		let input = Tensor::from_vec(batch, (TTA_VIEWS.len(), 1, side, side), &self.device)?;
		let output = self.fused.forward(&input)?;
		let mut modules = Vec::with_capacity(DiagnosticModule::ALL.len());
		for (module, logits) in DiagnosticModule::ALL.into_iter().zip(&output.calibrated) {
			let per_view: Vec<Vec<f32>> =
				logits.to_vec2::<f32>()?.iter().map(|row| softmax(row)).collect();
			modules.push(self.module_result(module, &per_view)?);
		}
		let attention: Vec<f32> = output.attention.get(0)?.flatten_all()?.to_vec1()?;
		let attention_side = self.metadata.net.attention_side();
		Ok(Diagnostic { quality, modules, attention, attention_side, preprocessed })
	}

	fn module_result(
		&self,
		module: DiagnosticModule,
		per_view: &[Vec<f32>],
	) -> Result<ModuleResult, InferenceError> {
		let classes = per_view.first().map(Vec::len).unwrap_or(0);
		let mut mean = vec![0f32; classes];
		// Sequential sums in a fixed order: the same bits whatever the thread count.
		for view in per_view {
			for (sum, p) in mean.iter_mut().zip(view) {
				*sum += p;
			}
		}
		let views = per_view.len().max(1) as f32;
		mean.iter_mut().for_each(|sum| *sum /= views);
		let finding = self
			.scheme
			.quantize(module, &mean)
			.map_err(|error| InferenceError::Output(error.to_string()))?;
		let confidence = mean.get(finding.class as usize).copied().unwrap_or(0.0);
		Ok(ModuleResult {
			module,
			uncertainty: uncertainty(&mean, per_view, finding.class as usize),
			edge_margin: self.scheme.edge_margin(&mean),
			probabilities: mean,
			finding,
			confidence,
		})
	}

	/// The diagnosis a node reveals on chain for a task on `module`.
	pub fn chain_diagnosis(
		&self,
		diagnostic: &Diagnostic,
		module: DiagnosticModule,
	) -> Result<Diagnosis, InferenceError> {
		let result = diagnostic
			.module(module)
			.ok_or_else(|| InferenceError::Output(format!("no result for {module:?}")))?;
		Ok(chain_diagnosis(
			self.scheme.encode(&result.finding),
			diagnostic.quality.score,
			result.confidence,
			result.uncertainty,
		))
	}
}
