//! Shapes shared by many responses: images, paging objects, contexts, and
//! the null-tolerant deserialization helpers they rely on.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

/// Deserializes a value that the API may send as `null`, using the type's
/// default instead (e.g. `"name": null` becomes `""`).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One image (cover art, profile picture). Sizes are often `null` for
/// playlist covers and mosaics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Image {
    /// Source URL (playlist image URLs expire within a day).
    #[serde(default, deserialize_with = "null_default")]
    pub url: String,
    /// Height in pixels, if known.
    #[serde(default)]
    pub height: Option<u32>,
    /// Width in pixels, if known.
    #[serde(default)]
    pub width: Option<u32>,
}

/// Picks the smallest image at least `min_px` wide (or the largest one when
/// none is that big, or the first when sizes are unknown).
pub fn best_image(images: &[Image], min_px: u32) -> Option<&Image> {
    crate::domain::best_by_width(images, min_px, |i| i.width)
}

/// External URLs, e.g. `{"spotify": "https://open.spotify.com/…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExternalUrls {
    /// The open.spotify.com URL, if any (`{}` for local files).
    #[serde(default)]
    pub spotify: Option<String>,
}

/// Follower count (`href` is always null).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Followers {
    /// Number of followers.
    #[serde(default, deserialize_with = "null_default")]
    pub total: u64,
}

/// What playback was started from: an album, playlist, artist, show or the
/// user's collection.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    /// `album`, `playlist`, `artist`, `show`, `collection`, …
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// Spotify URI of the context.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Web API link.
    #[serde(default)]
    pub href: Option<String>,
    /// External URLs.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

/// How a page handles a `null` entry in its `items` array.
pub trait PageEntry: Sized {
    /// What a `null` entry becomes: `None` skips it (the default). Entries
    /// whose position matters (playlist items) return a placeholder instead.
    fn from_null() -> Option<Self> {
        None
    }
}

fn page_items<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + PageEntry,
{
    let raw = Option::<Vec<Option<T>>>::deserialize(d)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .filter_map(|e| e.or_else(T::from_null))
        .collect())
}

/// An offset-based page (`PagingObject`). `null` entries are skipped (or
/// replaced by a placeholder, see [`PageEntry`]) rather than failing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned + PageEntry"))]
pub struct Page<T> {
    /// The entries of this page.
    #[serde(default, deserialize_with = "page_items")]
    pub items: Vec<T>,
    /// Total number of entries across all pages.
    #[serde(default, deserialize_with = "null_default")]
    pub total: u32,
    /// Offset of the first entry of this page.
    #[serde(default, deserialize_with = "null_default")]
    pub offset: u32,
    /// Page size used by the server.
    #[serde(default, deserialize_with = "null_default")]
    pub limit: u32,
    /// URL of the next page, `None` on the last.
    #[serde(default)]
    pub next: Option<String>,
    /// URL of the previous page.
    #[serde(default)]
    pub previous: Option<String>,
    /// URL of this page.
    #[serde(default)]
    pub href: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            total: 0,
            offset: 0,
            limit: 0,
            next: None,
            previous: None,
            href: None,
        }
    }
}

/// Cursors of a cursor-based page (values are unix milliseconds as strings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cursors {
    /// Cursor for newer entries.
    #[serde(default)]
    pub after: Option<String>,
    /// Cursor for older entries.
    #[serde(default)]
    pub before: Option<String>,
}

/// A cursor-based page (`CursorPagingObject`), used by recently played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned + PageEntry"))]
pub struct CursorPage<T> {
    /// The entries.
    #[serde(default, deserialize_with = "page_items")]
    pub items: Vec<T>,
    /// Cursors for the neighbouring pages.
    #[serde(default, deserialize_with = "null_default")]
    pub cursors: Cursors,
    /// Page size.
    #[serde(default, deserialize_with = "null_default")]
    pub limit: u32,
    /// URL of the next page.
    #[serde(default)]
    pub next: Option<String>,
    /// Total, when the server sends one.
    #[serde(default)]
    pub total: Option<u32>,
}
