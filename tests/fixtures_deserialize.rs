//! Every recorded response body in the fixtures directory deserializes into
//! its type. A fixture file missing from the table fails the test.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::path::{Path, PathBuf};

use serde::Deserialize;
use spotdeck::spotify::ApiError;
use spotdeck::spotify::error::{OAuthErrorBody, RegularErrorBody};
use spotdeck::spotify::model::{
    CoverImages, CurrentlyPlaying, Devices, Page, PlayableItem, PlaybackState, Playlist,
    PlaylistItem, SimplifiedPlaylist, SnapshotId, User,
};

fn fixtures_dir() -> PathBuf {
    if let Ok(d) = std::env::var("SPOTDECK_FIXTURES") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/fixtures")
}

/// Token responses belong to the auth module; this is the OAuth shape.
#[derive(Deserialize)]
#[allow(dead_code)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    expires_in: u64,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, body: &str) -> T {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn check(name: &str, body: &str) -> bool {
    match name {
        "playback_state_track.json" => {
            let s: PlaybackState = parse(name, body);
            assert!(s.device.is_some() && s.item.is_some(), "{name}");
            assert!(matches!(s.item, Some(PlayableItem::Track(_))));
        }
        "currently_playing_track.json" => {
            let s: CurrentlyPlaying = parse(name, body);
            assert!(s.device.is_none() && s.item.is_some(), "{name}");
        }
        "devices.json" => assert_eq!(parse::<Devices>(name, body).devices.len(), 1),
        "devices_empty.json" => assert!(parse::<Devices>(name, body).devices.is_empty()),
        "playlist_2026_tracks_and_items.json" | "create_playlist_201.json" => {
            let p: Playlist = parse(name, body);
            assert!(!p.id.is_empty() && p.items.is_some(), "{name}");
        }
        "playlist_items_page_episode.json" => {
            let p: Page<PlaylistItem> = parse(name, body);
            assert!(
                matches!(p.items[0].item, Some(PlayableItem::Episode(_))),
                "{name}"
            );
        }
        "current_user_playlists_page_2026.json" => {
            let p: Page<SimplifiedPlaylist> = parse(name, body);
            assert_eq!(p.total, 94);
            assert!(p.items.iter().all(|x| !x.id.is_empty()));
        }
        "me_profile.json" => assert_eq!(parse::<User>(name, body).id, "1112264649"),
        "playlist_cover_image.json" => {
            let v: CoverImages = parse(name, body);
            assert_eq!(v[0].width, None);
        }
        "playlist_snapshot_id.json" => {
            assert!(!parse::<SnapshotId>(name, body).snapshot_id.is_empty())
        }
        "token_authorization_code.json"
        | "token_refresh_pkce.json"
        | "token_client_credentials.json" => {
            let t: TokenResponse = parse(name, body);
            assert_eq!(t.token_type, "Bearer");
        }
        "token_error_invalid_client.json"
        | "token_400_invalid_grant_code.json"
        | "token_400_invalid_grant_refresh.json" => {
            let e: OAuthErrorBody = parse(name, body);
            assert!(e.error.starts_with("invalid_"));
        }
        n if n.starts_with("error_") || n.starts_with("api_") || n.starts_with("player_") => {
            let e: RegularErrorBody = parse(name, body);
            let api = ApiError::from_response(e.error.status, body.as_bytes(), None);
            let expected = match n {
                "player_404_no_active_device.json" => matches!(api, ApiError::NoActiveDevice),
                "player_403_premium_required.json" => matches!(api, ApiError::PremiumRequired),
                "player_403_restriction_violated.json" => {
                    matches!(api, ApiError::Restricted { .. })
                }
                "error_429_rate_limit.json" => matches!(api, ApiError::RateLimited { .. }),
                "error_404_not_found.json" => matches!(api, ApiError::NotFound { .. }),
                "api_401_token_expired.json" => matches!(api, ApiError::Unauthorized { .. }),
                "api_403_forbidden_devmode_2026.json" => matches!(api, ApiError::Forbidden { .. }),
                "api_400_invalid_limit.json" => matches!(api, ApiError::BadRequest { .. }),
                _ => return false,
            };
            assert!(expected, "{name} classified as {api:?}");
        }
        _ => return false,
    }
    true
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_deserializes_into_its_type() {
    let mut files = Vec::new();
    json_files(&fixtures_dir(), &mut files);
    assert!(
        files.len() >= 20,
        "expected the fixture set, found {}",
        files.len()
    );
    let mut uncovered = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(f).unwrap();
        if !check(&name, &body) {
            uncovered.push(name);
        }
    }
    assert!(
        uncovered.is_empty(),
        "fixtures without a type: {uncovered:?}"
    );
}

#[test]
fn both_playlist_keys_are_read_and_the_new_one_wins() {
    let old = r#"{"id":"p","tracks":{"items":[{"track":{"type":"track","name":"Old","uri":"spotify:track:1"}}],"total":1,"offset":0,"limit":100}}"#;
    let p: Playlist = serde_json::from_str(old).unwrap();
    assert_eq!(p.items.unwrap().items[0].display(), "Old");
    let both = r#"{"track":{"type":"track","name":"Old"},"item":{"type":"track","name":"New"},"is_local":false}"#;
    let i: PlaylistItem = serde_json::from_str(both).unwrap();
    assert_eq!(i.display(), "New");
    let page = r#"{"items":[null,{"track":null,"item":null},{"item":{"type":"episode","name":"E","show":{"name":"S"}}}],"total":3,"offset":0,"limit":3}"#;
    let p: Page<PlaylistItem> = serde_json::from_str(page).unwrap();
    assert_eq!(p.items.len(), 3, "null entries keep their position");
    assert_eq!(p.items[0].display(), "(unavailable)");
    assert_eq!(p.items[2].display(), "E — S");
    let lists = r#"{"items":[null,{"id":"a","name":"A","items":{"total":4},"tracks":{"total":9}}],"total":2,"offset":0,"limit":20,"next":null}"#;
    let p: Page<SimplifiedPlaylist> = serde_json::from_str(lists).unwrap();
    assert_eq!(p.items.len(), 1, "null playlists are skipped");
    assert_eq!(p.items[0].total(), 4);
}

#[test]
fn null_device_fields_and_unknown_fields_are_tolerated() {
    let d = r#"{"devices":[{"id":null,"name":"Sonos","type":"Speaker","volume_percent":null,"is_active":true,"new_field":{"x":1}}]}"#;
    let d: Devices = serde_json::from_str(d).unwrap();
    assert_eq!(d.devices[0].id, None);
    assert_eq!(d.devices[0].volume_percent, None);
    let s = r#"{"is_playing":false,"item":null,"currently_playing_type":"unknown","actions":{"disallows":{"resuming":true,"pausing":null}},"progress_ms":null,"timestamp":0}"#;
    let s: PlaybackState = serde_json::from_str(s).unwrap();
    assert!(s.disallows().resuming && !s.disallows().pausing);
}
