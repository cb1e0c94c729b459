//! The image-quality score I of the confidence formula `C = α·(I·D) + β·P·(1 − U)`.
//!
//! [`image_quality`] measures three things on a copy downsampled to ≤ 512 px and windowed to
//! its 1st–99th percentiles, each mapped to [0, 1] with 1 best:
//! - **noise**: `exp(−σ / 0.04)`, σ estimated with Immerkær's Laplacian-difference operator
//!   (`σ = √(π/2) · Σ|I ∗ N| / (6 (W − 2)(H − 2))`, N = [1 −2 1; −2 4 −2; 1 −2 1]);
//! - **exposure**: `(1 − min(1, 4·clipped)) · min(1, range / 0.3)`, where `clipped` is the
//!   share of pixels saturated at either end of the detector's range (2^bits − 1) and `range`
//!   the 1st–99th percentile span as a share of it;
//! - **sharpness**: `1 − exp(−g₉₉ / 0.3)`, g₉₉ the 99th percentile of the Sobel gradient
//!   magnitude (edges; a blurred detector lowers it) on a 2×2-averaged copy (so noise does not
//!   pass for detail);
//!
//! and I is their geometric mean, `(noise · exposure · sharpness)^(1/3)`.

use crate::{
	preprocess::{percentile, percentiles, resample_area, window},
	Radiograph,
};

/// Long side of the copy the score is measured on.
const MEASURE_SIDE: usize = 512;

/// The quality score and its parts, each in [0, 1], 1 = best.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageQuality {
	/// Lack of noise.
	pub noise: f32,
	/// Good use of the detector's range without clipping.
	pub exposure: f32,
	/// Edge sharpness.
	pub sharpness: f32,
	/// I, the geometric mean of the three.
	pub score: f32,
}

impl ImageQuality {
	/// I in whole percent, rounded half up.
	pub fn percent(&self) -> u8 {
		crate::quantize::whole_percent(self.score)
	}

	/// The worst possible quality (an image that could not be measured).
	pub fn unusable() -> Self {
		Self { noise: 0.0, exposure: 0.0, sharpness: 0.0, score: 0.0 }
	}
}

/// Scores a radiograph (see the module documentation for the formula).
pub fn image_quality(radiograph: &Radiograph) -> ImageQuality {
	let (width, height) = (radiograph.width as usize, radiograph.height as usize);
	let Some(pixels) = radiograph.pixels.get(..width.saturating_mul(height)) else {
		return ImageQuality::unusable();
	};
	if width < 4 || height < 4 {
		return ImageQuality::unusable();
	}
	let exposure = exposure_score(pixels, radiograph.source.bits_stored);
	let scale = (MEASURE_SIDE as f64 / width.max(height) as f64).min(1.0);
	let (w, h) = (
		((width as f64 * scale).round() as usize).max(4),
		((height as f64 * scale).round() as usize).max(4),
	);
	let small = if (w, h) == (width, height) {
		pixels.to_vec()
	} else {
		resample_area(pixels, width, height, w, h)
	};
	let Ok(windowed) = window(&small, 0.01, 0.99) else {
		return ImageQuality { exposure, ..ImageQuality::unusable() };
	};
	let noise = libm::exp(-noise_sigma(&windowed, w, h) / 0.04) as f32;
	let sharpness = (1.0 - libm::exp(-edge_strength(&windowed, w, h) / 0.3)) as f32;
	// `libm`, not the C library: the score gates the outcome, so it must be the same bits on
	// every node.
	let score = libm::cbrtf((noise * exposure * sharpness).max(0.0));
	ImageQuality { noise, exposure, sharpness, score }
}

/// Exposure: detector saturation (values within 0.2 % of either end of the detector's range)
/// and use of that range.
fn exposure_score(pixels: &[f32], bits_stored: u16) -> f32 {
	let full_range = ((1u32 << bits_stored.clamp(1, 16)) - 1) as f32;
	let tolerance = 0.002 * full_range;
	let clipped = pixels
		.iter()
		.filter(|value| **value <= tolerance || **value >= full_range - tolerance)
		.count() as f32
		/ pixels.len().max(1) as f32;
	let Some([p1, p99]) = percentiles(pixels, [0.01, 0.99]) else {
		return 0.0;
	};
	let used = ((p99 - p1) / full_range).max(0.0);
	(1.0 - (4.0 * clipped).min(1.0)) * (used / 0.3).min(1.0)
}

/// Immerkær's noise estimate σ on a [0, 1] image.
fn noise_sigma(pixels: &[f32], width: usize, height: usize) -> f64 {
	let at = |x: usize, y: usize| f64::from(pixels.get(y * width + x).copied().unwrap_or(0.0));
	let mut total = 0f64;
	for y in 1..height - 1 {
		for x in 1..width - 1 {
			let response = at(x - 1, y - 1) - 2.0 * at(x, y - 1) + at(x + 1, y - 1)
				- 2.0 * at(x - 1, y)
				+ 4.0 * at(x, y)
				- 2.0 * at(x + 1, y)
				+ at(x - 1, y + 1)
				- 2.0 * at(x, y + 1)
				+ at(x + 1, y + 1);
			total += response.abs();
		}
	}
	let interior = ((width - 2) * (height - 2)).max(1) as f64;
	(std::f64::consts::PI / 2.0).sqrt() * total / (6.0 * interior)
}

/// The 99th percentile of the Sobel gradient magnitude on a 2×2-averaged copy (edges are a
/// few percent of a radiograph's pixels).
fn edge_strength(pixels: &[f32], width: usize, height: usize) -> f64 {
	let (w, h) = (width / 2, height / 2);
	if w < 3 || h < 3 {
		return 0.0;
	}
	let smooth = resample_area(pixels, width, height, w, h);
	let at = |x: usize, y: usize| f64::from(smooth.get(y * w + x).copied().unwrap_or(0.0));
	let mut magnitudes = Vec::with_capacity((w - 2) * (h - 2));
	for y in 1..h - 1 {
		for x in 1..w - 1 {
			let gx = (at(x + 1, y - 1) + 2.0 * at(x + 1, y) + at(x + 1, y + 1))
				- (at(x - 1, y - 1) + 2.0 * at(x - 1, y) + at(x - 1, y + 1));
			let gy = (at(x - 1, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1))
				- (at(x - 1, y - 1) + 2.0 * at(x, y - 1) + at(x + 1, y - 1));
			magnitudes.push(((gx * gx + gy * gy).sqrt() / 8.0) as f32);
		}
	}
	percentile(&magnitudes, 0.99).map(f64::from).unwrap_or(0.0)
}
