//! Problems found in a spec, each tied to the JSON pointer where it is.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation went on (the input is odd or spec-invalid but meaningful).
    Warning,
    /// Generation cannot produce correct output.
    Error,
}

/// One problem, located by a JSON pointer into the spec document (RFC 6901, written as a URI
/// fragment: `#/paths/~1api~1v3~1kick-users/post/requestBody`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// Where in the document.
    pub pointer: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), message: message.into() }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, pointer: pointer.into(), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {} (at {})", self.message, self.pointer)
    }
}

/// The errors that stopped generation (at least one), plus any warnings found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The same diagnostics, each pointer prefixed with the path of the document it is in
    /// (`spec/authentication-openapi.json#/paths/...`), for runs over several documents.
    pub fn in_document(mut self, spec_path: &str) -> Diagnostics {
        for d in &mut self.0 {
            d.pointer = format!("{spec_path}{}", d.pointer);
        }
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Builds JSON pointers: `pointer(&["paths", "/api/v3/x", "post"])` is
/// `#/paths/~1api~1v3~1x/post`.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::from("#");
    for s in segments {
        out.push('/');
        push_escaped(&mut out, s.as_ref());
    }
    out
}

/// Appends one segment to an existing pointer.
pub fn child(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, segment);
    out
}

fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(pointer(&["paths", "/api/v3/kick-users", "post"]), "#/paths/~1api~1v3~1kick-users/post");
        assert_eq!(child("#/a", "x~y"), "#/a/x~0y");
    }
}
