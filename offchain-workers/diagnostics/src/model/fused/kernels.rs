//! The CPU kernels of the fused inference path besides the convolution ([`super::direct`]), on
//! plain slices of one image in NCHW order: a group normalization in place, and the residual
//! sum with its ReLU. They are memory-bound and written so the compiler vectorizes them.

/// Why a kernel refused its arguments. Sizes are checked before anything is computed: a wrong
/// shape is a bug in the caller, reported rather than read out of bounds.
#[derive(Debug, thiserror::Error)]
#[error("fused kernel: {0}")]
pub struct KernelError(pub String);

/// Where one convolution reads one image: a square `in_side × in_side` input of `in_channels`
/// channels, a square `kernel`, `stride` and zero `padding` on every side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvGeometry {
	/// Input channels.
	pub in_channels: usize,
	/// Side of the square input.
	pub in_side: usize,
	/// Side of the square kernel.
	pub kernel: usize,
	/// Stride in both directions.
	pub stride: usize,
	/// Zero padding on every side.
	pub padding: usize,
}

impl ConvGeometry {
	/// Side of the output: `(in_side + 2·padding − kernel) / stride + 1`.
	pub fn out_side(&self) -> Result<usize, KernelError> {
		self.in_side
			.checked_add(self.padding.saturating_mul(2))
			.and_then(|padded| padded.checked_sub(self.kernel))
			.and_then(|span| span.checked_div(self.stride))
			.and_then(|steps| steps.checked_add(1))
			.ok_or_else(|| KernelError(format!("no output for {self:?}")))
	}

	/// Output pixels per channel.
	pub fn out_pixels(&self) -> Result<usize, KernelError> {
		let side = self.out_side()?;
		Ok(side.saturating_mul(side))
	}

	/// Input pixels per channel.
	pub fn in_pixels(&self) -> usize {
		self.in_side.saturating_mul(self.in_side)
	}

	/// Length of one patch, the inner dimension of the product: `in_channels · kernel²`.
	pub fn patch_len(&self) -> usize {
		self.in_channels.saturating_mul(self.kernel).saturating_mul(self.kernel)
	}
}

/// Group normalization in place, as `candle_nn::GroupNorm` computes it: each group of
/// `group_channels` consecutive channels (`pixels` values each) gets zero mean and unit
/// variance (population variance, `eps` added), then channel c is scaled by `gamma[c]` and
/// shifted by `beta[c]`. `rows` holds whole groups; `gamma` and `beta` are its channels'.
pub fn group_norm(
	rows: &mut [f32],
	pixels: usize,
	group_channels: usize,
	gamma: &[f32],
	beta: &[f32],
	eps: f32,
) -> Result<(), KernelError> {
	let group_len = group_channels.saturating_mul(pixels);
	let channels = gamma.len();
	if group_len == 0
		|| rows.len() != channels.saturating_mul(pixels)
		|| beta.len() != channels
		|| channels % group_channels != 0
	{
		return Err(KernelError(format!(
			"group norm: {} values, {channels} scales, {} shifts, groups of {group_channels} × {pixels}",
			rows.len(),
			beta.len()
		)));
	}
	let count = group_len as f32;
	let groups = rows
		.chunks_exact_mut(group_len)
		.zip(gamma.chunks_exact(group_channels).zip(beta.chunks_exact(group_channels)));
	for (group, (gamma, beta)) in groups {
		let mean = lane_sum(group, |x| x) / count;
		let variance = lane_sum(group, |x| (x - mean) * (x - mean)) / count;
		let inverse_std = 1.0 / (variance + eps).sqrt();
		for (channel, (g, b)) in group.chunks_exact_mut(pixels).zip(gamma.iter().zip(beta)) {
			let scale = g * inverse_std;
			let shift = b - mean * scale;
			channel.iter_mut().for_each(|x| *x = *x * scale + shift);
		}
	}
	Ok(())
}

/// `Σ term(v)` over eight interleaved accumulators, which the compiler keeps in vector
/// registers (a single running sum would serialize on the addition's latency). The order is
/// fixed, so the result is too.
pub(crate) fn lane_sum(values: &[f32], term: impl Fn(f32) -> f32) -> f32 {
	let mut lanes = [0.0f32; 8];
	let chunks = values.chunks_exact(8);
	let tail: f32 = chunks.remainder().iter().map(|value| term(*value)).sum();
	for chunk in chunks {
		for (lane, value) in lanes.iter_mut().zip(chunk) {
			*lane += term(*value);
		}
	}
	lanes.iter().sum::<f32>() + tail
}

/// `out = max(out, 0)`.
pub fn relu(out: &mut [f32]) {
	out.iter_mut().for_each(|x| *x = x.max(0.0));
}

/// `out = max(out + shortcut, 0)`: the end of a residual block.
pub fn add_relu(out: &mut [f32], shortcut: &[f32]) -> Result<(), KernelError> {
	if out.len() != shortcut.len() {
		return Err(KernelError(format!(
			"residual: {} outputs, {} shortcut values",
			out.len(),
			shortcut.len()
		)));
	}
	out.iter_mut().zip(shortcut).for_each(|(x, s)| *x = (*x + s).max(0.0));
	Ok(())
}
