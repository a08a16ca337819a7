//! Playlists, their items and the small bodies playlist edits return.
//!
//! Since February 2026 the API sends `items` (new) next to `tracks`
//! (deprecated) and per entry `item` next to `track`. These types read both,
//! prefer the new key and keep a single field.

use serde::de::{self, Visitor};
use serde::{Deserialize, Serialize};

use super::common::{
    ExternalUrls, Followers, Image, Page, PageEntry, best_image, lenient, null_default,
};
use super::item::PlayableItem;

/// A user as embedded in playlists (`added_by`, `owner`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlaylistUser {
    /// User id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Display name, when available.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Spotify URI.
    #[serde(default)]
    pub uri: Option<String>,
}

impl PlaylistUser {
    /// The display name, or the id when there is none.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.id)
    }
}

/// One entry of a playlist. `item` is `None` when the track is unavailable
/// (or the entry itself was `null`), which keeps positions intact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "RawPlaylistItem")]
pub struct PlaylistItem {
    /// When it was added (RFC 3339); `None` for very old playlists.
    pub added_at: Option<String>,
    /// Who added it.
    pub added_by: Option<PlaylistUser>,
    /// A local file.
    pub is_local: bool,
    /// The track or episode (`item`, falling back to the deprecated `track`).
    pub item: Option<PlayableItem>,
}

/// The entry's keys, read in one pass. Once `item` has been read, the
/// deprecated `track` copy after it is skipped without building it.
#[derive(Default)]
struct RawPlaylistItem {
    added_at: Option<String>,
    added_by: Option<PlaylistUser>,
    is_local: bool,
    item: Option<PlayableItem>,
    track: Option<PlayableItem>,
}

impl<'de> Deserialize<'de> for RawPlaylistItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntryVisitor)
    }
}

/// `tolerant_item` as a type, for reading it inside a map visitor.
struct Tolerant(Option<PlayableItem>);

impl<'de> Deserialize<'de> for Tolerant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tolerant_item(d).map(Tolerant)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = RawPlaylistItem;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a playlist entry object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut r = RawPlaylistItem::default();
        while let Some(key) = map.next_key::<EntryKey>()? {
            match key {
                EntryKey::AddedAt => r.added_at = map.next_value()?,
                EntryKey::AddedBy => r.added_by = map.next_value()?,
                EntryKey::IsLocal => {
                    r.is_local = map.next_value::<Option<bool>>()?.unwrap_or_default();
                }
                EntryKey::Item => r.item = map.next_value::<Tolerant>()?.0,
                EntryKey::Track if r.item.is_none() => r.track = map.next_value::<Tolerant>()?.0,
                EntryKey::Track | EntryKey::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(r)
    }
}

/// The keys of a playlist entry this client reads.
enum EntryKey {
    AddedAt,
    AddedBy,
    IsLocal,
    Item,
    Track,
    Other,
}

impl<'de> Deserialize<'de> for EntryKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(EntryKeyVisitor)
    }
}

struct EntryKeyVisitor;

impl Visitor<'_> for EntryKeyVisitor {
    type Value = EntryKey;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v {
            "added_at" => EntryKey::AddedAt,
            "added_by" => EntryKey::AddedBy,
            "is_local" => EntryKey::IsLocal,
            "item" => EntryKey::Item,
            "track" => EntryKey::Track,
            _ => EntryKey::Other,
        })
    }
}

/// Reads a playable item; a value that is not an object (e.g. the `"track":
/// true` flag some responses put on tracks) counts as absent. Objects are
/// decoded straight from the stream, never buffered.
fn tolerant_item<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<PlayableItem>, D::Error> {
    d.deserialize_any(ItemOrNothing)
}

struct ItemOrNothing;

impl<'de> Visitor<'de> for ItemOrNothing {
    type Value = Option<PlayableItem>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a track or episode object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        PlayableItem::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl From<RawPlaylistItem> for PlaylistItem {
    fn from(r: RawPlaylistItem) -> Self {
        Self {
            added_at: r.added_at,
            added_by: r.added_by,
            is_local: r.is_local,
            item: r.item.or(r.track),
        }
    }
}

impl PageEntry for PlaylistItem {
    fn from_null() -> Option<Self> {
        Some(Self::default())
    }
}

impl PlaylistItem {
    /// "Name — Artists", or "(unavailable)" when the item is missing.
    pub fn display(&self) -> String {
        match &self.item {
            Some(PlayableItem::Unknown) | None => "(unavailable)".to_owned(),
            Some(i) => i.display(),
        }
    }

    /// The URI, when there is an item.
    pub fn uri(&self) -> Option<&str> {
        self.item
            .as_ref()
            .map(PlayableItem::uri)
            .filter(|u| !u.is_empty())
    }

    /// True when it can be played (present, known and not marked unplayable).
    pub fn playable(&self) -> bool {
        self.item.as_ref().is_some_and(PlayableItem::playable)
    }
}

/// `{href, total}`: how many items a simplified playlist has.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemsRef {
    /// Where to fetch the items.
    #[serde(default)]
    pub href: Option<String>,
    /// Number of items.
    #[serde(default, deserialize_with = "lenient")]
    pub total: u32,
}

/// A full playlist (`PlaylistObject`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "RawPlaylist")]
pub struct Playlist {
    /// Playlist id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (may contain HTML entities); `None` when not set.
    pub description: Option<String>,
    /// Spotify URI.
    pub uri: String,
    /// Owner.
    pub owner: PlaylistUser,
    /// Public on the profile; `None` when not relevant.
    pub public: Option<bool>,
    /// Collaborative.
    pub collaborative: bool,
    /// Version identifier of the contents.
    pub snapshot_id: String,
    /// Cover images (sizes often unknown).
    pub images: Vec<Image>,
    /// Followers.
    pub followers: Option<Followers>,
    /// External URLs.
    pub external_urls: ExternalUrls,
    /// First page of items (`items`, falling back to `tracks`); `None` when
    /// the API withholds items (playlists the user neither owns nor
    /// collaborates on, in development mode).
    pub items: Option<Page<PlaylistItem>>,
}

#[derive(Deserialize)]
struct RawPlaylist {
    #[serde(default, deserialize_with = "null_default")]
    id: String,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    uri: String,
    #[serde(default, deserialize_with = "null_default")]
    owner: PlaylistUser,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    collaborative: bool,
    #[serde(default, deserialize_with = "null_default")]
    snapshot_id: String,
    #[serde(default, deserialize_with = "null_default")]
    images: Vec<Image>,
    #[serde(default)]
    followers: Option<Followers>,
    #[serde(default, deserialize_with = "null_default")]
    external_urls: ExternalUrls,
    #[serde(default)]
    items: Option<Page<PlaylistItem>>,
    #[serde(default)]
    tracks: Option<Page<PlaylistItem>>,
}

impl From<RawPlaylist> for Playlist {
    fn from(r: RawPlaylist) -> Self {
        Self {
            id: r.id,
            name: r.name,
            description: r.description,
            uri: r.uri,
            owner: r.owner,
            public: r.public,
            collaborative: r.collaborative,
            snapshot_id: r.snapshot_id,
            images: r.images,
            followers: r.followers,
            external_urls: r.external_urls,
            items: r.items.or(r.tracks),
        }
    }
}

impl Playlist {
    /// Total number of items, when the API sent the items object.
    pub fn total(&self) -> Option<u32> {
        self.items.as_ref().map(|p| p.total)
    }

    /// The smallest cover at least `min_px` wide.
    pub fn image_url(&self, min_px: u32) -> Option<&str> {
        best_image(&self.images, min_px).map(|i| i.url.as_str())
    }
}

/// A playlist in a list (`SimplifiedPlaylistObject`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "RawSimplifiedPlaylist")]
pub struct SimplifiedPlaylist {
    /// Playlist id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Spotify URI.
    pub uri: String,
    /// Owner.
    pub owner: PlaylistUser,
    /// Public on the profile.
    pub public: Option<bool>,
    /// Collaborative.
    pub collaborative: bool,
    /// Version identifier.
    pub snapshot_id: String,
    /// Cover images.
    pub images: Vec<Image>,
    /// Item count reference (`items`, falling back to `tracks`).
    pub items: ItemsRef,
}

#[derive(Deserialize)]
struct RawSimplifiedPlaylist {
    #[serde(default, deserialize_with = "null_default")]
    id: String,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    uri: String,
    #[serde(default, deserialize_with = "null_default")]
    owner: PlaylistUser,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    collaborative: bool,
    #[serde(default, deserialize_with = "null_default")]
    snapshot_id: String,
    #[serde(default, deserialize_with = "null_default")]
    images: Vec<Image>,
    #[serde(default)]
    items: Option<ItemsRef>,
    #[serde(default)]
    tracks: Option<ItemsRef>,
}

impl From<RawSimplifiedPlaylist> for SimplifiedPlaylist {
    fn from(r: RawSimplifiedPlaylist) -> Self {
        Self {
            id: r.id,
            name: r.name,
            description: r.description,
            uri: r.uri,
            owner: r.owner,
            public: r.public,
            collaborative: r.collaborative,
            snapshot_id: r.snapshot_id,
            images: r.images,
            items: r.items.or(r.tracks).unwrap_or_default(),
        }
    }
}

impl PageEntry for SimplifiedPlaylist {}

impl SimplifiedPlaylist {
    /// Number of items.
    pub fn total(&self) -> u32 {
        self.items.total
    }

    /// The smallest cover at least `min_px` wide.
    pub fn image_url(&self, min_px: u32) -> Option<&str> {
        best_image(&self.images, min_px).map(|i| i.url.as_str())
    }
}

/// `{snapshot_id}` returned by item edits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SnapshotId {
    /// The new version identifier.
    #[serde(default, deserialize_with = "null_default")]
    pub snapshot_id: String,
}

/// Featured and category playlists (`PagingFeaturedPlaylistObject`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeaturedPlaylists {
    /// Localized headline, when sent.
    #[serde(default)]
    pub message: Option<String>,
    /// The playlists.
    #[serde(default, deserialize_with = "null_default")]
    pub playlists: Page<SimplifiedPlaylist>,
}

/// `GET /playlists/{id}/images`: a bare array.
pub type CoverImages = Vec<Image>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn name(v: serde_json::Value) -> Option<String> {
        let e: PlaylistItem = serde_json::from_value(v).expect("decodes");
        e.item.map(|i| i.display())
    }

    #[test]
    fn item_wins_over_track_in_either_order() {
        let a = json!({"type": "track", "name": "A", "uri": "spotify:track:a"});
        let b = json!({"type": "track", "name": "B", "uri": "spotify:track:b"});
        let first = name(json!({"item": a, "track": b})).expect("item");
        assert!(first.starts_with('A'), "{first}");
        let second = name(json!({"track": b, "item": a})).expect("item");
        assert!(second.starts_with('A'), "{second}");
        let fallback = name(json!({"item": null, "track": b})).expect("track");
        assert!(fallback.starts_with('B'), "{fallback}");
        let flag = name(json!({"item": a, "track": true})).expect("item");
        assert!(flag.starts_with('A'), "{flag}");
        assert_eq!(name(json!({"track": true, "is_local": false})), None);
    }

    #[test]
    fn an_entry_reads_its_other_keys() {
        let e: PlaylistItem = serde_json::from_value(json!({
            "added_at": "2024-01-01T00:00:00Z",
            "added_by": {"id": "me", "type": "user"},
            "is_local": null,
            "primary_color": null,
            "video_thumbnail": {"url": null},
            "item": {"type": "episode", "name": "E", "uri": "spotify:episode:e"}
        }))
        .expect("decodes");
        assert_eq!(e.added_at.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(e.added_by.map(|u| u.id).as_deref(), Some("me"));
        assert!(!e.is_local);
        assert!(matches!(e.item, Some(PlayableItem::Episode(_))));
    }
}
