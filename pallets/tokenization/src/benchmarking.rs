//! Benchmarks of every call (frame-benchmarking v2).

use crate::{pallet::*, types::*};
use frame_support::traits::Get;

/// What the benchmarks need from the runtime beyond the pallet's `Config`.
pub trait BenchmarkHelper<T: Config> {
	/// The `i`-th currency other than BTT, existing, for revenue in several currencies.
	/// The default (`()`) has none and returns BTT.
	fn revenue_currency(i: u32) -> CurrencyOf<T>;
}

impl<T: Config> BenchmarkHelper<T> for () {
	fn revenue_currency(_i: u32) -> CurrencyOf<T> {
		T::NativeCurrency::get()
	}
}
