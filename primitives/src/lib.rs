//! Types, constants and cross-pallet traits shared by BTT's runtime, its pallets and its
//! off-chain clients.
//!
//! Pallets depend on this crate, never on each other; the runtime wires the traits declared
//! here to the pallets that implement them.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// An index to a block.
pub type BlockNumber = u32;

/// Signature type of the chain's transactions.
pub type Signature = MultiSignature;

/// An account's public key representation (32 bytes: sr25519, ed25519 or a hashed ecdsa key).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in plancks of BTT (12 decimals) or of a pallet-assets asset.
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// Identifier of a pallet-assets asset (stablecoins and other payment assets).
pub type AssetId = u32;

/// Identifier of a tokenized real-world asset. The same number names its digital twin (an item
/// of the twin collection in pallet-nfts) and its fractions (an asset of the fractions instance
/// of pallet-assets).
pub type TokenizedAssetId = u32;

pub mod depin;
pub mod payfi;
pub mod scheduling;
pub mod tokenization;

/// The native token, its decimals and the address format, as wallets display them.
pub mod token {
	/// Ticker of the native token.
	pub const SYMBOL: &str = "BTT";
	/// Decimals of the native token.
	pub const DECIMALS: u8 = 12;
	/// SS58 address prefix. 42 is the generic Substrate prefix, understood by every wallet, kept
	/// until BTT registers its own in the ss58 registry.
	pub const SS58_PREFIX: u16 = 42;
}

/// Amounts of BTT.
pub mod currency {
	use super::Balance;

	/// One BTT.
	pub const UNITS: Balance = 1_000_000_000_000;
	/// 0.001 BTT.
	pub const MILLI_UNITS: Balance = UNITS / 1_000;
	/// 0.000001 BTT.
	pub const MICRO_UNITS: Balance = MILLI_UNITS / 1_000;

	/// The minimum balance an account must keep to exist.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNITS;

	/// Deposit for user-created storage: 0.02 BTT per item plus 0.0001 BTT per byte.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance) * 20 * MILLI_UNITS + (bytes as Balance) * 100 * MICRO_UNITS
	}
}

/// Block production and time.
pub mod time {
	use super::BlockNumber;

	/// Target time between two blocks (the Aura slot duration).
	///
	/// A dev node seals on its own clock (`--dev-block-time`), independently of this value.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;
	/// Aura slot duration.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::currency::*;

	#[test]
	fn deposit_grows_with_items_and_bytes() {
		assert_eq!(deposit(0, 0), 0);
		assert_eq!(deposit(1, 0), 20 * MILLI_UNITS);
		assert_eq!(deposit(0, 10_000), UNITS);
		assert!(deposit(2, 64) > deposit(1, 64));
	}

	#[test]
	fn existential_deposit_is_below_one_unit() {
		assert!(EXISTENTIAL_DEPOSIT > 0 && EXISTENTIAL_DEPOSIT < UNITS);
	}
}
