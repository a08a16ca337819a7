//! The models accept what the spec allows (issue 14, items 8–9): an enum
//! value the app does not know is kept as-is, and a number outside what the
//! app expects degrades that one field — neither fails the response.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use serde_json::{Value, json};
use spotdeck::spotify::ApiError;
use spotdeck::spotify::model::{
    Devices, Page, PlayableItem, PlaybackState, PlaylistItem, Queue, RecentlyPlayed, RepeatState,
    SimplifiedPlaylist, UnknownValue,
};

fn track(kind: &str, duration: i64, height: i64) -> Value {
    json!({
        "type": kind, "id": "t1", "name": "Song", "uri": "spotify:track:t1",
        "duration_ms": duration, "disc_number": -1, "track_number": 4_294_967_296_i64,
        "explicit": false, "is_local": false,
        "artists": [{"id": "a", "name": "Artist", "uri": "spotify:artist:a", "type": "string"}],
        "album": {
            "id": "al", "name": "Album", "album_type": "string", "uri": "spotify:album:al",
            "images": [{"url": "http://x/a.jpg", "height": height, "width": 64.0}],
            "release_date_precision": "string"
        }
    })
}

fn decode<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

#[test]
fn unknown_enum_values_are_kept_as_sent() {
    // A spec-generated answer: every enum is the literal "string".
    let body = json!({
        "device": {"id": "d", "is_active": true, "name": "Box", "type": "string",
                   "volume_percent": 40, "supports_volume": true},
        "repeat_state": "string",
        "shuffle_state": true,
        "context": {"type": "string", "uri": "spotify:playlist:p", "href": null},
        "timestamp": 1,
        "progress_ms": 1000,
        "is_playing": true,
        "item": track("track", 200_000, 64),
        "currently_playing_type": "string",
        "actions": {"disallows": {"resuming": true}}
    });
    let s: PlaybackState = decode(&body);
    assert_eq!(
        s.repeat_state,
        RepeatState::Other(UnknownValue::new("string"))
    );
    assert_eq!(s.repeat_state.as_str(), "string");
    assert_eq!(s.device.as_ref().unwrap().kind, "string");
    assert_eq!(s.currently_playing_type, "string");
    let t = s.item.as_ref().and_then(PlayableItem::as_track).unwrap();
    assert_eq!(t.album.album_type.as_deref(), Some("string"));
    // Known values still map to their variants, and serialise back as sent.
    for (raw, want) in [
        ("off", RepeatState::Off),
        ("track", RepeatState::Track),
        ("context", RepeatState::Context),
    ] {
        let r: RepeatState = serde_json::from_value(json!(raw)).unwrap();
        assert_eq!(r, want);
        assert_eq!(serde_json::to_value(r).unwrap(), json!(raw));
    }
    let odd: RepeatState = serde_json::from_value(json!("playlist-loop")).unwrap();
    assert_eq!(serde_json::to_value(odd).unwrap(), json!("playlist-loop"));
    // Over-long values are cut at a character boundary, never rejected.
    let long = "é".repeat(40);
    assert!(long.starts_with(UnknownValue::new(&long).as_str()));

    // Unknown item types: kept as unknown entries, positions intact.
    let page = json!({
        "items": [
            {"added_at": null, "is_local": false, "item": track("string", 1, 1)},
            {"added_at": null, "is_local": false, "track": true, "item": {"type": "audiobook", "name": "B"}},
            {"added_at": null, "is_local": false, "item": track("track", 1, 1)}
        ],
        "total": 3, "limit": 50, "offset": 0, "next": null, "previous": null, "href": "h"
    });
    let p: Page<PlaylistItem> = decode(&page);
    assert_eq!(p.items.len(), 3);
    assert_eq!(p.items[0].item, Some(PlayableItem::Unknown));
    assert_eq!(p.items[1].item, Some(PlayableItem::Unknown));
    assert!(matches!(p.items[2].item, Some(PlayableItem::Track(_))));

    // An unknown player reason keeps its text.
    let e = ApiError::from_response(
        403,
        br#"{"error":{"status":403,"message":"Player command failed: new","reason":"SOMETHING_NEW"}}"#,
        None,
    );
    assert!(matches!(e, ApiError::Restricted { ref reason, .. } if reason == "SOMETHING_NEW"));
}

#[test]
fn out_of_range_numbers_degrade_one_field() {
    let body = json!({
        "device": {"id": "d", "name": "Box", "type": "Speaker", "volume_percent": 300},
        "repeat_state": "off",
        "timestamp": -5,
        "progress_ms": -20,
        "is_playing": false,
        "item": track("track", -60_272_328, -640),
    });
    let s: PlaybackState = decode(&body);
    assert_eq!(s.device.as_ref().unwrap().volume_percent, None);
    assert_eq!(s.device.as_ref().unwrap().name, "Box");
    assert_eq!(s.timestamp, -5);
    assert_eq!(s.progress_ms, None);
    let t = s.item.as_ref().and_then(PlayableItem::as_track).unwrap();
    assert_eq!(t.duration_ms, 0);
    assert_eq!(t.disc_number, 0);
    assert_eq!(t.track_number, 0);
    assert_eq!(t.name, "Song");
    let img = &t.album.images[0];
    assert_eq!((img.height, img.width), (None, Some(64)));
    assert_eq!(img.url, "http://x/a.jpg");

    let d: Devices = decode(&json!({"devices": [
        {"id": "a", "name": "A", "type": "Hologram", "volume_percent": -1},
        {"id": "b", "name": "B", "type": "TV", "volume_percent": 55}
    ]}));
    assert_eq!(d.devices.len(), 2);
    assert_eq!(d.devices[0].volume_percent, None);
    assert_eq!(d.devices[1].volume_percent, Some(55));

    let q: Queue = decode(&json!({
        "currently_playing": track("track", -1, 1),
        "queue": [track("track", 5, -2), {"type": "episode", "name": "E", "uri": "spotify:episode:e", "duration_ms": -9}]
    }));
    assert_eq!(q.queue.len(), 2);
    assert_eq!(q.queue[1].duration_ms(), 0);

    let lists: Page<SimplifiedPlaylist> = decode(&json!({
        "items": [{"id": "p", "name": "P", "images": [{"url": "u", "height": -3, "width": -3}],
                   "tracks": {"href": "h", "total": -7}, "owner": {"id": "o"}}],
        "total": -1, "limit": 20, "offset": -4, "next": null
    }));
    assert_eq!(lists.total, 0);
    assert_eq!(lists.offset, 0);
    assert_eq!(lists.items[0].total(), 0);
    assert_eq!(lists.items[0].name, "P");

    let recent: RecentlyPlayed = decode(&json!({
        "items": [{"track": track("track", -3, 0), "played_at": "2026-01-01T00:00:00Z"}],
        "total": -4, "limit": -1, "cursors": {"after": "1", "before": "0"}, "next": null
    }));
    assert_eq!(recent.total, None);
    assert_eq!(recent.limit, 0);
    assert_eq!(recent.items[0].track.duration_ms, 0);
}

#[test]
fn items_decode_by_type_and_round_trip() {
    let ep = json!({"type": "episode", "id": "e", "name": "Ep", "uri": "spotify:episode:e",
        "duration_ms": 10, "description": "d", "images": [{"url": "u", "height": 1, "width": 1}],
        "show": {"id": "s", "name": "Show", "images": []}, "release_date": "2026-01-01"});
    let item: PlayableItem = decode(&ep);
    assert_eq!(item.collection_name(), "Show");
    let back: PlayableItem = decode(&serde_json::to_value(&item).unwrap());
    assert_eq!(back, item);
    let tr: PlayableItem = decode(&track("track", 1000, 64));
    let back: PlayableItem = decode(&serde_json::to_value(&tr).unwrap());
    assert_eq!(back, tr);
    // No `type` at all: the URI tells.
    let untyped: PlayableItem =
        decode(&json!({"name": "Loose", "uri": "spotify:episode:x", "duration_ms": 5}));
    assert!(matches!(untyped, PlayableItem::Episode(_)));
}
