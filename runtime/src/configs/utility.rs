//! Account tools: batches (utility), multisig accounts and proxies.

use crate::{deposit, Balance, Balances, OriginCaller, Runtime, RuntimeCall};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{ConstU32, InstanceFilter},
};
use sp_runtime::traits::BlakeTwo256;

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	// One storage item; key 32 bytes, value 4 + 4 + 16 + 32 = 56 bytes.
	pub const DepositBase: Balance = deposit(1, 88);
	// Each further signatory: 32 bytes.
	pub const DepositFactor: Balance = deposit(0, 32);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositFactor = DepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

/// What a proxy may do on behalf of the account that added it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub enum ProxyType {
	/// Any call.
	#[default]
	Any,
	/// Any call that cannot move value: no BTT, asset, fraction or NFT transfers, no market
	/// orders, revenue deposits or schedules, no DePIN stakes or task fees, no XCM, no
	/// deposits held for payments or patient records.
	NonTransfer,
	/// Only rejecting announcements of time-delayed proxies.
	CancelProxy,
	/// Collator management: candidacy, bonds, session keys.
	Collator,
	/// Governance: referenda (public and the fellowship's), votes, preimages, treasury
	/// claims.
	Governance,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => match call {
				RuntimeCall::Balances(..)
				| RuntimeCall::Assets(..)
				| RuntimeCall::FractionAssets(..)
				| RuntimeCall::Nfts(..)
				// Swaps and liquidity send to any account (`send_to`, `mint_to`,
				// `withdraw_to`); LP tokens are value.
				| RuntimeCall::AssetConversion(..)
				| RuntimeCall::PoolAssets(..)
				| RuntimeCall::PolkadotXcm(..)
				| RuntimeCall::DepinRegistry(..)
				// Referenda and preimages hold deposits that a kill slashes.
				| RuntimeCall::Referenda(..)
				| RuntimeCall::FellowshipReferenda(..)
				| RuntimeCall::Preimage(..)
				| RuntimeCall::Sudo(..) => false,
				RuntimeCall::Tokenization(call) => tokenization_call_moves_no_value(call),
				// Payments, escrows and confirmations move value, registrations and disputes
				// hold deposits; removing reconciled records and settling an escrow by its
				// rules are housekeeping.
				RuntimeCall::Payfi(call) => matches!(
					call,
					pallet_payfi::Call::remove_records { .. } | pallet_payfi::Call::settle_escrow { .. }
				),
				// Calls that hold a deposit or spend rewards are refused; attestations, claims
				// (paid to the proxied account) and calls that release its deposits are not.
				RuntimeCall::PatientRewards(call) => !matches!(
					call,
					pallet_patient_rewards::Call::redeem_at_merchant { .. }
						| pallet_patient_rewards::Call::redeem_benefit { .. }
						| pallet_patient_rewards::Call::grant_consent { .. }
						| pallet_patient_rewards::Call::register_device { .. }
						| pallet_patient_rewards::Call::record_plan { .. }
						| pallet_patient_rewards::Call::create_module { .. }
						| pallet_patient_rewards::Call::commit_answers { .. }
				),
				_ => true,
			},
			ProxyType::CancelProxy => matches!(
				call,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
			),
			ProxyType::Collator => matches!(
				call,
				RuntimeCall::Staking(..)
					| RuntimeCall::Session(..)
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
			),
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Referenda(..)
					| RuntimeCall::ConvictionVoting(..)
					| RuntimeCall::Preimage(..)
					| RuntimeCall::Whitelist(..)
					| RuntimeCall::Fellowship(..)
					| RuntimeCall::FellowshipReferenda(..)
					| RuntimeCall::Treasury(..)
					| RuntimeCall::Utility(..)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::Collator) => true,
			_ => false,
		}
	}
}

/// The tokenization calls a `NonTransfer` proxy may make: the accredited roles' work, the
/// issuer's administration, and calls that only pay the proxied account back. Everything else
/// (fraction transfers, orders and fills, revenue deposits and schedules, fractionalizing,
/// unifying, registering and retiring, and any call added later) is refused.
fn tokenization_call_moves_no_value(call: &pallet_tokenization::Call<Runtime>) -> bool {
	use pallet_tokenization::Call as C;
	matches!(
		call,
		C::update_documents { .. }
			| C::set_rules { .. }
			| C::set_accepted_currencies { .. }
			| C::attest_ownership { .. }
			| C::revoke_attestation { .. }
			| C::submit_valuation { .. }
			| C::issue_claim { .. }
			| C::revoke_claim { .. }
			| C::claim_revenue { .. }
			| C::cancel_order { .. }
			| C::cancel_revenue_schedule { .. }
	)
}

parameter_types! {
	// One storage item; key 32 bytes, value 8 bytes.
	pub const ProxyDepositBase: Balance = deposit(1, 40);
	// Each further proxy: 33 bytes.
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	// One storage item; key 32 bytes, value 16 bytes.
	pub const AnnouncementDepositBase: Balance = deposit(1, 48);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
