//! Decoding real files written by [`crate::encode`], and bad ones.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Cursor;

use dicom_core::{
	value::{DataSetSequence, PrimitiveValue},
	DataElement, Length, VR,
};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{file::ReadPreamble, DefaultDicomObject, InMemDicomObject, OpenFileOptions};
use dicom_transfer_syntax_registry::{TransferSyntaxIndex, TransferSyntaxRegistry};
use image::ImageFormat;

use super::*;

#[path = "../../tests/support/mod.rs"]
mod support;
use crate::{
	encode::{
		encode_dicom, encode_dicom_frame, encode_dicom_jpeg, encode_jpeg, encode_png,
		DicomWriteOptions, NativeSyntax,
	},
	Photometric,
};

/// A 16 × 8 ramp: value = 100 + 10·x + y.
fn ramp() -> Vec<u16> {
	(0..8u16).flat_map(|y| (0..16u16).map(move |x| 100 + 10 * x + y)).collect()
}

fn dicom(options: DicomWriteOptions) -> Vec<u8> {
	encode_dicom(&ramp(), 16, 8, &options).unwrap()
}

/// dicom-object's own reading of a file, without our checks.
fn parse(bytes: &[u8]) -> Result<DefaultDicomObject, dicom_object::ReadError> {
	let preamble =
		if bytes.starts_with(b"DICM") { ReadPreamble::Never } else { ReadPreamble::Always };
	OpenFileOptions::new().read_preamble(preamble).from_reader(Cursor::new(bytes))
}

/// `bytes` rewritten with `element` added, in the same transfer syntax.
fn with_element(bytes: &[u8], element: DataElement<InMemDicomObject>) -> Vec<u8> {
	let mut object = parse(bytes).unwrap();
	object.put(element);
	let mut out = Vec::new();
	object.write_all(&mut out).unwrap();
	out
}

/// The ramp's data set encoded as `actual` under a file meta group that names `declared`.
fn mislabelled(declared: NativeSyntax, actual: NativeSyntax) -> Vec<u8> {
	let file = parse(&dicom(DicomWriteOptions { syntax: declared, ..Default::default() })).unwrap();
	let mut out = vec![0u8; 128];
	out.extend(b"DICM");
	file.write_meta(&mut out).unwrap();
	let syntax = TransferSyntaxRegistry.get(actual.uid()).unwrap();
	file.into_inner().write_dataset_with_ts(&mut out, syntax).unwrap();
	out
}

/// A 16 × 8 baseline JPEG whose SOF0 declares `width × height` instead.
fn jpeg_declaring(width: u16, height: u16) -> Vec<u8> {
	support::sof_declaring(encode_jpeg(&[90u8; 16 * 8], 16, 8, 90).unwrap(), width, height)
}

/// A JPEG 2000 codestream's SOC and SIZ (one 16-bit component, one tile), nothing after.
fn j2k_declaring(width: u32, height: u32) -> Vec<u8> {
	let mut bytes = vec![0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
	for value in [width, height, 0, 0, width, height, 0, 0] {
		bytes.extend(value.to_be_bytes());
	}
	bytes.extend([0x00, 0x01, 0x0F, 0x01, 0x01]);
	bytes
}

fn ramp_values() -> Vec<f32> {
	ramp().iter().map(|v| f32::from(*v)).collect()
}

#[test]
fn monochrome2_dicom_decodes_to_its_stored_values() {
	let image = decode(&dicom(DicomWriteOptions::default())).unwrap();
	assert_eq!((image.width, image.height), (16, 8));
	assert_eq!(image.pixels, ramp_values());
	assert_eq!(image.source.format, SourceFormat::Dicom);
	assert_eq!(image.source.modality.as_deref(), Some("IO"));
	assert_eq!(image.source.bits_stored, 16);
}

#[test]
fn monochrome1_dicom_is_inverted_so_dense_matter_is_bright() {
	let full = 4095u16;
	let inverted: Vec<u16> = ramp().iter().map(|v| full - v).collect();
	let options = DicomWriteOptions {
		bits_stored: 12,
		photometric: Photometric::Monochrome1,
		..Default::default()
	};
	let image = decode(&encode_dicom(&inverted, 16, 8, &options).unwrap()).unwrap();
	assert_eq!(image.source.photometric, Photometric::Monochrome1);
	// The brightest stored-MONOCHROME2 pixel (bottom right) is the brightest again.
	let brightest = image.pixels.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
	assert_eq!(brightest, 16 * 8 - 1);
	let darkest = image.pixels.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
	assert_eq!(darkest, 0);
}

#[test]
fn eight_bit_dicom_decodes() {
	let options = DicomWriteOptions { bits_stored: 8, ..Default::default() };
	let image = decode(&dicom(options)).unwrap();
	assert_eq!(image.source.bits_stored, 8);
	assert_eq!(image.pixels[17], f32::from(ramp()[17]));
}

#[test]
fn rescale_slope_and_intercept_are_applied() {
	let options = DicomWriteOptions { rescale: Some((2.0, -50.0)), ..Default::default() };
	let image = decode(&dicom(options)).unwrap();
	assert_eq!(image.pixels[0], 2.0 * 100.0 - 50.0);
	assert_eq!(image.pixels[5], 2.0 * 150.0 - 50.0);
}

#[test]
fn voi_window_is_applied_and_keeps_the_order() {
	let options = DicomWriteOptions { window: Some((150.0, 100.0)), ..Default::default() };
	let windowed = decode(&dicom(options)).unwrap();
	let plain = decode(&dicom(DicomWriteOptions::default())).unwrap();
	assert_ne!(windowed.pixels, plain.pixels, "the window changed the values");
	assert!(windowed.pixels[0] <= windowed.pixels[15]);
}

#[test]
fn wrong_modality_is_rejected() {
	let options = DicomWriteOptions { modality: "CT".into(), ..Default::default() };
	assert_eq!(decode(&dicom(options)), Err(DecodeError::UnsupportedModality("CT".into())));
}

#[test]
fn dicom_without_pixel_data_is_rejected() {
	let bytes = dicom(DicomWriteOptions::default());
	let mut object = parse(&bytes).unwrap().into_inner();
	object.remove_element(tags::PIXEL_DATA);
	let stripped = object
		.with_meta(
			dicom_object::FileMetaTableBuilder::new()
				.transfer_syntax(dicom_dictionary_std::uids::EXPLICIT_VR_LITTLE_ENDIAN),
		)
		.unwrap();
	let mut out = Vec::new();
	stripped.write_all(&mut out).unwrap();
	assert_eq!(decode(&out), Err(DecodeError::NoPixelData));
}

#[test]
fn huge_declared_dimensions_are_rejected_before_decoding() {
	let bytes = dicom(DicomWriteOptions::default());
	let mut object = parse(&bytes).unwrap().into_inner();
	object.put(dicom_core::DataElement::new(
		tags::ROWS,
		dicom_core::VR::US,
		dicom_core::PrimitiveValue::from([60_000u16]),
	));
	let huge = object
		.with_meta(
			dicom_object::FileMetaTableBuilder::new()
				.transfer_syntax(dicom_dictionary_std::uids::EXPLICIT_VR_LITTLE_ENDIAN),
		)
		.unwrap();
	let mut out = Vec::new();
	huge.write_all(&mut out).unwrap();
	assert_eq!(decode(&out), Err(DecodeError::TooLarge { width: 16, height: 60_000 }));
}

#[test]
fn truncated_files_give_errors_at_every_length() {
	// A PNG cut only in its 12-byte IEND trailer still holds every pixel; decoders accept it.
	let files =
		[(dicom(DicomWriteOptions::default()), 0), (encode_png(&ramp(), 16, 8, 16).unwrap(), 12)];
	for (bytes, trailer) in files {
		for length in 0..bytes.len() - trailer {
			assert!(
				decode(&bytes[..length]).is_err(),
				"a file cut at {length} of {} bytes decoded",
				bytes.len()
			);
		}
	}
}

#[test]
fn a_length_running_past_the_input_is_rejected_before_parsing() {
	// A 3.75 GiB pixel data length in a file of a few kilobytes: dicom-parser would zero-fill a
	// buffer of that size before noticing the file is short.
	let mut bytes = dicom(DicomWriteOptions::default());
	let pixel_data =
		bytes.windows(4).rposition(|window| window == [0xE0, 0x7F, 0x10, 0x00]).unwrap();
	let length = pixel_data + 8;
	bytes[length..length + 4].copy_from_slice(&0xF000_0000u32.to_le_bytes());
	match decode(&bytes) {
		Err(DecodeError::Malformed { format: SourceFormat::Dicom, reason }) => {
			assert!(reason.contains("past the end"), "{reason}")
		}
		other => panic!("expected a length error, got {other:?}"),
	}
}

#[test]
fn flipped_bytes_never_panic() {
	let original = dicom(DicomWriteOptions::default());
	let mut state = 0x2545_F491_4F6C_DD1Du64;
	for _ in 0..400 {
		let mut bytes = original.clone();
		for _ in 0..4 {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			let index = (state % bytes.len() as u64) as usize;
			bytes[index] ^= (state >> 32) as u8 | 1;
		}
		let _ = decode(&bytes);
	}
}

#[test]
fn png_in_8_and_16_bits_and_rgb_decode_to_luma() {
	let sixteen = decode(&encode_png(&ramp(), 16, 8, 16).unwrap()).unwrap();
	assert_eq!((sixteen.source.bits_stored, sixteen.pixels[3]), (16, 130.0));
	let eight = decode(&encode_png(&ramp(), 16, 8, 8).unwrap()).unwrap();
	assert_eq!((eight.source.bits_stored, eight.pixels[3]), (8, 130.0));
	let mut rgb = Cursor::new(Vec::new());
	image::RgbImage::from_pixel(4, 3, image::Rgb([200, 200, 200]))
		.write_to(&mut rgb, ImageFormat::Png)
		.unwrap();
	let gray = decode(rgb.get_ref()).unwrap();
	assert_eq!((gray.width, gray.height, gray.pixels[0]), (4, 3, 200.0));
}

#[test]
fn jpeg_decodes_with_its_dimensions() {
	let gray: Vec<u8> = (0..64 * 32).map(|i| (i % 64 * 4) as u8).collect();
	let image = decode(&encode_jpeg(&gray, 64, 32, 90).unwrap()).unwrap();
	assert_eq!((image.width, image.height, image.source.format), (64, 32, SourceFormat::Jpeg));
	assert!((image.pixels[40] - 160.0).abs() < 12.0, "lossy but close: {}", image.pixels[40]);
}

#[test]
fn garbage_and_empty_inputs_are_named() {
	assert_eq!(decode(&[]), Err(DecodeError::Empty));
	assert_eq!(decode(b"GIF89a not a radiograph"), Err(DecodeError::UnknownFormat));
}

#[test]
fn a_jpeg_frame_declaring_65535_pixels_a_side_is_refused_before_decoding() {
	// 16 × 8 in Rows and Columns, 65,535² in the frame: jpeg-decoder would allocate for the
	// frame's size (4 GiB) before finding the scan far too short.
	let bomb = jpeg_declaring(65_535, 65_535);
	let options = DicomWriteOptions { bits_stored: 8, ..Default::default() };
	let file = encode_dicom_frame(vec![bomb], 16, 8, uids::JPEG_BASELINE8_BIT, &options).unwrap();
	assert!(file.len() < 2048, "a tiny file: {} bytes", file.len());
	assert_eq!(decode(&file), Err(DecodeError::TooLarge { width: 65_535, height: 65_535 }));
}

#[test]
fn a_bare_jpeg_declaring_65535_pixels_a_side_is_refused_before_decoding() {
	assert_eq!(
		decode(&jpeg_declaring(65_535, 65_535)),
		Err(DecodeError::TooLarge { width: 65_535, height: 65_535 })
	);
}

#[test]
fn a_jpeg_frame_of_other_dimensions_than_rows_and_columns_is_refused() {
	let options = DicomWriteOptions { bits_stored: 8, ..Default::default() };
	let frame = jpeg_declaring(4000, 3000);
	let file = encode_dicom_frame(vec![frame], 16, 8, uids::JPEG_BASELINE8_BIT, &options).unwrap();
	assert_eq!(
		decode(&file),
		Err(DecodeError::FrameMismatch {
			codec: FrameCodec::Jpeg,
			width: 4000,
			height: 3000,
			components: 1,
			columns: 16,
			rows: 8,
			samples: 1,
		})
	);
}

#[test]
fn a_jpeg_dicom_decodes_in_one_fragment_or_several() {
	let gray: Vec<u8> = (0..64 * 32).map(|i| (i % 64 * 4) as u8).collect();
	let options = DicomWriteOptions::default();
	let whole = decode(&encode_dicom_jpeg(&gray, 64, 32, 90, &options).unwrap()).unwrap();
	assert_eq!((whole.width, whole.height, whole.source.bits_stored), (64, 32, 8));
	assert!((whole.pixels[40] - 160.0).abs() < 12.0, "lossy but close: {}", whole.pixels[40]);
	let jpeg = encode_jpeg(&gray, 64, 32, 90).unwrap();
	// Fragments of even length, as DICOM requires (the last one padded).
	let mut fragments: Vec<Vec<u8>> = jpeg.chunks(10).map(<[u8]>::to_vec).collect();
	if let Some(last) = fragments.last_mut().filter(|last| last.len() % 2 == 1) {
		last.push(0);
	}
	let eight = DicomWriteOptions { bits_stored: 8, ..options };
	let split = encode_dicom_frame(fragments, 64, 32, uids::JPEG_BASELINE8_BIT, &eight).unwrap();
	assert_eq!(decode(&split).unwrap().pixels, whole.pixels);
}

#[test]
fn compressed_frames_have_their_header_checked_before_decoding() {
	let options = DicomWriteOptions::default();
	// An honest header and no tile data: the JPEG 2000 decoder runs and fails.
	let honest =
		encode_dicom_frame(vec![j2k_declaring(16, 8)], 16, 8, uids::JPEG2000_LOSSLESS, &options)
			.unwrap();
	assert!(matches!(
		decode(&honest),
		Err(DecodeError::Malformed { format: SourceFormat::Dicom, .. })
	));
	let bomb = encode_dicom_frame(
		vec![j2k_declaring(65_535, 65_535)],
		16,
		8,
		uids::JPEG2000_LOSSLESS,
		&options,
	)
	.unwrap();
	assert_eq!(decode(&bomb), Err(DecodeError::TooLarge { width: 65_535, height: 65_535 }));
	// JPEG-LS: SOI, then SOF55 declaring 60,000 × 60,000 at 16 bits.
	let jpeg_ls = vec![0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 0x10, 0xEA, 0x60, 0xEA, 0x60, 0x01];
	let bomb = encode_dicom_frame(vec![jpeg_ls], 16, 8, uids::JPEGLS_LOSSLESS, &options).unwrap();
	assert_eq!(decode(&bomb), Err(DecodeError::TooLarge { width: 60_000, height: 60_000 }));
	// A frame without a recognisable header under a JPEG 2000 syntax.
	let opaque = encode_dicom_frame(vec![vec![1, 2, 3, 4]], 16, 8, uids::JPEG2000, &options);
	assert!(matches!(
		decode(&opaque.unwrap()),
		Err(DecodeError::Malformed { format: SourceFormat::Dicom, .. })
	));
}

#[test]
fn a_deflated_data_set_written_by_dicom_object_decodes() {
	let object = parse(&dicom(DicomWriteOptions::default())).unwrap().into_inner();
	let object = object
		.with_meta(
			dicom_object::FileMetaTableBuilder::new()
				.transfer_syntax(uids::DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN),
		)
		.unwrap();
	let mut out = Vec::new();
	object.write_all(&mut out).unwrap();
	let image = decode(&out).unwrap();
	assert_eq!((image.width, image.height, image.pixels), (16, 8, ramp_values()));
}

#[test]
fn an_implicit_vr_data_set_under_an_explicit_vr_meta_group_decodes() {
	let file = mislabelled(NativeSyntax::ExplicitLittle, NativeSyntax::ImplicitLittle);
	assert_eq!(
		prescan::check_lengths(&file),
		Ok(prescan::Scan {
			transfer_syntax: uids::EXPLICIT_VR_LITTLE_ENDIAN.into(),
			read_as: Some(uids::IMPLICIT_VR_LITTLE_ENDIAN),
			deflated_from: None,
		})
	);
	let image = decode(&file).unwrap();
	assert_eq!((image.width, image.height, image.pixels), (16, 8, ramp_values()));
	// And the reverse: explicit VR under a meta group that names implicit VR.
	let reverse = mislabelled(NativeSyntax::ImplicitLittle, NativeSyntax::ExplicitLittle);
	assert_eq!(decode(&reverse).unwrap().pixels, ramp_values());
}

/// Every DICOM test file: the shipped samples and files in each encoding this crate writes.
fn test_files() -> Vec<(String, Vec<u8>)> {
	let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/samples");
	let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&samples)
		.unwrap()
		.map(|entry| entry.unwrap().path())
		.filter(|path| path.extension().is_some_and(|extension| extension == "dcm"))
		.map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
		.collect();
	assert!(files.len() >= 4, "the shipped DICOM samples");
	let native = |name: &str, options: DicomWriteOptions| (name.to_string(), dicom(options));
	files.push(native("explicit LE, 16 bit", DicomWriteOptions::default()));
	files.push(native("8 bit", DicomWriteOptions { bits_stored: 8, ..Default::default() }));
	files.push(native(
		"MONOCHROME1, 12 bit, rescaled, windowed",
		DicomWriteOptions {
			bits_stored: 12,
			photometric: Photometric::Monochrome1,
			rescale: Some((2.0, -5.0)),
			window: Some((300.0, 200.0)),
			..Default::default()
		},
	));
	for syntax in [NativeSyntax::ImplicitLittle, NativeSyntax::ExplicitBig] {
		files.push(native(
			&format!("{syntax:?}"),
			DicomWriteOptions { syntax, ..Default::default() },
		));
	}
	let item = |uid: &str| {
		InMemDicomObject::from_element_iter([DataElement::new(
			tags::REFERENCED_SOP_INSTANCE_UID,
			VR::UI,
			PrimitiveValue::from(uid),
		)])
	};
	let nested = InMemDicomObject::from_element_iter([DataElement::new(
		tags::REFERENCED_IMAGE_SEQUENCE,
		VR::SQ,
		DataSetSequence::new(vec![item("1.2.3"), item("1.2.4")], Length::UNDEFINED),
	)]);
	let sequence = DataElement::new(
		tags::SOURCE_IMAGE_SEQUENCE,
		VR::SQ,
		DataSetSequence::new(vec![nested, item("1.2.5")], Length::UNDEFINED),
	);
	for syntax in
		[NativeSyntax::ExplicitLittle, NativeSyntax::ImplicitLittle, NativeSyntax::ExplicitBig]
	{
		let plain = dicom(DicomWriteOptions { syntax, ..Default::default() });
		files.push((
			format!("nested sequences, {syntax:?}"),
			with_element(&plain, sequence.clone()),
		));
	}
	// dicom-object does not write a UN holding a sequence; relabel the explicit one's SQ.
	let mut un = with_element(&dicom(DicomWriteOptions::default()), sequence);
	let header = [0x08, 0x00, 0x12, 0x21, b'S', b'Q'];
	let at = un.windows(6).position(|window| window == header).unwrap();
	un[at + 4..at + 6].copy_from_slice(b"UN");
	files.push(("an undefined-length UN sequence".into(), un));
	let gray: Vec<u8> = (0..16 * 8).map(|i| (i * 2) as u8).collect();
	files.push((
		"baseline JPEG".into(),
		encode_dicom_jpeg(&gray, 16, 8, 90, &DicomWriteOptions::default()).unwrap(),
	));
	files.extend(codec_tests::codec_files());
	files
}

#[test]
fn the_prescan_accepts_every_test_file_dicom_rs_reads() {
	for (name, bytes) in test_files() {
		assert!(parse(&bytes).is_ok(), "dicom-object reads {name}");
		assert!(
			prescan::check_lengths(&bytes).is_ok(),
			"{name}: {:?}",
			prescan::check_lengths(&bytes)
		);
		match decode(&bytes) {
			Ok(image) => assert_eq!(image.len(), image.pixels.len(), "{name}"),
			Err(DecodeError::UnsupportedJpegPrecision { .. }) if name.contains("12bit") => {}
			Err(error) => panic!("{name}: {error}"),
		}
	}
	for syntax in [NativeSyntax::ImplicitLittle, NativeSyntax::ExplicitBig] {
		let image = decode(&dicom(DicomWriteOptions { syntax, ..Default::default() })).unwrap();
		assert_eq!(image.pixels, ramp_values(), "{syntax:?}");
	}
}

#[test]
fn an_undefined_length_un_element_is_checked_as_the_parser_reads_it() {
	// dicom-parser reads the items of an undefined-length UN in the surrounding explicit VR,
	// where this item holds an OB of 3.75 GiB. Read as implicit VR (as PS3.5 6.2.2 would have
	// it) the same bytes are a 16,975-byte element and harmless delimiters: a prescan walking
	// them so would let the parser allocate the 3.75 GiB.
	let mut element = Vec::new();
	element.extend([0x09, 0x00, 0x10, 0x10, b'U', b'N', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
	element.extend([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
	element.extend([0x10, 0x00, 0x10, 0x00, b'O', b'B', 0, 0]);
	element.extend(0xF000_0000u32.to_le_bytes());
	element.resize(element.len() + 16_975 - 4, 0);
	element.extend([0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
	let mut file = dicom(DicomWriteOptions::default());
	// In tag order: before the Study Instance UID (0020,000D).
	let study = file.windows(4).position(|window| window == [0x20, 0x00, 0x0D, 0x00]).unwrap();
	file.splice(study..study, element);
	match decode(&file) {
		Err(DecodeError::Malformed { format: SourceFormat::Dicom, reason }) => {
			assert!(reason.contains("past the end"), "{reason}")
		}
		other => panic!("expected a length error, got {other:?}"),
	}
}

#[test]
fn a_panic_in_the_png_or_jpeg_decoder_is_reported_in_that_format() {
	for format in [SourceFormat::Png, SourceFormat::Jpeg] {
		let caught = guarded(format, || -> u8 { panic!("a decoder bug") });
		assert_eq!(
			caught,
			Err(DecodeError::Malformed {
				format,
				reason: "the pixel decoder failed on this file".into()
			})
		);
	}
}
