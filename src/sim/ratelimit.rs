//! The service's own throttling: a rolling window per app (Spotify counts
//! requests per client over the last 30 seconds) and a longer quota per app
//! whose 429 carries `"reason": "QUOTA_EXCEEDED"`. Both are off unless set.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// At most `max_requests` per app in any `window` (a rolling window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Requests allowed inside one window.
    pub max_requests: u32,
    /// Length of the window (30 s at Spotify).
    pub window: Duration,
}

impl Window {
    /// Spotify's window: 30 seconds.
    pub const SPOTIFY_WINDOW: Duration = Duration::from_secs(30);
}

/// What the limiter says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Allow,
    /// 429 from the rolling window, retry after this many seconds.
    Limited(u64),
    /// 429 `QUOTA_EXCEEDED`, retry after this many seconds.
    Quota(u64),
}

/// Per-app request history for the rolling window and the quota.
#[derive(Debug, Default, Clone)]
pub struct Limiter {
    /// The rolling window, when on.
    pub rolling: Option<Window>,
    /// The quota (e.g. per day), when on.
    pub quota: Option<Window>,
    recent: HashMap<String, VecDeque<Instant>>,
    counted: HashMap<String, VecDeque<Instant>>,
}

/// Whole seconds until `at` (at least 1), as `Retry-After` says it.
fn secs_until(at: Instant, now: Instant) -> u64 {
    let d = at.saturating_duration_since(now);
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// Applies one window to one app's history; `Some(retry_after_secs)` when full.
fn check(w: Window, seen: &mut VecDeque<Instant>, now: Instant) -> Option<u64> {
    while seen
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= w.window)
    {
        seen.pop_front();
    }
    if seen.len() < w.max_requests as usize {
        return None;
    }
    // Full: the oldest counted request leaves the window first.
    let frees_at = seen.front().map_or(now, |t| *t + w.window);
    Some(secs_until(frees_at, now))
}

impl Limiter {
    /// Judges one request of `client` at `now`; answered requests are counted,
    /// refused ones are not.
    pub fn judge(&mut self, client: &str, now: Instant) -> Verdict {
        if let Some(q) = self.quota {
            let seen = self.counted.entry(client.to_string()).or_default();
            if let Some(secs) = check(q, seen, now) {
                return Verdict::Quota(secs);
            }
        }
        if let Some(w) = self.rolling {
            let seen = self.recent.entry(client.to_string()).or_default();
            if let Some(secs) = check(w, seen, now) {
                return Verdict::Limited(secs);
            }
            seen.push_back(now);
        }
        if self.quota.is_some() {
            self.counted
                .entry(client.to_string())
                .or_default()
                .push_back(now);
        }
        Verdict::Allow
    }

    /// Turns both limits off and forgets what was counted.
    pub fn clear(&mut self) {
        *self = Limiter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window_refuses_then_frees_up() {
        let mut l = Limiter {
            rolling: Some(Window {
                max_requests: 2,
                window: Duration::from_secs(30),
            }),
            ..Limiter::default()
        };
        let t0 = Instant::now();
        assert_eq!(l.judge("a", t0), Verdict::Allow);
        assert_eq!(l.judge("a", t0 + Duration::from_secs(10)), Verdict::Allow);
        assert_eq!(
            l.judge("a", t0 + Duration::from_secs(11)),
            Verdict::Limited(19)
        );
        // Another app has its own window.
        assert_eq!(l.judge("b", t0 + Duration::from_secs(11)), Verdict::Allow);
        // The first request leaves the window after 30 s: one slot again.
        assert_eq!(l.judge("a", t0 + Duration::from_secs(30)), Verdict::Allow);
        assert_eq!(
            l.judge("a", t0 + Duration::from_millis(30_500)),
            Verdict::Limited(10)
        );
    }

    #[test]
    fn quota_comes_first_and_says_so() {
        let mut l = Limiter {
            quota: Some(Window {
                max_requests: 1,
                window: Duration::from_secs(86_400),
            }),
            ..Limiter::default()
        };
        let t0 = Instant::now();
        assert_eq!(l.judge("a", t0), Verdict::Allow);
        assert_eq!(
            l.judge("a", t0 + Duration::from_secs(400)),
            Verdict::Quota(86_000)
        );
    }
}
