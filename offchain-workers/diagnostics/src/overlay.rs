//! The attention overlay: where the network looked, drawn over the radiograph as a PNG a
//! clinician can open next to the report.
//!
//! The base is the radiograph windowed to its 1st–99th percentiles in gray; the heat map,
//! normalized to [0, 1], goes through the [`heat_color`] ramp (dark red → red → yellow) and is blended with opacity `opacity · heat`, so cold areas stay plain gray.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

use crate::{preprocess::window_bounds, Radiograph};

/// Why an overlay could not be drawn.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OverlayError {
	/// The heat map is not one value per pixel.
	#[error("{got} heat values for {expected} pixels")]
	LengthMismatch {
		/// Values given.
		got: usize,
		/// Pixels.
		expected: usize,
	},
	/// The image has no pixels.
	#[error("the image is empty")]
	Empty,
	/// PNG encoding failed.
	#[error("PNG encoding failed: {0}")]
	Encode(String),
}

/// The heat ramp: 0 → dark red, ½ → red, 1 → yellow (never white, which would vanish on bright
/// enamel).
pub fn heat_color(heat: f32) -> [f32; 3] {
	let t = heat.clamp(0.0, 1.0);
	[(0.5 + t).min(1.0), 0.9 * (2.0 * t - 1.0).clamp(0.0, 1.0), 0.0]
}

/// Draws `heat` (one value per pixel, any range) over `radiograph` and encodes an RGB PNG.
pub fn overlay_png(
	radiograph: &Radiograph,
	heat: &[f32],
	opacity: f32,
) -> Result<Vec<u8>, OverlayError> {
	let expected = radiograph.len();
	if heat.len() != expected && expected != 0 {
		return Err(OverlayError::LengthMismatch { got: heat.len(), expected });
	}
	let width = radiograph.width as usize;
	overlay_png_with(radiograph, |x, y| heat.get(y * width + x).copied().unwrap_or(0.0), opacity)
}

/// [`overlay_png`] with the heat of pixel (x, y) given by `heat(x, y)`: besides the radiograph,
/// only the RGB image (3 bytes a pixel), its PNG and one scratch copy for the percentiles are
/// held, never a full-size heat or gray map.
pub fn overlay_png_with(
	radiograph: &Radiograph,
	heat: impl Fn(usize, usize) -> f32,
	opacity: f32,
) -> Result<Vec<u8>, OverlayError> {
	let expected = radiograph.len();
	if expected == 0 {
		return Err(OverlayError::Empty);
	}
	if radiograph.pixels.len() != expected {
		return Err(OverlayError::LengthMismatch { got: radiograph.pixels.len(), expected });
	}
	let (width, height) = (radiograph.width as usize, radiograph.height as usize);
	// The gray base as `window` maps it (a flat image is mid-gray).
	let base = window_bounds(&radiograph.pixels, 0.01, 0.99).ok();
	let gray = |value: f32| match base {
		Some((low, range)) => ((value - low) / range).clamp(0.0, 1.0),
		None => 0.5,
	};
	let (mut low, mut high) = (f32::INFINITY, f32::NEG_INFINITY);
	for y in 0..height {
		for x in 0..width {
			let value = heat(x, y);
			(low, high) = (low.min(value), high.max(value));
		}
	}
	let span = (high - low).max(f32::EPSILON);
	let mut image = RgbImage::new(radiograph.width, radiograph.height);
	for ((index, pixel), value) in image.pixels_mut().enumerate().zip(&radiograph.pixels) {
		let base = gray(*value);
		let heat = (heat(index % width, index / width) - low) / span;
		let alpha = (opacity * heat).clamp(0.0, 1.0);
		let color = heat_color(heat);
		let blend = |channel: f32| {
			((base * (1.0 - alpha) + channel * alpha) * 255.0).round().clamp(0.0, 255.0) as u8
		};
		*pixel = Rgb([blend(color[0]), blend(color[1]), blend(color[2])]);
	}
	let mut bytes = Cursor::new(Vec::new());
	image
		.write_to(&mut bytes, ImageFormat::Png)
		.map_err(|error| OverlayError::Encode(error.to_string()))?;
	Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;
	use crate::{Photometric, SourceFormat, SourceInfo};

	fn radiograph() -> Radiograph {
		Radiograph {
			width: 40,
			height: 20,
			pixels: (0..800).map(|i| (i % 40) as f32).collect(),
			source: SourceInfo {
				format: SourceFormat::Png,
				bits_stored: 8,
				photometric: Photometric::Monochrome2,
				modality: None,
				colour: None,
			},
		}
	}

	#[test]
	fn hot_spot_is_red_and_cold_areas_stay_gray() {
		let mut heat = vec![0.0; 800];
		heat[10 * 40 + 30] = 1.0;
		let png = overlay_png(&radiograph(), &heat, 0.7).unwrap();
		let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
		assert_eq!(decoded.dimensions(), (40, 20));
		let hot = decoded.get_pixel(30, 10);
		assert!(i32::from(hot[0]) > i32::from(hot[2]) + 60, "hot spot {hot:?} is reddish");
		let cold = decoded.get_pixel(5, 5);
		assert_eq!(cold[0], cold[1]);
		assert_eq!(cold[1], cold[2]);
		assert_eq!(png, overlay_png(&radiograph(), &heat, 0.7).unwrap(), "deterministic");
	}

	#[test]
	fn heat_of_the_wrong_length_is_refused() {
		assert_eq!(
			overlay_png(&radiograph(), &[0.0; 10], 0.5),
			Err(OverlayError::LengthMismatch { got: 10, expected: 800 })
		);
	}
}
