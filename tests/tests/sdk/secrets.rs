//! Neither the secret nor a token ever shows in `Debug`/`Display` of config, client or errors,
//! nor in the tracing output of calls that fail.

use std::time::Duration;

use genauth::{AuthScheme, Config, Error, ManagementClient};
use genauth_tests::harness::{bounded, capture_traces, client_for, config_for, fast_retries};
use genauth_tests::{Flavor, Reply, Scripted, StandIn, StandInOptions};
use http::Method;
use serde_json::json;

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(!text.contains(secret.as_str()), "{what} leaks {secret:?}: {text}");
    }
}

fn both_ways(e: &Error) -> String {
    format!("{e} | {e:?}")
}

#[tokio::test]
async fn nothing_leaks_the_secret_or_the_token() {
    let (captured, _guard) = capture_traces();

    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let secret = standin.options().access_key_secret.clone();
    let mut secrets = vec![secret.clone()];
    let mut texts: Vec<(String, String)> = Vec::new();

    // Config, builder and client.
    let builder = config_for(&standin, AuthScheme::ManagementToken);
    texts.push(("builder".into(), format!("{builder:?}")));
    let config = builder.clone().build().unwrap();
    texts.push(("config".into(), format!("{config:?}")));
    let client = client_for(&standin, AuthScheme::ManagementToken);
    texts.push(("client".into(), format!("{client:?}")));

    // A successful token call, then failing ones with the token in play.
    bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"}))))
        .await
        .unwrap();
    let bad_op = bounded(client.raw_request(
        Method::POST,
        "/api/v3/kick-users",
        vec![],
        Some(json!({"userId": "u1", "appIds": []})),
    ))
    .await
    .unwrap_err();
    assert!(matches!(bad_op, Error::Api(ref e) if e.status_code == 400), "{bad_op:?}");
    texts.push(("api error".into(), both_ways(&bad_op)));
    texts.push(("client after token".into(), format!("{client:?}")));
    secrets.extend(standin.issued_tokens());
    assert_eq!(secrets.len(), 2, "one token was issued");

    // A wrong secret in both schemes (auth and API errors).
    for scheme in [AuthScheme::ManagementToken, AuthScheme::Signature] {
        let wrong = format!("wrong-{}-secret", scheme as u8);
        secrets.push(wrong.clone());
        let c = ManagementClient::new(config_for(&standin, scheme).access_key_secret(&wrong).build().unwrap()).unwrap();
        let e = bounded(c.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"}))))
            .await
            .unwrap_err();
        texts.push((format!("{scheme:?} wrong secret"), both_ways(&e)));
    }

    // HTTP, decode, timeout and transport errors, the server echoing the secret where it can.
    let echo = format!("<html>{secret}</html>");
    for (reply, timeout) in [
        (Reply::status(500, echo.clone()), Duration::from_secs(5)),
        (Reply::json(echo.clone()), Duration::from_secs(5)),
        (Reply::json(format!(r#"{{"statusCode":400,"message":"bad {secret}"}}"#)), Duration::from_secs(5)),
        (Reply::Slow { delay: Duration::from_secs(5), body: echo.clone().into_bytes() }, Duration::from_millis(200)),
        (Reply::ResetMidBody { declared: 500, sent: echo.clone().into_bytes() }, Duration::from_secs(5)),
    ] {
        let server = Scripted::start(vec![reply]).await;
        for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
            let config = Config::builder()
                .access_key_id("ak")
                .access_key_secret(&secret)
                .host(server.url())
                .auth_scheme(scheme)
                .timeout(timeout)
                .retry_policy(fast_retries())
                .build()
                .unwrap();
            let c = ManagementClient::new(config).unwrap();
            let e = bounded(c.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"}))))
                .await
                .unwrap_err();
            texts.push((format!("scripted {scheme:?}"), both_ways(&e)));
        }
    }

    // Configuration errors.
    let e = Config::builder().access_key_secret(&secret).build().unwrap_err();
    texts.push(("config error".into(), both_ways(&e)));

    let logs = captured.text();
    assert!(logs.contains("genauth.call") && logs.contains("call failed"), "tracing captured nothing: {logs}");
    assert!(logs.contains("operation=\"raw_request\"") || logs.contains("operation=raw_request"), "{logs}");
    texts.push(("tracing output".into(), logs));
    for (what, text) in &texts {
        assert_clean(what, text, &secrets);
    }
}

/// A management-token answer for the scripted server: a JWT with a pool id.
fn token_answer(token: &str) -> Reply {
    Reply::json(
        json!({"statusCode": 200, "message": "", "data": {"access_token": token, "expires_in": 7200}}).to_string(),
    )
}

/// A proxy that echoes the request's headers into its answer: neither the bearer token nor the
/// signed `authorization` value (nor its signature) shows in any error or log line.
#[tokio::test]
async fn an_echoing_proxy_leaks_no_token_or_signature() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(r#"{"scoped_userpool_id":"pool-echo","iat":1,"exp":7201}"#),
        b64("signature-of-the-echo-token")
    );
    let secret = "echo-secret-value-0123".to_owned();

    let (captured, _guard) = capture_traces();

    let mut texts: Vec<(String, String)> = Vec::new();
    let mut secrets = vec![secret.clone(), token.clone()];
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        for status in [200, 500, 502] {
            let mut script = Vec::new();
            if scheme == AuthScheme::ManagementToken {
                script.push(token_answer(&token));
            }
            script.push(Reply::Echo { status });
            let server = Scripted::start(script).await;
            let config = Config::builder()
                .access_key_id("ak-echo")
                .access_key_secret(&secret)
                .host(server.url())
                .auth_scheme(scheme)
                .retry_policy(fast_retries())
                .build()
                .unwrap();
            let client = ManagementClient::new(config).unwrap();
            let e =
                bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"}))))
                    .await
                    .unwrap_err();
            let what = format!("{scheme:?} echo {status}");
            assert!(matches!(e, Error::Api(_) | Error::Http(_)), "{what}: {e:?}");
            texts.push((what, both_ways(&e)));
            // What the proxy saw: every authorization value sent, and its credential parts.
            for head in server.heads() {
                for line in head.lines() {
                    let Some(value) = line.strip_prefix("authorization: ") else { continue };
                    secrets.push(value.to_owned());
                    let credential = value.split_once(' ').map(|(_, c)| c).unwrap_or(value);
                    if let Some((_, signature)) = credential.split_once(':') {
                        secrets.push(signature.to_owned());
                    }
                }
            }
        }
    }
    assert!(secrets.len() > 2 + 6, "the proxy saw authorization headers: {secrets:?}");
    let logs = captured.text();
    assert!(logs.contains("call failed"), "tracing captured nothing: {logs}");
    texts.push(("tracing output".into(), logs));
    for (what, text) in &texts {
        assert_clean(what, text, &secrets);
    }
    // The echo did arrive, redacted: the errors still say what the proxy answered.
    assert!(texts.iter().any(|(_, t)| t.contains("[REDACTED]")), "{texts:?}");
}
