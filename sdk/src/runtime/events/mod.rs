//! Events: publish custom events (`POST /api/v3/pub-event`, plain HTTP, always available) and,
//! with the `subscribe` feature, subscribe to an event code over a WebSocket as a
//! [`Stream`](futures_core::Stream).

mod publish;
#[cfg(feature = "subscribe")]
mod subscribe;
#[cfg(feature = "subscribe")]
mod tls;

pub use publish::{DEFAULT_EVENT_SOURCE, PublishRequest, Published};
#[cfg(feature = "subscribe")]
pub use subscribe::{DEFAULT_MAX_MESSAGE_BYTES, Event, EventEnvelope, ReconnectPolicy, SubscribeOptions, Subscription};
