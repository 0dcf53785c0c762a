//! The partners' map on paper: the same world the dashboard draws (ui/data/world-map.js, made by
//! tools/world-map.mjs from Natural Earth, Morocco drawn whole), read here from that one file so
//! that the window and the report never disagree on a border. Partner countries are shaded by
//! their number of partners and marked with it; the crop is Africa and Europe when every marked
//! country lies there, else the world.

use crate::typeset::figure::{Drawing, HAlign, Mark, Rgb};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const SOURCE: &str = include_str!("../../../ui/data/world-map.js");
const LAND: Rgb = (0.835, 0.863, 0.875);
const SEA: Rgb = (0.945, 0.965, 0.975);
const MARKER: Rgb = (0.753, 0.224, 0.169);
const WHITE: Rgb = (1.0, 1.0, 1.0);

/// The projected world: each country's rings and the place of its marker, in map units.
pub struct World {
    pub width: f32,
    pub height: f32,
    pub countries: BTreeMap<String, Vec<Vec<(f32, f32)>>>,
    pub centres: BTreeMap<String, (f32, f32)>,
}

/// A crop of the world map, in map units: x, y, width, height.
type View = (f32, f32, f32, f32);
/// Longitudes 26° W to 62° E, latitudes 37° S to 72° N (as the dashboard's view).
const AFRICA_EUROPE: View = (430.0, 28.0, 232.0, 344.0);

/// The shipped world, parsed once.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| parse(SOURCE).expect("the shipped world map parses"))
}

/// Reads `export const WORLD = {…};` (SVG paths of M, L and Z only, as the tool writes them).
fn parse(source: &str) -> Option<World> {
    let json: serde_json::Value = serde_json::from_str(&source[source.find('{')?..=source.rfind('}')?]).ok()?;
    let width = json.get("width")?.as_f64()? as f32;
    let height = json.get("height")?.as_f64()? as f32;
    let mut countries = BTreeMap::new();
    for (code, d) in json.get("countries")?.as_object()? {
        countries.insert(code.clone(), rings(d.as_str()?)?);
    }
    let mut centres = BTreeMap::new();
    for (code, xy) in json.get("centres")?.as_object()? {
        let xy = xy.as_array()?;
        centres.insert(code.clone(), (xy.first()?.as_f64()? as f32, xy.get(1)?.as_f64()? as f32));
    }
    Some(World { width, height, countries, centres })
}

fn rings(d: &str) -> Option<Vec<Vec<(f32, f32)>>> {
    let mut out: Vec<Vec<(f32, f32)>> = Vec::new();
    let mut rest = d.trim();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            'M' | 'L' => {
                let end = rest.find(['M', 'L', 'Z']).unwrap_or(rest.len());
                let mut numbers = rest[..end].split([' ', ',']).filter(|s| !s.is_empty());
                let x: f32 = numbers.next()?.parse().ok()?;
                let y: f32 = numbers.next()?.parse().ok()?;
                if c == 'M' {
                    out.push(vec![(x, y)]);
                } else {
                    out.last_mut()?.push((x, y));
                }
                rest = &rest[end..];
            }
            'Z' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A partner country on the map: how many partners, and what its marker's tip says.
pub struct Marked {
    pub country: String,
    pub partners: i64,
}

/// The map of `marked` countries, `width` points wide at most and `max_height` high at most.
pub fn map(marked: &[Marked], width: f32, max_height: f32, alt: String) -> Drawing {
    let w = world();
    let inside = |(x, y): (f32, f32), v: View| x >= v.0 && x <= v.0 + v.2 && y >= v.1 && y <= v.1 + v.3;
    let view: View = if !marked.is_empty()
        && marked.iter().all(|m| w.centres.get(&m.country).is_some_and(|c| inside(*c, AFRICA_EUROPE)))
    {
        AFRICA_EUROPE
    } else {
        (0.0, 0.0, w.width, w.height)
    };
    let scale = (width / view.2).min(max_height / view.3);
    let (dw, dh) = (view.2 * scale, view.3 * scale);
    let at = |(x, y): (f32, f32)| ((x - view.0) * scale, (y - view.1) * scale);
    let most = marked.iter().map(|m| m.partners).max().unwrap_or(1).max(1) as f32;
    let counts: BTreeMap<&str, i64> = marked.iter().map(|m| (m.country.as_str(), m.partners)).collect();
    // The sea, so that the crop shows as a frame; then the countries (partner countries shaded
    // by their share of the most partners, mixed with white rather than made transparent), then
    // the markers above every border.
    let mut marks = vec![Mark::Rect { x: 0.0, y: 0.0, w: dw, h: dh, fill: SEA }];
    for (code, country_rings) in &w.countries {
        let fill = match counts.get(code.as_str()) {
            Some(&n) => mix(super::charts::BRAND, 0.35 + 0.65 * n as f32 / most),
            None => LAND,
        };
        let rings = country_rings.iter().map(|r| r.iter().map(|p| at(*p)).collect()).collect();
        marks.push(Mark::Shape { rings, fill, stroke: Some((WHITE, 0.3)) });
    }
    let r = if view == AFRICA_EUROPE { 7.0 } else { 6.0 };
    for m in marked {
        let Some(&centre) = w.centres.get(&m.country) else { continue };
        let (cx, cy) = at(centre);
        marks.push(Mark::Circle { centre: (cx, cy), radius: r, fill: MARKER, stroke: Some((WHITE, 0.8)) });
        marks.push(Mark::Label {
            text: m.partners.to_string(),
            x: cx - r,
            y: cy - r,
            w: 2.0 * r,
            h: 2.0 * r,
            align: HAlign::Center,
            size: r * 1.15,
            bold: true,
            color: WHITE,
        });
    }
    Drawing { alt, width: dw, height: dh, clip: true, marks }
}

/// `color` at `strength` (0: white, 1: the colour itself).
fn mix((r, g, b): Rgb, strength: f32) -> Rgb {
    let s = strength.clamp(0.0, 1.0);
    (1.0 - s * (1.0 - r), 1.0 - s * (1.0 - g), 1.0 - s * (1.0 - b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_world_has_morocco_whole_and_the_partners_countries() {
        let w = world();
        assert_eq!((w.width, w.height), (1000.0, 438.0));
        for code in ["MA", "ML", "SN", "FR", "BR", "JP"] {
            assert!(w.countries.contains_key(code), "{code}");
            assert!(w.centres.contains_key(code), "{code}");
        }
        assert!(!w.countries.contains_key("EH"), "the southern provinces are Morocco's");
        // Morocco reaches south to about 21° N (Lagouira): its southernmost point lies well below
        // the latitude of Tarfaya (27.7° N), y growing southwards.
        let (_, ma_y) = w.centres["MA"];
        let south = w.countries["MA"].iter().flatten().map(|p| p.1).fold(f32::MIN, f32::max);
        assert!(south > ma_y + 20.0, "Morocco's south at {south}, its centre at {ma_y}");
    }

    #[test]
    fn a_map_of_african_and_european_partners_is_cropped_to_them() {
        let marked = vec![Marked { country: "ML".into(), partners: 1 }, Marked { country: "FR".into(), partners: 2 }];
        let d = map(&marked, 483.0, 330.0, String::new());
        assert!(d.clip && d.height <= 330.5 && d.width <= 483.5);
        assert!(d.width < d.height, "Africa and Europe stand upright: {} × {}", d.width, d.height);
        let circles = d.marks.iter().filter(|m| matches!(m, Mark::Circle { .. })).count();
        assert_eq!(circles, 2);
        let world = map(&[Marked { country: "BR".into(), partners: 1 }], 483.0, 330.0, String::new());
        assert!(world.width > world.height, "the world lies wide");
    }

    #[test]
    fn paths_read_as_rings() {
        let r = rings("M1 2L3 4L5 6ZM7 8L9 10Z").unwrap();
        assert_eq!(r, vec![vec![(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)], vec![(7.0, 8.0), (9.0, 10.0)]]);
        assert!(rings("M1 2C3 4").is_none(), "curves are not what the tool writes");
    }
}
