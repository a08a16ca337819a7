//! A small hostile Web API for the security tests: every path answers what
//! the test set up (huge `Retry-After`, escape sequences in names, huge
//! bodies), and a runner for the real binary pointed at it.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

/// What one path answers.
#[derive(Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: bytes::Bytes,
    /// Send the body in chunks without a `Content-Length`.
    pub chunked: bool,
}

impl Canned {
    pub fn json(status: u16, v: &serde_json::Value) -> Canned {
        Canned {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: serde_json::to_vec(v).unwrap().into(),
            chunked: false,
        }
    }
    pub fn bytes(status: u16, body: Vec<u8>) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
            body: body.into(),
            chunked: false,
        }
    }
    pub fn header(mut self, k: &'static str, v: impl Into<String>) -> Canned {
        self.headers.push((k, v.into()));
        self
    }
    pub fn chunked(mut self) -> Canned {
        self.chunked = true;
        self
    }
}

type Routes = Arc<Mutex<HashMap<String, Canned>>>;

/// The hostile server: `base` is `http://127.0.0.1:PORT`.
pub struct Hostile {
    pub base: String,
    routes: Routes,
}

impl Hostile {
    pub async fn start() -> Hostile {
        let routes: Routes = Arc::default();
        let app = Router::new().fallback(answer).with_state(routes.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Hostile { base, routes }
    }

    /// Answers `path` (without the query) with `c`.
    pub fn on(&self, path: &str, c: Canned) {
        self.routes.lock().unwrap().insert(path.to_string(), c);
    }

    pub fn api_base(&self) -> String {
        format!("{}/v1", self.base)
    }
}

async fn answer(State(routes): State<Routes>, req: Request) -> Response {
    let canned = routes.lock().unwrap().get(req.uri().path()).cloned();
    let Some(c) = canned else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::from(
                r#"{"error":{"status":404,"message":"Service not found"}}"#,
            ))
            .unwrap();
    };
    let mut b = Response::builder().status(c.status);
    for (k, v) in &c.headers {
        b = b.header(*k, v.as_str());
    }
    let body = if c.chunked {
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = c
            .body
            .chunks(64 * 1024)
            .map(|ch| Ok(bytes::Bytes::copy_from_slice(ch)))
            .collect();
        Body::from_stream(futures::stream::iter(chunks))
    } else {
        Body::from(c.body.clone())
    };
    b.body(body).unwrap()
}

/// A fixture from `SPOTDECK_FIXTURES`.
pub fn fixture(name: &str) -> serde_json::Value {
    let dir = std::env::var("SPOTDECK_FIXTURES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/fixtures").into()
    });
    let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Runs the real binary with `SPOTDECK_HOME=home` and only the given
/// `SPOTDECK_*` variables, waiting at most `limit_secs`.
pub async fn run_spotdeck(
    home: &std::path::Path,
    env: &[(&str, String)],
    args: &[&str],
    limit_secs: u64,
) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_spotdeck"));
    for (k, _) in std::env::vars() {
        if k.starts_with("SPOTDECK_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("SPOTDECK_HOME", home)
        .env("BROWSER", "true")
        .args(args)
        .kill_on_drop(true)
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    tokio::time::timeout(std::time::Duration::from_secs(limit_secs), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("spotdeck {args:?} did not finish in {limit_secs} s"))
        .unwrap()
}

/// A user's devices with one named `name`.
pub fn devices_named(name: &str) -> serde_json::Value {
    serde_json::json!({"devices": [{
        "id": "d1", "is_active": true, "is_private_session": false,
        "is_restricted": false, "name": name, "type": "Computer",
        "volume_percent": 50, "supports_volume": true
    }]})
}

/// One page of playlists holding one playlist named `name`.
pub fn playlists_named(name: &str) -> serde_json::Value {
    let mut page = fixture("current_user_playlists_page_2026.json");
    let mut first = page["items"][0].clone();
    first["name"] = serde_json::json!(name);
    page["items"] = serde_json::json!([first]);
    page["next"] = serde_json::Value::Null;
    page["total"] = serde_json::json!(1);
    page
}
