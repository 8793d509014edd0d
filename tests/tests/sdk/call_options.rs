//! Per-call control on the generated builders: `customize` (tenant, language, extra headers,
//! timeout, deadline, retries) reaches the wire and the attempt loop for that call only, and
//! `send_with_metadata` returns what the answer said besides its data.

use std::time::{Duration, Instant};

use genauth::{AuthScheme, CallOptions, Error, Lang, ManagementClient, RetryPolicy};
use genauth_tests::harness::{
    COMBINATIONS, SCRIPTED_SECRET, bounded, client_for, config_for, example_command, fast_retries, scripted_config,
};
use genauth_tests::{Flavor, Reply, Scripted, StandIn, StandInOptions};

const OK: &str = r#"{"statusCode":200,"message":"ok","requestId":"r-body","data":{"success":true}}"#;

/// "No limit" works: `Duration::MAX` as a call's timeout and deadline, and as the client's, sends
/// and answers (it used to overflow the deadline's instant and panic on every call).
#[tokio::test]
async fn no_limit_as_timeout_or_deadline_works() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    let options = CallOptions::new().timeout(Duration::MAX).deadline(Duration::MAX);
    let answer = bounded(client.kick_users("u1", ["app-1"]).customize(options).send()).await.expect("no limit");
    assert!(answer.data.success);
    let config = genauth_tests::harness::config_for(&standin, AuthScheme::ManagementToken)
        .timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .build()
        .expect("no limit is a valid config");
    let client = ManagementClient::new(config).expect("client");
    assert!(bounded(client.kick_users("u1", ["app-1"]).send()).await.expect("no limit").data.success);
}

#[tokio::test]
async fn tenant_language_and_extra_headers_are_sent_and_signed_for_one_call_only() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let client = client_for(&standin, scheme);
        let prefix = flavor.prefix();
        // A prefixed extra header is covered by the signature: the stand-in checks it.
        let options = CallOptions::new()
            .tenant_id("tenant-42")
            .lang(Lang::JaJp)
            .header("X-Trace-Id", "trace-1")
            .header(format!("{prefix}trace"), "signed-too");
        let answer = bounded(client.kick_users("u1", ["app-1"]).customize(options).send())
            .await
            .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?}: {e}"));
        assert!(answer.data.success);
        let headers = standin.last_headers().unwrap();
        assert_eq!(headers[format!("{prefix}app-tenant-id").as_str()], "tenant-42", "{scheme:?}/{flavor:?}");
        assert_eq!(headers[format!("{prefix}lang").as_str()], "ja-JP");
        assert_eq!(headers["x-trace-id"], "trace-1");
        assert_eq!(headers[format!("{prefix}trace").as_str()], "signed-too");

        // The next call is back to the client's settings.
        bounded(client.resign_user("u2").send()).await.unwrap();
        let headers = standin.last_headers().unwrap();
        assert!(headers.get(format!("{prefix}app-tenant-id").as_str()).is_none());
        assert_eq!(headers[format!("{prefix}lang").as_str()], "zh-CN");
        assert!(headers.get("x-trace-id").is_none());
    }
}

#[tokio::test]
async fn later_customize_calls_add_up() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    let request = client
        .resign_user("u1")
        .customize(CallOptions::new().tenant_id("first").header("x-a", "1"))
        .customize(CallOptions::new().tenant_id("second").header("x-b", "2"));
    bounded(request.send()).await.unwrap();
    let headers = standin.last_headers().unwrap();
    assert_eq!(headers["x-genauth-app-tenant-id"], "second");
    assert_eq!((&headers["x-a"], &headers["x-b"]), (&"1".parse().unwrap(), &"2".parse().unwrap()));
}

#[tokio::test]
async fn non_ascii_header_values_are_refused_before_anything_is_sent() {
    // HTTP libraries send them differently (UTF-8 here, Latin-1 or an error in Node): a signed
    // one would not verify reliably, an unsigned one may arrive altered.
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    for options in [CallOptions::new().header("x-note", "租户"), CallOptions::new().tenant_id("租户-1")] {
        let err = bounded(client.resign_user("u1").customize(options).send()).await.unwrap_err();
        assert!(matches!(err, Error::Config(_)) && err.to_string().contains("must be ASCII"), "{err:?}");
    }
    let err = config_for(&standin, AuthScheme::Signature).tenant_id("租户-1").build().unwrap_err();
    assert!(err.to_string().contains("tenant_id must be ASCII"), "{err}");
    assert_eq!(standin.total_requests(), 0);
}

#[tokio::test]
async fn headers_the_sdk_sets_are_refused_before_anything_is_sent() {
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    for name in ["Authorization", "x-authing-signature-nonce", "x-authing-app-tenant-id", "content-type"] {
        let err =
            bounded(client.resign_user("u1").customize(CallOptions::new().header(name, "x")).send()).await.unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{name}: {err:?}");
        assert!(err.to_string().contains(&name.to_ascii_lowercase()), "{err}");
    }
    assert_eq!(standin.total_requests(), 0);
}

#[tokio::test]
async fn send_with_metadata_returns_the_request_id_headers_and_attempts() {
    let server = Scripted::start(vec![
        Reply::status(503, "").with_header("retry-after", "0"),
        Reply::json(OK).with_header("x-request-id", "rid-7").with_header("x-echo", SCRIPTED_SECRET),
    ])
    .await;
    let client = signing_client(&server.url(), Duration::from_secs(5), fast_retries());
    let (answer, meta) = bounded(client.resign_user("u1").send_with_metadata()).await.unwrap();
    assert!(answer.data.success);
    assert_eq!(meta.request_id.as_deref(), Some("rid-7"));
    assert_eq!(meta.status, 200);
    assert_eq!(meta.attempts, 2);
    assert_eq!(meta.headers["content-length"], OK.len().to_string().as_str());
    // A header echoing the secret is not handed out.
    assert_eq!(meta.headers["x-echo"], "[REDACTED]");

    // Without the header, the envelope's `requestId`.
    let server = Scripted::start(vec![Reply::json(OK)]).await;
    let client = signing_client(&server.url(), Duration::from_secs(5), fast_retries());
    let (_, meta) = bounded(client.resign_user("u1").send_with_metadata()).await.unwrap();
    assert_eq!((meta.request_id.as_deref(), meta.attempts), (Some("r-body"), 1));
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients() {
    let server = Scripted::start(vec![Reply::status(429, "")]).await;
    let client = signing_client(&server.url(), Duration::from_secs(5), fast_retries());
    let err =
        bounded(client.resign_user("u1").customize(CallOptions::new().retry_policy(RetryPolicy::disabled())).send())
            .await
            .unwrap_err();
    assert!(matches!(err, Error::Http(ref e) if e.status == 429), "{err:?}");
    assert_eq!(server.requests(), 1, "retries switched off for this call");

    let server = Scripted::start(vec![Reply::status(429, "")]).await;
    let client = signing_client(&server.url(), Duration::from_secs(5), RetryPolicy::disabled());
    let more = fast_retries().with_max_attempts(4);
    bounded(client.resign_user("u1").customize(CallOptions::new().retry_policy(more)).send()).await.unwrap_err();
    assert_eq!(server.requests(), 4, "four attempts for this call");
}

#[tokio::test]
async fn a_per_call_timeout_and_deadline_bound_that_call() {
    let slow = || vec![Reply::Slow { delay: Duration::from_secs(20), body: OK.into() }];
    // The client would wait 10 s per attempt; this call waits 300 ms.
    let server = Scripted::start(slow()).await;
    let client = signing_client(&server.url(), Duration::from_secs(10), RetryPolicy::disabled());
    let err =
        bounded(client.resign_user("u1").customize(CallOptions::new().timeout(Duration::from_millis(300))).send())
            .await
            .unwrap_err();
    assert!(matches!(err, Error::Timeout { timeout, .. } if timeout == Duration::from_millis(300)), "{err:?}");

    // A GET is retried after a timeout; the call's deadline ends it all.
    let server = Scripted::start(slow()).await;
    let client = signing_client(&server.url(), Duration::from_secs(10), fast_retries().with_max_attempts(10));
    let deadline = Duration::from_millis(700);
    let started = Instant::now();
    let err = bounded(
        client
            .get_user("u1")
            .customize(CallOptions::new().timeout(Duration::from_millis(250)).deadline(deadline))
            .send(),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::DeadlineExceeded { deadline: d, .. } if d == deadline), "{err:?}");
    // The error's kind proves the deadline ended it; the clock, with room for a loaded machine,
    // that it did not run the ten attempts (2.5 s).
    assert!(took < deadline + Duration::from_secs(1), "the call took {took:?}, past its deadline of {deadline:?}");
    assert!(server.requests() >= 2, "retried within the deadline: {} attempts", server.requests());
}

/// The example a user reads: its options arrive (tenant, language, the extra header) and it
/// prints the request id the stand-in gave.
#[tokio::test]
async fn the_per_call_options_example_runs() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let output = bounded(example_command("per_call_options", &standin, scheme).args(["u1", "tenant-9"]).output())
            .await
            .expect("the example runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{scheme:?}/{flavor:?}: {stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("data: ") && stdout.contains("success: true"), "{stdout}");
        let headers = standin.last_headers().unwrap();
        let prefix = flavor.prefix();
        assert_eq!(headers[format!("{prefix}app-tenant-id").as_str()], "tenant-9");
        assert_eq!(headers[format!("{prefix}lang").as_str()], "en-US");
        assert_eq!(headers["x-correlation-id"], "per-call-options-example");
        let request_id = stderr.strip_prefix("request id: ").and_then(|rest| rest.split(',').next()).unwrap_or("");
        assert!(!request_id.is_empty() && request_id != "(none)", "{stderr}");
        assert!(stderr.contains("attempts: 1"), "{stderr}");
    }
}

fn signing_client(url: &str, timeout: Duration, retry: RetryPolicy) -> ManagementClient {
    ManagementClient::new(scripted_config(url, timeout, retry).build().unwrap()).unwrap()
}
