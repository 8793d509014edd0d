//! Hand-built models for the Rust emitter's tests (the model builder is tested on its own; these
//! keep the emitter's tests independent of it).

#![allow(dead_code)]

use genauth_codegen::model::*;
use serde_json::json;

pub fn text(en: &str) -> Text {
    Text::new(Some(en.to_owned()), None)
}

pub fn zh(zh: &str) -> Text {
    Text::new(None, Some(zh.to_owned()))
}

pub fn string() -> TypeRef {
    TypeRef::String { format: None }
}

pub fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

pub fn array(item: TypeRef) -> TypeRef {
    TypeRef::Array(Box::new(item))
}

pub fn field(wire: &str, rust: &str, ty: TypeRef, required: bool) -> Field {
    Field::plain(wire, rust, ty, required)
}

pub fn with_desc(mut f: Field, description: Text) -> Field {
    f.description = description;
    f
}

pub fn type_def(name: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        origin: name.to_owned(),
        description: Text::default(),
        example: None,
        deprecated: false,
        pointer: format!("#/components/schemas/{name}"),
        kind,
    }
}

pub fn strukt(name: &str, description: Text, fields: Vec<Field>) -> TypeDef {
    let mut t = type_def(name, TypeKind::Struct(StructDef { fields }));
    t.description = description;
    t
}

pub fn enumeration(name: &str, origin: &str, values: &[(&str, &str, &str)]) -> TypeDef {
    let mut t = type_def(
        name,
        TypeKind::Enum(EnumDef {
            values: values
                .iter()
                .map(|(wire, variant, desc)| EnumValue {
                    wire: (*wire).to_owned(),
                    variant: (*variant).to_owned(),
                    description: if desc.is_empty() { Text::default() } else { zh(desc) },
                })
                .collect(),
            catch_all: "UnknownValue".to_owned(),
        }),
    );
    t.origin = origin.to_owned();
    t
}

pub fn param(location: ParamLocation, f: Field) -> Param {
    Param { location, style: QueryStyle::Form, field: f }
}

pub fn op(name: &str, pascal: &str, path: &str, body: Option<TypeRef>, response: Option<TypeRef>) -> Operation {
    Operation {
        operation_id: format!("Controller_{name}"),
        name: name.to_owned(),
        pascal_name: pascal.to_owned(),
        method: HttpMethod::Post,
        path: path.to_owned(),
        group: Group {
            slug: "users".into(), name: Text::new(Some("Users".into()), Some("管理用户/API 列表".into()))
        },
        summary: Text::default(),
        description: Text::default(),
        deprecated: false,
        idempotent: None,
        user_token: false,
        sign_in: false,
        params: Vec::new(),
        body: body.map(|ty| RequestBody {
            ty,
            required: true,
            description: Text::default(),
            media: Default::default(),
        }),
        response: Response { status: 200, ty: response, description: Text::default() },
        pointer: format!("#/paths/{}/post", path.replace('/', "~1")),
        client: "ManagementClient".into(),
        pagination: None,
    }
}

pub fn api(mut operations: Vec<Operation>, mut types: Vec<TypeDef>) -> Api {
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Api {
        title: "Authing 管理 API".to_owned(),
        version: "3.0".to_owned(),
        client_name: "ManagementClient".to_owned(),
        operations,
        types,
        unpaged: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The upstream `userIdType` description (Chinese, with a list, `<...>` and lazy continuations).
pub const USER_ID_TYPE_DESC: &str = "用户 ID 类型，默认值为 `user_id`，可选值为：\n- `user_id`: Authing 用户 ID，如 `6319a1504f3xxxxf214dd5b7`\n- `phone`: 用户手机号\n- `email`: 用户邮箱\n- `username`: 用户名\n- `external_id`: 用户在外部系统的 ID，对应 Authing 用户信息的 `externalId` 字段\n- `identity`: 用户的外部身份源信息，格式为 `<extIdpId>:<userIdInIdp>`，其中 `<extIdpId>` 为 Authing 身份源的 ID，`<userIdInIdp>` 为用户在外部身份源的 ID。\n示例值：`62f20932716fbcc10d966ee5:ou_8bae746eac07cd2564654140d2a9ac61`。\n- `sync_relation`: 用户的外部身份源信息，格式为 `<provier>:<userIdInIdp>`，其中 `<provier>` 为同步身份源类型，如 wechatwork, lark；`<userIdInIdp>` 为用户在外部身份源的 ID。\n示例值：`lark:ou_8bae746eac07cd2564654140d2a9ac61`。";

fn user_id_type_enum(name: &str, origin: &str) -> TypeDef {
    let mut t = enumeration(
        name,
        origin,
        &[
            ("user_id", "UserId", "Authing 用户 ID"),
            ("external_id", "ExternalId", "用户在外部系统的 ID"),
            ("phone", "Phone", "用户手机号"),
            ("email", "Email", "用户邮箱"),
            ("username", "Username", "用户名"),
            ("identity", "Identity", "用户的外部身份源信息，格式为 `<extIdpId>:<userIdInIdp>`"),
            ("sync_relation", "SyncRelation", "用户的外部身份源信息，格式为 `<provier>:<userIdInIdp>`"),
            ("custom_field", "CustomField", ""),
        ],
    );
    t.description = zh(USER_ID_TYPE_DESC);
    t
}

fn user_id_type_field(enum_name: &str) -> Field {
    let mut f = with_desc(field("userIdType", "user_id_type", named(enum_name), false), zh(USER_ID_TYPE_DESC));
    f.default = Some(json!("user_id"));
    f.example = Some(json!("user_id"));
    f
}

fn envelope(name: &str, data: &str, data_desc: &str) -> TypeDef {
    let mut status = with_desc(
        field("statusCode", "status_code", TypeRef::Integer { format: None }, true),
        zh("业务状态码，可以通过此状态码判断操作是否成功，200 表示成功。"),
    );
    status.example = Some(json!(200));
    let mut message = with_desc(field("message", "message", string(), true), zh("描述信息"));
    message.example = Some(json!("操作成功"));
    let api_code = with_desc(
        field("apiCode", "api_code", TypeRef::Integer { format: None }, false),
        zh("细分错误码，可通过此错误码得到具体的错误类型。详情可以查看开发准备中的 apiCode 细分说明"),
    );
    let mut request_id =
        with_desc(field("requestId", "request_id", string(), false), zh("请求 ID。当请求失败时会返回。"));
    request_id.example = Some(json!("934108e5-9fbf-4d24-8da1-c330328abd6c"));
    let data = with_desc(field("data", "data", named(data), true), zh(data_desc));
    strukt(name, Text::default(), vec![status, message, api_code, request_id, data])
}

fn success_dto(name: &str) -> TypeDef {
    let mut success = with_desc(field("success", "success", TypeRef::Boolean, true), zh("操作是否成功"));
    success.example = Some(json!(true));
    strukt(name, Text::default(), vec![success])
}

fn options_dto(name: &str, enum_name: &str) -> TypeDef {
    strukt(name, Text::default(), vec![user_id_type_field(enum_name)])
}

fn options_field(type_name: &str) -> Field {
    let mut f = with_desc(field("options", "options", named(type_name), false), zh("可选参数"));
    f.example = Some(json!({"userIdType": "user_id"}));
    f
}

fn id_list(wire: &str, rust: &str, desc: &str, example: serde_json::Value) -> Field {
    let mut f = with_desc(field(wire, rust, array(string()), true), zh(desc));
    f.constraints.min_items = Some(1);
    f.constraints.max_items = Some(50);
    f.example = Some(example);
    f
}

/// Our three operations, as the model builder should produce them from the upstream spec.
pub fn three_ops() -> Api {
    let mut kick = op(
        "kick_users",
        "KickUsers",
        "/api/v3/kick-users",
        Some(named("KickUsersDto")),
        Some(named("IsSuccessRespDto")),
    );
    kick.operation_id = "UsersManagementController_kickUsers".to_owned();
    kick.summary = zh("强制下线用户");
    kick.description = zh("通过用户 ID、App ID 列表，强制让用户下线，可以选择指定用户 ID 类型等。");

    let mut resign = op(
        "resign_user",
        "ResignUser",
        "/api/v3/resign-user",
        Some(named("ResignUserReqDto")),
        Some(named("ResignUserRespDto")),
    );
    resign.operation_id = "UsersManagementController_resignUser".to_owned();
    resign.summary = zh("离职用户");
    resign.description = zh(
        "离职用户。离职操作会进行以下操作：\n\n- 离职后该成员授权、部门、角色、分组、岗位关系将被删除；\n- 离职后将保留用户基本信息，同时账号将被禁用，无法登录应用；如果需要彻底删除账号，请调用删除接口。\n\n该操作不可恢复，请谨慎操作！",
    );

    let mut delete = op(
        "delete_users_batch",
        "DeleteUsersBatch",
        "/api/v3/delete-users-batch",
        Some(named("DeleteUsersBatchDto")),
        Some(named("IsSuccessRespDto")),
    );
    delete.operation_id = "UsersManagementController_deleteUsersBatch".to_owned();
    delete.summary = zh("批量删除用户");
    delete.description = zh("通过用户 ID 列表，删除用户，支持批量删除，可以选择指定用户 ID 类型等。");

    let mut resign_user_id = with_desc(
        field("userId", "user_id", string(), true),
        zh(
            "用户的唯一标志，可以是用户 ID、用户名、邮箱、手机号、externalId、在外部身份源的 ID，详情见 userIdType 字段的说明。默认为用户 id 。",
        ),
    );
    resign_user_id.example = Some(json!("6229ffaxxxxxxxxcade3e3d9"));

    let types = vec![
        strukt(
            "DeleteUsersBatchDto",
            Text::default(),
            vec![
                id_list("userIds", "user_ids", "用户 ID 列表", json!(["userId1", "userId2"])),
                options_field("DeleteUsersBatchOptionsDto"),
            ],
        ),
        options_dto("DeleteUsersBatchOptionsDto", "DeleteUsersBatchOptionsDtoUserIdType"),
        user_id_type_enum("DeleteUsersBatchOptionsDtoUserIdType", "DeleteUsersBatchOptionsDto.userIdType"),
        success_dto("IsSuccessDto"),
        envelope("IsSuccessRespDto", "IsSuccessDto", "操作是否成功"),
        strukt(
            "KickUsersDto",
            Text::default(),
            vec![
                with_desc(field("userId", "user_id", string(), true), zh("用户 ID")),
                id_list("appIds", "app_ids", "APP ID 列表", json!(["62188e71cxxxx3075289c580"])),
                options_field("KickUsersOptionsDto"),
            ],
        ),
        options_dto("KickUsersOptionsDto", "KickUsersOptionsDtoUserIdType"),
        user_id_type_enum("KickUsersOptionsDtoUserIdType", "KickUsersOptionsDto.userIdType"),
        success_dto("ResignUserDataDto"),
        strukt(
            "ResignUserReqDto",
            Text::default(),
            vec![resign_user_id, user_id_type_field("ResignUserReqDtoUserIdType")],
        ),
        user_id_type_enum("ResignUserReqDtoUserIdType", "ResignUserReqDto.userIdType"),
        envelope("ResignUserRespDto", "ResignUserDataDto", "响应数据"),
    ];
    api(vec![kick, resign, delete], types)
}

/// Everything the emitter handles at least once: every `TypeRef`, every `TypeKind`, every
/// parameter location, recursion, deprecation, awkward names and awkward text.
pub fn kitchen_sink() -> Api {
    let awkward = "See https://docs.genauth.ai/v3/x. Format `<a>:<b>`, where <extIdpId> is [the id].\n\n```js\nconst x = [1];\n```\n\n    indented line\n\ttabbed\n- item\ncontinued\n/ slash line\n\\[escaped\\]";
    let mut limited = field("limit", "limit", TypeRef::Integer { format: Some("int64".into()) }, false);
    limited.constraints.minimum = Some(1.0);
    limited.constraints.maximum = Some(100.0);
    limited.default = Some(json!(10));
    let mut score = field("score", "score", TypeRef::Number { format: None }, true);
    score.constraints.minimum = Some(-1.5);
    let mut name = with_desc(field("name", "name", string(), true), text(awkward));
    name.constraints.min_length = Some(1);
    name.constraints.max_length = Some(64);
    name.constraints.pattern = Some("^[a-z`]+$".into());
    let mut nullable = field("nickname", "nickname", string(), true);
    nullable.nullable = true;
    let mut old = field("legacy", "legacy", TypeRef::Boolean, false);
    old.deprecated = true;
    let mut level = field("level", "level", TypeRef::Integer { format: None }, false);
    level.constraints.allowed = vec![json!(1), json!(2)];
    let mut tags = field("tags", "tags", array(string()), false);
    tags.constraints.max_items = Some(5);
    let everything = strukt(
        "Everything",
        Text::new(Some("Every kind of field.".into()), Some("每种字段。".into())),
        vec![
            name,
            field("type", "type_", TypeRef::String { format: Some("date-time".into()) }, false),
            score,
            limited,
            field("flag", "flag", TypeRef::Boolean, true),
            tags,
            field("matrix", "matrix", array(array(TypeRef::Integer { format: None })), false),
            field("labels", "labels", TypeRef::Map(Box::new(string())), false),
            field("extra", "extra", TypeRef::Any, false),
            field("node", "node", named("Node"), false),
            field("nodes", "nodes", array(named("Node")), false),
            field("nodeMap", "node_map", TypeRef::Map(Box::new(named("Node"))), false),
            field("kind", "kind", named("Kind"), false),
            field("shape", "shape", named("Shape"), false),
            nullable,
            old,
            level,
            field("value", "value", named("Value2"), false),
            field("option", "option", named("Option2"), false),
            field("choices", "choices", array(named("Choice")), true),
        ],
    );
    // Node -> Node directly, through a list, and through Pair/Shape. Its id has a constraint, so
    // everything that reaches a Node has something to check.
    let node = strukt(
        "Node",
        Text::default(),
        vec![
            Field {
                constraints: Constraints { min_length: Some(1), ..Constraints::default() },
                ..field("id", "id", string(), true)
            },
            field("parent", "parent", named("Node"), false),
            field("children", "children", array(named("Node")), false),
            field("pair", "pair", named("Pair"), false),
        ],
    );
    let pair = strukt(
        "Pair",
        Text::default(),
        vec![field("left", "left", named("Node"), true), field("shape", "shape", named("Shape"), false)],
    );
    let shape = type_def(
        "Shape",
        TypeKind::OneOf(OneOfDef {
            variants: vec![
                OneOfVariant { name: "Pair".into(), ty: named("Pair") },
                OneOfVariant { name: "Other".into(), ty: string() },
                OneOfVariant { name: "Many".into(), ty: array(named("Node")) },
                OneOfVariant { name: "Number".into(), ty: TypeRef::Number { format: None } },
                OneOfVariant { name: "Node".into(), ty: named("Node") },
            ],
        }),
    );
    let mut kind = enumeration(
        "Kind",
        "Everything.kind",
        &[("wechat:pc", "WechatPc", "微信 PC"), ("azure-ad", "AzureAd", ""), ("1", "V1", "")],
    );
    kind.deprecated = true;
    let empty_enum = enumeration("Nothing", "Nothing", &[]);
    let empty_struct = strukt("Empty", Text::default(), vec![]);
    let choice = type_def(
        "Choice",
        TypeKind::OneOf(OneOfDef {
            variants: vec![
                OneOfVariant { name: "Empty".into(), ty: named("Empty") },
                OneOfVariant { name: "Text".into(), ty: string() },
            ],
        }),
    );
    // Schemas called `Value` and `Option`, as the model names them (it reserves the std and
    // prelude names the generated code uses unqualified).
    let value_type = strukt("Value2", text("A type called Value."), vec![field("v", "v", string(), false)]);
    let option_type = strukt("Option2", text("A type called Option."), vec![field("o", "o", string(), false)]);
    let many: Vec<Field> = (0..9).map(|i| field(&format!("f{i}"), &format!("f{i}"), string(), true)).collect();
    let wide = strukt("Wide", Text::default(), many);
    // Exactly at clippy's limits: `new` with 7 arguments is fine, a method with `&self` and 7 is not.
    let seven: Vec<Field> = (0..7).map(|i| field(&format!("s{i}"), &format!("s{i}"), string(), true)).collect();
    let seven = strukt("Seven", Text::default(), seven);
    let seven_op = op("create_seven", "CreateSeven", "/api/v3/seven", Some(named("Seven")), None);

    // Every parameter location, required and optional, of several types.
    let mut get = op("get_thing", "GetThing", "/api/v3/things/{thingId}/kinds/{kind}", None, Some(named("Everything")));
    get.method = HttpMethod::Get;
    get.summary = text("Get a thing");
    get.description = Text::new(Some(awkward.into()), Some("获取。".into()));
    let mut page = field("page", "page", TypeRef::Integer { format: None }, false);
    page.constraints.minimum = Some(1.0);
    let mut q = field("q", "q", string(), true);
    q.constraints.max_length = Some(10);
    get.params = vec![
        param(ParamLocation::Path, field("thingId", "thing_id", string(), true)),
        param(ParamLocation::Path, field("kind", "kind", named("Kind"), true)),
        param(ParamLocation::Query, q),
        param(ParamLocation::Query, page),
        param(ParamLocation::Query, field("ids", "ids", array(string()), false)),
        param(ParamLocation::Query, field("when", "when", TypeRef::Number { format: None }, true)),
        param(ParamLocation::Header, field("x-tenant-id", "x_tenant_id", string(), false)),
        param(ParamLocation::Header, field("x-count", "x_count", TypeRef::Integer { format: None }, true)),
        param(ParamLocation::Header, field("x-kind", "x_kind", named("Kind"), false)),
        param(ParamLocation::Query, field("body", "body", string(), false)),
        param(ParamLocation::Query, field("send", "send", TypeRef::Boolean, false)),
        param(ParamLocation::Query, field("client", "client", string(), true)),
    ];
    // A flattened body with many required fields and a param sharing a body field's name.
    let mut create = op("create_everything", "CreateEverything", "/api/v3/everything", Some(named("Everything")), None);
    create.deprecated = true;
    create.params = vec![param(ParamLocation::Query, field("flag", "flag_param", TypeRef::Boolean, false))];
    let mut wide_op = op("create_wide", "CreateWide", "/api/v3/wide", Some(named("Wide")), Some(named("Empty")));
    wide_op.method = HttpMethod::Put;
    let list_body =
        op("put_nodes", "PutNodes", "/api/v3/nodes", Some(array(named("Node"))), Some(array(named("Node"))));
    let map_body = op(
        "put_labels",
        "PutLabels",
        "/api/v3/labels",
        Some(TypeRef::Map(Box::new(string()))),
        Some(TypeRef::Map(Box::new(named("Shape")))),
    );
    let any_body = op("put_any", "PutAny", "/api/v3/any", Some(TypeRef::Any), Some(TypeRef::Any));
    let mut shape_body = op("put_shape", "PutShape", "/api/v3/shape/{id}", Some(named("Shape")), Some(named("Kind")));
    shape_body.method = HttpMethod::Patch;
    shape_body.body.as_mut().unwrap().required = false;
    shape_body.params = vec![param(ParamLocation::Path, field("id", "id", TypeRef::Integer { format: None }, true))];
    let mut delete = op("delete_empty", "DeleteEmpty", "/api/v3/empty/{a}/{b}", None, None);
    delete.method = HttpMethod::Delete;
    delete.params = vec![
        param(ParamLocation::Path, field("a", "a", TypeRef::Boolean, true)),
        param(ParamLocation::Path, field("b", "b", named("Node"), true)),
    ];
    let mut many_args = op("many_args", "ManyArgs", "/api/v3/many", Some(named("Wide")), None);
    many_args.params = vec![param(ParamLocation::Query, field("extra", "extra", string(), true))];
    let mut enum_body = op("put_kind", "PutKind", "/api/v3/kind", Some(named("Kind")), Some(named("Nothing")));
    enum_body.method = HttpMethod::Put;
    let option_body = op("put_option", "PutOption", "/api/v3/option", Some(named("Option2")), Some(named("Value2")));

    api(
        vec![
            get,
            create,
            seven_op,
            wide_op,
            list_body,
            map_body,
            any_body,
            shape_body,
            delete,
            many_args,
            enum_body,
            option_body,
        ],
        vec![
            everything,
            node,
            pair,
            shape,
            kind,
            empty_enum,
            empty_struct,
            value_type,
            option_type,
            wide,
            choice,
            seven,
        ],
    )
}
