//! The OpenAPI contract (`SPOTDECK_OPENAPI`) as a checker of requests and
//! responses: path template and method, query parameters (declared, typed,
//! required), request bodies (content type and JSON schema) and response
//! bodies (status declared, JSON schema, empty bodies where none is declared).
//!
//! OpenAPI 3.0 `nullable: true` is turned into JSON-Schema `null` types.
//! Error statuses the spec does not list per operation (400, 404, 5xx: the
//! real service answers them everywhere) must carry the common error body
//! `{"error": ErrorObject}`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Map, Value, json};

/// Where the spec lives: `SPOTDECK_OPENAPI`, else `../shared/reference/…`.
pub fn spec_path() -> PathBuf {
    match std::env::var("SPOTDECK_OPENAPI") {
        Ok(p) => PathBuf::from(p),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference/spotify-openapi/fixed-spotify-open-api.yml"),
    }
}

/// Rewrites OpenAPI 3.0 schema dialect into JSON Schema.
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

/// One HTTP exchange as the checker sees it.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    /// `GET`, `PUT`…
    pub method: String,
    /// Path including `/v1`.
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// Request `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Request body.
    pub body: Vec<u8>,
    /// Response status.
    pub status: u16,
    /// Response `Content-Type`, if any.
    pub response_type: Option<String>,
    /// Response body.
    pub response: Vec<u8>,
}

impl Exchange {
    /// `"METHOD /path"`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The loaded spec with a cache of compiled validators.
pub struct Spec {
    doc: Value,
    components: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// Does `/v1/...` match the template `/playlists/{playlist_id}/items`?
fn matches_template(path: &str, template: &str) -> bool {
    let a: Vec<&str> = path.trim_start_matches("/v1").split('/').collect();
    let b: Vec<&str> = template.split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, t)| (t.starts_with('{') && !x.is_empty()) || x == t)
}

fn media_type(ct: &str) -> &str {
    ct.split(';').next().unwrap_or(ct).trim()
}

impl Spec {
    /// Reads and parses the spec; fails the test when it is missing.
    pub fn load() -> Spec {
        let path = spec_path();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "OpenAPI spec at {} (set SPOTDECK_OPENAPI): {e}",
                path.display()
            )
        });
        let doc: Value = serde_norway::from_str(&text).expect("the spec parses");
        let components = convert(&doc["components"]);
        Spec {
            doc,
            components,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The spec as development-mode apps see it since February 2026: the
    /// fields Spotify stopped sending ([`DEV_MODE_2026_REMOVED`]) are no
    /// longer required anywhere; everything else stays as declared.
    pub fn dev_mode_2026() -> Spec {
        let mut spec = Spec::load();
        drop_required(&mut spec.components, &DEV_MODE_2026_REMOVED);
        spec
    }

    /// Follows a local `$ref`.
    pub fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let mut cur = &self.doc;
                for part in r.trim_start_matches("#/").split('/') {
                    cur = &cur[part];
                }
                cur
            }
            None => v,
        }
    }

    /// The spec's template for a concrete `/v1/...` path (the most literal match).
    pub fn template(&self, path: &str) -> Option<String> {
        self.doc["paths"]
            .as_object()?
            .keys()
            .filter(|t| matches_template(path, t))
            .min_by_key(|t| t.matches('{').count())
            .cloned()
    }

    /// `"METHOD template"` of every operation the spec declares.
    pub fn operations(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (t, item) in self.doc["paths"].as_object().into_iter().flatten() {
            for m in ["get", "put", "post", "delete", "patch"] {
                if item.get(m).is_some() {
                    out.push(format!("{} {t}", m.to_ascii_uppercase()));
                }
            }
        }
        out
    }

    fn operation(&self, method: &str, path: &str) -> Result<(String, &Value, &Value), String> {
        let template = self
            .template(path)
            .ok_or_else(|| format!("{method} {path}: no such path in the spec"))?;
        let item = &self.doc["paths"][&template];
        let op = item
            .get(method.to_ascii_lowercase())
            .ok_or_else(|| format!("{method} {path}: the spec has no {method} on {template}"))?;
        Ok((template, item, op))
    }

    fn validator(&self, key: &str, schema: &Value) -> Arc<jsonschema::Validator> {
        let mut cache = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = cache.get(key) {
            return v.clone();
        }
        let mut root = Map::new();
        root.insert("components".into(), self.components.clone());
        match convert(schema) {
            Value::Object(o) => root.extend(o),
            other => panic!("{key}: unexpected schema {other}"),
        }
        let v = Arc::new(
            jsonschema::validator_for(&Value::Object(root))
                .unwrap_or_else(|e| panic!("schema for {key} does not compile: {e}")),
        );
        cache.insert(key.to_string(), v.clone());
        v
    }

    fn validate(&self, key: &str, schema: &Value, body: &Value) -> Vec<String> {
        let v = self.validator(key, schema);
        let mut out: Vec<String> = v
            .iter_errors(body)
            .map(|e| {
                // The message quotes the instance, which may be a whole page.
                let msg = e.to_string();
                let msg = if msg.chars().count() > 300 {
                    let head: String = msg.chars().take(120).collect();
                    let tail: Vec<char> = msg.chars().rev().take(120).collect();
                    format!("{head} … {}", tail.into_iter().rev().collect::<String>())
                } else {
                    msg
                };
                format!("{key}: at {}: {msg}", e.instance_path())
            })
            .collect();
        if out.len() > 5 {
            let more = out.len() - 5;
            out.truncate(5);
            out.push(format!("{key}: … and {more} more"));
        }
        out
    }

    /// Checks the request half of `x`; returns its `"METHOD template"`.
    pub fn check_request(&self, x: &Exchange) -> Result<String, String> {
        let (method, path) = (x.method.as_str(), x.path.as_str());
        let (template, item, op) = self.operation(method, path)?;
        let key = format!("{method} {template}");
        let mut params: Vec<&Value> = Vec::new();
        for list in [item.get("parameters"), op.get("parameters")]
            .into_iter()
            .flatten()
        {
            for p in list.as_array().into_iter().flatten() {
                params.push(self.resolve(p));
            }
        }
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(x.query.as_deref().unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        for p in params.iter().filter(|p| p["in"] == "query") {
            if p["required"] == true && !query.iter().any(|(k, _)| p["name"] == k.as_str()) {
                return Err(format!(
                    "{key}: required query parameter `{}` is missing",
                    p["name"].as_str().unwrap_or("?")
                ));
            }
        }
        for (name, value) in &query {
            let decl = params
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == name.as_str())
                .ok_or_else(|| format!("{key}: query parameter `{name}` is not declared"))?;
            check_value(&key, name, value, self.resolve(&decl["schema"]))?;
        }
        self.check_request_body(&key, op, x)?;
        Ok(key)
    }

    fn check_request_body(&self, key: &str, op: &Value, x: &Exchange) -> Result<(), String> {
        let decl = op.get("requestBody").map(|b| self.resolve(b));
        let Some(decl) = decl else {
            return if x.body.is_empty() {
                Ok(())
            } else {
                Err(format!("{key}: sends a body the spec does not declare"))
            };
        };
        if x.body.is_empty() {
            return if decl["required"] == true {
                Err(format!("{key}: the required body is missing"))
            } else {
                Ok(())
            };
        }
        let ct = x
            .content_type
            .as_deref()
            .map(media_type)
            .ok_or_else(|| format!("{key}: body without a Content-Type"))?;
        let content = &decl["content"][ct];
        if content.is_null() {
            return Err(format!("{key}: body of type {ct} is not declared"));
        }
        match ct {
            "application/json" => {
                let body: Value = serde_json::from_slice(&x.body)
                    .map_err(|e| format!("{key}: the body is not JSON: {e}"))?;
                let errors = self.validate(&format!("{key} body"), &content["schema"], &body);
                if errors.is_empty() {
                    Ok(())
                } else {
                    Err(format!("{}\n  body: {body}", errors.join("\n")))
                }
            }
            "image/jpeg" => {
                let jpeg = base64::engine::general_purpose::STANDARD
                    .decode(&x.body)
                    .map_err(|e| format!("{key}: the body is not base64: {e}"))?;
                if !jpeg.starts_with(&[0xFF, 0xD8]) {
                    return Err(format!("{key}: the decoded body is not a JPEG"));
                }
                if x.body.len() > 256 * 1024 {
                    return Err(format!("{key}: {} bytes (limit 256 KB)", x.body.len()));
                }
                Ok(())
            }
            other => Err(format!("{key}: no checker for bodies of type {other}")),
        }
    }

    /// Checks the response half of `x`; returns its `"METHOD template"`.
    pub fn check_response(&self, x: &Exchange) -> Result<String, String> {
        let (template, _, op) = self.operation(&x.method, &x.path)?;
        let key = format!("{} {template}", x.method);
        let status = x.status.to_string();
        let declared = &op["responses"][&status];
        let (schema, skey) = if declared.is_null() {
            if x.status == 304 && x.method == "GET" {
                return if x.response.is_empty() {
                    Ok(key)
                } else {
                    Err(format!("{key}: 304 with a body"))
                };
            }
            if !(x.status == 400 || x.status == 404 || x.status >= 500) {
                return Err(format!("{key}: status {status} is not declared"));
            }
            let s = json!({
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"$ref": "#/components/schemas/ErrorObject"}}
            });
            (s, "common error body".to_string())
        } else {
            let resp = self.resolve(declared);
            let schema = resp["content"]["application/json"]["schema"].clone();
            (schema, format!("{key} {status}"))
        };
        if schema.is_null() {
            return if x.response.is_empty() {
                Ok(key)
            } else {
                Err(format!(
                    "{key} {status}: a body where the spec declares none: {}",
                    String::from_utf8_lossy(&x.response)
                ))
            };
        }
        let ct = x.response_type.as_deref().map(media_type);
        if ct != Some("application/json") {
            return Err(format!("{key} {status}: Content-Type {ct:?}, not JSON"));
        }
        let mut body: Value = serde_json::from_slice(&x.response)
            .map_err(|e| format!("{key} {status}: not JSON: {e}"))?;
        fill_local_file_nulls(&mut body);
        let errors = self.validate(&skey, &schema, &body);
        if errors.is_empty() {
            Ok(key)
        } else {
            Err(errors.join("\n"))
        }
    }
}

/// Fields removed for development-mode apps in February 2026
/// (`api-notes/changes-and-quirks.md`: user `country`, `email`,
/// `explicit_content`, `followers`, `product`; track/album
/// `available_markets`, `popularity`, `linked_from`; artist `followers`,
/// `popularity`, `genres`; show `available_markets`, `publisher`).
pub const DEV_MODE_2026_REMOVED: [&str; 10] = [
    "country",
    "email",
    "explicit_content",
    "followers",
    "product",
    "available_markets",
    "popularity",
    "linked_from",
    "genres",
    "publisher",
];

/// Removes `names` from every `required` list below `v`.
fn drop_required(v: &mut Value, names: &[&str]) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(req)) = o.get_mut("required") {
                req.retain(|r| !r.as_str().is_some_and(|n| names.contains(&n)));
            }
            for x in o.values_mut() {
                drop_required(x, names);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| drop_required(x, names)),
        _ => {}
    }
}

/// A local-file track (`is_local: true`) carries `null` where the spec
/// declares strings (`api-notes/endpoints.md`, "Local-file tracks"): its
/// `id`, `href`, `preview_url`; its album's `id`, `href`, `uri`,
/// `album_type`, `release_date`, `release_date_precision`; its artists'
/// `id`, `href`, `uri`; the album also has no `total_tracks` (as in the
/// real answer quoted in home-assistant/core#130170). Exactly those are
/// filled with values of the declared type before validation; any other
/// null or missing field still fails.
fn fill_local_file_nulls(v: &mut Value) {
    fn fill(o: &mut Map<String, Value>, fields: &[(&str, &str)]) {
        for (k, with) in fields {
            if o.get(*k).is_some_and(Value::is_null) {
                o.insert((*k).to_string(), json!(with));
            }
        }
    }
    match v {
        Value::Object(o) => {
            if o.get("is_local") == Some(&Value::Bool(true)) && o.contains_key("album") {
                fill(
                    o,
                    &[("id", "local"), ("href", "local"), ("preview_url", "local")],
                );
                if let Some(Value::Object(album)) = o.get_mut("album") {
                    fill(
                        album,
                        &[
                            ("id", "local"),
                            ("href", "local"),
                            ("uri", "local"),
                            ("album_type", "album"),
                            ("release_date", "2000"),
                            ("release_date_precision", "year"),
                        ],
                    );
                    album.entry("total_tracks").or_insert(json!(0));
                }
                if let Some(Value::Array(artists)) = o.get_mut("artists") {
                    for a in artists.iter_mut().filter_map(Value::as_object_mut) {
                        fill(a, &[("id", "local"), ("href", "local"), ("uri", "local")]);
                    }
                }
            }
            o.values_mut().for_each(fill_local_file_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(fill_local_file_nulls),
        _ => {}
    }
}

/// Checks one query value against its declared type, range and enum.
fn check_value(key: &str, name: &str, value: &str, schema: &Value) -> Result<(), String> {
    match schema["type"].as_str() {
        Some("integer") => {
            let n: i64 = value
                .parse()
                .map_err(|_| format!("{key}: `{name}={value}` is not an integer"))?;
            if let Some(min) = schema["minimum"].as_i64()
                && n < min
            {
                return Err(format!("{key}: `{name}={n}` is below the minimum {min}"));
            }
            if let Some(max) = schema["maximum"].as_i64()
                && n > max
            {
                return Err(format!("{key}: `{name}={n}` is above the maximum {max}"));
            }
        }
        Some("boolean") if value != "true" && value != "false" => {
            return Err(format!("{key}: `{name}={value}` is not a boolean"));
        }
        _ => {}
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.iter().any(|a| a.as_str() == Some(value))
    {
        return Err(format!("{key}: `{name}={value}` is not one of {allowed:?}"));
    }
    Ok(())
}
