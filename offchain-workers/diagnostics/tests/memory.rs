//! Memory: a diagnosis of the largest accepted image stays within `btt_diagnostics::memory`'s
//! bound, and decompression bombs are refused without allocating for what they declare.
//!
//! A counting global allocator measures every heap byte of this process (all threads, rayon's
//! included), so the tests here run one at a time ([`serial`]) and each measures only the
//! closure it passes to [`peak_of`]. `ulimit -v` would not do: candle's thread pool and glibc's
//! per-thread arenas reserve gigabytes of address space they never touch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::{
	alloc::{GlobalAlloc, Layout, System},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Mutex, MutexGuard,
	},
};

use btt_diagnostics::{
	decode::{decode, DecodeError, MAX_DIMENSION, MAX_INFLATED},
	encode::{encode_dicom, encode_dicom_frame, encode_jpeg, encode_png, DicomWriteOptions},
	inference::Diagnostician,
	memory::{peak_bytes, PEAK_BYTES_PER_PIXEL},
	report::{attention_overlay, fhir_report, ReportContext},
};
use btt_primitives::depin::DiagnosticModule;

#[path = "support/mod.rs"]
mod support;

/// Heap bytes allocated now.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
/// The most allocated at once since the last [`peak_of`] began.
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting.
struct Counting;

fn grew(bytes: usize) {
	let now = CURRENT.fetch_add(bytes, Ordering::SeqCst) + bytes;
	PEAK.fetch_max(now, Ordering::SeqCst);
}

fn shrank(bytes: usize) {
	CURRENT.fetch_sub(bytes, Ordering::SeqCst);
}

// SAFETY: every call is forwarded to `System` with the caller's arguments; the counters are
// only updated for the blocks `System` actually returned or freed.
unsafe impl GlobalAlloc for Counting {
	unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
		let block = System.alloc(layout);
		if !block.is_null() {
			grew(layout.size());
		}
		block
	}

	unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
		let block = System.alloc_zeroed(layout);
		if !block.is_null() {
			grew(layout.size());
		}
		block
	}

	unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
		System.dealloc(block, layout);
		shrank(layout.size());
	}

	unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
		let moved = System.realloc(block, layout, new_size);
		if !moved.is_null() {
			// A moved block briefly holds both sizes; count it so.
			grew(new_size);
			shrank(layout.size());
		}
		moved
	}
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time: the counters are process-wide.
fn serial() -> MutexGuard<'static, ()> {
	static SERIAL: Mutex<()> = Mutex::new(());
	SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `work` and returns its result and the peak heap above what was allocated when it began.
fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
	let base = CURRENT.load(Ordering::SeqCst);
	PEAK.store(base, Ordering::SeqCst);
	let result = work();
	(result, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

const MIB: f64 = 1024.0 * 1024.0;

/// A `side × side` test image with contrast everywhere and long runs (quick to compress):
/// diagonal bands over `0..levels`.
fn bands(side: u32, levels: u32) -> Vec<u16> {
	(0..side)
		.flat_map(|y| (0..side).map(move |x| ((x / 8 * 7 + y / 8 * 3) % levels) as u16))
		.collect()
}

/// Decode, diagnose and write both report files, as the worker does for a task.
fn diagnose_task(diagnostician: &Diagnostician, input: &[u8]) -> usize {
	let radiograph = decode(input).unwrap();
	let diagnostic = diagnostician.diagnose(&radiograph).unwrap();
	let context = ReportContext {
		task: Some(1),
		input_hash: [0; 32],
		module: DiagnosticModule::CariesDetection,
		subject: None,
		colour: radiograph.source.colour,
	};
	let report = fhir_report(diagnostician, &diagnostic, &context).unwrap();
	let overlay = attention_overlay(&radiograph, &diagnostic).unwrap();
	report.len() + overlay.len()
}

#[test]
fn the_largest_accepted_image_is_diagnosed_within_the_documented_memory() {
	let _serial = serial();
	let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../models/btt-dental-tiny-v1.safetensors");
	let diagnostician = Diagnostician::from_bytes(std::fs::read(model).unwrap()).unwrap();
	let side = MAX_DIMENSION;
	let pixels = u64::from(side) * u64::from(side);
	let mut inputs: Vec<(&str, u64, Vec<u8>)> = Vec::new();
	{
		let stored = bands(side, 4096);
		let options = DicomWriteOptions { bits_stored: 12, ..Default::default() };
		inputs.push((
			"DICOM, 12 bit",
			pixels,
			encode_dicom(&stored, side, side, &options).unwrap(),
		));
		inputs.push(("PNG, 16 bit", pixels, encode_png(&stored, side, side, 16).unwrap()));
	}
	{
		let gray: Vec<u8> = bands(side, 256).into_iter().map(|value| value as u8).collect();
		inputs.push(("JPEG", pixels, encode_jpeg(&gray, side, side, 90).unwrap()));
	}
	{
		// The widest decoded format, RGBA at 16 bits (8 bytes a pixel), at a quarter the area.
		let quarter = side / 2;
		let rgba: Vec<u16> = bands(quarter, 65_536)
			.into_iter()
			.flat_map(|value| [value, value / 2, value / 3, u16::MAX])
			.collect();
		let image = image::ImageBuffer::<image::Rgba<u16>, _>::from_raw(quarter, quarter, rgba);
		let mut png = std::io::Cursor::new(Vec::new());
		image.unwrap().write_to(&mut png, image::ImageFormat::Png).unwrap();
		let area = u64::from(quarter) * u64::from(quarter);
		inputs.push(("PNG, RGBA 16 bit", area, png.into_inner()));
	}
	for (name, pixels, input) in &inputs {
		let (written, peak) = peak_of(|| diagnose_task(&diagnostician, input));
		assert!(written > 0);
		let per_pixel = peak as f64 / *pixels as f64;
		eprintln!(
			"{name}: input {:.1} MiB, peak {:.1} MiB beyond it = {per_pixel:.2} bytes/pixel",
			input.len() as f64 / MIB,
			peak as f64 / MIB
		);
		assert!(
			peak as u64 <= peak_bytes(*pixels),
			"{name}: {:.1} MiB exceeds the bound of {PEAK_BYTES_PER_PIXEL} bytes/pixel + fixed, {:.1} MiB",
			peak as f64 / MIB,
			peak_bytes(*pixels) as f64 / MIB
		);
	}
}

/// A 16 × 8 baseline JPEG whose SOF0 declares `width × height`.
fn jpeg_declaring(width: u16, height: u16) -> Vec<u8> {
	support::sof_declaring(encode_jpeg(&[90u8; 16 * 8], 16, 8, 90).unwrap(), width, height)
}

/// A 16 × 8 PNG whose IHDR declares `width × height` (its CRC recomputed).
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
	let mut png = encode_png(&[90u16; 16 * 8], 16, 8, 8).unwrap();
	// Signature (8), IHDR length (4), "IHDR" (4), width, height, …, then the CRC of type + data.
	png[16..20].copy_from_slice(&width.to_be_bytes());
	png[20..24].copy_from_slice(&height.to_be_bytes());
	let crc = crc32(&png[12..29]);
	png[29..33].copy_from_slice(&crc.to_be_bytes());
	png
}

/// CRC-32 (ISO-HDLC, as PNG uses), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
	let mut crc = !0u32;
	for byte in bytes {
		crc ^= u32::from(*byte);
		for _ in 0..8 {
			crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
		}
	}
	!crc
}

#[test]
fn decompression_bombs_are_refused_without_allocating_for_what_they_declare() {
	let _serial = serial();
	let eight = DicomWriteOptions { bits_stored: 8, ..Default::default() };
	let jpeg_bomb = jpeg_declaring(65_535, 65_535);
	let jpeg_ls = vec![0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
	let mut j2k = vec![0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
	for value in [65_535u32, 65_535, 0, 0, 65_535, 65_535, 0, 0] {
		j2k.extend(value.to_be_bytes());
	}
	j2k.extend([0x00, 0x01, 0x0F, 0x01, 0x01]);
	let bombs = [
		(
			"JPEG frame in DICOM",
			encode_dicom_frame(vec![jpeg_bomb.clone()], 16, 8, "1.2.840.10008.1.2.4.50", &eight),
		),
		(
			"JPEG-LS frame in DICOM",
			encode_dicom_frame(vec![jpeg_ls], 16, 8, "1.2.840.10008.1.2.4.80", &eight),
		),
		(
			"JPEG 2000 frame in DICOM",
			encode_dicom_frame(vec![j2k], 16, 8, "1.2.840.10008.1.2.4.90", &eight),
		),
		("bare JPEG", Ok(jpeg_bomb)),
		("bare PNG", Ok(png_declaring(65_535, 65_535))),
	];
	for (name, bomb) in bombs {
		let bomb = bomb.unwrap();
		assert!(bomb.len() < 2048, "{name}: a tiny file");
		let (result, peak) = peak_of(|| decode(&bomb));
		assert_eq!(result, Err(DecodeError::TooLarge { width: 65_535, height: 65_535 }), "{name}");
		// Parsing a 2 KiB file allocates a few kilobytes; 65,535² allocates gigabytes.
		assert!(peak < 256 << 10, "{name}: {peak} bytes allocated");
	}
}

#[test]
fn a_deflate_bomb_is_refused_without_holding_its_output() {
	use std::io::Write;
	let _serial = serial();
	// The file meta group of the deflated test file, then a data set of one OB element of
	// 200 MiB of zeros, deflated (about 200 KiB).
	let sample =
		std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/codecs/deflated.dcm");
	let sample = std::fs::read(sample).unwrap();
	let group_length = u32::from_le_bytes(sample[140..144].try_into().unwrap()) as usize;
	let mut bomb = sample[..144 + group_length].to_vec();
	let size = 200u32 << 20;
	let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
	encoder.write_all(&[0x11, 0x00, 0x10, 0x00, b'O', b'B', 0, 0]).unwrap();
	encoder.write_all(&size.to_le_bytes()).unwrap();
	let zeros = vec![0u8; 1 << 20];
	for _ in 0..200 {
		encoder.write_all(&zeros).unwrap();
	}
	bomb.extend(encoder.finish().unwrap());
	assert!(bomb.len() < 1 << 20, "a small file: {} bytes", bomb.len());
	let (result, peak) = peak_of(|| decode(&bomb));
	assert_eq!(result, Err(DecodeError::InflatedTooLarge { limit: MAX_INFLATED }));
	eprintln!("deflate bomb of {} bytes: peak {peak} bytes", bomb.len());
	assert!(peak < 256 << 10, "{peak} bytes allocated");
}

/// Runs an encoder tool of `scripts/setup-toolchain.sh` (DCMTK, OpenJPEG's `opj_compress`).
fn tool(program: &str, args: &[&std::path::Path]) {
	let status = std::process::Command::new(program)
		.args(args)
		.stdout(std::process::Stdio::null())
		.status()
		.unwrap_or_else(|error| {
			panic!("{program}: {error} (scripts/setup-toolchain.sh installs dcmtk and libopenjp2-tools)")
		});
	assert!(status.success(), "{program} {args:?}: {status}");
}

#[test]
fn every_compressed_syntax_at_the_largest_size_is_diagnosed_within_the_documented_memory() {
	let _serial = serial();
	let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../models/btt-dental-tiny-v1.safetensors");
	let diagnostician = Diagnostician::from_bytes(std::fs::read(model).unwrap()).unwrap();
	let side = MAX_DIMENSION;
	let pixels = u64::from(side) * u64::from(side);
	let dir = std::env::temp_dir().join(format!("btt-memory-codecs-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let native = dir.join("native.dcm");
	let pgm = dir.join("image.pgm");
	let j2k = dir.join("image.j2k");
	{
		let stored = bands(side, 4096);
		let options = DicomWriteOptions { bits_stored: 12, ..Default::default() };
		std::fs::write(&native, encode_dicom(&stored, side, side, &options).unwrap()).unwrap();
		// dicom-rs refuses a frame of 16 MiB or more compressed more than 64:1 (its guard
		// against decompression bombs), which the smooth bands would be in JPEG 2000: add
		// noise in the low 6 bits, as a real radiograph has, to compress about as one does.
		let mut portable = format!("P5\n{side} {side}\n4095\n").into_bytes();
		portable.extend(stored.iter().enumerate().flat_map(|(index, value)| {
			let noise = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
			(value.saturating_add(noise as u16) & 0x0FFF).to_be_bytes()
		}));
		std::fs::write(&pgm, portable).unwrap();
	}
	// The encoders of scripts/gen-codec-testdata.sh, at 8,192² (single-tile JPEG 2000: the
	// decoder holds the whole tile, the worst case).
	let outputs = [
		("deflated", "dcmconv", vec!["+td"]),
		("RLE", "dcmcrle", vec![]),
		("JPEG lossless .70", "dcmcjpeg", vec!["+un", "+e1"]),
		("JPEG-LS lossless", "dcmcjpls", vec!["+un", "+el"]),
		("JPEG-LS near-lossless", "dcmcjpls", vec!["+un", "+en"]),
	];
	let mut inputs: Vec<(&str, Vec<u8>)> = Vec::new();
	for (index, (name, program, flags)) in outputs.iter().enumerate() {
		let out = dir.join(format!("{index}.dcm"));
		let mut args: Vec<&std::path::Path> = flags.iter().map(std::path::Path::new).collect();
		args.extend([native.as_path(), out.as_path()]);
		tool(program, &args);
		inputs.push((name, std::fs::read(&out).unwrap()));
	}
	tool("opj_compress", &[std::path::Path::new("-i"), &pgm, std::path::Path::new("-o"), &j2k]);
	let options = DicomWriteOptions { bits_stored: 12, ..Default::default() };
	let codestream = std::fs::read(&j2k).unwrap();
	inputs.push((
		"JPEG 2000 lossless",
		encode_dicom_frame(vec![codestream], side, side, "1.2.840.10008.1.2.4.90", &options)
			.unwrap(),
	));
	let _ = std::fs::remove_dir_all(&dir);
	let mut over = Vec::new();
	for (name, input) in &inputs {
		let ((written, decode_peak), peak) = peak_of(|| {
			let (_, decode_peak) = peak_of(|| decode(input).unwrap());
			(diagnose_task(&diagnostician, input), decode_peak)
		});
		assert!(written > 0);
		eprintln!(
			"{name}: input {:.1} MiB, peak {:.1} MiB beyond it = {:.2} bytes/pixel (decoding alone {:.2})",
			input.len() as f64 / MIB,
			peak as f64 / MIB,
			peak as f64 / pixels as f64,
			decode_peak as f64 / pixels as f64,
		);
		if peak as u64 > peak_bytes(pixels) {
			over.push(format!("{name}: {:.1} MiB", peak as f64 / MIB));
		}
	}
	assert!(
		over.is_empty(),
		"over the bound of {PEAK_BYTES_PER_PIXEL} bytes/pixel + fixed, {:.1} MiB: {over:?}",
		peak_bytes(pixels) as f64 / MIB
	);
}
