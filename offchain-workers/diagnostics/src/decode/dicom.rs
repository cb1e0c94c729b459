//! DICOM Part 10 files: the length prescan, dicom-object's parse, the attribute checks, the
//! compressed frame's header check, then frame 0 through dicom-pixeldata.

use std::io::Cursor;

use dicom_core::value::Value;
use dicom_dictionary_std::tags;
use dicom_object::{file::ReadPreamble, DefaultDicomObject, OpenFileOptions};
use dicom_pixeldata::{ConvertOptions, ModalityLutOption, PixelDecoder, VoiLutOption};
use dicom_transfer_syntax_registry::{TransferSyntax, TransferSyntaxIndex, TransferSyntaxRegistry};

use super::{check_dimensions, frame, guarded, malformed, prescan, DecodeError};
use crate::{Photometric, Radiograph, SourceFormat, SourceInfo};

/// Decodes a DICOM Part 10 file: modality and photometric checks, then frame 0 with the
/// modality LUT (rescale) and the first VOI window, MONOCHROME1 inverted.
///
/// A data set whose VR encoding is not the one its transfer syntax declares (implicit VR under
/// a file meta group naming explicit VR little endian, or the reverse) is read in the encoding
/// it has, as other toolkits do (see [`prescan`]).
pub fn decode_dicom(bytes: &[u8]) -> Result<Radiograph, DecodeError> {
	// dicom-parser allocates each value's buffer from its declared length before reading it:
	// check every length against the input first, so a corrupt one cannot cost gigabytes.
	let scan = prescan::check_lengths(bytes)?;
	let syntax = TransferSyntaxRegistry
		.get(&scan.transfer_syntax)
		.ok_or_else(|| DecodeError::UnsupportedTransferSyntax(scan.transfer_syntax.clone()))?;
	let object = open(bytes, scan.read_as)?;
	let modality = text(&object, tags::MODALITY);
	if let Some(modality) = &modality {
		if !super::ACCEPTED_MODALITIES.contains(&modality.as_str()) {
			return Err(DecodeError::UnsupportedModality(modality.clone()));
		}
	}
	let photometric = match text(&object, tags::PHOTOMETRIC_INTERPRETATION).as_deref() {
		Some("MONOCHROME1") => Photometric::Monochrome1,
		Some("MONOCHROME2") => Photometric::Monochrome2,
		Some(other) => return Err(DecodeError::UnsupportedPhotometric(other.to_string())),
		None => return Err(dicom_malformed("no photometric interpretation")),
	};
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
	// The frame's own header before any codec: a decoder allocates for what it declares.
	check_frame_header(&object, syntax.uid(), width, height)?;
	if !syntax.can_decode_all() {
		return Err(DecodeError::UnsupportedTransferSyntax(scan.transfer_syntax));
	}
	let mut pixels = guarded(SourceFormat::Dicom, || frame_values(&object))??;
	if pixels.len() != (width as usize) * (height as usize) {
		return Err(dicom_malformed("pixel data does not match Rows × Columns"));
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

fn dicom_malformed(reason: impl ToString) -> DecodeError {
	malformed(SourceFormat::Dicom, reason)
}

/// Parses the file, reading the data set as `read_as` (a native transfer syntax UID) when the
/// prescan found it encoded otherwise than declared.
fn open(bytes: &[u8], read_as: Option<&str>) -> Result<DefaultDicomObject, DecodeError> {
	let options = OpenFileOptions::new().read_preamble(ReadPreamble::Always);
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

/// Checks the header of frame 0 of a compressed transfer syntax (JPEG, JPEG-LS, JPEG 2000)
/// against Columns × Rows, one component and the pixel limit. Transfer syntaxes without such a
/// header (native, RLE, video) are left to the decoder, which allocates from Rows × Columns.
fn check_frame_header(
	object: &DefaultDicomObject,
	transfer_syntax: &str,
	width: u32,
	height: u32,
) -> Result<(), DecodeError> {
	let Some(expected) = frame::codec_of(transfer_syntax) else { return Ok(()) };
	let element = object.element(tags::PIXEL_DATA).map_err(dicom_malformed)?;
	let Value::PixelSequence(sequence) = element.value() else {
		return Err(dicom_malformed(format!(
			"transfer syntax {transfer_syntax} is compressed but the pixel data is not encapsulated"
		)));
	};
	let header = frame::frame_header(sequence.fragments()).map_err(dicom_malformed)?;
	check_dimensions(header.width, header.height)?;
	if (header.width, header.height, header.components) != (width, height, 1) {
		return Err(DecodeError::FrameMismatch {
			codec: header.codec,
			width: header.width,
			height: header.height,
			components: header.components,
			columns: width,
			rows: height,
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
	Ok(())
}

/// Frame 0 as f32 after the modality LUT and the first VOI window (if any).
fn frame_values(object: &DefaultDicomObject) -> Result<Vec<f32>, DecodeError> {
	let decoded = object.decode_pixel_data_frame(0).map_err(dicom_malformed)?;
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
