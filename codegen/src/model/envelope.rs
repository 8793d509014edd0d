//! The API's response envelope. Almost every GenAuth response is `{statusCode, message, apiCode,
//! requestId, data}`, and the spec declares each one as a schema of its own (`AppListRespDto`,
//! `UserSingleRespDto`, ... about 230 of them) that differs from the others only in `data`. The
//! sdk has one generic `Envelope<T>` instead, and such a schema is a type alias of it
//! (`pub type AppListRespDto = Envelope<Vec<AppDto>>`): the names stay, and the crate no longer
//! compiles a decoder per response (they were two fifths of its decoded fields).
//!
//! The Rust emitter writes the alias and the manifest records the type as an `envelope`, both by
//! [`envelope_data`], so that what is generated and what the upgrade report compares agree.

use super::direction::Direction;
use super::{Field, TypeDef, TypeKind, TypeRef};

/// One of the envelope's fields before `data`, as the runtime's `Envelope<T>` declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadField {
    /// Name on the wire.
    pub wire: &'static str,
    /// Name in Rust.
    pub rust: &'static str,
    /// An integer (`i64`); otherwise a string.
    pub integer: bool,
    /// Required (otherwise an `Option`).
    pub required: bool,
    /// A schema may leave it out and still be the envelope (it only gains the field then).
    pub may_be_absent: bool,
}

/// `Envelope<T>`'s fields before `data`, in its order.
pub const HEAD: [HeadField; 4] = [
    HeadField { wire: "statusCode", rust: "status_code", integer: true, required: true, may_be_absent: false },
    HeadField { wire: "message", rust: "message", integer: false, required: true, may_be_absent: false },
    HeadField { wire: "apiCode", rust: "api_code", integer: true, required: false, may_be_absent: false },
    HeadField { wire: "requestId", rust: "request_id", integer: false, required: false, may_be_absent: true },
];

/// The `data` field of `t` when `t` is exactly the envelope the runtime's `Envelope<T>` decodes,
/// and so is emitted as an alias of it; `None` for any other type. Exactly means:
/// - only received (an alias of `Envelope<T>` derives `Serialize` only with `full-serde`);
/// - an object whose fields are [`HEAD`]'s (same wire and Rust names, types and presence; only
///   `requestId` may be absent) and `data`, required, of any type;
/// - none of them nullable or deprecated (the envelope's fields are neither).
pub fn envelope_data(t: &TypeDef, direction: Direction) -> Option<&Field> {
    let TypeKind::Struct(s) = &t.kind else { return None };
    if direction.input || !direction.output {
        return None;
    }
    let mut data = None;
    let mut seen = [false; HEAD.len()];
    for f in &s.fields {
        if f.nullable || f.deprecated {
            return None;
        }
        if f.wire_name == "data" && f.required && data.is_none() {
            data = Some(f);
            continue;
        }
        let slot = HEAD.iter().position(|h| h.wire == f.wire_name)?;
        let head = HEAD[slot];
        let typed =
            if head.integer { matches!(f.ty, TypeRef::Integer { .. }) } else { matches!(f.ty, TypeRef::String { .. }) };
        // The Rust names are the envelope's own: a schema renaming them is not this envelope.
        if !typed || f.required != head.required || f.rust_name != head.rust || std::mem::replace(&mut seen[slot], true)
        {
            return None;
        }
    }
    let complete = HEAD.iter().zip(seen).all(|(head, seen)| seen || head.may_be_absent);
    if complete { data } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{StructDef, Text};

    fn envelope_fields() -> Vec<Field> {
        vec![
            Field::plain("statusCode", "status_code", TypeRef::Integer { format: None }, true),
            Field::plain("message", "message", TypeRef::String { format: None }, true),
            Field::plain("apiCode", "api_code", TypeRef::Integer { format: None }, false),
            Field::plain("requestId", "request_id", TypeRef::String { format: None }, false),
            Field::plain("data", "data", TypeRef::Array(Box::new(TypeRef::Named("AppDto".to_owned()))), true),
        ]
    }

    fn type_of(fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: "AppListRespDto".to_owned(),
            origin: "AppListRespDto".to_owned(),
            description: Text::default(),
            example: None,
            deprecated: false,
            pointer: "#/components/schemas/AppListRespDto".to_owned(),
            kind: TypeKind::Struct(StructDef { fields }),
        }
    }

    const OUT: Direction = Direction { input: false, output: true };

    #[test]
    fn the_envelope_shape_received_is_an_envelope_of_its_data() {
        let t = type_of(envelope_fields());
        assert_eq!(envelope_data(&t, OUT).map(|f| f.wire_name.as_str()), Some("data"));
        // Field order does not matter; `requestId` may be left out.
        let mut fields = envelope_fields();
        fields.reverse();
        fields.retain(|f| f.wire_name != "requestId");
        assert!(envelope_data(&type_of(fields), OUT).is_some());
    }

    #[test]
    fn anything_else_stays_a_struct() {
        let t = type_of(envelope_fields());
        // Sent, or both ways: the alias would lack `Serialize`.
        assert!(envelope_data(&t, Direction { input: true, output: true }).is_none());
        assert!(envelope_data(&t, Direction { input: true, output: false }).is_none());
        assert!(envelope_data(&t, Direction::default()).is_none(), "reached from nowhere counts as both");
        let changed = |change: &dyn Fn(&mut Vec<Field>)| {
            let mut fields = envelope_fields();
            change(&mut fields);
            envelope_data(&type_of(fields), OUT).is_some()
        };
        assert!(!changed(&|f| f.retain(|f| f.wire_name != "data")), "no data");
        assert!(!changed(&|f| f[4].required = false), "optional data");
        assert!(!changed(&|f| f[4].nullable = true), "nullable data");
        assert!(!changed(&|f| f[0].required = false), "optional statusCode");
        assert!(!changed(&|f| f[1].ty = TypeRef::Any), "message of another type");
        assert!(!changed(&|f| f[2].required = true), "required apiCode");
        assert!(!changed(&|f| f[3].deprecated = true), "deprecated requestId");
        assert!(!changed(&|f| f.retain(|f| f.wire_name != "apiCode")), "no apiCode");
        assert!(!changed(&|f| f[1].rust_name = "msg".to_owned()), "renamed field");
        assert!(!changed(&|f| f.push(Field::plain("total", "total", TypeRef::Boolean, false))), "one more field");
        assert!(!changed(&|f| f.push(f[0].clone())), "a field twice");
        assert!(!changed(&|f| f.push(f[4].clone())), "data twice");
        let one_of = TypeDef { kind: TypeKind::OneOf(crate::model::OneOfDef { variants: vec![] }), ..t };
        assert!(envelope_data(&one_of, OUT).is_none());
    }
}
