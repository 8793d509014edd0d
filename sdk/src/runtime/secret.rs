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
/// secret and whole values are scrubbed whatever their length.
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
            if out.contains(word.as_str()) {
                out = out.replace(word.as_str(), "[REDACTED]");
            }
        }
        out
    }

    /// `headers` with every value that holds a word replaced by `[REDACTED]` (a proxy may echo
    /// the request's credentials into the answer's headers).
    #[cfg_attr(
        not(feature = "full"),
        allow(dead_code, reason = "for response metadata, which only generated builders return")
    )]
    pub(crate) fn headers(&self, mut headers: http::HeaderMap) -> http::HeaderMap {
        for value in headers.values_mut() {
            let text = String::from_utf8_lossy(value.as_bytes());
            if self.words.iter().any(|word| text.contains(word.as_str())) {
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

/// The other spellings of `word` in JSON text, if it has any.
fn json_forms(word: &str) -> Vec<String> {
    let plain = serde_json::to_string(word).map(|q| q[1..q.len() - 1].to_owned()).unwrap_or_default();
    let slashed = plain.replace('/', "\\/");
    // Non-ASCII as UTF-16 escapes, in lower- and upper-case hex (encoders differ).
    let ascii = |upper: bool| {
        let mut out = String::new();
        for c in slashed.chars() {
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
    let mut forms = vec![plain.clone(), slashed.clone(), ascii(false), ascii(true)];
    forms.retain(|form| form != word);
    forms
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
        let scrub = Scrub::new(&Secret::new("pa\"ss\\wo/rd-密钥"), &[]);
        let echoed = serde_json::json!({ "echo": "pa\"ss\\wo/rd-密钥" }).to_string();
        for text in [
            echoed.clone(),
            echoed.replace('/', "\\/"),
            r#"{"echo":"pa\"ss\\wo\/rd-\u5bc6\u94a5"}"#.to_owned(),
            r#"{"echo":"pa\"ss\\wo\/rd-\u5BC6\u94A5"}"#.to_owned(),
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
