//! A recording proxy in front of the simulator: every exchange is kept
//! whole (request and response bodies included) for the contract checker,
//! and a rule can answer a request itself, e.g. a 404 on `/items` so the
//! client's fallback to `/tracks` runs.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::spec::Exchange;

/// Answers a request instead of the upstream: `Some((status, JSON body))`.
pub type Rule = Arc<dyn Fn(&Exchange) -> Option<(u16, String)> + Send + Sync>;

struct Inner {
    upstream: String,
    http: reqwest::Client,
    rule: Rule,
    log: Mutex<Vec<Exchange>>,
}

/// A running proxy; its server lives as long as the tokio runtime.
#[derive(Clone)]
pub struct Proxy {
    base: String,
    inner: Arc<Inner>,
}

impl Proxy {
    /// Starts a proxy to `upstream` (`http://127.0.0.1:PORT`) on a free port.
    pub async fn start(upstream: &str, rule: Rule) -> Proxy {
        let inner = Arc::new(Inner {
            upstream: upstream.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            rule,
            log: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Proxy {
            base: format!("http://{addr}"),
            inner,
        }
    }

    /// `http://127.0.0.1:PORT` (the Accounts service's base, through the proxy).
    pub fn base(&self) -> String {
        self.base.clone()
    }

    /// Base URL of the proxied Web API (`…/v1`).
    pub fn api_base(&self) -> String {
        format!("{}/v1", self.base)
    }

    /// Every exchange so far, oldest first.
    pub fn log(&self) -> Vec<Exchange> {
        self.inner
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

async fn forward(State(inner): State<Arc<Inner>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let header_str = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mut x = Exchange {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        content_type: header_str(header::CONTENT_TYPE),
        body: body.to_vec(),
        ..Exchange::default()
    };
    let (status, headers, bytes) = match (inner.rule)(&x) {
        Some((status, json)) => (
            status,
            vec![(header::CONTENT_TYPE, "application/json".to_string())],
            json.into_bytes(),
        ),
        None => {
            let url = match &x.query {
                Some(q) => format!("{}{}?{q}", inner.upstream, x.path),
                None => format!("{}{}", inner.upstream, x.path),
            };
            let mut up = inner.http.request(parts.method.clone(), url).body(body);
            for name in [
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_NONE_MATCH,
            ] {
                if let Some(v) = parts.headers.get(&name) {
                    up = up.header(name, v);
                }
            }
            match up.send().await {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let mut headers = Vec::new();
                    for name in [
                        header::CONTENT_TYPE,
                        header::ETAG,
                        header::RETRY_AFTER,
                        header::LOCATION,
                    ] {
                        if let Some(v) = r.headers().get(&name).and_then(|v| v.to_str().ok()) {
                            headers.push((name, v.to_string()));
                        }
                    }
                    (
                        status,
                        headers,
                        r.bytes().await.unwrap_or_default().to_vec(),
                    )
                }
                Err(_) => (502, Vec::new(), Vec::new()),
            }
        }
    };
    x.status = status;
    x.response_type = headers
        .iter()
        .find(|(n, _)| n == header::CONTENT_TYPE)
        .map(|(_, v)| v.clone());
    x.response = bytes.clone();
    inner.log.lock().unwrap_or_else(|e| e.into_inner()).push(x);
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, v) in headers {
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}
