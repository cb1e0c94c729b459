//! Every transfer syntax and colour encoding, on the files `scripts/gen-codec-testdata.sh`
//! wrote (DCMTK and OpenJPEG encoders) into `tests/data/codecs/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::Photometric;

const SIDE: u32 = 64;

fn file(name: &str) -> Vec<u8> {
	let path =
		std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/codecs").join(name);
	std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every codec test file, by name.
pub(super) fn codec_files() -> Vec<(String, Vec<u8>)> {
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/codecs");
	let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
		.unwrap()
		.map(|entry| entry.unwrap().path())
		.map(|path| {
			(
				path.file_name().unwrap().to_string_lossy().into_owned(),
				std::fs::read(&path).unwrap(),
			)
		})
		.collect();
	files.sort();
	assert_eq!(files.len(), 27, "the generated codec files");
	files
}

/// The generator's 12-bit image (scripts/codec-testdata.py `ramp12`).
fn ramp12(x: u32, y: u32) -> u32 {
	if (20..36).contains(&x) && (24..40).contains(&y) {
		return 4000;
	}
	(x * 40 + y * 24).min(4095)
}

fn grid(value: impl Fn(u32, u32) -> f32) -> Vec<f32> {
	(0..SIDE).flat_map(|y| (0..SIDE).map(move |x| (x, y))).map(|(x, y)| value(x, y)).collect()
}

fn mono12() -> Vec<f32> {
	grid(|x, y| ramp12(x, y) as f32)
}

/// The BT.601 luma of the generator's RGB image (`colour`: 4x, 4y, 96).
fn rgb_luma() -> Vec<f32> {
	grid(|x, y| (299 * 4 * x + 587 * 4 * y + 114 * 96) as f32 / 1000.0)
}

fn max_difference(a: &[f32], b: &[f32]) -> f32 {
	assert_eq!(a.len(), b.len());
	a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
}

#[test]
fn every_lossless_grey_syntax_decodes_to_the_stored_image() {
	for name in [
		"mono16.dcm",
		"implicit-le.dcm",
		"big-endian.dcm",
		"deflated.dcm",
		"no-preamble.dcm",
		"rle.dcm",
		"jpeg-lossless.dcm",
		"jpeg-lossless-sv1.dcm",
		"jpeg-ls-lossless.dcm",
		"j2k-lossless.dcm",
	] {
		let image = decode(&file(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
		assert_eq!(
			(image.width, image.height, image.source.bits_stored),
			(SIDE, SIDE, 12),
			"{name}"
		);
		assert_eq!(image.source.colour, None, "{name}");
		assert!(
			image.pixels == mono12(),
			"{name}: differs by {}",
			max_difference(&image.pixels, &mono12())
		);
	}
}

#[test]
fn lossy_grey_syntaxes_decode_close_to_the_stored_image() {
	let mono8 = grid(|x, y| (ramp12(x, y) >> 4) as f32);
	// (file, reference, bound: the largest difference measured here (2, 2, 31), rounded up)
	for (name, reference, bound) in [
		("jpeg-baseline.dcm", &mono8, 2.0),
		// NEAR = 2: JPEG-LS bounds every sample's error by it.
		("jpeg-ls-near.dcm", &mono12(), 2.0),
		("j2k-lossy.dcm", &mono12(), 32.0),
	] {
		let image = decode(&file(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
		let difference = max_difference(&image.pixels, reference);
		eprintln!("{name}: largest difference {difference}");
		assert!(difference <= bound, "{name}: {difference} > {bound}");
		assert!(difference > 0.0 || name.contains("near"), "{name} is lossy");
	}
}

#[test]
fn twelve_bit_extended_jpeg_is_refused_naming_its_syntax() {
	assert_eq!(
		decode(&file("jpeg-extended-12bit.dcm")),
		Err(DecodeError::UnsupportedJpegPrecision {
			transfer_syntax: "1.2.840.10008.1.2.4.51".into(),
			precision: 12,
		})
	);
}

#[test]
fn colour_encodings_are_converted_to_luminance_and_recorded() {
	// (file, encoding, largest difference from the RGB image's luma)
	for (name, encoding, bound) in [
		("rgb.dcm", ColourEncoding::Rgb, 0.0),
		("rgb-planar.dcm", ColourEncoding::Rgb, 0.0),
		("rle-rgb.dcm", ColourEncoding::Rgb, 0.0),
		("jpeg-ls-rgb.dcm", ColourEncoding::Rgb, 0.0),
		("j2k-ybr-rct.dcm", ColourEncoding::YbrRct, 0.0),
		// Y rounded to 8 bits by the writer.
		("ybr-full.dcm", ColourEncoding::YbrFull, 0.5),
		("ybr-full-422.dcm", ColourEncoding::YbrFull422, 0.5),
		// Lossy (measured here: 1.59 and 1.00), chroma subsampled or quantized.
		("jpeg-baseline-ybr422.dcm", ColourEncoding::YbrFull422, 2.0),
		("j2k-ybr-ict.dcm", ColourEncoding::YbrIct, 1.5),
	] {
		let image = decode(&file(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
		assert_eq!(image.source.colour, Some(encoding), "{name}");
		assert_eq!(
			(image.source.photometric, image.source.bits_stored),
			(Photometric::Monochrome2, 8)
		);
		let difference = max_difference(&image.pixels, &rgb_luma());
		eprintln!("{name}: largest difference {difference}");
		assert!(difference <= bound, "{name}: {difference} > {bound}");
	}
}

#[test]
fn palette_colour_goes_through_its_lookup_tables() {
	let image = decode(&file("palette.dcm")).unwrap();
	assert_eq!(
		(image.source.colour, image.source.bits_stored),
		(Some(ColourEncoding::PaletteColor), 16)
	);
	let expected = grid(|x, y| {
		let index = ramp12(x, y) >> 4;
		(299 * index * 257 + 587 * (255 - index) * 257 + 114 * 128 * 257) as f32 / 1000.0
	});
	assert_eq!(image.pixels, expected);
}

#[test]
fn a_multi_frame_file_decodes_its_representative_frame_else_the_first() {
	// Frame k (1-based) holds the image plus k − 1; the file names frame 2.
	let plus_one: Vec<f32> = mono12().iter().map(|value| (value + 1.0).min(4095.0)).collect();
	assert_eq!(decode(&file("multiframe.dcm")).unwrap().pixels, plus_one);
	assert_eq!(decode(&file("multiframe-norep.dcm")).unwrap().pixels, mono12());
	// Representative Frame Number 4 of 3 frames.
	let mut bytes = file("multiframe.dcm");
	let tag = [0x28, 0x00, 0x10, 0x60, b'U', b'S', 2, 0];
	let at = bytes.windows(8).position(|window| window == tag).unwrap() + 8;
	bytes[at..at + 2].copy_from_slice(&4u16.to_le_bytes());
	assert_eq!(decode(&bytes), Err(DecodeError::NoSuchFrame { frame: 4, frames: 3 }));
}

/// `file` with its frame header's dimensions set to 65,535 × 65,535 (and a JPEG 2000 tile to
/// the whole image, so the tile count stays legal).
fn declaring_65535(name: &str) -> Vec<u8> {
	let mut bytes = file(name);
	let marker = |bytes: &[u8], codes: &[u8]| {
		bytes.windows(2).position(|pair| pair[0] == 0xFF && codes.contains(&pair[1])).unwrap()
	};
	if name.starts_with("j2k") {
		let siz = marker(&bytes, &[0x51]);
		for offset in [6, 10, 22, 26] {
			bytes[siz + offset..siz + offset + 4].copy_from_slice(&65_535u32.to_be_bytes());
		}
	} else {
		let sof = marker(&bytes, &[0xC0, 0xC1, 0xC3, 0xF7]);
		bytes[sof + 5..sof + 9].copy_from_slice(&[0xFF; 4]);
	}
	bytes
}

#[test]
fn every_compressed_codec_refuses_a_frame_declaring_65535_pixels_a_side() {
	for name in [
		"jpeg-baseline.dcm",
		"jpeg-baseline-ybr422.dcm",
		"jpeg-lossless.dcm",
		"jpeg-lossless-sv1.dcm",
		"jpeg-extended-12bit.dcm",
		"jpeg-ls-lossless.dcm",
		"jpeg-ls-near.dcm",
		"jpeg-ls-rgb.dcm",
		"j2k-lossless.dcm",
		"j2k-lossy.dcm",
		"j2k-ybr-rct.dcm",
		"j2k-ybr-ict.dcm",
	] {
		assert_eq!(
			decode(&declaring_65535(name)),
			Err(DecodeError::TooLarge { width: 65_535, height: 65_535 }),
			"{name}"
		);
	}
}

#[test]
fn a_grey_frame_under_colour_attributes_is_refused_before_decoding() {
	// The grey JPEG-LS file relabelled YBR_FULL_422 with 3 samples: its frame has 1 component.
	let mut bytes = file("jpeg-ls-lossless.dcm");
	let samples = [0x28, 0x00, 0x02, 0x00, b'U', b'S', 2, 0, 1, 0];
	let at = bytes.windows(10).position(|window| window == samples).unwrap();
	bytes[at + 8] = 3;
	let photometric = bytes.windows(12).position(|window| window == b"MONOCHROME2 ").unwrap();
	bytes[photometric..photometric + 12].copy_from_slice(b"YBR_FULL_422");
	assert_eq!(
		decode(&bytes),
		Err(DecodeError::FrameMismatch {
			codec: FrameCodec::JpegLs,
			width: SIDE,
			height: SIDE,
			components: 1,
			columns: SIDE,
			rows: SIDE,
			samples: 3,
		})
	);
}

#[test]
fn a_deflated_data_set_past_the_limit_is_refused() {
	let bytes = file("deflated.dcm");
	let scan = prescan::check_lengths(&bytes).unwrap();
	let from = scan.deflated_from.expect("a deflated data set");
	assert_eq!(
		deflate::inflate_dataset(&bytes, from, 1_000),
		Err(DecodeError::InflatedTooLarge { limit: 1_000 })
	);
	let inflated = deflate::inflate_dataset(&bytes, from, MAX_INFLATED).unwrap();
	assert_eq!(prescan::check_inflated(&inflated).unwrap().read_as, Some("1.2.840.10008.1.2.1"));
	// A stream cut short is malformed, not a shorter data set.
	let cut = &bytes[..bytes.len() - 40];
	assert!(matches!(
		deflate::inflate_dataset(cut, from, MAX_INFLATED),
		Err(DecodeError::Malformed { format: SourceFormat::Dicom, .. })
	));
}
