//! Small helpers the integration tests share.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use genauth::{AuthScheme, Brand, Config, ConfigBuilder, ManagementClient, RetryPolicy};

use crate::standin::{Flavor, StandIn};

/// The SDK brand matching a stand-in flavour.
pub fn brand(flavor: Flavor) -> Brand {
    match flavor {
        Flavor::GenAuth => Brand::GenAuth,
        Flavor::Authing => Brand::Authing,
    }
}

/// A config builder pointed at `standin` with its credentials, short timeouts and fast retries.
pub fn config_for(standin: &StandIn, scheme: AuthScheme) -> ConfigBuilder {
    let o = standin.options();
    Config::builder()
        .access_key_id(&o.access_key_id)
        .access_key_secret(&o.access_key_secret)
        .brand(brand(o.flavor))
        .host(standin.url())
        .auth_scheme(scheme)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// The example binary `name` as a user runs it against `standin`: only the `GENAUTH_*`
/// variables of its credentials, brand and `scheme` in the environment; killed if the test ends
/// first. Add arguments, or override a variable (a wrong secret), before running it.
pub fn example_command(name: &str, standin: &StandIn, scheme: AuthScheme) -> tokio::process::Command {
    let o = standin.options();
    let mut command = tokio::process::Command::new(example(name));
    command
        .env_clear()
        .env("GENAUTH_ACCESS_KEY_ID", &o.access_key_id)
        .env("GENAUTH_ACCESS_KEY_SECRET", &o.access_key_secret)
        .env("GENAUTH_HOST", standin.url())
        .env("GENAUTH_BRAND", if o.flavor == Flavor::GenAuth { "genauth" } else { "authing" })
        .env("GENAUTH_AUTH", if scheme == AuthScheme::Signature { "signature" } else { "token" })
        .kill_on_drop(true);
    command
}

/// The secret of [`scripted_config`]'s clients, which tests look for in errors and logs.
pub const SCRIPTED_SECRET: &str = "fault-secret-value";

/// A signing client's config for a scripted server (or any loopback server) at `url`.
pub fn scripted_config(url: &str, timeout: Duration, retry: RetryPolicy) -> ConfigBuilder {
    Config::builder()
        .access_key_id("ak")
        .access_key_secret(SCRIPTED_SECRET)
        .host(url)
        .auth_scheme(AuthScheme::Signature)
        .timeout(timeout)
        .retry_policy(retry)
}

/// A client for `standin`.
pub fn client_for(standin: &StandIn, scheme: AuthScheme) -> ManagementClient {
    ManagementClient::new(config_for(standin, scheme).build().expect("valid config")).expect("client")
}

/// Three attempts with millisecond waits, so retry tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_retry_after(Duration::from_secs(2))
}

/// Runs `fut` with a generous bound, so a hang fails the test instead of stalling CI.
pub async fn bounded<F: std::future::Future>(fut: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), fut).await.expect("the call did not finish within 30 s")
}

/// Every auth scheme x brand combination.
pub const COMBINATIONS: [(AuthScheme, Flavor); 4] = [
    (AuthScheme::ManagementToken, Flavor::GenAuth),
    (AuthScheme::ManagementToken, Flavor::Authing),
    (AuthScheme::Signature, Flavor::GenAuth),
    (AuthScheme::Signature, Flavor::Authing),
];

/// The example binaries, built next to this test binary by `cargo test --workspace`, or built
/// here when only this package's tests were built.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap().to_path_buf();
    let path = profile_dir.join("examples").join(name);
    if !path.exists() {
        let target_dir = profile_dir.parent().unwrap();
        let status = Command::new(env!("CARGO"))
            // `axum`: the resource_server example's feature, which this package turns on too.
            .args(["build", "--quiet", "-p", "genauth", "--features", "axum", "--examples", "--target-dir"])
            .arg(target_dir)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the examples failed");
    }
    path
}

/// A `tracing` writer that keeps everything written, for tests that check what logs contain.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Captures every `tracing` event of this thread, at every level, until the guard is dropped.
pub fn capture_traces() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}
