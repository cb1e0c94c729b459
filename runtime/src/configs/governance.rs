//! Governance. For now sudo, on development networks; the governance issue replaces it with
//! referenda, conviction voting and a whitelist, and removes sudo by a runtime upgrade. The
//! scheduler already serves the tokenization pallet's recurring revenue payments.

use super::RuntimeBlockWeights;
use crate::{OriginCaller, Runtime, RuntimeCall, RuntimeOrigin};
use frame_support::{
	parameter_types,
	traits::{ConstU32, EqualPrivilegeOnly},
	weights::Weight,
};
use frame_system::EnsureRoot;

parameter_types! {
	/// The scheduler may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		RuntimeBlockWeights::get().max_block.saturating_div(5).saturating_mul(4);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<crate::AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	// Scheduled calls are small enough to be stored inline; pallet-preimage comes with
	// governance.
	type Preimages = ();
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
