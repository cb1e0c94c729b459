//! The runtime APIs: what the node, polkadot.js (`api.call.*`) and subxt may ask the runtime.

use crate::{
	configs::{ConsensusHook, BLOCK_PROCESSING_VELOCITY, RELAY_PARENT_OFFSET},
	genesis_config_presets, AccountId, AssetConversion, AuraId, Balance, Block, BlockNumber,
	DepinRegistry, Executive, InherentDataExt, Nonce, OriginCaller, ParachainInfo, ParachainSystem,
	PatientRewards, Payfi, PolkadotXcm, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig,
	SessionKeys, System, Tokenization, TransactionPayment, ValidatorScoring, SLOT_DURATION,
	VERSION,
};
use alloc::vec::Vec;
use btt_primitives::TokenizedAssetId;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;
use xcm::{
	latest::prelude::AssetId, Version as XcmVersion, VersionedAssetId, VersionedAssets,
	VersionedLocation, VersionedXcm,
};
use xcm_runtime_apis::{
	dry_run::{CallDryRunEffects, Error as XcmDryRunApiError, XcmDryRunEffects},
	fees::Error as XcmPaymentApiError,
};

/// A currency of the BTT/asset pools: BTT or a pallet-assets asset.
type AssetKind = frame_support::traits::fungible::NativeOrWithId<crate::AssetId>;

impl_runtime_apis! {
	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(SLOT_DURATION)
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
		fn relay_parent_offset() -> u32 {
			RELAY_PARENT_OFFSET
		}

		fn max_claim_queue_offset() -> u8 {
			ParachainSystem::max_claim_queue_offset()
		}
	}

	impl cumulus_primitives_core::SchedulingV3EnabledApi<Block> for Runtime {
		fn scheduling_v3_enabled() -> bool {
			use cumulus_primitives_core::VerifySchedulingSignature;
			<Runtime as cumulus_pallet_parachain_system::Config>::SchedulingSignatureVerifier::V3_SCHEDULING_ENABLED
		}
	}

	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_asset_conversion::AssetConversionApi<Block, Balance, AssetKind>
		for Runtime
	{
		fn quote_price_exact_tokens_for_tokens(
			asset1: AssetKind,
			asset2: AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
		}

		fn quote_price_tokens_for_exact_tokens(
			asset1: AssetKind,
			asset2: AssetKind,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
		}

		fn get_reserves(
			asset1: AssetKind,
			asset2: AssetKind,
		) -> Option<(Balance, Balance)> {
			AssetConversion::get_reserves(asset1, asset2).ok()
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl xcm_runtime_apis::fees::XcmPaymentApi<Block> for Runtime {
		fn query_acceptable_payment_assets(xcm_version: XcmVersion) -> Result<Vec<VersionedAssetId>, XcmPaymentApiError> {
			let acceptable_assets = alloc::vec![AssetId(crate::configs::xcm_config::HereLocation::get())];
			PolkadotXcm::query_acceptable_payment_assets(xcm_version, acceptable_assets)
		}

		fn query_weight_to_asset_fee(weight: Weight, asset: VersionedAssetId) -> Result<u128, XcmPaymentApiError> {
			type Trader = <crate::configs::xcm_config::XcmConfig as xcm_executor::Config>::Trader;
			PolkadotXcm::query_weight_to_asset_fee::<Trader>(weight, asset)
		}

		fn query_xcm_weight(message: VersionedXcm<()>) -> Result<Weight, XcmPaymentApiError> {
			PolkadotXcm::query_xcm_weight(message)
		}

		fn query_delivery_fees(
			destination: VersionedLocation,
			message: VersionedXcm<()>,
			asset_id: VersionedAssetId,
		) -> Result<VersionedAssets, XcmPaymentApiError> {
			type AssetExchanger = <crate::configs::xcm_config::XcmConfig as xcm_executor::Config>::AssetExchanger;
			PolkadotXcm::query_delivery_fees::<AssetExchanger>(destination, message, asset_id)
		}
	}

	impl xcm_runtime_apis::dry_run::DryRunApi<Block, RuntimeCall, RuntimeEvent, OriginCaller> for Runtime {
		fn dry_run_call(
			origin: OriginCaller,
			call: RuntimeCall,
			result_xcms_version: XcmVersion,
		) -> Result<CallDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			use crate::configs::xcm_config::XcmRouter;
			PolkadotXcm::dry_run_call::<Runtime, XcmRouter, OriginCaller, RuntimeCall>(origin, call, result_xcms_version)
		}

		fn dry_run_xcm(
			origin_location: VersionedLocation,
			xcm: VersionedXcm<RuntimeCall>,
		) -> Result<XcmDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			PolkadotXcm::dry_run_xcm::<crate::configs::xcm_config::XcmRouter>(origin_location, xcm)
		}
	}

	impl xcm_runtime_apis::conversions::LocationToAccountApi<Block, AccountId> for Runtime {
		fn convert_location(location: VersionedLocation) -> Result<AccountId, xcm_runtime_apis::conversions::Error> {
			xcm_runtime_apis::conversions::LocationToAccountHelper::<
				AccountId,
				crate::configs::xcm_config::LocationToAccountId,
			>::convert_location(location)
		}
	}

	impl pallet_tokenization::runtime_api::TokenizationApi<
		Block,
		AccountId,
		Balance,
		pallet_tokenization::CurrencyOf<Runtime>,
		pallet_tokenization::AssetDetailsOf<Runtime>,
		pallet_tokenization::RulesOf<Runtime>,
		pallet_tokenization::OrderOf<Runtime>,
	> for Runtime {
		fn asset(asset: TokenizedAssetId) -> Option<pallet_tokenization::AssetDetailsOf<Runtime>> {
			pallet_tokenization::Assets::<Runtime>::get(asset)
		}
		fn rules(asset: TokenizedAssetId) -> Option<pallet_tokenization::RulesOf<Runtime>> {
			pallet_tokenization::Rules::<Runtime>::get(asset)
		}
		fn ownership_verified(asset: TokenizedAssetId) -> bool {
			Tokenization::asset_ownership_verified(asset)
		}
		fn accepted_valuation(asset: TokenizedAssetId) -> Option<Balance> {
			Tokenization::accepted_valuation(asset)
		}
		fn holders_count(asset: TokenizedAssetId) -> u32 {
			pallet_tokenization::HolderCount::<Runtime>::get(asset)
		}
		fn fractions_of(asset: TokenizedAssetId, who: AccountId) -> (Balance, Balance) {
			Tokenization::fractions_of(asset, &who)
		}
		fn claimable_revenue(asset: TokenizedAssetId, who: AccountId) -> Vec<(pallet_tokenization::CurrencyOf<Runtime>, Balance)> {
			Tokenization::claimable_revenue_by_currency(asset, &who)
		}
		fn can_transfer(
			asset: TokenizedAssetId,
			from: AccountId,
			to: AccountId,
			amount: Balance,
		) -> Result<(), pallet_tokenization::TransferRejection> {
			Tokenization::check_transfer(asset, &from, &to, amount)
		}
		fn open_orders(asset: TokenizedAssetId) -> Vec<(pallet_tokenization::OrderId, pallet_tokenization::OrderOf<Runtime>)> {
			Tokenization::open_orders(asset)
		}
	}

	impl pallet_depin_registry::runtime_api::DepinApi<
		Block,
		AccountId,
		BlockNumber,
		pallet_depin_registry::NodeView<AccountId, Balance, BlockNumber>,
		pallet_depin_registry::TaskOf<Runtime>,
		pallet_depin_registry::TaskResultOf<Runtime>,
	> for Runtime {
		fn node(node: AccountId) -> Option<pallet_depin_registry::NodeView<AccountId, Balance, BlockNumber>> {
			DepinRegistry::node_view(node)
		}
		fn node_tasks(node: AccountId) -> Vec<btt_primitives::depin::TaskId> {
			DepinRegistry::tasks_of_node(node)
		}
		fn efficiency(node: AccountId) -> Option<sp_runtime::FixedU64> {
			DepinRegistry::node_efficiency(node)
		}
		fn task(task: btt_primitives::depin::TaskId) -> Option<pallet_depin_registry::TaskOf<Runtime>> {
			DepinRegistry::open_task(task)
		}
		fn task_status(task: btt_primitives::depin::TaskId) -> pallet_depin_registry::TaskStatus<BlockNumber> {
			DepinRegistry::task_status(task)
		}
		fn task_result(task: btt_primitives::depin::TaskId) -> Option<pallet_depin_registry::TaskResultOf<Runtime>> {
			DepinRegistry::task_result(task)
		}
	}

	impl pallet_payfi::runtime_api::PayfiApi<
		Block,
		AccountId,
		AssetKind,
		Balance,
		BlockNumber,
	> for Runtime {
		fn payee(who: AccountId) -> Option<pallet_payfi::Payee<Balance>> {
			Payfi::payee(&who)
		}
		fn statement(
			payee: AccountId,
			from: u32,
			to: u32,
		) -> Option<Vec<(u32, pallet_payfi::PaymentId, pallet_payfi::PaymentRecordOf<Runtime>)>> {
			Payfi::statement(&payee, from, to)
		}
	}

	impl pallet_patient_rewards::runtime_api::PatientRewardsApi<Block, AccountId, Balance> for Runtime {
		fn pending_rewards(patient: AccountId) -> (Balance, Balance) {
			PatientRewards::pending_rewards(&patient)
		}
		fn patient(patient: AccountId) -> Option<pallet_patient_rewards::Patient<Balance>> {
			pallet_patient_rewards::Patients::<Runtime>::get(&patient)
		}
		fn engagement(patient: AccountId) -> (sp_runtime::Perbill, sp_runtime::FixedU128) {
			PatientRewards::engagement(&patient)
		}
		fn budget_left() -> Balance {
			PatientRewards::budget_left()
		}
		fn history(patient: AccountId) -> Vec<pallet_patient_rewards::Activity<Balance>> {
			pallet_patient_rewards::History::<Runtime>::get(&patient).into_inner()
		}
		fn consents(
			patient: AccountId,
		) -> Vec<(AccountId, pallet_patient_rewards::Purpose, pallet_patient_rewards::Consent<Balance>)> {
			PatientRewards::consents_of(&patient)
		}
	}

	impl pallet_validator_scoring::runtime_api::ValidatorScoringApi<Block, AccountId, BlockNumber>
		for Runtime
	{
		fn scores() -> Vec<pallet_validator_scoring::CandidateScore<AccountId>> {
			ValidatorScoring::current_scores()
		}
		fn last_election() -> Vec<pallet_validator_scoring::CandidateScore<AccountId>> {
			pallet_validator_scoring::LastElection::<Runtime>::get().into_inner()
		}
		fn reliability(
			who: AccountId,
		) -> (Vec<pallet_validator_scoring::SessionRecord>, sp_runtime::Perbill) {
			ValidatorScoring::reliability_report(&who)
		}
		fn rating(who: AccountId) -> Option<pallet_validator_scoring::Rating<BlockNumber>> {
			pallet_validator_scoring::Ratings::<Runtime>::get(&who)
		}
	}

	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(header: &<Block as BlockT>::Header) -> cumulus_primitives_core::CollationInfo {
			ParachainSystem::collect_collation_info(header)
		}
	}

	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			ParachainInfo::parachain_id()
		}
	}

	impl cumulus_primitives_core::TargetBlockRate<Block> for Runtime {
		fn target_block_rate() -> u32 {
			BLOCK_PROCESSING_VELOCITY
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, &genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is an off-chain tool and this API cannot return an error: a failed
			// upgrade check must abort it, naming the check.
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|error| panic!("try-runtime upgrade checks failed: {error:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			// As above: an off-chain check that must stop with the failing invariant.
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|error| panic!("try-runtime block execution failed: {error:?}"))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use crate::AllPalletsWithSystem;
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use cumulus_pallet_session_benchmarking::Pallet as SessionBench;
			use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
			use crate::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use crate::*;
			use frame_benchmarking::{BenchmarkBatch, BenchmarkError};
			use frame_support::traits::WhitelistedStorageKeys;
			use frame_system_benchmarking::Pallet as SystemBench;
			use cumulus_pallet_session_benchmarking::Pallet as SessionBench;
			use codec::Encode;

			impl frame_system_benchmarking::Config for Runtime {
				fn setup_set_code_requirements(code: &Vec<u8>) -> Result<(), BenchmarkError> {
					ParachainSystem::initialize_for_set_code_benchmark(code.len() as u32);
					Ok(())
				}

				fn verify_set_code() {
					System::assert_last_event(
						cumulus_pallet_parachain_system::Event::<Runtime>::ValidationFunctionStored.into(),
					);
				}
			}

			impl cumulus_pallet_session_benchmarking::Config for Runtime {
				fn generate_session_keys_and_proof(owner: Self::AccountId) -> (Self::Keys, Vec<u8>) {
					let keys = SessionKeys::generate(&owner.encode(), None);
					(keys.keys, keys.proof.encode())
				}
			}

			use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
			// Not `Assets`: that name is the assets pallet here.
			use xcm::latest::prelude::{Asset, AssetId, Fungible, Here, Location, Parent};
			frame_support::parameter_types! {
				/// Nothing to fund before delivering to the relay chain: upward messages have no
				/// delivery price here, and only root sends (from `Here`, which has no account).
				pub const NoDeliveryDeposit: Option<Asset> = None;
			}

			/// pallet-xcm on this runtime: the relay chain is the destination the governance
			/// calls reach; nothing is teleported or reserve-transferred, and no local origin
			/// may execute or claim (those benchmarks come out at `Weight::MAX`).
			impl pallet_xcm::benchmarking::Config for Runtime {
				type DeliveryHelper = cumulus_primitives_utility::ToParentDeliveryHelper<
					configs::xcm_config::XcmConfig,
					NoDeliveryDeposit,
					(),
				>;

				fn reachable_dest() -> Option<Location> {
					Some(Parent.into())
				}

				fn teleportable_asset_and_dest() -> Option<(Asset, Location)> {
					None
				}

				fn reserve_transferable_asset_and_dest() -> Option<(Asset, Location)> {
					None
				}

				fn set_up_complex_asset_transfer(
				) -> Option<(xcm::latest::Assets, u32, Location, alloc::boxed::Box<dyn FnOnce()>)> {
					None
				}

				// The asset transactor handles BTT only, so the default `get_assets` (one
				// asset) is the worst case.
				fn get_asset() -> Asset {
					Asset {
						id: AssetId(Here.into()),
						fun: Fungible(EXISTENTIAL_DEPOSIT),
					}
				}

				fn batch_call(calls: Vec<RuntimeCall>) -> Option<RuntimeCall> {
					Some(RuntimeCall::Utility(pallet_utility::Call::batch { calls }))
				}
			}

			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}
}
