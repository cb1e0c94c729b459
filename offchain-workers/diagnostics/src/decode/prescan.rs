//! A bounds check of a DICOM file's element lengths, run before dicom-object parses it.
//!
//! dicom-parser reserves and zero-fills each value's buffer from the length in the element header
//! before it reads the value, so one corrupt length (a flipped high byte, a truncated file) makes
//! it allocate up to 4 GiB for a file of a few kilobytes. [`check_lengths`] walks the element
//! headers the way the parser will: the file meta group (explicit VR little endian, as long as its
//! group length says), then the data set in the transfer syntax the meta group names, into
//! sequences, items and pixel fragments. It rejects the file when a declared length runs past the
//! end of the input, so every buffer the parser allocates afterwards is bounded by the input size.
//! It decodes no values except the transfer syntax UID.
//!
//! The walk follows dicom-parser's reading, not a stricter one of its own, so that it accepts
//! every well-formed file the parser reads and checks the lengths the parser will use: an
//! undefined-length element other than pixel data is a sequence in the surrounding encoding
//! (UN included), undefined-length pixel data is a fragment sequence whatever its VR.
//!
//! A little-endian data set is probed as dicom-parser's adaptive decoder does: some writers put
//! an implicit-VR data set under a file meta group that names explicit VR little endian (or the
//! reverse), which pydicom and DCMTK read with a warning. [`Scan::read_as`] then names the
//! encoding the data set really has, and the decoder parses it that way.

use super::{malformed, DecodeError};
use crate::SourceFormat;
use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardDataDictionary;

/// Offset of the file meta group: 128-byte preamble and the `DICM` magic code.
const META_START: usize = 132;
/// The length value that means "undefined length, delimited".
const UNDEFINED: u32 = 0xFFFF_FFFF;
/// Sequences deeper than this are rejected: real radiographs nest two or three levels, and the
/// parser recurses once per level.
const MAX_DEPTH: usize = 16;

const ITEM: (u16, u16) = (0xFFFE, 0xE000);
const ITEM_DELIMITER: (u16, u16) = (0xFFFE, 0xE00D);
const SEQUENCE_DELIMITER: (u16, u16) = (0xFFFE, 0xE0DD);
const PIXEL_DATA: (u16, u16) = (0x7FE0, 0x0010);
const GROUP_LENGTH: (u16, u16) = (0x0002, 0x0000);
const TRANSFER_SYNTAX: (u16, u16) = (0x0002, 0x0010);

/// Transfer syntax UIDs whose encoding is not explicit VR little endian.
const IMPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2";
const EXPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2.1";
const EXPLICIT_VR_BIG_ENDIAN: &str = "1.2.840.10008.1.2.2";
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN: &str = "1.2.840.10008.1.2.1.99";

/// How the data set's element headers are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
	ExplicitLittle,
	ExplicitBig,
	ImplicitLittle,
}

impl Syntax {
	fn big_endian(self) -> bool {
		self == Syntax::ExplicitBig
	}

	/// The native transfer syntax of this encoding.
	fn native_uid(self) -> &'static str {
		match self {
			Syntax::ExplicitLittle => EXPLICIT_VR_LITTLE_ENDIAN,
			Syntax::ExplicitBig => EXPLICIT_VR_BIG_ENDIAN,
			Syntax::ImplicitLittle => IMPLICIT_VR_LITTLE_ENDIAN,
		}
	}
}

/// What the prescan found.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Scan {
	/// The transfer syntax UID the file meta group declares.
	pub transfer_syntax: String,
	/// The native transfer syntax to parse the data set with, when its VR encoding is not the
	/// declared one (or when it has been inflated); `None` when it is.
	pub read_as: Option<&'static str>,
	/// For a deflated data set, the offset where its compressed bytes start (nothing after the
	/// file meta group was checked: inflate them and call [`check_inflated`]).
	pub deflated_from: Option<usize>,
}

/// Where the file meta group starts: after the 128-byte preamble and `DICM`, or right after
/// `DICM` in a file written without the preamble.
pub(super) fn meta_start(bytes: &[u8]) -> usize {
	if bytes.starts_with(b"DICM") {
		4
	} else {
		META_START
	}
}

/// Checks that every element, item and fragment length in `bytes` (a DICOM Part 10 file, with
/// or without its preamble) fits in the input, and returns the transfer syntax of the data set.
///
/// A deflated data set is not walked: [`Scan::deflated_from`] says where it starts.
/// Errors: [`DecodeError::Malformed`], for a header or value running past the end or an
/// impossible structure (undefined length in the file meta group, misplaced delimiters, nesting
/// deeper than 16).
pub(super) fn check_lengths(bytes: &[u8]) -> Result<Scan, DecodeError> {
	let mut cursor = Cursor { bytes, pos: meta_start(bytes) };
	let transfer_syntax = walk_meta(&mut cursor)?;
	let declared = match transfer_syntax.as_str() {
		IMPLICIT_VR_LITTLE_ENDIAN => Syntax::ImplicitLittle,
		EXPLICIT_VR_BIG_ENDIAN => Syntax::ExplicitBig,
		DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN => {
			return Ok(Scan { transfer_syntax, read_as: None, deflated_from: Some(cursor.pos) })
		}
		_ => Syntax::ExplicitLittle,
	};
	let actual = probe(&cursor, declared);
	walk_dataset(&mut cursor, actual, Until::EndOfInput, 0)?;
	let read_as = (actual != declared).then(|| actual.native_uid());
	Ok(Scan { transfer_syntax, read_as, deflated_from: None })
}

/// [`check_lengths`] of a deflated file once its data set is inflated (the file meta group
/// unchanged, the data set explicit VR little endian as PS3.5 A.5 defines it), which is then
/// to be parsed as explicit VR little endian.
pub(super) fn check_inflated(bytes: &[u8]) -> Result<Scan, DecodeError> {
	let mut cursor = Cursor { bytes, pos: meta_start(bytes) };
	let transfer_syntax = walk_meta(&mut cursor)?;
	walk_dataset(&mut cursor, Syntax::ExplicitLittle, Until::EndOfInput, 0)?;
	Ok(Scan { transfer_syntax, read_as: Some(EXPLICIT_VR_LITTLE_ENDIAN), deflated_from: None })
}

/// The VR encoding of the data set at `cursor`, by its first element: the two bytes after its
/// tag are a VR code in explicit VR and the low half of a 32-bit length in implicit VR (which
/// cannot spell a VR code below 16,705 bytes). A declared explicit encoding is kept unless those
/// bytes are no VR code; a declared implicit one is kept unless they are one that the dictionary
/// allows for the tag (dicom-parser's adaptive decoder's test). Big endian is never probed.
fn probe(cursor: &Cursor<'_>, declared: Syntax) -> Syntax {
	let at = |offset: usize| cursor.bytes.get(cursor.pos + offset).copied();
	let (Some(g0), Some(g1), Some(e0), Some(e1), Some(v0), Some(v1)) =
		(at(0), at(1), at(2), at(3), at(4), at(5))
	else {
		return declared;
	};
	let tag = Tag(u16::from_le_bytes([g0, g1]), u16::from_le_bytes([e0, e1]));
	if tag.0 == 0xFFFE {
		return declared;
	}
	let vr = VR::from_binary([v0, v1]);
	match (declared, vr) {
		(Syntax::ExplicitLittle, None) => Syntax::ImplicitLittle,
		(Syntax::ImplicitLittle, Some(vr)) => {
			let allowed =
				StandardDataDictionary.by_tag(tag).is_none_or(|entry| vr_allowed(vr, entry.vr()));
			if allowed {
				Syntax::ExplicitLittle
			} else {
				Syntax::ImplicitLittle
			}
		}
		_ => declared,
	}
}

/// Whether an explicit `vr` fits the dictionary's (possibly context-dependent) VR.
fn vr_allowed(vr: VR, dictionary: VirtualVr) -> bool {
	match dictionary {
		VirtualVr::Exact(exact) => vr == exact,
		VirtualVr::Xs => matches!(vr, VR::US | VR::SS),
		VirtualVr::Ox | VirtualVr::Px => matches!(vr, VR::OB | VR::OW),
		VirtualVr::Lt => matches!(vr, VR::US | VR::OW),
		_ => false,
	}
}

/// A structural error in a DICOM file.
fn dicom_malformed(reason: impl ToString) -> DecodeError {
	malformed(SourceFormat::Dicom, reason)
}

/// A header or value that needs more bytes than the input has.
fn runs_past_end(offset: usize, needed: u64) -> DecodeError {
	dicom_malformed(format!(
		"a length at byte {offset} needs {needed} bytes past the end of the input"
	))
}

/// A read position in the input.
struct Cursor<'a> {
	bytes: &'a [u8],
	pos: usize,
}

impl<'a> Cursor<'a> {
	fn remaining(&self) -> usize {
		self.bytes.len().saturating_sub(self.pos)
	}

	fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
		let end = self.pos.checked_add(n).ok_or_else(|| runs_past_end(self.pos, n as u64))?;
		let slice =
			self.bytes.get(self.pos..end).ok_or_else(|| runs_past_end(self.pos, n as u64))?;
		self.pos = end;
		Ok(slice)
	}

	fn u16(&mut self, big_endian: bool) -> Result<u16, DecodeError> {
		let mut raw = [0u8; 2];
		raw.copy_from_slice(self.take(2)?);
		Ok(if big_endian { u16::from_be_bytes(raw) } else { u16::from_le_bytes(raw) })
	}

	fn u32(&mut self, big_endian: bool) -> Result<u32, DecodeError> {
		let mut raw = [0u8; 4];
		raw.copy_from_slice(self.take(4)?);
		Ok(if big_endian { u32::from_be_bytes(raw) } else { u32::from_le_bytes(raw) })
	}

	/// Skips a value of `len` bytes, which must lie inside the input.
	fn skip(&mut self, len: u32) -> Result<(), DecodeError> {
		self.take(len as usize).map(|_| ())
	}
}

/// An element (or item, or delimiter) header.
struct Header {
	tag: (u16, u16),
	/// `None` for items and delimiters and in implicit VR.
	vr: Option<VR>,
	len: u32,
}

/// Reads one header. Items and delimiters (group `FFFE`) have no VR in any syntax; explicit VRs
/// of the long form (OB, OW, SQ, UN, UT, …, and unknown codes, which the parser reads as UN) have
/// two reserved bytes and a 32-bit length, the others a 16-bit length.
fn read_header(cursor: &mut Cursor<'_>, syntax: Syntax) -> Result<Header, DecodeError> {
	let big = syntax.big_endian();
	let tag = (cursor.u16(big)?, cursor.u16(big)?);
	if tag.0 == 0xFFFE || syntax == Syntax::ImplicitLittle {
		return Ok(Header { tag, vr: None, len: cursor.u32(big)? });
	}
	let vr = match cursor.take(2)? {
		[first, second] => VR::from_binary([*first, *second]),
		_ => None,
	}
	.unwrap_or(VR::UN);
	let len = if has_long_length(vr) {
		cursor.skip(2)?;
		cursor.u32(big)?
	} else {
		u32::from(cursor.u16(big)?)
	};
	Ok(Header { tag, vr: Some(vr), len })
}

/// Whether an explicit VR uses the 32-bit length form (PS3.5 7.1.2).
fn has_long_length(vr: VR) -> bool {
	matches!(
		vr,
		VR::OB
			| VR::OD | VR::OF
			| VR::OL | VR::OV
			| VR::OW | VR::SQ
			| VR::SV | VR::UC
			| VR::UN | VR::UR
			| VR::UT | VR::UV
	)
}

/// Walks the file meta group: a group length element first, then elements until that many
/// bytes are consumed (as dicom-object reads it). Returns the transfer syntax UID.
fn walk_meta(cursor: &mut Cursor<'_>) -> Result<String, DecodeError> {
	let first = read_header(cursor, Syntax::ExplicitLittle)?;
	if first.tag != GROUP_LENGTH || first.len != 4 {
		return Err(dicom_malformed("the file meta group does not start with its group length"));
	}
	let group_length = cursor.u32(false)? as usize;
	let start = cursor.pos;
	let mut transfer_syntax = None;
	while cursor.pos.saturating_sub(start) < group_length {
		let header = read_header(cursor, Syntax::ExplicitLittle)?;
		if header.len == UNDEFINED {
			return Err(dicom_malformed("undefined length in the file meta group"));
		}
		let value = cursor.take(header.len as usize)?;
		if header.tag == TRANSFER_SYNTAX {
			let text = String::from_utf8_lossy(value);
			transfer_syntax = Some(text.trim_end_matches(['\0', ' ']).to_string());
		}
	}
	transfer_syntax.ok_or_else(|| dicom_malformed("no TransferSyntaxUID in the file meta group"))
}

/// Where a run of elements ends.
#[derive(Clone, Copy)]
enum Until {
	/// The top-level data set: the end of the input.
	EndOfInput,
	/// A defined-length item: this offset, exactly.
	Offset(usize),
	/// An undefined-length item: an item delimiter.
	ItemDelimiter,
}

/// Walks the elements of a data set or item.
fn walk_dataset(
	cursor: &mut Cursor<'_>,
	syntax: Syntax,
	until: Until,
	depth: usize,
) -> Result<(), DecodeError> {
	loop {
		match until {
			Until::EndOfInput if cursor.remaining() == 0 => return Ok(()),
			Until::Offset(end) if cursor.pos == end => return Ok(()),
			Until::Offset(end) if cursor.pos > end => {
				return Err(dicom_malformed("an element overruns its item"))
			}
			_ => {}
		}
		let header = read_header(cursor, syntax)?;
		if header.tag == ITEM_DELIMITER && matches!(until, Until::ItemDelimiter) {
			return Ok(());
		}
		if header.tag.0 == 0xFFFE {
			return Err(dicom_malformed(format!(
				"unexpected item or delimiter tag ({:04X},{:04X}) in a data set",
				header.tag.0, header.tag.1
			)));
		}
		walk_value(cursor, syntax, &header, depth)?;
	}
}

/// Walks (or skips) the value of one element whose header was just read, as dicom-parser reads
/// it: undefined-length pixel data is a fragment sequence (any VR, implicit VR included), any
/// other undefined length a sequence of items in the same encoding (dicom-parser reads even an
/// undefined-length UN so, not as implicit VR).
fn walk_value(
	cursor: &mut Cursor<'_>,
	syntax: Syntax,
	header: &Header,
	depth: usize,
) -> Result<(), DecodeError> {
	if header.len == UNDEFINED {
		return if header.tag == PIXEL_DATA {
			walk_fragments(cursor, syntax)
		} else {
			walk_items(cursor, syntax, None, depth + 1)
		};
	}
	if header.len as usize > cursor.remaining() {
		return Err(runs_past_end(cursor.pos, u64::from(header.len)));
	}
	let is_sequence = match header.vr {
		Some(vr) => vr == VR::SQ,
		None => dictionary_says_sequence(header.tag),
	};
	if is_sequence {
		let end = cursor.pos.saturating_add(header.len as usize);
		walk_items(cursor, syntax, Some(end), depth + 1)
	} else {
		cursor.skip(header.len)
	}
}

/// Whether the standard dictionary declares `tag` a sequence (how the parser decides in
/// implicit VR).
fn dictionary_says_sequence(tag: (u16, u16)) -> bool {
	StandardDataDictionary
		.by_tag(Tag(tag.0, tag.1))
		.is_some_and(|entry| entry.vr() == VirtualVr::Exact(VR::SQ))
}

/// Walks the items of a sequence, up to `end` for a defined length or to the sequence delimiter.
fn walk_items(
	cursor: &mut Cursor<'_>,
	syntax: Syntax,
	end: Option<usize>,
	depth: usize,
) -> Result<(), DecodeError> {
	if depth > MAX_DEPTH {
		return Err(dicom_malformed(format!("sequences nested deeper than {MAX_DEPTH}")));
	}
	loop {
		match end {
			Some(end) if cursor.pos == end => return Ok(()),
			Some(end) if cursor.pos > end => {
				return Err(dicom_malformed("an item overruns its sequence"))
			}
			_ => {}
		}
		let header = read_header(cursor, syntax)?;
		match header.tag {
			SEQUENCE_DELIMITER if end.is_none() => return Ok(()),
			ITEM if header.len == UNDEFINED => {
				walk_dataset(cursor, syntax, Until::ItemDelimiter, depth)?
			}
			ITEM => {
				if header.len as usize > cursor.remaining() {
					return Err(runs_past_end(cursor.pos, u64::from(header.len)));
				}
				let item_end = cursor.pos.saturating_add(header.len as usize);
				walk_dataset(cursor, syntax, Until::Offset(item_end), depth)?;
			}
			(group, element) => {
				return Err(dicom_malformed(format!(
					"expected an item in a sequence, found ({group:04X},{element:04X})"
				)))
			}
		}
	}
}

/// Walks the fragments of encapsulated pixel data: defined-length items up to the sequence
/// delimiter.
fn walk_fragments(cursor: &mut Cursor<'_>, syntax: Syntax) -> Result<(), DecodeError> {
	loop {
		let header = read_header(cursor, syntax)?;
		match header.tag {
			SEQUENCE_DELIMITER => return Ok(()),
			ITEM if header.len != UNDEFINED => cursor.skip(header.len)?,
			(group, element) => {
				return Err(dicom_malformed(format!(
					"expected a pixel data fragment, found ({group:04X},{element:04X})"
				)))
			}
		}
	}
}
