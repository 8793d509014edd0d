//! Every operation of the API, called once through the sdk with the inputs its docs sample uses,
//! against Stoplight Prism mocking the effective spec (upstream + curated layers): Prism judges
//! each request (method, path, query, headers, body schema) and answers from the spec's examples,
//! then, in a second pass, from data generated from the response schemas; every answer must
//! decode into the generated types.
//!
//! The client uses the Authing brand: the upstream document is Authing's, and 13 operations accept
//! only its `x-authing-userpool-id` header (the GenAuth brand sends `x-genauth-userpool-id`, which
//! the stand-in tests check).
//!
//! Prints, per pass: `operations exercised (MODE): N/N requests valid, N/N responses decoded`,
//! then every failure with Prism's verdict or the decode error; the same report goes to
//! `target/conformance-report.txt`, which `.ci/run` prints.

#[path = "../../codegen/tests/real_spec/mod.rs"]
mod real_spec;

use std::fmt::Write as _;
use std::time::Duration;

use genauth::{AuthScheme, Brand, Config, ManagementClient};
use genauth_tests::conformance::{Gateway, MockMode, Prism};
use genauth_tests::conformance_calls::{OPERATIONS, call};
use genauth_tests::harness::fast_retries;
use genauth_tests::{Flavor, StandIn, StandInOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_valid_and_decodes_against_the_spec() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("effective-openapi.json");
    std::fs::write(&spec, serde_json::to_vec(&real_spec::effective()).expect("serialises")).expect("write spec");

    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    let (examples, generated) =
        tokio::join!(Prism::start(&spec, MockMode::Examples), Prism::start(&spec, MockMode::Generated));
    let mut report = String::new();
    let mut all_green = true;
    for (prism, mode) in [(&examples, MockMode::Examples), (&generated, MockMode::Generated)] {
        let gateway = Gateway::start(&standin.url(), prism.url(), mode == MockMode::Generated).await;
        let o = standin.options();
        let config = Config::builder()
            .access_key_id(&o.access_key_id)
            .access_key_secret(&o.access_key_secret)
            .brand(Brand::Authing)
            .host(gateway.url())
            .auth_scheme(AuthScheme::ManagementToken)
            .timeout(Duration::from_secs(20))
            .retry_policy(fast_retries())
            .build()
            .expect("valid config");
        let client = ManagementClient::new(config).expect("client");

        let (mut valid, mut decoded, mut failures) = (0, 0, String::new());
        for name in OPERATIONS {
            let result = call(&client, name).await.expect("every listed operation has a call");
            let exchanges = gateway.take();
            let refused: Vec<_> = exchanges.iter().filter(|e| !e.request_valid()).collect();
            if refused.is_empty() && !exchanges.is_empty() {
                valid += 1;
            } else if exchanges.is_empty() {
                let _ = writeln!(failures, "  {name}: no request reached Prism ({result:?})");
            }
            for e in refused {
                let _ = writeln!(failures, "  {name}: Prism refused `{}` with {}: {}", e.request, e.status, e.body);
            }
            match result {
                Ok(()) => decoded += 1,
                Err(e) => {
                    let _ = writeln!(failures, "  {name}: {e}");
                }
            }
        }
        let n = OPERATIONS.len();
        let line = format!(
            "operations exercised ({}): {valid}/{n} requests valid, {decoded}/{n} responses decoded",
            mode.label()
        );
        println!("{line}");
        let _ = writeln!(report, "{line}\n{failures}");
        all_green &= valid == n && decoded == n;
    }
    // Test output is captured when tests pass: the report also goes to a file `.ci/run` prints.
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let _ = std::fs::create_dir_all(&target);
    std::fs::write(target.join("conformance-report.txt"), &report).expect("write the conformance report");
    assert!(OPERATIONS.len() > 400, "only {} operations", OPERATIONS.len());
    assert!(all_green, "{report}");
}
