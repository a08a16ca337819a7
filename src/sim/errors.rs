//! Web API error responses in the regular `{"error":{status,message}}` shape,
//! with the player's extra `reason` where the real service sends one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the Web API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.message`.
    pub message: String,
    /// `error.reason` (player endpoints only).
    pub reason: Option<&'static str>,
}

/// Result type of Web API handlers.
pub type ApiResult<T = Response> = Result<T, ApiError>;

impl ApiError {
    /// An error without a reason.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            reason: None,
        }
    }

    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 "Resource not found".
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Resource not found")
    }

    /// 403 "Forbidden" (2026 development-mode refusals).
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden")
    }

    /// A player command failure with a reason.
    pub fn player(status: StatusCode, message: &str, reason: &'static str) -> Self {
        Self {
            status,
            message: format!("Player command failed: {message}"),
            reason: Some(reason),
        }
    }

    /// 404 NO_ACTIVE_DEVICE.
    pub fn no_active_device() -> Self {
        Self::player(
            StatusCode::NOT_FOUND,
            "No active device found",
            "NO_ACTIVE_DEVICE",
        )
    }

    /// 403 PREMIUM_REQUIRED.
    pub fn premium_required() -> Self {
        Self::player(
            StatusCode::FORBIDDEN,
            "Premium required",
            "PREMIUM_REQUIRED",
        )
    }

    /// 403 "Restriction violated" with reason UNKNOWN, as the service answers in practice.
    pub fn restriction() -> Self {
        Self::player(StatusCode::FORBIDDEN, "Restriction violated", "UNKNOWN")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut err = json!({"status": self.status.as_u16(), "message": self.message});
        if let (Some(r), Some(o)) = (self.reason, err.as_object_mut()) {
            o.insert("reason".into(), json!(r));
        }
        (self.status, axum::Json(json!({ "error": err }))).into_response()
    }
}
