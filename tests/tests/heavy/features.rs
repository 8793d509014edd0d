//! A crate that turns on one API group compiles that group alone, and it works: a copy of the sdk
//! (the workspace's own generated code) built with `default-features = false, features =
//! ["users"]` calls `kick_users` against the loopback stand-in, while calling an operation of
//! another group, or of the Authentication API, does not compile (nor a management operation in
//! a build of one authentication group). The copy builds in the synthetic sdks' target directory
//! (`sdk_copy::copy_target_dir`), so its dependencies are compiled once for both.

use std::process::Command;

use genauth_tests::sdk_copy::{self, copy_target_dir, workspace_root, write_sdk_copy};
use genauth_tests::standin::{Flavor, StandIn, StandInOptions};

/// Kicks a user out of one app on the host given as the first argument, with the stand-in's
/// test credentials, and prints the answer's `success`.
const USERS_ONLY: &str = r#"
use genauth::{Brand, Config, ManagementClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::args().nth(1).ok_or("usage: users_only HOST")?;
    let config = Config::builder()
        .access_key_id("test-ak")
        .access_key_secret("stand-in-secret-0123456789")
        .brand(Brand::GenAuth)
        .host(host)
        .build()?;
    let client = ManagementClient::new(config)?;
    let answer = client.kick_users("user-1", ["app-1"]).send().await?;
    println!("success={}", answer.data.success);
    Ok(())
}
"#;

/// Calls an operation of the roles group, which a users-only build does not have.
const OTHER_GROUP: &str = r#"
fn main() {
    let client = genauth::ManagementClient::from_env().expect("config");
    let _request = client.list_roles();
}
"#;

/// Calls an operation of the Authentication API, which a build of management groups does not have.
const OTHER_API: &str = r#"
fn main() {
    let client = genauth::AuthenticationClient::from_env().expect("config");
    let _request = client.get_profile();
}
"#;

/// Calls a Management API operation, which a build of authentication groups does not have.
const MANAGEMENT_CALL: &str = r#"
fn main() {
    let client = genauth::ManagementClient::from_env().expect("config");
    let _request = client.kick_users("user-1", ["app-1"]);
}
"#;

const USERS_ONLY_FEATURES: [&str; 3] = ["--no-default-features", "--features", "users"];

#[tokio::test(flavor = "multi_thread")]
async fn a_users_only_build_calls_its_operation_and_has_no_other_group() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&workspace_root(), dir.path(), None).expect("write sdk copy");
    let examples = dir.path().join("examples");
    std::fs::create_dir_all(&examples).expect("examples dir");
    std::fs::write(examples.join("users_only.rs"), USERS_ONLY).expect("write example");
    std::fs::write(examples.join("other_group.rs"), OTHER_GROUP).expect("write example");
    std::fs::write(examples.join("other_api.rs"), OTHER_API).expect("write example");
    std::fs::write(examples.join("management_call.rs"), MANAGEMENT_CALL).expect("write example");
    let target = copy_target_dir();

    let args: Vec<&str> =
        ["build", "--quiet", "--example", "users_only"].into_iter().chain(USERS_ONLY_FEATURES).collect();
    let built = tokio::task::spawn_blocking({
        let (dir, target) = (dir.path().to_owned(), target.clone());
        move || sdk_copy::cargo(&dir, &target, &args).expect("run cargo build")
    })
    .await
    .expect("build thread");
    assert!(built.success, "the users-only build failed:\n{}", built.output);

    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let binary = target.join("debug").join("examples").join("users_only");
    let url = standin.url();
    let out = tokio::task::spawn_blocking(move || Command::new(binary).arg(url).output().expect("run users_only"))
        .await
        .expect("run thread");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "users_only failed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.trim(), "success=true");
    assert_eq!(standin.requests("/api/v3/kick-users"), 1, "the call reached the stand-in once");

    // What the build does not have: another group, the other API; and the reverse, a build of
    // one authentication group has no management operation.
    let check = |example: &'static str, features: &'static str| {
        let (dir, target) = (dir.path().to_owned(), target.clone());
        tokio::task::spawn_blocking(move || {
            let args = ["check", "--quiet", "--example", example, "--no-default-features", "--features", features];
            sdk_copy::cargo(&dir, &target, &args).expect("run cargo check")
        })
    };
    for (example, features, missing) in [
        ("other_group", "users", "no method named `list_roles`"),
        ("other_api", "users", "no method named `get_profile`"),
        ("management_call", "sign-in", "no method named `kick_users`"),
    ] {
        let other = check(example, features).await.expect("check thread");
        assert!(!other.success, "a build with only `{features}` compiles {example}");
        assert!(other.output.contains(missing), "{}", other.output);
    }
}
