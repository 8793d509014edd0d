//! Every operation of the API, called once through the sdk with the inputs its docs sample uses,
//! against Stoplight Prism mocking the effective spec (upstream + curated layers): Prism judges
//! each request (method, path, query, headers, body schema) and answers from the spec's examples,
//! then, in a second pass, from data generated from the response schemas; every answer must
//! decode into the generated types.
//!
//! Prism's blind spots are covered here: request bodies are closed before Prism sees the
//! document (an unknown field is refused, not ignored), query names are checked against the
//! operation's declared parameters, a 5xx from the mock counts as a failure, and in both passes
//! the decoded answer, encoded again, must hold everything Prism sent.
//!
//! The clients use the Authing brand: the upstream documents are Authing's, and 13 management
//! operations accept only its `x-authing-userpool-id` header (the GenAuth brand sends `x-genauth-userpool-id`, which
//! the stand-in tests check).
//!
//! Both APIs are judged, each against its own effective document. Prints, per document and pass:
//! `operations exercised (API, MODE): N/N requests valid, N/N responses decoded` (N counted
//! from the document),
//! then every failure with Prism's verdict or the decode error; the same report goes to
//! `target/conformance-report.txt`, which `.ci/run` prints.

#[path = "../../../codegen/tests/all/real_spec/mod.rs"]
mod real_spec;

use std::fmt::Write as _;
use std::future::Future;
use std::time::Duration;

use genauth::{AuthScheme, AuthenticationClient, AuthenticationConfig, Brand, Config, Error, ManagementClient};
use genauth_tests::conformance::{Gateway, MockMode, Prism, closed_requests, lost_in_decoding, undeclared_query_names};
use genauth_tests::harness::fast_retries;
use genauth_tests::{Flavor, StandIn, StandInOptions, conformance_calls, conformance_calls_authentication};

/// The report of one document: a line per pass, then its failures.
struct Verdict {
    report: String,
    all_green: bool,
}

/// Runs every operation of one document against Prism mocking `doc`, in both passes. `client`
/// makes the client for a gateway URL; `call` calls one operation by name.
async fn judge<C, F, Fut>(
    label: &str,
    doc: &serde_json::Value,
    operations: &[&'static str],
    client: impl Fn(&str) -> C,
    call: F,
) -> Verdict
where
    F: Fn(C, &'static str) -> Fut,
    Fut: Future<Output = Option<Result<serde_json::Value, Error>>>,
    C: Clone,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("effective-openapi.json");
    // Prism ignores body fields a schema does not name unless the schema is closed.
    std::fs::write(&spec, serde_json::to_vec(&closed_requests(doc)).expect("serialises")).expect("write spec");
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    let (examples, generated) =
        tokio::join!(Prism::start(&spec, MockMode::Examples), Prism::start(&spec, MockMode::Generated));
    let expected = real_spec::visible_operations(doc);
    let mut verdict = Verdict { report: String::new(), all_green: operations.len() == expected };
    if operations.len() != expected {
        let _ = writeln!(
            verdict.report,
            "{label}: the document has {expected} operations for the SDK, the calls {}",
            operations.len()
        );
    }
    for (prism, mode) in [(&examples, MockMode::Examples), (&generated, MockMode::Generated)] {
        let gateway = Gateway::start(&standin.url(), prism.url(), mode == MockMode::Generated).await;
        let client = client(gateway.url());
        let (mut valid, mut decoded, mut failures) = (0, 0, String::new());
        for name in operations {
            let result = call(client.clone(), name).await.expect("every listed operation has a call");
            let exchanges = gateway.take();
            let refused: Vec<_> = exchanges.iter().filter(|e| !e.request_valid()).collect();
            // Prism lets query names the operation does not declare through: checked here.
            let undeclared: Vec<String> =
                exchanges.iter().flat_map(|e| undeclared_query_names(doc, &e.request)).collect();
            if refused.is_empty() && undeclared.is_empty() && !exchanges.is_empty() {
                valid += 1;
            } else if exchanges.is_empty() {
                let _ = writeln!(failures, "  {name}: no request reached Prism ({result:?})");
            }
            for e in refused {
                let _ = writeln!(failures, "  {name}: Prism refused `{}` with {}: {}", e.request, e.status, e.body);
            }
            if !undeclared.is_empty() {
                let _ = writeln!(failures, "  {name}: query parameters the operation does not declare: {undeclared:?}");
            }
            // "Decoded" means more than "serde did not fail": everything Prism sent, from the
            // spec's examples or generated from its schemas (deep objects, arrays, enums,
            // floats: a fuzzer with an oracle), must come back when the answer is encoded again
            // (a misnamed optional field would be dropped silently).
            let lost = match (&result, exchanges.last()) {
                (Ok(ours), Some(e)) => match serde_json::from_str(&e.body) {
                    Ok(sent) => lost_in_decoding(&sent, ours),
                    Err(_) => None,
                },
                _ => None,
            };
            match (result, lost) {
                (Ok(_), None) => decoded += 1,
                (Ok(_), Some(lost)) => {
                    let _ = writeln!(failures, "  {name}: the answer lost what Prism sent: {lost}");
                }
                (Err(e), _) => {
                    let _ = writeln!(failures, "  {name}: {e}");
                }
            }
        }
        let line = format!(
            "operations exercised ({label}, {}): {valid}/{expected} requests valid, {decoded}/{expected} responses decoded",
            mode.label()
        );
        println!("{line}");
        let _ = writeln!(verdict.report, "{line}\n{failures}");
        verdict.all_green &= valid == expected && decoded == expected;
    }
    verdict
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_valid_and_decodes_against_the_spec() {
    let management = judge(
        "management",
        &real_spec::effective(),
        conformance_calls::OPERATIONS,
        |url| {
            let config = Config::builder()
                .access_key_id(StandInOptions::new(Flavor::Authing).access_key_id)
                .access_key_secret(StandInOptions::new(Flavor::Authing).access_key_secret)
                .brand(Brand::Authing)
                .host(url)
                .auth_scheme(AuthScheme::ManagementToken)
                .timeout(Duration::from_secs(20))
                .retry_policy(fast_retries())
                .build()
                .expect("valid config");
            ManagementClient::new(config).expect("client")
        },
        |client, name| async move { conformance_calls::call(&client, name).await },
    )
    .await;
    // The application client signs in with its secret in the body (the official SDKs' default)
    // and acts for a signed-in user elsewhere: both shapes of its requests are judged.
    let authentication = judge(
        "authentication",
        &real_spec::effective_of("authentication"),
        conformance_calls_authentication::OPERATIONS,
        |url| {
            let config = AuthenticationConfig::builder()
                .app_id("6229ffaxxxxxxxxcade3e3d9")
                .app_secret("app-secret-for-conformance")
                .app_host(url)
                .brand(Brand::Authing)
                .timeout(Duration::from_secs(20))
                .retry_policy(fast_retries())
                .build()
                .expect("valid config");
            AuthenticationClient::new(config).expect("client").with_access_token("an.end-user.token")
        },
        |client, name| async move { conformance_calls_authentication::call(&client, name).await },
    )
    .await;
    let report = format!("{}{}", management.report, authentication.report);
    // Test output is captured when tests pass: the report also goes to a file `.ci/run` prints.
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let _ = std::fs::create_dir_all(&target);
    std::fs::write(target.join("conformance-report.txt"), &report).expect("write the conformance report");
    assert!(management.all_green && authentication.all_green, "{report}");
}
