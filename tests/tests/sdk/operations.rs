//! The generated operations end to end: all four auth x brand combinations against the
//! stand-in, client-side validation that keeps bad requests off the wire, typed decoding of odd
//! answers, and the examples run as a user would run them.

use std::time::Duration;

use genauth::types::{
    DeleteUsersBatchOptionsDto, DeleteUsersBatchOptionsDtoUserIdType, KickUsersOptionsDto,
    KickUsersOptionsDtoUserIdType, ResignUserReqDtoUserIdType,
};
use genauth::{AuthScheme, Config, Error, ManagementClient, Rule};
use genauth_tests::harness::{COMBINATIONS, bounded, client_for, example_command, fast_retries};
use genauth_tests::{Reply, Scripted, StandIn, StandInOptions};

#[tokio::test]
async fn the_three_operations_in_all_four_combinations() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        let client = client_for(&standin, scheme);
        let kicked = bounded(
            client
                .kick_users("u1", ["app-1", "应用 2"])
                .options(KickUsersOptionsDto::new().with_user_id_type(KickUsersOptionsDtoUserIdType::Email))
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?} kick_users: {e}"));
        assert!(kicked.data.success);
        let resigned = bounded(client.resign_user("张三").user_id_type(ResignUserReqDtoUserIdType::Username).send())
            .await
            .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?} resign_user: {e}"));
        assert!(resigned.data.success);
        let deleted = bounded(
            client
                .delete_users_batch(["a", "b"])
                .options(
                    DeleteUsersBatchOptionsDto::new().with_user_id_type(DeleteUsersBatchOptionsDtoUserIdType::Phone),
                )
                .send(),
        )
        .await
        .unwrap_or_else(|e| panic!("{scheme:?}/{flavor:?} delete_users_batch: {e}"));
        assert!(deleted.data.success);
        let body = standin.last_body().unwrap();
        assert_eq!(body["options"]["userIdType"], "phone");
    }
}

/// `required` means present, not non-empty: the spec sets no `minLength` on `userId`, so an empty
/// one is sent (the server answers for it), never refused by the sdk.
#[tokio::test]
async fn an_empty_required_string_is_sent() {
    let standin = StandIn::start(StandInOptions::new(genauth_tests::Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    let result = bounded(client.resign_user("").send()).await;
    assert!(!matches!(result, Err(Error::Validation(_))), "refused client-side: {result:?}");
    assert_eq!(standin.requests("/api/v3/resign-user"), 1, "the request left the process");
    assert_eq!(standin.last_body(), Some(serde_json::json!({"userId": ""})));
}

#[tokio::test]
async fn fifty_ids_are_sent_and_fifty_one_never_reach_the_server() {
    let standin = StandIn::start(StandInOptions::new(genauth_tests::Flavor::GenAuth)).await;
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let client = client_for(&standin, scheme);
        let ids = |n: usize| -> Vec<String> { (0..n).map(|i| format!("id-{i}")).collect() };
        for (result, field, rule) in [
            (bounded(client.kick_users("u1", ids(51)).send()).await.map(|_| ()), "appIds", Rule::MaxItems),
            (bounded(client.delete_users_batch(ids(51)).send()).await.map(|_| ()), "userIds", Rule::MaxItems),
            (bounded(client.kick_users("u1", ids(0)).send()).await.map(|_| ()), "appIds", Rule::MinItems),
        ] {
            match result {
                Err(Error::Validation(v)) => {
                    assert_eq!(v.violations.len(), 1, "{v}");
                    assert_eq!((v.violations[0].field.as_str(), v.violations[0].rule), (field, rule), "{v}");
                }
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
    }
    assert_eq!(standin.total_requests(), 0, "nothing was sent, not even a token request");

    // The limit itself is allowed: all 50 arrive.
    let client = client_for(&standin, AuthScheme::Signature);
    bounded(client.delete_users_batch((0..50).map(|i| format!("id-{i}"))).send()).await.unwrap();
    let sent = standin.last_body().unwrap();
    assert_eq!(sent["userIds"].as_array().map(Vec::len), Some(50));
}

async fn typed_against(reply: Reply) -> Result<genauth::types::ResignUserRespDto, Error> {
    let server = Scripted::start(vec![reply]).await;
    let config = Config::builder()
        .access_key_id("ak")
        .access_key_secret("typed-secret")
        .host(server.url())
        .auth_scheme(AuthScheme::Signature)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    bounded(ManagementClient::new(config).unwrap().resign_user("u1").send()).await
}

#[tokio::test]
async fn missing_data_is_a_decode_error_naming_the_type() {
    match typed_against(Reply::json(r#"{"statusCode":200,"message":"ok"}"#)).await {
        Err(Error::Decode(d)) => {
            assert!(d.expected.contains("ResignUserRespDto"), "{}", d.expected);
            assert!(d.reason.contains("data"), "{}", d.reason);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn extra_unknown_fields_decode() {
    // A float `statusCode` (specs that type it `number`) is the envelope check's business, tested
    // in the runtime; here the spec says `integer`, so the server's `200` is what decodes.
    let body = r#"{"statusCode":200,"message":"ok","data":{"success":true,"new":1},"more":{"x":[]}}"#;
    assert!(typed_against(Reply::json(body)).await.unwrap().data.success);
}

#[test]
fn unknown_enum_values_decode_and_round_trip() {
    let options: KickUsersOptionsDto = serde_json::from_str(r#"{"userIdType":"quantum_id"}"#).unwrap();
    assert_eq!(serde_json::to_string(&options).unwrap(), r#"{"userIdType":"quantum_id"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_work_in_all_four_combinations() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        for (name, args) in [
            ("kick_users", vec!["u1", "app-1", "app-2", "--user-id-type", "email"]),
            ("resign_user", vec!["u1"]),
            ("delete_users_batch", vec!["a", "b", "--user-id-type", "username"]),
        ] {
            let output =
                bounded(example_command(name, &standin, scheme).args(&args).output()).await.expect("the example runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "{name} {scheme:?}/{flavor:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            // The response as `{:#?}` shows it: the success flag of its `data`.
            assert!(stdout.contains("data: ") && stdout.contains("success: true"), "{name}: {stdout}");
        }
        // A failure exits non-zero with the error's message.
        let output = bounded(
            example_command("delete_users_batch", &standin, scheme)
                .arg("a")
                .env("GENAUTH_ACCESS_KEY_SECRET", "wrong-secret-for-example")
                .output(),
        )
        .await
        .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("wrong-secret-for-example"), "{stderr}");
    }
}
