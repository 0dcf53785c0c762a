//! Synthetic but realistic records for benchmarks and trials (`taawun-cli generate`):
//! partners named after real cities in Arabic and Latin script, agreements of every kind and
//! status with Arabic and French titles, written through the same functions as real records.

use super::Store;
use super::{agreements, deliberations, partners, sessions};
use crate::error::Result;
use crate::model::*;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Options {
    pub partners: u32,
    pub agreements: u32,
    pub seed: u64,
    #[serde(default)]
    pub sessions: u32,
    #[serde(default)]
    pub points_per_session: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Generated {
    pub partners: u32,
    pub agreements: u32,
    pub sessions: u32,
    pub points: u32,
    pub deliberations: u32,
}

/// (Arabic name, Latin name, country)
const CITIES: &[(&str, &str, &str)] = &[
    ("داكار", "Dakar", "SN"),
    ("كيدياوي", "Guédiawaye", "SN"),
    ("سان لويس", "Saint-Louis", "SN"),
    ("باماكو", "Bamako", "ML"),
    ("تمبكتو", "Tombouctou", "ML"),
    ("نواكشوط", "Nouakchott", "MR"),
    ("أبيدجان", "Abidjan", "CI"),
    ("ياموسوكرو", "Yamoussoukro", "CI"),
    ("واغادوغو", "Ouagadougou", "BF"),
    ("نيامي", "Niamey", "NE"),
    ("ليبرفيل", "Libreville", "GA"),
    ("كيغالي", "Kigali", "RW"),
    ("تونس", "Tunis", "TN"),
    ("صفاقس", "Sfax", "TN"),
    ("كوناكري", "Conakry", "GN"),
    ("ياوندي", "Yaoundé", "CM"),
    ("مونت لاجولي", "Mantes-la-Jolie", "FR"),
    ("ليون", "Lyon", "FR"),
    ("بوردو", "Bordeaux", "FR"),
    ("مونبولييه", "Montpellier", "FR"),
    ("أورليان", "Orléans", "FR"),
    ("مرسيليا", "Marseille", "FR"),
    ("إشبيلية", "Sevilla", "ES"),
    ("غرناطة", "Granada", "ES"),
    ("ملقة", "Málaga", "ES"),
    ("برشلونة", "Barcelona", "ES"),
    ("لشبونة", "Lisboa", "PT"),
    ("بروكسل", "Bruxelles", "BE"),
    ("لييج", "Liège", "BE"),
    ("روتردام", "Rotterdam", "NL"),
    ("أوتريخت", "Utrecht", "NL"),
    ("تورينو", "Torino", "IT"),
    ("جنوة", "Genova", "IT"),
    ("مونتريال", "Montréal", "CA"),
    ("كيبيك", "Québec", "CA"),
    ("إسطنبول", "İstanbul", "TR"),
    ("القاهرة", "Le Caire", "EG"),
    ("عمان", "Amman", "JO"),
    ("رام الله", "Ramallah", "PS"),
    ("نانت", "Nantes", "FR"),
];

const KINDS: &[PartnerKind] = &[
    PartnerKind::ForeignCollectivity,
    PartnerKind::ForeignCollectivity,
    PartnerKind::ForeignCollectivity,
    PartnerKind::ForeignNgo,
    PartnerKind::LocalGovOrganisation,
    PartnerKind::PublicBody,
];
const AREAS: &[&str] = &[
    "التكوين",
    "الثقافة",
    "البيئة",
    "التنمية الاجتماعية",
    "الشباب",
    "السياحة",
    "الحكامة المحلية",
    "الماء والتطهير",
    "الرياضة",
    "الاقتصاد الاجتماعي والتضامني",
];
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
        c.prepare("SELECT id FROM partner WHERE deleted_at IS NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for i in 0..opts.partners {
        let (ar, latin, country) = *rng.pick(CITIES);
        let form = rng.below(FORMS_AR.len());
        let data = PartnerData {
            kind: *rng.pick(KINDS),
            name_ar: format!("{} {} {}", FORMS_AR[form], ar, i + 1),
            name_latin: format!("{} {} {}", FORMS_FR[form], latin, i + 1),
            short_name: String::new(),
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
                parties.push(
                    partner_ids[(partner_ids.iter().position(|p| *p == other).unwrap_or(0) + 1) % partner_ids.len()],
                );
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
            title_ar: format!(
                "اتفاقية {} في مجال {} رقم {}",
                if kind == AgreementKind::Twinning { "توأمة" } else { "شراكة وتعاون" },
                area,
                i + 1
            ),
            title_fr: format!(
                "Convention de {} n° {}",
                if kind == AgreementKind::Twinning { "jumelage" } else { "partenariat et coopération" },
                i + 1
            ),
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
    let (points, deliberations) = generate_sessions(c, opts, &mut rng)?;
    Ok(Generated {
        partners: opts.partners,
        agreements: opts.agreements,
        sessions: opts.sessions,
        points,
        deliberations,
    })
}

const NOTES_AR: &[&str] = &[
    "تندرج هذه النقطة في إطار تفعيل مقتضيات المادة 94 من القانون التنظيمي رقم 112.14 المتعلق بالعمالات والأقاليم، وتهدف إلى تعزيز التعاون اللامركزي مع الشريك في مجال {area}.",
    "يعرض على أنظار المجلس مشروع اتفاقية شراكة وتعاون يحدد التزامات الأطراف وآجال التنفيذ وكيفيات التتبع والتقييم في مجال {area}.",
    "بعد دراسة المشروع من طرف اللجنة المختصة، يقترح على المجلس المصادقة عليه قصد الشروع في إنجاز الأنشطة المبرمجة في مجال {area}.",
];

/// Sessions going back from this year: three ordinary ones a year (on the opening day of January,
/// June, September, art. 34) and an extraordinary one now and then; each with points on existing
/// agreements, Arabic presentation notes and votes; older sessions notified, received, with visas.
fn generate_sessions(c: &Connection, opts: &Options, rng: &mut Rng) -> Result<(u32, u32)> {
    if opts.sessions == 0 {
        return Ok((0, 0));
    }
    let agreement_ids: Vec<i64> = c
        .prepare("SELECT id FROM agreement WHERE deleted_at IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let legal = super::legal::legal_settings(c)?;
    let rules = super::legal::holiday_rules(c)?;
    let days = crate::calendar::WorkingDays::new(&rules);
    let legal = crate::model::LegalSettings { number_pattern: "{year}/{seq}-G".into(), ..legal };
    let (mut points, mut decided) = (0, 0);
    let this_year = chrono::Datelike::year(&crate::calendar::today());
    for i in 0..opts.sessions {
        let ordinary = rng.below(5) != 0;
        // Spread over the years since 2000 (several sessions a year at large counts: synthetic data).
        let year = this_year - (i % (this_year - 1999) as u32) as i32;
        let month = if ordinary { *rng.pick(&crate::law::ORDINARY_MONTHS) } else { [3, 4, 10, 11, 12][rng.below(5)] };
        let first = crate::law::opening_day(year, month, &days).expect("a second Monday");
        let data = SessionData {
            kind: if ordinary { SessionKind::Ordinary } else { SessionKind::Extraordinary },
            year,
            month,
            number: (!ordinary).then_some(1 + rng.below(3) as u32),
            sittings: vec![Sitting {
                held_on: first.to_string(),
                time: "10:00".into(),
                place: "مقر العمالة".into(),
                ..Sitting::default()
            }],
            convocation_on: (first - chrono::Days::new(12)).to_string(),
            members_in_office: Some(31),
            ..SessionData::default()
        }
        .validate()?;
        let session = sessions::insert_session(c, &data, false)?;
        let past = first < crate::calendar::today();
        for _ in 0..opts.points_per_session {
            let area = *rng.pick(AREAS);
            let subject =
                (!agreement_ids.is_empty()).then(|| Subject { kind: Entity::Agreement, id: *rng.pick(&agreement_ids) });
            let point = PointData {
                subject,
                title: if subject.is_none() { format!("نقطة في مجال {area}") } else { String::new() },
                rapporteur: "رئيس لجنة الشراكة والتعاون".into(),
                note_ar: rng.pick(NOTES_AR).replace("{area}", area),
                note_fr: String::new(),
                reexamines: None,
            }
            .validate()?;
            let point_id = sessions::insert_point(c, session, &point, false)?;
            points += 1;
            if !past {
                continue;
            }
            let present = 18 + rng.below(13) as u32;
            let against = rng.below(4) as u32;
            let abstain = rng.below(3) as u32;
            let vote = DeliberationData {
                number: String::new(),
                decided_on: first.to_string(),
                members_present: present,
                votes_for: present - against - abstain,
                votes_against: against,
                abstentions: abstain,
                outcome: Outcome::Approved,
                ..DeliberationData::default()
            };
            let id = deliberations::deliberate(c, point_id, vote, &legal, false)?;
            decided += 1;
            if rng.below(10) < 8 {
                let visa = VisaData {
                    status: VisaStatus::Granted,
                    on: (first + chrono::Days::new(30)).to_string(),
                    reference: format!("{}/{}", year, id),
                };
                let needs: String =
                    c.query_row("SELECT visa_status FROM deliberation WHERE id = ?1", [id], |r| r.get(0))?;
                if needs == "pending" {
                    deliberations::record_visa(c, id, visa)?;
                }
            }
        }
        if past && rng.below(10) < 9 {
            let sent = first + chrono::Days::new(7);
            sessions::record_notification(c, session, &sent.to_string(), &(sent + chrono::Days::new(2)).to_string())?;
        }
    }
    Ok((points, decided))
}

/// Writes an agreements registry as a council keeps it in Excel, for import benchmarks and
/// trials: `rows` rows with Arabic and French titles, references, one party by its Latin name
/// (the partners of `store`, in turn), dates typed four ways (an Excel serial among them) and
/// statuses as codes or labels in Arabic and French.
pub fn registry_xlsx(store: &super::Store, rows: u32, out: &std::path::Path) -> Result<()> {
    let mut names: Vec<String> = super::partners::list_partners(
        store.conn(),
        &super::ListQuery { limit: Some(super::ListQuery::MAX_LIMIT), ..Default::default() },
    )?
    .items
    .into_iter()
    .map(|p| p.name_latin)
    .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Err(crate::Error::invalid("parties", crate::error::Rule::TooFewParties));
    }
    let x = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["العنوان", "Intitulé", "رقم المرجع", "الشريك", "تاريخ التوقيع", "الوضعية"].iter().enumerate()
    {
        sheet.write_string(0, c as u16, *h).map_err(x)?;
    }
    for i in 0..rows {
        let (y, m, d) = (2000 + i % 25, 1 + i % 12, 1 + i % 28);
        let date = match i % 4 {
            0 => format!("{d:02}/{m:02}/{y}"),
            1 => format!("{y}-{m:02}-{d:02}"),
            2 => format!("{d} {} {y}", crate::calendar::month_name(crate::Lang::Ar, m)),
            _ => format!("{}", 36526 + i % 9000),
        };
        let r = i + 1;
        sheet.write_string(r, 0, format!("اتفاقية شراكة وتعاون رقم {i}")).map_err(x)?;
        sheet.write_string(r, 1, format!("Convention de partenariat n° {i}")).map_err(x)?;
        sheet.write_string(r, 2, format!("RB-{y}-{i:06}")).map_err(x)?;
        sheet.write_string(r, 3, &names[i as usize % names.len()]).map_err(x)?;
        sheet.write_string(r, 4, &date).map_err(x)?;
        sheet.write_string(r, 5, ["signée", "موقعة", "draft", "in_force"][i as usize % 4]).map_err(x)?;
    }
    book.save(out).map_err(x)?;
    Ok(())
}

impl Store {
    pub fn generate(&mut self, opts: &Options) -> Result<Generated> {
        self.write(|c| {
            let generated = generate(c, opts)?;
            // Indexed in the same transaction, as an import is.
            super::search::refresh(c, super::search::ReadOn::Writer)?;
            Ok(generated)
        })
    }
}
