//! `cargo xtask codegen --timings`: how long each stage of a run took, and the process's peak
//! memory, on one line that the regeneration benchmark reads back.

use std::fmt;
use std::time::Duration;

use genauth_codegen::Stages;

/// The stages of one `cargo xtask codegen` run, in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading `spec/`: the files, the spec's JSON and the layers' YAML (parsed side by side).
    pub read: Duration,
    /// The generator's own stages.
    pub generate: Stages,
    /// Comparing with the checked-in files and writing those that differ (and, beside it,
    /// working out the API changes).
    pub write: Duration,
    /// The whole run.
    pub total: Duration,
}

/// The label that starts the line, which the benchmark looks for.
pub const LABEL: &str = "timings:";

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let Stages { layers, validate, model, emit } = self.generate;
        write!(
            f,
            "{LABEL} read {:.1} ms, layers {:.1} ms, validate {:.1} ms",
            ms(self.read),
            ms(layers),
            ms(validate)
        )?;
        write!(f, ", model {:.1} ms, emit {:.1} ms, write {:.1} ms", ms(model), ms(emit), ms(self.write))?;
        write!(f, "; total {:.1} ms", ms(self.total))?;
        match peak_memory() {
            Some(bytes) => writeln!(f, "; peak memory {:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
            None => writeln!(f, "; peak memory unknown"),
        }
    }
}

/// The process's peak resident memory so far (`VmHWM` in `/proc/self/status`); `None` where
/// that file does not exist (not Linux) or says nothing usable.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_every_stage_in_order() {
        let timings = Timings {
            read: Duration::from_millis(1),
            generate: Stages {
                layers: Duration::from_millis(2),
                validate: Duration::from_millis(3),
                model: Duration::from_millis(4),
                emit: Duration::from_millis(5),
            },
            write: Duration::from_micros(6_500),
            total: Duration::from_millis(22),
        };
        let line = timings.to_string();
        let expected = "timings: read 1.0 ms, layers 2.0 ms, validate 3.0 ms, model 4.0 ms, emit 5.0 ms, write 6.5 ms; total 22.0 ms; peak memory ";
        assert!(line.starts_with(expected), "{line}");
        // This test runs on Linux in CI, where the peak is known and above zero.
        if cfg!(target_os = "linux") {
            assert!(peak_memory().is_some_and(|bytes| bytes > 0), "{line}");
        }
    }
}
