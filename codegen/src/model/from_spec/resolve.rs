//! `$ref`s and JSON pointers into the raw document.
//!
//! Only references to `#/components/{schemas,parameters,requestBodies,responses}/<name>` are
//! supported: that is all the upstream spec uses, and anything else (another file, a URL, a deep
//! pointer into a schema) would make the generated names depend on document layout.

use serde_json::Value;

use crate::diagnostics;

/// A reference to a component, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentRef {
    /// `schemas`, `parameters`, `requestBodies` or `responses`.
    pub kind: String,
    /// The component's name (pointer escapes and percent-encoding decoded).
    pub name: String,
    /// The component's JSON pointer, in the form diagnostics use.
    pub pointer: String,
}

/// The value at `pointer` (`#/a/b`), if any: what `Value::pointer` finds, without allocating
/// for segments that hold no escape (the model looks up every schema it reads this way).
pub(crate) fn lookup<'a>(raw: &'a Value, pointer: &str) -> Option<&'a Value> {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    if pointer.is_empty() {
        return Some(raw);
    }
    pointer.strip_prefix('/')?.split('/').try_fold(raw, |target, segment| {
        let segment = if segment.contains('~') {
            std::borrow::Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(segment)
        };
        match target {
            Value::Object(map) => map.get(segment.as_ref()),
            // As RFC 6901 (and `Value::pointer`): no sign, no leading zero.
            Value::Array(items) if !segment.starts_with('+') && (segment == "0" || !segment.starts_with('0')) => {
                items.get(segment.parse::<usize>().ok()?)
            }
            _ => None,
        }
    })
}

/// Decodes `$ref` value `reference`, which must point at a component of kind `expected`.
/// `Err` is the message for a diagnostic at the referring pointer.
pub(crate) fn parse_ref(reference: &str, expected: &str) -> Result<ComponentRef, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!("external reference `{reference}` is not supported (only `#/components/...`)"));
    };
    let fragment = percent_decode(fragment)
        .ok_or_else(|| format!("reference `{reference}` is not valid percent-encoded UTF-8"))?;
    let segments: Vec<String> = fragment.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    match segments.as_slice() {
        [components, kind, name] if components == "components" && kind == expected => Ok(ComponentRef {
            kind: kind.clone(),
            name: name.clone(),
            pointer: diagnostics::pointer(&["components", kind, name]),
        }),
        _ => Err(format!("reference `{reference}` does not name a component under `#/components/{expected}/`")),
    }
}

/// `%XX` decoding of a URI fragment; `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_what_value_pointer_finds() {
        let doc = serde_json::json!({"a/b": {"~c": [10, 11, {"": 1}]}, "x": [0], "01": 2});
        let pointers = [
            "",
            "#",
            "#/a~1b",
            "#/a~1b/~0c/1",
            "#/a~1b/~0c/2/",
            "#/a~1b/~0c/01",
            "#/a~1b/~0c/+1",
            "#/x/0",
            "#/x/00",
            "#/01",
            "#/a~1b/~0c/3",
            "#/nope",
            "a",
            "#/x/0/deeper",
        ];
        for pointer in pointers {
            let expected = if pointer.is_empty() || pointer.starts_with("#") {
                doc.pointer(pointer.strip_prefix('#').unwrap_or(pointer))
            } else {
                doc.pointer(pointer)
            };
            assert_eq!(lookup(&doc, pointer), expected, "{pointer}");
        }
    }

    #[test]
    fn component_refs_decode() {
        let r = parse_ref("#/components/schemas/A~1B%20C", "schemas").expect("valid");
        assert_eq!(r.name, "A/B C");
        assert_eq!(r.pointer, "#/components/schemas/A~1B C");
        assert!(parse_ref("other.yaml#/components/schemas/A", "schemas").unwrap_err().contains("external"));
        assert!(parse_ref("#/components/parameters/A", "schemas").is_err());
        assert!(parse_ref("#/components/schemas/A/properties/b", "schemas").is_err());
    }
}
