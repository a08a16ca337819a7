//! The Spotify Web API: typed models, errors and the HTTP client. This is the
//! only module that speaks HTTP to the Web API.
