//! The request path shared by every endpoint: bearer token, 401 refresh,
//! 429 blocking, 202 and 5xx retries, and the ETag cache.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER,
};
use tokio::sync::watch;

use super::error::ApiError;
use crate::token::{AccessToken, TokenSource};

/// Tuning of timeouts and retries.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Retries of idempotent requests (GET/PUT) after 5xx, timeouts and connection errors.
    pub max_retries: u32,
    /// Base of the jittered exponential backoff.
    pub backoff_base: Duration,
    /// Retries of a player command answered 202 (device waking up).
    pub accepted_retries: u32,
    /// Wait before retrying a 202.
    pub accepted_delay: Duration,
    /// Retries after a 429 whose wait is at most `max_rate_limit_wait`.
    pub rate_limit_retries: u32,
    /// Longer `Retry-After` waits are not slept through: requests fail at
    /// once with [`ApiError::RateLimited`] until the block ends.
    pub max_rate_limit_wait: Duration,
    /// Page size tried first for playlist items. The spec's `QueryLimit`
    /// allows at most 50; a larger value falls back to 50 on a 400.
    pub items_page_limit: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_retries: 3,
            backoff_base: Duration::from_millis(300),
            accepted_retries: 3,
            accepted_delay: Duration::from_secs(1),
            rate_limit_retries: 2,
            max_rate_limit_wait: Duration::from_secs(30),
            items_page_limit: 50,
        }
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    None,
    Json(serde_json::Value),
    Text(String, &'static str),
}

/// One request to send.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: Method,
    /// Path below the API base (starting with `/`) or an absolute URL.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    /// Retry on 202 (player commands).
    pub player: bool,
    /// Largest body accepted, in bytes.
    pub max_body: usize,
}

impl Req {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::None,
            player: false,
            max_body: MAX_JSON_BODY,
        }
    }
    pub fn q(mut self, k: &'static str, v: impl ToString) -> Self {
        self.query.push((k, v.to_string()));
        self
    }
    pub fn q_opt(self, k: &'static str, v: Option<impl ToString>) -> Self {
        match v {
            Some(v) => self.q(k, v),
            None => self,
        }
    }
    pub fn json(mut self, v: serde_json::Value) -> Self {
        self.body = Body::Json(v);
        self
    }
    pub fn text(mut self, s: String, content_type: &'static str) -> Self {
        self.body = Body::Text(s, content_type);
        self
    }
    pub fn player(mut self) -> Self {
        self.player = true;
        self
    }
    /// Accepts a body up to [`MAX_IMAGE_BODY`] (cover art).
    pub fn image(mut self) -> Self {
        self.max_body = MAX_IMAGE_BODY;
        self
    }
}

/// Largest JSON body accepted from the API (a 100-item page is ~200 KB).
pub const MAX_JSON_BODY: usize = 16 * 1024 * 1024;
/// Largest image accepted (Spotify's covers are well under 1 MB).
pub const MAX_IMAGE_BODY: usize = 8 * 1024 * 1024;

fn too_large(limit: usize, what: Option<u64>) -> ApiError {
    let mb = |n: u64| n.div_ceil(1024 * 1024);
    ApiError::Decode(match what {
        Some(n) => format!(
            "the answer is {} MB, more than the {} MB spotdeck accepts; it was refused",
            mb(n),
            mb(limit as u64)
        ),
        None => format!(
            "the answer is larger than the {} MB spotdeck accepts; it was refused",
            mb(limit as u64)
        ),
    })
}

/// Reads a body of at most `limit` bytes, refusing larger ones without
/// holding more than `limit` in memory.
async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Bytes, ApiError> {
    if let Some(n) = resp.content_length()
        && n > limit as u64
    {
        return Err(too_large(limit, Some(n)));
    }
    let mut buf = bytes::BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(ApiError::from)? {
        if buf.len() + chunk.len() > limit {
            return Err(too_large(limit, None));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// A successful response.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub status: u16,
    pub body: Bytes,
}

const ETAG_CAPACITY: usize = 256;
/// Bytes of bodies the ETag cache may hold; it serves polls (small bodies),
/// and must not keep every page of a 10,000-item playlist alive.
const ETAG_BUDGET_BYTES: usize = 2 * 1024 * 1024;
/// Larger bodies are not cached at all.
const ETAG_MAX_BODY: usize = 128 * 1024;

#[derive(Default)]
struct EtagCache {
    map: HashMap<String, (String, Bytes)>,
    order: VecDeque<String>,
    bytes: usize,
}

impl EtagCache {
    fn get(&self, url: &str) -> Option<(String, Bytes)> {
        self.map.get(url).cloned()
    }
    fn put(&mut self, url: String, etag: String, body: Bytes) {
        if body.len() > ETAG_MAX_BODY {
            return;
        }
        self.bytes += body.len();
        match self.map.insert(url.clone(), (etag, body)) {
            Some((_, old)) => self.bytes -= old.len(),
            None => self.order.push_back(url),
        }
        while self.order.len() > ETAG_CAPACITY || self.bytes > ETAG_BUDGET_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((_, b)) = self.map.remove(&old) {
                self.bytes -= b.len();
            }
        }
    }
}

/// The transport: reqwest client, token source and shared request state.
pub(crate) struct Transport {
    http: reqwest::Client,
    base: url::Url,
    tokens: std::sync::Arc<dyn TokenSource>,
    pub opts: ClientOptions,
    blocked: watch::Sender<Option<Instant>>,
    etags: Mutex<EtagCache>,
    sent: AtomicU64,
}

impl Transport {
    pub fn new(
        api_base: &str,
        tokens: std::sync::Arc<dyn TokenSource>,
        opts: ClientOptions,
    ) -> Result<Self, ApiError> {
        let trimmed = api_base.trim_end_matches('/');
        let base = url::Url::parse(&format!("{trimmed}/")).map_err(|e| {
            ApiError::InvalidArgument(format!("bad API base URL {api_base:?}: {e}"))
        })?;
        let http = reqwest::Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("spotdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            tokens,
            opts,
            blocked: watch::channel(None).0,
            etags: Mutex::new(EtagCache::default()),
            sent: AtomicU64::new(0),
        })
    }

    /// Number of HTTP requests sent so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// The end of the current rate-limit block, if it lies in the future.
    pub fn blocked_until(&self) -> Option<Instant> {
        (*self.blocked.borrow()).filter(|t| *t > Instant::now())
    }

    pub fn subscribe_blocked(&self) -> watch::Receiver<Option<Instant>> {
        self.blocked.subscribe()
    }

    fn block_for(&self, wait: Duration) {
        let wait = wait.min(MAX_RETRY_AFTER);
        let now = Instant::now();
        let until = now.checked_add(wait).unwrap_or(now);
        self.blocked.send_if_modified(|v| {
            if v.is_none_or(|t| t < until) {
                *v = Some(until);
                true
            } else {
                false
            }
        });
        tracing::warn!(
            wait_ms = wait.as_millis() as u64,
            "rate limited by the Web API"
        );
    }

    /// Waits out a rate-limit block (or fails at once when it is long).
    async fn wait_unblocked(&self) -> Result<(), ApiError> {
        loop {
            let Some(until) = *self.blocked.borrow() else {
                return Ok(());
            };
            let now = Instant::now();
            if until <= now {
                self.blocked.send_if_modified(|v| match v {
                    Some(t) if *t <= Instant::now() => {
                        *v = None;
                        true
                    }
                    _ => false,
                });
                return Ok(());
            }
            let left = until - now;
            if left > self.opts.max_rate_limit_wait {
                return Err(ApiError::RateLimited {
                    retry_after: left,
                    quota: false,
                });
            }
            tokio::time::sleep_until(until.into()).await;
        }
    }

    fn url_for(&self, req: &Req) -> Result<url::Url, ApiError> {
        let mut url = if req.path.starts_with("http://") || req.path.starts_with("https://") {
            url::Url::parse(&req.path)
        } else {
            self.base.join(req.path.trim_start_matches('/'))
        }
        .map_err(|e| ApiError::InvalidArgument(format!("bad URL {:?}: {e}", req.path)))?;
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &req.query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// True when `url` points at the API (and may carry the bearer token).
    fn is_api_url(&self, url: &url::Url) -> bool {
        url.origin() == self.base.origin() && url.path().starts_with(self.base.path())
    }

    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .opts
            .backoff_base
            .saturating_mul(1u32 << attempt.min(6));
        let jitter: f64 = rand::random::<f64>() * 0.5 + 0.75;
        exp.mul_f64(jitter)
    }

    /// Sends a request with the retry rules; returns 2xx responses (304s are
    /// served from the ETag cache as 200) and classifies everything else.
    pub async fn send(&self, req: &Req) -> Result<Resp, ApiError> {
        let url = self.url_for(req)?;
        let api = self.is_api_url(&url);
        let idempotent = req.method == Method::GET || req.method == Method::PUT;
        let use_etag = api && req.method == Method::GET;
        let key = url.as_str().to_owned();
        let mut token: Option<AccessToken> = None;
        let mut refreshed = false;
        let (mut retries, mut accepted, mut limited) = (0u32, 0u32, 0u32);
        loop {
            if api {
                self.wait_unblocked().await?;
                if token.is_none() || !refreshed {
                    token = Some(self.tokens.access_token().await?);
                }
            }
            let mut rb = self.http.request(req.method.clone(), url.clone());
            if let (true, Some(t)) = (api, &token) {
                rb = rb.header(AUTHORIZATION, format!("Bearer {}", t.value.expose()));
            }
            let cached = if use_etag {
                self.etags.lock().ok().and_then(|c| c.get(&key))
            } else {
                None
            };
            if let Some((etag, _)) = &cached {
                rb = rb.header(IF_NONE_MATCH, etag.as_str());
            }
            rb = match &req.body {
                Body::Json(v) => rb.json(v),
                Body::Text(s, ct) => rb.header(CONTENT_TYPE, *ct).body(s.clone()),
                Body::None if req.method != Method::GET => rb.header(CONTENT_LENGTH, "0").body(""),
                Body::None => rb,
            };
            self.sent.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(method = %req.method, path = %url.path(), "API request");
            let resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = ApiError::from(e);
                    if idempotent && retries < self.opts.max_retries {
                        retries += 1;
                        tracing::debug!(%err, retries, "retrying after a transport error");
                        tokio::time::sleep(self.backoff(retries)).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = resp.status().as_u16();
            let retry_after = parse_retry_after(resp.headers().get(RETRY_AFTER));
            let etag = resp
                .headers()
                .get(ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if status == 304
                && let Some((_, body)) = cached
            {
                return Ok(Resp { status: 200, body });
            }
            if status == 401 && api && !refreshed {
                refreshed = true;
                tracing::info!("token rejected; refreshing once");
                token = Some(self.tokens.refresh_after_rejection().await?);
                continue;
            }
            if status == 429 && api {
                let wait = retry_after.unwrap_or(Duration::from_secs(1));
                self.block_for(wait);
                if wait <= self.opts.max_rate_limit_wait && limited < self.opts.rate_limit_retries {
                    limited += 1;
                    continue;
                }
                // The body tells a quota (`QUOTA_EXCEEDED`) from the rolling window.
                let body = resp.bytes().await.unwrap_or_default();
                return Err(ApiError::from_response(429, &body, Some(wait)));
            }
            if status == 202 && req.player && accepted < self.opts.accepted_retries {
                accepted += 1;
                tracing::debug!(accepted, "202 from the player; retrying");
                tokio::time::sleep(self.opts.accepted_delay).await;
                continue;
            }
            if (500..=599).contains(&status) && idempotent && retries < self.opts.max_retries {
                retries += 1;
                tokio::time::sleep(self.backoff(retries)).await;
                continue;
            }
            let body = match read_capped(resp, req.max_body).await {
                Ok(b) => b,
                Err(err @ ApiError::Decode(_)) => return Err(err),
                Err(err) => {
                    if idempotent && retries < self.opts.max_retries {
                        retries += 1;
                        tokio::time::sleep(self.backoff(retries)).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            if (200..300).contains(&status) {
                if use_etag
                    && status == 200
                    && let Some(etag) = etag
                    && let Ok(mut c) = self.etags.lock()
                {
                    c.put(key, etag, body.clone());
                }
                return Ok(Resp { status, body });
            }
            return Err(ApiError::from_response(status, &body, retry_after));
        }
    }
}

/// Longest wait a `Retry-After` may ask for; longer ones are cut to this
/// (a day covers Spotify's daily quota; a larger value is an error or an attack).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Parses `Retry-After` as seconds or an HTTP date, clamped to
/// [`MAX_RETRY_AFTER`]. Digits too long for a number count as the maximum.
pub(crate) fn parse_retry_after(v: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    let s = v?.to_str().ok()?.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs = s.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let when = httpdate::parse_http_date(s).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or_default()
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod etag_tests {
    use super::*;

    #[test]
    fn the_cache_keeps_to_its_byte_budget_and_skips_large_bodies() {
        let mut c = EtagCache::default();
        c.put(
            "big".into(),
            "e".into(),
            Bytes::from(vec![0u8; ETAG_MAX_BODY + 1]),
        );
        assert!(c.get("big").is_none());
        for i in 0..100 {
            c.put(
                format!("u{i}"),
                "e".into(),
                Bytes::from(vec![0u8; 100 * 1024]),
            );
        }
        assert!(c.bytes <= ETAG_BUDGET_BYTES);
        assert!(c.get("u99").is_some() && c.get("u0").is_none());
        c.put("u99".into(), "e2".into(), Bytes::from_static(b"x"));
        assert_eq!(c.map.len(), c.order.len());
        assert_eq!(c.bytes, c.map.values().map(|(_, b)| b.len()).sum::<usize>());
    }
}
