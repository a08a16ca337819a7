//! Typed response shapes for the hot path (playlist item pages): they borrow
//! the catalogue and serialise straight to bytes, with no `serde_json::Value`
//! tree and no per-field `String` for links, which are written piece by
//! piece as they serialise.

use std::fmt::{self, Write as _};

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::catalog::{Catalog, ItemRef, Render};

/// Markets listed on every demo track and album (dropped in 2026 dev mode).
pub const MARKETS: [&str; 6] = ["DE", "GB", "NL", "SE", "US", "FR"];

/// A string made of parts, written out only when serialised.
#[derive(Debug, Clone, Copy)]
pub struct Cat<'a, const N: usize>(pub [&'a str; N]);

impl<const N: usize> fmt::Display for Cat<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|p| f.write_str(p))
    }
}

impl<const N: usize> Serialize for Cat<'_, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `{"spotify": "https://open.spotify.com/{kind}/{id}"}`.
#[derive(Debug, Serialize)]
pub struct ExternalUrls<'a> {
    spotify: Cat<'a, 4>,
}

impl<'a> ExternalUrls<'a> {
    /// The open.spotify.com link of a `kind` (`track`, `album`, …) with `id`.
    pub fn new(kind: &'a str, id: &'a str) -> Self {
        Self {
            spotify: Cat(["https://open.spotify.com/", kind, "/", id]),
        }
    }
}

/// One image served by the simulator: `{base}/images/{key}-{size}.jpg`.
#[derive(Debug, Serialize)]
pub struct ImageOut<'a> {
    url: Cat<'a, 6>,
    height: u32,
    width: u32,
}

/// The 300 and 64 pixel covers of `key`.
pub fn covers<'a>(base: &'a str, key: &'a str) -> [ImageOut<'a>; 2] {
    [("300", 300), ("64", 64)].map(|(s, px)| ImageOut {
        url: Cat([base, "/images/", key, "-", s, ".jpg"]),
        height: px,
        width: px,
    })
}

/// A `SimplifiedArtistObject`.
#[derive(Debug, Serialize)]
pub struct ArtistOut<'a> {
    external_urls: ExternalUrls<'a>,
    href: Cat<'a, 3>,
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    uri: Cat<'a, 2>,
}

/// A `SimplifiedAlbumObject`.
#[derive(Debug, Serialize)]
pub struct AlbumOut<'a> {
    album_type: &'static str,
    total_tracks: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    available_markets: Option<&'static [&'static str]>,
    external_urls: ExternalUrls<'a>,
    href: Cat<'a, 3>,
    id: &'a str,
    images: [ImageOut<'a>; 2],
    name: &'a str,
    release_date: &'a str,
    release_date_precision: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    uri: Cat<'a, 2>,
    artists: [ArtistOut<'a>; 1],
}

/// `{"isrc": "QZDEM0000042"}`, formatted while serialised.
#[derive(Debug, Clone, Copy)]
pub struct Isrc(usize);

impl Serialize for Isrc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut code = String::with_capacity(12);
        let _ = write!(code, "QZDEM{:07}", self.0);
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("isrc", &code)?;
        m.end()
    }
}

/// A full `TrackObject` of the catalogue.
#[derive(Debug, Serialize)]
pub struct TrackOut<'a> {
    album: AlbumOut<'a>,
    artists: [ArtistOut<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    available_markets: Option<&'static [&'static str]>,
    disc_number: u32,
    duration_ms: u64,
    episode: bool,
    explicit: bool,
    external_ids: Isrc,
    external_urls: ExternalUrls<'a>,
    href: Cat<'a, 3>,
    id: &'a str,
    is_local: bool,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    popularity: Option<u64>,
    preview_url: (),
    track: bool,
    track_number: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    uri: Cat<'a, 2>,
}

/// A playable item as the API renders it: catalogue tracks typed, the rare
/// episodes and local files as built values.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ItemOut<'a> {
    /// A catalogue track.
    Track(Box<TrackOut<'a>>),
    /// An episode or a local file.
    Value(Value),
}

impl Catalog {
    /// The typed artist object.
    pub fn artist_out<'a>(&'a self, a: usize, r: Render<'a>) -> ArtistOut<'a> {
        let ar = &self.artists[a];
        ArtistOut {
            external_urls: ExternalUrls::new("artist", &ar.id),
            href: Cat([r.base, "/v1/artists/", &ar.id]),
            id: &ar.id,
            name: &ar.name,
            kind: "artist",
            uri: Cat(["spotify:artist:", &ar.id]),
        }
    }

    /// The typed simplified album object.
    pub fn album_out<'a>(&'a self, a: usize, r: Render<'a>) -> AlbumOut<'a> {
        let al = &self.albums[a];
        AlbumOut {
            album_type: if al.tracks.len() > 4 { "album" } else { "ep" },
            total_tracks: al.tracks.len(),
            available_markets: (!r.dev_mode).then_some(&MARKETS[..]),
            external_urls: ExternalUrls::new("album", &al.id),
            href: Cat([r.base, "/v1/albums/", &al.id]),
            id: &al.id,
            images: covers(r.base, &al.id),
            name: &al.name,
            release_date: &al.release_date,
            release_date_precision: "day",
            kind: "album",
            uri: Cat(["spotify:album:", &al.id]),
            artists: [self.artist_out(al.artist, r)],
        }
    }

    /// The typed track object.
    pub fn track_out<'a>(&'a self, i: usize, r: Render<'a>) -> TrackOut<'a> {
        let t = &self.tracks[i];
        let al = &self.albums[t.album];
        TrackOut {
            album: self.album_out(t.album, r),
            artists: [self.artist_out(al.artist, r)],
            available_markets: (!r.dev_mode).then_some(&MARKETS[..]),
            disc_number: 1,
            duration_ms: t.duration_ms,
            episode: false,
            explicit: t.explicit,
            external_ids: Isrc(i),
            external_urls: ExternalUrls::new("track", &t.id),
            href: Cat([r.base, "/v1/tracks/", &t.id]),
            id: &t.id,
            is_local: false,
            name: &t.name,
            popularity: (!r.dev_mode).then_some(t.popularity),
            preview_url: (),
            track: true,
            track_number: t.track_number,
            kind: "track",
            uri: Cat(["spotify:track:", &t.id]),
        }
    }

    /// Any playable item, typed where it is hot.
    pub fn item_out<'a>(&'a self, item: ItemRef, r: Render<'a>) -> ItemOut<'a> {
        match item {
            ItemRef::Track(i) => ItemOut::Track(Box::new(self.track_out(i, r))),
            other => ItemOut::Value(self.item_json(other, r)),
        }
    }
}

/// A public user object (`owner`, `added_by`).
#[derive(Debug, Serialize)]
pub struct UserOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    external_urls: ExternalUrls<'a>,
    href: Cat<'a, 3>,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    uri: Cat<'a, 2>,
}

impl<'a> UserOut<'a> {
    /// The user `id` on the simulator at `base`.
    pub fn new(base: &'a str, id: &'a str, display_name: Option<&'a str>) -> Self {
        Self {
            display_name,
            external_urls: ExternalUrls::new("user", id),
            href: Cat([base, "/v1/users/", id]),
            id,
            kind: "user",
            uri: Cat(["spotify:user:", id]),
        }
    }
}

/// One `PlaylistTrackObject`, with the item under both `item` and the
/// deprecated `track` (serialised twice from one value).
#[derive(Debug)]
pub struct EntryOut<'a> {
    /// RFC 3339 time it was added.
    pub added_at: String,
    /// Who added it.
    pub added_by: UserOut<'a>,
    /// A local file.
    pub is_local: bool,
    /// The item.
    pub item: ItemOut<'a>,
}

/// `{"url": null}`.
#[derive(Serialize)]
struct Thumbnail {
    url: (),
}

impl Serialize for EntryOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("PlaylistTrackObject", 7)?;
        m.serialize_field("added_at", &self.added_at)?;
        m.serialize_field("added_by", &self.added_by)?;
        m.serialize_field("is_local", &self.is_local)?;
        m.serialize_field("primary_color", &())?;
        m.serialize_field("item", &self.item)?;
        m.serialize_field("track", &self.item)?;
        m.serialize_field("video_thumbnail", &Thumbnail { url: () })?;
        m.end()
    }
}

/// A paging object with typed items.
#[derive(Debug, Serialize)]
pub struct PageOut<T> {
    /// This page.
    pub href: String,
    /// The entries.
    pub items: Vec<T>,
    /// Page size.
    pub limit: usize,
    /// The next page.
    pub next: Option<String>,
    /// First index.
    pub offset: usize,
    /// The previous page.
    pub previous: Option<String>,
    /// Entries over all pages.
    pub total: usize,
}

/// Any serialisable shape as a `Value` (for filtering and for the handlers
/// that still build trees); never fails for these shapes.
pub fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
