//! DICOM Part 10 files: the length prescan (after inflating a deflated data set), dicom-object's
//! parse, the attribute checks, the compressed frame's header check, then one frame through
//! dicom-pixeldata, colour encodings reduced to luminance ([`colour`]).
//!
//! Multi-frame files: the frame decoded is the one the file names in Representative Frame
//! Number (0028,6010), else the first. The rule depends on the input bytes only, so every node
//! decodes the same frame.

use std::io::Cursor;

use dicom_core::value::Value;
use dicom_dictionary_std::tags;
use dicom_object::{file::ReadPreamble, DefaultDicomObject, OpenFileOptions};
use dicom_pixeldata::{
	ConvertOptions, DecodedPixelData, ModalityLutOption, PixelDecoder, PlanarConfiguration,
	VoiLutOption,
};
use dicom_transfer_syntax_registry::{TransferSyntax, TransferSyntaxIndex, TransferSyntaxRegistry};

use super::colour::{self, ColourEncoding, Samples};
use super::{check_dimensions, deflate, frame, guarded, malformed, prescan, DecodeError};
use crate::{Photometric, Radiograph, SourceFormat, SourceInfo};

/// RLE Lossless: its decoder returns the stored samples, in the stored colour space.
const RLE_LOSSLESS: &str = "1.2.840.10008.1.2.5";

/// How the stored values are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stored {
	Grey(Photometric),
	Colour(ColourEncoding),
}

/// Decodes a DICOM Part 10 file (with or without the 128-byte preamble): modality and
/// photometric checks, then one frame (see the module doc) with the modality LUT (rescale) and
/// the first VOI window, MONOCHROME1 inverted, colour reduced to luminance.
///
/// A data set whose VR encoding is not the one its transfer syntax declares (implicit VR under
/// a file meta group naming explicit VR little endian, or the reverse) is read in the encoding
/// it has, as other toolkits do (see [`prescan`]).
pub fn decode_dicom(bytes: &[u8]) -> Result<Radiograph, DecodeError> {
	// dicom-parser allocates each value's buffer from its declared length before reading it:
	// check every length against the input first, so a corrupt one cannot cost gigabytes.
	let scan = prescan::check_lengths(bytes)?;
	// A deflated data set is inflated, parsed, and its inflated bytes freed at once: the parsed
	// object holds its own copy of the pixel data.
	let (scan, object) = match scan.deflated_from {
		Some(from) => {
			let inflated = deflate::inflate_dataset(bytes, from, deflate::MAX_INFLATED)?;
			let scan = prescan::check_inflated(&inflated)?;
			let object = open(&inflated, scan.read_as)?;
			(scan, object)
		}
		None => {
			let object = open(bytes, scan.read_as)?;
			(scan, object)
		}
	};
	let syntax = TransferSyntaxRegistry
		.get(&scan.transfer_syntax)
		.ok_or_else(|| DecodeError::UnsupportedTransferSyntax(scan.transfer_syntax.clone()))?;
	let modality = text(&object, tags::MODALITY);
	if let Some(modality) = &modality {
		if !super::ACCEPTED_MODALITIES.contains(&modality.as_str()) {
			return Err(DecodeError::UnsupportedModality(modality.clone()));
		}
	}
	let stored = match text(&object, tags::PHOTOMETRIC_INTERPRETATION).as_deref() {
		Some("MONOCHROME1") => Stored::Grey(Photometric::Monochrome1),
		Some("MONOCHROME2") => Stored::Grey(Photometric::Monochrome2),
		Some(other) => match ColourEncoding::from_photometric(other) {
			Some(encoding) => Stored::Colour(encoding),
			None => return Err(DecodeError::UnsupportedPhotometric(other.to_string())),
		},
		None => return Err(dicom_malformed("no photometric interpretation")),
	};
	let samples = match stored {
		Stored::Grey(_) => 1,
		Stored::Colour(encoding) => encoding.samples(),
	};
	if integer(&object, tags::SAMPLES_PER_PIXEL).unwrap_or(1) != u32::from(samples) {
		return Err(dicom_malformed(format!(
			"Samples per Pixel is not {samples}, as the photometric interpretation requires"
		)));
	}
	let width = integer(&object, tags::COLUMNS).ok_or_else(|| dicom_malformed("no Columns"))?;
	let height = integer(&object, tags::ROWS).ok_or_else(|| dicom_malformed("no Rows"))?;
	check_dimensions(width, height)?;
	let bits_stored = integer(&object, tags::BITS_STORED).unwrap_or(0) as u16;
	if !(8..=16).contains(&bits_stored) {
		return Err(DecodeError::UnsupportedBitDepth(bits_stored));
	}
	if object.element_opt(tags::PIXEL_DATA).ok().flatten().is_none() {
		return Err(DecodeError::NoPixelData);
	}
	let chosen = chosen_frame(&object)?;
	// The frame's own header before any codec: a decoder allocates for what it declares.
	check_frame_header(&object, syntax.uid(), chosen, (width, height, samples))?;
	if !syntax.can_decode_all() {
		return Err(DecodeError::UnsupportedTransferSyntax(scan.transfer_syntax));
	}
	let pixels = (width as usize) * (height as usize);
	let (mut values, bits_stored) = match stored {
		Stored::Grey(_) => {
			(guarded(SourceFormat::Dicom, || frame_values(&object, chosen))??, bits_stored)
		}
		Stored::Colour(encoding) => {
			luminance(&object, syntax.uid(), encoding, chosen, (width, pixels))?
		}
	};
	if values.len() != pixels {
		return Err(dicom_malformed("pixel data does not match Rows × Columns"));
	}
	if stored == Stored::Grey(Photometric::Monochrome1) {
		invert(&mut values);
	}
	let (photometric, colour) = match stored {
		Stored::Grey(photometric) => (photometric, None),
		Stored::Colour(encoding) => (Photometric::Monochrome2, Some(encoding)),
	};
	Ok(Radiograph {
		width,
		height,
		pixels: values,
		source: SourceInfo {
			format: SourceFormat::Dicom,
			bits_stored,
			photometric,
			modality,
			colour,
		},
	})
}

/// The 0-based frame to decode: Representative Frame Number (1-based) if the file has one,
/// else the first.
fn chosen_frame(object: &DefaultDicomObject) -> Result<u32, DecodeError> {
	let frames = integer(object, tags::NUMBER_OF_FRAMES).unwrap_or(1).max(1);
	match integer(object, tags::REPRESENTATIVE_FRAME_NUMBER) {
		None => Ok(0),
		Some(frame) if (1..=frames).contains(&frame) => Ok(frame - 1),
		Some(frame) => Err(DecodeError::NoSuchFrame { frame, frames }),
	}
}

/// The luminance of frame `chosen` of a colour-encoded image, and its bit depth.
fn luminance(
	object: &DefaultDicomObject,
	transfer_syntax: &str,
	encoding: ColourEncoding,
	chosen: u32,
	(width, pixels): (u32, usize),
) -> Result<(Vec<f32>, u16), DecodeError> {
	let unsupported = |reason| DecodeError::UnsupportedColour { encoding, reason };
	let bits_allocated = integer(object, tags::BITS_ALLOCATED).unwrap_or(0);
	let codec = frame::codec_of(transfer_syntax);
	let native = codec.is_none() && transfer_syntax != RLE_LOSSLESS;
	if encoding == ColourEncoding::PaletteColor {
		if !matches!(bits_allocated, 8 | 16) {
			return Err(unsupported("palette indices of neither 8 nor 16 bits"));
		}
		let decoded = decode_frame(object, chosen)?;
		let options = ConvertOptions::new()
			.with_modality_lut(ModalityLutOption::None)
			.with_voi_lut(VoiLutOption::Identity);
		let indices: Vec<u16> =
			decoded.to_vec_frame_with_options(0, &options).map_err(dicom_malformed)?;
		return colour::palette(object, &indices);
	}
	if bits_allocated != 8 {
		return Err(unsupported("colour samples of other than 8 bits allocated"));
	}
	let samples = match (encoding, codec) {
		(ColourEncoding::Rgb, _) => Samples::Rgb,
		// jpeg-decoder converts YCbCr frames to RGB.
		(ColourEncoding::YbrFull | ColourEncoding::YbrFull422, Some(frame::FrameCodec::Jpeg)) => {
			Samples::Rgb
		}
		(ColourEncoding::YbrFull422, None) if native => {
			let data = native_frame(object, chosen, pixels * 2)?;
			return Ok((colour::ybr_full_422(&data, width, pixels)?, 8));
		}
		(ColourEncoding::YbrFull422, _) => {
			return Err(unsupported("YBR_FULL_422 outside a native or JPEG transfer syntax"))
		}
		(ColourEncoding::YbrFull, _) => Samples::Ybr,
		// OpenJPEG applies the codestream's inverse component transform.
		(ColourEncoding::YbrRct | ColourEncoding::YbrIct, Some(frame::FrameCodec::Jpeg2000)) => {
			Samples::Rgb
		}
		(ColourEncoding::YbrRct | ColourEncoding::YbrIct, _) => {
			return Err(unsupported("YBR_RCT or YBR_ICT outside a JPEG 2000 transfer syntax"))
		}
		(ColourEncoding::PaletteColor, _) => return Err(unsupported("palette")),
	};
	let decoded = decode_frame(object, chosen)?;
	let planar = decoded.planar_configuration() != PlanarConfiguration::Standard;
	let data = decoded.frame_data(0).map_err(dicom_malformed)?;
	Ok((colour::three_samples(data, pixels, planar, samples)?, 8))
}

/// Frame `chosen` alone, decoded by its transfer syntax's codec, behind the panic guard.
fn decode_frame(
	object: &DefaultDicomObject,
	chosen: u32,
) -> Result<DecodedPixelData<'_>, DecodeError> {
	guarded(SourceFormat::Dicom, || object.decode_pixel_data_frame(chosen))?
		.map_err(dicom_malformed)
}

/// The `size` bytes of native frame `chosen`.
fn native_frame(
	object: &DefaultDicomObject,
	chosen: u32,
	size: usize,
) -> Result<Vec<u8>, DecodeError> {
	let element = object.element(tags::PIXEL_DATA).map_err(dicom_malformed)?;
	let bytes = element.to_bytes().map_err(dicom_malformed)?;
	let start = size.saturating_mul(chosen as usize);
	bytes
		.get(start..start.saturating_add(size))
		.map(<[u8]>::to_vec)
		.ok_or_else(|| dicom_malformed("pixel data shorter than its frames"))
}

fn dicom_malformed(reason: impl ToString) -> DecodeError {
	malformed(SourceFormat::Dicom, reason)
}

/// Parses the file, reading the data set as `read_as` (a native transfer syntax UID) when the
/// prescan found it encoded otherwise than declared.
fn open(bytes: &[u8], read_as: Option<&str>) -> Result<DefaultDicomObject, DecodeError> {
	let preamble =
		if prescan::meta_start(bytes) == 4 { ReadPreamble::Never } else { ReadPreamble::Always };
	let options = OpenFileOptions::new().read_preamble(preamble);
	let parsed = match read_as {
		None => options.from_reader(Cursor::new(bytes)),
		Some(uid) => {
			let syntax = TransferSyntaxRegistry
				.get(uid)
				.ok_or_else(|| DecodeError::UnsupportedTransferSyntax(uid.to_string()))?;
			options.transfer_syntax_index(ReadAs(syntax)).from_reader(Cursor::new(bytes))
		}
	};
	parsed.map_err(dicom_malformed)
}

/// A transfer syntax index that answers one syntax whatever the UID: dicom-object asks it
/// only for the data set's encoding. Pixel data is still decoded by the declared syntax
/// (dicom-pixeldata looks the file meta group's UID up in the registry).
struct ReadAs(&'static TransferSyntax);

impl TransferSyntaxIndex for ReadAs {
	fn get(&self, _uid: &str) -> Option<&TransferSyntax> {
		Some(self.0)
	}
}

/// Checks the header of frame `chosen` of a compressed transfer syntax (JPEG, JPEG-LS, JPEG
/// 2000) against Columns × Rows × Samples per Pixel and the pixel limit, and refuses the
/// 12-bit DCT JPEG frames no decoder here reads. Transfer syntaxes without such a header
/// (native, RLE, video) are left to the decoder, which allocates from Rows × Columns.
///
/// A multi-frame file must hold one fragment per frame (a single-frame file may split its frame
/// into any number of fragments).
fn check_frame_header(
	object: &DefaultDicomObject,
	transfer_syntax: &str,
	chosen: u32,
	(width, height, samples): (u32, u32, u16),
) -> Result<(), DecodeError> {
	let Some(expected) = frame::codec_of(transfer_syntax) else { return Ok(()) };
	let element = object.element(tags::PIXEL_DATA).map_err(dicom_malformed)?;
	let Value::PixelSequence(sequence) = element.value() else {
		return Err(dicom_malformed(format!(
			"transfer syntax {transfer_syntax} is compressed but the pixel data is not encapsulated"
		)));
	};
	let fragments = sequence.fragments();
	let frames = integer(object, tags::NUMBER_OF_FRAMES).unwrap_or(1).max(1);
	let parts = if frames == 1 {
		fragments
	} else if fragments.len() == frames as usize {
		fragments.get(chosen as usize..=chosen as usize).unwrap_or_default()
	} else {
		return Err(dicom_malformed(format!(
			"{} fragments for {frames} frames (a multi-frame file needs one fragment per frame)",
			fragments.len()
		)));
	};
	let header = frame::frame_header(parts).map_err(dicom_malformed)?;
	check_dimensions(header.width, header.height)?;
	if (header.width, header.height, header.components) != (width, height, samples) {
		return Err(DecodeError::FrameMismatch {
			codec: header.codec,
			width: header.width,
			height: header.height,
			components: header.components,
			columns: width,
			rows: height,
			samples,
		});
	}
	if header.codec != expected {
		return Err(dicom_malformed(format!(
			"a {:?} frame under transfer syntax {transfer_syntax} ({expected:?})",
			header.codec
		)));
	}
	if !(1..=16).contains(&header.precision) {
		return Err(DecodeError::UnsupportedBitDepth(u16::from(header.precision)));
	}
	if header.dct && header.precision != 8 {
		return Err(DecodeError::UnsupportedJpegPrecision {
			transfer_syntax: transfer_syntax.to_string(),
			precision: header.precision,
		});
	}
	Ok(())
}

/// Frame `chosen` as f32 after the modality LUT and the first VOI window (if any).
fn frame_values(object: &DefaultDicomObject, chosen: u32) -> Result<Vec<f32>, DecodeError> {
	let decoded = object.decode_pixel_data_frame(chosen).map_err(dicom_malformed)?;
	let has_window = object.element_opt(tags::WINDOW_CENTER).ok().flatten().is_some();
	let voi = if has_window { VoiLutOption::First } else { VoiLutOption::Identity };
	let options =
		ConvertOptions::new().with_modality_lut(ModalityLutOption::Default).with_voi_lut(voi);
	decoded.to_vec_frame_with_options::<f32>(0, &options).map_err(dicom_malformed)
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
