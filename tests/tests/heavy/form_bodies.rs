//! Operations whose body is `application/x-www-form-urlencoded` are generated, not skipped, and
//! work: an sdk generated from a spec with two form operations calls them against the loopback
//! stand-in, which parses the form as the service does (`qs`: a repeated key is an array) and
//! checks the signature over its fields, in both auth schemes. The copy builds in the synthetic
//! sdks' target directory, so its dependencies are compiled once for every copy.

use std::process::Command;

use genauth_codegen::{Options, generate};
use genauth_tests::sdk_copy::{self, copy_target_dir, workspace_root, write_sdk_copy};
use genauth_tests::standin::{Flavor, StandIn, StandInOptions};
use serde_json::json;

/// `resign-user` and `kick-users`, as forms.
fn form_spec() -> Vec<u8> {
    let form = |properties: serde_json::Value, required: &[&str]| {
        json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": required, "properties": properties
        }}}})
    };
    let answer = json!({"200": {"description": "ok", "content": {"application/json": {"schema": {
        "type": "object",
        "required": ["statusCode", "data"],
        "properties": {
            "statusCode": {"type": "integer"},
            "message": {"type": "string"},
            "data": {"type": "object", "properties": {"success": {"type": "boolean"}}}
        }
    }}}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "forms", "version": "1"},
        "paths": {
            "/api/v3/resign-user": {"post": {
                "operationId": "UsersController_resignUser",
                "requestBody": form(
                    json!({"userId": {"type": "string"}, "userIdType": {"type": "string"}}),
                    &["userId"]
                ),
                "responses": answer
            }},
            "/api/v3/kick-users": {"post": {
                "operationId": "UsersController_kickUsers",
                "requestBody": form(
                    json!({"userId": {"type": "string"}, "appIds": {"type": "array", "items": {"type": "string"}}}),
                    &["userId", "appIds"]
                ),
                "responses": answer
            }}
        }
    });
    serde_json::to_vec(&doc).unwrap()
}

/// Calls both form operations on the host given as the first argument, with the scheme given as
/// the second, and prints each answer's `success`.
const CALL_FORMS: &str = r#"
use genauth::{AuthScheme, Brand, Config, ManagementClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (host, scheme) = (args.next().ok_or("usage: call_forms HOST SCHEME")?, args.next().ok_or("no scheme")?);
    let config = Config::builder()
        .access_key_id("test-ak")
        .access_key_secret("stand-in-secret-0123456789")
        .brand(Brand::GenAuth)
        .auth_scheme(if scheme == "signature" { AuthScheme::Signature } else { AuthScheme::ManagementToken })
        .host(host)
        .build()?;
    let client = ManagementClient::new(config)?;
    let resigned = client.resign_user("张 三&x=1+").user_id_type("username").send().await?;
    println!("resigned={:?}", resigned.data.success);
    let kicked = client.kick_users("u-1", ["app-1", "app 2"]).send().await?;
    println!("kicked={:?}", kicked.data.success);
    Ok(())
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn form_operations_are_generated_sent_and_signed() {
    let options = Options { spec_path: "forms.json".into(), docs: false };
    let generated = generate(&form_spec(), &options).unwrap_or_else(|e| panic!("the form spec was refused:\n{e}"));
    assert_eq!(generated.api.operations.len(), 2, "no form operation skipped");
    let dir = tempfile::tempdir().expect("temp dir");
    write_sdk_copy(&workspace_root(), dir.path(), Some((&generated.files, &generated.api))).expect("write sdk copy");
    let examples = dir.path().join("examples");
    std::fs::create_dir_all(&examples).expect("examples dir");
    std::fs::write(examples.join("call_forms.rs"), CALL_FORMS).expect("write example");
    let target = copy_target_dir();
    let built = tokio::task::spawn_blocking({
        let (dir, target) = (dir.path().to_owned(), target.clone());
        move || sdk_copy::cargo(&dir, &target, &["build", "--quiet", "--example", "call_forms"]).expect("cargo")
    })
    .await
    .expect("build thread");
    assert!(built.success, "the form sdk did not build:\n{}", built.output);

    for scheme in ["signature", "token"] {
        let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
        let binary = target.join("debug").join("examples").join("call_forms");
        let url = standin.url();
        let out = tokio::task::spawn_blocking(move || Command::new(binary).args([url.as_str(), scheme]).output())
            .await
            .expect("run thread")
            .expect("run call_forms");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{scheme}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout.trim(), "resigned=Some(true)\nkicked=Some(true)", "{scheme}");
        // The last call's form, as the stand-in parsed it: two app ids, so an array.
        assert_eq!(standin.last_body(), Some(json!({"userId": "u-1", "appIds": ["app-1", "app 2"]})), "{scheme}");
        let headers = standin.last_headers().unwrap();
        assert_eq!(headers["content-type"], "application/x-www-form-urlencoded", "{scheme}");
        assert_eq!(standin.requests("/api/v3/resign-user"), 1, "{scheme}");
    }
}
