//! `btt-claims`: a clinic's FHIR R4 claims against BTT's insurers, from files.
//!
//! - `btt-claims submit --claim claim.json --salt-file salt`: prints the arguments of
//!   `payfi.submit_claim` (as JSON, for people and scripts) and their call data (hex, for
//!   polkadot.js: `api.tx(api.createType('Call', callData))`).
//! - `btt-claims response --claim claim.json --outcome event.json`: prints the
//!   `ClaimResponse` of the chain's decision (the event: `{ "event": "ClaimApproved",
//!   "claim": 0, "paid": …, "claimed": …, "payment": 3 }`).
//! - `btt-claims reconciliation …`: the same arguments; prints the `PaymentReconciliation` of
//!   what was paid (an error if nothing was).

use std::{path::PathBuf, process::ExitCode};

use btt_claims::{
	account::{hex, ss58},
	outcome::{claim_response, payment_reconciliation, Outcome},
	parse,
	submission::{code_text, submission, Currency, CurrencyMap, CurrencyRule, Salt},
	to_json, ClaimsError,
};
use clap::{Args, Parser, Subcommand};
use fhirbolt::model::r4::resources::Claim;
use sp_core::H256;

#[derive(Parser)]
#[command(name = "btt-claims", about = "FHIR R4 claims to and from BTT's insurer claims")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Prints the arguments and call data of payfi.submit_claim for a FHIR Claim.
	Submit {
		#[command(flatten)]
		common: Common,
		/// The clinic's secret salt (at least 16 bytes) for the claim and patient hashes.
		#[arg(long)]
		salt_file: PathBuf,
		/// The documents sent to the insurer (hashed into `attachment`); default: the claim.
		#[arg(long)]
		attachment: Option<PathBuf>,
	},
	/// Prints the FHIR ClaimResponse of the chain's decision.
	Response {
		#[command(flatten)]
		common: Common,
		#[command(flatten)]
		outcome: OutcomeArgs,
	},
	/// Prints the FHIR PaymentReconciliation of what the chain paid.
	Reconciliation {
		#[command(flatten)]
		common: Common,
		#[command(flatten)]
		outcome: OutcomeArgs,
	},
}

#[derive(Args)]
struct Common {
	/// The FHIR R4 Claim (JSON).
	#[arg(long)]
	claim: PathBuf,
	/// How an ISO currency maps to the chain: CODE=ASSET_ID:DECIMALS or CODE=native:DECIMALS
	/// (repeatable; default USD=1337:6, the development chain's dUSD).
	#[arg(long = "currency")]
	currencies: Vec<CurrencyRule>,
}

#[derive(Args)]
struct OutcomeArgs {
	/// The chain's event (JSON): `event` its name, then its fields.
	#[arg(long)]
	outcome: PathBuf,
	/// The resource's `created` dateTime (default: now, UTC).
	#[arg(long)]
	created: Option<String>,
}

fn main() -> ExitCode {
	match run(Cli::parse()) {
		Ok(output) => {
			println!("{output}");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("btt-claims: {error}");
			ExitCode::FAILURE
		}
	}
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
	std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn read_claim(common: &Common) -> Result<(Vec<u8>, Claim, CurrencyMap), String> {
	let bytes = read(&common.claim)?;
	let text = std::str::from_utf8(&bytes).map_err(|_| "the claim is not UTF-8".to_owned())?;
	let claim: Claim = parse(text).map_err(|error| error.to_string())?;
	let currencies = if common.currencies.is_empty() {
		CurrencyMap::default()
	} else {
		CurrencyMap(common.currencies.clone())
	};
	Ok((bytes, claim, currencies))
}

fn read_outcome(args: &OutcomeArgs) -> Result<(Outcome, String), String> {
	let outcome = serde_json::from_slice(&read(&args.outcome)?).map_err(|error| {
		format!(
			"{}: {error} (expected the event's name and named fields, as \
				 {{event: event.method, ...event.data.toHuman()}} gives them)",
			args.outcome.display()
		)
	})?;
	let created = args.created.clone().unwrap_or_else(now);
	Ok((outcome, created))
}

fn run(cli: Cli) -> Result<String, String> {
	let fail = |error: ClaimsError| error.to_string();
	match cli.command {
		Command::Submit { common, salt_file, attachment } => {
			let (bytes, claim, currencies) = read_claim(&common)?;
			let salt = Salt::new(read(&salt_file)?).map_err(fail)?;
			let documents = match attachment {
				Some(path) => read(&path)?,
				None => bytes,
			};
			let attachment = H256(sp_crypto_hashing::blake2_256(&documents));
			let submission =
				submission(&claim, &salt, &currencies, Some(attachment)).map_err(fail)?;
			let (procedures, diagnoses) = code_text(&submission.code);
			let currency = match submission.currency {
				Currency::Native => serde_json::json!("Native"),
				Currency::WithId(id) => serde_json::json!({ "WithId": id }),
			};
			let output = serde_json::json!({
				"insurer": ss58(&submission.insurer),
				"currency": currency,
				"amount": submission.amount.to_string(),
				"procedures": procedures,
				"diagnoses": diagnoses,
				"claimHash": hex(submission.code.claim.as_bytes()),
				"patientHash": hex(submission.code.patient.as_bytes()),
				"encounterDay": submission.code.encounter_day,
				"attachment": hex(attachment.as_bytes()),
				"callData": hex(&submission.call_data()),
			});
			serde_json::to_string_pretty(&output).map_err(|error| error.to_string())
		}
		Command::Response { common, outcome } => {
			let (_, claim, currencies) = read_claim(&common)?;
			let (outcome, created) = read_outcome(&outcome)?;
			let response = claim_response(&claim, &outcome, &currencies, &created).map_err(fail)?;
			to_json(&response).map_err(fail)
		}
		Command::Reconciliation { common, outcome } => {
			let (_, claim, currencies) = read_claim(&common)?;
			let (outcome, created) = read_outcome(&outcome)?;
			let reconciliation = payment_reconciliation(&claim, &outcome, &currencies, &created)
				.map_err(fail)?
				.ok_or_else(|| "the chain paid nothing on this claim".to_owned())?;
			to_json(&reconciliation).map_err(fail)
		}
	}
}

/// Now as a FHIR dateTime in UTC, to the second.
fn now() -> String {
	let seconds = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |elapsed| elapsed.as_secs());
	let (days, rest) = (seconds / 86_400, seconds % 86_400);
	// Howard Hinnant's civil_from_days.
	let z = days as i64 + 719_468;
	let era = z.div_euclid(146_097);
	let day_of_era = z - era * 146_097;
	let year_of_era =
		(day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
	let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	let month_index = (5 * day_of_year + 2) / 153;
	let day = day_of_year - (153 * month_index + 2) / 5 + 1;
	let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
	let year = year_of_era + era * 400 + i64::from(month <= 2);
	format!(
		"{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
		rest / 3_600,
		rest % 3_600 / 60,
		rest % 60
	)
}
