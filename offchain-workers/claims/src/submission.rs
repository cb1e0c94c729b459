//! A FHIR R4 `Claim` as the arguments of `payfi.submit_claim`, with nothing that identifies
//! the patient.
//!
//! What is read, and how it reaches the chain:
//! - procedures: each `item.productOrService` coding in [`CDT_SYSTEM`] (a procedure done twice
//!   appears once: the chain's code is the set of procedures, the amount is the claim's);
//! - diagnoses: each `diagnosis.diagnosisCodeableConcept` coding in [`ICD10CM_SYSTEM`];
//! - the claim: its first `identifier` (`system|value`), salted and hashed;
//! - the patient: the first identifier of the contained `Patient` that `patient` points to (or
//!   `patient.identifier`, or the reference itself), salted and hashed; nothing else of the
//!   patient is read;
//! - the encounter day: the earliest `item.servicedDate`, else `billablePeriod.start`;
//! - the insurer: `insurer.identifier` in [`ACCOUNT_SYSTEM`], an SS58 address or hex key;
//! - the amount: `total` (else the sum of `item.net`), in the chain currency the
//!   [`CurrencyMap`] gives for its ISO code, converted exactly to the currency's units.
//!
//! The salt is the clinic's secret: with it, the clinic's records map the hashes back; without
//! it, nobody can test a guessed record number against the chain.

use btt_primitives::payfi::{BillingCode, DiagnosisCode, ProcedureCode};
use codec::{Decode, Encode};
use fhirbolt::model::r4::{
	resources::{Claim, ClaimDiagnosisDiagnosis, ClaimItemServiced},
	types::{CodeableConcept, Identifier, Money, Reference},
	Resource,
};
use sp_core::H256;

use crate::{account::parse_account, ClaimsError};

/// The ADA's CDT procedure codes.
pub const CDT_SYSTEM: &str = "http://www.ada.org/cdt";
/// ICD-10-CM diagnosis codes.
pub const ICD10CM_SYSTEM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// BTT accounts (SS58 or hex), as the insurer's identifier.
pub const ACCOUNT_SYSTEM: &str = "https://btt.health/fhir/NamingSystem/account";
/// The PayFi pallet's index in BTT's runtime.
pub const PAYFI_PALLET_INDEX: u8 = 52;
/// `submit_claim`'s call index in the PayFi pallet.
pub const SUBMIT_CLAIM_CALL_INDEX: u8 = 24;
/// The shortest salt accepted.
pub const MIN_SALT_BYTES: usize = 16;

/// A chain currency, encoded as the runtime's `NativeOrWithId<u32>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Currency {
	/// BTT.
	#[codec(index = 0)]
	Native,
	/// A pallet-assets asset (dUSD is 1337 on the development chain).
	#[codec(index = 1)]
	WithId(u32),
}

/// How an ISO 4217 code maps to a chain currency and its decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyRule {
	/// The code FHIR `Money.currency` carries (`USD`).
	pub code: String,
	/// The chain currency.
	pub currency: Currency,
	/// The chain currency's decimals (6 for dUSD, 12 for BTT).
	pub decimals: u8,
}

impl std::str::FromStr for CurrencyRule {
	type Err = ClaimsError;

	/// `USD=1337:6` (an asset id) or `BTT=native:12`.
	fn from_str(text: &str) -> Result<Self, ClaimsError> {
		let bad = || ClaimsError::CurrencyRule(text.to_owned());
		let (code, rest) = text.split_once('=').ok_or_else(bad)?;
		let (currency, decimals) = rest.split_once(':').ok_or_else(bad)?;
		let currency = match currency {
			"native" => Currency::Native,
			id => Currency::WithId(id.parse().map_err(|_| bad())?),
		};
		let decimals = decimals.parse().map_err(|_| bad())?;
		if code.is_empty() || decimals > 30 {
			return Err(bad());
		}
		Ok(Self { code: code.to_owned(), currency, decimals })
	}
}

/// The currencies a clinic claims in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyMap(pub Vec<CurrencyRule>);

impl Default for CurrencyMap {
	/// The development chain's: USD is dUSD (asset 1337, 6 decimals).
	fn default() -> Self {
		Self(vec![CurrencyRule {
			code: "USD".into(),
			currency: Currency::WithId(1337),
			decimals: 6,
		}])
	}
}

impl CurrencyMap {
	/// The rule for an ISO code.
	pub fn by_code(&self, code: &str) -> Result<&CurrencyRule, ClaimsError> {
		self.0
			.iter()
			.find(|rule| rule.code == code)
			.ok_or_else(|| ClaimsError::UnknownCurrency(code.to_owned()))
	}
}

/// The clinic's secret salt for the claim and patient hashes.
#[derive(Clone)]
pub struct Salt(Vec<u8>);

impl Salt {
	/// A salt of at least [`MIN_SALT_BYTES`] bytes.
	pub fn new(bytes: Vec<u8>) -> Result<Self, ClaimsError> {
		if bytes.len() < MIN_SALT_BYTES {
			return Err(ClaimsError::ShortSalt(bytes.len()));
		}
		Ok(Self(bytes))
	}

	/// `blake2_256(context ‖ salt ‖ text)`.
	pub fn hash(&self, context: &[u8], text: &str) -> H256 {
		H256(sp_crypto_hashing::blake2_256(&[context, &self.0, text.as_bytes()].concat()))
	}
}

/// The context of a claim's hash.
pub const CLAIM_HASH_CONTEXT: &[u8] = b"btt/claims/claim/v1";
/// The context of a patient's hash.
pub const PATIENT_HASH_CONTEXT: &[u8] = b"btt/claims/patient/v1";

/// The arguments of `payfi.submit_claim`, in the runtime's encoding (accounts as 32 bytes).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Submission {
	/// The insurer claimed from.
	pub insurer: [u8; 32],
	/// The currency claimed in.
	pub currency: Currency,
	/// The amount, in the currency's units.
	pub amount: u128,
	/// Procedures, diagnoses, the claim and patient hashes, the encounter day, the insurer.
	pub code: BillingCode<[u8; 32]>,
	/// A hash of the documents sent to the insurer off chain.
	pub attachment: Option<H256>,
}

impl Submission {
	/// The call data of `payfi.submit_claim` with these arguments, for any signer (polkadot.js
	/// `api.tx(api.createType('Call', callData))`).
	pub fn call_data(&self) -> Vec<u8> {
		(PAYFI_PALLET_INDEX, SUBMIT_CLAIM_CALL_INDEX, self).encode()
	}

	/// Decodes [`Submission::call_data`].
	pub fn from_call_data(data: &[u8]) -> Result<Self, ClaimsError> {
		let mut input = data;
		let (pallet, call) =
			<(u8, u8)>::decode(&mut input).map_err(|_| ClaimsError::CallData("too short"))?;
		if (pallet, call) != (PAYFI_PALLET_INDEX, SUBMIT_CLAIM_CALL_INDEX) {
			return Err(ClaimsError::CallData("not payfi.submit_claim"));
		}
		let submission =
			Self::decode(&mut input).map_err(|_| ClaimsError::CallData("bad arguments"))?;
		if !input.is_empty() {
			return Err(ClaimsError::CallData("trailing bytes"));
		}
		Ok(submission)
	}
}

/// The submission for `claim`: see the module's documentation for what is read.
pub fn submission(
	claim: &Claim,
	salt: &Salt,
	currencies: &CurrencyMap,
	attachment: Option<H256>,
) -> Result<Submission, ClaimsError> {
	let status = claim.status.value.as_deref();
	if status != Some("active") {
		return Err(ClaimsError::NotSubmittable(format!("status {status:?}")));
	}
	let claim_use = claim.r#use.value.as_deref();
	if claim_use != Some("claim") {
		return Err(ClaimsError::NotSubmittable(format!("use {claim_use:?}")));
	}
	let mut procedures: Vec<&[u8]> = Vec::new();
	for (index, item) in claim.item.iter().enumerate() {
		let code = coded(&item.product_or_service, CDT_SYSTEM).ok_or(ClaimsError::Uncoded {
			what: "item",
			index,
			system: CDT_SYSTEM,
		})?;
		if !procedures.contains(&code.as_bytes()) {
			procedures.push(code.as_bytes());
		}
	}
	let mut diagnoses: Vec<&[u8]> = Vec::new();
	for (index, diagnosis) in claim.diagnosis.iter().enumerate() {
		let uncoded = ClaimsError::Uncoded { what: "diagnosis", index, system: ICD10CM_SYSTEM };
		let ClaimDiagnosisDiagnosis::CodeableConcept(concept) = &diagnosis.diagnosis else {
			return Err(uncoded);
		};
		diagnoses.push(coded(concept, ICD10CM_SYSTEM).ok_or(uncoded)?.as_bytes());
	}
	let claim_id = claim
		.identifier
		.first()
		.and_then(identifier_text)
		.ok_or(ClaimsError::Missing("identifier"))?;
	let patient = patient_key(claim).ok_or(ClaimsError::Missing("patient identifier"))?;
	let insurer = insurer_account(claim.insurer.as_deref())?;
	let (currency, amount) = amount(claim, currencies)?;
	let code = BillingCode::from_text(
		&procedures,
		&diagnoses,
		salt.hash(CLAIM_HASH_CONTEXT, &claim_id),
		encounter_day(claim)?,
		salt.hash(PATIENT_HASH_CONTEXT, &patient),
		Some(insurer),
	)
	.map_err(ClaimsError::Code)?;
	Ok(Submission { insurer, currency, amount, code, attachment })
}

/// The code of `concept`'s first coding in `system`.
fn coded<'a>(concept: &'a CodeableConcept, system: &str) -> Option<&'a str> {
	concept
		.coding
		.iter()
		.find(|coding| coding.system.as_ref().and_then(|uri| uri.value.as_deref()) == Some(system))
		.and_then(|coding| coding.code.as_ref())
		.and_then(|code| code.value.as_deref())
}

/// `system|value` of an identifier with a value.
fn identifier_text(identifier: &Identifier) -> Option<String> {
	let value = identifier.value.as_ref()?.value.as_deref()?;
	let system = identifier.system.as_ref().and_then(|uri| uri.value.as_deref()).unwrap_or("");
	Some(format!("{system}|{value}"))
}

/// What identifies the patient in the clinic's records: the contained Patient's first
/// identifier, else the reference's identifier, else the reference itself.
fn patient_key(claim: &Claim) -> Option<String> {
	let reference = claim.patient.reference.as_ref().and_then(|text| text.value.as_deref());
	if let Some(local) = reference.and_then(|text| text.strip_prefix('#')) {
		return claim.contained.iter().find_map(|resource| match resource {
			Resource::Patient(patient)
				if patient.id.as_ref().and_then(|id| id.value.as_deref()) == Some(local) =>
			{
				patient.identifier.first().and_then(identifier_text)
			}
			_ => None,
		});
	}
	claim.patient.identifier.as_deref().and_then(identifier_text).or(reference.map(str::to_owned))
}

fn insurer_account(insurer: Option<&Reference>) -> Result<[u8; 32], ClaimsError> {
	let identifier = insurer
		.and_then(|reference| reference.identifier.as_deref())
		.filter(|identifier| {
			identifier.system.as_ref().and_then(|uri| uri.value.as_deref()) == Some(ACCOUNT_SYSTEM)
		})
		.ok_or(ClaimsError::Missing("insurer identifier in the BTT account system"))?;
	let value = identifier
		.value
		.as_ref()
		.and_then(|value| value.value.as_deref())
		.ok_or(ClaimsError::Missing("insurer account"))?;
	parse_account(value)
}

/// The earliest service date of the items, else the billable period's start, in days since
/// 1970-01-01.
fn encounter_day(claim: &Claim) -> Result<u32, ClaimsError> {
	let mut days = Vec::new();
	for item in &claim.item {
		if let Some(ClaimItemServiced::Date(date)) = &item.serviced {
			days.push(day_of(date.value.as_deref().unwrap_or(""))?);
		}
	}
	if let Some(first) = days.into_iter().min() {
		return Ok(first);
	}
	let start = claim
		.billable_period
		.as_ref()
		.and_then(|period| period.start.as_ref())
		.and_then(|start| start.value.as_deref())
		.ok_or(ClaimsError::Missing("item.servicedDate or billablePeriod.start"))?;
	day_of(start)
}

/// Days since 1970-01-01 of a FHIR date (`YYYY-MM-DD`, or the date part of a dateTime).
pub fn day_of(text: &str) -> Result<u32, ClaimsError> {
	let bad = || ClaimsError::Date(text.to_owned());
	let date = text.get(..10).ok_or_else(bad)?;
	let mut parts = date.split('-');
	let mut next = |range: std::ops::RangeInclusive<i64>| -> Result<i64, ClaimsError> {
		let value: i64 = parts.next().and_then(|part| part.parse().ok()).ok_or_else(bad)?;
		range.contains(&value).then_some(value).ok_or_else(bad)
	};
	let (year, month, day) = (next(1970..=9999)?, next(1..=12)?, next(1..=31)?);
	// Howard Hinnant's days_from_civil.
	let year = if month <= 2 { year - 1 } else { year };
	let era = year.div_euclid(400);
	let year_of_era = year - era * 400;
	let month_index = (month + 9) % 12;
	let day_of_year = (153 * month_index + 2) / 5 + day - 1;
	let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	u32::try_from(era * 146_097 + day_of_era - 719_468).map_err(|_| bad())
}

/// `total`, else the sum of the items' `net`, in the chain currency and its units.
fn amount(claim: &Claim, currencies: &CurrencyMap) -> Result<(Currency, u128), ClaimsError> {
	let monies: Vec<&Money> = match claim.total.as_deref() {
		Some(total) => vec![total],
		None => claim.item.iter().filter_map(|item| item.net.as_deref()).collect(),
	};
	let mut sum: Option<(Currency, u128)> = None;
	for money in monies {
		let (currency, units) = units_of(money, currencies)?;
		sum = match sum {
			None => Some((currency, units)),
			Some((earlier, _)) if earlier != currency => {
				return Err(ClaimsError::Amount("items in more than one currency".into()))
			}
			Some((_, total)) => Some((
				currency,
				total.checked_add(units).ok_or(ClaimsError::Amount("overflow".into()))?,
			)),
		};
	}
	sum.ok_or(ClaimsError::Missing("total or item.net"))
}

/// A FHIR `Money` in its chain currency's units.
pub fn units_of(money: &Money, currencies: &CurrencyMap) -> Result<(Currency, u128), ClaimsError> {
	let code = money
		.currency
		.as_ref()
		.and_then(|code| code.value.as_deref())
		.ok_or(ClaimsError::Missing("Money.currency"))?;
	let rule = currencies.by_code(code)?;
	let value = money
		.value
		.as_ref()
		.and_then(|value| value.value.as_deref())
		.ok_or(ClaimsError::Missing("Money.value"))?;
	Ok((rule.currency, decimal_units(value, rule.decimals)?))
}

/// `"80.00"` with 6 decimals is 80,000,000: exact, refusing signs, exponents and more
/// fraction digits than the currency has (other than trailing zeros).
pub fn decimal_units(text: &str, decimals: u8) -> Result<u128, ClaimsError> {
	let bad = || ClaimsError::Amount(text.to_owned());
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	let fraction = fraction.trim_end_matches('0');
	let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
	if whole.is_empty()
		|| !digits(whole)
		|| !digits(fraction)
		|| fraction.len() > usize::from(decimals)
	{
		return Err(bad());
	}
	let scale = 10u128.checked_pow(u32::from(decimals)).ok_or_else(bad)?;
	let whole: u128 = whole.parse().map_err(|_| bad())?;
	let padded = format!("{fraction:0<width$}", width = usize::from(decimals));
	let fraction: u128 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| bad())? };
	whole.checked_mul(scale).and_then(|units| units.checked_add(fraction)).ok_or_else(bad)
}

/// The procedure and diagnosis codes of a submission as text, for people.
pub fn code_text(code: &BillingCode<[u8; 32]>) -> (Vec<String>, Vec<String>) {
	let procedures = code
		.procedures
		.iter()
		.map(|code: &ProcedureCode| String::from_utf8_lossy(&code.text()).into_owned())
		.collect();
	let diagnoses = code
		.diagnoses
		.iter()
		.map(|code: &DiagnosisCode| String::from_utf8_lossy(code.characters()).into_owned())
		.collect();
	(procedures, diagnoses)
}
