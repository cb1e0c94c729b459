//! The inverse of [`crate::decode`]: detector values → DICOM, PNG or JPEG bytes. Used by the
//! synthetic-data generator (`btt-diagnostics generate`), the demo and the tests.
//!
//! Output is deterministic: the DICOM UIDs derive from a hash of the pixels, and no patient
//! attribute is written at all.

use std::io::Cursor;

use dicom_core::{
	value::{PixelFragmentSequence, C},
	DataElement, PrimitiveValue, VR,
};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
use dicom_transfer_syntax_registry::{TransferSyntaxIndex, TransferSyntaxRegistry};
use image::{ImageBuffer, ImageFormat, Luma};
use sp_crypto_hashing::blake2_256;

use crate::Photometric;

/// How to write a DICOM file.
#[derive(Clone, Debug, PartialEq)]
pub struct DicomWriteOptions {
	/// Significant bits of the stored values (8–16); 8 is stored in bytes, more in words.
	pub bits_stored: u16,
	/// Photometric interpretation of the stored values.
	pub photometric: Photometric,
	/// Modality (`IO` intra-oral by default).
	pub modality: String,
	/// Rescale slope and intercept, if any.
	pub rescale: Option<(f64, f64)>,
	/// Window center and width, if any.
	pub window: Option<(f64, f64)>,
	/// How the data set of a native (uncompressed) file is encoded.
	pub syntax: NativeSyntax,
}

/// The transfer syntaxes of uncompressed DICOM files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NativeSyntax {
	/// Explicit VR little endian (`1.2.840.10008.1.2.1`), the common one.
	#[default]
	ExplicitLittle,
	/// Implicit VR little endian (`1.2.840.10008.1.2`), the default of DICOM networking.
	ImplicitLittle,
	/// Explicit VR big endian (`1.2.840.10008.1.2.2`, retired but still read).
	ExplicitBig,
}

impl NativeSyntax {
	/// The transfer syntax UID.
	pub fn uid(self) -> &'static str {
		match self {
			Self::ExplicitLittle => uids::EXPLICIT_VR_LITTLE_ENDIAN,
			Self::ImplicitLittle => uids::IMPLICIT_VR_LITTLE_ENDIAN,
			// Retired (hence deprecated in dicom-dictionary-std), still found in archives.
			Self::ExplicitBig => "1.2.840.10008.1.2.2",
		}
	}
}

impl Default for DicomWriteOptions {
	fn default() -> Self {
		Self {
			bits_stored: 16,
			photometric: Photometric::Monochrome2,
			modality: "IO".into(),
			rescale: None,
			window: None,
			syntax: NativeSyntax::ExplicitLittle,
		}
	}
}

/// Why an image could not be encoded.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EncodeError {
	/// The pixel count is not width × height.
	#[error("{got} pixels for a {width}×{height} image")]
	PixelCount {
		/// Pixels given.
		got: usize,
		/// Width.
		width: u32,
		/// Height.
		height: u32,
	},
	/// Bits stored outside 8–16, or a dimension above 65,535.
	#[error("unsupported image: {0}")]
	Unsupported(String),
	/// The writer failed.
	#[error("encoding failed: {0}")]
	Writer(String),
}

fn check(stored_len: usize, width: u32, height: u32) -> Result<(), EncodeError> {
	if stored_len != (width as usize) * (height as usize) {
		return Err(EncodeError::PixelCount { got: stored_len, width, height });
	}
	Ok(())
}

/// A deterministic DICOM UID under the `2.25` (UUID-derived) root, from `seed` bytes.
fn uid(seed: &[u8], suffix: u8) -> String {
	let mut input = seed.to_vec();
	input.push(suffix);
	let hash = blake2_256(&input);
	let mut bytes = [0u8; 16];
	bytes.iter_mut().zip(hash.iter()).for_each(|(byte, h)| *byte = *h);
	format!("2.25.{}", u128::from_be_bytes(bytes))
}

/// A DICOM Part 10 file of uncompressed pixels (digital intra-oral X-ray storage), in
/// `options.syntax`.
pub fn encode_dicom(
	stored: &[u16],
	width: u32,
	height: u32,
	options: &DicomWriteOptions,
) -> Result<Vec<u8>, EncodeError> {
	check(stored.len(), width, height)?;
	let pixel_seed: Vec<u8> = stored.iter().flat_map(|value| value.to_le_bytes()).collect();
	let mut object = image_attributes(&pixel_seed, width, height, options)?;
	let pixel_data = if options.bits_stored <= 8 {
		let bytes: Vec<u8> = stored.iter().map(|value| (*value).min(255) as u8).collect();
		DataElement::new(tags::PIXEL_DATA, VR::OB, PrimitiveValue::from(bytes))
	} else {
		DataElement::new(
			tags::PIXEL_DATA,
			VR::OW,
			PrimitiveValue::U16(C::from_vec(stored.to_vec())),
		)
	};
	object.put(pixel_data);
	write_file(object, options.syntax.uid())
}

/// A DICOM Part 10 file whose pixel data is one compressed frame, encapsulated in
/// `fragments` (the frame's bytes, split as given), under `transfer_syntax` (a UID). The bytes
/// are not checked: tests use this to write frames whose header lies about the image.
pub fn encode_dicom_frame(
	fragments: Vec<Vec<u8>>,
	width: u32,
	height: u32,
	transfer_syntax: &str,
	options: &DicomWriteOptions,
) -> Result<Vec<u8>, EncodeError> {
	let seed: Vec<u8> = fragments.iter().flatten().copied().collect();
	let mut object = image_attributes(&seed, width, height, options)?;
	let sequence = PixelFragmentSequence::new(Vec::<u32>::new(), fragments);
	object.put(DataElement::new(tags::PIXEL_DATA, VR::OB, sequence));
	write_file(object, transfer_syntax)
}

/// An 8-bit DICOM file compressed as baseline JPEG (`1.2.840.10008.1.2.4.50`) at `quality`.
pub fn encode_dicom_jpeg(
	gray: &[u8],
	width: u32,
	height: u32,
	quality: u8,
	options: &DicomWriteOptions,
) -> Result<Vec<u8>, EncodeError> {
	let frame = encode_jpeg(gray, width, height, quality)?;
	let options = DicomWriteOptions { bits_stored: 8, ..options.clone() };
	encode_dicom_frame(vec![frame], width, height, uids::JPEG_BASELINE8_BIT, &options)
}

/// Every attribute of the image but its pixel data; UIDs derive from `seed`.
fn image_attributes(
	seed: &[u8],
	width: u32,
	height: u32,
	options: &DicomWriteOptions,
) -> Result<InMemDicomObject, EncodeError> {
	if !(8..=16).contains(&options.bits_stored) {
		return Err(EncodeError::Unsupported(format!("{} bits stored", options.bits_stored)));
	}
	let (rows, columns) = (
		u16::try_from(height).map_err(|_| EncodeError::Unsupported("height".into()))?,
		u16::try_from(width).map_err(|_| EncodeError::Unsupported("width".into()))?,
	);
	let bits_allocated: u16 = if options.bits_stored <= 8 { 8 } else { 16 };
	let photometric = match options.photometric {
		Photometric::Monochrome1 => "MONOCHROME1",
		Photometric::Monochrome2 => "MONOCHROME2",
	};
	let mut object = InMemDicomObject::new_empty();
	let text = |tag, vr, value: &str| DataElement::new(tag, vr, PrimitiveValue::from(value));
	let short = |tag, value: u16| DataElement::new(tag, VR::US, PrimitiveValue::from([value]));
	object.put(text(
		tags::SOP_CLASS_UID,
		VR::UI,
		uids::DIGITAL_INTRA_ORAL_X_RAY_IMAGE_STORAGE_FOR_PRESENTATION,
	));
	object.put(text(tags::SOP_INSTANCE_UID, VR::UI, &uid(seed, 1)));
	object.put(text(tags::STUDY_INSTANCE_UID, VR::UI, &uid(seed, 2)));
	object.put(text(tags::SERIES_INSTANCE_UID, VR::UI, &uid(seed, 3)));
	object.put(text(tags::MODALITY, VR::CS, &options.modality));
	object.put(text(tags::PHOTOMETRIC_INTERPRETATION, VR::CS, photometric));
	object.put(short(tags::SAMPLES_PER_PIXEL, 1));
	object.put(short(tags::ROWS, rows));
	object.put(short(tags::COLUMNS, columns));
	object.put(short(tags::BITS_ALLOCATED, bits_allocated));
	object.put(short(tags::BITS_STORED, options.bits_stored));
	object.put(short(tags::HIGH_BIT, options.bits_stored - 1));
	object.put(short(tags::PIXEL_REPRESENTATION, 0));
	if let Some((slope, intercept)) = options.rescale {
		object.put(text(tags::RESCALE_SLOPE, VR::DS, &slope.to_string()));
		object.put(text(tags::RESCALE_INTERCEPT, VR::DS, &intercept.to_string()));
	}
	if let Some((center, width)) = options.window {
		object.put(text(tags::WINDOW_CENTER, VR::DS, &center.to_string()));
		object.put(text(tags::WINDOW_WIDTH, VR::DS, &width.to_string()));
	}
	Ok(object)
}

/// Preamble, file meta group (naming `transfer_syntax`) and the data set encoded in it.
fn write_file(object: InMemDicomObject, transfer_syntax: &str) -> Result<Vec<u8>, EncodeError> {
	if TransferSyntaxRegistry.get(transfer_syntax).is_none() {
		return Err(EncodeError::Unsupported(format!("transfer syntax {transfer_syntax}")));
	}
	let file = object
		.with_meta(FileMetaTableBuilder::new().transfer_syntax(transfer_syntax))
		.map_err(|error| EncodeError::Writer(error.to_string()))?;
	let mut bytes = Vec::new();
	file.write_all(&mut bytes).map_err(|error| EncodeError::Writer(error.to_string()))?;
	Ok(bytes)
}

/// A grayscale PNG: 8-bit if `bits` ≤ 8, else 16-bit (values as stored).
pub fn encode_png(
	stored: &[u16],
	width: u32,
	height: u32,
	bits: u16,
) -> Result<Vec<u8>, EncodeError> {
	check(stored.len(), width, height)?;
	let mut bytes = Cursor::new(Vec::new());
	let written = if bits <= 8 {
		let gray: Vec<u8> = stored.iter().map(|value| (*value).min(255) as u8).collect();
		ImageBuffer::<Luma<u8>, _>::from_raw(width, height, gray)
			.ok_or_else(|| EncodeError::Writer("buffer size".into()))?
			.write_to(&mut bytes, ImageFormat::Png)
	} else {
		ImageBuffer::<Luma<u16>, _>::from_raw(width, height, stored.to_vec())
			.ok_or_else(|| EncodeError::Writer("buffer size".into()))?
			.write_to(&mut bytes, ImageFormat::Png)
	};
	written.map_err(|error| EncodeError::Writer(error.to_string()))?;
	Ok(bytes.into_inner())
}

/// An 8-bit grayscale JPEG at `quality` (1–100).
pub fn encode_jpeg(
	gray: &[u8],
	width: u32,
	height: u32,
	quality: u8,
) -> Result<Vec<u8>, EncodeError> {
	check(gray.len(), width, height)?;
	let mut bytes = Vec::new();
	let mut encoder =
		image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
	encoder
		.encode(gray, width, height, image::ExtendedColorType::L8)
		.map_err(|error| EncodeError::Writer(error.to_string()))?;
	Ok(bytes)
}
