//! Colour-encoded DICOM radiographs (secondary-capture exports) → luminance.
//!
//! The models read one grey channel, so a colour frame is reduced to its luminance, in integer
//! arithmetic (or one exact division), the same on every node:
//! - RGB: BT.601 luma `(299·R + 587·G + 114·B) / 1000`;
//! - YBR_FULL and YBR_FULL_422 kept as stored (native or RLE): their Y channel, which is that
//!   luma (PS3.3 C.7.6.3.1.2); under a JPEG syntax the decoder has already converted them to RGB;
//! - YBR_RCT and YBR_ICT (JPEG 2000 only): the decoder's inverse component transform gives RGB;
//! - PALETTE COLOR: each index through the red, green and blue LUTs, then BT.601 luma.
//!
//! Colour is read at 8 bits allocated per sample (palette indices at 8 or 16): other colour
//! depths are [`DecodeError::UnsupportedColour`].

use dicom_dictionary_std::tags;
use dicom_object::DefaultDicomObject;

use super::{malformed, DecodeError};
use crate::SourceFormat;

/// The colour encoding a radiograph was stored in, before its conversion to luminance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourEncoding {
	/// RGB.
	Rgb,
	/// YBR_FULL.
	YbrFull,
	/// YBR_FULL_422 (chroma halved horizontally).
	YbrFull422,
	/// YBR_RCT (JPEG 2000 reversible colour transform).
	YbrRct,
	/// YBR_ICT (JPEG 2000 irreversible colour transform).
	YbrIct,
	/// PALETTE COLOR (indices into red, green and blue lookup tables).
	PaletteColor,
}

impl ColourEncoding {
	/// The encoding named by a Photometric Interpretation, if it is one read here.
	pub fn from_photometric(name: &str) -> Option<ColourEncoding> {
		Some(match name {
			"RGB" => ColourEncoding::Rgb,
			"YBR_FULL" => ColourEncoding::YbrFull,
			"YBR_FULL_422" => ColourEncoding::YbrFull422,
			"YBR_RCT" => ColourEncoding::YbrRct,
			"YBR_ICT" => ColourEncoding::YbrIct,
			"PALETTE COLOR" => ColourEncoding::PaletteColor,
			_ => return None,
		})
	}

	/// The DICOM Photometric Interpretation of the encoding.
	pub fn photometric(self) -> &'static str {
		match self {
			ColourEncoding::Rgb => "RGB",
			ColourEncoding::YbrFull => "YBR_FULL",
			ColourEncoding::YbrFull422 => "YBR_FULL_422",
			ColourEncoding::YbrRct => "YBR_RCT",
			ColourEncoding::YbrIct => "YBR_ICT",
			ColourEncoding::PaletteColor => "PALETTE COLOR",
		}
	}

	/// How the encoding was reduced to luminance, for reports (the module documentation
	/// gives the formulas).
	pub fn conversion(self) -> &'static str {
		match self {
			ColourEncoding::Rgb => "RGB to BT.601 luma (299 R + 587 G + 114 B) / 1000",
			ColourEncoding::YbrFull | ColourEncoding::YbrFull422 => {
				"the Y channel (BT.601 luma); a JPEG decoder's RGB output through BT.601 luma"
			}
			ColourEncoding::YbrRct | ColourEncoding::YbrIct => {
				"the JPEG 2000 inverse component transform to RGB, then BT.601 luma"
			}
			ColourEncoding::PaletteColor => {
				"each index through the red, green and blue lookup tables, then BT.601 luma"
			}
		}
	}

	/// Samples per pixel the encoding stores.
	pub fn samples(self) -> u16 {
		if self == ColourEncoding::PaletteColor {
			1
		} else {
			3
		}
	}
}

/// How the samples of a decoded 3-sample frame are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Samples {
	/// R, G, B.
	Rgb,
	/// Y, Cb, Cr: the first is the luminance.
	Ybr,
}

/// BT.601 luma of an 8- or 16-bit RGB triple.
fn luma(red: u32, green: u32, blue: u32) -> f32 {
	(299 * red + 587 * green + 114 * blue) as f32 / 1000.0
}

/// The luminance of an interleaved (`planar == false`) or planar 8-bit 3-sample frame.
pub(super) fn three_samples(
	data: &[u8],
	pixels: usize,
	planar: bool,
	samples: Samples,
) -> Result<Vec<f32>, DecodeError> {
	let data = data.get(..pixels * 3).ok_or_else(|| short("3-sample"))?;
	let sample = |pixel: usize, channel: usize| {
		let index = if planar { channel * pixels + pixel } else { pixel * 3 + channel };
		data.get(index).map_or(0, |value| u32::from(*value))
	};
	Ok((0..pixels)
		.map(|pixel| match samples {
			Samples::Rgb => luma(sample(pixel, 0), sample(pixel, 1), sample(pixel, 2)),
			Samples::Ybr => sample(pixel, 0) as f32,
		})
		.collect())
}

/// The Y samples of a native YBR_FULL_422 frame: `Y0 Y1 Cb Cr` for each pair of pixels.
pub(super) fn ybr_full_422(
	data: &[u8],
	width: u32,
	pixels: usize,
) -> Result<Vec<f32>, DecodeError> {
	if width % 2 != 0 {
		return Err(DecodeError::UnsupportedColour {
			encoding: ColourEncoding::YbrFull422,
			reason: "an odd number of columns",
		});
	}
	let data = data.get(..pixels * 2).ok_or_else(|| short("YBR_FULL_422"))?;
	Ok(data.chunks_exact(4).flat_map(|quad| quad.iter().take(2)).map(|y| f32::from(*y)).collect())
}

/// Maps palette indices through the object's red, green and blue LUTs; returns the luminance
/// and the LUT entries' bit depth.
pub(super) fn palette(
	object: &DefaultDicomObject,
	indices: &[u16],
) -> Result<(Vec<f32>, u16), DecodeError> {
	let red = Lut::read(
		object,
		tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
		tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA,
	)?;
	let green = Lut::read(
		object,
		tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
		tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA,
	)?;
	let blue = Lut::read(
		object,
		tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
		tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA,
	)?;
	if red.bits != green.bits || red.bits != blue.bits {
		return Err(palette_malformed("LUTs of different bit depths"));
	}
	let luminance = indices
		.iter()
		.map(|index| luma(red.at(*index), green.at(*index), blue.at(*index)))
		.collect();
	Ok((luminance, red.bits))
}

/// One palette colour lookup table.
struct Lut {
	first: u16,
	entries: Vec<u16>,
	bits: u16,
}

impl Lut {
	fn read(
		object: &DefaultDicomObject,
		descriptor: dicom_object::Tag,
		data: dicom_object::Tag,
	) -> Result<Lut, DecodeError> {
		let descriptor = object
			.element_opt(descriptor)
			.ok()
			.flatten()
			.ok_or_else(|| palette_malformed("no palette LUT descriptor"))?
			.to_multi_int::<i32>()
			.map_err(|_| palette_malformed("an unreadable palette LUT descriptor"))?;
		let [count, first, bits] = descriptor.as_slice() else {
			return Err(palette_malformed("a palette LUT descriptor without 3 values"));
		};
		// US or SS: a count of 0 means 65,536 entries; the first value is unsigned in practice.
		let (first, bits) = (*first, *bits);
		let count = match *count & 0xFFFF {
			0 => 65_536,
			count => count as usize,
		};
		let bits = match bits {
			8 => 8u16,
			16 => 16,
			_ => return Err(palette_malformed("palette LUT entries of neither 8 nor 16 bits")),
		};
		let Some(element) = object.element_opt(data).ok().flatten() else {
			return Err(DecodeError::UnsupportedColour {
				encoding: ColourEncoding::PaletteColor,
				reason: "segmented or missing palette LUT data",
			});
		};
		let words = element
			.to_multi_int::<u16>()
			.map_err(|_| palette_malformed("unreadable palette LUT data"))?;
		let entries: Vec<u16> = if words.len() == count {
			words
		} else if bits == 8 && words.len() * 2 == count + count % 2 {
			// 8-bit entries packed two to a word, low byte first.
			words.iter().flat_map(|word| word.to_le_bytes()).take(count).map(u16::from).collect()
		} else {
			return Err(palette_malformed(
				"palette LUT data of another length than its descriptor",
			));
		};
		let mask = if bits == 8 { 0xFF } else { 0xFFFF };
		Ok(Lut {
			first: (first & 0xFFFF) as u16,
			entries: entries.iter().map(|e| e & mask).collect(),
			bits,
		})
	}

	/// The entry of `index`: the first below the LUT's range, the last above it.
	fn at(&self, index: u16) -> u32 {
		let offset = usize::from(index.saturating_sub(self.first));
		let entry = self.entries.get(offset).or(self.entries.last()).copied().unwrap_or(0);
		u32::from(entry)
	}
}

fn palette_malformed(reason: &str) -> DecodeError {
	malformed(SourceFormat::Dicom, reason)
}

fn short(what: &str) -> DecodeError {
	malformed(SourceFormat::Dicom, format!("the {what} pixel data is shorter than Rows × Columns"))
}
