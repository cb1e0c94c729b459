//! The inference path of [`DentalNet`]: the same network and weights, with the stem and every
//! residual block run as one candle custom op each instead of a dozen candle-nn operators.
//!
//! Why: on this network (≈ 0.1 M parameters, 128 px) the candle-nn path spends most of its time
//! between the arithmetic: a new tensor per operator, group normalization as six passes, and an
//! im2col matrix nine times the input around every convolution. A fused block convolves
//! directly from the zero-padded input ([`direct`]: AVX2/FMA registers accumulating 8–24 output
//! channels at a time, written straight into NCHW), then normalizes, adds the shortcut and
//! applies the ReLU on each tile of output channels while it is in cache.
//! `docs/performance.md` has the figures.
//!
//! The attention block is one op too ([`attention`]). The pooling and the heads stay candle-nn
//! operators on 4 × 4 maps and share their code with training through
//! [`DentalNet::forward_with`].
//!
//! Training uses [`DentalNet::forward_t`] (candle-nn, with gradients); a test checks that both
//! paths give the same logits.

pub mod attention;
pub mod direct;
pub mod kernels;
pub mod ops;

use candle_core::{Result, Tensor};

pub use attention::FusedCbam;
pub use ops::{ConvNormKernel, ConvNormPlan, FusedConvNormRelu, FusedResidualBlock};

use super::{Attended, DentalNet, NetOutput};

/// [`DentalNet`] for inference, with its convolutional blocks fused.
#[derive(Clone, Debug)]
pub struct FusedNet {
	net: DentalNet,
	stem: FusedConvNormRelu,
	stages: Vec<Vec<FusedResidualBlock>>,
	attention: FusedCbam,
}

impl FusedNet {
	/// Fuses `net`'s blocks (copies their parameters; later training of `net` is not seen).
	pub fn new(net: &DentalNet) -> Result<Self> {
		Ok(Self {
			net: net.clone(),
			stem: FusedConvNormRelu::new(net.stem.kernel()?)?,
			stages: net.stages.iter().map(|stage| stage.fused()).collect::<Result<_>>()?,
			attention: net.attention.fused()?,
		})
	}

	/// The network's output for `input`, `(batch, 1, S, S)`, as [`DentalNet::forward_t`] gives
	/// it without dropout.
	pub fn forward(&self, input: &Tensor) -> Result<NetOutput> {
		let stem = |xs: &Tensor| xs.contiguous()?.apply_op1_no_bwd(&self.stem);
		let stage = |index: usize, xs: &Tensor| {
			let blocks =
				self.stages.get(index).ok_or_else(|| candle_core::Error::msg("no such stage"))?;
			blocks.iter().try_fold(xs.contiguous()?, |xs, block| xs.apply_op1_no_bwd(block))
		};
		let attend = |xs: &Tensor| {
			let (features, map) =
				self.attention.split(&xs.contiguous()?.apply_op1_no_bwd(&self.attention)?)?;
			Ok(Attended { features, map })
		};
		self.net.forward_with(input, false, stem, stage, attend)
	}
}
