//! [`Config::from_env`](crate::Config::from_env) and
//! [`AuthenticationConfig::from_env`](crate::AuthenticationConfig::from_env): the configurations
//! from `GENAUTH_*` variables.
//!
//! The variables are listed on those two functions, where users read about them; the connection
//! settings both clients share are read once, here (`connection`).
//!
//! An empty variable counts as unset.

use std::ffi::OsString;
use std::time::Duration;

use crate::runtime::authentication::{AuthenticationConfig, ClientAuth};
use crate::runtime::config::{Config, ConfigBuilder};
use crate::runtime::error::{ConfigError, Error};

impl Config {
    /// Reads the configuration from environment variables. A missing or malformed variable is
    /// an [`Error::Config`] naming it; an empty variable counts as unset.
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `GENAUTH_ACCESS_KEY_ID` | access key id (required) |
    /// | `GENAUTH_ACCESS_KEY_SECRET` | access key secret (required) |
    /// | `GENAUTH_HOST` | custom host (default: the brand's) |
    /// | `GENAUTH_EVENTS_HOST` | custom event service host, `wss://…` (default: the brand's) |
    /// | `GENAUTH_BRAND` | `genauth` (default) or `authing` |
    /// | `GENAUTH_AUTH` | `token` (default) or `signature` |
    /// | `GENAUTH_LANG` | `zh-CN` (default), `en-US`, `ja-JP`, `zh-TW` |
    /// | `GENAUTH_TENANT_ID` | tenant id |
    /// | `GENAUTH_TIMEOUT_MS` | time limit of one attempt in milliseconds (default 10000) |
    /// | `GENAUTH_DEADLINE_MS` | time limit of a whole call, retries included, in milliseconds (default 3 x the timeout) |
    /// | `GENAUTH_ALLOW_INSECURE_HTTP` | `1` to allow an `http://` host that is not loopback (see [`ConfigBuilder::allow_insecure_http`]) |
    /// | `GENAUTH_PROXY` | proxy URL for API calls (see [`ConfigBuilder::proxy`]) |
    /// | `GENAUTH_ROOT_CERTIFICATES` | path of a PEM file of extra trusted root certificates (see [`ConfigBuilder::root_certificates_pem`]) |
    pub fn from_env() -> Result<Config, Error> {
        from_lookup(|name| std::env::var_os(name))
    }
}

impl AuthenticationConfig {
    /// Reads the configuration from environment variables. A missing or malformed variable is
    /// an [`Error::Config`] naming it; an empty variable counts as unset.
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `GENAUTH_APP_ID` | the application's id (required) |
    /// | `GENAUTH_APP_HOST` | the application's domain, `https://<app>.genauth.ai` (required) |
    /// | `GENAUTH_APP_SECRET` | the application's secret (for the sign-in operations) |
    /// | `GENAUTH_SIGN_IN_AUTH` | `client_secret_post`, `client_secret_basic` or `none` (see [`ClientAuth`]) |
    /// | `GENAUTH_EVENTS_HOST`, `GENAUTH_BRAND`, `GENAUTH_LANG`, `GENAUTH_TENANT_ID`, `GENAUTH_TIMEOUT_MS`, `GENAUTH_DEADLINE_MS`, `GENAUTH_ALLOW_INSECURE_HTTP`, `GENAUTH_PROXY`, `GENAUTH_ROOT_CERTIFICATES` | as for [`Config::from_env`] |
    pub fn from_env() -> Result<AuthenticationConfig, Error> {
        authentication_from_lookup(|name| std::env::var_os(name))
    }
}

/// Reads the variables through `lookup` (the process environment in production, a map in tests:
/// changing the real environment is unsafe in a multi-threaded test binary).
pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Config, Error> {
    let vars = Vars(&lookup);
    let b = Config::builder()
        .access_key_id(vars.require("GENAUTH_ACCESS_KEY_ID")?)
        .access_key_secret(vars.require("GENAUTH_ACCESS_KEY_SECRET")?);
    let allow_insecure = vars.allow_insecure()?;
    let mut b = connection(&vars, b.allow_insecure_http(allow_insecure), allow_insecure)?;
    if let Some(host) = vars.host("GENAUTH_HOST", allow_insecure)? {
        b = b.host(host);
    }
    if let Some(auth) = vars.parse("GENAUTH_AUTH")? {
        b = b.auth_scheme(auth);
    }
    b.build()
}

/// [`AuthenticationConfig::from_env`](crate::AuthenticationConfig::from_env): the application's
/// variables, and the connection settings the two clients share.
pub(crate) fn authentication_from_lookup(
    lookup: impl Fn(&str) -> Option<OsString>,
) -> Result<AuthenticationConfig, Error> {
    let vars = Vars(&lookup);
    let allow_insecure = vars.allow_insecure()?;
    let host = vars.host("GENAUTH_APP_HOST", allow_insecure)?;
    let host = host.ok_or_else(|| Error::from(ConfigError::new(Some("GENAUTH_APP_HOST"), "is not set")))?;
    let app_id = vars.require("GENAUTH_APP_ID")?;
    if app_id.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(ConfigError::new(Some("GENAUTH_APP_ID"), "must be printable ASCII: it is sent in a header").into());
    }
    let mut b = AuthenticationConfig::builder().app_id(app_id).app_host(host);
    let secret = vars.get("GENAUTH_APP_SECRET")?;
    let auth: Option<ClientAuth> = vars.parse("GENAUTH_SIGN_IN_AUTH")?;
    if secret.is_none() && auth.is_some_and(|a| a != ClientAuth::None) {
        return Err(ConfigError::new(
            Some("GENAUTH_SIGN_IN_AUTH"),
            "sends the app secret, but GENAUTH_APP_SECRET is not set",
        )
        .into());
    }
    if let Some(secret) = secret {
        b = b.app_secret(secret);
    }
    if let Some(auth) = auth {
        b = b.sign_in_auth(auth);
    }
    b.connection(|c| connection(&vars, c.allow_insecure_http(allow_insecure), allow_insecure))?.build()
}

/// The variables, read through a lookup; an empty one counts as unset.
struct Vars<'a>(&'a dyn Fn(&str) -> Option<OsString>);

impl Vars<'_> {
    fn get(&self, name: &'static str) -> Result<Option<String>, Error> {
        match (self.0)(name) {
            None => Ok(None),
            Some(raw) => match raw.into_string() {
                Ok(s) if s.trim().is_empty() => Ok(None),
                Ok(s) => Ok(Some(s.trim().to_owned())),
                Err(_) => Err(ConfigError::new(Some(name), "is not valid UTF-8").into()),
            },
        }
    }

    fn require(&self, name: &'static str) -> Result<String, Error> {
        self.get(name)?.ok_or_else(|| ConfigError::new(Some(name), "is not set").into())
    }

    fn parse<T: std::str::FromStr<Err = String>>(&self, name: &'static str) -> Result<Option<T>, Error> {
        self.get(name)?.map(|v| v.parse::<T>().map_err(|e| ConfigError::new(Some(name), e).into())).transpose()
    }

    fn allow_insecure(&self) -> Result<bool, Error> {
        match self.get("GENAUTH_ALLOW_INSECURE_HTTP")?.map(|v| v.to_ascii_lowercase()).as_deref() {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("1" | "true" | "yes") => Ok(true),
            Some(other) => Err(ConfigError::new(
                Some("GENAUTH_ALLOW_INSECURE_HTTP"),
                format!("`{other}` is not 1 or 0 (or true/false)"),
            )
            .into()),
        }
    }

    /// The host in `name`, checked here too, so that the error names the variable.
    fn host(&self, name: &'static str, allow_insecure: bool) -> Result<Option<String>, Error> {
        let Some(host) = self.get(name)? else { return Ok(None) };
        let named = |message: String| Error::from(ConfigError::new(Some(name), message));
        let normalized = crate::runtime::config::normalize_host(&host).map_err(|e| named(e.to_string()))?;
        crate::runtime::config::check_cleartext(&normalized, allow_insecure)
            .map_err(|e| named(e.message().to_owned()))?;
        Ok(Some(host))
    }

    fn millis(&self, name: &'static str) -> Result<Option<Duration>, Error> {
        let Some(ms) = self.get(name)? else { return Ok(None) };
        let ms: u64 = ms.parse().ok().filter(|&ms| ms > 0).ok_or_else(|| {
            Error::from(ConfigError::new(Some(name), format!("`{ms}` is not a positive whole number of milliseconds")))
        })?;
        Ok(Some(Duration::from_millis(ms)))
    }
}

/// The settings both clients read the same way: brand, language, tenant, proxy, extra root
/// certificates, timeout and deadline.
fn connection(vars: &Vars<'_>, mut b: ConfigBuilder, allow_insecure: bool) -> Result<ConfigBuilder, Error> {
    if let Some(host) = vars.get("GENAUTH_EVENTS_HOST")? {
        let named = |message: String| Error::from(ConfigError::new(Some("GENAUTH_EVENTS_HOST"), message));
        let normalized = crate::runtime::config::normalize_events_host(&host).map_err(|e| named(e.to_string()))?;
        crate::runtime::config::check_cleartext(&normalized, allow_insecure)
            .map_err(|e| named(e.message().to_owned()))?;
        b = b.events_host(host);
    }
    if let Some(brand) = vars.parse("GENAUTH_BRAND")? {
        b = b.brand(brand);
    }
    if let Some(lang) = vars.parse("GENAUTH_LANG")? {
        b = b.lang(lang);
    }
    if let Some(tenant) = vars.get("GENAUTH_TENANT_ID")? {
        b = b.tenant_id(tenant);
    }
    if let Some(proxy) = vars.get("GENAUTH_PROXY")? {
        crate::runtime::config::parse_proxy(&proxy, Some("GENAUTH_PROXY"))?;
        b = b.proxy(proxy);
    }
    if let Some(path) = vars.get("GENAUTH_ROOT_CERTIFICATES")? {
        const NAME: &str = "GENAUTH_ROOT_CERTIFICATES";
        let pem = std::fs::read(&path).map_err(|e| {
            Error::from(ConfigError::new(Some(NAME), format!("names `{path}`, which cannot be read: {e}")))
        })?;
        crate::runtime::config::parse_root_certificates(&pem)
            .map_err(|e| Error::from(ConfigError::new(Some(NAME), format!("names `{path}`: {}", e.message()))))?;
        b = b.root_certificates_pem(pem);
    }
    if let Some(timeout) = vars.millis("GENAUTH_TIMEOUT_MS")? {
        b = b.timeout(timeout);
    }
    if let Some(deadline) = vars.millis("GENAUTH_DEADLINE_MS")? {
        b = b.deadline(deadline);
    }
    Ok(b)
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

    fn load_app(vars: &[(&str, &str)]) -> Result<AuthenticationConfig, Error> {
        let map: HashMap<String, OsString> = vars.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        authentication_from_lookup(|name| map.get(name).cloned())
    }

    const APP: [(&str, &str); 2] = [("GENAUTH_APP_ID", "app1"), ("GENAUTH_APP_HOST", "https://app1.genauth.ai")];

    #[test]
    fn the_application_config_reads_its_variables_and_names_the_wrong_one() {
        let c = load_app(&APP).unwrap();
        assert_eq!((c.app_id(), c.app_host(), c.sign_in_auth()), ("app1", "https://app1.genauth.ai", ClientAuth::None));
        let mut vars = APP.to_vec();
        vars.extend([
            ("GENAUTH_APP_SECRET", "app-secret-value"),
            ("GENAUTH_BRAND", "authing"),
            ("GENAUTH_TIMEOUT_MS", "2500"),
        ]);
        let c = load_app(&vars).unwrap();
        assert_eq!(c.sign_in_auth(), ClientAuth::SecretInBody, "the default with a secret");
        assert_eq!((c.brand(), c.timeout()), (Brand::Authing, Duration::from_millis(2500)));
        vars.push(("GENAUTH_SIGN_IN_AUTH", "client_secret_basic"));
        assert_eq!(load_app(&vars).unwrap().sign_in_auth(), ClientAuth::Basic);
        assert_eq!(variable(load_app(&APP[..1]).unwrap_err()), Some("GENAUTH_APP_HOST"));
        assert_eq!(variable(load_app(&APP[1..]).unwrap_err()), Some("GENAUTH_APP_ID"));
        for (name, bad) in [
            ("GENAUTH_SIGN_IN_AUTH", "client_secret_basic"),
            ("GENAUTH_SIGN_IN_AUTH", "magic"),
            ("GENAUTH_APP_ID", "app\u{7}1"),
            ("GENAUTH_APP_HOST", "http://10.255.255.1"),
            ("GENAUTH_TIMEOUT_MS", "0"),
        ] {
            let mut vars: Vec<(&str, &str)> = APP.iter().filter(|(k, _)| *k != name).copied().collect();
            vars.push((name, bad));
            let err = load_app(&vars).unwrap_err();
            assert_eq!(variable(err), Some(name), "{name}={bad}");
        }
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
