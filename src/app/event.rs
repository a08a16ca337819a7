//! Events: things that happened. Input comes from the terminal, answers from
//! the Web API worker, timers from the poller and the animation tick.

use std::time::Instant;

use crossterm::event::{KeyEvent, MouseEvent};

pub use crate::cover::ArtEvent;
use crate::spotify::request::Answer;

/// Something that happened; the only input of `update`.
#[derive(Debug, Clone)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal was resized.
    Resize(u16, u16),
    /// Animation tick (only while something moves).
    Tick,
    /// The poller says it is time to poll.
    PollDue(PollKind),
    /// An answer from the Web API worker.
    Api(Box<Answer>),
    /// The API asked us to wait; no request is sent before `until`.
    RateLimited {
        /// End of the wait.
        until: Instant,
    },
    /// Cover art encoded for the terminal (or why not).
    Art(ArtEvent),
    /// Something the user must hear about that no answer carries (a
    /// renewed login that could not be saved, the start-up report, a hook
    /// that failed).
    Notice(String),
    /// A command from a media key or an MPRIS client; it goes through the
    /// reducer like a key, so optimistic updates and rollbacks apply.
    Desktop(RemoteCommand),
}

/// A player command from outside the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteCommand {
    /// The same as pressing the intent's key on the player screen.
    Intent(super::intent::Intent),
    /// Play if paused; nothing if playing.
    Play,
    /// Pause if playing; nothing if paused.
    Pause,
    /// Seek by this many milliseconds from the current position.
    SeekBy(i64),
    /// Seek to this position in the current item.
    SetPosition(u64),
    /// Set the volume (percent).
    Volume(u8),
    /// Set shuffle.
    Shuffle(bool),
    /// Set the repeat mode.
    Repeat(crate::domain::Repeat),
}

/// What the poller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollKind {
    /// Playback state.
    Playback,
    /// Device list.
    Devices,
}
