//! Test support for genauth-rs: a loopback stand-in for the GenAuth / Authing Management API,
//! and a scripted raw-TCP server for transport faults. Everything binds to 127.0.0.1 only.
//!
//! * [`StandIn`] verifies requests the way the real service does: AK/SK signatures (recomputed
//!   here by an implementation independent of the SDK's, with date, skew and nonce checks) and
//!   the management-token flow (a JWT from `get-management-token`, then `Bearer` plus the
//!   userpool-id header). It validates the three user operations' bodies and answers with the
//!   API's envelope, counting requests per path.
//! * [`Scripted`] answers successive connections from a list of [`Reply`]s, including ones no
//!   well-behaved server sends: a reset in the middle of the body, a stall, a truncated body.

pub mod scripted;
pub mod standin;
pub mod verify;

pub use scripted::{Reply, Scripted};
pub use standin::{Flavor, StandIn, StandInOptions};
pub mod harness;
pub mod sdk_copy;
