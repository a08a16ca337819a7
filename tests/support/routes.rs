//! The Web API routes the contract tests must exercise, exactly.

/// Every method + route the simulator serves under `/v1`, as spec templates.
/// A new route is added here together with its cases in `tests/sim_contract.rs`.
pub const SIM_ROUTES: &[&str] = &[
    "GET /me",
    "GET /me/player",
    "PUT /me/player",
    "GET /me/player/devices",
    "GET /me/player/currently-playing",
    "PUT /me/player/play",
    "PUT /me/player/pause",
    "POST /me/player/next",
    "POST /me/player/previous",
    "PUT /me/player/seek",
    "PUT /me/player/repeat",
    "PUT /me/player/volume",
    "PUT /me/player/shuffle",
    "GET /me/player/recently-played",
    "GET /me/player/queue",
    "POST /me/player/queue",
    "GET /me/playlists",
    "POST /me/playlists",
    "GET /users/{user_id}/playlists",
    "POST /users/{user_id}/playlists",
    "GET /playlists/{playlist_id}",
    "PUT /playlists/{playlist_id}",
    "GET /playlists/{playlist_id}/tracks",
    "PUT /playlists/{playlist_id}/tracks",
    "POST /playlists/{playlist_id}/tracks",
    "DELETE /playlists/{playlist_id}/tracks",
    "GET /playlists/{playlist_id}/items",
    "PUT /playlists/{playlist_id}/items",
    "POST /playlists/{playlist_id}/items",
    "DELETE /playlists/{playlist_id}/items",
    "DELETE /playlists/{playlist_id}/followers",
    "GET /playlists/{playlist_id}/images",
    "PUT /playlists/{playlist_id}/images",
    "GET /browse/featured-playlists",
    "GET /browse/categories/{category_id}/playlists",
];

/// The one route of [`LIBRARY_ROUTES`] that `tests/client_contract.rs`
/// exercises too (an unfollow removes the playlist with `DELETE /me/library`
/// first); with [`SIM_ROUTES`], every request that test sends.
pub const ALSO_IN_CLIENT_CONTRACT: &[&str] = &["DELETE /me/library"];

/// Search, saved-library and album/artist/show routes, exercised by
/// `tests/library_contract.rs` (client and raw requests).
pub const LIBRARY_ROUTES: &[&str] = &[
    "GET /search",
    "GET /me/tracks",
    "GET /me/albums",
    "GET /me/shows",
    "GET /me/following",
    "PUT /me/library",
    "DELETE /me/library",
    "GET /me/library/contains",
    "PUT /playlists/{playlist_id}/followers",
    "GET /tracks/{id}",
    "GET /albums/{id}",
    "GET /albums/{id}/tracks",
    "GET /artists/{id}",
    "GET /artists/{id}/albums",
    "GET /artists/{id}/top-tracks",
    "GET /artists/{id}/related-artists",
    "GET /shows/{id}",
    "GET /shows/{id}/episodes",
];
