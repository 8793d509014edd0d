//! Synthetic specs: OpenAPI documents of any size that look like the real upstream one.
//!
//! The generator must handle the real upstream Management API document (425 operations, 822
//! schemas) and every quirk it has. That document is not ours to ship, so tests and benchmarks
//! use [`synthetic_spec`] instead: a document of `n` operations, built from a handful of
//! operation patterns taken in turn, each carrying some of the upstream quirks, plus a fixed set
//! of shared component schemas that concentrate the awkward naming cases. Any `n` of at least
//! [`PATTERNS`] (8) exercises every pattern; from 8 on, every quirk listed below is present.
//!
//! What it contains (all of it deterministic: the same `n` gives the same document, byte for
//! byte; there is no randomness at all, every choice derives from the operation's index):
//!
//! - **Upstream style text**: no `info.x-genauth-lang`, so the standard `summary`/`description`
//!   fields are Chinese, as upstream; every other operation (and some schemas) also carries an
//!   English translation in `x-genauth-i18n.en-US`. Tags are Chinese with `/` in them
//!   (`管理用户/API 列表`).
//! - **Operations**: `GET` with many query parameters (string, integer, number with millisecond
//!   timestamp examples like `1700000000000`, boolean, enum, arrays) and `maxLength` written on the
//!   parameter object itself; `GET`/`PUT`/`DELETE` with a path parameter
//!   (`/api/v3/things-3/{thingId}`, one path item holding several methods);
//!   `POST`/`PUT`/`DELETE`/`PATCH` with JSON bodies; `201` responses; every response in the
//!   upstream envelope (`statusCode`, `message`, `apiCode`, `requestId`, `data`).
//! - **Names**: operationIds `XxxController_yyyZzz` whose suffixes repeat across controllers
//!   (`UsersManagementController_listThings`, `RolesController_listThings`) and even differ only in
//!   case (`listThings` / `ListThings`), so method names collide and must be resolved; component
//!   names that collide once PascalCased (`UserInfoDto` / `userInfoDto`).
//! - **Schemas**: nested objects through `allOf: [{$ref}]` wrappers with a sibling description and
//!   example; arrays of objects; maps (`additionalProperties: {$ref}` and
//!   `additionalProperties: {type: string}`); free-form objects (`type: object` alone, `{}`);
//!   components that are objects without properties; `oneOf` (as a component and inline);
//!   `nullable`; `format: date-time`; a recursive tree node (children and an optional parent).
//! - **Enums** whose values hold `:`, `-`, digits, spaces or start with a digit (`wechat:pc`,
//!   `azure-ad`, `1`, `a b`, `2fa`), values that collide once PascalCased (`wechat:pc` /
//!   `wechat-pc`) and a value named like the usual catch-all variant (`unknown_value`); meanings
//!   in upstream's ``- `value`: meaning`` description lines.
//! - **Property names** that are Rust keywords (`type`, `self`, `Self`, `match`, `ref`, `async`),
//!   start with a digit (`1stPlace`), hold `-`, `.`, spaces or Chinese (`user-name`,
//!   `user.email`, `display name`, `用户名`), or collide after snake_case (`userId` / `user_id`,
//!   `self` / `Self`).
//! - **Hidden and deprecated operations**: one operation marked `x-authing-hidden-from-sdk: true`
//!   per 20 visible ones (with a schema only it uses), and every 50th operation (from the 8th)
//!   `deprecated: true`. Some operations carry `x-authing-code-samples`, as upstream.
//!
//! Apart from one deliberate exception, the document is valid OpenAPI 3.0.3: the `maxLength`
//! upstream writes directly on query parameter objects is not allowed there by the OpenAPI schema
//! (the real document does it anyway, and it means something). [`without_invalid_quirks`] removes
//! exactly those keys, for validators.

use serde_json::{Map, Value, json};

/// How many operation patterns [`synthetic_spec`] takes in turn; any `operations` of at least this
/// many contains every pattern.
pub const PATTERNS: usize = 8;

/// One visible operation in this many is followed by a hidden one
/// (`x-authing-hidden-from-sdk: true`), the first one included.
pub const HIDDEN_EVERY: usize = 20;

/// Controllers (operationId prefixes) and their tags, taken in turn per block of [`PATTERNS`]
/// operations, so every operationId suffix recurs under each controller.
const CONTROLLERS: &[(&str, &str, &str)] = &[
    ("UsersManagementController", "管理用户/API 列表", "用户"),
    ("OrganizationsController", "管理组织机构/API 列表", "组织机构"),
    ("RolesController", "管理角色/API 列表", "角色"),
    ("ApplicationsController", "管理应用/API 列表", "应用"),
    ("PipelineController", "管理 Pipeline/API 列表", "Pipeline 函数"),
    ("WebhooksController", "管理 Webhook/API 列表", "Webhook"),
    ("SyncCenterController", "管理同步中心/API 列表", "同步任务"),
];

/// Tag of the hidden operations.
const HIDDEN_TAG: &str = "内部接口/隐藏";

/// Generates a synthetic OpenAPI 3.0.3 document with `operations` visible operations (plus
/// `ceil(operations / HIDDEN_EVERY)` hidden ones), as described in the [module docs](self).
/// Deterministic: the same `operations` always gives an equal document.
pub fn synthetic_spec(operations: usize) -> Value {
    let mut doc = Doc::default();
    doc.shared_schemas();
    for i in 0..operations {
        if i % HIDDEN_EVERY == 0 {
            doc.hidden_operation(i / HIDDEN_EVERY);
        }
        doc.operation(i);
    }
    doc.finish(operations)
}

/// [`synthetic_spec`] as pretty-printed JSON bytes, the form `generate` and the benchmarks take.
pub fn synthetic_spec_bytes(operations: usize) -> Vec<u8> {
    let mut bytes =
        serde_json::to_vec_pretty(&synthetic_spec(operations)).expect("a serde_json::Value always serializes");
    bytes.push(b'\n');
    bytes
}

/// A copy of `spec` without the spec-invalid keys upstream writes on parameter objects
/// (`maxLength` and its siblings `minLength`, `pattern`, `minimum`, `maximum`): what remains of a
/// [`synthetic_spec`] is valid OpenAPI 3.0, so a validator can check everything else.
pub fn without_invalid_quirks(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                let params = op.get_mut("parameters").and_then(Value::as_array_mut);
                for param in params.into_iter().flatten().filter_map(Value::as_object_mut) {
                    for key in ["maxLength", "minLength", "pattern", "minimum", "maximum"] {
                        param.remove(key);
                    }
                }
            }
        }
    }
    spec
}

/// The document under construction.
#[derive(Default)]
struct Doc {
    paths: Map<String, Value>,
    schemas: Map<String, Value>,
}

/// The response envelope every upstream operation returns, `data` being `data`.
fn envelope(data: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "statusCode": {
                "type": "number",
                "description": "业务状态码，可以通过此状态码判断操作是否成功，200 表示成功。",
                "example": 200
            },
            "message": {"type": "string", "description": "描述信息", "example": "操作成功"},
            "apiCode": {
                "type": "number",
                "description": "细分错误码，可通过此错误码得到具体的错误类型。"
            },
            "requestId": {
                "type": "string",
                "description": "请求 ID。当请求失败时会返回。",
                "example": "934108e5-9fbf-4d24-8da1-c330328abd6c"
            },
            "data": data
        },
        "required": ["statusCode", "message", "data"]
    })
}

/// `allOf: [{$ref}]` with a sibling description: how upstream nests a named object.
fn wrapped(schema: &str, description: &str) -> Value {
    json!({"description": description, "allOf": [{"$ref": format!("#/components/schemas/{schema}")}]})
}

fn reference(schema: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{schema}")})
}

/// An English translation in the extension the model builder reads.
fn english(summary: Option<&str>, description: &str) -> Value {
    let mut en = Map::new();
    if let Some(summary) = summary {
        en.insert("summary".into(), summary.into());
    }
    en.insert("description".into(), description.into());
    json!({"en-US": en})
}

/// A JSON response under `status` whose schema is `schema`.
fn response(status: u16, schema: &str) -> Value {
    json!({
        status.to_string(): {
            "description": "",
            "content": {"application/json": {"schema": reference(schema)}}
        }
    })
}

fn json_body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": reference(schema)}}})
}

fn path_param(name: &str) -> Value {
    json!({
        "name": name,
        "in": "path",
        "required": true,
        "description": "对象 ID",
        "schema": {"type": "string"},
        "example": "60b49eb83fd80adb96f26e68"
    })
}

impl Doc {
    /// Schemas every document has, whatever its size: the awkward cases, each referenced by one
    /// of the patterns.
    fn shared_schemas(&mut self) {
        let s = &mut self.schemas;
        s.insert(
            "QuirkyNamesDto".into(),
            json!({
                "type": "object",
                "description": "属性名需要转换才能成为合法标识符的对象",
                "properties": {
                    "type": {"type": "string", "description": "类型（Rust 关键字）"},
                    "self": {"type": "string", "description": "自身（Rust 关键字）"},
                    "Self": {"type": "string", "description": "与 self 仅大小写不同"},
                    "match": {"type": "boolean", "description": "是否匹配（Rust 关键字）"},
                    "ref": {"type": "string", "description": "引用（Rust 关键字）"},
                    "async": {"type": "boolean", "description": "是否异步（Rust 关键字）"},
                    "1stPlace": {"type": "string", "description": "以数字开头"},
                    "2fa": {"type": "boolean", "description": "以数字开头"},
                    "user-name": {"type": "string", "description": "含连字符"},
                    "user.email": {"type": "string", "description": "含点号"},
                    "display name": {"type": "string", "description": "含空格"},
                    "用户名": {"type": "string", "description": "中文属性名"},
                    "userId": {"type": "string", "description": "用户 ID（驼峰）"},
                    "user_id": {"type": "string", "description": "用户 ID（下划线），与 userId 冲突"}
                },
                "required": ["type", "userId"]
            }),
        );
        s.insert(
            "QuirkyEnumsDto".into(),
            json!({
                "type": "object",
                "description": "枚举值需要转换才能成为合法标识符的对象",
                "properties": {
                    "connection": {
                        "type": "string",
                        "description": concat!(
                            "身份源连接类型：\n",
                            "- `wechat:pc`: 微信 PC 端\n",
                            "- `wechat-pc`: 与 `wechat:pc` 转换后冲突\n",
                            "- `azure-ad`: Azure AD\n",
                            "- `1`: 纯数字\n",
                            "- `a b`: 含空格\n",
                            "- `2fa`: 以数字开头\n",
                            "- `unknown_value`: 与兜底变体同名\n",
                        ),
                        "enum": [
                            "wechat:pc", "wechat-pc", "azure-ad", "1", "a b", "2fa", "unknown_value"
                        ],
                        "example": "wechat:pc"
                    },
                    "level": {
                        "type": "number",
                        "description": "数字枚举",
                        "enum": [1, 2, 3]
                    }
                },
                "required": ["connection"]
            }),
        );
        s.insert("EmptyObjectDto".into(), json!({"type": "object", "description": "没有属性的对象"}));
        s.insert(
            "TreeNodeDto".into(),
            json!({
                "type": "object",
                "description": "树节点（递归）",
                "x-genauth-i18n": english(None, "A tree node (recursive)."),
                "properties": {
                    "id": {"type": "string", "description": "节点 ID", "example": "node-1"},
                    "name": {"type": "string", "description": "节点名称"},
                    "children": {
                        "type": "array",
                        "description": "子节点",
                        "items": reference("TreeNodeDto")
                    },
                    "parent": {
                        "description": "父节点，根节点没有",
                        "nullable": true,
                        "allOf": [reference("TreeNodeDto")]
                    }
                },
                "required": ["id", "name", "children"]
            }),
        );
        s.insert(
            "PasswordCredentialDto".into(),
            json!({
                "type": "object",
                "description": "密码凭证",
                "properties": {"password": {"type": "string", "description": "密码"}},
                "required": ["password"]
            }),
        );
        s.insert(
            "TokenCredentialDto".into(),
            json!({
                "type": "object",
                "description": "令牌凭证",
                "properties": {
                    "token": {"type": "string", "description": "令牌"},
                    "expiresAt": {
                        "type": "string",
                        "format": "date-time",
                        "description": "过期时间",
                        "example": "2023-11-14T22:13:20.000Z"
                    }
                },
                "required": ["token"]
            }),
        );
        s.insert(
            "CredentialDto".into(),
            json!({
                "description": "凭证：密码或令牌",
                "oneOf": [reference("PasswordCredentialDto"), reference("TokenCredentialDto")]
            }),
        );
        s.insert(
            "MapsDto".into(),
            json!({
                "type": "object",
                "description": "映射与自由格式对象",
                "properties": {
                    "labels": {
                        "type": "object",
                        "description": "标签（字符串映射）",
                        "additionalProperties": {"type": "string"},
                        "example": {"env": "prod"}
                    },
                    "nodesById": {
                        "type": "object",
                        "description": "按 ID 索引的节点",
                        "additionalProperties": reference("TreeNodeDto")
                    },
                    "customData": {"type": "object", "description": "自定义数据（自由格式）"},
                    "anything": {"description": "任意值"},
                    "credential": reference("CredentialDto"),
                    "value": {
                        "description": "字符串或数字（内联 oneOf）",
                        "oneOf": [{"type": "string"}, {"type": "number"}]
                    },
                    "deletedAt": {
                        "type": "string",
                        "format": "date-time",
                        "nullable": true,
                        "description": "删除时间，未删除时为 null"
                    },
                    "empty": wrapped("EmptyObjectDto", "空对象")
                }
            }),
        );
        // Two component names that collide once PascalCased: the model must rename one.
        for name in ["UserInfoDto", "userInfoDto"] {
            s.insert(
                name.into(),
                json!({
                    "type": "object",
                    "description": format!("用户信息（{name}）"),
                    "properties": {
                        "userId": {"type": "string", "description": "用户 ID"},
                        "createdAt": {
                            "type": "string",
                            "format": "date-time",
                            "description": "创建时间",
                            "example": "2022-07-03T03:20:30.000Z"
                        }
                    },
                    "required": ["userId"]
                }),
            );
        }
    }

    /// Visible operation number `i`; its pattern is `i % PATTERNS`.
    fn operation(&mut self, i: usize) {
        let pattern = i % PATTERNS;
        let controller_index = (i / PATTERNS) % CONTROLLERS.len();
        let round = i / (PATTERNS * CONTROLLERS.len());
        let (controller, tag, object_zh) = CONTROLLERS[controller_index];
        // The suffix repeats under every controller; a round number keeps operationIds unique
        // once all controllers have had every suffix.
        let (suffix, method, summary_en) = match pattern {
            0 => ("listThings", "get", "List things"),
            1 => ("getThing", "get", "Get a thing"),
            2 => ("createThing", "post", "Create a thing"),
            3 => ("updateThing", "put", "Update a thing"),
            4 => ("deleteThing", "delete", "Delete a thing"),
            5 => ("patchThing", "patch", "Patch a thing"),
            6 => ("createThingTree", "post", "Create a thing tree"),
            // Differs from pattern 0's suffix only in case: same snake_case method name.
            _ => ("ListThings", "post", "List things by filter"),
        };
        let round_suffix = if round == 0 { String::new() } else { round.to_string() };
        let operation_id = format!("{controller}_{suffix}{round_suffix}");
        let noun = format!("Thing{i}");
        // GET, PUT and DELETE of one block share a path item, as upstream's REST-style paths do.
        let block = i / PATTERNS;
        let summary_zh = format!(
            "{}{object_zh}（{i}）",
            ["获取列表", "获取详情", "创建", "修改", "删除", "部分修改", "创建树", "按条件获取列表"][pattern]
        );

        let mut op = Map::new();
        op.insert("operationId".into(), operation_id.into());
        op.insert("summary".into(), summary_zh.clone().into());
        op.insert("description".into(), format!("{summary_zh}。这是第 {i} 个合成接口，用于测试代码生成器。").into());
        if i.is_multiple_of(2) {
            let description = format!("{summary_en} (synthetic operation {i}).");
            op.insert("x-genauth-i18n".into(), english(Some(summary_en), &description));
        }
        if i % 50 == 7 {
            op.insert("deprecated".into(), true.into());
        } else if i.is_multiple_of(3) {
            // Upstream writes `deprecated: false` on some operations and omits it on others.
            op.insert("deprecated".into(), false.into());
        }
        let item_schema = format!("{noun}Dto");
        let (path, params, body, responses) = match pattern {
            0 => {
                let data = format!("{noun}PaginatedDataDto");
                self.item_schema(&item_schema);
                self.schemas.insert(
                    data.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "totalCount": {"type": "number", "description": "记录总数", "example": 20},
                            "list": {"type": "array", "description": "数据列表", "items": reference(&item_schema)}
                        },
                        "required": ["totalCount", "list"]
                    }),
                );
                let resp = self.envelope_schema(&noun, "Paginated", wrapped(&data, "分页数据"));
                // Every other list response leaves `data`, its total and its list optional, so the
                // paginators of both shapes are compiled.
                if block % 2 == 1 {
                    if let Some(envelope) = self.schemas.get_mut(&resp) {
                        envelope["required"] = json!(["statusCode", "message"]);
                    }
                    // OpenAPI 3.0 wants a non-empty `required`, so none is no `required` at all.
                    if let Some(Value::Object(page)) = self.schemas.get_mut(&data) {
                        page.remove("required");
                    }
                }
                (format!("/api/v3/list-things-{i}"), Some(list_query_params()), None, response(200, &resp))
            }
            1 => {
                self.item_schema(&item_schema);
                let resp = self.envelope_schema(&noun, "", wrapped(&item_schema, "对象详情"));
                let lang = json!({
                    "name": "lang",
                    "in": "query",
                    "required": false,
                    "description": "语言：\n- `zh-CN`: 简体中文\n- `en-US`: 英文",
                    "schema": {"type": "string", "enum": ["zh-CN", "en-US"], "default": "zh-CN"}
                });
                let params = json!([path_param("thingId"), lang]);
                (format!("/api/v3/things-{block}/{{thingId}}"), Some(params), None, response(200, &resp))
            }
            2 => {
                let req = format!("Create{noun}Dto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "description": "名称", "example": "示例"},
                            "userId": {"type": "string", "description": "用户 ID"},
                            "user_id": {"type": "string", "description": "与 userId 在 snake_case 后冲突"},
                            "tags": {
                                "type": "array",
                                "description": "标签列表",
                                "minItems": 1,
                                "maxItems": 50,
                                "items": {"type": "string"},
                                "example": ["a", "b"]
                            },
                            "names": wrapped("QuirkyNamesDto", "属性名怪异的对象"),
                            "enums": {
                                "description": "枚举值怪异的对象",
                                "example": {"connection": "wechat:pc"},
                                "allOf": [reference("QuirkyEnumsDto")]
                            }
                        },
                        "required": ["name", "tags"]
                    }),
                );
                let resp = self.success_envelope(&noun);
                (format!("/api/v3/create-thing-{i}"), None, Some(json_body(&req)), response(200, &resp))
            }
            3 => {
                let req = format!("Update{noun}Dto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "description": "名称", "minLength": 1, "maxLength": 64},
                            "weight": {"type": "number", "description": "权重", "minimum": 0, "maximum": 100},
                            "count": {"type": "integer", "description": "数量", "format": "int32"},
                            "extra": wrapped("EmptyObjectDto", "没有属性的对象"),
                            "members": {
                                "type": "array",
                                "description": "成员列表（对象数组）",
                                "items": reference("UserInfoDto")
                            }
                        }
                    }),
                );
                let resp = self.success_envelope(&noun);
                let params = json!([path_param("thingId")]);
                (
                    format!("/api/v3/things-{block}/{{thingId}}"),
                    Some(params),
                    Some(json_body(&req)),
                    response(200, &resp),
                )
            }
            4 => {
                let req = format!("Delete{noun}Dto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "force": {"type": "boolean", "description": "是否强制删除", "default": false}
                        }
                    }),
                );
                let resp = self.success_envelope(&noun);
                let params = json!([path_param("thingId")]);
                (
                    format!("/api/v3/things-{block}/{{thingId}}"),
                    Some(params),
                    Some(json_body(&req)),
                    response(200, &resp),
                )
            }
            5 => {
                let req = format!("Patch{noun}Dto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "maps": wrapped("MapsDto", "映射"),
                            "credential": reference("CredentialDto")
                        },
                        "required": ["maps"]
                    }),
                );
                self.item_schema(&item_schema);
                let resp = self.envelope_schema(&noun, "", wrapped(&item_schema, "修改后的对象"));
                (format!("/api/v3/patch-thing-{i}"), None, Some(json_body(&req)), response(201, &resp))
            }
            6 => {
                let req = format!("Create{noun}TreeDto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {"root": wrapped("TreeNodeDto", "根节点")},
                        "required": ["root"]
                    }),
                );
                let resp = self.envelope_schema(&noun, "Tree", wrapped("TreeNodeDto", "创建的树"));
                (format!("/api/v3/create-thing-tree-{i}"), None, Some(json_body(&req)), response(201, &resp))
            }
            _ => {
                let req = format!("List{noun}ByFilterDto");
                self.schemas.insert(
                    req.clone(),
                    json!({
                        "type": "object",
                        "properties": {
                            "users": {
                                "type": "array",
                                "description": "用户（组件名 PascalCase 后冲突）",
                                "items": reference("userInfoDto")
                            },
                            "since": {
                                "type": "number",
                                "description": "起始时间（毫秒时间戳）",
                                "example": 1_700_000_000_000_u64
                            }
                        }
                    }),
                );
                let data = json!({
                    "type": "array",
                    "description": "匹配的用户",
                    "items": reference("UserInfoDto")
                });
                let resp = self.envelope_schema(&noun, "List", data);
                (format!("/api/v3/list-things-by-filter-{i}"), None, Some(json_body(&req)), response(200, &resp))
            }
        };
        op.insert("parameters".into(), params.unwrap_or_else(|| json!([])));
        if let Some(body) = body {
            op.insert("requestBody".into(), body);
        }
        op.insert("responses".into(), responses);
        op.insert("tags".into(), json!([tag]));
        op.insert("security".into(), json!([{"x-authing-userpool-id": []}, {"bearer": []}]));
        if i.is_multiple_of(5) {
            op.insert(
                "x-authing-code-samples".into(),
                json!([{"lang": "javascript", "label": "Node.js", "source": "await client.call();"}]),
            );
        }
        self.add(&path, method, Value::Object(op));
    }

    /// Hidden operation number `k`: excluded from the SDK, with a schema nothing else uses.
    fn hidden_operation(&mut self, k: usize) {
        let schema = format!("HiddenOnly{k}Dto");
        self.schemas.insert(
            schema.clone(),
            json!({
                "type": "object",
                "properties": {"secret": {"type": "string", "description": "内部字段"}}
            }),
        );
        let op = json!({
            "operationId": format!("InternalController_hiddenThing{k}"),
            "summary": "内部接口",
            "description": "仅供内部使用，不出现在 SDK 和文档中。",
            "x-authing-hidden-from-sdk": true,
            "parameters": [],
            "requestBody": json_body(&schema),
            "responses": {"200": {"description": ""}},
            "tags": [HIDDEN_TAG],
            "security": [{"x-authing-userpool-id": []}, {"bearer": []}]
        });
        self.add(&format!("/api/v3/internal/hidden-{k}"), "post", op);
    }

    fn add(&mut self, path: &str, method: &str, op: Value) {
        let item = self.paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        item[method] = op;
    }

    /// A per-operation object schema with a few ordinary properties and nested shared ones.
    fn item_schema(&mut self, name: &str) {
        self.schemas.insert(
            name.to_owned(),
            json!({
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "ID", "example": "60b49eb83fd80adb96f26e68"},
                    "name": {"type": "string", "description": "名称"},
                    "status": {
                        "type": "string",
                        "description": "状态：\n- `Activated`: 正常\n- `Suspended`: 停用\n- `Deactivated`: 禁用",
                        "enum": ["Activated", "Suspended", "Deactivated"]
                    },
                    "createdAt": {"type": "string", "format": "date-time", "description": "创建时间"},
                    "updatedAt": {"type": "number", "description": "更新时间（毫秒时间戳）", "example": 1_700_000_000_000_u64},
                    "owner": wrapped("UserInfoDto", "所有者"),
                    "names": wrapped("QuirkyNamesDto", "属性名怪异的对象"),
                    "customData": {"type": "object", "description": "自定义数据"}
                },
                "required": ["id", "name", "status"]
            }),
        );
    }

    /// `{noun}{kind}RespDto`, the envelope around `data`; returns its name.
    fn envelope_schema(&mut self, noun: &str, kind: &str, data: Value) -> String {
        let name = format!("{noun}{kind}RespDto");
        self.schemas.insert(name.clone(), envelope(data));
        name
    }

    /// The `{success: bool}` envelope (upstream's `IsSuccessRespDto`, one per operation here).
    fn success_envelope(&mut self, noun: &str) -> String {
        let data = format!("{noun}IsSuccessDto");
        self.schemas.insert(
            data.clone(),
            json!({
                "type": "object",
                "properties": {"success": {"type": "boolean", "description": "操作是否成功", "example": true}},
                "required": ["success"]
            }),
        );
        self.envelope_schema(noun, "IsSuccess", wrapped(&data, "操作是否成功"))
    }

    fn finish(self, operations: usize) -> Value {
        let mut tags: Vec<Value> = CONTROLLERS
            .iter()
            .map(|(_, tag, object)| json!({"name": tag, "description": format!("管理{object}")}))
            .collect();
        tags.push(json!({"name": HIDDEN_TAG, "description": "内部接口"}));
        json!({
            "openapi": "3.0.3",
            "info": {
                "title": "Authing 管理 API（合成）",
                "version": "3.0",
                "description": format!("用于测试的合成文档，共 {operations} 个公开接口。"),
                "x-genauth-client": "ManagementClient"
            },
            "servers": [{"url": "https://api.genauth.ai", "description": "GenAuth"}],
            "tags": tags,
            "paths": self.paths,
            "components": {
                "schemas": self.schemas,
                "securitySchemes": {
                    "bearer": {"scheme": "bearer", "bearerFormat": "JWT", "type": "http"},
                    "x-authing-userpool-id": {
                        "type": "apiKey",
                        "in": "header",
                        "name": "x-authing-userpool-id",
                        "description": "Authing Userpool Id"
                    }
                }
            }
        })
    }
}

/// The many query parameters of a list operation (upstream's `list-users` has a dozen).
fn list_query_params() -> Value {
    json!([
        {
            "name": "page",
            "in": "query",
            "required": false,
            "description": "当前页数，从 1 开始",
            "schema": {"type": "number", "default": 1},
            "example": 1
        },
        {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "每页数目，最大不能超过 50，默认为 10",
            "schema": {"type": "integer", "default": 10, "minimum": 1, "maximum": 50},
            "example": 10
        },
        {
            "name": "keywords",
            "in": "query",
            "required": false,
            "description": "搜索关键词（长度限制写在参数对象上，与上游一致）",
            // Upstream writes length limits on the parameter object, outside its schema.
            "maxLength": 64,
            "schema": {"type": "string"},
            "example": "张三"
        },
        {
            "name": "status",
            "in": "query",
            "required": false,
            "description": "状态：\n- `Activated`: 正常\n- `Suspended`: 停用",
            "schema": {"type": "string", "enum": ["Activated", "Suspended"]}
        },
        {
            "name": "withCustomData",
            "in": "query",
            "required": false,
            "description": "是否获取自定义数据",
            "schema": {"type": "boolean", "default": false}
        },
        {
            "name": "startTime",
            "in": "query",
            "required": false,
            "description": "开始时间（毫秒时间戳）",
            "schema": {"type": "number"},
            "example": 1_700_000_000_000_u64
        },
        {
            "name": "endTime",
            "in": "query",
            "required": false,
            "description": "结束时间（毫秒时间戳）",
            "schema": {"type": "integer", "format": "int64"},
            "example": 1_700_086_400_000_u64
        },
        {
            "name": "ids",
            "in": "query",
            "required": false,
            "description": "ID 列表",
            "schema": {"type": "array", "items": {"type": "string"}}
        },
        {
            "name": "levels",
            "in": "query",
            "required": false,
            "description": "级别列表",
            "schema": {"type": "array", "items": {"type": "integer"}}
        },
        {
            "name": "since",
            "in": "query",
            "required": false,
            "description": "起始时间",
            "schema": {"type": "string", "format": "date-time"}
        }
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_visible_and_hidden_operations() {
        let spec = synthetic_spec(41);
        let ops: Vec<&Value> =
            spec["paths"].as_object().unwrap().values().flat_map(|item| item.as_object().unwrap().values()).collect();
        let hidden = ops.iter().filter(|op| op.get("x-authing-hidden-from-sdk").is_some()).count();
        assert_eq!((ops.len() - hidden, hidden), (41, 3));
    }

    #[test]
    fn stripping_quirks_removes_only_parameter_constraints() {
        let spec = synthetic_spec(PATTERNS);
        let stripped = without_invalid_quirks(&spec);
        assert_ne!(spec, stripped);
        let text = serde_json::to_string(&stripped["paths"]).unwrap();
        assert!(!text.contains("\"maxLength\":64"), "the parameter-level maxLength is gone");
        assert_eq!(spec["components"], stripped["components"]);
    }
}
