//! The commands the window calls, one module per group (named as the CLI's groups are). Each
//! parses its arguments, calls one taawun-core function on the blocking pool and returns its
//! result or `{code, message, field}`. The application-wide ones (language, reference data) are here.

pub mod backup;
pub mod documents;
pub mod exchange;
pub mod form;
pub mod print;
pub mod records;
pub mod sessions;

use crate::{blocking, Shared};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use taawun_core::model::*;
use taawun_core::{country, i18n, money, ErrorReport, Lang};
use tauri::State;

type Reply<T> = Result<T, ErrorReport>;
type St<'a> = State<'a, Arc<Shared>>;

#[derive(Serialize)]
pub struct AppInfo {
    db_path: String,
    version: &'static str,
    lang: Lang,
    rtl: bool,
    error: Option<ErrorReport>,
}

#[tauri::command]
pub fn app_info(state: St<'_>) -> AppInfo {
    let lang = state.lang();
    let error = state.with_store(|_| Ok(())).err();
    AppInfo {
        db_path: state.db_path.display().to_string(),
        version: env!("CARGO_PKG_VERSION"),
        lang,
        rtl: lang.is_rtl(),
        error,
    }
}

#[tauri::command]
pub fn i18n_bundle(lang: Lang) -> std::collections::BTreeMap<String, String> {
    i18n::bundle(lang)
}

/// Switches the language and remembers it in the database.
#[tauri::command]
pub async fn set_lang(state: St<'_>, lang: Lang) -> Reply<Lang> {
    let shared = state.inner().clone();
    shared.set_lang(lang);
    blocking(shared, move |s| s.set_setting("lang", lang.code()).map(|_| lang)).await
}

/// Countries and currencies named in `lang`, and the values of every choice list.
#[tauri::command]
pub fn reference_data(lang: Lang) -> Value {
    let countries: Vec<Value> = country::all().iter().map(|c| json!({"code": c.code, "name": c.name(lang)})).collect();
    let currencies: Vec<Value> = money::currencies().iter().map(|c| json!({"code": c.code, "digits": c.digits, "name": match lang { Lang::Ar => &c.ar, Lang::Fr => &c.fr, Lang::En => &c.en }})).collect();
    fn codes<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| f(*v)).collect()
    }
    json!({
        "countries": countries,
        "currencies": currencies,
        "partner_kind": codes(PartnerKind::ALL, PartnerKind::as_str),
        "agreement_kind": codes(AgreementKind::ALL, AgreementKind::as_str),
        "agreement_status": codes(AgreementStatus::ALL, AgreementStatus::as_str),
        "project_status": codes(ProjectStatus::ALL, ProjectStatus::as_str),
        "activity_kind": codes(ActivityKind::ALL, ActivityKind::as_str),
        "document_kind": codes(DocumentKind::ALL, DocumentKind::as_str),
        "session_kind": codes(SessionKind::ALL, SessionKind::as_str),
        "outcome": codes(Outcome::ALL, Outcome::as_str),
        "visa_status": codes(VisaStatus::ALL, VisaStatus::as_str),
        "requested_by": codes(RequestedBy::ALL, RequestedBy::as_str),
        "president_vote": codes(PresidentVote::ALL, PresidentVote::as_str),
        "member_role": codes(MemberRole::ALL, MemberRole::as_str),
        "paper": codes(&taawun_core::print::Paper::ALL, taawun_core::print::Paper::as_str),
    })
}

/// An error of the shell itself (a thread, a path), in the user's language.
pub(crate) fn internal(lang: Lang, detail: &str) -> ErrorReport {
    ErrorReport {
        code: "internal".into(),
        message: i18n::tr_args(lang, "error.internal", &[("detail", detail)]),
        field: None,
        row: None,
        others: Vec::new(),
    }
}
