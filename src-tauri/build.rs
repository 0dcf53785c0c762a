//! Declares the app's commands (each gets allow-/deny- permissions, granted by name in
//! capabilities/main.json) and copies the shipped UI fonts from assets/ into ui/fonts, which the
//! window serves (ui/fonts is generated, not committed).

/// Every command the UI may call. Keep in step with `generate_handler!` in lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "i18n_bundle",
    "set_lang",
    "reference_data",
    "home",
    "figures",
    "list_records",
    "count_records",
    "record_view",
    "save_partner",
    "save_agreement",
    "save_project",
    "save_membership",
    "set_agreement_status",
    "delete_record",
    "mark_complete",
    "restore_record",
    "list_trash",
    "record_history",
    "load_sample",
    "remove_sample",
    "record_documents",
    "attach_documents",
    "export_document",
    "verify_vault",
    "check_documents",
    "save_document",
    "open_document",
    "document_image",
    "document_pdf",
    "save_session",
    "save_point",
    "move_point",
    "save_deliberation",
    "record_notification",
    "record_opposition",
    "record_visa",
    "due",
    "due_groups",
    "due_group",
    "ordinary_opening",
    "hijri_months",
    "record_hijri_month",
    "forget_hijri_month",
    "legal_settings",
    "save_legal_settings",
    "search",
    "export_list",
    "import_preview",
    "import_commit",
    "desk_identity",
    "set_desk_name",
    "export_bundle",
    "import_bundle",
    "bundle_conflicts",
    "number_clashes",
    "resolve_conflict",
    "create_backup",
    "last_backup",
    "auto_backup_status",
    "save_auto_backup",
    "run_auto_backup",
    "opened_backup",
    "restore_opened_backup",
    "print_sheet",
    "export_dossier",
    "print_paper",
    "print_report",
    "export_calendar",
    "save_member",
    "open_printed",
    "council_identity",
    "save_council_identity",
    "set_council_emblem",
];

const UI_FONTS: &[&str] = &[
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "OFL.txt",
];

fn main() {
    let from = std::path::Path::new("../assets/fonts");
    let to = std::path::Path::new("../ui/fonts");
    std::fs::create_dir_all(to).expect("create ui/fonts");
    for name in UI_FONTS {
        let src = from.join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let dst = to.join(name);
        let same = std::fs::metadata(&dst).ok().map(|m| m.len()) == std::fs::metadata(&src).ok().map(|m| m.len());
        if !same {
            std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        }
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
