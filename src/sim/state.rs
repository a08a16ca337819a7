//! The simulator's mutable world: user, devices, playlists, playback, tokens,
//! and the demo data it starts with.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;

use super::accounts::AuthState;
use super::catalog::{Catalog, ItemRef, Render};
use super::ids::{hash_str, mix};
use super::playback::{HistoryEntry, Playback, Repeat};

/// Id of the demo user.
pub const DEMO_USER_ID: &str = "demo";
/// Display name of the demo user.
pub const DEMO_USER_NAME: &str = "Demo Listener";
/// Id of the user who owns the followed playlist.
pub const CURATOR_USER_ID: &str = "crate-digger";

/// Device id of "Study Desktop" (Computer, active at start).
pub const DEVICE_DESKTOP: &str = "42999b74b62dafe1fe356ead8878ae91ffe6a8eb";
/// Device id of "Pixel Phone" (Smartphone).
pub const DEVICE_PHONE: &str = "5d1e856098d46c07790edd6734dad656b1923969";
/// Device id of "Living Room Speaker" (Speaker, no volume control).
pub const DEVICE_SPEAKER: &str = "55002832066ce42faac8b53d1c3a1cf894014db7";
/// Device id of "Office TV" (TV, restricted: commands refused).
pub const DEVICE_TV: &str = "14ec9bdf29a51017a515337db2b5c1b0ddc051fb";

/// "Morning Commute": owned, public, 24 tracks; the initial context.
pub const PLAYLIST_MORNING: &str = "1MorningCommuteDemo001";
/// "Deep Focus (with friends)": owned, private, collaborative; has an episode.
pub const PLAYLIST_FOCUS: &str = "2DeepFocusCollabDemo02";
/// "Sunday Slow": owned, private.
pub const PLAYLIST_SUNDAY: &str = "3SundayMorningDemo0003";
/// "Local Files & Dupes": owned, private; 3 local files and a duplicate track.
pub const PLAYLIST_LOCAL: &str = "4LocalFilesAndDupes004";
/// "Everything, Ever": owned, public, 10,000 items.
pub const PLAYLIST_EVERYTHING: &str = "5EverythingEverDemo005";
/// "Indie Discoveries": followed, owned by `crate-digger`, public.
pub const PLAYLIST_FOLLOWED: &str = "6IndieDiscoveries00006";
/// "Fresh Finds Demo": Spotify-owned editorial (featured).
pub const PLAYLIST_EDITORIAL_FRESH: &str = "37i9dQZF1DXdemoFresh01";
/// "Chill Demo Mix": Spotify-owned editorial (featured, category `chill`).
pub const PLAYLIST_EDITORIAL_CHILL: &str = "37i9dQZF1DXdemoChill02";
/// "Party Demo Mix": Spotify-owned editorial (category `party`).
pub const PLAYLIST_EDITORIAL_PARTY: &str = "37i9dQZF1DXdemoParty03";

/// Number of items in "Everything, Ever".
pub const EVERYTHING_LEN: usize = 10_000;

/// A Spotify Connect device.
#[derive(Debug, Clone)]
pub struct Device {
    /// Stable internal key.
    pub key: u64,
    /// API id; `None` renders as `null`.
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Type, e.g. `Computer`.
    pub kind: String,
    /// Volume; `None` renders as `null`.
    pub volume_percent: Option<u8>,
    /// Whether volume can be set.
    pub supports_volume: bool,
    /// Whether Web API commands are refused.
    pub is_restricted: bool,
    /// Private session flag.
    pub is_private_session: bool,
}

/// One entry of a playlist.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// What it is.
    pub item: ItemRef,
    /// Unix seconds when added.
    pub added_at: i64,
    /// True when added by the curator instead of the demo user.
    pub by_curator: bool,
}

/// A playlist.
#[derive(Debug, Clone)]
pub struct Playlist {
    /// Base-62 id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (may be empty).
    pub description: String,
    /// Owner user id.
    pub owner_id: String,
    /// Owner display name.
    pub owner_name: String,
    /// Public flag.
    pub public: bool,
    /// Collaborative flag.
    pub collaborative: bool,
    /// Entries in order.
    pub entries: Vec<Entry>,
    /// Bumped on every edit; the snapshot id encodes it.
    pub version: u64,
    /// Uploaded cover JPEG, if any.
    pub cover: Option<Vec<u8>>,
    /// Follower count.
    pub followers: u64,
}

impl Playlist {
    /// The current snapshot id (changes on every edit).
    pub fn snapshot_id(&self) -> String {
        self.snapshot_for(self.version)
    }

    /// The snapshot id this playlist had at `version`.
    pub fn snapshot_for(&self, version: u64) -> String {
        let mut raw = version.to_be_bytes().to_vec();
        raw.extend_from_slice(&mix(hash_str(&self.id) ^ version).to_be_bytes());
        raw.extend_from_slice(&mix(version).to_be_bytes()[..8]);
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    /// True when `snapshot` is this playlist's current or an earlier snapshot id.
    pub fn knows_snapshot(&self, snapshot: &str) -> bool {
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(snapshot) else {
            return false;
        };
        let Some(v) = raw.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) else {
            return false;
        };
        let v = u64::from_be_bytes(v);
        v <= self.version && self.snapshot_for(v) == snapshot
    }

    /// True for Spotify-owned editorial playlists.
    pub fn spotify_owned(&self) -> bool {
        self.owner_id == "spotify"
    }
}

/// Everything the simulator knows, behind one mutex.
#[derive(Debug)]
pub struct SimState {
    /// The catalogue.
    pub catalog: Catalog,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Devices in display order.
    pub devices: Vec<Device>,
    next_device_key: u64,
    /// Playlists by id.
    pub playlists: HashMap<String, Playlist>,
    /// Ids in the demo user's library, newest first.
    pub library: Vec<String>,
    /// Liked Songs, saved albums/shows/episodes, followed artists, resume points.
    pub saved: super::saved::Saved,
    /// Category id to playlist ids.
    pub categories: Vec<(String, Vec<String>)>,
    /// Playback session.
    pub playback: Playback,
    /// Premium account (player commands need it).
    pub premium: bool,
    /// February-2026 development-mode rules.
    pub dev_mode_2026: bool,
    /// Tokens, codes, clients.
    pub auth: AuthState,
    /// Added to real time, so tests can fast-forward the playback clock.
    pub clock_offset: Duration,
    created_playlists: u64,
}

impl SimState {
    /// The demo world, served at `base`.
    pub fn demo(base: String, dev_mode_2026: bool) -> Self {
        let catalog = Catalog::demo();
        let now = Instant::now();
        let wall = wall_ms_at(Duration::ZERO);
        let saved = super::saved::Saved::demo(&catalog, wall / 1000);
        let mut s = Self {
            saved,
            catalog,
            base,
            devices: Vec::new(),
            next_device_key: 1,
            playlists: HashMap::new(),
            library: Vec::new(),
            categories: Vec::new(),
            playback: Playback::idle(now),
            premium: true,
            dev_mode_2026,
            auth: AuthState::new(),
            clock_offset: Duration::ZERO,
            created_playlists: 0,
        };
        s.add_device(
            Some(DEVICE_DESKTOP),
            "Study Desktop",
            "Computer",
            Some(62),
            true,
            false,
        );
        s.add_device(
            Some(DEVICE_PHONE),
            "Pixel Phone",
            "Smartphone",
            Some(80),
            true,
            false,
        );
        s.add_device(
            Some(DEVICE_SPEAKER),
            "Living Room Speaker",
            "Speaker",
            None,
            false,
            false,
        );
        s.add_device(Some(DEVICE_TV), "Office TV", "TV", Some(30), true, true);
        s.add_device(None, "Kitchen Sonos", "Speaker", Some(45), true, true);
        s.build_playlists(wall / 1000);
        // Start paused on the third track of "Morning Commute" on the desktop.
        let items: Vec<ItemRef> = s.playlists[PLAYLIST_MORNING]
            .entries
            .iter()
            .map(|e| e.item)
            .collect();
        s.playback.device = Some(1);
        s.playback.load(
            Some(format!("spotify:playlist:{PLAYLIST_MORNING}")),
            items,
            2,
            42_000,
            now,
        );
        s.playback.queue.push_back(ItemRef::Track(40));
        s.playback.queue.push_back(ItemRef::Episode(0));
        s.playback.changed_at_ms = wall;
        for i in 0..30usize {
            s.playback.history.push_back(HistoryEntry {
                track: (i * 13 + 5) % 80,
                played_at_ms: wall - 600_000 - (i as i64) * 240_000,
                context_uri: Some(format!("spotify:playlist:{PLAYLIST_SUNDAY}")),
            });
        }
        s
    }

    fn build_playlists(&mut self, now_s: i64) {
        let t = |i: usize| ItemRef::Track(i % 80);
        let mk = |ids: Vec<ItemRef>, start: i64, curator: bool| -> Vec<Entry> {
            ids.into_iter()
                .enumerate()
                .map(|(i, item)| Entry {
                    item,
                    added_at: start + i as i64 * 3_600,
                    by_curator: curator,
                })
                .collect()
        };
        let day = 86_400;
        let morning = mk(
            (0..24).map(|i| t(i * 3)).collect(),
            now_s - 200 * day,
            false,
        );
        let mut focus_items: Vec<ItemRef> = (0..14).map(|i| t(i * 5 + 1)).collect();
        focus_items.insert(6, ItemRef::Episode(1));
        let mut focus = mk(focus_items, now_s - 90 * day, false);
        for e in focus.iter_mut().skip(8) {
            e.by_curator = true;
        }
        let sunday = mk(
            (0..12).map(|i| t(79 - i * 2)).collect(),
            now_s - 30 * day,
            false,
        );
        let local = mk(
            vec![
                t(10),
                ItemRef::Local(0),
                t(11),
                ItemRef::Local(1),
                t(10),
                ItemRef::Local(2),
                t(12),
            ],
            now_s - 400 * day,
            false,
        );
        let everything: Vec<Entry> = (0..EVERYTHING_LEN)
            .map(|i| Entry {
                item: ItemRef::Track((i * 37 + i / 80) % 80),
                added_at: now_s - 3 * 365 * day + i as i64 * 9_000,
                by_curator: false,
            })
            .collect();
        let followed = mk(
            (0..18).map(|i| t(i * 4 + 2)).collect(),
            now_s - 60 * day,
            true,
        );
        let editorial = |k: usize| -> Vec<Entry> {
            mk(
                (0..20).map(|i| t(i * 9 + k)).collect(),
                now_s - 7 * day,
                false,
            )
        };
        let me = (DEMO_USER_ID, DEMO_USER_NAME);
        let defs = vec![
            (
                PLAYLIST_MORNING,
                "Morning Commute",
                "Upbeat songs for the ride in.",
                me,
                true,
                false,
                morning,
                12,
            ),
            (
                PLAYLIST_FOCUS,
                "Deep Focus (with friends)",
                "A shared list for long work sessions.",
                me,
                false,
                true,
                focus,
                3,
            ),
            (
                PLAYLIST_SUNDAY,
                "Sunday Slow",
                "",
                me,
                false,
                false,
                sunday,
                0,
            ),
            (
                PLAYLIST_LOCAL,
                "Local Files & Dupes",
                "Songs from my hard drive, and one twice.",
                me,
                false,
                false,
                local,
                0,
            ),
            (
                PLAYLIST_EVERYTHING,
                "Everything, Ever",
                "Ten thousand songs. Scroll responsibly.",
                me,
                true,
                false,
                everything,
                41,
            ),
            (
                PLAYLIST_FOLLOWED,
                "Indie Discoveries",
                "New finds from small labels, every Friday.",
                (CURATOR_USER_ID, "Crate Digger"),
                true,
                false,
                followed,
                8_312,
            ),
            (
                PLAYLIST_EDITORIAL_FRESH,
                "Fresh Finds Demo",
                "The best new music nobody has heard yet.",
                ("spotify", "Spotify"),
                true,
                false,
                editorial(1),
                512_004,
            ),
            (
                PLAYLIST_EDITORIAL_CHILL,
                "Chill Demo Mix",
                "Kick back to the best new and recent chill hits.",
                ("spotify", "Spotify"),
                true,
                false,
                editorial(4),
                1_204_551,
            ),
            (
                PLAYLIST_EDITORIAL_PARTY,
                "Party Demo Mix",
                "Turn it up.",
                ("spotify", "Spotify"),
                true,
                false,
                editorial(7),
                887_120,
            ),
        ];
        for (id, name, desc, owner, public, collab, entries, followers) in defs {
            self.playlists.insert(
                id.to_string(),
                Playlist {
                    id: id.to_string(),
                    name: name.to_string(),
                    description: desc.to_string(),
                    owner_id: owner.0.to_string(),
                    owner_name: owner.1.to_string(),
                    public,
                    collaborative: collab,
                    entries,
                    version: 1 + hash_str(id) % 40,
                    cover: None,
                    followers,
                },
            );
        }
        self.library = [
            PLAYLIST_MORNING,
            PLAYLIST_FOCUS,
            PLAYLIST_SUNDAY,
            PLAYLIST_LOCAL,
            PLAYLIST_EVERYTHING,
            PLAYLIST_FOLLOWED,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        self.categories = vec![
            (
                "chill".into(),
                vec![
                    PLAYLIST_EDITORIAL_CHILL.into(),
                    PLAYLIST_EDITORIAL_FRESH.into(),
                ],
            ),
            (
                "focus".into(),
                vec![PLAYLIST_EDITORIAL_FRESH.into(), PLAYLIST_FOLLOWED.into()],
            ),
            ("party".into(), vec![PLAYLIST_EDITORIAL_PARTY.into()]),
        ];
    }

    /// Adds a device and returns its key.
    pub fn add_device(
        &mut self,
        id: Option<&str>,
        name: &str,
        kind: &str,
        volume: Option<u8>,
        supports_volume: bool,
        restricted: bool,
    ) -> u64 {
        let key = self.next_device_key;
        self.next_device_key += 1;
        self.devices.push(Device {
            key,
            id: id.map(str::to_string),
            name: name.to_string(),
            kind: kind.to_string(),
            volume_percent: volume,
            supports_volume,
            is_restricted: restricted,
            is_private_session: false,
        });
        key
    }

    /// Simulated "now" (real time plus the test offset).
    pub fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// Simulated wall clock in Unix milliseconds.
    pub fn wall_ms(&self) -> i64 {
        wall_ms_at(self.clock_offset)
    }

    /// Brings the playback clock up to now.
    pub fn sync(&mut self) {
        let now = self.now();
        let wall = self.wall_ms();
        self.playback.sync(now, wall, &self.catalog);
    }

    /// Rendering settings for JSON.
    pub fn render(&self) -> Render<'_> {
        Render {
            base: &self.base,
            dev_mode: self.dev_mode_2026,
        }
    }

    /// The active device, if any.
    pub fn active_device(&self) -> Option<&Device> {
        let key = self.playback.device?;
        self.devices.iter().find(|d| d.key == key)
    }

    /// Finds a device by API id.
    pub fn device_by_id(&self, id: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.id.as_deref() == Some(id))
    }

    /// Mutable active device.
    pub fn active_device_mut(&mut self) -> Option<&mut Device> {
        let key = self.playback.device?;
        self.devices.iter_mut().find(|d| d.key == key)
    }

    /// Creates a playlist owned by the demo user; returns its id.
    pub fn create_playlist(
        &mut self,
        name: &str,
        description: &str,
        public: bool,
        collaborative: bool,
    ) -> String {
        self.created_playlists += 1;
        let id = super::ids::base62_id("created-playlist", self.created_playlists);
        self.playlists.insert(
            id.clone(),
            Playlist {
                id: id.clone(),
                name: name.to_string(),
                description: description.to_string(),
                owner_id: DEMO_USER_ID.into(),
                owner_name: DEMO_USER_NAME.into(),
                public,
                collaborative,
                entries: Vec::new(),
                version: 1,
                cover: None,
                followers: 0,
            },
        );
        self.library.insert(0, id.clone());
        id
    }

    /// Whether the demo user may read a playlist's items under the 2026 rules.
    pub fn user_owns_or_collaborates(&self, p: &Playlist) -> bool {
        p.owner_id == DEMO_USER_ID || p.collaborative && self.library.contains(&p.id)
    }

    /// A repeat mode setter that keeps `timestamp` fresh.
    pub fn set_repeat(&mut self, r: Repeat) {
        self.playback.repeat = r;
        self.touch();
    }

    /// Marks the playback state as changed now.
    pub fn touch(&mut self) {
        self.playback.changed_at_ms = self.wall_ms();
    }
}

fn wall_ms_at(offset: Duration) -> i64 {
    let now = SystemTime::now() + offset;
    now.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ids_look_like_spotify_ids() {
        for id in [
            PLAYLIST_MORNING,
            PLAYLIST_FOCUS,
            PLAYLIST_SUNDAY,
            PLAYLIST_LOCAL,
            PLAYLIST_EVERYTHING,
            PLAYLIST_FOLLOWED,
            PLAYLIST_EDITORIAL_FRESH,
            PLAYLIST_EDITORIAL_CHILL,
            PLAYLIST_EDITORIAL_PARTY,
        ] {
            assert_eq!(id.len(), 22, "{id}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
        }
        for d in [DEVICE_DESKTOP, DEVICE_PHONE, DEVICE_SPEAKER, DEVICE_TV] {
            assert_eq!(d.len(), 40);
        }
    }

    #[test]
    fn demo_state_starts_paused_on_the_desktop() {
        let s = SimState::demo("http://x".into(), false);
        assert_eq!(
            s.active_device().map(|d| d.name.as_str()),
            Some("Study Desktop")
        );
        assert!(!s.playback.is_playing);
        assert_eq!(
            s.playlists[PLAYLIST_EVERYTHING].entries.len(),
            EVERYTHING_LEN
        );
        let p = &s.playlists[PLAYLIST_MORNING];
        let before = p.snapshot_id();
        let mut p2 = p.clone();
        p2.version += 1;
        assert_ne!(before, p2.snapshot_id());
    }
}
