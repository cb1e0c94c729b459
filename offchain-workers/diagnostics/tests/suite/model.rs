//! The network's shapes, its file format and its checkpoint keys.

use btt_diagnostics::{
	inference::Diagnostician,
	model::{
		file::{model_id, read_metadata},
		DentalNet, NetConfig,
	},
	taxonomy::class_count,
};
use btt_primitives::depin::DiagnosticModule;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use crate::common::untrained_model;

#[test]
fn forward_pass_gives_one_head_per_module_and_a_spatial_attention_map() {
	let config = NetConfig::tiny();
	let vars = VarMap::new();
	let net =
		DentalNet::new(VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu), &config).unwrap();
	let input = Tensor::zeros((3, 1, 128, 128), DType::F32, &Device::Cpu).unwrap();
	let output = net.forward_t(&input, false).unwrap();
	assert_eq!(output.logits.len(), 5);
	for (module, logits) in DiagnosticModule::ALL.into_iter().zip(&output.logits) {
		assert_eq!(logits.dims(), &[3, class_count(module)]);
	}
	assert_eq!(output.attention.dims(), &[3, 1, config.attention_side(), config.attention_side()]);
	assert_eq!(config.attention_side(), 16);
	let attention: Vec<f32> = output.attention.flatten_all().unwrap().to_vec1().unwrap();
	assert!(attention.iter().all(|a| *a > 0.0 && *a < 1.0), "a sigmoid map");
}

#[test]
fn checkpoint_keys_read_as_the_network_structure() {
	let bytes = untrained_model();
	let tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu).unwrap();
	for key in [
		"stem.conv.weight",
		"stem.norm.weight",
		"stages.0.blocks.0.conv1.conv.weight",
		"stages.0.blocks.0.shortcut.conv.weight",
		"stages.3.blocks.0.conv2.norm.bias",
		"attention.channel.fc1.weight",
		"attention.spatial.conv.weight",
		"heads.caries.weight",
		"heads.oral_pathology.bias",
		"heads.endodontic.temperature",
	] {
		assert!(tensors.contains_key(key), "missing {key}");
	}
	assert_eq!(tensors["heads.caries.weight"].dims(), &[3, 128], "average and max pooled features");
	let parameters: usize = tensors.values().map(|t| t.elem_count()).sum();
	assert!((50_000..300_000).contains(&parameters), "{parameters} parameters");
}

#[test]
fn model_file_is_deterministic_and_its_id_is_its_hash() {
	let bytes = untrained_model();
	let diagnostician = Diagnostician::from_bytes(bytes.clone()).unwrap();
	assert_eq!(diagnostician.model_id().0, model_id(&bytes));
	assert_eq!(read_metadata(&bytes).unwrap().net, NetConfig::tiny());
	// Re-serializing the same variables gives the same bytes (and so the same chain id).
	let vars = VarMap::new();
	let tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu).unwrap();
	for (name, tensor) in tensors {
		vars.data().lock().unwrap().insert(name, candle_core::Var::from_tensor(&tensor).unwrap());
	}
	let again = btt_diagnostics::model::file::write_model(&vars, diagnostician.metadata()).unwrap();
	assert_eq!(again, bytes);
}

#[test]
fn files_that_are_not_models_are_refused() {
	assert!(Diagnostician::from_bytes(b"not a model".to_vec()).is_err());
	let mut bytes = untrained_model();
	let cut = bytes.len() / 2;
	bytes.truncate(cut);
	assert!(Diagnostician::from_bytes(bytes).is_err());
}
