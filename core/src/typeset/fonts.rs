//! The faces Taawun prints with, shipped in assets/fonts (SIL OFL, licence beside them): Noto
//! Naskh Arabic for Arabic (the naskh of Moroccan administrative documents) and Noto Sans for
//! Latin text, each in regular and bold. A character goes to the first face that has it, Arabic
//! letters to the Arabic face first; neutral characters (spaces, digits, punctuation) stay in the
//! face of the text around them when it has them, so a run is not cut needlessly.

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
            FaceId::Arabic => "NotoNaskhArabic-Regular",
            FaceId::ArabicBold => "NotoNaskhArabic-Bold",
            FaceId::Latin => "NotoSans-Regular",
            FaceId::LatinBold => "NotoSans-Bold",
        }
    }

    /// The face's file, decompressed once per process from the brotli copy the build embeds.
    fn bytes(self) -> &'static [u8] {
        static FILES: std::sync::OnceLock<[Vec<u8>; 4]> = std::sync::OnceLock::new();
        const PACKED: [&[u8]; 4] = [
            include_bytes!(concat!(env!("OUT_DIR"), "/NotoNaskhArabic-Regular.ttf.br")),
            include_bytes!(concat!(env!("OUT_DIR"), "/NotoNaskhArabic-Bold.ttf.br")),
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
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            faces: FaceId::ALL.iter().map(|f| Face::from_slice(f.bytes(), 0).expect("shipped fonts parse")).collect(),
        }
    }
}

/// Whether `c` is written in the Arabic script (letters, marks, Arabic punctuation and digits).
pub fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Characters that take the face of their neighbours.
fn is_neutral(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_digit()
        || c.is_ascii_punctuation()
        || matches!(c, '«' | '»' | '–' | '—' | '…' | '•' | '·' | '\u{00A0}' | '\u{202F}')
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

    pub fn has(&self, id: FaceId, c: char) -> bool {
        self.face(id).glyph_index(c).is_some()
    }

    /// The face for `c`: Arabic letters to the Arabic face, neutrals to `previous` when it has
    /// them, the rest to the Latin face, falling back on whichever face has the character (and
    /// on the Latin face's missing-glyph box when none has it: never a blank).
    pub fn face_for(&self, c: char, bold: bool, previous: Option<FaceId>) -> FaceId {
        let (arabic, latin) =
            if bold { (FaceId::ArabicBold, FaceId::LatinBold) } else { (FaceId::Arabic, FaceId::Latin) };
        if let Some(p) = previous {
            if is_neutral(c) && self.has(p, c) {
                return p;
            }
        }
        let order = if is_arabic(c) { [arabic, latin] } else { [latin, arabic] };
        order.into_iter().find(|f| self.has(*f, c)).unwrap_or(latin)
    }

    /// Ascender and descender of a face, in font units.
    pub fn metrics(&self, id: FaceId) -> (f32, f32) {
        let f = self.face(id);
        (f.ascender() as f32, f.descender() as f32)
    }
}
