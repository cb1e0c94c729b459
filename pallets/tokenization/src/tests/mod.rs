//! Unit tests, one file per part of the lifecycle. Every test runs through
//! `build_and_execute`, which checks the pallet's invariants afterwards.

// Tests may panic: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod compliance;
mod helpers;
mod lifecycle;
mod market;
mod migration;
mod properties;
mod revenue;
mod schedule;
