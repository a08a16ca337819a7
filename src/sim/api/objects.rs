//! JSON of the catalogue objects the library endpoints return: full and
//! simplified artists, albums, tracks, shows and episodes (with resume
//! points), following the 2026 development-mode field removals.

use serde_json::{Value, json};

use super::super::catalog::ItemRef;
use super::super::music;
use super::super::state::SimState;
use super::Caller;

/// Removes `keys` from an object.
fn drop_keys(v: &mut Value, keys: &[&str]) {
    if let Some(o) = v.as_object_mut() {
        for k in keys {
            o.remove(*k);
        }
    }
}

/// Images of a catalogue object (artist, show) served by the simulator.
fn images(base: &str, id: &str) -> Value {
    json!([
        {"url": format!("{base}/images/{id}-640.jpg"), "height": 640, "width": 640},
        {"url": format!("{base}/images/{id}-300.jpg"), "height": 300, "width": 300},
        {"url": format!("{base}/images/{id}-64.jpg"), "height": 64, "width": 64},
    ])
}

/// A full `ArtistObject`.
pub fn artist(st: &SimState, a: usize) -> Value {
    let ar = &st.catalog.artists[a];
    let h = super::super::ids::mix(a as u64 ^ 0xa47);
    let mut v = json!({
        "external_urls": {"spotify": format!("https://open.spotify.com/artist/{}", ar.id)},
        "followers": {"href": null, "total": 1_000 + h % 2_000_000},
        "genres": [music::genre(a)],
        "href": format!("{}/v1/artists/{}", st.base, ar.id),
        "id": ar.id,
        "images": images(&st.base, &ar.id),
        "name": ar.name,
        "popularity": 15 + (h >> 24) % 80,
        "type": "artist",
        "uri": format!("spotify:artist:{}", ar.id),
    });
    if st.dev_mode_2026 {
        drop_keys(&mut v, &["followers", "popularity", "genres"]);
    }
    v
}

/// A `SimplifiedTrackObject` (a track without its album).
pub fn simplified_track(st: &SimState, t: usize) -> Value {
    let mut v = st.catalog.item_json(ItemRef::Track(t), st.render());
    drop_keys(&mut v, &["album", "popularity", "external_ids"]);
    v
}

/// A full `TrackObject`.
pub fn track(st: &SimState, t: usize) -> Value {
    st.catalog.item_json(ItemRef::Track(t), st.render())
}

/// A `SimplifiedAlbumObject`.
pub fn simplified_album(st: &SimState, a: usize) -> Value {
    st.catalog.album_json(a, st.render())
}

/// An `ArtistDiscographyAlbumObject` (simplified album with `album_group`).
pub fn discography_album(st: &SimState, a: usize) -> Value {
    let mut v = simplified_album(st, a);
    let group = v["album_type"].clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("album_group".into(), group);
    }
    v
}

/// A full `AlbumObject`, its tracks paged by `tracks`.
pub fn album(st: &SimState, a: usize, tracks: Value) -> Value {
    let al = &st.catalog.albums[a];
    let year = al.release_date.get(..4).unwrap_or("2020");
    let label = format!("{} Records", st.catalog.artists[al.artist].name);
    let mut v = simplified_album(st, a);
    if let Some(o) = v.as_object_mut() {
        o.insert("tracks".into(), tracks);
        o.insert(
            "copyrights".into(),
            json!([
                {"text": format!("© {year} {label}"), "type": "C"},
                {"text": format!("℗ {year} {label}"), "type": "P"},
            ]),
        );
        o.insert(
            "external_ids".into(),
            json!({"upc": format!("00{:010}", a * 7_919 + 1)}),
        );
        o.insert("genres".into(), json!([]));
        o.insert("label".into(), json!(label));
        o.insert(
            "popularity".into(),
            json!(10 + super::super::ids::mix(a as u64) % 85),
        );
    }
    if st.dev_mode_2026 {
        drop_keys(&mut v, &["popularity"]);
    }
    v
}

/// A `SimplifiedShowObject`.
pub fn simplified_show(st: &SimState, s: usize) -> Value {
    st.catalog.show_json(s, st.render())
}

/// The resume point of episode `e`: the live position when it is playing.
fn resume_point(st: &SimState, e: usize) -> Value {
    if st.playback.current == Some(ItemRef::Episode(e)) {
        return json!({"fully_played": false, "resume_position_ms": st.playback.progress_ms});
    }
    let p = st.saved.resume.get(&e).copied().unwrap_or_default();
    json!({"fully_played": p.fully_played, "resume_position_ms": p.position_ms})
}

/// A full `EpisodeObject`; `resume_point` only with `user-read-playback-position`.
pub fn episode(st: &SimState, e: usize, caller: &Caller) -> Value {
    let mut v = st.catalog.item_json(ItemRef::Episode(e), st.render());
    if let Some(o) = v.as_object_mut() {
        if caller.has("user-read-playback-position") {
            o.insert("resume_point".into(), resume_point(st, e));
        } else {
            o.remove("resume_point");
        }
    }
    v
}

/// A `SimplifiedEpisodeObject` (an episode without its show).
pub fn simplified_episode(st: &SimState, e: usize, caller: &Caller) -> Value {
    let mut v = episode(st, e, caller);
    drop_keys(&mut v, &["show"]);
    v
}

/// A full `ShowObject`, its episodes paged by `episodes`.
pub fn show(st: &SimState, s: usize, episodes: Value) -> Value {
    let mut v = simplified_show(st, s);
    if let Some(o) = v.as_object_mut() {
        o.insert("episodes".into(), episodes);
    }
    v
}
