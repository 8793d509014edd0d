//! The codegen report's paginator section: which operations got a paginator and why (grouped by
//! the shape that was recognised), and which take a page number and size but got none.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use genauth_codegen::model::Api;

/// The section, computed from the model.
#[derive(Debug, Default)]
pub struct PaginatorReport {
    /// Shape description -> operation names, both sorted.
    by_shape: BTreeMap<String, Vec<String>>,
    /// `name: why`, sorted.
    unpaged: Vec<String>,
}

impl PaginatorReport {
    /// The paginators of `api`.
    pub fn of(api: &Api) -> Self {
        let mut by_shape: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for op in &api.operations {
            if let Some(p) = &op.pagination {
                by_shape.entry(p.describe()).or_default().push(op.name.clone());
            }
        }
        let unpaged = api.unpaged.iter().map(|u| format!("{} ({})", u.operation, u.reason)).collect();
        PaginatorReport { by_shape, unpaged }
    }
}

/// Names joined by `, `, wrapped under an indent.
fn wrapped(names: &[String], indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for (i, name) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() { format!("{name}, ") } else { name.clone() };
        if !line.is_empty() && indent.len() + line.len() + piece.len() > 100 {
            let _ = writeln!(out, "{indent}{}", line.trim_end());
            line.clear();
        }
        line.push_str(&piece);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    out
}

impl fmt::Display for PaginatorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: usize = self.by_shape.values().map(Vec::len).sum();
        writeln!(f, "paginators: {total} operations walk all their pages (`into_paginator`)")?;
        for (shape, names) in &self.by_shape {
            writeln!(f, "  {shape} ({}):", names.len())?;
            write!(f, "{}", wrapped(names, "    "))?;
        }
        if !self.unpaged.is_empty() {
            writeln!(
                f,
                "  no paginator ({}; curate with `x-genauth-pagination` if one should have it):",
                self.unpaged.len()
            )?;
            for line in &self.unpaged {
                writeln!(f, "    {line}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_wrap_under_their_indent() {
        let names: Vec<String> = (0..30).map(|i| format!("operation_{i:02}")).collect();
        let text = wrapped(&names, "    ");
        assert!(text.lines().count() > 1, "{text}");
        assert!(text.lines().all(|l| l.starts_with("    ") && l.len() <= 100), "{text}");
        let rejoined: Vec<&str> = text.split([',', '\n', ' ']).filter(|s| !s.is_empty()).collect();
        assert_eq!(rejoined, names.iter().map(String::as_str).collect::<Vec<_>>());
    }
}
