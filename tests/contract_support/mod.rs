//! The OpenAPI spec for the contract tests: loading it and turning its
//! OpenAPI 3.0 schemas into JSON Schema that `jsonschema` compiles.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Map, Value, json};

/// Where the spec is: `SPOTDECK_OPENAPI`, else the shared reference copy.
pub fn spec_path() -> PathBuf {
    match std::env::var("SPOTDECK_OPENAPI") {
        Ok(p) => PathBuf::from(p),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference/spotify-openapi/fixed-spotify-open-api.yml"),
    }
}

/// The spec as JSON.
pub fn load() -> Value {
    let path = spec_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "OpenAPI spec at {} (set SPOTDECK_OPENAPI): {e}",
            path.display()
        )
    });
    serde_norway::from_str(&text).expect("spec parses")
}

/// Rewrites OpenAPI 3.0 schema dialect into JSON Schema
/// (`nullable: true` becomes a `null` type).
pub fn convert(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                if k == "nullable" || k == "discriminator" || k == "example" {
                    continue;
                }
                out.insert(k.clone(), convert(x));
            }
            if o.get("nullable") == Some(&Value::Bool(true)) {
                match out.get("type").cloned() {
                    Some(Value::String(t)) => {
                        out.insert("type".into(), json!([t, "null"]));
                        if let Some(Value::Array(e)) = out.get_mut("enum") {
                            e.push(Value::Null);
                        }
                    }
                    _ => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(convert).collect()),
        other => other.clone(),
    }
}

/// `schema` (already converted) as a root document carrying the spec's
/// converted `components`, so `$ref`s resolve.
pub fn rooted(components: &Value, schema: Value) -> Value {
    let mut root = Map::new();
    root.insert("components".into(), components.clone());
    match schema {
        Value::Object(o) => root.extend(o),
        other => panic!("unexpected schema {other}"),
    }
    Value::Object(root)
}
