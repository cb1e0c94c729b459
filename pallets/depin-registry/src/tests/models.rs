//! The model registry and the confidence weights.

use super::helpers::*;
use crate::{mock::*, ConfidenceWeights, Error, ModelStatus, Models, ModuleConfidence};
use btt_primitives::depin::DiagnosticModule;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Permill};

#[test]
fn models_are_registered_and_retired_by_the_model_origin_only() {
	build_and_execute(|| {
		assert_noop!(
			DepinRegistry::register_model(
				RuntimeOrigin::signed(CLINIC),
				model(),
				DiagnosticModule::CariesDetection,
				1,
				1
			),
			DispatchError::BadOrigin
		);
		add_model();
		let record = Models::<Test>::get(model()).unwrap();
		assert_eq!(record.module, DiagnosticModule::CariesDetection);
		assert_eq!(record.status, ModelStatus::Active);
		assert_noop!(
			DepinRegistry::register_model(
				RuntimeOrigin::root(),
				model(),
				DiagnosticModule::CariesDetection,
				2,
				1
			),
			Error::<Test>::ModelAlreadyRegistered
		);
		assert_noop!(
			DepinRegistry::retire_model(RuntimeOrigin::signed(CLINIC), model()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			DepinRegistry::retire_model(RuntimeOrigin::root(), sp_core::H256::zero()),
			Error::<Test>::UnknownModel
		);
		assert_ok!(DepinRegistry::retire_model(RuntimeOrigin::root(), model()));
		assert_eq!(Models::<Test>::get(model()).unwrap().status, ModelStatus::Retired);
		assert_noop!(
			DepinRegistry::retire_model(RuntimeOrigin::root(), model()),
			Error::<Test>::ModelRetired
		);
	});
}

#[test]
fn confidence_weights_sum_to_at_most_one() {
	build_and_execute(|| {
		let module = DiagnosticModule::PeriodontalAssessment;
		assert_eq!(ModuleConfidence::<Test>::get(module), ConfidenceWeights::default());
		let too_much =
			ConfidenceWeights { alpha: Permill::from_percent(70), beta: Permill::from_percent(40) };
		assert_noop!(
			DepinRegistry::set_confidence_weights(RuntimeOrigin::root(), module, too_much),
			Error::<Test>::InvalidConfidenceWeights
		);
		let weights =
			ConfidenceWeights { alpha: Permill::from_percent(30), beta: Permill::from_percent(70) };
		assert_noop!(
			DepinRegistry::set_confidence_weights(RuntimeOrigin::signed(CLINIC), module, weights),
			DispatchError::BadOrigin
		);
		assert_ok!(DepinRegistry::set_confidence_weights(RuntimeOrigin::root(), module, weights));
		assert_eq!(ModuleConfidence::<Test>::get(module), weights);
	});
}
