//! One classification head per diagnostic module, on the pooled features, and the temperature
//! that calibrates each head's probabilities.

use btt_primitives::depin::DiagnosticModule;
use candle_core::{Module, Result, Tensor};
use candle_nn::{linear, Init, Linear, VarBuilder};

use crate::taxonomy::{class_count, module_key};

/// The head of one module: a linear layer to the module's classes, and its calibration
/// temperature T (logits / T before the softmax; fitted on held-out data after training,
/// 1 before that).
///
/// Keys: `heads.<module_key>.weight`, `.bias`, `.temperature`.
#[derive(Clone, Debug)]
pub struct ModuleHead {
	/// The module this head answers for.
	pub module: DiagnosticModule,
	classifier: Linear,
	temperature: Tensor,
}

impl ModuleHead {
	/// The head of `module` over `features` pooled channels.
	pub fn new(vb: VarBuilder, module: DiagnosticModule, features: usize) -> Result<Self> {
		let vb = vb.pp(module_key(module));
		let classifier = linear(features, class_count(module), vb.clone())?;
		let temperature = vb.get_with_hints(1, "temperature", Init::Const(1.0))?;
		Ok(Self { module, classifier, temperature })
	}

	/// Raw logits, `(batch, classes)`.
	pub fn logits(&self, pooled: &Tensor) -> Result<Tensor> {
		self.classifier.forward(pooled)
	}

	/// `logits` divided by the calibration temperature.
	pub fn calibrate(&self, logits: &Tensor) -> Result<Tensor> {
		logits.broadcast_div(&self.temperature)
	}

	/// The weights (`classes × features`), the biases and T, for the fused path.
	pub(crate) fn parameters(&self) -> Result<(Vec<f32>, Vec<f32>, f32)> {
		let weights = self.classifier.weight().flatten_all()?.to_vec1()?;
		let bias = match self.classifier.bias() {
			Some(bias) => bias.flatten_all()?.to_vec1()?,
			None => vec![0.0; self.classifier.weight().dim(0)?],
		};
		Ok((weights, bias, self.temperature()?))
	}

	/// The calibration temperature T.
	pub fn temperature(&self) -> Result<f32> {
		self.temperature.flatten_all()?.get(0)?.to_scalar::<f32>()
	}
}
