//! The council's real records (from its own page, `shared/seed/`), loaded on the first start of
//! an empty database and by `taawun-cli sample`, marked as sample and removable in one action.
//! What the page does not say (amounts, exact dates) is left empty rather than invented.

use super::Store;
use super::{agreements, lifecycle, memberships, partners, projects, sessions};
use crate::error::Result;
use crate::model::*;
use rusqlite::{Connection, OptionalExtension};

const LAW: &str = "القانون التنظيمي رقم 112.14 المتعلق بالعمالات والأقاليم";

/// A seed partner, its fields in the order the council's page gives them.
#[allow(clippy::too_many_arguments)]
fn partner(
    kind: PartnerKind,
    name_ar: &str,
    name_latin: &str,
    country: &str,
    city: &str,
    region: &str,
    contacts: Vec<Contact>,
    notes: &str,
) -> Result<PartnerData> {
    PartnerData {
        kind,
        name_ar: name_ar.into(),
        name_latin: name_latin.into(),
        country: country.into(),
        region: region.into(),
        city: city.into(),
        address: String::new(),
        contacts,
        notes: notes.into(),
        ..Default::default()
    }
    .validate()
}

#[allow(clippy::too_many_arguments)]
fn agreement(
    kind: AgreementKind,
    title_ar: &str,
    title_fr: &str,
    legal_basis: &str,
    parties: Vec<i64>,
    signed_on: &str,
    signed_at: &str,
    areas: &[&str],
    notes: &str,
) -> Result<AgreementData> {
    AgreementData {
        kind,
        title_ar: title_ar.into(),
        title_fr: title_fr.into(),
        legal_basis: legal_basis.into(),
        reference: String::new(),
        parties,
        areas: areas.iter().map(|s| s.to_string()).collect(),
        signed_on: signed_on.into(),
        signed_at: signed_at.into(),
        effective_from: String::new(),
        duration_months: None,
        end_on: String::new(),
        tacit_renewal: false,
        notes: notes.into(),
    }
    .validate()
}

/// Loads the sample records unless some are already there. Returns whether it loaded them.
pub(crate) fn load_sample(c: &Connection) -> Result<bool> {
    let present: i64 =
        c.query_row("SELECT count(*) FROM partner WHERE is_sample AND deleted_at IS NULL", [], |r| r.get(0))?;
    if present > 0 {
        return Ok(false);
    }
    let bamako = partners::insert_partner(
        c,
        &partner(
            PartnerKind::ForeignCollectivity,
            "الجماعة الثالثة لباماكو الكبرى",
            "Commune III du District de Bamako",
            "ML",
            "Bamako",
            "District de Bamako",
            vec![Contact { name: "Mariam Djiré Diallo".into(), role: "Maire".into(), ..Default::default() }],
            "رئيسة الوفد: السيدة العمدة مريم دجيري ديالو (كتابة الاسم بالحروف اللاتينية: للتحقق).",
        )?,
        true,
    )?;
    let guediawaye = partners::insert_partner(
        c,
        &partner(
            PartnerKind::ForeignCollectivity,
            "جماعة كيدياوي",
            "Ville de Guédiawaye",
            "SN",
            "Guédiawaye",
            "Dakar",
            vec![],
            "",
        )?,
        true,
    )?;
    let mantes = partners::insert_partner(
        c,
        &partner(
            PartnerKind::ForeignCollectivity,
            "بلدية مونت لاجولي",
            "Mantes-la-Jolie",
            "FR",
            "Mantes-la-Jolie",
            "Île-de-France (Yvelines)",
            vec![],
            "",
        )?,
        true,
    )?;
    let uclga = partners::insert_partner(
        c,
        &partner(
            PartnerKind::LocalGovOrganisation,
            "منظمة المدن والحكومات المحلية الإفريقية",
            "Cités et Gouvernements Locaux Unis d'Afrique (CGLU Afrique / UCLG Africa)",
            "MA",
            "Rabat",
            "",
            vec![],
            "",
        )
        .map(|p| PartnerData { short_name: "CGLUA".into(), ..p })?,
        true,
    )?;

    let art94 = format!("المادتان 85 و94 من {LAW}");
    let bamako_agr = agreement(
        AgreementKind::Partnership,
        "اتفاقية شراكة وتعاون مع الجماعة الثالثة لباماكو الكبرى",
        "Convention de partenariat et de coopération avec la Commune III du District de Bamako",
        &art94,
        vec![bamako],
        "2018-04-25",
        "الرباط",
        &["تعاون جنوب-جنوب"],
        "أبرمت خلال الزيارة التي قام بها وفد من هذه الجماعة برئاسة السيدة العمدة مريم دجيري ديالو.",
    )?;
    let bamako_agr_id =
        agreements::insert_agreement(c, &bamako_agr, AgreementStatus::Signed, Some("2018-04-25"), true)?;

    let tripartite = agreement(
        AgreementKind::Tripartite,
        "إعلان للتعاون الدولي اللامركزي ثلاثي الأطراف مع جماعة كيدياوي وبلدية مونت لاجولي",
        "Déclaration de coopération décentralisée tripartite avec Guédiawaye et Mantes-la-Jolie",
        &art94,
        vec![guediawaye, mantes],
        "",
        "",
        &[],
        "تاريخ التوقيع غير مذكور في صفحة المجلس (للتحقق).",
    )?;
    agreements::insert_agreement(c, &tripartite, AgreementStatus::Signed, Some(""), true)?;

    let mantes_agr = agreement(
        AgreementKind::Partnership,
        "اتفاقية شراكة وتعاون مع بلدية مونت لاجولي",
        "Convention de partenariat et de coopération avec Mantes-la-Jolie",
        &art94,
        vec![mantes],
        "2016",
        "",
        &["تعاون جنوب-شمال", "تكوين الأطر"],
        "",
    )?;
    let mantes_agr_id = agreements::insert_agreement(c, &mantes_agr, AgreementStatus::Signed, Some("2016"), true)?;

    let fund = "صندوق التعاون المغربي-الفرنسي لدعم التعاون اللامركزي";
    let majd = ProjectData {
        agreement_id: mantes_agr_id,
        title_ar: "مواكبة مجلس عمالة الرباط من أجل إحداث المركب السوسيو-تربوي المجد بمقاطعة يعقوب المنصور بالرباط".into(),
        title_fr: "Accompagnement du Conseil préfectoral de Rabat pour la création du complexe socio-éducatif Al Majd (arrondissement Yacoub El Mansour)".into(),
        fund: fund.into(),
        fund_edition: "2016-2018".into(),
        tranche: String::new(),
        implementing_bodies: vec!["مؤسسة التعاون الوطني".into(), "مكتب التكوين وإنعاش الشغل".into(), "المؤسسة المحمدية للرعاية الاجتماعية".into()],
        start_on: "2016".into(),
        end_on: "2018".into(),
        status: ProjectStatus::Completed,
        budget_lines: vec![],
        activities: vec![Activity {
            kind: ActivityKind::Training,
            title: "دورات تكوينية لفائدة الأطر الملحقة للعمل بالمركب".into(),
            start_on: String::new(),
            end_on: String::new(),
            people_trained: None,
            notes: String::new(),
        }],
        beneficiaries: "الأطر العاملة بالمراكز الثلاثة للمركب السوسيو-تربوي المجد".into(),
        notes: String::new(),
    }
    .validate()?;
    projects::insert_project(c, &majd, true)?;
    let amal = ProjectData {
        title_ar: "تكوين الأطر العاملة بمركز الأمل للأشخاص المسنين والأطفال ومركز المحمدية للرعاية الاجتماعية".into(),
        title_fr: "Formation du personnel du centre Al Amal pour personnes âgées et enfants et du centre Mohammedia de protection sociale".into(),
        fund_edition: "2019-2021".into(),
        implementing_bodies: vec![],
        start_on: "2019".into(),
        end_on: "2021".into(),
        status: ProjectStatus::Ongoing,
        activities: vec![],
        beneficiaries: "الأطر العاملة بمركز الأمل ومركز المحمدية للرعاية الاجتماعية".into(),
        notes: "الحالة الحالية للمشروع: للتحقق.".into(),
        ..majd
    }
    .validate()?;
    let amal_id = projects::insert_project(c, &amal, true)?;

    let uclga_membership = MembershipData {
        partner_id: uclga,
        since: "2008-05".into(),
        dues_amount: String::new(),
        dues_currency: String::new(),
        dues_minor: None,
        notes: String::new(),
    }
    .validate()?;
    memberships::insert_membership(c, &uclga_membership, true)?;

    // An example session to prepare (nothing voted yet): the June 2019 ordinary session on its
    // proposed date, the second Monday of June, carrying the 2019 Mantes-la-Jolie project and
    // the Bamako agreement. The presentation notes say only what the council's page says.
    let june = SessionData {
        kind: SessionKind::Ordinary,
        year: 2019,
        month: 6,
        number: None,
        sittings: vec![Sitting { held_on: "2019-06-10".into(), ..Sitting::default() }],
        convocation_on: String::new(),
        members_in_office: None,
        notes: "دورة مثال لتجربة البرنامج: التاريخ المقترح هو الاثنين الثاني من الشهر؛ عدله حسب الاستدعاء الفعلي.".into(),
        ..SessionData::default()
    }
    .validate()?;
    let session = sessions::insert_session(c, &june, true)?;
    let points = [
        PointData {
            subject: Some(Subject { kind: Entity::Project, id: amal_id }),
            title: String::new(),
            rapporteur: String::new(),
            note_ar: "مشروع مشترك ثان مع بلدية مونت لاجولي في إطار صندوق التعاون المغربي-الفرنسي لدعم التعاون اللامركزي (2019-2021)، يهم تكوين الأطر العاملة بمركز الأمل للأشخاص المسنين والأطفال ومركز المحمدية للرعاية الاجتماعية.".into(),
            note_fr: "Second projet commun avec Mantes-la-Jolie au titre du Fonds de soutien à la coopération décentralisée maroco-française (2019-2021) : formation du personnel du centre Al Amal pour personnes âgées et enfants et du centre Mohammedia de protection sociale.".into(),
            reexamines: None,
        },
        PointData {
            subject: Some(Subject { kind: Entity::Agreement, id: bamako_agr_id }),
            title: String::new(),
            rapporteur: String::new(),
            note_ar: "اتفاقية شراكة وتعاون مع الجماعة الثالثة لباماكو الكبرى (مالي)، وقعت بالرباط يوم 25 أبريل 2018 خلال زيارة وفد ترأسته عمدة الجماعة؛ تعاون جنوب-جنوب.".into(),
            note_fr: "Convention de partenariat et de coopération avec la Commune III du District de Bamako (Mali), signée à Rabat le 25 avril 2018 lors de la visite d'une délégation conduite par le maire ; coopération Sud-Sud.".into(),
            reexamines: None,
        },
    ];
    for p in points {
        sessions::insert_point(c, session, &p.validate()?, true)?;
    }
    Ok(true)
}

/// Moves every live sample record to the trash, children first. Refused (nothing moved) if a
/// record of the user's own still refers to a sample record.
pub(crate) fn remove_sample(c: &Connection) -> Result<usize> {
    let mut moved = 0;
    for entity in [
        Entity::Deliberation,
        Entity::Point,
        Entity::Session,
        Entity::Project,
        Entity::Membership,
        Entity::Agreement,
        Entity::Partner,
    ] {
        let ids: Vec<i64> = c
            .prepare(&format!("SELECT id FROM {} WHERE is_sample AND deleted_at IS NULL", entity.table()))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            lifecycle::delete_record(c, entity, id)?;
            moved += 1;
        }
    }
    Ok(moved)
}

impl Store {
    /// Loads the council's real records (marked as sample). Does nothing if they are there.
    pub fn load_sample(&mut self) -> Result<bool> {
        self.write(load_sample)
    }

    /// Moves every sample record to the trash in one action (restorable).
    pub fn remove_sample(&mut self) -> Result<usize> {
        self.write(remove_sample)
    }

    /// On the first start of an empty database, loads the sample records once.
    pub fn first_start(&mut self) -> Result<bool> {
        self.write(|c| {
            let done: Option<String> =
                c.query_row("SELECT value FROM setting WHERE key = 'first_start_done'", [], |r| r.get(0)).optional()?;
            if done.is_some() {
                return Ok(false);
            }
            c.execute(
                "INSERT INTO setting(key, value) VALUES ('first_start_done', ?1)",
                [crate::calendar::now_stamp()],
            )?;
            let empty: bool =
                c.query_row("SELECT (SELECT count(*) FROM partner) + (SELECT count(*) FROM agreement) = 0", [], |r| {
                    r.get(0)
                })?;
            if empty {
                load_sample(c)
            } else {
                Ok(false)
            }
        })
    }
}
