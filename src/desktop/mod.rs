//! Desktop integration: MPRIS on the session bus (media keys, `playerctl`,
//! status bars), notifications on track change, and event hooks.
//!
//! It knows nothing of the app's internals: it reads a [`NowPlaying`] value
//! the event loop publishes on a `watch` channel whenever the state changes
//! (no polling of its own), and sends [`Event`]s back, which the
//! event loop feeds to the same reducer as keys.

mod hooks;
mod mpris;
mod notify;

use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::app::event::Event;
use crate::config::{DesktopConfig, HooksConfig};
use crate::domain::{Playback, Track};

pub use hooks::{HookEvent, hook_env, hook_events};

/// What the desktop sees: the playback on screen and its decoded cover.
#[derive(Debug, Clone, Default)]
pub struct NowPlaying {
    /// Playback as the screen shows it; `None` when nothing is active.
    pub playback: Option<Playback>,
    /// Decoded cover art of the playing item: its URL and image.
    pub art: Option<(String, Arc<image::DynamicImage>)>,
}

impl NowPlaying {
    /// The playing item, if any.
    pub fn track(&self) -> Option<&Track> {
        self.playback.as_ref().and_then(|p| p.item.as_ref())
    }

    /// Replaces `self` with `next`; true when anything changed.
    pub fn update(&mut self, next: NowPlaying) -> bool {
        let same_art = match (&self.art, &next.art) {
            (None, None) => true,
            (Some(a), Some(b)) => a.0 == b.0,
            _ => false,
        };
        if same_art && self.playback == next.playback {
            return false;
        }
        *self = next;
        true
    }
}

/// The running desktop tasks; dropping it stops them.
#[derive(Debug, Default)]
pub struct Desktop {
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts what the config asks for. MPRIS and notifications start only
/// where a session bus exists; without one nothing is spawned for them.
pub fn spawn(
    desktop: &DesktopConfig,
    hooks: &HooksConfig,
    view: watch::Receiver<NowPlaying>,
    events: mpsc::UnboundedSender<Event>,
) -> Desktop {
    let mut tasks = Vec::new();
    let bus = session_bus_exists();
    if desktop.mpris && bus {
        tasks.push(tokio::spawn(mpris::run(view.clone(), events.clone())));
    } else if desktop.mpris {
        tracing::debug!("no session bus: MPRIS is off");
    }
    if desktop.notify && bus {
        tasks.push(tokio::spawn(notify::run(view.clone())));
    }
    if hooks::any(hooks) {
        tasks.push(tokio::spawn(hooks::run(hooks.clone(), view, events)));
    }
    Desktop { tasks }
}

/// True when a session bus address is set or the usual socket exists.
fn session_bus_exists() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    std::env::var_os("XDG_RUNTIME_DIR")
        .is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists())
}

/// Tells the app something on its status line.
fn notice(events: &mpsc::UnboundedSender<Event>, text: String) {
    let _ = events.send(Event::Notice(text));
}
