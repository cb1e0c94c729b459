//! The seeds' reward formula and the engagement measures it reads, each in one named function,
//! in fixed point.

use crate::RewardInputs;
use sp_runtime::{
	traits::{AtLeast32BitUnsigned, Saturating},
	FixedPointNumber, FixedPointOperand, FixedU128, Perbill,
};

/// The patient reward, as the seeds write it: **`R = (A·C) + (H·T)·P`**, multiplication
/// binding before addition, capped at the category's cap.
///
/// - `A` ([`RewardInputs::base`]): the activity's base value in BTT, set by governance within
///   the category's seed range;
/// - `C` ([`RewardInputs::quality`]): completion quality, 0–1, from the verifier (a provider's
///   rating, the share of a day's target minutes, the share of treatment stages done well, an
///   assessment's score);
/// - `H` ([`RewardInputs::consistency`]): the patient's consistency, 0–1 ([`consistency`]). A
///   share has no unit, so it is converted to BTT by the category's consistency base `B_H`
///   ([`RewardInputs::consistency_base`]): the term is `(H·B_H)·T·P` BTT, and `R` is BTT;
/// - `T` ([`RewardInputs::streak`]): the streak multiplier, 1–2 ([`streak_multiplier`]);
/// - `P` ([`RewardInputs::adjustment`]): the personal adjustment, 0.5–1.5, from the patient's
///   provider.
///
/// Each product rounds down, so `R` never exceeds the exact value; `R` is monotone in every
/// input, at most the cap, and 0 when `C = 0` and `H = 0`.
pub fn reward<Balance: AtLeast32BitUnsigned + FixedPointOperand>(
	inputs: &RewardInputs<Balance>,
) -> Balance {
	let activity = inputs.quality.mul_floor(inputs.base);
	let consistency_btt = inputs.consistency.mul_floor(inputs.consistency_base);
	let engagement =
		inputs.adjustment.saturating_mul_int(inputs.streak.saturating_mul_int(consistency_btt));
	activity.saturating_add(engagement).min(inputs.cap)
}

/// `H`: the share of the last `window` weeks (the current one included) in which the patient
/// had a verified activity. `history`'s bit `i` is the week `i` weeks before the latest
/// active one, which is `weeks_since` weeks ago; `window` is at most 32.
pub fn consistency(history: u32, weeks_since: u32, window: u32) -> Perbill {
	let window = window.clamp(1, 32);
	if weeks_since >= window {
		return Perbill::zero();
	}
	let visible = window - weeks_since;
	let mask = if visible >= 32 { u32::MAX } else { (1u32 << visible) - 1 };
	Perbill::from_rational((history & mask).count_ones(), window)
}

/// `T`: the streak multiplier, `1 + min(streak − 1, full) / full`: 1 in the first week of a
/// streak, growing by `1/full` a week, 2 from week `full + 1` on. A gap of a week without a
/// verified activity starts the streak again ([`after_activity`]).
pub fn streak_multiplier(streak: u32, full: u32) -> FixedU128 {
	let full = full.max(1);
	let weeks = streak.saturating_sub(1).min(full);
	FixedU128::from_u32(1).saturating_add(FixedU128::saturating_from_rational(weeks, full))
}

/// The engagement record `(history, last_week, streak)` after a verified activity in `week`
/// (a streak of 0: none before): the week is set in the history, and the streak grows by one
/// if the previous active week was the one before, stays if it is the same week, and starts
/// again at 1 after a gap. An activity dated before `last_week` (a device's backfilled day)
/// counts in its own week's bit and leaves the streak as it is.
pub fn after_activity(history: u32, last_week: u32, streak: u32, week: u32) -> (u32, u32, u32) {
	if streak == 0 {
		return (1, week, 1);
	}
	if week < last_week {
		let back = last_week - week;
		let bit = if back >= 32 { 0 } else { 1u32 << back };
		return (history | bit, last_week, streak);
	}
	let gap = week.saturating_sub(last_week);
	let shifted = if gap >= 32 { 0 } else { history << gap };
	let streak = match gap {
		0 => streak.max(1),
		1 => streak.saturating_add(1),
		_ => 1,
	};
	(shifted | 1, week.max(last_week), streak)
}
