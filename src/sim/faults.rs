//! Fault switches for reliability tests: rate limiting, server errors,
//! dropped connections, malformed bodies, latency, waking devices, removed
//! endpoints; and [`FaultSpec`], the same switches as text for
//! `spotdeck sim --fault …` and the admin endpoint.

use std::str::FromStr;
use std::time::{Duration, Instant};

use super::ratelimit::Window;

/// What to do to the next Web API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    /// Answer 429 with `Retry-After` seconds.
    RateLimited(u64),
    /// Answer this 5xx status.
    ServerError(u16),
    /// Close the connection without answering.
    Drop,
}

/// Pending faults. Counters count down per affected request.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Next K requests get 429 with this Retry-After.
    pub rate_limit_next: Option<(u32, u64)>,
    /// Every request until the instant gets 429 with this Retry-After.
    pub rate_limit_until: Option<(Instant, u64)>,
    /// Next K requests get this 5xx status.
    pub server_error_next: Option<(u32, u16)>,
    /// Next K requests are dropped.
    pub drop_next: u32,
    /// Next K JSON bodies are cut short.
    pub malformed_next: u32,
    /// Next K requests wait this many extra milliseconds.
    pub spike_next: Option<(u32, u64)>,
    /// Added latency for every request, milliseconds.
    pub latency_ms: u64,
    /// Next K player commands answer 202 (device waking up).
    pub waking_next: u32,
    /// Web API paths answered 404 as if the endpoint did not exist
    /// (`*` matches one segment, e.g. `/v1/playlists/*/items`).
    pub removed: Vec<String>,
    /// Next K requests with this HTTP method get this 5xx status.
    pub method_error_next: Option<(String, u32, u16)>,
}

/// One fault switch in text form, as `spotdeck sim --fault` and
/// `POST /_sim/faults` take it.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultSpec {
    /// `rate-limit=N/SECS`: a rolling window of N requests per SECS seconds per app.
    RateLimit(Window),
    /// `quota=N/SECS`: N requests per SECS per app, then 429 `QUOTA_EXCEEDED`.
    Quota(Window),
    /// `429=COUNT:SECS`: the next COUNT requests get 429 with `Retry-After: SECS`.
    RateLimitNext(u32, u64),
    /// `5xx=COUNT:STATUS`: the next COUNT requests get STATUS.
    ServerErrorNext(u32, u16),
    /// `drop=COUNT`: the next COUNT connections close unanswered.
    DropNext(u32),
    /// `malformed=COUNT`: the next COUNT JSON bodies are cut in half.
    MalformedNext(u32),
    /// `latency=MS`: added to every request.
    Latency(u64),
    /// `spike=COUNT:MS`: the next COUNT requests wait MS more.
    SpikeNext(u32, u64),
    /// `waking=COUNT`: the next COUNT player commands answer 202.
    WakingNext(u32),
    /// `removed=PATH`: the endpoint answers 404 (`*` matches one segment).
    Removed(String),
    /// `clear`: every switch off (latency kept).
    Clear,
}

/// The forms [`FaultSpec`] accepts, for error messages and `--help`.
pub const FAULT_FORMS: &str = "rate-limit=N/SECS, quota=N/SECS, 429=COUNT:SECS, 5xx=COUNT:STATUS, \
drop=COUNT, malformed=COUNT, latency=MS, spike=COUNT:MS, waking=COUNT, removed=/v1/PATH, clear";

fn num<T: FromStr>(s: &str) -> Result<T, String> {
    s.trim().parse().map_err(|_| format!("not a number: {s:?}"))
}

fn pair<A: FromStr, B: FromStr>(s: &str, sep: char) -> Result<(A, B), String> {
    let (a, b) = s
        .split_once(sep)
        .ok_or_else(|| format!("expected two numbers separated by '{sep}' in {s:?}"))?;
    Ok((num(a)?, num(b)?))
}

fn window(s: &str) -> Result<Window, String> {
    let (max_requests, secs): (u32, f64) = pair(s, '/')?;
    if max_requests == 0 || !secs.is_finite() || secs <= 0.0 {
        return Err(format!("a window needs N ≥ 1 and SECS > 0, got {s:?}"));
    }
    Ok(Window {
        max_requests,
        window: Duration::from_secs_f64(secs),
    })
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s == "clear" {
            return Ok(FaultSpec::Clear);
        }
        let (name, v) = s
            .split_once('=')
            .ok_or_else(|| format!("unknown fault {s:?}; use one of: {FAULT_FORMS}"))?;
        Ok(match name.trim() {
            "rate-limit" => FaultSpec::RateLimit(window(v)?),
            "quota" => FaultSpec::Quota(window(v)?),
            "429" => {
                let (n, secs) = pair(v, ':')?;
                FaultSpec::RateLimitNext(n, secs)
            }
            "5xx" => {
                let (n, status) = pair(v, ':')?;
                if !(500..=599).contains(&status) {
                    return Err(format!("not a 5xx status: {status}"));
                }
                FaultSpec::ServerErrorNext(n, status)
            }
            "drop" => FaultSpec::DropNext(num(v)?),
            "malformed" => FaultSpec::MalformedNext(num(v)?),
            "latency" => FaultSpec::Latency(num(v)?),
            "spike" => {
                let (n, ms) = pair(v, ':')?;
                FaultSpec::SpikeNext(n, ms)
            }
            "waking" => FaultSpec::WakingNext(num(v)?),
            "removed" if v.trim().starts_with("/v1/") => FaultSpec::Removed(v.trim().to_string()),
            "removed" => return Err(format!("a removed path starts with /v1/, got {v:?}")),
            _ => return Err(format!("unknown fault {s:?}; use one of: {FAULT_FORMS}")),
        })
    }
}

/// True when `path` matches `pattern` segment by segment (`*` matches one).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let q: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
}

impl Faults {
    /// Consumes a method-specific server error for a `method` request.
    pub fn take_method_error(&mut self, method: &str) -> Option<Injected> {
        let (m, k, status) = self.method_error_next.take()?;
        if m != method {
            self.method_error_next = Some((m, k, status));
            return None;
        }
        if k > 1 {
            self.method_error_next = Some((m, k - 1, status));
        }
        Some(Injected::ServerError(status))
    }

    /// Consumes the fault that applies to one Web API request, if any.
    pub fn take_injected(&mut self, now: Instant) -> Option<Injected> {
        if self.drop_next > 0 {
            self.drop_next -= 1;
            return Some(Injected::Drop);
        }
        if let Some((until, secs)) = self.rate_limit_until {
            if now < until {
                return Some(Injected::RateLimited(secs));
            }
            self.rate_limit_until = None;
        }
        if let Some((k, secs)) = self.rate_limit_next {
            self.rate_limit_next = (k > 1).then(|| (k - 1, secs));
            return Some(Injected::RateLimited(secs));
        }
        if let Some((k, status)) = self.server_error_next {
            self.server_error_next = (k > 1).then(|| (k - 1, status));
            return Some(Injected::ServerError(status));
        }
        None
    }

    /// True when `path` was switched off with [`FaultSpec::Removed`].
    pub fn is_removed(&self, path: &str) -> bool {
        self.removed.iter().any(|p| path_matches(p, path))
    }

    /// Consumes the latency to add to one request.
    pub fn take_latency(&mut self) -> Duration {
        let mut ms = self.latency_ms;
        if let Some((k, extra)) = self.spike_next {
            ms += extra;
            self.spike_next = (k > 1).then(|| (k - 1, extra));
        }
        Duration::from_millis(ms)
    }

    /// Consumes one "device waking" answer.
    pub fn take_waking(&mut self) -> bool {
        if self.waking_next > 0 {
            self.waking_next -= 1;
            true
        } else {
            false
        }
    }

    /// Consumes one malformed-body fault.
    pub fn take_malformed(&mut self) -> bool {
        if self.malformed_next > 0 {
            self.malformed_next -= 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_run_down() {
        let mut f = Faults {
            rate_limit_next: Some((2, 3)),
            ..Faults::default()
        };
        let now = Instant::now();
        assert_eq!(f.take_injected(now), Some(Injected::RateLimited(3)));
        assert_eq!(f.take_injected(now), Some(Injected::RateLimited(3)));
        assert_eq!(f.take_injected(now), None);
        f.spike_next = Some((1, 50));
        f.latency_ms = 5;
        assert_eq!(f.take_latency(), Duration::from_millis(55));
        assert_eq!(f.take_latency(), Duration::from_millis(5));
    }

    #[test]
    fn specs_parse_or_say_why_not() {
        assert_eq!(
            "rate-limit=20/30".parse::<FaultSpec>(),
            Ok(FaultSpec::RateLimit(Window {
                max_requests: 20,
                window: Duration::from_secs(30)
            }))
        );
        assert_eq!(
            "quota=5/0.5".parse::<FaultSpec>(),
            Ok(FaultSpec::Quota(Window {
                max_requests: 5,
                window: Duration::from_millis(500)
            }))
        );
        assert_eq!(
            "429=3:7".parse::<FaultSpec>(),
            Ok(FaultSpec::RateLimitNext(3, 7))
        );
        assert_eq!("clear".parse::<FaultSpec>(), Ok(FaultSpec::Clear));
        for bad in [
            "rate-limit=0/30",
            "rate-limit=5",
            "5xx=1:404",
            "nope=1",
            "removed=me",
            "x",
        ] {
            assert!(bad.parse::<FaultSpec>().is_err(), "{bad} should fail");
        }
        assert!(path_matches(
            "/v1/playlists/*/items",
            "/v1/playlists/abc/items/"
        ));
        assert!(!path_matches("/v1/playlists/*/items", "/v1/playlists/abc"));
    }
}
