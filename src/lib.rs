//! spotdeck: a full-screen terminal controller for Spotify Connect.
//!
//! The modules are layers; each imports only from those below it (see
//! `ARCHITECTURE.md` for the path of one key press, file by file):
//! - [`runtime`]: the top — tokio, the terminal, the event loop and the
//!   poller; wires [`app`], [`ui`] and [`spotify`] together.
//! - [`ui`]: pure rendering of the state.
//! - [`app`]: state, the synchronous `update` reducer, screen geometry and
//!   key bindings.
//! - [`spotify`]: the only module that speaks HTTP to the Web API: the
//!   client, the request worker, and the one request/answer type
//!   ([`spotify::Request`], [`spotify::Answer`]).
//! - [`cover`]: cover art (decode, terminal encoding cache, upload).
//! - [`domain`]: the app's own data types; imports nothing of the crate.
//! - [`auth`]: login flows and token storage.
//! - [`cache`]: playlist rows by snapshot and the last screen, on disk.
//! - [`sim`]: a simulator of the Accounts service and Web API, used by
//!   `--demo`, `spotdeck sim` and the tests. The app never depends on it
//!   outside demo mode.
//! - [`commands`]: scripting subcommands (`spotdeck status`, `play`, …);
//!   [`library_commands`] adds search and the saved library, [`cli_output`]
//!   prints results and errors.
//! - [`desktop`]: MPRIS, notifications and event hooks.
//! - [`text`]: making text from the network safe to print.

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod cli_output;
pub mod commands;
pub mod config;
pub mod cover;
pub mod desktop;
pub mod domain;
pub mod fuzzy;
pub mod library_commands;
pub mod logging;
pub mod runtime;
pub mod session;
pub mod sim;
pub mod spotify;
pub mod text;
pub mod theme;
pub mod token;
pub mod tui;
pub mod ui;
