//! Quantized findings: what every honest node must reveal byte for byte.
//!
//! Floating-point results differ in their last bits between CPUs (SIMD width, fused
//! multiply-add), so nodes never compare probabilities. They compare a class and a coarse
//! confidence bucket, encoded under a named [`QuantizationScheme`] whose id the chain's model
//! registry records next to the model. Two nodes can only disagree when a probability lies
//! within float noise of a bucket edge or of a tie between classes; `eval` reports how often
//! that happens on held-out data (the "edge margin").

use btt_primitives::depin::{Diagnosis, DiagnosticModule, Findings};
use codec::Encode;
use sp_arithmetic::Percent;
use sp_crypto_hashing::blake2_256;

use crate::taxonomy::class_count;

/// A quantization scheme: how a module's probabilities become the bytes nodes agree on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuantizationScheme {
	/// Id registered on chain with the model (`depinRegistry.registerModel(.., quantization)`).
	pub id: u16,
	/// Human name.
	pub name: &'static str,
	/// Ascending confidence edges: the bucket of probability p is the number of edges ≤ p.
	pub bucket_edges: [f32; 3],
}

/// Scheme 1, `btt-q1`: findings = `[id (u16 LE), module, class, bucket]`, where class is the
/// arg-max of the calibrated, augmentation-averaged probabilities (lowest index on a tie) and
/// bucket is 0 below 0.60, 1 below 0.80, 2 below 0.95, 3 from 0.95.
pub const BTT_Q1: QuantizationScheme =
	QuantizationScheme { id: 1, name: "btt-q1", bucket_edges: [0.60, 0.80, 0.95] };

/// Every scheme this build knows, by id.
pub const SCHEMES: [QuantizationScheme; 1] = [BTT_Q1];

/// The scheme with `name`.
pub fn scheme_named(name: &str) -> Option<QuantizationScheme> {
	SCHEMES.into_iter().find(|scheme| scheme.name == name)
}

/// The scheme with on-chain `id`.
pub fn scheme_with_id(id: u16) -> Option<QuantizationScheme> {
	SCHEMES.into_iter().find(|scheme| scheme.id == id)
}

/// Why probabilities or bytes cannot be quantized or read.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum QuantizeError {
	/// The probabilities are not one per class of the module.
	#[error("{module:?} has {expected} classes, got {got} probabilities")]
	ClassCount {
		/// The module.
		module: DiagnosticModule,
		/// Its classes.
		expected: usize,
		/// Probabilities given.
		got: usize,
	},
	/// A probability is NaN or outside [0, 1].
	#[error("probability {0} is not in [0, 1]")]
	InvalidProbability(f32),
	/// Findings bytes of another scheme, length or content.
	#[error("findings bytes are not a {0} encoding")]
	Malformed(&'static str),
}

/// One module's quantized answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuantizedFinding {
	/// The module.
	pub module: DiagnosticModule,
	/// Class index into [`crate::taxonomy::classes`].
	pub class: u8,
	/// Confidence bucket, 0 (lowest) to 3.
	pub bucket: u8,
}

impl QuantizationScheme {
	/// The confidence bucket of probability `p`: the number of edges ≤ p.
	pub fn bucket(&self, p: f32) -> u8 {
		self.bucket_edges.iter().filter(|edge| **edge <= p).count() as u8
	}

	/// The class and bucket of `probabilities` (one per class of `module`).
	pub fn quantize(
		&self,
		module: DiagnosticModule,
		probabilities: &[f32],
	) -> Result<QuantizedFinding, QuantizeError> {
		let expected = class_count(module);
		if probabilities.len() != expected {
			return Err(QuantizeError::ClassCount { module, expected, got: probabilities.len() });
		}
		if let Some(bad) = probabilities.iter().find(|p| !(0.0..=1.0).contains(*p)) {
			return Err(QuantizeError::InvalidProbability(*bad));
		}
		let (class, top) = arg_max(probabilities);
		Ok(QuantizedFinding { module, class, bucket: self.bucket(top) })
	}

	/// The findings bytes of `finding`.
	pub fn encode(&self, finding: &QuantizedFinding) -> Findings {
		let [low, high] = self.id.to_le_bytes();
		let bytes = vec![low, high, finding.module as u8, finding.class, finding.bucket];
		// Five bytes always fit the chain's 64-byte bound.
		Findings::truncate_from(bytes)
	}

	/// Reads findings bytes written by [`Self::encode`].
	pub fn decode(&self, findings: &[u8]) -> Result<QuantizedFinding, QuantizeError> {
		let malformed = QuantizeError::Malformed(self.name);
		let [low, high, module, class, bucket] = findings else { return Err(malformed) };
		if u16::from_le_bytes([*low, *high]) != self.id || *bucket > 3 {
			return Err(malformed);
		}
		let module =
			DiagnosticModule::ALL.get(*module as usize).copied().ok_or(malformed.clone())?;
		if (*class as usize) >= class_count(module) {
			return Err(malformed);
		}
		Ok(QuantizedFinding { module, class: *class, bucket: *bucket })
	}

	/// How far `probabilities` lie from changing their quantized value: the smallest distance
	/// of the top probability to a bucket edge, and of the top two probabilities to each other.
	/// Below ~1e-5 two machines could round differently.
	pub fn edge_margin(&self, probabilities: &[f32]) -> f32 {
		let (_, top) = arg_max(probabilities);
		let runner_up = probabilities.iter().copied().filter(|p| *p < top).fold(0.0f32, f32::max);
		let tie_margin = if probabilities.iter().filter(|p| **p == top).count() > 1 {
			0.0
		} else {
			top - runner_up
		};
		self.bucket_edges.iter().map(|edge| (top - edge).abs()).fold(tie_margin, f32::min)
	}
}

/// Index and value of the largest probability; the lowest index wins a tie.
fn arg_max(probabilities: &[f32]) -> (u8, f32) {
	probabilities.iter().enumerate().fold((0u8, f32::MIN), |best, (index, p)| {
		if *p > best.1 {
			(index as u8, *p)
		} else {
			best
		}
	})
}

/// A value in [0, 1] as whole percent, rounded half up; NaN counts as 0.
pub fn whole_percent(value: f32) -> u8 {
	if value.is_nan() {
		return 0;
	}
	(value.clamp(0.0, 1.0) * 100.0 + 0.5).floor() as u8
}

/// The result a node reveals on chain: the findings plus I, D, U in whole percent.
pub fn chain_diagnosis(
	findings: Findings,
	image_quality: f32,
	model_confidence: f32,
	uncertainty: f32,
) -> Diagnosis {
	let percent = |value| Percent::from_percent(whole_percent(value));
	Diagnosis {
		findings,
		image_quality: percent(image_quality),
		model_confidence: percent(model_confidence),
		uncertainty: percent(uncertainty),
	}
}

/// blake2-256 of the SCALE encoding of a diagnosis: the digest two runs, two thread counts or
/// two machines must agree on.
pub fn digest(diagnosis: &Diagnosis) -> [u8; 32] {
	blake2_256(&diagnosis.encode())
}
