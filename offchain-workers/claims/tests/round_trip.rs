//! The converter on a real dental claim (`tests/fixtures/checkup-claim.json`, with a contained
//! Patient holding a name, a birth date and a record number): what reaches the chain, what it
//! refuses, and every outcome there and back through FHIR.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use btt_claims::{
	account::parse_account,
	outcome::{claim_response, outcome_of, payment_reconciliation, Outcome},
	parse,
	submission::{
		day_of, decimal_units, submission, Currency, CurrencyMap, Salt, Submission,
		PAYFI_PALLET_INDEX, SUBMIT_CLAIM_CALL_INDEX,
	},
	to_json, ClaimsError,
};
use btt_primitives::payfi::CodeError;
use fhirbolt::model::r4::resources::{Claim, ClaimResponse, PaymentReconciliation};
use sp_core::H256;

const FIXTURE: &str = include_str!("fixtures/checkup-claim.json");
/// The fixture's insurer: Dave's well-known development account.
const DAVE: &str = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";
const CREATED: &str = "2024-10-20T09:30:00Z";

fn claim() -> Claim {
	parse(FIXTURE).unwrap()
}

fn salt() -> Salt {
	Salt::new(b"clinic secret salt, 32 bytes ...".to_vec()).unwrap()
}

fn submit(claim: &Claim) -> Result<Submission, ClaimsError> {
	submission(claim, &salt(), &CurrencyMap::default(), Some(H256::repeat_byte(0xAD)))
}

/// The fixture edited as JSON, then parsed.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Claim {
	let mut json: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
	edit(&mut json);
	parse(&json.to_string()).unwrap()
}

#[test]
fn a_dental_claim_becomes_submit_claim_arguments_with_no_patient_data() {
	let submission = submit(&claim()).unwrap();
	let procedures: Vec<u16> =
		submission.code.procedures.iter().map(|code| code.number()).collect();
	assert_eq!(procedures, vec![120, 274]);
	assert_eq!(submission.code.diagnoses.len(), 1);
	assert_eq!(submission.code.diagnoses[0].characters(), b"K0252");
	assert_eq!(submission.code.encounter_day, 20_000, "2024-10-04");
	assert_eq!(submission.insurer, parse_account(DAVE).unwrap());
	assert_eq!(submission.code.insurer, Some(submission.insurer));
	assert_eq!((submission.currency, submission.amount), (Currency::WithId(1337), 80_000_000));
	assert_eq!(submission.code.validate(), Ok(()));

	let data = submission.call_data();
	assert_eq!(data[..2], [PAYFI_PALLET_INDEX, SUBMIT_CLAIM_CALL_INDEX]);
	assert_eq!(Submission::from_call_data(&data).unwrap(), submission);
	// Nothing of the patient or of the clinic's record numbers reaches the chain.
	for secret in
		[&b"Smith"[..], b"Jordan", b"1984", b"MRN-000917", b"CLM-2024-10-0042", b"clinic.example"]
	{
		assert!(!data.windows(secret.len()).any(|window| window == secret), "{secret:?} leaked");
	}
}

#[test]
fn the_hashes_depend_on_the_clinic_s_salt_and_on_nothing_else_of_the_claim() {
	let first = submit(&claim()).unwrap();
	let reparsed = submit(&parse(&btt_claims::to_json(&claim()).unwrap()).unwrap()).unwrap();
	assert_eq!(first, reparsed, "the same claim gives the same arguments");
	let other_salt = Salt::new(vec![7; 32]).unwrap();
	let other = submission(&claim(), &other_salt, &CurrencyMap::default(), None).unwrap();
	assert_ne!(other.code.claim, first.code.claim);
	assert_ne!(other.code.patient, first.code.patient);
	// The patient's name is not part of its key: a corrected spelling hashes alike.
	let renamed = edited(|json| json["contained"][0]["name"][0]["family"] = "Smyth".into());
	assert_eq!(submit(&renamed).unwrap().code.patient, first.code.patient);
	assert!(matches!(Salt::new(vec![1; 15]), Err(ClaimsError::ShortSalt(15))));
}

#[test]
fn claims_the_chain_would_refuse_are_refused_here_with_the_reason() {
	let uncoded = edited(|json| {
		json["item"][1]["productOrService"]["coding"][0]["system"] =
			"http://example.org/local".into()
	});
	assert!(matches!(submit(&uncoded), Err(ClaimsError::Uncoded { what: "item", index: 1, .. })));
	let draft = edited(|json| json["status"] = "draft".into());
	assert!(matches!(submit(&draft), Err(ClaimsError::NotSubmittable(_))));
	let estimate = edited(|json| json["use"] = "predetermination".into());
	assert!(matches!(submit(&estimate), Err(ClaimsError::NotSubmittable(_))));
	let euros = edited(|json| json["total"]["currency"] = "EUR".into());
	assert!(matches!(submit(&euros), Err(ClaimsError::UnknownCurrency(code)) if code == "EUR"));
	let no_insurer =
		edited(|json| json["insurer"]["identifier"]["system"] = "https://other.example".into());
	assert!(matches!(submit(&no_insurer), Err(ClaimsError::Missing(_))));
	let bad_insurer = edited(|json| {
		json["insurer"]["identifier"]["value"] =
			"5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFz".into()
	});
	assert!(matches!(submit(&bad_insurer), Err(ClaimsError::Account(_))));
	let bad_diagnosis = edited(|json| {
		json["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] = "Smith".into()
	});
	assert!(matches!(submit(&bad_diagnosis), Err(ClaimsError::Code(CodeError::DiagnosisFormat))));
	let nine = edited(|json| {
		let template = json["item"][0].clone();
		json["item"] = (0..9)
			.map(|i| {
				let mut item = template.clone();
				item["productOrService"]["coding"][0]["code"] = format!("D11{i:02}").into();
				item
			})
			.collect();
	});
	assert!(matches!(submit(&nine), Err(ClaimsError::Code(CodeError::TooManyProcedures))));
	// The same procedure on two teeth is one code on chain; the amount is the claim's.
	let twice = edited(|json| {
		json["item"][1]["productOrService"] = json["item"][0]["productOrService"].clone()
	});
	let procedures: Vec<u16> =
		submit(&twice).unwrap().code.procedures.iter().map(|code| code.number()).collect();
	assert_eq!(procedures, vec![120]);
}

#[test]
fn amounts_and_dates_convert_exactly_or_not_at_all() {
	assert_eq!(decimal_units("80.00", 6).unwrap(), 80_000_000);
	assert_eq!(decimal_units("0.000001", 6).unwrap(), 1);
	assert_eq!(decimal_units("12", 0).unwrap(), 12);
	assert_eq!(decimal_units("1.5000000", 6).unwrap(), 1_500_000, "trailing zeros are exact");
	for bad in ["0.0000001", "-1.00", "1e3", "", ".5", "1.2.3", "NaN"] {
		assert!(decimal_units(bad, 6).is_err(), "{bad}");
	}
	assert_eq!(day_of("1970-01-01").unwrap(), 0);
	assert_eq!(day_of("2024-10-04").unwrap(), 20_000);
	assert_eq!(day_of("2000-03-01T10:00:00Z").unwrap(), 11_017);
	for bad in ["1969-12-31", "2024-13-01", "2024-10", "yesterday"] {
		assert!(day_of(bad).is_err(), "{bad}");
	}
	let too_precise =
		edited(|json| json["total"]["value"] = serde_json::from_str("80.0000001").unwrap());
	assert!(matches!(submit(&too_precise), Err(ClaimsError::Amount(_))));
}

fn outcomes() -> Vec<Outcome> {
	vec![
		Outcome::ClaimApproved {
			claim: 0,
			paid: 60_000_000,
			claimed: 80_000_000,
			payment: Some(3),
		},
		Outcome::ClaimApproved {
			claim: 1,
			paid: 80_000_000,
			claimed: 80_000_000,
			payment: Some(4),
		},
		Outcome::ClaimDenied { claim: 2, reason: 96 },
		Outcome::ClaimResolved {
			claim: 3,
			awarded: 80_000_000,
			payment: Some(9),
			frivolous: false,
		},
		Outcome::ClaimResolved { claim: 4, awarded: 0, payment: None, frivolous: true },
		Outcome::ClaimWithdrawn { claim: 5 },
	]
}

#[test]
fn every_outcome_round_trips_through_a_fhir_claim_response() {
	let currencies = CurrencyMap::default();
	for outcome in outcomes() {
		let response = claim_response(&claim(), &outcome, &currencies, CREATED).unwrap();
		let json = to_json(&response).unwrap();
		let back: ClaimResponse = parse(&json).unwrap();
		assert_eq!(back, response, "{json}");
		assert_eq!(outcome_of(&back, &currencies).unwrap(), outcome, "{json}");
	}
	let partial = claim_response(&claim(), &outcomes()[0], &currencies, CREATED).unwrap();
	let json: serde_json::Value = serde_json::from_str(&to_json(&partial).unwrap()).unwrap();
	assert_eq!(json["disposition"], "Approved in part");
	assert_eq!(json["request"]["identifier"]["value"], "CLM-2024-10-0042");
	assert_eq!(json["payment"]["amount"]["value"].to_string(), "60.00");
	assert_eq!(json["total"][0]["amount"]["value"].to_string(), "80.00");
	let denied = claim_response(&claim(), &outcomes()[2], &currencies, CREATED).unwrap();
	let json: serde_json::Value = serde_json::from_str(&to_json(&denied).unwrap()).unwrap();
	assert_eq!(json["adjudication"][0]["reason"]["coding"][0]["code"], "96");
	assert!(json.get("payment").is_none());
}

#[test]
fn a_payment_reconciliation_records_what_was_paid_and_nothing_is_reconciled_for_a_denial() {
	let currencies = CurrencyMap::default();
	let paid =
		payment_reconciliation(&claim(), &outcomes()[0], &currencies, CREATED).unwrap().unwrap();
	let json = to_json(&paid).unwrap();
	let back: PaymentReconciliation = parse(&json).unwrap();
	assert_eq!(back, paid);
	let value: serde_json::Value = serde_json::from_str(&json).unwrap();
	assert_eq!(value["paymentAmount"]["value"].to_string(), "60.00");
	assert_eq!(value["paymentDate"], "2024-10-20");
	assert_eq!(value["paymentIdentifier"]["value"], "3");
	assert_eq!(value["detail"][0]["request"]["identifier"]["value"], "CLM-2024-10-0042");
	for nothing_paid in [&outcomes()[2], &outcomes()[4], &outcomes()[5]] {
		assert!(payment_reconciliation(&claim(), nothing_paid, &currencies, CREATED)
			.unwrap()
			.is_none());
	}
}

#[test]
fn the_tool_prints_the_call_data_and_the_claim_response() {
	let dir = std::env::temp_dir().join(format!("btt-claims-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let (claim_path, salt_path, outcome_path) =
		(dir.join("claim.json"), dir.join("salt"), dir.join("outcome.json"));
	std::fs::write(&claim_path, FIXTURE).unwrap();
	std::fs::write(&salt_path, b"clinic secret salt, 32 bytes ...").unwrap();
	std::fs::write(&outcome_path, r#"{"event":"ClaimDenied","claim":2,"reason":96}"#).unwrap();
	let tool = env!("CARGO_BIN_EXE_btt-claims");
	let run = |args: &[&str]| {
		let output = std::process::Command::new(tool).args(args).output().unwrap();
		(
			output.status.success(),
			String::from_utf8(output.stdout).unwrap(),
			String::from_utf8(output.stderr).unwrap(),
		)
	};
	let claim_arg = claim_path.to_str().unwrap();
	let (ok, out, err) =
		run(&["submit", "--claim", claim_arg, "--salt-file", salt_path.to_str().unwrap()]);
	assert!(ok, "{err}");
	let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
	assert_eq!(printed["insurer"], DAVE);
	assert_eq!(printed["procedures"], serde_json::json!(["D0120", "D0274"]));
	assert_eq!(printed["amount"], "80000000");
	let attachment = H256(sp_crypto_hashing::blake2_256(FIXTURE.as_bytes()));
	assert_eq!(printed["attachment"], btt_claims::account::hex(attachment.as_bytes()));
	let expected =
		submission(&claim(), &salt(), &CurrencyMap::default(), Some(attachment)).unwrap();
	assert_eq!(printed["callData"], btt_claims::account::hex(&expected.call_data()));

	let (ok, out, err) = run(&[
		"response",
		"--claim",
		claim_arg,
		"--outcome",
		outcome_path.to_str().unwrap(),
		"--created",
		CREATED,
	]);
	assert!(ok, "{err}");
	let response: ClaimResponse = parse(&out).unwrap();
	assert_eq!(outcome_of(&response, &CurrencyMap::default()).unwrap(), outcomes()[2]);
	let (ok, _, err) =
		run(&["reconciliation", "--claim", claim_arg, "--outcome", outcome_path.to_str().unwrap()]);
	assert!(!ok);
	assert!(err.contains("paid nothing"), "{err}");
	let (ok, _, err) =
		run(&["submit", "--claim", claim_arg, "--salt-file", claim_arg, "--currency", "USD"]);
	assert!(!ok && err.contains("currency rule"), "{err}");
	std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_event_as_polkadot_js_prints_it_is_an_outcome_human_or_json() {
	let approved = Outcome::ClaimApproved {
		claim: 7,
		paid: 60_000_000,
		claimed: 80_000_000,
		payment: Some(3),
	};
	// `{event: event.method, ...event.data.toHuman()}`, what polkadot.js apps shows.
	let human = r#"{"event":"ClaimApproved","claim":"7","paid":"60,000,000","claimed":"80,000,000","payment":"3"}"#;
	// Each named field's `toJSON()`: numbers, and hex for a u128 past 2^53.
	let json =
		r#"{"event":"ClaimApproved","claim":7,"paid":"0x3938700","claimed":80000000,"payment":3}"#;
	for text in [human, json] {
		assert_eq!(serde_json::from_str::<Outcome>(text).unwrap(), approved, "{text}");
	}
	let lapsed = r#"{"event":"ClaimResolved","claim":"1,024","awarded":"0","payment":null,"frivolous":true}"#;
	assert_eq!(
		serde_json::from_str::<Outcome>(lapsed).unwrap(),
		Outcome::ClaimResolved { claim: 1_024, awarded: 0, payment: None, frivolous: true }
	);
	// Written back as plain numbers, and read again.
	let written = serde_json::to_string(&approved).unwrap();
	assert_eq!(
		written,
		r#"{"event":"ClaimApproved","claim":7,"paid":60000000,"claimed":80000000,"payment":3}"#
	);
	let huge = Outcome::ClaimDenied { claim: u64::MAX, reason: 96 };
	let text = serde_json::to_string(&huge).unwrap();
	assert!(text.contains(r#""claim":"18446744073709551615""#), "{text}");
	assert_eq!(serde_json::from_str::<Outcome>(&text).unwrap(), huge);

	// `{event, ...event.data.toJSON()}` spreads an array: indices, no names.
	let unnamed = r#"{"event":"ClaimApproved","0":7,"1":60000000,"2":80000000,"3":3}"#;
	let error = serde_json::from_str::<Outcome>(unnamed).unwrap_err().to_string();
	assert!(error.contains("missing field `claim`"), "{error}");
	for (bad, why) in [
		(r#"{"event":"ClaimDenied","claim":2,"reason":"70,000"}"#, "out of range"),
		(r#"{"event":"ClaimDenied","claim":-1,"reason":96}"#, "not a whole number"),
		(r#"{"event":"ClaimDenied","claim":"two","reason":96}"#, "invalid digit"),
		(r#"{"event":"ClaimPaid","claim":2}"#, "unknown variant `ClaimPaid`"),
	] {
		let error = serde_json::from_str::<Outcome>(bad).unwrap_err().to_string();
		assert!(error.contains(why), "{bad}: {error}");
	}
}
