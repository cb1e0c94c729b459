//! What each diagnostic module can find: the classes of its head, in the order of the model's
//! logits, and the labels a training sample carries.
//!
//! The modules are the seeds' five, as the chain names them
//! ([`btt_primitives::depin::DiagnosticModule`]); class 0 is always "no finding".

use btt_primitives::depin::DiagnosticModule;

/// Number of diagnostic modules (heads of the network).
pub const MODULE_COUNT: usize = DiagnosticModule::ALL.len();

/// The classes of a module's head, class 0 first ("no finding").
pub fn classes(module: DiagnosticModule) -> &'static [&'static str] {
	match module {
		DiagnosticModule::CariesDetection => &["no caries", "enamel caries", "dentin caries"],
		DiagnosticModule::PeriodontalAssessment => {
			&["healthy bone level", "mild bone loss", "severe bone loss"]
		}
		DiagnosticModule::OrthodonticAnalysis => &["aligned", "crowding", "spacing"],
		DiagnosticModule::EndodonticPathology => &["no periapical lesion", "periapical lesion"],
		DiagnosticModule::OralPathologyScreening => &["no radiolucency", "cyst-like radiolucency"],
	}
}

/// Number of classes of a module's head.
pub fn class_count(module: DiagnosticModule) -> usize {
	classes(module).len()
}

/// A short, stable name of the module (safetensors keys, CLI, reports).
pub fn module_key(module: DiagnosticModule) -> &'static str {
	match module {
		DiagnosticModule::CariesDetection => "caries",
		DiagnosticModule::PeriodontalAssessment => "periodontal",
		DiagnosticModule::OrthodonticAnalysis => "orthodontic",
		DiagnosticModule::EndodonticPathology => "endodontic",
		DiagnosticModule::OralPathologyScreening => "oral_pathology",
	}
}

/// The module named by [`module_key`], if any.
pub fn module_from_key(key: &str) -> Option<DiagnosticModule> {
	DiagnosticModule::ALL.into_iter().find(|module| module_key(*module) == key)
}

/// The ground truth of one image: a class per module, `None` where the source does not say
/// (a DENTEX image is labelled for caries and periapical lesions only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Labels(pub [Option<u8>; MODULE_COUNT]);

impl Labels {
	/// The class of `module`, if labelled.
	pub fn get(&self, module: DiagnosticModule) -> Option<u8> {
		self.0.get(module as usize).copied().flatten()
	}

	/// Sets the class of `module`.
	pub fn set(&mut self, module: DiagnosticModule, class: Option<u8>) {
		if let Some(slot) = self.0.get_mut(module as usize) {
			*slot = class;
		}
	}
}
