//! The pallet's events and errors: a section of the pallet module, imported by `lib.rs` (the
//! module would pass 800 lines with them).

use frame_support::pallet_macros::pallet_section;

#[pallet_section]
mod events {
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A node was registered and its stake held.
		NodeRegistered {
			node: T::AccountId,
			operator: T::AccountId,
			tier: Tier,
			region: Region,
			stake: BalanceOf<T>,
		},
		/// A node changed its region or modules.
		NodeUpdated { node: T::AccountId, region: Region, modules: ModuleSet },
		/// More stake was held for a node.
		StakeBonded { node: T::AccountId, amount: BalanceOf<T>, stake: BalanceOf<T> },
		/// A node sent its heartbeat for an epoch.
		Heartbeat { node: T::AccountId, epoch: Epoch },
		/// A node's operator was paid the node's reward for an epoch.
		EpochRewardPaid {
			node: T::AccountId,
			operator: T::AccountId,
			epoch: Epoch,
			amount: BalanceOf<T>,
		},
		/// A node did no verified work in an epoch, so it earned no reward for it.
		EpochUnearned { node: T::AccountId, epoch: Epoch },
		/// The reward pot could not pay a node's full epoch reward.
		RewardShortfall { node: T::AccountId, epoch: Epoch, unpaid: BalanceOf<T> },
		/// A node was suspended: it receives no tasks until `until`.
		NodeSuspended { node: T::AccountId, until: Epoch },
		/// A suspended node is active again.
		NodeReactivated { node: T::AccountId },
		/// A node was deregistered: it gets no new task; its stake unlocks at `unlocks_at` once
		/// its open tasks and reviews are done.
		NodeDeregistered { node: T::AccountId, unlocks_at: BlockNumberFor<T> },
		/// A deregistered node's stake was released and the node removed.
		StakeWithdrawn { node: T::AccountId, operator: T::AccountId, amount: BalanceOf<T> },
		/// A node was penalized: `slashed` moved from its stake to the reward pot.
		NodePenalized { node: T::AccountId, task: TaskId, offence: Offence, slashed: BalanceOf<T> },
		/// A model was registered.
		ModelRegistered {
			model: ModelId,
			module: DiagnosticModule,
			version: u32,
			quantization: u16,
		},
		/// A model was retired.
		ModelRetired { model: ModelId },
		/// A module's confidence weights changed.
		ConfidenceWeightsSet { module: DiagnosticModule, weights: ConfidenceWeights },
		/// Fees may be paid in a currency, at least `least_fee` per task.
		FeeCurrencyListed { currency: CurrencyOf<T>, least_fee: BalanceOf<T> },
		/// Fees may no longer be paid in a currency.
		FeeCurrencyDelisted { currency: CurrencyOf<T> },
		/// An account may post challenge tasks.
		AuditorAdded { auditor: T::AccountId },
		/// An account may no longer open challenge seals.
		AuditorRemoved { auditor: T::AccountId },
		/// A clinic posted a task and its fee went into escrow.
		TaskPosted {
			task: TaskId,
			clinic: T::AccountId,
			module: DiagnosticModule,
			urgency: Urgency,
			currency: CurrencyOf<T>,
			fee: BalanceOf<T>,
		},
		/// A task was assigned (again, if `attempt` > 1).
		TaskAssigned {
			task: TaskId,
			attempt: u32,
			assignees: BoundedVec<T::AccountId, T::MaxAssignees>,
			commit_deadline: BlockNumberFor<T>,
		},
		/// An assignee committed to its result.
		ResultCommitted { task: TaskId, node: T::AccountId },
		/// The commit phase ended; assignees reveal until `deadline`.
		RevealPhaseStarted { task: TaskId, deadline: BlockNumberFor<T> },
		/// An assignee revealed its result.
		ResultRevealed { task: TaskId, node: T::AccountId },
		/// A quorum agreed: the result is verified.
		TaskVerified { task: TaskId, findings: Findings, confidence: Permill, agreement: Permill },
		/// A quorum found the clinic's input unusable (hash mismatch, unreadable, unreachable);
		/// the fee pays the quorum as for a verified task.
		TaskRejected { task: TaskId, fault: InputFault, agreement: Permill },
		/// An assignee of the quorum was paid its share of the fee (to its operator).
		FeePaid { task: TaskId, node: T::AccountId, operator: T::AccountId, amount: BalanceOf<T> },
		/// An assignee disputed the input alone (reported a fault the quorum did not see, or
		/// diagnosed an input the quorum found faulty): unpaid and unslashed, counted not ok.
		InputDisputed { task: TaskId, node: T::AccountId },
		/// A task ended without a result; the fee went back to the clinic.
		TaskFailed { task: TaskId, reason: FailureReason, refunded: BalanceOf<T> },
		/// A verified task is being re-executed by fresh nodes.
		SpotCheckStarted { task: TaskId, spot_check: TaskId },
		/// A verified task was drawn for a spot check but there were not enough fresh nodes.
		SpotCheckSkipped { task: TaskId },
		/// A spot check agreed with the verified result.
		SpotCheckPassed { task: TaskId, spot_check: TaskId },
		/// A spot check contradicted the verified result: its quorum was slashed.
		ResultOverturned { task: TaskId, spot_check: TaskId },
		/// A spot check ended without a quorum of its own; the result stands.
		SpotCheckInconclusive { task: TaskId, spot_check: TaskId },
		/// A verified task was not drawn for a spot check.
		SpotCheckNotDrawn { task: TaskId },
		/// An auditor opened the seal of a challenge task: the quorum matched the sealed answer
		/// (`Passed`), missed it and was slashed (`Failed`), or the task measures nobody (`Void`); the fee, if it was paid out, was reimbursed from the reward pot.
		ChallengeAudited {
			task: TaskId,
			auditor: T::AccountId,
			outcome: ChallengeOutcome,
			reimbursed: BalanceOf<T>,
		},
		/// A concluded task's record was removed and its deposit returned to the poster.
		ResultRemoved { task: TaskId, clinic: T::AccountId, deposit: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The node key is already registered.
		NodeAlreadyRegistered,
		/// No node is registered under this key.
		UnknownNode,
		/// The caller is not the node's operator.
		NotOperator,
		/// The registry holds `MaxNodes` nodes.
		TooManyNodes,
		/// The operator has `MaxNodesPerOperator` nodes.
		TooManyNodesForOperator,
		/// The declared GPU memory or benchmark score is below the tier's requirement.
		HardwareBelowTier,
		/// The declared power draw is zero.
		ZeroPower,
		/// The stake is below the tier's minimum.
		StakeBelowTierMinimum,
		/// The module set is empty or names an unknown module.
		InvalidModules,
		/// The operator cannot pay the stake.
		InsufficientBalance,
		/// The node already sent its heartbeat for this epoch.
		HeartbeatAlreadySent,
		/// The node has open tasks or results under review; withdraw once they conclude.
		NodeBusy,
		/// The node is unbonding.
		NodeUnbonding,
		/// The node is not deregistered.
		NotUnbonding,
		/// The unbonding period has not ended.
		StillUnbonding,
		/// The model is already registered.
		ModelAlreadyRegistered,
		/// No model is registered under this hash.
		UnknownModel,
		/// The model is retired.
		ModelRetired,
		/// The model serves another module.
		ModelModuleMismatch,
		/// α + β exceeds 1.
		InvalidConfidenceWeights,
		/// The fee is below the currency's least fee, or below k times its minimum balance
		/// (each share must be payable).
		FeeTooLow,
		/// Fees cannot be paid in this currency.
		CurrencyNotAccepted,
		/// The poster has `MaxOpenTasksPerClinic` open tasks.
		TooManyOpenTasks,
		/// The poster cannot pay the posting deposit.
		CannotPayDeposit,
		/// The signature does not prove that the node key consents to this operator.
		BadKeyProof,
		/// `MaxFeeCurrencies` currencies are listed.
		TooManyFeeCurrencies,
		/// The currency is not listed.
		CurrencyNotListed,
		/// `MaxAuditors` auditors are registered.
		TooManyAuditors,
		/// The account is already an auditor.
		AlreadyAuditor,
		/// The caller is not an auditor.
		NotAuditor,
		/// No concluded task has this id (it is open, or unknown, or removed).
		NotConcluded,
		/// The task's seal was already opened.
		AlreadyAudited,
		/// The audit window of the task has closed.
		AuditWindowClosed,
		/// The findings and salt do not open the task's seal for this auditor.
		SealMismatch,
		/// The record is still retained, under review or in its audit window.
		ResultRetained,
		/// The clinic cannot pay the fee.
		CannotPayFee,
		/// The input URI is empty.
		EmptyInputUri,
		/// Fewer eligible nodes of distinct operators than the task needs.
		NotEnoughNodes,
		/// Too many rounds end in the blocks around this task's deadline; post later.
		DeadlineQueueFull,
		/// No open task has this id.
		UnknownTask,
		/// The caller's node is not assigned to the task.
		NotAssigned,
		/// The commit phase is over.
		CommitPhaseOver,
		/// The node already committed.
		AlreadyCommitted,
		/// Another assignee submitted the same commitment.
		DuplicateCommitment,
		/// The reveal phase has not begun.
		RevealPhaseNotOpen,
		/// The reveal phase is over.
		RevealPhaseOver,
		/// The node did not commit.
		NotCommitted,
		/// The node already revealed.
		AlreadyRevealed,
		/// The reveal does not match the node's commitment.
		CommitmentMismatch,
		/// The node has `MaxOpenTasksPerNode` open tasks.
		NodeOverloaded,
		/// An arithmetic overflow (a counter or a balance).
		Overflow,
	}
}
