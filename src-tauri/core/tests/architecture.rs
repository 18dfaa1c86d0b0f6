//! The core's shape, checked: the folders are the layers and each uses only the
//! ones below it; no import cycle between components or between the files of
//! one; no file over 400 lines; nothing from Tauri; `error.rs` imports nothing
//! from the crate. Reads the sources (`crate::` and `super::` paths alike), so a
//! change that breaks a rule fails here.

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

type Module = Vec<String>;

/// A source file: its module path (`services/tokens/mod.rs` is `services::tokens`)
/// and its code outside tests.
struct File {
    module: Module,
    code: String,
}

fn files() -> Vec<File> {
    let mut paths = Vec::new();
    sources(&src(), &mut paths);
    paths
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(src()).unwrap();
            let mut module: Module = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            if module == ["lib"] {
                return None;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            Some(File { module, code })
        })
        .collect()
}

fn path_after(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if ident.is_empty() {
            return out;
        }
        rest = &rest[ident.len()..];
        out.push(ident);
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => return out,
        }
    }
}

/// Every path a file names through `crate::` or `super::`, made absolute.
fn references(file: &File) -> Vec<Module> {
    let mut out = Vec::new();
    for part in file.code.split("crate::").skip(1) {
        out.push(path_after(part));
    }
    let code = &file.code;
    let mut at = 0;
    while let Some(found) = code[at..].find("super::") {
        let start = at + found;
        at = start + "super::".len();
        if code[..start].ends_with("::") {
            continue; // the second `super` of `super::super::`, counted with the first
        }
        let mut base = file.module.clone();
        let mut rest = &code[start..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        base.extend(path_after(rest));
        out.push(base);
    }
    out
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve(path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p))
}

/// The folder layers, bottom to top. `microsoft` and `store` share a layer and
/// must not use each other.
fn layer(module: &[String]) -> (u8, &str) {
    match module[0].as_str() {
        "error" | "secret" | "notice" | "sync" => (0, "leaf"),
        "model" => (1, "model"),
        "microsoft" => (2, "microsoft"),
        "store" => (2, "store"),
        "services" => (3, "services"),
        "app" => (4, "app"),
        other => panic!("src/{other} is in no layer: put it in a layer folder and add it here"),
    }
}

fn may_use(from: &[String], to: &[String]) -> bool {
    let (fl, fg) = layer(from);
    let (tl, tg) = layer(to);
    tl < fl || fg == tg
}

/// A component is a layer folder's direct child (`services::tokens`), or a leaf file.
fn component(module: &[String]) -> String {
    let n = if layer(module).0 == 0 || module[0] == "app" { 1 } else { 2 };
    module[..n.min(module.len())].join("::")
}

struct Edges {
    /// File module → the modules it uses.
    files: BTreeMap<Module, BTreeSet<Module>>,
}

fn edges() -> Edges {
    let files = files();
    let modules: BTreeSet<Module> = files.iter().map(|f| f.module.clone()).collect();
    let mut out = BTreeMap::new();
    for f in &files {
        let used: BTreeSet<Module> = references(f).iter().filter_map(|p| resolve(p, &modules)).filter(|m| *m != f.module).collect();
        out.insert(f.module.clone(), used);
    }
    Edges { files: out }
}

fn component_graph(e: &Edges) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &e.files {
        let c = component(from);
        let set = g.entry(c.clone()).or_default();
        for t in to {
            let tc = component(t);
            if tc != c {
                set.insert(tc);
            }
        }
    }
    g
}

/// Within one folder, the files' graph. A file using its own folder's `mod.rs`
/// (the folder's front, through `super::`) is how Rust modules work; any other
/// use between siblings counts, both ways.
fn sibling_graph(e: &Edges) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in &e.files {
        let set = g.entry(from.join("::")).or_default();
        for t in to {
            let siblings = from.len() == t.len() && from[..from.len() - 1] == t[..t.len() - 1];
            if siblings {
                set.insert(t.join("::"));
            }
        }
    }
    g
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

/// The number of components on the longest chain of uses (the graph has no cycle).
fn depth(graph: &BTreeMap<String, BTreeSet<String>>) -> usize {
    fn longest(n: &str, g: &BTreeMap<String, BTreeSet<String>>, memo: &mut BTreeMap<String, usize>) -> usize {
        if let Some(d) = memo.get(n) {
            return *d;
        }
        let d = 1 + g.get(n).into_iter().flatten().map(|m| longest(m, g, memo)).max().unwrap_or(0);
        memo.insert(n.to_string(), d);
        d
    }
    let mut memo = BTreeMap::new();
    graph.keys().map(|n| longest(n, graph, &mut memo)).max().unwrap_or(0)
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let e = edges();
    assert!(e.files.len() > 40, "the sources were read: {} files", e.files.len());
    let mut broken = Vec::new();
    for (from, to) in &e.files {
        for t in to {
            if !may_use(from, t) {
                broken.push(format!("{} uses {}", from.join("::"), t.join("::")));
            }
        }
    }
    assert!(broken.is_empty(), "layer rule broken:\n{}", broken.join("\n"));
}

#[test]
fn the_layer_rule_refuses_upward_and_sideways_uses() {
    let m = |s: &str| s.split("::").map(String::from).collect::<Module>();
    assert!(may_use(&m("services::tokens"), &m("store::keychain")));
    assert!(may_use(&m("model::installation"), &m("model::registration")));
    assert!(!may_use(&m("model::installation"), &m("microsoft::azure_devops")));
    assert!(!may_use(&m("microsoft::oauth::entra"), &m("store::settings")));
    assert!(!may_use(&m("store::policy"), &m("services::library")));
    assert!(!may_use(&m("error"), &m("model::scopes")));
}

#[test]
fn super_paths_are_read_as_uses() {
    let file = File {
        module: vec!["services".into(), "installations".into(), "page".into()],
        code: "use super::view::InstallationView;\nuse super::super::tokens::Status;".into(),
    };
    let refs = references(&file);
    assert!(refs.contains(&vec!["services".into(), "installations".into(), "view".into(), "InstallationView".into()]));
    assert!(refs.contains(&vec!["services".into(), "tokens".into(), "Status".into()]));
}

#[test]
fn no_import_cycle_between_components_or_between_sibling_files() {
    let e = edges();
    let components = component_graph(&e);
    assert!(components.len() > 15, "the graph was read: {components:?}");
    if let Some(cycle) = find_cycle(&components) {
        panic!("import cycle between components: {}", cycle.join(" → "));
    }
    if let Some(cycle) = find_cycle(&sibling_graph(&e)) {
        panic!("import cycle between files of one folder: {}", cycle.join(" → "));
    }
}

/// A ratchet on how deep the uses stack. Round 1 measured 18 layers of files;
/// by components the core is now 11 deep (app → signin → installations → tokens →
/// context → settings → library_entry → validate → scopes → connectors → error).
/// Deeper fails; shallower should lower this number.
#[test]
fn the_core_is_at_most_eleven_components_deep() {
    let d = depth(&component_graph(&edges()));
    println!("longest chain of uses: {d} components");
    assert!(d <= 11, "the core is {d} components deep");
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let g = BTreeMap::from([("a".to_string(), BTreeSet::from(["b".to_string()])), ("b".to_string(), BTreeSet::from(["a".to_string()]))]);
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "a"]);
    assert_eq!(depth(&BTreeMap::from([("a".to_string(), BTreeSet::from(["b".to_string()])), ("b".to_string(), BTreeSet::new())])), 2);
}

#[test]
fn error_rs_imports_nothing_from_the_crate() {
    let e = edges();
    assert_eq!(e.files[&vec!["error".to_string()]], BTreeSet::new());
}

#[test]
fn every_error_code_is_in_the_troubleshooting_table() {
    // The variants' codes, and the AADSTS table's (`code: "…"`).
    let error = std::fs::read_to_string(src().join("error/mod.rs")).unwrap()
        + &std::fs::read_to_string(src().join("error/aadsts.rs")).unwrap().replace("code: \"", "=> \"");
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/troubleshooting.md")).unwrap();
    let codes: Vec<&str> = error
        .split("=> \"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        .collect();
    assert!(codes.len() > 40, "codes were read: {codes:?}");
    for code in codes {
        assert!(doc.contains(&format!("| `{code}` |")), "docs/troubleshooting.md lacks {code}");
    }
}

/// A poisoned lock is taken one way, with its reason, in `sync.rs`: nowhere else, in the
/// core or in the shell, the command line and the tests beside them (all of `src-tauri/`).
#[test]
fn locks_are_taken_through_sync_lock() {
    let mut files = Vec::new();
    sources(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap(), &mut files);
    let inline: Vec<String> = files
        .iter()
        .filter(|p| !p.ends_with("sync.rs") && !p.ends_with("architecture.rs"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.contains("PoisonError") || text.contains(".lock().unwrap_or_else")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(inline.is_empty(), "take locks with crate::sync::lock: {inline:?}");
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
