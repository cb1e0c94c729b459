//! Healthcare payment coding for PayFi: what a payment, an escrow or a claim says it pays for,
//! with no protected health information.
//!
//! Codes arrive as text (`"D0120"`, `"K02.52"`), as a clinic's billing system writes them,
//! and are stored as numbers and fixed characters of their code system's format: a value that
//! does not parse as a code is refused with the reason, so no field can carry a name, a date of
//! birth or free text. The patient and the claim appear only as salted hashes; the encounter
//! only as its day.
//!
//! - Procedure codes: the ADA's CDT, `D` and four digits ([`ProcedureCode`]).
//! - Diagnosis codes: ICD-10-CM, a letter, a digit, then one to five letters or digits, the
//!   dot after the third character optional on input ([`DiagnosisCode`]).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// A CDT procedure code, `D0000`–`D9999`, stored as its number (`D0120` is 120).
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ProcedureCode(u16);

impl ProcedureCode {
	/// The code whose number is `number` (`120` for `D0120`), if it is at most 9999.
	pub fn from_number(number: u16) -> Result<Self, CodeError> {
		if number > 9_999 {
			return Err(CodeError::ProcedureFormat);
		}
		Ok(Self(number))
	}

	/// Parses `D` and four digits (a lowercase `d` is accepted).
	pub fn parse(text: &[u8]) -> Result<Self, CodeError> {
		let [prefix, digits @ ..] = text else { return Err(CodeError::ProcedureFormat) };
		if !prefix.eq_ignore_ascii_case(&b'D') || digits.len() != 4 {
			return Err(CodeError::ProcedureFormat);
		}
		let mut number = 0u16;
		for digit in digits {
			if !digit.is_ascii_digit() {
				return Err(CodeError::ProcedureFormat);
			}
			number = number * 10 + u16::from(digit - b'0');
		}
		Ok(Self(number))
	}

	/// The code's number (`120` for `D0120`).
	pub fn number(self) -> u16 {
		self.0
	}

	/// The code as text: `D0120`.
	pub fn text(self) -> [u8; 5] {
		let mut text = *b"D0000";
		let mut number = self.0;
		for place in (1..5).rev() {
			if let Some(slot) = text.get_mut(place) {
				*slot = b'0' + (number % 10) as u8;
			}
			number /= 10;
		}
		text
	}

	/// Whether a stored code is one [`ProcedureCode::parse`] could have made.
	pub fn is_valid(self) -> bool {
		self.0 <= 9_999
	}
}

/// An ICD-10-CM diagnosis code without its dot, upper case, padded with zero bytes: `K02.52`
/// is `K0252\0\0`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct DiagnosisCode([u8; 7]);

impl DiagnosisCode {
	/// Parses an ICD-10-CM code: a letter, a digit, a letter or digit (the category), then
	/// optionally a dot and one to four letters or digits. Letters may be lower case.
	pub fn parse(text: &[u8]) -> Result<Self, CodeError> {
		let (category, rest) = text.split_at_checked(3).ok_or(CodeError::DiagnosisFormat)?;
		let rest = match rest {
			[b'.', rest @ ..] if !rest.is_empty() => rest,
			[b'.'] => return Err(CodeError::DiagnosisFormat),
			rest => rest,
		};
		if rest.len() > 4 {
			return Err(CodeError::DiagnosisFormat);
		}
		let mut code = [0u8; 7];
		for (index, byte) in category.iter().chain(rest).enumerate() {
			let byte = byte.to_ascii_uppercase();
			let fits = match index {
				0 => byte.is_ascii_uppercase(),
				1 => byte.is_ascii_digit(),
				_ => byte.is_ascii_uppercase() || byte.is_ascii_digit(),
			};
			match code.get_mut(index) {
				Some(slot) if fits => *slot = byte,
				_ => return Err(CodeError::DiagnosisFormat),
			}
		}
		Ok(Self(code))
	}

	/// The code's characters without the dot (`K0252`).
	pub fn characters(&self) -> &[u8] {
		let length = self.0.iter().position(|byte| *byte == 0).unwrap_or(7);
		self.0.get(..length).unwrap_or(&self.0)
	}

	/// Whether a stored code is one [`DiagnosisCode::parse`] could have made.
	pub fn is_valid(&self) -> bool {
		let characters = self.characters();
		let padding_is_zero = self.0.iter().skip(characters.len()).all(|byte| *byte == 0);
		padding_is_zero && characters.len() >= 3 && Self::parse(characters).as_ref() == Ok(self)
	}
}

/// Why a billing code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
	/// A procedure code is not `D` and four digits.
	ProcedureFormat,
	/// A diagnosis code is not in the ICD-10-CM format.
	DiagnosisFormat,
	/// No procedure code: every payment pays for at least one procedure.
	NoProcedure,
	/// More procedure codes than a record holds.
	TooManyProcedures,
	/// More diagnosis codes than a record holds.
	TooManyDiagnoses,
	/// The same procedure code twice.
	DuplicateProcedure,
}

/// Most procedure codes in one record (a visit's lines).
pub const MAX_PROCEDURES: u32 = 8;
/// Most diagnosis codes in one record.
pub const MAX_DIAGNOSES: u32 = 4;

/// The procedures of a record.
pub type Procedures = sp_runtime::BoundedVec<ProcedureCode, sp_core::ConstU32<MAX_PROCEDURES>>;
/// The diagnoses of a record.
pub type Diagnoses = sp_runtime::BoundedVec<DiagnosisCode, sp_core::ConstU32<MAX_DIAGNOSES>>;

/// What a payment, an escrow or a claim pays for: codes, the claim and the patient by salted
/// hashes, the day of the encounter and the insurer (an account) if any.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct BillingCode<AccountId> {
	/// The procedures, in the order billed (at least one, no repeats).
	pub procedures: Procedures,
	/// The diagnoses supporting them (may be empty).
	pub diagnoses: Diagnoses,
	/// The clinic's claim number, salted and hashed by the clinic (its records map it back).
	pub claim: H256,
	/// The day of the encounter, in days since 1970-01-01.
	pub encounter_day: u32,
	/// The patient: a salted hash the clinic keeps the key to, never an identifier.
	pub patient: H256,
	/// The insurer, a registered account, if the payment involves one.
	pub insurer: Option<AccountId>,
}

impl<AccountId> BillingCode<AccountId> {
	/// A record from the codes as text; refuses any code outside its format, an empty or
	/// repeated procedure list, and lists longer than the limits.
	pub fn from_text(
		procedures: &[&[u8]],
		diagnoses: &[&[u8]],
		claim: H256,
		encounter_day: u32,
		patient: H256,
		insurer: Option<AccountId>,
	) -> Result<Self, CodeError> {
		if procedures.is_empty() {
			return Err(CodeError::NoProcedure);
		}
		let mut parsed = alloc::vec::Vec::with_capacity(procedures.len());
		for text in procedures {
			let code = ProcedureCode::parse(text)?;
			if parsed.contains(&code) {
				return Err(CodeError::DuplicateProcedure);
			}
			parsed.push(code);
		}
		let procedures = Procedures::try_from(parsed).map_err(|_| CodeError::TooManyProcedures)?;
		let diagnoses = diagnoses
			.iter()
			.map(|text| DiagnosisCode::parse(text))
			.collect::<Result<alloc::vec::Vec<_>, _>>()?;
		let diagnoses = Diagnoses::try_from(diagnoses).map_err(|_| CodeError::TooManyDiagnoses)?;
		Ok(Self { procedures, diagnoses, claim, encounter_day, patient, insurer })
	}

	/// Checks a record decoded from anywhere (a call's argument) as [`Self::from_text`] checks
	/// text: every code in its format, at least one procedure, none twice.
	pub fn validate(&self) -> Result<(), CodeError> {
		if self.procedures.is_empty() {
			return Err(CodeError::NoProcedure);
		}
		for (index, code) in self.procedures.iter().enumerate() {
			if !code.is_valid() {
				return Err(CodeError::ProcedureFormat);
			}
			if self.procedures.iter().take(index).any(|earlier| earlier == code) {
				return Err(CodeError::DuplicateProcedure);
			}
		}
		if self.diagnoses.iter().any(|code| !code.is_valid()) {
			return Err(CodeError::DiagnosisFormat);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	type Record = BillingCode<u64>;

	#[test]
	fn cdt_codes_parse_to_their_number_and_print_back() {
		for (text, number) in
			[(&b"D0120"[..], 120), (b"D1110", 1110), (b"d9999", 9999), (b"D0000", 0)]
		{
			let code = ProcedureCode::parse(text).unwrap();
			assert_eq!(code.number(), number);
			assert_eq!(&code.text(), &text.to_ascii_uppercase()[..]);
			assert!(code.is_valid());
		}
		for bad in [&b"D012"[..], b"D01200", b"X0120", b"D01A0", b"", b"D", b"0120D", b"Smith"] {
			assert_eq!(ProcedureCode::parse(bad), Err(CodeError::ProcedureFormat), "{bad:?}");
		}
		assert_eq!(ProcedureCode::from_number(10_000), Err(CodeError::ProcedureFormat));
		assert!(!ProcedureCode(10_000).is_valid(), "a decoded out-of-range number is caught");
	}

	#[test]
	fn icd10cm_codes_parse_with_or_without_the_dot() {
		let code = DiagnosisCode::parse(b"K02.52").unwrap();
		assert_eq!(code.characters(), b"K0252");
		assert_eq!(DiagnosisCode::parse(b"k0252"), Ok(code));
		assert!(code.is_valid());
		for good in [&b"K02"[..], b"K02.9", b"S02.5XXA", b"U07.1", b"Z01.20"] {
			assert!(DiagnosisCode::parse(good).is_ok(), "{good:?}");
		}
		// Names, dates and free text do not fit: a letter, a digit, then letters or digits.
		for bad in [
			&b"K2"[..],
			b"KK02",
			b"102.5",
			b"K02.",
			b"K02.52345",
			b"K02-52",
			b"SMITH",
			b"1980-01-01",
			b"K02 5",
			b"K02..5",
		] {
			assert_eq!(DiagnosisCode::parse(bad), Err(CodeError::DiagnosisFormat), "{bad:?}");
		}
		let forged = DiagnosisCode(*b"SMITH\0\0");
		assert!(!forged.is_valid(), "a decoded code outside the format is caught");
		let padded = DiagnosisCode(*b"K02\0X\0\0");
		assert!(!padded.is_valid(), "bytes after the padding are caught");
	}

	#[test]
	fn a_record_needs_a_procedure_and_refuses_repeats_and_overlong_lists() {
		let hash = H256::repeat_byte(7);
		let record =
			Record::from_text(&[b"D0120", b"D1110"], &[b"K02.52"], hash, 20_000, hash, Some(9))
				.unwrap();
		assert_eq!(record.validate(), Ok(()));
		assert_eq!(record.procedures.len(), 2);
		assert_eq!(Record::from_text(&[], &[], hash, 1, hash, None), Err(CodeError::NoProcedure));
		assert_eq!(
			Record::from_text(&[b"D0120", b"D0120"], &[], hash, 1, hash, None),
			Err(CodeError::DuplicateProcedure)
		);
		assert_eq!(
			Record::from_text(
				&[
					b"D0120", b"D0140", b"D0150", b"D0210", b"D0220", b"D0230", b"D0240", b"D0250",
					b"D0270"
				],
				&[],
				hash,
				1,
				hash,
				None
			),
			Err(CodeError::TooManyProcedures)
		);
		assert_eq!(
			Record::from_text(
				&[b"D0120"],
				&[b"K02", b"K03", b"K04", b"K05", b"K06"],
				hash,
				1,
				hash,
				None
			),
			Err(CodeError::TooManyDiagnoses)
		);
		let mut forged = record.clone();
		forged.procedures =
			sp_runtime::BoundedVec::truncate_from(vec![ProcedureCode(120), ProcedureCode(120)]);
		assert_eq!(forged.validate(), Err(CodeError::DuplicateProcedure));
		let mut forged = record;
		forged.diagnoses =
			sp_runtime::BoundedVec::truncate_from(vec![DiagnosisCode(*b"JOHN5\0\0")]);
		assert_eq!(forged.validate(), Err(CodeError::DiagnosisFormat));
	}

	#[test]
	fn a_record_round_trips_through_scale_and_has_a_bounded_size() {
		let hash = H256::repeat_byte(1);
		let record =
			Record::from_text(&[b"D0120"], &[b"K02.52"], hash, 20_000, hash, None).unwrap();
		let bytes = record.encode();
		assert_eq!(Record::decode(&mut &bytes[..]).unwrap(), record);
		assert!(bytes.len() <= Record::max_encoded_len());
	}
}

/// What other pallets may ask of PayFi: who paid a record, and coded payments in BTT.
pub trait PaymentRecords<AccountId, Balance> {
	/// The payer of `payee`'s coded payment `id` recorded on `day` (days since 1970-01-01,
	/// UTC), if the record is still kept.
	fn payer_of(payee: &AccountId, day: u32, id: u64) -> Option<AccountId>;

	/// `payer` pays `payee` `amount` BTT as a coded payment recorded in `payee`'s statement
	/// (`payee` must be a payee with a free record slot); returns the record's `(day, id)`.
	fn pay_native(
		payer: &AccountId,
		payee: &AccountId,
		amount: Balance,
		code: BillingCode<AccountId>,
	) -> Result<(u32, u64), sp_runtime::DispatchError>;
}

/// No payments (a runtime without PayFi): nothing is recorded and nothing can be paid.
impl<AccountId, Balance> PaymentRecords<AccountId, Balance> for () {
	fn payer_of(_: &AccountId, _: u32, _: u64) -> Option<AccountId> {
		None
	}

	fn pay_native(
		_: &AccountId,
		_: &AccountId,
		_: Balance,
		_: BillingCode<AccountId>,
	) -> Result<(u32, u64), sp_runtime::DispatchError> {
		Err(sp_runtime::DispatchError::Unavailable)
	}
}
