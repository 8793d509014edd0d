//! Events end to end: `subscribe` against the loopback event service (both brands, both auth
//! schemes, dropped connections, refusals, the reconnect budget, keep-alive, a clean close) and
//! `publish` against the API stand-in; an end user's subscription on the authentication side.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use genauth::{
    AuthScheme, Error, Event, ManagementClient, ReconnectPolicy, SubscribeErrorKind, SubscribeOptions, Subscription,
};
use genauth_tests::events_server::TokenCheck;
use genauth_tests::harness::{COMBINATIONS, bounded, capture_traces, config_for, example};
use genauth_tests::{EventsServer, EventsServerOptions, Flavor, Session, StandIn, StandInOptions, Then};
use serde_json::json;

/// Test reconnects: `n` in a row, ~10 ms apart.
fn fast_reconnects(n: u32) -> ReconnectPolicy {
    ReconnectPolicy::default()
        .with_max_reconnects(n)
        .with_initial_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(20))
}

fn options(n: u32) -> SubscribeOptions {
    SubscribeOptions::default().reconnect(fast_reconnects(n))
}

/// A stand-in (for tokens) and an event server of the same brand that accepts its tokens.
async fn pair(flavor: Flavor, configure: impl FnOnce(&mut EventsServerOptions)) -> (Arc<StandIn>, EventsServer) {
    let standin = Arc::new(StandIn::start(StandInOptions::new(flavor)).await);
    let issued = standin.clone();
    let check: TokenCheck = Arc::new(move |token: &str| issued.accepts_token(token));
    let mut options = EventsServerOptions::new(flavor);
    options.token_check = Some(check);
    configure(&mut options);
    (standin, EventsServer::start(options).await)
}

fn events_client(standin: &StandIn, events: &EventsServer, scheme: AuthScheme) -> ManagementClient {
    ManagementClient::new(config_for(standin, scheme).events_host(events.url()).build().unwrap()).unwrap()
}

async fn next_event(stream: &mut Subscription) -> Event {
    match bounded(stream.next()).await {
        Some(Ok(event)) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// Polls `condition` until it holds (at most 5 s).
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} did not happen within 5 s");
}

#[tokio::test]
async fn events_arrive_in_every_brand_and_scheme() {
    let envelope = json!({ "eventType": "myapp.order.paid", "source": "tests", "eventData": "{\"orderId\":\"o-1\"}" });
    for (scheme, flavor) in COMBINATIONS {
        let messages = [envelope.to_string(), "not json".to_string()];
        let (standin, events) = pair(flavor, |o| o.sessions = vec![Session::new(messages.clone(), Then::Hold)]).await;
        let client = events_client(&standin, &events, scheme);
        let mut stream = client.subscribe_with("myapp.order.paid", options(0));

        let first = next_event(&mut stream).await;
        assert_eq!(first.raw, messages[0], "{scheme:?}/{flavor:?}");
        assert_eq!(first.event_code, "myapp.order.paid");
        assert_eq!(first.json.as_ref(), Some(&envelope));
        let env = first.envelope.expect("an envelope");
        assert_eq!(env.event_type.as_deref(), Some("myapp.order.paid"));
        assert_eq!(env.data(), Some(json!({ "orderId": "o-1" })));
        let second = next_event(&mut stream).await;
        assert_eq!((second.raw.as_str(), second.json, second.envelope), ("not json", None, None));

        assert_eq!((events.upgrades(), events.accepted()), (1, 1), "{scheme:?}/{flavor:?}");
        assert_eq!(events.codes(), ["myapp.order.paid"]);
        let headers = events.last_headers().unwrap();
        let authorization = headers["authorization"].to_str().unwrap();
        let pool = headers.get(format!("{}userpool-id", flavor.prefix()).as_str());
        match scheme {
            AuthScheme::Signature => {
                assert!(authorization.starts_with(&format!("{} test-ak:", flavor.word())), "{authorization}");
                assert!(pool.is_none());
            }
            _ => {
                assert!(authorization.starts_with("Bearer "), "{authorization}");
                assert_eq!(pool.unwrap(), "pool-62188e71c");
                assert_eq!(standin.token_requests(), 1);
            }
        }
        assert!(headers.get(format!("{}sdk-version", flavor.prefix()).as_str()).is_some());
    }
}

#[tokio::test]
async fn a_dropped_connection_resumes_without_repeating_an_event() {
    for then in [Then::DropMidFrame, Then::Drop, Then::Close] {
        let sessions = vec![Session::new(["e1", "e2"], then), Session::new(["e3"], Then::Hold)];
        let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
        let client = events_client(&standin, &events, AuthScheme::Signature);
        let mut stream = client.subscribe_with("code", options(1));
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(next_event(&mut stream).await.raw);
        }
        assert_eq!(got, ["e1", "e2", "e3"], "{then:?}");
        // Nothing more: no event is replayed, no half frame turns into one.
        assert!(tokio::time::timeout(Duration::from_millis(100), stream.next()).await.is_err(), "{then:?}");
        assert_eq!(events.accepted(), 2, "{then:?}");
    }
}

#[tokio::test]
async fn a_bad_signature_is_refused_once_with_a_typed_error() {
    for flavor in [Flavor::GenAuth, Flavor::Authing] {
        let (standin, events) = pair(flavor, |_| {}).await;
        let config = config_for(&standin, AuthScheme::Signature)
            .access_key_secret("the-wrong-secret-42")
            .events_host(events.url())
            .build()
            .unwrap();
        let client = ManagementClient::new(config).unwrap();
        let mut stream = client.subscribe_with("code", options(5));
        let err = match bounded(stream.next()).await {
            Some(Err(Error::Subscribe(e))) => e,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!((err.kind, err.status, err.attempts), (SubscribeErrorKind::Refused, Some(401), 1), "{err}");
        assert!(err.message.contains("signature does not match"), "{err}");
        let text = Error::Subscribe(err.clone()).to_string();
        assert!(!text.contains("the-wrong-secret-42") && text.contains("refused"), "{text}");
        assert!(bounded(stream.next()).await.is_none(), "the stream ends after the error");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!((events.upgrades(), events.refused()), (1, 1), "no reconnect after a refusal");
    }
}

#[tokio::test]
async fn an_unavailable_service_spends_the_reconnect_budget_and_stops() {
    let (standin, events) = pair(Flavor::Authing, |o| o.forced_status = Some(503)).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(2));
    let err = match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => e,
        other => panic!("expected the budget to run out, got {other:?}"),
    };
    assert_eq!((err.kind, err.status, err.attempts), (SubscribeErrorKind::RetriesExhausted, Some(503), 3), "{err}");
    assert!(Error::Subscribe(err).is_retryable());
    assert!(bounded(stream.next()).await.is_none());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(events.upgrades(), 3, "one attempt and two reconnects");

    // Connections the server accepts and drops at once, saying nothing, count as failures too.
    let sessions = vec![Session::new(Vec::<String>::new(), Then::Drop); 10];
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(3));
    match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => assert_eq!((e.kind, e.attempts), (SubscribeErrorKind::RetriesExhausted, 4)),
        other => panic!("expected the budget to run out, got {other:?}"),
    }
    assert_eq!(events.accepted(), 4);
}

#[tokio::test]
async fn an_event_resets_the_reconnect_budget() {
    // Every connection delivers one event and drops: with one reconnect allowed in a row, the
    // stream lives on because each connection proves the path works.
    let sessions = (0..5).map(|i| Session::new([format!("e{i}")], Then::Drop)).collect();
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(1));
    for i in 0..5 {
        assert_eq!(next_event(&mut stream).await.raw, format!("e{i}"));
    }
    assert_eq!(events.accepted(), 5);
}

#[tokio::test]
async fn pings_and_closes_do_not_reset_the_reconnect_budget() {
    // Issue 26, defect 1: a server that accepts the upgrade, pings and closes delivers nothing;
    // before the fix each ping reset the budget and the client reconnected forever.
    for then in [Then::PingThenClose, Then::CloseWith(1011, "internal error")] {
        let sessions = vec![Session::new(Vec::<String>::new(), then); 20];
        let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
        let client = events_client(&standin, &events, AuthScheme::Signature);
        let mut stream = client.subscribe_with("code", options(2));
        let err = match bounded(stream.next()).await {
            Some(Err(Error::Subscribe(e))) => e,
            other => panic!("{then:?}: expected the budget to run out, got {other:?}"),
        };
        assert_eq!((err.kind, err.attempts), (SubscribeErrorKind::RetriesExhausted, 3), "{then:?}: {err}");
        let (code, reason) = match then {
            Then::CloseWith(code, reason) => (code, reason),
            _ => (1000, ""),
        };
        assert_eq!(err.close_code, Some(code), "{err}");
        assert!(err.message.contains(&format!("close code {code}")) && err.message.contains(reason), "{err}");
        assert!(bounded(stream.next()).await.is_none());
        assert_eq!(events.accepted(), 3, "{then:?}: one attempt and two reconnects");
    }
}

#[tokio::test]
async fn a_policy_or_application_close_is_a_refusal() {
    for (code, reason) in [(1008, "policy violation: unknown event code"), (4003, "forbidden")] {
        let sessions = vec![Session::new(Vec::<String>::new(), Then::CloseWith(code, reason)); 5];
        let (standin, events) = pair(Flavor::Authing, |o| o.sessions = sessions).await;
        let client = events_client(&standin, &events, AuthScheme::Signature);
        let mut stream = client.subscribe_with("code", options(5));
        let err = match bounded(stream.next()).await {
            Some(Err(Error::Subscribe(e))) => e,
            other => panic!("{code}: expected a refusal, got {other:?}"),
        };
        assert_eq!(
            (err.kind, err.status, err.close_code, err.attempts),
            (SubscribeErrorKind::Refused, None, Some(code), 1)
        );
        assert!(err.message.contains(reason), "{err}");
        assert!(!Error::Subscribe(err).is_retryable());
        assert!(bounded(stream.next()).await.is_none());
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(events.accepted(), 1, "{code}: no reconnect after a refusal");
    }
}

#[tokio::test]
async fn a_ping_interval_of_duration_max_means_no_keepalive() {
    // Issue 26, defect 8: `Duration::MAX` overflowed the first tick's instant, the worker task
    // panicked and the stream ended without an error.
    let sessions = vec![Session::new(["e1"], Then::Hold)];
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(0).ping_interval(Duration::MAX));
    assert_eq!(next_event(&mut stream).await.raw, "e1");
    assert!(tokio::time::timeout(Duration::from_millis(300), stream.next()).await.is_err(), "the stream stays open");
    assert_eq!(events.pings(), 0);
}

#[tokio::test]
async fn a_message_over_the_limit_ends_the_connection_not_the_memory() {
    let big = "x".repeat(4096);
    let sessions = vec![Session::new([big.as_str()], Then::Hold); 3];
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(1).max_message_bytes(1024));
    let err = match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => e,
        other => panic!("expected the budget to run out, got {other:?}"),
    };
    assert_eq!((err.kind, err.attempts), (SubscribeErrorKind::RetriesExhausted, 2), "{err}");
    assert!(err.message.contains("too long"), "{err}");
}

#[tokio::test]
async fn keepalive_pings_and_a_silent_server_is_left() {
    // A server that stops reading never answers the pings: the client reconnects.
    let sessions = vec![Session::new(Vec::<String>::new(), Then::Silent), Session::new(["after"], Then::Hold)];
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = sessions).await;
    let client = events_client(&standin, &events, AuthScheme::Signature);
    let mut stream = client.subscribe_with("code", options(1).ping_interval(Duration::from_millis(250)));
    assert_eq!(next_event(&mut stream).await.raw, "after");
    assert_eq!(events.accepted(), 2);
    // On the live connection the pings keep coming and are answered: no third connection.
    eventually("three pings on the second connection", || events.pings() >= 3).await;
    assert_eq!(events.accepted(), 2);
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection_cleanly() {
    let (standin, events) = pair(Flavor::Authing, |o| o.sessions = vec![Session::new(["e1"], Then::Hold)]).await;
    let client = events_client(&standin, &events, AuthScheme::ManagementToken);
    let mut stream = client.subscribe_with("code", options(5));
    assert_eq!(next_event(&mut stream).await.raw, "e1");
    drop(stream);
    eventually("a close frame from the client", || events.close_frames() == 1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(events.upgrades(), 1, "no reconnect after the drop");
}

#[tokio::test]
async fn a_rejected_token_is_fetched_again_once() {
    let (standin, events) = pair(Flavor::GenAuth, |o| o.sessions = vec![Session::new(["e1"], Then::Hold)]).await;
    let client = events_client(&standin, &events, AuthScheme::ManagementToken);
    // Cache a token, then revoke it as a key rotation would.
    bounded(client.publish("code", json!({})).send()).await.unwrap();
    standin.revoke_tokens();
    let mut stream = client.subscribe_with("code", options(0));
    assert_eq!(next_event(&mut stream).await.raw, "e1");
    assert_eq!((events.upgrades(), events.refused(), standin.token_requests()), (2, 1, 2));

    // A token that is never accepted ends in a refusal, not a loop.
    let (standin, events) = pair(Flavor::GenAuth, |o| o.token_check = Some(Arc::new(|_: &str| false))).await;
    let client = events_client(&standin, &events, AuthScheme::ManagementToken);
    let mut stream = client.subscribe_with("code", options(5));
    match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => assert_eq!((e.kind, e.status), (SubscribeErrorKind::Refused, Some(401))),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(bounded(stream.next()).await.is_none());
    assert_eq!(events.upgrades(), 2);
}

#[tokio::test]
async fn a_key_the_token_endpoint_refuses_ends_the_stream() {
    let (standin, events) = pair(Flavor::Authing, |_| {}).await;
    let config = config_for(&standin, AuthScheme::ManagementToken)
        .access_key_secret("not-the-secret-1234")
        .events_host(events.url())
        .build()
        .unwrap();
    let mut stream = ManagementClient::new(config).unwrap().subscribe_with("code", options(5));
    match bounded(stream.next()).await {
        Some(Err(Error::Auth(e))) => assert!(!e.to_string().contains("not-the-secret-1234")),
        other => panic!("expected an auth error, got {other:?}"),
    }
    assert!(bounded(stream.next()).await.is_none());
    assert_eq!(events.upgrades(), 0);
}

#[tokio::test]
async fn publish_sends_the_data_as_a_json_string_in_every_brand_and_scheme() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let client = genauth_tests::harness::client_for(&standin, scheme);
        let data = json!({ "orderId": "o-1", "amount": 12.5, "items": ["a", "张三"] });
        // The request is awaited directly (`IntoFuture`).
        let answer = bounded(async { client.publish("myapp.order.paid", &data).await })
            .await
            .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?} publish: {e}"));
        assert!(answer.success && answer.err_msg.is_none(), "{answer:?}");
        let body = standin.last_body().unwrap();
        assert_eq!(body["eventType"], "myapp.order.paid");
        assert_eq!(body["source"], genauth::DEFAULT_EVENT_SOURCE);
        let text = body["eventData"].as_str().unwrap_or_else(|| panic!("eventData is not a string: {body}"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(text).unwrap(), data);
        assert_eq!(standin.requests("/api/v3/pub-event"), 1);

        bounded(client.publish_text("myapp.raw", "plain text").source("billing-service").send()).await.unwrap();
        let body = standin.last_body().unwrap();
        assert_eq!(
            (body["eventData"].as_str(), body["source"].as_str()),
            (Some("plain text"), Some("billing-service"))
        );
    }
}

#[tokio::test]
async fn a_subscription_needs_a_non_empty_code() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = genauth_tests::harness::client_for(&standin, AuthScheme::Signature);
    let mut stream = client.subscribe("  ");
    assert!(matches!(bounded(stream.next()).await, Some(Err(Error::Config(_)))));
    assert!(bounded(stream.next()).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscribe_example_prints_one_json_line_per_event() {
    use tokio::io::AsyncBufReadExt as _;
    for (scheme, flavor) in COMBINATIONS {
        let message = json!({ "eventType": "myapp.order.paid", "eventData": "{}" });
        let session = Session::new([message.to_string(), "not json".to_string()], Then::Hold);
        let (standin, events) = pair(flavor, |o| o.sessions = vec![session]).await;
        let o = standin.options().clone();
        let auth = if scheme == AuthScheme::Signature { "signature" } else { "token" };
        let brand = if flavor == Flavor::GenAuth { "genauth" } else { "authing" };
        let command = |secret: &str| {
            let mut command = tokio::process::Command::new(example("subscribe"));
            command
                .arg("myapp.order.paid")
                .env_clear()
                .env("GENAUTH_ACCESS_KEY_ID", &o.access_key_id)
                .env("GENAUTH_ACCESS_KEY_SECRET", secret)
                .env("GENAUTH_HOST", standin.url())
                .env("GENAUTH_EVENTS_HOST", events.url())
                .env("GENAUTH_BRAND", brand)
                .env("GENAUTH_AUTH", auth)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true);
            command
        };
        let mut child = command(&o.access_key_secret).spawn().expect("the example runs");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let first = bounded(lines.next_line()).await.unwrap().expect("a first line");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&first).unwrap(), message, "{auth}/{brand}");
        let second = bounded(lines.next_line()).await.unwrap().expect("a second line");
        assert_eq!(second, r#""not json""#);
        child.kill().await.unwrap();

        if scheme == AuthScheme::Signature {
            // A refused subscription exits non-zero with the error, never the secret.
            let output = bounded(command("wrong-secret-for-example").output()).await.unwrap();
            assert!(!output.status.success());
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.starts_with("error: ") && stderr.contains("refused"), "{stderr}");
            assert!(!stderr.contains("wrong-secret-for-example"), "{stderr}");
        }
    }
}

/// Neither the secret, nor a token, nor the (static, hence replayable) upgrade signature shows in
/// errors, `Debug` output or the tracing output, even when the server echoes them.
#[tokio::test]
async fn subscriptions_never_leak_the_secret_the_token_or_the_signature() {
    let (captured, _guard) = capture_traces();

    let mut texts = Vec::new();
    let mut secrets = Vec::new();
    for (scheme, flavor) in COMBINATIONS {
        let (standin, events) = pair(flavor, |o| o.forced_status = Some(403)).await;
        let secret = standin.options().access_key_secret.clone();
        secrets.push(genauth_tests::verify::hmac_sha1_base64(&secret, "websocket\n"));
        secrets.push(secret);
        let client = events_client(&standin, &events, scheme);
        let mut stream = client.subscribe_with("code", options(0));
        texts.push(format!("{stream:?}"));
        let err = match bounded(stream.next()).await {
            Some(Err(e @ Error::Subscribe(_))) => e,
            other => panic!("expected a refusal, got {other:?}"),
        };
        let text = format!("{err} | {err:?}");
        assert!(text.contains("[REDACTED]") && text.contains("403"), "the echo was scrubbed, not lost: {text}");
        texts.push(text);
        secrets.extend(standin.issued_tokens());
    }
    assert_eq!(secrets.len(), 4 * 2 + 2, "two tokens were issued");
    let logs = captured.text();
    assert!(logs.contains("genauth.subscribe"), "tracing captured nothing: {logs}");
    texts.push(logs);
    for text in &texts {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "leaks {secret:?}: {text}");
        }
    }
}

/// `wss://` always means TLS: pointed at a plain WebSocket server, the handshake fails (and the
/// upgrade request, with its credential, is never sent in the clear).
#[tokio::test]
async fn wss_is_never_downgraded_to_plain_text() {
    let (standin, events) = pair(Flavor::GenAuth, |_| {}).await;
    let wss = events.url().replacen("ws://", "WSS://", 1);
    let config = config_for(&standin, AuthScheme::Signature).events_host(wss).build().unwrap();
    let mut stream = ManagementClient::new(config).unwrap().subscribe_with("code", options(1));
    match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => {
            assert_eq!((e.kind, e.status, e.attempts), (SubscribeErrorKind::RetriesExhausted, None, 2), "{e}");
        }
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert_eq!(events.upgrades(), 0, "no upgrade request reached the plain server");
}

#[tokio::test]
async fn an_end_user_subscribes_on_the_authentication_side_and_their_token_stays_out_of_errors() {
    use genauth::{AuthenticationClient, AuthenticationConfig};
    const USER_TOKEN: &str = "alice-access-token-0123456789";
    let mut server = EventsServerOptions::new(Flavor::GenAuth);
    server.user_tokens = vec![USER_TOKEN.to_owned()];
    server.sessions = vec![Session::new(["{\"eventType\":\"authing.user.updated\"}"], Then::Hold)];
    let events = EventsServer::start(server).await;
    let app = |events_host: String| {
        let config = AuthenticationConfig::builder()
            .app_id("app-1")
            .app_host("http://127.0.0.1:9")
            .events_host(events_host)
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        AuthenticationClient::new(config).unwrap()
    };
    let client = app(events.url());
    let mut stream = client.with_access_token(USER_TOKEN).subscribe_with("authing.user.updated", options(0));
    let event = next_event(&mut stream).await;
    assert_eq!(event.envelope.and_then(|e| e.event_type).as_deref(), Some("authing.user.updated"));
    assert_eq!(events.codes(), ["authing.user.updated"]);
    // A handle without a user's token cannot subscribe.
    let mut anonymous = client.subscribe("authing.user.updated");
    assert!(matches!(bounded(anonymous.next()).await, Some(Err(Error::Config(_)))));
    // A refusal that echoes the URL (and with it the token) does not put the token in the error
    // or the logs.
    let mut refusing = EventsServerOptions::new(Flavor::GenAuth);
    refusing.forced_status = Some(403);
    let refusing = EventsServer::start(refusing).await;
    let (logs, _guard) = capture_traces();
    let mut stream = app(refusing.url()).with_access_token(USER_TOKEN).subscribe_with("c", options(0));
    let err = match bounded(stream.next()).await {
        Some(Err(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(matches!(&err, Error::Subscribe(e) if e.kind == SubscribeErrorKind::Refused), "{err:?}");
    assert!(err.to_string().contains("asked for"), "the echo reached the error: {err}");
    assert!(!err.to_string().contains(USER_TOKEN) && !logs.text().contains(USER_TOKEN), "{err}");
    // Nor does a close whose reason echoes it.
    let mut closing = EventsServerOptions::new(Flavor::GenAuth);
    closing.user_tokens = vec![USER_TOKEN.to_owned()];
    closing.sessions =
        vec![Session::new(Vec::<String>::new(), Then::CloseWith(4001, "bad token alice-access-token-0123456789"))];
    let closing = EventsServer::start(closing).await;
    let mut stream = app(closing.url()).with_access_token(USER_TOKEN).subscribe_with("c", options(0));
    let err = match bounded(stream.next()).await {
        Some(Err(Error::Subscribe(e))) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!((err.kind, err.close_code), (SubscribeErrorKind::Refused, Some(4001)));
    assert!(err.message.contains("bad token [REDACTED]"), "{err}");
    assert!(!logs.text().contains(USER_TOKEN));
}
