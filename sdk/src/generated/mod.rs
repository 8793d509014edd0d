// PLACEHOLDER until the generator writes this folder.
//! Generated code.
/// Request builders.
pub mod operations {}
/// Request and response types.
pub mod types {}
