//! Collators: block authorship, Aura, sessions and collator selection (invulnerables plus
//! bonded candidates; validator scoring replaces the candidate rule in a later issue).

use crate::{
	AccountId, Aura, Balances, CollatorSelection, Runtime, SessionKeys, HOURS, SLOT_DURATION,
};
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;

/// Blocks per session: collator sets rotate every six hours.
pub const SESSION_PERIOD: u32 = 6 * HOURS;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = (CollatorSelection,);
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = crate::AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<100>;
	type AllowMultipleBlocksPerSlot = ConstBool<true>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ValidatorId = AccountId;
	// Collators have no stash/controller split.
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<ConstU32<SESSION_PERIOD>, ConstU32<0>>;
	type NextSessionRotation =
		pallet_session::PeriodicSessions<ConstU32<SESSION_PERIOD>, ConstU32<0>>;
	type SessionManager = CollatorSelection;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = ();
}

parameter_types! {
	/// Account holding the collators' fee pot.
	pub const PotId: PalletId = PalletId(*b"PotStake");
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Currency = Balances;
	// Root (sudo on development networks; governance later).
	type UpdateOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type MaxCandidates = ConstU32<100>;
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = ConstU32<20>;
	// A multiple of the session length, so kicks line up with rotations.
	type KickThreshold = ConstU32<SESSION_PERIOD>;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = crate::Session;
	type WeightInfo = pallet_collator_selection::weights::SubstrateWeight<Runtime>;
}
