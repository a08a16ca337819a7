//! Contract test of search, the saved library and the album, artist and
//! show pages: every new simulator answer validates against the OpenAPI
//! spec's response schema (errors against the error object), and every
//! request the client sends for them uses a declared method, path and query
//! parameters with values of the declared type, range and enum.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod contract_support;

use std::sync::Arc;

use contract_support::{convert, load as load_spec, rooted};
use serde_json::{Value, json};
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::{Client, SearchType};
use spotdeck::token::{AccessToken, StaticToken};

/// Follows a `$ref` inside the spec.
fn deref<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    let Some(r) = v.get("$ref").and_then(Value::as_str) else {
        return v;
    };
    r.trim_start_matches("#/")
        .split('/')
        .fold(spec, |cur, part| &cur[part])
}

/// A validator for `schema`, with the spec's components in reach of `$ref`s.
fn validator(spec: &Value, schema: &Value) -> jsonschema::Validator {
    let root = rooted(&convert(&spec["components"]), convert(schema));
    jsonschema::validator_for(&root).expect("schema compiles")
}

/// The 200 schema of `method template`.
fn ok_schema<'a>(spec: &'a Value, method: &str, template: &str) -> &'a Value {
    let op = &spec["paths"][template][method];
    assert!(op.is_object(), "the spec has no {method} {template}");
    let resp = deref(spec, &op["responses"]["200"]);
    let schema = &resp["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "no JSON 200 schema for {method} {template}"
    );
    schema
}

async fn rig() -> (SimHandle, Client, String) {
    let sim = sim::start(SimOptions::default()).await.unwrap();
    let token = sim.issue_full_token();
    let c = Client::new(
        &sim.api_base(),
        Arc::new(StaticToken(AccessToken::bare(token.clone()))),
    )
    .unwrap();
    (sim, c, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_answers_match_the_spec() {
    let spec = load_spec();
    let (sim, _, token) = rig().await;
    let (album, artist, show) = sim.demo_catalog_ids();
    let track = sim.track_id_named("Golden Harbors").unwrap_or_default();
    let http = reqwest::Client::new();
    let api = sim.api_base();
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "get",
            "/search",
            "/search?q=golden&type=track,album,artist,playlist,show,episode&limit=10".into(),
        ),
        (
            "get",
            "/search",
            "/search?q=zoe%20angstrom&type=artist,track".into(),
        ),
        (
            "get",
            "/search",
            "/search?q=terminal&type=show,episode&offset=0".into(),
        ),
        (
            "get",
            "/me/tracks",
            "/me/tracks?limit=50&offset=1990".into(),
        ),
        ("get", "/me/albums", "/me/albums?limit=5".into()),
        ("get", "/me/shows", "/me/shows".into()),
        (
            "get",
            "/me/following",
            "/me/following?type=artist&limit=3".into(),
        ),
        ("get", "/tracks/{id}", format!("/tracks/{track}")),
        ("get", "/albums/{id}", format!("/albums/{album}")),
        (
            "get",
            "/albums/{id}/tracks",
            format!("/albums/{album}/tracks?limit=2&offset=1"),
        ),
        ("get", "/artists/{id}", format!("/artists/{artist}")),
        (
            "get",
            "/artists/{id}/albums",
            format!("/artists/{artist}/albums?include_groups=album,single&limit=10"),
        ),
        (
            "get",
            "/artists/{id}/top-tracks",
            format!("/artists/{artist}/top-tracks"),
        ),
        (
            "get",
            "/artists/{id}/related-artists",
            format!("/artists/{artist}/related-artists"),
        ),
        ("get", "/shows/{id}", format!("/shows/{show}")),
        (
            "get",
            "/shows/{id}/episodes",
            format!("/shows/{show}/episodes?limit=3"),
        ),
        (
            "get",
            "/me/library/contains",
            format!(
                "/me/library/contains?uris=spotify:track:{track},spotify:album:{album},spotify:artist:{artist},spotify:show:{show},spotify:playlist:{}",
                sim::PLAYLIST_FOLLOWED
            ),
        ),
    ];
    let mut failures = Vec::new();
    for (method, template, url) in &cases {
        let v = validator(&spec, ok_schema(&spec, method, template));
        let r = http
            .get(format!("{api}{url}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "GET {url}");
        let body: Value = r.json().await.unwrap();
        failures.extend(
            v.iter_errors(&body)
                .map(|e| format!("GET {url}: {e} at {}", e.instance_path())),
        );
        // Non-empty answers, so the schemas had something to check.
        assert_ne!(body, json!({}), "GET {url}");
    }
    // Writes answer 200 with no JSON, as the spec says.
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let url = format!("{api}/me/library?uris=spotify:album:{album}");
        let r = http
            .request(method.clone(), url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{method} /me/library");
    }
    let r = http
        .put(format!(
            "{api}/playlists/{}/followers",
            sim::PLAYLIST_EDITORIAL_CHILL
        ))
        .bearer_auth(&token)
        .json(&json!({"public": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Errors have the regular error shape: limit 11, 41 URIs, a bad id, a missing scope.
    let error_schema = &deref(&spec, &spec["components"]["responses"]["BadRequest"])["content"]["application/json"]
        ["schema"];
    let errors = validator(&spec, error_schema);
    let many: Vec<String> = (0..41).map(|_| format!("spotify:album:{album}")).collect();
    let weak = sim.issue_user_token(&["user-read-private"]);
    let bad: Vec<(reqwest::Method, String, &str, u16)> = vec![
        (
            reqwest::Method::GET,
            "/search?q=golden&type=track&limit=11".into(),
            token.as_str(),
            400,
        ),
        (
            reqwest::Method::GET,
            "/search?q=golden&type=track&offset=1001".into(),
            token.as_str(),
            400,
        ),
        (
            reqwest::Method::GET,
            "/search?q=golden&type=tracks".into(),
            token.as_str(),
            400,
        ),
        (
            reqwest::Method::PUT,
            format!("/me/library?uris={}", many.join(",")),
            token.as_str(),
            400,
        ),
        (
            reqwest::Method::GET,
            "/albums/nope".into(),
            token.as_str(),
            400,
        ),
        (
            reqwest::Method::GET,
            "/albums/0000000000000000000000".into(),
            token.as_str(),
            404,
        ),
        (
            reqwest::Method::GET,
            "/me/tracks".into(),
            weak.as_str(),
            403,
        ),
        (
            reqwest::Method::GET,
            "/me/following?type=artist".into(),
            weak.as_str(),
            403,
        ),
        (
            reqwest::Method::PUT,
            format!("/me/library?uris=spotify:album:{album}"),
            weak.as_str(),
            403,
        ),
    ];
    for (method, url, tok, status) in bad {
        let r = http
            .request(method.clone(), format!("{api}{url}"))
            .bearer_auth(tok)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{method} {url}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["status"], status, "{method} {url}: {body}");
        failures.extend(
            errors
                .iter_errors(&body)
                .map(|e| format!("{method} {url}: {e} at {}", e.instance_path())),
        );
    }
    // The validators can fail: a broken search answer is rejected.
    let v = validator(&spec, ok_schema(&spec, "get", "/search"));
    assert!(!v.is_valid(&json!({"tracks": {"items": [{"name": 5}], "total": "many"}})));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Does `/v1/albums/x/tracks` match `/albums/{id}/tracks`?
fn matches(path: &str, template: &str) -> bool {
    let a: Vec<&str> = path.trim_start_matches("/v1").split('/').collect();
    let b: Vec<&str> = template.split('/').collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, t)| x == t || t.starts_with('{') && !x.is_empty())
}

/// Checks one logged request against the spec: method, path and each query
/// parameter (declared, typed, in range, in the enum — per item for arrays).
fn check(spec: &Value, method: &str, path: &str, query: Option<&str>) -> Result<String, String> {
    let paths = spec["paths"].as_object().unwrap();
    let (template, item) = paths
        .iter()
        .filter(|(t, _)| matches(path, t))
        .min_by_key(|(t, _)| t.matches('{').count())
        .ok_or_else(|| format!("{method} {path}: not in the spec"))?;
    let op = &item[method.to_ascii_lowercase()];
    if !op.is_object() {
        return Err(format!("{method} {path}: no {method} on {template}"));
    }
    let declared: Vec<&Value> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| deref(spec, p))
        .filter(|p| p["in"] == "query")
        .collect();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    for p in &declared {
        if p["required"] == true && !pairs.iter().any(|(k, _)| p["name"] == k.as_str()) {
            return Err(format!("{method} {path}: required `{}` missing", p["name"]));
        }
    }
    for (name, value) in &pairs {
        let p = declared
            .iter()
            .find(|p| p["name"] == name.as_str())
            .ok_or_else(|| format!("{method} {path}: `{name}` not declared on {template}"))?;
        let schema = deref(spec, &p["schema"]);
        let (values, item_schema): (Vec<&str>, &Value) = if schema["type"] == "array" {
            (value.split(',').collect(), deref(spec, &schema["items"]))
        } else {
            (vec![value.as_str()], schema)
        };
        for v in values {
            if item_schema["type"] == "integer" {
                let n: i64 = v
                    .parse()
                    .map_err(|_| format!("{method} {path}: `{name}={v}` not an integer"))?;
                let low = item_schema["minimum"].as_i64().unwrap_or(i64::MIN);
                let high = item_schema["maximum"].as_i64().unwrap_or(i64::MAX);
                if !(low..=high).contains(&n) {
                    return Err(format!(
                        "{method} {path}: `{name}={n}` outside {low}..={high}"
                    ));
                }
            }
            if let Some(allowed) = item_schema["enum"].as_array()
                && !allowed.iter().any(|a| a.as_str() == Some(v))
            {
                return Err(format!("{method} {path}: `{name}={v}` not in {allowed:?}"));
            }
        }
    }
    Ok(format!("{method} {template}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_requests_match_the_spec() {
    let spec = load_spec();
    let (sim, c, _) = rig().await;
    let (album, artist, show) = sim.demo_catalog_ids();
    let r = c.search("golden", &SearchType::ALL, 0, 10).await.unwrap();
    assert!(!r.tracks.unwrap().items.is_empty());
    c.search("artist:harbor", &[SearchType::Track], 995, 99)
        .await
        .unwrap();
    c.saved_tracks(0, 50).await.unwrap();
    c.saved_albums(0, 500).await.unwrap();
    c.saved_shows(0, 50).await.unwrap();
    let first = c.followed_artists(None, 2).await.unwrap();
    c.followed_artists(first.cursors.after.as_deref(), 2)
        .await
        .unwrap();
    let t = sim.track_id_named("Golden Harbors").unwrap();
    assert_eq!(c.track(&t).await.unwrap().name, "Golden Harbors");
    c.album(&album).await.unwrap();
    c.album_tracks(&album, 0, 50).await.unwrap();
    c.artist(&artist).await.unwrap();
    c.artist_albums(&artist, 0, 50).await.unwrap();
    c.artist_top_tracks(&artist).await.unwrap();
    c.show(&show).await.unwrap();
    c.show_episodes(&show, 0, 50).await.unwrap();
    let uris: Vec<String> = sim.liked_uris().into_iter().take(45).collect();
    c.library_contains(&uris).await.unwrap();
    c.remove_from_library(&uris).await.unwrap();
    c.save_to_library(&uris).await.unwrap();
    c.follow_playlist(sim::PLAYLIST_EDITORIAL_FRESH)
        .await
        .unwrap();
    c.unfollow_playlist(sim::PLAYLIST_EDITORIAL_FRESH)
        .await
        .unwrap();
    let log = sim.requests();
    let mut seen = std::collections::BTreeSet::new();
    let mut errors = Vec::new();
    for r in log.iter().filter(|r| r.path.starts_with("/v1/")) {
        assert!(
            r.status < 300,
            "{} {} answered {}",
            r.method,
            r.path,
            r.status
        );
        match check(&spec, &r.method, &r.path, r.query.as_deref()) {
            Ok(t) => {
                seen.insert(t);
            }
            Err(e) => errors.push(e),
        }
    }
    assert!(
        errors.is_empty(),
        "requests outside the contract:\n{}",
        errors.join("\n")
    );
    let expected = [
        "GET /search",
        "GET /me/tracks",
        "GET /me/albums",
        "GET /me/shows",
        "GET /me/following",
        "GET /tracks/{id}",
        "GET /albums/{id}",
        "GET /albums/{id}/tracks",
        "GET /artists/{id}",
        "GET /artists/{id}/albums",
        "GET /artists/{id}/top-tracks",
        "GET /shows/{id}",
        "GET /shows/{id}/episodes",
        "GET /me/library/contains",
        "PUT /me/library",
        "DELETE /me/library",
    ];
    let missing: Vec<&&str> = expected.iter().filter(|e| !seen.contains(**e)).collect();
    assert!(
        missing.is_empty(),
        "not exercised: {missing:?} (seen {seen:?})"
    );
    // 45 URIs went out in batches of at most 40.
    let writes = log.iter().filter(|r| r.path == "/v1/me/library").count();
    assert_eq!(
        writes,
        2 + 2 + 2,
        "two batches each for remove and save, one each for follow/unfollow"
    );
}

#[test]
fn the_request_checker_rejects_what_the_spec_does_not_allow() {
    let spec = load_spec();
    assert!(
        check(
            &spec,
            "GET",
            "/v1/search",
            Some("q=a&type=track,album&limit=10")
        )
        .is_ok()
    );
    assert!(check(&spec, "GET", "/v1/search", Some("q=a&type=track&limit=11")).is_err());
    assert!(check(&spec, "GET", "/v1/search", Some("q=a&type=tracks")).is_err());
    assert!(check(&spec, "GET", "/v1/search", Some("type=track")).is_err());
    assert!(check(&spec, "GET", "/v1/artists/x/albums", Some("limit=50")).is_err());
    assert!(check(&spec, "PATCH", "/v1/me/library", None).is_err());
    assert!(check(&spec, "GET", "/v1/me/following", Some("type=user")).is_err());
}
