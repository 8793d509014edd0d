//! The numbers the READMEs state about the APIs (operations, groups) are the model's: a curated
//! group or a new upstream document that changes them fails here until the prose says so.

use std::collections::BTreeSet;

use genauth_codegen::Options;

use crate::real_spec::{layers_of, root};

/// How many operations and groups the document `name` gets, from the model the xtask builds.
fn counts(name: &str) -> (usize, usize) {
    let path = format!("spec/{name}-openapi.json");
    let bytes = std::fs::read(root().join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let options = Options { spec_path: path, docs: false };
    let (generated, _) = genauth_codegen::generate_layered(&bytes, &layers_of(name), &options)
        .unwrap_or_else(|e| panic!("{name} does not generate: {e}"));
    let groups: BTreeSet<&str> = generated.api.operations.iter().map(|op| op.group.slug.as_str()).collect();
    (generated.api.operations.len(), groups.len())
}

#[test]
fn the_readmes_state_the_models_operation_and_group_counts() {
    let (management_ops, management_groups) = counts("management");
    let (authentication_ops, authentication_groups) = counts("authentication");
    let expected = [
        format!("{management_ops} operations in {management_groups} groups"),
        format!("{authentication_ops} operations in {authentication_groups} groups"),
    ];
    for readme in ["README.md", "sdk/README.md"] {
        let text = std::fs::read_to_string(root().join(readme)).unwrap_or_else(|e| panic!("{readme}: {e}"));
        // Prose wraps lines: compare with every run of whitespace as one space.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for phrase in &expected {
            assert!(text.contains(phrase.as_str()), "{readme} does not say {phrase:?}");
        }
        if readme == "sdk/README.md" {
            let total = format!(
                "{} in all: {management_groups} of the Management API, {authentication_groups} of",
                management_groups + authentication_groups
            );
            assert!(text.contains(&total), "{readme} does not say {total:?}");
        }
    }
}
