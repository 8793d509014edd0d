//! The fault matrix: every misbehaviour of a server or network ends in the right typed error
//! (or a correct decode), with the right number of attempts, and never in a panic or a hang.

use std::time::Duration;

use genauth::{AuthScheme, CallOptions, Config, Error, ManagementClient, RetryPolicy};
use genauth_tests::harness::{bounded, capture_traces, fast_retries, scripted_config};
use genauth_tests::{Reply, Scripted};
use http::Method;
use serde_json::{Value, json};

const OK: &str = r#"{"statusCode":200,"message":"ok","requestId":"r-ok","data":{"success":true}}"#;

/// A signing client for the scripted server at `url`.
fn builder(url: &str, timeout: Duration, retry: RetryPolicy) -> genauth::ConfigBuilder {
    scripted_config(url, timeout, retry)
}

fn client(url: &str, timeout: Duration, retry: RetryPolicy) -> ManagementClient {
    ManagementClient::new(builder(url, timeout, retry).build().unwrap()).unwrap()
}

/// One call of `resign-user` against a server following `script`; returns the result and the
/// number of requests the server saw.
async fn run(script: Vec<Reply>) -> (Result<Value, Error>, usize) {
    run_with(script, Duration::from_secs(5), fast_retries()).await
}

async fn run_with(script: Vec<Reply>, timeout: Duration, retry: RetryPolicy) -> (Result<Value, Error>, usize) {
    let server = Scripted::start(script).await;
    let client = client(&server.url(), timeout, retry);
    let result =
        bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"})))).await;
    (result, server.requests())
}

#[tokio::test]
async fn http_500_is_an_http_error_and_not_retried() {
    let (result, requests) =
        run(vec![Reply::status(500, "internal error").with_header("x-request-id", "rid-500")]).await;
    match result.unwrap_err() {
        Error::Http(e) => {
            assert_eq!(e.status, 500);
            assert_eq!(e.body_snippet, "internal error");
            assert_eq!(e.request_id.as_deref(), Some("rid-500"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests, 1);
}

async fn run_get(script: Vec<Reply>) -> (Result<Value, Error>, usize) {
    let server = Scripted::start(script).await;
    let client = client(&server.url(), Duration::from_secs(5), fast_retries());
    let result =
        bounded(client.raw_request(Method::GET, "/api/v3/get-user", vec![("userId", json!("u1"))], None)).await;
    (result, server.requests())
}

#[tokio::test]
async fn gateway_errors_are_retried_for_an_idempotent_get() {
    let (result, requests) =
        run_get(vec![Reply::status(502, "bad gateway"), Reply::status(504, ""), Reply::json(OK)]).await;
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
    assert_eq!(requests, 3);
}

#[tokio::test]
async fn a_read_only_post_is_retried_like_a_get() {
    // `list-users` is a POST that changes nothing: the curated layer marks it idempotent, so a
    // gateway error or a timeout does not end it, unlike `resign-user` above.
    let listed = r#"{"statusCode":200,"message":"","requestId":"r","data":{"list":[],"totalCount":0}}"#;
    let server = Scripted::start(vec![Reply::status(502, ""), Reply::status(503, ""), Reply::json(listed)]).await;
    let client = client(&server.url(), Duration::from_secs(5), fast_retries());
    let answer = bounded(client.list_users().send()).await.unwrap();
    assert_eq!(answer.data.total_count, 0);
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_503_on_a_post_is_retried_only_when_the_service_asks_for_it() {
    // Issue 26, defect 4: a gateway (Envoy, Istio, most ingresses) answers a bare 503 after the
    // upstream received the request; before the fix `resign-user` was sent again.
    let (result, requests) = run(vec![Reply::status(503, "upstream reset"), Reply::json(OK)]).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Http(ref e) if e.status == 503 && e.retry_after.is_none()), "{err:?}");
    assert_eq!(requests, 1, "a bare 503 on a POST is not repeated");
    assert!(!err.is_retryable() && err.is_retryable_if_idempotent(), "the error states the same rule");
    // With `Retry-After` the service itself turned the request away and asks for another.
    let unavailable = || Reply::status(503, "").with_header("retry-after", "0");
    let (result, requests) = run(vec![unavailable(), unavailable(), Reply::json(OK)]).await;
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
    assert_eq!(requests, 3);
    // An idempotent call is repeated after a bare 503.
    let (result, requests) = run_get(vec![Reply::status(503, ""), Reply::json(OK)]).await;
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_fails_at_once_and_says_so() {
    let retry = fast_retries().with_max_retry_after(Duration::from_secs(1));
    let script = vec![Reply::status(429, "slow down").with_header("retry-after", "3600"), Reply::json(OK)];
    let started = std::time::Instant::now();
    let (result, requests) = run_with(script, Duration::from_secs(5), retry).await;
    assert!(started.elapsed() < Duration::from_secs(1), "waited {:?}", started.elapsed());
    let err = result.unwrap_err();
    match &err {
        Error::Http(e) => assert_eq!((e.status, e.retry_after), (429, Some(Duration::from_secs(3600)))),
        other => panic!("{other:?}"),
    }
    assert_eq!(requests, 1);
    assert!(err.is_retryable() && err.to_string().contains("asked to retry after 3600 s"), "{err}");
}

#[tokio::test]
async fn a_502_or_504_on_a_post_is_not_retried() {
    // A gateway timeout may come after the API already ran the irreversible `resign-user`.
    for status in [502, 504] {
        let (result, requests) = run(vec![Reply::status(status, ""), Reply::json(OK)]).await;
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Http(ref e) if e.status == status), "{err:?}");
        assert_eq!(requests, 1, "{status}: exactly one attempt");
        assert!(!err.is_retryable(), "{status}: the runtime did not retry, so the error must agree");
        assert!(err.is_retryable_if_idempotent());
    }
}

#[tokio::test]
async fn retries_are_bounded() {
    let (result, requests) = run(vec![Reply::status(503, "").with_header("retry-after", "0")]).await;
    assert!(matches!(result, Err(Error::Http(ref e)) if e.status == 503), "{result:?}");
    assert!(result.unwrap_err().is_retryable());
    assert_eq!(requests, 3);
    let (result, requests) = run_get(vec![Reply::status(504, "")]).await;
    assert!(matches!(result, Err(Error::Http(ref e)) if e.status == 504), "{result:?}");
    assert_eq!(requests, 3);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let (result, requests) =
        run_with(vec![Reply::status(503, "")], Duration::from_secs(5), RetryPolicy::disabled()).await;
    assert!(matches!(result, Err(Error::Http(ref e)) if e.status == 503), "{result:?}");
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn rate_limiting_honours_retry_after() {
    // The runtime reports the wait it takes before a retry; `Retry-After: 1` must be that wait,
    // not the policy's millisecond backoff, and the call must actually take it.
    let (captured, _guard) = capture_traces();
    let started = std::time::Instant::now();
    let (result, requests) =
        run(vec![Reply::status(429, "slow down").with_header("retry-after", "1"), Reply::json(OK)]).await;
    let elapsed = started.elapsed();
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
    assert_eq!(requests, 2);
    let logs = captured.text();
    let retrying: Vec<&str> = logs.lines().filter(|l| l.contains("retrying")).collect();
    assert_eq!(retrying.len(), 1, "{logs}");
    let wait_ms: u64 = retrying[0].split("wait_ms=").nth(1).and_then(|r| r.split(' ').next()).unwrap().parse().unwrap();
    // Never earlier than asked, at most a tenth later (jitter).
    assert!((1000..=1100).contains(&wait_ms) && retrying[0].contains("next_attempt=2"), "{}", retrying[0]);
    assert!(elapsed >= Duration::from_secs(1), "the wait was not taken: {elapsed:?}");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let script = vec![Reply::Slow { delay: Duration::from_secs(10), body: OK.into() }];
    let (result, requests) = run_with(script, Duration::from_millis(300), fast_retries()).await;
    match result.unwrap_err() {
        Error::Timeout { timeout, .. } => assert_eq!(timeout, Duration::from_millis(300)),
        other => panic!("{other:?}"),
    }
    // The request reached the server, so a POST is not repeated...
    assert_eq!(requests, 1);
    // ...but a GET is.
    let server = Scripted::start(vec![Reply::Slow { delay: Duration::from_secs(10), body: OK.into() }]).await;
    let client = with_deadline(&server.url(), Duration::from_millis(300), Duration::from_secs(5));
    let err = bounded(client.raw_request(Method::GET, "/api/v3/get-user", vec![("userId", json!("u1"))], None))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_reset_mid_body_is_a_transport_error() {
    let (result, requests) =
        run(vec![Reply::ResetMidBody { declared: 1000, sent: br#"{"statusCode":200,"#.to_vec() }]).await;
    match result.unwrap_err() {
        Error::Transport { connect, .. } => assert!(!connect),
        other => panic!("{other:?}"),
    }
    assert_eq!(requests, 1, "a POST whose answer was lost may have acted: not repeated");
}

#[tokio::test]
async fn a_get_whose_body_is_lost_is_made_again() {
    // Issue 26, defect 3: the README promises that an idempotent call is repeated after a
    // connection lost mid-request; before the fix a body read failure ended the call.
    let reset = || Reply::ResetMidBody { declared: 1000, sent: br#"{"statusCode":200,"#.to_vec() };
    let (result, requests) = run_get(vec![reset(), Reply::json(OK)]).await;
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
    assert_eq!(requests, 2);
    // Bounded like any retry: three attempts, then the last loss is the error.
    let (result, requests) = run_get(vec![reset()]).await;
    assert!(matches!(result, Err(Error::Transport { connect: false, .. })), "{result:?}");
    assert_eq!(requests, 3);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = client(&format!("http://127.0.0.1:{port}"), Duration::from_secs(5), fast_retries());
    let err = bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
        .await
        .unwrap_err();
    match &err {
        Error::Transport { connect, .. } => assert!(connect),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    // A query may hold a user's phone number or email: it stays out of the error's text (the
    // operation says which call failed).
    let query = vec![("phone", json!("13800138000")), ("email", json!("someone@example.com"))];
    let (captured, _guard) = capture_traces();
    let err = bounded(client.raw_request(Method::GET, "/api/v3/get-user", query, None)).await.unwrap_err();
    let text = format!("{err} {err:?} {}", captured.text());
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
    assert!(!text.contains("13800138000") && !text.contains("someone"), "{text}");
}

fn decode_error(result: Result<Value, Error>) -> genauth::DecodeError {
    match result {
        Err(Error::Decode(d)) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_body_is_a_decode_error_with_a_snippet() {
    let (result, requests) = run(vec![Reply::json("<html><body>Welcome to nginx</body></html>")]).await;
    let d = decode_error(result);
    assert!(d.body_snippet.starts_with("<html>"), "{}", d.body_snippet);
    assert!(d.reason.contains("not JSON"), "{}", d.reason);
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let d = decode_error(run(vec![Reply::json("")]).await.0);
    assert!(d.reason.contains("empty"), "{}", d.reason);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let d = decode_error(run(vec![Reply::json(r#"{"statusCode":200,"message":"ok","data":{"succ"#)]).await.0);
    assert!(d.expected.contains("Value"), "{}", d.expected);
}

#[tokio::test]
async fn a_body_over_the_configured_limit_is_refused_without_being_buffered() {
    let big = format!(r#"{{"statusCode":200,"message":"{}","data":{{"success":true}}}}"#, "x".repeat(4096));
    let server = Scripted::start(vec![Reply::json(big)]).await;
    let config =
        builder(&server.url(), Duration::from_secs(5), fast_retries()).max_response_bytes(1024).build().unwrap();
    let client = ManagementClient::new(config).unwrap();
    let err = bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
        .await
        .unwrap_err();
    let e = decode_error(Err(err));
    assert!(e.reason.contains("larger than 1024 bytes") && e.reason.contains("max_response_bytes"), "{e:?}");
    assert_eq!(server.requests(), 1);
    let zero = builder(&server.url(), Duration::from_secs(5), fast_retries()).max_response_bytes(0).build();
    assert!(matches!(zero, Err(Error::Config(_))), "{zero:?}");
}

#[tokio::test]
async fn a_body_of_several_megabytes_decodes() {
    let padding: Vec<String> = (0..200_000).map(|i| format!("item-{i}")).collect();
    let body = json!({"statusCode": 200, "message": "ok", "data": {"success": true}, "padding": padding}).to_string();
    assert!(body.len() > 2_000_000);
    let (result, _) = run(vec![Reply::json(body)]).await;
    let value = result.unwrap();
    assert_eq!(value["data"]["success"], json!(true));
    assert_eq!(value["padding"].as_array().map(Vec::len), Some(200_000));
}

#[tokio::test]
async fn envelope_failures_are_api_errors_and_not_retried() {
    for (status, api_code) in [(400, 2004), (401, 1300), (403, 6001), (500, 5000)] {
        let body =
            json!({"statusCode": status, "apiCode": api_code, "message": "nope", "requestId": "rid-x", "data": null});
        let (result, requests) = run(vec![Reply::json(body.to_string())]).await;
        match result.unwrap_err() {
            Error::Api(e) => {
                assert_eq!((e.status_code, e.api_code), (status, Some(api_code)));
                assert_eq!((e.message.as_str(), e.request_id.as_deref()), ("nope", Some("rid-x")));
            }
            other => panic!("{status}: {other:?}"),
        }
        assert_eq!(requests, 1, "{status} must not be retried");
    }
}

#[tokio::test]
async fn a_float_status_code_is_accepted() {
    let (result, _) = run(vec![Reply::json(r#"{"statusCode":200.0,"message":"ok","data":{"success":true}}"#)]).await;
    assert!(result.is_ok(), "{result:?}");
    let (result, _) = run(vec![Reply::json(r#"{"statusCode":403.0,"apiCode":6001.0,"message":"no"}"#)]).await;
    assert!(matches!(result, Err(Error::Api(ref e)) if e.status_code == 403 && e.api_code == Some(6001)), "{result:?}");
}

#[tokio::test]
async fn extra_unknown_fields_are_ignored() {
    let body = r#"{"statusCode":200,"message":"ok","data":{"success":true,"brandNew":{"x":[1,2]}},"newTopLevel":1}"#;
    let (result, _) = run(vec![Reply::json(body)]).await;
    assert_eq!(result.unwrap()["data"]["success"], json!(true));
}

#[tokio::test]
async fn cleartext_http_to_a_remote_host_is_refused_before_any_connection() {
    // 10.255.255.1 is unroutable: a connection attempt would hang until the timeout, so an
    // immediate answer proves none was made.
    let started = std::time::Instant::now();
    let builder = Config::builder().access_key_id("ak").access_key_secret("fault-secret-value");
    let err = builder.clone().host("http://10.255.255.1").build().unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(100), "{:?}", started.elapsed());
    match &err {
        Error::Config(c) => {
            assert!(c.message().contains("cleartext"), "{c}");
            assert!(c.message().contains("allow_insecure_http"), "{c}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable());
    // Opting in by name builds; loopback needs no opt-in.
    assert!(builder.clone().host("http://10.255.255.1").allow_insecure_http(true).build().is_ok());
    assert!(builder.host("http://localhost:1").build().is_ok());
}

/// A loopback listener that accepts connections, counts them and either drops them at once or
/// holds them without a word; spoken to over `https://`, neither lets a TLS handshake finish,
/// so the request itself never leaves the client (a connect failure).
async fn tls_black_hole(hold: bool) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            if hold {
                held.push(stream);
            }
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn connection_failures_are_retried_the_configured_number_of_times() {
    for attempts in [1, 3] {
        let (url, accepted) = tls_black_hole(false).await;
        let retry = fast_retries().with_max_attempts(attempts);
        let client = client(&url, Duration::from_secs(5), retry);
        let err =
            bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
                .await
                .unwrap_err();
        assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
        assert!(err.is_retryable());
        assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), attempts as usize);
    }
}

#[tokio::test]
async fn a_connect_timeout_is_a_connect_failure_and_retried() {
    let (url, accepted) = tls_black_hole(true).await;
    let client = client(&url, Duration::from_millis(400), fast_retries());
    let err = bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3, "a POST that never left is retried");
}

#[tokio::test]
async fn a_per_call_timeout_shorter_than_the_clients_still_tells_a_connect_failure() {
    // Issue 26, item 9: the connect timeout was half the client's timeout (here 5 s), so a call
    // of 400 ms timed out while connecting and looked like a slow answer: a POST was not retried.
    let (url, accepted) = tls_black_hole(true).await;
    let client = client(&url, Duration::from_secs(10), fast_retries());
    let short = || CallOptions::new().timeout(Duration::from_millis(400)).deadline(Duration::from_secs(5));
    let err = bounded(client.resign_user("u").customize(short()).send()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3, "a POST that never left is retried");
    // The shorter client is kept for the next such call.
    let err = bounded(client.resign_user("u").customize(short()).send()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { connect: true, .. }), "{err:?}");
}

fn with_deadline(url: &str, timeout: Duration, deadline: Duration) -> ManagementClient {
    ManagementClient::new(builder(url, timeout, fast_retries()).deadline(deadline).build().unwrap()).unwrap()
}

/// How far past its deadline a call may end on a loaded machine. The error's kind proves where
/// the call ended (an attempt cut at the deadline, not one that ran out its own timeout); the
/// clock only proves it did not wait out the alternatives, which are seconds longer.
const SLACK: Duration = Duration::from_millis(1000);

fn assert_deadline(err: &Error, deadline: Duration) {
    match err {
        Error::DeadlineExceeded { deadline: d, .. } => assert_eq!(*d, deadline),
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    assert!(err.to_string().contains("deadline"), "{err}");
    assert!(!err.is_retryable() && !err.is_retryable_if_idempotent());
}

#[tokio::test]
async fn a_slow_server_ends_the_call_at_its_deadline() {
    // GET retries timeouts: 400 ms + 400 ms + what is left of the second.
    let deadline = Duration::from_millis(1000);
    let server = Scripted::start(vec![Reply::Slow { delay: Duration::from_secs(10), body: OK.into() }]).await;
    let client = with_deadline(&server.url(), Duration::from_millis(400), deadline);
    let started = std::time::Instant::now();
    let err = bounded(client.raw_request(Method::GET, "/api/v3/get-user", vec![("userId", json!("u1"))], None))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_deadline(&err, deadline);
    assert!(elapsed < deadline + SLACK, "took {elapsed:?}");
    assert_eq!(server.requests(), 3);

    // One POST attempt whose own timeout is longer than the deadline is cut at the deadline.
    let deadline = Duration::from_millis(500);
    let server = Scripted::start(vec![Reply::Slow { delay: Duration::from_secs(10), body: OK.into() }]).await;
    let client = with_deadline(&server.url(), Duration::from_secs(5), deadline);
    let started = std::time::Instant::now();
    let err = bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_deadline(&err, deadline);
    assert!(elapsed >= deadline && elapsed < deadline + SLACK, "took {elapsed:?}");
}

/// The token scheme: a call whose token is slow to come ends at its own deadline, whether it
/// fetches the token itself or waits for another call's fetch.
#[tokio::test]
async fn a_slow_token_fetch_ends_each_waiting_call_at_its_deadline() {
    let server = Scripted::start(vec![Reply::Slow { delay: Duration::from_secs(10), body: OK.into() }]).await;
    let config = builder(&server.url(), Duration::from_secs(5), RetryPolicy::disabled())
        .auth_scheme(AuthScheme::ManagementToken)
        .deadline(Duration::from_secs(8))
        .build()
        .unwrap();
    let client = ManagementClient::new(config).unwrap();
    // The first call fetches the token (and would wait up to 5 s for it)...
    let fetching = tokio::spawn({
        let client = client.clone();
        async move { client.resign_user("u1").send().await }
    });
    // Once that fetch has reached the server...
    for _ in 0..500 {
        if server.requests() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.requests(), 1, "the first call's token request arrived");
    // ...the second waits for that fetch, with a deadline of its own.
    let deadline = Duration::from_millis(400);
    let started = std::time::Instant::now();
    let err =
        bounded(client.resign_user("u2").customize(CallOptions::new().deadline(deadline)).send()).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_deadline(&err, deadline);
    assert!(elapsed >= deadline && elapsed < deadline + SLACK, "took {elapsed:?}");
    assert_eq!(server.requests(), 1, "one token request for both calls");
    fetching.abort();
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_not_waited_for() {
    let deadline = Duration::from_millis(1000);
    let server = Scripted::start(vec![Reply::status(429, "slow down").with_header("retry-after", "2")]).await;
    let client = with_deadline(&server.url(), Duration::from_secs(5), deadline);
    let started = std::time::Instant::now();
    let err = bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u"}))))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500), "waited {:?}", started.elapsed());
    assert_deadline(&err, deadline);
    match &err {
        Error::DeadlineExceeded { last: Some(last), .. } => {
            assert!(matches!(**last, Error::Http(ref h) if h.status == 429), "{last:?}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_get_with_a_body_is_refused_before_sending() {
    let server = Scripted::start(vec![Reply::json(OK)]).await;
    let client = client(&server.url(), Duration::from_secs(5), fast_retries());
    for method in [Method::GET, Method::HEAD] {
        let err =
            bounded(client.raw_request(method.clone(), "/api/v3/get-user", vec![], Some(json!({"userId": "u1"}))))
                .await
                .unwrap_err();
        match &err {
            Error::Validation(v) => {
                assert_eq!(v.violations[0].field, "body");
                assert_eq!(v.violations[0].rule, genauth::Rule::BodyNotAllowed);
                assert!(err.to_string().contains("query"), "{err}");
            }
            other => panic!("{method}: {other:?}"),
        }
    }
    assert_eq!(server.requests(), 0, "nothing was sent");
    // The same parameters in the query go through.
    let ok = bounded(client.raw_request(Method::GET, "/api/v3/get-user", vec![("userId", json!("u1"))], None)).await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn an_envelope_without_status_code_is_a_decode_error() {
    let (result, requests) = run(vec![Reply::json(r#"{"message":"ok","data":{"success":true}}"#)]).await;
    let d = decode_error(result);
    assert!(d.reason.contains("missing field `statusCode`"), "{}", d.reason);
    assert_eq!(requests, 1);
}
