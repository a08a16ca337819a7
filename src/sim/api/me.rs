//! `GET /me`: the demo user's private profile.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::super::Shared;
use super::super::errors::ApiResult;
use super::super::state::{DEMO_USER_ID, DEMO_USER_NAME};
use super::authenticate;

/// `GET /me`; `email` needs `user-read-email`, `country`/`product` need
/// `user-read-private`; 2026 development mode drops those fields.
pub async fn get_me(State(sh): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult<Response> {
    let st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    caller.user()?;
    let base = &st.base;
    let mut v = json!({
        "account_id": "a1b2c3d4-demo-0000-0000-spotdeck0001",
        "display_name": DEMO_USER_NAME,
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{DEMO_USER_ID}")},
        "followers": {"href": null, "total": 7},
        "href": format!("{base}/v1/users/{DEMO_USER_ID}"),
        "id": DEMO_USER_ID,
        "images": [
            {"height": 300, "url": format!("{base}/images/user{DEMO_USER_ID}-300.jpg"), "width": 300},
            {"height": 64, "url": format!("{base}/images/user{DEMO_USER_ID}-64.jpg"), "width": 64},
        ],
        "type": "user",
        "uri": format!("spotify:user:{DEMO_USER_ID}"),
    });
    if let Some(o) = v.as_object_mut() {
        if caller.has("user-read-private") {
            o.insert("country".into(), json!("SE"));
            o.insert(
                "product".into(),
                json!(if st.premium { "premium" } else { "free" }),
            );
            o.insert(
                "explicit_content".into(),
                json!({"filter_enabled": false, "filter_locked": false}),
            );
        }
        if caller.has("user-read-email") {
            o.insert("email".into(), json!("demo@spotdeck.invalid"));
        }
        if st.dev_mode_2026 {
            for k in [
                "country",
                "email",
                "explicit_content",
                "followers",
                "product",
            ] {
                o.remove(k);
            }
        }
    }
    Ok(axum::Json(v).into_response())
}
