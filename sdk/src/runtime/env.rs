//! [`Config::from_env`](crate::Config::from_env): the configuration from `GENAUTH_*` variables.
//!
//! The variables are listed on `Config::from_env`, the one place users read about them.
//!
//! An empty variable counts as unset.

use std::ffi::OsString;
use std::time::Duration;

use crate::runtime::config::{Config, ConfigBuilder};
use crate::runtime::error::{ConfigError, Error};

/// Reads the variables through `lookup` (the process environment in production, a map in tests:
/// changing the real environment is unsafe in a multi-threaded test binary).
pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Config, Error> {
    let get = |name: &'static str| -> Result<Option<String>, Error> {
        match lookup(name) {
            None => Ok(None),
            Some(raw) => match raw.into_string() {
                Ok(s) if s.trim().is_empty() => Ok(None),
                Ok(s) => Ok(Some(s.trim().to_owned())),
                Err(_) => Err(ConfigError::new(Some(name), "is not valid UTF-8").into()),
            },
        }
    };
    let require = |name: &'static str| -> Result<String, Error> {
        get(name)?.ok_or_else(|| ConfigError::new(Some(name), "is not set").into())
    };
    fn parse<T: std::str::FromStr<Err = String>>(
        name: &'static str,
        value: Option<String>,
    ) -> Result<Option<T>, Error> {
        value.map(|v| v.parse::<T>().map_err(|e| ConfigError::new(Some(name), e).into())).transpose()
    }

    let mut b: ConfigBuilder = Config::builder()
        .access_key_id(require("GENAUTH_ACCESS_KEY_ID")?)
        .access_key_secret(require("GENAUTH_ACCESS_KEY_SECRET")?);
    let allow_insecure = match get("GENAUTH_ALLOW_INSECURE_HTTP")?.map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("0" | "false" | "no") => false,
        Some("1" | "true" | "yes") => true,
        Some(other) => {
            return Err(ConfigError::new(
                Some("GENAUTH_ALLOW_INSECURE_HTTP"),
                format!("`{other}` is not 1 or 0 (or true/false)"),
            )
            .into());
        }
    };
    b = b.allow_insecure_http(allow_insecure);
    if let Some(host) = get("GENAUTH_HOST")? {
        // Check here too, so the error names the variable.
        let named = |message: String| Error::from(ConfigError::new(Some("GENAUTH_HOST"), message));
        let normalized = crate::runtime::config::normalize_host(&host).map_err(|e| named(e.to_string()))?;
        crate::runtime::config::check_cleartext(&normalized, allow_insecure)
            .map_err(|e| named(e.message().to_owned()))?;
        b = b.host(host);
    }
    if let Some(host) = get("GENAUTH_EVENTS_HOST")? {
        let named = |message: String| Error::from(ConfigError::new(Some("GENAUTH_EVENTS_HOST"), message));
        let normalized = crate::runtime::config::normalize_events_host(&host).map_err(|e| named(e.to_string()))?;
        crate::runtime::config::check_cleartext(&normalized, allow_insecure)
            .map_err(|e| named(e.message().to_owned()))?;
        b = b.events_host(host);
    }
    if let Some(brand) = parse("GENAUTH_BRAND", get("GENAUTH_BRAND")?)? {
        b = b.brand(brand);
    }
    if let Some(auth) = parse("GENAUTH_AUTH", get("GENAUTH_AUTH")?)? {
        b = b.auth_scheme(auth);
    }
    if let Some(lang) = parse("GENAUTH_LANG", get("GENAUTH_LANG")?)? {
        b = b.lang(lang);
    }
    if let Some(tenant) = get("GENAUTH_TENANT_ID")? {
        b = b.tenant_id(tenant);
    }
    if let Some(proxy) = get("GENAUTH_PROXY")? {
        crate::runtime::config::parse_proxy(&proxy, Some("GENAUTH_PROXY"))?;
        b = b.proxy(proxy);
    }
    if let Some(path) = get("GENAUTH_ROOT_CERTIFICATES")? {
        const NAME: &str = "GENAUTH_ROOT_CERTIFICATES";
        let pem = std::fs::read(&path).map_err(|e| {
            Error::from(ConfigError::new(Some(NAME), format!("names `{path}`, which cannot be read: {e}")))
        })?;
        crate::runtime::config::parse_root_certificates(&pem)
            .map_err(|e| Error::from(ConfigError::new(Some(NAME), format!("names `{path}`: {}", e.message()))))?;
        b = b.root_certificates_pem(pem);
    }
    let millis = |name: &'static str| -> Result<Option<Duration>, Error> {
        let Some(ms) = get(name)? else { return Ok(None) };
        let ms: u64 = ms.parse().ok().filter(|&ms| ms > 0).ok_or_else(|| {
            Error::from(ConfigError::new(Some(name), format!("`{ms}` is not a positive whole number of milliseconds")))
        })?;
        Ok(Some(Duration::from_millis(ms)))
    };
    if let Some(timeout) = millis("GENAUTH_TIMEOUT_MS")? {
        b = b.timeout(timeout);
    }
    if let Some(deadline) = millis("GENAUTH_DEADLINE_MS")? {
        b = b.deadline(deadline);
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuthScheme, Brand, Lang};
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, Error> {
        let map: HashMap<String, OsString> = vars.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        from_lookup(|name| map.get(name).cloned())
    }

    fn variable(e: Error) -> Option<&'static str> {
        match e {
            Error::Config(c) => c.variable(),
            other => panic!("not a config error: {other}"),
        }
    }

    const KEYS: [(&str, &str); 2] = [("GENAUTH_ACCESS_KEY_ID", "ak"), ("GENAUTH_ACCESS_KEY_SECRET", "sk-value")];

    #[test]
    fn reads_every_variable() {
        let mut vars = KEYS.to_vec();
        vars.extend([
            ("GENAUTH_HOST", "http://127.0.0.1:1"),
            ("GENAUTH_EVENTS_HOST", "ws://127.0.0.1:2/"),
            ("GENAUTH_BRAND", "authing"),
            ("GENAUTH_AUTH", "signature"),
            ("GENAUTH_LANG", "ja-JP"),
            ("GENAUTH_TENANT_ID", "t1"),
            ("GENAUTH_TIMEOUT_MS", "2500"),
            ("GENAUTH_DEADLINE_MS", "4000"),
        ]);
        let c = load(&vars).unwrap();
        assert_eq!(c.host(), "http://127.0.0.1:1");
        assert_eq!(c.events_host(), "ws://127.0.0.1:2");
        assert_eq!(c.brand(), Brand::Authing);
        assert_eq!(c.auth_scheme(), AuthScheme::Signature);
        assert_eq!(c.lang(), Lang::JaJp);
        assert_eq!(c.tenant_id(), Some("t1"));
        assert_eq!(c.timeout(), Duration::from_millis(2500));
        assert_eq!(c.deadline(), Duration::from_millis(4000));
        let d = load(&KEYS).unwrap();
        assert_eq!(
            (d.brand(), d.auth_scheme(), d.host()),
            (Brand::GenAuth, AuthScheme::ManagementToken, "https://api.genauth.ai")
        );
    }

    #[test]
    fn insecure_http_needs_the_opt_in_variable() {
        let mut vars = KEYS.to_vec();
        vars.push(("GENAUTH_HOST", "http://10.255.255.1"));
        let text = load(&vars).unwrap_err().to_string();
        assert!(text.contains("GENAUTH_HOST") && text.contains("GENAUTH_ALLOW_INSECURE_HTTP"), "{text}");
        vars.push(("GENAUTH_ALLOW_INSECURE_HTTP", "1"));
        assert_eq!(load(&vars).unwrap().host(), "http://10.255.255.1");
    }

    #[test]
    fn errors_name_the_variable() {
        assert_eq!(variable(load(&[]).unwrap_err()), Some("GENAUTH_ACCESS_KEY_ID"));
        assert_eq!(variable(load(&KEYS[..1]).unwrap_err()), Some("GENAUTH_ACCESS_KEY_SECRET"));
        for (name, bad) in [
            ("GENAUTH_BRAND", "okta"),
            ("GENAUTH_AUTH", "basic"),
            ("GENAUTH_LANG", "xx"),
            ("GENAUTH_TIMEOUT_MS", "ten"),
            ("GENAUTH_TIMEOUT_MS", "0"),
            ("GENAUTH_DEADLINE_MS", "-1"),
            ("GENAUTH_HOST", "nope"),
            ("GENAUTH_HOST", "http://10.255.255.1"),
            ("GENAUTH_ALLOW_INSECURE_HTTP", "maybe"),
            ("GENAUTH_EVENTS_HOST", "https://openevent.genauth.ai"),
            ("GENAUTH_PROXY", "::not a url::"),
            ("GENAUTH_ROOT_CERTIFICATES", "/no/such/file.pem"),
        ] {
            let mut vars = KEYS.to_vec();
            vars.push((name, bad));
            let err = load(&vars).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(name), "{text}");
            assert!(!text.contains("sk-value"));
            assert_eq!(variable(err), Some(name));
        }
    }
}
