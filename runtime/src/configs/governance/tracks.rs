//! The referendum tracks of the public referenda (`TracksInfo`) and of the technical
//! fellowship's referenda (`FellowshipTracksInfo`), each with its production periods and,
//! beside them, the periods of a development genesis ([`Pace::Development`]).
//!
//! A track's approval curve is the least share of conviction-weighted aye votes, its support
//! curve the least share of the active issuance (without conviction) voting aye, both as
//! functions of the time into the decision period. `docs/governance.md` tabulates them.

use super::origins::{Origin, Pace, TrackPace};
use crate::{Balance, BlockNumber, OriginCaller, Runtime, DAYS, HOURS, MINUTES, UNITS};
use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::str_array;

/// A track's periods, in blocks.
#[derive(Clone, Copy)]
pub struct Periods {
	/// Before a decision may start (and the decision deposit be placed usefully).
	pub prepare: BlockNumber,
	/// The longest a decision may take; undecided at its end, the referendum is rejected.
	pub decision: BlockNumber,
	/// How long approval and support must both hold before the referendum passes.
	pub confirm: BlockNumber,
	/// The least time between passing and enactment.
	pub enactment: BlockNumber,
}

/// One track: its fixed parameters and its periods at each [`Pace`].
pub struct TrackSpec {
	pub id: u16,
	pub name: &'static str,
	pub max_deciding: u32,
	pub decision_deposit: Balance,
	pub production: Periods,
	pub development: Periods,
	pub min_approval: Curve,
	pub min_support: Curve,
}

impl TrackSpec {
	/// The track as pallet-referenda reads it, at the given pace.
	fn track(&self, pace: Pace) -> Track<u16, Balance, BlockNumber> {
		let periods = match pace {
			Pace::Production => self.production,
			Pace::Development => self.development,
		};
		Track {
			id: self.id,
			info: TrackInfo {
				name: str_array(self.name),
				max_deciding: self.max_deciding,
				decision_deposit: self.decision_deposit,
				prepare_period: periods.prepare,
				decision_period: periods.decision,
				confirm_period: periods.confirm,
				min_enactment_period: periods.enactment,
				min_approval: self.min_approval.clone(),
				min_support: self.min_support.clone(),
			},
		}
	}
}

const fn percent(x: u128) -> sp_runtime::FixedI64 {
	sp_runtime::FixedI64::from_rational(x, 100)
}

/// Root and spending of the treasury's largest sums: 80 % approval a seventh into the
/// decision, falling to 50 %; support from 50 % of the issuance falling linearly to 0.
const APPROVAL_STRICT: Curve =
	Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
const SUPPORT_STRICT: Curve = Curve::make_linear(28, 28, percent(0), percent(50));
/// Administrative tracks: approval from 100 % falling linearly to 50 % at 60 % of the
/// decision period; support 1 % at 40 % of it, tending to 0.
const APPROVAL_ADMIN: Curve = Curve::make_linear(17, 28, percent(50), percent(100));
const SUPPORT_ADMIN: Curve = Curve::make_reciprocal(12, 28, percent(1), percent(0), percent(50));
/// Smaller spends: approval reaching 50 % at 80 % of the decision period; support 1 % at
/// 60 % of it.
const APPROVAL_SPEND: Curve = Curve::make_linear(23, 28, percent(50), percent(100));
const SUPPORT_SPEND: Curve = Curve::make_reciprocal(16, 28, percent(1), percent(0), percent(50));
/// Whitelisted calls, vetted by the fellowship first: near-unanimous approval early (96 %),
/// but little support (20 % early, 5 % later), so an urgent fix can pass in hours.
const APPROVAL_WHITELISTED: Curve =
	Curve::make_reciprocal(16, 28 * 24, percent(96), percent(50), percent(100));
const SUPPORT_WHITELISTED: Curve =
	Curve::make_reciprocal(1, 28, percent(20), percent(5), percent(50));

/// Every development track: a referendum submitted with its decision deposit and enough
/// votes passes about 30 blocks later (a minute and a half of `--dev`'s blocks).
pub const DEVELOPMENT_PERIODS: Periods =
	Periods { prepare: 2, decision: 24, confirm: 2, enactment: 1 };

const fn admin(
	id: u16,
	name: &'static str,
	max_deciding: u32,
	deposit_btt: Balance,
	production: Periods,
) -> TrackSpec {
	TrackSpec {
		id,
		name,
		max_deciding,
		decision_deposit: deposit_btt * UNITS,
		production,
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_ADMIN,
		min_support: SUPPORT_ADMIN,
	}
}

/// The production periods of the BTT tracks: a week to decide, half a day to confirm.
const BTT_ADMIN_PERIODS: Periods = Periods {
	prepare: 2 * HOURS,
	decision: 7 * DAYS,
	confirm: 12 * HOURS,
	enactment: 10 * MINUTES,
};
/// The production periods of the system admin tracks: two weeks to decide, three hours to
/// confirm.
const SYSTEM_ADMIN_PERIODS: Periods = Periods {
	prepare: 2 * HOURS,
	decision: 14 * DAYS,
	confirm: 3 * HOURS,
	enactment: 10 * MINUTES,
};

/// The public tracks, by id. `TrackId`s are stable: clients and referenda in flight name them.
pub const TRACKS: [TrackSpec; 13] = [
	TrackSpec {
		id: 0,
		name: "root",
		max_deciding: 1,
		decision_deposit: 100_000 * UNITS,
		production: Periods {
			prepare: 2 * HOURS,
			decision: 14 * DAYS,
			confirm: DAYS,
			enactment: DAYS,
		},
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_STRICT,
		min_support: SUPPORT_STRICT,
	},
	TrackSpec {
		id: 1,
		name: "whitelisted_caller",
		max_deciding: 10,
		decision_deposit: 10_000 * UNITS,
		production: Periods {
			prepare: 30 * MINUTES,
			decision: 14 * DAYS,
			confirm: 10 * MINUTES,
			enactment: 10 * MINUTES,
		},
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_WHITELISTED,
		min_support: SUPPORT_WHITELISTED,
	},
	admin(10, "staking_admin", 10, 5_000, SYSTEM_ADMIN_PERIODS),
	TrackSpec {
		id: 11,
		name: "treasurer",
		max_deciding: 10,
		decision_deposit: 1_000 * UNITS,
		production: Periods {
			prepare: 2 * HOURS,
			decision: 14 * DAYS,
			confirm: 3 * HOURS,
			enactment: DAYS,
		},
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_STRICT,
		min_support: SUPPORT_STRICT,
	},
	admin(12, "fellowship_admin", 10, 5_000, SYSTEM_ADMIN_PERIODS),
	admin(
		20,
		"referendum_canceller",
		1_000,
		1_000,
		Periods { decision: 7 * DAYS, ..SYSTEM_ADMIN_PERIODS },
	),
	admin(21, "referendum_killer", 1_000, 5_000, SYSTEM_ADMIN_PERIODS),
	TrackSpec {
		id: 30,
		name: "small_spender",
		max_deciding: 50,
		decision_deposit: 100 * UNITS,
		production: Periods {
			prepare: HOURS,
			decision: 14 * DAYS,
			confirm: 12 * HOURS,
			enactment: DAYS,
		},
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_SPEND,
		min_support: SUPPORT_SPEND,
	},
	TrackSpec {
		id: 31,
		name: "big_spender",
		max_deciding: 50,
		decision_deposit: 2_000 * UNITS,
		production: Periods {
			prepare: 4 * HOURS,
			decision: 28 * DAYS,
			confirm: 2 * DAYS,
			enactment: DAYS,
		},
		development: DEVELOPMENT_PERIODS,
		min_approval: APPROVAL_STRICT,
		min_support: SUPPORT_STRICT,
	},
	admin(40, "compliance", 10, 1_000, BTT_ADMIN_PERIODS),
	admin(
		41,
		"clinical_models",
		10,
		1_000,
		Periods { confirm: DAYS, enactment: HOURS, ..BTT_ADMIN_PERIODS },
	),
	admin(42, "payments", 10, 1_000, BTT_ADMIN_PERIODS),
	admin(43, "rewards", 10, 1_000, BTT_ADMIN_PERIODS),
];

/// The public referenda's tracks.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		let pace = TrackPace::<Runtime>::get();
		TRACKS.iter().map(move |spec| Cow::Owned(spec.track(pace)))
	}

	fn track_for(origin: &OriginCaller) -> Result<u16, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(0),
			OriginCaller::Origins(origin) => match origin {
				Origin::WhitelistedCaller => Ok(1),
				Origin::StakingAdmin => Ok(10),
				Origin::Treasurer => Ok(11),
				Origin::FellowshipAdmin => Ok(12),
				Origin::ReferendumCanceller => Ok(20),
				Origin::ReferendumKiller => Ok(21),
				Origin::SmallSpender => Ok(30),
				Origin::BigSpender => Ok(31),
				Origin::Compliance => Ok(40),
				Origin::ClinicalModels => Ok(41),
				Origin::Payments => Ok(42),
				Origin::Rewards => Ok(43),
				// The fellowship's origin comes from its own referenda only.
				Origin::Fellows => Err(()),
			},
			_ => Err(()),
		}
	}
}

/// The fellowship's one track: members of rank 1 and up vote, one vote per member and rank.
pub const FELLOWS_TRACK: TrackSpec = TrackSpec {
	id: 1,
	name: "fellows",
	max_deciding: 10,
	decision_deposit: 10 * UNITS,
	production: Periods {
		prepare: 30 * MINUTES,
		decision: 7 * DAYS,
		confirm: 30 * MINUTES,
		enactment: MINUTES,
	},
	development: Periods { prepare: 1, decision: 10, confirm: 1, enactment: 1 },
	// Approval from 100 % falling to 60 % over the week; support (members of rank 1 and up
	// voting aye) from 50 % falling to 0.
	min_approval: Curve::make_linear(7, 7, percent(60), percent(100)),
	min_support: Curve::make_linear(7, 7, percent(0), percent(50)),
};

/// The fellowship referenda's tracks.
pub struct FellowshipTracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for FellowshipTracksInfo {
	type Id = u16;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		let pace = TrackPace::<Runtime>::get();
		core::iter::once(Cow::Owned(FELLOWS_TRACK.track(pace)))
	}

	fn track_for(origin: &OriginCaller) -> Result<u16, ()> {
		match origin {
			OriginCaller::Origins(Origin::Fellows) => Ok(FELLOWS_TRACK.id),
			_ => Err(()),
		}
	}
}
