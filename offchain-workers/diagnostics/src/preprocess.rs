//! Preprocessing: any radiograph → the network's `side × side` input, the same whatever the
//! equipment that took it.
//!
//! 1. [`orient`]: portrait images are turned 90° clockwise so the long side is horizontal
//!    (sensors store periapicals either way; the network sees one layout);
//! 2. [`window`]: the 1st–99th percentile range is mapped to [0, 1] and clamped, which removes
//!    bit depth, gain, offset and most exposure differences;
//! 3. [`resample_area`]: area-averaging resize so the long side is `side` (a box filter, exact
//!    for any ratio, summed sequentially so the result is bit-for-bit reproducible);
//! 4. centred zero padding to a square;
//! 5. [`standardize`]: zero mean, unit variance over the image content (padding stays 0).

use crate::Radiograph;

/// Preprocessing parameters (the model's metadata fixes `side`).
#[derive(Clone, Debug, PartialEq)]
pub struct PreprocessConfig {
	/// Side of the square output.
	pub side: usize,
	/// Percentile mapped to 0.
	pub low_percentile: f32,
	/// Percentile mapped to 1.
	pub high_percentile: f32,
}

impl Default for PreprocessConfig {
	fn default() -> Self {
		Self { side: 128, low_percentile: 0.01, high_percentile: 0.99 }
	}
}

/// Where the image lies inside the padded square.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentRect {
	/// Left column.
	pub x: usize,
	/// Top row.
	pub y: usize,
	/// Columns.
	pub width: usize,
	/// Rows.
	pub height: usize,
}

/// The network's input and the geometry to map results back onto the radiograph.
#[derive(Clone, Debug, PartialEq)]
pub struct Preprocessed {
	/// Side of the square.
	pub side: usize,
	/// `side²` standardized values, row-major.
	pub pixels: Vec<f32>,
	/// The image's place in the square.
	pub content: ContentRect,
	/// Whether the image was turned 90° clockwise.
	pub rotated: bool,
}

/// Why an image cannot be preprocessed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PreprocessError {
	/// No pixels, or fewer than width × height.
	#[error("the image has no pixels or fewer than its dimensions say")]
	Empty,
	/// Every pixel (between the percentiles) has the same value.
	#[error("the image has no contrast (a blank or saturated exposure)")]
	Flat,
	/// A NaN or infinite pixel.
	#[error("the image has non-finite pixel values")]
	NonFinite,
	/// Unusable parameters.
	#[error("invalid preprocessing configuration: {0}")]
	Config(String),
}

/// Runs the whole pipeline.
pub fn preprocess(
	radiograph: &Radiograph,
	config: &PreprocessConfig,
) -> Result<Preprocessed, PreprocessError> {
	if config.side < 8
		|| !(0.0..0.5).contains(&config.low_percentile)
		|| !(0.5..=1.0).contains(&config.high_percentile)
	{
		return Err(PreprocessError::Config(format!("{config:?}")));
	}
	let (width, height) = (radiograph.width as usize, radiograph.height as usize);
	let pixels =
		radiograph.pixels.get(..width.saturating_mul(height)).ok_or(PreprocessError::Empty)?;
	if pixels.is_empty() {
		return Err(PreprocessError::Empty);
	}
	if pixels.iter().any(|value| !value.is_finite()) {
		return Err(PreprocessError::NonFinite);
	}
	let (oriented, width, height, rotated) = orient(pixels, width, height);
	let windowed = window(&oriented, config.low_percentile, config.high_percentile)?;
	let scale = config.side as f64 / width.max(height) as f64;
	let out_width = ((width as f64 * scale).round() as usize).clamp(1, config.side);
	let out_height = ((height as f64 * scale).round() as usize).clamp(1, config.side);
	let resized = resample_area(&windowed, width, height, out_width, out_height);
	let content = ContentRect {
		x: (config.side - out_width) / 2,
		y: (config.side - out_height) / 2,
		width: out_width,
		height: out_height,
	};
	let mut square = vec![0f32; config.side * config.side];
	for (row, line) in resized.chunks(out_width).enumerate() {
		let start = (content.y + row) * config.side + content.x;
		if let Some(target) = square.get_mut(start..start + out_width) {
			target.copy_from_slice(line);
		}
	}
	standardize(&mut square, config.side, &content);
	Ok(Preprocessed { side: config.side, pixels: square, content, rotated })
}

/// Turns a portrait image 90° clockwise; returns the pixels, the new width and height, and
/// whether it turned. Clockwise: the new pixel (x', y') is the old (y', H − 1 − x').
pub fn orient(pixels: &[f32], width: usize, height: usize) -> (Vec<f32>, usize, usize, bool) {
	if height <= width {
		return (pixels.to_vec(), width, height, false);
	}
	let mut turned = Vec::with_capacity(pixels.len());
	for new_y in 0..width {
		for new_x in 0..height {
			let (old_x, old_y) = (new_y, height - 1 - new_x);
			turned.push(pixels.get(old_y * width + old_x).copied().unwrap_or(0.0));
		}
	}
	(turned, height, width, true)
}

/// The value at quantile `q` of `values` (nearest rank on a sorted copy; exact, deterministic).
pub fn percentile(values: &[f32], q: f32) -> Option<f32> {
	let mut sorted: Vec<f32> = values.iter().copied().filter(|value| value.is_finite()).collect();
	if sorted.is_empty() {
		return None;
	}
	sorted.sort_by(f32::total_cmp);
	let rank = ((sorted.len() - 1) as f64 * f64::from(q.clamp(0.0, 1.0))).round() as usize;
	sorted.get(rank).copied()
}

/// Maps the `[low, high]` percentile range to [0, 1], clamping outside it.
pub fn window(pixels: &[f32], low: f32, high: f32) -> Result<Vec<f32>, PreprocessError> {
	let (Some(low), Some(high)) = (percentile(pixels, low), percentile(pixels, high)) else {
		return Err(PreprocessError::Empty);
	};
	let range = high - low;
	if range <= f32::EPSILON * high.abs().max(1.0) {
		return Err(PreprocessError::Flat);
	}
	Ok(pixels.iter().map(|value| ((value - low) / range).clamp(0.0, 1.0)).collect())
}

/// Area-averaging resize from `width × height` to `out_width × out_height` (separable box
/// filter: each output pixel is the mean of the input area it covers, partial pixels
/// weighted by their overlap).
pub fn resample_area(
	pixels: &[f32],
	width: usize,
	height: usize,
	out_width: usize,
	out_height: usize,
) -> Vec<f32> {
	let columns = weights(width, out_width);
	let rows = weights(height, out_height);
	let mut horizontal = vec![0f32; out_width * height];
	for y in 0..height {
		for (out_x, taps) in columns.iter().enumerate() {
			let sum: f64 = taps
				.iter()
				.map(|(x, w)| f64::from(pixels.get(y * width + x).copied().unwrap_or(0.0)) * w)
				.sum();
			if let Some(slot) = horizontal.get_mut(y * out_width + out_x) {
				*slot = sum as f32;
			}
		}
	}
	let mut out = vec![0f32; out_width * out_height];
	for (out_y, taps) in rows.iter().enumerate() {
		for out_x in 0..out_width {
			let sum: f64 = taps
				.iter()
				.map(|(y, w)| {
					f64::from(horizontal.get(y * out_width + out_x).copied().unwrap_or(0.0)) * w
				})
				.sum();
			if let Some(slot) = out.get_mut(out_y * out_width + out_x) {
				*slot = sum as f32;
			}
		}
	}
	out
}

/// For each output index, the input indices it covers and their normalized overlap weights.
fn weights(input: usize, output: usize) -> Vec<Vec<(usize, f64)>> {
	let ratio = input as f64 / output.max(1) as f64;
	(0..output)
		.map(|index| {
			let (start, end) = (index as f64 * ratio, (index + 1) as f64 * ratio);
			let first = start.floor() as usize;
			let last = (end.ceil() as usize).min(input);
			let taps: Vec<(usize, f64)> = (first..last)
				.map(|source| {
					let overlap =
						(end.min(source as f64 + 1.0) - start.max(source as f64)).max(0.0);
					(source, overlap / (end - start))
				})
				.filter(|(_, weight)| *weight > 0.0)
				.collect();
			taps
		})
		.collect()
}

/// Zero mean and unit variance over `content`; everything outside it set to 0.
pub fn standardize(square: &mut [f32], side: usize, content: &ContentRect) {
	let inside = |index: usize| {
		let (x, y) = (index % side, index / side);
		x >= content.x
			&& x < content.x + content.width
			&& y >= content.y
			&& y < content.y + content.height
	};
	let (mut sum, mut count) = (0f64, 0usize);
	for (index, value) in square.iter().enumerate() {
		if inside(index) {
			sum += f64::from(*value);
			count += 1;
		}
	}
	let mean = sum / count.max(1) as f64;
	let variance = square
		.iter()
		.enumerate()
		.filter(|(index, _)| inside(*index))
		.map(|(_, value)| (f64::from(*value) - mean).powi(2))
		.sum::<f64>()
		/ count.max(1) as f64;
	let deviation = variance.sqrt().max(1e-6);
	for (index, value) in square.iter_mut().enumerate() {
		*value = if inside(index) { ((f64::from(*value) - mean) / deviation) as f32 } else { 0.0 };
	}
}

/// Resamples a square map over the padded input (e.g. the attention map, `map_side²`) to the
/// source radiograph's grid (`width × height`, its original orientation), bilinearly.
pub fn heat_to_source(
	pre: &Preprocessed,
	map: &[f32],
	map_side: usize,
	width: u32,
	height: u32,
) -> Vec<f32> {
	let (width, height) = (width as usize, height as usize);
	let (oriented_width, oriented_height) =
		if pre.rotated { (height, width) } else { (width, height) };
	let scale = map_side as f64 / pre.side.max(1) as f64;
	let mut out = Vec::with_capacity(width * height);
	for y in 0..height {
		for x in 0..width {
			// Inverse of `orient`: old (x, y) is new (H − 1 − y, x).
			let (ox, oy) = if pre.rotated { (height - 1 - y, x) } else { (x, y) };
			let qx = pre.content.x as f64
				+ (ox as f64 + 0.5) * pre.content.width as f64 / oriented_width.max(1) as f64;
			let qy = pre.content.y as f64
				+ (oy as f64 + 0.5) * pre.content.height as f64 / oriented_height.max(1) as f64;
			out.push(bilinear(map, map_side, qx * scale - 0.5, qy * scale - 0.5));
		}
	}
	out
}

fn bilinear(map: &[f32], side: usize, x: f64, y: f64) -> f32 {
	let last = side.saturating_sub(1) as f64;
	let (x, y) = (x.clamp(0.0, last), y.clamp(0.0, last));
	let (x0, y0) = (x.floor() as usize, y.floor() as usize);
	let (x1, y1) = ((x0 + 1).min(side.saturating_sub(1)), (y0 + 1).min(side.saturating_sub(1)));
	let (fx, fy) = (x - x0 as f64, y - y0 as f64);
	let at = |x: usize, y: usize| f64::from(map.get(y * side + x).copied().unwrap_or(0.0));
	let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
	let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
	(top * (1.0 - fy) + bottom * fy) as f32
}
