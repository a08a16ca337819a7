//! The event loop: one `select!` over terminal input, answers from the Web
//! API bridge, the poller's timers and an animation tick that runs only while
//! something moves. The screen is redrawn only when the state changed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use tokio::sync::{mpsc, watch};

use super::action::{Action, PollPlan};
use super::event::{ArtEvent, Event, PollKind};
use super::state::{AppState, ArtProtocol};
use super::update::{init, update};
use crate::ui::{self, Clock, layout};

/// Channels connecting the loop to the outside.
pub struct Wiring {
    /// Actions for the Web API bridge (API calls, art fetches, cover uploads).
    pub actions: mpsc::UnboundedSender<Action>,
    /// Events from the bridge, the poller and art tasks.
    pub events: mpsc::UnboundedReceiver<Event>,
    /// Sender side of `events`, handed to the poller and art tasks.
    pub events_tx: mpsc::UnboundedSender<Event>,
    /// Desktop integration (MPRIS, notifications, hooks): the loop publishes
    /// what is playing here after each batch of events.
    pub now_playing: watch::Sender<crate::desktop::NowPlaying>,
}

/// Converts terminal events into app events (key presses and repeats only).
pub fn map_terminal_event(ev: crossterm::event::Event) -> Option<Event> {
    use crossterm::event::{Event as CE, KeyEventKind};
    match ev {
        CE::Key(k) if k.kind != KeyEventKind::Release => Some(Event::Key(k)),
        CE::Mouse(m) => Some(Event::Mouse(m)),
        CE::Resize(w, h) => Some(Event::Resize(w, h)),
        CE::Paste(s) => Some(Event::Paste(s)),
        _ => None,
    }
}

/// Runs the loop until the user quits. `picker` is `None` when images are off.
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    mut state: AppState,
    mut input: S,
    wiring: Wiring,
    picker: Option<Picker>,
    tick: Duration,
) -> anyhow::Result<AppState>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = Event> + Unpin,
{
    let Wiring {
        actions,
        mut events,
        events_tx,
        now_playing,
    } = wiring;
    let now = Instant::now();
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let (plan_tx, plan_rx) = watch::channel(state.poll_plan);
    let poller = tokio::spawn(poller(plan_rx, events_tx.clone()));
    let mut art = ArtCache::new(picker, events_tx.clone());

    let first = init(&mut state, now);
    dispatch(first, &actions, &plan_tx, &mut state);
    terminal.draw(|f| ui::render(&state, Clock::system(), f))?;
    state.dirty = false;

    // A deliberate crash for the terminal-restore test (see tests/e2e_tmux.rs).
    let panic_key = std::env::var("SPOTDECK_PANIC_ON_KEY")
        .ok()
        .and_then(|k| k.chars().next());
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    while !state.quit {
        let animating = state.is_animating();
        let ev = tokio::select! {
            ev = input.next() => match ev {
                Some(ev) => ev,
                None => break,
            },
            Some(ev) = events.recv() => ev,
            _ = ticker.tick(), if animating => Event::Tick,
        };
        if let (Some(c), Event::Key(k)) = (panic_key, &ev)
            && k.code == crossterm::event::KeyCode::Char(c)
        {
            panic!("deliberate panic requested with SPOTDECK_PANIC_ON_KEY");
        }
        let mut batch = vec![ev];
        while let Ok(more) = events.try_recv() {
            batch.push(more);
        }
        for ev in batch {
            if let Event::Art(ArtEvent::Encoded(a)) = &ev {
                art.remember(a);
            }
            let out = update(&mut state, ev, Instant::now());
            dispatch(out, &actions, &plan_tx, &mut state);
        }
        art.ensure(&state);
        publish(&now_playing, &state); // desktop integration (src/desktop)
        if std::mem::take(&mut state.dirty) {
            terminal.draw(|f| ui::render(&state, Clock::system(), f))?;
        }
    }
    poller.abort();
    Ok(state)
}

/// Tells the desktop integration what is playing; it wakes only on a change.
fn publish(tx: &watch::Sender<crate::desktop::NowPlaying>, state: &AppState) {
    tx.send_if_modified(|v| {
        v.update(crate::desktop::NowPlaying {
            playback: state.playback.clone(),
            art: state.art.decoded.clone(),
        })
    });
}

fn dispatch(
    out: Vec<Action>,
    actions: &mpsc::UnboundedSender<Action>,
    plan_tx: &watch::Sender<PollPlan>,
    state: &mut AppState,
) {
    for a in out {
        match a {
            Action::Schedule(plan) => {
                let _ = plan_tx.send(plan);
            }
            Action::Quit => state.quit = true,
            other => {
                if actions.send(other).is_err() {
                    tracing::error!("the Web API bridge has stopped");
                }
            }
        }
    }
}

/// Sleeps until the next due poll, then tells the loop; re-reads the plan when it changes.
async fn poller(mut plan_rx: watch::Receiver<PollPlan>, tx: mpsc::UnboundedSender<Event>) {
    loop {
        let plan = *plan_rx.borrow_and_update();
        let (at, kind) = if plan.playback_at <= plan.devices_at {
            (plan.playback_at, PollKind::Playback)
        } else {
            (plan.devices_at, PollKind::Devices)
        };
        tokio::select! {
            _ = tokio::time::sleep_until(at.into()) => {
                if tx.send(Event::PollDue(kind)).is_err() {
                    return;
                }
                // The loop answers with a new plan; re-check after a while regardless.
                if let Ok(Err(_)) =
                    tokio::time::timeout(Duration::from_secs(5), plan_rx.changed()).await
                {
                    return;
                }
            }
            changed = plan_rx.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}

/// Encodes decoded cover art for the art pane's size off the render path,
/// keeping a few encodings (LRU) so a resize back is instant.
struct ArtCache {
    picker: Option<Arc<Picker>>,
    events: mpsc::UnboundedSender<Event>,
    cache: VecDeque<ArtProtocol>,
    in_progress: Option<(String, (u16, u16))>,
}

const ART_CACHE: usize = 6;

impl ArtCache {
    fn new(picker: Option<Picker>, events: mpsc::UnboundedSender<Event>) -> Self {
        Self {
            picker: picker.map(Arc::new),
            events,
            cache: VecDeque::new(),
            in_progress: None,
        }
    }

    fn ensure(&mut self, state: &AppState) {
        let Some(picker) = &self.picker else { return };
        let Some((url, image)) = &state.art.decoded else {
            return;
        };
        if state.art.wanted.as_deref() != Some(url.as_str()) {
            return;
        }
        let area = Rect::new(0, 0, state.size.0, state.size.1);
        let Some(rect) = layout::player(area, state).art else {
            return;
        };
        let cells = (rect.width, rect.height);
        if let Some(enc) = &state.art.encoded
            && enc.url == *url
            && enc.cells == cells
        {
            return;
        }
        if let Some(pos) = self
            .cache
            .iter()
            .position(|a| a.url == *url && a.cells == cells)
        {
            if let Some(hit) = self.cache.remove(pos) {
                self.cache.push_front(hit.clone());
                let _ = self.events.send(Event::Art(ArtEvent::Encoded(hit)));
            }
            return;
        }
        let key = (url.clone(), cells);
        if self.in_progress.as_ref() == Some(&key) {
            return;
        }
        self.in_progress = Some(key);
        let picker = Arc::clone(picker);
        let image = Arc::clone(image);
        let url = url.clone();
        let tx = self.events.clone();
        // Encoding resizes the image: keep it off the async threads and the render path.
        let handle = tokio::task::spawn_blocking(move || {
            let size = ratatui::layout::Size::new(cells.0, cells.1);
            match picker.new_protocol((*image).clone(), size, Resize::Fit(None)) {
                Ok(p) => Event::Art(ArtEvent::Encoded(ArtProtocol {
                    url,
                    cells,
                    protocol: Arc::new(p),
                })),
                Err(e) => Event::Art(ArtEvent::Failed {
                    url,
                    reason: e.to_string(),
                }),
            }
        });
        let cache_tx = tx.clone();
        tokio::spawn(async move {
            if let Ok(ev) = handle.await {
                let _ = cache_tx.send(ev);
            }
        });
    }

    /// Remembers an encoding that arrived.
    fn remember(&mut self, art: &ArtProtocol) {
        self.in_progress = None;
        self.cache
            .retain(|a| !(a.url == art.url && a.cells == art.cells));
        self.cache.push_front(art.clone());
        self.cache.truncate(ART_CACHE);
    }
}
