//! Accounts as a clinic's systems write them: SS58 addresses (any network prefix) or
//! `0x`-prefixed hex public keys.

use crate::ClaimsError;

/// The SS58 checksum's context.
const SS58_CONTEXT: &[u8] = b"SS58PRE";

/// The 32 bytes of an account given as SS58 or as `0x` and 64 hex digits.
pub fn parse_account(text: &str) -> Result<[u8; 32], ClaimsError> {
	let bad = || ClaimsError::Account(text.to_owned());
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes = decode_hex(hex).ok_or_else(bad)?;
		return bytes.try_into().map_err(|_| bad());
	}
	let raw = bs58::decode(text).into_vec().map_err(|_| bad())?;
	// A one-byte network prefix (0–63) or a two-byte one (64–16383).
	let prefix_length = match raw.first() {
		Some(byte) if *byte < 64 => 1,
		Some(byte) if *byte < 128 => 2,
		_ => return Err(bad()),
	};
	if raw.len() != prefix_length + 32 + 2 {
		return Err(bad());
	}
	let (body, checksum) = raw.split_at(raw.len() - 2);
	let hash = sp_crypto_hashing::blake2_512(&[SS58_CONTEXT, body].concat());
	if hash.get(..2) != Some(checksum) {
		return Err(bad());
	}
	body.get(prefix_length..).and_then(|key| key.try_into().ok()).ok_or_else(bad)
}

/// The account as an SS58 address with the generic Substrate prefix (42), as polkadot.js
/// shows it on a development chain.
pub fn ss58(account: &[u8; 32]) -> String {
	let body = [&[42u8][..], &account[..]].concat();
	let hash = sp_crypto_hashing::blake2_512(&[SS58_CONTEXT, &body].concat());
	let checksum = hash.get(..2).unwrap_or_default();
	bs58::encode([&body[..], checksum].concat()).into_string()
}

/// `0x` and the bytes in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
	let mut text = String::with_capacity(2 + 2 * bytes.len());
	text.push_str("0x");
	for byte in bytes {
		text.push_str(&format!("{byte:02x}"));
	}
	text
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
	if hex.len() % 2 != 0 {
		return None;
	}
	(0..hex.len())
		.step_by(2)
		.map(|at| hex.get(at..at + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
		.collect()
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	/// Charlie's well-known development key.
	const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";
	const CHARLIE_HEX: &str = "0x90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22";

	#[test]
	fn ss58_and_hex_name_the_same_account_and_print_back() {
		let account = parse_account(CHARLIE).unwrap();
		assert_eq!(hex(&account), CHARLIE_HEX);
		assert_eq!(parse_account(CHARLIE_HEX).unwrap(), account);
		assert_eq!(ss58(&account), CHARLIE);
	}

	#[test]
	fn a_mistyped_address_fails_its_checksum() {
		let mistyped = CHARLIE.replace("HGRK", "HGRL");
		assert!(matches!(parse_account(&mistyped), Err(ClaimsError::Account(_))));
		for bad in ["", "0x1234", "not an address", "0xzz"] {
			assert!(parse_account(bad).is_err(), "{bad}");
		}
	}
}
