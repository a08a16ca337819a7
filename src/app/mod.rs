//! The application: state, the `update` reducer and the event loop.
//!
//! Three kinds of message flow through it:
//! - **Input events** ([`event::Event::Key`], mouse, resize, paste) from the
//!   terminal;
//! - **internal events** ([`event::Event::Api`], [`event::Event::Art`],
//!   [`event::Event::PollDue`], [`event::Event::Tick`]) from the Web API
//!   worker, the cover-art tasks, the poller and the animation tick;
//! - **actions** ([`action::Action`]) that `update` returns: API calls go out
//!   on the action channel to the worker, poll plans to the poller.
//!
//! `update` is synchronous and takes the clock as a parameter, so every state
//! change is unit-testable without a runtime.

pub mod action;
pub mod cursor;
pub mod event;
pub mod intent;
pub mod keymap;
pub mod library;
pub mod state;
pub mod update;

use crate::session::Session;

/// Opens the terminal and runs the player until the user quits.
pub async fn run_tui(_session: Session) -> anyhow::Result<()> {
    anyhow::bail!("the player is not built yet")
}
