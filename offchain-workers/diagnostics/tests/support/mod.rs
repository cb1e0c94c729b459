//! Test helpers shared by the crate's unit tests (`src/decode/tests.rs`, through `#[path]`) and
//! its integration tests (`tests/memory.rs`): plain byte edits, so they need neither side's
//! imports.

#![allow(clippy::indexing_slicing, clippy::panic)]

/// `jpeg` (a baseline JPEG) with its SOF0 declaring `width × height` instead.
pub fn sof_declaring(mut jpeg: Vec<u8>, width: u16, height: u16) -> Vec<u8> {
	let Some(sof) = jpeg.windows(2).position(|pair| pair == [0xFF, 0xC0]) else {
		panic!("not a baseline JPEG");
	};
	let Some(dimensions) = jpeg.get_mut(sof + 5..sof + 9) else {
		panic!("a SOF0 cut short");
	};
	dimensions[..2].copy_from_slice(&height.to_be_bytes());
	dimensions[2..].copy_from_slice(&width.to_be_bytes());
	jpeg
}
