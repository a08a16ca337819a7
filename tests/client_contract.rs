//! Contract test for the client's requests: every request the client sends
//! while exercising every endpoint goes to a path and method the OpenAPI spec
//! declares, with only declared query parameters whose values fit the
//! declared type, range and enum, and a JSON body that validates against the
//! declared request body schema.
#![allow(clippy::unwrap_used)]

mod contract_support;

use std::sync::Arc;

use serde_json::Value;
use spotdeck::sim::{self, SimOptions};
use spotdeck::spotify::model::RepeatState;
use spotdeck::spotify::{Client, NewPlaylist, PlayArgs, PlayOffset, PlaylistDetails};
use spotdeck::token::{AccessToken, StaticToken};

fn spec() -> Value {
    contract_support::load()
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut cur = spec;
            for part in r.trim_start_matches("#/").split('/') {
                cur = &cur[part];
            }
            cur
        }
        None => v,
    }
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

fn check_request(
    spec: &Value,
    method: &str,
    path: &str,
    query: Option<&str>,
) -> Result<(), String> {
    check_request_with_body(spec, method, path, query, None)
}

/// Validates a JSON request body against the operation's `requestBody`.
fn check_body(spec: &Value, op: &Value, what: &str, body: &[u8]) -> Result<(), String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("{what}: body is not JSON: {e}"))?;
    let rb = resolve(spec, &op["requestBody"]);
    let schema = &rb["content"]["application/json"]["schema"];
    if schema.is_null() {
        return Err(format!("{what}: the spec declares no JSON body"));
    }
    let components = contract_support::convert(&spec["components"]);
    let root = contract_support::rooted(&components, contract_support::convert(schema));
    let validator = jsonschema::validator_for(&root).map_err(|e| format!("{what}: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what}: body {v} does not fit: {}",
            errors.join("; ")
        ))
    }
}

fn check_request_with_body(
    spec: &Value,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Option<&[u8]>,
) -> Result<(), String> {
    let paths = spec["paths"].as_object().unwrap();
    let candidates: Vec<(&String, &Value)> = paths
        .iter()
        .filter(|(t, _)| matches_template(path, t))
        .collect();
    // Prefer the most literal template (fewest placeholders).
    let Some((template, item)) = candidates
        .iter()
        .min_by_key(|(t, _)| t.matches('{').count())
    else {
        return Err(format!("{method} {path}: no such path in the spec"));
    };
    let op = item
        .get(method.to_ascii_lowercase())
        .ok_or_else(|| format!("{method} {path}: the spec has no {method} on {template}"))?;
    let mut params: Vec<&Value> = Vec::new();
    for list in [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
    {
        for p in list.as_array().into_iter().flatten() {
            params.push(resolve(spec, p));
        }
    }
    if let Some(b) = body {
        check_body(spec, op, &format!("{method} {path}"), b)?;
    }
    let Some(query) = query else { return Ok(()) };
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let decl = params
            .iter()
            .find(|p| p["in"] == "query" && p["name"] == name.as_ref())
            .ok_or_else(|| {
                format!("{method} {path}: query parameter `{name}` is not declared on {template}")
            })?;
        let schema = resolve(spec, &decl["schema"]);
        match schema["type"].as_str() {
            Some("integer") => {
                let n: i64 = value
                    .parse()
                    .map_err(|_| format!("{method} {path}: `{name}={value}` is not an integer"))?;
                if let Some(min) = schema["minimum"].as_i64()
                    && n < min
                {
                    return Err(format!(
                        "{method} {path}: `{name}={n}` is below the minimum {min}"
                    ));
                }
                if let Some(max) = schema["maximum"].as_i64()
                    && n > max
                {
                    return Err(format!(
                        "{method} {path}: `{name}={n}` is above the maximum {max}"
                    ));
                }
            }
            Some("boolean") if value != "true" && value != "false" => {
                return Err(format!(
                    "{method} {path}: `{name}={value}` is not a boolean"
                ));
            }
            _ => {}
        }
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.iter().any(|a| a.as_str() == Some(value.as_ref()))
        {
            return Err(format!(
                "{method} {path}: `{name}={value}` is not one of {allowed:?}"
            ));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_the_client_sends_is_declared_by_the_spec() {
    let spec = spec();
    let sim = sim::start(SimOptions::default()).await.unwrap();
    let c = Client::new(
        &sim.api_base(),
        Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token()))),
    )
    .unwrap();
    let playlist = sim::PLAYLIST_SUNDAY;
    let dev = sim::DEVICE_PHONE;

    c.me().await.unwrap();
    c.playback_state().await.unwrap();
    c.currently_playing().await.unwrap();
    c.devices().await.unwrap();
    c.queue().await.unwrap();
    c.recently_played(50, None, None).await.unwrap();
    c.transfer(dev, false).await.unwrap();
    c.play(&PlayArgs {
        context_uri: Some(format!("spotify:playlist:{playlist}")),
        offset: Some(PlayOffset::Position(2)),
        position_ms: Some(1000),
        device_id: Some(dev.into()),
        ..PlayArgs::default()
    })
    .await
    .unwrap();
    c.pause(Some(dev)).await.unwrap();
    c.play(&PlayArgs::default()).await.unwrap();
    c.next(None).await.unwrap();
    c.previous(Some(dev)).await.unwrap();
    c.seek(5_000, None).await.unwrap();
    c.repeat(RepeatState::Context, None).await.unwrap();
    c.volume(40, Some(dev)).await.unwrap();
    c.shuffle(true, None).await.unwrap();
    let p = c.playlist(playlist).await.unwrap();
    let items = c.playlist_items(playlist, 0, None).await.unwrap();
    let uris: Vec<String> = items
        .items
        .iter()
        .map(|i| i.uri().unwrap_or_default().to_string())
        .collect();
    c.add_to_queue(&uris[0], None).await.unwrap();
    let snap = c.add_items(playlist, &uris[..2], Some(1)).await.unwrap();
    let snap = c
        .reorder_items(playlist, 0, 3, 1, Some(&snap))
        .await
        .unwrap();
    let now: Vec<String> = sim.playlist_uris(playlist).unwrap();
    let snap = c
        .remove_positions(playlist, &now, &[1], &snap)
        .await
        .unwrap();
    c.remove_items(playlist, &uris[..1], Some(&snap))
        .await
        .unwrap();
    c.replace_items(playlist, &uris).await.unwrap();
    c.change_playlist_details(
        playlist,
        &PlaylistDetails {
            name: Some("Renamed".into()),
            description: Some("d".into()),
            ..PlaylistDetails::default()
        },
    )
    .await
    .unwrap();
    c.my_playlists(0, 50).await.unwrap();
    c.user_playlists(sim.user_id(), 0, 50).await.unwrap();
    c.create_playlist(&NewPlaylist {
        name: "New".into(),
        public: Some(false),
        ..NewPlaylist::default()
    })
    .await
    .unwrap();
    c.featured_playlists(0, 50).await.unwrap();
    c.category_playlists("chill", 0, 50).await.unwrap();
    c.playlist_cover(playlist).await.unwrap();
    let jpeg = spotdeck::cover::prepare_image(&image::DynamicImage::new_rgb8(64, 64)).unwrap();
    c.upload_cover(playlist, &jpeg).await.unwrap();
    assert_eq!(p.id, playlist);

    let log = sim.requests();
    assert!(
        log.len() >= 30,
        "every endpoint was called ({} requests)",
        log.len()
    );
    let with_body = log.iter().filter(|r| r.json_body.is_some()).count();
    assert!(with_body >= 8, "JSON bodies were sent ({with_body})");
    let errors: Vec<String> = log
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .filter_map(|r| {
            check_request_with_body(
                &spec,
                &r.method,
                &r.path,
                r.query.as_deref(),
                r.json_body.as_deref(),
            )
            .err()
        })
        .collect();
    assert!(
        errors.is_empty(),
        "requests outside the contract:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_checker_rejects_what_the_spec_does_not_allow() {
    let spec = spec();
    assert!(
        check_request(
            &spec,
            "GET",
            "/v1/playlists/abc/items",
            Some("limit=50&offset=0")
        )
        .is_ok()
    );
    assert!(check_request(&spec, "GET", "/v1/playlists/abc/items", Some("limit=100")).is_err());
    assert!(check_request(&spec, "GET", "/v1/playlists/abc/items", Some("colour=red")).is_err());
    assert!(check_request(&spec, "GET", "/v1/me/nothing-here", None).is_err());
    assert!(check_request(&spec, "PATCH", "/v1/me/player", None).is_err());
    // Bodies: the spec's types are enforced.
    let body = |b: &str| {
        check_request_with_body(&spec, "POST", "/v1/me/playlists", None, Some(b.as_bytes()))
    };
    assert!(body(r#"{"name":"x","public":false}"#).is_ok());
    assert!(body(r#"{"name":"x","public":"false"}"#).is_err());
    assert!(body("not json").is_err());
    assert!(
        check_request(
            &spec,
            "PUT",
            "/v1/me/player/volume",
            Some("volume_percent=loud")
        )
        .is_err()
    );
}
