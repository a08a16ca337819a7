//! The simulated Accounts service: clients, consent, authorization codes,
//! access and refresh tokens, `GET /authorize` and `POST /api/token`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Shared;

/// Client id of the built-in demo app.
pub const DEMO_CLIENT_ID: &str = "spotdeck-demo";
/// Client secret of the built-in demo app.
pub const DEMO_CLIENT_SECRET: &str = "spotdeck-demo-secret";
/// Redirect URI registered for the demo app (any loopback port accepted).
pub const DEMO_REDIRECT_URI: &str = "http://127.0.0.1:8888/callback";

/// Every scope the Web API knows.
pub const ALL_SCOPES: [&str; 19] = [
    "app-remote-control",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-public",
    "playlist-modify-private",
    "user-library-read",
    "user-library-modify",
    "user-read-private",
    "user-read-email",
    "user-follow-read",
    "user-follow-modify",
    "user-top-read",
    "user-read-playback-position",
    "user-read-playback-state",
    "user-read-recently-played",
    "user-read-currently-playing",
    "user-modify-playback-state",
    "ugc-image-upload",
    "streaming",
];

const CODE_LIFETIME: Duration = Duration::from_secs(600);

/// When the token endpoint hands out a new refresh token on refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshRotation {
    /// Only for PKCE clients (like the real service). The default.
    #[default]
    PkceOnly,
    /// Always rotate.
    Always,
    /// Never rotate.
    Never,
}

/// A registered application.
#[derive(Debug, Clone)]
pub struct Client {
    /// Secret for confidential flows.
    pub secret: Option<String>,
    /// Registered redirect URIs.
    pub redirect_uris: Vec<String>,
}

/// Whether a token acts for a user or only for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// User token (code, PKCE, implicit, demo).
    User,
    /// Client-credentials token: no user data.
    App,
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    /// User or app.
    pub grant: Grant,
    /// Granted scopes.
    pub scopes: HashSet<String>,
    /// Expiry.
    pub expires_at: Instant,
    /// The app it was issued to (rate limits count per app).
    pub client_id: String,
}

#[derive(Debug, Clone)]
struct RefreshInfo {
    client_id: String,
    scopes: Vec<String>,
    pkce: bool,
}

#[derive(Debug, Clone)]
struct CodeInfo {
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    challenge: Option<String>,
    created: Instant,
}

/// All OAuth state.
pub struct AuthState {
    /// Registered clients by id.
    pub clients: HashMap<String, Client>,
    /// Access tokens by value.
    pub tokens: HashMap<String, TokenInfo>,
    refresh: HashMap<String, RefreshInfo>,
    codes: HashMap<String, CodeInfo>,
    used_codes: HashSet<String>,
    consent: HashMap<String, HashSet<String>>,
    /// Lifetime of new access tokens in seconds.
    pub token_lifetime_secs: u64,
    /// Refresh-token rotation policy.
    pub rotation: RefreshRotation,
    /// Skip the consent page unless `show_dialog=true`.
    pub auto_approve: bool,
    /// Accept `response_type=token`.
    pub implicit_allowed: bool,
    /// Number of `POST /api/token` requests seen.
    pub token_requests: usize,
}

impl AuthState {
    /// Demo client registered, nothing issued.
    pub fn new() -> Self {
        let mut clients = HashMap::new();
        clients.insert(
            DEMO_CLIENT_ID.to_string(),
            Client {
                secret: Some(DEMO_CLIENT_SECRET.to_string()),
                redirect_uris: vec![DEMO_REDIRECT_URI.to_string()],
            },
        );
        Self {
            clients,
            tokens: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            used_codes: HashSet::new(),
            consent: HashMap::new(),
            token_lifetime_secs: 3600,
            rotation: RefreshRotation::default(),
            auto_approve: false,
            implicit_allowed: true,
            token_requests: 0,
        }
    }

    /// Issues an access token valid for `lifetime`.
    pub fn issue_access(
        &mut self,
        client_id: &str,
        grant: Grant,
        scopes: &[String],
        lifetime: Duration,
        now: Instant,
    ) -> String {
        let tok = format!("BQ{}", random_token(110));
        self.tokens.insert(
            tok.clone(),
            TokenInfo {
                grant,
                scopes: scopes.iter().cloned().collect(),
                expires_at: now + lifetime,
                client_id: client_id.to_string(),
            },
        );
        tok
    }

    /// Makes every access token expired.
    pub fn expire_all(&mut self, now: Instant) {
        for t in self.tokens.values_mut() {
            t.expires_at = now;
        }
    }

    /// Invalidates a refresh token; true if it existed.
    pub fn revoke_refresh(&mut self, token: &str) -> bool {
        self.refresh.remove(token).is_some()
    }

    pub(crate) fn issue_refresh(
        &mut self,
        client_id: &str,
        scopes: &[String],
        pkce: bool,
    ) -> String {
        let tok = format!("AQ{}", random_token(128));
        self.refresh.insert(
            tok.clone(),
            RefreshInfo {
                client_id: client_id.to_string(),
                scopes: scopes.to_vec(),
                pkce,
            },
        );
        tok
    }
}

impl std::fmt::Debug for AuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print token values.
        f.debug_struct("AuthState")
            .field("clients", &self.clients.len())
            .field("tokens", &self.tokens.len())
            .field("token_requests", &self.token_requests)
            .finish_non_exhaustive()
    }
}

impl Default for AuthState {
    fn default() -> Self {
        Self::new()
    }
}

fn random_token(len: usize) -> String {
    const CH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(CH[rng.random_range(0..CH.len())]))
        .collect()
}

/// Checks a requested redirect URI against the registered ones: exact match,
/// except that loopback IP literals may use any port; `localhost` and other
/// plain-HTTP hosts are refused.
pub fn redirect_allowed(registered: &[String], requested: &str) -> bool {
    let Ok(req) = url::Url::parse(requested) else {
        return false;
    };
    let host = req.host_str().unwrap_or("");
    let loopback = host == "127.0.0.1" || host == "[::1]";
    match req.scheme() {
        "http" if loopback => registered.iter().any(|r| {
            url::Url::parse(r).is_ok_and(|reg| {
                reg.scheme() == "http"
                    && reg.host_str() == req.host_str()
                    && reg.path() == req.path()
                    && reg.query() == req.query()
            })
        }),
        "http" => false,
        _ => host != "localhost" && registered.iter().any(|r| r == requested),
    }
}

fn error_page(msg: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><title>Error</title></head><body>\
         <h1>Oops! Something went wrong</h1><p id=\"error\">{}</p></body></html>",
        html_escape(msg)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn redirect(to: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{}", ser.finish())
}

/// A checked authorize request.
struct AuthorizeReq {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    token_flow: bool,
    challenge: Option<String>,
    show_dialog: bool,
}

fn check_authorize(
    sh: &Shared,
    q: &HashMap<String, String>,
) -> Result<AuthorizeReq, Box<Response>> {
    let client_id = q.get("client_id").cloned().unwrap_or_default();
    let st = sh.lock();
    let Some(client) = st.auth.clients.get(&client_id) else {
        return Err(Box::new(error_page("INVALID_CLIENT: Invalid client")));
    };
    let redirect_uri = q.get("redirect_uri").cloned().unwrap_or_default();
    if !redirect_allowed(&client.redirect_uris, &redirect_uri) {
        return Err(Box::new(error_page("INVALID_CLIENT: Invalid redirect URI")));
    }
    let state = q.get("state").cloned();
    let err = |e: &str| {
        let mut p = vec![("error", e)];
        if let Some(s) = &state {
            p.push(("state", s.as_str()));
        }
        redirect(with_query(&redirect_uri, &p))
    };
    let token_flow = match q.get("response_type").map(String::as_str) {
        Some("code") => false,
        Some("token") if st.auth.implicit_allowed => true,
        Some("token") => return Err(Box::new(err("unsupported_response_type"))),
        Some(_) => return Err(Box::new(err("unsupported_response_type"))),
        None => return Err(Box::new(err("invalid_request"))),
    };
    let challenge = q.get("code_challenge").cloned();
    if challenge.is_some() && q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return Err(Box::new(err("invalid_request")));
    }
    let scopes: Vec<String> = q
        .get("scope")
        .map(|s| {
            s.split([' ', '+', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if scopes.iter().any(|s| !ALL_SCOPES.contains(&s.as_str())) {
        return Err(Box::new(err("invalid_scope")));
    }
    Ok(AuthorizeReq {
        client_id,
        redirect_uri: redirect_uri.clone(),
        state,
        scopes,
        token_flow,
        challenge,
        show_dialog: q.get("show_dialog").is_some_and(|v| v == "true"),
    })
}

/// `GET /authorize`: validates, then shows the consent page or redirects.
pub(crate) async fn authorize(
    State(sh): State<Arc<Shared>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let req = match check_authorize(&sh, &q) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    let needs_dialog = {
        let st = sh.lock();
        let granted = st.auth.consent.get(&req.client_id);
        req.show_dialog
            || (!st.auth.auto_approve
                && (granted.is_none()
                    || !req
                        .scopes
                        .iter()
                        .all(|s| granted.is_some_and(|g| g.contains(s)))))
    };
    if !needs_dialog {
        return approve(&sh, &req);
    }
    let hidden: String = q
        .iter()
        .filter(|(k, _)| k.as_str() != "decision")
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                html_escape(k),
                html_escape(v)
            )
        })
        .collect();
    let scope_list: String = req
        .scopes
        .iter()
        .map(|s| format!("<li>{}</li>", html_escape(s)))
        .collect();
    let body = format!(
        "<!doctype html><html><head><title>Authorize spotdeck simulator</title></head><body>\
         <h1>Allow <b>{client}</b> to connect to your account?</h1>\
         <p>Logged in as Demo Listener.</p><ul id=\"scopes\">{scope_list}</ul>\
         <form method=\"post\" action=\"/authorize/decision\">{hidden}\
         <button type=\"submit\" name=\"decision\" value=\"agree\" id=\"agree\">Agree</button>\
         <button type=\"submit\" name=\"decision\" value=\"cancel\" id=\"cancel\">Cancel</button>\
         </form></body></html>",
        client = html_escape(&req.client_id),
    );
    Html(body).into_response()
}

/// `GET|POST /authorize/decision`: the Agree/Cancel buttons of the consent page.
pub(crate) async fn decision(
    State(sh): State<Arc<Shared>>,
    Query(mut q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    for (k, v) in url::form_urlencoded::parse(&body) {
        q.insert(k.into_owned(), v.into_owned());
    }
    let req = match check_authorize(&sh, &q) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    if q.get("decision").map(String::as_str) == Some("agree") {
        approve(&sh, &req)
    } else {
        let mut p = vec![("error", "access_denied")];
        if let Some(s) = &req.state {
            p.push(("state", s.as_str()));
        }
        redirect(with_query(&req.redirect_uri, &p))
    }
}

fn approve(sh: &Shared, req: &AuthorizeReq) -> Response {
    let mut st = sh.lock();
    let now = st.now();
    st.auth
        .consent
        .entry(req.client_id.clone())
        .or_default()
        .extend(req.scopes.iter().cloned());
    if req.token_flow {
        let life = st.auth.token_lifetime_secs;
        let tok = st.auth.issue_access(
            &req.client_id,
            Grant::User,
            &req.scopes,
            Duration::from_secs(life),
            now,
        );
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("access_token", &tok)
            .append_pair("token_type", "Bearer")
            .append_pair("expires_in", &life.to_string());
        if let Some(s) = &req.state {
            ser.append_pair("state", s);
        }
        return redirect(format!("{}#{}", req.redirect_uri, ser.finish()));
    }
    let code = format!("AQ{}", random_token(150));
    st.auth.codes.insert(
        code.clone(),
        CodeInfo {
            client_id: req.client_id.clone(),
            redirect_uri: req.redirect_uri.clone(),
            scopes: req.scopes.clone(),
            challenge: req.challenge.clone(),
            created: now,
        },
    );
    let mut p = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        p.push(("state", s.as_str()));
    }
    redirect(with_query(&req.redirect_uri, &p))
}

/// The token endpoint's JSON body (field order as in the real service).
#[derive(Serialize)]
struct TokenBody {
    access_token: String,
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"error": error, "error_description": description})),
    )
        .into_response()
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let b64 = v.strip_prefix("Basic ")?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (id, secret) = s.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Base64url (no padding) SHA-256 of a PKCE verifier.
pub fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `POST /api/token`.
pub(crate) async fn token(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let mut st = sh.lock();
    st.auth.token_requests += 1;
    let now = st.now();
    // Client authentication: Basic header, or body id (+ secret).
    let (client_id, secret) = match basic_auth(&headers) {
        Some((id, s)) => (Some(id), Some(s)),
        None => (
            form.get("client_id").cloned(),
            form.get("client_secret").cloned(),
        ),
    };
    let client = client_id
        .as_ref()
        .and_then(|id| st.auth.clients.get(id).cloned());
    if client_id.is_some() && client.is_none() {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "Invalid client");
    }
    if let (Some(c), Some(s)) = (&client, &secret)
        && c.secret.as_deref() != Some(s.as_str())
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "Invalid client secret",
        );
    }
    let authenticated = client.is_some() && secret.is_some();
    let life = st.auth.token_lifetime_secs;
    let lifetime = Duration::from_secs(life);
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = form.get("code").cloned().unwrap_or_default();
            let Some(info) = st.auth.codes.get(&code).cloned() else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid authorization code",
                );
            };
            if client_id.as_deref() != Some(info.client_id.as_str()) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "Invalid client");
            }
            let pkce = !authenticated;
            if pkce {
                let Some(challenge) = &info.challenge else {
                    return oauth_error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        "Invalid client",
                    );
                };
                let Some(verifier) = form.get("code_verifier") else {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "code_verifier required",
                    );
                };
                if &s256(verifier) != challenge {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "code_verifier was incorrect",
                    );
                }
            }
            if form.get("redirect_uri") != Some(&info.redirect_uri) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid redirect URI",
                );
            }
            st.auth.codes.remove(&code);
            st.auth.used_codes.insert(code);
            if now.saturating_duration_since(info.created) > CODE_LIFETIME {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Authorization code expired",
                );
            }
            let access =
                st.auth
                    .issue_access(&info.client_id, Grant::User, &info.scopes, lifetime, now);
            let refresh = st.auth.issue_refresh(&info.client_id, &info.scopes, pkce);
            token_ok(TokenBody {
                access_token: access,
                token_type: "Bearer",
                scope: Some(info.scopes.join(" ")),
                expires_in: life,
                refresh_token: Some(refresh),
            })
        }
        Some("refresh_token") => {
            let rt = form.get("refresh_token").cloned().unwrap_or_default();
            let Some(info) = st.auth.refresh.get(&rt).cloned() else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid refresh token",
                );
            };
            if client_id.as_deref() != Some(info.client_id.as_str()) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "Invalid client");
            }
            if !info.pkce && !authenticated {
                return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Invalid client");
            }
            let rotate = match st.auth.rotation {
                RefreshRotation::PkceOnly => info.pkce,
                RefreshRotation::Always => true,
                RefreshRotation::Never => false,
            };
            let access =
                st.auth
                    .issue_access(&info.client_id, Grant::User, &info.scopes, lifetime, now);
            let new_refresh = if rotate {
                st.auth.refresh.remove(&rt);
                Some(
                    st.auth
                        .issue_refresh(&info.client_id, &info.scopes, info.pkce),
                )
            } else {
                None
            };
            token_ok(TokenBody {
                access_token: access,
                token_type: "Bearer",
                scope: Some(info.scopes.join(" ")),
                expires_in: life,
                refresh_token: new_refresh,
            })
        }
        Some("client_credentials") => {
            if !authenticated {
                return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Invalid client");
            }
            let app = client_id.clone().unwrap_or_default();
            let access = st.auth.issue_access(&app, Grant::App, &[], lifetime, now);
            token_ok(TokenBody {
                access_token: access,
                token_type: "Bearer",
                scope: None,
                expires_in: life,
                refresh_token: None,
            })
        }
        Some(_) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type parameter is invalid",
        ),
        None => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type parameter is missing",
        ),
    }
}

fn token_ok(body: TokenBody) -> Response {
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_may_change_port_only() {
        let reg = vec!["http://127.0.0.1:8888/callback".to_string()];
        assert!(redirect_allowed(&reg, "http://127.0.0.1:8888/callback"));
        assert!(redirect_allowed(&reg, "http://127.0.0.1:40123/callback"));
        assert!(!redirect_allowed(&reg, "http://127.0.0.1:40123/other"));
        assert!(!redirect_allowed(&reg, "http://localhost:8888/callback"));
        let v6 = vec!["http://[::1]/cb".to_string()];
        assert!(redirect_allowed(&v6, "http://[::1]:5000/cb"));
        let web = vec!["https://example.com/callback".to_string()];
        assert!(redirect_allowed(&web, "https://example.com/callback"));
        assert!(!redirect_allowed(&web, "https://example.com/callback2"));
        assert!(!redirect_allowed(&web, "http://example.com/callback"));
    }

    #[test]
    fn s256_matches_rfc7636_example() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
