//! Codegen benchmark: time and peak heap of `generate` (read and validate + model + emit) on synthetic specs
//! of growing size and on `spec/`, with time per operation, so linear growth shows as a flat
//! per-operation column. Prints tables; never fails on time.
//!
//! Target: the 800-operation spec in under a second (release).
//!
//! Run with `cargo bench -p genauth-codegen --bench codegen`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

use genauth_codegen::{Options, emit, generate, model, validate};
use genauth_synthetic::synthetic_spec_bytes;

mod common;
#[path = "../tests/all/real_spec/mod.rs"]
mod real_spec;
use common::{Table, fmt_bytes, fmt_count, fmt_secs, median, publish};

/// Counts live heap bytes and their high-water mark while a peak is being measured, so a
/// measurement can report the peak memory it needed without any dependency. Timed runs do not
/// count: shared counters updated on every allocation from every thread would slow the
/// multi-threaded emitters, and the time would then include the instrument. Relaxed atomics:
/// the counters only need to be exact, not ordered with other memory.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let by = by as isize;
        let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(by: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(by as isize, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and only
// updates the counters around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The wall time of one run of `f`, in seconds (its result is dropped untimed).
fn time<T>(f: impl FnOnce() -> T) -> f64 {
    let start = Instant::now();
    let out = black_box(f());
    let secs = start.elapsed().as_secs_f64();
    drop(out);
    secs
}

/// The heap one run of `f` needed above what was live before it (bytes), its own result
/// included while it was alive. Counting makes this run slower; it is not timed.
fn peak_heap<T>(f: impl FnOnce() -> T) -> usize {
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    drop(black_box(f()));
    COUNTING.store(false, Ordering::Relaxed);
    PEAK.load(Ordering::Relaxed).max(0) as usize
}

/// Repetitions per size: enough for a stable median, few enough that the largest size stays in
/// seconds.
fn reps(operations: usize) -> usize {
    match operations {
        0..=200 => 9,
        201..=800 => 5,
        _ => 3,
    }
}

struct Input {
    label: String,
    spec_path: String,
    bytes: Vec<u8>,
    /// The size that decides the repetitions (the synthetic `n`; the operation count for `spec/`).
    n: usize,
}

fn inputs() -> Vec<Input> {
    let mut inputs: Vec<Input> = [50, 200, 800, 1600]
        .into_iter()
        .map(|n| Input {
            label: format!("synthetic {n}"),
            spec_path: format!("synthetic-{n}.json"),
            bytes: synthetic_spec_bytes(n),
            n,
        })
        .collect();
    // The real spec as it is generated from: the upstream document with the curated layers
    // applied (applying them takes a few milliseconds and is not timed here).
    inputs.push(Input {
        label: "upstream + layers".into(),
        spec_path: real_spec::SPEC_PATH.into(),
        bytes: serde_json::to_vec(&real_spec::effective()).expect("serialises"),
        n: 414,
    });
    inputs
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing and expect a quick
    // smoke run, which the smallest input is.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let mut totals = Table::new(
        "Codegen: generate() = read and validate + model + emit (Rust and docs), median",
        &[
            "spec",
            "operations",
            "types",
            "spec size",
            "runs",
            "time",
            "per operation",
            "peak heap",
            "Rust only",
            "Rust only per op",
        ],
    );
    let mut stages = Table::new(
        "Codegen stages, median (same runs' inputs, measured separately)",
        &[
            "spec",
            "read+validate",
            "model",
            "emit Rust",
            "of which syn + prettyplease",
            "emit docs",
            "output lines (Rust / docs)",
        ],
    );
    let mut at_800 = None;
    for input in inputs().into_iter().filter(|i| !smoke || i.n <= 50) {
        let full = Options { spec_path: input.spec_path.clone(), docs: true };
        let rust_only = Options { docs: false, ..full.clone() };
        let reps = reps(input.n);
        // One unmeasured run: warms caches and the allocator, and gives the counts.
        let generated =
            generate(&input.bytes, &full).unwrap_or_else(|e| panic!("{}: generate failed:\n{e}", input.label));
        let ops = generated.api.operations.len();
        let types = generated.api.types.len();
        // By extension: the API manifest (`.txt`) is neither Rust nor docs.
        let lines = |ext: &str| -> usize {
            generated.files.iter().filter(|f| f.path.ends_with(ext)).map(|f| f.contents.lines().count()).sum()
        };
        let (rust_lines, doc_lines) = (lines(".rs"), lines(".md"));
        // The Rust emitter builds token streams, then parses them with syn and prints them with
        // prettyplease, doc comments aside (each block is one marker line meanwhile). Parsing and
        // printing the finished files without their doc comments approximates that second half
        // (lexing text costs a little more than taking tokens), to show where emit time goes.
        let without_docs = |text: &str| -> String {
            let code =
                text.lines().filter(|l| !l.trim_start().starts_with("///") && !l.trim_start().starts_with("//!"));
            code.flat_map(|l| [l, "\n"]).collect()
        };
        let rust_files: Vec<String> =
            generated.files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| without_docs(&f.contents)).collect();
        drop(generated);

        let peak = peak_heap(|| generate(&input.bytes, &full).expect("generated once already"));
        let (mut t_full, mut t_rust) = (Vec::new(), Vec::new());
        let (mut t_parse, mut t_model, mut t_emit_rust, mut t_emit_docs) = (vec![], vec![], vec![], vec![]);
        let mut t_pretty = vec![];
        for _ in 0..reps {
            t_full.push(time(|| generate(&input.bytes, &full).expect("generated once already")));
            t_rust.push(time(|| generate(&input.bytes, &rust_only).expect("generated once already")));

            let start = Instant::now();
            let spec = validate::parse(&input.bytes, &full.spec_path).expect("parsed once already");
            t_parse.push(start.elapsed().as_secs_f64());
            let start = Instant::now();
            let api = model::from_spec::build(&spec).expect("built once already");
            t_model.push(start.elapsed().as_secs_f64());
            let start = Instant::now();
            black_box(emit::rust::emit(&api, &full));
            t_emit_rust.push(start.elapsed().as_secs_f64());
            let start = Instant::now();
            black_box(emit::docs::emit(&api, &full));
            t_emit_docs.push(start.elapsed().as_secs_f64());
            let start = Instant::now();
            for text in &rust_files {
                let file = syn::parse_file(text).expect("generated Rust parses");
                black_box(prettyplease::unparse(&file));
            }
            t_pretty.push(start.elapsed().as_secs_f64());
        }
        let (full_s, rust_s) = (median(&t_full), median(&t_rust));
        let per_op = |s: f64| if ops == 0 { "-".to_owned() } else { fmt_secs(s / ops as f64) };
        totals.row(vec![
            input.label.clone(),
            fmt_count(ops),
            fmt_count(types),
            fmt_bytes(input.bytes.len() as f64),
            reps.to_string(),
            fmt_secs(full_s),
            per_op(full_s),
            fmt_bytes(peak as f64),
            fmt_secs(rust_s),
            per_op(rust_s),
        ]);
        stages.row(vec![
            input.label.clone(),
            fmt_secs(median(&t_parse)),
            fmt_secs(median(&t_model)),
            fmt_secs(median(&t_emit_rust)),
            format!("~{}", fmt_secs(median(&t_pretty))),
            fmt_secs(median(&t_emit_docs)),
            format!("{} / {}", fmt_count(rust_lines), fmt_count(doc_lines)),
        ]);
        if input.n == 800 {
            at_800 = Some(full_s);
        }
    }
    totals.note(
        "Peak heap: the most heap live at once during one run, above what was live before it (counting allocator, in a run of its own: timed runs do not count).",
    );
    totals
        .note("Synthetic specs also hold one hidden operation per 20 visible ones, which are parsed but not emitted.");
    if let Some(secs) = at_800 {
        let verdict = if secs < 1.0 { "met" } else { "NOT met" };
        totals.note(format!("Target (800 operations under 1 s in release): {} -> {verdict}.", fmt_secs(secs)));
    }
    if smoke {
        totals.note("Smoke run (no `--bench` argument): only the smallest input.");
    }
    publish(10, "codegen", "Codegen", &[totals, stages]);
}
