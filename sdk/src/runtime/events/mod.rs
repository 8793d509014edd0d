//! Events: publish custom events (`POST /api/v3/pub-event`, plain HTTP, always available) and,
//! with the `events` feature, subscribe to an event code over a WebSocket as a
//! [`Stream`](futures_core::Stream).

mod publish;
#[cfg(feature = "events")]
mod subscribe;
#[cfg(feature = "events")]
mod tls;

pub use publish::{DEFAULT_EVENT_SOURCE, PublishRequest, Published};
#[cfg(feature = "events")]
pub use subscribe::{Event, EventEnvelope, ReconnectPolicy, SubscribeOptions, Subscription};
