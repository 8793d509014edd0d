//! PLACEHOLDER (H4 replaces): synthetic specs for tests and benchmarks.
