//! The fused blocks as candle custom ops: each runs a whole [`ConvNorm`](super::super::ConvNorm)
//! stem or [`ResidualBlock`](super::super::ResidualBlock) over a batch in one call, with the
//! kernels of [`super::kernels`].
//!
//! Work is split into tiles of (image, block of output channels); a tile is a whole number of
//! normalization groups, so it convolves, normalizes and finishes its channels without waiting
//! for the others. The tiles are fixed by the network's shape, never by the thread count, and
//! each runs single-threaded: rayon may schedule them on any number of threads and the bytes
//! come out the same.

use std::{cell::RefCell, ops::Range};

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape};
use rayon::prelude::*;

use super::kernels::{add_relu, convolve_tile, group_norm, im2col_channel, relu, ConvGeometry, KernelError};

impl From<KernelError> for candle_core::Error {
	fn from(error: KernelError) -> Self {
		candle_core::Error::msg(error.to_string())
	}
}

/// A bias-free convolution and the group normalization after it, flattened for the kernels:
/// the parameters of one [`ConvNorm`](super::super::ConvNorm).
#[derive(Clone, Debug)]
pub struct ConvNormKernel {
	/// Input channels.
	pub in_channels: usize,
	/// Output channels.
	pub out_channels: usize,
	/// Side of the square kernel.
	pub kernel: usize,
	/// Stride.
	pub stride: usize,
	/// Zero padding on every side.
	pub padding: usize,
	/// Normalization groups.
	pub groups: usize,
	/// Normalization epsilon.
	pub eps: f32,
	/// Convolution weights, `out_channels × in_channels × kernel × kernel`.
	pub weights: Vec<f32>,
	/// Per-channel scale of the normalization.
	pub gamma: Vec<f32>,
	/// Per-channel shift of the normalization.
	pub beta: Vec<f32>,
}

impl ConvNormKernel {
	/// The geometry of this convolution on a `side × side` input.
	pub fn geometry(&self, side: usize) -> ConvGeometry {
		ConvGeometry {
			in_channels: self.in_channels,
			in_side: side,
			kernel: self.kernel,
			stride: self.stride,
			padding: self.padding,
		}
	}

	fn group_channels(&self) -> usize {
		self.out_channels.checked_div(self.groups).unwrap_or(0)
	}

	/// Channels per tile: half the groups (rounded up), so an image's work is two tiles.
	fn tile_channels(&self) -> usize {
		self.groups.div_ceil(2).saturating_mul(self.group_channels()).max(1)
	}

	/// Convolves and normalizes `channels` of one image whose im2col matrix is `cols`.
	fn tile(&self, cols: &[f32], pixels: usize, channels: Range<usize>, out: &mut [f32]) -> Result<()> {
		let patch_len = self.in_channels.saturating_mul(self.kernel).saturating_mul(self.kernel);
		convolve_tile(&self.weights, patch_len, channels.clone(), cols, pixels, out)?;
		let gamma = self.gamma.get(channels.clone()).ok_or_else(|| KernelError(format!("no scales for {channels:?}")))?;
		let beta = self.beta.get(channels.clone()).ok_or_else(|| KernelError(format!("no shifts for {channels:?}")))?;
		group_norm(out, pixels, self.group_channels(), gamma, beta, self.eps)?;
		Ok(())
	}

	/// Runs the convolution and normalization over a batch: `cols` holds each image's im2col
	/// matrix, `out` receives `batch × out_channels × pixels` values. `finish(image, channels,
	/// tile)` then completes each tile in place while it is still in cache.
	fn run(
		&self,
		batch: usize,
		cols: &[f32],
		pixels: usize,
		out: &mut [f32],
		finish: impl Fn(usize, Range<usize>, &mut [f32]) -> Result<()> + Sync,
	) -> Result<()> {
		let image_out = self.out_channels.saturating_mul(pixels);
		let image_cols = cols.len().checked_div(batch).unwrap_or(0);
		let tile_len = self.tile_channels().saturating_mul(pixels);
		if image_out == 0 || image_cols == 0 || out.len() != batch.saturating_mul(image_out) {
			return Err(KernelError(format!("{} outputs for {batch} images of {image_out}", out.len())).into());
		}
		out.par_chunks_mut(image_out).zip(cols.par_chunks(image_cols)).enumerate().try_for_each(
			|(image, (image_out, image_cols))| {
				image_out.par_chunks_mut(tile_len).enumerate().try_for_each(|(index, tile)| {
					let first = index.saturating_mul(self.tile_channels());
					let channels = first..first.saturating_add(tile.len() / pixels);
					self.tile(image_cols, pixels, channels.clone(), tile)?;
					finish(image, channels, tile)
				})
			},
		)
	}
}

/// Fills `cols` with the im2col matrices of every image of a `batch × in_channels × side ×
/// side` input, one after the other; built in parallel, one input channel per task.
fn im2col_batch(geometry: &ConvGeometry, input: &[f32], batch: usize, cols: &mut Vec<f32>) -> Result<()> {
	let rows_per_channel = geometry.kernel.saturating_mul(geometry.kernel).saturating_mul(geometry.out_pixels()?);
	let planes = batch.saturating_mul(geometry.in_channels);
	if input.len() != planes.saturating_mul(geometry.in_pixels()) {
		return Err(KernelError(format!("input of {} values is not {batch} images of {geometry:?}", input.len())).into());
	}
	reuse(cols, planes.saturating_mul(rows_per_channel));
	cols.par_chunks_mut(rows_per_channel)
		.zip(input.par_chunks(geometry.in_pixels()))
		.try_for_each(|(rows, plane)| im2col_channel(geometry, plane, rows))?;
	Ok(())
}

/// The intermediate buffers of a block, kept per calling thread from one call to the next:
/// fresh allocations of this size arrive as new pages from the kernel, and faulting them in
/// cost more than the copies written into them.
#[derive(Default)]
struct Scratch {
	cols: Vec<f32>,
	middle: Vec<f32>,
	shortcut_cols: Vec<f32>,
}

thread_local! {
	static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Runs `f` with this thread's [`Scratch`] (taken out for the call, so a nested call gets its
/// own empty one rather than a borrow error).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
	let mut scratch = SCRATCH.with(|cell| cell.take());
	let result = f(&mut scratch);
	SCRATCH.with(|cell| cell.replace(scratch));
	result
}

/// `buffer` resized to `len`, keeping its allocation; the caller overwrites every value.
fn reuse(buffer: &mut Vec<f32>, len: usize) {
	buffer.truncate(len);
	buffer.resize(len, 0.0);
}

/// The contiguous f32 values of a custom op's input and its `(batch, channels, side)`.
fn square_batch<'a>(storage: &'a CpuStorage, layout: &Layout) -> Result<(&'a [f32], usize, usize, usize)> {
	let CpuStorage::F32(values) = storage else {
		return Err(candle_core::Error::msg("fused blocks take f32 input"));
	};
	let (batch, channels, height, width) = layout.shape().dims4()?;
	let values = layout
		.contiguous_offsets()
		.and_then(|(start, end)| values.get(start..end))
		.ok_or_else(|| candle_core::Error::msg("fused blocks take contiguous input"))?;
	if height != width {
		return Err(candle_core::Error::msg(format!("fused blocks take square input, not {height}×{width}")));
	}
	Ok((values, batch, channels, height))
}

/// `relu(GroupNorm(conv(x)))`: the stem.
#[derive(Clone, Debug)]
pub struct FusedConvNormRelu(pub ConvNormKernel);

impl CustomOp1 for FusedConvNormRelu {
	fn name(&self) -> &'static str {
		"btt-fused-conv-norm-relu"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let (input, batch, channels, side) = square_batch(storage, layout)?;
		let kernel = &self.0;
		if channels != kernel.in_channels {
			return Err(candle_core::Error::msg(format!("stem takes {} channels, not {channels}", kernel.in_channels)));
		}
		let geometry = kernel.geometry(side);
		let (out_side, pixels) = (geometry.out_side()?, geometry.out_pixels()?);
		let mut out = vec![0.0f32; batch.saturating_mul(kernel.out_channels).saturating_mul(pixels)];
		with_scratch(|scratch| {
			im2col_batch(&geometry, input, batch, &mut scratch.cols)?;
			kernel.run(batch, &scratch.cols, pixels, &mut out, |_, _, tile| {
				relu(tile);
				Ok(())
			})
		})?;
		Ok((CpuStorage::F32(out), Shape::from((batch, kernel.out_channels, out_side, out_side))))
	}
}

/// `relu(ConvNorm₂(relu(ConvNorm₁(x))) + shortcut(x))`: a whole residual block, where the
/// shortcut is `x` or a strided 1×1 [`ConvNormKernel`].
#[derive(Clone, Debug)]
pub struct FusedResidualBlock {
	/// The first convolution (it may downsample).
	pub conv1: ConvNormKernel,
	/// The second convolution.
	pub conv2: ConvNormKernel,
	/// The projection, when the block changes the resolution or the width.
	pub shortcut: Option<ConvNormKernel>,
}

impl CustomOp1 for FusedResidualBlock {
	fn name(&self) -> &'static str {
		"btt-fused-residual-block"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let (input, batch, channels, side) = square_batch(storage, layout)?;
		if channels != self.conv1.in_channels {
			return Err(candle_core::Error::msg(format!("block takes {} channels, not {channels}", self.conv1.in_channels)));
		}
		let first = self.conv1.geometry(side);
		let (out_side, pixels) = (first.out_side()?, first.out_pixels()?);
		let out_channels = self.conv2.out_channels;
		let image_out = out_channels.saturating_mul(pixels);

		let mut out = vec![0.0f32; batch.saturating_mul(image_out)];
		with_scratch(|scratch| self.run(input, batch, side, scratch, &mut out))?;
		Ok((CpuStorage::F32(out), Shape::from((batch, out_channels, out_side, out_side))))
	}
}

impl FusedResidualBlock {
	/// The block on `input` (`batch` images of `side`²) into `out`.
	fn run(&self, input: &[f32], batch: usize, side: usize, scratch: &mut Scratch, out: &mut [f32]) -> Result<()> {
		let first = self.conv1.geometry(side);
		let (out_side, pixels) = (first.out_side()?, first.out_pixels()?);
		let image_out = self.conv2.out_channels.saturating_mul(pixels);
		im2col_batch(&first, input, batch, &mut scratch.cols)?;
		let middle = &mut scratch.middle;
		reuse(middle, batch.saturating_mul(self.conv1.out_channels).saturating_mul(pixels));
		self.conv1.run(batch, &scratch.cols, pixels, middle, |_, _, tile| {
			relu(tile);
			Ok(())
		})?;

		im2col_batch(&self.conv2.geometry(out_side), middle, batch, &mut scratch.cols)?;
		let shortcut_cols = match &self.shortcut {
			Some(projection) => {
				im2col_batch(&projection.geometry(side), input, batch, &mut scratch.shortcut_cols)?;
				Some(&scratch.shortcut_cols)
			},
			None => None,
		};
		self.conv2.run(batch, &scratch.cols, pixels, out, |image, channels, tile| {
			let tile_range = image
				.checked_mul(image_out)
				.and_then(|start| start.checked_add(channels.start.checked_mul(pixels)?))
				.map(|start| start..start.saturating_add(tile.len()));
			match (&self.shortcut, &shortcut_cols) {
				(Some(projection), Some(shortcut_cols)) => {
					let image_cols = shortcut_cols.len() / batch.max(1);
					let cols = shortcut_cols
						.get(image.saturating_mul(image_cols)..image.saturating_add(1).saturating_mul(image_cols))
						.ok_or_else(|| KernelError(format!("no shortcut columns for image {image}")))?;
					let mut projected = vec![0.0f32; tile.len()];
					projection.tile(cols, pixels, channels, &mut projected)?;
					add_relu(tile, &projected)?;
				},
				_ => {
					let identity = tile_range
						.and_then(|range| input.get(range))
						.ok_or_else(|| KernelError(format!("no identity input for image {image}")))?;
					add_relu(tile, identity)?;
				},
			}
			Ok(())
		})
	}
}
