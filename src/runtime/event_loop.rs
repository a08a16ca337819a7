//! The event loop: one `select!` over terminal input, answers from the Web
//! API worker, the poller's timers, finished art encodings and an animation
//! tick that runs only while something moves. The screen is redrawn only
//! when the state changed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;
use ratatui_image::picker::Picker;
use tokio::sync::{mpsc, watch};

use crate::app::action::{Action, PollPlan};
use crate::app::event::{ArtEvent, Event};
use crate::app::geometry;
use crate::app::state::AppState;
use crate::app::update::{init, update};
use crate::cache::Cache;
use crate::cover::ArtEncoder;
use crate::spotify::request::{ApiRequest, WorkerEvent};
use crate::ui::{self, Clock};

/// Channels to the Web API worker and the desktop integration.
pub struct Wiring {
    /// Requests for the worker.
    pub requests: mpsc::UnboundedSender<ApiRequest>,
    /// Its answers and rate-limit notices.
    pub answers: mpsc::UnboundedReceiver<WorkerEvent>,
    /// Commands and notes from the desktop (MPRIS, hooks; see `crate::desktop`).
    pub desktop: mpsc::UnboundedReceiver<Event>,
    /// What is playing, published to the desktop after each batch of events.
    pub now_playing: watch::Sender<crate::desktop::NowPlaying>,
    /// The on-disk cache the reducer's `CacheItems` go to, if any.
    pub cache: Option<Arc<Cache>>,
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

/// The app's event for a worker event (`None`: nothing the app acts on).
fn from_worker(ev: WorkerEvent) -> Option<Event> {
    match ev {
        WorkerEvent::Answer(a) => Some(Event::Api(a)),
        WorkerEvent::RateLimited { until } => Some(Event::RateLimited { until }),
        WorkerEvent::RateLimitOver => None,
    }
}

/// Everything the loop reads besides terminal input.
struct Sources {
    answers: mpsc::UnboundedReceiver<WorkerEvent>,
    polls: mpsc::UnboundedReceiver<crate::app::event::PollKind>,
    art: mpsc::UnboundedReceiver<ArtEvent>,
    desktop: mpsc::UnboundedReceiver<Event>,
}

impl Sources {
    /// Whatever is already waiting, without blocking.
    fn drain(&mut self, batch: &mut Vec<Event>) {
        while let Ok(ev) = self.answers.try_recv() {
            batch.extend(from_worker(ev));
        }
        while let Ok(kind) = self.polls.try_recv() {
            batch.push(Event::PollDue(kind));
        }
        while let Ok(ev) = self.art.try_recv() {
            batch.push(Event::Art(ev));
        }
        while let Ok(ev) = self.desktop.try_recv() {
            batch.push(ev);
        }
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
        requests,
        answers,
        desktop,
        now_playing,
        cache,
    } = wiring;
    let (plan_tx, plan_rx) = watch::channel(state.poll_plan);
    let outside = Outside {
        requests,
        plan_tx,
        cache,
    };
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let (poll_tx, polls) = mpsc::unbounded_channel();
    let poller = tokio::spawn(super::poller::run(plan_rx, poll_tx));
    let (art_tx, art) = mpsc::unbounded_channel();
    let mut encoder = ArtEncoder::new(picker, art_tx);
    let mut sources = Sources {
        answers,
        polls,
        art,
        desktop,
    };

    let first = init(&mut state, Instant::now());
    outside.dispatch(first, &mut state);
    terminal.draw(|f| ui::render(&state, Clock::system(), f))?;
    state.dirty = false;

    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    while !state.quit {
        let animating = state.is_animating();
        let ev = tokio::select! {
            ev = input.next() => match ev {
                Some(ev) => Some(ev),
                None => break,
            },
            Some(ev) = sources.answers.recv() => from_worker(ev),
            Some(kind) = sources.polls.recv() => Some(Event::PollDue(kind)),
            Some(ev) = sources.art.recv() => Some(Event::Art(ev)),
            Some(ev) = sources.desktop.recv() => Some(ev),
            _ = ticker.tick(), if animating => Some(Event::Tick),
        };
        let mut batch: Vec<Event> = ev.into_iter().collect();
        sources.drain(&mut batch);
        for ev in batch {
            if let Event::Art(ArtEvent::Encoded(a)) = &ev {
                encoder.remember(a);
            }
            let out = update(&mut state, ev, Instant::now());
            outside.dispatch(out, &mut state);
        }
        encode_art(&mut encoder, &state);
        publish(&now_playing, &state);
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

/// Asks the encoder for the wanted art at the art pane's current size.
fn encode_art(encoder: &mut ArtEncoder, state: &AppState) {
    let Some((url, image)) = &state.art.decoded else {
        return;
    };
    if state.art.wanted.as_deref() != Some(url.as_str()) {
        return;
    }
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let Some(rect) = geometry::player(area, state).art else {
        return;
    };
    encoder.ensure(
        url,
        image,
        (rect.width, rect.height),
        state.art.encoded.as_ref(),
    );
}

/// Where the reducer's actions go.
struct Outside {
    requests: mpsc::UnboundedSender<ApiRequest>,
    plan_tx: watch::Sender<PollPlan>,
    cache: Option<Arc<Cache>>,
}

impl Outside {
    fn dispatch(&self, out: Vec<Action>, state: &mut AppState) {
        for a in out {
            match a {
                Action::Schedule(plan) => {
                    let _ = self.plan_tx.send(plan);
                }
                Action::Quit => state.quit = true,
                Action::Api(req) => {
                    if self.requests.send(req).is_err() {
                        tracing::error!("the Web API worker has stopped");
                    }
                }
                Action::CacheItems {
                    playlist_id,
                    snapshot_id,
                    items,
                } => {
                    if let Some(cache) = self.cache.clone() {
                        tokio::task::spawn_blocking(move || {
                            cache.put_items(&playlist_id, &snapshot_id, &items)
                        });
                    }
                }
            }
        }
    }
}
