//! The headers of a request, auth aside: the ones every call of a client sends are built once,
//! when the client is made (names are static, values shared), and each call clones that map and
//! adds its own. Allocation is what a call pays most for under concurrency.

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::runtime::call_options::CallOptions;
use crate::runtime::config::{Brand, Config, unsendable};
use crate::runtime::error::Error;

/// The value of the `x-…-sdk-version` header.
pub(crate) const SDK_VERSION: &str = concat!("genauth-rust-sdk:", env!("CARGO_PKG_VERSION"));

/// The brand's custom header names.
pub(crate) struct Names {
    pub sdk_version: HeaderName,
    pub lang: HeaderName,
    pub tenant: HeaderName,
    pub userpool: HeaderName,
    pub app_id: HeaderName,
    pub signature_method: HeaderName,
    pub signature_version: HeaderName,
    pub signature_nonce: HeaderName,
}

macro_rules! names {
    ($prefix:literal) => {
        Names {
            sdk_version: HeaderName::from_static(concat!($prefix, "sdk-version")),
            lang: HeaderName::from_static(concat!($prefix, "lang")),
            tenant: HeaderName::from_static(concat!($prefix, "app-tenant-id")),
            userpool: HeaderName::from_static(concat!($prefix, "userpool-id")),
            app_id: HeaderName::from_static(concat!($prefix, "app-id")),
            signature_method: HeaderName::from_static(concat!($prefix, "signature-method")),
            signature_version: HeaderName::from_static(concat!($prefix, "signature-version")),
            signature_nonce: HeaderName::from_static(concat!($prefix, "signature-nonce")),
        }
    };
}

static GENAUTH: Names = names!("x-genauth-");
static AUTHING: Names = names!("x-authing-");

impl Names {
    /// The names of `brand` (whose prefix is [`Brand::header_prefix`]).
    pub(crate) fn of(brand: Brand) -> &'static Names {
        match brand {
            Brand::GenAuth => &GENAUTH,
            Brand::Authing => &AUTHING,
        }
    }
}

/// What every call of a client sends: `accept` and `content-type` JSON, the SDK version, the
/// language and the tenant (if any).
pub(crate) fn base(config: &Config) -> HeaderMap {
    let names = Names::of(config.brand);
    let mut map = HeaderMap::with_capacity(12);
    map.insert(ACCEPT, HeaderValue::from_static("application/json"));
    map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    map.insert(names.sdk_version.clone(), HeaderValue::from_static(SDK_VERSION));
    map.insert(names.lang.clone(), HeaderValue::from_static(config.lang.as_str()));
    // `Config::build` refused a tenant id that `unsendable` finds fault with, so this always holds.
    if let Some(tenant) = config.tenant_id.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
        map.insert(names.tenant.clone(), tenant);
    }
    map
}

/// `base` with one call's own headers: its header parameters, its options (language, tenant,
/// extra headers; checked by [`CallOptions::check`] already) and a form's content type.
pub(crate) fn for_call(
    base: &HeaderMap,
    brand: Brand,
    parameters: &[(&'static str, String)],
    options: &CallOptions,
    form: bool,
) -> Result<HeaderMap, Error> {
    let names = Names::of(brand);
    let mut map = base.clone();
    if let Some(lang) = options.lang {
        map.insert(names.lang.clone(), HeaderValue::from_static(lang.as_str()));
    }
    if let Some(tenant) = &options.tenant_id {
        map.insert(names.tenant.clone(), value("the tenant id", tenant)?);
    }
    if form {
        map.insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
    }
    let extra = parameters.iter().map(|(name, v)| (*name, v.as_str()));
    for (name, text) in extra.chain(options.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))) {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Serialize(format!("`{name}` is not a valid header name")))?;
        map.insert(header_name, value(&format!("header `{name}`"), text)?);
    }
    Ok(map)
}

/// A header value from text, refused (naming `what`) unless [`unsendable`] finds nothing wrong.
pub(crate) fn value(what: &str, text: &str) -> Result<HeaderValue, Error> {
    if let Some(why) = unsendable(text) {
        return Err(Error::Serialize(format!("{what} {why}")));
    }
    HeaderValue::from_str(text)
        .map_err(|_| Error::Serialize(format!("{what} holds characters HTTP headers cannot carry")))
}

/// The `authorization` value, marked sensitive, so HTTP/2 never puts it in a compression table
/// and `Debug` of the header map hides it.
pub(crate) fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(text).map_err(|_| {
        Error::Serialize("the authorization header holds characters HTTP headers cannot carry".to_owned())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// The headers a signature covers, as text: the brand's prefixed ones and `date` (the
/// string-to-sign picks them out).
pub(crate) fn as_text(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter().map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_brand_prefix() {
        for brand in [Brand::GenAuth, Brand::Authing] {
            let names = Names::of(brand);
            for name in [&names.sdk_version, &names.lang, &names.tenant, &names.userpool, &names.signature_nonce] {
                assert!(name.as_str().starts_with(brand.header_prefix()), "{name}");
            }
        }
    }
}
