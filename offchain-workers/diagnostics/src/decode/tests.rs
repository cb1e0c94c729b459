//! Decoding real files written by [`crate::encode`], and bad ones.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::encode::{encode_dicom, encode_jpeg, encode_png, DicomWriteOptions};

/// A 16 × 8 ramp: value = 100 + 10·x + y.
fn ramp() -> Vec<u16> {
	(0..8u16).flat_map(|y| (0..16u16).map(move |x| 100 + 10 * x + y)).collect()
}

fn dicom(options: DicomWriteOptions) -> Vec<u8> {
	encode_dicom(&ramp(), 16, 8, &options).unwrap()
}

#[test]
fn monochrome2_dicom_decodes_to_its_stored_values() {
	let image = decode(&dicom(DicomWriteOptions::default())).unwrap();
	assert_eq!((image.width, image.height), (16, 8));
	assert_eq!(image.pixels, ramp().iter().map(|v| f32::from(*v)).collect::<Vec<_>>());
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
	let object = OpenFileOptions::new()
		.read_preamble(ReadPreamble::Always)
		.from_reader(Cursor::new(&bytes))
		.unwrap();
	let mut object = object.into_inner();
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
	let object = OpenFileOptions::new()
		.read_preamble(ReadPreamble::Always)
		.from_reader(Cursor::new(&bytes))
		.unwrap();
	let mut object = object.into_inner();
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
