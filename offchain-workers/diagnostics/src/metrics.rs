//! Evaluation metrics of one module: multi-class accuracy, and for "any finding" (class > 0)
//! sensitivity, specificity, the ROC curve and its area, plus the expected calibration error
//! of the reported confidence.

/// A point of a ROC curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RocPoint {
	/// False-positive rate.
	pub fpr: f64,
	/// True-positive rate.
	pub tpr: f64,
	/// Score threshold (positive if score ≥ threshold); +∞ for the (0, 0) corner.
	pub threshold: f32,
}

/// A module's metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleMetrics {
	/// Labelled samples.
	pub samples: usize,
	/// Samples with a finding (class > 0).
	pub positives: usize,
	/// Share of samples whose predicted class is the true class.
	pub accuracy: f64,
	/// TP / (TP + FN) for "any finding".
	pub sensitivity: f64,
	/// TN / (TN + FP) for "any finding".
	pub specificity: f64,
	/// Area under the ROC curve (Mann–Whitney), 0.5 if a class is absent.
	pub auc: f64,
	/// The ROC curve from (0, 0) to (1, 1).
	pub roc: Vec<RocPoint>,
}

/// Why metrics cannot be computed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MetricsError {
	/// Inputs of different lengths.
	#[error("{truth} labels, {predicted} predictions and {scores} scores")]
	LengthMismatch {
		/// Labels.
		truth: usize,
		/// Predictions.
		predicted: usize,
		/// Scores.
		scores: usize,
	},
	/// Nothing to evaluate.
	#[error("no samples")]
	Empty,
}

/// Metrics of one module from true classes, predicted classes and P(any finding).
pub fn module_metrics(
	truth: &[u8],
	predicted: &[u8],
	positive_score: &[f32],
) -> Result<ModuleMetrics, MetricsError> {
	if truth.len() != predicted.len() || truth.len() != positive_score.len() {
		return Err(MetricsError::LengthMismatch {
			truth: truth.len(),
			predicted: predicted.len(),
			scores: positive_score.len(),
		});
	}
	if truth.is_empty() {
		return Err(MetricsError::Empty);
	}
	let correct = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
	let (mut tp, mut fn_, mut tn, mut fp) = (0usize, 0usize, 0usize, 0usize);
	for (t, p) in truth.iter().zip(predicted) {
		match (*t > 0, *p > 0) {
			(true, true) => tp += 1,
			(true, false) => fn_ += 1,
			(false, false) => tn += 1,
			(false, true) => fp += 1,
		}
	}
	let labels: Vec<bool> = truth.iter().map(|t| *t > 0).collect();
	Ok(ModuleMetrics {
		samples: truth.len(),
		positives: tp + fn_,
		accuracy: correct as f64 / truth.len() as f64,
		sensitivity: ratio(tp, tp + fn_),
		specificity: ratio(tn, tn + fp),
		auc: roc_auc(&labels, positive_score).unwrap_or(0.5),
		roc: roc_curve(&labels, positive_score),
	})
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
	if denominator == 0 {
		0.0
	} else {
		numerator as f64 / denominator as f64
	}
}

/// The ROC curve: one point per distinct score (descending), tied scores taken together.
pub fn roc_curve(labels: &[bool], scores: &[f32]) -> Vec<RocPoint> {
	let positives = labels.iter().filter(|l| **l).count();
	let negatives = labels.len() - positives;
	let mut order: Vec<(f32, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
	order.sort_by(|a, b| b.0.total_cmp(&a.0));
	let mut points = vec![RocPoint { fpr: 0.0, tpr: 0.0, threshold: f32::INFINITY }];
	let (mut tp, mut fp) = (0usize, 0usize);
	let mut index = 0;
	while let Some((threshold, _)) = order.get(index).copied() {
		while let Some((score, label)) = order.get(index).copied() {
			if score != threshold {
				break;
			}
			if label {
				tp += 1;
			} else {
				fp += 1;
			}
			index += 1;
		}
		points.push(RocPoint { fpr: ratio(fp, negatives), tpr: ratio(tp, positives), threshold });
	}
	points
}

/// ROC AUC by the Mann–Whitney U statistic: the probability that a random positive scores
/// above a random negative, ties counting ½. `None` if either class is absent.
pub fn roc_auc(labels: &[bool], scores: &[f32]) -> Option<f64> {
	let mut ranked: Vec<(f32, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
	ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
	let positives = ranked.iter().filter(|(_, l)| *l).count();
	let negatives = ranked.len() - positives;
	if positives == 0 || negatives == 0 {
		return None;
	}
	// Sum of the positives' ranks, ties given their average rank.
	let mut rank_sum = 0f64;
	let mut start = 0;
	while start < ranked.len() {
		let score = ranked.get(start).map(|(s, _)| *s)?;
		let end = ranked.iter().skip(start).take_while(|(s, _)| *s == score).count() + start;
		let average_rank = (start + 1 + end) as f64 / 2.0;
		let tied_positives = ranked.get(start..end)?.iter().filter(|(_, l)| *l).count();
		rank_sum += average_rank * tied_positives as f64;
		start = end;
	}
	let u = rank_sum - (positives * (positives + 1)) as f64 / 2.0;
	Some(u / (positives * negatives) as f64)
}

/// Expected calibration error: the sample-weighted mean |accuracy − confidence| over `bins`
/// equal-width confidence bins.
pub fn expected_calibration_error(probabilities: &[f32], correct: &[bool], bins: usize) -> f64 {
	let bins = bins.max(1);
	let mut sums = vec![(0f64, 0f64, 0usize); bins];
	for (p, ok) in probabilities.iter().zip(correct) {
		let bin = ((f64::from(p.clamp(0.0, 1.0)) * bins as f64) as usize).min(bins - 1);
		if let Some((confidence, hits, count)) = sums.get_mut(bin) {
			*confidence += f64::from(*p);
			*hits += if *ok { 1.0 } else { 0.0 };
			*count += 1;
		}
	}
	let total = probabilities.len().min(correct.len()).max(1) as f64;
	sums.iter()
		.filter(|(_, _, count)| *count > 0)
		.map(|(confidence, hits, _)| (hits - confidence).abs() / total)
		.sum()
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

	use super::*;
	use rand::{Rng, SeedableRng};

	#[test]
	fn separable_scores_give_auc_one_and_reversed_zero_and_ties_half() {
		let labels = [false, false, true, true];
		assert_eq!(roc_auc(&labels, &[0.1, 0.2, 0.8, 0.9]), Some(1.0));
		assert_eq!(roc_auc(&labels, &[0.9, 0.8, 0.2, 0.1]), Some(0.0));
		assert_eq!(roc_auc(&labels, &[0.5; 4]), Some(0.5));
		assert_eq!(roc_auc(&[true, true], &[0.1, 0.2]), None);
	}

	#[test]
	fn small_example_matches_the_hand_count() {
		// Positives 0.9, 0.4; negatives 0.6, 0.4, 0.1. Pairs (p > n): 0.9 beats all three,
		// 0.4 beats 0.1 and ties 0.4 (½): (3 + 1.5) / 6 = 0.75.
		let labels = [true, true, false, false, false];
		let scores = [0.9, 0.4, 0.6, 0.4, 0.1];
		assert_eq!(roc_auc(&labels, &scores), Some(0.75));
	}

	#[test]
	fn trapezoid_area_under_the_curve_equals_mann_whitney() {
		let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
		let labels: Vec<bool> = (0..300).map(|_| rng.gen_bool(0.4)).collect();
		let scores: Vec<f32> = labels
			.iter()
			.map(|l| ((rng.gen::<f32>() + if *l { 0.3 } else { 0.0 }) * 20.0).round() / 20.0)
			.collect();
		let curve = roc_curve(&labels, &scores);
		let area: f64 =
			curve.windows(2).map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0).sum();
		let auc = roc_auc(&labels, &scores).unwrap();
		assert!((area - auc).abs() < 1e-9, "{area} vs {auc}");
		assert_eq!((curve.last().unwrap().fpr, curve.last().unwrap().tpr), (1.0, 1.0));
	}

	#[test]
	fn sensitivity_and_specificity_count_any_finding() {
		// truth: 0 0 1 2 2; predicted: 0 1 1 0 2 → TP 2 (1/1, 2/2), FN 1, TN 1, FP 1.
		let metrics =
			module_metrics(&[0, 0, 1, 2, 2], &[0, 1, 1, 0, 2], &[0.1, 0.6, 0.7, 0.2, 0.9]).unwrap();
		assert_eq!(metrics.positives, 3);
		assert!((metrics.sensitivity - 2.0 / 3.0).abs() < 1e-12);
		assert!((metrics.specificity - 0.5).abs() < 1e-12);
		assert!((metrics.accuracy - 0.6).abs() < 1e-12);
		assert!(matches!(module_metrics(&[0], &[], &[]), Err(MetricsError::LengthMismatch { .. })));
		assert_eq!(module_metrics(&[], &[], &[]), Err(MetricsError::Empty));
	}

	#[test]
	fn calibration_error_is_zero_when_confidence_matches_accuracy() {
		let probabilities = [0.75f32; 4];
		assert!(expected_calibration_error(&probabilities, &[true, true, true, false], 10) < 1e-9);
		assert!((expected_calibration_error(&probabilities, &[true; 4], 10) - 0.25).abs() < 1e-6);
	}
}
