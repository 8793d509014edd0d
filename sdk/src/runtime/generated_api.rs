//! The crate-private API that generated code (`crate::generated`) is written against. Keeping it
//! small and in one place is what lets the generator stay simple: it emits calls to these
//! helpers instead of HTTP, signing or JSON plumbing.

use serde::Serialize;
use serde_json::Value;

use crate::runtime::call_options::CallOptions;
#[allow(unused_imports, reason = "used by generated code only for operations with path parameters")]
pub(crate) use crate::runtime::encoding::path_segment;
use crate::runtime::envelope::Response;
use crate::runtime::metadata::ResponseMetadata;
#[allow(unused_imports, reason = "used by generated code only when the spec has paged operations")]
pub(crate) use crate::runtime::paginate::{Cursor, Paged};
use crate::runtime::pipeline::Caller;
use crate::runtime::secret::Scrub;

#[allow(unused_imports, reason = "used by generated code only when an input has a constraint")]
pub(crate) use super::validation::{Validate, Violations};

/// Everything the runtime needs to send one operation's request.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    /// The operation's method name (`kick_users`), for errors and tracing.
    pub operation: &'static str,
    /// HTTP method.
    pub method: http::Method,
    /// The path with path parameters substituted and percent-encoded (see [`path_segment`]).
    pub path: String,
    /// Query parameters that are set, in spec order, as JSON values: strings are sent and signed
    /// as they are, an array as one `key=item` per item (OpenAPI's default `form` style; the
    /// joined styles arrive already joined, see [`joined`]), anything else as compact JSON.
    pub query: Vec<(&'static str, Value)>,
    /// Header parameters that are set.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body; its top-level fields are what the signature covers, so it is a `Value`
    /// whose serialisation is exactly the bytes sent.
    pub body: Option<Value>,
    /// Whether repeating the request is harmless, when a curated `x-genauth-idempotent` says so;
    /// `None` (what generated code writes otherwise) derives it from the method, see
    /// [`ApiRequest::is_idempotent`].
    pub idempotent: Option<bool>,
    /// Whether `body` is sent as a form (`application/x-www-form-urlencoded`) rather than JSON.
    pub form: bool,
    /// Whether the response is the API's envelope, whose `statusCode` is then required (a success
    /// without it is a decode error). The generator writes `false` only for the few operations
    /// whose spec describes a bare response; `raw_request` always expects an envelope.
    pub envelope: bool,
    /// A sign-in operation of the Authentication API (it issues a user's tokens): the application
    /// authenticates itself as its config says (secret in the body, HTTP Basic, or not at all)
    /// instead of sending an end user's token.
    pub sign_in: bool,
}

pub(crate) use http::Method;

/// The functions generated code starts a request with, one per method: `rt::get(operation,
/// path)` is `ApiRequest::new(operation, Method::GET, path)`.
macro_rules! request_starts {
    ($($name:ident => $method:ident,)*) => {$(
        #[doc = concat!("`ApiRequest::new(operation, ", stringify!($method), ", path)`.")]
        #[allow(dead_code, reason = "called by generated code only when the spec uses the method")]
        pub(crate) fn $name(operation: &'static str, path: impl Into<String>) -> ApiRequest {
            ApiRequest::new(operation, Method::$method, path)
        }
    )*};
}

request_starts! {
    get => GET,
    post => POST,
    put => PUT,
    patch => PATCH,
    delete => DELETE,
}

/// Generated code builds its request in one chain: [`ApiRequest::new`], then the parameters that
/// are set, the body and the operation's overrides.
impl ApiRequest {
    /// A request of `operation` (`kick_users`) to `path` (already substituted and encoded), with no
    /// query, headers or body yet; idempotent as its method is, and responded to with an envelope.
    pub(crate) fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        ApiRequest {
            operation,
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent: None,
            form: false,
            envelope: true,
            sign_in: false,
        }
    }

    /// Adds a query parameter. A value that serialises to `null` (an optional input left unset)
    /// is left out: a query string has no null.
    #[allow(dead_code, reason = "called by generated code only for operations with query parameters")]
    pub(crate) fn query<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Result<Self, crate::Error> {
        let value = to_json(value)?;
        if !value.is_null() {
            self.query.push((name, value));
        }
        Ok(self)
    }

    /// Adds an array query parameter in a joined style (see [`joined`]); `null` is left out too.
    #[allow(dead_code, reason = "called by generated code only for parameters in a joined style")]
    pub(crate) fn query_joined<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        separator: &str,
    ) -> Result<Self, crate::Error> {
        let value = joined(value, separator)?;
        if !value.is_null() {
            self.query.push((name, value));
        }
        Ok(self)
    }

    /// Adds a header parameter: a string as it is, any other value as its JSON text (numbers,
    /// booleans; an open enum is its wire string); `null` (an optional input left unset) is left
    /// out.
    #[allow(dead_code, reason = "called by generated code only for operations with header parameters")]
    pub(crate) fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Result<Self, crate::Error> {
        match to_json(value)? {
            Value::Null => {}
            Value::String(text) => self.headers.push((name, text)),
            other => self.headers.push((name, other.to_string())),
        }
        Ok(self)
    }

    /// Sets the JSON body. A body that serialises to `null` (an optional body left unset) is not
    /// sent.
    #[allow(dead_code, reason = "called by generated code only for operations with a body")]
    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, crate::Error> {
        let body = to_json(body)?;
        self.body = (!body.is_null()).then_some(body);
        Ok(self)
    }

    /// Sets the body, sent as a form (`application/x-www-form-urlencoded`): its top-level fields
    /// as form fields. A body that serialises to `null` is not sent; one that is not an object
    /// (a form has named fields only) is refused.
    #[allow(dead_code, reason = "called by generated code only for operations with a form body")]
    pub(crate) fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, crate::Error> {
        self = self.json(body)?;
        if self.body.as_ref().is_some_and(|b| !b.is_object()) {
            return Err(crate::Error::Serialize(format!(
                "the form body of `{}` is not an object with named fields",
                self.operation
            )));
        }
        self.form = true;
        Ok(self)
    }

    /// The curated `x-genauth-idempotent` override of what the method says.
    #[allow(dead_code, reason = "called by generated code only when the spec has the override")]
    pub(crate) fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// A sign-in operation: see [`ApiRequest::sign_in`].
    #[allow(dead_code, reason = "called by generated code only when the spec has sign-in operations")]
    pub(crate) fn sign_in(mut self) -> Self {
        self.sign_in = true;
        self
    }

    /// The spec describes the response as bare data, not the envelope: `statusCode` is not
    /// required then.
    #[allow(dead_code, reason = "called by generated code only when the spec has a bare response")]
    pub(crate) fn bare(mut self) -> Self {
        self.envelope = false;
        self
    }

    /// Sends the request with the call's client and options (see `Caller::execute`) and decodes
    /// the response as a `T`, named `expected` in errors (`types::ResignUserRespDto`: what users
    /// call it, where `type_name` would spell out what an alias stands for); the response as
    /// received comes back too, for [`Call::metadata`].
    pub(crate) async fn send<T: serde::de::DeserializeOwned>(
        self,
        call: &Call,
        expected: &'static str,
    ) -> Result<(T, Response), crate::Error> {
        call.client.execute(self, &call.options, expected).await
    }

    /// Whether the request may be sent again after a failure that may have reached the
    /// application (HTTP 502/504, a timeout, a connection lost after sending): the curated
    /// override if any, else `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are (RFC 9110 9.2.2)
    /// and `POST` (`resign-user`, `delete-users-batch`...) is not.
    pub(crate) fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or_else(|| method_is_idempotent(&self.method))
    }
}

/// A request builder's link to its client, with the call's options.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub client: Caller,
    pub options: CallOptions,
}

impl From<&crate::ManagementClient> for Call {
    fn from(client: &crate::ManagementClient) -> Self {
        Call { client: Caller::Management(client.clone()), options: CallOptions::default() }
    }
}

impl From<&crate::AuthenticationClient> for Call {
    fn from(client: &crate::AuthenticationClient) -> Self {
        Call { client: Caller::Authentication(client.clone()), options: CallOptions::default() }
    }
}

impl Call {
    /// The metadata of a successful call's `response`, scrubbed of this client's credentials.
    #[allow(dead_code, reason = "called by the builders' `send_with_metadata`: none without an API group")]
    pub(crate) fn metadata(&self, response: Response) -> ResponseMetadata {
        let scrub = Scrub::new(&self.client.pipeline().config.access_key_secret, &response.authorizations);
        ResponseMetadata::scrubbed(response, &scrub)
    }
}

/// Gives each generated request builder (`Name => Output`, a struct with a `call: rt::Call`
/// field and a `fn request(&self) -> Result<ApiRequest, Error>` that checks the inputs and
/// builds the request) its `customize`, `send` and `send_with_metadata`.
///
/// They are `#[inline]` (and so is each `request`): an inline function is compiled in the crate
/// that calls it, so an application pays for the operations it sends, not for all 500 in every
/// build of this crate (their machine code was 1 to 2 s of a 20 s debug build of every group).
#[allow(unused_macros, reason = "used by generated code only when the spec has operations")]
macro_rules! request_builders {
    ($($builder:ident => $output:ty),* $(,)?) => {$(
        impl $builder {
            /// Sets options for this call only (timeout, deadline, retries, tenant, language,
            /// extra headers): see [`CallOptions`](crate::CallOptions). Options given in several
            /// `customize` calls add up; a later value wins.
            #[inline]
            pub fn customize(mut self, options: crate::CallOptions) -> Self {
                self.call.options.merge(options);
                self
            }

            /// Checks the inputs against the spec's constraints, then sends the request and
            /// decodes the response.
            ///
            /// # Errors
            ///
            /// [`Error::Validation`](crate::Error::Validation) when an input breaks a constraint
            /// (nothing is sent then), otherwise any error the request fails with.
            #[inline]
            pub async fn send(self) -> ::std::result::Result<$output, crate::Error> {
                self.request()?.send(&self.call, stringify!($output)).await.map(|(output, _)| output)
            }

            /// As [`send`](Self::send), and also returns the response's request id, HTTP headers
            /// and the number of attempts.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            #[inline]
            pub async fn send_with_metadata(
                self,
            ) -> ::std::result::Result<($output, crate::ResponseMetadata), crate::Error> {
                let (output, response) = self.request()?.send(&self.call, stringify!($output)).await?;
                Ok((output, self.call.metadata(response)))
            }
        }
    )*};
}
#[allow(unused_imports, reason = "used by generated code only when the spec has operations")]
pub(crate) use request_builders;

/// RFC 9110's idempotent methods, `TRACE` aside (never sent).
pub(crate) fn method_is_idempotent(method: &http::Method) -> bool {
    use http::Method;
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE].contains(method)
}

/// Serialises a request part. Fails only for values JSON cannot hold (a map with non-string
/// keys), which generated types never contain; the error is still typed, not a panic.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, crate::Error> {
    serde_json::to_value(value).map_err(crate::Error::serialize)
}

/// An array query value in a joined style (`style: form, explode: false`, `spaceDelimited`,
/// `pipeDelimited`): its items as they are signed, joined by `separator` into one string.
/// Anything but an array is returned as [`to_json`] gives it.
#[allow(dead_code, reason = "called by generated code only for parameters in a joined style")]
pub(crate) fn joined<T: Serialize + ?Sized>(value: &T, separator: &str) -> Result<Value, crate::Error> {
    Ok(match to_json(value)? {
        Value::Array(items) => {
            Value::String(items.iter().map(super::auth::canonical::canonical_value).collect::<Vec<_>>().join(separator))
        }
        other => other,
    })
}

/// Implements everything that is the same for every generated open enum, given the enum, its
/// catch-all variant (left out when it is `UnknownValue`) and each known variant's wire value
/// (`[AllowAll("ALLOW_ALL"), ...]`):
/// `KNOWN_VALUES`, `as_str`, serde as the wire string, `Display`, and `FromStr`, `From<&str>` and
/// `From<String>`, which never fail: a value the SDK does not know goes to the catch-all variant,
/// kept verbatim, so it round-trips.
#[allow(unused_macros, reason = "used by generated code only when the spec has a string enum")]
macro_rules! open_enum {
    // The usual catch-all name, left out by the generator.
    ($ty:ident, [$($variant:ident($wire:literal)),* $(,)?]) => {
        $crate::runtime::generated_api::open_enum!($ty, UnknownValue, [$($variant($wire)),*]);
    };
    ($ty:ident, $catch:ident, [$($variant:ident($wire:literal)),* $(,)?]) => {
        impl $ty {
            /// Every value this version of the SDK knows, in spec order.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$catch(value) => value.as_str(),
                }
            }

            /// The variant for a wire value; unknown values go to the catch-all variant.
            #[allow(unreachable_patterns, reason = "a wire value listed twice: the first variant wins")]
            fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$catch(other.to_owned()),
                }
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&value))
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::std::convert::From<&str> for $ty {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl ::std::convert::From<::std::string::String> for $ty {
            fn from(s: ::std::string::String) -> Self {
                Self::from_wire(&s)
            }
        }
    };
}
#[allow(unused_imports, reason = "used by generated code only when the spec has a string enum")]
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_styles_join_the_items_as_they_are_signed() {
        assert_eq!(joined(&["a", "b c"], ",").unwrap(), Value::String("a,b c".into()));
        assert_eq!(joined(&[1, 2], "|").unwrap(), Value::String("1|2".into()));
        assert_eq!(joined(&Vec::<String>::new(), " ").unwrap(), Value::String(String::new()));
        assert_eq!(joined("x", ",").unwrap(), Value::String("x".into()));
    }

    #[test]
    fn idempotency_follows_the_method_unless_overridden() {
        let request = |method: http::Method, idempotent: Option<bool>| ApiRequest {
            idempotent,
            ..ApiRequest::new("t", method, "/p")
        };
        for m in [http::Method::GET, http::Method::HEAD, http::Method::OPTIONS, http::Method::PUT, http::Method::DELETE]
        {
            assert!(request(m, None).is_idempotent());
        }
        assert!(!request(http::Method::POST, None).is_idempotent());
        assert!(!request(http::Method::PATCH, None).is_idempotent());
        assert!(request(http::Method::POST, Some(true)).is_idempotent());
        assert!(!request(http::Method::GET, Some(false)).is_idempotent());
    }
}
