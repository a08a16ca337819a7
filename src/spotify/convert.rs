//! Wire models → domain values. The worker converts every answer here, so
//! no serde or HTTP detail reaches the app.

use std::time::Instant;

use super::model::{
    Device, Image, PlayHistory, PlayableItem, PlaybackState, Playlist, PlaylistItem, RepeatState,
    SimplifiedPlaylist,
};
use crate::domain::{self, ImageRef, ItemKind, Repeat};

/// Image references, largest first, without empty URLs.
pub fn image_refs(images: &[Image]) -> Vec<ImageRef> {
    let mut v: Vec<ImageRef> = images
        .iter()
        .filter(|i| !i.url.is_empty())
        .map(|i| ImageRef {
            url: i.url.clone(),
            width: i.width,
        })
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.width.unwrap_or(0)));
    v
}

/// Converts a playable item.
pub fn track(item: PlayableItem) -> domain::Track {
    match item {
        PlayableItem::Track(t) => {
            let local = t.is_local || t.uri.starts_with("spotify:local:");
            let decoded = if local {
                domain::decode_local_uri(&t.uri)
            } else {
                None
            };
            let (artists, album, title) = match (&decoded, local) {
                (Some((a, al, ti, _)), true) => (
                    if t.artists.iter().any(|a| !a.name.is_empty()) {
                        t.artists.iter().map(|a| a.name.clone()).collect()
                    } else {
                        vec![a.clone()]
                    },
                    if t.album.name.is_empty() {
                        al.clone()
                    } else {
                        t.album.name.clone()
                    },
                    if t.name.is_empty() {
                        ti.clone()
                    } else {
                        t.name.clone()
                    },
                ),
                _ => (
                    t.artists.iter().map(|a| a.name.clone()).collect(),
                    t.album.name.clone(),
                    t.name.clone(),
                ),
            };
            let duration_ms = if t.duration_ms == 0 {
                decoded.and_then(|d| d.3).map_or(0, |s| s * 1000)
            } else {
                t.duration_ms
            };
            domain::Track {
                uri: t.uri.clone(),
                title,
                artists,
                album,
                duration_ms,
                kind: if local {
                    ItemKind::Local
                } else {
                    ItemKind::Track
                },
                images: image_refs(&t.album.images),
                is_playable: t.playable(),
            }
        }
        PlayableItem::Episode(e) => {
            let show = e.show_name().to_string();
            let images = if e.images.is_empty() {
                e.show
                    .as_ref()
                    .map(|s| image_refs(&s.images))
                    .unwrap_or_default()
            } else {
                image_refs(&e.images)
            };
            domain::Track {
                uri: e.uri.clone(),
                title: e.name.clone(),
                artists: vec![show.clone()],
                album: show,
                duration_ms: e.duration_ms,
                kind: ItemKind::Episode,
                images,
                is_playable: e.is_playable != Some(false),
            }
        }
        PlayableItem::Unknown => unavailable(),
    }
}

fn unavailable() -> domain::Track {
    domain::Track {
        uri: String::new(),
        title: "(unavailable)".into(),
        artists: Vec::new(),
        album: String::new(),
        duration_ms: 0,
        kind: ItemKind::Track,
        images: Vec::new(),
        is_playable: false,
    }
}

/// Converts a device.
pub fn device(d: Device) -> domain::Device {
    domain::Device {
        id: d.id.filter(|i| !i.is_empty()),
        name: d.name,
        kind: d.kind,
        is_active: d.is_active,
        is_restricted: d.is_restricted,
        volume: d.volume_percent,
        supports_volume: d.supports_volume,
    }
}

/// Converts a playback state fetched at `now`.
pub fn playback(p: PlaybackState, now: Instant) -> domain::Playback {
    let d = p.disallows();
    let flags = [
        ("interrupting_playback", d.interrupting_playback),
        ("pausing", d.pausing),
        ("resuming", d.resuming),
        ("seeking", d.seeking),
        ("skipping_next", d.skipping_next),
        ("skipping_prev", d.skipping_prev),
        ("toggling_repeat_context", d.toggling_repeat_context),
        ("toggling_shuffle", d.toggling_shuffle),
        ("toggling_repeat_track", d.toggling_repeat_track),
        ("transferring_playback", d.transferring_playback),
    ];
    let disallows = flags
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| (*n).to_string())
        .collect();
    domain::Playback {
        device: p.device.map(device),
        item: p.item.map(track),
        is_playing: p.is_playing,
        progress_ms: p.progress_ms.unwrap_or(0),
        fetched_at: now,
        shuffle: p.shuffle_state,
        repeat: match p.repeat_state {
            // A mode this app does not know shows as off (the CLI prints it as sent).
            RepeatState::Off | RepeatState::Other(_) => Repeat::Off,
            RepeatState::Context => Repeat::Context,
            RepeatState::Track => Repeat::Track,
        },
        context_uri: p.context.map(|c| c.uri).filter(|u| !u.is_empty()),
        disallows,
    }
}

/// Converts a recently played entry.
pub fn recent(h: PlayHistory) -> domain::RecentEntry {
    domain::RecentEntry {
        track: track(PlayableItem::Track(h.track)),
        played_at: h.played_at,
        context_uri: h.context.map(|c| c.uri).filter(|u| !u.is_empty()),
    }
}

/// The summary of a listed or full playlist (the two wire types share these
/// fields but no trait).
macro_rules! summary_of {
    ($p:expr, $total:expr) => {{
        let p = $p;
        domain::PlaylistSummary {
            owner_id: p.owner.id.clone(),
            owner_name: p.owner.label().to_string(),
            images: image_refs(&p.images),
            id: p.id,
            name: p.name,
            description: p.description.unwrap_or_default(),
            public: p.public,
            collaborative: p.collaborative,
            snapshot_id: p.snapshot_id,
            total: $total,
        }
    }};
}

/// Converts a listed playlist.
pub fn simplified(p: SimplifiedPlaylist) -> domain::PlaylistSummary {
    let total = p.total();
    summary_of!(p, total)
}

/// Converts a full playlist object.
pub fn full(p: Playlist) -> domain::PlaylistSummary {
    let total = p.total().unwrap_or(0);
    summary_of!(p, total)
}

/// Converts a playlist row.
pub fn entry(i: PlaylistItem) -> domain::PlaylistEntry {
    let is_local = i.is_local;
    let mut t = i.item.map_or_else(unavailable, track);
    if is_local {
        t.kind = ItemKind::Local;
    }
    // Rows do not show art; 10,000 rows of image URLs would only cost memory.
    t.images = Vec::new();
    domain::PlaylistEntry {
        track: t,
        added_at: i.added_at,
        added_by: i.added_by.map(|u| u.id),
    }
}

/// The wire repeat mode of a domain one.
pub fn repeat_state(mode: Repeat) -> RepeatState {
    match mode {
        Repeat::Off => RepeatState::Off,
        Repeat::Context => RepeatState::Context,
        Repeat::Track => RepeatState::Track,
    }
}
