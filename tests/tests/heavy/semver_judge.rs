//! The upgrade report against `cargo-semver-checks`, the Rust ecosystem's judge of what breaks
//! users' code (crates.io; nobody on this team wrote it).
//!
//! One purpose-made spec, and the same spec after one change of every kind the report knows
//! (each on an operation or type named after it): both are generated into standalone copies of the
//! sdk crate, the checker compares the two crates, and every item it calls breaking must be named
//! by a breaking line of the report (`genauth_codegen::manifest::compare`, what `cargo xtask
//! codegen` prints). The report is stricter than the checker on purpose; where it says breaking
//! and the checker is silent, a small user crate that compiles against the old crate and not
//! against the new one is the evidence (an operation regrouped into another Cargo feature).
//!
//! Slow (two rustdoc builds of the sdk and the checker's own work) and it needs
//! `cargo-semver-checks` on the `PATH`, so it is ignored by a plain `cargo test`; `.ci/run`
//! installs the checker and runs it as a step of its own:
//! `cargo test -p genauth-tests --test heavy semver_judge:: -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use genauth_codegen::manifest::{PATH as MANIFEST, compare};
use genauth_codegen::model::Api;
use genauth_codegen::{Generated, Options, generate};
use genauth_tests::sdk_copy::{self, copy_target_dir, workspace_root, write_sdk_copy};
use serde_json::{Value, json};

/// A `{statusCode, message, data}` answer holding `data`.
fn envelope(data: Value) -> Value {
    json!({
        "type": "object",
        "required": ["statusCode", "message"],
        "properties": {"statusCode": {"type": "integer"}, "message": {"type": "string"}, "data": data}
    })
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn query(name: &str, ty: &str, required: bool) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": {"type": ty}})
}

/// An operation of group `group` (its Cargo feature) answering `answer` (a schema name).
fn operation(id: &str, group: &str, params: Value, body: Option<&str>, answer: &str) -> Value {
    let mut op = json!({
        "operationId": format!("JudgeController_{id}"),
        "summary": id,
        "tags": [group],
        "x-genauth-tag": {"slug": group, "name": group, "en": group},
        "parameters": params,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema_ref(answer)}}}}
    });
    if let Some(body) = body {
        op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema_ref(body)}}});
    }
    op
}

/// The spec before: every item the edits below touch, named after what happens to it.
fn before() -> Value {
    let page = || json!([query("page", "integer", false), query("limit", "integer", false)]);
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Judge", "version": "1"},
        "paths": {
            "/removed-op": {"get": operation("removedOp", "alpha", json!([]), None, "IsSuccessRespDto")},
            "/kept-op": {"get": operation("keptOp", "alpha", json!([query("q", "string", true)]), None, "IsSuccessRespDto")},
            "/moving-op": {"get": operation("movingOp", "alpha", json!([]), None, "IsSuccessRespDto")},
            "/gamma-op": {"get": operation("gammaOp", "gamma", json!([]), None, "IsSuccessRespDto")},
            "/create-thing": {"post": operation("createThing", "alpha", json!([]), Some("ThingDto"), "IsSuccessRespDto")},
            "/update-settings": {"post": operation("updateSettings", "beta", json!([]), Some("SettingsDto"), "IsSuccessRespDto")},
            "/get-settings": {"get": operation("getSettings", "beta", json!([]), None, "SettingsRespDto")},
            "/list-items": {"get": operation("listItems", "beta", json!([]), None, "ItemsRespDto")},
            "/list-others": {"get": operation("listOthers", "beta", page(), None, "ItemsRespDto")}
        },
        "components": {"schemas": {
            "IsSuccessRespDto": envelope(json!({"type": "object", "properties": {"success": {"type": "boolean"}}})),
            "ThingDto": {
                "type": "object",
                "required": ["name", "loose"],
                "properties": {
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                    "gone": {"type": "string"},
                    "maybe": {"type": "string"},
                    "loose": {"type": "string"},
                    "kind": {"type": "string", "enum": ["a", "b", "c"]},
                    "color": {"type": "string", "enum": ["red", "green"]}
                }
            },
            "SettingsDto": {"type": "object", "required": ["mode"], "properties": {"mode": {"type": "string"}}},
            "ViewDto": {"type": "object", "properties": {"shown": {"type": "string"}}},
            "SettingsRespDto": envelope(schema_ref("ViewDto")),
            "ItemDto": {"type": "object", "properties": {"id": {"type": "string"}}},
            "ItemsRespDto": envelope(json!({
                "type": "object",
                "properties": {"list": {"type": "array", "items": schema_ref("ItemDto")}, "totalCount": {"type": "integer"}}
            }))
        }}
    })
}

/// The spec after one change of every kind the report knows.
fn after() -> Value {
    let mut spec = before();
    let paths = spec["paths"].as_object_mut().expect("paths");
    // Operation removed; operation added.
    paths.remove("/removed-op");
    paths.insert("/added-op".into(), json!({"get": operation("addedOp", "beta", json!([]), None, "IsSuccessRespDto")}));
    // Required input added, optional input added.
    paths["/kept-op"]["get"]["parameters"] =
        json!([query("q", "string", true), query("extra", "string", true), query("note", "string", false)]);
    // Regrouped: from feature `alpha` to `beta`.
    paths["/moving-op"]["get"]["x-genauth-tag"] = json!({"slug": "beta", "name": "beta", "en": "beta"});
    // Feature removed: `gamma`'s only operation goes.
    paths.remove("/gamma-op");
    // Direction in -> out: `SettingsDto` is now only answered, and `ViewDto` goes (type removed).
    paths["/update-settings"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        schema_ref("NewSettingsDto");
    // Paginator added (page/limit appear) and removed (they go).
    paths["/list-items"]["get"]["parameters"] =
        json!([query("page", "integer", false), query("limit", "integer", false)]);
    paths["/list-others"]["get"]["parameters"] = json!([]);
    let schemas = spec["components"]["schemas"].as_object_mut().expect("schemas");
    schemas.remove("ViewDto");
    schemas.insert("SettingsRespDto".into(), envelope(schema_ref("SettingsDto")));
    schemas.insert(
        "NewSettingsDto".into(),
        json!({"type": "object", "required": ["mode"], "properties": {"mode": {"type": "string"}}}),
    );
    let thing = &mut schemas["ThingDto"];
    let props = thing["properties"].as_object_mut().expect("properties");
    props.remove("gone"); // field removed
    props["size"] = json!({"type": "string"}); // field retyped
    props["kind"]["enum"] = json!(["a", "b"]); // enum value removed
    props["color"]["enum"] = json!(["red", "green", "blue"]); // enum value added
    // `maybe` made required, `loose` made optional.
    thing["required"] = json!(["name", "maybe"]);
    spec
}

fn generated(spec: &Value) -> Generated {
    let options = Options { spec_path: "spec/judge.json".into(), docs: false };
    generate(&serde_json::to_vec(spec).expect("serialises"), &options).unwrap_or_else(|e| panic!("generates:\n{e}"))
}

fn manifest(generated: &Generated) -> &str {
    generated.files.iter().find(|f| f.path == MANIFEST).map(|f| f.contents.as_str()).expect("a manifest")
}

/// The items a `cargo-semver-checks` failure names: the words of its "Failed in:" lines, split
/// at everything that cannot be part of a Rust path.
fn failures(output: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lint = String::new();
    let mut in_list = false;
    for line in output.lines() {
        if let Some(rest) = line.trim().strip_prefix("--- failure ") {
            lint = rest.split(':').next().unwrap_or(rest).to_owned();
            in_list = false;
        } else if line.trim() == "Failed in:" {
            in_list = true;
        } else if in_list && line.trim().is_empty() {
            in_list = false;
        } else if in_list {
            found.push((lint.clone(), line.trim().to_owned()));
        }
    }
    found
}

/// The words of a line, split at everything that cannot be part of a Rust name.
fn names_in(line: &str) -> BTreeSet<String> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a checker's failure line is about: the item (an operation's method or builder, a type, a
/// feature) and, where it names one, the member of it (a field, setter, variant, builder method).
/// `None` for a line of a shape this judge does not know (which then counts as missed).
fn checker_item(failure: &str) -> Option<(String, Option<String>)> {
    let words: Vec<&str> = failure.split_whitespace().collect();
    if let Some(path) = words.iter().find(|w| w.contains("::")) {
        let segments: Vec<&str> = path.trim_end_matches(',').split("::").collect();
        let (owner, last) = (segments[segments.len() - 2], segments[segments.len() - 1]);
        // `genauth::types::ViewDto`, `genauth::ManagementClient::kept_op`: the item itself.
        return Some(if owner.starts_with(|c: char| c.is_ascii_lowercase()) || owner == "ManagementClient" {
            (last.to_owned(), None)
        } else {
            (owner.to_owned(), Some(last.to_owned()))
        });
    }
    match words.as_slice() {
        ["field", field, "of", "struct", owner, ..] => {
            Some((owner.trim_end_matches(',').to_owned(), Some((*field).to_owned())))
        }
        ["feature", feature, ..] => Some(((*feature).to_owned(), None)),
        _ => None,
    }
}

/// The operation, type or feature a report line is about (`~ operation kept_op: ...`,
/// `- type ViewDto removed`, ``- feature `gamma` removed``).
fn report_subject(line: &str) -> Option<&str> {
    let rest = line.get(2..)?;
    let rest = rest.strip_prefix("operation ").or(rest.strip_prefix("type ")).or(rest.strip_prefix("feature "))?;
    Some(rest.split([' ', ':']).next()?.trim_matches('`'))
}

/// Each operation's request builder type by the operation's method name, in either crate: the
/// checker names a builder where one of its methods changed.
fn builders(apis: &[&Api]) -> BTreeMap<String, String> {
    apis.iter().flat_map(|api| &api.operations).map(|op| (op.name.clone(), op.builder_name())).collect()
}

/// Whether a breaking line of the report names what the checker found: a line about the same
/// item (or the operation whose builder it is) that removes it whole, or names the member (a
/// setter `with_x` or `into_x` by its `x`).
fn covered(breaking: &[String], builders: &BTreeMap<String, String>, item: &str, member: Option<&str>) -> bool {
    breaking.iter().any(|line| {
        let Some(subject) = report_subject(line) else { return false };
        if subject != item && builders.get(subject).map(String::as_str) != Some(item) {
            return false;
        }
        match member {
            None => true,
            Some(_) if line.starts_with("- ") => true,
            Some(member) => {
                let bare = member.trim_start_matches("with_").trim_start_matches("into_");
                let words = names_in(line);
                words.contains(member) || words.contains(bare)
            }
        }
    })
}

#[test]
#[ignore = "needs cargo-semver-checks and builds two sdk copies; .ci/run runs it with --ignored"]
fn every_break_the_checker_sees_is_breaking_in_the_report() {
    let (old, new) = (generated(&before()), generated(&after()));
    let comparison = compare(Some(manifest(&old)), manifest(&new));
    let changes = comparison.changes().expect("both manifests read").clone();
    println!("the report:\n{comparison:#}");

    // Every kind of change the report knows is in this pair, each classified as the rules say.
    for expected in [
        "- operation removed_op removed",
        "~ operation kept_op: required input `extra: String` added",
        "~ operation moving_op: moved from feature `alpha` to `beta` (a crate that enables `alpha` but not `beta` loses it)",
        "- feature `gamma` removed (a crate that enables it no longer builds)",
        "~ operation list_others: paginator removed (items: ItemDto)",
        "~ type ThingDto: field `gone` removed",
        "~ type ThingDto: field `size` retyped i64 -> String",
        "~ type ThingDto: field `maybe` optional -> required",
        "~ type ThingDto: field `loose` required -> optional",
        "~ type ThingDtoKind: value `c` removed (variant `C` gone)",
        "- type ViewDto removed",
        "~ type SettingsDto: direction in -> out: users no longer build it (`new()` and the setters are gone)",
    ] {
        assert!(changes.breaking.iter().any(|l| l == expected), "not breaking: {expected}\n{comparison:#}");
    }
    for expected in [
        "+ operation added_op",
        "~ operation kept_op: optional input `note: String` added",
        "~ operation list_items: paginator added (items: ItemDto)",
        "~ type ThingDtoColor: value `blue` added (variant `Blue`)",
    ] {
        assert!(changes.compatible.iter().any(|l| l == expected), "not compatible: {expected}\n{comparison:#}");
    }

    // The two crates, built the way users get them.
    let work = tempfile::tempdir().expect("temp dir");
    let (old_dir, new_dir) = (work.path().join("old"), work.path().join("new"));
    write_sdk_copy(&workspace_root(), &old_dir, Some((&old.files, &old.api))).expect("old copy");
    write_sdk_copy(&workspace_root(), &new_dir, Some((&new.files, &new.api))).expect("new copy");

    // The checker's verdict on the pair.
    let target = copy_target_dir().join("semver-judge");
    let run = Command::new("cargo")
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(new_dir.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&old_dir)
        .args(["--all-features", "--color", "never"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo-semver-checks runs (cargo install cargo-semver-checks --locked)");
    // The verdicts are on stdout; progress and the summary on stderr.
    let verdicts = String::from_utf8_lossy(&run.stdout).into_owned();
    let output = format!("{verdicts}\n{}", String::from_utf8_lossy(&run.stderr));
    println!("cargo-semver-checks:\n{output}");
    let found = failures(&verdicts);
    assert!(!found.is_empty(), "the checker reported no breaking change at all; did it run?\n{output}");
    assert!(!run.status.success(), "the checker passed a pair with breaking changes:\n{output}");

    // Everything it calls breaking is named by a breaking line of the report.
    let builder_of = builders(&[&old.api, &new.api]);
    let missed: Vec<String> = found
        .iter()
        .filter(|(_, failure)| match checker_item(failure) {
            Some((item, member)) => !covered(&changes.breaking, &builder_of, &item, member.as_deref()),
            None => true,
        })
        .map(|(lint, failure)| format!("{lint}: {failure}"))
        .collect();
    assert!(
        missed.is_empty(),
        "breaking for cargo-semver-checks, not in the report's breaking lines:\n{}",
        missed.join("\n")
    );

    // Where the report is stricter: an operation regrouped is still there with every feature on,
    // so the checker is silent, but a crate that enabled only the old group stops compiling.
    let user = work.path().join("user");
    std::fs::create_dir_all(user.join("src")).expect("user crate");
    std::fs::write(user.join("src/main.rs"), "fn main() {\n    let client = genauth::ManagementClient::from_env().expect(\"config\");\n    let _request = client.moving_op();\n}\n")
        .expect("main.rs");
    let compiles_against = |sdk: &Path| {
        let manifest = format!(
            "[package]\nname = \"judge-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ngenauth = {{ path = {:?}, default-features = false, features = [\"alpha\"] }}\n\n[workspace]\n",
            sdk.display().to_string()
        );
        std::fs::write(user.join("Cargo.toml"), manifest).expect("Cargo.toml");
        std::fs::copy(workspace_root().join("Cargo.lock"), user.join("Cargo.lock")).expect("Cargo.lock");
        let outcome = sdk_copy::cargo(&user, &copy_target_dir(), &["check", "--quiet"]).expect("cargo check");
        (outcome.success, outcome.output)
    };
    let (before_ok, before_out) = compiles_against(&old_dir);
    assert!(before_ok, "the user crate compiles against the old sdk:\n{before_out}");
    let (after_ok, after_out) = compiles_against(&new_dir);
    assert!(!after_ok, "moving_op left feature `alpha`, so a crate with only `alpha` must not compile");
    assert!(after_out.contains("moving_op"), "{after_out}");
}

/// The judge's reading of the checker's lines and of the report, on lines the checker printed
/// (its 0.51 wording): a test that runs in every `cargo test`, so the parsing cannot rot unseen.
#[test]
fn checker_lines_are_matched_to_report_lines_by_item_and_member() {
    let at = ", previously in file /tmp/x/old/src/generated/operations/alpha.rs:12";
    assert_eq!(
        checker_item(&format!("ListOthersRequest::into_paginator{at}")),
        Some(("ListOthersRequest".into(), Some("into_paginator".into())))
    );
    assert_eq!(checker_item(&format!("ManagementClient::removed_op{at}")), Some(("removed_op".into(), None)));
    assert_eq!(checker_item(&format!("struct genauth::types::ViewDto{at}")), Some(("ViewDto".into(), None)));
    assert_eq!(
        checker_item(&format!("field gone of struct ThingDto{at}")),
        Some(("ThingDto".into(), Some("gone".into())))
    );
    assert_eq!(
        checker_item("variant ThingDtoKind::C, previously in file a.rs:1"),
        Some(("ThingDtoKind".into(), Some("C".into())))
    );
    assert_eq!(checker_item("feature gamma in the package's Cargo.toml"), Some(("gamma".into(), None)));
    assert_eq!(
        checker_item(
            "genauth::ManagementClient::kept_op takes 1 parameters in /a.rs:68, but now takes 2 parameters in /b.rs:71"
        ),
        Some(("kept_op".into(), None))
    );
    assert_eq!(checker_item("something new"), None);

    let breaking = vec![
        "~ operation list_others: paginator removed (items: ItemDto)".to_owned(),
        "~ type ThingDto: field `gone` removed".to_owned(),
        "- feature `gamma` removed (a crate that enables it no longer builds)".to_owned(),
        "~ type SettingsRespDto: field `data` retyped ViewDto -> SettingsDto".to_owned(),
    ];
    let builders = BTreeMap::from([("list_others".to_owned(), "ListOthersRequest".to_owned())]);
    assert!(covered(&breaking, &builders, "ListOthersRequest", Some("into_paginator")));
    assert!(covered(&breaking, &builders, "ThingDto", Some("with_gone")));
    assert!(covered(&breaking, &builders, "gamma", None));
    // A line that only mentions a type is not about it, and another member is not this one.
    assert!(!covered(&breaking, &builders, "SettingsDto", Some("new")));
    assert!(!covered(&breaking, &builders, "ThingDto", Some("with_size")));
    assert!(!covered(&breaking, &builders, "ListOthersRequest", Some("page")));
}
