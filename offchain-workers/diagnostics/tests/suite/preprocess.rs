//! Preprocessing makes images from different equipment comparable.

use btt_diagnostics::{
	preprocess::{heat_to_source, preprocess, PreprocessConfig, PreprocessError},
	synthetic::{generate_with, GeneratorConfig},
	Labels,
};

use crate::common::{case, radiograph};

fn scene(width: u32, height: u32) -> Vec<f32> {
	(0..height)
		.flat_map(|y| {
			(0..width)
				.map(move |x| if (x / 8 + y / 8) % 2 == 0 { 0.2 } else { 0.8 } + x as f32 * 0.001)
		})
		.collect()
}

fn max_difference(a: &[f32], b: &[f32]) -> f32 {
	a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn same_scene_at_different_bit_depths_and_gains_preprocesses_the_same() {
	let base = scene(96, 64);
	let eight: Vec<f32> = base.iter().map(|v| (v * 255.0).round()).collect();
	let sixteen: Vec<f32> = base.iter().map(|v| (v * 40_000.0 + 3_000.0).round()).collect();
	let config = PreprocessConfig { side: 64, ..Default::default() };
	let a = preprocess(&radiograph(96, 64, eight, 8), &config).unwrap();
	let b = preprocess(&radiograph(96, 64, sixteen, 16), &config).unwrap();
	assert!(
		max_difference(&a.pixels, &b.pixels) < 0.05,
		"{}",
		max_difference(&a.pixels, &b.pixels)
	);
}

#[test]
fn output_is_square_standardized_and_padded_around_the_content() {
	let config = PreprocessConfig { side: 64, ..Default::default() };
	let landscape = preprocess(&radiograph(96, 48, scene(96, 48), 8), &config).unwrap();
	assert_eq!(landscape.pixels.len(), 64 * 64);
	assert_eq!((landscape.content.width, landscape.content.height), (64, 32));
	assert_eq!((landscape.content.x, landscape.content.y), (0, 16));
	assert!(!landscape.rotated);
	let inside: Vec<f32> =
		(16..48).flat_map(|y| landscape.pixels[y * 64..y * 64 + 64].to_vec()).collect();
	let mean = inside.iter().map(|v| f64::from(*v)).sum::<f64>() / inside.len() as f64;
	let variance =
		inside.iter().map(|v| (f64::from(*v) - mean).powi(2)).sum::<f64>() / inside.len() as f64;
	assert!(mean.abs() < 1e-4 && (variance - 1.0).abs() < 1e-3, "mean {mean}, variance {variance}");
	assert!(landscape.pixels[..16 * 64].iter().all(|v| *v == 0.0), "padding is zero");
	let portrait = preprocess(&radiograph(48, 96, scene(48, 96), 8), &config).unwrap();
	assert!(portrait.rotated);
	assert_eq!((portrait.content.width, portrait.content.height), (64, 32));
}

#[test]
fn monochrome1_and_monochrome2_versions_of_a_case_agree_after_decoding() {
	let labels = Labels::default();
	let config = GeneratorConfig::default();
	let mut first = generate_with(5, &config, labels);
	let mut second = first.clone();
	let full = ((1u32 << first.equipment.bits_stored) - 1) as u16;
	first.equipment.photometric = btt_diagnostics::Photometric::Monochrome2;
	second.equipment.photometric = btt_diagnostics::Photometric::Monochrome1;
	second.stored = first.stored.iter().map(|v| full - v).collect();
	let pre = PreprocessConfig::default();
	let a = preprocess(&first.to_radiograph(), &pre).unwrap();
	let b = preprocess(&second.to_radiograph(), &pre).unwrap();
	assert!(max_difference(&a.pixels, &b.pixels) < 1e-3);
}

#[test]
fn heat_maps_return_to_the_right_place_in_landscape_and_portrait_images() {
	for (width, height) in [(96u32, 48u32), (48, 96)] {
		let config = PreprocessConfig { side: 64, ..Default::default() };
		// A hot spot on the source pixel (10, 20): find where preprocessing puts it.
		let mut pixels = vec![0.0f32; (width * height) as usize];
		pixels[(20 * width + 10) as usize] = 1.0;
		pixels[0] = 0.5;
		let pre = preprocess(&radiograph(width, height, scene(width, height), 8), &config).unwrap();
		let mut map = vec![0.0f32; 16 * 16];
		// Mark the map cell that covers source (10, 20).
		let (ox, oy) = if pre.rotated { (height as usize - 1 - 20, 10usize) } else { (10, 20) };
		let (ow, oh) = if pre.rotated {
			(height as usize, width as usize)
		} else {
			(width as usize, height as usize)
		};
		let qx = pre.content.x as f64 + (ox as f64 + 0.5) * pre.content.width as f64 / ow as f64;
		let qy = pre.content.y as f64 + (oy as f64 + 0.5) * pre.content.height as f64 / oh as f64;
		map[(qy / 4.0) as usize * 16 + (qx / 4.0) as usize] = 1.0;
		let heat = heat_to_source(&pre, &map, 16, width, height);
		let hottest = heat.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0 as u32;
		let (hx, hy) = (hottest % width, hottest / width);
		assert!(
			hx.abs_diff(10) <= 4 && hy.abs_diff(20) <= 4,
			"{width}×{height}: hottest at ({hx}, {hy})"
		);
	}
}

#[test]
fn preprocessing_is_bitwise_deterministic_and_refuses_flat_images() {
	let radiograph = case(3).to_radiograph();
	let config = PreprocessConfig::default();
	assert_eq!(
		preprocess(&radiograph, &config).unwrap(),
		preprocess(&radiograph, &config).unwrap()
	);
	let flat = crate::common::radiograph(32, 32, vec![7.0; 1024], 8);
	assert_eq!(preprocess(&flat, &config), Err(PreprocessError::Flat));
	let short = crate::common::radiograph(32, 32, vec![7.0; 10], 8);
	assert_eq!(preprocess(&short, &config), Err(PreprocessError::Empty));
}
