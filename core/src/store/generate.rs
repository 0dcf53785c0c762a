//! Synthetic but realistic records for benchmarks and trials (`taawun-cli generate`):
//! partners named after real cities in Arabic and Latin script, agreements of every kind and
//! status with Arabic and French titles, written through the same functions as real records.

use super::{agreements, partners};
use crate::error::Result;
use crate::model::*;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Options {
    pub partners: u32,
    pub agreements: u32,
    pub seed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Generated {
    pub partners: u32,
    pub agreements: u32,
}

/// (Arabic name, Latin name, country)
const CITIES: &[(&str, &str, &str)] = &[
    ("داكار", "Dakar", "SN"), ("كيدياوي", "Guédiawaye", "SN"), ("سان لويس", "Saint-Louis", "SN"), ("باماكو", "Bamako", "ML"),
    ("تمبكتو", "Tombouctou", "ML"), ("نواكشوط", "Nouakchott", "MR"), ("أبيدجان", "Abidjan", "CI"), ("ياموسوكرو", "Yamoussoukro", "CI"),
    ("واغادوغو", "Ouagadougou", "BF"), ("نيامي", "Niamey", "NE"), ("ليبرفيل", "Libreville", "GA"), ("كيغالي", "Kigali", "RW"),
    ("تونس", "Tunis", "TN"), ("صفاقس", "Sfax", "TN"), ("كوناكري", "Conakry", "GN"), ("ياوندي", "Yaoundé", "CM"),
    ("مونت لاجولي", "Mantes-la-Jolie", "FR"), ("ليون", "Lyon", "FR"), ("بوردو", "Bordeaux", "FR"), ("مونبولييه", "Montpellier", "FR"),
    ("أورليان", "Orléans", "FR"), ("مرسيليا", "Marseille", "FR"), ("إشبيلية", "Sevilla", "ES"), ("غرناطة", "Granada", "ES"),
    ("ملقة", "Málaga", "ES"), ("برشلونة", "Barcelona", "ES"), ("لشبونة", "Lisboa", "PT"), ("بروكسل", "Bruxelles", "BE"),
    ("لييج", "Liège", "BE"), ("روتردام", "Rotterdam", "NL"), ("أوتريخت", "Utrecht", "NL"), ("تورينو", "Torino", "IT"),
    ("جنوة", "Genova", "IT"), ("مونتريال", "Montréal", "CA"), ("كيبيك", "Québec", "CA"), ("إسطنبول", "İstanbul", "TR"),
    ("القاهرة", "Le Caire", "EG"), ("عمان", "Amman", "JO"), ("رام الله", "Ramallah", "PS"), ("نانت", "Nantes", "FR"),
];

const KINDS: &[PartnerKind] = &[PartnerKind::ForeignCollectivity, PartnerKind::ForeignCollectivity, PartnerKind::ForeignCollectivity, PartnerKind::ForeignNgo, PartnerKind::LocalGovOrganisation, PartnerKind::PublicBody];
const AREAS: &[&str] = &["التكوين", "الثقافة", "البيئة", "التنمية الاجتماعية", "الشباب", "السياحة", "الحكامة المحلية", "الماء والتطهير", "الرياضة", "الاقتصاد الاجتماعي والتضامني"];
const FORMS_AR: &[&str] = &["جماعة", "بلدية", "مدينة", "جهة", "جمعية"];
const FORMS_FR: &[&str] = &["Commune de", "Ville de", "Municipalité de", "Région de", "Association de"];

/// A small deterministic generator (SplitMix64), so a seed gives the same data everywhere.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub(crate) fn generate(c: &Connection, opts: &Options) -> Result<Generated> {
    let mut rng = Rng(opts.seed);
    // New agreements link to the partners generated here, or to the existing ones if none are.
    let mut partner_ids: Vec<i64> = if opts.partners > 0 {
        Vec::new()
    } else {
        c.prepare("SELECT id FROM partner WHERE deleted_at IS NULL")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    for i in 0..opts.partners {
        let (ar, latin, country) = *rng.pick(CITIES);
        let form = rng.below(FORMS_AR.len());
        let data = PartnerData {
            kind: *rng.pick(KINDS),
            name_ar: format!("{} {} {}", FORMS_AR[form], ar, i + 1),
            name_latin: format!("{} {} {}", FORMS_FR[form], latin, i + 1),
            country: country.into(),
            region: String::new(),
            city: latin.into(),
            address: String::new(),
            contacts: vec![],
            notes: String::new(),
        }
        .validate()?;
        partner_ids.push(partners::insert_partner(c, &data, false)?);
    }
    if partner_ids.is_empty() && opts.agreements > 0 {
        return Err(crate::Error::invalid("partners", crate::error::Rule::Required));
    }
    let kinds = AgreementKind::ALL;
    let statuses = AgreementStatus::ALL;
    for i in 0..opts.agreements {
        let kind = *rng.pick(kinds);
        let mut parties = vec![*rng.pick(&partner_ids)];
        if kind == AgreementKind::Tripartite {
            let other = *rng.pick(&partner_ids);
            if other != parties[0] {
                parties.push(other);
            } else if partner_ids.len() > 1 {
                parties.push(partner_ids[(partner_ids.iter().position(|p| *p == other).unwrap_or(0) + 1) % partner_ids.len()]);
            }
            if parties.len() < 2 {
                continue;
            }
        }
        let year = 2000 + rng.below(27) as i32;
        let month = 1 + rng.below(12) as u32;
        let day = 1 + rng.below(28) as u32;
        let area = *rng.pick(AREAS);
        let data = AgreementData {
            kind,
            title_ar: format!("اتفاقية {} في مجال {} رقم {}", if kind == AgreementKind::Twinning { "توأمة" } else { "شراكة وتعاون" }, area, i + 1),
            title_fr: format!("Convention de {} n° {}", if kind == AgreementKind::Twinning { "jumelage" } else { "partenariat et coopération" }, i + 1),
            legal_basis: "المادة 94 من القانون التنظيمي رقم 112.14".into(),
            reference: format!("{year}/{:05}", i + 1),
            parties,
            areas: vec![area.into()],
            signed_on: format!("{year:04}-{month:02}-{day:02}"),
            signed_at: "الرباط".into(),
            effective_from: String::new(),
            duration_months: Some([12, 36, 60, 120][rng.below(4)]),
            end_on: String::new(),
            tacit_renewal: rng.below(2) == 0,
            notes: String::new(),
        };
        let status = *rng.pick(statuses);
        agreements::insert_agreement(c, &data, status, Some(&data.signed_on.clone()), false)?;
    }
    Ok(Generated { partners: opts.partners, agreements: opts.agreements })
}
