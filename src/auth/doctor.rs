//! `spotdeck doctor`: checks configuration, reachability, the stored login
//! and its scopes, and says what to fix.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use super::oauth::{client_secret, flow_name, redirect_uri};
use super::refresh::RefreshingTokenSource;
use super::scopes::missing_scope_message;
use super::store::TokenStore;
use crate::config::{AuthFlow, Config, Dirs};
use crate::token::TokenSource;

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Fine.
    Ok,
    /// Works, but worth knowing.
    Warn,
    /// Broken; spotdeck will not work until it is fixed.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// Outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it, for warnings and failures.
    pub fix: Option<String>,
}

/// All checks, in order.
#[derive(Debug, Clone, Default)]
pub struct DoctorReport {
    /// The checks.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    fn push(&mut self, name: &str, status: Status, detail: impl Into<String>, fix: Option<&str>) {
        self.checks.push(Check {
            name: name.into(),
            status,
            detail: detail.into(),
            fix: fix.map(str::to_string),
        });
    }

    /// True when no check failed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }

    /// The check named `name`, if it ran.
    pub fn get(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Human-readable report.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for c in &self.checks {
            let tag = match c.status {
                Status::Ok => " ok ",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
            };
            let _ = writeln!(out, "[{tag}] {}: {}", c.name, c.detail);
            if let Some(fix) = &c.fix {
                let _ = writeln!(out, "       fix: {fix}");
            }
        }
        let failed = self
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .count();
        if failed == 0 {
            out.push_str("All checks passed.\n");
        } else {
            let _ = writeln!(out, "{failed} check(s) failed.");
        }
        out
    }
}

/// Checks a redirect URI: plain `http` to the loopback IP `127.0.0.1`
/// (Spotify rejects `localhost`), with a port and a path.
pub fn check_redirect_uri(uri: &str) -> Result<(), String> {
    let url = url::Url::parse(uri).map_err(|e| format!("`{uri}` is not a URL: {e}"))?;
    if url.scheme() != "http" {
        return Err(format!("`{uri}` must use http:// for a loopback redirect"));
    }
    match url.host_str() {
        Some("127.0.0.1") => {}
        Some("localhost") => {
            return Err(format!(
                "`{uri}` uses `localhost`; Spotify requires the loopback IP 127.0.0.1"
            ));
        }
        _ => return Err(format!("`{uri}` must point at 127.0.0.1")),
    }
    if url.port().is_none() {
        return Err(format!("`{uri}` has no port"));
    }
    if url.path() != "/callback" {
        return Err(format!("`{uri}` must end in /callback"));
    }
    Ok(())
}

fn check_base(report: &mut DoctorReport, name: &str, base: &str) -> bool {
    match url::Url::parse(base) {
        Ok(u) if u.scheme() == "https" => true,
        Ok(u)
            if u.scheme() == "http"
                && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) =>
        {
            true
        }
        Ok(u) => {
            report.push(
                name,
                Status::Fail,
                format!(
                    "`{base}` uses {}: tokens would travel unencrypted",
                    u.scheme()
                ),
                Some("use an https:// URL (http is only accepted for 127.0.0.1)"),
            );
            false
        }
        Err(e) => {
            report.push(
                name,
                Status::Fail,
                format!("`{base}` is not a URL: {e}"),
                Some("fix the URL in config.toml"),
            );
            false
        }
    }
}

async fn reachability(report: &mut DoctorReport, http: &reqwest::Client, name: &str, base: &str) {
    if !check_base(report, name, base) {
        return;
    }
    match http.get(base).send().await {
        Ok(r) => report.push(
            name,
            Status::Ok,
            format!("{base} reachable (HTTP {})", r.status().as_u16()),
            None,
        ),
        Err(e) => report.push(
            name,
            Status::Fail,
            format!("{base} unreachable: {e}"),
            Some("check your network, proxy, and the base URL in config.toml"),
        ),
    }
}

fn describe_remaining(expires_at: Option<SystemTime>, now: SystemTime) -> String {
    match expires_at {
        None => "expiry unknown".into(),
        Some(t) => match t.duration_since(now) {
            Ok(d) => format!("access token valid for {} more minute(s)", d.as_secs() / 60),
            Err(e) => format!(
                "access token expired {} minute(s) ago",
                e.duration().as_secs() / 60
            ),
        },
    }
}

fn check_keys(report: &mut DoctorReport, config: &Config) {
    if config.keys.is_empty() {
        return;
    }
    match crate::app::keymap::Keymap::build(&config.keys) {
        Ok(_) => report.push(
            "keys",
            Status::Ok,
            format!("{} rebinding(s) in [keys]", config.keys.len()),
            None,
        ),
        Err(e) => report.push(
            "keys",
            Status::Fail,
            format!("[keys]: {e}"),
            Some("fix the [keys] table in config.toml (intent names and keys are listed in config.example.toml)"),
        ),
    }
}

/// Unix permission bits open to the group or others, if any.
#[cfg(unix)]
fn open_bits(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn open_bits(_path: &std::path::Path) -> Option<u32> {
    None
}

fn holds_client_secret(path: &std::path::Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .any(|l| l.trim_start().starts_with("client_secret"))
    })
}

/// Files and directories that hold secrets must be the user's alone.
fn check_permissions(report: &mut DoctorReport, dirs: &Dirs) {
    let mut found = false;
    let cfg_file = dirs.config_file();
    if let Some(mode) = open_bits(&cfg_file)
        && holds_client_secret(&cfg_file)
    {
        found = true;
        report.push(
            "permissions",
            Status::Fail,
            format!(
                "{} holds client_secret and is readable by other users (mode {mode:04o})",
                cfg_file.display()
            ),
            Some(&format!("chmod 600 {}", cfg_file.display())),
        );
    }
    let tokens = TokenStore::new(dirs);
    if let Some(mode) = open_bits(tokens.path()) {
        found = true;
        report.push(
            "permissions",
            Status::Fail,
            format!(
                "the token file {} is readable by other users (mode {mode:04o})",
                tokens.path().display()
            ),
            Some(&format!("chmod 600 {}", tokens.path().display())),
        );
    }
    for (what, dir) in [("data", &dirs.data), ("state (log)", &dirs.state)] {
        if let Some(mode) = open_bits(dir) {
            found = true;
            report.push(
                "permissions",
                Status::Warn,
                format!(
                    "the {what} directory {} is open to other users (mode {mode:04o})",
                    dir.display()
                ),
                Some(&format!("chmod 700 {}", dir.display())),
            );
        }
    }
    if !found {
        report.push(
            "permissions",
            Status::Ok,
            "config, token file, data and state directories are private",
            None,
        );
    }
}

/// Runs every check. `pasted_token` is the value of `SPOTDECK_ACCESS_TOKEN`, if set.
pub async fn diagnose(config: &Config, dirs: &Dirs, pasted_token: Option<&str>) -> DoctorReport {
    let mut report = DoctorReport::default();
    let cfg = &config.spotify;
    let cfg_file = dirs.config_file();
    report.push(
        "config",
        Status::Ok,
        if cfg_file.exists() {
            format!("parsed ({} or --config)", cfg_file.display())
        } else {
            format!("parsed; no file at {}, defaults in use", cfg_file.display())
        },
        None,
    );
    check_keys(&mut report, config);
    check_permissions(&mut report, dirs);
    let pasted = pasted_token.map(str::trim).filter(|t| !t.is_empty());
    if let Some(why) = pasted.and_then(|t| crate::token::check_pasted(t).err()) {
        report.push(
            "pasted token",
            Status::Fail,
            why,
            Some("export SPOTDECK_ACCESS_TOKEN again with the token on one line"),
        );
    } else if pasted.is_some() {
        report.push(
            "pasted token",
            Status::Warn,
            "SPOTDECK_ACCESS_TOKEN is set: it is used instead of the stored login and cannot be refreshed",
            Some("unset SPOTDECK_ACCESS_TOKEN to use the stored login"),
        );
    }
    let has_client = !cfg.client_id.trim().is_empty();
    if has_client {
        report.push("client id", Status::Ok, "set", None);
    } else {
        report.push(
            "client id",
            if pasted.is_some() { Status::Warn } else { Status::Fail },
            "not set",
            Some("create an app at https://developer.spotify.com/dashboard and set `client_id` under [spotify] or SPOTDECK_CLIENT_ID"),
        );
    }
    let flow = cfg.auth_flow;
    let needs_secret = matches!(
        flow,
        AuthFlow::AuthorizationCode | AuthFlow::ClientCredentials
    );
    match (needs_secret, client_secret(cfg).is_some()) {
        (true, false) => report.push(
            "client secret",
            Status::Fail,
            format!("auth_flow = \"{}\" needs the client secret, and none is set", flow_name(flow)),
            Some("set `client_secret` under [spotify] or SPOTDECK_CLIENT_SECRET, or use auth_flow = \"pkce\""),
        ),
        (true, true) => report.push("client secret", Status::Ok, "set", None),
        _ => {}
    }
    match flow {
        AuthFlow::Implicit => report.push(
            "auth flow",
            Status::Warn,
            "implicit (legacy, retired by Spotify for new apps; tokens last an hour, no refresh)",
            Some("use auth_flow = \"pkce\""),
        ),
        AuthFlow::ClientCredentials => report.push(
            "auth flow",
            Status::Warn,
            "client_credentials: app-only, no playback, devices or your playlists",
            Some("use auth_flow = \"pkce\" to control playback"),
        ),
        other => report.push("auth flow", Status::Ok, flow_name(other), None),
    }
    let uri = redirect_uri(cfg.redirect_port);
    if flow != AuthFlow::ClientCredentials {
        match check_redirect_uri(&uri) {
            Err(e) => report.push("redirect URI", Status::Fail, e, Some("set `redirect_port`")),
            Ok(()) if cfg.redirect_port == 0 => report.push(
                "redirect URI",
                Status::Warn,
                "redirect_port = 0 picks a random port each login",
                Some("set a fixed `redirect_port` and register http://127.0.0.1:PORT/callback in the Spotify dashboard"),
            ),
            Ok(()) => report.push(
                "redirect URI",
                Status::Ok,
                format!("{uri} (must be registered exactly like this in the Spotify dashboard)"),
                None,
            ),
        }
    }

    let http = match super::http::build_client() {
        Ok(c) => c,
        Err(e) => {
            report.push(
                "http",
                Status::Fail,
                format!("cannot build an HTTP client: {e}"),
                None,
            );
            return report;
        }
    };
    reachability(&mut report, &http, "accounts service", &cfg.accounts_base).await;
    reachability(&mut report, &http, "web api", &cfg.api_base).await;

    // Which token to try against /me.
    let mut bearer: Option<crate::token::Secret> = pasted.map(crate::token::Secret::new);
    if flow == AuthFlow::ClientCredentials && pasted.is_none() {
        if has_client && client_secret(cfg).is_some() {
            match super::login::client_credentials_token(cfg).await {
                Ok(_) => report.push(
                    "app token",
                    Status::Ok,
                    "client-credentials token obtained (app-only: /me is not available)",
                    None,
                ),
                Err(e) => report.push(
                    "app token",
                    Status::Fail,
                    e.to_string(),
                    Some("check the client id and secret"),
                ),
            }
        }
        return report;
    }
    let store = TokenStore::new(dirs);
    let now = SystemTime::now();
    match store.load() {
        Err(e) => report.push(
            "stored login",
            Status::Fail,
            e.to_string(),
            Some("run `spotdeck logout`, then `spotdeck login`"),
        ),
        Ok(None) => report.push(
            "stored login",
            if pasted.is_some() {
                Status::Warn
            } else {
                Status::Fail
            },
            format!("none at {}", store.path().display()),
            Some("run `spotdeck login`"),
        ),
        Ok(Some(login)) => {
            let remaining = describe_remaining(login.expires_at_time(), now);
            if has_client && login.client_id != cfg.client_id.trim() {
                report.push(
                    "stored login",
                    Status::Fail,
                    "made with another client id",
                    Some("run `spotdeck login` to log in with the configured app"),
                );
            } else if !login.is_usable(now, Duration::ZERO) {
                report.push(
                    "stored login",
                    Status::Fail,
                    format!(
                        "{} login, {remaining}, no refresh token",
                        flow_name(login.flow)
                    ),
                    Some("run `spotdeck login`"),
                );
            } else {
                let refresh = if login.refresh_token.is_some() {
                    "refresh token stored"
                } else {
                    "no refresh token"
                };
                report.push(
                    "stored login",
                    Status::Ok,
                    format!("{} login, {remaining}, {refresh}", flow_name(login.flow)),
                    None,
                );
                match missing_scope_message(&login.scopes) {
                    None => report.push("scopes", Status::Ok, "all needed scopes granted", None),
                    Some(msg) => {
                        report.push("scopes", Status::Fail, msg, Some("run `spotdeck login`"))
                    }
                }
                if bearer.is_none() {
                    let source =
                        RefreshingTokenSource::new(cfg.clone(), login, Some(store.clone()));
                    match source.access_token().await {
                        Ok(t) => bearer = Some(t.value),
                        Err(e) => report.push(
                            "token refresh",
                            Status::Fail,
                            e.to_string(),
                            Some("run `spotdeck login`"),
                        ),
                    }
                }
            }
        }
    }
    if let Some(token) = bearer {
        let me = format!("{}/me", cfg.api_base.trim_end_matches('/'));
        match http.get(&me).bearer_auth(token.expose()).send().await {
            Ok(r) if r.status().is_success() => {
                let who = r
                    .json::<serde_json::Value>()
                    .await
                    .ok()
                    .and_then(|v| {
                        v.get("display_name").and_then(|n| n.as_str()).map(str::to_string)
                            .or_else(|| v.get("id").and_then(|n| n.as_str()).map(str::to_string))
                    })
                    .unwrap_or_else(|| "unknown user".into());
                report.push("GET /me", Status::Ok, format!("token works; logged in as {who}"), None);
            }
            Ok(r) if r.status().as_u16() == 401 => report.push(
                "GET /me",
                Status::Fail,
                "HTTP 401: the token was rejected",
                Some("run `spotdeck login` (or paste a fresh SPOTDECK_ACCESS_TOKEN)"),
            ),
            Ok(r) if r.status().as_u16() == 403 => report.push(
                "GET /me",
                Status::Fail,
                "HTTP 403: the account may not be allowed to use this app",
                Some("in development mode, add the account under 'User Management' in the Spotify dashboard"),
            ),
            Ok(r) => report.push("GET /me", Status::Warn, format!("HTTP {}", r.status().as_u16()), None),
            Err(e) => report.push("GET /me", Status::Fail, format!("request failed: {e}"), Some("check the network and api_base")),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uri_must_be_loopback_ip() {
        assert!(check_redirect_uri("http://127.0.0.1:8888/callback").is_ok());
        let e = check_redirect_uri("http://localhost:8888/callback").unwrap_err();
        assert!(e.contains("127.0.0.1"), "{e}");
        assert!(check_redirect_uri("https://127.0.0.1:8888/callback").is_err());
        assert!(check_redirect_uri("http://127.0.0.1/callback").is_err());
        assert!(check_redirect_uri("http://127.0.0.1:1/cb").is_err());
    }

    #[test]
    fn report_fails_when_a_check_fails() {
        let mut r = DoctorReport::default();
        r.push("a", Status::Ok, "fine", None);
        assert!(r.passed());
        r.push("b", Status::Fail, "broken", Some("do x"));
        assert!(!r.passed());
        let text = r.render();
        assert!(
            text.contains("[FAIL] b: broken\n       fix: do x"),
            "{text}"
        );
        assert!(text.contains("1 check(s) failed"), "{text}");
    }
}
