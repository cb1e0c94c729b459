//! The seeds' formulas, each in one named function, in fixed-point arithmetic, with no
//! panics: divisions by zero and overflows saturate to the documented bounds.
//!
//! - Efficiency `E = (P_compute / P_energy) · (T_ok / T_all) · R_avail · D_factor`
//!   ([`efficiency`] of [`performance_per_watt`], [`success_rate`], [`availability`],
//!   [`distribution_factor`]). `P_compute / P_energy` is measured, never declared: challenge
//!   tasks passed ([`challenge_score`]) and commit latency against the tier's throughput
//!   ([`speed_factor`]).
//! - Confidence `C = α·(I·D) + β·P·(1 − U)` ([`confidence`]).
//! - Routing weight, quorum size and epoch reward ([`routing_weight`], [`quorum`],
//!   [`epoch_reward`] of [`work_share`]).

use crate::types::{ConfidenceWeights, TierParams};
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, One, Saturating},
	FixedPointNumber, FixedU64, Perbill, Percent, Permill,
};

/// Lower bound of the distribution factor.
pub const MIN_DISTRIBUTION_FACTOR: FixedU64 = FixedU64::from_rational(1, 2);

/// Upper bound of the distribution factor.
pub const MAX_DISTRIBUTION_FACTOR: FixedU64 = FixedU64::from_rational(3, 2);

/// The share of challenge tasks a node answered right, with a prior of one pass and one
/// failure: `(passed + 1) / (passed + failed + 2)`. A new node starts at 1/2; passing
/// challenges raises it towards 1, failing them lowers it towards 0.
pub fn challenge_score(passed: u32, failed: u32) -> FixedU64 {
	let passed = u128::from(passed);
	let all = passed.saturating_add(u128::from(failed)).saturating_add(2);
	FixedU64::checked_from_rational(passed.saturating_add(1), all).unwrap_or_default()
}

/// Blocks one task may take at the tier's lowest throughput: a day's blocks over the tier's
/// `min_tasks_per_day` (at least 1).
pub fn expected_task_blocks(blocks_per_day: u32, min_tasks_per_day: u32) -> u32 {
	(blocks_per_day / min_tasks_per_day.max(1)).max(1)
}

/// How the node's commit latency compares with its tier's throughput, at most 1: the expected
/// blocks per task over the mean blocks from assignment to commitment, with a prior of one
/// sample at the expected latency: `expected · (samples + 1) / (latency_sum + expected)`.
/// A node that commits within the time its tier's tasks per day allow scores 1; one that takes
/// twice as long tends to 1/2.
pub fn speed_factor(latency_sum: u64, samples: u32, expected_blocks: u32) -> FixedU64 {
	let expected = u128::from(expected_blocks.max(1));
	let numerator = expected.saturating_mul(u128::from(samples).saturating_add(1));
	let denominator = u128::from(latency_sum).saturating_add(expected);
	FixedU64::checked_from_rational(numerator, denominator).unwrap_or_default().min(FixedU64::one())
}

/// `P_compute / P_energy` from evidence alone: [`challenge_score`] × [`speed_factor`], at most
/// 1. `P_compute` is the node's measured capability; the energy a node draws cannot be
/// observed on chain, so `P_energy` is its tier's reference draw (the same for every node of
/// the tier), and a declared wattage never raises a reward.
pub fn performance_per_watt(challenge_score: FixedU64, speed_factor: FixedU64) -> FixedU64 {
	challenge_score.saturating_mul(speed_factor).min(FixedU64::one())
}

/// `T_ok / T_all` with a prior of one success: `(ok + 1) / (all + 1)`, so a new node starts
/// at 1 and every failure lowers it. At most 1.
pub fn success_rate(tasks_ok: u32, tasks_concluded: u32) -> FixedU64 {
	let ok = u128::from(tasks_ok.min(tasks_concluded)).saturating_add(1);
	let all = u128::from(tasks_concluded).saturating_add(1);
	FixedU64::checked_from_rational(ok, all).unwrap_or_default().min(FixedU64::one())
}

/// `R_avail`: epochs with a heartbeat over epochs since registration (both inclusive), at
/// most 1. Registration counts as the first heartbeat.
pub fn availability(heartbeats: u32, registered_epoch: u32, now_epoch: u32) -> FixedU64 {
	let epochs = now_epoch.saturating_sub(registered_epoch).saturating_add(1);
	FixedU64::checked_from_rational(heartbeats.min(epochs), epochs)
		.unwrap_or_default()
		.min(FixedU64::one())
}

/// `D_factor`: how under-served the node's region is. The mean number of routable nodes per
/// occupied region divided by the number in the node's region, clamped to
/// [[`MIN_DISTRIBUTION_FACTOR`], [`MAX_DISTRIBUTION_FACTOR`]]: 1 when every occupied region has
/// as many nodes, above 1 in thinner regions. A region not yet counted counts as one node.
pub fn distribution_factor(
	nodes_in_region: u32,
	routable_nodes: u32,
	occupied_regions: u32,
) -> FixedU64 {
	let in_region = u128::from(nodes_in_region.max(1));
	let occupied = u128::from(occupied_regions.max(1));
	let total = u128::from(routable_nodes.max(1));
	FixedU64::checked_from_rational(total, occupied.saturating_mul(in_region))
		.unwrap_or(MAX_DISTRIBUTION_FACTOR)
		.clamp(MIN_DISTRIBUTION_FACTOR, MAX_DISTRIBUTION_FACTOR)
}

/// Node efficiency `E = (P_compute / P_energy) · (T_ok / T_all) · R_avail · D_factor`.
pub fn efficiency(
	performance_per_watt: FixedU64,
	success_rate: FixedU64,
	availability: FixedU64,
	distribution_factor: FixedU64,
) -> FixedU64 {
	performance_per_watt
		.saturating_mul(success_rate)
		.saturating_mul(availability)
		.saturating_mul(distribution_factor)
}

/// Diagnostic confidence `C = α·(I·D) + β·P·(1 − U)`, at most 1.
///
/// `I` is image quality, `D` model confidence, `U` uncertainty (the median of the quorum's
/// reveals), `P` the agreement among the task's assignees.
pub fn confidence(
	weights: ConfidenceWeights,
	image_quality: Percent,
	model_confidence: Percent,
	agreement: Permill,
	uncertainty: Percent,
) -> Permill {
	let quality_term = per_million(image_quality) * per_million(model_confidence);
	let certainty = per_million(Percent::one().saturating_sub(uncertainty));
	let consensus_term = agreement * certainty;
	(weights.alpha * quality_term).saturating_add(weights.beta * consensus_term)
}

/// A percentage as parts per million (exact).
fn per_million(value: Percent) -> Permill {
	Permill::from_parts(u32::from(value.deconstruct()).saturating_mul(10_000))
}

/// Equal reveals needed to accept a result among `k` assignees: a strict majority.
pub fn quorum(k: u32) -> u32 {
	(k / 2).saturating_add(1)
}

/// How strongly routing prefers a node: `E · tier weight · (2 if in the preferred region) /
/// (1 + open tasks)`, as an integer (E in billionths). Zero for a node with E = 0.
pub fn routing_weight(
	efficiency: FixedU64,
	tier_weight: u32,
	load: u32,
	in_preferred_region: bool,
) -> u128 {
	let region = if in_preferred_region { 2 } else { 1 };
	u128::from(efficiency.into_inner())
		.saturating_mul(u128::from(tier_weight))
		.saturating_mul(region)
		/ u128::from(load).saturating_add(1)
}

/// The share of a full epoch's work a node did: its verified assignments concluded in the
/// epoch over the tier's `min_tasks_per_day` scaled to an epoch, at most 1 (0 for no work).
pub fn work_share(
	tasks: u32,
	min_tasks_per_day: u32,
	epoch_length: u32,
	blocks_per_day: u32,
) -> Perbill {
	let done = u64::from(tasks).saturating_mul(u64::from(blocks_per_day));
	let expected =
		u64::from(min_tasks_per_day.max(1)).saturating_mul(u64::from(epoch_length.max(1)));
	if done >= expected {
		Perbill::one()
	} else {
		Perbill::from_rational(done, expected)
	}
}

/// A node's reward for one epoch: the tier's monthly range scaled by E (capped at 1), then by
/// the share of the tier's expected work the node did, divided by the epochs in a month:
/// `(low + (high − low) · min(E, 1)) · work_share / epochs_per_month`. An idle node earns 0,
/// and a node paid at the tier's top rate has done the tier's tasks per day.
pub fn epoch_reward<Balance: AtLeast32BitUnsigned + Copy>(
	tier: &TierParams<Balance>,
	efficiency: FixedU64,
	work_share: Perbill,
	epochs_per_month: u32,
) -> Balance {
	let scale: Perbill = efficiency.into_clamped_perthing();
	let spread = tier.monthly_reward_high.saturating_sub(tier.monthly_reward_low);
	let monthly = tier.monthly_reward_low.saturating_add(scale.mul_floor(spread));
	work_share.mul_floor(monthly) / Balance::from(epochs_per_month.max(1))
}
