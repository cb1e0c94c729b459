//! Governance: OpenGov. Public referenda on tracks (`tracks.rs`), voted with conviction;
//! a technical fellowship (a ranked collective with its own referenda) that whitelists
//! urgent calls; preimages; the treasury (`treasury.rs`); and the scheduler that enacts
//! passed referenda and serves the tokenization pallet's recurring payments.
//!
//! Each BTT pallet's admin calls accept root or their own track's origin ([`ComplianceAdmin`]
//! and its siblings). Sudo remains on the development chain only: the `local_testnet` preset
//! has no sudo key (`docs/governance.md`).

mod fellowship;
pub mod origins;
pub mod tracks;
mod treasury;

pub use fellowship::{FellowshipCollective, FellowshipReferendaInstance};
pub use origins::{pallet_governance_origins, Pace};
pub use treasury::{DealWithFees, DealWithSwappedFees, TREASURY_FEE_SHARE};

use super::RuntimeBlockWeights;
use crate::{
	deposit, AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, Treasury, DAYS, UNITS,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, tokens::currency::ActiveIssuanceOf, AsEnsureOriginWithArg,
		ConstU32, EitherOf, EqualPrivilegeOnly, Get, LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use origins::TrackPace;

/// Root, or the compliance track: KYC and claim-issuer accreditation (tokenization), the
/// collators' compliance ratings (validator scoring).
pub type ComplianceAdmin = EitherOf<EnsureRoot<AccountId>, origins::Compliance>;
/// Root, or the clinical-models track: the DePIN model registry, confidence weights, fee
/// currencies and auditors.
pub type ClinicalModelsAdmin = EitherOf<EnsureRoot<AccountId>, origins::ClinicalModels>;
/// Root, or the payments track: PayFi's currencies, procedure code lists and arbitration.
pub type PaymentsAdmin = EitherOf<EnsureRoot<AccountId>, origins::Payments>;
/// Root, or the rewards track: patient-reward categories, budgets and registries.
pub type RewardsAdmin = EitherOf<EnsureRoot<AccountId>, origins::Rewards>;
/// Root, or the staking-admin track: staking's admin calls (slash cancels among them), the
/// election's score weights and invulnerables.
pub type StakingAdmin = EitherOf<EnsureRoot<AccountId>, origins::StakingAdmin>;

/// A value that depends on the tracks' [`Pace`]: `Production` on a live chain,
/// `Development` on development and local test networks.
pub struct ByPace<Production, Development>(core::marker::PhantomData<(Production, Development)>);
impl<P: Get<BlockNumber>, D: Get<BlockNumber>> Get<BlockNumber> for ByPace<P, D> {
	fn get() -> BlockNumber {
		match TrackPace::<Runtime>::get() {
			Pace::Production => P::get(),
			Pace::Development => D::get(),
		}
	}
}

parameter_types! {
	/// The scheduler may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		RuntimeBlockWeights::get().max_block.saturating_div(5).saturating_mul(4);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	// A passed referendum's call may be too large to store inline: the scheduler fetches it
	// from its preimage at enactment.
	type Preimages = Preimage;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

parameter_types! {
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// A preimage's deposit: one storage item plus its bytes, as every BTT deposit.
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
}

/// pallet-preimage: anyone may note a call's bytes against a held deposit (freed when the
/// preimage is removed or requested by a referendum).
impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_governance_origins::Config for Runtime {
	type Fellowship = FellowshipCollective;
}

parameter_types! {
	/// How long a vote's balance stays locked per conviction doubling after the referendum
	/// ends: a week on a live chain.
	pub const VoteLockingPeriodProduction: BlockNumber = 7 * DAYS;
	pub const VoteLockingPeriodDevelopment: BlockNumber = 10;
}

/// pallet-conviction-voting: BTT holders vote on public referenda; conviction multiplies a
/// vote's weight (up to 6×) in exchange for a longer lock.
impl pallet_conviction_voting::Config for Runtime {
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = ByPace<VoteLockingPeriodProduction, VoteLockingPeriodDevelopment>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
	type VotingHooks = ();
}

parameter_types! {
	/// What submitting a referendum holds until it ends (the decision deposit comes on top,
	/// per track): spam costs.
	pub const SubmissionDeposit: Balance = 10 * UNITS;
	/// A referendum without a decision deposit after this long times out.
	pub const UndecidingTimeoutProduction: BlockNumber = 14 * DAYS;
	pub const UndecidingTimeoutDevelopment: BlockNumber = 50;
}

/// pallet-referenda: the public referenda, on [`tracks::TracksInfo`].
impl pallet_referenda::Config for Runtime {
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumCanceller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::ReferendumKiller>;
	// A killed referendum's deposits go to the treasury.
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = ByPace<UndecidingTimeoutProduction, UndecidingTimeoutDevelopment>;
	type AlarmInterval = frame_support::traits::ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

parameter_types! {
	pub const DeferredDispatchExpirationProduction: BlockNumber = 28 * DAYS;
	pub const DeferredDispatchExpirationDevelopment: BlockNumber = 100;
}

/// pallet-whitelist: the fellowship (by its own referendum) whitelists a call's hash; a
/// public referendum on the whitelisted-caller track then dispatches it as root.
impl pallet_whitelist::Config for Runtime {
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WhitelistOrigin = EitherOf<EnsureRoot<AccountId>, origins::Fellows>;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Preimages = Preimage;
	// A call whitelisted for later dispatch expires after this long.
	type DeferredDispatchExpiration =
		ByPace<DeferredDispatchExpirationProduction, DeferredDispatchExpirationDevelopment>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
