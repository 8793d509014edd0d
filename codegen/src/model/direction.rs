//! Which types travel which way: taken as inputs (parameters, bodies), returned in responses, or
//! both. The Rust emitter gives only input types constructors, setters and checks (nobody builds
//! or validates a response), and the API manifest records each type's direction.

use std::collections::BTreeMap;

use crate::model::Api;
use crate::model::reach::{roots, walk};

/// Whether a type is reached from operations' inputs, responses, or both. A type reached from
/// neither (only in hand-built models) counts as both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Direction {
    /// Reached from a parameter or a request body.
    pub input: bool,
    /// Reached from a response.
    pub output: bool,
}

impl Direction {
    /// `in`, `out` or `inout`, as the manifest writes it.
    pub fn as_str(self) -> &'static str {
        match (self.input, self.output) {
            (true, false) => "in",
            (false, true) => "out",
            _ => "inout",
        }
    }

    /// The serde traits a generated struct or `oneOf` of this direction derives (without the
    /// sdk's `full-serde` feature, which adds the other): `Serialize` for a type only sent,
    /// `Deserialize` for one only received, both otherwise. Open enums implement both always.
    pub fn serde_traits(self) -> &'static [&'static str] {
        match (self.input, self.output) {
            (true, false) => &["Serialize"],
            (false, true) => &["Deserialize"],
            _ => &["Serialize", "Deserialize"],
        }
    }

    /// True when users build values of the type (it is an input, or its direction is unknown).
    pub fn is_built(self) -> bool {
        self.input || !self.output
    }
}

/// The direction `directions` gives the type called `name`. A type reached from nowhere (only in
/// hand-built models) counts as both, the stricter way.
pub fn direction_of(directions: &BTreeMap<&str, Direction>, name: &str) -> Direction {
    directions.get(name).copied().unwrap_or_default()
}

/// The direction of every type an operation reaches: from each input's type (parameters and the
/// whole body) as `in`, from each response's as `out`.
pub fn directions(api: &Api) -> BTreeMap<&str, Direction> {
    let mut found: BTreeMap<&str, Direction> = BTreeMap::new();
    for op in &api.operations {
        let (inputs, output) = roots(op);
        let marked = inputs.map(|ty| (ty, true)).chain(output.map(|ty| (ty, false)));
        for (ty, input) in marked {
            walk(api, ty, |def| {
                let direction = found.entry(def.name.as_str()).or_default();
                let seen = if input { &mut direction.input } else { &mut direction.output };
                !std::mem::replace(seen, true)
            });
        }
    }
    found
}
