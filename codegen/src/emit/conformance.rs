//! The conformance calls: one call per operation, with the inputs of its docs sample (the
//! spec's examples), which the conformance test (`tests/tests/heavy/conformance.rs`) sends through
//! the sdk to a mock server that validates each request against the spec and serves responses from it.
//!
//! Generated, because the calls must follow the API: a new operation upstream is exercised from
//! the next `cargo xtask codegen` on, with nobody writing a test for it.

use std::collections::BTreeSet;

use crate::GeneratedFile;
use crate::emit::sample::call_chain;
use crate::model::Api;

/// Where the file goes, relative to the workspace root.
pub const PATH: &str = "tests/src/generated/conformance_calls.rs";

/// The file: `OPERATIONS` (every method name, in model order) and `call(client, name)`, which
/// hands back the decoded response encoded again, so the run can tell a field the types dropped.
pub fn emit(api: &Api, header: &str) -> GeneratedFile {
    let mut imports = BTreeSet::new();
    let mut arms = String::new();
    for op in &api.operations {
        let (chain, used) = call_chain(api, op);
        imports.extend(used);
        // Boxed: one state machine holding every operation's future would overflow the stack.
        arms.push_str(&format!("{:?} => Box::pin({chain}.send()).await.map(encoded),\n", op.name));
    }
    let names: Vec<String> = api.operations.iter().map(|op| format!("{:?}", op.name)).collect();
    let imports: Vec<String> = imports.into_iter().collect();
    let imports =
        if imports.is_empty() { String::new() } else { format!("use genauth::types::{{{}}};\n", imports.join(", ")) };
    let source = format!(
        "//! One call per operation, with the inputs its docs sample uses (the spec's examples), for the\n\
         //! conformance run (`tests/tests/heavy/conformance.rs`).\n\
         #![allow(deprecated)]\n\
         {imports}\
         use genauth::{{Error, {client}}};\n\
         /// The method name of every operation.\n\
         pub const OPERATIONS: &[&str] = &[{names}];\n\
         /// Calls the operation `name` once and returns its decoded response encoded again as JSON (to\n\
         /// compare with what the server sent); `None` when there is no such operation.\n\
         pub async fn call(client: &{client}, name: &str) -> Option<Result<serde_json::Value, Error>> {{\n\
         Some(match name {{\n{arms}_ => return None,\n}})\n}}\n\
         fn encoded(response: impl serde::Serialize) -> serde_json::Value {{\n\
         serde_json::to_value(response).expect(\"a decoded response encodes again\")\n}}\n",
        client = api.client_name,
        names = names.join(", "),
    );
    let file = syn::parse_file(&source)
        .unwrap_or_else(|e| panic!("genauth-codegen bug: the conformance calls do not parse: {e}"));
    GeneratedFile { path: PATH.to_owned(), contents: format!("// {header}\n{}", prettyplease::unparse(&file)) }
}
