//! The quality score I falls with noise, blur and bad exposure.

use btt_diagnostics::quality::image_quality;
use rand::{Rng, SeedableRng};

use crate::common::radiograph;

const SIZE: u32 = 128;

/// Bright "crowns" on a dark background, in 12-bit values.
fn clean() -> Vec<f32> {
	(0..SIZE)
		.flat_map(|y| {
			(0..SIZE).map(move |x| {
				let tooth = ((x % 40) as i32 - 20).abs() < 12 && y > 20 && y < 100;
				if tooth {
					3000.0
				} else {
					700.0
				}
			})
		})
		.collect()
}

fn noisy(pixels: &[f32], sigma: f32) -> Vec<f32> {
	let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
	pixels
		.iter()
		.map(|v| v + sigma * (rng.gen::<f32>() + rng.gen::<f32>() + rng.gen::<f32>() - 1.5) * 2.0)
		.collect()
}

fn blurred(pixels: &[f32]) -> Vec<f32> {
	let at = |x: i32, y: i32| {
		pixels[(y.clamp(0, SIZE as i32 - 1) * SIZE as i32 + x.clamp(0, SIZE as i32 - 1)) as usize]
	};
	(0..SIZE as i32)
		.flat_map(|y| {
			(0..SIZE as i32).map(move |x| {
				let mut sum = 0.0;
				for dy in -3..=3 {
					for dx in -3..=3 {
						sum += at(x + dx, y + dy);
					}
				}
				sum / 49.0
			})
		})
		.collect()
}

fn score(pixels: Vec<f32>) -> btt_diagnostics::quality::ImageQuality {
	image_quality(&radiograph(SIZE, SIZE, pixels, 12))
}

#[test]
fn noise_lowers_the_noise_score_and_i() {
	let clean_quality = score(clean());
	let noisy_quality = score(noisy(&clean(), 250.0));
	assert!(
		noisy_quality.noise < clean_quality.noise - 0.2,
		"{noisy_quality:?} vs {clean_quality:?}"
	);
	assert!(noisy_quality.score < clean_quality.score);
}

#[test]
fn blur_lowers_sharpness() {
	let sharp = score(clean());
	let soft = score(blurred(&clean()));
	assert!(soft.sharpness < sharp.sharpness - 0.1, "{soft:?} vs {sharp:?}");
}

#[test]
fn clipping_and_a_narrow_range_lower_exposure() {
	let good = score(clean());
	// Over-exposed: most of the image saturated at the detector's top.
	let over: Vec<f32> = clean().iter().map(|v| (v * 3.0).min(4095.0)).collect();
	// Under-exposed: everything squeezed into the bottom 5 % of the range.
	let under: Vec<f32> = clean().iter().map(|v| v / 20.0).collect();
	assert!(score(over).exposure < good.exposure - 0.3);
	assert!(score(under).exposure < good.exposure - 0.3);
}

#[test]
fn scores_stay_in_range_and_repeat_exactly() {
	for pixels in
		[clean(), noisy(&clean(), 900.0), blurred(&clean()), vec![0.0; (SIZE * SIZE) as usize]]
	{
		let quality = score(pixels.clone());
		for value in [quality.noise, quality.exposure, quality.sharpness, quality.score] {
			assert!((0.0..=1.0).contains(&value), "{quality:?}");
		}
		assert_eq!(quality, score(pixels));
	}
}
