//! Hyper-parameters of [`super::DentalNet`], with named presets.
//!
//! The configuration travels inside the model file (safetensors metadata, key
//! [`CONFIG_METADATA_KEY`]), so a node that loads a model builds exactly the network it was
//! trained as.

use serde::{Deserialize, Serialize};

/// Metadata key of the JSON-encoded [`NetConfig`] in a model's safetensors file.
pub const CONFIG_METADATA_KEY: &str = "btt.net_config";

/// Shape of the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetConfig {
	/// Side of the square, single-channel input in pixels (the preprocessing output).
	pub input_side: usize,
	/// Channels of the stem convolution (stride 2).
	pub stem_channels: usize,
	/// Output channels of each residual stage; every stage halves the resolution.
	pub stage_channels: Vec<usize>,
	/// Residual blocks per stage (the first one downsamples).
	pub blocks_per_stage: usize,
	/// Index of the stage after which the attention block (CBAM) runs; its spatial map is the
	/// heat map of the overlay.
	pub attention_after_stage: usize,
	/// Channel-attention bottleneck: hidden width = channels / reduction.
	pub attention_reduction: usize,
	/// Groups of every group normalization.
	pub norm_groups: usize,
	/// Dropout before the heads, during training only.
	pub dropout: f32,
}

impl NetConfig {
	/// The shipped model: ≈ 0.1 M parameters, 128 px input, 4 stages.
	pub fn tiny() -> Self {
		Self {
			input_side: 128,
			stem_channels: 16,
			stage_channels: vec![24, 32, 48, 64],
			blocks_per_stage: 1,
			attention_after_stage: 1,
			attention_reduction: 4,
			norm_groups: 8,
			dropout: 0.2,
		}
	}

	/// A wider, deeper variant for real data (DENTEX), ≈ 1 M parameters, 256 px input.
	pub fn small() -> Self {
		Self {
			input_side: 256,
			stem_channels: 32,
			stage_channels: vec![48, 64, 96, 128],
			blocks_per_stage: 2,
			attention_after_stage: 2,
			attention_reduction: 8,
			norm_groups: 8,
			dropout: 0.3,
		}
	}

	/// The preset called `name` (`tiny`, `small`).
	pub fn preset(name: &str) -> Option<Self> {
		match name {
			"tiny" => Some(Self::tiny()),
			"small" => Some(Self::small()),
			_ => None,
		}
	}

	/// Side of the attention map: the input side halved by the stem and by each stage up to
	/// and including [`Self::attention_after_stage`].
	pub fn attention_side(&self) -> usize {
		let halvings = self.attention_after_stage.saturating_add(2) as u32;
		self.input_side.checked_shr(halvings).unwrap_or(0)
	}

	/// Why this configuration cannot build a network, if it cannot.
	pub fn validate(&self) -> Result<(), String> {
		let downsamplings = self.stage_channels.len().saturating_add(1) as u32;
		if self.stage_channels.is_empty() {
			return Err("at least one stage is needed".into());
		}
		if self.input_side == 0 || self.input_side % (1usize << downsamplings.min(31)) != 0 {
			return Err(format!(
				"input side {} must be a positive multiple of 2^{downsamplings}",
				self.input_side
			));
		}
		if self.attention_after_stage >= self.stage_channels.len() {
			return Err("attention_after_stage names no stage".into());
		}
		if self.blocks_per_stage == 0 || self.attention_reduction == 0 || self.norm_groups == 0 {
			return Err("blocks, reduction and groups must be positive".into());
		}
		let all_channels =
			std::iter::once(self.stem_channels).chain(self.stage_channels.iter().copied());
		for channels in all_channels {
			if channels == 0 || channels % self.norm_groups != 0 {
				return Err(format!(
					"{channels} channels are not divisible into {} groups",
					self.norm_groups
				));
			}
		}
		if !(0.0..1.0).contains(&self.dropout) {
			return Err("dropout must be in [0, 1)".into());
		}
		Ok(())
	}
}
