//! Radiograph files → [`Radiograph`]: DICOM (dicom-rs), PNG and JPEG (`image`).
//!
//! Inputs come from clinics over the network, so every malformed file is a typed
//! [`DecodeError`] and never a panic, and nothing is allocated from a size the file declares
//! before that size is checked:
//! - a DICOM file's element lengths are checked against the input ([`prescan`]) before
//!   dicom-object parses it;
//! - Rows × Columns, and a compressed frame's own header (JPEG SOF, JPEG-LS SOF55, JPEG 2000
//!   SIZ; [`frame`]), and a bare JPEG's or PNG's header, are checked against [`MAX_DIMENSION`]
//!   (and against each other) before a pixel decoder runs;
//! - the third-party pixel decoders run behind `catch_unwind` as a last guard.
//!
//! A worker reports a decode error on chain as `InputFault::InputUnreadable`.
//! [`crate::memory`] states the memory a decode (and the rest of a diagnosis) may take.

use crate::{Radiograph, SourceFormat};

mod dicom;
pub mod frame;
mod prescan;
mod raster;

pub use dicom::decode_dicom;
pub use frame::FrameCodec;
pub use raster::decode_raster;

/// Largest accepted width or height, in pixels (intra-oral sensors are ≤ 2,000 px, panoramic
/// ≤ 3,000 px; 8,192 leaves room for scanned film).
pub const MAX_DIMENSION: u32 = 8192;

/// Largest accepted image, in pixels: [`MAX_DIMENSION`]².
pub const MAX_PIXELS: u64 = MAX_DIMENSION as u64 * MAX_DIMENSION as u64;

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
		/// The format it is (by its magic bytes), whichever decoder failed.
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
	/// Bits stored (or a compressed frame's sample precision) outside 8–16.
	#[error("{0} bits stored is not supported (8 to 16)")]
	UnsupportedBitDepth(u16),
	/// A DICOM transfer syntax this build does not decode (or does not know), by UID.
	#[error("transfer syntax {0} is not supported by this decoder")]
	UnsupportedTransferSyntax(String),
	/// Width or height zero.
	#[error("the image has no pixels")]
	EmptyImage,
	/// Width or height above [`MAX_DIMENSION`] (declared by the file's attributes, or by a
	/// compressed frame's own header).
	#[error("{width}×{height} exceeds the {MAX_DIMENSION}-pixel limit")]
	TooLarge {
		/// Declared width.
		width: u32,
		/// Declared height.
		height: u32,
	},
	/// A compressed frame's own header declares another image than the DICOM attributes.
	#[error(
		"the {codec:?} frame declares {width}×{height} with {components} component(s), \
		 the DICOM attributes {columns}×{rows} with 1"
	)]
	FrameMismatch {
		/// The frame's codec, by its header.
		codec: FrameCodec,
		/// The frame header's width.
		width: u32,
		/// The frame header's height.
		height: u32,
		/// The frame header's component count.
		components: u16,
		/// DICOM Columns.
		columns: u32,
		/// DICOM Rows.
		rows: u32,
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

/// Runs a third-party decoder of a `format` file, turning a panic into an error about that
/// format.
fn guarded<T>(format: SourceFormat, decode: impl FnOnce() -> T) -> Result<T, DecodeError> {
	std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode))
		.map_err(|_| malformed(format, "the pixel decoder failed on this file"))
}

#[cfg(test)]
mod tests;
