//! The model registry and the per-module confidence weights.

use crate::{pallet::*, ConfidenceWeights, Model, ModelStatus};
use btt_primitives::depin::{DiagnosticModule, ModelId};
use frame_support::pallet_prelude::*;
use sp_runtime::{PerThing, Permill};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_model(
		model: ModelId,
		module: DiagnosticModule,
		version: u32,
		quantization: u16,
	) -> DispatchResult {
		ensure!(!Models::<T>::contains_key(model), Error::<T>::ModelAlreadyRegistered);
		Models::<T>::insert(
			model,
			Model {
				module,
				version,
				quantization,
				status: ModelStatus::Active,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ModelRegistered { model, module, version, quantization });
		Ok(())
	}

	pub(crate) fn do_retire_model(model: ModelId) -> DispatchResult {
		Models::<T>::try_mutate(model, |entry| {
			let entry = entry.as_mut().ok_or(Error::<T>::UnknownModel)?;
			ensure!(entry.status == ModelStatus::Active, Error::<T>::ModelRetired);
			entry.status = ModelStatus::Retired;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ModelRetired { model });
		Ok(())
	}

	pub(crate) fn do_set_confidence_weights(
		module: DiagnosticModule,
		weights: ConfidenceWeights,
	) -> DispatchResult {
		let sum = weights.alpha.deconstruct().saturating_add(weights.beta.deconstruct());
		ensure!(sum <= Permill::ACCURACY, Error::<T>::InvalidConfidenceWeights);
		ModuleConfidence::<T>::insert(module, weights);
		Self::deposit_event(Event::ConfidenceWeightsSet { module, weights });
		Ok(())
	}
}
