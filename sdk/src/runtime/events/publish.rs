//! [`ManagementClient::publish`]: `POST /api/v3/pub-event` with `{eventType, source, eventData}`.
//!
//! The official SDKs send `eventData` as a *string* (the JSON text of the event's data) and a
//! `source` naming the SDK (`${pkg.name}: ${pkg.version}`). The OpenAPI document's `PubEventDto`
//! (behind the generated `verify_event`) has no `source` and types `eventData` as an object, so
//! this call builds the request itself and sends it through the call pipeline, with
//! the same authentication, retries and `statusCode` check as every generated call. The response's
//! `data` is decoded into [`Published`], a type of the runtime's own: the runtime never names
//! generated types (a copy of it is compiled against other generated code in the tests).

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::runtime::call_options::CallOptions;
use crate::runtime::client::ManagementClient;
use crate::runtime::error::Error;
use crate::runtime::generated_api::ApiRequest;
use crate::runtime::generated_api::Call;

/// The `source` [`ManagementClient::publish`] sends unless told otherwise:
/// `genauth-rust-sdk: <version>`, in the form the official Node SDKs use
/// (`@genauth/nodejs: 1.0.0`).
pub const DEFAULT_EVENT_SOURCE: &str = concat!("genauth-rust-sdk: ", env!("CARGO_PKG_VERSION"));

const PUB_EVENT_PATH: &str = "/api/v3/pub-event";

/// What the API responded to a published event (the response's `data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Published {
    /// Whether the event was accepted. `false` (with [`err_msg`](Self::err_msg)) when, for
    /// instance, the event code is not defined in the console.
    pub success: bool,
    /// Why the event was not accepted.
    #[serde(rename = "errMsg", default, skip_serializing_if = "Option::is_none")]
    pub err_msg: Option<String>,
}

#[derive(Deserialize)]
struct PublishEnvelope {
    data: Published,
}

impl ManagementClient {
    /// Publishes a custom event: `data` is serialised to JSON and sent as the `eventData`
    /// string, `source` is [`DEFAULT_EVENT_SOURCE`] unless set with
    /// [`PublishRequest::source`]. Await the request (or call [`PublishRequest::send`]).
    ///
    /// The response's [`success`](Published::success) is `false` (with `err_msg`) when the event
    /// service did not accept the event, for instance an event code that is not defined in the
    /// console.
    ///
    /// ```no_run
    /// # async fn run(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
    /// let response = client.publish("myapp.order.paid", &serde_json::json!({ "orderId": "o-1" })).await?;
    /// assert!(response.success, "{:?}", response.err_msg);
    /// # Ok(())
    /// # }
    /// ```
    pub fn publish(&self, event_code: impl Into<String>, data: impl Serialize) -> PublishRequest {
        PublishRequest {
            call: self.into(),
            event_code: event_code.into(),
            source: DEFAULT_EVENT_SOURCE.to_owned(),
            event_data: serde_json::to_string(&data).map_err(|e| e.to_string()),
        }
    }

    /// Like [`publish`](Self::publish), but sends `text` as the `eventData` string exactly as
    /// given (already serialised JSON, or any text the subscribers expect).
    pub fn publish_text(&self, event_code: impl Into<String>, text: impl Into<String>) -> PublishRequest {
        PublishRequest {
            call: self.into(),
            event_code: event_code.into(),
            source: DEFAULT_EVENT_SOURCE.to_owned(),
            event_data: Ok(text.into()),
        }
    }
}

/// A custom event about to be published; made by [`ManagementClient::publish`]. Set the
/// optional `source`, then `.await` it or call [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send().await` (or `.await`)"]
pub struct PublishRequest {
    call: Call,
    event_code: String,
    source: String,
    /// The JSON text of the data, or why it could not be serialised.
    event_data: Result<String, String>,
}

impl PublishRequest {
    /// The `source` field (default [`DEFAULT_EVENT_SOURCE`]).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Sets options for this call only (timeout, deadline, retries, tenant, language, extra
    /// headers): see [`CallOptions`].
    pub fn customize(mut self, options: CallOptions) -> Self {
        self.call.options.merge(options);
        self
    }

    /// Sends the event and decodes the response.
    ///
    /// # Errors
    ///
    /// [`Error::Serialize`] when the data could not be serialised (nothing is sent then),
    /// otherwise any error an API call fails with.
    pub async fn send(self) -> Result<Published, Error> {
        let event_data = self.event_data.map_err(Error::Serialize)?;
        let body = json!({ "eventType": self.event_code, "source": self.source, "eventData": event_data });
        // A POST: retried only where it provably never reached the API.
        let request = ApiRequest { body: Some(body), ..ApiRequest::new("publish", Method::POST, PUB_EVENT_PATH) };
        let (response, _): (PublishEnvelope, _) =
            request.send(&self.call, std::any::type_name::<PublishEnvelope>()).await?;
        Ok(response.data)
    }
}

impl IntoFuture for PublishRequest {
    type Output = Result<Published, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_serialised_once_to_a_string() {
        let config = crate::Config::builder().access_key_id("ak").access_key_secret("secret-1234").build().unwrap();
        let client = ManagementClient::new(config).unwrap();
        let r = client.publish("a.b", serde_json::json!({"k": [1, "x"]}));
        assert_eq!(r.event_data.as_deref(), Ok(r#"{"k":[1,"x"]}"#));
        assert_eq!(r.source, DEFAULT_EVENT_SOURCE);
        let r = client.publish_text("a.b", "plain").source("me");
        assert_eq!((r.event_data.as_deref(), r.source.as_str()), (Ok("plain"), "me"));
        assert!(DEFAULT_EVENT_SOURCE.starts_with("genauth-rust-sdk: "));
    }
}
