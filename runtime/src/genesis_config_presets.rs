//! Named genesis presets. The node builds its `--dev` and `--chain local` specs from these, and
//! `chain-spec-builder`/`build-spec` can list and export them.

use crate::{
	configs::{governance::Pace, DepinRewardPot, PatientRewardsPalletId, TreasuryAccount},
	AccountId, AssetConversionConfig, AssetId, AssetsConfig, AuraId, BalancesConfig,
	DepinRegistryConfig, OriginsConfig, ParachainInfoConfig, PatientRewardsConfig, PayfiConfig,
	PolkadotXcmConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, StakingConfig, SudoConfig,
	ValidatorScoringConfig, PARACHAIN_ID, UNITS,
};
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, traits::fungible::NativeOrWithId};
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::AccountIdConversion;

/// The `development` preset: one collator (Alice), sudo Alice, fast governance tracks.
pub const DEVELOPMENT: &str = DEV_RUNTIME_PRESET;
/// The `local_testnet` preset: two collators (Alice, Bob), no sudo key: governance only, on
/// fast tracks (a test network for upgrades through a real relay chain).
pub const LOCAL_TESTNET: &str = LOCAL_TESTNET_RUNTIME_PRESET;

/// BTT given to each well-known development account at genesis.
pub const DEV_ENDOWMENT: u128 = 1_000_000 * UNITS;

/// BTT the treasury account starts with.
pub const TREASURY_ENDOWMENT: u128 = UNITS;

/// BTT the DePIN reward pot starts with on development networks: a few months of epoch
/// rewards for a handful of nodes.
pub const DEPIN_REWARD_POT_ENDOWMENT: u128 = 100_000 * UNITS;

/// The least fee of a diagnostic task paid in BTT: above what a node's epoch reward pays per
/// task, so that posting tasks to one's own nodes to earn rewards costs more than it earns
/// (`docs/security.md`).
pub const DEPIN_LEAST_FEE: u128 = 2 * UNITS;

/// What each genesis collator bonds in staking (they are also the invulnerables).
pub const COLLATOR_BOND: u128 = 10_000 * UNITS;

/// The least bond of a collator candidate (`staking.validate`).
pub const MIN_COLLATOR_BOND: u128 = 1_000 * UNITS;

/// The least bond of a nominator (`staking.nominate`).
pub const MIN_NOMINATOR_BOND: u128 = 10 * UNITS;

/// Collator seats on development and local networks: the invulnerables and the best-scored
/// candidates fill them.
pub const DEV_COLLATOR_SEATS: u32 = 4;

/// Blocks per session on the development network (30 seconds of `--dev`'s 3-second blocks; a
/// live chain's and a local network's are an hour): an era of six sessions lasts 3 minutes.
pub const DEV_SESSION_BLOCKS: u32 = 10;

/// The development and local networks' stablecoin, dUSD: a sufficient pallet-assets asset (an
/// account holding only dUSD exists and pays its fees in dUSD through the BTT/dUSD pool). Not
/// asset 0 or 1, which FRAME's benchmarks create on the development preset.
pub const DEV_USD: AssetId = 1_337;
/// dUSD's decimals, as USD stablecoins have.
pub const DEV_USD_DECIMALS: u8 = 6;
/// One dUSD in its smallest units.
pub const DEV_USD_UNIT: u128 = 1_000_000;
/// dUSD given to each well-known development account.
pub const DEV_USD_ENDOWMENT: u128 = 100_000 * DEV_USD_UNIT;
/// The smallest dUSD balance an account may hold (one cent).
pub const DEV_USD_MIN_BALANCE: u128 = DEV_USD_UNIT / 100;
/// The BTT/dUSD pool's liquidity at genesis, given by Alice: 50,000 BTT against 50,000 dUSD
/// (1 BTT = 1 dUSD).
pub const DEV_POOL_BTT: u128 = 50_000 * UNITS;
/// See [`DEV_POOL_BTT`].
pub const DEV_POOL_USD: u128 = 50_000 * DEV_USD_UNIT;

/// BTT the patient reward pot starts with on development networks (on a live chain the
/// treasury funds it: issue 22).
pub const PATIENT_REWARD_POT_ENDOWMENT: u128 = 1_000_000 * UNITS;

/// What a patient-rewards budget period may pay at most.
pub const PATIENT_REWARD_BUDGET: u128 = 100_000 * UNITS;

/// The development chain's budget periods: a minute, so that its demo and tests claim what
/// they earned (a live chain keeps the pallet's 30 days).
pub const DEV_REWARD_PERIOD_SECONDS: u64 = 60;

/// The reward categories' values, in whole BTT: `(category, A, B_H)`, each within its seed
/// range (docs/pallets/patient-rewards.md has worked examples with them).
pub const REWARD_CATEGORIES: [(pallet_patient_rewards::Category, u128, u128); 5] = {
	use pallet_patient_rewards::Category::*;
	[
		(Checkup, 300, 100),
		(Hygiene, 10, 4),
		(TreatmentPlan, 600, 200),
		(Education, 100, 30),
		(Referral, 150, 50),
	]
};

/// The development clinic: `//Bob` confirms checkups and treatment plans.
pub fn dev_provider() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

/// The development author of education modules: `//Charlie`.
pub fn dev_author() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}

/// The XCM version assumed for destinations whose version is not yet known.
const SAFE_XCM_VERSION: u32 = xcm::prelude::XCM_VERSION;

/// What a network's DePIN registry starts with: fee currencies, auditors and, on development
/// chains only, parent-hash randomness (a `--dev` node's mocked relay chain has no VRF).
struct DepinGenesis {
	auditors: Vec<AccountId>,
	dev_randomness: bool,
}

/// Who governs a network: the sudo key (development only), the tracks' pace and the technical
/// fellowship's first members with their ranks.
struct GovernanceGenesis {
	sudo: Option<AccountId>,
	pace: Pace,
	fellows: Vec<(AccountId, u16)>,
}

/// The development and local networks' technical fellowship: Alice (rank 3), Bob (2) and
/// Charlie (1), who vote on fellowship referenda and so may whitelist calls.
pub fn dev_fellows() -> Vec<(AccountId, u16)> {
	vec![
		(Sr25519Keyring::Alice.to_account_id(), 3),
		(Sr25519Keyring::Bob.to_account_id(), 2),
		(Sr25519Keyring::Charlie.to_account_id(), 1),
	]
}

/// What a network's patient rewards start with beyond the categories and the budget.
struct RewardsGenesis {
	period_seconds: Option<u64>,
	providers: Vec<AccountId>,
	authors: Vec<AccountId>,
}

/// Genesis of a BTT network with the given collators, endowed accounts and governance;
/// `issuer` issues the stablecoin and provides the pool's liquidity.
fn btt_genesis(
	issuer: AccountId,
	collators: Vec<(AccountId, AuraId)>,
	session_blocks: Option<u32>,
	endowed: Vec<AccountId>,
	governance: GovernanceGenesis,
	depin: DepinGenesis,
	rewards: RewardsGenesis,
) -> serde_json::Value {
	// The genesis collators: invulnerables of the election, bonded in staking.
	let invulnerables = collators.iter().map(|(account, _)| account.clone()).collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		assets: AssetsConfig {
			assets: vec![(DEV_USD, issuer.clone(), true, DEV_USD_MIN_BALANCE)],
			metadata: vec![(
				DEV_USD,
				b"BTT Dev US Dollar".to_vec(),
				b"dUSD".to_vec(),
				DEV_USD_DECIMALS
			)],
			accounts: endowed
				.iter()
				.map(|account| (DEV_USD, account.clone(), DEV_USD_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		asset_conversion: AssetConversionConfig {
			pools: vec![(
				NativeOrWithId::Native,
				NativeOrWithId::WithId(DEV_USD),
				issuer,
				DEV_POOL_BTT,
				DEV_POOL_USD
			)],
		},
		balances: BalancesConfig {
			balances: endowed
				.into_iter()
				.map(|account| (account, DEV_ENDOWMENT))
				// The treasury receives market fees and revenue dust, some too small to open
				// an account: it exists from genesis.
				.chain([(TreasuryAccount::get(), TREASURY_ENDOWMENT)])
				.chain([(DepinRewardPot::get(), DEPIN_REWARD_POT_ENDOWMENT)])
				.chain([(
					PatientRewardsPalletId::get().into_account_truncating(),
					PATIENT_REWARD_POT_ENDOWMENT
				)])
				.collect::<Vec<_>>(),
		},
		parachain_info: ParachainInfoConfig { parachain_id: PARACHAIN_ID.into() },
		staking: StakingConfig {
			validator_count: DEV_COLLATOR_SEATS,
			minimum_validator_count: 1,
			invulnerables: invulnerables.clone(),
			stakers: invulnerables
				.iter()
				.map(|account| (
					account.clone(),
					account.clone(),
					COLLATOR_BOND,
					pallet_staking::StakerStatus::<AccountId>::Validator
				))
				.collect::<Vec<_>>(),
			min_nominator_bond: MIN_NOMINATOR_BOND,
			min_validator_bond: MIN_COLLATOR_BOND,
			max_validator_count: Some(crate::configs::MAX_COLLATORS),
			max_nominator_count: Some(crate::configs::MAX_NOMINATORS),
		},
		validator_scoring: ValidatorScoringConfig { invulnerables, session_blocks },
		session: SessionConfig {
			keys: collators
				.into_iter()
				.map(|(account, aura)| (account.clone(), account, SessionKeys { aura }))
				.collect::<Vec<_>>(),
		},
		polkadot_xcm: PolkadotXcmConfig { safe_xcm_version: Some(SAFE_XCM_VERSION) },
		sudo: SudoConfig { key: governance.sudo },
		origins: OriginsConfig { pace: governance.pace, fellows: governance.fellows },
		depin_registry: DepinRegistryConfig {
			fee_currencies: vec![(NativeOrWithId::Native, DEPIN_LEAST_FEE)],
			auditors: depin.auditors,
			dev_randomness: depin.dev_randomness,
		},
		// Clinics may receive dUSD (BTT always); every well-formed CDT code may be billed.
		payfi: PayfiConfig { receivable_currencies: vec![NativeOrWithId::WithId(DEV_USD)] },
		patient_rewards: PatientRewardsConfig {
			categories: REWARD_CATEGORIES
				.iter()
				.map(|(category, base, consistency)| (*category, base * UNITS, consistency * UNITS))
				.collect::<Vec<_>>(),
			budget_per_period: PATIENT_REWARD_BUDGET,
			period_seconds: rewards.period_seconds,
			providers: rewards.providers,
			authors: rewards.authors,
		},
	})
}

/// A collator's account and Aura key, from a well-known development keyring entry.
fn dev_collator(key: Sr25519Keyring) -> (AccountId, AuraId) {
	(key.to_account_id(), key.public().into())
}

/// The development auditor: `//Alice//stash` posts the challenge tasks of `scripts/dev.sh`.
pub fn dev_auditor() -> AccountId {
	Sr25519Keyring::AliceStash.to_account_id()
}

fn development() -> serde_json::Value {
	btt_genesis(
		Sr25519Keyring::Alice.to_account_id(),
		vec![dev_collator(Sr25519Keyring::Alice)],
		Some(DEV_SESSION_BLOCKS),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		GovernanceGenesis {
			sudo: Some(Sr25519Keyring::Alice.to_account_id()),
			pace: Pace::Development,
			fellows: dev_fellows(),
		},
		DepinGenesis { auditors: vec![dev_auditor()], dev_randomness: true },
		RewardsGenesis {
			period_seconds: Some(DEV_REWARD_PERIOD_SECONDS),
			providers: vec![dev_provider()],
			authors: vec![dev_author()],
		},
	)
}

fn local_testnet() -> serde_json::Value {
	btt_genesis(
		Sr25519Keyring::Alice.to_account_id(),
		vec![dev_collator(Sr25519Keyring::Alice), dev_collator(Sr25519Keyring::Bob)],
		// A local network keeps a live chain's hour-long sessions.
		None,
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		// No sudo: every privileged call goes through a referendum, on fast tracks so that an
		// upgrade can be rehearsed through a real relay chain in minutes.
		GovernanceGenesis { sudo: None, pace: Pace::Development, fellows: dev_fellows() },
		// A local network runs a relay chain: its randomness is the relay VRF.
		DepinGenesis { auditors: vec![dev_auditor()], dev_randomness: false },
		// A local network keeps the 30-day periods of a live chain.
		RewardsGenesis {
			period_seconds: None,
			providers: vec![dev_provider()],
			authors: vec![dev_author()],
		},
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEVELOPMENT => development(),
		LOCAL_TESTNET => local_testnet(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// Names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT), PresetId::from(LOCAL_TESTNET)]
}
