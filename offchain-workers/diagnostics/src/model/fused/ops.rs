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

use super::{
	direct::{convolve_direct, pad_plane, padded_side, PackedWeights, LANES},
	isa::Kernel,
	kernels::{add_relu, group_norm, relu, ConvGeometry, KernelError},
};

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
}

/// A [`ConvNormKernel`] ready to run: its output channels cut into tiles and its weights packed
/// for [`convolve_direct`].
#[derive(Clone, Debug)]
pub struct ConvNormPlan {
	kernel: ConvNormKernel,
	packed: PackedWeights,
	tile_channels: usize,
}

impl ConvNormPlan {
	/// Plans `kernel`. A tile is half the normalization groups when that is a whole number of
	/// [`LANES`]-channel blocks (so an image's work is two tiles), else all output channels;
	/// the direct kernel then computes 3, 2 or 1 blocks at a time, whichever divides the tile.
	pub fn new(kernel: ConvNormKernel) -> Result<Self> {
		let group_channels = kernel.group_channels();
		if group_channels == 0 || kernel.out_channels % group_channels != 0 {
			return Err(KernelError(format!(
				"{} channels in {} groups",
				kernel.out_channels, kernel.groups
			))
			.into());
		}
		let half = kernel.groups.div_ceil(2).saturating_mul(group_channels);
		let tile_channels = if half % LANES == 0 && kernel.out_channels % half == 0 {
			half
		} else {
			kernel.out_channels
		};
		let tile_blocks = tile_channels.div_ceil(LANES);
		let group_blocks =
			[3, 2, 1].into_iter().find(|blocks| tile_blocks % blocks == 0).unwrap_or(1);
		let taps = kernel.in_channels.saturating_mul(kernel.kernel).saturating_mul(kernel.kernel);
		let packed = PackedWeights::new(&kernel.weights, kernel.out_channels, taps, group_blocks)?;
		Ok(Self { kernel, packed, tile_channels })
	}

	/// The geometry of this convolution on a `side × side` input.
	fn geometry(&self, side: usize) -> ConvGeometry {
		self.kernel.geometry(side)
	}

	/// Convolves with `kernel` from now on (refused if this CPU cannot run it).
	pub fn set_kernel(&mut self, kernel: Kernel) -> std::result::Result<(), KernelError> {
		self.packed.set_kernel(kernel)
	}

	/// Convolves and normalizes `channels` of one image whose padded input is `padded`; with
	/// `split_rows`, the top and bottom halves of the output are convolved in parallel (for a
	/// batch with fewer tiles than threads).
	fn tile(
		&self,
		geometry: &ConvGeometry,
		padded: &[f32],
		channels: Range<usize>,
		out: &mut [f32],
		split_rows: bool,
	) -> Result<()> {
		let (out_side, pixels) = (geometry.out_side()?, geometry.out_pixels()?);
		let mut planes: Vec<&mut [f32]> = out.chunks_exact_mut(pixels.max(1)).collect();
		let convolve = |rows: Range<usize>, planes: &mut [&mut [f32]]| {
			convolve_direct(&self.packed, geometry, padded, channels.clone(), rows, planes)
		};
		if split_rows && out_side >= 2 {
			let middle = out_side / 2;
			let (mut top, mut bottom): (Vec<&mut [f32]>, Vec<&mut [f32]>) =
				planes.into_iter().map(|plane| plane.split_at_mut(middle * out_side)).unzip();
			let (top, bottom) = rayon::join(
				|| convolve(0..middle, &mut top),
				|| convolve(middle..out_side, &mut bottom),
			);
			top?;
			bottom?;
		} else {
			convolve(0..out_side, &mut planes)?;
		}
		let kernel = &self.kernel;
		let gamma = kernel
			.gamma
			.get(channels.clone())
			.ok_or_else(|| KernelError(format!("no scales for {channels:?}")))?;
		let beta = kernel
			.beta
			.get(channels.clone())
			.ok_or_else(|| KernelError(format!("no shifts for {channels:?}")))?;
		group_norm(out, pixels, kernel.group_channels(), gamma, beta, kernel.eps)?;
		Ok(())
	}

	/// Runs the convolution and normalization over a batch: `padded` holds each image's padded
	/// input (see [`pad_batch`]), `out` receives `batch × out_channels × pixels` values.
	/// `finish(image, channels, tile)` then completes each tile in place while it is still in
	/// cache.
	fn run(
		&self,
		geometry: &ConvGeometry,
		batch: usize,
		padded: &[f32],
		out: &mut [f32],
		finish: impl Fn(usize, Range<usize>, &mut [f32]) -> Result<()> + Sync,
	) -> Result<()> {
		let pixels = geometry.out_pixels()?;
		let image_out = self.kernel.out_channels.saturating_mul(pixels);
		let image_padded = padded.len().checked_div(batch).unwrap_or(0);
		let tile_len = self.tile_channels.saturating_mul(pixels);
		if image_out == 0 || image_padded == 0 || out.len() != batch.saturating_mul(image_out) {
			return Err(KernelError(format!(
				"{} outputs for {batch} images of {image_out}",
				out.len()
			))
			.into());
		}
		let split_rows = batch
			.saturating_mul(self.kernel.out_channels.div_ceil(self.tile_channels.max(1)))
			< rayon::current_num_threads();
		out.par_chunks_mut(image_out).zip(padded.par_chunks(image_padded)).enumerate().try_for_each(
			|(image, (image_out, image_padded))| {
				image_out.par_chunks_mut(tile_len).enumerate().try_for_each(|(index, tile)| {
					let first = index.saturating_mul(self.tile_channels);
					let channels = first..first.saturating_add(tile.len() / pixels);
					self.tile(geometry, image_padded, channels.clone(), tile, split_rows)?;
					finish(image, channels, tile)
				})
			},
		)
	}
}

/// The zero-padded planes of every image of a `batch × in_channels × side × side` input, one
/// after the other, built in parallel (one plane per task) into `buffer`; the input itself when
/// the convolution has no padding.
fn pad_batch<'a>(
	geometry: &ConvGeometry,
	input: &'a [f32],
	batch: usize,
	buffer: &'a mut Vec<f32>,
) -> Result<&'a [f32]> {
	let planes = batch.saturating_mul(geometry.in_channels);
	if input.len() != planes.saturating_mul(geometry.in_pixels()) {
		return Err(KernelError(format!(
			"input of {} values is not {batch} images of {geometry:?}",
			input.len()
		))
		.into());
	}
	if geometry.padding == 0 {
		return Ok(input);
	}
	let side = padded_side(geometry);
	reuse(buffer, planes.saturating_mul(side).saturating_mul(side));
	buffer
		.par_chunks_mut(side.saturating_mul(side).max(1))
		.zip(input.par_chunks(geometry.in_pixels().max(1)))
		.try_for_each(|(padded, plane)| pad_plane(geometry, plane, padded))?;
	Ok(buffer)
}

/// The intermediate buffers of a block, kept per calling thread from one call to the next:
/// fresh allocations of this size arrive as new pages from the kernel, and faulting them in
/// cost more than the copies written into them.
#[derive(Default)]
struct Scratch {
	padded: Vec<f32>,
	middle: Vec<f32>,
	shortcut_padded: Vec<f32>,
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
fn square_batch<'a>(
	storage: &'a CpuStorage,
	layout: &Layout,
) -> Result<(&'a [f32], usize, usize, usize)> {
	let CpuStorage::F32(values) = storage else {
		return Err(candle_core::Error::msg("fused blocks take f32 input"));
	};
	let (batch, channels, height, width) = layout.shape().dims4()?;
	let values = layout
		.contiguous_offsets()
		.and_then(|(start, end)| values.get(start..end))
		.ok_or_else(|| candle_core::Error::msg("fused blocks take contiguous input"))?;
	if height != width {
		return Err(candle_core::Error::msg(format!(
			"fused blocks take square input, not {height}×{width}"
		)));
	}
	Ok((values, batch, channels, height))
}

/// `relu(GroupNorm(conv(x)))`: the stem.
#[derive(Clone, Debug)]
pub struct FusedConvNormRelu(ConvNormPlan);

impl FusedConvNormRelu {
	/// The stem of `kernel`'s parameters.
	pub fn new(kernel: ConvNormKernel) -> Result<Self> {
		Ok(Self(ConvNormPlan::new(kernel)?))
	}

	/// Convolves with `kernel` from now on (refused if this CPU cannot run it).
	pub fn set_kernel(&mut self, kernel: Kernel) -> std::result::Result<(), KernelError> {
		self.0.set_kernel(kernel)
	}
}

impl CustomOp1 for FusedConvNormRelu {
	fn name(&self) -> &'static str {
		"btt-fused-conv-norm-relu"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let (input, batch, channels, side) = square_batch(storage, layout)?;
		let plan = &self.0;
		if channels != plan.kernel.in_channels {
			return Err(candle_core::Error::msg(format!(
				"stem takes {} channels, not {channels}",
				plan.kernel.in_channels
			)));
		}
		let geometry = plan.geometry(side);
		let (out_side, pixels) = (geometry.out_side()?, geometry.out_pixels()?);
		let mut out =
			vec![0.0f32; batch.saturating_mul(plan.kernel.out_channels).saturating_mul(pixels)];
		with_scratch(|scratch| {
			let padded = pad_batch(&geometry, input, batch, &mut scratch.padded)?;
			plan.run(&geometry, batch, padded, &mut out, |_, _, tile| {
				relu(tile);
				Ok(())
			})
		})?;
		Ok((
			CpuStorage::F32(out),
			Shape::from((batch, plan.kernel.out_channels, out_side, out_side)),
		))
	}
}

/// `relu(ConvNorm₂(relu(ConvNorm₁(x))) + shortcut(x))`: a whole residual block, where the
/// shortcut is `x` or a strided 1×1 [`ConvNormKernel`].
#[derive(Clone, Debug)]
pub struct FusedResidualBlock {
	conv1: ConvNormPlan,
	conv2: ConvNormPlan,
	shortcut: Option<ConvNormPlan>,
}

impl FusedResidualBlock {
	/// The block of these convolutions: the first (it may downsample), the second, and the
	/// projection when the block changes the resolution or the width.
	pub fn new(
		conv1: ConvNormKernel,
		conv2: ConvNormKernel,
		shortcut: Option<ConvNormKernel>,
	) -> Result<Self> {
		Ok(Self {
			conv1: ConvNormPlan::new(conv1)?,
			conv2: ConvNormPlan::new(conv2)?,
			shortcut: shortcut.map(ConvNormPlan::new).transpose()?,
		})
	}

	/// Convolves with `kernel` from now on (refused if this CPU cannot run it).
	pub fn set_kernel(&mut self, kernel: Kernel) -> std::result::Result<(), KernelError> {
		self.conv1.set_kernel(kernel)?;
		self.conv2.set_kernel(kernel)?;
		self.shortcut.as_mut().map(|plan| plan.set_kernel(kernel)).transpose()?;
		Ok(())
	}
}

impl CustomOp1 for FusedResidualBlock {
	fn name(&self) -> &'static str {
		"btt-fused-residual-block"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let (input, batch, channels, side) = square_batch(storage, layout)?;
		if channels != self.conv1.kernel.in_channels {
			return Err(candle_core::Error::msg(format!(
				"block takes {} channels, not {channels}",
				self.conv1.kernel.in_channels
			)));
		}
		let first = self.conv1.geometry(side);
		let (out_side, pixels) = (first.out_side()?, first.out_pixels()?);
		let out_channels = self.conv2.kernel.out_channels;
		let image_out = out_channels.saturating_mul(pixels);

		let mut out = vec![0.0f32; batch.saturating_mul(image_out)];
		with_scratch(|scratch| self.run(input, batch, side, scratch, &mut out))?;
		Ok((CpuStorage::F32(out), Shape::from((batch, out_channels, out_side, out_side))))
	}
}

impl FusedResidualBlock {
	/// The block on `input` (`batch` images of `side`²) into `out`.
	fn run(
		&self,
		input: &[f32],
		batch: usize,
		side: usize,
		scratch: &mut Scratch,
		out: &mut [f32],
	) -> Result<()> {
		let first = self.conv1.geometry(side);
		let (out_side, pixels) = (first.out_side()?, first.out_pixels()?);
		let image_out = self.conv2.kernel.out_channels.saturating_mul(pixels);
		let middle = &mut scratch.middle;
		reuse(middle, batch.saturating_mul(self.conv1.kernel.out_channels).saturating_mul(pixels));
		let padded = pad_batch(&first, input, batch, &mut scratch.padded)?;
		self.conv1.run(&first, batch, padded, middle, |_, _, tile| {
			relu(tile);
			Ok(())
		})?;

		let second = self.conv2.geometry(out_side);
		let padded = pad_batch(&second, middle, batch, &mut scratch.padded)?;
		let shortcut = match &self.shortcut {
			Some(projection) => {
				let geometry = projection.geometry(side);
				Some((
					projection,
					geometry,
					pad_batch(&geometry, input, batch, &mut scratch.shortcut_padded)?,
				))
			}
			None => None,
		};
		self.conv2.run(&second, batch, padded, out, |image, channels, tile| {
			match &shortcut {
				Some((projection, geometry, shortcut_input)) => {
					let image_len = shortcut_input.len() / batch.max(1);
					let image_input = shortcut_input
						.get(
							image.saturating_mul(image_len)
								..image.saturating_add(1).saturating_mul(image_len),
						)
						.ok_or_else(|| {
							KernelError(format!("no shortcut input for image {image}"))
						})?;
					let mut projected = vec![0.0f32; tile.len()];
					projection.tile(geometry, image_input, channels, &mut projected, false)?;
					add_relu(tile, &projected)?;
				}
				None => {
					let identity = image
						.checked_mul(image_out)
						.and_then(|start| start.checked_add(channels.start.checked_mul(pixels)?))
						.and_then(|start| input.get(start..start.saturating_add(tile.len())))
						.ok_or_else(|| {
							KernelError(format!("no identity input for image {image}"))
						})?;
					add_relu(tile, identity)?;
				}
			}
			Ok(())
		})
	}
}
