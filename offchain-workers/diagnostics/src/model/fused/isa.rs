//! Which instruction set the direct convolution ([`super::direct`]) runs on.
//!
//! Every kernel computes each output value with the same fused multiply-adds in the same order,
//! so all of them give the same bits (a test runs whole diagnoses on each and compares the
//! digests); they differ only in speed. The choice is made once per process from the
//! `BTT_KERNEL` environment variable: `auto` (the default: the fastest the CPU has),
//! `avx512`, `avx2` or `portable`. Naming an instruction set the CPU lacks is an error, not a
//! silent fallback.

use std::sync::OnceLock;

use super::kernels::KernelError;

/// The environment variable that forces a kernel.
pub const KERNEL_VARIABLE: &str = "BTT_KERNEL";

/// A direct-convolution kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
	/// Plain Rust, `f32::mul_add` lane by lane: any CPU.
	Portable,
	/// x86-64 with AVX2 and FMA: 8 output channels per register.
	Avx2,
	/// x86-64 with AVX-512 F and VL (and AVX2, FMA): 16 output channels per register.
	Avx512,
}

impl Kernel {
	/// Every kernel, slowest first.
	pub const ALL: [Kernel; 3] = [Kernel::Portable, Kernel::Avx2, Kernel::Avx512];

	/// The name `BTT_KERNEL` takes for it.
	pub fn name(self) -> &'static str {
		match self {
			Self::Portable => "portable",
			Self::Avx2 => "avx2",
			Self::Avx512 => "avx512",
		}
	}

	/// Whether this CPU can run it.
	pub fn supported(self) -> bool {
		match self {
			Self::Portable => true,
			#[cfg(target_arch = "x86_64")]
			Self::Avx2 => std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma"),
			#[cfg(target_arch = "x86_64")]
			Self::Avx512 => {
				Self::Avx2.supported()
					&& std::is_x86_feature_detected!("avx512f")
					&& std::is_x86_feature_detected!("avx512vl")
			}
			#[cfg(not(target_arch = "x86_64"))]
			_ => false,
		}
	}

	/// The fastest kernel this CPU can run.
	pub fn fastest() -> Self {
		Self::ALL.into_iter().rev().find(|kernel| kernel.supported()).unwrap_or(Self::Portable)
	}

	/// The kernel a `BTT_KERNEL` value names (`None`, empty or `auto`: [`Self::fastest`]),
	/// checked against this CPU.
	pub fn from_setting(value: Option<&str>) -> Result<Self, KernelError> {
		let value = value.map(str::trim).unwrap_or("");
		if value.is_empty() || value.eq_ignore_ascii_case("auto") {
			return Ok(Self::fastest());
		}
		let kernel = Self::ALL
			.into_iter()
			.find(|kernel| kernel.name().eq_ignore_ascii_case(value))
			.ok_or_else(|| {
				KernelError(format!(
					"{KERNEL_VARIABLE}={value}: not one of auto, avx512, avx2, portable"
				))
			})?;
		if !kernel.supported() {
			return Err(KernelError(format!(
				"{KERNEL_VARIABLE}={value}: this CPU does not have the instructions of the {} kernel",
				kernel.name()
			)));
		}
		Ok(kernel)
	}

	/// The kernel of this process: `BTT_KERNEL`, read once.
	pub fn configured() -> Result<Self, KernelError> {
		static CONFIGURED: OnceLock<Result<Kernel, String>> = OnceLock::new();
		CONFIGURED
			.get_or_init(|| {
				let value = std::env::var(KERNEL_VARIABLE).ok();
				Self::from_setting(value.as_deref()).map_err(|error| error.0)
			})
			.clone()
			.map_err(KernelError)
	}
}

impl std::fmt::Display for Kernel {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(self.name())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn settings_name_a_kernel_or_are_refused() {
		assert_eq!(Kernel::from_setting(None).unwrap(), Kernel::fastest());
		assert_eq!(Kernel::from_setting(Some(" AUTO ")).unwrap(), Kernel::fastest());
		assert_eq!(Kernel::from_setting(Some("portable")).unwrap(), Kernel::Portable);
		assert_eq!(
			Kernel::from_setting(Some("sse2")).unwrap_err().0,
			"BTT_KERNEL=sse2: not one of auto, avx512, avx2, portable"
		);
		for kernel in Kernel::ALL {
			let chosen = Kernel::from_setting(Some(kernel.name()));
			if kernel.supported() {
				assert_eq!(chosen.unwrap(), kernel);
			} else {
				assert_eq!(
					chosen.unwrap_err().0,
					format!(
						"BTT_KERNEL={}: this CPU does not have the instructions of the {} kernel",
						kernel.name(),
						kernel.name()
					)
				);
			}
		}
	}
}
