//! The CPU kernels of the fused inference path, on plain slices of one image in NCHW order:
//! im2col, a convolution as one matrix product per tile of output channels, a group
//! normalization in place, and the residual sum with its ReLU.
//!
//! The matrix product is the `gemm` crate's (the one candle's own CPU backend uses), which picks
//! its AVX2/FMA or AVX-512 kernel at run time, so the binary stays portable. Everything else is
//! memory-bound and written so the compiler vectorizes it.

use std::{borrow::Cow, ops::Range};

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

/// Writes the im2col rows of one input channel: row `(ky, kx)` holds, for every output pixel,
/// the input pixel under kernel tap `(ky, kx)`, or 0 where the tap falls in the padding.
/// `rows` is `kernel² × out_pixels` long.
pub fn im2col_channel(geometry: &ConvGeometry, plane: &[f32], rows: &mut [f32]) -> Result<(), KernelError> {
	let out_side = geometry.out_side()?;
	let out_pixels = geometry.out_pixels()?;
	let kernel = geometry.kernel;
	if plane.len() != geometry.in_pixels() || rows.len() != kernel.saturating_mul(kernel).saturating_mul(out_pixels) {
		return Err(KernelError(format!("im2col: plane {} / rows {} do not fit {geometry:?}", plane.len(), rows.len())));
	}
	// Fast path: every plane the taps read is `out_side` square, so each tap is a shifted copy.
	if out_side.saturating_mul(geometry.stride) == geometry.in_side {
		let phases = polyphase(plane, geometry.in_side, geometry.stride);
		for (tap, row) in rows.chunks_exact_mut(out_pixels).enumerate() {
			// Tap offset ky − padding = q·stride + r: output row oy reads input row
			// (oy + q)·stride + r, which is row oy + q of phase r.
			let stride = geometry.stride as isize;
			let dy = (tap / kernel) as isize - geometry.padding as isize;
			let dx = (tap % kernel) as isize - geometry.padding as isize;
			let phase = dy.rem_euclid(stride) as usize * geometry.stride + dx.rem_euclid(stride) as usize;
			let source = phases.get(phase * out_pixels..(phase + 1) * out_pixels).unwrap_or(&[]);
			shifted_plane(source, out_side, dy.div_euclid(stride), dx.div_euclid(stride), row);
		}
		return Ok(());
	}
	for (tap, row) in rows.chunks_exact_mut(out_pixels).enumerate() {
		let (ky, kx) = (tap / kernel, tap % kernel);
		for (oy, out_row) in row.chunks_exact_mut(out_side).enumerate() {
			let input_row = (oy * geometry.stride + ky)
				.checked_sub(geometry.padding)
				.and_then(|iy| plane.get(iy * geometry.in_side..(iy + 1) * geometry.in_side));
			match input_row {
				None => out_row.fill(0.0),
				Some(input_row) if geometry.stride == 1 => shifted_copy(input_row, kx, geometry.padding, out_row),
				Some(input_row) => strided_copy(input_row, kx, geometry.stride, geometry.padding, out_row),
			}
		}
	}
	Ok(())
}

/// The `stride²` polyphase components of a square plane whose side is a multiple of `stride`:
/// component `(a, b)` (at index `a·stride + b`) holds the pixels `(y·stride + a, x·stride + b)`.
/// A strided convolution of the plane is a stride-1 one over the components; with stride 1
/// the only component is the plane itself, which is borrowed rather than copied.
fn polyphase(plane: &[f32], side: usize, stride: usize) -> Cow<'_, [f32]> {
	if stride <= 1 {
		return Cow::Borrowed(plane);
	}
	let out_side = side / stride;
	let phase_len = out_side * out_side;
	let mut phases = vec![0.0; plane.len()];
	for (y, row) in plane.chunks_exact(side.max(1)).enumerate() {
		let (q, a) = (y / stride, y % stride);
		if stride == 2 {
			// The common case, as one pass over pixel pairs that the compiler vectorizes.
			let start = a * 2 * phase_len + q * out_side;
			let (even, odd) = phases.split_at_mut((start + phase_len).min(plane.len()));
			let (Some(even), Some(odd)) = (even.get_mut(start..start + out_side), odd.get_mut(..out_side)) else {
				continue;
			};
			let (pairs, _) = row.as_chunks::<2>();
			for ((even, odd), [left, right]) in even.iter_mut().zip(odd.iter_mut()).zip(pairs) {
				(*even, *odd) = (*left, *right);
			}
			continue;
		}
		for b in 0..stride {
			let start = (a * stride + b) * phase_len + q * out_side;
			let Some(target) = phases.get_mut(start..start + out_side) else { continue };
			for (slot, pixels) in target.iter_mut().zip(row.chunks_exact(stride)) {
				*slot = pixels.get(b).copied().unwrap_or(0.0);
			}
		}
	}
	Cow::Owned(phases)
}

/// im2col of one tap of a stride-1 convolution whose output is as large as its input:
/// `out[y, x] = plane[y + dy, x + dx]`, zero outside the plane. In row-major order that is the
/// whole plane shifted by `dy·side + dx`: one copy, then zeros in the `|dx|` columns that
/// wrapped around from the neighbouring row.
fn shifted_plane(plane: &[f32], side: usize, dy: isize, dx: isize, out: &mut [f32]) {
	let len = out.len().min(plane.len());
	let shift = (dy * side as isize + dx).unsigned_abs().min(len);
	let (source, zeros, target) = if dy * side as isize + dx >= 0 {
		let (target, zeros) = out.split_at_mut(len - shift);
		(plane.get(shift..len), zeros, target)
	} else {
		let (zeros, target) = out.split_at_mut(shift);
		(plane.get(..len - shift), zeros, target)
	};
	zeros.fill(0.0);
	if let Some(source) = source {
		if let Some(target) = target.get_mut(..source.len()) {
			target.copy_from_slice(source);
		}
	}
	let wrapped = dx.unsigned_abs().min(side);
	for row in out.chunks_exact_mut(side.max(1)) {
		let columns = if dx < 0 { row.get_mut(..wrapped) } else { row.get_mut(side - wrapped..) };
		columns.into_iter().for_each(|columns| columns.fill(0.0));
	}
}

/// im2col of one row with a stride: `out[ox] = input[ox·stride + kx − padding]`, zero outside
/// the input.
fn strided_copy(input: &[f32], kx: usize, stride: usize, padding: usize, out: &mut [f32]) {
	// The first output pixel whose tap is inside the input, and the input pixel it reads.
	let lead = padding.saturating_sub(kx).div_ceil(stride.max(1)).min(out.len());
	let start = (lead * stride + kx).saturating_sub(padding);
	let (zeros_before, rest) = out.split_at_mut(lead);
	zeros_before.fill(0.0);
	let mut written = 0;
	for (slot, value) in rest.iter_mut().zip(input.iter().skip(start).step_by(stride.max(1))) {
		*slot = *value;
		written += 1;
	}
	if let Some(zeros_after) = rest.get_mut(written..) {
		zeros_after.fill(0.0);
	}
}

/// Stride-1 im2col of one row: `out[ox] = input[ox + kx − padding]`, zero outside the input,
/// as a fill, one copy and a fill.
fn shifted_copy(input: &[f32], kx: usize, padding: usize, out: &mut [f32]) {
	// Output pixels before `lead` read left of the input; the copy starts at input `start`.
	let lead = padding.saturating_sub(kx).min(out.len());
	let start = kx.saturating_sub(padding);
	let available = input.len().saturating_sub(start);
	let (zeros_before, rest) = out.split_at_mut(lead);
	zeros_before.fill(0.0);
	let copied = available.min(rest.len());
	let (copy, zeros_after) = rest.split_at_mut(copied);
	if let Some(source) = input.get(start..start + copied) {
		copy.copy_from_slice(source);
	}
	zeros_after.fill(0.0);
}

/// `out[r, p] = Σ_k weights[r, k] · cols[k, p]` for the `channels.len()` output channels of
/// `channels`: one convolution of one image for one tile of output channels. `weights` holds
/// every output channel's `patch_len` weights (OIHW order, which is im2col's row order), `cols`
/// the image's im2col matrix, `out` the tile's `channels.len() × pixels` outputs.
///
/// Single-threaded on purpose: the caller parallelizes over tiles, which are fixed by the
/// network's shape, so the result does not depend on the thread count.
pub fn convolve_tile(
	weights: &[f32],
	patch_len: usize,
	channels: Range<usize>,
	cols: &[f32],
	pixels: usize,
	out: &mut [f32],
) -> Result<(), KernelError> {
	let rows = channels.len();
	let lhs = weights
		.get(channels.start.saturating_mul(patch_len)..channels.end.saturating_mul(patch_len))
		.ok_or_else(|| KernelError(format!("convolve: no weights for channels {channels:?}")))?;
	if cols.len() != patch_len.saturating_mul(pixels) || out.len() != rows.saturating_mul(pixels) {
		return Err(KernelError(format!(
			"convolve: cols {} / out {} do not fit {rows} × {patch_len} × {pixels}",
			cols.len(),
			out.len()
		)));
	}
	let stride = |n: usize| isize::try_from(n).map_err(|_| KernelError(format!("convolve: {n} overflows a stride")));
	let (patch_stride, pixel_stride) = (stride(patch_len)?, stride(pixels)?);
	// SAFETY: the three matrices are exactly the slices checked above: `lhs` is rows × patch_len
	// (row stride patch_len), `cols` patch_len × pixels and `out` rows × pixels (row stride
	// pixels), all with unit column stride; `out` is borrowed mutably, the others shared.
	unsafe {
		gemm::gemm(
			rows,
			pixels,
			patch_len,
			out.as_mut_ptr(),
			1,
			pixel_stride,
			false,
			lhs.as_ptr(),
			1,
			patch_stride,
			cols.as_ptr(),
			1,
			pixel_stride,
			0.0f32,
			1.0f32,
			false,
			false,
			false,
			gemm::Parallelism::None,
		);
	}
	Ok(())
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
	if group_len == 0 || rows.len() != channels.saturating_mul(pixels) || beta.len() != channels || channels % group_channels != 0 {
		return Err(KernelError(format!(
			"group norm: {} values, {channels} scales, {} shifts, groups of {group_channels} × {pixels}",
			rows.len(),
			beta.len()
		)));
	}
	let count = group_len as f32;
	let groups = rows.chunks_exact_mut(group_len).zip(gamma.chunks_exact(group_channels).zip(beta.chunks_exact(group_channels)));
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
fn lane_sum(values: &[f32], term: impl Fn(f32) -> f32) -> f32 {
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
		return Err(KernelError(format!("residual: {} outputs, {} shortcut values", out.len(), shortcut.len())));
	}
	out.iter_mut().zip(shortcut).for_each(|(x, s)| *x = (*x + s).max(0.0));
	Ok(())
}
