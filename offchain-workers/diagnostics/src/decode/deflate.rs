//! Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99): the data set after the file
//! meta group is one raw deflate stream (RFC 1951, PS3.5 A.5).
//!
//! A deflate stream may expand a thousandfold, so it is inflated here, into a buffer that may
//! not grow past [`MAX_INFLATED`], before the length prescan and dicom-object see the plain
//! data set, whose bytes count in the memory bound of [`crate::memory`].

use std::io::Read;

use super::{malformed, DecodeError, MAX_PIXELS};
use crate::SourceFormat;

/// Largest inflated data set accepted: the native pixel data of the largest accepted image at
/// 16 bits (2 × [`MAX_PIXELS`] bytes) and 1 MiB of other attributes.
pub const MAX_INFLATED: u64 = 2 * MAX_PIXELS + (1 << 20);

/// `bytes` with the deflated data set from `from` on replaced by its inflated form, refused
/// once the inflated data set would pass `limit` bytes.
///
/// Inflates twice: once to count the bytes (allocating nothing for them), then into a buffer
/// of exactly that size, so a bomb is refused without its output being held anywhere.
pub(super) fn inflate_dataset(
	bytes: &[u8],
	from: usize,
	limit: u64,
) -> Result<Vec<u8>, DecodeError> {
	let (meta, deflated) = bytes
		.split_at_checked(from)
		.ok_or_else(|| malformed(SourceFormat::Dicom, "the file meta group runs past the input"))?;
	let failed = |error: std::io::Error| {
		malformed(SourceFormat::Dicom, format!("the deflated data set: {error}"))
	};
	let inflate = || flate2::read::DeflateDecoder::new(deflated).take(limit.saturating_add(1));
	let size = std::io::copy(&mut inflate(), &mut std::io::sink()).map_err(failed)?;
	if size > limit {
		return Err(DecodeError::InflatedTooLarge { limit });
	}
	let mut out = Vec::with_capacity(meta.len() + size as usize);
	out.extend_from_slice(meta);
	inflate().read_to_end(&mut out).map_err(failed)?;
	Ok(out)
}
