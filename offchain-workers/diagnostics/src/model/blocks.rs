//! The convolutional building blocks: convolution + group norm (+ ReLU), and the residual
//! block of each stage.
//!
//! Group normalization rather than batch normalization: a node diagnoses one image at a time,
//! and a group norm computes the same thing in training and inference.

use candle_core::{Module, Result, Tensor};
use candle_nn::{conv2d_no_bias, Conv2d, Conv2dConfig, GroupNorm, Init, VarBuilder};

use super::fused::{ConvNormKernel, FusedResidualBlock};

/// Epsilon of every group normalization.
const NORM_EPS: f64 = 1e-5;

/// A bias-free convolution followed by a group normalization.
///
/// Keys: `conv.weight`, `norm.weight`, `norm.bias`.
#[derive(Clone, Debug)]
pub struct ConvNorm {
	conv: Conv2d,
	norm: GroupNorm,
	// The normalization's parameters and groups again: `GroupNorm` does not expose them, and
	// the fused inference path needs them.
	norm_weight: Tensor,
	norm_bias: Tensor,
	groups: usize,
}

impl ConvNorm {
	/// A `kernel × kernel` convolution from `in_channels` to `out_channels` with `stride`,
	/// padded to keep the size (divided by the stride).
	pub fn new(
		vb: VarBuilder,
		in_channels: usize,
		out_channels: usize,
		kernel: usize,
		stride: usize,
		groups: usize,
	) -> Result<Self> {
		let config = Conv2dConfig { padding: kernel / 2, stride, ..Default::default() };
		let conv = conv2d_no_bias(in_channels, out_channels, kernel, config, vb.pp("conv"))?;
		let vb_norm = vb.pp("norm");
		let norm_weight = vb_norm.get_with_hints(out_channels, "weight", Init::Const(1.0))?;
		let norm_bias = vb_norm.get_with_hints(out_channels, "bias", Init::Const(0.0))?;
		let norm =
			GroupNorm::new(norm_weight.clone(), norm_bias.clone(), out_channels, groups, NORM_EPS)?;
		Ok(Self { conv, norm, norm_weight, norm_bias, groups })
	}

	/// The same convolution and normalization, its parameters copied out for the fused kernels.
	pub fn kernel(&self) -> Result<ConvNormKernel> {
		let weight = self.conv.weight();
		let (out_channels, in_channels, kernel, _) = weight.dims4()?;
		let config = self.conv.config();
		Ok(ConvNormKernel {
			in_channels,
			out_channels,
			kernel,
			stride: config.stride,
			padding: config.padding,
			groups: self.groups,
			eps: NORM_EPS as f32,
			weights: weight.flatten_all()?.to_vec1()?,
			gamma: self.norm_weight.to_vec1()?,
			beta: self.norm_bias.to_vec1()?,
		})
	}
}

impl Module for ConvNorm {
	fn forward(&self, xs: &Tensor) -> Result<Tensor> {
		self.norm.forward(&self.conv.forward(xs)?)
	}
}

/// A basic residual block: `relu(x' + ConvNorm(relu(ConvNorm(x))))`, where `x'` is `x`, or a
/// strided 1×1 projection of it when the block changes the resolution or the width.
///
/// Keys: `conv1.*`, `conv2.*`, and `shortcut.*` when projecting.
#[derive(Clone, Debug)]
pub struct ResidualBlock {
	conv1: ConvNorm,
	conv2: ConvNorm,
	shortcut: Option<ConvNorm>,
}

impl ResidualBlock {
	/// A block from `in_channels` to `out_channels`, downsampling by `stride`.
	pub fn new(
		vb: VarBuilder,
		in_channels: usize,
		out_channels: usize,
		stride: usize,
		groups: usize,
	) -> Result<Self> {
		let conv1 = ConvNorm::new(vb.pp("conv1"), in_channels, out_channels, 3, stride, groups)?;
		let conv2 = ConvNorm::new(vb.pp("conv2"), out_channels, out_channels, 3, 1, groups)?;
		let shortcut = if stride != 1 || in_channels != out_channels {
			Some(ConvNorm::new(vb.pp("shortcut"), in_channels, out_channels, 1, stride, groups)?)
		} else {
			None
		};
		Ok(Self { conv1, conv2, shortcut })
	}
}

impl Module for ResidualBlock {
	fn forward(&self, xs: &Tensor) -> Result<Tensor> {
		let residual = self.conv2.forward(&self.conv1.forward(xs)?.relu()?)?;
		let shortcut = match &self.shortcut {
			Some(projection) => projection.forward(xs)?,
			None => xs.clone(),
		};
		(residual + shortcut)?.relu()
	}
}

impl ResidualBlock {
	/// The same block as one fused custom op.
	pub fn fused(&self) -> Result<FusedResidualBlock> {
		FusedResidualBlock::new(
			self.conv1.kernel()?,
			self.conv2.kernel()?,
			self.shortcut.as_ref().map(ConvNorm::kernel).transpose()?,
		)
	}
}

/// A stage: residual blocks at one resolution, the first halving it.
///
/// Keys: `blocks.<i>.*`.
#[derive(Clone, Debug)]
pub struct Stage {
	blocks: Vec<ResidualBlock>,
}

impl Stage {
	/// `blocks` residual blocks from `in_channels` to `out_channels`.
	pub fn new(
		vb: VarBuilder,
		in_channels: usize,
		out_channels: usize,
		blocks: usize,
		groups: usize,
	) -> Result<Self> {
		let vb = vb.pp("blocks");
		let mut built = Vec::with_capacity(blocks);
		for index in 0..blocks {
			let (input, stride) = if index == 0 { (in_channels, 2) } else { (out_channels, 1) };
			built.push(ResidualBlock::new(vb.pp(index), input, out_channels, stride, groups)?);
		}
		Ok(Self { blocks: built })
	}
}

impl Stage {
	/// The stage's blocks as fused custom ops.
	pub fn fused(&self) -> Result<Vec<FusedResidualBlock>> {
		self.blocks.iter().map(ResidualBlock::fused).collect()
	}
}

impl Module for Stage {
	fn forward(&self, xs: &Tensor) -> Result<Tensor> {
		self.blocks.iter().try_fold(xs.clone(), |xs, block| block.forward(&xs))
	}
}
