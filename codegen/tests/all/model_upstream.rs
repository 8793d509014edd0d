//! The model built from the upstream spec cut to three operations (`tests/fixtures/`, where its
//! source is noted).

use std::path::Path;

use genauth_codegen::model::{Api, Lang, TypeKind, TypeRef, from_spec::build};
use genauth_codegen::validate::parse;

fn upstream() -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/management-three-ops.upstream.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let spec = parse(&bytes, "management-three-ops.upstream.json").unwrap_or_else(|e| panic!("parse: {e}"));
    build(&spec).unwrap_or_else(|e| panic!("build: {e}"))
}

#[test]
fn three_operations_named_from_their_operation_ids() {
    let api = upstream();
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["delete_users_batch", "kick_users", "resign_user"]);
    let kick = &api.operations[1];
    assert_eq!(kick.operation_id, "UsersManagementController_kickUsers");
    assert_eq!(kick.pascal_name, "KickUsers");
    assert_eq!(kick.path, "/api/v3/kick-users");
    assert_eq!(kick.pointer, "#/paths/~1api~1v3~1kick-users/post");
    assert_eq!(kick.group.name.zh.as_deref(), Some("管理用户/API 列表"));
    assert_eq!(kick.group.slug, "users-management", "no curated group: a slug from the controller");
    assert_eq!(kick.response.status, 200);
    assert_eq!(kick.response.ty, Some(TypeRef::Named("IsSuccessRespDto".into())));
    let body = kick.body.as_ref().expect("kick_users has a body");
    assert!(body.required);
    assert_eq!(body.ty, TypeRef::Named("KickUsersDto".into()));
    assert_eq!(api.client_name, "ManagementClient");
    assert_eq!(api.title, "Authing 管理 API");
}

#[test]
fn kick_users_dto_fields() {
    let api = upstream();
    let dto = api.type_named("KickUsersDto").expect("KickUsersDto");
    let TypeKind::Struct(s) = &dto.kind else { panic!("KickUsersDto is not a struct: {:?}", dto.kind) };
    let summary: Vec<(&str, &str, bool)> =
        s.fields.iter().map(|f| (f.wire_name.as_str(), f.rust_name.as_str(), f.required)).collect();
    assert_eq!(summary, [("userId", "user_id", true), ("appIds", "app_ids", true), ("options", "options", false)]);

    let app_ids = &s.fields[1];
    assert_eq!(app_ids.ty, TypeRef::Array(Box::new(TypeRef::String { format: None })));
    assert_eq!(app_ids.constraints.min_items, Some(1));
    assert_eq!(app_ids.constraints.max_items, Some(50));
    assert_eq!(app_ids.example, Some(serde_json::json!(["62188e71cxxxx3075289c580"])));

    // The allOf wrapper's own description and example, not the referenced type's.
    let options = &s.fields[2];
    assert_eq!(options.ty, TypeRef::Named("KickUsersOptionsDto".into()));
    assert_eq!(options.description.zh.as_deref(), Some("可选参数"));
    assert_eq!(options.description.en, None, "upstream has no x-genauth-lang: standard fields are Chinese");
    assert_eq!(options.example, Some(serde_json::json!({"userIdType": "user_id"})));
    assert_eq!(options.description.get(Lang::En), Some("可选参数"));
}

#[test]
fn user_id_type_is_a_named_inline_enum_with_value_descriptions() {
    let api = upstream();
    let options = api.type_named("KickUsersOptionsDto").expect("KickUsersOptionsDto");
    let TypeKind::Struct(s) = &options.kind else { panic!("not a struct") };
    let field = &s.fields[0];
    assert_eq!(field.ty, TypeRef::Named("KickUsersOptionsDtoUserIdType".into()));
    assert_eq!(field.default, Some(serde_json::json!("user_id")));
    assert!(field.description.zh.as_deref().is_some_and(|d| d.starts_with("用户 ID 类型")));

    let e = api.type_named("KickUsersOptionsDtoUserIdType").expect("inline enum");
    assert_eq!(e.origin, "KickUsersOptionsDto.userIdType");
    let TypeKind::Enum(def) = &e.kind else { panic!("not an enum") };
    let wires: Vec<&str> = def.values.iter().map(|v| v.wire.as_str()).collect();
    assert_eq!(
        wires,
        ["user_id", "external_id", "phone", "email", "username", "identity", "sync_relation", "custom_field"]
    );
    assert_eq!(def.values[0].variant, "UserId");
    assert_eq!(def.catch_all, "UnknownValue");
    assert_eq!(def.values[0].description.zh.as_deref(), Some("Authing 用户 ID，如 `6319a1504f3xxxxf214dd5b7`"));
    assert!(def.values[5].description.zh.as_deref().is_some_and(|d| d.contains("示例值")), "continuation line kept");
    assert!(def.values[7].description.is_empty(), "custom_field is not described upstream");
}

#[test]
fn only_reachable_types_sorted_and_no_warnings() {
    let api = upstream();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    for expected in ["DeleteUsersBatchDto", "IsSuccessDto", "IsSuccessRespDto", "ResignUserReqDto", "ResignUserRespDto"]
    {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    // Without the curated layers, the only warning is that the tag has no curated group.
    assert!(api.warnings.iter().all(|w| w.message.contains("has no curated group")), "{:?}", api.warnings);
    let resign = api.operations.iter().find(|o| o.name == "resign_user").expect("resign_user");
    assert!(resign.description.zh.as_deref().is_some_and(|d| d.contains("离职")));
    assert_eq!(resign.summary.zh.as_deref(), Some("离职用户"));
}
