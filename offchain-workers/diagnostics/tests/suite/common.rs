//! Shared fixtures.

use btt_diagnostics::{
	model::{
		file::{write_model, ModelMetadata, MODEL_FORMAT},
		NetConfig,
	},
	synthetic::{generate, GeneratorConfig, SyntheticCase},
	Photometric, Radiograph, SourceFormat, SourceInfo,
};
use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};

/// A radiograph from raw values.
pub fn radiograph(width: u32, height: u32, pixels: Vec<f32>, bits: u16) -> Radiograph {
	Radiograph {
		width,
		height,
		pixels,
		source: SourceInfo {
			format: SourceFormat::Png,
			bits_stored: bits,
			photometric: Photometric::Monochrome2,
			modality: None,
			colour: None,
		},
	}
}

/// A synthetic case from the test split.
pub fn case(offset: u64) -> SyntheticCase {
	generate((2u64 << 32) + offset, &GeneratorConfig::default())
}

/// An untrained (randomly initialized, seeded by candle) tiny model file.
pub fn untrained_model() -> Vec<u8> {
	let vars = VarMap::new();
	let config = NetConfig::tiny();
	btt_diagnostics::model::DentalNet::new(
		VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu),
		&config,
	)
	.unwrap();
	let metadata = ModelMetadata {
		format: MODEL_FORMAT,
		name: "test".into(),
		version: 1,
		net: config,
		quantization: "btt-q1".into(),
		provenance: "untrained, for tests".into(),
	};
	write_model(&vars, &metadata).unwrap()
}

/// The shipped model's path.
pub fn shipped_model_path() -> std::path::PathBuf {
	std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../models/btt-dental-tiny-v1.safetensors")
}
