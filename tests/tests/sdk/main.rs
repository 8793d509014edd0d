//! The sdk's integration tests against loopback servers (the stand-ins, scripted servers, the
//! OpenID provider) and its checked-in files: one binary, a module per subject. Several are
//! timing-sensitive (deadlines, retries, token renewal), so the tests that build crates or run
//! the conformance judge, which take every core, are the other binary (`heavy`).

mod authentication_client;
mod call_options;
mod connection;
mod doc_samples;
mod events;
mod faults;
mod oidc;
mod operations;
mod pagination;
mod reference_copies;
mod secrets;
mod seed_samples;
mod standin_auth;
