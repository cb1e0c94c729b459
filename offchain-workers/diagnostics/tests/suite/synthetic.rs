//! The generator: deterministic, labelled, and each finding visible where it is drawn.

use btt_diagnostics::{
	synthetic::{generate, generate_with, GeneratorConfig, View},
	Labels, Photometric,
};
use btt_primitives::depin::DiagnosticModule;

#[test]
fn same_seed_same_image_other_seed_other_image() {
	let config = GeneratorConfig::default();
	assert_eq!(generate(11, &config), generate(11, &config));
	assert_ne!(generate(11, &config).stored, generate(12, &config).stored);
}

#[test]
fn labels_follow_the_prevalence_and_views_their_aspect() {
	let config = GeneratorConfig::default();
	let cases: Vec<_> = (0..400).map(|seed| generate(seed, &config)).collect();
	for module in DiagnosticModule::ALL {
		let positive = cases.iter().filter(|case| case.labels.get(module).unwrap() > 0).count();
		assert!((140..=260).contains(&positive), "{module:?}: {positive} of 400 positive");
	}
	for case in &cases {
		match case.view {
			View::Periapical => assert!(case.height > case.width),
			View::Bitewing => assert!(case.width > case.height),
		}
		let full = (1u32 << case.equipment.bits_stored) - 1;
		assert!(case.stored.iter().all(|v| u32::from(*v) <= full));
	}
	assert!(cases.iter().any(|case| case.equipment.photometric == Photometric::Monochrome1));
	assert!(
		cases.iter().any(|case| case.view == View::Bitewing)
			&& cases.iter().any(|case| case.view == View::Periapical)
	);
}

fn mean_around(
	case: &btt_diagnostics::synthetic::SyntheticCase,
	center: (f32, f32),
	radius: f32,
) -> f32 {
	let radiograph = case.to_radiograph();
	let (mut sum, mut count) = (0.0, 0.0);
	for y in 0..case.height {
		for x in 0..case.width {
			if ((x as f32 - center.0).powi(2) + (y as f32 - center.1).powi(2)).sqrt() <= radius {
				sum += radiograph.get(x, y).unwrap();
				count += 1.0;
			}
		}
	}
	sum / count
}

#[test]
fn each_local_finding_darkens_the_image_where_it_is_drawn() {
	let config = GeneratorConfig::default();
	for (module, class) in [
		(DiagnosticModule::CariesDetection, 2),
		(DiagnosticModule::EndodonticPathology, 1),
		(DiagnosticModule::OralPathologyScreening, 1),
	] {
		let mut darker = 0;
		for seed in 0..10 {
			let healthy = generate_with(seed, &config, Labels::default());
			let mut labels = Labels::default();
			labels.set(module, Some(class));
			let sick = generate_with(seed, &config, labels);
			let Some(lesion) = sick.lesions.iter().find(|lesion| lesion.module == module) else {
				continue;
			};
			assert_eq!((healthy.width, healthy.view), (sick.width, sick.view), "same anatomy");
			if mean_around(&sick, lesion.center, lesion.radius * 0.6)
				< mean_around(&healthy, lesion.center, lesion.radius * 0.6)
			{
				darker += 1;
			}
		}
		assert!(darker >= 8, "{module:?}: darker in {darker} of 10");
	}
}

#[test]
fn monochrome1_cases_store_dense_matter_dark_and_decode_bright() {
	let config = GeneratorConfig::default();
	let case = (0..200)
		.map(|seed| generate(seed, &config))
		.find(|case| case.equipment.photometric == Photometric::Monochrome1)
		.unwrap();
	let full = ((1u32 << case.equipment.bits_stored) - 1) as f32;
	let radiograph = case.to_radiograph();
	assert_eq!(radiograph.pixels[0], full - f32::from(case.stored[0]));
}
