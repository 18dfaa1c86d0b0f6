//! The core's shape, checked: no import cycle between its top-level modules,
//! no file over 400 lines, nothing from Tauri, and `error.rs` imports nothing
//! from the crate. Reads the sources, so a change that breaks a rule fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `crate::x` uses outside tests, by top-level module.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(src()).unwrap();
        let module = rel.iter().next().unwrap().to_string_lossy().trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let uses = graph.entry(module.clone()).or_default();
        for part in code.split("crate::").skip(1) {
            let used: String = part.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if used != module && !used.is_empty() {
                uses.insert(used);
            }
        }
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(n: &str, g: &BTreeMap<String, BTreeSet<String>>, stack: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_cycle_between_core_modules() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the graph was read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let g = BTreeMap::from([("a".to_string(), BTreeSet::from(["b".to_string()])), ("b".to_string(), BTreeSet::from(["a".to_string()]))]);
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "a"]);
}

#[test]
fn error_rs_imports_nothing_from_the_crate() {
    assert_eq!(module_graph()["error"], BTreeSet::new());
}

#[test]
fn every_error_code_is_in_the_readme_troubleshooting_table() {
    let error = std::fs::read_to_string(src().join("error.rs")).unwrap();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let table = readme.split("## Troubleshooting").nth(1).expect("README has a Troubleshooting section");
    let codes: Vec<&str> = error
        .split("=> \"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        .collect();
    assert!(codes.len() > 40, "codes were read: {codes:?}");
    for code in codes {
        assert!(table.contains(&format!("| `{code}` |")), "README's troubleshooting table lacks {code}");
    }
}

#[test]
fn no_core_file_over_400_lines_and_no_tauri() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.lines().count() <= 400, "{} has {} lines", path.display(), text.lines().count());
        assert!(!text.contains("tauri::"), "{} uses Tauri", path.display());
    }
}

/// The UI imports Tauri's JavaScript API from `ui/vendor/tauri-api` (no bundler, no
/// injected `window.__TAURI__`). Its IPC protocol must be the one the tauri crate speaks.
#[test]
fn vendored_javascript_api_matches_the_tauri_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let crate_version = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"tauri\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .expect("tauri is in Cargo.lock");
    let vendored = std::fs::read_to_string(root.join("ui/vendor/tauri-api/VERSION")).unwrap();
    assert_eq!(vendored.trim(), crate_version, "run scripts/vendor-tauri-api.sh");
}
