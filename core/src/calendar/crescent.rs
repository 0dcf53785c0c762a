//! The crescent over Morocco: whether the new Moon can be seen at sunset from the Kingdom on a
//! given evening, the forecast of the Hijri months the Ministry of Habous has not yet announced.
//!
//! The Ministry declares a month begun when the crescent is seen, after sunset on the 29th,
//! anywhere in the Kingdom (else the month completes 30 days). So the forecast evaluates a
//! published visibility criterion, Odeh's (M. Odeh, "New criterion for lunar crescent
//! visibility", Experimental Astronomy 18, 2004; the zones of his 2006 tables), at sites spread
//! over the country, at each site's best time (sunset plus four ninths of the lag, Yallop 1997).
//! The Moon's and the Sun's places are Meeus's (*Astronomical Algorithms*, 2nd ed.: ch. 47 with
//! its full series, ch. 40 for the parallax, ch. 25 for the Sun) as the `skymath` crate computes
//! them; the rising and setting instants are solved here. Results are kept for the process: an
//! evening's answer never changes.

use chrono::NaiveDate;
use skymath::{alt_az, moon_distance_km, moon_position_topocentric, separation, sun_position, Angle, Location};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use time::OffsetDateTime;

/// A place the Ministry's observers watch from: a delegation of Islamic affairs or an army unit.
#[derive(Clone, Copy, Debug)]
pub struct Site {
    pub name: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub elevation_m: f64,
}

/// Sites from the Mediterranean to the far south-west. The crescent is seen first where the Sun
/// sets last, so the south-western sites decide most months; Oujda and Tangier bound the north-east.
pub const SITES: [Site; 8] = [
    Site { name: "Dakhla", latitude: 23.684, longitude: -15.958, elevation_m: 10.0 },
    Site { name: "Laayoune", latitude: 27.125, longitude: -13.162, elevation_m: 60.0 },
    Site { name: "Guelmim", latitude: 28.987, longitude: -10.057, elevation_m: 300.0 },
    Site { name: "Agadir", latitude: 30.420, longitude: -9.598, elevation_m: 30.0 },
    Site { name: "Marrakech", latitude: 31.630, longitude: -8.008, elevation_m: 460.0 },
    Site { name: "Rabat", latitude: 34.020, longitude: -6.841, elevation_m: 50.0 },
    Site { name: "Tangier", latitude: 35.767, longitude: -5.800, elevation_m: 80.0 },
    Site { name: "Oujda", latitude: 34.681, longitude: -1.908, elevation_m: 470.0 },
];

/// Odeh's zones: A seen by the naked eye, B seen by optical aid and possibly by the naked eye,
/// C by optical aid only, D not seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Zone {
    D,
    C,
    B,
    A,
}

/// The crescent at one site's best time.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Sighting {
    pub site: &'static str,
    /// Odeh's V: the arc of vision above the criterion's curve, in degrees.
    pub v: f64,
    pub zone: Zone,
    /// Topocentric arc of vision (Moon's altitude above the Sun's), degrees.
    pub arcv: f64,
    /// Topocentric crescent width, arc minutes.
    pub width: f64,
    /// Minutes from sunset to moonset.
    pub lag_minutes: f64,
}

/// Odeh's V for an arc of vision `arcv` (degrees) and a crescent width `w` (arc minutes).
pub fn odeh_v(arcv: f64, w: f64) -> f64 {
    arcv - (-0.1018 * w.powi(3) + 0.7319 * w.powi(2) - 6.3226 * w + 7.1651)
}

pub fn odeh_zone(v: f64) -> Zone {
    if v >= 5.65 {
        Zone::A
    } else if v >= 2.0 {
        Zone::B
    } else if v >= -0.96 {
        Zone::C
    } else {
        Zone::D
    }
}

/// The Sun's centre at apparent sunset, and the Moon's at apparent moonset (34′ of refraction and
/// about 16′ of semi-diameter), as geometric altitudes in degrees.
const HORIZON: f64 = -0.8333;

fn instant(day: NaiveDate, seconds_utc: f64) -> OffsetDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp();
    OffsetDateTime::from_unix_timestamp(midnight + seconds_utc.round() as i64).expect("date in range")
}

fn location(site: &Site) -> Location {
    Location::new(Angle::from_degrees(site.latitude), Angle::from_degrees(site.longitude), site.elevation_m)
        .expect("the sites are on Earth")
}

fn sun_altitude(at: OffsetDateTime, place: &Location) -> f64 {
    alt_az(sun_position(at), at, place).altitude.degrees()
}

fn moon_altitude(at: OffsetDateTime, place: &Location) -> f64 {
    alt_az(moon_position_topocentric(at, place), at, place).altitude.degrees()
}

/// The instant (seconds after 0h UTC of `day`) a body's altitude falls through `HORIZON`
/// between `from` and `to`, scanning in 10-minute steps then halving to a second.
fn setting(day: NaiveDate, from: f64, to: f64, altitude: impl Fn(OffsetDateTime) -> f64) -> Option<f64> {
    let above = |s: f64| altitude(instant(day, s)) > HORIZON;
    let mut t = from;
    let mut was_above = above(t);
    while t < to {
        let next = (t + 600.0).min(to);
        let now_above = above(next);
        if was_above && !now_above {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1.0 {
                let mid = (lo + hi) / 2.0;
                if above(mid) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return Some(hi);
        }
        was_above = now_above;
        t = next;
    }
    None
}

/// Sunset at `site` on `day`, in seconds after 0h UTC (every Moroccan sunset falls between 16h
/// and 21h UTC; the scan starts before and ends after).
pub fn sunset(day: NaiveDate, site: &Site) -> Option<f64> {
    let place = location(site);
    setting(day, 15.5 * 3600.0, 22.0 * 3600.0, |at| sun_altitude(at, &place))
}

/// The crescent at `site` on the evening of `day`, or None when the Moon sets before the Sun
/// (or has not passed the Sun yet): nothing to see.
pub fn sighting(day: NaiveDate, site: &Site) -> Option<Sighting> {
    let place = location(site);
    let sunset = sunset(day, site)?;
    let at_sunset = instant(day, sunset);
    // A Moon still west of the Sun is the old one.
    if moon_altitude(at_sunset, &place) <= HORIZON {
        return None;
    }
    let moonset = setting(day, sunset, sunset + 6.0 * 3600.0, |at| moon_altitude(at, &place))?;
    let lag = moonset - sunset;
    let best = instant(day, sunset + lag * 4.0 / 9.0);
    let sun = sun_position(best);
    let moon = moon_position_topocentric(best, &place);
    let (sun_h, moon_h) = (alt_az(sun, best, &place).altitude, alt_az(moon, best, &place).altitude);
    let arcv = moon_h.degrees() - sun_h.degrees();
    let arcl = separation(moon, sun).radians();
    // Semi-diameter from the horizontal parallax (Yallop's 0.27245 π), enlarged by the Moon's
    // altitude (it is nearer the observer than the Earth's centre).
    let parallax = (6378.14 / moon_distance_km(best)).asin();
    let semi_diameter = 0.27245 * parallax.to_degrees() * 60.0 * (1.0 + moon_h.radians().sin() * parallax.sin());
    let width = semi_diameter * (1.0 - arcl.cos());
    let v = odeh_v(arcv, width);
    Some(Sighting { site: site.name, v, zone: odeh_zone(v), arcv, width, lag_minutes: lag / 60.0 })
}

/// The best sighting over Morocco on the evening of `day` (None: the Moon sets first everywhere).
pub fn best_sighting(day: NaiveDate) -> Option<Sighting> {
    static EVENINGS: OnceLock<Mutex<HashMap<NaiveDate, Option<Sighting>>>> = OnceLock::new();
    let evenings = EVENINGS.get_or_init(Default::default);
    if let Some(known) = evenings.lock().unwrap_or_else(|e| e.into_inner()).get(&day) {
        return *known;
    }
    let best = SITES
        .iter()
        .filter_map(|site| sighting(day, site))
        .max_by(|a, b| a.v.partial_cmp(&b.v).unwrap_or(std::cmp::Ordering::Equal));
    evenings.lock().unwrap_or_else(|e| e.into_inner()).insert(day, best);
    best
}

/// Whether the forecast says the Ministry will see the crescent on the evening of `day`: Odeh's
/// zone B or A (seen by the naked eye, or possibly so) at some site. Back-tested on every
/// announced month whose month before is announced too (`cargo test -p taawun-core --test
/// hijri_months -- --nocapture` prints both choices and their misses): zone A alone misses the
/// months Morocco saw in zone B; zone B misses only evenings at its weak end that Morocco did not.
pub fn seen_in_morocco(day: NaiveDate) -> bool {
    best_sighting(day).is_some_and(|s| s.zone >= VISIBLE)
}

/// The weakest zone the forecast counts as seen.
pub const VISIBLE: Zone = Zone::B;

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rabat() -> &'static Site {
        SITES.iter().find(|s| s.name == "Rabat").unwrap()
    }

    fn hm(seconds: f64) -> (i64, i64) {
        let m = (seconds / 60.0).round() as i64;
        (m / 60, m % 60)
    }

    #[test]
    fn sunsets_at_rabat_as_published() {
        // Sunset at Rabat (34.02 N, 6.84 W) as PyEphem 4.2 (libastro, VSOP87: an independent
        // implementation) gives it for the Sun's centre at -0°50′: 21 June 2024 at 19:42:00 UTC,
        // 21 December 2024 at 17:22:16 UTC.
        for (day, published) in [(ymd(2024, 6, 21), (19, 42)), (ymd(2024, 12, 21), (17, 22))] {
            let (h, m) = hm(sunset(day, rabat()).unwrap());
            let minutes = h * 60 + m;
            let expected = published.0 * 60 + published.1;
            assert!((minutes - expected).abs() <= 1, "{day}: {h}:{m:02} against {published:?}");
        }
    }

    #[test]
    fn odeh_criterion_zones() {
        // The curve crosses ARCV 7.17° at W = 0; a 0.3′ crescent 12° above the Sun is naked-eye.
        assert!((odeh_v(7.1651, 0.0)).abs() < 1e-9);
        assert_eq!(odeh_zone(odeh_v(12.0, 0.3)), Zone::A);
        assert_eq!(odeh_zone(odeh_v(8.0, 0.2)), Zone::B);
        assert_eq!(odeh_zone(odeh_v(6.0, 0.1)), Zone::C);
        assert_eq!(odeh_zone(odeh_v(3.0, 0.1)), Zone::D);
    }

    #[test]
    fn evenings_the_ministry_reported() {
        // 10 March 2024 (29 Sha'ban 1445, conjunction at 09:00 UTC that morning): not seen, and
        // no criterion gives it. 9 April 2024 (29 Ramadan 1445, the Moon 27 h old): seen.
        assert!(!seen_in_morocco(ymd(2024, 3, 10)));
        assert!(seen_in_morocco(ymd(2024, 4, 9)));
        // The evening before a conjunction: the Moon sets before the Sun everywhere.
        assert!(best_sighting(ymd(2024, 4, 7)).is_none());
        let s = best_sighting(ymd(2024, 4, 9)).unwrap();
        assert!(s.lag_minutes > 40.0 && s.width > 0.2, "{s:?}");
    }
}
