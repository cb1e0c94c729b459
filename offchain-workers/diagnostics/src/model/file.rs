//! The model file: safetensors weights plus one metadata entry describing the network, the
//! preprocessing and the quantization scheme.
//!
//! The chain identifies a model by the blake2-256 hash of this file ([`model_id`]); one file
//! holds a head for every module, and the chain's registry gives each model id one module, so
//! each module of a file is registered under its own id derived from the file's
//! ([`module_model_id`]). Writing must be deterministic: tensors are sorted by name
//! (safetensors does so) and the metadata is a single JSON entry (a map of several would be
//! written in hash-map order).

use std::collections::HashMap;

use btt_primitives::depin::DiagnosticModule;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use codec::Encode;
use serde::{Deserialize, Serialize};
use sp_crypto_hashing::blake2_256;

use super::NetConfig;

/// Metadata key of the JSON [`ModelMetadata`].
pub const MODEL_METADATA_KEY: &str = "btt.model";

/// Version of the metadata layout.
pub const MODEL_FORMAT: u32 = 1;

/// What a node must know to run a model exactly as it was trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMetadata {
	/// [`MODEL_FORMAT`].
	pub format: u32,
	/// Human name, e.g. `btt-dental-tiny`.
	pub name: String,
	/// Version registered on chain.
	pub version: u32,
	/// The network's shape.
	pub net: NetConfig,
	/// Name of the quantization scheme ([`crate::quantize::SCHEMES`]).
	pub quantization: String,
	/// How it was trained (data, epochs, seed), one line.
	pub provenance: String,
}

/// Why a model file cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
	/// Not a safetensors file.
	#[error("not a safetensors model file: {0}")]
	Safetensors(String),
	/// The metadata entry is missing.
	#[error("the model file has no `{MODEL_METADATA_KEY}` metadata")]
	MissingMetadata,
	/// The metadata entry is not valid JSON of the expected shape.
	#[error("invalid model metadata: {0}")]
	InvalidMetadata(String),
	/// A format this build does not read.
	#[error("model format {0} is not supported (this build reads format {MODEL_FORMAT})")]
	UnsupportedFormat(u32),
	/// Tensors missing or of the wrong shape for the configured network.
	#[error("weights do not match the network: {0}")]
	Weights(#[from] candle_core::Error),
}

/// The chain's model id: blake2-256 of the file's bytes.
pub fn model_id(bytes: &[u8]) -> [u8; 32] {
	blake2_256(bytes)
}

/// Domain separator of [`module_model_id`].
pub const MODULE_MODEL_DOMAIN: &[u8; 16] = b"btt/model-module";

/// The chain's id of one module of a model file:
/// `blake2_256(SCALE(MODULE_MODEL_DOMAIN, file id, module))`. Anyone holding the file can
/// recompute it (`btt-diagnostics model-id FILE`).
pub fn module_model_id(file_id: &[u8; 32], module: DiagnosticModule) -> [u8; 32] {
	(MODULE_MODEL_DOMAIN, file_id, module).using_encoded(blake2_256)
}

/// Reads the metadata of a model file without loading its weights.
pub fn read_metadata(bytes: &[u8]) -> Result<ModelMetadata, ModelFileError> {
	let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
		.map_err(|error| ModelFileError::Safetensors(error.to_string()))?;
	let json = header
		.metadata()
		.as_ref()
		.and_then(|entries| entries.get(MODEL_METADATA_KEY))
		.ok_or(ModelFileError::MissingMetadata)?;
	let metadata: ModelMetadata = serde_json::from_str(json)
		.map_err(|error| ModelFileError::InvalidMetadata(error.to_string()))?;
	if metadata.format != MODEL_FORMAT {
		return Err(ModelFileError::UnsupportedFormat(metadata.format));
	}
	Ok(metadata)
}

/// A `VarBuilder` over the file's tensors (f32, CPU).
pub fn var_builder(bytes: Vec<u8>) -> Result<VarBuilder<'static>, ModelFileError> {
	Ok(VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)?)
}

/// Serializes the variables of `vars` with `metadata`, deterministically.
pub fn write_model(vars: &VarMap, metadata: &ModelMetadata) -> Result<Vec<u8>, ModelFileError> {
	let tensors: Vec<(String, Tensor)> = {
		let data = vars
			.data()
			.lock()
			.map_err(|_| ModelFileError::Safetensors("variable map lock poisoned".into()))?;
		let mut tensors: Vec<_> =
			data.iter().map(|(name, var)| (name.clone(), var.as_tensor().clone())).collect();
		tensors.sort_by(|a, b| a.0.cmp(&b.0));
		tensors
	};
	let json = serde_json::to_string(metadata)
		.map_err(|error| ModelFileError::InvalidMetadata(error.to_string()))?;
	let header = HashMap::from([(MODEL_METADATA_KEY.to_string(), json)]);
	safetensors::serialize(
		tensors.iter().map(|(name, tensor)| (name.as_str(), tensor)),
		Some(header),
	)
	.map_err(|error| ModelFileError::Safetensors(error.to_string()))
}
