//! Hostile specs: the real spec (its three seed operations) and a synthetic one, broken on purpose,
//! go through the whole generator (`generate`, docs included). Two promises of ARCHITECTURE.md are
//! checked on every input: nothing panics, and every diagnostic names a JSON pointer that leads
//! into the document it was given (or to its parent, when the missing key is the problem; or `#`
//! for a document that cannot be read at all).
//!
//! The mutations: delete a key, replace a value with one of the wrong type, dangling `$ref`s,
//! cyclic aliases, duplicate operationIds, names that collide once snake/camel/Pascal-cased, a
//! 5,000-value enum, deep nesting (objects, arrays, `allOf`; past the parsers' limits too),
//! empty documents, truncated bytes and invalid UTF-8. Each category also has hand-written
//! cases (`by_hand_*`): readable failures, and the regression cases.
//!
//! Case counts: the property tests run a bounded number of cases by default, so `cargo test`
//! (and `.ci/run`) stays well under a minute in debug; `PROPTEST_CASES=n` sets the count,
//! `GENAUTH_HOSTILE_LONG=1` runs the long version (5,000 cases per property):
//!
//! ```text
//! GENAUTH_HOSTILE_LONG=1 cargo test --release -p genauth-codegen --test all hostile_specs::
//! ```

use crate::real_spec;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use genauth_codegen::{Diagnostic, Options, generate};
use genauth_synthetic::synthetic_spec;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

/// Bounded by default (CI), `PROPTEST_CASES` wins, `GENAUTH_HOSTILE_LONG=1` for the long run.
fn config(default: u32) -> ProptestConfig {
    let cases = if std::env::var_os("GENAUTH_HOSTILE_LONG").is_some_and(|v| v == "1") {
        5_000
    } else {
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// The real spec (upstream + layers) cut down to the three seed operations: every case runs the
/// whole pipeline, which the full 414-operation document would make too slow to mutate often.
fn real_spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| real_spec::subset(&real_spec::SEED_PATHS))
}

/// A synthetic spec with every quirk (8 operations is the smallest that has them all): emitting
/// Rust costs ~0.1-0.2 s per successful run in debug, which is what bounds the case counts.
fn synthetic() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| synthetic_spec(genauth_synthetic::PATTERNS))
}

fn base(which: bool) -> &'static Value {
    if which { real_spec() } else { synthetic() }
}

// ---------------------------------------------------------------------------------------------
// Running the generator and checking what it says
// ---------------------------------------------------------------------------------------------

/// Runs `generate` (docs included) on `bytes`, fails on a panic, and checks every diagnostic's
/// pointer against `doc` (the document the bytes hold, when they hold one). Returns the
/// diagnostics of a failed run (empty on success) for case-specific checks.
/// What one run said: whether it failed, and every diagnostic (errors, or warnings of a run
/// that succeeded).
#[derive(Debug)]
struct Outcome {
    failed: bool,
    diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// Whether a diagnostic's message holds one of `words`.
    fn says(&self, words: &[&str]) -> bool {
        self.diagnostics.iter().any(|d| words.iter().any(|w| d.message.contains(w)))
    }
}

fn check(bytes: &[u8], doc: Option<&Value>) -> Result<Outcome, String> {
    let options = Options { spec_path: "hostile.yaml".into(), docs: true };
    let result = catch_unwind(AssertUnwindSafe(|| generate(bytes, &options)))
        .map_err(|p| format!("generate panicked: {}", panic_message(&*p)))?;
    let (diags, failed) = match result {
        Ok(generated) => (generated.api.warnings, false),
        Err(d) => (d.0, true),
    };
    if failed && diags.is_empty() {
        return Err("generate failed without a diagnostic".into());
    }
    for d in &diags {
        check_pointer(d, doc)?;
    }
    Ok(Outcome { failed, diagnostics: diags })
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string payload)".into())
}

/// A diagnostic's pointer is a URI-fragment JSON pointer that resolves in the document, or whose
/// parent does (the key that is missing is the problem), or `#`.
fn check_pointer(d: &Diagnostic, doc: Option<&Value>) -> Result<(), String> {
    let p = &d.pointer;
    if !p.starts_with('#') {
        return Err(format!("pointer does not start with `#`: {d}"));
    }
    if p == "#" {
        return Ok(());
    }
    let Some(rest) = p.strip_prefix("#/") else {
        return Err(format!("pointer is not `#` or `#/...`: {d}"));
    };
    let Some(doc) = doc else {
        // The bytes hold no readable document, so only the whole document can be at fault.
        return Err(format!("pointer into an unreadable document: {d}"));
    };
    let resolved = doc.pointer(&format!("/{rest}")).is_some();
    let parent_resolved = match rest.rsplit_once('/') {
        Some((parent, _)) => doc.pointer(&format!("/{parent}")).is_some(),
        None => true,
    };
    if resolved || parent_resolved { Ok(()) } else { Err(format!("pointer does not resolve, nor its parent: {d}")) }
}

/// The document `bytes` hold, read the way the generator reads them; `None` if unreadable.
fn document_of(bytes: &[u8]) -> Option<Value> {
    genauth_codegen::validate::parse(bytes, "hostile").ok().map(|s| s.raw).or_else(|| {
        let text = std::str::from_utf8(bytes).ok()?;
        serde_json::from_str(text).ok().or_else(|| serde_norway::from_str(text).ok())
    })
}

/// How the mutated tree is written out.
fn serialize(doc: &Value, yaml: bool) -> Vec<u8> {
    if yaml {
        serde_norway::to_string(doc).expect("a JSON tree serialises as YAML").into_bytes()
    } else {
        serde_json::to_vec_pretty(doc).expect("a JSON tree serialises")
    }
}

/// Checks one mutated tree, written both ways when `both` (YAML and JSON).
fn check_doc(doc: &Value, yaml: bool) -> Result<Outcome, String> {
    let bytes = serialize(doc, yaml);
    // Deep trees go past the parsers' recursion limits; what was read is then not `doc`.
    let read = document_of(&bytes);
    check(&bytes, read.as_ref().or(Some(doc)))
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/// Every node of `v`, as a list of keys / indices from the root.
fn nodes(v: &Value) -> Vec<Vec<String>> {
    fn walk(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(here.clone());
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    here.push(k.clone());
                    walk(child, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    here.push(i.to_string());
                    walk(child, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, seg| match cur {
        Value::Object(m) => m.get_mut(seg),
        Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// Component schema names of `doc`.
fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Paths (key lists) of every operation object.
fn operations(doc: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "put", "post", "delete", "patch", "options", "head", "trace"] {
                if item.get(method).is_some_and(Value::is_object) {
                    out.push(vec!["paths".to_owned(), path.clone(), method.to_owned()]);
                }
            }
        }
    }
    out
}

/// Every node that is a schema object: component schemas and anything under a `schema`,
/// `properties/*`, `items`, `allOf/*`, `oneOf/*`, `anyOf/*`, `additionalProperties`.
fn schema_nodes(doc: &Value) -> Vec<Vec<String>> {
    nodes(doc)
        .into_iter()
        .filter(|p| {
            let n = p.len();
            let at = |i: usize| p.get(n.wrapping_sub(i)).map(String::as_str);
            matches!(at(1), Some("schema" | "items" | "additionalProperties"))
                || matches!(at(2), Some("properties" | "allOf" | "oneOf" | "anyOf"))
                || (n == 3 && p[0] == "components" && p[1] == "schemas")
        })
        .filter(|p| node_mut(&mut doc.clone(), p).is_some_and(|v| v.is_object()))
        .collect()
}

/// Values of the wrong type for any key.
fn wrong_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(42),
        json!(-1.5),
        json!(""),
        json!("string"),
        json!([]),
        json!({}),
        json!([1, "x", null]),
        json!({"$ref": 7}),
        json!({"type": 5}),
        json!({"type": "nonsense"}),
        json!({"type": ["string", "null"]}),
        json!({"enum": "notalist"}),
        json!({"required": "x"}),
        json!({"required": ["missing"]}),
        json!({"properties": []}),
    ]
}

/// Dangling or unsupported references.
fn bad_refs() -> Vec<&'static str> {
    vec![
        "#/components/schemas/DoesNotExist",
        "#/components/schemas/",
        "#/components/schemas/IsSuccessDto/properties/success",
        "#/components/parameters/Nope",
        "#/nope",
        "#",
        "",
        "other.yaml#/components/schemas/A",
        "https://example.com/spec.json#/x",
        "#/components/schemas/%zz",
        "#/components/schemas/%FF%FE",
        "#/components/schemas/a~2b",
    ]
}

/// Casing variants that collide with `name` once snake_cased or PascalCased.
fn colliding(name: &str) -> Vec<String> {
    let snake: String =
        name.chars().flat_map(|c| if c.is_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect();
    let snake = snake.trim_start_matches('_').to_owned();
    let mut upper = name.to_owned();
    if let Some(f) = upper.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    let mut lower = name.to_owned();
    if let Some(f) = lower.get_mut(0..1) {
        f.make_ascii_lowercase();
    }
    let kebab = snake.replace('_', "-");
    let spaced = snake.replace('_', " ");
    [snake, upper, lower, kebab, spaced, format!("{name}_"), format!("_{name}"), name.to_uppercase()]
        .into_iter()
        .filter(|n| n != name)
        .collect()
}

/// Deep nesting of `depth` levels of one kind (0: properties, 1: items, 2: allOf, 3: mixed).
fn deep_schema(depth: usize, kind: u8) -> Value {
    (0..depth).fold(json!({"type": "string"}), |inner, i| match (kind, i % 3) {
        (0, _) | (3, 0) => json!({"type": "object", "properties": {"p": inner}}),
        (1, _) | (3, 1) => json!({"type": "array", "items": inner}),
        _ => json!({"allOf": [inner], "description": "wrapper"}),
    })
}

/// A big enum; values collide in pairs once cased (`v-1` / `v_1`).
fn huge_enum(n: usize) -> Value {
    let values: Vec<Value> =
        (0..n).map(|i| json!(if i % 2 == 0 { format!("v-{}", i / 2) } else { format!("v_{}", i / 2) })).collect();
    json!({"type": "string", "enum": values})
}

/// One structural mutation, with the indices that pick where it applies.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteKey(Index),
    WrongType(Index, Index),
    DanglingRef(Index, Index),
    /// `A -> B -> A` (or `A -> A`) as pure aliases, optionally through `allOf` wrappers.
    CyclicAliases(Index, Index, bool),
    DuplicateOperationId(Index, Index),
    /// An operationId colliding with another's once cased.
    CasedOperationId(Index, Index, Index),
    /// A sibling property / component name colliding once cased.
    CasedProperty(Index, Index),
    CasedComponent(Index, Index),
    HugeEnum(Index, usize),
    DeepNesting(Index, usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    prop_oneof![
        3 => i().prop_map(Mutation::DeleteKey),
        3 => (i(), i()).prop_map(|(a, b)| Mutation::WrongType(a, b)),
        2 => (i(), i()).prop_map(|(a, b)| Mutation::DanglingRef(a, b)),
        1 => (i(), i(), any::<bool>()).prop_map(|(a, b, w)| Mutation::CyclicAliases(a, b, w)),
        1 => (i(), i()).prop_map(|(a, b)| Mutation::DuplicateOperationId(a, b)),
        1 => (i(), i(), i()).prop_map(|(a, b, c)| Mutation::CasedOperationId(a, b, c)),
        1 => (i(), i()).prop_map(|(a, b)| Mutation::CasedProperty(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Mutation::CasedComponent(a, b)),
        1 => (i(), prop::sample::select(vec![2usize, 50, 300])).prop_map(|(a, n)| Mutation::HugeEnum(a, n)),
        1 => (i(), 1usize..200, 0u8..4).prop_map(|(a, d, k)| Mutation::DeepNesting(a, d, k)),
    ]
}

fn set(doc: &mut Value, path: &[String], new: Value) {
    if let Some(slot) = node_mut(doc, path) {
        *slot = new;
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    match m {
        Mutation::DeleteKey(at) => {
            let all: Vec<Vec<String>> = nodes(doc).into_iter().filter(|p| !p.is_empty()).collect();
            if all.is_empty() {
                return;
            }
            let path = at.get(&all).clone();
            let (last, parent) = path.split_last().expect("non-empty");
            match node_mut(doc, parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        Mutation::WrongType(at, value) => {
            let all = nodes(doc);
            let path = at.get(&all).clone();
            set(doc, &path, value.get(&wrong_values()).clone());
        }
        Mutation::DanglingRef(at, which) => {
            let all = schema_nodes(doc);
            if all.is_empty() {
                return;
            }
            let path = at.get(&all).clone();
            set(doc, &path, json!({"$ref": which.get(&bad_refs())}));
        }
        Mutation::CyclicAliases(a, b, wrapped) => {
            let names = schema_names(doc);
            if names.is_empty() {
                return;
            }
            let (a, b) = (a.get(&names).clone(), b.get(&names).clone());
            let alias = |to: &str| {
                let r = json!({"$ref": format!("#/components/schemas/{}", to.replace('~', "~0").replace('/', "~1"))});
                if *wrapped { json!({"allOf": [r], "description": "wrapped"}) } else { r }
            };
            let (to_b, to_a) = (alias(&b), alias(&a));
            set(doc, &["components".into(), "schemas".into(), a.clone()], to_b);
            set(doc, &["components".into(), "schemas".into(), b], to_a);
        }
        Mutation::DuplicateOperationId(a, b) => {
            let ops = operations(doc);
            if ops.is_empty() {
                return;
            }
            let (a, b) = (a.get(&ops).clone(), b.get(&ops).clone());
            let id = node_mut(doc, &a).and_then(|o| o.get("operationId").cloned()).unwrap_or(json!("dup"));
            if let Some(Value::Object(op)) = node_mut(doc, &b) {
                op.insert("operationId".into(), id.clone());
            }
            if let Some(Value::Object(op)) = node_mut(doc, &a) {
                op.insert("operationId".into(), id);
            }
        }
        Mutation::CasedOperationId(a, b, variant) => {
            let ops = operations(doc);
            if ops.is_empty() {
                return;
            }
            let (a, b) = (a.get(&ops).clone(), b.get(&ops).clone());
            let id = node_mut(doc, &a)
                .and_then(|o| o.get("operationId").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| "C_doThing".into());
            let variants = colliding(&id);
            if variants.is_empty() {
                return;
            }
            let new = variant.get(&variants).clone();
            if let Some(Value::Object(op)) = node_mut(doc, &b) {
                op.insert("operationId".into(), json!(new));
            }
        }
        Mutation::CasedProperty(at, variant) => {
            let with_props: Vec<Vec<String>> = schema_nodes(doc)
                .into_iter()
                .filter(|p| {
                    node_mut(&mut doc.clone(), p)
                        .and_then(|s| s.get("properties"))
                        .and_then(Value::as_object)
                        .is_some_and(|m| !m.is_empty())
                })
                .collect();
            if with_props.is_empty() {
                return;
            }
            let path = at.get(&with_props).clone();
            if let Some(Value::Object(props)) = node_mut(doc, &path).and_then(|s| s.get_mut("properties")) {
                let (name, schema) = props.iter().next().map(|(k, v)| (k.clone(), v.clone())).expect("non-empty");
                let variants = colliding(&name);
                if !variants.is_empty() {
                    props.insert(variant.get(&variants).clone(), schema);
                }
            }
        }
        Mutation::CasedComponent(at, variant) => {
            let names = schema_names(doc);
            if names.is_empty() {
                return;
            }
            let name = at.get(&names).clone();
            let variants = colliding(&name);
            if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas")
                && !variants.is_empty()
            {
                let copy = schemas[&name].clone();
                schemas.insert(variant.get(&variants).clone(), copy);
            }
        }
        Mutation::HugeEnum(at, n) => {
            let all = schema_nodes(doc);
            if !all.is_empty() {
                let path = at.get(&all).clone();
                set(doc, &path, huge_enum(*n));
            }
        }
        Mutation::DeepNesting(at, depth, kind) => {
            let all = schema_nodes(doc);
            if !all.is_empty() {
                let path = at.get(&all).clone();
                set(doc, &path, deep_schema(*depth, *kind));
            }
        }
    }
}

/// Byte-level damage to a serialised spec.
#[derive(Debug, Clone)]
enum ByteDamage {
    Truncate(Index),
    /// Invalid UTF-8 (`\xff`, a lone continuation byte, a cut multi-byte char, an encoded
    /// surrogate) at a position.
    InvalidUtf8(Index, Index),
    /// An arbitrary byte overwritten.
    Overwrite(Index, u8),
}

fn byte_damage() -> impl Strategy<Value = ByteDamage> {
    prop_oneof![
        any::<Index>().prop_map(ByteDamage::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| ByteDamage::InvalidUtf8(a, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(a, b)| ByteDamage::Overwrite(a, b)),
    ]
}

fn damage(mut bytes: Vec<u8>, d: &ByteDamage) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    match d {
        ByteDamage::Truncate(at) => bytes.truncate(at.index(bytes.len())),
        ByteDamage::InvalidUtf8(at, which) => {
            let bad: [&[u8]; 4] = [b"\xff", b"\x80", b"\xe5\xbc", b"\xed\xa0\x80"];
            let i = at.index(bytes.len());
            bytes.splice(i..i, which.get(&bad).iter().copied());
        }
        ByteDamage::Overwrite(at, b) => {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64))]

    /// One to three structural mutations of the real or the synthetic spec, written as YAML or
    /// JSON: no panic, every pointer resolves.
    #[test]
    fn mutated_specs_never_panic_and_point_into_the_document(
        real in any::<bool>(),
        yaml in any::<bool>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut doc = base(real).clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        if let Err(e) = check_doc(&doc, yaml) {
            prop_assert!(false, "{e}");
        }
    }

    /// Byte damage (truncation, invalid UTF-8, overwritten bytes) on top of an optional
    /// structural mutation.
    #[test]
    fn damaged_bytes_never_panic(
        real in any::<bool>(),
        yaml in any::<bool>(),
        m in prop::option::of(mutation()),
        d in byte_damage(),
    ) {
        let mut doc = base(real).clone();
        if let Some(m) = &m {
            apply(&mut doc, m);
        }
        let bytes = damage(serialize(&doc, yaml), &d);
        let read = document_of(&bytes);
        if let Err(e) = check(&bytes, read.as_ref()) {
            prop_assert!(false, "{e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases, one group per category
// ---------------------------------------------------------------------------------------------

fn schemas_path(name: &str) -> Vec<String> {
    vec!["components".into(), "schemas".into(), name.into()]
}

/// Runs `edit` on a copy of each base spec and checks it written as JSON (the YAML writer is
/// covered by the property tests and the parse-level cases; both give the same tree). Each run
/// must say what is wrong: a diagnostic (an error, or a warning of a run that went on) holding
/// one of `says`; with `says` empty, the run must succeed (the edit is one the generator takes in
/// its stride).
#[track_caller]
fn by_hand(says: &[&str], edit: impl Fn(&mut Value)) {
    let at = std::panic::Location::caller();
    for real in [true, false] {
        let mut doc = base(real).clone();
        edit(&mut doc);
        let which = if real { "real" } else { "synthetic" };
        let outcome = check_doc(&doc, false).unwrap_or_else(|e| panic!("{at}, {which} spec: {e}"));
        let first: Vec<&str> = outcome.diagnostics.iter().take(3).map(|d| d.message.as_str()).collect();
        if says.is_empty() {
            assert!(!outcome.failed, "{at}, {which} spec: failed: {first:?}");
        } else {
            assert!(outcome.says(says), "{at}, {which} spec: no diagnostic says any of {says:?}; said {first:?}");
        }
    }
}

#[test]
fn by_hand_required_keys_dropped() {
    for (key, says) in [
        ("openapi", &["OpenAPI version", "`openapi`"][..]),
        ("info", &["`info`"]),
        ("paths", &["`paths`"]),
        ("components", &["no such schema"]),
    ] {
        by_hand(says, |d| {
            d.as_object_mut().expect("object").shift_remove(key);
        });
    }
    by_hand(&["missing field `title`"], |d| {
        d["info"].as_object_mut().expect("info").shift_remove("title");
    });
    // An operation without a body is an operation that takes none.
    for (field, says) in [
        ("responses", &["missing field `responses`"][..]),
        ("operationId", &["has no operationId"]),
        ("requestBody", &[]),
    ] {
        by_hand(says, |d| {
            for op in operations(d) {
                if let Some(Value::Object(o)) = node_mut(d, &op) {
                    o.shift_remove(field);
                }
            }
        });
    }
    // Required property lists naming properties that do not exist.
    by_hand(&["integer `7`"], |d| {
        for name in schema_names(d) {
            d["components"]["schemas"][&name]["required"] = json!(["ghost", 7]);
        }
    });
}

#[test]
fn by_hand_wrong_types() {
    for v in wrong_values() {
        for at in [
            vec!["paths".to_owned()],
            vec!["components".to_owned()],
            vec!["components".to_owned(), "schemas".to_owned()],
            vec!["info".to_owned()],
            vec!["openapi".to_owned()],
        ] {
            let says: &[&str] = match at.last().map(String::as_str) {
                // No paths at all is a valid (empty) API.
                Some("paths") if v == json!({}) => &[],
                Some("paths") => &["Path", "skipped"],
                Some("components") => &["Components", "no such schema"],
                Some("schemas") => &["a map", "no such schema", "struct Schema"],
                Some("info") => &["Info", "`title`"],
                _ => &["OpenAPI version"],
            };
            by_hand(says, |d| set(d, &at, v.clone()));
        }
        // Every schema's `type`, every operation's `parameters` and `responses`.
        // (`"string"` is a type: that edit is valid.)
        let says: &[&str] =
            if v == json!("string") { &[] } else { &["treated as any value", "expected a string", "unknown type"] };
        by_hand(says, |d| {
            for p in schema_nodes(d) {
                if let Some(Value::Object(s)) = node_mut(d, &p) {
                    s.insert("type".into(), v.clone());
                }
            }
        });
        by_hand(&["Response", "parameter", "`description`"], |d| {
            for op in operations(d) {
                if let Some(Value::Object(o)) = node_mut(d, &op) {
                    o.insert("parameters".into(), v.clone());
                    o.insert("responses".into(), json!({"200": v.clone()}));
                }
            }
        });
    }
}

#[test]
fn by_hand_dangling_refs() {
    for r in bad_refs() {
        by_hand(&["reference"], |d| {
            for p in schema_nodes(d).into_iter().take(40) {
                set(d, &p, json!({"$ref": r}));
            }
        });
        by_hand(&["reference"], |d| {
            for op in operations(d) {
                if let Some(Value::Object(o)) = node_mut(d, &op) {
                    o.insert("parameters".into(), json!([{"$ref": r.replace("schemas", "parameters")}]));
                    o.insert("requestBody".into(), json!({"$ref": r.replace("schemas", "requestBodies")}));
                }
            }
        });
    }
}

#[test]
fn by_hand_cyclic_aliases() {
    let names = schema_names(synthetic());
    let (a, b) = (names[0].clone(), names[1].clone());
    let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
    let cases = vec![
        vec![(a.clone(), r(&a))],
        vec![(a.clone(), r(&b)), (b.clone(), r(&a))],
        vec![(a.clone(), json!({"allOf": [r(&b)]})), (b.clone(), json!({"allOf": [r(&a)], "description": "x"}))],
        vec![(a.clone(), json!({"type": "array", "items": r(&a)}))],
        vec![(a.clone(), json!({"oneOf": [r(&a), r(&b)]})), (b.clone(), r(&a))],
        vec![(a.clone(), json!({"type": "object", "additionalProperties": r(&a)}))],
    ];
    for case in cases {
        for real in [true, false] {
            let mut doc = base(real).clone();
            for (name, schema) in &case {
                set(&mut doc, &schemas_path(name), schema.clone());
            }
            // On the real spec the names do not exist: add them, referenced from an operation.
            if real {
                for (name, schema) in &case {
                    doc["components"]["schemas"][name] = schema.clone();
                }
                let op = operations(&doc)[0].clone();
                if let Some(o) = node_mut(&mut doc, &op) {
                    o["requestBody"] = json!({"content": {"application/json": {"schema": r(&a)}}});
                }
            }
            check_doc(&doc, false).unwrap_or_else(|e| panic!("{case:?}: {e}"));
        }
    }
}

#[test]
fn by_hand_duplicate_operation_ids() {
    for real in [true, false] {
        let mut doc = base(real).clone();
        let ops = operations(&doc);
        for op in &ops {
            if let Some(Value::Object(o)) = node_mut(&mut doc, op) {
                o.insert("operationId".into(), json!("Same_id"));
            }
        }
        let outcome = check_doc(&doc, false).unwrap_or_else(|e| panic!("{e}"));
        assert!(outcome.says(&["duplicate operationId"]), "{outcome:?}");
    }
    // Ids equal once cased.
    for real in [true, false] {
        let mut doc = base(real).clone();
        let ops = operations(&doc);
        let ids = ["C_kickUsers", "C_kick_users", "C_KickUsers", "c_kickusers", "C_kick-users", "C_kick users"];
        for (op, id) in ops.iter().zip(ids.iter().cycle()) {
            if let Some(Value::Object(o)) = node_mut(&mut doc, op) {
                o.insert("operationId".into(), json!(id));
            }
        }
        check_doc(&doc, false).unwrap_or_else(|e| panic!("{e}"));
        check_doc(&doc, true).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn by_hand_casing_collisions() {
    // Properties, components, enum values, parameters colliding once cased; plus names that
    // case to nothing or to keywords.
    by_hand(&["is taken by another property"], |d| {
        for p in schema_nodes(d) {
            if let Some(Value::Object(s)) = node_mut(d, &p) {
                s.insert(
                    "properties".into(),
                    json!({
                        "userId": {"type": "string"}, "user_id": {"type": "string"}, "UserId": {"type": "string"},
                        "user-id": {"type": "string"}, "USER_ID": {"type": "string"}, "": {"type": "string"},
                        "_": {"type": "string"}, "-": {"type": "string"}, "self": {}, "Self": {}, "super": {},
                        "crate": {}, "r#type": {}, "🙂": {}, "1": {}, "__": {}
                    }),
                );
                s.insert("type".into(), json!("object"));
            }
        }
    });
    let colliding =
        ["IsSuccessDto", "isSuccessDto", "is_success_dto", "IS_SUCCESS_DTO", "Is-Success-Dto", "Is Success Dto"];
    let reserved = ["", "_", "Self", "ManagementClient", "Option", "Result", "String", "Vec", "Error"];
    by_hand(&["taken"], |d| {
        if let Some(Value::Object(schemas)) = d.pointer_mut("/components/schemas") {
            let first = schemas.values().next().cloned().unwrap_or(json!({"type": "string"}));
            for n in colliding {
                schemas.entry(n).or_insert_with(|| first.clone());
            }
            for n in reserved {
                schemas.insert(n.into(), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
            }
        }
        // Reached from an operation, so that they are emitted (unused schemas are not).
        let properties: serde_json::Map<String, Value> = colliding
            .iter()
            .chain(&reserved)
            .enumerate()
            .map(|(i, n)| {
                (
                    format!("p{i}"),
                    json!({"$ref": format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1"))}),
                )
            })
            .collect();
        let op = operations(d)[0].clone();
        if let Some(Value::Object(o)) = node_mut(d, &op) {
            o.insert(
                "requestBody".into(),
                json!({"content": {"application/json": {"schema": {"type": "object", "properties": properties}}}}),
            );
        }
    });
    by_hand(&["is taken by another value"], |d| {
        for p in schema_nodes(d).into_iter().take(30) {
            set(
                d,
                &p,
                json!({"type": "string", "enum": ["a-b", "a_b", "A B", "a:b", "", "_", "1", "unknown_value", "UnknownValue", null, 1, true]}),
            );
        }
    });
    by_hand(&["does not appear in path template"], |d| {
        for op in operations(d) {
            if let Some(Value::Object(o)) = node_mut(d, &op) {
                o.insert(
                    "parameters".into(),
                    json!([
                        {"name": "userId", "in": "query", "schema": {"type": "string"}},
                        {"name": "user_id", "in": "query", "schema": {"type": "string"}},
                        {"name": "user-id", "in": "header", "schema": {"type": "string"}},
                        {"name": "userId", "in": "query", "schema": {"type": "string"}},
                        {"name": "", "in": "query", "schema": {"type": "string"}},
                        {"name": "x", "in": "path", "required": true, "schema": {"type": "string"}}
                    ]),
                );
            }
        }
    });
}

#[test]
fn by_hand_huge_enum() {
    for real in [true, false] {
        let mut doc = base(real).clone();
        let all = schema_nodes(&doc);
        // A property reached from an operation: the enum is emitted and documented in full.
        let target = all.iter().find(|p| p.iter().any(|s| s == "properties")).cloned().expect("a property schema");
        set(&mut doc, &target, huge_enum(5_000));
        check_doc(&doc, false).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn by_hand_deep_nesting() {
    for depth in [10, 20, 39, 40, 41, 64, 100, 200] {
        for kind in 0..4 {
            for real in [true, false] {
                let mut doc = base(real).clone();
                let all = schema_nodes(&doc);
                let target = all.iter().find(|p| p.iter().any(|s| s == "properties")).cloned().expect("a property");
                set(&mut doc, &target, deep_schema(depth, kind));
                // YAML too on the real spec: its parser has its own nesting limit.
                for yaml in [false, real] {
                    check_doc(&doc, yaml).unwrap_or_else(|e| panic!("depth {depth}, kind {kind}, yaml {yaml}: {e}"));
                }
            }
        }
    }
    // Deep non-schema nesting (extensions) and deep raw text, far past the parsers' limits (the
    // YAML parser takes seconds on 100,000 `[` in debug, so 10,000).
    by_hand(&["recursion limit"], |d| d["info"]["x-deep"] = (0..200).fold(json!(1), |acc, _| json!([acc])));
    by_hand(&["levels deep"], |d| d["info"]["x-deep"] = (0..45).fold(json!(1), |acc, _| json!({"a": acc})));
    for text in ["[".repeat(10_000), "{\"a\":".repeat(10_000), "- ".repeat(10_000), "a:\n ".repeat(10_000)] {
        check(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn by_hand_empty_documents() {
    for text in [
        "",
        " ",
        "\n\n",
        "\u{feff}",
        "---",
        "---\n...",
        "~",
        "null",
        "{}",
        "[]",
        "0",
        "\"\"",
        "openapi: 3.0.0",
        "openapi: '3.0.0'\ninfo: {}\npaths: {}",
        "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"\",\"version\":\"\"},\"paths\":{}}",
        "openapi: 3.1.0",
        "swagger: '2.0'",
        "{\"openapi\":3.0}",
        "!!binary aGVsbG8=",
        "&a [*a]",
        "a: &a\n  b: *a\n",
    ] {
        let doc = document_of(text.as_bytes());
        check(text.as_bytes(), doc.as_ref()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}

#[test]
fn by_hand_damaged_bytes() {
    for real in [true, false] {
        for yaml in [true, false] {
            let bytes = serialize(base(real), yaml);
            // Truncation at many points, including inside multi-byte characters.
            let step = (bytes.len() / 41).max(1);
            for cut in (0..bytes.len()).step_by(step).chain([1, 2, bytes.len() - 1]) {
                let b = &bytes[..cut];
                let doc = document_of(b);
                check(b, doc.as_ref()).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            }
            for bad in [&b"\xff"[..], b"\x80", b"\xe5\xbc", b"\xed\xa0\x80", b"\0"] {
                for at in [0, 1, bytes.len() / 2, bytes.len()] {
                    let mut b = bytes.clone();
                    b.splice(at..at, bad.iter().copied());
                    let doc = document_of(&b);
                    let outcome = check(&b, doc.as_ref()).unwrap_or_else(|e| panic!("{bad:?} at {at}: {e}"));
                    if bad != b"\0" {
                        let said = outcome.diagnostics.iter().any(|d| d.pointer == "#" && d.message.contains("UTF-8"));
                        assert!(said, "{outcome:?}");
                    }
                }
            }
        }
    }
}

/// The unmutated bases generate, so mutations start from a working document.
#[test]
fn bases_generate() {
    for real in [true, false] {
        let bytes = serialize(base(real), false);
        let options = Options { spec_path: "hostile.yaml".into(), docs: true };
        generate(&bytes, &options).unwrap_or_else(|e| panic!("{e}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that overflowed the stack (an abort, not even a panic) before the fixes
// ---------------------------------------------------------------------------------------------

/// Runs `generate` on a thread with a 2 MiB stack (the test harness's default, and what a library
/// user's spawned thread gets), so the regressions do not depend on how the harness is run.
fn check_on_small_stack(doc: Value) -> Outcome {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || check_doc(&doc, false))
        .expect("spawn")
        .join()
        .expect("no panic")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A schema property replaced by `allOf` wrappers `depth` deep.
fn with_deep_property(depth: usize, kind: u8) -> Value {
    let mut doc = real_spec().clone();
    let target = schema_nodes(&doc).into_iter().find(|p| p.iter().any(|s| s == "properties")).expect("a property");
    set(&mut doc, &target, deep_schema(depth, kind));
    doc
}

/// 40 `allOf` wrappers (80 JSON levels, inside serde_json's limit of 128) overflowed the stack in
/// `openapiv3`'s typed parse; `parse` now rejects documents nested deeper than `MAX_NESTING`.
#[test]
fn regression_deep_allof_overflowed_the_typed_parse() {
    let outcome = check_on_small_stack(with_deep_property(40, 2));
    assert!(outcome.failed && outcome.says(&["levels deep"]), "{outcome:?}");
}

/// 50 nested arrays overflowed the stack in `syn` (the emitter parses `Vec<Vec<..>>`
/// recursively); now over the JSON nesting limit.
#[test]
fn regression_deep_arrays_overflowed_the_emitter() {
    let outcome = check_on_small_stack(with_deep_property(50, 1));
    assert!(outcome.failed && outcome.says(&["levels deep"]), "{outcome:?}");
}

/// The same array nesting built from a chain of shallow array components, which no JSON nesting
/// limit sees: the builder's schema depth limit (lowered from 64 to 32) stops it.
#[test]
fn regression_array_component_chain_overflowed_the_emitter() {
    let mut doc = real_spec().clone();
    let schemas = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut).expect("schemas");
    for i in 0..60 {
        schemas.insert(
            format!("Chain{i}"),
            json!({"type": "array", "items": {"$ref": format!("#/components/schemas/Chain{}", i + 1)}}),
        );
    }
    schemas.insert("Chain60".into(), json!({"type": "string"}));
    let target = schema_nodes(&doc).into_iter().find(|p| p.iter().any(|s| s == "properties")).expect("a property");
    set(&mut doc, &target, json!({"$ref": "#/components/schemas/Chain0"}));
    let outcome = check_on_small_stack(doc);
    assert!(outcome.failed && outcome.says(&["nested more than"]), "{outcome:?}");
}

/// Just under both limits still generates on a small stack.
#[test]
fn nesting_just_under_the_limits_generates() {
    // Properties and `allOf` cost two JSON levels per schema, arrays one, the mix 5 per 3.
    for (kind, depth) in [(0, 17), (1, 30), (2, 17), (3, 20)] {
        let outcome = check_on_small_stack(with_deep_property(depth, kind));
        assert!(!outcome.failed, "kind {kind}: {outcome:?}");
    }
}

/// Two slips of the authentication document, said with their pointers rather than guessed
/// around: a security scheme named but not defined, and an operation whose only answers are a
/// redirect and `default` (decoded as the success, which the warning says).
#[test]
fn by_hand_undefined_security_and_no_2xx_answer_are_warned_about() {
    let doc = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"post": {
            "operationId": "C_a",
            "security": [{"bearer": []}, {"x-undefined": []}],
            "responses": {
                "301": {"description": "moved"},
                "default": {"description": "d", "content": {"application/json": {"schema": {"type": "object",
                    "properties": {"token": {"type": "string"}}}}}}
            }
        }}},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    });
    let bytes = serde_json::to_vec(&doc).expect("serialises");
    let generated = generate(&bytes, &Options::default()).expect("generates");
    let warnings: Vec<String> = generated.api.warnings.iter().map(ToString::to_string).collect();
    let said = |part: &str, at: &str| warnings.iter().any(|w| w.contains(part) && w.contains(at));
    assert!(said("`x-undefined` is not defined", "#/paths/~1a/post/security/1"), "{warnings:#?}");
    assert!(!said("`bearer`", "security"), "{warnings:#?}");
    assert!(said("decoded as the `default` response (the others, 301,", "#/paths/~1a/post/responses"), "{warnings:#?}");
    assert!(generated.api.operations[0].response.ty.is_some(), "the default answer is the type");
}
