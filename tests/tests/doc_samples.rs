//! The sample code on every checked-in docs page is, character for character, the `no_run`
//! doctest on the generated client method, which `cargo test` compiles against the real sdk. So a
//! page cannot show a sample that does not build.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// `method name -> doctest text` for every `pub fn` of the client that carries a `no_run` block.
fn doctests(operations_rs: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut block: Option<Vec<&str>> = None;
    let mut last_block: Option<String> = None;
    for line in operations_rs.lines() {
        let trimmed = line.trim_start();
        let doc = trimmed.strip_prefix("///").map(|d| d.strip_prefix(' ').unwrap_or(d));
        match (doc, block.as_mut()) {
            (Some("```no_run"), None) => block = Some(Vec::new()),
            (Some("```"), Some(lines)) => {
                last_block = Some(lines.join("\n"));
                block = None;
            }
            (Some(text), Some(lines)) => lines.push(text),
            (Some(_), None) => {}
            (None, _) => {
                if let Some(name) = trimmed.strip_prefix("pub fn ").and_then(|rest| rest.split('(').next()) {
                    if let Some(sample) = last_block.take() {
                        found.insert(name.to_owned(), sample);
                    }
                }
                if !trimmed.starts_with("#[") {
                    last_block = last_block.filter(|_| trimmed.is_empty());
                }
            }
        }
    }
    found
}

/// The body of the first ```rust block after the sample-code heading.
fn page_sample(page: &str, heading: &str) -> Option<String> {
    let after = &page[page.find(&format!("## {heading}"))?..];
    let start = after.find("```rust\n")? + "```rust\n".len();
    let end = after[start..].find("\n```")?;
    Some(after[start..start + end].to_owned())
}

#[test]
fn every_page_shows_the_compiled_doctest_of_its_method() {
    let root = root();
    let operations = fs::read_to_string(root.join("sdk/src/generated/operations.rs")).expect("operations.rs");
    let doctests = doctests(&operations);
    assert!(!doctests.is_empty(), "no `no_run` doctests found on the client methods");

    for (dir, heading) in [("en", "Sample code"), ("zh-CN", "示例代码")] {
        let mut pages = 0;
        // One folder per group, one page per operation in it, plus the indexes.
        let group_dirs = fs::read_dir(root.join("docs").join(dir)).expect("docs dir").map(|e| e.expect("entry").path());
        let page_paths = group_dirs.filter(|p| p.is_dir()).flat_map(|group| {
            fs::read_dir(&group).expect("group dir").map(|e| e.expect("entry").path()).collect::<Vec<_>>()
        });
        for path in page_paths {
            let name = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").replace('-', "_");
            if name == "index" {
                continue;
            }
            pages += 1;
            let page = fs::read_to_string(&path).expect("page");
            let shown = page_sample(&page, heading).unwrap_or_else(|| panic!("{} has no sample", path.display()));
            let compiled = doctests.get(&name).unwrap_or_else(|| panic!("no doctest on `{name}`"));
            assert_eq!(&shown, compiled, "{} shows a sample that differs from the doctest", path.display());
        }
        assert_eq!(pages, doctests.len(), "docs/{dir} has a page per operation");
    }
}

#[test]
fn the_doctest_reader_finds_blocks_and_only_attaches_them_to_the_next_method() {
    let src = "/// Intro\n///\n/// ```no_run\n/// let a = 1;\n///\n/// ```\n#[allow(x)]\npub fn kick(&self) {}\n/// ```no_run\n/// b\n/// ```\nstruct Gap;\npub fn other(&self) {}\n";
    let found = doctests(src);
    assert_eq!(found.get("kick").map(String::as_str), Some("let a = 1;\n"));
    assert!(!found.contains_key("other"), "a block must not jump over an item: {found:?}");
}
