//! The decoded radiograph every later step works on, whatever file it came from.

/// A decoded grayscale radiograph.
///
/// Pixels are row-major `f32`, after the file's modality and VOI transforms and after
/// MONOCHROME1 inversion: larger values are always more radiopaque (brighter on a viewer).
/// Their range is the file's own (e.g. 0–255, 0–4095, Hounsfield-like); [`crate::preprocess`]
/// makes them comparable across equipment.
#[derive(Clone, Debug, PartialEq)]
pub struct Radiograph {
	/// Columns.
	pub width: u32,
	/// Rows.
	pub height: u32,
	/// `width × height` values, row-major, larger = more radiopaque.
	pub pixels: Vec<f32>,
	/// Where the pixels came from.
	pub source: SourceInfo,
}

impl Radiograph {
	/// Number of pixels, `width × height`.
	pub fn len(&self) -> usize {
		(self.width as usize).saturating_mul(self.height as usize)
	}

	/// Whether the image has no pixels.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The pixel at column `x`, row `y`, or `None` outside the image.
	pub fn get(&self, x: u32, y: u32) -> Option<f32> {
		if x >= self.width || y >= self.height {
			return None;
		}
		self.pixels.get(y as usize * self.width as usize + x as usize).copied()
	}
}

/// The file format a radiograph was decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
	/// DICOM Part 10 file.
	Dicom,
	/// PNG (8 or 16 bit grayscale, or colour converted to luma).
	Png,
	/// JPEG (baseline or progressive).
	Jpeg,
}

/// How the stored values map to brightness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Photometric {
	/// Larger stored values are brighter (DICOM MONOCHROME2; PNG/JPEG).
	Monochrome2,
	/// Larger stored values are darker (DICOM MONOCHROME1); inverted on decoding.
	Monochrome1,
}

/// Facts about the source file that preprocessing and reports may need. No patient data.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceInfo {
	/// File format.
	pub format: SourceFormat,
	/// Significant bits per stored sample (8 for PNG/JPEG 8-bit, up to 16).
	pub bits_stored: u16,
	/// Photometric interpretation of the stored values.
	pub photometric: Photometric,
	/// DICOM modality (`IO`, `PX`, `DX`, `CR`), `None` for PNG/JPEG.
	pub modality: Option<String>,
	/// The DICOM colour encoding the pixels were converted to luminance from
	/// ([`crate::decode::ColourEncoding`]); `None` for grayscale DICOM and for PNG/JPEG.
	pub colour: Option<crate::decode::ColourEncoding>,
}
