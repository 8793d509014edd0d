//! The Rust sample on each page: built from the spec's examples and shown verbatim on the page.
//! That it compiles against the real sdk is proven by the sdk's `no_run` doctests, which hold the
//! same text (`tests/tests/sdk/doc_samples.rs` checks the checked-in pages against them).

use crate::common_ir;

use genauth_codegen::Options;
use genauth_codegen::emit::docs;
use genauth_codegen::emit::sample::rust_sample;
use genauth_codegen::model::Api;

fn sample(api: &Api, name: &str) -> String {
    rust_sample(api, api.operations.iter().find(|o| o.name == name).expect("operation"))
}

#[test]
fn kick_users_sample_calls_the_method_with_the_examples() {
    let api = common_ir::three_ops();
    let s = sample(&api, "kick_users");
    let expected = r#"use genauth::ManagementClient;
use genauth::types::{KickUsersOptionsDto, KickUsersOptionsDtoUserIdType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Reads GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET and the other GENAUTH_* variables.
    let client = ManagementClient::from_env()?;
    let response = client
        .kick_users("userId", ["62188e71cxxxx3075289c580"])
        .options(
            KickUsersOptionsDto::new()
                .with_user_id_type(KickUsersOptionsDtoUserIdType::UserId),
        )
        .send()
        .await?;
    println!("{response:#?}");
    Ok(())
}
"#;
    assert_eq!(s, expected);
}

#[test]
fn samples_fill_inputs_from_examples_and_never_say_undefined() {
    let api = common_ir::with_extras();
    for op in &api.operations {
        let s = rust_sample(&api, op);
        assert!(!s.to_lowercase().contains("undefined"), "{}: {s}", op.name);
        assert!(s.contains(&format!(".{}(", op.name)), "{}: {s}", op.name);
        assert!(s.contains("ManagementClient::from_env()?"));
        assert!(s.ends_with("}\n"));
    }
    let resign = sample(&api, "resign_user");
    assert!(resign.contains(".resign_user(\"6229ffaxxxxxxxxcade3e3d9\")"), "{resign}");
    assert!(resign.contains(".user_id_type(ResignUserReqDtoUserIdType::UserId)"), "{resign}");
    let delete = sample(&api, "delete_users_batch");
    assert!(delete.contains(".delete_users_batch([\"userId1\", \"userId2\"])"), "{delete}");
    let list = sample(&api, "list_users");
    for call in [
        ".list_users(\"x-tenant-id\")",
        ".page(1)",
        ".limit(10)",
        ".keywords(\"bob\")",
        ".since(1700000000000_i64)",
        ".status(UserStatus::Suspended)",
    ] {
        assert!(list.contains(call), "{call} in {list}");
    }
    assert!(!list.contains("with_custom_data"), "no example, no default: left out");
    let tags = sample(&api, "set_user_tags");
    assert!(tags.contains(".set_user_tags(\"6229ffaxxxxxxxxcade3e3d9\", [\"body\"])"), "{tags}");
}

#[test]
fn the_page_shows_exactly_the_sample() {
    let api = common_ir::with_extras();
    let files = docs::emit(&api, &Options::default());
    for op in &api.operations {
        for dir in ["en", "zh-CN"] {
            let path = format!("docs/{dir}/{}", docs::page_path(op));
            let page = &files.iter().find(|f| f.path == path).unwrap().contents;
            let heading = if dir == "en" { "Sample code" } else { "示例代码" };
            let shown = common_ir::markdown::code_block_after(page, heading, "rust").expect("rust block");
            assert_eq!(shown, rust_sample(&api, op), "{path}");
        }
    }
}
