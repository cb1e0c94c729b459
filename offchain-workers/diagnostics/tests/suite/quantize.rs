//! Quantization: the bytes nodes agree on.

use btt_diagnostics::quantize::{chain_diagnosis, digest, whole_percent, QuantizeError, BTT_Q1};
use btt_primitives::depin::{DiagnosticModule, InputFault};

#[test]
fn class_is_the_arg_max_and_the_bucket_follows_the_edges() {
	let finding = BTT_Q1.quantize(DiagnosticModule::CariesDetection, &[0.1, 0.2, 0.7]).unwrap();
	assert_eq!((finding.class, finding.bucket), (2, 1));
	assert_eq!(BTT_Q1.bucket(0.5999), 0);
	assert_eq!(BTT_Q1.bucket(0.60), 1);
	assert_eq!(BTT_Q1.bucket(0.95), 3);
	// A tie goes to the lower class.
	assert_eq!(
		BTT_Q1.quantize(DiagnosticModule::EndodonticPathology, &[0.5, 0.5]).unwrap().class,
		0
	);
}

#[test]
fn findings_round_trip_and_never_read_as_a_fault() {
	for module in DiagnosticModule::ALL {
		let classes = btt_diagnostics::taxonomy::class_count(module);
		let mut probabilities = vec![0.0; classes];
		probabilities[classes - 1] = 1.0;
		let finding = BTT_Q1.quantize(module, &probabilities).unwrap();
		let bytes = BTT_Q1.encode(&finding);
		assert_eq!(BTT_Q1.decode(&bytes).unwrap(), finding);
		assert_eq!(InputFault::from_findings(&bytes), None);
	}
	assert!(BTT_Q1.decode(&InputFault::InputUnreadable.findings()).is_err());
}

#[test]
fn bad_probabilities_are_refused() {
	assert_eq!(
		BTT_Q1.quantize(DiagnosticModule::CariesDetection, &[0.5, 0.5]),
		Err(QuantizeError::ClassCount {
			module: DiagnosticModule::CariesDetection,
			expected: 3,
			got: 2
		})
	);
	assert!(matches!(
		BTT_Q1.quantize(DiagnosticModule::EndodonticPathology, &[f32::NAN, 0.5]),
		Err(QuantizeError::InvalidProbability(_))
	));
}

#[test]
fn edge_margin_measures_the_distance_to_a_flip() {
	assert!((BTT_Q1.edge_margin(&[0.2, 0.8001]) - 0.0001).abs() < 1e-5);
	assert_eq!(BTT_Q1.edge_margin(&[0.5, 0.5]), 0.0);
	assert!(BTT_Q1.edge_margin(&[0.3, 0.7]) > 0.09);
}

#[test]
fn digest_covers_every_revealed_field() {
	let findings = BTT_Q1
		.encode(&BTT_Q1.quantize(DiagnosticModule::CariesDetection, &[0.1, 0.2, 0.7]).unwrap());
	let base = chain_diagnosis(findings.clone(), 0.8, 0.7, 0.2);
	assert_eq!(base.image_quality.deconstruct(), 80);
	assert_eq!(digest(&base), digest(&chain_diagnosis(findings.clone(), 0.8, 0.7, 0.2)));
	assert_ne!(digest(&base), digest(&chain_diagnosis(findings, 0.81, 0.7, 0.2)));
	assert_eq!((whole_percent(0.995), whole_percent(f32::NAN), whole_percent(2.0)), (100, 0, 100));
}
