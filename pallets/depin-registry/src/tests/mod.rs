//! Unit tests, one file per area. Every test runs in `build_and_execute`, which checks the
//! pallet's invariants afterwards; `run_to_block` checks them after every block too.

// Tests may panic: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod adversarial;
mod challenges;
mod draws;
mod faults;
mod formulas;
mod helpers;
mod migrations;
mod models;
mod nodes;
mod properties;
mod tasks;
