//! The faces Taawun prints with, shipped in assets/fonts (SIL OFL, licence beside them): Taawun
//! Naskh for Arabic paragraphs (Noto Naskh Arabic, the naskh of Moroccan administrative
//! documents, with the Latin of Noto Sans merged in by tools/merge-fonts.py) and Noto Sans for
//! French text, each in regular and bold.

use rustybuzz::Face;

/// One of the embedded faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Arabic,
    ArabicBold,
    Latin,
    LatinBold,
}

impl FaceId {
    pub const ALL: [FaceId; 4] = [FaceId::Arabic, FaceId::ArabicBold, FaceId::Latin, FaceId::LatinBold];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The PostScript-style name of the face (the subset tag is added when embedding).
    pub fn base_name(self) -> &'static str {
        match self {
            FaceId::Arabic => "TaawunNaskh-Regular",
            FaceId::ArabicBold => "TaawunNaskh-Bold",
            FaceId::Latin => "NotoSans-Regular",
            FaceId::LatinBold => "NotoSans-Bold",
        }
    }

    /// The face's file, decompressed once per process from the brotli copy the build embeds.
    fn bytes(self) -> &'static [u8] {
        static FILES: std::sync::OnceLock<[Vec<u8>; 4]> = std::sync::OnceLock::new();
        const PACKED: [&[u8]; 4] = [
            include_bytes!(concat!(env!("OUT_DIR"), "/TaawunNaskh-Regular.ttf.br")),
            include_bytes!(concat!(env!("OUT_DIR"), "/TaawunNaskh-Bold.ttf.br")),
            include_bytes!(concat!(env!("OUT_DIR"), "/NotoSans-Regular.ttf.br")),
            include_bytes!(concat!(env!("OUT_DIR"), "/NotoSans-Bold.ttf.br")),
        ];
        let files = FILES.get_or_init(|| {
            PACKED.map(|z| {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut brotli_decompressor::Decompressor::new(z, 4096), &mut out)
                    .expect("shipped font");
                out
            })
        });
        &files[self.index()]
    }
}

/// The faces, parsed once.
pub struct Fonts {
    faces: Vec<Face<'static>>,
    /// Per face: (alef glyph, lam glyph, their composite), from Taawun Naskh's `Twlm` table.
    lam_alef: Vec<Vec<(u16, u16, u16)>>,
    /// Per face, its carrier glyphs (Taawun Naskh's `Twcr` table; none in the other faces).
    carriers: Vec<Carriers>,
    /// Per face, which of the first `COVERAGE_BITS` characters it has (Latin and Arabic, asked
    /// for each character of every paragraph), one bit each.
    coverage: Vec<[u64; COVERAGE_BITS / 64]>,
}

const COVERAGE_BITS: usize = 0x800;

impl Default for Fonts {
    fn default() -> Self {
        let faces: Vec<Face<'static>> =
            FaceId::ALL.iter().map(|f| Face::from_slice(f.bytes(), 0).expect("shipped fonts parse")).collect();
        let lam_alef = faces.iter().map(lam_alef_table).collect();
        let carriers = faces.iter().map(carrier_table).collect();
        let coverage = faces
            .iter()
            .map(|face| {
                let mut bits = [0u64; COVERAGE_BITS / 64];
                for c in (0..COVERAGE_BITS as u32).filter_map(char::from_u32) {
                    if face.glyph_index(c).is_some() {
                        bits[c as usize / 64] |= 1 << (c as usize % 64);
                    }
                }
                bits
            })
            .collect();
        Fonts { faces, lam_alef, carriers, coverage }
    }
}

/// Taawun Naskh's lam-alef composites (tools/merge-fonts.py): Naskh draws a lam-alef as a lam
/// glyph with an alef of no width laid over it; PDF viewers that place text by glyph widths
/// (pdf.js) read a glyph of no width after a space as a second space, so the pair is drawn as one
/// composite glyph of both.
fn lam_alef_table(face: &Face) -> Vec<(u16, u16, u16)> {
    let tag = rustybuzz::ttf_parser::Tag::from_bytes(b"Twlm");
    let Some(data) = face.raw_face().table(tag) else { return Vec::new() };
    let number = |c: &[u8]| u16::from_be_bytes([c[0], c[1]]);
    data.chunks_exact(6).map(|c| (number(&c[0..2]), number(&c[2..4]), number(&c[4..6]))).collect()
}

/// Taawun Naskh's carriers (tools/merge-fonts.py): per character, empty glyphs (no ink) of
/// widths 0, `step`, 2 `step` ... that carry a line's text on its baseline when the line itself is
/// drawn as outlines (carriers.rs).
#[derive(Default)]
struct Carriers {
    /// Font units between one width and the next.
    step: u16,
    /// Widths per character.
    count: u16,
    /// (code point, glyph of width 0), by code point.
    first: Vec<(u16, u16)>,
}

fn carrier_table(face: &Face) -> Carriers {
    let tag = rustybuzz::ttf_parser::Tag::from_bytes(b"Twcr");
    let Some(data) = face.raw_face().table(tag) else { return Carriers::default() };
    let number = |c: &[u8]| u16::from_be_bytes([c[0], c[1]]);
    if data.len() < 4 {
        return Carriers::default();
    }
    let first = data[4..].chunks_exact(4).map(|c| (number(&c[0..2]), number(&c[2..4]))).collect();
    Carriers { step: number(&data[0..2]), count: number(&data[2..4]), first }
}

/// Whether `c` is written in the Arabic script (letters, marks, Arabic punctuation and digits).
pub fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

impl Fonts {
    pub fn face(&self, id: FaceId) -> &Face<'static> {
        &self.faces[id.index()]
    }

    pub fn data(&self, id: FaceId) -> &'static [u8] {
        id.bytes()
    }

    pub fn units_per_em(&self, id: FaceId) -> f32 {
        self.face(id).units_per_em() as f32
    }

    /// The composite drawing `alef` laid over `lam` in one glyph, when the face has one.
    pub fn lam_alef(&self, id: FaceId, alef: u16, lam: u16) -> Option<u16> {
        self.lam_alef[id.index()].iter().find(|(a, l, _)| (*a, *l) == (alef, lam)).map(|(_, _, c)| *c)
    }

    /// The alef and lam glyphs a lam-alef composite is made of.
    pub fn lam_alef_parts(&self, id: FaceId, composite: u16) -> Option<(u16, u16)> {
        self.lam_alef[id.index()].iter().find(|(_, _, c)| *c == composite).map(|(a, l, _)| (*a, *l))
    }

    /// The carrier of `c` closest to `width` font units wide (never of no width when `width` is
    /// not nothing), and its own width, when the face has carriers for `c`.
    pub fn carrier(&self, id: FaceId, c: char, width: f32) -> Option<(u16, f32)> {
        let table = &self.carriers[id.index()];
        let code = u16::try_from(c as u32).ok()?;
        let at = table.first.binary_search_by_key(&code, |(c, _)| *c).ok()?;
        let step = f32::from(table.step);
        let widest = f32::from(table.count.checked_sub(1)?);
        let k = (width / step).round().clamp(if width > 0.0 { 1.0 } else { 0.0 }, widest);
        Some((table.first[at].1 + k as u16, k * step))
    }

    /// Font units between one carrier width and the next (none: the face has no carriers).
    pub fn carrier_step(&self, id: FaceId) -> Option<f32> {
        let step = self.carriers[id.index()].step;
        (step > 0).then_some(f32::from(step))
    }

    pub fn has(&self, id: FaceId, c: char) -> bool {
        match c as usize {
            n if n < COVERAGE_BITS => self.coverage[id.index()][n / 64] & (1 << (n % 64)) != 0,
            _ => self.face(id).glyph_index(c).is_some(),
        }
    }

    /// The face for `c`. In an Arabic paragraph, and in a right-to-left stretch of a French one,
    /// every character goes to the Arabic face (Taawun Naskh has Latin too) so that the line is
    /// one font: PDF viewers read text back one font at a time, and a line in two came back in
    /// pieces in the wrong order. Elsewhere Arabic letters go to the Arabic face and the rest to
    /// the Latin face; a character one face lacks goes to the other (and to the Latin face's
    /// missing-glyph box when neither has it: never a blank).
    pub fn face_for(&self, c: char, bold: bool, arabic_context: bool) -> FaceId {
        let (arabic, latin) =
            if bold { (FaceId::ArabicBold, FaceId::LatinBold) } else { (FaceId::Arabic, FaceId::Latin) };
        let order = if arabic_context || is_arabic(c) { [arabic, latin] } else { [latin, arabic] };
        order.into_iter().find(|f| self.has(*f, c)).unwrap_or(latin)
    }

    /// Ascender and descender of a face, in font units.
    pub fn metrics(&self, id: FaceId) -> (f32, f32) {
        let f = self.face(id);
        (f.ascender() as f32, f.descender() as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoInk;
    impl rustybuzz::ttf_parser::OutlineBuilder for NoInk {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }

    #[test]
    fn taawun_naskh_has_latin_empty_marks_and_lam_alef_composites() {
        let fonts = Fonts::default();
        for face in [FaceId::Arabic, FaceId::ArabicBold] {
            let ttf = fonts.face(face);
            for c in ['M', 'é', '(', '%', 'œ', '€'] {
                assert!(fonts.has(face, c), "{c} in {face:?}");
            }
            for mark in ['\u{F5FE}', '\u{F5FF}'] {
                let gid = ttf.glyph_index(mark).expect("the marks' glyphs");
                assert_eq!(ttf.glyph_hor_advance(gid), Some(0), "no width");
                assert!(ttf.outline_glyph(gid, &mut NoInk).is_none(), "no ink");
            }
            // Each composite is as wide as the lam and the alef it is made of.
            assert!(fonts.lam_alef[face.index()].len() >= 10, "{face:?}");
            for (alef, lam, both) in &fonts.lam_alef[face.index()] {
                let advance = |g: u16| ttf.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(g)).unwrap();
                assert_eq!(advance(*both), advance(*lam) + advance(*alef));
            }
        }
    }

    #[test]
    fn taawun_naskh_carries_every_character_of_its_ranges_on_empty_glyphs() {
        let fonts = Fonts::default();
        for face in [FaceId::Arabic, FaceId::ArabicBold] {
            let ttf = fonts.face(face);
            let step = fonts.carrier_step(face).expect("carriers");
            for c in ['ب', '\u{064E}', '\u{0651}', ' ', 'M', '%', '\u{200F}', '،'] {
                for wanted in [0.0, 10.0, 120.0, 333.0, 1999.0, 5000.0] {
                    let (gid, width) = fonts.carrier(face, c, wanted).expect("a carrier");
                    let gid = rustybuzz::ttf_parser::GlyphId(gid);
                    assert_eq!(f32::from(ttf.glyph_hor_advance(gid).unwrap()), width);
                    assert!(ttf.outline_glyph(gid, &mut NoInk).is_none(), "no ink");
                    assert!(
                        (width - wanted).abs() <= step / 2.0 || wanted > 2000.0 || (wanted < step && width == step)
                    );
                    assert_eq!(wanted == 0.0, width == 0.0);
                }
            }
            assert!(fonts.carrier(face, '漢', 100.0).is_none());
        }
        assert!(fonts.carrier_step(FaceId::Latin).is_none());
    }

    #[test]
    fn the_coverage_bits_say_what_the_cmap_says() {
        let fonts = Fonts::default();
        for face in FaceId::ALL {
            for c in (0..0x900u32).filter_map(char::from_u32) {
                assert_eq!(fonts.has(face, c), fonts.face(face).glyph_index(c).is_some(), "{c:?} {face:?}");
            }
        }
    }

    #[test]
    fn an_arabic_line_is_one_face() {
        let fonts = Fonts::default();
        for c in "بلدية (Mantes-la-Jolie) 35% 25/04/2018".chars() {
            assert_eq!(fonts.face_for(c, false, true), FaceId::Arabic, "{c}");
        }
        assert_eq!(fonts.face_for('M', false, false), FaceId::Latin);
        assert_eq!(fonts.face_for('ب', false, false), FaceId::Arabic);
    }
}
