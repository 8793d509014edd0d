//! The generator's threads: how many format the Rust files, and their results.

/// How many threads format the Rust files: `GENAUTH_CODEGEN_THREADS` when it is a positive
/// number (the determinism test compares one thread with many), else one per core.
pub(crate) fn worker_threads() -> usize {
    std::env::var("GENAUTH_CODEGEN_THREADS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The result of a scoped thread, its panic passed on.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
