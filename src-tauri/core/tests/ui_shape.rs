//! The window's code keeps the project's size rules too: no file in `ui/` over 400 lines and
//! no JavaScript function over 80, so a view reads as named parts with one job each. (The files
//! and functions written before the rule were split; none is excepted.)

use std::path::{Path, PathBuf};

const MAX_FUNCTION_LINES: usize = 80;
const MAX_FILE_LINES: usize = 400;

fn ui() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui")
}

/// Every file of ours in ui/ with the given extension (Tauri's vendored API and the generated
/// bindings are not ours to shape).
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() && name != "vendor" && name != "bindings" {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The function a line opens, if it opens one: `function name(…) {`, or
/// `const name = (…) => {` (also `async`). Nested functions count on their own.
fn opens_function(line: &str) -> Option<String> {
    let t = line.trim_start().trim_start_matches("export ").trim_start_matches("async ");
    if !t.trim_end().ends_with('{') {
        return None;
    }
    if let Some(rest) = t.strip_prefix("function") {
        let name: String = rest.trim_start_matches('*').trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        return Some(if name.is_empty() { "(anonymous)".into() } else { name });
    }
    let rest = t.strip_prefix("const ").or_else(|| t.strip_prefix("let "))?;
    let (name, value) = rest.split_once('=')?;
    let value = value.trim_start().trim_start_matches("async ");
    (value.starts_with('(') && value.contains("=>")).then(|| name.trim().to_string())
}

/// Each function in `text` with its length in lines, found by counting braces from its opening
/// line (the UI's code has no braces inside strings that would unbalance this).
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = opens_function(line) else { continue };
        let mut depth: i64 = 0;
        for (j, l) in lines.iter().enumerate().skip(i) {
            depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
            if depth <= 0 {
                out.push((name, j - i + 1));
                break;
            }
        }
    }
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(ui()).unwrap().to_string_lossy().replace('\\', "/")
}

#[test]
fn no_ui_function_over_80_lines() {
    let mut paths = Vec::new();
    files(&ui(), "js", &mut paths);
    assert!(paths.len() > 20, "the UI's modules were found: {paths:?}");
    let mut problems = Vec::new();
    for path in &paths {
        let file = relative(path);
        for (name, n) in functions(&std::fs::read_to_string(path).unwrap()) {
            if n > MAX_FUNCTION_LINES {
                problems.push(format!("{file}: {name} has {n} lines (at most {MAX_FUNCTION_LINES})"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_ui_file_over_400_lines() {
    let mut paths = Vec::new();
    files(&ui(), "js", &mut paths);
    files(&ui(), "css", &mut paths);
    let mut problems = Vec::new();
    for path in &paths {
        let (file, n) = (relative(path), std::fs::read_to_string(path).unwrap().lines().count());
        if n > MAX_FILE_LINES {
            problems.push(format!("{file} has {n} lines (at most {MAX_FILE_LINES}): split it into files named for what they hold"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_function_finder_sees_each_form_and_its_length() {
    let text = "function a() {\n  return 1;\n}\nexport async function b(x) {\n  const c = (y) => {\n    return y;\n  };\n}\nconst d = async () => {\n};\n";
    assert_eq!(functions(text), vec![("a".to_string(), 3), ("b".to_string(), 5), ("c".to_string(), 3), ("d".to_string(), 2)]);
}
