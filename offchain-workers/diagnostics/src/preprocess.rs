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
//!
//! [`preprocess`] makes no full-size copy of the image but one scratch buffer for the
//! percentiles (found by selection, not by sorting): steps 1 and 2 are applied to each pixel
//! as the resize reads it, with exactly the arithmetic of [`orient`] and [`window`], so the
//! result is bit for bit that of running the steps one after the other.

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
	let (low, range) = window_bounds(pixels, config.low_percentile, config.high_percentile)?;
	// Clockwise (see `orient`): the turned image's pixel (x, y) is the source's (y, H − 1 − x).
	let (source_width, source_height) = (width, height);
	let rotated = source_height > source_width;
	let at = |x: usize, y: usize| {
		let index =
			if rotated { (source_height - 1 - x) * source_width + y } else { y * source_width + x };
		let value = pixels.get(index).copied().unwrap_or(0.0);
		((value - low) / range).clamp(0.0, 1.0)
	};
	let (width, height) = if rotated { (height, width) } else { (width, height) };
	let scale = config.side as f64 / width.max(height) as f64;
	let out_width = ((width as f64 * scale).round() as usize).clamp(1, config.side);
	let out_height = ((height as f64 * scale).round() as usize).clamp(1, config.side);
	let resized = resample_area_with(width, height, out_width, out_height, at);
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

/// The value at quantile `q` of `values`: nearest rank among the finite values, exact and
/// deterministic (see [`percentiles`]).
pub fn percentile(values: &[f32], q: f32) -> Option<f32> {
	percentiles(values, [q, q]).map(|[value, _]| value)
}

/// The values at quantiles `low ≤ high` of `values`, from one scratch copy of the finite values
/// and two selections (`select_nth_unstable`, linear time), not a sort: the value at rank
/// `round((n − 1)·q)` in `f32::total_cmp` order, as a sorted copy would give.
pub fn percentiles(values: &[f32], [low, high]: [f32; 2]) -> Option<[f32; 2]> {
	let mut scratch: Vec<f32> = values.iter().copied().filter(|value| value.is_finite()).collect();
	let last = scratch.len().checked_sub(1)?;
	let rank = |q: f32| ((last as f64) * f64::from(q.clamp(0.0, 1.0))).round() as usize;
	let (low_rank, high_rank) = (rank(low), rank(high));
	let (_, low_value, above) = scratch.select_nth_unstable_by(low_rank, f32::total_cmp);
	let low_value = *low_value;
	let high_value = match high_rank.checked_sub(low_rank + 1) {
		// Everything above the low rank is in `above`, unordered.
		Some(offset) => *above.select_nth_unstable_by(offset, f32::total_cmp).1,
		None => low_value,
	};
	Some([low_value, high_value])
}

/// Maps the `[low, high]` percentile range to [0, 1], clamping outside it.
pub fn window(pixels: &[f32], low: f32, high: f32) -> Result<Vec<f32>, PreprocessError> {
	let (low, range) = window_bounds(pixels, low, high)?;
	Ok(pixels.iter().map(|value| ((value - low) / range).clamp(0.0, 1.0)).collect())
}

/// The `low` percentile and the span up to the `high` one that [`window`] maps to [0, 1], or
/// why they window nothing.
pub fn window_bounds(pixels: &[f32], low: f32, high: f32) -> Result<(f32, f32), PreprocessError> {
	let [low, high] = percentiles(pixels, [low, high]).ok_or(PreprocessError::Empty)?;
	let range = high - low;
	if range <= f32::EPSILON * high.abs().max(1.0) {
		return Err(PreprocessError::Flat);
	}
	Ok((low, range))
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
	resample_area_with(width, height, out_width, out_height, |x, y| {
		pixels.get(y * width + x).copied().unwrap_or(0.0)
	})
}

/// [`resample_area`] of the image whose pixel (x, y) is `at(x, y)`: the horizontal pass reads
/// each pixel once, and only `out_width × height` values are stored in between.
pub fn resample_area_with(
	width: usize,
	height: usize,
	out_width: usize,
	out_height: usize,
	at: impl Fn(usize, usize) -> f32,
) -> Vec<f32> {
	let columns = weights(width, out_width);
	let rows = weights(height, out_height);
	let mut horizontal = vec![0f32; out_width * height];
	for y in 0..height {
		for (out_x, taps) in columns.iter().enumerate() {
			let sum: f64 = taps.iter().map(|(x, w)| f64::from(at(*x, y)) * w).sum();
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
	let heat = SourceHeat::new(pre, map, map_side, width, height);
	let (width, height) = (width as usize, height as usize);
	let mut out = Vec::with_capacity(width * height);
	for y in 0..height {
		for x in 0..width {
			out.push(heat.at(x, y));
		}
	}
	out
}

/// [`heat_to_source`] one pixel at a time, for callers that do not keep the full-size map.
#[derive(Clone, Copy, Debug)]
pub struct SourceHeat<'a> {
	pre: &'a Preprocessed,
	map: &'a [f32],
	map_side: usize,
	height: usize,
	oriented_width: usize,
	oriented_height: usize,
}

impl<'a> SourceHeat<'a> {
	/// The map `map` (`map_side²` over the padded square of `pre`) on a `width × height`
	/// source grid.
	pub fn new(
		pre: &'a Preprocessed,
		map: &'a [f32],
		map_side: usize,
		width: u32,
		height: u32,
	) -> Self {
		let (width, height) = (width as usize, height as usize);
		let (oriented_width, oriented_height) =
			if pre.rotated { (height, width) } else { (width, height) };
		Self { pre, map, map_side, height, oriented_width, oriented_height }
	}

	/// The map's value at source pixel (x, y).
	pub fn at(&self, x: usize, y: usize) -> f32 {
		let pre = self.pre;
		let scale = self.map_side as f64 / pre.side.max(1) as f64;
		// Inverse of `orient`: old (x, y) is new (H − 1 − y, x).
		let (ox, oy) = if pre.rotated { (self.height.saturating_sub(1 + y), x) } else { (x, y) };
		let qx = pre.content.x as f64
			+ (ox as f64 + 0.5) * pre.content.width as f64 / self.oriented_width.max(1) as f64;
		let qy = pre.content.y as f64
			+ (oy as f64 + 0.5) * pre.content.height as f64 / self.oriented_height.max(1) as f64;
		bilinear(self.map, self.map_side, qx * scale - 0.5, qy * scale - 0.5)
	}
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
