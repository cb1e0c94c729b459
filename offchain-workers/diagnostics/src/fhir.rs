//! The diagnosis as an HL7 FHIR R4 `DiagnosticReport` with one contained `Observation` per
//! module finding, for the clinic's records system.
//!
//! The report is `preliminary`: it is a machine reading that a clinician must confirm. It
//! carries no patient data: no `subject` unless the clinic passes a reference, and the image
//! appears only as its blake2-256 hash (an extension), never as a link or attachment.
//! `effectiveDateTime` and `issued` are the time of the AI reading (the worker does not know
//! when the radiograph was taken, and reads no acquisition date from it); without them the
//! output is deterministic.
//!
//! Each finding is coded in BTT's own system and, where a SNOMED CT concept certainly means
//! it, in SNOMED CT too ([`snomed`]). Each Observation carries a `meta.tag` saying whether the
//! chain verifies it: only the task's module is committed, revealed and checked by the quorum;
//! the other modules' findings come from the same pass of the model and nobody checked them.

use std::time::{SystemTime, UNIX_EPOCH};

use btt_primitives::depin::DiagnosticModule;
use fhirbolt::model::r4::{
	resources::{
		DiagnosticReport, DiagnosticReportEffective, Observation, ObservationComponent,
		ObservationComponentValue, ObservationValue,
	},
	types::{
		CodeableConcept, Coding, DateTime, Extension, ExtensionValue, Identifier, Instant, Meta,
		Reference,
	},
	Resource,
};
use fhirbolt::{element::Element, FhirReleases};

use crate::{
	decode::ColourEncoding,
	taxonomy::{classes, module_key},
};

/// Code system of BTT's AI findings (`<module>.<class>`).
pub const FINDING_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/dental-ai-finding";
/// Code system of the measures attached to a finding.
pub const MEASURE_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/dental-ai-measure";
/// Naming system of DePIN task ids.
pub const TASK_SYSTEM: &str = "https://btt.health/fhir/NamingSystem/depin-task";
/// SNOMED CT.
pub const SNOMED_SYSTEM: &str = "http://snomed.info/sct";
/// Code system of the `meta.tag` saying whether the chain verifies an Observation.
pub const VERIFICATION_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/chain-verification";
/// The tag of the task's module's Observation: committed, revealed and checked by the quorum.
pub const VERIFIED: &str = "verified";
/// The tag of every other Observation (and of every one when the report answers no task).
pub const UNVERIFIED: &str = "unverified";
/// Extension recording that a colour image was converted to luminance before the reading:
/// a `valueCoding` whose code is the DICOM Photometric Interpretation and whose display
/// says how it was converted.
pub const SOURCE_COLOUR_EXTENSION: &str =
	"https://btt.health/fhir/StructureDefinition/source-colour-conversion";
/// Code system of [`SOURCE_COLOUR_EXTENSION`]'s codes: DICOM Photometric Interpretations
/// (PS3.3 C.7.6.3.1.2).
pub const PHOTOMETRIC_SYSTEM: &str =
	"https://btt.health/fhir/CodeSystem/dicom-photometric-interpretation";
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
	/// When the reading was made (FHIR dateTime, `effectiveDateTime`); omitted if `None`.
	pub effective: Option<&'a str>,
	/// The module whose finding the chain verifies (the task's); `None`: none (no task).
	pub verified_module: Option<DiagnosticModule>,
	/// The DICOM colour encoding the image was converted to luminance from; `None`: the
	/// image was grey (or a PNG/JPEG, whose colour the decoder reduces to luma).
	pub colour: Option<ColourEncoding>,
}

/// The SNOMED CT concept (id, preferred term) of a finding class, only where one certainly
/// means it: a caries class maps to *Dental caries (disorder)*, whatever its depth. The other
/// classes (bone loss, crowding, spacing, periapical lesion, cyst-like radiolucency) have no
/// SNOMED CT code here: no concept id could be checked against a SNOMED CT release on this
/// machine, so none is guessed.
pub fn snomed(module: DiagnosticModule, class: u8) -> Option<(&'static str, &'static str)> {
	match (module, class) {
		(DiagnosticModule::CariesDetection, 1 | 2) => Some(("80967001", "Dental caries")),
		_ => None,
	}
}

/// `time` as a FHIR instant in UTC to the second (`2026-12-01T23:40:38Z`); `None` before 1970.
pub fn fhir_instant(time: SystemTime) -> Option<String> {
	let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
	let (days, rest) = (seconds / 86_400, seconds % 86_400);
	// Days since 1970-01-01 to a proleptic Gregorian date (March-based years, 400-year eras).
	let z = days + 719_468;
	let (era, day_of_era) = (z / 146_097, z % 146_097);
	let year_of_era =
		(day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
	let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	let month_index = (5 * day_of_year + 2) / 153;
	let day = day_of_year - (153 * month_index + 2) / 5 + 1;
	let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
	let year = year_of_era + era * 400 + u64::from(month <= 2);
	Some(format!(
		"{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
		rest / 3600,
		rest % 3600 / 60,
		rest % 60
	))
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
	let mut value = concept(FINDING_SYSTEM, &code, class_name);
	if let Some((id, term)) = snomed(module, finding.class) {
		value.coding.push(Coding {
			system: Some(SNOMED_SYSTEM.into()),
			code: Some(id.into()),
			display: Some(term.into()),
			..Default::default()
		});
	}
	let (tag, tag_display) = if input.verified_module == Some(module) {
		(VERIFIED, "Verified by the BTT chain's quorum (the task's module)")
	} else {
		(UNVERIFIED, "Not verified by the chain (computed alongside the task's module)")
	};
	Ok(Observation {
		id: Some(format!("obs-{index}").into()),
		meta: Some(Box::new(Meta {
			tag: vec![Coding {
				system: Some(VERIFICATION_SYSTEM.into()),
				code: Some(tag.into()),
				display: Some(tag_display.into()),
				..Default::default()
			}],
			..Default::default()
		})),
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
		value: Some(ObservationValue::CodeableConcept(value)),
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
	let read_from = input.colour.map_or(String::new(), |colour| {
		format!(
			" Read from a {} image converted to luminance ({}).",
			colour.photometric(),
			colour.conversion()
		)
	});
	let conclusion = format!(
		"AI reading (preliminary, requires review by a dentist): {summary}. Image quality {:.2}, confidence {:.2}, uncertainty {:.2}.{read_from}",
		input.image_quality.clamp(0.0, 1.0),
		input.model_confidence.clamp(0.0, 1.0),
		input.uncertainty.clamp(0.0, 1.0)
	);
	let mut extension = vec![Extension {
		url: INPUT_HASH_EXTENSION.into(),
		value: Some(ExtensionValue::String(hex(&input.input_hash).into())),
		..Default::default()
	}];
	if let Some(colour) = input.colour {
		extension.push(Extension {
			url: SOURCE_COLOUR_EXTENSION.into(),
			value: Some(ExtensionValue::Coding(Box::new(Coding {
				system: Some(PHOTOMETRIC_SYSTEM.into()),
				code: Some(colour.photometric().into()),
				display: Some(colour.conversion().into()),
				..Default::default()
			}))),
			..Default::default()
		});
	}
	Ok(DiagnosticReport {
		contained,
		extension,
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
		effective: input.effective.map(|time| {
			DiagnosticReportEffective::DateTime(DateTime {
				value: Some(time.into()),
				..Default::default()
			})
		}),
		issued: input.issued.map(|time| Instant { value: Some(time.into()), ..Default::default() }),
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

/// Parses a report's FHIR JSON with fhirbolt, `contained` resources included: into fhirbolt's
/// R4 element tree, then into the typed resource. (fhirbolt 0.4's direct
/// `json::from_str::<DiagnosticReport>` reads the first contained resource and then misreads
/// everything after it: its deserializer switches formats for a contained resource and never
/// switches back.)
pub fn parse_report(json: &str) -> Result<DiagnosticReport, FhirError> {
	let element: Element<{ FhirReleases::R4 }> =
		fhirbolt::json::from_str(json, None).map_err(|error| FhirError::Json(error.to_string()))?;
	fhirbolt::element::from_element(element, None)
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
			effective: None,
			verified_module: Some(DiagnosticModule::CariesDetection),
			colour: None,
		}
	}

	#[test]
	fn report_parses_back_strictly_with_one_observation_per_finding() {
		let findings = findings();
		let report = diagnostic_report(&input(&findings, None)).unwrap();
		let json = report_json(&report).unwrap();
		let parsed = parse_report(&json).unwrap();
		assert_eq!(parsed.result, report.result);
		assert_eq!(parsed.code, report.code);
		assert_eq!(parsed.contained, report.contained);
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

	#[test]
	fn whole_report_with_contained_observations_round_trips_through_fhirbolt() {
		let findings = findings();
		let report = diagnostic_report(&ReportInput {
			issued: Some("2026-12-01T23:40:38Z"),
			effective: Some("2026-12-01T23:40:38Z"),
			..input(&findings, Some("Patient/123"))
		})
		.unwrap();
		let json = report_json(&report).unwrap();
		let parsed = parse_report(&json).unwrap();
		assert_eq!(parsed, report);
		// The XML form round-trips through fhirbolt as well.
		let xml = fhirbolt::xml::to_string(&report, None).unwrap();
		assert_eq!(fhirbolt::xml::from_str::<DiagnosticReport>(&xml, None).unwrap(), report);
		assert_eq!(parsed.contained.len(), 5);
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		assert_eq!(value["effectiveDateTime"], "2026-12-01T23:40:38Z");
		assert_eq!(value["issued"], "2026-12-01T23:40:38Z");
	}

	#[test]
	fn a_colour_source_is_recorded_as_its_conversion_and_round_trips() {
		let findings = findings();
		let grey = report_json(&diagnostic_report(&input(&findings, None)).unwrap()).unwrap();
		assert!(!grey.contains(SOURCE_COLOUR_EXTENSION), "{grey}");
		assert!(!grey.contains("converted to luminance"), "{grey}");
		let report = diagnostic_report(&ReportInput {
			colour: Some(ColourEncoding::YbrFull422),
			..input(&findings, None)
		})
		.unwrap();
		let json = report_json(&report).unwrap();
		assert_eq!(parse_report(&json).unwrap(), report);
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		let extensions = value["extension"].as_array().unwrap();
		assert_eq!(extensions.len(), 2, "{extensions:?}");
		assert_eq!(extensions[1]["url"], SOURCE_COLOUR_EXTENSION);
		assert_eq!(extensions[1]["valueCoding"]["system"], PHOTOMETRIC_SYSTEM);
		assert_eq!(extensions[1]["valueCoding"]["code"], "YBR_FULL_422");
		assert_eq!(
			extensions[1]["valueCoding"]["display"],
			ColourEncoding::YbrFull422.conversion()
		);
		assert!(
			value["conclusion"]
				.as_str()
				.unwrap()
				.ends_with("Read from a YBR_FULL_422 image converted to luminance (the Y channel (BT.601 luma); a JPEG decoder's RGB output through BT.601 luma)."),
			"{}",
			value["conclusion"]
		);
	}

	#[test]
	fn caries_findings_carry_snomed_dental_caries_and_others_no_snomed_code() {
		let findings = findings();
		let json = report_json(&diagnostic_report(&input(&findings, None)).unwrap()).unwrap();
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		let codings = &value["contained"][0]["valueCodeableConcept"]["coding"];
		assert_eq!(codings[1]["system"], SNOMED_SYSTEM);
		assert_eq!(codings[1]["code"], "80967001");
		assert_eq!(codings[1]["display"], "Dental caries");
		for index in 1..5 {
			let codings =
				value["contained"][index]["valueCodeableConcept"]["coding"].as_array().unwrap();
			assert_eq!(codings.len(), 1, "{codings:?}");
		}
		assert_eq!(snomed(DiagnosticModule::CariesDetection, 0), None);
		assert_eq!(
			snomed(DiagnosticModule::CariesDetection, 1),
			Some(("80967001", "Dental caries"))
		);
		assert_eq!(snomed(DiagnosticModule::EndodonticPathology, 1), None);
		// The report's own code stays LOINC.
		assert_eq!(value["code"]["coding"][0]["system"], "http://loinc.org");
	}

	#[test]
	fn only_the_task_module_is_tagged_verified_by_the_chain() {
		let findings = findings();
		let tags = |verified_module| {
			let report =
				diagnostic_report(&ReportInput { verified_module, ..input(&findings, None) })
					.unwrap();
			let value: serde_json::Value =
				serde_json::from_str(&report_json(&report).unwrap()).unwrap();
			(0..5)
				.map(|index| {
					let tag = &value["contained"][index]["meta"]["tag"][0];
					assert_eq!(tag["system"], VERIFICATION_SYSTEM);
					tag["code"].as_str().unwrap().to_string()
				})
				.collect::<Vec<_>>()
		};
		let periodontal = tags(Some(DiagnosticModule::PeriodontalAssessment));
		assert_eq!(periodontal, [UNVERIFIED, VERIFIED, UNVERIFIED, UNVERIFIED, UNVERIFIED]);
		assert_eq!(tags(None), [UNVERIFIED; 5]);
	}

	#[test]
	fn instants_are_utc_to_the_second_and_none_before_1970() {
		let at = |seconds| fhir_instant(UNIX_EPOCH + std::time::Duration::from_secs(seconds));
		assert_eq!(at(0).unwrap(), "1970-01-01T00:00:00Z");
		assert_eq!(at(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
		assert_eq!(at(1_796_168_438).unwrap(), "2026-12-01T23:40:38Z");
		assert_eq!(at(4_102_444_799).unwrap(), "2099-12-31T23:59:59Z");
		assert_eq!(fhir_instant(UNIX_EPOCH - std::time::Duration::from_secs(1)), None);
	}

	#[test]
	fn a_malformed_report_is_a_json_error() {
		assert!(matches!(
			parse_report("{\"resourceType\": \"DiagnosticReport\", \"status\": 7}"),
			Err(FhirError::Json(_))
		));
		assert!(matches!(parse_report("not json"), Err(FhirError::Json(_))));
	}
}
