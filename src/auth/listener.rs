//! The loopback HTTP listener that receives the login redirect on
//! `http://127.0.0.1:PORT/callback`. It accepts exactly one answer carrying
//! the right `state`, and tells the browser the tab can be closed. Anything
//! else (another page's request, a wrong or missing `state`, a cross-site
//! form) gets an error page and is ignored: the login keeps waiting until
//! its timeout. Connections that stay idle are closed after a few seconds.
//!
//! For the implicit grant the token arrives in the URL fragment, which the
//! browser never sends to a server: the callback page carries a few lines of
//! JavaScript that POST the fragment to `/token` on the same listener.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::error::LoginError;
use super::oauth::redirect_uri;
use super::scopes::parse_scope_list;
use crate::token::Secret;

/// A token delivered by the implicit-grant page.
#[derive(Debug, Clone)]
pub struct ImplicitToken {
    /// The bearer token.
    pub access_token: Secret,
    /// Lifetime in seconds, when the fragment had a valid `expires_in`.
    pub expires_in: Option<u64>,
    /// Scopes, when the fragment listed them.
    pub scopes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Code,
    Implicit,
}

enum Outcome {
    Code(Secret),
    Token(ImplicitToken),
}

type Reply = Result<Outcome, LoginError>;

struct Shared {
    mode: Mode,
    state: String,
    /// `http://127.0.0.1:PORT`: the only origin allowed to POST `/token`.
    origin: String,
    tx: Mutex<Option<oneshot::Sender<Reply>>>,
}

/// Connections with no traffic for this long are closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

impl Shared {
    /// Delivers the one result; false if one was already delivered.
    fn deliver(&self, reply: Reply) -> bool {
        let tx = match self.tx.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        match tx {
            Some(tx) => {
                let _ = tx.send(reply);
                true
            }
            None => false,
        }
    }

    fn answered(&self) -> bool {
        match self.tx.lock() {
            Ok(g) => g.is_none(),
            Err(p) => p.into_inner().is_none(),
        }
    }
}

/// A bound loopback listener waiting to receive one login redirect.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
}

impl LoopbackListener {
    /// Binds `127.0.0.1:port`; port 0 picks a free one.
    pub async fn bind(port: u16) -> Result<Self, LoginError> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|source| LoginError::Listener { port, source })?;
        let port = listener
            .local_addr()
            .map_err(|source| LoginError::Listener { port, source })?
            .port();
        Ok(Self { listener, port })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/callback`.
    pub fn redirect_uri(&self) -> String {
        redirect_uri(self.port)
    }

    /// Waits for `GET /callback?code=…&state=…` and returns the code.
    pub async fn wait_for_code(self, state: &str, timeout: Duration) -> Result<Secret, LoginError> {
        match self.wait(Mode::Code, state, timeout).await? {
            Outcome::Code(c) => Ok(c),
            Outcome::Token(_) => Err(LoginError::MalformedCallback("unexpected token".into())),
        }
    }

    /// Serves the implicit-grant page and waits for its `POST /token`.
    pub async fn wait_for_implicit_token(
        self,
        state: &str,
        timeout: Duration,
    ) -> Result<ImplicitToken, LoginError> {
        match self.wait(Mode::Implicit, state, timeout).await? {
            Outcome::Token(t) => Ok(t),
            Outcome::Code(_) => Err(LoginError::MalformedCallback(
                "got an authorization code while expecting an implicit-grant token".into(),
            )),
        }
    }

    async fn wait(self, mode: Mode, state: &str, timeout: Duration) -> Reply {
        let (tx, rx) = oneshot::channel();
        let shared = Arc::new(Shared {
            mode,
            state: state.to_string(),
            origin: format!("http://127.0.0.1:{}", self.port),
            tx: Mutex::new(Some(tx)),
        });
        let app = Router::new()
            .route("/callback", get(callback))
            .route("/token", post(implicit_token))
            .with_state(shared);
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let listener = IdleListener {
            inner: self.listener,
            idle: IDLE_TIMEOUT,
        };
        let server = tokio::spawn(
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .into_future(),
        );
        tracing::info!(port = self.port, "waiting for the login redirect");
        let result = match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Err(LoginError::MalformedCallback("listener stopped".into())),
            Err(_) => Err(LoginError::Timeout(timeout.as_secs())),
        };
        let _ = stop_tx.send(());
        // Let the last response reach the browser, but do not hang on a
        // connection the browser keeps open.
        let abort = server.abort_handle();
        if tokio::time::timeout(Duration::from_secs(3), server)
            .await
            .is_err()
        {
            abort.abort();
        }
        result
    }
}

fn states_match(got: &str, expected: &str) -> bool {
    got.len() == expected.len()
        && got
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Checks state, then an `error` reply; `Ok(())` means the caller may read its payload.
fn check_reply(params: &HashMap<String, String>, expected_state: &str) -> Result<(), LoginError> {
    match params.get("state") {
        Some(s) if states_match(s, expected_state) => {}
        _ => return Err(LoginError::StateMismatch),
    }
    if let Some(error) = params.get("error") {
        return Err(LoginError::Denied {
            error: error.clone(),
            description: params.get("error_description").cloned(),
        });
    }
    Ok(())
}

fn evaluate_code(params: &HashMap<String, String>, expected_state: &str) -> Reply {
    check_reply(params, expected_state)?;
    match params.get("code") {
        Some(code) if !code.is_empty() => Ok(Outcome::Code(Secret::new(code.clone()))),
        _ => Err(LoginError::MalformedCallback(
            "the redirect has neither `code` nor `error`".into(),
        )),
    }
}

fn evaluate_fragment(params: &HashMap<String, String>, expected_state: &str) -> Reply {
    check_reply(params, expected_state)?;
    let access_token = match params.get("access_token") {
        Some(t) if !t.is_empty() => Secret::new(t.clone()),
        _ => {
            return Err(LoginError::MalformedCallback(
                "the redirect fragment has no `access_token`".into(),
            ));
        }
    };
    Ok(Outcome::Token(ImplicitToken {
        access_token,
        expires_in: params.get("expires_in").and_then(|v| v.trim().parse().ok()),
        scopes: params.get("scope").map(|s| parse_scope_list(s)),
    }))
}

/// Query or form parameters; invalid percent-escapes and UTF-8 become
/// U+FFFD instead of failing the request.
fn parse_params(raw: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect()
}

/// The page for a request that is not the awaited answer; it is ignored.
fn ignored(why: &str) -> Response {
    tracing::warn!("ignored a request to the login listener: {why}");
    page(
        StatusCode::BAD_REQUEST,
        &format!(
            "This request does not belong to the login in progress ({why}) and was ignored. \
             Finish the login in the tab spotdeck opened."
        ),
    )
}

async fn callback(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    if shared.answered() {
        return page(
            StatusCode::GONE,
            "This login was already handled. You can close this tab.",
        );
    }
    let params = parse_params(raw.as_deref().unwrap_or(""));
    let reply = match shared.mode {
        Mode::Code => evaluate_code(&params, &shared.state),
        // Errors come back in the query string even in the implicit flow.
        Mode::Implicit if params.contains_key("error") || params.contains_key("code") => {
            match check_reply(&params, &shared.state) {
                Err(e) => Err(e),
                Ok(()) => Err(LoginError::MalformedCallback(
                    "got an authorization code while expecting an implicit-grant token".into(),
                )),
            }
        }
        Mode::Implicit => return implicit_page(),
    };
    if matches!(reply, Err(LoginError::StateMismatch)) {
        return ignored("wrong or missing `state`");
    }
    finish(&shared, reply, page)
}

async fn implicit_token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let plain = |status: StatusCode, msg: &str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            msg.to_string(),
        )
            .into_response()
    };
    if shared.mode != Mode::Implicit {
        return plain(StatusCode::NOT_FOUND, "not found");
    }
    if let Some(origin) = headers.get(header::ORIGIN)
        && origin.as_bytes() != shared.origin.as_bytes()
    {
        tracing::warn!("ignored a cross-site POST to the login listener");
        return plain(
            StatusCode::FORBIDDEN,
            "Only spotdeck's own login page may send this; the request was ignored.",
        );
    }
    if shared.answered() {
        return plain(
            StatusCode::GONE,
            "This login was already handled. You can close this tab.",
        );
    }
    let reply = evaluate_fragment(&parse_params(&body), &shared.state);
    if matches!(reply, Err(LoginError::StateMismatch)) {
        tracing::warn!("ignored a token POST with the wrong `state`");
        return plain(
            StatusCode::BAD_REQUEST,
            "This request does not belong to the login in progress (wrong or missing `state`) and was ignored.",
        );
    }
    finish(&shared, reply, plain)
}

/// The TCP listener, handing out connections that close when idle.
struct IdleListener {
    inner: TcpListener,
    idle: Duration,
}

impl axum::serve::Listener for IdleListener {
    type Io = IdleIo;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (IdleIo::new(io, self.idle), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream whose reads fail once nothing was read or written for `idle`.
struct IdleIo {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl IdleIo {
    fn new(inner: TcpStream, idle: Duration) -> Self {
        Self {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn touch(&mut self) {
        let at = tokio::time::Instant::now() + self.idle;
        self.deadline.as_mut().reset(at);
    }
}

impl AsyncRead for IdleIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.touch();
                Poll::Ready(r)
            }
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "idle connection closed",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for IdleIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        if r.is_ready() {
            this.touch();
        }
        r
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

fn finish(
    shared: &Shared,
    reply: Reply,
    render: impl Fn(StatusCode, &str) -> Response,
) -> Response {
    let (status, message) = match &reply {
        Ok(_) => (
            StatusCode::OK,
            "spotdeck received the login. You can close this tab and return to the terminal."
                .to_string(),
        ),
        Err(e) => (StatusCode::BAD_REQUEST, format!("Login failed: {e}")),
    };
    if !shared.deliver(reply) {
        return render(
            StatusCode::GONE,
            "This login was already handled. You can close this tab.",
        );
    }
    render(status, &message)
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>spotdeck login</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>spotdeck</h1><p id=\"msg\">{}</p></body></html>",
        escape_html(message)
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// The implicit-grant callback page: reads the fragment, removes it from the
/// address bar, and POSTs it to `/token` on this listener.
const IMPLICIT_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>spotdeck login</title></head>
<body style="font-family:sans-serif;margin:3em"><h1>spotdeck</h1>
<p id="msg">Finishing the login&hellip;</p>
<script>
(function () {
  var msg = document.getElementById('msg');
  var fragment = window.location.hash.replace(/^#/, '');
  history.replaceState(null, '', window.location.pathname);
  if (!fragment) { msg.textContent = 'Login failed: the address has no token fragment.'; return; }
  fetch('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fragment
  }).then(function (r) { return r.text(); })
    .then(function (t) { msg.textContent = t; })
    .catch(function (e) { msg.textContent = 'Login failed: ' + e; });
})();
</script>
<noscript>JavaScript is needed to finish this login.</noscript>
</body></html>
"#;

fn implicit_page() -> Response {
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Html(IMPLICIT_PAGE),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn code_reply_checks_state_then_error() {
        assert!(matches!(
            evaluate_code(&params(&[("code", "c"), ("state", "s")]), "s"),
            Ok(Outcome::Code(_))
        ));
        assert!(matches!(
            evaluate_code(&params(&[("code", "c"), ("state", "x")]), "s"),
            Err(LoginError::StateMismatch)
        ));
        assert!(matches!(
            evaluate_code(&params(&[("code", "c")]), "s"),
            Err(LoginError::StateMismatch)
        ));
        let denied = evaluate_code(&params(&[("error", "access_denied"), ("state", "s")]), "s");
        assert!(
            matches!(denied, Err(LoginError::Denied { ref error, .. }) if error == "access_denied")
        );
        assert!(matches!(
            evaluate_code(&params(&[("state", "s")]), "s"),
            Err(LoginError::MalformedCallback(_))
        ));
    }

    #[test]
    fn fragment_reply_parses_expiry_and_scopes() {
        let r = evaluate_fragment(
            &params(&[
                ("access_token", "tok"),
                ("expires_in", "3600"),
                ("scope", "a b"),
                ("state", "s"),
            ]),
            "s",
        );
        match r {
            Ok(Outcome::Token(t)) => {
                assert_eq!(t.access_token.expose(), "tok");
                assert_eq!(t.expires_in, Some(3600));
                assert_eq!(t.scopes, Some(vec!["a".to_string(), "b".to_string()]));
            }
            _ => panic!("expected a token"),
        }
        assert!(matches!(
            evaluate_fragment(&params(&[("access_token", "t"), ("state", "z")]), "s"),
            Err(LoginError::StateMismatch)
        ));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }
}
