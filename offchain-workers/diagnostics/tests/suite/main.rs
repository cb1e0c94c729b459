//! Tests of the diagnostics pipeline through its public API, one file per stage.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
mod determinism;
mod fused;
mod golden;
mod model;
mod preprocess;
mod quality;
mod quantize;
mod synthetic;
