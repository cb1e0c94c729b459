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
//! The attention block is one op too ([`attention`]), and the pooling and the heads are plain
//! Rust ([`heads`]).
//!
//! Determinism: every floating-point step here is in this module's own code, summed in a fixed
//! order; the convolution's instruction set ([`Kernel`], `BTT_KERNEL`) changes the speed, not
//! the bits, and the sigmoid uses the pure-Rust `libm::expf`, not the C library's.
//!
//! Training uses [`DentalNet::forward_t`] (candle-nn, with gradients); a test checks that both
//! paths give the same logits.

pub mod attention;
pub mod direct;
pub mod heads;
pub mod isa;
pub mod kernels;
pub mod ops;

use candle_core::{Result, Tensor};

pub use attention::FusedCbam;
pub use heads::FusedHeads;
pub use isa::Kernel;
pub use ops::{ConvNormKernel, ConvNormPlan, FusedConvNormRelu, FusedResidualBlock};

use super::{DentalNet, NetOutput};

/// [`DentalNet`] for inference, with its convolutional blocks fused.
#[derive(Clone, Debug)]
pub struct FusedNet {
	net: DentalNet,
	stem: FusedConvNormRelu,
	stages: Vec<Vec<FusedResidualBlock>>,
	attention: FusedCbam,
	heads: FusedHeads,
	kernel: Kernel,
}

impl FusedNet {
	/// Fuses `net`'s blocks (copies their parameters; later training of `net` is not seen),
	/// convolving with [`Kernel::configured`] (`BTT_KERNEL`).
	pub fn new(net: &DentalNet) -> Result<Self> {
		let channels = net.config.stage_channels.last().copied().unwrap_or(0);
		Ok(Self {
			net: net.clone(),
			stem: FusedConvNormRelu::new(net.stem.kernel()?)?,
			stages: net.stages.iter().map(|stage| stage.fused()).collect::<Result<_>>()?,
			attention: net.attention.fused()?,
			heads: FusedHeads::new(&net.heads, channels.saturating_mul(2))?,
			kernel: Kernel::configured()?,
		})
	}

	/// The same network convolving with `kernel` (refused if this CPU cannot run it). Every
	/// kernel gives the same bits; this is for tests and benchmarks.
	pub fn with_kernel(mut self, kernel: Kernel) -> Result<Self> {
		self.stem.set_kernel(kernel)?;
		for block in self.stages.iter_mut().flatten() {
			block.set_kernel(kernel)?;
		}
		self.kernel = kernel;
		Ok(self)
	}

	/// The kernel the convolutions run on.
	pub fn kernel(&self) -> Kernel {
		self.kernel
	}

	/// The network's output for `input`, `(batch, 1, S, S)`, as [`DentalNet::forward_t`] gives
	/// it without dropout (to rounding: the pooling and the heads sum in their own order).
	pub fn forward(&self, input: &Tensor) -> Result<NetOutput> {
		let mut xs = input.contiguous()?.apply_op1_no_bwd(&self.stem)?;
		let mut attention = None;
		for (index, blocks) in self.stages.iter().enumerate() {
			xs = blocks.iter().try_fold(xs, |xs, block| xs.apply_op1_no_bwd(block))?;
			if index == self.net.config.attention_after_stage {
				let (features, map) =
					self.attention.split(&xs.apply_op1_no_bwd(&self.attention)?)?;
				xs = features.contiguous()?;
				attention = Some(map);
			}
		}
		let attention =
			attention.ok_or_else(|| candle_core::Error::msg("the attention stage did not run"))?;
		let (logits, calibrated) = self.heads.forward(&xs)?;
		Ok(NetOutput { logits, calibrated, attention })
	}
}
