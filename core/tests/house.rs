//! The house's rules, checked from the source. Its sizes: no source file of
//! core/src or src-tauri/src over 600 lines, and no function over 120 lines
//! outside test modules and data tables (the sample records). Its layering:
//! no two modules of the core's library need each other, at any depth. The test reads every file
//! under `core/src` (the CLI binary aside: it sits on top), collects the
//! paths each one names through `crate::`, `super::` and `self::`, and draws
//! an edge between two sibling modules when anything inside the one names
//! anything inside the other. A child naming its own ancestors is the
//! ordinary Rust idiom (a module's shared types in its `mod.rs`) and draws
//! no edge. Any circle among siblings fails the test with the files that
//! close it, so the next engineer sees which `use` to move.
//!
//! Test modules (`#[cfg(test)] mod …`) are left out: they are not built into
//! the library, and a test beside the code may borrow a fixture from a sibling
//! (the search index's tests fill a store with `store::generate`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

/// One reference from a file to a module: where it was written.
struct Reference {
    from_file: PathBuf,
    to: ModPath,
}

fn module_of(src: &Path, file: &Path) -> ModPath {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: ModPath = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|last| last == "mod" || last == "lib") {
        parts.pop();
    }
    parts
}

/// The Rust files under `dir`, sorted, the folders `skip` names left out.
fn rust_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, skip: &[&str], out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| !skip.iter().any(|s| name == *s)) {
                    walk(&path, skip, out);
                }
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, skip, &mut files);
    files.sort();
    files
}

/// The source without comments, string and character literals, so that a
/// path written in a doc comment or a message draws no edge.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = |n: usize| chars.get(i + n).copied();
        match chars[i] {
            '/' if rest(1) == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if rest(1) == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            'r' if rest(1) == Some('#') || (rest(1) == Some('"') && !ident_char(prev(&chars, i))) => {
                // A raw string: r"…" or r#"…"#.
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(chars[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if rest(2) == Some('\'') || (rest(1) == Some('\\')) => {
                // A character literal ('x' or '\n', '\u{…}'); a lifetime has no closing quote.
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The code with its `#[cfg(test)] mod … { … }` blocks taken out.
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let is_module = after.trim_start().starts_with("mod ");
        let Some(open) = after.find(['{', ';']) else { break };
        if !is_module || after.as_bytes()[open] == b';' {
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn prev(chars: &[char], i: usize) -> char {
    if i == 0 {
        ' '
    } else {
        chars[i - 1]
    }
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A `use` tree with its whitespace and its `as name` renames taken out.
fn without_renames(tree: &str) -> String {
    let words: Vec<&str> = tree.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "as" && i + 1 < words.len() {
            // Keep what follows the new name (`,` or `}`).
            let name_end = words[i + 1].find(|c: char| !ident_char(c)).unwrap_or(words[i + 1].len());
            out.push_str(&words[i + 1][name_end..]);
            i += 2;
        } else {
            out.push_str(words[i]);
            i += 1;
        }
    }
    out
}

/// Every path of a `use` tree: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree = without_renames(tree);
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .flat_map(|part| expand_use_tree(part).into_iter().map(|tail| format!("{prefix}{tail}")).collect::<Vec<_>>())
        .collect()
}

/// The paths a file names: each `use` tree expanded, and every path written
/// in place (`crate::store::Store::open(…)`).
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last().unwrap_or(' ');
        let after = &rest[at + 4..];
        if ident_char(before) {
            rest = after;
            continue;
        }
        let end = after.find(';').unwrap_or(after.len());
        paths.extend(expand_use_tree(&after[..end]));
        rest = &after[end..];
    }
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_root = ["crate::", "super::", "self::"]
            .iter()
            .find(|root| chars[i..].iter().take(root.len()).copied().eq(root.chars()));
        if let (Some(_), false) = (starts_root, ident_char(prev(&chars, i))) {
            let mut j = i;
            while j < chars.len() && (ident_char(chars[j]) || chars[j] == ':') {
                j += 1;
            }
            paths.push(chars[i..j].iter().collect());
            i = j;
        } else {
            i += 1;
        }
    }
    // A `use` path is also met by the scan of paths written in place.
    paths.sort();
    paths.dedup();
    paths
}

/// The module a path names, made absolute: the longest prefix that is a
/// module of the library.
fn resolve(path: &str, here: &ModPath, is_mod_file: bool, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (mut absolute, tail): (ModPath, &[&str]) = match segments.first()? {
        &"crate" => (Vec::new(), &segments[1..]),
        &"self" | &"super" => {
            // In `a/b.rs` (module a::b) `self` is a::b; in a child module
            // declared inline the paths are close enough to the file's.
            let mut base = here.clone();
            let mut k = 0;
            if segments[0] == "self" {
                k = 1;
            }
            while segments.get(k) == Some(&"super") {
                base.pop();
                k += 1;
            }
            // `super::` inside `mod tests` of a file means the file itself;
            // the checker cannot see the inline module, so a single `super`
            // from a test module lands one level too high, on an ancestor,
            // which draws no edge. Good enough: ancestors are never edges.
            let _ = is_mod_file;
            (base, &segments[k..])
        }
        _ => return None,
    };
    let mut best = absolute.clone();
    for segment in tail {
        absolute.push((*segment).to_string());
        if modules.contains(&absolute) {
            best = absolute.clone();
        } else {
            break;
        }
    }
    Some(best)
}

/// The sibling pair a reference crosses: the children of the deepest common
/// ancestor on each side, or none if one side is an ancestor of the other.
fn sibling_edge(from: &ModPath, to: &ModPath) -> Option<(ModPath, ModPath)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((from[..=common].to_vec(), to[..=common].to_vec()))
}

fn references() -> (Vec<(ModPath, Reference)>, BTreeSet<ModPath>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The CLI binary sits on top of the library: not part of its graph.
    let files = rust_files(&src, &["bin"]);
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut out = Vec::new();
    for file in &files {
        let here = module_of(&src, file);
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let code = without_test_modules(&code_only(&std::fs::read_to_string(file).unwrap()));
        for path in named_paths(&code) {
            if let Some(to) = resolve(&path, &here, is_mod_file, &modules) {
                let from_file = file.strip_prefix(&src).unwrap().to_path_buf();
                out.push((here.clone(), Reference { from_file, to }));
            }
        }
    }
    (out, modules)
}

/// The circles among siblings: each strongly connected set of two or more
/// modules, with the files whose references close it.
fn circles() -> Vec<String> {
    let (refs, _) = references();
    let mut graph: BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<PathBuf>>> = BTreeMap::new();
    for (from, reference) in &refs {
        if let Some((a, b)) = sibling_edge(from, &reference.to) {
            graph.entry(a).or_default().entry(b).or_default().insert(reference.from_file.clone());
        }
    }
    let nodes: BTreeSet<ModPath> =
        graph.iter().flat_map(|(a, targets)| std::iter::once(a.clone()).chain(targets.keys().cloned())).collect();
    let reach = |start: &ModPath| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(node) = stack.pop() {
            for next in graph.get(&node).into_iter().flat_map(|t| t.keys()) {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<ModPath, BTreeSet<ModPath>> = nodes.iter().map(|n| (n.clone(), reach(n))).collect();
    let mut reported = BTreeSet::new();
    let mut out = Vec::new();
    for node in &nodes {
        if reported.contains(node) || !reachable[node].contains(node) {
            continue;
        }
        let circle: BTreeSet<ModPath> = nodes
            .iter()
            .filter(|other| reachable[node].contains(*other) && reachable[*other].contains(node))
            .cloned()
            .collect();
        let mut lines = Vec::new();
        for a in &circle {
            for (b, files) in graph.get(a).into_iter().flatten() {
                if circle.contains(b) {
                    let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                    lines.push(format!("  {} -> {} (in {})", a.join("::"), b.join("::"), files.join(", ")));
                }
            }
        }
        out.push(lines.join("\n"));
        reported.extend(circle);
    }
    out
}

#[test]
fn no_two_modules_of_the_core_need_each_other() {
    let circles = circles();
    assert!(circles.is_empty(), "import circles in core/src:\n{}", circles.join("\n\n"));
}

#[test]
fn the_checker_sees_what_it_must() {
    assert_eq!(
        expand_use_tree("crate::a::{b, c::{d, e as f}, self}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e", "crate::a::self"]
    );
    let code = code_only("// crate::x\nlet s = \"crate::y\"; crate::z::w(); let c = '\"'; r#\"crate::q\"#;");
    let named = named_paths(&code);
    assert_eq!(named, ["crate::z::w"]);
    let code = without_test_modules(
        "use crate::a;\n#[cfg(test)]\nmod tests { fn f() { crate::b::c(); } }\nfn g() { crate::d(); }",
    );
    assert_eq!(named_paths(&code), ["crate::a", "crate::d"]);
    let modules: BTreeSet<ModPath> =
        [vec![], vec!["store".into()], vec!["store".into(), "documents".into()]].into_iter().collect();
    let here = vec!["store".to_string(), "documents".to_string()];
    assert_eq!(resolve("super::Store", &here, false, &modules), Some(vec!["store".to_string()]));
    assert_eq!(sibling_edge(&here, &vec!["vault".into()]), Some((vec!["store".into()], vec!["vault".into()])));
    assert_eq!(sibling_edge(&here, &vec!["store".into()]), None);
    // The house as it stands is read at all: the store names the vault.
    let (refs, _) = references();
    assert!(refs.iter().any(|(from, r)| from.first().is_some_and(|m| m == "store") && r.to == ["vault"]));
}

/// Every Rust file under `core/src` and `src-tauri/src`, CLI included.
fn all_sources() -> Vec<PathBuf> {
    let core = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = rust_files(&core.join("src"), &[]);
    files.extend(rust_files(&core.join("../src-tauri/src"), &[]));
    files
}

/// Functions whose length is their data: the sample records, a table written as code.
const DATA_TABLES: [&str; 1] = ["load_sample"];
const MAX_FUNCTION_LINES: usize = 120;
const MAX_FILE_LINES: usize = 600;

/// Each function of `code` (comments and literals already blanked) with its name, first line
/// and length in lines, from `fn` to its closing brace.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(found) = code[at..].find("fn ") {
        let start = at + found;
        at = start + 3;
        if start > 0 && ident_char(code[..start].chars().next_back().unwrap()) {
            continue;
        }
        let name: String = code[at..].chars().take_while(|c| ident_char(*c)).collect();
        if name.is_empty() {
            continue;
        }
        // The body: the first `{` before any `;` (a declaration in a trait has none).
        let Some(open) = code[at..].find(['{', ';']).map(|i| at + i) else { break };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0;
        let mut close = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let first_line = code[..start].matches('\n').count() + 1;
        let lines = code[start..close].matches('\n').count() + 1;
        out.push((name, first_line, lines));
    }
    out
}

#[test]
fn no_function_longer_than_a_page_and_no_file_longer_than_600_lines() {
    let mut long = Vec::new();
    for file in all_sources() {
        let source = std::fs::read_to_string(&file).unwrap();
        let lines = source.lines().count();
        let shown = file.display().to_string();
        if lines > MAX_FILE_LINES {
            long.push(format!("{shown}: {lines} lines"));
        }
        for (name, line, length) in functions(&without_test_modules(&code_only(&source))) {
            if length > MAX_FUNCTION_LINES && !DATA_TABLES.contains(&name.as_str()) {
                long.push(format!("{shown}:{line}: fn {name} is {length} lines"));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn the_size_checker_counts_what_it_must() {
    let code = "fn a() {\n    let x = { 1 };\n}\ntrait T { fn b(&self); }\nimpl T for () {\n    fn b(&self) {}\n}\n";
    // A declaration without a body (in a trait) is no function to measure.
    assert_eq!(functions(code), [("a".to_string(), 1, 3), ("b".to_string(), 6, 1)]);
    // The house is read at all: its longest function is the sample's table.
    let sample = all_sources().into_iter().find(|f| f.ends_with("store/sample.rs")).unwrap();
    let code = code_only(&std::fs::read_to_string(sample).unwrap());
    assert!(functions(&code).iter().any(|(name, _, length)| name == "load_sample" && *length > MAX_FUNCTION_LINES));
}
