//! Chinese in a text, told by the Unicode Character Database's script data (the `unicode-script`
//! crate): a judge independent of the generator's own `has_cjk`, whose ranges are under test.

use unicode_script::{Script, UnicodeScript as _};

/// Whether `text` holds a Han character, or CJK punctuation (a character past U+3000 whose
/// script extensions include Han, such as `，` and `。`).
pub fn has_chinese(text: &str) -> bool {
    text.chars()
        .any(|c| c.script() == Script::Han || (c >= '\u{3000}' && c.script_extension().contains_script(Script::Han)))
}

#[test]
fn han_and_cjk_punctuation_are_chinese_latin_is_not() {
    for chinese in ["用户", "a，b", "。", "（注）", "「引」"] {
        assert!(has_chinese(chinese), "{chinese}");
    }
    for other in ["user id", "naïve café", "·", "A–Z — “quoted”", "١٢٣", "Ａ"] {
        assert!(!has_chinese(other), "{other}");
    }
}
