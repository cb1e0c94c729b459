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
//! - a deflated data set is inflated to at most [`MAX_INFLATED`] bytes, counted before any is
//!   kept ([`deflate`]), then prescanned like any other;
//! - the third-party pixel decoders run behind `catch_unwind` as a last guard.
//!
//! The transfer syntaxes, colour encodings ([`colour`]) and the multi-frame rule are listed in
//! `docs/worker.md` (Codecs).
//!
//! A worker reports a decode error on chain as `InputFault::InputUnreadable`.
//! [`crate::memory`] states the memory a decode (and the rest of a diagnosis) may take.

use crate::{Radiograph, SourceFormat};

mod colour;
mod deflate;
mod dicom;
pub mod frame;
mod prescan;
mod raster;

pub use colour::ColourEncoding;
pub use deflate::MAX_INFLATED;
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
	/// Neither DICOM (`DICM` at byte 128, or at byte 0 without the preamble), PNG nor JPEG.
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
	/// A photometric interpretation neither grayscale nor a colour encoding read here.
	#[error(
		"photometric interpretation `{0}` is not supported (MONOCHROME1, MONOCHROME2, RGB, \
		 YBR_FULL, YBR_FULL_422, YBR_RCT, YBR_ICT or PALETTE COLOR)"
	)]
	UnsupportedPhotometric(String),
	/// A colour encoding read here, in a form that is not (see [`ColourEncoding`]).
	#[error("{encoding:?} pixel data is not supported here: {reason}")]
	UnsupportedColour {
		/// The stored encoding.
		encoding: ColourEncoding,
		/// What is not supported.
		reason: &'static str,
	},
	/// A deflated data set that inflates past [`MAX_INFLATED`].
	#[error("the deflated data set inflates past {limit} bytes")]
	InflatedTooLarge {
		/// The limit, in bytes.
		limit: u64,
	},
	/// A JPEG frame of a sample precision this build has no decoder for: jpeg-decoder 0.3
	/// decodes 8-bit DCT frames and 2- to 16-bit lossless ones, not the 12-bit DCT frames of
	/// JPEG Extended (processes 2 and 4, transfer syntax 1.2.840.10008.1.2.4.51).
	#[error(
		"transfer syntax {transfer_syntax}: {precision}-bit DCT JPEG frames (JPEG Extended, \
		 processes 2 and 4) have no decoder in this build"
	)]
	UnsupportedJpegPrecision {
		/// The file's transfer syntax UID.
		transfer_syntax: String,
		/// The frame header's sample precision.
		precision: u8,
	},
	/// A multi-frame file's Representative Frame Number outside its frames.
	#[error("representative frame {frame} of a file with {frames} frame(s)")]
	NoSuchFrame {
		/// Representative Frame Number (1-based).
		frame: u32,
		/// Number of Frames.
		frames: u32,
	},
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
		 the DICOM attributes {columns}×{rows} with {samples}"
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
		/// DICOM Samples per Pixel.
		samples: u16,
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
	if bytes.get(128..132) == Some(b"DICM".as_slice()) || bytes.starts_with(b"DICM") {
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
mod codec_tests;
#[cfg(test)]
mod tests;
