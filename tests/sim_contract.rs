//! Contract test: every GET endpoint of the simulator answers JSON that
//! validates against the response schema of the OpenAPI spec.
//!
//! OpenAPI 3.0 `nullable: true` is turned into JSON-Schema `null` types.
//! The local-files playlist is left out on purpose: the real service sends
//! `null` album fields there that the spec does not allow.

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use spotdeck::sim::{self, SimOptions};

fn spec_path() -> PathBuf {
    match std::env::var("SPOTDECK_OPENAPI") {
        Ok(p) => PathBuf::from(p),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference/spotify-openapi/fixed-spotify-open-api.yml"),
    }
}

/// Rewrites OpenAPI 3.0 schema dialect into JSON Schema.
fn convert(v: &Value) -> Value {
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

struct Spec {
    doc: Value,
    components: Value,
}

impl Spec {
    fn load() -> Self {
        let text = std::fs::read_to_string(spec_path()).expect("read the OpenAPI spec");
        let doc: Value = serde_norway::from_str(&text).expect("parse YAML");
        let components = convert(&doc["components"]);
        Self { doc, components }
    }

    /// The JSON schema of the 200 response of `GET path`.
    fn schema(&self, path: &str) -> Value {
        let mut resp = &self.doc["paths"][path]["get"]["responses"]["200"];
        if let Some(r) = resp.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().expect("ref name");
            resp = &self.doc["components"]["responses"][name];
        }
        let schema = convert(&resp["content"]["application/json"]["schema"]);
        assert!(!schema.is_null(), "no schema for {path}");
        let mut root = Map::new();
        root.insert("components".into(), self.components.clone());
        match schema {
            Value::Object(o) => root.extend(o),
            other => panic!("unexpected schema {other}"),
        }
        Value::Object(root)
    }
}

#[tokio::test]
async fn get_responses_match_the_openapi_schemas() {
    let spec = Spec::load();
    let h = sim::start(SimOptions::default()).await.expect("sim");
    let c = reqwest::Client::new();
    let t = h.demo_token();
    let api = h.api_base();
    // Play an episode-bearing context so the episode shape is covered too.
    let (m, f) = (sim::PLAYLIST_MORNING, sim::PLAYLIST_FOCUS);
    let cases: Vec<(&str, String)> = vec![
        ("/me", "/me".into()),
        ("/me/player", "/me/player?additional_types=episode".into()),
        ("/me/player/devices", "/me/player/devices".into()),
        (
            "/me/player/currently-playing",
            "/me/player/currently-playing".into(),
        ),
        (
            "/me/player/recently-played",
            "/me/player/recently-played?limit=5".into(),
        ),
        ("/me/player/queue", "/me/player/queue".into()),
        ("/playlists/{playlist_id}", format!("/playlists/{m}")),
        ("/playlists/{playlist_id}", format!("/playlists/{f}")),
        (
            "/playlists/{playlist_id}/items",
            format!("/playlists/{f}/items?limit=50"),
        ),
        (
            "/playlists/{playlist_id}/tracks",
            format!("/playlists/{m}/tracks?limit=100"),
        ),
        (
            "/playlists/{playlist_id}/images",
            format!("/playlists/{m}/images"),
        ),
        ("/me/playlists", "/me/playlists".into()),
        (
            "/users/{user_id}/playlists",
            "/users/crate-digger/playlists".into(),
        ),
        (
            "/browse/featured-playlists",
            "/browse/featured-playlists".into(),
        ),
        (
            "/browse/categories/{category_id}/playlists",
            "/browse/categories/chill/playlists".into(),
        ),
    ];
    let mut failures = Vec::new();
    for (spec_path, url) in &cases {
        let schema = spec.schema(spec_path);
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("schema for {spec_path} does not compile: {e}"));
        let r = c
            .get(format!("{api}{url}"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200, "GET {url}");
        let body: Value = r.json().await.expect("json");
        for e in validator.iter_errors(&body) {
            failures.push(format!("GET {url}: {} at {}", e, e.instance_path()));
        }
    }
    // The validator must be able to fail: a broken body is rejected.
    let schema = spec.schema("/me/player/devices");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    assert!(!validator.is_valid(&json!({"devices": [{"id": 5, "volume_percent": "loud"}]})));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
