//! The top layer: wires tokio, the terminal, the reducer ([`crate::app`]),
//! the renderer ([`crate::ui`]) and the Web API worker ([`crate::spotify`]).
//! Nothing below this module spawns the terminal or the worker.

pub mod event_loop;
pub mod notices;
mod poller;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use ratatui_image::picker::{Picker, ProtocolType};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::app::{keymap, state};
use crate::cache::{Cache, LastScreen, Store};
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
    // What the last run showed, marked cached until fresh answers replace it
    // (a few KB read from disk: no network before the first frame).
    let demo = session.sim.is_some();
    let cache = Arc::new(open_cache(&config.spotify.api_base, demo));
    if !state.app_only
        && !demo
        && let Some(last) = cache.last_screen()
    {
        adopt_last_screen(&mut state, last);
    }

    let (mut terminal, guard) = crate::tui::init(config.ui.mouse)?;
    // First frame before anything slow, so the user sees the app at once.
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    terminal.draw(|f| crate::ui::render(&state, crate::ui::Clock::system(), f))?;
    tracing::info!("first frame drawn");
    let picker = make_picker(config.ui.images, no_color);
    tracing::info!(protocol = ?picker.as_ref().map(Picker::protocol_type), "cover art");
    state.images_enabled &= picker.is_some();
    if let Some(p) = &picker {
        state.art.px_per_column = match p.protocol_type() {
            ProtocolType::Halfblocks => 1,
            _ => u32::from(p.font_size().width),
        };
    }

    let client = Client::new(&config.spotify.api_base, session.tokens.clone())
        .map_err(|e| anyhow::anyhow!("cannot create the Web API client: {}", e.sentence()))?;
    let (requests, requests_rx) = mpsc::unbounded_channel();
    let (answers_tx, answers) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let worker = worker::spawn_cached(
        client,
        requests_rx,
        answers_tx,
        cancel.clone(),
        worker::WorkerOptions::default(),
        Some(cache.clone()),
    );
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
        cache: Some(cache.clone()),
    };
    let tick = Duration::from_millis(config.ui.tick_ms.max(16));
    let result = event_loop::run(&mut terminal, state, input, wiring, picker, tick).await;
    cancel.cancel();
    worker.abort();
    drop(desktop_tasks);
    drop(terminal);
    drop(guard);
    if demo {
        let _ = std::fs::remove_dir_all(cache.store().dir());
    } else if let Ok(state) = &result {
        cache.put_last_screen(&last_screen(state));
    }
    result.map(|_| ())
}

/// The on-disk cache. The embedded simulator starts afresh every run and its
/// snapshot ids repeat between runs, so `--demo` keeps a cache of its own
/// for this run only (deleted at exit).
fn open_cache(api_base: &str, demo: bool) -> Cache {
    if demo {
        let dir = std::env::temp_dir().join(format!("spotdeck-demo-cache-{}", std::process::id()));
        Cache::new(Store::new(dir, crate::cache::BUDGET), api_base)
    } else {
        Cache::open(api_base)
    }
}

/// Shows the screen saved at the last exit: the playlists list (reloaded
/// when the playlists screen opens) and the last playback, paused at its
/// last position, until the first playback answer replaces it.
fn adopt_last_screen(state: &mut state::AppState, last: LastScreen) {
    let lib = &mut state.library;
    if !last.playlists.is_empty() {
        let n = last.playlists.len();
        lib.mine.place(0, n, last.playlists, true);
        lib.mine_cached = true;
        lib.list_view = (0..n).collect();
    }
    state.playback = last.playback.map(|mut p| {
        p.is_playing = false;
        p
    });
}

/// What to show first at the next start.
fn last_screen(state: &state::AppState) -> LastScreen {
    let lib = &state.library;
    LastScreen {
        playlists: if lib.mine.done {
            lib.mine.slots.iter().flatten().cloned().collect()
        } else {
            Vec::new()
        },
        playback: state.playback.clone(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::{Playback, PlaylistSummary, Repeat};

    fn summary(id: &str) -> PlaylistSummary {
        PlaylistSummary {
            id: id.into(),
            name: format!("List {id}"),
            description: String::new(),
            owner_id: "me".into(),
            owner_name: "Me".into(),
            public: Some(true),
            collaborative: false,
            snapshot_id: "s".into(),
            total: 3,
            images: vec![],
        }
    }

    #[test]
    fn the_screen_saved_at_exit_is_shown_cached_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Store::new(dir.path(), crate::cache::BUDGET), "http://x/v1");
        let now = Instant::now();
        let mut before = state::AppState::new(&Config::default(), keymap::Keymap::default(), now);
        before
            .library
            .mine
            .place(0, 2, vec![summary("a"), summary("b")], true);
        before.playback = Some(Playback {
            device: None,
            item: None,
            is_playing: true,
            progress_ms: 5_000,
            fetched_at: now,
            shuffle: false,
            repeat: Repeat::Off,
            context_uri: None,
            disallows: crate::domain::Disallows::default(),
        });
        before.playback_loaded = true;
        cache.put_last_screen(&last_screen(&before));

        let mut after = state::AppState::new(&Config::default(), keymap::Keymap::default(), now);
        adopt_last_screen(&mut after, cache.last_screen().unwrap());
        assert!(after.library.mine_cached);
        assert_eq!(after.library.mine.slots.len(), 2);
        assert_eq!(after.library.list_view, vec![0, 1]);
        let pb = after.playback.as_ref().unwrap();
        assert!(!pb.is_playing, "a cached playback does not run on");
        assert_eq!(pb.progress_ms, 5_000);
        assert!(!after.playback_loaded, "no answer yet: shown as cached");
    }

    #[test]
    fn a_list_still_loading_is_not_saved() {
        let now = Instant::now();
        let mut s = state::AppState::new(&Config::default(), keymap::Keymap::default(), now);
        s.library.mine.place(0, 5, vec![summary("a")], false);
        assert!(last_screen(&s).playlists.is_empty());
    }
}
