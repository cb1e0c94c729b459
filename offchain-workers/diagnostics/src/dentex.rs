//! A loader for the public DENTEX dataset (MICCAI 2023 challenge: panoramic radiographs as PNG
//! plus COCO-style JSON), so operators can train and evaluate on real images.
//!
//! The fully labelled split ("quadrant-enumeration-disease") annotates each tooth with
//! `category_id_1` (quadrant), `category_id_2` (tooth number) and `category_id_3` (disease,
//! named in `categories_3`: Impacted, Caries, Periapical Lesion, Deep Caries); other splits use
//! plain COCO `category_id` + `categories`. [`labels_from_diseases`] turns an image's diseases
//! into this library's [`Labels`].

use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
};

use btt_primitives::depin::DiagnosticModule;
use serde::Deserialize;

use crate::Labels;

/// One annotated finding.
#[derive(Clone, Debug, PartialEq)]
pub struct DentexAnnotation {
	/// `[x, y, width, height]` in pixels.
	pub bbox: [f32; 4],
	/// The disease (or category) name.
	pub disease: String,
	/// Quadrant (1–4), when given.
	pub quadrant: Option<u32>,
	/// Tooth number within the quadrant, when given.
	pub tooth: Option<u32>,
}

/// One image with its annotations and derived labels.
#[derive(Clone, Debug, PartialEq)]
pub struct DentexSample {
	/// The PNG file.
	pub image_path: PathBuf,
	/// Declared width.
	pub width: u32,
	/// Declared height.
	pub height: u32,
	/// Its findings.
	pub annotations: Vec<DentexAnnotation>,
	/// Caries and endodontic labels; the other modules unlabelled.
	pub labels: Labels,
}

impl DentexSample {
	/// The image file's bytes.
	pub fn read_bytes(&self) -> Result<Vec<u8>, DentexError> {
		std::fs::read(&self.image_path).map_err(|source| DentexError::Io {
			path: self.image_path.clone(),
			reason: source.to_string(),
		})
	}
}

/// Why a DENTEX file cannot be loaded.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DentexError {
	/// A file could not be read.
	#[error("{path}: {reason}")]
	Io {
		/// The file.
		path: PathBuf,
		/// Why.
		reason: String,
	},
	/// The JSON is invalid.
	#[error("{path}: invalid COCO JSON at line {line}, column {column}: {message}")]
	Json {
		/// The file.
		path: PathBuf,
		/// Line.
		line: usize,
		/// Column.
		column: usize,
		/// What.
		message: String,
	},
	/// An annotation names an image that is not listed.
	#[error("annotation {annotation} names unknown image {image}")]
	UnknownImage {
		/// Annotation id.
		annotation: u64,
		/// Image id.
		image: u64,
	},
	/// An annotation names a category that is not listed.
	#[error("annotation {annotation} names unknown category {category}")]
	UnknownCategory {
		/// Annotation id.
		annotation: u64,
		/// Category id.
		category: u64,
	},
	/// A listed image file is missing.
	#[error("image file {0} is missing")]
	MissingImage(PathBuf),
}

#[derive(Deserialize)]
struct Coco {
	images: Vec<CocoImage>,
	#[serde(default)]
	annotations: Vec<CocoAnnotation>,
	#[serde(default)]
	categories: Vec<CocoCategory>,
	#[serde(default)]
	categories_3: Vec<CocoCategory>,
}

#[derive(Deserialize)]
struct CocoImage {
	id: u64,
	file_name: String,
	width: u32,
	height: u32,
}

#[derive(Deserialize)]
struct CocoAnnotation {
	#[serde(default)]
	id: u64,
	image_id: u64,
	#[serde(default)]
	bbox: [f32; 4],
	category_id: Option<u64>,
	category_id_1: Option<u32>,
	category_id_2: Option<u32>,
	category_id_3: Option<u64>,
}

#[derive(Deserialize)]
struct CocoCategory {
	id: u64,
	name: String,
}

/// Loads every image of a DENTEX (or plain COCO) annotation file.
pub fn load_dentex(json_path: &Path, image_dir: &Path) -> Result<Vec<DentexSample>, DentexError> {
	let text = std::fs::read_to_string(json_path).map_err(|source| DentexError::Io {
		path: json_path.to_path_buf(),
		reason: source.to_string(),
	})?;
	let coco: Coco = serde_json::from_str(&text).map_err(|error| DentexError::Json {
		path: json_path.to_path_buf(),
		line: error.line(),
		column: error.column(),
		message: error.to_string(),
	})?;
	let disease_names =
		if coco.categories_3.is_empty() { &coco.categories } else { &coco.categories_3 };
	let names: BTreeMap<u64, &str> =
		disease_names.iter().map(|c| (c.id, c.name.as_str())).collect();
	let mut samples: BTreeMap<u64, DentexSample> = BTreeMap::new();
	for image in &coco.images {
		let image_path = image_dir.join(&image.file_name);
		if !image_path.is_file() {
			return Err(DentexError::MissingImage(image_path));
		}
		samples.insert(
			image.id,
			DentexSample {
				image_path,
				width: image.width,
				height: image.height,
				annotations: Vec::new(),
				labels: Labels::default(),
			},
		);
	}
	for annotation in &coco.annotations {
		let sample = samples.get_mut(&annotation.image_id).ok_or(DentexError::UnknownImage {
			annotation: annotation.id,
			image: annotation.image_id,
		})?;
		let category = annotation.category_id_3.or(annotation.category_id).unwrap_or(u64::MAX);
		let disease = names
			.get(&category)
			.ok_or(DentexError::UnknownCategory { annotation: annotation.id, category })?;
		sample.annotations.push(DentexAnnotation {
			bbox: annotation.bbox,
			disease: disease.to_string(),
			quadrant: annotation.category_id_1,
			tooth: annotation.category_id_2,
		});
	}
	Ok(samples
		.into_values()
		.map(|mut sample| {
			let diseases: Vec<&str> =
				sample.annotations.iter().map(|a| a.disease.as_str()).collect();
			sample.labels = labels_from_diseases(&diseases);
			sample
		})
		.collect())
}

/// DENTEX diseases → labels. Caries: 2 (dentin) if any "Deep Caries", else 1 (enamel) if any
/// "Caries", else 0 — DENTEX's caries/deep-caries split only approximates enamel/dentin.
/// Endodontic: 1 if any "Periapical Lesion", else 0. The other modules are not labelled by
/// DENTEX and stay `None` (their heads are masked out of the loss).
pub fn labels_from_diseases(diseases: &[&str]) -> Labels {
	let has = |name: &str| diseases.iter().any(|disease| disease.eq_ignore_ascii_case(name));
	let caries = if has("Deep Caries") {
		2
	} else if has("Caries") {
		1
	} else {
		0
	};
	let mut labels = Labels::default();
	labels.set(DiagnosticModule::CariesDetection, Some(caries));
	labels.set(DiagnosticModule::EndodonticPathology, Some(u8::from(has("Periapical Lesion"))));
	labels
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;

	fn fixture(name: &str, json: &str, images: &[&str]) -> (PathBuf, PathBuf) {
		let dir = std::env::temp_dir().join(format!("btt-dentex-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		for image in images {
			std::fs::write(dir.join(image), b"png").unwrap();
		}
		std::fs::write(dir.join("train.json"), json).unwrap();
		(dir.join("train.json"), dir)
	}

	const DISEASE_JSON: &str = r#"{
		"images": [{"id": 1, "file_name": "a.png", "width": 100, "height": 50},
		           {"id": 2, "file_name": "b.png", "width": 100, "height": 50}],
		"annotations": [
			{"id": 10, "image_id": 1, "bbox": [1, 2, 3, 4], "category_id_1": 0, "category_id_2": 3, "category_id_3": 1},
			{"id": 11, "image_id": 1, "bbox": [5, 6, 7, 8], "category_id_1": 1, "category_id_2": 5, "category_id_3": 3},
			{"id": 12, "image_id": 2, "bbox": [1, 1, 1, 1], "category_id_3": 2}
		],
		"categories_3": [{"id": 0, "name": "Impacted"}, {"id": 1, "name": "Caries"},
		                 {"id": 2, "name": "Periapical Lesion"}, {"id": 3, "name": "Deep Caries"}]
	}"#;

	#[test]
	fn disease_split_maps_to_caries_and_endodontic_labels() {
		let (json, dir) = fixture("disease", DISEASE_JSON, &["a.png", "b.png"]);
		let samples = load_dentex(&json, &dir).unwrap();
		assert_eq!(samples.len(), 2);
		assert_eq!(samples[0].annotations.len(), 2);
		assert_eq!(samples[0].annotations[1].tooth, Some(5));
		assert_eq!(samples[0].labels.get(DiagnosticModule::CariesDetection), Some(2));
		assert_eq!(samples[0].labels.get(DiagnosticModule::EndodonticPathology), Some(0));
		assert_eq!(samples[1].labels.get(DiagnosticModule::CariesDetection), Some(0));
		assert_eq!(samples[1].labels.get(DiagnosticModule::EndodonticPathology), Some(1));
		assert_eq!(samples[1].labels.get(DiagnosticModule::OrthodonticAnalysis), None);
		assert_eq!(samples[0].read_bytes().unwrap(), b"png");
	}

	#[test]
	fn plain_coco_categories_are_read_too() {
		let json = r#"{"images": [{"id": 7, "file_name": "c.png", "width": 1, "height": 1}],
			"annotations": [{"id": 1, "image_id": 7, "category_id": 4}],
			"categories": [{"id": 4, "name": "Caries"}]}"#;
		let (json, dir) = fixture("plain", json, &["c.png"]);
		let samples = load_dentex(&json, &dir).unwrap();
		assert_eq!(samples[0].labels.get(DiagnosticModule::CariesDetection), Some(1));
	}

	#[test]
	fn each_bad_input_has_its_error() {
		let (json, dir) = fixture("missing", DISEASE_JSON, &["a.png"]);
		assert!(matches!(load_dentex(&json, &dir), Err(DentexError::MissingImage(_))));
		let (json, dir) = fixture("json", "{\"images\": [", &[]);
		assert!(matches!(load_dentex(&json, &dir), Err(DentexError::Json { line: 1, .. })));
		let bad_image = DISEASE_JSON.replace("\"image_id\": 2", "\"image_id\": 9");
		let (json, dir) = fixture("image", &bad_image, &["a.png", "b.png"]);
		assert_eq!(
			load_dentex(&json, &dir),
			Err(DentexError::UnknownImage { annotation: 12, image: 9 })
		);
		let bad_category = DISEASE_JSON.replace("\"category_id_3\": 2", "\"category_id_3\": 8");
		let (json, dir) = fixture("category", &bad_category, &["a.png", "b.png"]);
		assert_eq!(
			load_dentex(&json, &dir),
			Err(DentexError::UnknownCategory { annotation: 12, category: 8 })
		);
		assert!(matches!(
			load_dentex(Path::new("/nonexistent.json"), &dir),
			Err(DentexError::Io { .. })
		));
	}
}
