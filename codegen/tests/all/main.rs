//! The generator's integration tests: one binary (linked once) with a module per subject, as
//! cargo's own tests are laid out. The modules without tests (`common_ir`, `emit_rust_fixtures`,
//! `real_spec`, `script`) are what the others share.

mod common_ir;
mod emit_rust_fixtures;
mod real_spec;
mod script;

mod determinism;
mod docs_layout;
mod docs_sample;
mod docs_spec;
mod docs_tables;
mod emit_rust;
mod hostile_specs;
mod integers;
mod model_build;
mod model_no_panic;
mod model_upstream;
mod pagination;
mod query_styles;
mod readme_counts;
mod seed_operations;
mod synthetic;
mod translations;
