//! Fault switches for reliability tests: rate limiting, server errors,
//! dropped connections, malformed bodies, latency, waking devices.

use std::time::{Duration, Instant};

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
    /// Next K requests with this HTTP method get this 5xx status.
    pub method_error_next: Option<(String, u32, u16)>,
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
}
