//! Wire models → domain values. The worker converts every answer here, so
//! no serde or HTTP detail reaches the app.

use std::time::Instant;

use super::model::{
    Device, Image, PlayHistory, PlayableItem, PlaybackState, Playlist, PlaylistItem, RepeatState,
    SimplifiedPlaylist,
};
use crate::domain::{self, Disallow, ImageRef, ItemKind, LocalFileUri, Repeat};

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
    convert_item(item, true)
}

/// Converts a playable item; `with_images` false leaves `images` empty
/// (playlist rows show no art).
fn convert_item(item: PlayableItem, with_images: bool) -> domain::Track {
    match item {
        PlayableItem::Track(t) => {
            let local = t.is_local || domain::is_local_uri(&t.uri);
            let decoded = local.then(|| LocalFileUri::parse(&t.uri)).flatten();
            let is_playable = t.playable();
            let images = if with_images {
                image_refs(&t.album.images)
            } else {
                Vec::new()
            };
            let names: Vec<String> = t.artists.into_iter().map(|a| a.name).collect();
            let duration_ms = match &decoded {
                Some(d) if t.duration_ms == 0 => d.seconds.map_or(0, |s| u64::from(s) * 1000),
                _ => t.duration_ms,
            };
            let (artists, album, title) = match decoded {
                // Local files carry their names in the URI; the object's win when set.
                Some(d) => (
                    if names.iter().any(|n| !n.is_empty()) {
                        names
                    } else {
                        vec![d.artist]
                    },
                    non_empty_or(t.album.name, d.album),
                    non_empty_or(t.name, d.title),
                ),
                None => (names, t.album.name, t.name),
            };
            domain::Track {
                uri: t.uri,
                title,
                artists,
                album,
                duration_ms,
                kind: if local {
                    ItemKind::Local
                } else {
                    ItemKind::Track
                },
                images,
                is_playable,
            }
        }
        PlayableItem::Episode(e) => {
            let images = match (with_images, e.images.is_empty()) {
                (false, _) => Vec::new(),
                (true, true) => e
                    .show
                    .as_ref()
                    .map(|s| image_refs(&s.images))
                    .unwrap_or_default(),
                (true, false) => image_refs(&e.images),
            };
            let show = e.show.map(|s| s.name).unwrap_or_default();
            domain::Track {
                uri: e.uri,
                title: e.name,
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

fn non_empty_or(s: String, fallback: String) -> String {
    if s.is_empty() { fallback } else { s }
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
        (Disallow::InterruptingPlayback, d.interrupting_playback),
        (Disallow::Pausing, d.pausing),
        (Disallow::Resuming, d.resuming),
        (Disallow::Seeking, d.seeking),
        (Disallow::SkippingNext, d.skipping_next),
        (Disallow::SkippingPrev, d.skipping_prev),
        (Disallow::TogglingRepeatContext, d.toggling_repeat_context),
        (Disallow::TogglingShuffle, d.toggling_shuffle),
        (Disallow::TogglingRepeatTrack, d.toggling_repeat_track),
        (Disallow::TransferringPlayback, d.transferring_playback),
    ];
    let disallows = flags
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(d, _)| d)
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
    // Rows do not show art; 10,000 rows of image URLs would only cost memory.
    let mut t = i
        .item
        .map_or_else(unavailable, |item| convert_item(item, false));
    if is_local {
        t.kind = ItemKind::Local;
    }
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
