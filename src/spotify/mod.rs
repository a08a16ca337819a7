//! The Spotify Web API: typed models, errors and the HTTP client. This is the
//! only module that speaks HTTP to the Web API.
//!
//! - [`model`]: response types, tolerant of what the API really sends.
//! - [`error`]: [`ApiError`], with a human sentence per case.
//! - [`client`]: [`Client`], one async method per endpoint, with the retry,
//!   rate-limit and ETag rules in the request path.
//! - [`request`]: [`Request`] and [`Reply`], the one request and answer type
//!   between the app and the worker.
//! - [`worker`]: the request scheduler the app talks to through channels; it
//!   guards positioned playlist edits and converts answers ([`convert`]) into
//!   domain values.
//! - [`removal`]: removing playlist items by position; [`journal`]: the
//!   record that lets an interrupted removal be finished at the next start.
//! - [`ids`]: parsing ids, URIs and open.spotify.com URLs.

pub mod client;
pub mod convert;
pub mod error;
mod http;
pub mod ids;
pub mod journal;
pub mod model;
pub mod removal;
pub mod request;
pub mod worker;

pub use client::{Client, NewPlaylist, PlayArgs, PlayOffset, PlaylistDetails};
pub use error::ApiError;
pub use http::ClientOptions;
pub use request::{Answer, ApiRequest, PlayTarget, Priority, Reply, Request, WorkerEvent};
