//! The tests that take every core: crates built and linted (feature sets, the package, the
//! synthetic large sdk, the upgrade report's before/after pair) and every operation against the
//! conformance judge (Prism). One binary, a module per subject, kept apart from the
//! timing-sensitive loopback tests (`sdk`).

mod conformance;
mod features;
mod form_bodies;
mod package;
mod semver_judge;
mod synthetic_sdk_compiles;
