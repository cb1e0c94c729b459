//! The memory one diagnosis takes: the bound an operator plans with (`docs/worker.md`) and
//! `tests/memory.rs` checks with a counting allocator on the largest accepted image.
//!
//! Peak heap of one task, from the fetched bytes to the report files (decode, quality,
//! preprocessing, inference, FHIR report and overlay PNG), beyond the input bytes themselves
//! and the loaded model, is at most
//!
//! `PEAK_BYTES_PER_PIXEL × pixels + PEAK_FIXED_BYTES`,
//!
//! with `pixels ≤ MAX_PIXELS` (8,192², 64 Mi): 736 MiB for the largest image, about 64 MiB
//! for a 2,000 × 1,500 intra-oral one. What is held at each step's peak, in bytes per pixel:
//!
//! | step | held at its peak |
//! |---|---|
//! | decode, DICOM | the parsed pixel data (≤ 2), the decoded frame (≤ 2), the `f32` values (4) |
//! | decode, PNG/JPEG | the decoded image (≤ 8, 16-bit RGBA) and its luma (≤ 2); then the luma and the `f32` values (6) |
//! | quality, preprocessing | the `f32` image (4) and one scratch copy for the percentiles (4) |
//! | overlay | the `f32` image (4), the RGB image (3), the PNG encoder's copy and output (≤ 3) |
//!
//! `tests/memory.rs` measures 10.0 bytes per pixel at 8,192² for a 12-bit DICOM, a 16-bit PNG,
//! a JPEG and every compressed DICOM syntax (deflated, RLE, JPEG lossless, JPEG-LS, JPEG 2000;
//! a deflated data set's inflated bytes are freed once parsed), and at 4,096² for a 16-bit
//! RGBA PNG (the overlay is the peak of each). Everything
//! else (the 512-px quality copy, the 128-px network input and its activations, the resize's
//! intermediate rows, lookup tables) is in the fixed part. Percentiles are found by selection
//! in that one scratch copy, never by sorting a copy per percentile, and preprocessing and the
//! overlay read the image in place (orientation, window and attention map applied per pixel).

use crate::decode::MAX_PIXELS;

/// Heap bytes per pixel of the image at the peak of a diagnosis (see the module table).
pub const PEAK_BYTES_PER_PIXEL: u64 = 11;

/// Heap bytes of a diagnosis that do not grow with the image.
pub const PEAK_FIXED_BYTES: u64 = 32 << 20;

/// The bound on the peak heap of diagnosing an image of `pixels` pixels, beyond its input
/// bytes and the loaded model.
pub fn peak_bytes(pixels: u64) -> u64 {
	PEAK_BYTES_PER_PIXEL.saturating_mul(pixels).saturating_add(PEAK_FIXED_BYTES)
}

/// The bound for the largest accepted image ([`MAX_PIXELS`]) with an input of `input_bytes`
/// held during its decoding: what one task needs at most.
pub fn largest_task_bytes(input_bytes: u64) -> u64 {
	peak_bytes(MAX_PIXELS).saturating_add(input_bytes)
}
