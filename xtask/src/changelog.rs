//! `sdk/CHANGELOG.md` and the full upgrade report: what `cargo xtask codegen` writes down when a
//! regeneration changes the API, for the maintainer to edit and to read in full.

use std::fs;
use std::path::Path;

use genauth_codegen::manifest::Comparison;

/// The crate's changelog, relative to the workspace root.
pub const CHANGELOG: &str = "sdk/CHANGELOG.md";
/// The full upgrade report (every line; the printed one is cut), relative to the workspace root.
pub const FULL_REPORT: &str = "target/api-changes.md";
/// The section new entries go to.
const UNRELEASED: &str = "## [Unreleased]";

/// What was written down about the API's changes.
#[derive(Debug, Default)]
pub struct Written {
    /// The full report's path, when there was anything to report.
    pub full_report: Option<&'static str>,
    /// Whether a changelog entry was added.
    pub changelog_entry: bool,
}

/// Writes the full report of each document's `changes` (both modes) and, in write mode, adds
/// their changelog entries to `sdk/CHANGELOG.md` (when that file exists: a scratch root without
/// one gets no entry). Documents whose API did not change are left out.
pub fn write_down(root: &Path, changes: &[(&str, &Comparison)], add_entry: bool) -> Result<Written, String> {
    let mut written = Written::default();
    let changed: Vec<&(&str, &Comparison)> = changes.iter().filter(|(_, c)| !c.is_unchanged()).collect();
    if changed.is_empty() {
        return Ok(written);
    }
    let mut text = String::from("# API changes since the checked-in output\n");
    for (spec_path, changes) in &changed {
        text.push_str(&format!("\n## {spec_path}\n\n```text\n{changes:#}```\n"));
    }
    let report = root.join(FULL_REPORT);
    fs::create_dir_all(report.parent().expect("a file path has a parent"))
        .and_then(|()| fs::write(&report, text))
        .map_err(|e| format!("cannot write {FULL_REPORT}: {e}"))?;
    written.full_report = Some(FULL_REPORT);
    let changelog = root.join(CHANGELOG);
    if !(add_entry && changelog.exists()) {
        return Ok(written);
    }
    // Entries go first in the section, so the first document's entry is added last.
    for (spec_path, changes) in changed.iter().rev() {
        if let Some(entry) = changes.changes().and_then(|c| c.changelog_entry(spec_path)) {
            let text = crate::codegen::read_text(&changelog).map_err(|e| format!("cannot read {CHANGELOG}: {e}"))?;
            fs::write(&changelog, with_entry(&text, &entry)).map_err(|e| format!("cannot write {CHANGELOG}: {e}"))?;
            written.changelog_entry = true;
        }
    }
    Ok(written)
}

/// `changelog` (LF line endings, as [`read_text`](crate::codegen::read_text) gives it) with
/// `entry` first in its `## [Unreleased]` section, which is made below the title (the first
/// line) when there is none.
fn with_entry(changelog: &str, entry: &str) -> String {
    let entry = entry.trim_end();
    match changelog.find(&format!("\n{UNRELEASED}\n")) {
        Some(at) => {
            let after = at + 1 + UNRELEASED.len() + 1;
            format!("{}\n{entry}\n\n{}", &changelog[..after], changelog[after..].trim_start_matches('\n'))
        }
        None => {
            let (title, rest) = changelog.split_once('\n').unwrap_or((changelog, ""));
            format!("{title}\n\n{UNRELEASED}\n\n{entry}\n\n{}", rest.trim_start_matches('\n'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_goes_first_in_the_unreleased_section() {
        let log = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n- x\n\n## [0.1.0]\n- y\n";
        assert_eq!(
            with_entry(log, "### API changes\n- a\n"),
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### API changes\n- a\n\n### Added\n- x\n\n## [0.1.0]\n- y\n"
        );
        // No such section yet: made below the title.
        assert_eq!(
            with_entry("# Changelog\n\n## [0.1.0]\n", "E\n"),
            "# Changelog\n\n## [Unreleased]\n\nE\n\n## [0.1.0]\n"
        );
    }

    #[test]
    fn the_full_report_and_the_entry_are_written_only_when_the_api_changed() {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("sdk")).expect("mkdir");
        fs::write(root.path().join(CHANGELOG), "# Changelog\n\n## [Unreleased]\n").expect("changelog");
        let op = "operation a GET /a -> X\n";
        let same = genauth_codegen::manifest::compare(Some(op), op);
        let written = write_down(root.path(), &[("spec/x.json", &same)], true).expect("writes");
        assert!(written.full_report.is_none() && !written.changelog_entry);
        assert!(!root.path().join(FULL_REPORT).exists());

        let many: String = (0..50).map(|i| format!("operation op{i:02} GET /op/{i} -> X\n")).collect();
        let removed = genauth_codegen::manifest::compare(Some(&many), "");
        // Check mode: the report, never the changelog.
        let written = write_down(root.path(), &[("spec/x.json", &removed)], false).expect("writes");
        assert_eq!((written.full_report, written.changelog_entry), (Some(FULL_REPORT), false));
        let report = fs::read_to_string(root.path().join(FULL_REPORT)).expect("report");
        assert!(report.contains("- operation op49 removed") && !report.contains("more"), "{report}");
        assert_eq!(fs::read_to_string(root.path().join(CHANGELOG)).expect("log"), "# Changelog\n\n## [Unreleased]\n");
        // Write mode: the entry too, every line of it.
        assert!(write_down(root.path(), &[("spec/x.json", &removed)], true).expect("writes").changelog_entry);
        let log = fs::read_to_string(root.path().join(CHANGELOG)).expect("log");
        assert!(
            log.starts_with("# Changelog\n\n## [Unreleased]\n\n### API changes (regenerated from `spec/x.json`)"),
            "{log}"
        );
        assert_eq!(log.matches("\n- - operation op").count(), 50, "{log}");
        // A CRLF checkout of the changelog reads the same.
        fs::write(root.path().join(CHANGELOG), "# Changelog\r\n\r\n## [Unreleased]\r\n").expect("crlf");
        write_down(root.path(), &[("spec/x.json", &removed)], true).expect("writes");
        assert_eq!(fs::read_to_string(root.path().join(CHANGELOG)).expect("log"), log);
    }
}
