//! Hand-built IRs for tests, so emitters can be tested before (and independently of) the model
//! builder. [`three_ops`] is the model of our three operations (`kick_users`, `resign_user`,
//! `delete_users_batch`) as `spec/management.yaml` describes them; [`with_extras`] adds
//! operations that cover what those three do not (query and header parameters, every constraint,
//! a non-struct body, no response schema, maps, free-form values, `oneOf`, nested arrays).
//!
//! Use it from a test module with `use crate::common_ir;`.
#![allow(dead_code)] // each test file uses a different part

pub mod markdown;

use genauth_codegen::model::*;
use serde_json::{Value, json};

/// A text in both languages.
pub fn text(en: &str, zh: &str) -> Text {
    Text::new(Some(en.into()), Some(zh.into()))
}

/// A field with no constraints, default or example.
pub fn field(wire: &str, rust: &str, ty: TypeRef, required: bool, description: Text) -> Field {
    Field {
        wire_name: wire.into(),
        rust_name: rust.into(),
        ty,
        required,
        nullable: false,
        deprecated: false,
        description,
        constraints: Constraints::default(),
        default: None,
        example: None,
    }
}

/// `field` with an example.
pub fn with_example(mut f: Field, example: Value) -> Field {
    f.example = Some(example);
    f
}

/// `string`.
pub fn string() -> TypeRef {
    TypeRef::String { format: None }
}

/// `integer`.
pub fn integer() -> TypeRef {
    TypeRef::Integer { format: None }
}

/// A named type reference.
pub fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

/// A struct type.
pub fn struct_type(name: &str, description: Text, fields: Vec<Field>) -> TypeDef {
    TypeDef {
        name: name.into(),
        origin: name.into(),
        description,
        example: None,
        deprecated: false,
        pointer: format!("#/components/schemas/{name}"),
        kind: TypeKind::Struct(StructDef { fields }),
    }
}

/// The eight `userIdType` values, in spec order, with their Rust variants.
pub const USER_ID_TYPES: [(&str, &str); 8] = [
    ("user_id", "UserId"),
    ("external_id", "ExternalId"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("username", "Username"),
    ("identity", "Identity"),
    ("sync_relation", "SyncRelation"),
    ("custom_field", "CustomField"),
];

const USER_ID_TYPE_EN: &str = "User ID type, default `user_id`. Allowed values:\n- `user_id`: GenAuth user ID, e.g. `6319a1504f3xxxxf214dd5b7`\n- `phone`: the user's phone number\n- `identity`: `<extIdpId>:<userIdInIdp>`\n";
const USER_ID_TYPE_ZH: &str = "用户 ID 类型，默认值为 `user_id`，可选值为：\n- `user_id`: Authing 用户 ID，如 `6319a1504f3xxxxf214dd5b7`\n- `phone`: 用户手机号\n- `identity`: `<extIdpId>:<userIdInIdp>`\n";

/// The `userIdType` enum named `name` (the model names each inline enum after its owner).
pub fn user_id_type_enum(name: &str, owner: &str) -> TypeDef {
    TypeDef {
        name: name.into(),
        origin: format!("{owner}.userIdType"),
        description: Text::default(),
        example: None,
        deprecated: false,
        pointer: format!("#/components/schemas/{owner}/properties/userIdType"),
        kind: TypeKind::Enum(EnumDef {
            values: USER_ID_TYPES
                .iter()
                .map(|(wire, variant)| EnumValue {
                    wire: (*wire).into(),
                    variant: (*variant).into(),
                    description: Text::default(),
                })
                .collect(),
            catch_all: "UnknownValue".into(),
        }),
    }
}

/// The optional `userIdType` field typed by enum `enum_name`: default and example `user_id`.
pub fn user_id_type_field(enum_name: &str) -> Field {
    let mut f = field("userIdType", "user_id_type", named(enum_name), false, text(USER_ID_TYPE_EN, USER_ID_TYPE_ZH));
    f.default = Some(json!("user_id"));
    f.example = Some(json!("user_id"));
    f
}

/// `{ success: boolean }`, required, example `true`.
fn success_dto(name: &str) -> TypeDef {
    struct_type(
        name,
        Text::default(),
        vec![with_example(
            field(
                "success",
                "success",
                TypeRef::Boolean,
                true,
                text("Whether the operation was successful", "操作是否成功"),
            ),
            json!(true),
        )],
    )
}

/// The response envelope `name` whose `data` is `data_type`.
pub fn envelope(name: &str, data_type: &str, data_description: Text) -> TypeDef {
    let mut api_code = field(
        "apiCode",
        "api_code",
        integer(),
        false,
        text(
            "Segmented error code, which can be used to get the specific error type.",
            "细分错误码，可通过此错误码得到具体的错误类型。",
        ),
    );
    api_code.example = None;
    struct_type(
        name,
        Text::default(),
        vec![
            with_example(
                field(
                    "statusCode",
                    "status_code",
                    integer(),
                    true,
                    text(
                        "Business status code, which can be used to determine whether the operation is successful. 200 means success.",
                        "业务状态码，可以通过此状态码判断操作是否成功，200 表示成功。",
                    ),
                ),
                json!(200),
            ),
            with_example(
                field("message", "message", string(), true, text("Description", "描述信息")),
                json!("操作成功"),
            ),
            api_code,
            with_example(
                field(
                    "requestId",
                    "request_id",
                    string(),
                    false,
                    text("Request ID. Returned when the request fails.", "请求 ID。当请求失败时会返回。"),
                ),
                json!("934108e5-9fbf-4d24-8da1-c330328abd6c"),
            ),
            field("data", "data", named(data_type), true, data_description),
        ],
    )
}

/// A POST operation with a struct body and a struct response.
#[allow(clippy::too_many_arguments)] // one call per operation reads like a table row
fn post(
    name: &str,
    pascal: &str,
    id: &str,
    path: &str,
    summary: Text,
    description: Text,
    body: &str,
    resp: &str,
) -> Operation {
    Operation {
        operation_id: format!("UsersManagementController_{id}"),
        name: name.into(),
        pascal_name: pascal.into(),
        method: HttpMethod::Post,
        path: path.into(),
        group: Group {
            slug: "users".into(), name: Text::new(Some("Users".into()), Some("管理用户/API 列表".into()))
        },
        summary,
        description,
        deprecated: false,
        idempotent: None,
        user_token: false,
        sign_in: false,
        params: Vec::new(),
        body: Some(RequestBody {
            ty: named(body),
            required: true,
            description: Text::default(),
            media: Default::default(),
        }),
        response: Response { status: 200, ty: Some(named(resp)), description: Text::default() },
        pointer: format!("#/paths/{}/post", path.replace('/', "~1")),
        client: "ManagementClient".into(),
        pagination: None,
    }
}

fn app_ids() -> Field {
    let mut f = with_example(
        field("appIds", "app_ids", TypeRef::Array(Box::new(string())), true, text("APP ID list", "APP ID 列表")),
        json!(["62188e71cxxxx3075289c580"]),
    );
    f.constraints.min_items = Some(1);
    f.constraints.max_items = Some(50);
    f
}

fn options_field(ty: &str) -> Field {
    with_example(
        field("options", "options", named(ty), false, text("Optional parameters", "可选参数")),
        json!({"userIdType": "user_id"}),
    )
}

/// The model of our three operations.
pub fn three_ops() -> Api {
    let mut user_ids = with_example(
        field("userIds", "user_ids", TypeRef::Array(Box::new(string())), true, text("User ID list", "用户 ID 列表")),
        json!(["userId1", "userId2"]),
    );
    user_ids.constraints.min_items = Some(1);
    user_ids.constraints.max_items = Some(50);
    let types = vec![
        struct_type(
            "KickUsersDto",
            Text::default(),
            vec![
                field("userId", "user_id", string(), true, text("User ID", "用户 ID")),
                app_ids(),
                options_field("KickUsersOptionsDto"),
            ],
        ),
        struct_type("KickUsersOptionsDto", Text::default(), vec![user_id_type_field("KickUsersOptionsDtoUserIdType")]),
        user_id_type_enum("KickUsersOptionsDtoUserIdType", "KickUsersOptionsDto"),
        struct_type(
            "ResignUserReqDto",
            Text::default(),
            vec![
                with_example(
                    field(
                        "userId",
                        "user_id",
                        string(),
                        true,
                        text(
                            "The user's unique identifier: user ID, username, email, phone, externalId or an external identity source ID; see userIdType.",
                            "用户的唯一标志，可以是用户 ID、用户名、邮箱、手机号、externalId、在外部身份源的 ID，详情见 userIdType 字段的说明。默认为用户 id 。",
                        ),
                    ),
                    json!("6229ffaxxxxxxxxcade3e3d9"),
                ),
                user_id_type_field("ResignUserReqDtoUserIdType"),
            ],
        ),
        user_id_type_enum("ResignUserReqDtoUserIdType", "ResignUserReqDto"),
        struct_type(
            "DeleteUsersBatchDto",
            Text::default(),
            vec![user_ids, options_field("DeleteUsersBatchOptionsDto")],
        ),
        struct_type(
            "DeleteUsersBatchOptionsDto",
            Text::default(),
            vec![user_id_type_field("DeleteUsersBatchOptionsDtoUserIdType")],
        ),
        user_id_type_enum("DeleteUsersBatchOptionsDtoUserIdType", "DeleteUsersBatchOptionsDto"),
        envelope("IsSuccessRespDto", "IsSuccessDto", text("Whether the operation is successful", "操作是否成功")),
        success_dto("IsSuccessDto"),
        envelope("ResignUserRespDto", "ResignUserDataDto", text("Response data", "响应数据")),
        success_dto("ResignUserDataDto"),
    ];
    let operations = vec![
        post(
            "kick_users",
            "KickUsers",
            "kickUsers",
            "/api/v3/kick-users",
            text("Force users to go offline", "强制下线用户"),
            text(
                "Force users to go offline through user ID and App ID lists, and you can choose to specify user ID types, etc.",
                "通过用户 ID、App ID 列表，强制让用户下线，可以选择指定用户 ID 类型等。",
            ),
            "KickUsersDto",
            "IsSuccessRespDto",
        ),
        post(
            "resign_user",
            "ResignUser",
            "resignUser",
            "/api/v3/resign-user",
            text("Resign user", "离职用户"),
            text(
                "Resign a user. Resignation:\n\n- deletes the member's authorizations, departments, roles, groups and positions;\n- keeps the user's basic information and disables the account.\n\nThis cannot be undone!",
                "离职用户。离职操作会进行以下操作：\n\n- 离职后该成员授权、部门、角色、分组、岗位关系将被删除；\n- 离职后将保留用户基本信息，同时账号将被禁用，无法登录应用；如果需要彻底删除账号，请调用删除接口。\n\n该操作不可恢复，请谨慎操作！",
            ),
            "ResignUserReqDto",
            "ResignUserRespDto",
        ),
        post(
            "delete_users_batch",
            "DeleteUsersBatch",
            "deleteUsersBatch",
            "/api/v3/delete-users-batch",
            text("Batch delete users", "批量删除用户"),
            text(
                "Delete users through a user ID list; supports batch deletion and specifying the user ID type.",
                "通过用户 ID 列表，删除用户，支持批量删除，可以选择指定用户 ID 类型等。",
            ),
            "DeleteUsersBatchDto",
            "IsSuccessRespDto",
        ),
    ];
    finish(Api {
        title: "GenAuth Management API".into(),
        version: "3.0".into(),
        client_name: "ManagementClient".into(),
        operations,
        types,
        unpaged: Vec::new(),
        warnings: Vec::new(),
    })
}

/// Sorts operations and types as the model contract requires.
pub fn finish(mut api: Api) -> Api {
    api.operations.sort_by(|a, b| a.name.cmp(&b.name));
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    api
}

/// [`three_ops`] plus operations covering the rest of the model.
pub fn with_extras() -> Api {
    let mut api = three_ops();
    let query = |mut f: Field| {
        f.required = false;
        Param { location: ParamLocation::Query, style: QueryStyle::Form, field: f }
    };
    let mut page = field("page", "page", integer(), false, text("Page number", "页码"));
    page.default = Some(json!(1));
    page.constraints.minimum = Some(1.0);
    let mut limit = field("limit", "limit", integer(), false, text("Page size", "每页数目"));
    limit.default = Some(json!(10));
    limit.constraints.minimum = Some(1.0);
    limit.constraints.maximum = Some(50.0);
    let mut keywords = with_example(
        field("keywords", "keywords", string(), false, text("Search | keywords\nsecond line", "搜索关键词")),
        json!("bob"),
    );
    keywords.constraints.min_length = Some(2);
    keywords.constraints.max_length = Some(64);
    keywords.constraints.pattern = Some("^[a-z|`]+$".into());
    let mut level = field("level", "level", integer(), false, text("Level", "级别"));
    level.constraints.allowed = vec![json!(1), json!(2), json!(3)];
    level.example = Some(json!(2));
    let mut since = with_example(
        field("since", "since", integer(), false, Text::new(None, Some("起始时间（毫秒时间戳）".into()))),
        json!(1_700_000_000_000_i64),
    );
    since.constraints.min_length = None;
    let mut created_at = field(
        "createdAt",
        "created_at",
        TypeRef::String { format: Some("date-time".into()) },
        true,
        text("Created at", "创建时间"),
    );
    created_at.example = Some(json!("2022-07-03T02:20:30.000Z"));
    let mut score = with_example(
        field("score", "score", TypeRef::Number { format: Some("double".into()) }, false, text("Score", "分数")),
        json!(99.5),
    );
    score.nullable = true;
    let mut legacy = field("legacy", "legacy", TypeRef::Boolean, false, text("Legacy flag", "旧标志"));
    legacy.deprecated = true;
    api.types.extend([
        TypeDef {
            name: "UserStatus".into(),
            origin: "UserDto.status".into(),
            description: text("Account status", "账号状态"),
            example: None,
            deprecated: false,
            pointer: "#/components/schemas/UserDto/properties/status".into(),
            kind: TypeKind::Enum(EnumDef {
                values: vec![
                    EnumValue {
                        wire: "Activated".into(),
                        variant: "Activated".into(),
                        description: text("Active", "正常"),
                    },
                    EnumValue {
                        wire: "Suspended".into(),
                        variant: "Suspended".into(),
                        description: Text::new(None, Some("已停用".into())),
                    },
                    EnumValue { wire: "wechat:pc".into(), variant: "WechatPc".into(), description: Text::default() },
                ],
                catch_all: "UnknownValue".into(),
            }),
        },
        struct_type(
            "UserDto",
            text("A user", "用户"),
            vec![
                with_example(
                    field("userId", "user_id", string(), true, text("User ID", "用户 ID")),
                    json!("6229ffaxxxxxxxxcade3e3d9"),
                ),
                field("status", "status", named("UserStatus"), false, text("Status", "状态")),
                created_at,
                score,
                legacy,
                field(
                    "customData",
                    "custom_data",
                    TypeRef::Map(Box::new(TypeRef::Any)),
                    false,
                    text("Custom data", "自定义数据"),
                ),
                field(
                    "identities",
                    "identities",
                    TypeRef::Array(Box::new(named("Identity"))),
                    false,
                    text("Identities", "身份"),
                ),
                field(
                    "matrix",
                    "matrix",
                    TypeRef::Array(Box::new(TypeRef::Array(Box::new(integer())))),
                    false,
                    text("Nested arrays", "嵌套数组"),
                ),
            ],
        ),
        TypeDef {
            name: "Identity".into(),
            origin: "Identity".into(),
            description: text("An identity: a user or a raw id", "身份：用户或 ID"),
            example: None,
            deprecated: false,
            pointer: "#/components/schemas/Identity".into(),
            kind: TypeKind::OneOf(OneOfDef {
                variants: vec![
                    OneOfVariant { name: "String".into(), ty: string() },
                    OneOfVariant { name: "User".into(), ty: named("UserDto") },
                ],
            }),
        },
        struct_type(
            "ListUsersRespDto",
            Text::default(),
            vec![
                with_example(
                    field("statusCode", "status_code", integer(), true, text("Status code", "状态码")),
                    json!(200),
                ),
                field("data", "data", TypeRef::Array(Box::new(named("UserDto"))), true, text("Users", "用户列表")),
                field("extra", "extra", TypeRef::Any, false, text("Anything", "任意")),
            ],
        ),
        struct_type("EmptyDto", text("Nothing", "空"), Vec::new()),
    ]);
    let mut tenant = field("x-tenant-id", "x_tenant_id", string(), true, text("Tenant ID", "租户 ID"));
    tenant.required = true;
    api.operations.push(Operation {
        operation_id: "UsersManagementController_listUsers".into(),
        name: "list_users".into(),
        pascal_name: "ListUsers".into(),
        method: HttpMethod::Get,
        path: "/api/v3/list-users".into(),
        group: Group::other(),
        summary: Text::new(None, Some("获取用户列表".into())),
        description: Text::new(Some("List users, page by page.".into()), None),
        deprecated: true,
        idempotent: None,
        user_token: false,
        sign_in: false,
        params: vec![
            Param { location: ParamLocation::Header, style: QueryStyle::Form, field: tenant },
            query(page),
            query(limit),
            query(keywords),
            query(level),
            query(since),
            query(with_example(
                field("status", "status", named("UserStatus"), false, text("Status", "状态")),
                json!("Suspended"),
            )),
            query(field(
                "withCustomData",
                "with_custom_data",
                TypeRef::Boolean,
                false,
                text("With custom data", "是否返回自定义数据"),
            )),
        ],
        body: None,
        response: Response {
            status: 200, ty: Some(named("ListUsersRespDto")), description: text("The users", "用户")
        },
        pointer: "#/paths/~1api~1v3~1list-users/get".into(),
        client: "ManagementClient".into(),
        pagination: None,
    });
    let mut user_id = field("userId", "user_id", string(), true, text("User ID", "用户 ID"));
    user_id.example = Some(json!("6229ffaxxxxxxxxcade3e3d9"));
    api.operations.push(Operation {
        operation_id: "UsersManagementController_setUserTags".into(),
        name: "set_user_tags".into(),
        pascal_name: "SetUserTags".into(),
        method: HttpMethod::Put,
        path: "/api/v3/users/{userId}/tags".into(),
        group: Group::other(),
        summary: text("Set a user's tags", "设置用户标签"),
        description: Text::default(),
        deprecated: false,
        idempotent: None,
        user_token: false,
        sign_in: false,
        params: vec![Param { location: ParamLocation::Path, style: QueryStyle::Form, field: user_id }],
        body: Some(RequestBody {
            ty: TypeRef::Array(Box::new(string())),
            required: true,
            description: text("The tags", "标签"),
            media: Default::default(),
        }),
        response: Response { status: 200, ty: None, description: Text::default() },
        pointer: "#/paths/~1api~1v3~1users~1{userId}~1tags/put".into(),
        client: "ManagementClient".into(),
        pagination: None,
    });
    api.operations.push(Operation {
        operation_id: "UsersManagementController_ping".into(),
        name: "ping".into(),
        pascal_name: "Ping".into(),
        method: HttpMethod::Get,
        path: "/api/v3/ping".into(),
        group: Group::other(),
        summary: text("Ping", "心跳"),
        description: text("Checks the service.", "检查服务。"),
        deprecated: false,
        idempotent: None,
        user_token: false,
        sign_in: false,
        params: Vec::new(),
        body: None,
        response: Response { status: 200, ty: Some(named("EmptyDto")), description: Text::default() },
        pointer: "#/paths/~1api~1v3~1ping/get".into(),
        client: "ManagementClient".into(),
        pagination: None,
    });
    finish(api)
}
