//! The sample code on every checked-in docs page is, character for character, the `no_run`
//! doctest on the generated client method, which `cargo test` compiles against the real sdk. So a
//! page cannot show a sample that does not build.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// `method name -> doctest texts` for every `pub fn` of the client that carries `no_run` blocks
/// (the sample call, then for a paged operation the walk through all pages).
fn doctests(operations_rs: &str) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    let mut block: Option<Vec<&str>> = None;
    let mut blocks: Vec<String> = Vec::new();
    for line in operations_rs.lines() {
        let trimmed = line.trim_start();
        let doc = trimmed.strip_prefix("///").map(|d| d.strip_prefix(' ').unwrap_or(d));
        match (doc, block.as_mut()) {
            (Some("```no_run"), None) => block = Some(Vec::new()),
            (Some("```"), Some(lines)) => {
                blocks.push(lines.join("\n"));
                block = None;
            }
            (Some(text), Some(lines)) => lines.push(text),
            (Some(_), None) => {}
            (None, _) => {
                if let Some(name) = trimmed.strip_prefix("pub fn ").and_then(|rest| rest.split('(').next())
                    && !blocks.is_empty()
                {
                    found.insert(name.to_owned(), std::mem::take(&mut blocks));
                }
                if !trimmed.starts_with("#[") && !trimmed.is_empty() {
                    blocks.clear();
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
    // Every group's operations file, in path order.
    let mut paths: Vec<_> = fs::read_dir(root.join("sdk/src/generated/operations"))
        .expect("operations folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let operations: String = paths.iter().map(|p| fs::read_to_string(p).expect("operations file")).collect();
    let doctests = doctests(&operations);
    assert!(!doctests.is_empty(), "no `no_run` doctests found on the client methods");

    let mut paged = 0;
    for (dir, heading, all_pages) in [("en", "Sample code", "Walking all pages"), ("zh-CN", "示例代码", "遍历所有页")]
    {
        let mut pages = 0;
        // One folder per group, one page per operation in it, plus the indexes; the
        // Authentication API's groups are in a folder of their own.
        let lang_dir = root.join("docs").join(dir);
        let api_dirs = [lang_dir.clone(), lang_dir.join("authentication")];
        let group_dirs = api_dirs
            .iter()
            .flat_map(|api| fs::read_dir(api).expect("docs dir").map(|e| e.expect("entry").path()).collect::<Vec<_>>());
        let page_paths = group_dirs.filter(|p| p.is_dir() && !p.ends_with("authentication")).flat_map(|group| {
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
            assert_eq!(&shown, &compiled[0], "{} shows a sample that differs from the doctest", path.display());
            // A paged operation's page shows the walk through all pages, compiled the same way.
            let walk = page_sample(&page, all_pages);
            assert_eq!(walk.as_ref(), compiled.get(1), "{}: the all-pages sample and its doctest", path.display());
            paged += usize::from(walk.is_some());
        }
        assert_eq!(pages, doctests.len(), "docs/{dir} has a page per operation");
    }
    assert!(paged > 0, "no page shows a paginator");
}

#[test]
fn the_doctest_reader_finds_blocks_and_only_attaches_them_to_the_next_method() {
    let src = "/// Intro\n///\n/// ```no_run\n/// let a = 1;\n///\n/// ```\n#[allow(x)]\npub fn kick(&self) {}\n/// ```no_run\n/// b\n/// ```\nstruct Gap;\npub fn other(&self) {}\n";
    let found = doctests(src);
    assert_eq!(found.get("kick"), Some(&vec!["let a = 1;\n".to_owned()]));
    assert!(!found.contains_key("other"), "a block must not jump over an item: {found:?}");
}
