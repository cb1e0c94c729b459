//! Weights generated for this runtime by the benchmark scripts, one file per pallet, never
//! edited by hand.
//!
//! The FRAME pallets use the weights they ship with, measured by Parity on reference hardware
//! with a release node. Weights measured by our debug node are 17-30x higher than those (its
//! host side is unoptimized; see docs/build.md), so they must not go into the runtime: BTT's own
//! pallets (and any FRAME pallet we re-weigh) are measured with a release `btt-node`.

/// By `scripts/benchmark-btt-pallet.sh pallet_tokenization --write-weights` (release node; docs/performance.md).
pub mod pallet_tokenization;

/// By `scripts/benchmark-btt-pallet.sh pallet_depin_registry --write-weights` (release node;
/// docs/performance.md).
pub mod pallet_depin_registry;

/// By `scripts/benchmark-btt-pallet.sh pallet_payfi --write-weights` (release node;
/// docs/performance.md).
pub mod pallet_payfi;

/// By `scripts/benchmark-btt-pallet.sh pallet_patient_rewards --write-weights` (release node;
/// docs/performance.md).
pub mod pallet_patient_rewards;

/// By `scripts/benchmark-btt-pallet.sh pallet_validator_scoring --write-weights` (release node;
/// docs/performance.md).
pub mod pallet_validator_scoring;

/// By `scripts/benchmark-btt-pallet.sh pallet_xcm --write-weights` (release node): pallet-xcm's
/// shipped weights assume other XCM configurations (docs/runtime.md, XCM).
pub mod pallet_xcm;
