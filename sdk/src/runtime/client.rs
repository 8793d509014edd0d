//! PLACEHOLDER: the runtime issue (H3) replaces this with the real client.

use serde::de::DeserializeOwned;

use crate::runtime::support::ApiRequest;

/// A client of the Management API. Cheap to clone; clones share one connection pool and token.
#[derive(Debug, Clone)]
pub struct ManagementClient {}

impl ManagementClient {
    /// Sends one operation's request and decodes the success response.
    #[allow(dead_code)]
    pub(crate) async fn execute<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, crate::Error> {
        let _ = request;
        unimplemented!("placeholder")
    }
}
