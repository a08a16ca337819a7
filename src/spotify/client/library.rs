//! Client methods for search, the saved library and the album, artist and
//! show pages.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::super::error::ApiError;
use super::super::http::Req;
use super::super::model::{
    Album, Artist, CursorPage, FollowedArtists, Page, Saved, SearchResults, Show, ShowEpisode,
    Track,
};
use super::{Client, decode, seg, unavailable};
pub use crate::domain::music::MusicKind as SearchType;

/// Most results per type one search request may ask for (the 2026 cap).
pub const SEARCH_LIMIT_MAX: u32 = 10;
/// Deepest offset search accepts.
pub const SEARCH_OFFSET_MAX: u32 = 1000;
/// Most URIs one `/me/library` request may carry; longer lists are batched.
pub const LIBRARY_URIS_MAX: usize = 40;
/// Page size of saved lists, album tracks and show episodes (the API's maximum).
pub const LIBRARY_PAGE_LIMIT: u32 = 50;
/// Page size of an artist's discography (the spec's maximum).
pub const ARTIST_ALBUMS_LIMIT: u32 = 10;

fn page_q(req: Req, offset: u32, limit: u32, max: u32) -> Req {
    req.q("offset", offset).q("limit", limit.clamp(1, max))
}

impl Client {
    /// `GET /search`: `limit` results per type (1–10), from `offset` (≤ 1000).
    pub async fn search(
        &self,
        query: &str,
        types: &[SearchType],
        offset: u32,
        limit: u32,
    ) -> Result<SearchResults, ApiError> {
        if query.trim().is_empty() {
            return Err(ApiError::InvalidArgument("the search is empty".into()));
        }
        if types.is_empty() {
            return Err(ApiError::InvalidArgument("no search type given".into()));
        }
        let types: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        let req = Req::new(Method::GET, "/search")
            .q("q", query.trim())
            .q("type", types.join(","));
        self.get(page_q(
            req,
            offset.min(SEARCH_OFFSET_MAX),
            limit,
            SEARCH_LIMIT_MAX,
        ))
        .await
    }

    /// One page of Liked Songs (`GET /me/tracks`), newest first.
    pub async fn saved_tracks(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Saved<Track>>, ApiError> {
        let req = Req::new(Method::GET, "/me/tracks");
        self.get(page_q(req, offset, limit, LIBRARY_PAGE_LIMIT))
            .await
    }

    /// One page of saved albums (`GET /me/albums`).
    pub async fn saved_albums(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Saved<Album>>, ApiError> {
        let req = Req::new(Method::GET, "/me/albums");
        self.get(page_q(req, offset, limit, LIBRARY_PAGE_LIMIT))
            .await
    }

    /// One page of saved shows (`GET /me/shows`).
    pub async fn saved_shows(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Saved<Show>>, ApiError> {
        let req = Req::new(Method::GET, "/me/shows");
        self.get(page_q(req, offset, limit, LIBRARY_PAGE_LIMIT))
            .await
    }

    /// One page of followed artists (`GET /me/following?type=artist`), after
    /// the artist id `after` (the previous page's `cursors.after`).
    pub async fn followed_artists(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<CursorPage<Artist>, ApiError> {
        let req = Req::new(Method::GET, "/me/following")
            .q("type", "artist")
            .q_opt("after", after)
            .q("limit", limit.clamp(1, LIBRARY_PAGE_LIMIT));
        let f: FollowedArtists = self.get(req).await?;
        Ok(f.artists)
    }

    /// `GET /tracks/{id}` (for the album and artists of what is playing).
    pub async fn track(&self, id: &str) -> Result<Track, ApiError> {
        self.get(Req::new(Method::GET, format!("/tracks/{}", seg(id))))
            .await
    }

    /// `GET /albums/{id}`: the album with its first page of tracks.
    pub async fn album(&self, id: &str) -> Result<Album, ApiError> {
        self.get(Req::new(Method::GET, format!("/albums/{}", seg(id))))
            .await
    }

    /// One page of `GET /albums/{id}/tracks`.
    pub async fn album_tracks(
        &self,
        id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Track>, ApiError> {
        let req = Req::new(Method::GET, format!("/albums/{}/tracks", seg(id)));
        self.get(page_q(req, offset, limit, LIBRARY_PAGE_LIMIT))
            .await
    }

    /// `GET /artists/{id}`.
    pub async fn artist(&self, id: &str) -> Result<Artist, ApiError> {
        self.get(Req::new(Method::GET, format!("/artists/{}", seg(id))))
            .await
    }

    /// One page of an artist's albums and singles (`GET /artists/{id}/albums`).
    pub async fn artist_albums(
        &self,
        id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Page<Album>, ApiError> {
        let req = Req::new(Method::GET, format!("/artists/{}/albums", seg(id)))
            .q("include_groups", "album,single,compilation");
        self.get(page_q(req, offset, limit, ARTIST_ALBUMS_LIMIT))
            .await
    }

    /// `GET /artists/{id}/top-tracks` (gone for 2026 development-mode apps:
    /// callers show the error's sentence instead).
    pub async fn artist_top_tracks(&self, id: &str) -> Result<Vec<Track>, ApiError> {
        #[derive(Deserialize)]
        struct Top {
            #[serde(default)]
            tracks: Vec<Track>,
        }
        let t: Top = self
            .get(Req::new(
                Method::GET,
                format!("/artists/{}/top-tracks", seg(id)),
            ))
            .await?;
        Ok(t.tracks)
    }

    /// `GET /shows/{id}`: the show with its first page of episodes.
    pub async fn show(&self, id: &str) -> Result<Show, ApiError> {
        self.get(Req::new(Method::GET, format!("/shows/{}", seg(id))))
            .await
    }

    /// One page of `GET /shows/{id}/episodes`, with resume points.
    pub async fn show_episodes(
        &self,
        id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Page<ShowEpisode>, ApiError> {
        let req = Req::new(Method::GET, format!("/shows/{}/episodes", seg(id)));
        self.get(page_q(req, offset, limit, LIBRARY_PAGE_LIMIT))
            .await
    }

    /// Saves (likes, follows) `uris` with `PUT /me/library`, 40 at a time.
    pub async fn save_to_library(&self, uris: &[String]) -> Result<(), ApiError> {
        self.library_write(Method::PUT, uris).await
    }

    /// Removes (unlikes, unfollows) `uris` with `DELETE /me/library`, 40 at a time.
    pub async fn remove_from_library(&self, uris: &[String]) -> Result<(), ApiError> {
        self.library_write(Method::DELETE, uris).await
    }

    async fn library_write(&self, method: Method, uris: &[String]) -> Result<(), ApiError> {
        if uris.is_empty() {
            return Err(ApiError::InvalidArgument("no items given".into()));
        }
        for chunk in uris.chunks(LIBRARY_URIS_MAX) {
            self.send(Req::new(method.clone(), "/me/library").q("uris", chunk.join(",")))
                .await?;
        }
        Ok(())
    }

    /// Whether each of `uris` is saved or followed (`GET /me/library/contains`,
    /// 40 at a time), in order.
    pub async fn library_contains(&self, uris: &[String]) -> Result<Vec<bool>, ApiError> {
        let mut out = Vec::with_capacity(uris.len());
        for chunk in uris.chunks(LIBRARY_URIS_MAX) {
            let r = self
                .send(Req::new(Method::GET, "/me/library/contains").q("uris", chunk.join(",")))
                .await?;
            let answers: Vec<bool> = decode(&r)?;
            if answers.len() != chunk.len() {
                return Err(ApiError::Decode(format!(
                    "asked about {} items, got {} answers",
                    chunk.len(),
                    answers.len()
                )));
            }
            out.extend(answers);
        }
        Ok(out)
    }

    /// Follows a playlist (adds it to the user's playlists):
    /// `PUT /me/library?uris=spotify:playlist:{id}`, falling back to the
    /// deprecated `PUT /playlists/{id}/followers`.
    pub async fn follow_playlist(&self, id: &str) -> Result<(), ApiError> {
        let req = Req::new(Method::PUT, "/me/library").q("uris", format!("spotify:playlist:{id}"));
        match self.send(req).await {
            Ok(_) => Ok(()),
            Err(e) if unavailable(&e) => self
                .send(
                    Req::new(Method::PUT, format!("/playlists/{}/followers", seg(id)))
                        .json(json!({ "public": true })),
                )
                .await
                .map(drop),
            Err(e) => Err(e),
        }
    }
}
