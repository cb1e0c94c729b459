//! Weights generated for this runtime by `scripts/benchmark.sh`, one file per pallet. Never
//! edit these files by hand: re-run the script. FRAME pallets not listed here still use the
//! weights they ship with (measured on Parity's reference hardware).
