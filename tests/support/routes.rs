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

/// Requests the client sends that the simulator does not serve (it answers
/// 404 and the client falls back): with [`SIM_ROUTES`], every request the
/// client can send.
pub const CLIENT_ONLY: &[&str] = &["DELETE /me/library"];
