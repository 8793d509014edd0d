//! Identifiers and literals as tokens.
//!
//! The model promises legal, unique names, but `proc_macro2::Ident::new` panics on anything else,
//! and an emitter must not panic on a model it was handed. So every name goes through [`ident`],
//! which turns whatever it gets into some legal identifier (the same input always gives the same
//! output, so output stays deterministic).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_OK_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NEVER_IDENT: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A legal identifier for `name`: as is when legal, raw (`r#type`) for a keyword that allows it,
/// otherwise with illegal characters replaced by `_` (and a `_` appended to keywords that cannot be
/// raw).
pub(crate) fn ident(name: &str) -> Ident {
    let name = name.strip_prefix("r#").unwrap_or(name);
    if RAW_OK_KEYWORDS.contains(&name) {
        return Ident::new_raw(name, Span::call_site());
    }
    if NEVER_IDENT.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    // The model's names are plain ASCII, checked here without lexing; anything else is left to
    // syn's judgement (Unicode identifiers are legal Rust too).
    if is_plain_ascii_ident(name) || (!name.is_ascii() && syn::parse_str::<Ident>(name).is_ok()) {
        return Ident::new(name, Span::call_site());
    }
    // Not legal as given: keep ASCII letters, digits and `_`, so the result is certainly legal.
    let mut cleaned: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) || cleaned == "_" {
        cleaned.insert(0, 'x');
    }
    ident(&cleaned)
}

/// `[A-Za-z_][A-Za-z0-9_]*` and not `_` alone: legal once keywords are ruled out, as [`ident`]
/// does before asking.
fn is_plain_ascii_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && name != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` prefixed with `prefix` (`with_` + `user_id`), as a legal identifier.
pub(crate) fn prefixed(prefix: &str, name: &str) -> Ident {
    ident(&format!("{prefix}{}", name.strip_prefix("r#").unwrap_or(name)))
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> Literal {
    Literal::string(s)
}

/// A raw string literal token (`r#"..."#`, with as many `#` as `s` needs): for doc text, which
/// is most of the generated code. An escaped literal costs an escape pass when it is made and an
/// unescape pass when syn reads it back; a raw one is copied both times. It reads back as the
/// same value, so the printed docs are the same.
pub(crate) fn raw_lit(s: &str) -> Literal {
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    // A raw string holds any text but a bare CR (which Rust source cannot contain in a literal).
    if s.contains('\r') {
        return lit(s);
    }
    format!("r{hashes}\"{s}\"{hashes}").parse().unwrap_or_else(|_| lit(s))
}

/// `base`, or `base` with `_` appended until it is not in `taken`; the result is added to `taken`.
pub(crate) fn unique(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens as _;

    #[test]
    fn every_input_gives_a_legal_identifier() {
        assert_eq!(ident("user_id").to_string(), "user_id");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("wechat:pc").to_string(), "wechat_pc");
        assert_eq!(ident("1st").to_string(), "x1st");
        assert_eq!(ident("").to_string(), "x");
        assert_eq!(prefixed("with_", "type_").to_string(), "with_type_");
        assert_eq!(ident("_").to_string(), "__");
        assert_eq!(ident("_x9").to_string(), "_x9");
        assert_eq!(ident("名字").to_string(), "名字");
        assert_eq!(ident("a-b").to_string(), "a_b");
        // syn would accept it (it trims), `Ident::new` would panic on it.
        assert_eq!(ident(" a ").to_string(), "_a_");
    }

    /// A raw literal reads back as exactly its text, whatever quotes and `#`s the text holds.
    #[test]
    fn raw_literals_read_back_as_their_text() {
        for text in
            ["", " plain", " \"quoted\"", " a \"# b \"## c", " 中文 `code` \\ backslash", " tab\there", " cr\rhere"]
        {
            let lit: syn::LitStr = syn::parse2(raw_lit(text).into_token_stream()).expect("a string literal");
            assert_eq!(lit.value(), text);
        }
    }

    /// The quick ASCII check agrees with syn on every short ASCII name.
    #[test]
    fn the_ascii_check_agrees_with_syn() {
        let alphabet = ['a', 'Z', '0', '9', '_', '-', ' ', '#'];
        let mut names = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> =
                names.iter().flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}"))).collect();
            names.extend(longer);
        }
        // syn trims surrounding whitespace before parsing, which `Ident::new` does not accept.
        for name in names.into_iter().filter(|n| n.trim() == n) {
            let syn_says = syn::parse_str::<Ident>(&name).is_ok();
            assert_eq!(is_plain_ascii_ident(&name), syn_says, "{name:?}");
        }
    }
}
