//! Client-side checks of the constraints the spec states, run before a request leaves the
//! process. Generated types implement [`Validate`]; a violation becomes [`ValidationError`].

use std::fmt;

/// Which rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Fewer items than `minItems`.
    MinItems,
    /// More items than `maxItems`.
    MaxItems,
    /// Shorter than `minLength` characters.
    MinLength,
    /// Longer than `maxLength` characters.
    MaxLength,
    /// Below `minimum`.
    Minimum,
    /// Above `maximum`.
    Maximum,
    /// A request body given to a method that carries none (`GET`, `HEAD`).
    BodyNotAllowed,
}

impl Rule {
    /// The spec keyword for the rule (`maxItems`).
    pub fn keyword(self) -> &'static str {
        match self {
            Rule::MinItems => "minItems",
            Rule::MaxItems => "maxItems",
            Rule::MinLength => "minLength",
            Rule::MaxLength => "maxLength",
            Rule::Minimum => "minimum",
            Rule::Maximum => "maximum",
            Rule::BodyNotAllowed => "requestBody",
        }
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Violation {
    /// Path of the value, with wire names (`appIds`, `options.userIdType`, `items[3].name`).
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
    /// What is wrong, in a sentence (`has 51 items, at most 50 allowed`).
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.field, self.message)
    }
}

/// A request that was not sent because its inputs break the spec's constraints.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The operation (`kick_users`).
    pub operation: &'static str,
    /// Every violation found (at least one).
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input for `{}`: ", self.operation)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Implemented by generated types: report every broken constraint into `v`.
pub(crate) trait Validate {
    fn validate(&self, v: &mut Violations);
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, v: &mut Violations) {
        (**self).validate(v)
    }
}

/// Collects violations while walking a request; keeps the path to the value being checked.
/// Only generated code makes one: a spec without constraints (or a build without the API groups
/// that have them) makes none.
#[derive(Debug)]
#[allow(dead_code, reason = "made by generated code only, when an input has a constraint")]
pub(crate) struct Violations {
    operation: &'static str,
    path: Vec<String>,
    found: Vec<Violation>,
}

#[allow(dead_code, reason = "made by generated code only, when an input has a constraint")]
impl Violations {
    pub(crate) fn new(operation: &'static str) -> Self {
        Violations { operation, path: Vec::new(), found: Vec::new() }
    }

    /// `Ok` when nothing was found, else the [`ValidationError`] (as the crate's `Error`).
    pub(crate) fn finish(self) -> Result<(), crate::Error> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Validation(ValidationError { operation: self.operation, violations: self.found }))
        }
    }

    fn push(&mut self, field: &str, rule: Rule, message: String) {
        let mut path = self.path.join(".");
        if !path.is_empty() && !field.starts_with('[') {
            path.push('.');
        }
        path.push_str(field);
        self.found.push(Violation { field: path, rule, message });
    }

    /// `minItems` / `maxItems` on a collection of `len` items.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn items(&mut self, field: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if let Some(min) = min.filter(|&min| len < min) {
            self.push(field, Rule::MinItems, format!("has {len} items, at least {min} required"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.push(field, Rule::MaxItems, format!("has {len} items, at most {max} allowed"));
        }
    }

    /// `minLength` / `maxLength`, counted in characters (as JavaScript servers count UTF-16
    /// units this is exact for the BMP, which covers the ids and names these limits guard).
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn length(&mut self, field: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        let len = value.chars().count() as u64;
        if let Some(min) = min.filter(|&min| len < min) {
            self.push(field, Rule::MinLength, format!("has {len} characters, at least {min} required"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.push(field, Rule::MaxLength, format!("has {len} characters, at most {max} allowed"));
        }
    }

    /// `minimum` / `maximum`.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn range(&mut self, field: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if let Some(min) = min.filter(|&min| value < min) {
            self.push(field, Rule::Minimum, format!("is {value}, at least {min} required"));
        }
        if let Some(max) = max.filter(|&max| value > max) {
            self.push(field, Rule::Maximum, format!("is {value}, at most {max} allowed"));
        }
    }

    /// Checks a nested value under `field`.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn nested<T: Validate + ?Sized>(&mut self, field: &str, value: &T) {
        self.path.push(field.to_owned());
        value.validate(self);
        self.path.pop();
    }

    /// Checks each element of a list under `field[i]`.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn each<'a, T: Validate + 'a>(&mut self, field: &str, values: impl IntoIterator<Item = &'a T>) {
        for (i, value) in values.into_iter().enumerate() {
            self.path.push(format!("{field}[{i}]"));
            value.validate(self);
            self.path.pop();
        }
    }

    /// Checks each value of a map under `field.key`.
    #[allow(
        dead_code,
        reason = "called by generated code only when the spec has such a constraint or shape; the checked-in spec may not"
    )]
    pub(crate) fn each_value<'a, T: Validate + 'a>(
        &mut self,
        field: &str,
        values: impl IntoIterator<Item = (&'a String, &'a T)>,
    ) {
        for (key, value) in values {
            self.path.push(format!("{field}.{key}"));
            value.validate(self);
            self.path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner(Vec<String>);
    impl Validate for Inner {
        fn validate(&self, v: &mut Violations) {
            v.items("ids", self.0.len(), Some(1), Some(2));
        }
    }

    #[test]
    fn reports_every_violation_with_its_path() {
        let mut v = Violations::new("op");
        v.length("userId", "", Some(1), None);
        v.nested("options", &Inner(vec![]));
        v.each("list", &[Inner(vec!["a".into(); 3])]);
        v.length("name", "张三四", None, Some(2));
        let crate::Error::Validation(err) = v.finish().unwrap_err() else { panic!("not a validation error") };
        let fields: Vec<_> = err.violations.iter().map(|v| (v.field.as_str(), v.rule)).collect();
        assert_eq!(
            fields,
            [
                ("userId", Rule::MinLength),
                ("options.ids", Rule::MinItems),
                ("list[0].ids", Rule::MaxItems),
                ("name", Rule::MaxLength)
            ]
        );
        assert!(Violations::new("op").finish().is_ok());
    }
}
