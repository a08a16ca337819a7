//! Shapes shared by many responses: images, paging objects, contexts, and
//! the null-tolerant deserialization helpers they rely on.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
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

/// Reads any JSON value as a number of type `T`: `None` for `null`, for a
/// number outside `T`'s range (a negative `duration_ms`, a `u8` volume of
/// 300) and for a value that is not a number. One bad field degrades to its
/// default instead of failing the whole response.
struct LenientNum<T>(PhantomData<T>);

impl<'de, T: TryFrom<u64> + TryFrom<i64>> Visitor<'de> for LenientNum<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::try_from(v).ok())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::try_from(v).ok())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Whole numbers sent as floats (`120.0`) are still numbers.
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(T::try_from(v as i64).ok())
        } else {
            Ok(None)
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A number that may be absent, `null` or out of range (then `None`).
pub(crate) fn lenient_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64> + TryFrom<i64>,
{
    d.deserialize_any(LenientNum(PhantomData))
}

/// A number that falls back to `T::default()` when `null` or out of range.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64> + TryFrom<i64> + Default,
{
    Ok(lenient_opt(d)?.unwrap_or_default())
}

/// One image (cover art, profile picture). Sizes are often `null` for
/// playlist covers and mosaics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Image {
    /// Source URL (playlist image URLs expire within a day).
    #[serde(default, deserialize_with = "null_default")]
    pub url: String,
    /// Height in pixels, if known (and not negative).
    #[serde(default, deserialize_with = "lenient_opt")]
    pub height: Option<u32>,
    /// Width in pixels, if known (and not negative).
    #[serde(default, deserialize_with = "lenient_opt")]
    pub width: Option<u32>,
}

/// Picks the smallest image at least `min_px` wide (or the largest one when
/// none is that big, or the first when sizes are unknown).
pub fn best_image(images: &[Image], min_px: u32) -> Option<&Image> {
    let sized = images.iter().filter(|i| i.width.is_some());
    let big_enough = sized
        .clone()
        .filter(|i| i.width.unwrap_or(0) >= min_px)
        .min_by_key(|i| i.width.unwrap_or(0));
    big_enough
        .or_else(|| sized.max_by_key(|i| i.width.unwrap_or(0)))
        .or_else(|| images.first())
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
    #[serde(default, deserialize_with = "lenient")]
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
    #[serde(default, deserialize_with = "lenient")]
    pub total: u32,
    /// Offset of the first entry of this page.
    #[serde(default, deserialize_with = "lenient")]
    pub offset: u32,
    /// Page size used by the server.
    #[serde(default, deserialize_with = "lenient")]
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
    #[serde(default, deserialize_with = "lenient")]
    pub limit: u32,
    /// URL of the next page.
    #[serde(default)]
    pub next: Option<String>,
    /// Total, when the server sends one.
    #[serde(default, deserialize_with = "lenient_opt")]
    pub total: Option<u32>,
}
