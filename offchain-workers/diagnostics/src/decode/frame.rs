//! The header of a compressed frame — JPEG's SOF, JPEG-LS's SOF55, JPEG 2000's SIZ — read
//! without decoding anything, so the dimensions a frame declares can be checked before a
//! decoder allocates for them (a file of a few hundred bytes may declare 65,535 × 65,535).
//!
//! [`frame_header`] walks the markers (or, for the JP2 file format, the boxes) up to the frame
//! header, across the fragments of an encapsulated DICOM frame without copying them, and
//! allocates nothing.

/// A codec whose frames carry their own dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameCodec {
	/// ISO 10918 JPEG: baseline, extended, progressive, lossless (SOF0–SOF15).
	Jpeg,
	/// ISO 14495 JPEG-LS (SOF55).
	JpegLs,
	/// ISO 15444 JPEG 2000 and High-Throughput JPEG 2000 (SIZ), as a codestream or a JP2 file.
	Jpeg2000,
}

/// What a frame header declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
	/// The codec of the header found.
	pub codec: FrameCodec,
	/// Columns.
	pub width: u32,
	/// Rows.
	pub height: u32,
	/// Components (samples per pixel).
	pub components: u16,
	/// Bits per sample (of the first component, for JPEG 2000).
	pub precision: u8,
	/// Whether it is a DCT-based JPEG frame (baseline, extended, progressive; not lossless
	/// JPEG, JPEG-LS or JPEG 2000).
	pub dct: bool,
}

/// Why no frame header was read.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameHeaderError {
	/// Neither a JPEG marker stream nor a JPEG 2000 codestream or JP2 file.
	#[error("the frame is neither a JPEG (SOI), JPEG 2000 codestream (SOC) nor JP2 file")]
	Unrecognised,
	/// The bytes end before the frame header does.
	#[error("the {0} frame ends before its frame header")]
	Truncated(&'static str),
	/// The structure up to the header, or the header itself, is impossible.
	#[error("malformed {0} frame: {1}")]
	Malformed(&'static str, &'static str),
}

/// The codec the frames of a DICOM transfer syntax (by UID) are encoded with, if it is one
/// whose frames carry a header [`frame_header`] reads.
pub fn codec_of(transfer_syntax: &str) -> Option<FrameCodec> {
	let process: u32 = transfer_syntax.strip_prefix("1.2.840.10008.1.2.4.")?.parse().ok()?;
	match process {
		// Baseline, extended, the retired processes, lossless (.57) and its SV1 (.70).
		50..=66 | 70 => Some(FrameCodec::Jpeg),
		80 | 81 => Some(FrameCodec::JpegLs),
		// JPEG 2000 Part 1 and 2, and High-Throughput JPEG 2000.
		90..=93 | 201..=203 => Some(FrameCodec::Jpeg2000),
		_ => None,
	}
}

/// Reads the frame header at the start of `parts` (one file, or an encapsulated frame's
/// fragments in order).
pub fn frame_header<T: AsRef<[u8]>>(parts: &[T]) -> Result<FrameHeader, FrameHeaderError> {
	let mut reader = Reader { parts, part: 0, pos: 0 };
	match (reader.byte(), reader.byte()) {
		(Some(0xFF), Some(0xD8)) => jpeg_header(&mut reader),
		(Some(0xFF), Some(0x4F)) => j2k_size(&mut reader),
		(Some(0x00), Some(0x00)) => {
			let mut reader = Reader { parts, part: 0, pos: 0 };
			jp2_codestream(&mut reader)?;
			j2k_size(&mut reader)
		}
		_ => Err(FrameHeaderError::Unrecognised),
	}
}

const JPEG: &str = "JPEG";
const J2K: &str = "JPEG 2000";

/// Walks JPEG markers after SOI to the first frame header: SOF0–SOF15 (not DHT, JPG, DAC),
/// DHP (hierarchical) or SOF55 (JPEG-LS). Bytes between segments that are not a marker are
/// skipped, as libjpeg does.
fn jpeg_header<T: AsRef<[u8]>>(
	reader: &mut Reader<'_, T>,
) -> Result<FrameHeader, FrameHeaderError> {
	let truncated = FrameHeaderError::Truncated(JPEG);
	loop {
		let mut code = reader.byte().ok_or(truncated.clone())?;
		while code != 0xFF {
			code = reader.byte().ok_or(truncated.clone())?;
		}
		while code == 0xFF {
			code = reader.byte().ok_or(truncated.clone())?;
		}
		match code {
			// TEM and RST0–7 stand alone; 0x00 is a stuffed byte.
			0x00 | 0x01 | 0xD0..=0xD7 => continue,
			0xD8 | 0xD9 | 0xDA => {
				return Err(FrameHeaderError::Malformed(JPEG, "no frame header before the scan"))
			}
			_ => {}
		}
		let length = reader.u16().ok_or(truncated.clone())?;
		if length < 2 {
			return Err(FrameHeaderError::Malformed(JPEG, "a segment shorter than its length"));
		}
		let codec = match code {
			0xC4 | 0xC8 | 0xCC => None,
			0xC0..=0xCF | 0xDE => Some(FrameCodec::Jpeg),
			0xF7 => Some(FrameCodec::JpegLs),
			_ => None,
		};
		let Some(codec) = codec else {
			reader.skip(u64::from(length) - 2).ok_or(truncated.clone())?;
			continue;
		};
		let precision = reader.byte().ok_or(truncated.clone())?;
		let height = reader.u16().ok_or(truncated.clone())?;
		let width = reader.u16().ok_or(truncated.clone())?;
		let components = reader.byte().ok_or(truncated)?;
		if height == 0 || width == 0 {
			// Zero height defers it to a DNL marker after the first scan (or, in JPEG-LS, to an
			// LSE segment); the decoders here do not support either.
			return Err(FrameHeaderError::Malformed(JPEG, "a dimension left to a later marker"));
		}
		return Ok(FrameHeader {
			codec,
			width: u32::from(width),
			height: u32::from(height),
			components: u16::from(components),
			precision,
			// SOF3, 7, 11 and 15 are the lossless processes.
			dct: codec == FrameCodec::Jpeg && !matches!(code, 0xC3 | 0xC7 | 0xCB | 0xCF),
		});
	}
}

/// Walks the boxes of a JP2 file to the contiguous codestream box (`jp2c`) and past the
/// codestream's SOC marker.
fn jp2_codestream<T: AsRef<[u8]>>(reader: &mut Reader<'_, T>) -> Result<(), FrameHeaderError> {
	let truncated = FrameHeaderError::Truncated(J2K);
	let mut first = true;
	loop {
		let length = u64::from(reader.u32().ok_or(truncated.clone())?);
		let kind = reader.u32().ok_or(truncated.clone())?;
		if first && kind != u32::from_be_bytes(*b"jP  ") {
			return Err(FrameHeaderError::Unrecognised);
		}
		first = false;
		let (length, header) = match length {
			1 => (reader.u64().ok_or(truncated.clone())?, 16),
			length => (length, 8),
		};
		if kind == u32::from_be_bytes(*b"jp2c") {
			return match reader.u16() {
				Some(0xFF4F) => Ok(()),
				Some(_) => Err(FrameHeaderError::Malformed(J2K, "the codestream box has no SOC")),
				None => Err(truncated),
			};
		}
		// Length 0: the box runs to the end of the file, so no codestream follows it.
		if length < header {
			return Err(FrameHeaderError::Malformed(J2K, "a box shorter than its header"));
		}
		reader.skip(length - header).ok_or(truncated.clone())?;
	}
}

/// Reads the SIZ segment that must follow SOC: image and tile geometry, components.
fn j2k_size<T: AsRef<[u8]>>(reader: &mut Reader<'_, T>) -> Result<FrameHeader, FrameHeaderError> {
	let truncated = FrameHeaderError::Truncated(J2K);
	let malformed = |reason| FrameHeaderError::Malformed(J2K, reason);
	if reader.u16().ok_or(truncated.clone())? != 0xFF51 {
		return Err(malformed("the codestream does not start with SIZ"));
	}
	// Lsiz, Rsiz.
	reader.skip(4).ok_or(truncated.clone())?;
	let mut geometry = [0u32; 8];
	for value in &mut geometry {
		*value = reader.u32().ok_or(truncated.clone())?;
	}
	let [x_size, y_size, x_offset, y_offset, x_tile, y_tile, x_tile_offset, y_tile_offset] =
		geometry;
	let components = reader.u16().ok_or(truncated.clone())?;
	let depth = reader.byte().ok_or(truncated.clone())?;
	let subsampling = (reader.byte().ok_or(truncated.clone())?, reader.byte().ok_or(truncated)?);
	let (Some(width), Some(height)) = (x_size.checked_sub(x_offset), y_size.checked_sub(y_offset))
	else {
		return Err(malformed("an image offset past the image"));
	};
	if components == 0 || subsampling.0 == 0 || subsampling.1 == 0 {
		return Err(malformed("no components, or a zero subsampling"));
	}
	if x_tile == 0 || y_tile == 0 || x_tile_offset > x_offset || y_tile_offset > y_offset {
		return Err(malformed("impossible tile geometry"));
	}
	// At most 65,535 tiles (Isot is 16 bits); tiny tiles over a large image are a bomb of
	// their own in a decoder's per-tile bookkeeping.
	let tiles =
		|size: u32, offset: u32, tile: u32| u64::from(size - offset).div_ceil(u64::from(tile));
	let count = tiles(x_size, x_tile_offset, x_tile) * tiles(y_size, y_tile_offset, y_tile);
	if count > 65_535 {
		return Err(malformed("more than 65,535 tiles"));
	}
	Ok(FrameHeader {
		codec: FrameCodec::Jpeg2000,
		width,
		height,
		components,
		precision: (depth & 0x7F) + 1,
		dct: false,
	})
}

/// A big-endian read position over parts read one after the other.
struct Reader<'a, T> {
	parts: &'a [T],
	part: usize,
	pos: usize,
}

impl<T: AsRef<[u8]>> Reader<'_, T> {
	fn byte(&mut self) -> Option<u8> {
		loop {
			let part = self.parts.get(self.part)?.as_ref();
			if let Some(byte) = part.get(self.pos) {
				self.pos += 1;
				return Some(*byte);
			}
			self.part += 1;
			self.pos = 0;
		}
	}

	fn u16(&mut self) -> Option<u16> {
		Some(u16::from_be_bytes([self.byte()?, self.byte()?]))
	}

	fn u32(&mut self) -> Option<u32> {
		Some(u32::from_be_bytes([self.byte()?, self.byte()?, self.byte()?, self.byte()?]))
	}

	fn u64(&mut self) -> Option<u64> {
		Some((u64::from(self.u32()?) << 32) | u64::from(self.u32()?))
	}

	/// Skips `count` bytes; `None` if fewer are left.
	fn skip(&mut self, mut count: u64) -> Option<()> {
		while count > 0 {
			let part = self.parts.get(self.part)?.as_ref();
			let left = part.len().saturating_sub(self.pos) as u64;
			if left >= count {
				self.pos += count as usize;
				return Some(());
			}
			count -= left;
			self.part += 1;
			self.pos = 0;
		}
		Some(())
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;
	use crate::encode::encode_jpeg;

	/// A SIZ segment after SOC: `width × height` at offset 0, one tile, `components`.
	fn j2k(width: u32, height: u32, tile: u32, components: u16) -> Vec<u8> {
		let mut bytes = vec![0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
		for value in [width, height, 0, 0, tile, tile, 0, 0] {
			bytes.extend(value.to_be_bytes());
		}
		bytes.extend(components.to_be_bytes());
		for _ in 0..components {
			bytes.extend([0x0F, 0x01, 0x01]);
		}
		bytes
	}

	#[test]
	fn a_jpeg_header_is_read_across_fragments() {
		let gray = vec![128u8; 24 * 10];
		let jpeg = encode_jpeg(&gray, 24, 10, 90).unwrap();
		let expected = FrameHeader {
			codec: FrameCodec::Jpeg,
			width: 24,
			height: 10,
			components: 1,
			precision: 8,
			dct: true,
		};
		assert_eq!(frame_header(&[&jpeg]), Ok(expected));
		// Split into 3-byte fragments: every field straddles a boundary somewhere.
		let fragments: Vec<Vec<u8>> = jpeg.chunks(3).map(<[u8]>::to_vec).collect();
		assert_eq!(frame_header(&fragments), Ok(expected));
		let sof = jpeg.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
		assert_eq!(frame_header(&[&jpeg[..sof + 5]]), Err(FrameHeaderError::Truncated(JPEG)));
	}

	#[test]
	fn jpeg_ls_and_jpeg_2000_headers_are_read() {
		let jpeg_ls = [0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 0x10, 0x01, 0x00, 0x02, 0x00, 0x01];
		assert_eq!(
			frame_header(&[&jpeg_ls[..]]),
			Ok(FrameHeader {
				codec: FrameCodec::JpegLs,
				width: 512,
				height: 256,
				components: 1,
				precision: 16,
				dct: false,
			})
		);
		let codestream = j2k(65_535, 65_535, 65_535, 1);
		let header = frame_header(&[&codestream]).unwrap();
		assert_eq!(
			(header.codec, header.width, header.height),
			(FrameCodec::Jpeg2000, 65_535, 65_535)
		);
		assert_eq!(header.precision, 16);
		// The same codestream in a JP2 file: signature, file type, then the codestream box.
		let mut jp2 = vec![0, 0, 0, 12];
		jp2.extend(b"jP  \r\n\x87\n");
		jp2.extend([0, 0, 0, 20]);
		jp2.extend(b"ftypjp2 \0\0\0\0jp2 ");
		jp2.extend([0, 0, 0, 0]);
		jp2.extend(b"jp2c");
		jp2.extend(&codestream);
		assert_eq!(frame_header(&[&jp2]), Ok(header));
	}

	#[test]
	fn impossible_headers_are_named() {
		assert_eq!(frame_header(&[b"RLE!"]), Err(FrameHeaderError::Unrecognised));
		assert_eq!(
			frame_header(&[&j2k(8192, 8192, 1, 1)]),
			Err(FrameHeaderError::Malformed(J2K, "more than 65,535 tiles"))
		);
		assert_eq!(
			frame_header(&[&[0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02][..]]),
			Err(FrameHeaderError::Malformed(JPEG, "no frame header before the scan"))
		);
		let dnl = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x00, 0x00, 0x10, 0x01];
		assert_eq!(
			frame_header(&[&dnl[..]]),
			Err(FrameHeaderError::Malformed(JPEG, "a dimension left to a later marker"))
		);
	}

	#[test]
	fn transfer_syntaxes_name_their_frame_codec() {
		assert_eq!(codec_of("1.2.840.10008.1.2.4.50"), Some(FrameCodec::Jpeg));
		assert_eq!(codec_of("1.2.840.10008.1.2.4.70"), Some(FrameCodec::Jpeg));
		assert_eq!(codec_of("1.2.840.10008.1.2.4.80"), Some(FrameCodec::JpegLs));
		assert_eq!(codec_of("1.2.840.10008.1.2.4.90"), Some(FrameCodec::Jpeg2000));
		assert_eq!(codec_of("1.2.840.10008.1.2.4.201"), Some(FrameCodec::Jpeg2000));
		assert_eq!(codec_of("1.2.840.10008.1.2.5"), None, "RLE has no frame header");
		assert_eq!(codec_of("1.2.840.10008.1.2.4.100"), None, "MPEG-2 is video");
		assert_eq!(codec_of("1.2.840.10008.1.2.1"), None);
	}
}
