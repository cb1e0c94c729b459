//! Radiograph files → [`Radiograph`]: DICOM (dicom-rs), PNG and JPEG (`image`).
//!
//! Inputs come from clinics over the network, so every malformed file is a typed
//! [`DecodeError`] and never a panic: dimensions are checked before any pixel buffer is
//! allocated, and the third-party pixel decoders run behind `catch_unwind` as a last guard.
//! A worker reports a decode error on chain as `InputFault::InputUnreadable`.

use std::io::Cursor;

use dicom_dictionary_std::tags;
use dicom_object::{file::ReadPreamble, DefaultDicomObject, OpenFileOptions};
use dicom_pixeldata::{ConvertOptions, ModalityLutOption, PixelDecoder, VoiLutOption};
use image::{DynamicImage, ImageFormat, ImageReader};

use crate::{Photometric, Radiograph, SourceFormat, SourceInfo};

mod prescan;

/// Largest accepted width or height, in pixels (intra-oral sensors are ≤ 2,000 px, panoramic
/// ≤ 3,000 px; 8,192 leaves room for scanned film).
pub const MAX_DIMENSION: u32 = 8192;

/// DICOM modalities the models are meant for: intra-oral, panoramic, digital and computed
/// radiography.
pub const ACCEPTED_MODALITIES: [&str; 4] = ["IO", "PX", "DX", "CR"];

/// Why bytes are not a radiograph this library reads.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
	/// No bytes at all.
	#[error("the input is empty")]
	Empty,
	/// Neither DICOM (`DICM` at byte 128), PNG nor JPEG.
	#[error("not a DICOM, PNG or JPEG file")]
	UnknownFormat,
	/// The file's structure is broken or cut short.
	#[error("malformed {format:?} file: {reason}")]
	Malformed {
		/// The format it claimed to be.
		format: SourceFormat,
		/// The parser's message.
		reason: String,
	},
	/// A DICOM modality that is not a dental radiograph.
	#[error("modality `{0}` is not a dental radiograph (IO, PX, DX or CR)")]
	UnsupportedModality(String),
	/// The DICOM object has no pixel data.
	#[error("the DICOM object has no pixel data")]
	NoPixelData,
	/// Not grayscale.
	#[error("photometric interpretation `{0}` is not supported (MONOCHROME1 or MONOCHROME2)")]
	UnsupportedPhotometric(String),
	/// Bits stored outside 8–16.
	#[error("{0} bits stored is not supported (8 to 16)")]
	UnsupportedBitDepth(u16),
	/// Width or height zero.
	#[error("the image has no pixels")]
	EmptyImage,
	/// Width or height above [`MAX_DIMENSION`].
	#[error("{width}×{height} exceeds the {MAX_DIMENSION}-pixel limit")]
	TooLarge {
		/// Declared width.
		width: u32,
		/// Declared height.
		height: u32,
	},
}

/// Decodes a DICOM, PNG or JPEG file.
pub fn decode(bytes: &[u8]) -> Result<Radiograph, DecodeError> {
	match sniff(bytes)? {
		SourceFormat::Dicom => decode_dicom(bytes),
		format => decode_raster(bytes, format),
	}
}

/// The format announced by the file's magic bytes.
pub fn sniff(bytes: &[u8]) -> Result<SourceFormat, DecodeError> {
	if bytes.is_empty() {
		return Err(DecodeError::Empty);
	}
	if bytes.get(128..132) == Some(b"DICM".as_slice()) {
		Ok(SourceFormat::Dicom)
	} else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
		Ok(SourceFormat::Png)
	} else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
		Ok(SourceFormat::Jpeg)
	} else {
		Err(DecodeError::UnknownFormat)
	}
}

fn malformed(format: SourceFormat, reason: impl ToString) -> DecodeError {
	DecodeError::Malformed { format, reason: reason.to_string() }
}

fn check_dimensions(width: u32, height: u32) -> Result<(), DecodeError> {
	if width == 0 || height == 0 {
		return Err(DecodeError::EmptyImage);
	}
	if width > MAX_DIMENSION || height > MAX_DIMENSION {
		return Err(DecodeError::TooLarge { width, height });
	}
	Ok(())
}

/// Decodes a DICOM Part 10 file: modality and photometric checks, then frame 0 with the
/// modality LUT (rescale) and the first VOI window, MONOCHROME1 inverted.
pub fn decode_dicom(bytes: &[u8]) -> Result<Radiograph, DecodeError> {
	// dicom-parser allocates each value's buffer from its declared length before reading it:
	// check every length against the input first, so a corrupt one cannot cost gigabytes.
	prescan::check_lengths(bytes)?;
	let object = OpenFileOptions::new()
		.read_preamble(ReadPreamble::Always)
		.from_reader(Cursor::new(bytes))
		.map_err(|error| malformed(SourceFormat::Dicom, error))?;
	let modality = text(&object, tags::MODALITY);
	if let Some(modality) = &modality {
		if !ACCEPTED_MODALITIES.contains(&modality.as_str()) {
			return Err(DecodeError::UnsupportedModality(modality.clone()));
		}
	}
	let photometric = match text(&object, tags::PHOTOMETRIC_INTERPRETATION).as_deref() {
		Some("MONOCHROME1") => Photometric::Monochrome1,
		Some("MONOCHROME2") => Photometric::Monochrome2,
		Some(other) => return Err(DecodeError::UnsupportedPhotometric(other.to_string())),
		None => return Err(malformed(SourceFormat::Dicom, "no photometric interpretation")),
	};
	let width = integer(&object, tags::COLUMNS)
		.ok_or_else(|| malformed(SourceFormat::Dicom, "no Columns"))?;
	let height =
		integer(&object, tags::ROWS).ok_or_else(|| malformed(SourceFormat::Dicom, "no Rows"))?;
	check_dimensions(width, height)?;
	let bits_stored = integer(&object, tags::BITS_STORED).unwrap_or(0) as u16;
	if !(8..=16).contains(&bits_stored) {
		return Err(DecodeError::UnsupportedBitDepth(bits_stored));
	}
	if object.element_opt(tags::PIXEL_DATA).ok().flatten().is_none() {
		return Err(DecodeError::NoPixelData);
	}
	let mut pixels = guarded(|| frame_values(&object))??;
	if pixels.len() != (width as usize) * (height as usize) {
		return Err(malformed(SourceFormat::Dicom, "pixel data does not match Rows × Columns"));
	}
	if photometric == Photometric::Monochrome1 {
		invert(&mut pixels);
	}
	Ok(Radiograph {
		width,
		height,
		pixels,
		source: SourceInfo { format: SourceFormat::Dicom, bits_stored, photometric, modality },
	})
}

/// Frame 0 as f32 after the modality LUT and the first VOI window (if any).
fn frame_values(object: &DefaultDicomObject) -> Result<Vec<f32>, DecodeError> {
	let decoded =
		object.decode_pixel_data_frame(0).map_err(|error| malformed(SourceFormat::Dicom, error))?;
	let has_window = object.element_opt(tags::WINDOW_CENTER).ok().flatten().is_some();
	let voi = if has_window { VoiLutOption::First } else { VoiLutOption::Identity };
	let options =
		ConvertOptions::new().with_modality_lut(ModalityLutOption::Default).with_voi_lut(voi);
	decoded
		.to_vec_frame_with_options::<f32>(0, &options)
		.map_err(|error| malformed(SourceFormat::Dicom, error))
}

/// Runs a third-party decoder, turning a panic into an error.
fn guarded<T>(decode: impl FnOnce() -> T) -> Result<T, DecodeError> {
	std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode))
		.map_err(|_| malformed(SourceFormat::Dicom, "the pixel decoder failed on this file"))
}

/// `max + min − v` for every pixel: MONOCHROME1 stores dense matter dark.
fn invert(pixels: &mut [f32]) {
	let (low, high) =
		pixels.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(low, high), value| {
			(low.min(*value), high.max(*value))
		});
	pixels.iter_mut().for_each(|value| *value = high + low - *value);
}

fn text(object: &DefaultDicomObject, tag: dicom_object::Tag) -> Option<String> {
	let element = object.element_opt(tag).ok().flatten()?;
	let value = element.to_str().ok()?;
	let trimmed = value.trim_matches(|c: char| c.is_whitespace() || c == '\0');
	(!trimmed.is_empty()).then(|| trimmed.to_string())
}

fn integer(object: &DefaultDicomObject, tag: dicom_object::Tag) -> Option<u32> {
	object.element_opt(tag).ok().flatten()?.to_int::<u32>().ok()
}

/// Decodes a PNG or JPEG to luma (8 or 16 bit).
pub fn decode_raster(bytes: &[u8], format: SourceFormat) -> Result<Radiograph, DecodeError> {
	let image_format = match format {
		SourceFormat::Png => ImageFormat::Png,
		SourceFormat::Jpeg => ImageFormat::Jpeg,
		SourceFormat::Dicom => return Err(DecodeError::UnknownFormat),
	};
	let reader = || ImageReader::with_format(Cursor::new(bytes), image_format);
	let (width, height) = reader().into_dimensions().map_err(|error| malformed(format, error))?;
	check_dimensions(width, height)?;
	let image = guarded(|| reader().decode())?.map_err(|error| malformed(format, error))?;
	let (bits_stored, pixels): (u16, Vec<f32>) = match image {
		DynamicImage::ImageLuma8(gray) => (8, gray.into_raw().into_iter().map(f32::from).collect()),
		DynamicImage::ImageLuma16(gray) => {
			(16, gray.into_raw().into_iter().map(f32::from).collect())
		}
		other if is_sixteen_bit(&other) => {
			(16, other.to_luma16().into_raw().into_iter().map(f32::from).collect())
		}
		other => (8, other.to_luma8().into_raw().into_iter().map(f32::from).collect()),
	};
	Ok(Radiograph {
		width,
		height,
		pixels,
		source: SourceInfo {
			format,
			bits_stored,
			photometric: Photometric::Monochrome2,
			modality: None,
		},
	})
}

fn is_sixteen_bit(image: &DynamicImage) -> bool {
	matches!(
		image,
		DynamicImage::ImageLumaA16(_) | DynamicImage::ImageRgb16(_) | DynamicImage::ImageRgba16(_)
	)
}

#[cfg(test)]
mod tests;
