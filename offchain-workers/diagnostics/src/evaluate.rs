//! Evaluation of a model file on held-out samples, through exactly the code path a node runs
//! ([`Diagnostician`], with test-time augmentation and quantization): per-module accuracy,
//! sensitivity, specificity, ROC AUC, calibration error, and how close answers came to a
//! quantization edge.

use std::time::Instant;

use btt_primitives::depin::DiagnosticModule;
use serde::Serialize;

use crate::{
	dataset::Sample,
	inference::{Diagnostician, InferenceError},
	metrics::{expected_calibration_error, module_metrics, MetricsError, ModuleMetrics},
	taxonomy::module_key,
};

/// Answers closer than this to a quantization edge could round differently on another CPU.
pub const NEAR_EDGE: f32 = 1e-4;

/// One module's evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct ModuleEvaluation {
	/// The module's key (`caries`, …).
	pub module: &'static str,
	/// Accuracy, sensitivity, specificity, AUC and the ROC curve.
	#[serde(skip)]
	pub metrics: ModuleMetrics,
	/// Labelled samples.
	pub samples: usize,
	/// Multi-class accuracy.
	pub accuracy: f64,
	/// Sensitivity of "any finding".
	pub sensitivity: f64,
	/// Specificity of "any finding".
	pub specificity: f64,
	/// ROC AUC of "any finding" scored by 1 − P(no finding).
	pub auc: f64,
	/// Expected calibration error of D (10 bins).
	pub calibration_error: f64,
	/// Answers within [`NEAR_EDGE`] of a quantization edge.
	pub near_edge: usize,
	/// The smallest edge margin seen.
	pub min_edge_margin: f32,
}

/// A whole evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
	/// Hex id of the evaluated model.
	pub model_id: String,
	/// Samples evaluated.
	pub samples: usize,
	/// Per module, in [`DiagnosticModule::ALL`] order (unlabelled modules left out).
	pub modules: Vec<ModuleEvaluation>,
	/// Diagnoses per second (single image at a time, with augmentation).
	pub images_per_second: f64,
}

/// Why an evaluation failed.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
	/// A diagnosis failed.
	#[error(transparent)]
	Inference(#[from] InferenceError),
	/// Metrics could not be computed.
	#[error("{module}: {source}")]
	Metrics {
		/// The module.
		module: &'static str,
		/// Why.
		source: MetricsError,
	},
}

#[derive(Default)]
struct Collected {
	truth: Vec<u8>,
	predicted: Vec<u8>,
	positive_score: Vec<f32>,
	confidence: Vec<f32>,
	margins: Vec<f32>,
}

/// Diagnoses every sample and scores the answers against its labels.
pub fn evaluate(
	diagnostician: &Diagnostician,
	samples: &[Sample],
	mut tick: impl FnMut(),
) -> Result<Evaluation, EvaluateError> {
	let mut collected: Vec<Collected> =
		DiagnosticModule::ALL.iter().map(|_| Collected::default()).collect();
	let started = Instant::now();
	for sample in samples {
		let diagnostic =
			diagnostician.diagnose_preprocessed(sample.quality.clone(), sample.input.clone())?;
		for (module, bucket) in DiagnosticModule::ALL.into_iter().zip(collected.iter_mut()) {
			let (Some(truth), Some(result)) =
				(sample.labels.get(module), diagnostic.module(module))
			else {
				continue;
			};
			bucket.truth.push(truth);
			bucket.predicted.push(result.finding.class);
			bucket.positive_score.push(1.0 - result.probabilities.first().copied().unwrap_or(1.0));
			bucket.confidence.push(result.confidence);
			bucket.margins.push(result.edge_margin);
		}
		tick();
	}
	let images_per_second = samples.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
	let mut modules = Vec::new();
	for (module, data) in DiagnosticModule::ALL.into_iter().zip(collected) {
		if data.truth.is_empty() {
			continue;
		}
		let key = module_key(module);
		let metrics = module_metrics(&data.truth, &data.predicted, &data.positive_score)
			.map_err(|source| EvaluateError::Metrics { module: key, source })?;
		let correct: Vec<bool> =
			data.truth.iter().zip(&data.predicted).map(|(t, p)| t == p).collect();
		modules.push(ModuleEvaluation {
			module: key,
			samples: data.truth.len(),
			accuracy: metrics.accuracy,
			sensitivity: metrics.sensitivity,
			specificity: metrics.specificity,
			auc: metrics.auc,
			calibration_error: expected_calibration_error(&data.confidence, &correct, 10),
			near_edge: data.margins.iter().filter(|margin| **margin < NEAR_EDGE).count(),
			min_edge_margin: data.margins.iter().copied().fold(f32::INFINITY, f32::min),
			metrics,
		});
	}
	Ok(Evaluation {
		model_id: format!("{:?}", diagnostician.model_id()),
		samples: samples.len(),
		modules,
		images_per_second,
	})
}

impl Evaluation {
	/// A Markdown table of the metrics (for MODEL_CARD.md and the CLI).
	pub fn markdown_table(&self) -> String {
		let mut table = String::from(
			"| module | n | accuracy | sensitivity | specificity | ROC AUC | ECE | near edge |\n\
			 |---|---:|---:|---:|---:|---:|---:|---:|\n",
		);
		for m in &self.modules {
			table.push_str(&format!(
				"| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {} |\n",
				m.module,
				m.samples,
				m.accuracy,
				m.sensitivity,
				m.specificity,
				m.auc,
				m.calibration_error,
				m.near_edge
			));
		}
		table
	}
}
