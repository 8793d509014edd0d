//! Rust identifiers from spec names.
//!
//! Spec names are arbitrary strings (`userIdType`, `wechat:pc`, `2fa`, `type`, `名称`, ``), Rust
//! identifiers are not. Every function here is total and deterministic: the same input always
//! gives the same legal ASCII identifier, so generated code does not churn between runs.
//!
//! Casing alone can merge distinct names (`userId` and `user_id` are both `user_id`); that is
//! resolved by [`UniqueNames`], which hands out numeric suffixes in declaration order. Reporting the
//! rename is the caller's job (it knows the JSON pointer).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every Rust keyword: strict, 2018+ reserved (`async`, `dyn`, `try`), 2024 (`gen`) and the
/// reserved-for-future ones. Snake-case identifiers equal to one of these get a `_` suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified (prelude, `std` and `serde_json` imports). A
/// spec type with one of these names would shadow them, so type naming treats them as taken.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Clone",
    "Default",
    "Err",
    "Error",
    "Future",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "Result",
    "Send",
    "Some",
    "String",
    "ToString",
    "Value",
    "Vec",
];

/// Method names the client type already has (its hand-written constructors and accessors in the
/// sdk runtime, and methods of the traits it implements). An operation with one of these names
/// would fail to compile or, worse, shadow `.clone()`, so operation naming treats them as taken.
pub const RESERVED_METHOD_NAMES: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "config",
    "eq",
    "execute",
    "fmt",
    "from",
    "from_env",
    "into",
    "new",
    "raw_request",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
    // `AuthenticationClient`'s hand-written OpenID Connect methods (sdk/src/runtime/oidc).
    "authorize_url",
    "client_credentials",
    "exchange_code",
    "introspect_token",
    "logout_url",
    "refresh",
    "refreshing",
    "revoke_token",
    // ... and its event subscription (sdk/src/runtime/events/subscribe.rs).
    "subscribe",
    "subscribe_with",
    "userinfo",
    "verifier",
];

/// True for any Rust keyword (strict or reserved, in any edition).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A snake_case identifier for a field, parameter or method: `userIdType` => `user_id_type`,
/// `type` => `type_`, `2fa` => `n2fa`, `名称` => `u540d_u79f0`, `` => `empty`.
pub fn snake_ident(raw: &str) -> String {
    let cased = encode_non_ascii(raw).to_snake_case();
    let mut out: String = cased.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if out.is_empty() {
        out.push_str("empty");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        // `n` for "number": `_2fa` would trip the unused-variable convention and lints.
        out.insert(0, 'n');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// A PascalCase identifier for a type or enum variant: `wechat:pc` => `WechatPc`, `1` => `V1`,
/// `名称` => `U540dU79f0`, `` => `Empty`, `Self` => `SelfValue`.
pub fn pascal_ident(raw: &str) -> String {
    let cased = encode_non_ascii(raw).to_upper_camel_case();
    let mut out: String = cased.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if out.is_empty() {
        out.push_str("Empty");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        // `V` for "value": enum values like `1` are the common case.
        out.insert(0, 'V');
    }
    if is_keyword(&out) {
        // Only `Self` can get here. `Self_` would trip `non_camel_case_types`, so spell it out.
        out.push_str("Value");
    }
    out
}

/// Replaces each non-ASCII character with ` u{hex} ` (a word of its own), so the casing functions
/// see ASCII words only and distinct names stay distinct: `名称` => ` u540d  u79f0 `.
fn encode_non_ascii(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!(" u{:x} ", u32::from(c)));
        }
    }
    out
}

/// Hands out unique names within one namespace: the first claim of a name gets it as is, later
/// claims get `name2`, `name3`, ... (the first free one), so renames follow declaration order.
#[derive(Debug, Clone, Default)]
pub struct UniqueNames {
    used: BTreeSet<String>,
}

impl UniqueNames {
    /// An empty namespace.
    pub fn new() -> Self {
        UniqueNames::default()
    }

    /// A namespace where `names` are already taken (and can only be had with a suffix).
    pub fn with_taken<S: AsRef<str>>(names: &[S]) -> Self {
        UniqueNames { used: names.iter().map(|s| s.as_ref().to_owned()).collect() }
    }

    /// True when `name` is already taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Marks `name` taken without checking (for names fixed elsewhere).
    pub fn take(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// Claims `base`, or the first free `base{n}` for n = 2, 3, ... Returns the name granted.
    pub fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2u64;
        while self.used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_handles_case_keywords_digits_and_punctuation() {
        assert_eq!(snake_ident("userIdType"), "user_id_type");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("Self"), "self_");
        assert_eq!(snake_ident("crate"), "crate_");
        assert_eq!(snake_ident("super"), "super_");
        assert_eq!(snake_ident("async"), "async_");
        assert_eq!(snake_ident("gen"), "gen_");
        assert_eq!(snake_ident("2fa"), "n2fa");
        assert_eq!(snake_ident("x-authing-userpool-id"), "x_authing_userpool_id");
        assert_eq!(snake_ident("wechat:pc"), "wechat_pc");
        assert_eq!(snake_ident("a.b c"), "a_b_c");
        assert_eq!(snake_ident(""), "empty");
        assert_eq!(snake_ident("--"), "empty");
    }

    #[test]
    fn pascal_handles_case_keywords_digits_and_punctuation() {
        assert_eq!(pascal_ident("wechat:pc"), "WechatPc");
        assert_eq!(pascal_ident("azure-ad"), "AzureAd");
        assert_eq!(pascal_ident("user_id"), "UserId");
        assert_eq!(pascal_ident("1"), "V1");
        assert_eq!(pascal_ident("two words"), "TwoWords");
        assert_eq!(pascal_ident(""), "Empty");
        assert_eq!(pascal_ident("self"), "SelfValue");
        assert_eq!(pascal_ident("KickUsersDto"), "KickUsersDto");
    }

    #[test]
    fn non_ascii_is_encoded_deterministically() {
        assert_eq!(snake_ident("名称"), "u540d_u79f0");
        assert_eq!(pascal_ident("名称"), "U540dU79f0");
        assert_eq!(snake_ident("用户id"), "u7528_u6237_id");
        assert!(snake_ident("é").is_ascii());
        assert_ne!(snake_ident("名称"), snake_ident("名字"));
    }

    #[test]
    fn unique_names_suffix_in_claim_order() {
        let mut names = UniqueNames::new();
        assert_eq!(names.claim(&snake_ident("userId")), "user_id");
        assert_eq!(names.claim(&snake_ident("user_id")), "user_id2");
        assert_eq!(names.claim("user_id"), "user_id3");
        let mut types = UniqueNames::with_taken(RESERVED_TYPE_NAMES);
        assert_eq!(types.claim("Error"), "Error2");
        assert_eq!(types.claim("Foo"), "Foo");
    }
}
