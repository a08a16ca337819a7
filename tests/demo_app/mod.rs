//! The app against the demo catalogue, driven one key at a time: the same
//! embedded simulator `--demo` starts, the real Web API bridge and the real
//! `update` reducer. After each key every answer is awaited, so a frame is
//! drawn only once nothing is in flight.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use spotdeck::app::action::Action;
use spotdeck::app::event::{ArtEvent, Event};
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, ArtProtocol};
use spotdeck::app::update::{init, update};
use spotdeck::config::{Config, Dirs};
use spotdeck::session::{self, Session};
use spotdeck::ui::{self, Clock, layout};
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
    actions: mpsc::UnboundedSender<Action>,
    events: mpsc::UnboundedReceiver<Event>,
    /// Request ids sent and not answered yet.
    calls: BTreeSet<u64>,
    /// Cover art URLs requested and not loaded yet.
    art: HashSet<String>,
    picker: Picker,
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
    /// Starts the simulator and the app on a `width`×`height` terminal and loads the first screen.
    pub async fn start(width: u16, height: u16) -> Self {
        let home = tempfile::tempdir().expect("temp dir");
        let dirs = Dirs {
            config: home.path().join("config"),
            data: home.path().join("data"),
            state: home.path().join("state"),
        };
        let session = session::connect(Config::default(), &dirs, true)
            .await
            .expect("demo session");
        let unix_secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs() as i64;
        let config = session.config.clone();
        let keymap = Keymap::build(&config.keys).expect("default keymap");
        let mut state = AppState::new(&config, keymap, Instant::now());
        let (actions, actions_rx) = mpsc::unbounded_channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        spotdeck::app::bridge::spawn(
            &config,
            session.tokens.clone(),
            actions_rx,
            events_tx,
            cancel.clone(),
        )
        .expect("bridge");
        update(&mut state, Event::Resize(width, height), Instant::now());
        let mut demo = Self {
            state,
            unix_secs,
            actions,
            events,
            calls: BTreeSet::new(),
            art: HashSet::new(),
            picker: Picker::halfblocks(),
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
            match &action {
                Action::Api { id, .. } | Action::UploadCoverFile { id, .. } => {
                    self.calls.insert(*id);
                }
                Action::FetchArt { url } => {
                    self.art.insert(url.clone());
                }
                Action::Schedule(_) | Action::Quit => continue,
            }
            self.actions.send(action).expect("bridge running");
        }
    }

    /// Feeds answers to `update` until no request is in flight.
    async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + SETTLE;
        while !self.calls.is_empty() || !self.art.is_empty() {
            let ev = tokio::time::timeout_at(deadline, self.events.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no answer within {SETTLE:?} for requests {:?} and art {:?}",
                        self.calls, self.art
                    )
                })
                .expect("bridge running");
            match &ev {
                Event::Api(api) => {
                    self.calls.remove(&api.id);
                }
                Event::Art(ArtEvent::Ready { url, .. } | ArtEvent::Failed { url, .. }) => {
                    self.art.remove(url);
                }
                _ => {}
            }
            let out = update(&mut self.state, ev, Instant::now());
            self.dispatch(out);
            self.encode_art();
        }
    }

    /// Encodes decoded cover art as half-blocks for the art pane, as the event loop does.
    fn encode_art(&mut self) {
        let Some((url, image)) = self.state.art.decoded.clone() else {
            return;
        };
        let (w, h) = self.state.size;
        let Some(rect) = layout::player(Rect::new(0, 0, w, h), &self.state).art else {
            return;
        };
        let cells = (rect.width, rect.height);
        if self
            .state
            .art
            .encoded
            .as_ref()
            .is_some_and(|e| e.url == url && e.cells == cells)
        {
            return;
        }
        let protocol = self
            .picker
            .new_protocol(
                (*image).clone(),
                Size::new(cells.0, cells.1),
                Resize::Fit(None),
            )
            .expect("half-block encoding");
        let encoded = ArtProtocol {
            url,
            cells,
            protocol: Arc::new(protocol),
        };
        let out = update(
            &mut self.state,
            Event::Art(ArtEvent::Encoded(encoded)),
            Instant::now(),
        );
        self.dispatch(out);
    }
}
