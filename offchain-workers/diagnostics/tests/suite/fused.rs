//! The fused inference path computes what the candle-nn layers compute, independently of the
//! thread count, and refuses shapes it was not built for.

use btt_diagnostics::{
	inference::Diagnostician,
	model::{
		fused::{
			direct::{convolve_direct, pad_plane, padded_side, PackedWeights},
			kernels::{group_norm, ConvGeometry},
		},
		Cbam, DentalNet, FusedNet, NetConfig, NetOutput,
	},
	preprocess::preprocess,
};
use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{case, shipped_model_path, untrained_model};

/// `len` values in [-1, 1) from a fixed seed.
fn values(seed: u64, len: usize) -> Vec<f32> {
	let mut rng = ChaCha8Rng::seed_from_u64(seed);
	(0..len).map(|_| rng.gen_range(-1.0f32..1.0)).collect()
}

/// Four preprocessed synthetic radiographs, `(4, 1, side, side)`.
fn radiograph_batch(side: usize) -> Tensor {
	let config = btt_diagnostics::preprocess::PreprocessConfig { side, ..Default::default() };
	let pixels: Vec<f32> = (0..4)
		.flat_map(|offset| preprocess(&case(offset).to_radiograph(), &config).unwrap().pixels)
		.collect();
	Tensor::from_vec(pixels, (4, 1, side, side), &Device::Cpu).unwrap()
}

fn max_difference(a: &Tensor, b: &Tensor) -> f32 {
	(a - b)
		.unwrap()
		.abs()
		.unwrap()
		.flatten_all()
		.unwrap()
		.max(0)
		.unwrap()
		.to_scalar::<f32>()
		.unwrap()
}

fn assert_same_output(fused: &NetOutput, layers: &NetOutput, tolerance: f32) {
	for (a, b) in fused.logits.iter().zip(&layers.logits) {
		assert_eq!(a.dims(), b.dims());
		let difference = max_difference(a, b);
		assert!(difference <= tolerance, "logits differ by {difference}");
	}
	for (a, b) in fused.calibrated.iter().zip(&layers.calibrated) {
		assert!(max_difference(a, b) <= tolerance);
	}
	assert_eq!(fused.attention.dims(), layers.attention.dims());
	assert!(max_difference(&fused.attention, &layers.attention) <= tolerance);
}

#[test]
fn the_shipped_model_gives_the_same_logits_fused_and_layer_by_layer() {
	let bytes = std::fs::read(shipped_model_path()).unwrap_or_else(|_| untrained_model());
	let diagnostician = Diagnostician::from_bytes(bytes).unwrap();
	let input = radiograph_batch(diagnostician.preprocess_config().side);
	let fused = diagnostician.fused_net().forward(&input).unwrap();
	let layers = diagnostician.net().forward_t(&input, false).unwrap();
	assert_same_output(&fused, &layers, 1e-4);
}

/// A net whose group-norm parameters are not the initial 1 and 0, and which has identity
/// shortcuts (two blocks per stage), so every branch of the fused block runs.
#[test]
fn a_deeper_net_with_identity_shortcuts_and_trained_norms_agrees_too() {
	let config = NetConfig {
		input_side: 64,
		blocks_per_stage: 2,
		stage_channels: vec![24, 24, 32],
		..NetConfig::tiny()
	};
	let vars = VarMap::new();
	let net =
		DentalNet::new(VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu), &config).unwrap();
	for (seed, (name, var)) in vars.data().lock().unwrap().iter().enumerate() {
		if name.contains(".norm.") {
			let shifted = values(seed as u64, var.elem_count());
			let scale = if name.ends_with("weight") { 1.0 } else { 0.0 };
			let new = Tensor::from_vec(
				shifted.iter().map(|v| scale + 0.5 * v).collect::<Vec<_>>(),
				var.shape(),
				&Device::Cpu,
			);
			var.set(&new.unwrap()).unwrap();
		}
	}
	let fused = FusedNet::new(&net).unwrap();
	let input = radiograph_batch(64);
	assert_same_output(
		&fused.forward(&input).unwrap(),
		&net.forward_t(&input, false).unwrap(),
		1e-4,
	);
	// One image alone: the batch does not change the tiles' arithmetic.
	let single = input.narrow(0, 1, 1).unwrap();
	assert_same_output(
		&fused.forward(&single).unwrap(),
		&net.forward_t(&single, false).unwrap(),
		1e-4,
	);
}

/// The fused attention op gives CBAM's attended features and spatial map, on maps that are not
/// the network's (12 channels, 6 × 6, a bottleneck of 3), and refuses other channel counts.
#[test]
fn the_fused_attention_is_cbam() {
	let vars = VarMap::new();
	let cbam = Cbam::new(VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu), 12, 4).unwrap();
	let fused = cbam.fused().unwrap();
	let input = Tensor::from_vec(values(6, 2 * 12 * 36), (2, 12, 6, 6), &Device::Cpu).unwrap();
	let expected = cbam.attend(&input).unwrap();
	let (features, map) = fused.split(&input.apply_op1_no_bwd(&fused).unwrap()).unwrap();
	assert_eq!(features.dims(), expected.features.dims());
	assert_eq!(map.dims(), expected.map.dims());
	assert!(max_difference(&features, &expected.features) < 1e-5);
	assert!(max_difference(&map, &expected.map) < 1e-5);
	let eleven = Tensor::zeros((1, 11, 6, 6), DType::F32, &Device::Cpu).unwrap();
	assert!(eleven.apply_op1_no_bwd(&fused).is_err());
}

#[test]
fn fused_logits_are_bitwise_equal_on_one_and_two_threads() {
	let diagnostician = Diagnostician::from_bytes(untrained_model()).unwrap();
	let batch = radiograph_batch(diagnostician.preprocess_config().side);
	let run = |input: &Tensor, threads: usize| {
		let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
		let output = pool.install(|| diagnostician.fused_net().forward(input)).unwrap();
		let logits: Vec<Vec<Vec<f32>>> =
			output.logits.iter().map(|t| t.to_vec2().unwrap()).collect();
		logits.into_iter().flatten().flatten().map(f32::to_bits).collect::<Vec<u32>>()
	};
	assert_eq!(run(&batch, 1), run(&batch, 2));
	// One image: with more threads than tiles, the convolutions also split their rows.
	let single = batch.narrow(0, 2, 1).unwrap();
	assert_eq!(run(&single, 1), run(&single, 2));
	assert_eq!(run(&single, 1), run(&single, 3));
}

/// The zero-padded planes of a `channels × side × side` input.
fn padded_input(geometry: &ConvGeometry, input: &[f32]) -> Vec<f32> {
	let side = padded_side(geometry);
	let mut padded = vec![f32::NAN; geometry.in_channels * side * side];
	for (padded, plane) in
		padded.chunks_exact_mut(side * side).zip(input.chunks_exact(geometry.in_pixels()))
	{
		pad_plane(geometry, plane, padded).unwrap();
	}
	padded
}

/// The direct convolution equals candle's conv2d for every kernel/stride/padding the network
/// uses and others (7 × 7, stride 3, 5 × 5 with padding 2), rows that are a multiple of the
/// kernel's pixel run, not one (an overlapping last run) or narrower (one pixel at a time), and
/// output channels that fill groups of 1, 2 or 3 blocks or end inside a block; each image is
/// split into tiles as the fused blocks split it.
#[test]
fn the_direct_convolution_is_a_convolution() {
	let geometries = [
		(3, 1, 1, 9),
		(3, 2, 1, 9),
		(3, 2, 1, 16),
		(1, 2, 0, 8),
		(1, 1, 0, 5),
		(7, 1, 3, 6),
		(3, 3, 1, 9),
		(5, 2, 2, 12),
	];
	let layouts: [(usize, usize, &[std::ops::Range<usize>]); 4] =
		[(5, 1, &[0..5]), (16, 1, &[0..8, 8..16]), (40, 2, &[0..16, 16..40]), (24, 3, &[0..24])];
	for (kernel, stride, padding, side) in geometries {
		for (out_channels, group_blocks, tiles) in layouts {
			let in_channels = 3;
			let geometry = ConvGeometry { in_channels, in_side: side, kernel, stride, padding };
			let input = values(1, in_channels * side * side);
			let weights = values(2, out_channels * geometry.patch_len());
			let packed =
				PackedWeights::new(&weights, out_channels, geometry.patch_len(), group_blocks)
					.unwrap();
			let padded = padded_input(&geometry, &input);
			let pixels = geometry.out_pixels().unwrap();
			let out_side = geometry.out_side().unwrap();
			let mut out = vec![f32::NAN; out_channels * pixels];
			// Each tile's rows in two parts, as a batch of one image splits them between threads.
			let middle = out_side / 2;
			for tile in tiles {
				let (mut top, mut bottom): (Vec<&mut [f32]>, Vec<&mut [f32]>) = out
					[tile.start * pixels..tile.end * pixels]
					.chunks_exact_mut(pixels)
					.map(|plane| plane.split_at_mut(middle * out_side))
					.unzip();
				convolve_direct(&packed, &geometry, &padded, tile.clone(), 0..middle, &mut top)
					.unwrap();
				convolve_direct(
					&packed,
					&geometry,
					&padded,
					tile.clone(),
					middle..out_side,
					&mut bottom,
				)
				.unwrap();
			}

			let x = Tensor::from_vec(input, (1, in_channels, side, side), &Device::Cpu).unwrap();
			let w = Tensor::from_vec(
				weights,
				(out_channels, in_channels, kernel, kernel),
				&Device::Cpu,
			)
			.unwrap();
			let expected: Vec<f32> = x
				.conv2d(&w, padding, stride, 1, 1)
				.unwrap()
				.flatten_all()
				.unwrap()
				.to_vec1()
				.unwrap();
			let case = format!("kernel {kernel} stride {stride} padding {padding} side {side}, {out_channels} channels in groups of {group_blocks}");
			assert_eq!(expected.len(), out.len(), "{case}");
			let difference =
				expected.iter().zip(&out).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
			assert!(difference < 1e-5, "{case}: {difference}");
		}
	}
}

#[test]
fn the_group_norm_kernel_is_candle_nns_group_norm() {
	let (channels, groups, side) = (12, 4, 7);
	let x = values(3, channels * side * side);
	let gamma = values(4, channels);
	let beta = values(5, channels);
	let reference = candle_nn::GroupNorm::new(
		Tensor::new(gamma.as_slice(), &Device::Cpu).unwrap(),
		Tensor::new(beta.as_slice(), &Device::Cpu).unwrap(),
		channels,
		groups,
		1e-5,
	)
	.unwrap();
	let expected: Vec<f32> = reference
		.forward(&Tensor::from_vec(x.clone(), (1, channels, side, side), &Device::Cpu).unwrap())
		.unwrap()
		.flatten_all()
		.unwrap()
		.to_vec1()
		.unwrap();
	let mut out = x;
	group_norm(&mut out, side * side, channels / groups, &gamma, &beta, 1e-5).unwrap();
	let difference = expected.iter().zip(&out).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
	assert!(difference < 1e-5, "{difference}");
}

#[test]
fn kernels_refuse_shapes_that_do_not_fit() {
	let geometry = ConvGeometry { in_channels: 1, in_side: 4, kernel: 3, stride: 1, padding: 1 };
	assert!(pad_plane(&geometry, &[0.0; 15], &mut [0.0; 36]).is_err(), "a short plane");
	assert!(pad_plane(&geometry, &[0.0; 16], &mut [0.0; 35]).is_err(), "a short padded plane");
	assert!(PackedWeights::new(&[0.0; 17], 2, 9, 1).is_err(), "weights of two channels and a bit");
	assert!(PackedWeights::new(&[0.0; 18], 2, 9, 4).is_err(), "groups of four blocks");
	let packed = PackedWeights::new(&[0.0; 16 * 9], 16, 9, 1).unwrap();
	let padded = [0.0; 36];
	// `channels` output planes of `len` values each.
	let convolve = |geometry: &ConvGeometry,
	                padded: &[f32],
	                channels: std::ops::Range<usize>,
	                rows: std::ops::Range<usize>,
	                planes: usize,
	                len: usize| {
		let mut storage = vec![vec![0.0f32; len]; planes];
		let mut planes: Vec<&mut [f32]> =
			storage.iter_mut().map(|plane| plane.as_mut_slice()).collect();
		convolve_direct(&packed, geometry, padded, channels, rows, &mut planes)
	};
	assert!(convolve(&geometry, &padded, 0..8, 0..4, 8, 16).is_ok(), "a whole group");
	assert!(convolve(&geometry, &padded, 0..8, 1..3, 8, 8).is_ok(), "two rows of it");
	assert!(convolve(&geometry, &padded, 0..4, 0..4, 4, 16).is_err(), "half a group");
	assert!(convolve(&geometry, &padded, 8..24, 0..4, 16, 16).is_err(), "channels past the last");
	assert!(convolve(&geometry, &padded, 0..8, 2..5, 8, 12).is_err(), "rows past the last");
	assert!(convolve(&geometry, &padded[..35], 0..8, 0..4, 8, 16).is_err(), "short input");
	assert!(convolve(&geometry, &padded, 0..8, 0..4, 8, 15).is_err(), "short output planes");
	assert!(convolve(&geometry, &padded, 0..8, 0..4, 7, 16).is_err(), "a missing output plane");
	let wide = ConvGeometry { in_channels: 2, ..geometry };
	assert!(
		convolve(&wide, &[0.0; 72], 0..8, 0..4, 8, 16).is_err(),
		"weights of one input channel, two given"
	);
	assert!(
		group_norm(&mut [0.0; 30], 5, 4, &[1.0; 6], &[0.0; 6], 1e-5).is_err(),
		"6 channels in groups of 4"
	);
	assert!(
		group_norm(&mut [0.0; 30], 5, 2, &[1.0; 6], &[0.0; 5], 1e-5).is_err(),
		"a missing shift"
	);
	let too_small = ConvGeometry { in_channels: 1, in_side: 1, kernel: 7, stride: 1, padding: 0 };
	assert!(too_small.out_side().is_err(), "a kernel larger than the input");
}

#[test]
fn the_fused_net_refuses_input_it_was_not_built_for() {
	let diagnostician = Diagnostician::from_bytes(untrained_model()).unwrap();
	let fused = diagnostician.fused_net();
	let two_channels = Tensor::zeros((1, 2, 128, 128), DType::F32, &Device::Cpu).unwrap();
	assert!(fused.forward(&two_channels).is_err());
	let not_square = Tensor::zeros((1, 1, 128, 96), DType::F32, &Device::Cpu).unwrap();
	assert!(fused.forward(&not_square).is_err());
	let doubles = Tensor::zeros((1, 1, 128, 128), DType::F64, &Device::Cpu).unwrap();
	assert!(fused.forward(&doubles).is_err());
}
