//! spotdeck: a full-screen terminal controller for Spotify Connect.
//!
//! Layout of the crate:
//! - [`app`]: state, the synchronous `update` reducer, the event loop.
//! - [`ui`]: pure rendering of the state.
//! - [`spotify`]: the only module that speaks HTTP to the Web API.
//! - [`auth`]: login flows and token storage.
//! - [`cache`]: playlist rows by snapshot and the last screen, on disk.
//! - [`sim`]: a simulator of the Accounts service and Web API, used by
//!   `--demo`, `spotdeck sim` and the tests. The app never depends on it
//!   outside demo mode.
//! - [`commands`]: scripting subcommands (`spotdeck status`, `play`, …).
//! - [`text`]: making text from the network safe to print.

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod cover;
pub mod domain;
pub mod logging;
pub mod runtime;
pub mod session;
pub mod sim;
pub mod spotify;
pub mod text;
pub mod token;
pub mod tui;
pub mod ui;
