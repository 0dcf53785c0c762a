//! Signed documents: attach files to a record, list them, verify the vault, copy one out,
//! collect unreferenced files and the size limit.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::*;
use taawun_core::plural::Case;
use taawun_core::store::ListQuery;
use taawun_core::{Error, Result};

pub(crate) fn attach(cx: &mut Ctx, AttachArgs { to, files, kind, title, max_size }: AttachArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let (entity, id) = record_ref(&to)?;
    let data = DocumentData {
        kind: DocumentKind::parse("kind", &kind.replace('-', "_"))?,
        title,
        signed_on: String::new(),
        signatories: String::new(),
        notes: String::new(),
    };
    let mut plan = store.plan_attach(entity, id, data)?;
    if let Some(limit) = max_size {
        plan = plan.with_size_limit(limit);
    }
    let incoming = files.iter().map(|f| plan.take_in(f, &mut |_| {})).collect::<taawun_core::Result<Vec<_>>>()?;
    let docs = store.record_attached(plan, &incoming)?;
    print(json, &docs, || docs.iter().map(|d| document_line(d, lang)).collect::<Vec<_>>().join("\n"))?;
    Ok(())
}

pub(crate) fn documents(cx: &mut Ctx, DocumentsArgs { of }: DocumentsArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let docs = match of {
        Some(r) => {
            let (entity, id) = record_ref(&r)?;
            store.documents_of(entity, id)?
        }
        None => store.list_documents(&ListQuery { limit: Some(ListQuery::MAX_LIMIT), ..Default::default() })?.items,
    };
    print(json, &docs, || docs.iter().map(|d| document_line(d, lang)).collect::<Vec<_>>().join("\n"))?;
    Ok(())
}

pub(crate) fn verify(cx: &mut Ctx) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let report = store.verify_vault(|_, _| {})?;
    print(json, &report, || {
        let mut out = vec![tr_args(
            lang,
            "cli.verified",
            &[
                ("count", &taawun_core::plural::counted_as(lang, "file", report.checked as u64, Case::Genitive)),
                ("bytes", &report.bytes.to_string()),
            ],
        )];
        out.extend(report.missing.iter().map(|s| format!("{}\t{s}", tr(lang, "cli.verify_missing"))));
        out.extend(
            report
                .altered
                .iter()
                .map(|(expected, actual)| format!("{}\t{expected}\t≠ {actual}", tr(lang, "cli.verify_altered"))),
        );
        out.extend(report.unreferenced.iter().map(|s| format!("{}\t{s}", tr(lang, "cli.verify_unreferenced"))));
        out.extend(report.partial.iter().map(|s| format!("{}\t{s}", tr(lang, "cli.verify_partial"))));
        out.join("\n")
    })?;
    if !report.is_clean() {
        return Err(Error::invalid("vault", taawun_core::error::Rule::Altered));
    }
    Ok(())
}

pub(crate) fn export_document(cx: &mut Ctx, ExportDocumentArgs { id, output }: ExportDocumentArgs) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    store.export_document(id, &output)?;
    print(json, &serde_json::json!({"id": id, "output": output}), || output.display().to_string())?;
    Ok(())
}

pub(crate) fn vault(cx: &mut Ctx, a: VaultArgs) -> Result<()> {
    match a.action {
        VaultAction::Limit { bytes } => size_limit(cx, bytes),
        VaultAction::Gc { dry_run } => gc(cx, dry_run),
    }
}

fn size_limit(cx: &mut Ctx, bytes: Option<u64>) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    if let Some(b) = bytes {
        store.set_size_limit(b)?;
    }
    let limit = store.size_limit()?;
    print(json, &serde_json::json!({"size_limit": limit}), || limit.to_string())?;
    Ok(())
}

fn gc(cx: &mut Ctx, dry_run: bool) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let collected = store.vault_gc(dry_run)?;
    let files = &collected.removed;
    print(json, &serde_json::json!({"dry_run": dry_run, "files": files, "kept": collected.kept}), || {
        let head = tr_args(
            lang,
            if dry_run { "cli.gc_would_remove" } else { "cli.gc_removed" },
            &[("count", &files.len().to_string())],
        );
        let kept = collected.kept.iter().map(|(sha, why)| tr_args(lang, "cli.gc_kept", &[("file", sha), ("why", why)]));
        std::iter::once(head).chain(files.iter().cloned()).chain(kept).collect::<Vec<_>>().join("\n")
    })?;
    Ok(())
}
