//! The English catalog: one entry per upstream text, keyed by the JSON pointer of the text in the
//! overlaid document, holding the English and the Chinese source it was written from.
//!
//! ```yaml
//! texts:
//!   '#/paths/~1api~1v3~1kick-users/post/summary':
//!     zh: 强制下线用户          # the source, compared exactly (after trimming)
//!     en: Force users to go offline
//!     note: optional remark, e.g. an upstream error the English corrects
//! ```
//!
//! Applying an entry puts the English beside the Chinese, as `x-genauth-i18n: {en-US: {key: ..}}`
//! on the text's parent object, which is where the model builder reads translations. An entry
//! whose source no longer matches the document is *stale* and is not applied (the Chinese shows
//! until a translator revises it); one whose pointer is gone is *orphaned*. A text with no entry
//! takes the English of another entry with the same source, so identical texts are translated
//! once; what is left is *missing*.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;

/// The extension key the model builder reads translations from.
const I18N_KEY: &str = "x-genauth-i18n";
/// The language tag translations are stored under.
const EN_TAG: &str = "en-US";
/// Keys whose string values are prose to translate.
const TEXT_KEYS: &[&str] = &["summary", "description", "title"];

/// Every entry of the catalog, by pointer.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
}

/// One translated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file it is in, for messages.
    pub file: String,
    /// The Chinese source it was written from.
    pub zh: String,
    /// The English.
    pub en: String,
    /// A translator's remark: an upstream error the English corrects, or why the English says
    /// more than the source.
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// Terms and their fixed English, for translators; not applied.
    #[serde(default)]
    #[allow(dead_code)]
    glossary: Option<Value>,
    #[serde(default)]
    texts: BTreeMap<String, RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    zh: String,
    en: String,
    #[serde(default)]
    note: Option<String>,
}

/// An entry whose Chinese source changed upstream since the English was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Where the text is.
    pub pointer: String,
    /// The source the English was written from.
    pub old: String,
    /// The document's text now.
    pub new: String,
}

/// What applying the catalog found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TranslationReport {
    /// Entries applied.
    pub applied: usize,
    /// Texts without an entry that took the English of an identical source.
    pub reused: usize,
    /// Texts that have Chinese and no English: `(pointer, source)`.
    pub missing: Vec<(String, String)>,
    /// Entries whose source changed.
    pub stale: Vec<Stale>,
    /// Entries whose pointer no longer holds a text: `(file, pointer)`.
    pub orphaned: Vec<(String, String)>,
}

impl TranslationReport {
    /// The translator's work list, as catalog entries to fill in (YAML): every stale entry with
    /// its new source, and each distinct missing source once (its other places reuse it).
    pub fn work_list(&self) -> String {
        let mut out = String::from("texts:\n");
        let mut seen = std::collections::BTreeSet::new();
        let stale = self.stale.iter().map(|s| (&s.pointer, &s.new, Some(&s.old)));
        let missing = self.missing.iter().filter(|(_, zh)| seen.insert(zh.clone())).map(|(p, zh)| (p, zh, None));
        for (pointer, zh, old) in stale.chain(missing) {
            out.push_str(&format!("  {}:\n", yaml_string(pointer)));
            if let Some(old) = old {
                out.push_str(&format!("    # stale; the English was written from: {}\n", one_line(old)));
            }
            out.push_str(&format!("    zh: {}\n    en: ''\n", yaml_string(zh)));
        }
        out
    }

    /// Missing English, stale or orphaned entries: the catalog covers the whole API, and
    /// `--check` keeps it so.
    pub fn has_problems(&self) -> bool {
        !self.missing.is_empty() || !self.stale.is_empty() || !self.orphaned.is_empty()
    }
}

impl fmt::Display for TranslationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "translations: {} applied, {} reused, {} missing, {} stale, {} orphaned",
            self.applied,
            self.reused,
            self.missing.len(),
            self.stale.len(),
            self.orphaned.len()
        )?;
        for s in &self.stale {
            writeln!(f, "  stale: {}\n    was: {}\n    now: {}", s.pointer, one_line(&s.old), one_line(&s.new))?;
        }
        for (file, pointer) in &self.orphaned {
            writeln!(f, "  orphaned: {pointer} (in {file}): no text there any more")?;
        }
        const SHOWN: usize = 20;
        for (pointer, source) in self.missing.iter().take(SHOWN) {
            writeln!(f, "  missing: {pointer}: {}", one_line(source))?;
        }
        if self.missing.len() > SHOWN {
            writeln!(
                f,
                "  ... and {} more missing (`cargo xtask translations` lists them all)",
                self.missing.len() - SHOWN
            )?;
        }
        Ok(())
    }
}

/// `text` as a YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 100 { format!("{}...", line.chars().take(100).collect::<String>()) } else { line }
}

impl Catalog {
    /// Reads catalog files (YAML or JSON). A pointer in two files is an error.
    pub fn read<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Catalog, Diagnostics> {
        let mut entries = BTreeMap::new();
        for (name, bytes) in files {
            let fail = |pointer: String, message: String| super::layer_error(name, pointer, message);
            let raw: RawFile = super::read_layer_file(name, bytes, "a translation file")?;
            for (pointer, e) in raw.texts {
                if !pointer.starts_with("#/") {
                    return Err(fail(pointer.clone(), "keys are JSON pointers written `#/...`".into()));
                }
                let entry = Entry {
                    file: name.to_owned(),
                    zh: e.zh.trim().to_owned(),
                    en: e.en.trim().to_owned(),
                    note: e.note,
                };
                if let Some(first) = entries.insert(pointer.clone(), entry) {
                    return Err(fail(pointer, format!("translated twice (also in {})", first.file)));
                }
            }
        }
        Ok(Catalog { entries })
    }

    /// True when the catalog has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, by pointer.
    pub fn entries(&self) -> &BTreeMap<String, Entry> {
        &self.entries
    }

    /// Puts the English of every fitting entry into `doc` and reports the rest.
    pub fn apply(&self, doc: &mut Value) -> TranslationReport {
        let mut report = TranslationReport::default();
        let mut by_source: BTreeMap<&str, &str> = BTreeMap::new();
        for (pointer, entry) in &self.entries {
            match doc.pointer(&pointer[1..]).and_then(Value::as_str).map(str::trim) {
                None => report.orphaned.push((entry.file.clone(), pointer.clone())),
                Some(now) if now != entry.zh => {
                    report.stale.push(Stale { pointer: pointer.clone(), old: entry.zh.clone(), new: now.to_owned() })
                }
                Some(_) => {
                    by_source.entry(entry.zh.as_str()).or_insert(entry.en.as_str());
                }
            }
        }
        let stale: Vec<&str> = report.stale.iter().map(|s| s.pointer.as_str()).collect();
        // The texts the generator shows: the title, and what operations and schemas say (tags'
        // chapters, `info.description` and the security schemes' notes appear nowhere).
        let mut texts = Vec::new();
        if let Some(title) = doc.pointer("/info/title").and_then(Value::as_str) {
            texts.push(("#/info/title".to_owned(), title.trim().to_owned()));
        }
        for (key, part) in [("paths", doc.get("paths")), ("components", doc.get("components"))] {
            if let Some(Value::Object(map)) = part {
                for (name, node) in map.iter().filter(|(name, _)| *name != "securitySchemes") {
                    let mut at = format!("#/{key}");
                    push_segment(&mut at, name);
                    collect_texts(node, &mut at, &mut texts);
                }
            }
        }
        for (pointer, source) in texts {
            let english = match self.entries.get(&pointer) {
                Some(entry) if entry.zh == source => {
                    report.applied += 1;
                    entry.en.clone()
                }
                _ if stale.contains(&pointer.as_str()) => continue,
                _ => match by_source.get(source.as_str()) {
                    Some(en) => {
                        report.reused += 1;
                        (*en).to_owned()
                    }
                    None => {
                        if has_cjk(&source) {
                            report.missing.push((pointer, source));
                        }
                        continue;
                    }
                },
            };
            set_english(doc, &pointer, &english);
        }
        report
    }
}

/// Every prose text in the document outside examples and extensions: `(pointer, trimmed text)`.
/// Operations hidden from SDKs are skipped: nothing is generated from them.
fn collect_texts(node: &Value, at: &mut String, out: &mut Vec<(String, String)>) {
    collect_in(node, at, out, false);
}

/// [`collect_texts`]; `names` is set for a `properties` map, whose keys are field names (a field
/// may be called `default` or `example`), not keywords.
fn collect_in(node: &Value, at: &mut String, out: &mut Vec<(String, String)>, names: bool) {
    match node {
        Value::Object(map) => {
            if !names && map.get("x-authing-hidden-from-sdk") == Some(&Value::Bool(true)) {
                return;
            }
            for (key, value) in map {
                let data = matches!(key.as_str(), "example" | "examples" | "default" | "enum");
                if !names && (key.starts_with("x-") || data) {
                    continue;
                }
                let len = at.len();
                push_segment(at, key);
                match value {
                    Value::String(s) if !names && TEXT_KEYS.contains(&key.as_str()) && !s.trim().is_empty() => {
                        out.push((at.clone(), s.trim().to_owned()))
                    }
                    _ => collect_in(value, at, out, !names && key == "properties"),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                push_segment(at, &i.to_string());
                collect_in(item, at, out, false);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn push_segment(at: &mut String, key: &str) {
    at.push('/');
    at.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// Stores `english` as the translation of the text at `pointer` (`#/.../key`).
fn set_english(doc: &mut Value, pointer: &str, english: &str) {
    let Some((parent, key)) = pointer[1..].rsplit_once('/') else { return };
    let key = key.replace("~1", "/").replace("~0", "~");
    let Some(Value::Object(parent)) = doc.pointer_mut(parent) else { return };
    let i18n = parent.entry(I18N_KEY).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(langs) = i18n {
        let en = langs.entry(EN_TAG).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(en) = en {
            en.insert(key, Value::String(english.to_owned()));
        }
    }
}

/// True when `text` holds a CJK ideograph or full-width punctuation: text a reader of English
/// cannot read.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn catalog(yaml: &str) -> Catalog {
        Catalog::read([("en.yaml", yaml.as_bytes())]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn applies_reuses_and_reports_missing_stale_and_orphaned() {
        let c = catalog(
            "texts:\n  '#/paths/a/summary': {zh: 用户 ID, en: User ID}\n  '#/paths/b/description': {zh: 旧的, en: Old}\n  '#/gone/summary': {zh: 无, en: None}\n",
        );
        let mut doc = json!({"paths": {
            "a": {"summary": " 用户 ID "},
            "b": {"description": "新的"},
            "c": {"summary": "用户 ID", "x-note": {"summary": "不算"}},
            "d": {"description": "未翻译", "example": {"description": "示例"}},
            "f": {"properties": {"default": {"description": "默认值"}, "x-y": {"description": "未翻译"}}},
            "e": {"description": "Already English"},
            "h": {"x-authing-hidden-from-sdk": true, "summary": "隐藏"}
        }, "tags": [{"description": "文档章节，不生成"}]});
        let r = c.apply(&mut doc);
        assert_eq!(doc.pointer("/paths/a/x-genauth-i18n/en-US/summary"), Some(&json!("User ID")));
        assert_eq!(doc.pointer("/paths/c/x-genauth-i18n/en-US/summary"), Some(&json!("User ID")));
        assert_eq!(doc.pointer("/paths/b/x-genauth-i18n"), None, "stale English is not applied");
        assert_eq!((r.applied, r.reused), (1, 1));
        // Under `properties`, `default` and `x-y` are field names, not a keyword and an extension.
        let missing: Vec<&str> = r.missing.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            missing,
            [
                "#/paths/d/description",
                "#/paths/f/properties/default/description",
                "#/paths/f/properties/x-y/description"
            ]
        );
        assert_eq!(
            r.stale,
            [Stale { pointer: "#/paths/b/description".into(), old: "旧的".into(), new: "新的".into() }]
        );
        assert_eq!(r.orphaned, [("en.yaml".to_owned(), "#/gone/summary".to_owned())]);
        assert!(r.has_problems());
        let text = r.to_string();
        assert!(text.contains("3 missing, 1 stale, 1 orphaned") && text.contains("was: 旧的"), "{text}");
        assert!(text.contains("missing: #/paths/d/description: 未翻译"), "{text}");
    }

    #[test]
    fn a_pointer_in_two_files_and_a_bad_key_are_errors() {
        let a = "texts:\n  '#/a/summary': {zh: 甲, en: A}\n";
        let err = Catalog::read([("1.yaml", a.as_bytes()), ("2.yaml", a.as_bytes())]).expect_err("twice");
        assert!(err.to_string().contains("also in 1.yaml"), "{err}");
        let err = Catalog::read([("1.yaml", "texts:\n  a/summary: {zh: 甲, en: A}\n".as_bytes())]).expect_err("key");
        assert!(err.to_string().contains("JSON pointers"), "{err}");
        let err = Catalog::read([("1.yaml", "texts:\n  '#/a': {zh: 甲}\n".as_bytes())]).expect_err("no en");
        assert!(err.to_string().contains("1.yaml"), "{err}");
    }
}
