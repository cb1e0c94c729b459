//! The diagnostic network: a small multi-stage residual CNN with a CBAM attention block and one
//! head per diagnostic module.
//!
//! ```text
//! input 1×S×S ─ stem (conv3×3 /2) ─ stage 1 … stage k ─ CBAM ─ stage k+1 … ─ [avg ‖ max] pool ─ dropout ─┬ caries head
//!                                                        └ spatial map (overlay)                ├ periodontal head
//!                                                                                                 ├ … (five)
//! ```
//!
//! One struct per block ([`blocks`], [`attention`], [`heads`]); each takes a `VarBuilder`
//! whose `pp` path is the key prefix in the safetensors file, so a checkpoint's keys read as
//! the network's structure (`stages.1.blocks.0.conv1.conv.weight`, `attention.spatial.conv.bias`,
//! `heads.caries.weight`).

pub mod attention;
pub mod blocks;
pub mod config;
pub mod file;
pub mod fused;
pub mod heads;

use btt_primitives::depin::DiagnosticModule;
use candle_core::{Module, Result, Tensor, D};
use candle_nn::{Dropout, VarBuilder};

pub use attention::{Attended, Cbam};
pub use blocks::{ConvNorm, ResidualBlock, Stage};
pub use config::NetConfig;
pub use fused::FusedNet;
pub use heads::ModuleHead;

/// The network.
#[derive(Clone, Debug)]
pub struct DentalNet {
	config: NetConfig,
	stem: ConvNorm,
	stages: Vec<Stage>,
	attention: Cbam,
	dropout: Dropout,
	heads: Vec<ModuleHead>,
}

/// What one forward pass returns.
#[derive(Clone, Debug)]
pub struct NetOutput {
	/// Raw logits per module, in [`DiagnosticModule::ALL`] order, each `(batch, classes)`.
	pub logits: Vec<Tensor>,
	/// Temperature-calibrated logits, same layout.
	pub calibrated: Vec<Tensor>,
	/// Spatial attention map, `(batch, 1, side, side)` with side = `config.attention_side()`.
	pub attention: Tensor,
}

impl DentalNet {
	/// Builds the network described by `config` from `vb` (a checkpoint, or a `VarMap` to
	/// train).
	pub fn new(vb: VarBuilder, config: &NetConfig) -> Result<Self> {
		config.validate().map_err(candle_core::Error::msg)?;
		let groups = config.norm_groups;
		let stem = ConvNorm::new(vb.pp("stem"), 1, config.stem_channels, 3, 2, groups)?;
		let mut stages = Vec::with_capacity(config.stage_channels.len());
		let mut channels = config.stem_channels;
		for (index, &out_channels) in config.stage_channels.iter().enumerate() {
			let vb_stage = vb.pp("stages").pp(index);
			stages.push(Stage::new(
				vb_stage,
				channels,
				out_channels,
				config.blocks_per_stage,
				groups,
			)?);
			channels = out_channels;
		}
		let attended_channels = config
			.stage_channels
			.get(config.attention_after_stage)
			.copied()
			.ok_or_else(|| candle_core::Error::msg("attention stage out of range"))?;
		let attention =
			Cbam::new(vb.pp("attention"), attended_channels, config.attention_reduction)?;
		let heads = DiagnosticModule::ALL
			.into_iter()
			.map(|module| ModuleHead::new(vb.pp("heads"), module, 2 * channels))
			.collect::<Result<Vec<_>>>()?;
		Ok(Self {
			config: config.clone(),
			stem,
			stages,
			attention,
			dropout: Dropout::new(config.dropout),
			heads,
		})
	}

	/// The configuration the network was built from.
	pub fn config(&self) -> &NetConfig {
		&self.config
	}

	/// The head of `module`.
	pub fn head(&self, module: DiagnosticModule) -> Option<&ModuleHead> {
		self.heads.iter().find(|head| head.module == module)
	}

	/// Runs the network on `input`, `(batch, 1, S, S)`; `train` enables dropout.
	pub fn forward_t(&self, input: &Tensor, train: bool) -> Result<NetOutput> {
		let stem = |xs: &Tensor| self.stem.forward(xs)?.relu();
		let stage = |index: usize, xs: &Tensor| {
			self.stages
				.get(index)
				.ok_or_else(|| candle_core::Error::msg("no such stage"))?
				.forward(xs)
		};
		self.forward_with(input, train, stem, stage, |xs: &Tensor| self.attention.attend(xs))
	}

	/// The same network with its convolutional blocks fused, for inference ([`FusedNet`]).
	pub fn fused(&self) -> Result<FusedNet> {
		FusedNet::new(self)
	}

	/// The network around a given implementation of the stem (`stem(input)`, ReLU included),
	/// of each stage (`stage(index, xs)`) and of the attention block after its stage: the
	/// pooling and the heads: [`Self::forward_t`]. ([`FusedNet::forward`] runs the same
	/// network with its own pooling and heads, see [`fused::heads`].)
	pub(crate) fn forward_with(
		&self,
		input: &Tensor,
		train: bool,
		stem: impl Fn(&Tensor) -> Result<Tensor>,
		stage: impl Fn(usize, &Tensor) -> Result<Tensor>,
		attend: impl Fn(&Tensor) -> Result<Attended>,
	) -> Result<NetOutput> {
		let mut xs = stem(input)?;
		let mut attention = None;
		for index in 0..self.stages.len() {
			xs = stage(index, &xs)?;
			if index == self.config.attention_after_stage {
				let attended = attend(&xs)?;
				xs = attended.features;
				attention = Some(attended.map);
			}
		}
		let attention =
			attention.ok_or_else(|| candle_core::Error::msg("the attention stage did not run"))?;
		// Average pooling sees diffuse findings (bone level, alignment); max pooling keeps a
		// small lesion from being averaged away.
		let average = xs.mean((2, 3))?;
		let maximum = xs.max(D::Minus1)?.max(D::Minus1)?;
		let pooled = self.dropout.forward(&Tensor::cat(&[&average, &maximum], 1)?, train)?;
		let mut logits = Vec::with_capacity(self.heads.len());
		let mut calibrated = Vec::with_capacity(self.heads.len());
		for head in &self.heads {
			let raw = head.logits(&pooled)?;
			calibrated.push(head.calibrate(&raw)?);
			logits.push(raw);
		}
		Ok(NetOutput { logits, calibrated, attention })
	}
}
