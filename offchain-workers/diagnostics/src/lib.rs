//! Dental radiograph diagnostics for BTT compute nodes.
//!
//! The off-chain half of the DePIN proof protocol (`docs/pallets/depin-registry.md`): a worker
//! decodes the clinic's radiograph, normalizes it, scores its quality, runs a candle CNN with
//! attention, and quantizes the answer so that every honest node reveals the same bytes.
//!
//! The pipeline, one module per step:
//! - [`decode`]: DICOM (dicom-rs), PNG and JPEG bytes → [`Radiograph`], typed errors for bad files;
//! - [`preprocess`]: equipment-independent model input (windowing, resize/pad, standardization);
//! - [`quality`]: the image-quality score I (noise, exposure, sharpness);
//! - [`model`]: the network (residual stages, CBAM attention, one head per diagnostic module);
//! - [`inference`]: calibrated probabilities D and test-time-augmentation uncertainty U;
//! - [`quantize`]: the findings every node must agree on, under a named quantization scheme;
//! - [`fhir`]: an HL7 FHIR R4 `DiagnosticReport` with one `Observation` per finding;
//! - [`overlay`]: the attention map blended over the radiograph, as PNG;
//! - [`report`]: the report and overlay files of one diagnosis;
//! - [`memory`]: the peak memory of one diagnosis, bounded per pixel.
//!
//! Data and training, for operators who train or audit a model:
//! - [`synthetic`]: procedural periapical/bitewing-like radiographs with known lesions;
//! - [`dentex`]: a loader for the public DENTEX dataset (COCO JSON + PNG);
//! - [`dataset`], [`train`], [`metrics`], [`plot`]: training, evaluation and the ROC plot.

pub mod dataset;
pub mod decode;
pub mod dentex;
pub mod encode;
pub mod evaluate;
pub mod fhir;
pub mod inference;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod overlay;
pub mod plot;
pub mod preprocess;
pub mod quality;
pub mod quantize;
pub mod radiograph;
pub mod report;
pub mod synthetic;
pub mod taxonomy;
pub mod threads;
pub mod train;

pub use radiograph::{Photometric, Radiograph, SourceFormat, SourceInfo};
pub use taxonomy::{Labels, MODULE_COUNT};
