//! spotdeck: a full-screen terminal controller for Spotify Connect.
//!
//! Layout of the crate:
//! - [`app`]: state, the synchronous `update` reducer, the event loop.
//! - [`ui`]: pure rendering of the state.
//! - [`spotify`]: the only module that speaks HTTP to the Web API.
//! - [`auth`]: login flows and token storage.
//! - [`sim`]: a simulator of the Accounts service and Web API, used by
//!   `--demo`, `spotdeck sim` and the tests. The app never depends on it
//!   outside demo mode.
//! - [`commands`]: scripting subcommands (`spotdeck status`, `play`, …).
//! - [`desktop`]: MPRIS, notifications and event hooks.
//! - [`text`]: making text from the network safe to print.

pub mod app;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod cover;
pub mod desktop;
pub mod domain;
pub mod fuzzy;
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
