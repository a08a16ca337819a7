//! Stray and hostile requests to the login listener: another web page can
//! reach `127.0.0.1:PORT`, so nothing but the real redirect (with the right
//! `state`) may end a login, and idle connections must not pile up.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use spotdeck::auth::listener::LoopbackListener;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const STATE: &str = "the-real-state-0123456789";

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn stray_callbacks_are_ignored_until_the_real_one() {
    let listener = LoopbackListener::bind(0).await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.port());
    let wait = tokio::spawn(listener.wait_for_code(STATE, Duration::from_secs(30)));
    let c = http();
    for query in [
        "",
        "?code=forged",
        "?code=forged&state=wrong",
        "?error=access_denied",
        "?error=access_denied&state=wrong",
        "?%ff=1&state=%ff",
        "?code=%ff%fe&state=%c3%28",
        "?state=&code=x",
    ] {
        let r = c
            .get(format!("{base}/callback{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query}");
        let page = r.text().await.unwrap();
        assert!(page.contains("ignored"), "{query}: {page}");
        assert!(!wait.is_finished(), "{query} ended the login");
    }
    // A cross-site form POST to the implicit-grant endpoint.
    let r = c
        .post(format!("{base}/token"))
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("access_token=x&state=wrong")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert!(!wait.is_finished(), "a POST ended the login");
    // The real answer still works.
    let r = c
        .get(format!("{base}/callback?code=real-code&state={STATE}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let code = wait.await.unwrap().unwrap();
    assert_eq!(code.expose(), "real-code");
}

#[tokio::test]
async fn implicit_grant_ignores_cross_site_and_wrong_state_posts() {
    let listener = LoopbackListener::bind(0).await.unwrap();
    let origin = format!("http://127.0.0.1:{}", listener.port());
    let wait = tokio::spawn(listener.wait_for_implicit_token(STATE, Duration::from_secs(30)));
    let c = http();
    for (o, body) in [
        (
            Some("http://evil.example".to_string()),
            format!("access_token=stolen&state={STATE}"),
        ),
        (
            Some(origin.clone()),
            "access_token=x&state=wrong".to_string(),
        ),
        (None, "access_token=x".to_string()),
        (None, "%ff%ff=%c3".to_string()),
    ] {
        let mut rb = c
            .post(format!("{origin}/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone());
        if let Some(o) = &o {
            rb = rb.header("origin", o.as_str());
        }
        let r = rb.send().await.unwrap();
        assert!(r.status().is_client_error(), "{o:?} {body}");
        assert!(!wait.is_finished(), "{o:?} {body} ended the login");
    }
    let r = c
        .post(format!("{origin}/token"))
        .header("origin", origin.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("access_token=real&expires_in=3600&state={STATE}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = wait.await.unwrap().unwrap();
    assert_eq!(token.access_token.expose(), "real");
}

/// Reads until the server closes the connection (or 20 s pass).
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read_all)
        .await
        .is_ok()
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let listener = LoopbackListener::bind(0).await.unwrap();
    let port = listener.port();
    let _wait = tokio::spawn(listener.wait_for_code(STATE, Duration::from_secs(120)));
    // Connects and sends nothing.
    let mut silent = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    // Sends half a request line and stops.
    let mut half = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    half.write_all(b"GET /callback?state=").await.unwrap();
    // A finished request on a keep-alive connection, then silence.
    let mut kept = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    kept.write_all(b"GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        .await
        .unwrap();
    assert!(
        closed_by_server(&mut silent).await,
        "silent connection kept open"
    );
    assert!(closed_by_server(&mut half).await, "half request kept open");
    assert!(
        closed_by_server(&mut kept).await,
        "idle keep-alive kept open"
    );
}
