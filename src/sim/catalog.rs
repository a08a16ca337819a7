//! The deterministic demo catalogue: artists, albums, tracks, a podcast and
//! a few local files, plus their JSON shapes as the Web API renders them.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::ids::{base62_id, mix};
use super::wire::{MARKETS, covers, to_value};

const ARTISTS: [&str; 12] = [
    "Velvet Harbor",
    "Neon Orchard",
    "The Quiet Cartographers",
    "Luma Drift",
    "Paper Satellites",
    "Marrow & Moss",
    "Kilowatt Choir",
    "Saffron Tides",
    "Hollow Pines",
    "Static Bloom",
    "Juniper Wires",
    "Ocelot Sun",
];

const ALBUMS: [(&str, &str, usize); 12] = [
    ("Low Tide Radio", "2019-05-17", 8),
    ("Fruit of the Grid", "2021-03-05", 7),
    ("Maps for Nobody", "2016-10-21", 6),
    ("Afterglow Protocol", "2023-01-27", 7),
    ("Orbit Letters", "2018-08-10", 6),
    ("Fernlight", "2020-11-13", 8),
    ("Power Lines", "2022-06-03", 5),
    ("Copper Monsoon", "2017-02-24", 7),
    ("Winter Circuits", "2024-12-06", 6),
    ("Bloom Static", "2015-04-03", 7),
    ("Signal & Thread", "2025-09-19", 6),
    ("Amber Hours", "2014-07-11", 7),
];

const WORDS_A: [&str; 16] = [
    "Golden", "Paper", "Midnight", "Quiet", "Electric", "Hollow", "Velvet", "Crooked", "Silver",
    "Distant", "Tangled", "Neon", "Slow", "Borrowed", "Painted", "Restless",
];
const WORDS_B: [&str; 15] = [
    "Lanterns",
    "Engines",
    "Weather",
    "Rivers",
    "Letters",
    "Satellites",
    "Gardens",
    "Stairwells",
    "Static",
    "Orchards",
    "Harbors",
    "Signals",
    "Afternoons",
    "Comets",
    "Windows",
];

/// Which object a playlist entry, queue slot or context position refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemRef {
    /// Index into [`Catalog::tracks`].
    Track(usize),
    /// Index into [`Catalog::episodes`].
    Episode(usize),
    /// Index into [`Catalog::locals`].
    Local(usize),
}

/// A demo artist.
#[derive(Debug, Clone)]
pub struct Artist {
    /// Base-62 id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A demo album (one per artist).
#[derive(Debug, Clone)]
pub struct Album {
    /// Base-62 id; also names its cover image.
    pub id: String,
    /// Title.
    pub name: String,
    /// Index of the album artist.
    pub artist: usize,
    /// `YYYY-MM-DD`.
    pub release_date: String,
    /// Indices of its tracks in order.
    pub tracks: Vec<usize>,
}

/// A demo track.
#[derive(Debug, Clone)]
pub struct Track {
    /// Base-62 id.
    pub id: String,
    /// Title.
    pub name: String,
    /// Index of its album.
    pub album: usize,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// 1-based position on the album.
    pub track_number: usize,
    /// Explicit lyrics flag.
    pub explicit: bool,
    /// 0–100.
    pub popularity: u64,
}

/// A demo podcast.
#[derive(Debug, Clone)]
pub struct Show {
    /// Base-62 id.
    pub id: String,
    /// Title.
    pub name: String,
    /// Publisher.
    pub publisher: String,
}

/// A demo podcast episode.
#[derive(Debug, Clone)]
pub struct Episode {
    /// Base-62 id.
    pub id: String,
    /// Title.
    pub name: String,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// `YYYY-MM-DD`.
    pub release_date: String,
}

/// A local file that appears in a playlist but not in the catalogue.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Artist tag.
    pub artist: String,
    /// Album tag.
    pub album: String,
    /// Title tag.
    pub title: String,
    /// Length in whole seconds.
    pub seconds: u64,
}

/// Everything the simulator can play.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Artists.
    pub artists: Vec<Artist>,
    /// Albums, one per artist.
    pub albums: Vec<Album>,
    /// Tracks, album by album.
    pub tracks: Vec<Track>,
    /// The one podcast.
    pub show: Show,
    /// Its episodes, newest first.
    pub episodes: Vec<Episode>,
    /// Local files.
    pub locals: Vec<LocalFile>,
    by_uri: HashMap<String, ItemRef>,
    album_by_id: HashMap<String, usize>,
}

/// Settings that change how objects are rendered.
#[derive(Debug, Clone, Copy)]
pub struct Render<'a> {
    /// `http://127.0.0.1:PORT` of the simulator.
    pub base: &'a str,
    /// Drop the fields removed for 2026 development-mode apps.
    pub dev_mode: bool,
}

impl Catalog {
    /// Builds the demo catalogue; the same every time.
    pub fn demo() -> Self {
        let artists: Vec<Artist> = ARTISTS
            .iter()
            .enumerate()
            .map(|(i, n)| Artist {
                id: base62_id("artist", i as u64),
                name: (*n).to_string(),
            })
            .collect();
        let mut albums = Vec::new();
        let mut tracks = Vec::new();
        for (ai, (name, date, count)) in ALBUMS.iter().enumerate() {
            let mut idxs = Vec::new();
            for n in 0..*count {
                let ti = tracks.len();
                let h = mix(ti as u64 + 17);
                let title = format!(
                    "{} {}",
                    WORDS_A[(ti * 7 + ai) % WORDS_A.len()],
                    WORDS_B[(ti * 11 + n) % WORDS_B.len()]
                );
                tracks.push(Track {
                    id: base62_id("track", ti as u64),
                    name: title,
                    album: ai,
                    duration_ms: 140_000 + (h % 160_000),
                    track_number: n + 1,
                    explicit: h.is_multiple_of(9),
                    popularity: 20 + (h >> 20) % 75,
                });
                idxs.push(ti);
            }
            albums.push(Album {
                id: base62_id("album", ai as u64),
                name: (*name).to_string(),
                artist: ai,
                release_date: (*date).to_string(),
                tracks: idxs,
            });
        }
        let show = Show {
            id: base62_id("show", 0),
            name: "The Terminal Hour".into(),
            publisher: "spotdeck Radio".into(),
        };
        let episodes = [
            (
                "Ep. 42: Keyboards All the Way Down",
                2_712_000,
                "2026-05-28",
            ),
            ("Ep. 41: The Joy of Tiny Programs", 2_405_000, "2026-05-14"),
            (
                "Ep. 40: Rate Limits and Other Weather",
                3_121_000,
                "2026-04-30",
            ),
            (
                "Ep. 39: A Field Guide to Playlists",
                1_987_000,
                "2026-04-16",
            ),
        ]
        .iter()
        .enumerate()
        .map(|(i, (n, d, r))| Episode {
            id: base62_id("episode", i as u64),
            name: (*n).to_string(),
            duration_ms: *d,
            release_date: (*r).to_string(),
        })
        .collect::<Vec<_>>();
        let locals = [
            ("Garage Tapes", "Basement Sessions", "Demo One", 210),
            ("Garage Tapes", "Basement Sessions", "Feedback Loop", 187),
            (
                "Aunt Rosa",
                "Kitchen Recordings: Vol. 1",
                "Sunday Waltz",
                143,
            ),
        ]
        .iter()
        .map(|(a, al, t, s)| LocalFile {
            artist: (*a).to_string(),
            album: (*al).to_string(),
            title: (*t).to_string(),
            seconds: *s,
        })
        .collect::<Vec<_>>();
        let mut cat = Self {
            artists,
            albums,
            tracks,
            show,
            episodes,
            locals,
            by_uri: HashMap::new(),
            album_by_id: HashMap::new(),
        };
        let mut by_uri = HashMap::new();
        for i in 0..cat.tracks.len() {
            by_uri.insert(cat.uri(ItemRef::Track(i)), ItemRef::Track(i));
        }
        for i in 0..cat.episodes.len() {
            by_uri.insert(cat.uri(ItemRef::Episode(i)), ItemRef::Episode(i));
        }
        for i in 0..cat.locals.len() {
            by_uri.insert(cat.uri(ItemRef::Local(i)), ItemRef::Local(i));
        }
        cat.album_by_id = cat
            .albums
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        cat.by_uri = by_uri;
        cat
    }

    /// The Spotify URI of an item.
    pub fn uri(&self, r: ItemRef) -> String {
        match r {
            ItemRef::Track(i) => format!("spotify:track:{}", self.tracks[i].id),
            ItemRef::Episode(i) => format!("spotify:episode:{}", self.episodes[i].id),
            ItemRef::Local(i) => {
                let l = &self.locals[i];
                format!(
                    "spotify:local:{}:{}:{}:{}",
                    plus_encode(&l.artist),
                    plus_encode(&l.album),
                    plus_encode(&l.title),
                    l.seconds
                )
            }
        }
    }

    /// Looks an item up by URI (tracks, episodes and known local files).
    pub fn resolve(&self, uri: &str) -> Option<ItemRef> {
        self.by_uri.get(uri).copied()
    }

    /// Looks an album up by id.
    pub fn album_index(&self, id: &str) -> Option<usize> {
        self.album_by_id.get(id).copied()
    }

    /// Length of an item in milliseconds.
    pub fn duration_ms(&self, r: ItemRef) -> u64 {
        match r {
            ItemRef::Track(i) => self.tracks[i].duration_ms,
            ItemRef::Episode(i) => self.episodes[i].duration_ms,
            ItemRef::Local(i) => self.locals[i].seconds * 1000,
        }
    }

    /// Images of an album, 300×300 and 64×64, served by the simulator.
    pub fn album_images(&self, album: usize, base: &str) -> Value {
        to_value(&covers(base, &self.albums[album].id))
    }

    /// A `SimplifiedAlbumObject`.
    pub fn album_json(&self, a: usize, r: Render<'_>) -> Value {
        to_value(&self.album_out(a, r))
    }

    /// A full `TrackObject` or `EpisodeObject` (local files as the API shows them).
    pub fn item_json(&self, item: ItemRef, r: Render<'_>) -> Value {
        match item {
            ItemRef::Track(i) => self.track_json(i, r),
            ItemRef::Episode(i) => self.episode_json(i, r),
            ItemRef::Local(i) => self.local_json(i),
        }
    }

    fn track_json(&self, i: usize, r: Render<'_>) -> Value {
        to_value(&self.track_out(i, r))
    }

    /// A `SimplifiedShowObject` for the demo podcast.
    pub fn show_json(&self, r: Render<'_>) -> Value {
        let s = &self.show;
        json!({
            "available_markets": MARKETS,
            "copyrights": [],
            "description": "Conversations about small, sharp tools for the terminal.",
            "html_description": "<p>Conversations about small, sharp tools for the terminal.</p>",
            "explicit": false,
            "external_urls": {"spotify": format!("https://open.spotify.com/show/{}", s.id)},
            "href": format!("{}/v1/shows/{}", r.base, s.id),
            "id": s.id,
            "images": self.show_images(r.base),
            "is_externally_hosted": false,
            "languages": ["en"],
            "media_type": "audio",
            "name": s.name,
            "publisher": s.publisher,
            "total_episodes": self.episodes.len(),
            "type": "show",
            "uri": format!("spotify:show:{}", s.id),
        })
    }

    fn show_images(&self, base: &str) -> Value {
        to_value(&covers(base, &self.show.id))
    }

    fn episode_json(&self, i: usize, r: Render<'_>) -> Value {
        let e = &self.episodes[i];
        let desc = format!("{}: a conversation from The Terminal Hour.", e.name);
        json!({
            "audio_preview_url": null,
            "description": desc,
            "html_description": format!("<p>{desc}</p>"),
            "duration_ms": e.duration_ms,
            "explicit": false,
            "external_urls": {"spotify": format!("https://open.spotify.com/episode/{}", e.id)},
            "href": format!("{}/v1/episodes/{}", r.base, e.id),
            "id": e.id,
            "images": self.show_images(r.base),
            "is_externally_hosted": false,
            "is_playable": true,
            "language": "en",
            "languages": ["en"],
            "name": e.name,
            "release_date": e.release_date,
            "release_date_precision": "day",
            "resume_point": {"fully_played": false, "resume_position_ms": 0},
            "show": self.show_json(r),
            "type": "episode",
            "uri": self.uri(ItemRef::Episode(i)),
        })
    }

    fn local_json(&self, i: usize) -> Value {
        let l = &self.locals[i];
        json!({
            "album": {
                "album_type": null, "available_markets": [], "external_urls": {}, "href": null,
                "id": null, "images": [], "name": l.album, "release_date": null,
                "release_date_precision": null, "type": "album", "uri": null, "artists": [],
            },
            "artists": [{
                "external_urls": {}, "href": null, "id": null, "name": l.artist,
                "type": "artist", "uri": null,
            }],
            "available_markets": [],
            "disc_number": 0,
            "duration_ms": l.seconds * 1000,
            "episode": false,
            "explicit": false,
            "external_ids": {},
            "external_urls": {},
            "href": null,
            "id": null,
            "is_local": true,
            "name": l.title,
            "popularity": 0,
            "preview_url": null,
            "track": true,
            "track_number": 0,
            "type": "track",
            "uri": self.uri(ItemRef::Local(i)),
        })
    }
}

/// URL-encodes a local-file URI part the way Spotify does (`+` for spaces).
fn plus_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalog_has_the_promised_shape() {
        let c = Catalog::demo();
        assert_eq!(c.artists.len(), 12);
        assert_eq!(c.albums.len(), 12);
        assert_eq!(c.tracks.len(), 80);
        assert_eq!(c.episodes.len(), 4);
        let uri = c.uri(ItemRef::Track(5));
        assert_eq!(c.resolve(&uri), Some(ItemRef::Track(5)));
        let local = c.uri(ItemRef::Local(2));
        assert_eq!(
            local,
            "spotify:local:Aunt+Rosa:Kitchen+Recordings%3A+Vol.+1:Sunday+Waltz:143"
        );
        assert_eq!(c.resolve(&local), Some(ItemRef::Local(2)));
    }

    #[test]
    fn tracks_render_as_the_api_does() {
        let c = Catalog::demo();
        let r = Render {
            base: "http://x",
            dev_mode: false,
        };
        let t = c.item_json(ItemRef::Track(3), r);
        let id = &c.tracks[3].id;
        assert_eq!(t["uri"], format!("spotify:track:{id}"));
        assert_eq!(t["href"], format!("http://x/v1/tracks/{id}"));
        assert_eq!(t["external_ids"]["isrc"], "QZDEM0000003");
        assert_eq!(t["preview_url"], Value::Null);
        assert_eq!(t["available_markets"].as_array().map(Vec::len), Some(6));
        let album = &c.albums[c.tracks[3].album];
        assert_eq!(
            t["album"]["images"][1]["url"],
            format!("http://x/images/{}-64.jpg", album.id)
        );
        assert_eq!(t["album"]["artists"][0]["type"], "artist");
        assert_eq!(t.as_object().map(|o| o.len()), Some(19));
        let dev = c.item_json(
            ItemRef::Track(3),
            Render {
                dev_mode: true,
                ..r
            },
        );
        assert!(dev.get("available_markets").is_none());
        assert!(dev["album"].get("available_markets").is_none());
    }

    #[test]
    fn local_tracks_have_null_ids() {
        let c = Catalog::demo();
        let r = Render {
            base: "http://x",
            dev_mode: false,
        };
        let v = c.item_json(ItemRef::Local(0), r);
        assert!(v["id"].is_null());
        assert_eq!(v["is_local"], true);
        let t = c.item_json(ItemRef::Track(0), r);
        assert_eq!(t["type"], "track");
        let dev = c.item_json(
            ItemRef::Track(0),
            Render {
                dev_mode: true,
                ..r
            },
        );
        assert!(dev.get("popularity").is_none());
    }
}
