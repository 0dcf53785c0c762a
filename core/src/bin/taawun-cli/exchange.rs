//! The registry in and out: import a spreadsheet (previewed, then written in one transaction),
//! export a list with its filters, exchange bundles with the council's other desks, publish to
//! the national registry.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::{Error, Result};

pub(crate) fn import(
    cx: &mut Ctx,
    ImportArgs { file, kind, mapping, values, sheet, encoding, dry_run, skip_errors }: ImportArgs,
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
        values: values.as_deref().map(import::parse_values).transpose()?.unwrap_or_default(),
    };
    let describe = |preview: &import::Preview| {
        let listed =
            |e: &import::RowError| preview.unknown_values.iter().any(|v| v.field == e.field && v.value == e.value);
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
                ("rows", &taawun_core::plural::counted(lang, "row", preview.total_rows as u64)),
                ("create", &c.create.to_string()),
                ("update", &c.update.to_string()),
                ("unchanged", &c.unchanged.to_string()),
                ("error", &c.error.to_string()),
                ("kind", &tr(lang, &format!("entity.{}", preview.kind.as_str()))),
                ("mapping", &columns),
            ],
        );
        if let Some(encoding) = &preview.encoding_evidence {
            out.push_str(&format!("\n  {encoding}"));
        }
        // Values Taawun does not read: once each, with what they may mean.
        if !preview.unknown_values.is_empty() {
            out.push_str(&format!("\n  {}", tr(lang, "import.unknown_values")));
            for v in &preview.unknown_values {
                let column = v.column.clone().unwrap_or_else(|| tr(lang, &format!("field.{}", v.field)));
                let line = tr_args(
                    lang,
                    "import.unknown_value",
                    &[
                        ("column", &column),
                        ("value", &v.value),
                        (
                            "count",
                            &taawun_core::plural::counted_as(
                                lang,
                                "row",
                                v.count as u64,
                                taawun_core::plural::Case::Genitive,
                            ),
                        ),
                        ("row", &v.first_row.to_string()),
                    ],
                );
                let codes = v.choices.iter().map(|(code, label)| format!("{code} ({label})")).collect::<Vec<_>>();
                let codes = if codes.is_empty() { tr(lang, "cli.values_country") } else { codes.join(", ") };
                out.push_str(&format!("\n    {line} — --values \"{}=…\": {codes}", v.value));
            }
        }
        if !preview.new_partners.is_empty() {
            let count = preview.new_partners.len().to_string();
            out.push_str(&format!("\n  {}", tr_args(lang, "import.new_partners", &[("count", &count)])));
            for p in &preview.new_partners {
                let rows = p.rows.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ");
                let line = tr_args(
                    lang,
                    "import.new_partner",
                    &[
                        ("name", p.data.display_name(lang)),
                        ("kind", &tr(lang, &format!("partner_kind.{}", p.data.kind.as_str()))),
                        ("country", &taawun_core::country::name(&p.data.country, lang)),
                        ("rows", &rows),
                    ],
                );
                out.push_str(&format!("\n    {line}"));
            }
        }
        if c.to_complete > 0 {
            let count = taawun_core::plural::counted(lang, "row", c.to_complete as u64);
            out.push_str(&format!("\n  {}", tr_args(lang, "cli.import_to_complete", &[("count", &count)])));
        }
        for row in &preview.rows {
            for e in &row.to_complete {
                let value = if e.value.is_empty() { String::new() } else { format!(" «{}»", e.value) };
                out.push_str(&format!(
                    "\n  {}{value}",
                    tr_args(
                        lang,
                        // Flagged to complete, or the stored value kept.
                        if row.flagged { "cli.import_row_to_complete" } else { "cli.import_row_kept" },
                        &[("row", &row.row.to_string()), ("message", &e.message)]
                    )
                ));
            }
            for e in row.errors.iter().filter(|e| e.code != "invalid.unknown_value" || !listed(e)) {
                let value = if e.value.is_empty() { String::new() } else { format!(" «{}»", e.value) };
                out.push_str(&format!(
                    "\n  {}{value}",
                    tr_args(lang, "cli.import_row_error", &[("row", &row.row.to_string()), ("message", &e.message)])
                ));
            }
        }
        out
    };
    // Read and planned once: shown, refused with the wrong rows listed, or written as planned.
    if dry_run {
        let preview = import::preview(store, &file, &options, lang)?;
        print(json, &preview, || describe(&preview))?;
        // As the import itself would: wrong rows, not to be left out, are an exit status of 1.
        if preview.counts.error > 0 && !skip_errors {
            return Err(Error::invalid("file", taawun_core::error::Rule::RowsWithErrors));
        }
        return Ok(());
    }
    let outcome = match import::write(store, &file, &options, lang)? {
        import::Written::Done(outcome) => outcome,
        import::Written::Refused { preview, why } => {
            print(json, &preview, || describe(&preview))?;
            return Err(why);
        }
    };
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
                    ("skipped", &outcome.skipped.to_string()),
                    ("partners", &outcome.new_partners.to_string())
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
        tr_args(
            lang,
            "cli.exported",
            &[("path", &output.display().to_string()), ("rows", &taawun_core::plural::counted(lang, "row", n as u64))],
        )
    })?;
    Ok(())
}

pub(crate) fn publish(cx: &mut Ctx, PublishArgs { to }: PublishArgs) -> Result<()> {
    use taawun_core::national::{self, Step};
    let (lang, json) = (cx.lang, cx.json);
    let published = national::publish(&mut cx.store, &to, &mut |step| {
        if let Step::Read { rows } = step {
            if !json {
                eprintln!(
                    "{}",
                    tr_args(lang, "publish.read", &[("rows", &taawun_core::plural::counted(lang, "row", rows as u64))])
                );
            }
        }
    })?;
    print(json, &published, || {
        let mut out = tr_args(lang, "publish.done", &[("target", &published.target)]);
        for t in &published.tables {
            let counts =
                tr_args(lang, "publish.counts", &[("sent", &t.sent.to_string()), ("written", &t.written.to_string())]);
            let table = tr(lang, &format!("publish.table.{}", t.table));
            out.push_str("\n  ");
            out.push_str(&tr_args(lang, "publish.line", &[("table", &table), ("counts", &counts)]));
        }
        out
    })
}

pub(crate) fn bundle(cx: &mut Ctx, action: BundleAction) -> Result<()> {
    use taawun_core::bundle;
    let (lang, json) = (cx.lang, cx.json);
    match action {
        BundleAction::Export { since, for_desk, output } => {
            let since = match (&since, &for_desk) {
                (Some(stamp), _) => bundle::Since::Stamp(stamp),
                (None, Some(desk)) => bundle::Since::LastFor(desk),
                (None, None) => bundle::Since::All,
            };
            let manifest = bundle::export(&mut cx.store, &output, since)?;
            print(json, &manifest, || {
                tr_args(
                    lang,
                    "bundle.exported",
                    &[("records", &manifest.records.to_string()), ("file", &output.display().to_string())],
                )
            })
        }
        BundleAction::Import { file } => {
            let applied = bundle::import(&mut cx.store, &file)?;
            print(json, &applied, || {
                let from = &applied.manifest.desk;
                let desk = if from.name.is_empty() { from.uuid.clone() } else { from.name.clone() };
                if applied.already {
                    return tr_args(lang, "bundle.already", &[("desk", &desk)]);
                }
                let m = &applied.merged;
                let mut out = tr_args(
                    lang,
                    "bundle.imported",
                    &[
                        ("desk", &desk),
                        ("created", &m.created.to_string()),
                        ("updated", &m.updated.to_string()),
                        ("unchanged", &m.unchanged.to_string()),
                        ("conflicts", &m.conflicts.to_string()),
                    ],
                );
                if m.number_clashes > 0 {
                    out.push('\n');
                    out.push_str(&tr_args(lang, "bundle.clashes_after", &[("clashes", &m.number_clashes.to_string())]));
                }
                out
            })
        }
        BundleAction::Conflicts => {
            let conflicts = cx.store.conflicts()?;
            let clashes = cx.store.number_clashes()?;
            let both = serde_json::json!({ "conflicts": conflicts, "number_clashes": clashes });
            print(json, &both, || {
                let mut out = clashes
                    .iter()
                    .map(|k| {
                        let count = taawun_core::plural::counted_as(
                            lang,
                            "deliberation",
                            k.deliberations.len() as u64,
                            taawun_core::plural::Case::Genitive,
                        );
                        let mut line =
                            tr_args(lang, "bundle.number_clash", &[("number", &k.number), ("count", &count)]);
                        for d in &k.deliberations {
                            let session = tr(lang, "entity.session");
                            line.push_str(&format!(
                                "\n  {} {} · {} · {}",
                                session, d.session_id, d.point, d.decided_on
                            ));
                        }
                        line
                    })
                    .collect::<Vec<_>>();
                if conflicts.is_empty() {
                    out.push(tr(lang, "bundle.no_conflicts"));
                    return out.join("\n");
                }
                out.extend(conflicts.iter().map(|k| {
                    format!(
                        "#{} {} {} · {}\n  {}: {}\n  {}: {}",
                        k.id,
                        tr(lang, &format!("entity.{}", k.entity)),
                        k.record_id.map(|i| i.to_string()).unwrap_or_default(),
                        k.field,
                        tr(lang, "bundle.here"),
                        k.local_value,
                        tr_args(lang, "bundle.there", &[("desk", &k.remote_desk_name), ("at", &k.received_at)]),
                        k.remote_value
                    )
                }));
                out.join("\n")
            })
        }
        BundleAction::Resolve { id, take } => {
            cx.store.resolve_conflict(id, take == "remote")?;
            print(json, &serde_json::json!({ "resolved": id, "take": take }), || tr(lang, "bundle.resolved"))
        }
        BundleAction::Desk { name } => {
            if let Some(name) = name {
                cx.store.set_desk_name(&name)?;
            }
            let identity = cx.store.desk_identity()?;
            print(json, &identity, || {
                tr_args(
                    lang,
                    "bundle.desk",
                    &[("desk", &identity.desk), ("name", &identity.desk_name), ("council", &identity.council)],
                )
            })
        }
    }
}
