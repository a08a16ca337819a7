//! Contract test: every GET endpoint of the simulator answers JSON that
//! validates against the response schema of the OpenAPI spec.
//!
//! OpenAPI 3.0 `nullable: true` is turned into JSON-Schema `null` types.
//! The local-files playlist is left out on purpose: the real service sends
//! `null` album fields there that the spec does not allow.

mod contract_support;

use contract_support::{convert, rooted};
use serde_json::{Value, json};
use spotdeck::sim::{self, SimOptions};

struct Spec {
    doc: Value,
    components: Value,
}

impl Spec {
    fn load() -> Self {
        let doc = contract_support::load();
        let components = convert(&doc["components"]);
        Self { doc, components }
    }

    /// The JSON schema of a shared response (`TooManyRequests`, …).
    fn response(&self, name: &str) -> Value {
        let schema = convert(
            &self.doc["components"]["responses"][name]["content"]["application/json"]["schema"],
        );
        rooted(&self.components, schema)
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
        rooted(&self.components, schema)
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
        ("/me", "/me/".into()),
        (
            "/me/player/recently-played",
            "/me/player/recently-played?limit=5&after=0".into(),
        ),
        (
            "/playlists/{playlist_id}/items",
            format!(
                "/playlists/{m}/items?limit=50&offset=10&fields=items,next,total,limit,offset,href,previous"
            ),
        ),
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

#[tokio::test]
async fn refusals_use_the_regular_error_object() {
    let spec = Spec::load();
    let validator = jsonschema::validator_for(&spec.response("TooManyRequests")).expect("compiles");
    let h = sim::start(SimOptions {
        faults: vec!["quota=1/60".parse().expect("spec")],
        ..SimOptions::default()
    })
    .await
    .expect("sim");
    let c = reqwest::Client::new();
    let t = h.demo_token();
    let api = h.api_base();
    let t = t.as_str();
    let send = |rb: reqwest::RequestBuilder| async move {
        let r = rb.bearer_auth(t).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    };
    let mut bodies = Vec::new();
    bodies.push(send(c.get(format!("{api}/me"))).await);
    bodies.push(send(c.get(format!("{api}/me"))).await);
    h.clear_faults();
    bodies.push(
        send(
            c.post(format!("{api}/me/playlists"))
                .json(&json!({"name": "x", "public": "false"})),
        )
        .await,
    );
    let statuses: Vec<u16> = bodies.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [200, 429, 400]);
    assert_eq!(bodies[1].1["error"]["reason"], "QUOTA_EXCEEDED");
    for (status, body) in &bodies[1..] {
        let errs: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{status}: {body}: {errs:?}");
    }
}
