//! Governance. For now only sudo, on development networks; the governance issue replaces it with
//! referenda, conviction voting and a whitelist, and removes this pallet by a runtime upgrade.

use crate::{Runtime, RuntimeCall};

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
