//! The top layer: wires tokio, the terminal, the reducer ([`crate::app`]),
//! the renderer ([`crate::ui`]) and the Web API worker ([`crate::spotify`]).
//! Nothing below this module spawns the terminal or the worker.

pub mod event_loop;
pub mod notices;
mod poller;

use std::time::{Duration, Instant};

use futures::StreamExt;
use ratatui_image::picker::{Picker, ProtocolType};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::app::{keymap, state};
use crate::config::ImageMode;
use crate::session::Session;
use crate::spotify::{Client, worker};

/// Opens the terminal and runs the player until the user quits.
pub async fn run_tui(session: Session) -> anyhow::Result<()> {
    let config = session.config.clone();
    let keymap = keymap::Keymap::build(&config.keys).map_err(|e| anyhow::anyhow!(e))?;
    let mut state = state::AppState::new(&config, keymap, Instant::now());
    state.app_only = session.app_only;
    let no_color = crate::theme::no_color_env();
    state.theme = crate::theme::Theme::load(&config.theme, no_color)?;

    let (mut terminal, guard) = crate::tui::init(config.ui.mouse)?;
    // First frame before anything slow, so the user sees the app at once.
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    terminal.draw(|f| crate::ui::render(&state, crate::ui::Clock::system(), f))?;
    tracing::info!("first frame drawn");
    let picker = make_picker(config.ui.images, no_color);
    tracing::info!(protocol = ?picker.as_ref().map(Picker::protocol_type), "cover art");
    state.images_enabled &= picker.is_some();

    let client = Client::new(&config.spotify.api_base, session.tokens.clone())
        .map_err(|e| anyhow::anyhow!("cannot create the Web API client: {}", e.sentence()))?;
    let (requests, requests_rx) = mpsc::unbounded_channel();
    let (answers_tx, answers) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let worker = worker::spawn(client, requests_rx, answers_tx, cancel.clone());
    let input = crossterm::event::EventStream::new()
        .filter_map(|r| futures::future::ready(r.ok().and_then(event_loop::map_terminal_event)));
    let input = test_hooks::panic_on_key(Box::pin(input));
    let notices = notices::stream(
        &session.notices,
        session.tokens.clone(),
        Duration::from_secs(1),
    );
    let input = futures::stream::select(input, notices);
    // Desktop integration: MPRIS, notifications, hooks (src/desktop).
    let (now_playing, view) = tokio::sync::watch::channel(crate::desktop::NowPlaying::default());
    let (desktop_tx, desktop) = mpsc::unbounded_channel();
    let desktop_tasks = crate::desktop::spawn(&config.desktop, &config.hooks, view, desktop_tx);
    let wiring = event_loop::Wiring {
        requests,
        answers,
        desktop,
        now_playing,
    };
    let tick = Duration::from_millis(config.ui.tick_ms.max(16));
    let result = event_loop::run(&mut terminal, state, input, wiring, picker, tick).await;
    cancel.cancel();
    worker.abort();
    drop(desktop_tasks);
    drop(terminal);
    drop(guard);
    result.map(|_| ())
}

/// Chooses how cover art is drawn. The terminal query can wait up to 2 s where
/// nobody answers (tmux, test harnesses), so it is skipped there. Under
/// `NO_COLOR` crossterm writes no colours, and half-blocks are nothing but
/// colours: no art then, unless the terminal shows real images.
fn make_picker(mode: ImageMode, no_color: bool) -> Option<Picker> {
    let picker = match mode {
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
    }?;
    (!no_color || picker.protocol_type() != ProtocolType::Halfblocks).then_some(picker)
}

/// Hooks for the end-to-end tests, compiled only into debug builds.
mod test_hooks {
    use std::pin::Pin;

    use futures::Stream;

    use crate::app::event::Event;

    type Input = Pin<Box<dyn Stream<Item = Event> + Send>>;

    /// With `SPOTDECK_PANIC_ON_KEY=c` (debug builds only), pressing `c`
    /// panics, so the terminal-restore test can check the panic hook.
    #[cfg(debug_assertions)]
    pub fn panic_on_key(input: Input) -> Input {
        use futures::StreamExt;
        let Some(c) = std::env::var("SPOTDECK_PANIC_ON_KEY")
            .ok()
            .and_then(|k| k.chars().next())
        else {
            return input;
        };
        Box::pin(input.inspect(move |ev| {
            if let Event::Key(k) = ev
                && k.code == crossterm::event::KeyCode::Char(c)
            {
                panic!("deliberate panic requested with SPOTDECK_PANIC_ON_KEY");
            }
        }))
    }

    /// Release builds have no test hooks.
    #[cfg(not(debug_assertions))]
    pub fn panic_on_key(input: Input) -> Input {
        input
    }
}
