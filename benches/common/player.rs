//! The player screen as the benches draw it: playing, a queue of 20, 50
//! recently played, 4 devices and a 640×640 cover encoded with halfblocks.

use std::sync::Arc;
use std::time::Instant;

use ratatui::layout::{Rect, Size};
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::AppState;
use spotdeck::config::Config;
use spotdeck::cover::ArtProtocol;
use spotdeck::domain::{Device, ImageRef, ItemKind, Playback, RecentEntry, Repeat, Track};
use spotdeck::ui::layout;

fn track(n: usize) -> Track {
    Track {
        uri: format!("spotify:track:{n:022}"),
        title: format!("A fairly long song title number {n} (Remastered 2011)"),
        artists: vec![format!("Artist {n}"), "Featured Guest".into()],
        album: format!("Album {}", n / 10),
        duration_ms: 180_000 + (n as u64 * 7_919) % 120_000,
        kind: ItemKind::Track,
        images: vec![ImageRef {
            url: format!("http://img/{n}.jpg"),
            width: Some(640),
        }],
        is_playable: !n.is_multiple_of(17),
    }
}

fn device(n: usize, active: bool) -> Device {
    Device {
        id: Some(format!("device{n}")),
        name: format!("Device number {n}"),
        kind: ["Computer", "Smartphone", "Speaker", "TV"][n % 4].into(),
        is_active: active,
        is_restricted: false,
        volume: Some(40),
        supports_volume: true,
    }
}

/// A player state as it looks after the first polls: playing, a queue of 20,
/// 50 recently played, 4 devices and encoded cover art.
pub fn player_state(size: (u16, u16)) -> AppState {
    let now = Instant::now();
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.size = size;
    s.devices = (0..4).map(|i| device(i, i == 0)).collect();
    let current = track(1);
    let art_url = current.images[0].url.clone();
    s.playback = Some(Playback {
        device: Some(device(0, true)),
        item: Some(current),
        is_playing: true,
        progress_ms: 42_000,
        fetched_at: now,
        shuffle: true,
        repeat: Repeat::Context,
        context_uri: Some("spotify:playlist:5EverythingEverDemo005".into()),
        disallows: spotdeck::domain::Disallows::default(),
    });
    s.playback_loaded = true;
    s.queue = (2..22).map(track).collect();
    s.recent = (100..150)
        .map(|n| RecentEntry {
            track: track(n),
            played_at: "2026-05-31T12:00:00Z".into(),
            context_uri: None,
        })
        .collect();
    s.user = Some(("demo".into(), "Demo User".into()));

    // Cover art: a 640×640 gradient, encoded with halfblocks like the app does.
    let img = image::RgbImage::from_fn(640, 640, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 3) as u8, ((x + y) / 6) as u8])
    });
    let img = Arc::new(image::DynamicImage::ImageRgb8(img));
    s.art.wanted = Some(art_url.clone());
    s.art.decoded = Some((art_url.clone(), Arc::clone(&img)));
    let area = Rect::new(0, 0, size.0, size.1);
    if let Some(rect) = layout::player(area, &s).art {
        let picker = Picker::halfblocks();
        let protocol = picker
            .new_protocol(
                (*img).clone(),
                Size::new(rect.width, rect.height),
                Resize::Fit(None),
            )
            .expect("halfblocks encoding");
        s.art.encoded = Some(ArtProtocol {
            url: art_url,
            cells: (rect.width, rect.height),
            protocol: Arc::new(protocol),
        });
    }
    s
}
