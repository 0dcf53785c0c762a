//! Every string key the window asks for by name (in ui/index.html and ui/js) exists in the
//! locale files, so no screen shows a raw key in any language.

use std::collections::BTreeSet;
use std::path::Path;
use taawun_core::i18n::bundle;
use taawun_core::Lang;

fn ui_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "js" || e == "html") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

/// The literal first argument of each call `name('...'` (or `name("..."`) in `text`.
fn literal_args(text: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    for quote in ['\'', '"'] {
        let pattern = format!("{name}({quote}");
        let mut rest = text;
        while let Some(i) = rest.find(&pattern) {
            let before = rest[..i].chars().last();
            rest = &rest[i + pattern.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue; // another function whose name ends the same way
            }
            if let Some(end) = rest.find(quote) {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn every_key_the_ui_names_exists_in_every_language() {
    let sources = ui_sources();
    assert!(sources.len() >= 8, "ui sources not found");
    let mut keys = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for (_, text) in &sources {
        keys.extend(literal_args(text, "t"));
        keys.extend(literal_args(text, "tParts"));
        groups.extend(literal_args(text, "label"));
        for part in text.split("data-i18n=\"").skip(1) {
            keys.insert(part.split('"').next().unwrap().to_string());
        }
    }
    assert!(keys.len() > 60, "too few keys found: {keys:?}");
    for lang in Lang::ALL {
        let table = bundle(lang);
        let missing: Vec<_> = keys.iter().filter(|k| !table.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        for g in &groups {
            assert!(
                table.keys().any(|k| k.starts_with(&format!("{g}."))),
                "{lang:?} has no values for the choice list {g}"
            );
        }
    }
}
