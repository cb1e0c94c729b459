//! Direct convolution: every output value is accumulated straight from the zero-padded input
//! planes, with no im2col matrix and no packing of the input.
//!
//! The kernel computes a small block of outputs at a time, `OB × 8` output channels by `P`
//! neighbouring pixels of one output row, in `OB · P` vector accumulators. For each input tap
//! (input channel, ky, kx) it loads the tap's weights for the `OB · 8` channels (contiguous, see
//! [`PackedWeights`]), broadcasts the `P` input pixels under the tap and adds their products:
//! vectorized over output channels, the stride only changes which pixels are broadcast.
//!
//! Every output value is summed in the same order (input channel, ky, kx) with fused
//! multiply-adds (`f32::mul_add`, rounded once), whatever the block it falls in, the thread
//! that computes it or the CPU: on x86-64 with AVX-512 or AVX2 and FMA the kernel is compiled
//! for them and `mul_add` is one instruction; elsewhere the same code runs with a slower,
//! identically rounded `mul_add`. Which one runs is [`PackedWeights::kernel`] ([`Kernel`]).

use std::ops::Range;

use super::{
	isa::Kernel,
	kernels::{ConvGeometry, KernelError},
};

/// Output channels per vector: the f32 lanes of an AVX register.
pub const LANES: usize = 8;

/// One tap's weights for one output-channel block.
type Lanes = [f32; LANES];

/// A convolution's weights in the order the direct kernel reads them. Output channels are cut
/// into blocks of [`LANES`] (the last one zero-filled past `out_channels`) and the blocks into
/// groups of `group_blocks`; a group's weights are stored tap by tap, each tap holding the
/// group's blocks one after the other, so the kernel reads one group sequentially.
#[derive(Clone, Debug)]
pub struct PackedWeights {
	values: Vec<Lanes>,
	out_channels: usize,
	taps: usize,
	group_blocks: usize,
	kernel: Kernel,
}

impl PackedWeights {
	/// Packs `weights` (OIHW: `out_channels × taps`, `taps = in_channels · kernel²`) for groups
	/// of `group_blocks` (1 to 3) blocks of [`LANES`] output channels.
	pub fn new(
		weights: &[f32],
		out_channels: usize,
		taps: usize,
		group_blocks: usize,
	) -> Result<Self, KernelError> {
		if weights.len() != out_channels.saturating_mul(taps)
			|| taps == 0
			|| !(1..=3).contains(&group_blocks)
		{
			return Err(KernelError(format!(
				"pack: {} weights for {out_channels} channels × {taps} taps in groups of {group_blocks} blocks",
				weights.len()
			)));
		}
		let group_channels = group_blocks * LANES;
		let groups = out_channels.div_ceil(group_channels);
		let mut values =
			Vec::with_capacity(groups.saturating_mul(taps).saturating_mul(group_blocks));
		for group in 0..groups {
			for tap in 0..taps {
				for block in 0..group_blocks {
					let first = group * group_channels + block * LANES;
					values.push(std::array::from_fn(|lane| {
						let channel = first + lane;
						if channel < out_channels {
							weights.get(channel * taps + tap).copied().unwrap_or(0.0)
						} else {
							0.0
						}
					}));
				}
			}
		}
		Ok(Self { values, out_channels, taps, group_blocks, kernel: Kernel::configured()? })
	}

	/// The kernel these weights are convolved with ([`Kernel::configured`] unless set).
	pub fn kernel(&self) -> Kernel {
		self.kernel
	}

	/// Convolves with `kernel` from now on; refused if this CPU cannot run it.
	pub fn set_kernel(&mut self, kernel: Kernel) -> Result<(), KernelError> {
		if !kernel.supported() {
			return Err(KernelError(format!("this CPU cannot run the {kernel} kernel")));
		}
		self.kernel = kernel;
		Ok(())
	}

	/// Output channels per group: a tile of output channels starts at a multiple of this.
	pub fn group_channels(&self) -> usize {
		self.group_blocks * LANES
	}

	/// The weights of group `group`, `taps × group_blocks` blocks.
	fn group(&self, group: usize) -> Option<&[Lanes]> {
		let len = self.taps.checked_mul(self.group_blocks)?;
		self.values.get(group.checked_mul(len)?..group.checked_add(1)?.checked_mul(len)?)
	}
}

/// The side of an input plane with its padding: `in_side + 2 · padding`.
pub fn padded_side(geometry: &ConvGeometry) -> usize {
	geometry.in_side.saturating_add(geometry.padding.saturating_mul(2))
}

/// Copies a `side²` plane into the middle of a `padded_side(geometry)²` one with a zero border.
pub fn pad_plane(
	geometry: &ConvGeometry,
	plane: &[f32],
	padded: &mut [f32],
) -> Result<(), KernelError> {
	let side = padded_side(geometry);
	if plane.len() != geometry.in_pixels() || padded.len() != side.saturating_mul(side) {
		return Err(KernelError(format!(
			"pad: plane {} / padded {} do not fit {geometry:?}",
			plane.len(),
			padded.len()
		)));
	}
	let (border, inner) = (geometry.padding, geometry.in_side);
	padded.fill(0.0);
	for (source, target) in
		plane.chunks_exact(inner.max(1)).zip(padded.chunks_exact_mut(side.max(1)).skip(border))
	{
		if let Some(target) = target.get_mut(border..border + inner) {
			target.copy_from_slice(source);
		}
	}
	Ok(())
}

/// Convolves one image: `padded` holds its `in_channels` zero-padded planes (see
/// [`pad_plane`]); `planes` receives, for each output channel of `channels`, the output rows
/// `rows` (`rows.len() × out_side` values each). `channels` starts at a multiple of
/// [`PackedWeights::group_channels`] and ends at one or at the last output channel. Callers
/// may split an image's rows between threads: every output value is computed the same way
/// whatever the split.
pub fn convolve_direct(
	weights: &PackedWeights,
	geometry: &ConvGeometry,
	padded: &[f32],
	channels: Range<usize>,
	rows: Range<usize>,
	planes: &mut [&mut [f32]],
) -> Result<(), KernelError> {
	let input = Input::checked(weights, geometry, padded, &channels, rows, planes)?;
	// `set_kernel` and `Kernel::configured` only accept a kernel the CPU supports; checked
	// again here because running one it does not is undefined behaviour.
	if !weights.kernel.supported() {
		return Err(KernelError(format!("this CPU cannot run the {} kernel", weights.kernel)));
	}
	match weights.kernel {
		#[cfg(target_arch = "x86_64")]
		// SAFETY: the CPU has AVX-512 F/VL, AVX2 and FMA, checked just above.
		Kernel::Avx512 => unsafe { convolve_avx512(weights, &input, channels, planes) },
		#[cfg(target_arch = "x86_64")]
		// SAFETY: the CPU has AVX2 and FMA, checked just above.
		Kernel::Avx2 => unsafe { convolve_avx2_fma(weights, &input, channels, planes) },
		_ => convolve_groups::<Portable>(weights, &input, channels, planes),
	}
	Ok(())
}

/// One image's padded input, the shape of its output and the output rows to compute.
struct Input<'a> {
	padded: &'a [f32],
	side: usize,
	geometry: ConvGeometry,
	out_side: usize,
	rows: Range<usize>,
}

impl<'a> Input<'a> {
	/// The input of [`convolve_direct`], once the weights, the padded planes, the output
	/// planes, `channels` and `rows` are checked to fit `geometry` and each other.
	fn checked(
		weights: &PackedWeights,
		geometry: &ConvGeometry,
		padded: &'a [f32],
		channels: &Range<usize>,
		rows: Range<usize>,
		planes: &[&mut [f32]],
	) -> Result<Self, KernelError> {
		let out_side = geometry.out_side()?;
		let side = padded_side(geometry);
		let group_channels = weights.group_channels();
		let aligned =
			|channel: usize| channel % group_channels == 0 || channel == weights.out_channels;
		let plane_len = rows.len().saturating_mul(out_side);
		if weights.taps != geometry.patch_len()
			|| padded.len() != geometry.in_channels.saturating_mul(side).saturating_mul(side)
			|| planes.len() != channels.len()
			|| planes.iter().any(|plane| plane.len() != plane_len)
			|| rows.end > out_side
			|| channels.end > weights.out_channels
			|| !aligned(channels.start)
			|| !aligned(channels.end)
		{
			return Err(KernelError(format!(
				"direct convolution: {} weights taps, padded input {}, {} output planes do not fit {geometry:?}, channels {channels:?} and rows {rows:?}",
				weights.taps,
				padded.len(),
				planes.len()
			)));
		}
		Ok(Self { padded, side, geometry: *geometry, out_side, rows })
	}

	/// Where the input row under kernel row `ky` of output row `oy` starts in `padded`, at the
	/// column under output pixel `x0`, for input channel `channel`.
	#[inline(always)]
	fn row_start(&self, channel: usize, oy: usize, ky: usize, x0: usize, stride: usize) -> usize {
		channel * self.side * self.side + (oy * stride + ky) * self.side + x0 * stride
	}
}

/// How an output block is computed: the same sums, in the same order, on different hardware.
trait BlockKernel {
	/// The `OB · LANES` output channels of one group at the `P` pixels `(oy, x0..x0 + P)`:
	/// `Σ_(c, ky, kx) w[channel, c, ky, kx] · padded[c, oy·s + ky, (x0 + p)·s + kx]`, summed in
	/// the order of `taps` (input channel, ky, kx) with one fused multiply-add per term.
	///
	/// # Safety
	/// The CPU supports the kernel's instructions.
	unsafe fn block<const OB: usize, const P: usize, const S: usize>(
		taps: &[[Lanes; OB]],
		input: &Input,
		oy: usize,
		x0: usize,
	) -> [[Lanes; P]; OB];
}

/// Plain Rust: `f32::mul_add` lane by lane.
struct Portable;

impl BlockKernel for Portable {
	#[inline(always)]
	unsafe fn block<const OB: usize, const P: usize, const S: usize>(
		taps: &[[Lanes; OB]],
		input: &Input,
		oy: usize,
		x0: usize,
	) -> [[Lanes; P]; OB] {
		let geometry = &input.geometry;
		let (kernel, stride) = (geometry.kernel, stride::<S>(geometry));
		let span = (P - 1) * stride + 1;
		let mut acc = [[[0.0f32; LANES]; P]; OB];
		let mut taps = taps.iter();
		for channel in 0..geometry.in_channels {
			for ky in 0..kernel {
				let row_start = input.row_start(channel, oy, ky, x0, stride);
				for kx in 0..kernel {
					let Some(weights) = taps.next() else { return acc };
					let Some(window) = input.padded.get(row_start + kx..row_start + kx + span)
					else {
						return acc;
					};
					for p in 0..P {
						let value = window.get(p * stride).copied().unwrap_or(0.0);
						for (acc, weights) in acc.iter_mut().zip(weights) {
							let Some(acc) = acc.get_mut(p) else { continue };
							for (acc, weight) in acc.iter_mut().zip(weights) {
								*acc = weight.mul_add(value, *acc);
							}
						}
					}
				}
			}
		}
		acc
	}
}

/// AVX2 and FMA: a vector register per accumulator, `vfmadd231ps` per term (each lane rounded
/// once, as `f32::mul_add` is).
#[cfg(target_arch = "x86_64")]
struct Avx2Fma;

#[cfg(target_arch = "x86_64")]
impl BlockKernel for Avx2Fma {
	#[target_feature(enable = "avx2,fma")]
	unsafe fn block<const OB: usize, const P: usize, const S: usize>(
		taps: &[[Lanes; OB]],
		input: &Input,
		oy: usize,
		x0: usize,
	) -> [[Lanes; P]; OB] {
		use std::arch::x86_64::{
			__m256, _mm256_fmadd_ps, _mm256_set1_ps, _mm256_setzero_ps, _mm256_storeu_ps,
		};
		let geometry = &input.geometry;
		let (kernel, stride) = (geometry.kernel, stride::<S>(geometry));
		let span = (P - 1) * stride + 1;
		let mut acc: [[__m256; P]; OB] = [[_mm256_setzero_ps(); P]; OB];
		let mut taps = taps.iter();
		'sum: for channel in 0..geometry.in_channels {
			for ky in 0..kernel {
				let row_start = input.row_start(channel, oy, ky, x0, stride);
				for kx in 0..kernel {
					let Some(weights) = taps.next() else { break 'sum };
					let Some(window) = input.padded.get(row_start + kx..row_start + kx + span)
					else {
						break 'sum;
					};
					// SAFETY: `[[f32; 8]; OB]` and `[__m256; OB]` have the same size and layout
					// but for the alignment, which an unaligned read does not need.
					let vectors: [__m256; OB] =
						unsafe { std::ptr::read_unaligned(weights.as_ptr().cast()) };
					for p in 0..P {
						let value = _mm256_set1_ps(window.get(p * stride).copied().unwrap_or(0.0));
						for (acc, weights) in acc.iter_mut().zip(&vectors) {
							if let Some(acc) = acc.get_mut(p) {
								*acc = _mm256_fmadd_ps(*weights, value, *acc);
							}
						}
					}
				}
			}
		}
		let mut out = [[[0.0f32; LANES]; P]; OB];
		for (out, acc) in out.iter_mut().zip(&acc) {
			for (out, acc) in out.iter_mut().zip(acc) {
				// SAFETY: `out` is 8 contiguous f32, what an unaligned 256-bit store writes.
				unsafe { _mm256_storeu_ps(out.as_mut_ptr(), *acc) };
			}
		}
		out
	}
}

/// [`convolve_groups`] with the AVX2/FMA kernel.
///
/// # Safety
/// The CPU supports AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn convolve_avx2_fma(
	weights: &PackedWeights,
	input: &Input,
	channels: Range<usize>,
	planes: &mut [&mut [f32]],
) {
	convolve_groups::<Avx2Fma>(weights, input, channels, planes);
}

/// AVX-512: a 512-bit register holds 16 output channels (two [`LANES`] blocks), so a group of
/// 16 or 24 channels takes one or two registers per pixel instead of two or three; with 32
/// registers the runs are longer. Each lane is still `vfmadd231ps` per term in tap order: the
/// bits of [`Portable`] and [`Avx2Fma`]. Groups of one block (8 channels) use the AVX2 code,
/// where a half-masked 512-bit register would do no more work per instruction.
#[cfg(target_arch = "x86_64")]
struct Avx512;

#[cfg(target_arch = "x86_64")]
impl BlockKernel for Avx512 {
	#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
	unsafe fn block<const OB: usize, const P: usize, const S: usize>(
		taps: &[[Lanes; OB]],
		input: &Input,
		oy: usize,
		x0: usize,
	) -> [[Lanes; P]; OB] {
		use std::arch::x86_64::{
			__m512, _mm512_fmadd_ps, _mm512_maskz_loadu_ps, _mm512_set1_ps, _mm512_setzero_ps,
			_mm512_storeu_ps,
		};
		if OB == 1 {
			// SAFETY: AVX-512 CPUs here have AVX2 and FMA (`Kernel::Avx512` requires them).
			return unsafe { Avx2Fma::block::<OB, P, S>(taps, input, oy, x0) };
		}
		let channels = OB * LANES;
		// Lanes of the first and the second register that hold channels of the group.
		let lanes_mask = |lanes: usize| -> u16 {
			if lanes >= 16 {
				u16::MAX
			} else {
				((1u32 << lanes) - 1) as u16
			}
		};
		let masks = [lanes_mask(channels.min(16)), lanes_mask(channels.saturating_sub(16))];
		let registers = channels.div_ceil(16).min(2);
		let geometry = &input.geometry;
		let (kernel, stride) = (geometry.kernel, stride::<S>(geometry));
		let span = (P - 1) * stride + 1;
		let mut acc: [[__m512; 2]; P] = [[_mm512_setzero_ps(); 2]; P];
		let mut taps = taps.iter();
		'sum: for channel in 0..geometry.in_channels {
			for ky in 0..kernel {
				let row_start = input.row_start(channel, oy, ky, x0, stride);
				for kx in 0..kernel {
					let Some(weights) = taps.next() else { break 'sum };
					let Some(window) = input.padded.get(row_start + kx..row_start + kx + span)
					else {
						break 'sum;
					};
					let first = weights.as_ptr().cast::<f32>();
					// SAFETY: `weights` is `OB · 8` contiguous f32; the masks cover exactly those
					// past `first` (masked-off lanes are not read).
					let vectors: [__m512; 2] = unsafe {
						[
							_mm512_maskz_loadu_ps(masks[0], first),
							if registers > 1 {
								_mm512_maskz_loadu_ps(masks[1], first.add(16))
							} else {
								_mm512_setzero_ps()
							},
						]
					};
					for (p, acc) in acc.iter_mut().enumerate() {
						let value = _mm512_set1_ps(window.get(p * stride).copied().unwrap_or(0.0));
						for (acc, weights) in acc.iter_mut().zip(&vectors).take(registers) {
							*acc = _mm512_fmadd_ps(*weights, value, *acc);
						}
					}
				}
			}
		}
		let mut out = [[[0.0f32; LANES]; P]; OB];
		for (p, acc) in acc.iter().enumerate() {
			let mut lanes = [0.0f32; 32];
			// SAFETY: `lanes` is 32 contiguous f32, what two unaligned 512-bit stores write.
			unsafe {
				_mm512_storeu_ps(lanes.as_mut_ptr(), acc[0]);
				_mm512_storeu_ps(lanes.as_mut_ptr().add(16), acc[1]);
			}
			for (block, out) in out.iter_mut().enumerate() {
				if let (Some(out), Some(lanes)) =
					(out.get_mut(p), lanes.get(block * LANES..(block + 1) * LANES))
				{
					out.copy_from_slice(lanes);
				}
			}
		}
		out
	}
}

/// The AVX-512 kernel over every group in `channels`, with runs of 16 pixels for one block per
/// group (16 accumulators in 32 registers) and 8 for two or three (8 or 16), 4 or 1 on rows
/// narrower than that.
///
/// # Safety
/// The CPU supports AVX-512 F and VL, AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
unsafe fn convolve_avx512(
	weights: &PackedWeights,
	input: &Input,
	channels: Range<usize>,
	planes: &mut [&mut [f32]],
) {
	type K = Avx512;
	let side = input.out_side;
	let run = if weights.group_blocks == 1 { 16 } else { 8 };
	let run = [run, 8, 4, 1].into_iter().find(|run| side >= *run).unwrap_or(1);
	let (w, i, c, o) = (weights, input, channels, planes);
	match (weights.group_blocks, run, input.geometry.stride) {
		(1, 16, 1) => convolve_blocks::<K, 1, 16, 1>(w, i, c, o),
		(1, 16, 2) => convolve_blocks::<K, 1, 16, 2>(w, i, c, o),
		(1, 16, _) => convolve_blocks::<K, 1, 16, 0>(w, i, c, o),
		(1, 8, _) => convolve_blocks::<K, 1, 8, 0>(w, i, c, o),
		(1, 4, _) => convolve_blocks::<K, 1, 4, 0>(w, i, c, o),
		(1, _, _) => convolve_blocks::<K, 1, 1, 0>(w, i, c, o),
		(2, 8, 1) => convolve_blocks::<K, 2, 8, 1>(w, i, c, o),
		(2, 8, 2) => convolve_blocks::<K, 2, 8, 2>(w, i, c, o),
		(2, 8, _) => convolve_blocks::<K, 2, 8, 0>(w, i, c, o),
		(2, 4, _) => convolve_blocks::<K, 2, 4, 0>(w, i, c, o),
		(2, _, _) => convolve_blocks::<K, 2, 1, 0>(w, i, c, o),
		(_, 8, 1) => convolve_blocks::<K, 3, 8, 1>(w, i, c, o),
		(_, 8, 2) => convolve_blocks::<K, 3, 8, 2>(w, i, c, o),
		(_, 8, _) => convolve_blocks::<K, 3, 8, 0>(w, i, c, o),
		(_, 4, _) => convolve_blocks::<K, 3, 4, 0>(w, i, c, o),
		(_, _, _) => convolve_blocks::<K, 3, 1, 0>(w, i, c, o),
	}
}

/// The kernel specialized for this layer's group size, run width and stride, over every group
/// in `channels`. Runs are 8 pixels for one block per group and 4 for two or three (8 or 12
/// accumulators), one pixel on rows narrower than that.
///
/// The caller guarantees that the CPU supports `K`'s instructions.
#[inline(always)]
fn convolve_groups<K: BlockKernel>(
	weights: &PackedWeights,
	input: &Input,
	channels: Range<usize>,
	planes: &mut [&mut [f32]],
) {
	let narrow = |run: usize| input.out_side < run;
	match (weights.group_blocks, narrow(8), narrow(4), input.geometry.stride) {
		(1, false, _, 1) => convolve_blocks::<K, 1, 8, 1>(weights, input, channels, planes),
		(1, false, _, 2) => convolve_blocks::<K, 1, 8, 2>(weights, input, channels, planes),
		(1, false, _, _) => convolve_blocks::<K, 1, 8, 0>(weights, input, channels, planes),
		(1, true, _, _) => convolve_blocks::<K, 1, 1, 0>(weights, input, channels, planes),
		(2, _, false, 1) => convolve_blocks::<K, 2, 4, 1>(weights, input, channels, planes),
		(2, _, false, 2) => convolve_blocks::<K, 2, 4, 2>(weights, input, channels, planes),
		(2, _, false, _) => convolve_blocks::<K, 2, 4, 0>(weights, input, channels, planes),
		(2, _, true, _) => convolve_blocks::<K, 2, 1, 0>(weights, input, channels, planes),
		(_, _, false, 1) => convolve_blocks::<K, 3, 4, 1>(weights, input, channels, planes),
		(_, _, false, 2) => convolve_blocks::<K, 3, 4, 2>(weights, input, channels, planes),
		(_, _, false, _) => convolve_blocks::<K, 3, 4, 0>(weights, input, channels, planes),
		(_, _, true, _) => convolve_blocks::<K, 3, 1, 0>(weights, input, channels, planes),
	}
}

/// The stride as a constant when the kernel was specialized for it (`S > 0`), else the
/// geometry's.
#[inline(always)]
fn stride<const S: usize>(geometry: &ConvGeometry) -> usize {
	if S == 0 {
		geometry.stride
	} else {
		S
	}
}

/// Every output block of `channels`: groups of `OB` channel blocks by runs of `P` pixels
/// (`out_side ≥ P`). A row whose width is not a multiple of `P` ends with a run that overlaps
/// the previous one; the overlapping pixels are computed twice, identically.
#[inline(always)]
fn convolve_blocks<K: BlockKernel, const OB: usize, const P: usize, const S: usize>(
	weights: &PackedWeights,
	input: &Input,
	channels: Range<usize>,
	planes: &mut [&mut [f32]],
) {
	let out_side = input.out_side;
	let group_channels = OB * LANES;
	for group in channels.start / group_channels..channels.end.div_ceil(group_channels) {
		let Some(taps) = weights.group(group) else { return };
		let (taps, _) = taps.as_chunks::<OB>();
		let group_start = group * group_channels;
		for oy in input.rows.clone() {
			let mut x0 = 0;
			while x0 < out_side {
				let start = x0.min(out_side.saturating_sub(P));
				// SAFETY: the caller checked that the CPU supports `K`.
				let block = unsafe { K::block::<OB, P, S>(taps, input, oy, start) };
				store(&block, group_start, &channels, input, oy, start, planes);
				x0 = start + P;
			}
		}
	}
}

/// Writes an output block into the output planes of `channels`, skipping the lanes past the
/// last one.
#[inline(always)]
fn store<const OB: usize, const P: usize>(
	block: &[[Lanes; P]; OB],
	group_start: usize,
	channels: &Range<usize>,
	input: &Input,
	oy: usize,
	x0: usize,
	planes: &mut [&mut [f32]],
) {
	let offset = (oy - input.rows.start) * input.out_side + x0;
	for (block_index, block) in block.iter().enumerate() {
		for lane in 0..LANES {
			let channel = group_start + block_index * LANES + lane;
			if !channels.contains(&channel) {
				continue;
			}
			let Some(plane) = planes.get_mut(channel - channels.start) else { continue };
			let Some(target) = plane.get_mut(offset..offset + P) else { continue };
			for (target, pixel) in target.iter_mut().zip(block) {
				*target = pixel.get(lane).copied().unwrap_or(0.0);
			}
		}
	}
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
	use rand::{Rng, SeedableRng};
	use rand_chacha::ChaCha8Rng;

	use super::*;

	/// The AVX-512, AVX2/FMA and portable kernels give the same bits: each term is one fused
	/// multiply-add, in the same order. (Skipped on CPUs without AVX2 and FMA, where only the
	/// portable kernel runs.)
	#[test]
	fn both_kernels_give_the_same_bits() -> Result<(), KernelError> {
		if !(std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")) {
			return Ok(());
		}
		let mut rng = ChaCha8Rng::seed_from_u64(11);
		for (kernel, stride, padding, side, out_channels, group_blocks) in [
			(3, 1, 1, 10, 24, 3),
			(3, 2, 1, 16, 16, 1),
			(1, 2, 0, 8, 40, 2),
			(5, 3, 2, 9, 8, 1),
			(3, 1, 1, 3, 16, 2),
			(3, 1, 1, 21, 8, 1),
			(3, 2, 1, 34, 48, 3),
			(3, 1, 1, 19, 32, 2),
		] {
			let geometry = ConvGeometry { in_channels: 5, in_side: side, kernel, stride, padding };
			let taps = geometry.patch_len();
			let weights: Vec<f32> =
				(0..out_channels * taps).map(|_| rng.gen_range(-1.0..1.0)).collect();
			let plane_values: Vec<f32> =
				(0..5 * side * side).map(|_| rng.gen_range(-1.0..1.0)).collect();
			let packed = PackedWeights::new(&weights, out_channels, taps, group_blocks)?;
			let padded_len = padded_side(&geometry).pow(2);
			let mut padded = vec![0.0; 5 * padded_len];
			for (padded, plane) in
				padded.chunks_exact_mut(padded_len).zip(plane_values.chunks_exact(side * side))
			{
				pad_plane(&geometry, plane, padded)?;
			}
			let pixels = geometry.out_pixels()?;
			let bits =
				|values: &[f32]| values.iter().map(|value| value.to_bits()).collect::<Vec<u32>>();
			let (mut portable, mut vectorized) =
				(vec![0.0f32; out_channels * pixels], vec![0.0f32; out_channels * pixels]);
			let mut planes: Vec<&mut [f32]> = portable.chunks_exact_mut(pixels).collect();
			let input = Input::checked(
				&packed,
				&geometry,
				&padded,
				&(0..out_channels),
				0..geometry.out_side()?,
				&planes,
			)?;
			convolve_groups::<Portable>(&packed, &input, 0..out_channels, &mut planes);
			let mut planes: Vec<&mut [f32]> = vectorized.chunks_exact_mut(pixels).collect();
			// SAFETY: the CPU has AVX2 and FMA, checked above.
			unsafe { convolve_avx2_fma(&packed, &input, 0..out_channels, &mut planes) };
			if Kernel::Avx512.supported() {
				let mut wide = vec![0.0f32; out_channels * pixels];
				let mut planes: Vec<&mut [f32]> = wide.chunks_exact_mut(pixels).collect();
				// SAFETY: the CPU has AVX-512 F/VL, AVX2 and FMA, checked just above.
				unsafe { convolve_avx512(&packed, &input, 0..out_channels, &mut planes) };
				assert_eq!(bits(&portable), bits(&wide), "avx512, kernel {kernel} side {side}");
			}
			assert_eq!(
				bits(&portable),
				bits(&vectorized),
				"kernel {kernel} stride {stride} side {side}, {out_channels} channels"
			);
			assert!(portable.iter().any(|value| *value != 0.0));
		}
		Ok(())
	}
}
