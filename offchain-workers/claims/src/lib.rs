//! A clinic's bridge between its FHIR R4 billing and BTT's insurer claims (issue 19,
//! docs/pallets/payfi.md, part 6).
//!
//! - [`submission::submission`]: a FHIR `Claim` becomes the arguments of `payfi.submit_claim`
//!   (and its call data, for any signer): CDT procedures, ICD-10-CM diagnoses, the claim and
//!   the patient as salted hashes, the encounter day, the insurer's account, the amount in the
//!   chain currency's units, a hash of the documents. Nothing that names or dates the patient
//!   leaves the clinic.
//! - [`outcome::claim_response`] and [`outcome::payment_reconciliation`]: the chain's decision
//!   (its event) becomes a `ClaimResponse` and a `PaymentReconciliation` for the clinic's
//!   records; [`outcome::outcome_of`] reads it back.
//!
//! The `btt-claims` tool (`src/main.rs`) does both from files.

pub mod account;
pub mod outcome;
pub mod submission;

use fhirbolt::{element::Element, FhirReleases};

/// Why a claim or an outcome could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
	#[error("not FHIR R4 JSON of the expected resource: {0}")]
	Json(String),
	#[error("the claim cannot be submitted: {0}")]
	NotSubmittable(String),
	#[error("{what} {index} has no coding in {system}")]
	Uncoded { what: &'static str, index: usize, system: &'static str },
	#[error("the claim has no {0}")]
	Missing(&'static str),
	#[error("the chain refuses the codes: {0:?}")]
	Code(btt_primitives::payfi::CodeError),
	#[error("not an account (SS58 or 0x and 64 hex digits): {0:?}")]
	Account(String),
	#[error("not a date (YYYY-MM-DD from 1970): {0:?}")]
	Date(String),
	#[error("not an amount in the currency's units: {0}")]
	Amount(String),
	#[error("no chain currency for {0:?} (add a rule such as USD=1337:6)")]
	UnknownCurrency(String),
	#[error("not a currency rule (CODE=ASSET_ID:DECIMALS or CODE=native:DECIMALS): {0:?}")]
	CurrencyRule(String),
	#[error("a salt needs at least 16 bytes; this one has {0}")]
	ShortSalt(usize),
	#[error("not payfi.submit_claim call data: {0}")]
	CallData(&'static str),
}

/// Parses FHIR R4 JSON into a typed resource, through fhirbolt's element tree (so that
/// `contained` resources are read correctly, as `btt_diagnostics::fhir::parse_report` does).
pub fn parse<T>(json: &str) -> Result<T, ClaimsError>
where
	T: fhirbolt::serde::DeserializeResourceOwned,
{
	let element: Element<{ FhirReleases::R4 }> = fhirbolt::json::from_str(json, None)
		.map_err(|error| ClaimsError::Json(error.to_string()))?;
	fhirbolt::element::from_element(element, None)
		.map_err(|error| ClaimsError::Json(error.to_string()))
}

/// A resource as pretty FHIR JSON.
pub fn to_json<T>(resource: &T) -> Result<String, ClaimsError>
where
	T: fhirbolt::serde::SerializeResource,
{
	fhirbolt::json::to_string_pretty(resource, None)
		.map_err(|error| ClaimsError::Json(error.to_string()))
}
