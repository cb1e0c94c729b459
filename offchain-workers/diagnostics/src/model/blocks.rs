//! The convolutional building blocks: convolution + group norm (+ ReLU), and the residual
//! block of each stage.
//!
//! Group normalization rather than batch normalization: a node diagnoses one image at a time,
//! and a group norm computes the same thing in training and inference.

use candle_core::{Module, Result, Tensor};
use candle_nn::{conv2d_no_bias, group_norm, Conv2d, Conv2dConfig, GroupNorm, VarBuilder};

/// A bias-free convolution followed by a group normalization.
///
/// Keys: `conv.weight`, `norm.weight`, `norm.bias`.
#[derive(Clone, Debug)]
pub struct ConvNorm {
	conv: Conv2d,
	norm: GroupNorm,
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
		let norm = group_norm(groups, out_channels, 1e-5, vb.pp("norm"))?;
		Ok(Self { conv, norm })
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

impl Module for Stage {
	fn forward(&self, xs: &Tensor) -> Result<Tensor> {
		self.blocks.iter().try_fold(xs.clone(), |xs, block| block.forward(&xs))
	}
}
