//! Both auth schemes against the stand-in, in both brands, through the client's raw entry
//! point (the typed operations have their own test file).

use std::sync::Arc;

use genauth::{AuthScheme, Error, Lang};
use genauth_tests::harness::{COMBINATIONS, bounded, client_for, config_for};
use genauth_tests::{Flavor, StandIn, StandInOptions};
use http::Method;
use serde_json::{Value, json};

fn ops() -> Vec<(&'static str, Value)> {
    vec![
        (
            "/api/v3/kick-users",
            json!({"userId": "u1", "appIds": ["app1", "app 2&"], "options": {"userIdType": "user_id"}}),
        ),
        ("/api/v3/resign-user", json!({"userId": "张三", "userIdType": "username"})),
        ("/api/v3/delete-users-batch", json!({"userIds": ["a", "b"], "options": {"userIdType": "email"}})),
    ]
}

#[tokio::test]
async fn three_operations_succeed_in_all_four_combinations() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let client = client_for(&standin, scheme);
        for (path, body) in ops() {
            let answer = bounded(client.raw_request(Method::POST, path, vec![], Some(body)))
                .await
                .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?} {path}: {e}"));
            assert_eq!(answer["data"]["success"], json!(true), "{scheme:?}/{flavor:?} {path}");
            assert_eq!(standin.requests(path), 1, "{scheme:?}/{flavor:?} {path}");
        }
        let expected_tokens = usize::from(scheme == AuthScheme::ManagementToken);
        assert_eq!(standin.token_requests(), expected_tokens, "{scheme:?}/{flavor:?}: one token for three calls");
        // The brand's headers, and only the brand's.
        let headers = standin.last_headers().unwrap();
        let (own, other) = match flavor {
            Flavor::GenAuth => ("x-genauth-", "x-authing-"),
            Flavor::Authing => ("x-authing-", "x-genauth-"),
        };
        assert_eq!(headers[format!("{own}sdk-version").as_str()], "genauth-rust-sdk:0.1.0");
        assert!(headers.keys().all(|k| !k.as_str().starts_with(other)));
        let ua = headers["user-agent"].to_str().unwrap();
        assert!(ua.starts_with("genauth-rust-sdk/0.1.0"), "{ua}");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_an_api_error_with_signatures() {
    for flavor in [Flavor::GenAuth, Flavor::Authing] {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let client = genauth::ManagementClient::new(
            config_for(&standin, AuthScheme::Signature).access_key_secret("wrong-secret-value").build().unwrap(),
        )
        .unwrap();
        let (path, body) = ops().remove(0);
        let err = bounded(client.raw_request(Method::POST, path, vec![], Some(body))).await.unwrap_err();
        match &err {
            Error::Api(api) => {
                assert_eq!((api.status_code, api.api_code), (401, Some(1300)), "{err}");
                assert!(api.request_id.is_some());
            }
            other => panic!("expected an API error, got {other:?}"),
        }
        assert!(!err.is_retryable());
        assert_eq!(standin.requests(path), 1, "a business error is not retried");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_an_auth_error_carrying_the_api_error_with_tokens() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = genauth::ManagementClient::new(
        config_for(&standin, AuthScheme::ManagementToken).access_key_secret("wrong-secret-value").build().unwrap(),
    )
    .unwrap();
    let (path, body) = ops().remove(0);
    let err = bounded(client.raw_request(Method::POST, path, vec![], Some(body))).await.unwrap_err();
    match &err {
        Error::Auth(auth) => assert_eq!((auth.status_code, auth.api_code), (Some(401), Some(2000)), "{err}"),
        other => panic!("expected an auth error, got {other:?}"),
    }
    assert!(err.request_id().is_some());
    assert_eq!(standin.requests(path), 0, "no call is made without a token");
    assert_eq!(standin.token_requests(), 1);
}

/// 250 calls at once: each holds a connection on both ends, which stays within the usual
/// `ulimit -n` of 1024 (a thousand did not).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_calls_on_a_cold_client_fetch_one_token() {
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    let client = client_for(&standin, AuthScheme::ManagementToken);
    let calls = (0..250).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": format!("u{i}")})))
                .await
        })
    });
    let results = bounded(futures::future::join_all(calls)).await;
    for r in results {
        r.expect("task").expect("call");
    }
    assert_eq!(standin.token_requests(), 1);
    assert_eq!(standin.requests("/api/v3/resign-user"), 250);
}

#[tokio::test]
async fn a_call_kept_but_not_polled_does_not_hold_up_the_token_for_the_others() {
    // Issue 26, defect 6: the token fetch ran inside the first caller's future; kept but not
    // polled (a `select!` branch, `buffer_unordered`), it made every other call wait until its
    // deadline.
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let config = config_for(&standin, AuthScheme::ManagementToken).deadline(std::time::Duration::from_secs(3));
    let client = genauth::ManagementClient::new(config.build().unwrap()).unwrap();
    let call =
        |user: &str| client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": user})));
    let mut stalled = Box::pin(call("u1"));
    assert!(futures::poll!(stalled.as_mut()).is_pending(), "the first call waits for the token");
    bounded(call("u2")).await.expect("another call gets the token without the first being polled");
    assert_eq!(standin.token_requests(), 1);
    // The stalled call, polled again, finds the token ready.
    bounded(stalled).await.unwrap();
    assert_eq!((standin.token_requests(), standin.requests("/api/v3/resign-user")), (1, 2));
}

#[tokio::test]
async fn a_failed_token_renewal_does_not_fail_calls_while_the_token_lasts() {
    // Issue 26, defect 5: only the refresh time was kept, so from then on every call needed a
    // new token, and a token endpoint that was down failed calls the old token could serve.
    // A 20 s token: renewed from 16 s, used until 18 s.
    let mut options = StandInOptions::new(Flavor::Authing);
    options.token_ttl_secs = 20;
    let standin = StandIn::start(options).await;
    let client = client_for(&standin, AuthScheme::ManagementToken);
    let call = || client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"})));
    bounded(call()).await.unwrap();
    standin.fail_next("/api/v3/get-management-token", 100, 500);
    tokio::time::sleep(std::time::Duration::from_millis(16_300)).await;
    for _ in 0..5 {
        bounded(call()).await.expect("the old token serves while renewal fails");
    }
    assert_eq!(standin.requests("/api/v3/resign-user"), 6);
    // One renewal was tried, in the background; the failure pauses the next (no storm).
    assert_eq!(standin.token_requests(), 2);
    let issued = standin.issued_tokens();
    assert_eq!(issued.len(), 1, "every call went out with the first token");
}

#[tokio::test]
async fn a_rejected_token_is_dropped_and_fetched_again_once() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::ManagementToken);
    let call = || client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"})));
    bounded(call()).await.unwrap();
    standin.revoke_tokens();
    bounded(call()).await.expect("a fresh token is fetched after the 401");
    assert_eq!(standin.token_requests(), 2);
    assert_eq!(standin.requests("/api/v3/resign-user"), 3);
    // The rejected attempt counts among the call's attempts.
    standin.revoke_tokens();
    let (_, meta) = bounded(client.resign_user("u1").send_with_metadata()).await.unwrap();
    assert_eq!((meta.attempts, standin.token_requests()), (2, 3));
}

#[tokio::test]
async fn a_retried_signed_call_is_signed_again_with_a_fresh_nonce() {
    // The stand-in fails the first two attempts after checking their signatures, so their
    // nonces are spent: a retry that reused one would be refused (401, apiCode 1306).
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    standin.fail_next("/api/v3/resign-user", 2, 503);
    let (answer, meta) = bounded(client.resign_user("u1").send_with_metadata()).await.unwrap();
    assert!(answer.data.success);
    assert_eq!((meta.attempts, standin.requests("/api/v3/resign-user")), (3, 3));
}

#[tokio::test]
async fn tenant_and_language_headers_are_sent_and_signed() {
    // The upstream spec names the tenant header `x-authing-app-tenant-id` (its security
    // requirement); the GenAuth brand sends the same name with its own prefix.
    let spec = include_str!("../../../spec/management-openapi.json");
    assert!(spec.contains(r#""x-authing-app-tenant-id""#), "the spec's tenant header name");
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let config = config_for(&standin, scheme).tenant_id("tenant-1").lang(Lang::EnUs).build().unwrap();
        let client = genauth::ManagementClient::new(config).unwrap();
        bounded(client.raw_request(Method::POST, "/api/v3/resign-user", vec![], Some(json!({"userId": "u1"}))))
            .await
            .unwrap();
        let headers = standin.last_headers().unwrap();
        let prefix = flavor.prefix();
        // Spelled out, not made from the prefix: the names the service reads.
        let expected = match flavor {
            Flavor::Authing => "x-authing-app-tenant-id",
            Flavor::GenAuth => "x-genauth-app-tenant-id",
        };
        assert_eq!(headers.get(expected).map(|v| v.to_str().unwrap()), Some("tenant-1"), "{scheme:?}/{flavor:?}");
        assert!(
            headers.get(format!("{prefix}app-id").as_str()).is_none(),
            "{scheme:?}/{flavor:?}: not the Node SDK's name"
        );
        assert_eq!(headers[format!("{prefix}lang").as_str()], "en-US");
    }
}

#[tokio::test]
async fn get_queries_with_chinese_are_encoded_and_signed() {
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    let query = vec![("userId", json!("张三 &=?")), ("withCustomData", json!(true)), ("n", json!(2.0))];
    let err = bounded(client.raw_request(Method::GET, "/api/v3/get-user", query, None)).await.unwrap_err();
    // The stand-in has no GET operations: reaching its 404 means the signature was accepted.
    match err {
        Error::Api(api) => assert_eq!(api.status_code, 404),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_stand_in_rejects_replayed_nonces_and_old_dates() {
    let standin = Arc::new(StandIn::start(StandInOptions::new(Flavor::Authing)).await);
    let http = reqwest::Client::new();
    let o = standin.options();
    let date = "Sun, 09 Oct 2022 06:14:00 GMT";
    let body = r#"{"userId":"u1"}"#;
    let send = |date: String, nonce: &str| {
        let headers = http::HeaderMap::from_iter(
            [
                ("date", date.clone()),
                ("x-authing-signature-method", "HMAC-SHA1".into()),
                ("x-authing-signature-version", "1.0".into()),
                ("x-authing-signature-nonce", nonce.into()),
            ]
            .map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_str(&v).unwrap())),
        );
        let sts = genauth_tests::verify::string_to_sign(
            "POST",
            "/api/v3/resign-user",
            &headers,
            "x-authing-",
            &[("userId".into(), "u1".into())],
        );
        let auth = format!(
            "authing {}:{}",
            o.access_key_id,
            genauth_tests::verify::hmac_sha1_base64(&o.access_key_secret, &sts)
        );
        http.post(format!("{}/api/v3/resign-user", standin.url()))
            .headers(headers)
            .header("authorization", auth)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let code = |v: Value| (v["statusCode"].as_i64(), v["apiCode"].as_i64());
    let old = bounded(send(date.into(), "n1")).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(code(old), (Some(401), Some(1305)));
    let now = httpdate::fmt_http_date(std::time::SystemTime::now());
    let first = bounded(send(now.clone(), "n2")).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(code(first), (Some(200), None));
    let replay = bounded(send(now, "n2")).await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(code(replay), (Some(401), Some(1306)));
}

/// Our clock an hour ahead of the server's: the token's `iat`/`exp` look an hour old, and `exp`
/// already passed by our clock. The token still lives `expires_in` from when it arrived, so many
/// calls share one token.
#[tokio::test]
async fn a_local_clock_ahead_of_the_server_still_reuses_the_token() {
    let mut options = StandInOptions::new(Flavor::GenAuth);
    options.token_ttl_secs = 1800;
    options.token_clock_offset_secs = -3600;
    let standin = StandIn::start(options).await;
    let client = client_for(&standin, AuthScheme::ManagementToken);
    for _ in 0..5 {
        let (path, body) = ops().remove(1);
        bounded(client.raw_request(Method::POST, path, vec![], Some(body))).await.unwrap();
    }
    assert_eq!(standin.token_requests(), 1, "one token fetch for many calls");
}

/// A `reqwest::Client` of the caller's own carries the calls, with the SDK's authentication.
#[tokio::test]
async fn a_caller_supplied_http_client_is_used() {
    for scheme in [AuthScheme::ManagementToken, AuthScheme::Signature] {
        let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
        let http = reqwest::Client::builder()
            .user_agent("my-own-client/1.0")
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let client = genauth::ManagementClient::with_http_client(config_for(&standin, scheme).build().unwrap(), http);
        let (path, body) = ops().remove(1);
        bounded(client.raw_request(Method::POST, path, vec![], Some(body))).await.unwrap();
        let headers = standin.last_headers().unwrap();
        assert_eq!(headers["user-agent"], "my-own-client/1.0", "{scheme:?}");
    }
}
