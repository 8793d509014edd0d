//! Table printing, statistics and the combined report file, shared by every bench binary of the
//! workspace (`codegen/benches/*` and, through `#[path]`, `tests/benches/*`). It lives in a
//! subdirectory so Cargo does not take it for a bench target of its own.
//!
//! The benches print Markdown pipe tables padded to line up, so the same text reads well in a
//! terminal and can be pasted into the README unchanged. Each bench binary also writes its
//! section to `<target>/bench-report/<order>-<name>.md` and rebuilds `<target>/bench-report.md`
//! from all sections, in a fixed order: `cargo bench` runs the binaries one after another (in an
//! order it chooses), and whichever runs last leaves the complete report behind.

#![allow(dead_code, reason = "each bench binary uses a different subset")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One titled table.
pub struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

impl Table {
    /// A table with `headers`; the first column is left-aligned, the others (numbers) right.
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Table {
        Table {
            title: title.into(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Appends a row; it must have one cell per header.
    pub fn row(&mut self, cells: Vec<String>) {
        assert_eq!(cells.len(), self.headers.len(), "row width of table `{}`", self.title);
        self.rows.push(cells);
    }

    /// A line printed under the table.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// The table as aligned Markdown, title first.
    pub fn render(&self) -> String {
        let width = |c: usize| {
            self.rows.iter().map(|r| r[c].chars().count()).chain([self.headers[c].chars().count(), 3]).max().unwrap()
        };
        let widths: Vec<usize> = (0..self.headers.len()).map(width).collect();
        let line = |cells: &[String]| {
            let mut out = String::from("|");
            for (c, cell) in cells.iter().enumerate() {
                let pad = widths[c] - cell.chars().count();
                if c == 0 {
                    write!(out, " {cell}{} |", " ".repeat(pad)).unwrap();
                } else {
                    write!(out, " {}{cell} |", " ".repeat(pad)).unwrap();
                }
            }
            out.push('\n');
            out
        };
        let mut out = format!("### {}\n\n", self.title);
        out.push_str(&line(&self.headers));
        out.push('|');
        for (c, w) in widths.iter().enumerate() {
            let dashes = "-".repeat(*w);
            if c == 0 {
                write!(out, " {dashes} |").unwrap();
            } else {
                write!(out, " {}: |", &dashes[1..]).unwrap();
            }
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                writeln!(out, "{note}").unwrap();
            }
        }
        out.push('\n');
        out
    }
}

/// The median of `values` (mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The `p`-th percentile (0..=100) by nearest rank, so p99 is a latency some call really had.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// A duration in the unit that keeps 3 significant digits readable.
pub fn fmt_secs(secs: f64) -> String {
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.1} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

/// [`fmt_secs`] of a `Duration`.
pub fn fmt_duration(d: Duration) -> String {
    fmt_secs(d.as_secs_f64())
}

/// Bytes in B, KiB or MiB.
pub fn fmt_bytes(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
    } else if bytes < 1024.0 {
        format!("{bytes:.0} B")
    } else {
        format!("{:.0} KiB", bytes / 1024.0)
    }
}

/// An integer with thousands separators (`12,345`).
pub fn fmt_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The workspace root: both crates that include this file sit directly below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("a workspace member has a parent").to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` when set (Cargo passes it through to bench
/// binaries), `<workspace>/target` otherwise.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// One line about where the numbers come from.
pub fn machine_line() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let profile = if cfg!(debug_assertions) { "debug (numbers not representative)" } else { "release" };
    format!("{cores} cores, {} {}, {profile} build", std::env::consts::OS, std::env::consts::ARCH)
}

/// Prints `tables` under a section heading and stores the section for `<target>/bench-report.md`
/// (`order` places it among the other benches' sections).
pub fn publish(order: u8, name: &str, heading: &str, tables: &[Table]) {
    let mut text = format!("## {heading}\n\n_{}_\n\n", machine_line());
    for table in tables {
        text.push_str(&table.render());
    }
    print!("\n{text}");
    // Smoke runs (`cargo test --benches`, no `--bench` argument) must not replace real numbers.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Err(e) = store(order, name, &text) {
        eprintln!("warning: could not write the bench report: {e}");
    }
}

fn store(order: u8, name: &str, text: &str) -> std::io::Result<()> {
    let target = target_dir();
    let sections = target.join("bench-report");
    std::fs::create_dir_all(&sections)?;
    std::fs::write(sections.join(format!("{order:02}-{name}.md")), text)?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(&sections)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    names.sort();
    let mut combined = String::from("# genauth-rs benchmarks (`cargo bench`)\n\n");
    for path in names {
        combined.push_str(&std::fs::read_to_string(path)?);
    }
    let report = target.join("bench-report.md");
    std::fs::write(&report, combined)?;
    println!("(report: {})", report.display());
    Ok(())
}
