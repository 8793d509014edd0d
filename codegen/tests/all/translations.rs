//! The English catalog keeps what must not be translated: every entry's links, code spans and
//! fenced code blocks are the same as its Chinese source's, and its enum-value lines
//! (``- `value`: meaning``) name the same values in the same order. And the English pages
//! (`docs/en/`) carry no Chinese prose: only code, code spans (example and enum values that are
//! Chinese on the wire) may hold Chinese.

use crate::real_spec;
use crate::script;

use std::path::Path;

use script::has_chinese as has_cjk;

/// The fenced blocks, code spans and link targets of a Markdown text, in order.
fn technical_parts(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut fences, mut spans, mut links) = (Vec::new(), Vec::new(), Vec::new());
    let mut prose = String::new();
    let mut fence: Option<Vec<&str>> = None;
    for line in text.lines() {
        match fence.as_mut() {
            Some(lines) => {
                if line.trim_start().starts_with("```") {
                    fences.push(lines.join("\n"));
                    fence = None;
                } else {
                    lines.push(line);
                }
            }
            None if line.trim_start().starts_with("```") => fence = Some(vec![line.trim_start()]),
            None => {
                prose.push_str(line);
                prose.push('\n');
            }
        }
    }
    for (i, part) in prose.split('`').enumerate() {
        if i % 2 == 1 {
            spans.push(part.to_owned());
        } else {
            let mut rest = part;
            while let Some(at) = rest.find("](") {
                let target = &rest[at + 2..];
                let end = target.find(')').unwrap_or(target.len());
                links.push(target[..end].to_owned());
                rest = &target[end..];
            }
        }
    }
    // Spans and links as multisets: English word order may move them.
    spans.sort();
    links.sort();
    (fences, spans, links)
}

/// What a translation may differ from its source in, when a note names it.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Fences,
    CodeSpans,
    Links,
    EnumLines,
}

impl Subject {
    /// Whether `note` names this subject (the words a note uses for it).
    fn named_in(self, note: &str) -> bool {
        let note = note.to_lowercase();
        let words: &[&str] = match self {
            Subject::Fences => &["fenced", "code block"],
            Subject::CodeSpans => &["code span", "as code"],
            Subject::Links => &["link"],
            Subject::EnumLines => &["enum value"],
        };
        words.iter().any(|w| note.contains(w))
    }
}

/// The values of ``- `value`: ...`` lines, in order.
fn enum_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("- `"))
        .filter_map(|l| l.split_once('`'))
        .filter(|(_, rest)| rest.trim_start().starts_with([':', '：']))
        .map(|(value, _)| value.to_owned())
        .collect()
}

#[test]
fn entries_keep_links_code_and_enum_lines_of_their_source() {
    let layers = real_spec::layers();
    let mut problems = Vec::new();
    for (pointer, entry) in layers.translations.entries() {
        // An entry may say more than its source (the showcase operations follow the
        // docs-factory's English pages, which add code spans, a link and a missing enum value),
        // but only with a note that names what differs: a note excuses that, nothing else.
        let excuses = |subject: Subject| entry.note.as_deref().is_some_and(|note| subject.named_in(note));
        let (zh, en) = (technical_parts(&entry.zh), technical_parts(&entry.en));
        for (subject, differs) in [
            (Subject::Fences, zh.0 != en.0),
            (Subject::CodeSpans, zh.1 != en.1),
            (Subject::Links, zh.2 != en.2),
            (Subject::EnumLines, enum_lines(&entry.zh) != enum_lines(&entry.en)),
        ] {
            if differs && !excuses(subject) {
                problems.push(format!(
                    "{pointer} ({}): {subject:?} differ (a note excuses this only by naming it)\n  zh: {:?}\n  en: {:?}",
                    entry.file, entry.zh, entry.en
                ));
            }
        }
        let prose: String = entry.en.split('`').step_by(2).collect();
        if has_cjk(&prose) && technical_parts(&entry.en).0.is_empty() {
            problems.push(format!("{pointer} ({}): Chinese in the English: {}", entry.file, entry.en));
        }
        if entry.en.trim().is_empty() {
            problems.push(format!("{pointer} ({}): empty English", entry.file));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checker_notices_a_lost_code_span_a_changed_link_and_a_dropped_enum_line() {
    let zh = "类型：\n- `user_id`: 用户 ID\n- `phone`: 手机号\n见[文档](https://docs.example.com)。\n```js\nconst a = 1; // 注释\n```";
    let en = "Type:\n- `user_id`: user ID\n- `phone`: phone number\nSee [the docs](https://docs.example.com).\n```js\nconst a = 1; // 注释\n```";
    assert_eq!(technical_parts(zh), technical_parts(en));
    assert_eq!(enum_lines(zh), ["user_id", "phone"]);
    assert_eq!(enum_lines(zh), enum_lines(en));
    assert_ne!(technical_parts(zh), technical_parts(&en.replace("`phone`", "phone")));
    assert_ne!(technical_parts(zh), technical_parts(&en.replace("docs.example.com", "example.com")));
    assert_ne!(technical_parts(zh), technical_parts(&en.replace("// 注释", "// comment")));
    assert_ne!(enum_lines(zh), enum_lines(&en.replace("- `phone`: phone number\n", "")));
}

/// Every checked-in English page, outside fenced code and code spans.
#[test]
fn english_pages_have_no_chinese_prose() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/en");
    let mut pages = vec![root.clone()];
    let mut problems = Vec::new();
    let mut count = 0;
    while let Some(path) = pages.pop() {
        if path.is_dir() {
            pages.extend(std::fs::read_dir(&path).expect("docs dir").map(|e| e.expect("entry").path()));
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).expect("page");
        let mut in_code = false;
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            let prose: String = line.split('`').step_by(2).collect();
            if !in_code && has_cjk(&prose) {
                problems.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(count > 400, "only {count} English pages");
    let shown: Vec<&String> = problems.iter().take(40).collect();
    assert!(problems.is_empty(), "{} lines of Chinese prose in docs/en, e.g.:\n{shown:#?}", problems.len());
}
