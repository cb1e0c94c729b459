//! The vocabulary of BTT's DePIN compute layer, shared by the chain and the off-chain workers:
//! the diagnostic modules, task urgency, node tiers and regions, the quantized result a worker
//! reveals, the commitment that binds it, and the hook other pallets use to react to a
//! verified diagnosis.
//!
//! The worker computes [`commitment`] with this very function, so the chain and every worker
//! hash exactly the same bytes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	BoundedVec, Percent, Permill,
};

/// Identifier of a compute task.
pub type TaskId = u64;

/// Identifier of a diagnostic model: the blake2-256 hash of its safetensors file.
pub type ModelId = H256;

/// Most bytes of a quantized result (a class and a confidence bucket per finding).
pub const MAX_FINDINGS_LEN: u32 = 64;

/// The quantized findings of one diagnosis, as the model's quantization scheme encodes them.
pub type Findings = BoundedVec<u8, ConstU32<MAX_FINDINGS_LEN>>;

/// Domain separator of task commitments (version 1 of the proof protocol).
pub const COMMITMENT_DOMAIN: &[u8; 16] = b"btt/depin/commit";

/// The five diagnostic modules of the seeds' AI diagnostic system.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum DiagnosticModule {
	/// Caries detection on bitewing and periapical radiographs.
	CariesDetection,
	/// Periodontal assessment: bone loss and calculus.
	PeriodontalAssessment,
	/// Orthodontic analysis: crowding, spacing, alignment.
	OrthodonticAnalysis,
	/// Endodontic pathology: periapical lesions, root canal findings.
	EndodonticPathology,
	/// Oral pathology screening: cysts, tumours and other radiolucencies.
	OralPathologyScreening,
}

impl DiagnosticModule {
	/// Every module, in declaration order.
	pub const ALL: [Self; 5] = [
		Self::CariesDetection,
		Self::PeriodontalAssessment,
		Self::OrthodonticAnalysis,
		Self::EndodonticPathology,
		Self::OralPathologyScreening,
	];

	/// The module's bit in a [`ModuleSet`].
	pub const fn bit(self) -> u8 {
		1 << (self as u8)
	}
}

/// A set of diagnostic modules a node supports, one bit per module.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ModuleSet(pub u8);

impl ModuleSet {
	/// The bits that name a module.
	pub const VALID_BITS: u8 = 0b1_1111;

	/// The set of the given modules.
	pub fn of(modules: &[DiagnosticModule]) -> Self {
		Self(modules.iter().fold(0, |bits, module| bits | module.bit()))
	}

	/// Every module.
	pub const fn all() -> Self {
		Self(Self::VALID_BITS)
	}

	/// Whether the set names at least one module and nothing else.
	pub const fn is_valid(self) -> bool {
		self.0 != 0 && self.0 & !Self::VALID_BITS == 0
	}

	/// Whether the set contains `module`.
	pub const fn contains(self, module: DiagnosticModule) -> bool {
		self.0 & module.bit() != 0
	}
}

/// How urgent a task is: it sets the deadlines and how many nodes compute it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Urgency {
	/// A routine examination.
	Routine,
	/// A result is needed soon (a patient waiting in the chair).
	Priority,
	/// An emergency.
	Emergency,
}

/// The hardware tiers of the seeds' node table.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Tier {
	/// Tier 1: a consumer GPU with 8 GB or more.
	Consumer,
	/// Tier 2: a professional GPU with 16 GB or more.
	Professional,
	/// Tier 3: several GPUs or dedicated accelerators.
	MultiGpu,
	/// Tier 4: a cluster.
	Cluster,
}

impl Tier {
	/// Every tier, lowest first.
	pub const ALL: [Self; 4] = [Self::Consumer, Self::Professional, Self::MultiGpu, Self::Cluster];

	/// The tier's number in the seeds' table, 1 to 4.
	pub const fn number(self) -> u8 {
		self as u8 + 1
	}
}

/// Where a node runs; tasks may prefer a region (data residency, latency).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Region {
	Africa,
	Asia,
	Europe,
	NorthAmerica,
	SouthAmerica,
	Oceania,
}

/// What a worker reveals for a task: the quantized findings and the three inputs of the
/// confidence formula, each quantized to whole percent so that independent machines agree.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Diagnosis {
	/// The quantized findings; nodes agree when these bytes are equal.
	pub findings: Findings,
	/// Image quality I (noise, exposure, sharpness).
	pub image_quality: Percent,
	/// Model confidence D (the calibrated probability of the findings).
	pub model_confidence: Percent,
	/// Uncertainty U (e.g. the variance under test-time augmentation).
	pub uncertainty: Percent,
}

/// Quantization-scheme id reserved for [`InputFault`] findings: no model's scheme uses it.
pub const FAULT_SCHEME: u16 = u16::MAX;

/// Why a node could not diagnose a task's input: the on-chain record of a failure.
///
/// A node reveals a fault through the same commit–reveal as a diagnosis, as findings
/// `[0xFF, 0xFF, code]` ([`InputFault::findings`]), so a fault counts only when a quorum of
/// independent nodes agrees on it:
/// - a lazy node that claims a fault while the others diagnose is in the minority and slashed
///   as such;
/// - a clinic that posts a bad input (hash mismatch, unreadable or unreachable file) pays the
///   fee to the nodes that checked it ([`InputFault::is_clinic_fault`]);
/// - [`InputFault::ModelUnavailable`] is the node's own admission: a quorum of it refunds the
///   clinic, and a lone node revealing it is penalized as a no-show, never more.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum InputFault {
	/// The fetched bytes do not hash to the task's input hash.
	InputHashMismatch,
	/// The bytes are not a radiograph the model can read (format, modality, size, corruption).
	InputUnreadable,
	/// The input URI could not be fetched.
	InputUnreachable,
	/// The node does not have the task's model file.
	ModelUnavailable,
}

impl InputFault {
	/// Every fault, in code order.
	pub const ALL: [Self; 4] = [
		Self::InputHashMismatch,
		Self::InputUnreadable,
		Self::InputUnreachable,
		Self::ModelUnavailable,
	];

	/// The fault's code in findings (1-based).
	pub const fn code(self) -> u8 {
		self as u8 + 1
	}

	/// The findings bytes of this fault: the reserved scheme id, then the code.
	pub fn findings(self) -> Findings {
		let [low, high] = FAULT_SCHEME.to_le_bytes();
		Findings::truncate_from(alloc::vec![low, high, self.code()])
	}

	/// The fault that `findings` record, if they record one.
	pub fn from_findings(findings: &[u8]) -> Option<Self> {
		let [low, high, code] = findings else { return None };
		if u16::from_le_bytes([*low, *high]) != FAULT_SCHEME {
			return None;
		}
		Self::ALL.into_iter().find(|fault| fault.code() == *code)
	}

	/// The diagnosis a node reveals for this fault (I, D and U are zero).
	pub fn diagnosis(self) -> Diagnosis {
		Diagnosis {
			findings: self.findings(),
			image_quality: Percent::zero(),
			model_confidence: Percent::zero(),
			uncertainty: Percent::zero(),
		}
	}

	/// Whether the clinic's input is at fault (the nodes did their part and are paid).
	pub const fn is_clinic_fault(self) -> bool {
		!matches!(self, Self::ModelUnavailable)
	}
}

/// How every node fetches a task's input. The limits decide which fault a node reveals (a large
/// input is `InputUnreadable`; a server that answers only after some time is reachable or not),
/// so they are the chain's (`DepinRegistry::InputPolicy`), the same for every honest node, and
/// never a local setting.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct InputPolicy {
	/// The largest input, in bytes; a larger one is [`InputFault::InputUnreadable`].
	pub max_input_bytes: u32,
	/// The time one fetch attempt may take, in milliseconds.
	pub attempt_timeout_ms: u32,
	/// The pause after the first failed attempt, in milliseconds; it doubles after each
	/// further failure, up to `max_retry_pause_ms`.
	pub first_retry_pause_ms: u32,
	/// The longest pause between two attempts, in milliseconds.
	pub max_retry_pause_ms: u32,
	/// Blocks before the commit deadline at which a node stops retrying and reports
	/// [`InputFault::InputUnreachable`] (time to submit the commitment).
	pub give_up_blocks_before_deadline: u32,
}

impl InputPolicy {
	/// The pause before the next attempt after `failures` failed ones (≥ 1), in milliseconds:
	/// `min(first_retry_pause_ms × 2^(failures − 1), max_retry_pause_ms)`.
	pub fn retry_pause_ms(&self, failures: u32) -> u32 {
		let doublings = failures.saturating_sub(1).min(31);
		self.first_retry_pause_ms.saturating_mul(1u32 << doublings).min(self.max_retry_pause_ms)
	}
}

/// The commitment a node submits before revealing:
/// `blake2_256(SCALE(domain, task, model, input, node, diagnosis, salt))`.
///
/// The node's own key is part of the preimage, so a node cannot adopt another node's
/// commitment, and the task id is too, so a reveal cannot be replayed on another task.
pub fn commitment<NodeKey: Encode>(
	task: TaskId,
	model: &ModelId,
	input_hash: &H256,
	node: &NodeKey,
	diagnosis: &Diagnosis,
	salt: &[u8; 32],
) -> H256 {
	let preimage = (COMMITMENT_DOMAIN, task, model, input_hash, node, diagnosis, salt);
	preimage.using_encoded(BlakeTwo256::hash)
}

/// Domain separator of challenge seals.
pub const SEAL_DOMAIN: &[u8; 14] = b"btt/depin/seal";

/// The seal an auditor puts in a challenge task's `reference` when it posts the task:
/// `blake2_256(SCALE(domain, auditor, model, input, expected findings, salt))`.
///
/// A clinic puts any 32 bytes of its own there (a hash of its order number, say), so a seal
/// and a clinic's reference look alike until the auditor opens the seal after the nodes have
/// revealed ([`crate::depin`]'s challenge protocol, `docs/pallets/depin-registry.md`).
pub fn challenge_seal<AccountId: Encode>(
	auditor: &AccountId,
	model: &ModelId,
	input_hash: &H256,
	expected: &Findings,
	salt: &[u8; 32],
) -> H256 {
	(SEAL_DOMAIN, auditor, model, input_hash, expected, salt).using_encoded(BlakeTwo256::hash)
}

/// Domain separator of node-key registration proofs.
pub const NODE_KEY_DOMAIN: &[u8; 18] = b"btt/depin/node-key";

/// The bytes a node key signs to consent to being registered for `operator` on the chain whose
/// genesis hash is `genesis`: `SCALE(domain, operator, genesis)`.
///
/// Without that signature anyone who saw a worker's key could register it first under their
/// own operator account and take the fees its work earns.
pub fn node_key_proof_payload<AccountId: Encode, Hash: Encode>(
	operator: &AccountId,
	genesis: &Hash,
) -> alloc::vec::Vec<u8> {
	(NODE_KEY_DOMAIN, operator, genesis).encode()
}

/// A diagnosis the chain accepted: a quorum of independent nodes revealed equal findings.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct VerifiedDiagnosis<AccountId> {
	/// The task.
	pub task: TaskId,
	/// The clinic that posted it.
	pub clinic: AccountId,
	/// The diagnostic module.
	pub module: DiagnosticModule,
	/// The model that computed it.
	pub model: ModelId,
	/// Hash of the input image (the image itself never touches the chain).
	pub input_hash: H256,
	/// The accepted findings.
	pub findings: Findings,
	/// The diagnostic confidence C computed on-chain.
	pub confidence: Permill,
}

/// Reacts to verified diagnoses (a patient reward for a completed check-up, a PayFi escrow
/// released by the diagnosis, for instance).
///
/// Called inside the extrinsic or block hook that concluded the task: implementations must be
/// cheap and bounded (O(1)), and must not fail the caller (they return nothing). The registry
/// adds [`OnTaskVerified::weight`] to the weight of everything that can conclude a task.
pub trait OnTaskVerified<AccountId> {
	/// A task was verified.
	fn on_task_verified(diagnosis: &VerifiedDiagnosis<AccountId>);

	/// The most one [`OnTaskVerified::on_task_verified`] costs.
	fn weight() -> sp_runtime::Weight;
}

impl<AccountId> OnTaskVerified<AccountId> for () {
	fn on_task_verified(_: &VerifiedDiagnosis<AccountId>) {}

	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// The fan-out: both hear of every verified diagnosis, `A` first, and the cost is the sum
/// (nest pairs for more listeners: `(A, (B, C))`).
impl<AccountId, A, B> OnTaskVerified<AccountId> for (A, B)
where
	A: OnTaskVerified<AccountId>,
	B: OnTaskVerified<AccountId>,
{
	fn on_task_verified(diagnosis: &VerifiedDiagnosis<AccountId>) {
		A::on_task_verified(diagnosis);
		B::on_task_verified(diagnosis);
	}

	fn weight() -> sp_runtime::Weight {
		A::weight().saturating_add(B::weight())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	std::thread_local! {
		static HEARD: core::cell::RefCell<alloc::vec::Vec<(&'static str, TaskId)>> =
			const { core::cell::RefCell::new(alloc::vec::Vec::new()) };
	}

	struct Listener<const N: u64>;

	impl<const N: u64> OnTaskVerified<u64> for Listener<N> {
		fn on_task_verified(diagnosis: &VerifiedDiagnosis<u64>) {
			let name = if N == 1 { "first" } else { "second" };
			HEARD.with(|heard| heard.borrow_mut().push((name, diagnosis.task)));
		}

		fn weight() -> sp_runtime::Weight {
			sp_runtime::Weight::from_parts(N * 1_000, N)
		}
	}

	#[test]
	fn a_pair_of_listeners_hears_every_diagnosis_in_order_and_costs_the_sum() {
		type Both = (Listener<1>, Listener<2>);
		let diagnosis = VerifiedDiagnosis {
			task: 7,
			clinic: 1u64,
			module: DiagnosticModule::CariesDetection,
			model: H256::zero(),
			input_hash: H256::zero(),
			findings: Findings::default(),
			confidence: Permill::one(),
		};
		Both::on_task_verified(&diagnosis);
		assert_eq!(HEARD.with(|heard| heard.borrow().clone()), [("first", 7), ("second", 7)]);
		assert_eq!(Both::weight(), sp_runtime::Weight::from_parts(3_000, 3));
	}

	#[test]
	fn input_retries_double_up_to_the_longest_pause() {
		let policy = InputPolicy {
			max_input_bytes: 1,
			attempt_timeout_ms: 1,
			first_retry_pause_ms: 1_000,
			max_retry_pause_ms: 8_000,
			give_up_blocks_before_deadline: 3,
		};
		let pauses: alloc::vec::Vec<u32> = (1..=6).map(|n| policy.retry_pause_ms(n)).collect();
		assert_eq!(pauses, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
		assert_eq!(policy.retry_pause_ms(0), 1_000);
		assert_eq!(policy.retry_pause_ms(u32::MAX), 8_000, "no overflow");
	}

	fn diagnosis(findings: &[u8]) -> Diagnosis {
		Diagnosis {
			findings: Findings::truncate_from(findings.to_vec()),
			image_quality: Percent::from_percent(80),
			model_confidence: Percent::from_percent(90),
			uncertainty: Percent::from_percent(5),
		}
	}

	#[test]
	fn commitment_binds_every_field() {
		let model = H256::repeat_byte(1);
		let input = H256::repeat_byte(2);
		let salt = [7u8; 32];
		let base = commitment(1, &model, &input, &1u64, &diagnosis(&[1, 2]), &salt);
		assert_eq!(base, commitment(1, &model, &input, &1u64, &diagnosis(&[1, 2]), &salt));
		assert_ne!(base, commitment(2, &model, &input, &1u64, &diagnosis(&[1, 2]), &salt));
		assert_ne!(base, commitment(1, &input, &input, &1u64, &diagnosis(&[1, 2]), &salt));
		assert_ne!(base, commitment(1, &model, &model, &1u64, &diagnosis(&[1, 2]), &salt));
		assert_ne!(base, commitment(1, &model, &input, &2u64, &diagnosis(&[1, 2]), &salt));
		assert_ne!(base, commitment(1, &model, &input, &1u64, &diagnosis(&[1, 3]), &salt));
		assert_ne!(base, commitment(1, &model, &input, &1u64, &diagnosis(&[1, 2]), &[8u8; 32]));
	}

	#[test]
	fn a_seal_binds_auditor_model_input_answer_and_salt() {
		let (model, input, salt) = (H256::repeat_byte(1), H256::repeat_byte(2), [7u8; 32]);
		let answer = Findings::truncate_from(vec![1, 3]);
		let seal = challenge_seal(&1u64, &model, &input, &answer, &salt);
		assert_eq!(seal, challenge_seal(&1u64, &model, &input, &answer, &salt));
		assert_ne!(seal, challenge_seal(&2u64, &model, &input, &answer, &salt));
		assert_ne!(seal, challenge_seal(&1u64, &input, &input, &answer, &salt));
		assert_ne!(seal, challenge_seal(&1u64, &model, &model, &answer, &salt));
		assert_ne!(
			seal,
			challenge_seal(&1u64, &model, &input, &Findings::truncate_from(vec![1]), &salt)
		);
		assert_ne!(seal, challenge_seal(&1u64, &model, &input, &answer, &[8u8; 32]));
	}

	#[test]
	fn a_node_key_proof_names_the_operator_and_the_chain() {
		let payload = node_key_proof_payload(&5u64, &H256::repeat_byte(9));
		assert_eq!(&payload[..18], b"btt/depin/node-key");
		assert_eq!(payload.len(), 18 + 8 + 32);
		assert_ne!(payload, node_key_proof_payload(&6u64, &H256::repeat_byte(9)));
		assert_ne!(payload, node_key_proof_payload(&5u64, &H256::repeat_byte(8)));
	}

	#[test]
	fn faults_round_trip_through_findings_and_nothing_else_reads_as_one() {
		for fault in InputFault::ALL {
			assert_eq!(InputFault::from_findings(&fault.findings()), Some(fault));
			assert_eq!(InputFault::from_findings(&fault.diagnosis().findings), Some(fault));
		}
		assert_eq!(InputFault::from_findings(&[0xFF, 0xFF, 0]), None);
		assert_eq!(InputFault::from_findings(&[0xFF, 0xFF, 5]), None);
		assert_eq!(InputFault::from_findings(&[0xFF, 0xFF, 1, 0]), None);
		// A model's findings (scheme 1: id, module, class, bucket) never decode as a fault.
		assert_eq!(InputFault::from_findings(&[1, 0, 0, 2, 3]), None);
		assert!(InputFault::InputUnreadable.is_clinic_fault());
		assert!(!InputFault::ModelUnavailable.is_clinic_fault());
	}

	#[test]
	fn module_sets_name_only_known_modules() {
		assert!(ModuleSet::all().is_valid());
		assert!(!ModuleSet(0).is_valid());
		assert!(!ModuleSet(0b10_0000).is_valid());
		let set = ModuleSet::of(&[
			DiagnosticModule::CariesDetection,
			DiagnosticModule::OralPathologyScreening,
		]);
		assert!(set.contains(DiagnosticModule::CariesDetection));
		assert!(!set.contains(DiagnosticModule::OrthodonticAnalysis));
		assert_eq!(Tier::Cluster.number(), 4);
	}
}
