//! PNG and JPEG files (the `image` crate), converted to luma.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use super::{check_dimensions, frame, guarded, malformed, DecodeError};
use crate::{Photometric, Radiograph, SourceFormat, SourceInfo};

/// Decodes a PNG or JPEG to luma (8 or 16 bit). A JPEG's frame header is read first (by
/// [`frame::frame_header`], which allocates nothing) and a PNG's by the `image` crate, so an
/// image declared larger than [`super::MAX_DIMENSION`] is refused before a decoder runs.
pub fn decode_raster(bytes: &[u8], format: SourceFormat) -> Result<Radiograph, DecodeError> {
	let image_format = match format {
		SourceFormat::Png => ImageFormat::Png,
		SourceFormat::Jpeg => ImageFormat::Jpeg,
		SourceFormat::Dicom => return Err(DecodeError::UnknownFormat),
	};
	if format == SourceFormat::Jpeg {
		check_jpeg_header(bytes)?;
	}
	let reader = || ImageReader::with_format(Cursor::new(bytes), image_format);
	let (width, height) = reader().into_dimensions().map_err(|error| malformed(format, error))?;
	check_dimensions(width, height)?;
	let image = guarded(format, || reader().decode())?.map_err(|error| malformed(format, error))?;
	let (bits_stored, pixels) = luma_values(image);
	Ok(Radiograph {
		width,
		height,
		pixels,
		source: SourceInfo {
			format,
			bits_stored,
			photometric: Photometric::Monochrome2,
			modality: None,
			colour: None,
		},
	})
}

/// The frame header of a bare JPEG: a JPEG (not JPEG-LS) frame of at most four components
/// within the pixel limit.
fn check_jpeg_header(bytes: &[u8]) -> Result<(), DecodeError> {
	let header =
		frame::frame_header(&[bytes]).map_err(|error| malformed(SourceFormat::Jpeg, error))?;
	check_dimensions(header.width, header.height)?;
	if header.codec != frame::FrameCodec::Jpeg {
		return Err(malformed(SourceFormat::Jpeg, format!("a {:?} file", header.codec)));
	}
	if !(1..=4).contains(&header.components) {
		return Err(malformed(
			SourceFormat::Jpeg,
			format!("{} components (1 to 4 are read)", header.components),
		));
	}
	Ok(())
}

/// The image as 8- or 16-bit luma values, each intermediate buffer freed before the next
/// full-size one is allocated where the conversion allows.
fn luma_values(image: DynamicImage) -> (u16, Vec<f32>) {
	match image {
		DynamicImage::ImageLuma8(gray) => (8, widen(gray.into_raw())),
		DynamicImage::ImageLuma16(gray) => (16, widen(gray.into_raw())),
		other if is_sixteen_bit(&other) => {
			let gray = other.to_luma16();
			drop(other);
			(16, widen(gray.into_raw()))
		}
		other => {
			let gray = other.to_luma8();
			drop(other);
			(8, widen(gray.into_raw()))
		}
	}
}

fn widen<T: Into<f32>>(values: Vec<T>) -> Vec<f32> {
	values.into_iter().map(Into::into).collect()
}

fn is_sixteen_bit(image: &DynamicImage) -> bool {
	matches!(
		image,
		DynamicImage::ImageLumaA16(_) | DynamicImage::ImageRgb16(_) | DynamicImage::ImageRgba16(_)
	)
}
