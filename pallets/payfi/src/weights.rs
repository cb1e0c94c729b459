//! Weights of the PayFi pallet.
//!
//! NOT YET GENERATED: `benchmarking.rs` is still to be written (issue 19). Until then the
//! runtime must not use these: [`UnmeasuredWeight`] is a deliberately high estimate for tests.

use frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weight of each call.
pub trait WeightInfo {
	/// `register_payee`.
	fn register_payee() -> Weight;
	/// `unregister_payee`.
	fn unregister_payee() -> Weight;
	/// `pay`, through two pools (the worst route).
	fn pay() -> Weight;
	/// `remove_records` of `n` records.
	fn remove_records(n: u32) -> Weight;
	/// `set_receivable_currencies`.
	fn set_receivable_currencies() -> Weight;
	/// `set_procedure_list`.
	fn set_procedure_list() -> Weight;
}

/// An estimate (not a measurement) for the tests: 100 µs and a few database accesses per call.
pub struct UnmeasuredWeight;

impl WeightInfo for UnmeasuredWeight {
	fn register_payee() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn unregister_payee() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn pay() -> Weight {
		Weight::from_parts(400_000_000, 40_000)
			.saturating_add(RocksDbWeight::get().reads_writes(16, 12))
	}
	fn remove_records(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(1 + u64::from(n), 1 + u64::from(n)))
	}
	fn set_receivable_currencies() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn set_procedure_list() -> Weight {
		Weight::from_parts(50_000_000, 5_000).saturating_add(RocksDbWeight::get().writes(1))
	}
}
