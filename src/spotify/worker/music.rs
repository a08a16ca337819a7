//! The worker's part for search, the saved library and the album, artist
//! and show pages: runs those requests and turns the wire models into
//! [`MusicRow`]s.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::super::client::library::{ARTIST_ALBUMS_LIMIT, LIBRARY_PAGE_LIMIT};
use super::super::model::{Album, Artist, Page, Show, ShowEpisode, SimplifiedPlaylist, Track};
use super::{ApiError, Client, Reply, Request, WorkerEvent, respond};
use crate::cache::Cache;
use crate::domain::music::{MusicKind, MusicRow, MusicSource, SearchGroup};

/// True for the requests this module runs.
pub(super) fn handles(call: &Request) -> bool {
    matches!(
        call,
        Request::Search { .. }
            | Request::GetRows { .. }
            | Request::GetTrackLinks { .. }
            | Request::SaveToLibrary { .. }
            | Request::RemoveFromLibrary { .. }
            | Request::LibraryContains { .. }
    )
}

/// Runs one music request and sends its answer(s).
pub(super) async fn execute(
    c: &Client,
    id: u64,
    call: Request,
    tx: &UnboundedSender<WorkerEvent>,
    cache: Option<&Arc<Cache>>,
) {
    let result = match call {
        Request::GetRows { source } => {
            let cache = cache.filter(|_| source == MusicSource::LikedSongs);
            return stream_rows(c, id, &source, tx, cache).await;
        }
        Request::Search {
            query,
            kinds,
            offset,
            limit,
        } => search(c, query, &kinds, offset, limit).await,
        Request::GetTrackLinks { track_id } => c.track(&track_id).await.map(|t| {
            let mut rows: Vec<MusicRow> = Vec::new();
            if let Some(uri) = t.album.uri.clone() {
                rows.push(MusicRow {
                    kind: MusicKind::Album,
                    uri,
                    name: t.album.name.clone(),
                    subtitle: t.artist_names(),
                    detail: t.album.release_date.clone().unwrap_or_default(),
                    parent_uri: None,
                    artist_uri: t.artists.first().and_then(|a| a.uri.clone()),
                    duration_ms: 0,
                });
            }
            rows.extend(t.artists.iter().filter_map(|a| {
                Some(MusicRow {
                    kind: MusicKind::Artist,
                    uri: a.uri.clone()?,
                    name: a.name.clone(),
                    subtitle: String::new(),
                    detail: String::new(),
                    parent_uri: None,
                    artist_uri: None,
                    duration_ms: 0,
                })
            }));
            let total = rows.len() as u32;
            Reply::Rows {
                offset: 0,
                total,
                rows,
                done: true,
            }
        }),
        Request::SaveToLibrary { uris } => c.save_to_library(&uris).await.map(|()| Reply::Done),
        Request::RemoveFromLibrary { uris } => {
            c.remove_from_library(&uris).await.map(|()| Reply::Done)
        }
        Request::LibraryContains { uris } => c.library_contains(&uris).await.map(Reply::Contains),
        other => Err(ApiError::InvalidArgument(format!(
            "{} is not a music request",
            other.name()
        ))),
    };
    if let Err(e) = &result {
        tracing::info!("music request failed: {e}");
    }
    respond(tx, id, result);
}

async fn search(
    c: &Client,
    query: String,
    kinds: &[MusicKind],
    offset: u32,
    limit: u32,
) -> Result<Reply, ApiError> {
    let r = c.search(&query, kinds, offset, limit).await?;
    let group = |kind: MusicKind, total: u32, rows: Vec<MusicRow>| SearchGroup {
        kind,
        offset,
        total,
        rows,
    };
    fn rows<T>(p: Option<Page<T>>, f: impl Fn(&T) -> MusicRow) -> (u32, Vec<MusicRow>) {
        p.map_or((0, Vec::new()), |p| {
            (p.total, p.items.iter().map(f).collect())
        })
    }
    let groups = kinds
        .iter()
        .map(|&k| {
            let (total, rs) = match k {
                MusicKind::Track => rows(r.tracks.clone(), track_row),
                MusicKind::Album => rows(r.albums.clone(), album_row),
                MusicKind::Artist => rows(r.artists.clone(), artist_row),
                MusicKind::Playlist => rows(r.playlists.clone(), playlist_row),
                MusicKind::Show => rows(r.shows.clone(), show_row),
                MusicKind::Episode => rows(r.episodes.clone(), |e| episode_row(e, None)),
            };
            group(k, total, rs)
        })
        .collect();
    Ok(Reply::Search { query, groups })
}

/// Loads every page of `source` and sends each as a [`Reply::Rows`]. With
/// a cache (Liked Songs), a first page whose total and rows match the cached
/// list answers with the whole cached list at once; a full load is stored.
async fn stream_rows(
    c: &Client,
    id: u64,
    source: &MusicSource,
    tx: &UnboundedSender<WorkerEvent>,
    cache: Option<&Arc<Cache>>,
) {
    let mut cached = match cache {
        Some(k) => {
            let k = k.clone();
            tokio::task::spawn_blocking(move || k.liked())
                .await
                .ok()
                .flatten()
        }
        None => None,
    };
    let mut all: Vec<MusicRow> = Vec::new();
    let mut offset = 0u32;
    let mut after: Option<String> = None;
    loop {
        let page = rows_page(c, source, offset, after.as_deref()).await;
        let (total, rows, next_after) = match page {
            Ok(p) => p,
            Err(e) => {
                tracing::info!("music list failed: {e}");
                return respond(tx, id, Err(e));
            }
        };
        let got = rows.len() as u32;
        if offset == 0
            && let Some(mut known) = cached.take_if(|k| still_current(k, total, &rows))
        {
            tracing::debug!("Liked Songs unchanged (total and first page): the cached rows serve");
            known.splice(..rows.len(), rows);
            return respond(
                tx,
                id,
                Ok(Reply::Rows {
                    offset: 0,
                    total,
                    rows: known,
                    done: true,
                }),
            );
        }
        let done = got == 0 || offset + got >= total || next_after.is_none() && after.is_some();
        if cache.is_some() {
            all.extend(rows.iter().cloned());
        }
        respond(
            tx,
            id,
            Ok(Reply::Rows {
                offset,
                total,
                rows,
                done,
            }),
        );
        if done {
            // Stored after the answer, off the async threads; the request
            // ends when the file is written.
            if let Some(k) = cache.filter(|_| all.len() == total as usize) {
                let (k, rows) = (k.clone(), std::mem::take(&mut all));
                let _ = tokio::task::spawn_blocking(move || k.put_liked(&rows)).await;
            }
            return;
        }
        offset += got;
        after = next_after;
    }
}

/// True when the fresh first page says the cached list is still current:
/// the same total and the same rows in the same order at the top.
fn still_current(cached: &[MusicRow], total: u32, first: &[MusicRow]) -> bool {
    cached.len() == total as usize
        && !first.is_empty()
        && first.len() < cached.len()
        && cached.iter().zip(first).all(|(a, b)| a.uri == b.uri)
}

/// One page: (total, rows, cursor for the next page when cursor-paged).
async fn rows_page(
    c: &Client,
    source: &MusicSource,
    offset: u32,
    after: Option<&str>,
) -> Result<(u32, Vec<MusicRow>, Option<String>), ApiError> {
    let n = LIBRARY_PAGE_LIMIT;
    fn page<T>(p: Page<T>, f: impl Fn(&T) -> MusicRow) -> (u32, Vec<MusicRow>, Option<String>) {
        (p.total, p.items.iter().map(f).collect(), None)
    }
    Ok(match source {
        MusicSource::LikedSongs => page(c.saved_tracks(offset, n).await?, |s| track_row(&s.item)),
        MusicSource::SavedAlbums => page(c.saved_albums(offset, n).await?, |s| album_row(&s.item)),
        MusicSource::SavedShows => page(c.saved_shows(offset, n).await?, |s| show_row(&s.item)),
        MusicSource::FollowedArtists => {
            let p = c.followed_artists(after, n).await?;
            let rows: Vec<MusicRow> = p.items.iter().map(artist_row).collect();
            let total = p.total.unwrap_or(offset + rows.len() as u32);
            let next = p.next.as_ref().and(p.cursors.after.clone());
            let total = if next.is_none() {
                offset + rows.len() as u32
            } else {
                total
            };
            (total, rows, next)
        }
        MusicSource::AlbumTracks(id) => {
            let album_uri = format!("spotify:album:{id}");
            page(c.album_tracks(id, offset, n).await?, |t| {
                let mut r = track_row(t);
                r.parent_uri = Some(album_uri.clone());
                r
            })
        }
        MusicSource::ArtistAlbums(id) => page(
            c.artist_albums(id, offset, ARTIST_ALBUMS_LIMIT).await?,
            album_row,
        ),
        MusicSource::ShowEpisodes(id) => {
            let show_uri = format!("spotify:show:{id}");
            page(c.show_episodes(id, offset, n).await?, |e| {
                episode_row(e, Some(&show_uri))
            })
        }
    })
}

fn track_row(t: &Track) -> MusicRow {
    MusicRow {
        kind: MusicKind::Track,
        uri: t.uri.clone(),
        name: t.name.clone(),
        subtitle: t.artist_names(),
        detail: t.album.name.clone(),
        parent_uri: t.album.uri.clone(),
        artist_uri: t.artists.first().and_then(|a| a.uri.clone()),
        duration_ms: t.duration_ms,
    }
}

fn album_row(a: &Album) -> MusicRow {
    let mut facts: Vec<String> = Vec::new();
    if let Some(y) = a.year() {
        facts.push(y.to_string());
    }
    if !a.album_type.is_empty() {
        facts.push(a.album_type.clone());
    }
    if a.total_tracks > 0 {
        facts.push(format!(
            "{} track{}",
            a.total_tracks,
            if a.total_tracks == 1 { "" } else { "s" }
        ));
    }
    MusicRow {
        kind: MusicKind::Album,
        uri: a.uri.clone(),
        name: a.name.clone(),
        subtitle: a.artist_names(),
        detail: facts.join(" · "),
        parent_uri: None,
        artist_uri: a.artists.first().and_then(|x| x.uri.clone()),
        duration_ms: 0,
    }
}

fn artist_row(a: &Artist) -> MusicRow {
    MusicRow {
        kind: MusicKind::Artist,
        uri: a.uri.clone(),
        name: a.name.clone(),
        subtitle: a.genres.join(", "),
        detail: a
            .followers
            .as_ref()
            .map(|f| format!("{} followers", f.total))
            .unwrap_or_default(),
        parent_uri: None,
        artist_uri: None,
        duration_ms: 0,
    }
}

fn playlist_row(p: &SimplifiedPlaylist) -> MusicRow {
    MusicRow {
        kind: MusicKind::Playlist,
        uri: format!("spotify:playlist:{}", p.id),
        name: p.name.clone(),
        subtitle: format!("by {}", p.owner.label()),
        detail: format!("{} items", p.total()),
        parent_uri: None,
        artist_uri: None,
        duration_ms: 0,
    }
}

fn show_row(s: &Show) -> MusicRow {
    MusicRow {
        kind: MusicKind::Show,
        uri: s.uri.clone(),
        name: s.name.clone(),
        subtitle: s.publisher.clone().unwrap_or_default(),
        detail: if s.total_episodes > 0 {
            format!("{} episodes", s.total_episodes)
        } else {
            String::new()
        },
        parent_uri: None,
        artist_uri: None,
        duration_ms: 0,
    }
}

fn episode_row(e: &ShowEpisode, show_uri: Option<&str>) -> MusicRow {
    MusicRow {
        kind: MusicKind::Episode,
        uri: e.episode.uri.clone(),
        name: e.episode.name.clone(),
        subtitle: e.episode.show_name().to_string(),
        detail: e.progress_label(),
        parent_uri: show_uri
            .map(str::to_string)
            .or_else(|| e.episode.show.as_ref().and_then(|s| s.uri.clone())),
        artist_uri: None,
        duration_ms: e.episode.duration_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_say_what_they_are() {
        let a: Album = serde_json::from_value(serde_json::json!({
            "name": "Fernlight", "uri": "spotify:album:f", "album_type": "album",
            "total_tracks": 1, "release_date": "2020-11-13",
            "artists": [{"name": "Marrow & Moss", "uri": "spotify:artist:m"}],
        }))
        .unwrap_or_default();
        let r = album_row(&a);
        assert_eq!(r.detail, "2020 · album · 1 track");
        assert_eq!(r.artist_uri.as_deref(), Some("spotify:artist:m"));
        let t: Track = serde_json::from_value(serde_json::json!({
            "name": "Golden Harbors", "uri": "spotify:track:g", "duration_ms": 1000,
            "album": {"name": "Low Tide Radio", "uri": "spotify:album:l"},
        }))
        .unwrap_or_default();
        let r = track_row(&t);
        assert_eq!(r.parent_uri.as_deref(), Some("spotify:album:l"));
        assert_eq!((r.kind, r.duration_ms), (MusicKind::Track, 1000));
    }
}
