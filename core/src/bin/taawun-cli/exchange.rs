//! Spreadsheets in and out: import a registry (previewed, then written in one transaction) and
//! export a list with its filters.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::Result;

pub(crate) fn import(
    cx: &mut Ctx,
    ImportArgs { file, kind, mapping, sheet, encoding, dry_run, skip_errors }: ImportArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    use taawun_core::import;
    let mapping = match mapping {
        Some(m) if std::path::Path::new(&m).is_file() => Some(std::fs::read_to_string(&m)?),
        other => other,
    };
    let options = import::Options {
        kind,
        mapping: None,
        mapping_spec: mapping,
        read: import::ReadOptions { sheet, encoding },
        skip_errors,
        digest: None,
    };
    let describe = |preview: &import::Preview| {
        let columns = preview
            .columns
            .iter()
            .zip(&preview.mapping)
            .map(|(c, f)| format!("{c} → {}", f.as_deref().unwrap_or("—")))
            .collect::<Vec<_>>()
            .join(", ");
        let c = &preview.counts;
        let mut out = tr_args(
            lang,
            "cli.import_summary",
            &[
                ("file", &file.display().to_string()),
                ("rows", &preview.total_rows.to_string()),
                ("create", &c.create.to_string()),
                ("update", &c.update.to_string()),
                ("unchanged", &c.unchanged.to_string()),
                ("error", &c.error.to_string()),
                ("kind", &tr(lang, &format!("entity.{}", preview.kind.as_str()))),
                ("mapping", &columns),
            ],
        );
        for row in &preview.rows {
            for e in &row.errors {
                let value = if e.value.is_empty() { String::new() } else { format!(" «{}»", e.value) };
                out.push_str(&format!(
                    "\n  {}{value}",
                    tr_args(lang, "cli.import_row_error", &[("row", &row.row.to_string()), ("message", &e.message)])
                ));
            }
        }
        out
    };
    // Read and planned once: shown, refused with the wrong rows listed, or written.
    let plan = import::plan(store, &file, &options, lang)?;
    if dry_run {
        print(json, &plan.preview, || describe(&plan.preview))?;
        return Ok(());
    }
    if let Some(refused) = plan.refusal(&options) {
        print(json, &plan.preview, || describe(&plan.preview))?;
        return Err(refused);
    }
    let outcome = plan.apply(store, &options)?;
    print(json, &outcome, || {
        format!(
            "{}\n{}",
            describe(&outcome.preview),
            tr_args(
                lang,
                "cli.imported",
                &[
                    ("create", &outcome.created.to_string()),
                    ("update", &outcome.updated.to_string()),
                    ("unchanged", &outcome.unchanged.to_string()),
                    ("skipped", &outcome.skipped.to_string())
                ]
            )
        )
    })?;
    Ok(())
}

pub(crate) fn export(cx: &mut Ctx, ExportArgs { kind, format, output, filters }: ExportArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let query = filters.query();
    let n = taawun_core::export::export_list(store, kind, &query, format.parse()?, lang, &output)?;
    print(json, &serde_json::json!({"output": output, "rows": n}), || {
        tr_args(lang, "cli.exported", &[("path", &output.display().to_string()), ("rows", &n.to_string())])
    })?;
    Ok(())
}
