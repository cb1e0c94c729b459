//! Unit tests, one file per part of the lifecycle. Every test runs through
//! `build_and_execute`, which checks the pallet's invariants afterwards.

mod compliance;
mod helpers;
mod lifecycle;
mod market;
mod properties;
mod revenue;
mod schedule;
