//! The metadata clients decode: V15 and V16 are served and list every pallet and runtime API.

mod common;

use btt_runtime::Runtime;
use codec::Decode;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};

/// Every pallet of the runtime, by the name clients see.
const PALLETS: [&str; 41] = [
	"System",
	"ParachainSystem",
	"Timestamp",
	"ParachainInfo",
	"WeightReclaim",
	"Utility",
	"Multisig",
	"Proxy",
	"Balances",
	"TransactionPayment",
	"Assets",
	"FractionAssets",
	"Nfts",
	"AssetTxPayment",
	"PoolAssets",
	"AssetConversion",
	"Authorship",
	"ValidatorScoring",
	"Staking",
	"Session",
	"Historical",
	"Aura",
	"AuraExt",
	"XcmpQueue",
	"PolkadotXcm",
	"CumulusXcm",
	"MessageQueue",
	"Sudo",
	"Scheduler",
	"Preimage",
	"Origins",
	"ConvictionVoting",
	"Referenda",
	"Whitelist",
	"Fellowship",
	"FellowshipReferenda",
	"Treasury",
	"Tokenization",
	"DepinRegistry",
	"Payfi",
	"PatientRewards",
];

fn metadata_v15() -> frame_metadata::v15::RuntimeMetadataV15 {
	// Some constants (the XCM universal location) read genesis state.
	let bytes = common::dev_genesis()
		.execute_with(|| Runtime::metadata_at_version(15))
		.expect("metadata V15 is served");
	let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("decodes");
	match prefixed.1 {
		RuntimeMetadata::V15(metadata) => metadata,
		other => panic!("asked for V15, got version {}", other.version()),
	}
}

/// Whether values of the registry type `id` always encode to zero bytes.
fn encodes_to_nothing(registry: &scale_info::PortableRegistry, id: u32) -> bool {
	use scale_info::TypeDef;
	match &registry.resolve(id).expect("type in registry").type_def {
		TypeDef::Tuple(tuple) => {
			tuple.fields.iter().all(|field| encodes_to_nothing(registry, field.id))
		},
		TypeDef::Composite(composite) => {
			composite.fields.iter().all(|field| encodes_to_nothing(registry, field.ty.id))
		},
		TypeDef::Array(array) => {
			array.len == 0 || encodes_to_nothing(registry, array.type_param.id)
		},
		_ => false,
	}
}

#[test]
fn metadata_versions_include_15_and_16() {
	let versions = common::dev_genesis().execute_with(Runtime::metadata_versions);
	assert!(versions.contains(&15), "{versions:?}");
	assert!(versions.contains(&16), "{versions:?}");
}

#[test]
fn metadata_lists_every_pallet_at_its_index() {
	let metadata = metadata_v15();
	let found: Vec<(&str, u8)> =
		metadata.pallets.iter().map(|p| (p.name.as_str(), p.index)).collect();
	assert_eq!(found.iter().map(|(name, _)| *name).collect::<Vec<_>>(), PALLETS);
	let index_of = |name: &str| found.iter().find(|(n, _)| *n == name).map(|(_, i)| *i);
	assert_eq!(index_of("System"), Some(0));
	assert_eq!(index_of("Balances"), Some(10));
	assert_eq!(index_of("ValidatorScoring"), Some(21));
	assert_eq!(index_of("Staking"), Some(22));
	assert_eq!(index_of("Session"), Some(23));
	assert_eq!(index_of("Aura"), Some(25));
	assert_eq!(index_of("PolkadotXcm"), Some(31));
	assert_eq!(index_of("Sudo"), Some(40));
	assert_eq!(index_of("Referenda"), Some(45));
	assert_eq!(index_of("Treasury"), Some(49));
	assert_eq!(index_of("FractionAssets"), Some(13));
	assert_eq!(index_of("AssetConversion"), Some(17));
	// BTT's own pallets take 50 and above, and only they.
	assert_eq!(index_of("Tokenization"), Some(50));
	assert_eq!(index_of("DepinRegistry"), Some(51));
	assert_eq!(index_of("Payfi"), Some(52));
	assert_eq!(index_of("PatientRewards"), Some(53));
	let btt_pallets = ["Tokenization", "DepinRegistry", "Payfi", "PatientRewards"];
	assert!(found.iter().all(|(name, index)| *index < 50 || btt_pallets.contains(name)));
}

#[test]
fn metadata_lists_the_runtime_apis_clients_use() {
	let metadata = metadata_v15();
	let apis: Vec<&str> = metadata.apis.iter().map(|api| api.name.as_str()).collect();
	for api in [
		"Core",
		"Metadata",
		"BlockBuilder",
		"TaggedTransactionQueue",
		"OffchainWorkerApi",
		"SessionKeys",
		"AccountNonceApi",
		"TransactionPaymentApi",
		"TransactionPaymentCallApi",
		"GenesisBuilder",
		"AuraApi",
		"CollectCollationInfo",
		"XcmPaymentApi",
		"DryRunApi",
		"TokenizationApi",
		"DepinApi",
		"AssetConversionApi",
		"PayfiApi",
		"PatientRewardsApi",
	] {
		assert!(apis.contains(&api), "runtime API {api} missing from {apis:?}");
	}
}

#[test]
fn every_transaction_extension_is_known_to_clients_or_zero_sized() {
	let metadata = metadata_v15();
	// Extensions @polkadot/api decodes without registration.
	let known = [
		"CheckNonZeroSender",
		"CheckSpecVersion",
		"CheckTxVersion",
		"CheckGenesis",
		"CheckMortality",
		"CheckNonce",
		"CheckWeight",
		// Known, with `assetId` typed for Asset Hub: a client paying in an asset registers
		// `TAssetConversion` (docs/runtime.md); a BTT fee (`assetId` None) encodes the same.
		"ChargeAssetTxPayment",
		"CheckMetadataHash",
	];
	let registry = &metadata.types;
	for extension in &metadata.extrinsic.signed_extensions {
		if known.contains(&extension.identifier.as_str()) {
			continue;
		}
		for ty in [extension.ty.id, extension.additional_signed.id] {
			assert!(
				encodes_to_nothing(registry, ty),
				"extension {} is unknown to clients and not zero-sized",
				extension.identifier
			);
		}
	}
}

/// The worker's subxt client (`offchain-workers/worker`) is generated at compile time from this
/// file, so a runtime change that reaches clients must regenerate it.
const WORKER_METADATA: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/../offchain-workers/worker/metadata/btt.scale");

/// Fails when the runtime's metadata differs from the worker's copy. Regenerate with
/// `BTT_WRITE_METADATA=1 cargo test -p btt-runtime --features "runtime-benchmarks try-runtime"
/// --test metadata` (scripts/update-worker-metadata.sh).
#[test]
fn worker_metadata_matches_the_runtime() {
	let bytes: Vec<u8> = common::dev_genesis()
		.execute_with(|| Runtime::metadata_at_version(15))
		.expect("metadata V15 is served")
		.to_vec();
	if std::env::var_os("BTT_WRITE_METADATA").is_some() {
		let path = std::path::Path::new(WORKER_METADATA);
		std::fs::create_dir_all(path.parent().expect("has a parent"))
			.expect("creates the directory");
		std::fs::write(path, &bytes).expect("writes the metadata");
	}
	let shipped = std::fs::read(WORKER_METADATA).unwrap_or_default();
	assert!(
		shipped == bytes,
		"offchain-workers/worker/metadata/btt.scale is stale: run scripts/update-worker-metadata.sh"
	);
}
