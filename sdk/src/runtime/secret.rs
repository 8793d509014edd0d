//! A string that never shows itself in `Debug` or `Display`: the access key secret and
//! management tokens live in one of these so that logging a config, client or error cannot leak
//! them.

use std::fmt;

/// A secret string. `Debug` and `Display` print `[REDACTED]`; the value is only reachable through
/// [`Secret::expose`], which keeps every use greppable.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value, for signing or for the wire; never for logs.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of the secret in `text` (a body snippet we are about to put in
    /// an error) with `[REDACTED]`, in case a server echoes what it was sent.
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.0.len() < 4 {
            // A secret this short would redact ordinary words; real secrets are long.
            return text.to_owned();
        }
        text.replace(&self.0, "[REDACTED]")
    }
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
        assert_eq!(s.scrub("echo super-secret-value!"), "echo [REDACTED]!");
    }
}
