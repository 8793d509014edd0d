//! Connection settings of the config: extra trusted root certificates (a private CA) and a
//! proxy, each against a real loopback server.

use std::time::Duration;

use genauth::{ConfigBuilder, Error, ManagementClient, RetryPolicy};
use genauth_tests::harness::{bounded, scripted_config};
use genauth_tests::{Reply, Scripted, TEST_CA_PEM};

const OK: &str = r#"{"statusCode":200,"message":"ok","requestId":"r-ok","data":{"success":true}}"#;

fn builder(host: &str) -> ConfigBuilder {
    scripted_config(host, Duration::from_secs(5), RetryPolicy::disabled())
}

#[tokio::test]
async fn a_server_with_a_private_ca_is_refused_until_the_ca_is_added() {
    let server = Scripted::start_tls(vec![Reply::json(OK)]).await;
    let untrusting = ManagementClient::new(builder(&server.https_url()).build().unwrap()).unwrap();
    let err = bounded(untrusting.resign_user("u1").send()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
    assert_eq!(server.requests(), 0, "no request crossed an untrusted connection");

    let config = builder(&server.https_url()).root_certificates_pem(TEST_CA_PEM).build().unwrap();
    assert_eq!(config.root_certificate_count(), 1);
    let shown = format!("{config:?}");
    assert!(shown.contains("1 extra root certificate(s)") && shown.len() < 2000, "{shown}");
    let trusting = ManagementClient::new(config).unwrap();
    let answer = bounded(trusting.resign_user("u1").send()).await.unwrap();
    assert!(answer.data.success);
    assert_eq!(server.requests(), 1);
}

#[test]
fn root_certificates_that_are_not_pem_certificates_are_refused() {
    for (pem, why) in [
        ("not a certificate", "no `BEGIN CERTIFICATE`"),
        ("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", "not a valid PEM bundle"),
    ] {
        let err = builder("https://api.genauth.ai").root_certificates_pem(pem).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)) && err.to_string().contains(why), "{pem}: {err}");
    }
}

#[tokio::test]
async fn calls_go_through_the_configured_proxy() {
    let proxy = Scripted::start(vec![Reply::json(OK)]).await;
    // Nothing listens on the API's port: the answer can only come through the proxy. The host is
    // cleartext, so the proxy is used only because cleartext was allowed by name.
    let config = builder("http://127.0.0.1:9").allow_insecure_http(true).proxy(proxy.url()).build().unwrap();
    assert!(config.has_proxy());
    assert!(!format!("{config:?}").contains(&proxy.url()), "the proxy URL may hold credentials");
    let client = ManagementClient::new(config).unwrap();
    let answer = bounded(client.resign_user("u1").send()).await.unwrap();
    assert!(answer.data.success);
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with("POST http://127.0.0.1:9/api/v3/resign-user HTTP/1.1"), "{}", heads[0]);
}

#[tokio::test]
async fn cleartext_to_loopback_never_goes_through_a_proxy_unless_allowed_by_name() {
    // Issue 26, defect 7: loopback `http://` needs no opt-in because it stays on the machine; a
    // proxy would carry the signature, the secret's work and the tokens across the network.
    let api = Scripted::start(vec![Reply::json(OK)]).await;
    let proxy = Scripted::start(vec![Reply::json(OK)]).await;
    let config = builder(&api.url()).proxy(proxy.url()).build().unwrap();
    let client = ManagementClient::new(config).unwrap();
    let answer = bounded(client.resign_user("u1").send()).await.unwrap();
    assert!(answer.data.success);
    assert_eq!((api.requests(), proxy.heads().len()), (1, 0), "straight to the API, not through the proxy");
}

#[test]
fn a_proxy_url_that_is_no_url_is_refused() {
    let err = builder("https://api.genauth.ai").proxy("::not a url::").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)) && err.to_string().contains("proxy"), "{err}");
}
