//! Web API handlers (`/v1/...`) and what they share: token checks, query
//! parsing and paging objects.

pub mod browse;
pub mod me;
pub mod player;
pub mod playlists;

use std::collections::HashSet;

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::Value;

use super::accounts::Grant;
use super::errors::{ApiError, ApiResult};
use super::state::SimState;
use super::wire::{PageOut, UserOut, to_value};

/// Who is calling, from the bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User or app token.
    pub grant: Grant,
    /// Granted scopes.
    pub scopes: HashSet<String>,
}

impl Caller {
    /// Fails with 401 for app-only (client-credentials) tokens.
    pub fn user(&self) -> ApiResult<()> {
        match self.grant {
            Grant::User => Ok(()),
            Grant::App => Err(ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized.")),
        }
    }

    /// True when the token carries `scope`.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// Requires a user token with every scope in `scopes` (403 otherwise).
    pub fn need(&self, scopes: &[&str]) -> ApiResult<()> {
        self.user()?;
        if scopes.iter().all(|s| self.has(s)) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Insufficient client scope",
            ))
        }
    }
}

/// Checks the `Authorization: Bearer` header against issued tokens.
pub fn authenticate(st: &SimState, headers: &HeaderMap) -> ApiResult<Caller> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "No token provided"));
    };
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Err(ApiError::bad_request(
            "Only valid bearer authentication supported",
        ));
    };
    let Some(info) = st.auth.tokens.get(token.trim()) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid access token",
        ));
    };
    if info.expires_at <= st.now() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The access token expired",
        ));
    }
    Ok(Caller {
        grant: info.grant,
        scopes: info.scopes.clone(),
    })
}

/// Query parameters in request order.
#[derive(Debug, Clone, Default)]
pub struct Q(pub Vec<(String, String)>);

impl Q {
    /// First value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Pairs other than `offset`/`limit`, re-encoded for paging links.
    pub fn extra(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "offset" && k != "limit")
            .cloned()
            .collect()
    }
}

/// A validated `limit`/`offset` pair.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Items per page.
    pub limit: usize,
    /// First index.
    pub offset: usize,
}

/// Parses `limit` (1..=max, default `default`) and `offset` (0..=max_offset).
pub fn page(q: &Q, default: usize, max: usize, max_offset: usize) -> ApiResult<Page> {
    let limit = match q.get("limit") {
        None => default,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 && n as usize <= max => n as usize,
            _ => return Err(ApiError::bad_request("Invalid limit")),
        },
    };
    let offset = match q.get("offset") {
        None => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 0 && n as usize <= max_offset => n as usize,
            _ => return Err(ApiError::bad_request("Invalid offset")),
        },
    };
    Ok(Page { limit, offset })
}

fn page_url(url: &str, offset: usize, limit: usize, extra: &[(String, String)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("offset", &offset.to_string())
        .append_pair("limit", &limit.to_string());
    for (k, v) in extra {
        ser.append_pair(k, v);
    }
    format!("{url}?{}", ser.finish())
}

/// A typed paging object over `total` items starting at `p.offset`.
pub fn paging_of<T>(url: &str, q: &Q, p: Page, total: usize, items: Vec<T>) -> PageOut<T> {
    let extra = q.extra();
    let next =
        (p.offset + p.limit < total).then(|| page_url(url, p.offset + p.limit, p.limit, &extra));
    let previous =
        (p.offset > 0).then(|| page_url(url, p.offset.saturating_sub(p.limit), p.limit, &extra));
    PageOut {
        href: page_url(url, p.offset, p.limit, &extra),
        items,
        limit: p.limit,
        next,
        offset: p.offset,
        previous,
        total,
    }
}

/// A paging object over `total` items starting at `p.offset`.
pub fn paging(url: &str, q: &Q, p: Page, total: usize, items: Vec<Value>) -> Value {
    to_value(&paging_of(url, q, p, total, items))
}

/// A public user object (owner / added_by).
pub fn user_ref(base: &str, id: &str, display_name: Option<&str>) -> Value {
    to_value(&UserOut::new(base, id, display_name))
}

/// Parses a JSON request body; an empty body is `Value::Null`.
pub fn json_body(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|_| ApiError::bad_request("Error parsing JSON."))
}

/// A JSON object body read key by key: a key of the wrong type is refused
/// with 400 (as the service does) instead of being ignored. `null` counts as
/// absent.
#[derive(Debug, Clone)]
pub struct Body(Value);

fn wrong_type(key: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("Invalid value for '{key}': expected {expected}"))
}

impl Body {
    /// Parses a body that must be a JSON object (or empty).
    pub fn object(body: &[u8]) -> ApiResult<Body> {
        Self::from_value(json_body(body)?)
    }

    /// Wraps a parsed value that must be an object (or `null`).
    pub fn from_value(v: Value) -> ApiResult<Body> {
        match v {
            Value::Null | Value::Object(_) => Ok(Body(v)),
            _ => Err(ApiError::bad_request(
                "Invalid JSON body: expected an object",
            )),
        }
    }

    /// The raw value of `key`, absent when missing or `null`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A boolean key.
    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        self.get(key)
            .map(|v| v.as_bool().ok_or_else(|| wrong_type(key, "a boolean")))
            .transpose()
    }

    /// A string key.
    pub fn str(&self, key: &str) -> ApiResult<Option<&str>> {
        self.get(key)
            .map(|v| v.as_str().ok_or_else(|| wrong_type(key, "a string")))
            .transpose()
    }

    /// A non-negative integer key.
    pub fn uint(&self, key: &str) -> ApiResult<Option<u64>> {
        self.get(key)
            .map(|v| {
                v.as_u64()
                    .ok_or_else(|| wrong_type(key, "a non-negative integer"))
            })
            .transpose()
    }

    /// An array-of-strings key.
    pub fn strings(&self, key: &str) -> ApiResult<Option<Vec<String>>> {
        self.get(key).map(|v| strings_of(v, key)).transpose()
    }

    /// An object key, itself read as a [`Body`].
    pub fn object_at(&self, key: &str) -> ApiResult<Option<Body>> {
        self.get(key)
            .map(|v| match v {
                Value::Object(_) => Ok(Body(v.clone())),
                _ => Err(wrong_type(key, "an object")),
            })
            .transpose()
    }
}

/// Reads an array of strings (`key` names it in the error).
pub fn strings_of(v: &Value, key: &str) -> ApiResult<Vec<String>> {
    let arr = v
        .as_array()
        .ok_or_else(|| wrong_type(key, "an array of strings"))?;
    arr.iter()
        .map(|s| {
            s.as_str()
                .map(str::to_string)
                .ok_or_else(|| wrong_type(key, "an array of strings"))
        })
        .collect()
}
