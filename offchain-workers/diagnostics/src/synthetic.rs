//! Procedural intra-oral radiographs with known findings, for training and testing where no
//! dental dataset can be downloaded.
//!
//! An image is rendered in three independent random streams of one seed, so that a test can
//! change the findings of an image and keep its anatomy and equipment:
//! 1. **anatomy**: the view (periapical: three whole teeth, crowns up; bitewing: four upper and
//!    four lower teeth around the occlusal plane), tooth size, position, tilt, trabecular bone
//!    texture;
//! 2. **findings**: one class per module (drawn by prevalence, or forced), rendered as the
//!    change a radiologist would see: a dark notch in the enamel (enamel caries) or through it
//!    into the dentin (dentin caries); a lower alveolar crest (bone loss); overlapping, tilted
//!    crowns (crowding) or gaps (spacing); a round radiolucency at an apex (periapical lesion);
//!    a larger corticated radiolucency in the bone (cyst-like);
//! 3. **equipment**: bit depth (8, 12, 16), MONOCHROME1 storage, gain and offset, gamma,
//!    detector blur, heel effect, and Poisson–Gaussian quantum noise.
//!
//! Attenuations add up along the beam, so overlapping structures are brighter, as on film.
//! These are cartoons: a model trained on them learns the *task*, not dentistry.

use btt_primitives::depin::DiagnosticModule;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{
	taxonomy::class_count, Labels, Photometric, Radiograph, SourceFormat, SourceInfo, MODULE_COUNT,
};

/// The radiographic view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
	/// Upper and lower crowns around the occlusal plane (landscape).
	Bitewing,
	/// Whole teeth, crowns up, roots and apices in the bone (portrait).
	Periapical,
}

/// The simulated detector.
#[derive(Clone, Debug, PartialEq)]
pub struct Equipment {
	/// Bits stored: 8, 12 or 16.
	pub bits_stored: u16,
	/// Whether dense matter is stored bright (MONOCHROME2) or dark (MONOCHROME1).
	pub photometric: Photometric,
	/// Response exponent applied to the attenuation.
	pub gamma: f32,
	/// Share of the detector range the brightest structure reaches.
	pub gain: f32,
	/// Share of the range added everywhere (fog, dark current).
	pub offset: f32,
	/// Quantum-noise level (standard deviation at full signal, as a share of the range).
	pub noise_sigma: f32,
	/// Detector blur radius in pixels (0–2).
	pub blur_radius: usize,
	/// Left-to-right intensity tilt (heel effect), −0.1 to 0.1.
	pub heel: f32,
}

/// Generator parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorConfig {
	/// Long side of the image in pixels.
	pub long_side: u32,
	/// Probability of a finding (class > 0) per module, in [`DiagnosticModule::ALL`] order.
	pub prevalence: [f32; MODULE_COUNT],
	/// Share of periapical views (the rest are bitewings).
	pub periapical_fraction: f32,
}

impl Default for GeneratorConfig {
	fn default() -> Self {
		Self { long_side: 256, prevalence: [0.5; MODULE_COUNT], periapical_fraction: 0.5 }
	}
}

/// A finding drawn into an image, in pixel coordinates (to check overlays against).
#[derive(Clone, Debug, PartialEq)]
pub struct Lesion {
	/// The module.
	pub module: DiagnosticModule,
	/// The class.
	pub class: u8,
	/// Centre (x, y).
	pub center: (f32, f32),
	/// Approximate radius.
	pub radius: f32,
}

/// One generated radiograph.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticCase {
	/// Columns.
	pub width: u32,
	/// Rows.
	pub height: u32,
	/// Detector values as stored (`0..2^bits`, inverted if MONOCHROME1).
	pub stored: Vec<u16>,
	/// The detector.
	pub equipment: Equipment,
	/// The view.
	pub view: View,
	/// The ground truth: a class for every module.
	pub labels: Labels,
	/// Where the findings were drawn.
	pub lesions: Vec<Lesion>,
}

impl SyntheticCase {
	/// The image as a viewer shows it, dense matter bright: the stored values, inverted
	/// (`2^bits − 1 − v`) if MONOCHROME1. What a PNG of the case holds, since PNG has no
	/// photometric interpretation to say the values are inverted.
	pub fn display_values(&self) -> Vec<u16> {
		let full = ((1u32 << self.equipment.bits_stored) - 1) as u16;
		self.stored
			.iter()
			.map(|value| match self.equipment.photometric {
				Photometric::Monochrome1 => full.saturating_sub(*value),
				Photometric::Monochrome2 => *value,
			})
			.collect()
	}

	/// What a decoder returns for this image's DICOM file, up to a constant offset (the
	/// decoder inverts MONOCHROME1 about the image's own range, `max + min − v`, which
	/// preprocessing does not see): the [display values](Self::display_values).
	pub fn to_radiograph(&self) -> Radiograph {
		let pixels = self.display_values().into_iter().map(f32::from).collect();
		Radiograph {
			width: self.width,
			height: self.height,
			pixels,
			source: SourceInfo {
				format: SourceFormat::Dicom,
				bits_stored: self.equipment.bits_stored,
				photometric: self.equipment.photometric,
				modality: Some("IO".into()),
				colour: None,
			},
		}
	}
}

const ANATOMY: u64 = 1;
const FINDINGS: u64 = 2;
const EQUIPMENT: u64 = 3;

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
	let mut rng = ChaCha8Rng::seed_from_u64(seed);
	rng.set_stream(stream);
	rng
}

/// An image with findings drawn by the configured prevalence.
pub fn generate(seed: u64, config: &GeneratorConfig) -> SyntheticCase {
	let mut rng = stream(seed, FINDINGS);
	let mut labels = Labels::default();
	for (module, prevalence) in DiagnosticModule::ALL.into_iter().zip(config.prevalence) {
		let class = if rng.gen::<f32>() < prevalence {
			rng.gen_range(1..class_count(module).max(2)) as u8
		} else {
			0
		};
		labels.set(module, Some(class));
	}
	generate_with(seed, config, labels)
}

/// An image with the given findings (unlabelled modules get class 0).
pub fn generate_with(seed: u64, config: &GeneratorConfig, labels: Labels) -> SyntheticCase {
	let mut anatomy_rng = stream(seed, ANATOMY);
	let mut findings_rng = stream(seed, FINDINGS);
	findings_rng.set_word_pos(1 << 20);
	let mut equipment_rng = stream(seed, EQUIPMENT);
	let labels = Labels(labels.0.map(|class| Some(class.unwrap_or(0))));
	let class = |module: DiagnosticModule| labels.get(module).unwrap_or(0);

	let view = if anatomy_rng.gen::<f32>() < config.periapical_fraction {
		View::Periapical
	} else {
		View::Bitewing
	};
	let long = config.long_side.max(64) as f32;
	let short = (long * 0.75).round();
	let (width, height) = match view {
		View::Periapical => (short, long),
		View::Bitewing => (long, short),
	};
	let mut scene = Scene::new(width as usize, height as usize);
	let teeth = lay_out_teeth(
		view,
		width,
		height,
		class(DiagnosticModule::OrthodonticAnalysis),
		&mut anatomy_rng,
	);
	scene.add_bone(
		&teeth,
		view,
		class(DiagnosticModule::PeriodontalAssessment),
		&mut anatomy_rng,
		&mut findings_rng,
	);
	for tooth in &teeth {
		scene.add_tooth(tooth);
	}
	let mut lesions = Vec::new();
	lesions.extend(scene.add_caries(
		&teeth,
		class(DiagnosticModule::CariesDetection),
		&mut findings_rng,
	));
	lesions.extend(scene.add_periapical_lesion(
		&teeth,
		class(DiagnosticModule::EndodonticPathology),
		&mut findings_rng,
	));
	lesions.extend(scene.add_cyst(
		&teeth,
		view,
		class(DiagnosticModule::OralPathologyScreening),
		&mut findings_rng,
	));
	if class(DiagnosticModule::PeriodontalAssessment) > 0
		|| class(DiagnosticModule::OrthodonticAnalysis) > 0
	{
		lesions.extend(whole_image_findings(&labels, width, height));
	}
	let equipment = draw_equipment(&mut equipment_rng);
	let stored = expose(&scene, &equipment, &mut equipment_rng);
	SyntheticCase {
		width: width as u32,
		height: height as u32,
		stored,
		equipment,
		view,
		labels,
		lesions,
	}
}

/// Bone loss and malocclusion involve the whole image: recorded at its centre.
fn whole_image_findings(labels: &Labels, width: f32, height: f32) -> Vec<Lesion> {
	[DiagnosticModule::PeriodontalAssessment, DiagnosticModule::OrthodonticAnalysis]
		.into_iter()
		.filter_map(|module| {
			let class = labels.get(module).filter(|class| *class > 0)?;
			Some(Lesion {
				module,
				class,
				center: (width / 2.0, height / 2.0),
				radius: width.max(height) / 2.0,
			})
		})
		.collect()
}

/// One tooth in image coordinates.
#[derive(Clone, Debug)]
struct Tooth {
	/// Centre of the occlusal surface.
	x: f32,
	occlusal_y: f32,
	/// +1: the root goes down the image (crown up); −1: up.
	direction: f32,
	half_width: f32,
	crown_height: f32,
	root_length: f32,
	/// Tilt in radians.
	tilt: f32,
}

impl Tooth {
	/// Local coordinates: across (u) and along from the occlusal surface towards the apex (v).
	fn local(&self, x: f32, y: f32) -> (f32, f32) {
		let (dx, dy) = (x - self.x, (y - self.occlusal_y) * self.direction);
		let (sin, cos) = self.tilt.sin_cos();
		(dx * cos - dy * sin, dx * sin + dy * cos)
	}

	/// Image coordinates of local (u, v).
	fn point(&self, u: f32, v: f32) -> (f32, f32) {
		let (sin, cos) = self.tilt.sin_cos();
		let (dx, dy) = (u * cos + v * sin, -u * sin + v * cos);
		(self.x + dx, self.occlusal_y + dy * self.direction)
	}

	fn apex(&self) -> (f32, f32) {
		self.point(0.0, self.crown_height + self.root_length)
	}

	/// Half width of the tooth at depth v (0 outside the tooth).
	fn half_width_at(&self, v: f32) -> f32 {
		if v < 0.0 {
			0.0
		} else if v <= self.crown_height {
			let t = v / self.crown_height;
			self.half_width
				* (0.82 + 0.18 * (std::f32::consts::PI * t).sin())
				* (0.9 + 0.1 * t.min(0.3) / 0.3)
		} else if v <= self.crown_height + self.root_length {
			let t = (v - self.crown_height) / self.root_length;
			self.half_width * 0.78 * (1.0 - 0.7 * t)
		} else {
			0.0
		}
	}
}

/// Teeth positions for the view and the orthodontic class (0 aligned, 1 crowding, 2 spacing).
fn lay_out_teeth(
	view: View,
	width: f32,
	height: f32,
	orthodontic: u8,
	rng: &mut ChaCha8Rng,
) -> Vec<Tooth> {
	let per_arch = match view {
		View::Periapical => 3,
		View::Bitewing => 4,
	};
	let base_half = width / (per_arch as f32 * 2.0) * rng.gen_range(0.78..0.88);
	let gap = match orthodontic {
		1 => -base_half * rng.gen_range(0.35..0.55),
		2 => base_half * rng.gen_range(0.45..0.75),
		_ => base_half * rng.gen_range(0.02..0.10),
	};
	let max_tilt: f32 = if orthodontic == 1 { 0.22 } else { 0.05 };
	let arches: Vec<(f32, f32, f32, f32)> = match view {
		// (occlusal y, direction, crown height, root length)
		View::Periapical => {
			vec![(height * rng.gen_range(0.06..0.10), 1.0, height * 0.28, height * 0.48)]
		}
		View::Bitewing => {
			let plane = height * rng.gen_range(0.47..0.53);
			let crown = height * 0.26;
			vec![
				(plane - height * 0.02, -1.0, crown, height * 0.2),
				(plane + height * 0.02, 1.0, crown, height * 0.2),
			]
		}
	};
	let mut teeth = Vec::new();
	for (occlusal_y, direction, crown_height, root_length) in arches {
		let pitch = 2.0 * base_half + gap;
		let span = pitch * (per_arch as f32 - 1.0);
		let start = width / 2.0 - span / 2.0 + rng.gen_range(-0.04..0.04) * width;
		for index in 0..per_arch {
			let half_width = base_half * rng.gen_range(0.92..1.08);
			teeth.push(Tooth {
				x: start + pitch * index as f32 + rng.gen_range(-0.02..0.02) * width,
				occlusal_y: occlusal_y + rng.gen_range(-0.015..0.015) * height,
				direction,
				half_width,
				crown_height: crown_height * rng.gen_range(0.92..1.08),
				root_length: root_length * rng.gen_range(0.9..1.1),
				tilt: rng.gen_range(-max_tilt..=max_tilt),
			});
		}
	}
	teeth
}

/// The attenuation map being drawn.
struct Scene {
	width: usize,
	height: usize,
	attenuation: Vec<f32>,
}

impl Scene {
	fn new(width: usize, height: usize) -> Self {
		Self { width, height, attenuation: vec![0.12; width * height] }
	}

	fn add(&mut self, x: usize, y: usize, amount: f32) {
		if let Some(value) = self.attenuation.get_mut(y * self.width + x) {
			*value += amount;
		}
	}

	/// Pixels within `radius` (+ a soft edge) of a centre, with their falloff weight.
	fn disc(&self, center: (f32, f32), radius: (f32, f32), angle: f32) -> Vec<(usize, usize, f32)> {
		let reach = radius.0.max(radius.1) + 2.0;
		let (x0, x1) =
			((center.0 - reach).max(0.0) as usize, ((center.0 + reach) as usize).min(self.width));
		let (y0, y1) =
			((center.1 - reach).max(0.0) as usize, ((center.1 + reach) as usize).min(self.height));
		let (sin, cos) = angle.sin_cos();
		let mut pixels = Vec::new();
		for y in y0..y1 {
			for x in x0..x1 {
				let (dx, dy) = (x as f32 - center.0, y as f32 - center.1);
				let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
				let distance =
					((u / radius.0.max(0.5)).powi(2) + (v / radius.1.max(0.5)).powi(2)).sqrt();
				let weight = (1.0 - (distance - 0.85) / 0.3).clamp(0.0, 1.0);
				if weight > 0.0 {
					pixels.push((x, y, weight));
				}
			}
		}
		pixels
	}

	/// Trabecular bone beyond the alveolar crest; bone loss lowers the crest.
	fn add_bone(
		&mut self,
		teeth: &[Tooth],
		view: View,
		periodontal: u8,
		anatomy: &mut ChaCha8Rng,
		findings: &mut ChaCha8Rng,
	) {
		let texture = value_noise(self.width, self.height, anatomy);
		let loss = match periodontal {
			1 => findings.gen_range(0.18..0.32),
			2 => findings.gen_range(0.42..0.6),
			_ => findings.gen_range(0.0..0.06),
		};
		// An angular defect next to one tooth in severe cases.
		let defect = (periodontal == 2).then(|| findings.gen_range(0..teeth.len().max(1)));
		for y in 0..self.height {
			for x in 0..self.width {
				let (xf, yf) = (x as f32, y as f32);
				let nearest = teeth.iter().enumerate().filter(|(_, tooth)| match view {
					View::Periapical => true,
					View::Bitewing => (yf - tooth.occlusal_y) * tooth.direction > 0.0,
				});
				let Some((index, tooth)) =
					nearest.min_by(|a, b| (a.1.x - xf).abs().total_cmp(&(b.1.x - xf).abs()))
				else {
					continue;
				};
				let extra = if defect == Some(index) {
					0.25 * (1.0 - ((tooth.x - xf).abs() / (2.0 * tooth.half_width)).min(1.0))
				} else {
					0.0
				};
				let crest = tooth.crown_height + tooth.root_length * (0.06 + loss + extra);
				let depth = (yf - tooth.occlusal_y) * tooth.direction;
				if depth > crest {
					let edge = ((depth - crest) / 4.0).min(1.0);
					let trabecular = texture.get(y * self.width + x).copied().unwrap_or(0.5);
					self.add(x, y, edge * (0.26 + 0.16 * trabecular));
				}
			}
		}
	}

	/// Enamel, dentin, pulp: attenuations add to what is there.
	fn add_tooth(&mut self, tooth: &Tooth) {
		let reach = tooth.crown_height + tooth.root_length + tooth.half_width;
		let (x0, x1) =
			((tooth.x - reach).max(0.0) as usize, ((tooth.x + reach) as usize).min(self.width));
		for y in 0..self.height {
			for x in x0..x1 {
				let (u, v) = tooth.local(x as f32, y as f32);
				let half = tooth.half_width_at(v);
				if half <= 0.0 || u.abs() > half {
					continue;
				}
				let edge = ((half - u.abs()) / 1.5).min(1.0);
				let in_crown = v <= tooth.crown_height;
				let enamel = in_crown
					&& (half - u.abs() < tooth.half_width * 0.16 || v < tooth.crown_height * 0.14);
				let pulp_half =
					tooth.half_width * if in_crown { 0.32 } else { 0.18 * half / tooth.half_width };
				let pulp = v > tooth.crown_height * 0.4
					&& v < tooth.crown_height + tooth.root_length * 0.92
					&& u.abs() < pulp_half;
				let density = if enamel {
					0.62
				} else if pulp {
					0.16
				} else {
					0.42
				};
				self.add(x, y, edge * density);
			}
		}
	}

	/// A dark lesion on a crown's proximal surface: in the enamel (1) or through it (2).
	fn add_caries(&mut self, teeth: &[Tooth], class: u8, rng: &mut ChaCha8Rng) -> Option<Lesion> {
		if class == 0 || teeth.is_empty() {
			return None;
		}
		let tooth = teeth.get(rng.gen_range(0..teeth.len()))?;
		let side = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
		let v = tooth.crown_height * rng.gen_range(0.3..0.6);
		let half = tooth.half_width_at(v);
		let (radius, depth, strength) = if class == 1 {
			(tooth.half_width * rng.gen_range(0.14..0.2), 0.1, rng.gen_range(0.35..0.5))
		} else {
			(tooth.half_width * rng.gen_range(0.3..0.42), 0.32, rng.gen_range(0.45..0.6))
		};
		let center = tooth.point(side * (half - tooth.half_width * depth), v);
		for (x, y, weight) in self.disc(center, (radius, radius * 0.8), 0.0) {
			let (u, lv) = tooth.local(x as f32, y as f32);
			if u.abs() <= tooth.half_width_at(lv) && lv <= tooth.crown_height {
				self.add(x, y, -strength * weight);
			}
		}
		Some(Lesion { module: DiagnosticModule::CariesDetection, class, center, radius })
	}

	/// A round radiolucency at one apex.
	fn add_periapical_lesion(
		&mut self,
		teeth: &[Tooth],
		class: u8,
		rng: &mut ChaCha8Rng,
	) -> Option<Lesion> {
		if class == 0 || teeth.is_empty() {
			return None;
		}
		let tooth = teeth.get(rng.gen_range(0..teeth.len()))?;
		let radius = tooth.half_width * rng.gen_range(0.45..0.75);
		let center = tooth.apex();
		let strength = rng.gen_range(0.16..0.26);
		for (x, y, weight) in self.disc(center, (radius, radius * rng.gen_range(0.8..1.0)), 0.0) {
			self.add(x, y, -strength * weight);
		}
		Some(Lesion { module: DiagnosticModule::EndodonticPathology, class, center, radius })
	}

	/// A larger oval radiolucency with a bright (corticated) rim, in the bone between roots.
	fn add_cyst(
		&mut self,
		teeth: &[Tooth],
		view: View,
		class: u8,
		rng: &mut ChaCha8Rng,
	) -> Option<Lesion> {
		if class == 0 || teeth.len() < 2 {
			return None;
		}
		let index = rng.gen_range(0..teeth.len() - 1);
		let (a, b) = (teeth.get(index)?, teeth.get(index + 1)?);
		if view == View::Bitewing && a.direction != b.direction {
			return None;
		}
		let depth = a.crown_height + a.root_length * rng.gen_range(0.45..0.7);
		let center = ((a.x + b.x) / 2.0, a.occlusal_y + depth * a.direction);
		let radius = a.half_width * rng.gen_range(0.7..1.0);
		let shape = (radius, radius * rng.gen_range(0.65..0.85));
		let angle = rng.gen_range(-0.5..0.5);
		let strength = rng.gen_range(0.18..0.26);
		for (x, y, weight) in self.disc(center, shape, angle) {
			self.add(x, y, -strength * weight);
		}
		for (x, y, weight) in self.disc(center, (shape.0 * 1.12, shape.1 * 1.12), angle) {
			let rim = weight * (1.0 - weight) * 4.0;
			self.add(x, y, 0.12 * rim);
		}
		Some(Lesion { module: DiagnosticModule::OralPathologyScreening, class, center, radius })
	}
}

/// Smooth random texture in [0, 1]: three octaves of bilinearly interpolated grid noise.
fn value_noise(width: usize, height: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
	let mut out = vec![0f32; width * height];
	for (cells, amplitude) in [(6usize, 0.5f32), (14, 0.3), (30, 0.2)] {
		let grid: Vec<f32> = (0..(cells + 1) * (cells + 1)).map(|_| rng.gen::<f32>()).collect();
		let at = |gx: usize, gy: usize| grid.get(gy * (cells + 1) + gx).copied().unwrap_or(0.5);
		for (index, value) in out.iter_mut().enumerate() {
			let (x, y) = (index % width, index / width);
			let fx = x as f32 / width as f32 * cells as f32;
			let fy = y as f32 / height as f32 * cells as f32;
			let (gx, gy) = (fx as usize, fy as usize);
			let (tx, ty) = (fx - gx as f32, fy - gy as f32);
			let top = at(gx, gy) * (1.0 - tx) + at(gx + 1, gy) * tx;
			let bottom = at(gx, gy + 1) * (1.0 - tx) + at(gx + 1, gy + 1) * tx;
			*value += amplitude * (top * (1.0 - ty) + bottom * ty);
		}
	}
	out
}

fn draw_equipment(rng: &mut ChaCha8Rng) -> Equipment {
	let bits_stored = [8u16, 12, 16][rng.gen_range(0..3)];
	Equipment {
		bits_stored,
		photometric: if rng.gen::<f32>() < 0.2 {
			Photometric::Monochrome1
		} else {
			Photometric::Monochrome2
		},
		gamma: rng.gen_range(0.75..1.35),
		gain: rng.gen_range(0.55..0.95),
		offset: rng.gen_range(0.0..0.12),
		noise_sigma: rng.gen_range(0.005..0.035),
		blur_radius: rng.gen_range(0..=2),
		heel: rng.gen_range(-0.1..0.1),
	}
}

/// The detector: blur, response, heel effect, noise, quantization, storage.
fn expose(scene: &Scene, equipment: &Equipment, rng: &mut ChaCha8Rng) -> Vec<u16> {
	let (width, height) = (scene.width, scene.height);
	let mut signal = scene.attenuation.clone();
	for _ in 0..2 {
		signal = box_blur(&signal, width, height, equipment.blur_radius);
	}
	let full = ((1u32 << equipment.bits_stored) - 1) as f32;
	signal
		.iter()
		.enumerate()
		.map(|(index, attenuation)| {
			let x = (index % width) as f32 / width.max(1) as f32;
			let response =
				attenuation.clamp(0.0, 1.2).powf(equipment.gamma) / 1.2f32.powf(equipment.gamma);
			let heel = 1.0 + equipment.heel * (x - 0.5) * 2.0;
			let level = (equipment.offset + equipment.gain * response * heel).clamp(0.0, 1.0);
			let noise = equipment.noise_sigma * (level.max(0.02)).sqrt() * gaussian(rng);
			let counts = ((level + noise).clamp(0.0, 1.0) * full).round();
			let stored = match equipment.photometric {
				Photometric::Monochrome1 => full - counts,
				Photometric::Monochrome2 => counts,
			};
			stored as u16
		})
		.collect()
}

fn box_blur(pixels: &[f32], width: usize, height: usize, radius: usize) -> Vec<f32> {
	if radius == 0 {
		return pixels.to_vec();
	}
	let mut out = vec![0f32; pixels.len()];
	for y in 0..height {
		for x in 0..width {
			let (mut sum, mut count) = (0f32, 0f32);
			for sy in y.saturating_sub(radius)..(y + radius + 1).min(height) {
				for sx in x.saturating_sub(radius)..(x + radius + 1).min(width) {
					sum += pixels.get(sy * width + sx).copied().unwrap_or(0.0);
					count += 1.0;
				}
			}
			if let Some(slot) = out.get_mut(y * width + x) {
				*slot = sum / count.max(1.0);
			}
		}
	}
	out
}

/// A standard normal draw (Box–Muller).
fn gaussian(rng: &mut ChaCha8Rng) -> f32 {
	let u1: f32 = rng.gen_range(f32::EPSILON..1.0);
	let u2: f32 = rng.gen();
	(-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
}
