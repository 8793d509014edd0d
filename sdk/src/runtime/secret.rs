//! A string that never shows itself in `Debug` or `Display`: the access key secret and
//! management tokens live in one of these so that logging a config, client or error cannot leak
//! them.

use std::fmt;

/// A secret string. `Debug` and `Display` print `[REDACTED]`; the value is only reachable through
/// [`Secret::expose`], which keeps every use greppable. Its memory is zeroed when it is dropped
/// (copies made for the wire, a request body or a header value, are not).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl zeroize::ZeroizeOnDrop for Secret {}

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for signing or for the wire; never for logs.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Scrub {
    fn drop(&mut self) {
        // It holds copies of the secret and the call's credentials.
        zeroize::Zeroize::zeroize(&mut self.words);
    }
}

/// What error text must never hold: the access key secret, and every `authorization` value sent
/// on the call (a bearer token, or `<word> <ak>:<signature>`) with its credential parts. A proxy
/// or server that echoes what it was sent would otherwise put them into errors and WARN logs.
#[derive(Debug, Default)]
pub(crate) struct Scrub {
    /// Longest first, so a whole value is replaced before its parts.
    words: Vec<String>,
}

/// Parts of an `authorization` value shorter than this are not scrubbed: they would redact
/// ordinary text (the key id, the scheme word), and no token or signature is this short. The
/// secret and whole values are scrubbed whatever their length; a shorter one only where it
/// stands as a word of its own (`test` in `"secret":"test"`, not in `latest`).
const MIN_WORD: usize = 8;

impl Scrub {
    pub(crate) fn new(secret: &Secret, authorizations: &[String]) -> Self {
        let mut words = vec![secret.expose().to_owned()];
        let mut parts = Vec::new();
        for value in authorizations {
            words.push(value.clone());
            // `Bearer <token>` or `<word> <ak>:<signature>`: the credential after the scheme...
            if let Some((_, credential)) = value.split_once(' ') {
                parts.push(credential.trim().to_owned());
                // ...and a signature alone.
                if let Some((_, signature)) = credential.split_once(':') {
                    parts.push(signature.to_owned());
                }
            }
        }
        words.extend(parts.into_iter().filter(|w| w.len() >= MIN_WORD));
        // As JSON encoders write them into an echoed body: quotes, backslashes and control
        // characters escaped (every encoder), `/` too (PHP's), non-ASCII as `\uXXXX` (PHP's,
        // Python's by default).
        let escaped: Vec<String> = words.iter().flat_map(|w| json_forms(w)).collect();
        words.extend(escaped);
        words.retain(|w| !w.is_empty());
        words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        words.dedup();
        Scrub { words }
    }

    /// `text` with every word replaced by `[REDACTED]`.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for word in &self.words {
            if occurs(&out, word) {
                out = replace(&out, word);
            }
        }
        out
    }

    /// `headers` with every value that holds a word replaced by `[REDACTED]` (a proxy may echo
    /// the request's credentials into the response's headers).
    #[cfg_attr(
        not(feature = "full"),
        allow(dead_code, reason = "for response metadata, which only generated builders return")
    )]
    pub(crate) fn headers(&self, mut headers: http::HeaderMap) -> http::HeaderMap {
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes());
            if self.words.iter().any(|word| occurs(&text, word)) {
                *value = http::HeaderValue::from_static("[REDACTED]");
            }
        }
        headers
    }

    /// For a text cut short (a body snippet): also redacts a word's beginning left at its end.
    pub(crate) fn cut(&self, text: &str) -> String {
        let mut out = self.text(text);
        for word in &self.words {
            let longest = (MIN_WORD..word.len()).rev().find(|&n| word.is_char_boundary(n) && out.ends_with(&word[..n]));
            if let Some(n) = longest {
                out.truncate(out.len() - n);
                out.push_str("[REDACTED]");
            }
        }
        out
    }
}

/// Whether `word` occurs in `text` (a short one only as a word of its own, see [`MIN_WORD`]).
fn occurs(text: &str, word: &str) -> bool {
    if word.len() >= MIN_WORD {
        return text.contains(word);
    }
    text.match_indices(word).any(|(at, _)| standalone(text, at, word.len()))
}

/// `text` with `word` replaced by `[REDACTED]` where it [`occurs`].
fn replace(text: &str, word: &str) -> String {
    if word.len() >= MIN_WORD {
        return text.replace(word, "[REDACTED]");
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(word) {
        if at >= last && standalone(text, at, word.len()) {
            out.push_str(&text[last..at]);
            out.push_str("[REDACTED]");
            last = at + word.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Whether the `len` bytes at `at` in `text` are not part of a longer run of letters and digits.
fn standalone(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The other spellings of `word` in JSON text, if it has any: escaped quotes, backslashes and
/// control characters (every encoder), `/` as `\/` (PHP), `&`, `<` and `>` as `\u0026`,
/// `\u003c`, `\u003e` (Go), non-ASCII as UTF-16 escapes (PHP, Python), in lower- and upper-case
/// hex, and their combinations.
fn json_forms(word: &str) -> Vec<String> {
    let plain = serde_json::to_string(word).map(|q| q[1..q.len() - 1].to_owned()).unwrap_or_default();
    let go = |s: &str| s.replace('&', "\\u0026").replace('<', "\\u003c").replace('>', "\\u003e");
    let ascii = |s: &str, upper: bool| {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0u16; 2]) {
                    out.push_str(&if upper { format!("\\u{unit:04X}") } else { format!("\\u{unit:04x}") });
                }
            }
        }
        out
    };
    let mut forms = Vec::new();
    for base in [plain.clone(), plain.replace('/', "\\/")] {
        for escaped in [base.clone(), go(&base)] {
            forms.push(ascii(&escaped, false));
            forms.push(ascii(&escaped, true));
            // Upper-case hex in the encoder's own escapes too (`\u001F`).
            forms.push(upper_hex_escapes(&ascii(&escaped, true)));
            forms.push(escaped);
        }
    }
    forms.retain(|form| form != word);
    forms.sort();
    forms.dedup();
    forms
}

/// `text` with the hex digits of every `\uXXXX` escape in upper case.
fn upper_hex_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at + 2]);
        let digits = rest[at + 2..].chars().take(4).collect::<String>();
        out.push_str(&digits.to_ascii_uppercase());
        rest = &rest[at + 2 + digits.len()..];
    }
    out.push_str(rest);
    out
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_itself() {
        let s = Secret::new("super-secret-value");
        assert_eq!(format!("{s:?} {s}"), "[REDACTED] [REDACTED]");
        assert_eq!(s.expose(), "super-secret-value");
        assert_eq!(Scrub::new(&s, &[]).text("echo super-secret-value!"), "echo [REDACTED]!");
    }

    #[test]
    fn scrubs_a_short_secret_and_every_json_spelling_of_it() {
        // Before, a secret under 8 characters was never scrubbed, and one with a quote, a
        // backslash or a non-ASCII character only as written, not as an echoed JSON body has it.
        assert_eq!(Scrub::new(&Secret::new("s3cr"), &[]).text("echo s3cr"), "echo [REDACTED]");
        // A short one only as a word of its own: ordinary text keeps its words.
        let short = Scrub::new(&Secret::new("test"), &[]);
        assert_eq!(
            short.text(r#"{"secret":"test"} latest tests test"#),
            r#"{"secret":"[REDACTED]"} latest tests [REDACTED]"#
        );
        let scrub = Scrub::new(&Secret::new("pa\"ss\\wo/rd-密钥&<x>"), &[]);
        let echoed = serde_json::json!({ "echo": "pa\"ss\\wo/rd-密钥&<x>" }).to_string();
        for text in [
            // serde_json, JavaScript
            echoed.clone(),
            // PHP: `\/` and `\uXXXX`, lower- or upper-case
            r#"{"echo":"pa\"ss\\wo\/rd-\u5bc6\u94a5&<x>"}"#.to_owned(),
            r#"{"echo":"pa\"ss\\wo\/rd-\u5BC6\u94A5&<x>"}"#.to_owned(),
            // Python: `\uXXXX` without `\/`
            r#"{"echo":"pa\"ss\\wo/rd-\u5bc6\u94a5&<x>"}"#.to_owned(),
            // Go: `&`, `<`, `>` escaped, the rest as written
            r#"{"echo":"pa\"ss\\wo/rd-密钥\u0026\u003cx\u003e"}"#.to_owned(),
        ] {
            let out = scrub.text(&text);
            assert!(out.contains("[REDACTED]") && !out.contains("rd-"), "{text} -> {out}");
        }
    }

    #[test]
    fn scrubs_authorization_values_and_their_parts() {
        let scrub = Scrub::new(
            &Secret::new("the-secret-1"),
            &["Bearer eyJhbGciOi.eyJzY29w.c2ln".into(), "GenAuth my-ak:PFboTzV5F7Wj/U4yKCFm+cRDTZ6tk=".into()],
        );
        let text = "authorization: Bearer eyJhbGciOi.eyJzY29w.c2ln; token=eyJhbGciOi.eyJzY29w.c2ln \
                    sig=PFboTzV5F7Wj/U4yKCFm+cRDTZ6tk= json=PFboTzV5F7Wj\\/U4yKCFm+cRDTZ6tk= ak=my-ak short";
        let out = scrub.text(text);
        for leaked in ["eyJhbGciOi", "PFboTzV5F7Wj", "U4yKCFm"] {
            assert!(!out.contains(leaked), "{out}");
        }
        assert!(out.contains("ak=my-ak short"), "the key id and short words stay: {out}");
        // A snippet cut in the middle of a token.
        assert_eq!(scrub.cut("x: Bearer eyJhbGciOi.eyJ"), "x: [REDACTED]");
    }
}
