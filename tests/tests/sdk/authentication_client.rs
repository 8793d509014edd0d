//! `AuthenticationClient` on the wire, against the application stand-in (`AppStandIn`): the app
//! id on every call, the three ways a sign-in authenticates the application, one client serving
//! many users at once without mixing their tokens, a path parameter substituted (the official
//! SDKs send `{credentialID}` literally), the one form body sent as a form (they send none), and
//! the `sign_in` example as a user runs it.

use std::time::Duration;

use futures::future::join_all;
use genauth::types::{SignInByPasswordPayloadDto, SigninByCredentialsDtoConnection};
use genauth::{AuthenticationClient, AuthenticationConfig, Brand, ClientAuth, Error};
use genauth_tests::app_standin::{AppStandIn, SeenClientAuth};
use genauth_tests::harness::{bounded, example, fast_retries};
use genauth_tests::standin::Flavor;

fn client(standin: &AppStandIn, auth: ClientAuth) -> AuthenticationClient {
    let mut config = AuthenticationConfig::builder()
        .app_id(AppStandIn::APP_ID)
        .app_host(standin.url())
        .brand(Brand::Authing)
        .sign_in_auth(auth)
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries());
    if auth != ClientAuth::None {
        config = config.app_secret(AppStandIn::APP_SECRET);
    }
    AuthenticationClient::new(config.build().expect("valid config")).expect("client")
}

async fn sign_in(client: &AuthenticationClient, account: &str, password: &str) -> Result<String, Error> {
    let answer = client
        .sign_in_by_credentials(SigninByCredentialsDtoConnection::Password)
        .password_payload(SignInByPasswordPayloadDto::new(password).with_account(account))
        .send()
        .await?;
    Ok(answer.data.access_token.expect("a token"))
}

#[tokio::test]
async fn a_sign_in_authenticates_the_application_as_configured_and_never_with_a_user_token() {
    let standin = AppStandIn::start(Flavor::Authing).await;
    for (auth, seen) in [
        (ClientAuth::SecretInBody, SeenClientAuth::Body),
        (ClientAuth::Basic, SeenClientAuth::Basic),
        (ClientAuth::None, SeenClientAuth::None),
    ] {
        // A handle that already holds a user's token still signs in as the application.
        let client = client(&standin, auth).with_access_token("someone-elses-token");
        let token = sign_in(&client, "alice", "alice-password").await.unwrap_or_else(|e| panic!("{auth:?}: {e}"));
        assert!(token.ends_with("-alice"), "{token}");
        assert_eq!(standin.sign_ins().last(), Some(&seen), "{auth:?}");
        let request = standin.requests().pop().expect("a request");
        assert_eq!(request.headers["x-authing-app-id"], AppStandIn::APP_ID);
        let body = String::from_utf8_lossy(&request.body).into_owned();
        assert_eq!(body.contains(AppStandIn::APP_SECRET), auth == ClientAuth::SecretInBody, "{body}");
        assert!(!request.headers.contains_key("authorization") || auth == ClientAuth::Basic);
    }
    // A wrong password is the API's error.
    let err = sign_in(&client(&standin, ClientAuth::SecretInBody), "alice", "wrong").await.unwrap_err();
    assert!(matches!(&err, Error::Api(api) if api.status_code == 400), "{err:?}");
}

/// The other operation that issues tokens authenticates the application too (curated: upstream
/// does not mark it), and the one upstream marks but that acts for a signed-in user sends that
/// user's token (curated the other way).
#[tokio::test]
async fn the_ticket_exchange_authenticates_the_application_and_switching_acts_for_the_user() {
    let standin = AppStandIn::start(Flavor::Authing).await;
    for (auth, seen) in [(ClientAuth::Basic, SeenClientAuth::Basic), (ClientAuth::SecretInBody, SeenClientAuth::Body)] {
        let handle = client(&standin, auth).with_access_token("someone-elses-token");
        let answer = handle.exchange_token_set_with_qr_code_ticket("ticket-for-bob").send().await.expect("exchanged");
        assert!(answer.data.access_token.expect("a token").ends_with("-bob"));
        assert_eq!(standin.sign_ins().last(), Some(&seen), "{auth:?}");
    }
    let client = client(&standin, ClientAuth::SecretInBody);
    let alice = client.with_access_token(standin.issue_token("alice"));
    let switched = alice.switch_login_by_user("bob").send().await.expect("switched");
    assert!(switched.data.access_token.expect("a token").ends_with("-bob"));
    let request = standin.requests().pop().expect("a request");
    assert!(request.headers["authorization"].to_str().expect("text").starts_with("Bearer user-token-"));
    assert!(!String::from_utf8_lossy(&request.body).contains(AppStandIn::APP_SECRET), "no app credentials");
    // Without a user, switching has nobody to switch from.
    assert!(client.switch_login_by_user("bob").send().await.is_err());
}

/// A server that echoes what it received cannot make the client show the app secret, the Basic
/// credentials or a user's token: errors and their `Debug` are scrubbed.
#[tokio::test]
async fn echoed_credentials_are_scrubbed_from_errors() {
    let standin = AppStandIn::start(Flavor::Authing).await;
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", AppStandIn::APP_ID, AppStandIn::APP_SECRET),
    );
    for auth in [ClientAuth::SecretInBody, ClientAuth::Basic] {
        let err = sign_in(&client(&standin, auth), "echo", "any").await.unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("cannot sign in") && shown.contains("[REDACTED]"), "{auth:?}: {shown}");
        assert!(!shown.contains(AppStandIn::APP_SECRET) && !shown.contains(&basic), "{auth:?}: {shown}");
    }
    let user = client(&standin, ClientAuth::None).with_access_token("unknown-user-token-value");
    let err = user.get_profile().send().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("unknown access token in `[REDACTED]`"), "{shown}");
    assert!(!shown.contains("unknown-user-token-value"), "{shown}");
}

/// One client, hundreds of concurrent calls for two users through their own handles: each
/// request carries its handle's token, so each answer is its own user's profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_users_share_one_client_without_sharing_tokens() {
    let standin = AppStandIn::start(Flavor::Authing).await;
    let client = client(&standin, ClientAuth::SecretInBody);
    let alice = client.with_access_token(sign_in(&client, "alice", "alice-password").await.expect("alice"));
    let bob = client.with_access_token(standin.issue_token("bob"));
    let calls = (0..200).map(|i| {
        let (handle, name) = if i % 2 == 0 { (&alice, "alice") } else { (&bob, "bob") };
        async move { (name, handle.get_profile().send().await) }
    });
    for (name, answer) in join_all(calls).await {
        let profile = answer.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(profile.data.username.as_deref(), Some(name));
    }
    // The client itself acts for nobody: the stand-in refuses it, and nothing was sent for it.
    let err = client.get_profile().send().await.unwrap_err();
    assert!(matches!(&err, Error::Api(api) if api.status_code == 401), "{err:?}");
    assert!(!standin.requests().pop().expect("a request").headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_path_parameter_is_substituted_and_the_form_body_is_a_form() {
    let standin = AppStandIn::start(Flavor::Authing).await;
    let user = client(&standin, ClientAuth::None).with_access_token(standin.issue_token("alice"));
    user.remove_credential("cred/1 2", serde_json::json!({})).send().await.expect("removed");
    let request = standin.requests().pop().expect("a request");
    assert_eq!(request.raw_path, "/api/v3/webauthn/remove-credential/cred%2F1%202");

    let answer = user.verify_mfa_token("mfa-token-value").send().await.expect("introspected");
    assert!(answer.active, "the stand-in saw no form with a token");
    let request = standin.requests().pop().expect("a request");
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(&request.body[..], b"token=mfa-token-value");
}

#[tokio::test]
async fn the_sign_in_example_signs_in_and_prints_the_profile() {
    let standin = AppStandIn::start(Flavor::GenAuth).await;
    let run = |password: &str| {
        let mut command = tokio::process::Command::new(example("sign_in"));
        command
            .env_clear()
            .env("GENAUTH_APP_ID", AppStandIn::APP_ID)
            .env("GENAUTH_APP_HOST", standin.url())
            .env("GENAUTH_APP_SECRET", AppStandIn::APP_SECRET)
            .args(["bob", password])
            .kill_on_drop(true);
        bounded(async move { command.output().await })
    };
    let output = run("bob-password").await.expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // The profile as `{:#?}` shows it.
    assert!(stdout.contains("username: Some(\n        \"bob\",\n    ),"), "{stdout}");
    assert_eq!(standin.sign_ins(), [SeenClientAuth::Body]);

    let output = run("wrong").await.expect("the example runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("wrong account or password") && !stderr.contains(AppStandIn::APP_SECRET), "{stderr}");
}
