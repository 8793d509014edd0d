//! Bilingual text from the spec: the standard `summary`/`description` fields in the document's
//! language (`info.x-genauth-lang`), the other language in `x-genauth-i18n`.

use serde_json::Value;

use crate::model::{Lang, Text};

/// The extension holding translations: `x-genauth-i18n: {"zh-CN": {"description": "..."}}`.
const I18N_KEY: &str = "x-genauth-i18n";

/// Reads texts in both languages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct I18n {
    /// The language of the standard fields.
    pub std_lang: Lang,
}

impl I18n {
    /// From `info.x-genauth-lang`. Absent means Chinese: the real upstream spec writes Chinese in
    /// the standard fields and has no extension.
    pub fn from_info(raw: &Value) -> Self {
        let tag = raw.pointer("/info/x-genauth-lang").and_then(Value::as_str);
        let std_lang = if tag.is_some_and(|t| t.eq_ignore_ascii_case(Lang::En.tag()) || t.eq_ignore_ascii_case("en")) {
            Lang::En
        } else {
            Lang::Zh
        };
        I18n { std_lang }
    }

    /// The text under `key` of the object `obj` (a schema, operation, parameter...), in both
    /// languages. The standard field wins for its language; the extension fills the rest.
    pub fn text(&self, obj: &Value, key: &str) -> Text {
        let standard = obj.get(key).and_then(Value::as_str).map(str::to_owned);
        let translated = |lang: Lang| {
            obj.get(I18N_KEY)
                .and_then(|m| m.get(lang.tag()))
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let pick = |lang: Lang| {
            let std = if lang == self.std_lang { standard.clone().filter(|s| !s.trim().is_empty()) } else { None };
            std.or_else(|| translated(lang))
        };
        Text::new(pick(Lang::En), pick(Lang::Zh))
    }
}

/// Meanings of enum values: from `x-enum-descriptions` (a list parallel to `enum`, or a map
/// value => text), else from description lines of the form ``- `value`: meaning`` (upstream's
/// style), parsed in each language. Returns one [`Text`] per value, in order.
pub(crate) fn enum_value_descriptions(i18n: &I18n, schema: &Value, description: &Text, values: &[String]) -> Vec<Text> {
    let listed = schema.get("x-enum-descriptions");
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let from_ext = match listed {
                Some(Value::Array(items)) => items.get(i).and_then(Value::as_str),
                Some(Value::Object(map)) => map.get(value).and_then(Value::as_str),
                _ => None,
            };
            let from_lines = |lang: Lang| description.exact(lang).and_then(|d| described_value(d, value));
            let mut en = from_lines(Lang::En);
            let mut zh = from_lines(Lang::Zh);
            if let Some(text) = from_ext {
                let slot = if i18n.std_lang == Lang::En { &mut en } else { &mut zh };
                *slot = Some(text.to_owned());
            }
            Text::new(en, zh)
        })
        .collect()
}

/// The meaning of `value` in a Markdown list line ``- `value`: meaning`` (also `- value: ...`,
/// `*` bullets and the full-width colon `：`). Lines that follow without a bullet continue it.
fn described_value(description: &str, value: &str) -> Option<String> {
    let mut found: Option<Vec<&str>> = None;
    for line in description.lines() {
        let trimmed = line.trim();
        let bullet = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* "));
        match (bullet, found.as_mut()) {
            (Some(item), None) => {
                if let Some(meaning) = split_item(item, value) {
                    found = Some(vec![meaning]);
                }
            }
            (Some(_), Some(_)) => break,
            (None, Some(lines)) if !trimmed.is_empty() => lines.push(trimmed),
            (None, Some(_)) => break,
            (None, None) => {}
        }
    }
    found.map(|lines| lines.join("\n"))
}

/// `` `value`: meaning `` => `meaning` when the item is about `value`.
fn split_item<'a>(item: &'a str, value: &str) -> Option<&'a str> {
    let rest = item
        .strip_prefix('`')
        .and_then(|s| s.strip_prefix(value))
        .and_then(|s| s.strip_prefix('`'))
        .or_else(|| item.strip_prefix(value))?;
    let rest = rest.trim_start();
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')).map(str::trim)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn standard_fields_follow_the_declared_language() {
        let obj = json!({"description": "Kick users", "x-genauth-i18n": {"zh-CN": {"description": "强制下线"}}});
        let t = I18n { std_lang: Lang::En }.text(&obj, "description");
        assert_eq!(t, Text::new(Some("Kick users".into()), Some("强制下线".into())));
        let t = I18n::from_info(&json!({"info": {}})).text(&json!({"summary": "离职"}), "summary");
        assert_eq!(t.zh.as_deref(), Some("离职"));
        assert_eq!(t.en, None);
    }

    #[test]
    fn enum_lines_are_parsed_with_continuations() {
        let d = "类型：\n- `user_id`: Authing 用户 ID\n- `identity`: 外部身份\n示例值：`a:b`。\n- `phone`: 手机号\n";
        assert_eq!(described_value(d, "user_id").as_deref(), Some("Authing 用户 ID"));
        assert_eq!(described_value(d, "identity").as_deref(), Some("外部身份\n示例值：`a:b`。"));
        assert_eq!(described_value(d, "user"), None);
        assert_eq!(described_value("- a: x", "a").as_deref(), Some("x"));
        let i18n = I18n { std_lang: Lang::En };
        let texts = enum_value_descriptions(
            &i18n,
            &json!({"x-enum-descriptions": ["one", "two"]}),
            &Text::default(),
            &["1".into(), "2".into()],
        );
        assert_eq!(texts[1].en.as_deref(), Some("two"));
    }
}
