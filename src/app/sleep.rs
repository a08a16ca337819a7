//! The sleep timer: a pure state machine. The clock and what playback looks
//! like come in as parameters; what to do (lower the volume, pause, restore
//! the volume) comes out. The reducer and `spotdeck sleep` drive the same
//! machine, so the TUI and the CLI behave alike.

use std::time::{Duration, Instant};

/// How close to a track's end "the end of this track" fires: polls are a
/// few hundred milliseconds behind, and pausing a moment early beats
/// hearing the first second of the next track.
pub const END_SLACK: Duration = Duration::from_millis(1_000);
/// Volume steps of a fade: the volume is set this many times at most.
const FADE_STEPS: u64 = 10;

/// What the timer waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SleepTarget {
    /// A fixed time from when it was set.
    After(Duration),
    /// The end of the item playing when it was set (a skip counts as its end).
    EndOfTrack,
    /// The end of the album or playlist playing when it was set.
    EndOfContext,
}

/// The choices the sleep key offers, in menu order.
pub const CHOICES: [SleepTarget; 6] = [
    SleepTarget::After(Duration::from_secs(15 * 60)),
    SleepTarget::After(Duration::from_secs(30 * 60)),
    SleepTarget::After(Duration::from_secs(45 * 60)),
    SleepTarget::After(Duration::from_secs(60 * 60)),
    SleepTarget::EndOfTrack,
    SleepTarget::EndOfContext,
];

impl SleepTarget {
    /// Menu and message wording, e.g. `in 30 min` or `at the end of this track`.
    pub fn label(self) -> String {
        match self {
            SleepTarget::After(d) if d.as_secs() % 60 == 0 => {
                format!("in {} min", d.as_secs() / 60)
            }
            SleepTarget::After(d) => format!("in {} s", d.as_secs()),
            SleepTarget::EndOfTrack => "at the end of this track".into(),
            SleepTarget::EndOfContext => "at the end of the album or playlist".into(),
        }
    }

    /// Parses `30m`, `90s`, `1h`, `1h30m`, `45` (minutes), `end-of-track`,
    /// `end-of-album` / `end-of-playlist` / `end-of-context`.
    pub fn parse(text: &str) -> Result<SleepTarget, String> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "end-of-track" | "track" => return Ok(SleepTarget::EndOfTrack),
            "end-of-album" | "end-of-playlist" | "end-of-context" | "album" | "playlist" => {
                return Ok(SleepTarget::EndOfContext);
            }
            _ => {}
        }
        let bad = || {
            format!(
                "`{text}` is not a sleep time: use e.g. 30m, 90s, 1h30m, end-of-track or end-of-album"
            )
        };
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            let mins: u64 = t.parse().map_err(|_| bad())?;
            return Ok(SleepTarget::After(Duration::from_secs(
                mins.checked_mul(60).ok_or_else(bad)?,
            )));
        }
        let mut secs: u64 = 0;
        let mut number = String::new();
        for c in t.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let unit = match c {
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => return Err(bad()),
            };
            let n: u64 = number.parse().map_err(|_| bad())?;
            number.clear();
            secs = n
                .checked_mul(unit)
                .and_then(|v| secs.checked_add(v))
                .ok_or_else(bad)?;
        }
        if !number.is_empty() || secs == 0 {
            return Err(bad());
        }
        Ok(SleepTarget::After(Duration::from_secs(secs)))
    }
}

/// What the timer sees of playback at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Observed<'a> {
    /// Something is playing (not paused).
    pub playing: bool,
    /// URI of the item playing.
    pub item_uri: Option<&'a str>,
    /// Milliseconds left in that item, interpolated to now.
    pub remaining_ms: Option<u64>,
    /// URI of the album or playlist playing.
    pub context_uri: Option<&'a str>,
    /// Nothing follows the item in this context (empty queue, no repeat).
    pub last_in_context: bool,
    /// Volume of the active device, when it can be set.
    pub volume: Option<u8>,
    /// A command is still in flight; the volume is restored only after it.
    pub busy: bool,
}

/// What the timer sees in the app's state at `now`.
pub fn observe(state: &super::state::AppState, now: Instant) -> Observed<'_> {
    let pb = state.playback.as_ref();
    Observed {
        playing: pb.is_some_and(|p| p.is_playing),
        item_uri: state.now_playing().map(|t| t.uri.as_str()),
        remaining_ms: pb.and_then(|p| p.remaining_at(now)),
        context_uri: pb.and_then(|p| p.context_uri.as_deref()),
        last_in_context: state.queue.is_empty()
            && pb.is_some_and(|p| p.repeat == crate::domain::Repeat::Off),
        volume: pb
            .and_then(|p| p.device.as_ref())
            .filter(|d| d.supports_volume)
            .and_then(|d| d.volume),
        busy: !state.pending.is_empty(),
    }
}

/// What the timer asks its driver to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SleepAction {
    /// Set the volume of the active device (fading out, or restoring).
    Volume(u8),
    /// Pause whatever device is playing now.
    Pause,
    /// The timer is done; the driver drops it.
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Fading {
        from: u8,
        last: u8,
    },
    /// The pause was sent; `restore` is set back once it went through.
    Paused {
        restore: Option<u8>,
    },
}

/// An armed sleep timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SleepTimer {
    target: SleepTarget,
    set_at: Instant,
    fade: Duration,
    item: Option<String>,
    context: Option<String>,
    /// `item` was the last of the context when last seen.
    was_last: bool,
    phase: Phase,
}

impl SleepTimer {
    /// Arms a timer at `now`; `fade` is how long the volume is lowered
    /// before the pause (zero: no fade). Refused with a sentence when it
    /// needs something playing and nothing is.
    pub fn new(
        target: SleepTarget,
        fade: Duration,
        now: Instant,
        seen: &Observed<'_>,
    ) -> Result<SleepTimer, String> {
        if matches!(target, SleepTarget::EndOfTrack | SleepTarget::EndOfContext)
            && seen.item_uri.is_none()
        {
            return Err("Nothing is playing, so there is no end to wait for.".into());
        }
        Ok(SleepTimer {
            target,
            set_at: now,
            fade,
            item: seen.item_uri.map(str::to_string),
            context: seen.context_uri.map(str::to_string),
            was_last: seen.last_in_context,
            phase: Phase::Waiting,
        })
    }

    /// What it waits for.
    pub fn target(&self) -> SleepTarget {
        self.target
    }

    /// Time left until it fires, when known (the end of a playlist is known
    /// only once its last item plays).
    pub fn remaining(&self, now: Instant, seen: &Observed<'_>) -> Option<Duration> {
        if matches!(self.phase, Phase::Paused { .. }) {
            return Some(Duration::ZERO);
        }
        match self.target {
            SleepTarget::After(d) => Some((self.set_at + d).saturating_duration_since(now)),
            SleepTarget::EndOfTrack => self.track_left(seen),
            SleepTarget::EndOfContext if seen.last_in_context => self.track_left(seen),
            SleepTarget::EndOfContext => None,
        }
    }

    fn track_left(&self, seen: &Observed<'_>) -> Option<Duration> {
        if seen.item_uri != self.item.as_deref() {
            return Some(Duration::ZERO);
        }
        seen.remaining_ms
            .map(|ms| Duration::from_millis(ms).saturating_sub(END_SLACK))
    }

    fn due(&self, now: Instant, seen: &Observed<'_>) -> bool {
        match self.target {
            SleepTarget::After(_) => self.remaining(now, seen) == Some(Duration::ZERO),
            SleepTarget::EndOfTrack => {
                seen.item_uri != self.item.as_deref()
                    || self.track_left(seen) == Some(Duration::ZERO)
            }
            SleepTarget::EndOfContext => {
                let moved_on = seen.item_uri != self.item.as_deref();
                seen.context_uri != self.context.as_deref()
                    || (moved_on && self.was_last)
                    || (seen.last_in_context && self.track_left(seen) == Some(Duration::ZERO))
            }
        }
    }

    /// Advances the machine to `now`. Call it often (every tick or poll).
    pub fn step(&mut self, now: Instant, seen: &Observed<'_>) -> Vec<SleepAction> {
        // The end of a playlist follows the items as they play, until the last.
        if self.target == SleepTarget::EndOfContext
            && !self.was_last
            && seen.context_uri == self.context.as_deref()
        {
            self.item = seen.item_uri.map(str::to_string);
        }
        if seen.item_uri == self.item.as_deref() {
            self.was_last = seen.last_in_context;
        }
        match self.phase {
            Phase::Paused { restore } => {
                if seen.busy {
                    return Vec::new();
                }
                let mut out: Vec<SleepAction> =
                    restore.map(SleepAction::Volume).into_iter().collect();
                out.push(SleepAction::Finished);
                out
            }
            Phase::Waiting | Phase::Fading { .. } => {
                if self.due(now, seen) {
                    let restore = match self.phase {
                        Phase::Fading { from, .. } => Some(from),
                        _ => None,
                    };
                    self.phase = Phase::Paused { restore };
                    return if seen.playing {
                        vec![SleepAction::Pause]
                    } else {
                        Vec::new()
                    };
                }
                self.fade_step(now, seen)
            }
        }
    }

    fn fade_step(&mut self, now: Instant, seen: &Observed<'_>) -> Vec<SleepAction> {
        if self.fade.is_zero() || !seen.playing {
            return Vec::new();
        }
        let Some(left) = self.remaining(now, seen) else {
            return Vec::new();
        };
        if left > self.fade {
            return Vec::new();
        }
        let (from, last) = match self.phase {
            Phase::Fading { from, last } => (from, last),
            _ => match seen.volume {
                Some(v) => (v, v),
                None => return Vec::new(),
            },
        };
        let fade_ms = self.fade.as_millis().max(1) as u64;
        let gone = fade_ms.saturating_sub(left.as_millis() as u64);
        let step = (gone * FADE_STEPS / fade_ms + 1).min(FADE_STEPS);
        let level = (u64::from(from) * (FADE_STEPS - step) / FADE_STEPS) as u8;
        self.phase = Phase::Fading {
            from,
            last: level.min(last),
        };
        if level < last {
            vec![SleepAction::Volume(level)]
        } else {
            Vec::new()
        }
    }

    /// Cancels the timer: the volume to restore if it was fading.
    pub fn cancel(self) -> Option<u8> {
        match self.phase {
            Phase::Fading { from, .. } => Some(from),
            Phase::Paused { restore } => restore,
            Phase::Waiting => None,
        }
    }

    /// Status-line text, e.g. `☾ 14:59` or `☾ end of playlist`.
    pub fn status(&self, now: Instant, seen: &Observed<'_>) -> String {
        let left = self.remaining(now, seen);
        let clock = left.map(|d| {
            let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
            if s >= 3600 {
                format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            } else {
                format!("{}:{:02}", s / 60, s % 60)
            }
        });
        let fading = matches!(self.phase, Phase::Fading { .. });
        let what = match (self.target, clock) {
            (SleepTarget::After(_), Some(c)) => format!("sleep in {c}"),
            (SleepTarget::EndOfTrack, Some(c)) => format!("sleep at end of track, {c}"),
            (SleepTarget::EndOfContext, Some(c)) => format!("sleep at end of playlist, {c}"),
            (_, None) => "sleep at end of playlist".into(),
        };
        if fading {
            format!("☾ {what} (fading)")
        } else {
            format!("☾ {what}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn playing<'a>(uri: &'a str, remaining_ms: u64) -> Observed<'a> {
        Observed {
            playing: true,
            item_uri: Some(uri),
            remaining_ms: Some(remaining_ms),
            context_uri: Some("spotify:album:a"),
            last_in_context: false,
            volume: Some(80),
            busy: false,
        }
    }

    #[test]
    fn parses_durations_and_ends() {
        assert_eq!(SleepTarget::parse("30m"), Ok(SleepTarget::After(30 * MIN)));
        assert_eq!(
            SleepTarget::parse("1h30m"),
            Ok(SleepTarget::After(90 * MIN))
        );
        assert_eq!(
            SleepTarget::parse("90s"),
            Ok(SleepTarget::After(Duration::from_secs(90)))
        );
        assert_eq!(SleepTarget::parse("45"), Ok(SleepTarget::After(45 * MIN)));
        assert_eq!(
            SleepTarget::parse("end-of-track"),
            Ok(SleepTarget::EndOfTrack)
        );
        assert_eq!(
            SleepTarget::parse("end-of-album"),
            Ok(SleepTarget::EndOfContext)
        );
        for bad in ["", "0m", "10x", "m", "3m4", "99999999999999999999h"] {
            assert!(SleepTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fixed_time_fades_then_pauses_then_restores() {
        let t0 = Instant::now();
        let seen = playing("spotify:track:1", 600_000);
        let mut t = SleepTimer::new(
            SleepTarget::After(Duration::from_secs(60)),
            Duration::from_secs(30),
            t0,
            &seen,
        )
        .unwrap();
        assert!(t.step(t0 + Duration::from_secs(29), &seen).is_empty());
        assert_eq!(
            t.status(t0 + Duration::from_secs(29), &seen),
            "☾ sleep in 0:31"
        );
        // Fade starts with the first step below 80.
        assert_eq!(
            t.step(t0 + Duration::from_secs(30), &seen),
            vec![SleepAction::Volume(72)]
        );
        // No repeat of the same level.
        assert!(t.step(t0 + Duration::from_millis(30_500), &seen).is_empty());
        let mut levels = vec![72];
        for s in 31..60 {
            for a in t.step(t0 + Duration::from_secs(s), &seen) {
                if let SleepAction::Volume(v) = a {
                    levels.push(v);
                }
            }
        }
        assert!(levels.windows(2).all(|w| w[1] < w[0]), "{levels:?}");
        assert!(levels.len() <= FADE_STEPS as usize, "{levels:?}");
        assert_eq!(
            t.step(t0 + Duration::from_secs(60), &seen),
            vec![SleepAction::Pause]
        );
        // Waits for the pause to go through before restoring.
        let busy = Observed {
            busy: true,
            playing: false,
            ..seen
        };
        assert!(t.step(t0 + Duration::from_secs(61), &busy).is_empty());
        let done = Observed {
            busy: false,
            ..busy
        };
        assert_eq!(
            t.step(t0 + Duration::from_secs(61), &done),
            vec![SleepAction::Volume(80), SleepAction::Finished]
        );
    }

    #[test]
    fn without_fade_it_only_pauses() {
        let t0 = Instant::now();
        let seen = playing("spotify:track:1", 600_000);
        let mut t = SleepTimer::new(SleepTarget::After(MIN), Duration::ZERO, t0, &seen).unwrap();
        assert!(t.step(t0 + Duration::from_secs(59), &seen).is_empty());
        assert_eq!(t.step(t0 + MIN, &seen), vec![SleepAction::Pause]);
        assert_eq!(
            t.step(
                t0 + MIN,
                &Observed {
                    playing: false,
                    ..seen
                }
            ),
            vec![SleepAction::Finished]
        );
    }

    #[test]
    fn end_of_track_follows_the_position_and_fires_on_a_change() {
        let t0 = Instant::now();
        let mut t = SleepTimer::new(
            SleepTarget::EndOfTrack,
            Duration::ZERO,
            t0,
            &playing("spotify:track:1", 90_000),
        )
        .unwrap();
        // A seek back moves the end.
        assert!(t.step(t0, &playing("spotify:track:1", 120_000)).is_empty());
        assert_eq!(
            t.remaining(t0, &playing("spotify:track:1", 120_000)),
            Some(Duration::from_secs(119))
        );
        assert_eq!(
            t.step(t0, &playing("spotify:track:1", 900)),
            vec![SleepAction::Pause]
        );
        let mut t2 = SleepTimer::new(
            SleepTarget::EndOfTrack,
            Duration::ZERO,
            t0,
            &playing("spotify:track:1", 90_000),
        )
        .unwrap();
        assert_eq!(
            t2.step(t0, &playing("spotify:track:2", 200_000)),
            vec![SleepAction::Pause]
        );
    }

    #[test]
    fn end_of_context_waits_for_the_last_item() {
        let t0 = Instant::now();
        let mut t = SleepTimer::new(
            SleepTarget::EndOfContext,
            Duration::from_secs(30),
            t0,
            &playing("spotify:track:1", 10_000),
        )
        .unwrap();
        // Not the last item: the track ending changes nothing.
        assert!(t.step(t0, &playing("spotify:track:1", 500)).is_empty());
        assert!(t.step(t0, &playing("spotify:track:2", 200_000)).is_empty());
        assert_eq!(
            t.status(t0, &playing("spotify:track:2", 200_000)),
            "☾ sleep at end of playlist"
        );
        let last = |ms| Observed {
            last_in_context: true,
            ..playing("spotify:track:3", ms)
        };
        assert!(t.step(t0, &last(200_000)).is_empty());
        assert_eq!(t.step(t0, &last(20_000)).len(), 1, "fading");
        assert_eq!(t.step(t0, &last(900)), vec![SleepAction::Pause]);

        // Leaving the context fires at once.
        let mut t = SleepTimer::new(
            SleepTarget::EndOfContext,
            Duration::ZERO,
            t0,
            &playing("spotify:track:1", 10_000),
        )
        .unwrap();
        let other = Observed {
            context_uri: Some("spotify:playlist:radio"),
            ..playing("spotify:track:9", 100_000)
        };
        assert_eq!(t.step(t0, &other), vec![SleepAction::Pause]);
    }

    #[test]
    fn end_needs_something_playing_and_cancel_restores() {
        let t0 = Instant::now();
        assert!(
            SleepTimer::new(
                SleepTarget::EndOfTrack,
                Duration::ZERO,
                t0,
                &Observed::default()
            )
            .is_err()
        );
        let seen = playing("spotify:track:1", 600_000);
        let mut t =
            SleepTimer::new(SleepTarget::After(MIN), Duration::from_secs(30), t0, &seen).unwrap();
        assert_eq!(t.clone().cancel(), None);
        t.step(t0 + Duration::from_secs(45), &seen);
        assert_eq!(t.cancel(), Some(80));
    }

    #[test]
    fn paused_playback_is_not_faded() {
        let t0 = Instant::now();
        let seen = Observed {
            playing: false,
            ..playing("spotify:track:1", 600_000)
        };
        let mut t =
            SleepTimer::new(SleepTarget::After(MIN), Duration::from_secs(30), t0, &seen).unwrap();
        assert!(t.step(t0 + Duration::from_secs(50), &seen).is_empty());
        // Due while paused: nothing to pause, it just ends.
        assert!(t.step(t0 + MIN, &seen).is_empty());
        assert_eq!(t.step(t0 + MIN, &seen), vec![SleepAction::Finished]);
    }
}
