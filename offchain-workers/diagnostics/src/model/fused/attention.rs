//! The attention block ([`Cbam`](super::super::attention::Cbam)) as one candle custom op: both
//! attentions of one image in a few passes over its feature maps, instead of about twenty
//! candle operators each with its own output tensor.
//!
//! The op returns the attended features and the spatial map in one tensor, `(batch, channels +
//! 1, side, side)`: channel planes first, the map last ([`FusedCbam::split`] separates them).

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

use super::kernels::{lane_sum, KernelError};

/// The parameters of a CBAM block, flattened: channel attention `σ(MLP(avg) + MLP(max))` with
/// `MLP(v) = fc2 · relu(fc1 · v + b1) + b2`, spatial attention `σ(conv7×7([mean_c, max_c]) + b)`.
#[derive(Clone, Debug)]
pub struct FusedCbam {
	/// Feature channels.
	pub channels: usize,
	/// Width of the channel attention's bottleneck.
	pub hidden: usize,
	/// `hidden × channels`, then `hidden` biases.
	pub fc1: (Vec<f32>, Vec<f32>),
	/// `channels × hidden`, then `channels` biases.
	pub fc2: (Vec<f32>, Vec<f32>),
	/// Side of the spatial attention's square kernel (odd; padded to keep the size).
	pub kernel: usize,
	/// `2 × kernel × kernel` weights (mean plane, then max plane), then the bias.
	pub spatial: (Vec<f32>, f32),
}

impl FusedCbam {
	/// Checks that the parameters fit together.
	pub fn validate(&self) -> std::result::Result<(), KernelError> {
		let fits = self.fc1.0.len() == self.hidden.saturating_mul(self.channels)
			&& self.fc1.1.len() == self.hidden
			&& self.fc2.0.len() == self.channels.saturating_mul(self.hidden)
			&& self.fc2.1.len() == self.channels
			&& self.kernel % 2 == 1
			&& self.spatial.0.len() == self.kernel.saturating_mul(self.kernel).saturating_mul(2);
		if fits {
			Ok(())
		} else {
			Err(KernelError(format!("attention parameters do not fit {} channels", self.channels)))
		}
	}

	/// The attended features `(batch, channels, side, side)` and the spatial map `(batch, 1,
	/// side, side)` of this op's output.
	pub fn split(&self, output: &Tensor) -> Result<(Tensor, Tensor)> {
		Ok((output.narrow(1, 0, self.channels)?, output.narrow(1, self.channels, 1)?.contiguous()?))
	}

	/// The channel MLP: `fc2 · relu(fc1 · v + b1) + b2`, added into `out`.
	fn add_mlp(&self, v: &[f32], out: &mut [f32]) {
		let hidden: Vec<f32> = self
			.fc1
			.0
			.chunks_exact(self.channels.max(1))
			.zip(&self.fc1.1)
			.map(|(row, bias)| (dot(row, v) + bias).max(0.0))
			.collect();
		for ((slot, row), bias) in
			out.iter_mut().zip(self.fc2.0.chunks_exact(self.hidden.max(1))).zip(&self.fc2.1)
		{
			*slot += dot(row, &hidden) + bias;
		}
	}

	/// Both attentions on one image: `x` its `channels × side²` features, `out` the attended
	/// features followed by the spatial map.
	fn attend_image(&self, x: &[f32], side: usize, out: &mut [f32]) {
		let pixels = side * side;
		let (features, map) = out.split_at_mut(self.channels * pixels);
		// Channel attention.
		let count = pixels as f32;
		let average: Vec<f32> =
			x.chunks_exact(pixels.max(1)).map(|plane| lane_sum(plane, |v| v) / count).collect();
		let maximum: Vec<f32> = x
			.chunks_exact(pixels.max(1))
			.map(|plane| plane.iter().copied().fold(f32::NEG_INFINITY, f32::max))
			.collect();
		let mut logits = vec![0.0f32; self.channels];
		self.add_mlp(&average, &mut logits);
		self.add_mlp(&maximum, &mut logits);
		for ((target, source), logit) in
			features.chunks_exact_mut(pixels.max(1)).zip(x.chunks_exact(pixels.max(1))).zip(&logits)
		{
			let weight = sigmoid(*logit);
			target.iter_mut().zip(source).for_each(|(t, s)| *t = s * weight);
		}
		// Spatial attention: mean and max over channels, then the convolution.
		let mut mean = vec![0.0f32; pixels];
		let mut max = vec![f32::NEG_INFINITY; pixels];
		for plane in features.chunks_exact(pixels.max(1)) {
			mean.iter_mut().zip(plane).for_each(|(m, v)| *m += v);
			max.iter_mut().zip(plane).for_each(|(m, v)| *m = m.max(*v));
		}
		let channels = self.channels as f32;
		mean.iter_mut().for_each(|m| *m /= channels);
		let (weights, bias) = (&self.spatial.0, self.spatial.1);
		let taps = self.kernel * self.kernel;
		let (mean_weights, max_weights) = weights.split_at(taps.min(weights.len()));
		let reach = (self.kernel / 2) as isize;
		for (index, slot) in map.iter_mut().enumerate() {
			let (y, x) = ((index / side) as isize, (index % side) as isize);
			let mut sum = 0.0f32;
			for (tap, (mean_weight, max_weight)) in mean_weights.iter().zip(max_weights).enumerate()
			{
				let sy = y + (tap / self.kernel) as isize - reach;
				let sx = x + (tap % self.kernel) as isize - reach;
				if (0..side as isize).contains(&sy) && (0..side as isize).contains(&sx) {
					let at = sy as usize * side + sx as usize;
					sum += mean_weight * mean.get(at).copied().unwrap_or(0.0)
						+ max_weight * max.get(at).copied().unwrap_or(0.0);
				}
			}
			*slot = sigmoid(sum + bias);
		}
		for plane in features.chunks_exact_mut(pixels.max(1)) {
			plane.iter_mut().zip(map.iter()).for_each(|(v, m)| *v *= m);
		}
	}
}

/// `1 / (1 + e^(−x))`, as `candle_nn::ops::sigmoid` computes it but with `libm::expf` (pure
/// Rust, the same bits on every machine): `f32::exp` calls the C library, whose result may
/// depend on its version and on the CPU (glibc picks an FMA variant at run time).
pub(crate) fn sigmoid(x: f32) -> f32 {
	1.0 / (1.0 + libm::expf(-x))
}

/// `Σ a[i] · b[i]`.
fn dot(a: &[f32], b: &[f32]) -> f32 {
	a.iter().zip(b).map(|(a, b)| a * b).sum()
}

impl CustomOp1 for FusedCbam {
	fn name(&self) -> &'static str {
		"btt-fused-cbam"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		self.validate()?;
		let CpuStorage::F32(values) = storage else {
			return Err(candle_core::Error::msg("the fused attention takes f32 input"));
		};
		let (batch, channels, height, width) = layout.shape().dims4()?;
		let input = layout
			.contiguous_offsets()
			.and_then(|(start, end)| values.get(start..end))
			.ok_or_else(|| candle_core::Error::msg("the fused attention takes contiguous input"))?;
		if channels != self.channels || height != width {
			return Err(candle_core::Error::msg(format!(
				"the attention takes {} channels of square maps, not {channels} of {height}×{width}",
				self.channels
			)));
		}
		let pixels = height * width;
		let image_in = channels * pixels;
		let image_out = (channels + 1) * pixels;
		let mut out = vec![0.0f32; batch * image_out];
		out.par_chunks_mut(image_out.max(1))
			.zip(input.par_chunks(image_in.max(1)))
			.for_each(|(out, x)| self.attend_image(x, height, out));
		Ok((CpuStorage::F32(out), Shape::from((batch, channels + 1, height, width))))
	}
}
