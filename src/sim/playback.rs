//! The playback model and its clock: what plays where, progress that moves
//! with (simulated) time, the queue, and what happens at a track's end.

use std::collections::VecDeque;
use std::time::Instant;

use super::catalog::{Catalog, ItemRef};
use super::ids::mix;

/// Repeat mode as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// No repeat.
    Off,
    /// Repeat the current track.
    Track,
    /// Repeat the context.
    Context,
}

impl Repeat {
    /// The API string (`off`, `track`, `context`).
    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Off => "off",
            Repeat::Track => "track",
            Repeat::Context => "context",
        }
    }

    /// Parses the API string.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "off" => Some(Repeat::Off),
            "track" => Some(Repeat::Track),
            "context" => Some(Repeat::Context),
            _ => None,
        }
    }
}

/// A track that was played, for `recently-played`.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// Index into the catalogue's tracks.
    pub track: usize,
    /// When it was played, Unix milliseconds.
    pub played_at_ms: i64,
    /// Context it was played from.
    pub context_uri: Option<String>,
}

/// The user's playback session.
#[derive(Debug, Clone)]
pub struct Playback {
    /// Key of the active device, if any.
    pub device: Option<u64>,
    /// Playing or paused.
    pub is_playing: bool,
    /// URI of the playing context (playlist, album), if any.
    pub context_uri: Option<String>,
    /// Items of the context, or the `uris` list.
    pub items: Vec<ItemRef>,
    /// Position in `items` of the last context item played.
    pub index: usize,
    /// The item playing now (may come from the queue).
    pub current: Option<ItemRef>,
    /// Progress at `anchor`.
    pub progress_ms: u64,
    /// When `progress_ms` was measured.
    pub anchor: Instant,
    /// Shuffle on.
    pub shuffle: bool,
    /// Repeat mode.
    pub repeat: Repeat,
    /// Items added with "add to queue".
    pub queue: VecDeque<ItemRef>,
    /// Unix ms of the last state change (the API's `timestamp`).
    pub changed_at_ms: i64,
    /// Tracks played, newest first.
    pub history: VecDeque<HistoryEntry>,
    shuffle_seed: u64,
}

impl Playback {
    /// An idle session: no device, nothing loaded.
    pub fn idle(now: Instant) -> Self {
        Self {
            device: None,
            is_playing: false,
            context_uri: None,
            items: Vec::new(),
            index: 0,
            current: None,
            progress_ms: 0,
            anchor: now,
            shuffle: false,
            repeat: Repeat::Off,
            queue: VecDeque::new(),
            changed_at_ms: 0,
            history: VecDeque::new(),
            shuffle_seed: 7,
        }
    }

    /// Loads a list of items and starts at `index`.
    pub fn load(
        &mut self,
        context_uri: Option<String>,
        items: Vec<ItemRef>,
        index: usize,
        position_ms: u64,
        now: Instant,
    ) {
        self.context_uri = context_uri;
        self.index = index.min(items.len().saturating_sub(1));
        self.current = items.get(self.index).copied();
        self.items = items;
        self.progress_ms = position_ms;
        self.anchor = now;
    }

    /// Moves progress forward to `now`, playing following items at each track's end.
    pub fn sync(&mut self, now: Instant, wall_ms: i64, cat: &Catalog) {
        if !self.is_playing || self.device.is_none() {
            self.anchor = now;
            return;
        }
        let elapsed = now.saturating_duration_since(self.anchor).as_millis() as u64;
        self.anchor = now;
        self.progress_ms += elapsed;
        // Bounded: each pass consumes one whole item (all items last > 1 s).
        for _ in 0..100_000 {
            let Some(cur) = self.current else {
                self.is_playing = false;
                self.progress_ms = 0;
                return;
            };
            let dur = cat.duration_ms(cur);
            if self.progress_ms < dur {
                return;
            }
            let over = self.progress_ms - dur;
            let ended_at = wall_ms - over as i64;
            self.record_played(cur, ended_at);
            if self.repeat == Repeat::Track {
                self.progress_ms = over;
                continue;
            }
            if self.advance(cat) {
                self.progress_ms = over;
            } else {
                self.is_playing = false;
                self.progress_ms = 0;
                self.changed_at_ms = ended_at;
                return;
            }
        }
    }

    /// Adds a finished or skipped track to the history.
    pub fn record_played(&mut self, item: ItemRef, at_ms: i64) {
        if let ItemRef::Track(t) = item {
            self.history.push_front(HistoryEntry {
                track: t,
                played_at_ms: at_ms,
                context_uri: self.context_uri.clone(),
            });
            self.history.truncate(500);
        }
    }

    /// The next context position, honouring shuffle and repeat; `None` at the end.
    pub fn next_index(&mut self) -> Option<usize> {
        let n = self.items.len();
        if n == 0 {
            return None;
        }
        if self.shuffle && n > 1 {
            self.shuffle_seed = mix(self.shuffle_seed);
            let step = 1 + (self.shuffle_seed % (n as u64 - 1)) as usize;
            return Some((self.index + step) % n);
        }
        if self.index + 1 < n {
            Some(self.index + 1)
        } else if self.repeat == Repeat::Context {
            Some(0)
        } else {
            None
        }
    }

    /// True when something would follow the current item.
    pub fn has_next(&self) -> bool {
        !self.queue.is_empty()
            || (self.shuffle && self.items.len() > 1)
            || self.index + 1 < self.items.len()
            || (self.repeat == Repeat::Context && !self.items.is_empty())
    }

    /// Moves to the next queued or context item; false when nothing follows.
    pub fn advance(&mut self, _cat: &Catalog) -> bool {
        if let Some(q) = self.queue.pop_front() {
            self.current = Some(q);
            return true;
        }
        match self.next_index() {
            Some(i) => {
                self.index = i;
                self.current = self.items.get(i).copied();
                true
            }
            None => false,
        }
    }

    /// Goes back one context item, or to the start of the current one.
    pub fn previous(&mut self) {
        if self.progress_ms > 3_000 || self.index == 0 && self.repeat != Repeat::Context {
            self.progress_ms = 0;
            return;
        }
        let n = self.items.len();
        if n == 0 {
            self.progress_ms = 0;
            return;
        }
        self.index = if self.index == 0 {
            n - 1
        } else {
            self.index - 1
        };
        self.current = self.items.get(self.index).copied();
        self.progress_ms = 0;
    }

    /// Items that will play next: the queue, then up to `max` context items.
    pub fn upcoming(&self, max: usize) -> Vec<ItemRef> {
        let mut out: Vec<ItemRef> = self.queue.iter().copied().collect();
        let n = self.items.len();
        let mut i = self.index;
        for _ in 0..max.min(n) {
            i += 1;
            if i >= n {
                if self.repeat == Repeat::Context {
                    i = 0;
                } else {
                    break;
                }
            }
            out.push(self.items[i]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn progress_moves_and_next_track_starts_at_the_end() {
        let cat = Catalog::demo();
        let t0 = Instant::now();
        let mut p = Playback::idle(t0);
        p.device = Some(1);
        p.load(None, vec![ItemRef::Track(0), ItemRef::Track(1)], 0, 0, t0);
        p.is_playing = true;
        let d0 = cat.duration_ms(ItemRef::Track(0));
        p.sync(t0 + Duration::from_millis(1000), 0, &cat);
        assert_eq!(p.progress_ms, 1000);
        p.sync(t0 + Duration::from_millis(d0 + 500), 0, &cat);
        assert_eq!(p.current, Some(ItemRef::Track(1)));
        assert_eq!(p.progress_ms, 500);
        assert_eq!(p.history.len(), 1);
        let d1 = cat.duration_ms(ItemRef::Track(1));
        p.sync(t0 + Duration::from_millis(d0 + d1 + 10_000), 0, &cat);
        assert!(!p.is_playing, "stops at the end of the context");
    }

    #[test]
    fn queue_plays_before_context() {
        let cat = Catalog::demo();
        let t0 = Instant::now();
        let mut p = Playback::idle(t0);
        p.load(None, vec![ItemRef::Track(0), ItemRef::Track(1)], 0, 0, t0);
        p.queue.push_back(ItemRef::Track(9));
        assert!(p.advance(&cat));
        assert_eq!(p.current, Some(ItemRef::Track(9)));
        assert!(p.advance(&cat));
        assert_eq!(p.current, Some(ItemRef::Track(1)));
        assert!(!p.advance(&cat));
    }
}
