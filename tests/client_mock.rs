//! The Web API client and worker against small axum mock servers: status
//! mapping, 401 refresh, 429 blocking, 202 and 5xx retries, ETags, paging
//! and the scheduler's coalescing and priorities.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use spotdeck::spotify::worker::{
    self, Answer, ApiRequest, Priority, Reply as ApiReply, Request as Call, WorkerEvent,
    WorkerOptions,
};
use spotdeck::spotify::{ApiError, Client, ClientOptions, NewPlaylist, PlayArgs, PlaylistDetails};
use spotdeck::token::{AccessToken, TokenError, TokenFuture, TokenSource};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: String,
    at: Instant,
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, body: impl Into<String>) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.into(),
        delay: Duration::ZERO,
    }
}

impl Reply {
    fn header(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.headers.push((k, v.into()));
        self
    }
    fn delay(mut self, ms: u64) -> Self {
        self.delay = Duration::from_millis(ms);
        self
    }
}

type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

struct MockState {
    handler: Handler,
    log: Mutex<Vec<Seen>>,
}

struct Mock {
    base: String,
    state: Arc<MockState>,
}

impl Mock {
    fn log(&self) -> Vec<Seen> {
        self.state.log.lock().unwrap().clone()
    }
    fn count(&self, path: &str) -> usize {
        self.log().iter().filter(|s| s.path == path).count()
    }
}

async fn handle(State(st): State<Arc<MockState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 10 << 20).await.unwrap();
    let path = parts.uri.path().trim_start_matches("/v1").to_owned();
    let seen = Seen {
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts.headers.clone(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        at: Instant::now(),
    };
    let n = {
        let mut log = st.log.lock().unwrap();
        let n = log.iter().filter(|s| s.path == path).count();
        log.push(seen.clone());
        n
    };
    let r = (st.handler)(&seen, n);
    if !r.delay.is_zero() {
        tokio::time::sleep(r.delay).await;
    }
    let mut b = Response::builder().status(StatusCode::from_u16(r.status).unwrap());
    if !r.body.is_empty() {
        b = b.header("content-type", "application/json");
    }
    for (k, v) in r.headers {
        b = b.header(k, v);
    }
    b.body(Body::from(r.body)).unwrap()
}

async fn mock(h: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Mock {
    let state = Arc::new(MockState {
        handler: Arc::new(h),
        log: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Mock {
        base: format!("http://{addr}/v1"),
        state,
    }
}

/// Hands out "old" until refreshed, then "new"; counts refreshes.
#[derive(Default)]
struct Tokens {
    refreshed: AtomicUsize,
}

impl TokenSource for Tokens {
    fn access_token(&self) -> TokenFuture<'_> {
        let v = if self.refreshed.load(Ordering::SeqCst) > 0 {
            "new"
        } else {
            "old"
        };
        Box::pin(async move { Ok(AccessToken::bare(v)) })
    }
    fn refresh_after_rejection(&self) -> TokenFuture<'_> {
        self.refreshed.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok::<_, TokenError>(AccessToken::bare("new")) })
    }
}

fn fast() -> ClientOptions {
    ClientOptions {
        backoff_base: Duration::from_millis(5),
        accepted_delay: Duration::from_millis(10),
        timeout: Duration::from_secs(3),
        // Larger than the spec's 50 on purpose: exercises the fallback.
        items_page_limit: 100,
        ..ClientOptions::default()
    }
}

fn client(m: &Mock) -> (Client, Arc<Tokens>) {
    let t = Arc::new(Tokens::default());
    (Client::with_options(&m.base, t.clone(), fast()).unwrap(), t)
}

/// Polls `f` until it yields a value; fails after 10 s.
async fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(v) = f() {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the condition held in time")
}

fn auth(s: &Seen) -> Option<String> {
    s.headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
}

const ME: &str = r#"{"id":"u1","display_name":"U","uri":"spotify:user:u1"}"#;

#[tokio::test]
async fn statuses_map_to_errors() {
    let m = mock(|s, _| match s.path.as_str() {
        "/me/player" => reply(204, ""),
        "/me/player/pause" => reply(404, r#"{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}"#),
        "/me/player/next" => reply(403, r#"{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}"#),
        "/me/player/previous" => reply(403, r#"{"error":{"status":403,"message":"Player command failed: Restriction violated","reason":"UNKNOWN"}}"#),
        "/playlists/nope" => reply(404, r#"{"error":{"status":404,"message":"Resource not found"}}"#),
        "/me" => reply(500, "oops"),
        _ => reply(400, r#"{"error":{"status":400,"message":"Invalid limit"}}"#),
    })
    .await;
    let (c, _) = client(&m);
    assert_eq!(c.playback_state().await.unwrap(), None);
    assert!(c.pause(None).await.unwrap_err().is_no_active_device());
    assert_eq!(c.next(None).await.unwrap_err(), ApiError::PremiumRequired);
    assert!(matches!(
        c.previous(None).await.unwrap_err(),
        ApiError::Restricted { .. }
    ));
    assert!(matches!(
        c.playlist("nope").await.unwrap_err(),
        ApiError::NotFound { .. }
    ));
    assert!(matches!(
        c.my_playlists(0, 50).await.unwrap_err(),
        ApiError::BadRequest { .. }
    ));
    let e = c.me().await.unwrap_err();
    assert_eq!(e.status(), Some(500));
    assert_eq!(m.count("/me"), 4, "GET retried 3 times after 5xx");
    // POST player commands are not retried on 5xx.
    let m2 = mock(|_, _| reply(503, "")).await;
    let (c2, _) = client(&m2);
    assert_eq!(c2.next(None).await.unwrap_err().status(), Some(503));
    assert_eq!(m2.count("/me/player/next"), 1);
}

#[tokio::test]
async fn transient_5xx_is_retried_with_backoff() {
    let m = mock(|_, n| {
        if n < 2 {
            reply(503, "")
        } else {
            reply(200, ME)
        }
    })
    .await;
    let (c, _) = client(&m);
    assert_eq!(c.me().await.unwrap().id, "u1");
    assert_eq!(m.count("/me"), 3);
}

#[tokio::test]
async fn unauthorized_refreshes_once_and_retries_once() {
    let m = mock(|s, _| {
        if auth(s).as_deref() == Some("Bearer new") {
            reply(200, ME)
        } else {
            reply(
                401,
                r#"{"error":{"status":401,"message":"The access token expired"}}"#,
            )
        }
    })
    .await;
    let (c, t) = client(&m);
    assert_eq!(c.me().await.unwrap().id, "u1");
    assert_eq!(t.refreshed.load(Ordering::SeqCst), 1);
    assert_eq!(m.count("/me"), 2);

    let m = mock(|_, _| {
        reply(
            401,
            r#"{"error":{"status":401,"message":"Invalid access token"}}"#,
        )
    })
    .await;
    let (c, t) = client(&m);
    let e = c.me().await.unwrap_err();
    assert!(e.needs_login(), "{e:?}");
    assert_eq!(t.refreshed.load(Ordering::SeqCst), 1);
    assert_eq!(m.count("/me"), 2, "one retry only");
}

#[tokio::test]
async fn rate_limit_blocks_every_request_until_retry_after() {
    let m = mock(|s, n| {
        if s.path == "/me" && n == 0 {
            reply(
                429,
                r#"{"error":{"status":429,"message":"API rate limit exceeded"}}"#,
            )
            .header("retry-after", "1")
        } else if s.path == "/me" {
            reply(200, ME)
        } else {
            reply(200, r#"{"devices":[]}"#)
        }
    })
    .await;
    let (c, _) = client(&m);
    let start = Instant::now();
    let c2 = c.clone();
    let me = tokio::spawn(async move { c2.me().await });
    let until = wait_for(|| c.blocked_until()).await;
    assert!(until > start + Duration::from_millis(900));
    c.devices().await.unwrap();
    assert_eq!(me.await.unwrap().unwrap().id, "u1");
    let log = m.log();
    assert_eq!(log.len(), 3);
    for s in &log[1..] {
        assert!(s.at >= until, "{} sent during the block", s.path);
    }
    assert!(c.blocked_until().is_none());
}

#[tokio::test]
async fn long_rate_limit_fails_fast_without_sending() {
    let m = mock(|_, _| reply(429, "").header("retry-after", "3600")).await;
    let (c, _) = client(&m);
    let e = c.me().await.unwrap_err();
    assert!(e.retry_after().unwrap() >= Duration::from_secs(3599));
    let e = c.devices().await.unwrap_err();
    assert!(e.retry_after().is_some());
    assert_eq!(m.log().len(), 1, "nothing sent while blocked");
}

#[tokio::test]
async fn accepted_202_is_retried_then_succeeds() {
    let m = mock(|_, n| {
        if n < 2 {
            reply(202, "")
        } else {
            reply(204, "")
        }
    })
    .await;
    let (c, _) = client(&m);
    c.play(&PlayArgs {
        uris: vec!["spotify:track:a".into()],
        device_id: Some("d1".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let log = m.log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].query, "device_id=d1");
    let body: serde_json::Value = serde_json::from_str(&log[0].body).unwrap();
    assert_eq!(body, json!({"uris": ["spotify:track:a"]}));
}

#[tokio::test]
async fn etag_is_sent_and_304_served_from_cache() {
    let m = mock(|s, _| {
        if s.headers
            .get("if-none-match")
            .is_some_and(|v| v == "\"v1\"")
        {
            reply(304, "")
        } else {
            reply(200, ME).header("etag", "\"v1\"")
        }
    })
    .await;
    let (c, _) = client(&m);
    let a = c.me().await.unwrap();
    let b = c.me().await.unwrap();
    assert_eq!(a, b);
    let log = m.log();
    assert!(log[0].headers.get("if-none-match").is_none());
    assert_eq!(log[1].headers.get("if-none-match").unwrap(), "\"v1\"");
}

#[tokio::test]
async fn player_requests_carry_the_right_parameters() {
    let m = mock(|s, _| match s.path.as_str() {
        "/me/player/devices" => reply(
            200,
            r#"{"devices":[{"id":null,"name":"Sonos","volume_percent":null}]}"#,
        ),
        _ => reply(204, ""),
    })
    .await;
    let (c, _) = client(&m);
    c.seek(1500, Some("d")).await.unwrap();
    c.volume(40, None).await.unwrap();
    c.shuffle(true, None).await.unwrap();
    c.repeat(spotdeck::spotify::model::RepeatState::Context, None)
        .await
        .unwrap();
    c.transfer("d2", true).await.unwrap();
    c.add_to_queue("spotify:track:x", None).await.unwrap();
    assert!(matches!(
        c.volume(101, None).await,
        Err(ApiError::InvalidArgument(_))
    ));
    assert!(matches!(
        c.add_to_queue("spotify:album:x", None).await,
        Err(ApiError::InvalidArgument(_))
    ));
    assert!(matches!(
        c.recently_played(0, None, None).await,
        Err(ApiError::InvalidArgument(_))
    ));
    let d = c.devices().await.unwrap();
    assert_eq!(d[0].id, None);
    let log = m.log();
    assert_eq!(log[0].query, "position_ms=1500&device_id=d");
    assert_eq!(log[1].query, "volume_percent=40");
    assert_eq!(log[2].query, "state=true");
    assert_eq!(log[3].query, "state=context");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&log[4].body).unwrap(),
        json!({"device_ids":["d2"],"play":true})
    );
    assert_eq!(log[5].query, "uri=spotify%3Atrack%3Ax");
    assert_eq!(log[5].method, "POST");
    assert!(log.iter().all(|s| auth(s).as_deref() == Some("Bearer old")));
    assert_eq!(log.len(), 7, "invalid arguments never reach the server");
}

#[tokio::test]
async fn playlist_edits_validate_and_fall_back() {
    let m = mock(|s, _| match (s.method.as_str(), s.path.as_str()) {
        ("POST", "/me/playlists") => reply(405, ""),
        ("GET", "/me") => reply(200, ME),
        ("POST", "/users/u1/playlists") => reply(
            201,
            r#"{"id":"new","name":"N","snapshot_id":"s0","items":{"items":[],"total":0}}"#,
        ),
        (_, p) if p.ends_with("/items") => {
            reply(404, r#"{"error":{"status":404,"message":"Not found"}}"#)
        }
        (_, p) if p.ends_with("/tracks") => reply(200, r#"{"snapshot_id":"s1"}"#),
        _ => reply(200, ""),
    })
    .await;
    let (c, _) = client(&m);
    let bad = PlaylistDetails {
        public: Some(true),
        collaborative: Some(true),
        ..Default::default()
    };
    assert!(matches!(
        c.change_playlist_details("p", &bad).await,
        Err(ApiError::InvalidArgument(_))
    ));
    let p = c
        .create_playlist(&NewPlaylist {
            name: "N".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(p.id, "new");
    assert_eq!(
        c.remove_items("p", &["spotify:track:a".into()], Some("s0"))
            .await
            .unwrap(),
        "s1"
    );
    let log = m.log();
    let del = log
        .iter()
        .find(|s| s.method == "DELETE" && s.path.ends_with("/tracks"))
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&del.body).unwrap(),
        json!({"tracks":[{"uri":"spotify:track:a"}],"snapshot_id":"s0"})
    );
    // The fallback is remembered: the next edit goes to /tracks directly.
    let before = m.log().len();
    c.add_items("p", &["spotify:track:b".into()], Some(0))
        .await
        .unwrap();
    assert_eq!(m.log().len(), before + 1);
    let too_many: Vec<String> = (0..101).map(|i| format!("spotify:track:{i}")).collect();
    assert!(matches!(
        c.add_items("p", &too_many, None).await,
        Err(ApiError::InvalidArgument(_))
    ));
    let big = vec![0xFF; 200 * 1024];
    let mut jpeg = vec![0xFF, 0xD8, 0xFF];
    jpeg.extend(big);
    assert!(matches!(
        c.upload_cover("p", &jpeg).await,
        Err(ApiError::InvalidArgument(_))
    ));
    assert!(matches!(
        c.upload_cover("p", b"PNG").await,
        Err(ApiError::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn cover_upload_sends_base64_jpeg() {
    let m = mock(|_, _| reply(202, "")).await;
    let (c, _) = client(&m);
    c.upload_cover("p", &[0xFF, 0xD8, 0xFF, 0xE0])
        .await
        .unwrap();
    let log = m.log();
    assert_eq!(log.len(), 1, "202 is success here, not retried");
    assert_eq!(log[0].headers.get("content-type").unwrap(), "image/jpeg");
    assert_eq!(log[0].body, "/9j/4A==");
}

#[tokio::test]
async fn images_from_other_hosts_get_no_token() {
    let api = mock(|_, _| reply(200, ME)).await;
    let cdn = mock(|_, _| reply(200, "JPEGDATA")).await;
    let (c, _) = client(&api);
    let url = cdn.base.replace("/v1", "/image/abc");
    assert_eq!(&c.image_bytes(&url).await.unwrap()[..], b"JPEGDATA");
    assert!(auth(&cdn.log()[0]).is_none());
}

fn playlists_page(offset: u32, limit: u32, total: u32) -> String {
    let items: Vec<serde_json::Value> = (offset..(offset + limit).min(total))
        .map(|i| {
            if i % 10 == 3 {
                serde_json::Value::Null
            } else {
                json!({"id": format!("p{i}"), "name": format!("P{i}"), "items": {"total": i}})
            }
        })
        .collect();
    json!({"items": items, "total": total, "offset": offset, "limit": limit, "next": null})
        .to_string()
}

fn query_num(q: &str, key: &str) -> u32 {
    q.split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn start_worker(
    c: Client,
    opts: WorkerOptions,
) -> (
    mpsc::UnboundedSender<ApiRequest>,
    mpsc::UnboundedReceiver<WorkerEvent>,
    CancellationToken,
) {
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    worker::spawn_with(c, req_rx, ev_tx, cancel.clone(), opts);
    (req_tx, ev_rx, cancel)
}

async fn next_response(rx: &mut mpsc::UnboundedReceiver<WorkerEvent>) -> Answer {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("worker answered")
            .expect("open")
        {
            WorkerEvent::Answer(r) => return *r,
            _ => continue,
        }
    }
}

#[tokio::test]
async fn playlists_are_paged_and_null_entries_skipped() {
    let m = mock(|s, _| {
        reply(
            200,
            playlists_page(
                query_num(&s.query, "offset"),
                query_num(&s.query, "limit"),
                120,
            ),
        )
    })
    .await;
    let (c, _) = client(&m);
    let (tx, mut rx, cancel) = start_worker(c, WorkerOptions::default());
    tx.send(ApiRequest {
        id: 7,
        priority: Priority::VisiblePane,
        call: Call::GetMyPlaylists,
    })
    .unwrap();
    let mut got = Vec::new();
    loop {
        let r = next_response(&mut rx).await;
        assert_eq!(r.id, 7);
        match r.result.unwrap() {
            ApiReply::PlaylistsPage {
                offset,
                total,
                items,
                done,
            } => {
                assert_eq!(total, 120);
                got.push((offset, items.len()));
                if done {
                    break;
                }
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got, vec![(0, 45), (50, 45), (100, 18)]);
    assert_eq!(m.log().len(), 3);
    cancel.cancel();
}

fn items_page(offset: u32, limit: u32, total: u32) -> serde_json::Value {
    let items: Vec<serde_json::Value> = (offset..(offset + limit).min(total))
        .map(|i| json!({"is_local": false, "item": {"type": "track", "name": format!("T{i}"), "uri": format!("spotify:track:t{i}")}, "track": {"type":"track","name":"old"}}))
        .collect();
    json!({"items": items, "total": total, "offset": offset, "limit": limit, "next": null})
}

#[tokio::test]
async fn ten_thousand_items_load_in_order_with_bounded_requests() {
    const TOTAL: u32 = 10_000;
    let m = mock(|s, _| {
        if s.path == "/playlists/big" {
            let mut p = json!({"id": "big", "name": "Big", "snapshot_id": "snap"});
            p["items"] = items_page(0, 100, TOTAL);
            reply(200, p.to_string())
        } else {
            reply(
                200,
                items_page(
                    query_num(&s.query, "offset"),
                    query_num(&s.query, "limit"),
                    TOTAL,
                )
                .to_string(),
            )
        }
    })
    .await;
    let (c, _) = client(&m);
    let (tx, mut rx, cancel) = start_worker(c, WorkerOptions::default());
    tx.send(ApiRequest {
        id: 1,
        priority: Priority::VisiblePane,
        call: Call::GetPlaylistItems {
            playlist_id: "big".into(),
        },
    })
    .unwrap();
    let mut next_offset = 0;
    loop {
        let r = next_response(&mut rx).await;
        let ApiReply::ItemsPage {
            offset,
            items,
            done,
            snapshot_id,
            ..
        } = r.result.unwrap()
        else {
            panic!()
        };
        assert_eq!(snapshot_id, "snap");
        assert_eq!(offset, next_offset, "pages arrive in order");
        assert_eq!(items[0].track.title, format!("T{offset}"));
        next_offset += items.len() as u32;
        if done {
            break;
        }
    }
    assert_eq!(next_offset, TOTAL);
    assert_eq!(m.log().len(), 100, "1 playlist + 99 pages of 100");
    cancel.cancel();
}

#[tokio::test]
async fn items_limit_drops_to_50_when_100_is_refused() {
    let m = mock(|s, _| {
        let limit = query_num(&s.query, "limit");
        if limit > 50 {
            reply(400, r#"{"error":{"status":400,"message":"Invalid limit"}}"#)
        } else {
            reply(
                200,
                items_page(query_num(&s.query, "offset"), limit, 120).to_string(),
            )
        }
    })
    .await;
    let (c, _) = client(&m);
    let p = c.playlist_items("x", 0, None).await.unwrap();
    assert_eq!(p.items.len(), 50);
    assert_eq!(c.items_page_limit(), 50);
    c.playlist_items("x", 50, None).await.unwrap();
    assert_eq!(m.log().len(), 3);
}

#[tokio::test]
async fn polls_and_volume_bursts_are_coalesced() {
    let m = mock(|s, _| match s.path.as_str() {
        "/me" => reply(200, ME).delay(300),
        "/me/player" => reply(204, "").delay(100),
        _ => reply(204, ""),
    })
    .await;
    let (c, _) = client(&m);
    let (tx, mut rx, cancel) = start_worker(
        c,
        WorkerOptions {
            max_in_flight: 1,
            page_concurrency: 4,
        },
    );
    // Occupy the single slot, then queue a burst.
    tx.send(ApiRequest {
        id: 1,
        priority: Priority::User,
        call: Call::GetMe,
    })
    .unwrap();
    wait_for(|| (m.count("/me") == 1).then_some(())).await;
    for (id, pct) in [(2, 10), (3, 20), (4, 30)] {
        tx.send(ApiRequest {
            id,
            priority: Priority::User,
            call: Call::Volume {
                percent: pct,
                device_id: None,
            },
        })
        .unwrap();
    }
    tx.send(ApiRequest {
        id: 5,
        priority: Priority::Poll,
        call: Call::GetPlayback,
    })
    .unwrap();
    tx.send(ApiRequest {
        id: 6,
        priority: Priority::Poll,
        call: Call::GetPlayback,
    })
    .unwrap();
    tx.send(ApiRequest {
        id: 7,
        priority: Priority::User,
        call: Call::GetMe,
    })
    .unwrap();
    let mut results = std::collections::HashMap::new();
    while results.len() < 7 {
        let r = next_response(&mut rx).await;
        results.insert(r.id, r.result.unwrap());
    }
    assert_eq!(results[&2], ApiReply::Coalesced);
    assert_eq!(results[&3], ApiReply::Coalesced);
    assert_eq!(results[&4], ApiReply::Done);
    assert_eq!(
        results[&6],
        ApiReply::Coalesced,
        "a queued poll is not sent twice"
    );
    assert_eq!(
        results[&7],
        ApiReply::Coalesced,
        "an in-flight read is not sent twice"
    );
    assert_eq!(results[&5], ApiReply::Playback(None));
    let log = m.log();
    let vols: Vec<&str> = log
        .iter()
        .filter(|s| s.path == "/me/player/volume")
        .map(|s| s.query.as_str())
        .collect();
    assert_eq!(vols, vec!["volume_percent=30"]);
    // User commands run before polls queued at the same time.
    let order: Vec<&str> = log.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(order, vec!["/me", "/me/player/volume", "/me/player"]);
    cancel.cancel();
}

#[tokio::test]
async fn worker_reports_rate_limits() {
    let m = mock(|_, n| {
        if n == 0 {
            reply(429, "").header("retry-after", "1")
        } else {
            reply(200, r#"{"devices":[]}"#)
        }
    })
    .await;
    let (c, _) = client(&m);
    let (tx, mut rx, cancel) = start_worker(c, WorkerOptions::default());
    let sent = Instant::now();
    tx.send(ApiRequest {
        id: 1,
        priority: Priority::Poll,
        call: Call::GetDevices,
    })
    .unwrap();
    let mut saw_limit = false;
    let mut saw_over = false;
    let mut saw_response = false;
    while !(saw_over && saw_response) {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap()
        {
            WorkerEvent::RateLimited { until } => {
                // Retry-After: 1 counts from the answer, which came after `sent`.
                assert!(until >= sent + Duration::from_secs(1), "{until:?}");
                saw_limit = true;
            }
            WorkerEvent::RateLimitOver => saw_over = true,
            WorkerEvent::Answer(r) => {
                assert_eq!(r.result.unwrap(), ApiReply::Devices(vec![]));
                saw_response = true;
            }
        }
    }
    assert!(saw_limit);
    cancel.cancel();
}

#[tokio::test]
async fn remove_positions_keeps_other_copies() {
    // A tiny stateful playlist: DELETE removes every copy, POST inserts.
    let list = Arc::new(Mutex::new(
        vec!["a", "b", "a", "c"]
            .into_iter()
            .map(|x| format!("spotify:track:{x}"))
            .collect::<Vec<_>>(),
    ));
    let l = list.clone();
    let m = mock(move |s, _| {
        let mut list = l.lock().unwrap();
        match s.method.as_str() {
            "GET" => reply(200, r#"{"snapshot_id":"s0"}"#),
            "DELETE" => {
                let v: serde_json::Value = serde_json::from_str(&s.body).unwrap();
                let uris: Vec<String> = v["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o["uri"].as_str().unwrap().to_owned())
                    .collect();
                list.retain(|u| !uris.contains(u));
                reply(200, r#"{"snapshot_id":"s1"}"#)
            }
            _ => {
                let v: serde_json::Value = serde_json::from_str(&s.body).unwrap();
                let pos = v["position"].as_u64().unwrap() as usize;
                let uris: Vec<String> = v["uris"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_str().unwrap().to_owned())
                    .collect();
                list.splice(pos..pos, uris);
                reply(201, r#"{"snapshot_id":"s2"}"#)
            }
        }
    })
    .await;
    let (c, _) = client(&m);
    let current = list.lock().unwrap().clone();
    assert_eq!(
        c.remove_positions("p", &current, &[2], "s0").await.unwrap(),
        "s2"
    );
    let want: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|x| format!("spotify:track:{x}"))
        .collect();
    assert_eq!(*list.lock().unwrap(), want);
    let e = c
        .remove_positions("p", &current, &[0], "stale")
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Conflict(_)));
}

#[tokio::test]
async fn a_429_without_retry_after_waits_one_second() {
    let m = mock(|_, n| {
        if n == 0 {
            reply(429, "")
        } else {
            reply(200, ME)
        }
    })
    .await;
    let (c, _) = client(&m);
    assert_eq!(c.me().await.unwrap().id, "u1");
    let log = m.log();
    assert_eq!(log.len(), 2, "one retry after the default wait");
    let gap = log[1].at.duration_since(log[0].at);
    assert!(gap >= Duration::from_secs(1), "retried after {gap:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let m = mock(|s, n| {
        if s.path == "/me" && n == 0 {
            let when = std::time::SystemTime::now() + Duration::from_secs(3);
            reply(429, "").header("retry-after", httpdate::fmt_http_date(when))
        } else if s.path == "/me" {
            reply(200, ME)
        } else {
            let when = std::time::SystemTime::now() + Duration::from_secs(3600);
            reply(429, "").header("retry-after", httpdate::fmt_http_date(when))
        }
    })
    .await;
    let (c, _) = client(&m);
    assert_eq!(c.me().await.unwrap().id, "u1");
    let log = m.log();
    let gap = log[1].at.duration_since(log[0].at);
    // The date is whole seconds, 3 s ahead: at least 2 s (the 1 s default would be shorter).
    assert!(gap >= Duration::from_millis(1_900), "retried after {gap:?}");
    // A date an hour ahead is not slept through: the call fails at once.
    let e = c.devices().await.unwrap_err();
    assert!(
        e.retry_after().unwrap() >= Duration::from_secs(3_500),
        "{e:?}"
    );
    assert_eq!(m.count("/me/player/devices"), 1, "no retry of a long wait");
}

#[tokio::test]
async fn short_rate_limit_waits_run_out_after_the_retries() {
    let m = mock(|_, _| reply(429, "").header("retry-after", "1")).await;
    let (c, _) = client(&m);
    let e = c.me().await.unwrap_err();
    assert!(matches!(e, ApiError::RateLimited { .. }), "{e:?}");
    let retries = fast().rate_limit_retries as usize;
    assert_eq!(m.count("/me"), 1 + retries, "the first try and each retry");
}
