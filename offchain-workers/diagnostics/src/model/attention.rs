//! The attention block: CBAM (convolutional block attention module): a channel attention that
//! re-weights feature maps by what they respond to, then a spatial attention that re-weights
//! positions by where the evidence is.
//!
//! The spatial map is the network's own answer to "where did it look": the worker draws it
//! over the radiograph ([`crate::overlay`]).

use candle_core::{Module, Result, Tensor, D};
use candle_nn::{conv2d, linear, ops::sigmoid, Conv2d, Conv2dConfig, Linear, VarBuilder};

use super::fused::FusedCbam;

/// Channel attention: `σ(MLP(avgpool(x)) + MLP(maxpool(x)))`, one weight per channel.
///
/// Keys: `fc1.*` (channels → channels / reduction), `fc2.*` (back to channels).
#[derive(Clone, Debug)]
pub struct ChannelAttention {
	fc1: Linear,
	fc2: Linear,
}

impl ChannelAttention {
	/// Channel attention over `channels` with a `channels / reduction` bottleneck.
	pub fn new(vb: VarBuilder, channels: usize, reduction: usize) -> Result<Self> {
		let hidden = (channels / reduction.max(1)).max(1);
		Ok(Self {
			fc1: linear(channels, hidden, vb.pp("fc1"))?,
			fc2: linear(hidden, channels, vb.pp("fc2"))?,
		})
	}

	fn mlp(&self, pooled: &Tensor) -> Result<Tensor> {
		self.fc2.forward(&self.fc1.forward(pooled)?.relu()?)
	}

	/// The per-channel weights, shape `(batch, channels, 1, 1)`.
	pub fn weights(&self, xs: &Tensor) -> Result<Tensor> {
		let average = xs.mean((2, 3))?;
		let maximum = xs.max(D::Minus1)?.max(D::Minus1)?;
		let logits = (self.mlp(&average)? + self.mlp(&maximum)?)?;
		sigmoid(&logits)?.unsqueeze(2)?.unsqueeze(3)
	}
}

/// Spatial attention: `σ(conv7×7([mean_c(x), max_c(x)]))`, one weight per position.
///
/// Keys: `conv.weight`, `conv.bias`.
#[derive(Clone, Debug)]
pub struct SpatialAttention {
	conv: Conv2d,
}

impl SpatialAttention {
	/// Spatial attention with a 7×7 kernel.
	pub fn new(vb: VarBuilder) -> Result<Self> {
		let config = Conv2dConfig { padding: 3, ..Default::default() };
		Ok(Self { conv: conv2d(2, 1, 7, config, vb.pp("conv"))? })
	}

	/// The attention map, shape `(batch, 1, height, width)`, values in (0, 1).
	pub fn map(&self, xs: &Tensor) -> Result<Tensor> {
		let average = xs.mean_keepdim(1)?;
		let maximum = xs.max_keepdim(1)?;
		sigmoid(&self.conv.forward(&Tensor::cat(&[&average, &maximum], 1)?)?)
	}
}

/// CBAM: channel attention, then spatial attention.
///
/// Keys: `channel.*`, `spatial.*`.
#[derive(Clone, Debug)]
pub struct Cbam {
	channel: ChannelAttention,
	spatial: SpatialAttention,
}

/// The attended features and the spatial attention map that weighted them.
#[derive(Clone, Debug)]
pub struct Attended {
	/// Features, same shape as the input.
	pub features: Tensor,
	/// Spatial map, `(batch, 1, height, width)`.
	pub map: Tensor,
}

impl Cbam {
	/// CBAM over `channels` feature maps.
	pub fn new(vb: VarBuilder, channels: usize, reduction: usize) -> Result<Self> {
		Ok(Self {
			channel: ChannelAttention::new(vb.pp("channel"), channels, reduction)?,
			spatial: SpatialAttention::new(vb.pp("spatial"))?,
		})
	}

	/// The same block as one op, for inference.
	pub fn fused(&self) -> Result<FusedCbam> {
		let values = |tensor: &Tensor| tensor.flatten_all()?.to_vec1::<f32>();
		let bias =
			|bias: Option<&Tensor>| bias.map(values).transpose().map(Option::unwrap_or_default);
		let (fc1, fc2) = (&self.channel.fc1, &self.channel.fc2);
		let (hidden, channels) = fc1.weight().dims2()?;
		let kernel = self.spatial.conv.weight().dim(3)?;
		let spatial_bias = bias(self.spatial.conv.bias())?.first().copied().unwrap_or(0.0);
		let fused = FusedCbam {
			channels,
			hidden,
			fc1: (values(fc1.weight())?, bias(fc1.bias())?),
			fc2: (values(fc2.weight())?, bias(fc2.bias())?),
			kernel,
			spatial: (values(self.spatial.conv.weight())?, spatial_bias),
		};
		fused.validate()?;
		Ok(fused)
	}

	/// Applies both attentions and returns the spatial map too.
	pub fn attend(&self, xs: &Tensor) -> Result<Attended> {
		let xs = xs.broadcast_mul(&self.channel.weights(xs)?)?;
		let map = self.spatial.map(&xs)?;
		Ok(Attended { features: xs.broadcast_mul(&map)?, map })
	}
}
