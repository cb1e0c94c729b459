//! The ROC plot of an evaluation, as a PNG: axes with ticks and labels, the chance diagonal,
//! one curve per module and a legend with each area under the curve.

mod font;

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};

use crate::metrics::RocPoint;

/// One curve.
pub struct RocSeries<'a> {
	/// Legend name.
	pub name: &'a str,
	/// The curve.
	pub points: &'a [RocPoint],
	/// Its area.
	pub auc: f64,
}

/// Why a plot could not be drawn.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlotError {
	/// Smaller than 200 × 150.
	#[error("a {0}×{1} plot is too small (at least 200×150)")]
	TooSmall(u32, u32),
	/// PNG encoding failed.
	#[error("PNG encoding failed: {0}")]
	Encode(String),
}

/// Distinguishable curve colours (Okabe–Ito).
const PALETTE: [[u8; 3]; 7] = [
	[0, 114, 178],
	[213, 94, 0],
	[0, 158, 115],
	[204, 121, 167],
	[230, 159, 0],
	[86, 180, 233],
	[120, 120, 120],
];
const INK: Rgb<u8> = Rgb([30, 30, 30]);
const FAINT: Rgb<u8> = Rgb([170, 170, 170]);

/// A canvas with a plot area mapping [0, 1]² to pixels.
struct Canvas {
	image: RgbImage,
	left: f64,
	right: f64,
	top: f64,
	bottom: f64,
}

impl Canvas {
	fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
		(self.left + x * (self.right - self.left), self.bottom - y * (self.bottom - self.top))
	}

	fn dot(&mut self, x: i64, y: i64, color: Rgb<u8>) {
		if x >= 0 && y >= 0 && (x as u32) < self.image.width() && (y as u32) < self.image.height() {
			self.image.put_pixel(x as u32, y as u32, color);
		}
	}

	/// A line of the given thickness (a square brush stepped along the longer axis).
	fn line(
		&mut self,
		from: (f64, f64),
		to: (f64, f64),
		color: Rgb<u8>,
		thickness: i64,
		dash: Option<usize>,
	) {
		let steps = (to.0 - from.0).abs().max((to.1 - from.1).abs()).ceil().max(1.0) as usize;
		for step in 0..=steps {
			if let Some(dash) = dash {
				if (step / dash) % 2 == 1 {
					continue;
				}
			}
			let t = step as f64 / steps as f64;
			let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
			for dy in 0..thickness {
				for dx in 0..thickness {
					self.dot(x.round() as i64 + dx, y.round() as i64 + dy, color);
				}
			}
		}
	}

	/// Text with its top-left corner at (x, y), each font pixel `scale` pixels wide.
	fn text(&mut self, x: i64, y: i64, text: &str, scale: i64, color: Rgb<u8>) {
		let advance = (font::GLYPH.0 as i64 + 1) * scale;
		for (index, character) in text.chars().enumerate() {
			let rows = font::glyph(character);
			for (row, bits) in rows.iter().enumerate() {
				for column in 0..font::GLYPH.0 {
					if bits & (0x10 >> column) != 0 {
						for sy in 0..scale {
							for sx in 0..scale {
								let px = x + index as i64 * advance + column as i64 * scale + sx;
								self.dot(px, y + row as i64 * scale + sy, color);
							}
						}
					}
				}
			}
		}
	}

	fn text_width(text: &str, scale: i64) -> i64 {
		text.chars().count() as i64 * (font::GLYPH.0 as i64 + 1) * scale
	}
}

/// Draws the ROC curves of `series` into a `width × height` PNG titled `title`.
pub fn roc_plot_png(
	series: &[RocSeries],
	width: u32,
	height: u32,
	title: &str,
) -> Result<Vec<u8>, PlotError> {
	if width < 200 || height < 150 {
		return Err(PlotError::TooSmall(width, height));
	}
	let mut canvas = Canvas {
		image: RgbImage::from_pixel(width, height, Rgb([255, 255, 255])),
		left: 70.0,
		right: f64::from(width) - 20.0,
		top: 40.0,
		bottom: f64::from(height) - 60.0,
	};
	let scale = 2;
	canvas.text((i64::from(width) - Canvas::text_width(title, scale)) / 2, 12, title, scale, INK);
	for tick in 0..=5 {
		let value = f64::from(tick) / 5.0;
		let label = format!("{value:.1}");
		let (x, _) = canvas.to_pixel(value, 0.0);
		let (_, y) = canvas.to_pixel(0.0, value);
		canvas.line((x, canvas.top), (x, canvas.bottom), Rgb([235, 235, 235]), 1, None);
		canvas.line((canvas.left, y), (canvas.right, y), Rgb([235, 235, 235]), 1, None);
		canvas.line((x, canvas.bottom), (x, canvas.bottom + 5.0), INK, 1, None);
		canvas.line((canvas.left - 5.0, y), (canvas.left, y), INK, 1, None);
		let text_x = x as i64 - Canvas::text_width(&label, 1) / 2;
		canvas.text(text_x, canvas.bottom as i64 + 9, &label, 1, INK);
		canvas.text(
			canvas.left as i64 - 8 - Canvas::text_width(&label, 1),
			y as i64 - 3,
			&label,
			1,
			INK,
		);
	}
	let (left, right, top, bottom) = (canvas.left, canvas.right, canvas.top, canvas.bottom);
	canvas.line((left, bottom), (right, bottom), INK, 2, None);
	canvas.line((left, top), (left, bottom), INK, 2, None);
	canvas.line(canvas.to_pixel(0.0, 0.0), canvas.to_pixel(1.0, 1.0), FAINT, 1, Some(6));
	let x_title = "False positive rate";
	canvas.text(
		((left + right) / 2.0) as i64 - Canvas::text_width(x_title, scale) / 2,
		bottom as i64 + 28,
		x_title,
		scale,
		INK,
	);
	canvas.text(6, top as i64 - 22, "True positive rate", 1, INK);
	for (index, curve) in series.iter().enumerate() {
		let color = Rgb(PALETTE.get(index % PALETTE.len()).copied().unwrap_or([0, 0, 0]));
		for pair in curve.points.windows(2) {
			if let [a, b] = pair {
				let (from, to) = (canvas.to_pixel(a.fpr, a.tpr), canvas.to_pixel(b.fpr, b.tpr));
				canvas.line(from, to, color, 2, None);
			}
		}
		let legend = format!("{} (AUC {:.3})", curve.name, curve.auc);
		let legend_y = bottom as i64 - 20 - (series.len() as i64 - 1 - index as i64) * 20;
		let legend_x = right as i64 - Canvas::text_width(&legend, 1) - 40;
		canvas.line(
			(legend_x as f64, legend_y as f64 + 3.0),
			(legend_x as f64 + 22.0, legend_y as f64 + 3.0),
			color,
			3,
			None,
		);
		canvas.text(legend_x + 28, legend_y, &legend, 1, INK);
	}
	let mut bytes = Cursor::new(Vec::new());
	canvas
		.image
		.write_to(&mut bytes, ImageFormat::Png)
		.map_err(|error| PlotError::Encode(error.to_string()))?;
	Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	fn good_curve() -> Vec<RocPoint> {
		[(0.0, 0.0), (0.05, 0.6), (0.2, 0.9), (1.0, 1.0)]
			.into_iter()
			.map(|(fpr, tpr)| RocPoint { fpr, tpr, threshold: 0.5 })
			.collect()
	}

	#[test]
	fn curve_of_a_good_classifier_is_drawn_above_the_diagonal() {
		let points = good_curve();
		let png = roc_plot_png(
			&[RocSeries { name: "caries", points: &points, auc: 0.93 }],
			400,
			300,
			"ROC",
		)
		.unwrap();
		let image = image::load_from_memory(&png).unwrap().to_rgb8();
		assert_eq!(image.dimensions(), (400, 300));
		let blue = Rgb(PALETTE[0]);
		// The plot area's upper-left triangle (x small, y high) holds curve pixels.
		let above = image
			.enumerate_pixels()
			.filter(|(x, y, p)| **p == blue && *x < 150 && *y < 150)
			.count();
		assert!(above > 20, "{above} curve pixels above the diagonal");
		assert_eq!(
			png,
			roc_plot_png(
				&[RocSeries { name: "caries", points: &points, auc: 0.93 }],
				400,
				300,
				"ROC"
			)
			.unwrap()
		);
	}

	#[test]
	fn text_renders_and_unknown_characters_become_boxes() {
		let mut canvas = Canvas {
			image: RgbImage::from_pixel(60, 20, Rgb([255, 255, 255])),
			left: 0.0,
			right: 1.0,
			top: 0.0,
			bottom: 1.0,
		};
		canvas.text(1, 1, "A~", 1, INK);
		let dark = canvas.image.pixels().filter(|p| **p == INK).count();
		// "A" has 18 lit font pixels, the box for "~" 20.
		assert_eq!(dark, 18 + 20);
		assert_eq!(roc_plot_png(&[], 100, 100, "x"), Err(PlotError::TooSmall(100, 100)));
	}
}
