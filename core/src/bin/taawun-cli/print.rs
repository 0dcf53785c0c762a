//! Printed documents: an agreement's sheet, a session's deliberation dossier and papers, the
//! annual cooperation report, and the council's identity on them.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::tr_args;
use taawun_core::Result;

pub(crate) fn sheet(cx: &mut Ctx, SheetArgs { agreement, lang: print_lang, output }: SheetArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
    let pages = taawun_core::print::agreement_sheet(store, agreement, print_lang, &output)?;
    print(json, &serde_json::json!({"output": output, "pages": pages}), || {
        tr_args(
            lang,
            "cli.printed",
            &[
                ("path", &output.display().to_string()),
                ("pages", &taawun_core::plural::counted(lang, "page", pages as u64)),
            ],
        )
    })?;
    Ok(())
}

pub(crate) fn report(cx: &mut Ctx, ReportArgs { year, lang: print_lang, output }: ReportArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
    let pages = taawun_core::print::annual_report(store, year, print_lang, &output)?;
    print(json, &serde_json::json!({"output": output, "year": year, "pages": pages}), || {
        tr_args(
            lang,
            "cli.printed",
            &[
                ("path", &output.display().to_string()),
                ("pages", &taawun_core::plural::counted(lang, "page", pages as u64)),
            ],
        )
    })?;
    Ok(())
}

pub(crate) fn dossier(
    cx: &mut Ctx,
    DossierArgs { session, point, lang: print_lang, edition, output }: DossierArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
    let report =
        taawun_core::print::deliberation_dossier(store, session, point, print_lang, edition.parse()?, &output)?
            .in_lang(lang);
    print(
        json,
        &serde_json::json!({"output": output, "pages": report.pages, "embedded": report.embedded, "annexes": report.annexes}),
        || {
            let mut out = tr_args(
                lang,
                "cli.printed",
                &[
                    ("path", &output.display().to_string()),
                    ("pages", &taawun_core::plural::counted(lang, "page", report.pages as u64)),
                ],
            );
            if !report.annexes.is_empty() {
                let embedded = report.embedded.to_string();
                let all = taawun_core::plural::counted_as(
                    lang,
                    "annex",
                    report.annexes.len() as u64,
                    taawun_core::plural::Case::Genitive,
                );
                out.push_str(&format!(
                    "\n{}",
                    tr_args(lang, "dossier.report", &[("embedded", &embedded), ("annexes", &all)])
                ));
            }
            for a in &report.annexes {
                let name = if a.title.is_empty() { &a.file } else { &a.title };
                let line = match &a.reason {
                    // The archive edition attaches the file instead of appending its pages.
                    None if a.pages == 0 => {
                        tr_args(lang, "dossier.report_attached", &[("n", &a.n.to_string()), ("title", name)])
                    }
                    None => tr_args(
                        lang,
                        "dossier.report_embedded",
                        &[
                            ("n", &a.n.to_string()),
                            ("title", name),
                            ("pages", &taawun_core::plural::counted(lang, "page", a.pages as u64)),
                        ],
                    ),
                    Some(reason) => tr_args(
                        lang,
                        "dossier.report_left_out",
                        &[("n", &a.n.to_string()), ("title", name), ("reason", reason)],
                    ),
                };
                out.push_str(&format!("\n  {line}"));
                if !a.detail.is_empty() {
                    out.push_str(&format!(" ({})", a.detail));
                }
                for note in &a.notes {
                    out.push_str(&format!("\n    {note}"));
                }
            }
            out
        },
    )?;
    Ok(())
}

pub(crate) fn paper(
    cx: &mut Ctx,
    PrintArgs { kind, session, point, lang: print_lang, output }: PrintArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let paper: taawun_core::print::Paper = kind.parse()?;
    let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
    let pages = taawun_core::print::session_paper(store, paper, session, point, print_lang, &output)?;
    print(json, &serde_json::json!({"output": output, "pages": pages}), || {
        tr_args(
            lang,
            "cli.printed",
            &[
                ("path", &output.display().to_string()),
                ("pages", &taawun_core::plural::counted(lang, "page", pages as u64)),
            ],
        )
    })?;
    Ok(())
}

pub(crate) fn identity(cx: &mut Ctx, IdentityArgs { from_json, emblem, no_emblem }: IdentityArgs) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    if let Some(p) = from_json {
        store.set_council_identity(read_json(&p)?)?;
    }
    if let Some(image) = emblem {
        store.set_council_emblem(Some(&image))?;
    } else if no_emblem {
        store.set_council_emblem(None)?;
    }
    let identity = store.council_identity()?;
    print(json, &identity, || serde_json::to_string_pretty(&identity).unwrap_or_default())?;
    Ok(())
}
