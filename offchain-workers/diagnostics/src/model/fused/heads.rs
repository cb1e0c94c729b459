//! The pooling and the classification heads of the fused path, in plain Rust: every sum in a
//! fixed order, so the logits do not depend on which matrix-multiplication kernel a library
//! picks for the CPU at run time (candle's `Linear` calls `gemm`, which dispatches on the
//! instruction set and sums in a different order on each).

use candle_core::{Device, Result, Tensor};

use super::super::ModuleHead;

/// One head: `logits = W · pooled + b`, calibrated as `logits / T`.
#[derive(Clone, Debug)]
struct Head {
	classes: usize,
	/// `classes × features`, row-major.
	weights: Vec<f32>,
	bias: Vec<f32>,
	temperature: f32,
}

/// Every module's head over the pooled features `[mean over the map, max over the map]` of
/// each channel.
#[derive(Clone, Debug)]
pub struct FusedHeads {
	features: usize,
	heads: Vec<Head>,
}

impl FusedHeads {
	/// Copies the parameters of `heads`, each over `features` pooled values.
	pub fn new(heads: &[ModuleHead], features: usize) -> Result<Self> {
		let heads = heads
			.iter()
			.map(|head| {
				let (weights, bias, temperature) = head.parameters()?;
				let classes = bias.len();
				if weights.len() != classes.saturating_mul(features) {
					return Err(candle_core::Error::msg(format!(
						"head of {:?}: {} weights for {classes} classes × {features} features",
						head.module,
						weights.len()
					)));
				}
				Ok(Head { classes, weights, bias, temperature })
			})
			.collect::<Result<_>>()?;
		Ok(Self { features, heads })
	}

	/// Raw and calibrated logits per head, each `(batch, classes)`, of the feature maps `xs`
	/// `(batch, features / 2, h, w)`.
	pub fn forward(&self, xs: &Tensor) -> Result<(Vec<Tensor>, Vec<Tensor>)> {
		let (batch, channels, height, width) = xs.dims4()?;
		if channels.saturating_mul(2) != self.features {
			return Err(candle_core::Error::msg(format!(
				"the heads take {} pooled features, not 2 × {channels}",
				self.features
			)));
		}
		let values: Vec<f32> = xs.flatten_all()?.to_vec1()?;
		let pixels = height.saturating_mul(width).max(1);
		let count = pixels as f32;
		let mut pooled = vec![0.0f32; batch.saturating_mul(self.features)];
		for (image, pooled) in
			values.chunks_exact(channels * pixels).zip(pooled.chunks_exact_mut(self.features))
		{
			let (average, maximum) = pooled.split_at_mut(channels);
			for ((plane, average), maximum) in
				image.chunks_exact(pixels).zip(average.iter_mut()).zip(maximum.iter_mut())
			{
				*average = plane.iter().fold(0.0f32, |sum, value| sum + value) / count;
				*maximum = plane.iter().copied().fold(f32::NEG_INFINITY, f32::max);
			}
		}
		let mut logits = Vec::with_capacity(self.heads.len());
		let mut calibrated = Vec::with_capacity(self.heads.len());
		for head in &self.heads {
			let mut raw = Vec::with_capacity(batch.saturating_mul(head.classes));
			for features in pooled.chunks_exact(self.features) {
				for (row, bias) in head.weights.chunks_exact(self.features).zip(&head.bias) {
					let sum = row.iter().zip(features).fold(0.0f32, |sum, (w, x)| sum + w * x);
					raw.push(sum + bias);
				}
			}
			let scaled: Vec<f32> = raw.iter().map(|logit| logit / head.temperature).collect();
			logits.push(Tensor::from_vec(raw, (batch, head.classes), &Device::Cpu)?);
			calibrated.push(Tensor::from_vec(scaled, (batch, head.classes), &Device::Cpu)?);
		}
		Ok((logits, calibrated))
	}
}
