//! The chain's decision on a claim as FHIR R4 resources for the clinic's records: a
//! `ClaimResponse` (the outcome, the amounts claimed and paid, the denial's CARC reason, the
//! payment) and, when something was paid, a `PaymentReconciliation`. Both point at the claim
//! by its own identifier; [`outcome_of`] reads the decision back from a `ClaimResponse`.

use fhirbolt::model::r4::{
	resources::{
		Claim, ClaimResponse, ClaimResponseItemAdjudication, ClaimResponsePayment,
		ClaimResponseTotal, PaymentReconciliation, PaymentReconciliationDetail,
	},
	types::{CodeableConcept, Coding, Identifier, Meta, Money, Reference},
};
use serde::{Deserialize, Serialize};

use crate::{
	submission::{units_of, CurrencyMap},
	ClaimsError,
};

/// The HL7 adjudication categories (`submitted`, `benefit`).
pub const ADJUDICATION_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/adjudication";
/// X12 claim adjustment reason codes.
pub const CARC_SYSTEM: &str = "https://x12.org/codes/claim-adjustment-reason-codes";
/// The HL7 payment types (`complete`).
pub const PAYMENT_TYPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/ex-paymenttype";
/// The HL7 reconciliation detail types (`payment`).
pub const DETAIL_TYPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/payment-type";
/// The chain's claim ids.
pub const CHAIN_CLAIM_SYSTEM: &str = "https://btt.health/fhir/NamingSystem/payfi-claim";
/// The chain's payment ids (a line of the clinic's statement).
pub const CHAIN_PAYMENT_SYSTEM: &str = "https://btt.health/fhir/NamingSystem/payfi-payment";
/// The `meta.tag` saying how the chain decided.
pub const DECISION_SYSTEM: &str = "https://btt.health/fhir/CodeSystem/payfi-decision";

/// How the chain decided a claim: its event, as polkadot.js gives it. `event` is
/// `event.method`; the fields are the event's named fields, either as `event.data.toHuman()`
/// prints them (what polkadot.js apps shows: `"60,000,000"`) or as each field's `toJSON()`
/// (numbers, decimal or `0x` hex strings). `event.data.toJSON()` alone is an array without the
/// names and is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all_fields = "camelCase")]
pub enum Outcome {
	/// The insurer paid `paid` of `claimed`.
	ClaimApproved {
		#[serde(with = "number")]
		claim: u64,
		#[serde(with = "number")]
		paid: u128,
		#[serde(with = "number")]
		claimed: u128,
		#[serde(with = "number::optional")]
		payment: Option<u64>,
	},
	/// The insurer denied it for a CARC reason.
	ClaimDenied {
		#[serde(with = "number")]
		claim: u64,
		#[serde(with = "number")]
		reason: u16,
	},
	/// The arbiter decided the escalated claim.
	ClaimResolved {
		#[serde(with = "number")]
		claim: u64,
		#[serde(with = "number")]
		awarded: u128,
		#[serde(with = "number::optional")]
		payment: Option<u64>,
		frivolous: bool,
	},
	/// The clinic withdrew it.
	ClaimWithdrawn {
		#[serde(with = "number")]
		claim: u64,
	},
}

impl Outcome {
	/// The chain's claim id.
	pub fn claim(&self) -> u64 {
		match self {
			Self::ClaimApproved { claim, .. }
			| Self::ClaimDenied { claim, .. }
			| Self::ClaimResolved { claim, .. }
			| Self::ClaimWithdrawn { claim } => *claim,
		}
	}

	/// What was paid, and the statement line it is.
	pub fn paid(&self) -> (u128, Option<u64>) {
		match self {
			Self::ClaimApproved { paid, payment, .. } => (*paid, *payment),
			Self::ClaimResolved { awarded, payment, .. } => (*awarded, *payment),
			Self::ClaimDenied { .. } | Self::ClaimWithdrawn { .. } => (0, None),
		}
	}

	fn tag(&self) -> &'static str {
		match self {
			Self::ClaimApproved { .. } => "approved",
			Self::ClaimDenied { .. } => "denied",
			Self::ClaimResolved { frivolous: false, .. } => "resolved",
			Self::ClaimResolved { frivolous: true, .. } => "resolved-frivolous",
			Self::ClaimWithdrawn { .. } => "withdrawn",
		}
	}

	fn disposition(&self) -> &'static str {
		match self {
			Self::ClaimApproved { paid, claimed, .. } if paid == claimed => "Approved in full",
			Self::ClaimApproved { .. } => "Approved in part",
			Self::ClaimDenied { .. } => "Denied",
			Self::ClaimResolved { .. } => "Decided by the arbiter after escalation",
			Self::ClaimWithdrawn { .. } => "Withdrawn by the clinic",
		}
	}
}

/// Integers as polkadot.js writes them: a JSON number, a decimal string with or without the
/// `toHuman()` digit grouping (`"60,000,000"`), or a `0x` hex string. Written as JSON numbers
/// when they fit one exactly, as decimal strings otherwise.
mod number {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};
	use std::fmt::Display;

	/// The largest integer every JSON reader holds exactly (2^53 − 1).
	const SAFE: u128 = (1 << 53) - 1;

	pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
	where
		T: Copy + Into<u128>,
		S: Serializer,
	{
		let wide: u128 = (*value).into();
		match u64::try_from(wide) {
			Ok(narrow) if wide <= SAFE => serializer.serialize_u64(narrow),
			_ => serializer.serialize_str(&wide.to_string()),
		}
	}

	pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
	where
		T: TryFrom<u128>,
		<T as TryFrom<u128>>::Error: Display,
		D: Deserializer<'de>,
	{
		parse(&serde_json::Value::deserialize(deserializer)?).map_err(D::Error::custom)
	}

	/// One integer from `value`, or why it is not one.
	pub fn parse<T>(value: &serde_json::Value) -> Result<T, String>
	where
		T: TryFrom<u128>,
		<T as TryFrom<u128>>::Error: Display,
	{
		let wide: u128 = match value {
			serde_json::Value::Number(number) => number
				.as_u64()
				.map(u128::from)
				.ok_or_else(|| format!("{number} is not a whole number of units"))?,
			serde_json::Value::String(text) => {
				let digits = text.trim().replace(',', "");
				match digits.strip_prefix("0x") {
					Some(hex) => u128::from_str_radix(hex, 16),
					None => digits.parse(),
				}
				.map_err(|error| format!("{text:?}: {error}"))?
			}
			other => return Err(format!("{other} is not a number")),
		};
		T::try_from(wide).map_err(|error| format!("{wide}: {error}"))
	}

	/// `Option`s: `null` is `None`.
	pub mod optional {
		use super::*;

		pub fn serialize<S: Serializer>(
			value: &Option<u64>,
			serializer: S,
		) -> Result<S::Ok, S::Error> {
			match value {
				Some(value) => super::serialize(value, serializer),
				None => serializer.serialize_none(),
			}
		}

		pub fn deserialize<'de, D: Deserializer<'de>>(
			deserializer: D,
		) -> Result<Option<u64>, D::Error> {
			match serde_json::Value::deserialize(deserializer)? {
				serde_json::Value::Null => Ok(None),
				value => parse(&value).map(Some).map_err(D::Error::custom),
			}
		}
	}
}

fn concept(system: &str, code: &str) -> Box<CodeableConcept> {
	Box::new(CodeableConcept {
		coding: vec![Coding {
			system: Some(system.into()),
			code: Some(code.into()),
			..Default::default()
		}],
		..Default::default()
	})
}

fn identifier(system: &str, value: u64) -> Identifier {
	Identifier {
		system: Some(system.into()),
		value: Some(value.to_string().into()),
		..Default::default()
	}
}

/// The claim, by its own first identifier.
fn request(claim: &Claim) -> Box<Reference> {
	Box::new(Reference {
		r#type: Some("Claim".into()),
		identifier: claim.identifier.first().cloned().map(Box::new),
		..Default::default()
	})
}

/// `units` of the claim's currency as FHIR `Money`, exact to the currency's decimals.
fn money(units: u128, code: &str, decimals: u8) -> Box<Money> {
	let scale = 10u128.pow(u32::from(decimals));
	let fraction = format!("{:0width$}", units % scale, width = usize::from(decimals));
	let fraction = fraction.trim_end_matches('0');
	let fraction = format!("{fraction:0<2}");
	let value = if decimals == 0 {
		(units / scale).to_string()
	} else {
		format!("{}.{fraction}", units / scale)
	};
	Box::new(Money {
		value: Some(fhirbolt::model::r4::types::Decimal {
			value: Some(value),
			..Default::default()
		}),
		currency: Some(code.into()),
		..Default::default()
	})
}

/// The claim's currency code and decimals.
fn currency_of<'a>(
	claim: &'a Claim,
	currencies: &CurrencyMap,
) -> Result<(&'a str, u8), ClaimsError> {
	let total = claim.total.as_deref().ok_or(ClaimsError::Missing("total"))?;
	let code = total
		.currency
		.as_ref()
		.and_then(|code| code.value.as_deref())
		.ok_or(ClaimsError::Missing("total.currency"))?;
	Ok((code, currencies.by_code(code)?.decimals))
}

/// The `ClaimResponse` for the chain's `outcome` of `claim`, created at `created` (a FHIR
/// dateTime).
pub fn claim_response(
	claim: &Claim,
	outcome: &Outcome,
	currencies: &CurrencyMap,
	created: &str,
) -> Result<ClaimResponse, ClaimsError> {
	let (code, decimals) = currency_of(claim, currencies)?;
	let claimed = claim
		.total
		.as_deref()
		.map(|total| units_of(total, currencies))
		.transpose()?
		.map_or(0, |(_, units)| units);
	let (paid, payment) = outcome.paid();
	let mut adjudication = Vec::new();
	if let Outcome::ClaimDenied { reason, .. } = outcome {
		adjudication.push(ClaimResponseItemAdjudication {
			category: concept(ADJUDICATION_SYSTEM, "benefit"),
			reason: Some(concept(CARC_SYSTEM, &reason.to_string())),
			amount: Some(money(0, code, decimals)),
			..Default::default()
		});
	}
	let total = |category: &str, units: u128| ClaimResponseTotal {
		category: concept(ADJUDICATION_SYSTEM, category),
		amount: money(units, code, decimals),
		..Default::default()
	};
	Ok(ClaimResponse {
		meta: Some(Box::new(Meta {
			tag: vec![Coding {
				system: Some(DECISION_SYSTEM.into()),
				code: Some(outcome.tag().into()),
				..Default::default()
			}],
			..Default::default()
		})),
		identifier: vec![identifier(CHAIN_CLAIM_SYSTEM, outcome.claim())],
		status: if matches!(outcome, Outcome::ClaimWithdrawn { .. }) {
			"cancelled"
		} else {
			"active"
		}
		.into(),
		r#type: claim.r#type.clone(),
		r#use: "claim".into(),
		patient: claim.patient.clone(),
		created: created.into(),
		insurer: claim.insurer.clone().unwrap_or_default(),
		request: Some(request(claim)),
		outcome: "complete".into(),
		disposition: Some(outcome.disposition().into()),
		adjudication,
		total: vec![total("submitted", claimed), total("benefit", paid)],
		payment: payment.map(|id| ClaimResponsePayment {
			r#type: concept(PAYMENT_TYPE_SYSTEM, "complete"),
			amount: money(paid, code, decimals),
			identifier: Some(Box::new(identifier(CHAIN_PAYMENT_SYSTEM, id))),
			..Default::default()
		}),
		..Default::default()
	})
}

/// The `PaymentReconciliation` of what the chain paid on `claim`, if anything.
pub fn payment_reconciliation(
	claim: &Claim,
	outcome: &Outcome,
	currencies: &CurrencyMap,
	created: &str,
) -> Result<Option<PaymentReconciliation>, ClaimsError> {
	let (paid, Some(payment)) = outcome.paid() else { return Ok(None) };
	let (code, decimals) = currency_of(claim, currencies)?;
	let date = created.get(..10).ok_or_else(|| ClaimsError::Date(created.to_owned()))?;
	Ok(Some(PaymentReconciliation {
		identifier: vec![identifier(CHAIN_PAYMENT_SYSTEM, payment)],
		status: "active".into(),
		created: created.into(),
		payment_issuer: claim.insurer.clone(),
		request: Some(request(claim)),
		outcome: Some("complete".into()),
		disposition: Some(outcome.disposition().into()),
		payment_date: date.into(),
		payment_amount: money(paid, code, decimals),
		payment_identifier: Some(Box::new(identifier(CHAIN_PAYMENT_SYSTEM, payment))),
		detail: vec![PaymentReconciliationDetail {
			identifier: Some(Box::new(identifier(CHAIN_CLAIM_SYSTEM, outcome.claim()))),
			r#type: concept(DETAIL_TYPE_SYSTEM, "payment"),
			request: Some(request(claim)),
			date: Some(date.into()),
			amount: Some(money(paid, code, decimals)),
			..Default::default()
		}],
		..Default::default()
	}))
}

/// The chain's decision as a `ClaimResponse` made by [`claim_response`] records it.
pub fn outcome_of(
	response: &ClaimResponse,
	currencies: &CurrencyMap,
) -> Result<Outcome, ClaimsError> {
	let text = |value: Option<&String>| value.cloned();
	let tag = response
		.meta
		.as_ref()
		.and_then(|meta| {
			meta.tag.iter().find(|coding| {
				coding.system.as_ref().and_then(|uri| uri.value.as_deref()) == Some(DECISION_SYSTEM)
			})
		})
		.and_then(|coding| text(coding.code.as_ref().and_then(|code| code.value.as_ref())))
		.ok_or(ClaimsError::Missing("the decision tag"))?;
	let number =
		|identifier: Option<&Identifier>, what: &'static str| -> Result<u64, ClaimsError> {
			identifier
				.and_then(|identifier| identifier.value.as_ref())
				.and_then(|value| value.value.as_deref())
				.and_then(|value| value.parse().ok())
				.ok_or(ClaimsError::Missing(what))
		};
	let claim = number(response.identifier.first(), "the chain's claim id")?;
	let total = |category: &str| -> Result<u128, ClaimsError> {
		let line = response
			.total
			.iter()
			.find(|line| {
				line.category.coding.iter().any(|coding| {
					coding.code.as_ref().and_then(|code| code.value.as_deref()) == Some(category)
				})
			})
			.ok_or(ClaimsError::Missing("a total"))?;
		Ok(units_of(&line.amount, currencies)?.1)
	};
	let payment = response
		.payment
		.as_ref()
		.map(|payment| number(payment.identifier.as_deref(), "the payment id"))
		.transpose()?;
	Ok(match tag.as_str() {
		"approved" => Outcome::ClaimApproved {
			claim,
			paid: total("benefit")?,
			claimed: total("submitted")?,
			payment,
		},
		"denied" => {
			let reason = response
				.adjudication
				.iter()
				.find_map(|line| line.reason.as_ref())
				.and_then(|reason| reason.coding.first())
				.and_then(|coding| coding.code.as_ref())
				.and_then(|code| code.value.as_deref())
				.and_then(|code| code.parse().ok())
				.ok_or(ClaimsError::Missing("the denial reason"))?;
			Outcome::ClaimDenied { claim, reason }
		}
		"resolved" | "resolved-frivolous" => Outcome::ClaimResolved {
			claim,
			awarded: total("benefit")?,
			payment,
			frivolous: tag == "resolved-frivolous",
		},
		"withdrawn" => Outcome::ClaimWithdrawn { claim },
		_ => return Err(ClaimsError::Missing("a known decision tag")),
	})
}
