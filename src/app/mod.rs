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
pub mod bridge;
pub mod cursor;
pub mod event;
pub mod intent;
pub mod keymap;
pub mod library;
pub mod run;
pub mod sleep;
pub mod state;
pub mod update;

use std::time::{Duration, Instant};

use futures::StreamExt;
use ratatui_image::picker::Picker;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::ImageMode;
use crate::session::Session;

/// Opens the terminal and runs the player until the user quits.
pub async fn run_tui(session: Session) -> anyhow::Result<()> {
    let config = session.config.clone();
    let keymap = keymap::Keymap::build(&config.keys).map_err(|e| anyhow::anyhow!(e))?;
    let mut state = state::AppState::new(&config, keymap, Instant::now());
    state.app_only = session.app_only;

    let (mut terminal, guard) = crate::tui::init(config.ui.mouse)?;
    // First frame before anything slow, so the user sees the app at once.
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    terminal.draw(|f| crate::ui::render(&state, crate::ui::Clock::system(), f))?;
    tracing::info!("first frame drawn");
    let picker = make_picker(config.ui.images);
    tracing::info!(protocol = ?picker.as_ref().map(Picker::protocol_type), "cover art");

    let (actions_tx, actions_rx) = mpsc::unbounded_channel();
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let bridge = bridge::spawn(
        &config,
        session.tokens.clone(),
        actions_rx,
        events_tx.clone(),
        cancel.clone(),
    )?;
    let input = crossterm::event::EventStream::new()
        .filter_map(|r| futures::future::ready(r.ok().and_then(run::map_terminal_event)));
    // Desktop integration (src/desktop): MPRIS, notifications, hooks.
    let (now_playing, view) = tokio::sync::watch::channel(crate::desktop::NowPlaying::default());
    let desktop = crate::desktop::spawn(&config.desktop, &config.hooks, view, events_tx.clone());
    let wiring = run::Wiring {
        actions: actions_tx,
        events: events_rx,
        events_tx,
        now_playing,
    };
    let tick = Duration::from_millis(config.ui.tick_ms.max(16));
    let result = run::run(&mut terminal, state, Box::pin(input), wiring, picker, tick).await;
    cancel.cancel();
    bridge.abort();
    drop(desktop);
    drop(terminal);
    drop(guard);
    result.map(|_| ())
}

/// Chooses how cover art is drawn. The terminal query can wait up to 2 s where
/// nobody answers (tmux, test harnesses), so it is skipped there.
fn make_picker(mode: ImageMode) -> Option<Picker> {
    match mode {
        ImageMode::Off => None,
        ImageMode::Halfblocks => Some(Picker::halfblocks()),
        ImageMode::Auto => {
            let in_tmux = std::env::var_os("TMUX").is_some()
                || std::env::var("TERM")
                    .is_ok_and(|t| t.starts_with("tmux") || t.starts_with("screen"));
            if in_tmux {
                Some(Picker::halfblocks())
            } else {
                Some(Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks()))
            }
        }
    }
}
