//! The diagnosis as an HL7 FHIR R4 `DiagnosticReport` with one contained `Observation` per
//! module finding, for the clinic's records system.
//!
//! The report is `preliminary`: it is a machine reading that a clinician must confirm. It
//! carries no patient data: no `subject` unless the clinic passes a reference, and the image
//! appears only as its blake2-256 hash (an extension), never as a link or attachment. Output
//! is deterministic (no timestamps unless given), so two nodes produce the same bytes.

use btt_primitives::depin::DiagnosticModule;
use fhirbolt::model::r4::{
	resources::{
		DiagnosticReport, Observation, ObservationComponent, ObservationComponentValue,
		ObservationValue,
	},
	types::{CodeableConcept, Coding, Extension, ExtensionValue, Identifier, Reference},
	Resource,
};

use crate::taxonomy::{classes, module_key};

/// Code system of BTT's AI findings (`<module>.<class>`).
pub const FINDING_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/dental-ai-finding";
/// Code system of the measures attached to a finding.
pub const MEASURE_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/dental-ai-measure";
/// Naming system of DePIN task ids.
pub const TASK_SYSTEM: &str = "https://btt.health/fhir/NamingSystem/depin-task";
/// Extension carrying the input image's blake2-256 hash.
pub const INPUT_HASH_EXTENSION: &str =
	"https://btt.health/fhir/StructureDefinition/input-blake2-256";

/// One module's finding for the report.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportFinding {
	/// The module.
	pub module: DiagnosticModule,
	/// Class index into [`crate::taxonomy::classes`].
	pub class: u8,
	/// Calibrated probability of that class.
	pub probability: f32,
	/// Quantized confidence bucket.
	pub bucket: u8,
}

/// Everything a report says.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportInput<'a> {
	/// The DePIN task, if the report answers one.
	pub task: Option<u64>,
	/// The model's chain id (blake2-256 of its file).
	pub model_id: [u8; 32],
	/// Model name and version, for people.
	pub model_version: Option<String>,
	/// blake2-256 of the input image.
	pub input_hash: [u8; 32],
	/// The findings, one per module.
	pub findings: &'a [ReportFinding],
	/// Image quality I.
	pub image_quality: f32,
	/// Confidence D of the task's module.
	pub model_confidence: f32,
	/// Uncertainty U of the task's module.
	pub uncertainty: f32,
	/// A FHIR reference to the patient (`Patient/123`), only if the clinic gives one.
	pub subject: Option<&'a str>,
	/// When the report was issued (FHIR instant); omitted if `None`.
	pub issued: Option<&'a str>,
}

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum FhirError {
	/// A finding's class is not one of its module's classes.
	#[error("{module:?} has no class {class}")]
	UnknownClass {
		/// The module.
		module: DiagnosticModule,
		/// The class.
		class: u8,
	},
	/// JSON serialization failed.
	#[error("FHIR JSON: {0}")]
	Json(String),
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn concept(system: &str, code: &str, display: &str) -> Box<CodeableConcept> {
	Box::new(CodeableConcept {
		coding: vec![Coding {
			system: Some(system.into()),
			code: Some(code.into()),
			display: Some(display.into()),
			..Default::default()
		}],
		text: Some(display.into()),
		..Default::default()
	})
}

/// A probability in whole per mille: enough for a report, and stable across machines' last bits.
/// (An integer rather than a FHIR decimal: fhirbolt 0.4 cannot read back the decimals it writes.)
fn per_mille(value: f32) -> i32 {
	(value.clamp(0.0, 1.0) * 1000.0).round() as i32
}

fn measure(code: &str, display: &str, value: ObservationComponentValue) -> ObservationComponent {
	ObservationComponent {
		code: concept(MEASURE_SYSTEM, code, display),
		value: Some(value),
		..Default::default()
	}
}

/// One module's finding as an Observation.
fn observation(
	input: &ReportInput,
	finding: &ReportFinding,
	index: usize,
) -> Result<Observation, FhirError> {
	let module = finding.module;
	let class_name = classes(module)
		.get(finding.class as usize)
		.ok_or(FhirError::UnknownClass { module, class: finding.class })?;
	let code = format!("{}.{}", module_key(module), finding.class);
	Ok(Observation {
		id: Some(format!("obs-{index}").into()),
		status: "preliminary".into(),
		category: vec![*concept(
			"http://terminology.hl7.org/CodeSystem/observation-category",
			"imaging",
			"Imaging",
		)],
		code: concept(
			FINDING_SYSTEM,
			module_key(module),
			&format!("AI {} reading", module_key(module).replace('_', " ")),
		),
		subject: input.subject.map(|subject| {
			Box::new(Reference { reference: Some(subject.into()), ..Default::default() })
		}),
		value: Some(ObservationValue::CodeableConcept(concept(FINDING_SYSTEM, &code, class_name))),
		method: Some(concept(
			"https://btt.health/fhir/CodeSystem/model",
			&hex(&input.model_id),
			input.model_version.as_deref().unwrap_or("BTT diagnostic model"),
		)),
		component: vec![
			measure(
				"probability-permille",
				"Calibrated probability (per mille)",
				ObservationComponentValue::Integer(per_mille(finding.probability).into()),
			),
			measure(
				"bucket",
				"Quantized confidence bucket",
				ObservationComponentValue::Integer(i32::from(finding.bucket).into()),
			),
		],
		..Default::default()
	})
}

/// Builds the report.
pub fn diagnostic_report(input: &ReportInput) -> Result<DiagnosticReport, FhirError> {
	let mut contained = Vec::with_capacity(input.findings.len());
	let mut results = Vec::with_capacity(input.findings.len());
	for (index, finding) in input.findings.iter().enumerate() {
		contained.push(Resource::Observation(Box::new(observation(input, finding, index)?)));
		results.push(Reference {
			reference: Some(format!("#obs-{index}").into()),
			..Default::default()
		});
	}
	let positive: Vec<String> = input
		.findings
		.iter()
		.filter(|finding| finding.class > 0)
		.filter_map(|finding| {
			classes(finding.module).get(finding.class as usize).map(|name| name.to_string())
		})
		.collect();
	let summary = if positive.is_empty() { "no finding".to_string() } else { positive.join(", ") };
	let conclusion = format!(
		"AI reading (preliminary, requires review by a dentist): {summary}. Image quality {:.2}, confidence {:.2}, uncertainty {:.2}.",
		input.image_quality.clamp(0.0, 1.0),
		input.model_confidence.clamp(0.0, 1.0),
		input.uncertainty.clamp(0.0, 1.0)
	);
	Ok(DiagnosticReport {
		contained,
		extension: vec![Extension {
			url: INPUT_HASH_EXTENSION.into(),
			value: Some(ExtensionValue::String(hex(&input.input_hash).into())),
			..Default::default()
		}],
		identifier: input
			.task
			.map(|task| Identifier {
				system: Some(TASK_SYSTEM.into()),
				value: Some(task.to_string().into()),
				..Default::default()
			})
			.into_iter()
			.collect(),
		status: "preliminary".into(),
		category: vec![*concept(
			"http://terminology.hl7.org/CodeSystem/v2-0074",
			"RAD",
			"Radiology",
		)],
		code: concept("http://loinc.org", "18748-4", "Diagnostic imaging study"),
		subject: input.subject.map(|subject| {
			Box::new(Reference { reference: Some(subject.into()), ..Default::default() })
		}),
		issued: input.issued.map(Into::into),
		result: results,
		conclusion: Some(conclusion.into()),
		..Default::default()
	})
}

/// The report as pretty-printed FHIR JSON.
pub fn report_json(report: &DiagnosticReport) -> Result<String, FhirError> {
	fhirbolt::json::to_string_pretty(report, None)
		.map_err(|error| FhirError::Json(error.to_string()))
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;

	fn findings() -> Vec<ReportFinding> {
		DiagnosticModule::ALL
			.into_iter()
			.map(|module| ReportFinding {
				module,
				class: u8::from(module == DiagnosticModule::CariesDetection) * 2,
				probability: 0.871,
				bucket: 2,
			})
			.collect()
	}

	fn input<'a>(findings: &'a [ReportFinding], subject: Option<&'a str>) -> ReportInput<'a> {
		ReportInput {
			task: Some(42),
			model_id: [0xAB; 32],
			model_version: Some("btt-dental-tiny v1".into()),
			input_hash: [0x11; 32],
			findings,
			image_quality: 0.8,
			model_confidence: 0.871,
			uncertainty: 0.2,
			subject,
			issued: None,
		}
	}

	#[test]
	fn report_parses_back_strictly_with_one_observation_per_finding() {
		let findings = findings();
		let report = diagnostic_report(&input(&findings, None)).unwrap();
		let json = report_json(&report).unwrap();
		// fhirbolt 0.4 cannot read `contained` resources back (it rejects their coding systems
		// as non-URIs), so the report and each contained Observation are checked strictly apart.
		let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
		let contained = value.as_object_mut().unwrap().remove("contained").unwrap();
		let parsed: DiagnosticReport = fhirbolt::json::from_str(&value.to_string(), None).unwrap();
		assert_eq!(parsed.result, report.result);
		assert_eq!(parsed.code, report.code);
		for (index, entry) in contained.as_array().unwrap().iter().enumerate() {
			let observation: Observation =
				fhirbolt::json::from_str(&entry.to_string(), None).unwrap();
			let Resource::Observation(expected) = &report.contained[index] else {
				panic!("an Observation")
			};
			assert_eq!(&observation, expected.as_ref());
		}
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		assert_eq!(value["resourceType"], "DiagnosticReport");
		assert_eq!(value["contained"].as_array().unwrap().len(), 5);
		assert_eq!(value["result"][0]["reference"], "#obs-0");
		assert_eq!(value["contained"][0]["valueCodeableConcept"]["coding"][0]["code"], "caries.2");
		assert_eq!(
			value["contained"][0]["valueCodeableConcept"]["coding"][0]["display"],
			"dentin caries"
		);
		assert_eq!(value["identifier"][0]["value"], "42");
		assert!(value["conclusion"].as_str().unwrap().contains("dentin caries"));
	}

	#[test]
	fn no_patient_data_unless_the_clinic_gives_a_reference() {
		let findings = findings();
		let json = report_json(&diagnostic_report(&input(&findings, None)).unwrap()).unwrap();
		assert!(!json.contains("subject"));
		assert!(!json.contains("Patient"));
		assert!(!json.contains("name"));
		let with = report_json(&diagnostic_report(&input(&findings, Some("Patient/123"))).unwrap())
			.unwrap();
		assert!(with.contains("\"subject\""));
		assert!(with.contains("Patient/123"));
	}

	#[test]
	fn reports_are_deterministic_and_unknown_classes_are_refused() {
		let findings = findings();
		let a = report_json(&diagnostic_report(&input(&findings, None)).unwrap()).unwrap();
		let b = report_json(&diagnostic_report(&input(&findings, None)).unwrap()).unwrap();
		assert_eq!(a, b);
		let bad = [ReportFinding {
			module: DiagnosticModule::EndodonticPathology,
			class: 5,
			probability: 0.5,
			bucket: 0,
		}];
		assert!(matches!(
			diagnostic_report(&input(&bad, None)),
			Err(FhirError::UnknownClass { class: 5, .. })
		));
	}
}
