//! The app against the demo catalogue, driven one key at a time: the same
//! embedded simulator `--demo` starts, the real Web API worker, the real
//! `update` reducer and the real cover-art encoder (half-blocks). After each
//! key every answer is awaited, so a frame is drawn only once nothing is in
//! flight.

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui_image::picker::Picker;
use spotdeck::app::action::Action;
use spotdeck::app::event::Event;
use spotdeck::app::geometry;
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::AppState;
use spotdeck::app::update::{init, update};
use spotdeck::config::{Config, Dirs};
use spotdeck::cover::{ArtEncoder, ArtEvent};
use spotdeck::session::{self, Session};
use spotdeck::spotify::{Answer, ApiRequest, Client, Reply, WorkerEvent, worker};
use spotdeck::theme::Theme;
use spotdeck::ui::{self, Clock};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long one key may take to settle before the harness gives up.
const SETTLE: Duration = Duration::from_secs(30);

/// The running app and what it is waiting for.
pub struct Demo {
    /// The app's state.
    pub state: AppState,
    /// Wall clock of the simulator's start: the demo's "x min ago" are exact from here.
    unix_secs: i64,
    requests: mpsc::UnboundedSender<ApiRequest>,
    answers: mpsc::UnboundedReceiver<WorkerEvent>,
    encoder: ArtEncoder,
    encoded: mpsc::UnboundedReceiver<ArtEvent>,
    /// Request ids sent and not fully answered yet.
    calls: BTreeSet<u64>,
    cancel: CancellationToken,
    _session: Session,
    _home: tempfile::TempDir,
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

impl Demo {
    /// Starts the simulator and the app with `config` on a `width`×`height`
    /// terminal and loads the first screen.
    pub async fn start(config: Config, width: u16, height: u16) -> Self {
        let home = tempfile::tempdir().expect("temp dir");
        let dirs = Dirs {
            config: home.path().join("config"),
            data: home.path().join("data"),
            state: home.path().join("state"),
        };
        let session = session::connect(config, &dirs, true)
            .await
            .expect("demo session");
        let unix_secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs() as i64;
        let config = session.config.clone();
        let keymap = Keymap::build(&config.keys).expect("default keymap");
        let mut state = AppState::new(&config, keymap, Instant::now());
        // As the runtime loads it, but never plain: `NO_COLOR` must not change the pictures.
        state.theme = Theme::load(&config.theme, false).expect("built-in theme");
        let client = Client::new(&config.spotify.api_base, session.tokens.clone()).expect("client");
        let (requests, requests_rx) = mpsc::unbounded_channel();
        let (answers_tx, answers) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        worker::spawn(client, requests_rx, answers_tx, cancel.clone());
        let (encoded_tx, encoded) = mpsc::unbounded_channel();
        let encoder = ArtEncoder::new(Some(Picker::halfblocks()), encoded_tx);
        update(&mut state, Event::Resize(width, height), Instant::now());
        let mut demo = Self {
            state,
            unix_secs,
            requests,
            answers,
            encoder,
            encoded,
            calls: BTreeSet::new(),
            cancel,
            _session: session,
            _home: home,
        };
        let first = init(&mut demo.state, Instant::now());
        demo.dispatch(first);
        demo.settle().await;
        demo
    }

    /// Presses a character key and waits for everything it asked for.
    pub async fn press(&mut self, c: char) {
        let modifiers = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        self.key(KeyEvent::new(KeyCode::Char(c), modifiers)).await;
    }

    /// Presses a named key and waits for everything it asked for.
    pub async fn press_code(&mut self, code: KeyCode) {
        self.key(KeyEvent::new(code, KeyModifiers::NONE)).await;
    }

    async fn key(&mut self, key: KeyEvent) {
        let out = update(&mut self.state, Event::Key(key), Instant::now());
        self.dispatch(out);
        self.settle().await;
    }

    /// Draws the current state. The clock is fixed: the last playback answer
    /// for progress, the simulator's start for relative times.
    pub fn draw(&self) -> Buffer {
        let (w, h) = self.state.size;
        let now = self
            .state
            .playback
            .as_ref()
            .map_or_else(Instant::now, |p| p.fetched_at);
        let clock = Clock {
            now,
            unix_secs: self.unix_secs,
        };
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        term.draw(|f| ui::render(&self.state, clock, f))
            .expect("draw");
        term.backend().buffer().clone()
    }

    /// Sends what `update` asked for; the poller is not run, so nothing moves on its own.
    fn dispatch(&mut self, out: Vec<Action>) {
        for action in out {
            if let Action::Api(req) = action {
                self.calls.insert(req.id);
                self.requests.send(req).expect("worker running");
            }
        }
    }

    /// Feeds answers and encodings to `update` until nothing is in flight.
    async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            let art = self.art_to_encode();
            if self.calls.is_empty() && !art {
                return;
            }
            let ev = tokio::time::timeout_at(deadline, async {
                tokio::select! {
                    Some(w) = self.answers.recv() => match w {
                        WorkerEvent::Answer(a) => Some(Event::Api(a)),
                        WorkerEvent::RateLimited { until } => Some(Event::RateLimited { until }),
                        WorkerEvent::RateLimitOver => None,
                    },
                    Some(a) = self.encoded.recv() => Some(Event::Art(a)),
                }
            })
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "nothing settled within {SETTLE:?}: requests {:?} unanswered, art to encode: {art}",
                    self.calls
                )
            });
            let Some(ev) = ev else { continue };
            if let Event::Api(a) = &ev
                && is_last(a)
            {
                self.calls.remove(&a.id);
            }
            if let Event::Art(ArtEvent::Encoded(a)) = &ev {
                self.encoder.remember(a);
            }
            let out = update(&mut self.state, ev, Instant::now());
            self.dispatch(out);
        }
    }

    /// Starts encoding decoded art for the art pane, as the event loop does;
    /// true while an encoding is still to come.
    fn art_to_encode(&mut self) -> bool {
        let art = &self.state.art;
        let Some((url, image)) = &art.decoded else {
            return false;
        };
        if art.wanted.as_deref() != Some(url.as_str())
            || art.failed.as_ref().is_some_and(|(u, _)| u == url)
        {
            return false;
        }
        let (w, h) = self.state.size;
        let Some(rect) = geometry::player(Rect::new(0, 0, w, h), &self.state).art else {
            return false;
        };
        let cells = (rect.width, rect.height);
        if art
            .encoded
            .as_ref()
            .is_some_and(|e| e.url == *url && e.cells == cells)
        {
            return false;
        }
        self.encoder.ensure(url, image, cells, art.encoded.as_ref());
        true
    }
}

/// Whether no more answers follow this one: paged requests stream their
/// pages under one id, `done` on the last (an error ends them too).
fn is_last(answer: &Answer) -> bool {
    match &answer.result {
        Ok(
            Reply::PlaylistsPage { done, .. }
            | Reply::ItemsPage { done, .. }
            | Reply::Rows { done, .. },
        ) => *done,
        _ => true,
    }
}
