//! A real OpenID provider on loopback: panva's `oidc-provider` from npm (OpenID Certified),
//! started from the fixture `tests/oidc/provider.mjs` with GenAuth's endpoint layout (issuer
//! `http://127.0.0.1:<port>/oidc`), and a user agent that gets through its development login
//! form the way a browser would. See `tests/oidc/README.md` for its clients and keys.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The redirect URI every fixture client has (nothing listens there: the user agent stops at it).
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";
/// The post-logout redirect URI every fixture client has.
pub const POST_LOGOUT_REDIRECT_URI: &str = "http://127.0.0.1:9/logged-out";

/// A fixture client: its id, its secret (none for the public client).
#[derive(Debug, Clone, Copy)]
pub struct FixtureClient {
    /// The client id (the GenAuth app id).
    pub id: &'static str,
    /// The client secret (the app secret).
    pub secret: Option<&'static str>,
}

/// `client_secret_post`, RS256 ID tokens.
pub const RS_APP: FixtureClient = FixtureClient { id: "rs-app", secret: Some("rs-secret-0123456789abcdef0123456789") };
/// `client_secret_basic`, RS256 ID tokens.
pub const BASIC_APP: FixtureClient =
    FixtureClient { id: "basic-app", secret: Some("basic-secret-0123456789abcdef01234567") };
/// `client_secret_post`, HS256 ID tokens (signed with the secret).
pub const HS_APP: FixtureClient =
    FixtureClient { id: "hs-app", secret: Some("hs-secret-0123456789abcdef0123456789ab") };
/// A public client (`none`), PKCE required.
pub const PUBLIC_APP: FixtureClient = FixtureClient { id: "public-app", secret: None };

/// The id of the tests' own issuer key, which a test issuer on loopback publishes (not the
/// provider's: its keys are `tests/oidc/keys.json`).
pub const TEST_KEY_ID: &str = "test-key-1";
/// The private half of [`TEST_KEY_ID`] (PKCS#8 PEM), to sign tokens as that issuer.
pub const TEST_KEY_PEM: &str = include_str!("../oidc/test-key-1.pem");

/// The key set a test issuer publishes: the public half of [`TEST_KEY_PEM`].
pub fn test_key_set() -> serde_json::Value {
    let keys: serde_json::Value =
        serde_json::from_str(include_str!("../oidc/test-keys.public.json")).expect("the committed key file is JSON");
    serde_json::json!({ "keys": keys["keys"] })
}

/// The running provider; stops when dropped (its stdin closes with it).
pub struct OidcProvider {
    child: Child,
    base: String,
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Installs the fixture's npm packages when they are missing (`.ci/install-oidc-provider.sh`),
/// so a plain `cargo test` works on a machine with node and npm.
fn ensure_installed() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let root = workspace_root();
        if root.join("tests/oidc/node_modules/oidc-provider/package.json").exists() {
            return;
        }
        let status = std::process::Command::new("bash")
            .arg(root.join(".ci/install-oidc-provider.sh"))
            .current_dir(&root)
            .status()
            .expect("run .ci/install-oidc-provider.sh (needs bash, node and npm)");
        assert!(status.success(), ".ci/install-oidc-provider.sh failed; oidc-provider is needed for the OIDC tests");
    });
}

impl OidcProvider {
    /// Starts the provider on a free port and waits until it listens.
    pub async fn start() -> OidcProvider {
        ensure_installed();
        let mut child = Command::new("node")
            .arg(workspace_root().join("tests/oidc/provider.mjs"))
            .env("PORT", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start node tests/oidc/provider.mjs");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("the OpenID provider did not start within 60 s")
            .expect("read its stdout")
            .expect("the OpenID provider ended before it listened");
        let base = line.strip_prefix("listening ").expect("the fixture's first line is `listening <url>`").to_owned();
        OidcProvider { child, base }
    }

    /// `http://127.0.0.1:<port>`: the app host.
    pub fn app_host(&self) -> &str {
        &self.base
    }

    /// `http://127.0.0.1:<port>/oidc`.
    pub fn issuer(&self) -> String {
        format!("{}/oidc", self.base)
    }

    /// Makes the provider sign with its second key from now on (its key set then has both).
    pub async fn rotate_keys(&self) {
        let status =
            reqwest::Client::new().post(format!("{}/__test/rotate", self.base)).send().await.expect("rotate").status();
        assert_eq!(status, 204, "the fixture's rotate endpoint");
    }

    /// A browser with its own cookies (the provider's session lives in them).
    pub fn browser(&self) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a browser-like client");
        Browser { client, base: self.base.clone() }
    }
}

/// A user's browser at the provider.
pub struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    /// Signs `user` in at `authorize_url` (the development login form, and the consent form
    /// when the provider shows one) and returns the redirect to [`REDIRECT_URI`] with its code,
    /// without following it.
    pub async fn sign_in(&self, authorize_url: &str, user: &str) -> String {
        let browser = &self.client;
        let mut next = Step::Get(authorize_url.to_owned());
        for _ in 0..12 {
            let response = match next {
                Step::Get(url) => browser.get(url).send().await,
                Step::Post(url, form) => post_form(browser, &url, &form).send().await,
            }
            .expect("the provider answers");
            let status = response.status();
            if status.is_redirection() {
                let location = response.headers()["location"].to_str().expect("ascii location").to_owned();
                let location = if location.starts_with('/') { format!("{}{location}", self.base) } else { location };
                if location.starts_with(REDIRECT_URI) {
                    return location;
                }
                next = Step::Get(location);
                continue;
            }
            let page = response.text().await.expect("a page");
            assert!(status.is_success(), "the provider answered {status}: {page}");
            let (action, mut fields) = form_of(&page).unwrap_or_else(|| panic!("no form on the page: {page}"));
            if fields.iter().any(|(name, _)| name == "login") || page.contains("name=\"login\"") {
                fields.retain(|(name, _)| name != "login" && name != "password");
                fields.push(("login".into(), user.into()));
                fields.push(("password".into(), "any".into()));
            }
            next = Step::Post(action, fields);
        }
        panic!("the login did not reach the redirect URI within 12 steps");
    }
}

fn post_form(browser: &reqwest::Client, url: &str, fields: &[(String, String)]) -> reqwest::RequestBuilder {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    browser.post(url).header("content-type", "application/x-www-form-urlencoded").body(body)
}

enum Step {
    Get(String),
    Post(String, Vec<(String, String)>),
}

/// The first form of an HTML page: its action and its hidden fields (the development pages are
/// small and regular; this reads only what they contain).
fn form_of(page: &str) -> Option<(String, Vec<(String, String)>)> {
    let form = &page[page.find("<form")?..];
    let action = attribute(&form[..form.find('>')?], "action")?;
    let body = &form[..form.find("</form>").unwrap_or(form.len())];
    let fields = body
        .split("<input")
        .skip(1)
        .filter_map(|input| {
            let tag = &input[..input.find('>')?];
            let is_hidden = attribute(tag, "type").as_deref() == Some("hidden");
            is_hidden.then(|| Some((attribute(tag, "name")?, attribute(tag, "value").unwrap_or_default())))?
        })
        .collect();
    Some((action, fields))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let value = &tag[at..at + tag[at..].find('"')?];
    Some(value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x3D;", "="))
}

impl Browser {
    /// The end-session page's confirmation, submitted as the signed-in user would ("Yes, sign me
    /// out"): returns where the provider redirects afterwards.
    pub async fn confirm_logout(&self, logout_url: &str) -> String {
        let browser = &self.client;
        let page = browser.get(logout_url).send().await.expect("end session page");
        assert!(page.status().is_success(), "end session answered {}", page.status());
        let page = page.text().await.expect("a page");
        let (action, mut fields) = form_of(&page).unwrap_or_else(|| panic!("no logout form: {page}"));
        fields.push(("logout".into(), "yes".into()));
        let answer = post_form(browser, &action, &fields).send().await.expect("confirm logout");
        assert!(answer.status().is_redirection(), "confirming the logout answered {}", answer.status());
        answer.headers()["location"].to_str().expect("ascii location").to_owned()
    }
}
