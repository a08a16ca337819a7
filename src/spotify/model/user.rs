//! The current user's profile (`GET /me`).

use serde::{Deserialize, Serialize};

use super::common::{ExternalUrls, Followers, Image, null_default};

/// Explicit-content settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExplicitContent {
    /// Explicit content should not be played.
    #[serde(default, deserialize_with = "null_default")]
    pub filter_enabled: bool,
    /// The setting is locked.
    #[serde(default, deserialize_with = "null_default")]
    pub filter_locked: bool,
}

/// `PrivateUserObject`. Fields removed for development-mode apps in 2026
/// (`country`, `email`, `product`, …) are optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct User {
    /// User id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Stable pseudonymous account id (2026).
    #[serde(default)]
    pub account_id: Option<String>,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub country: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// `premium`, `free`, …
    #[serde(default)]
    pub product: Option<String>,
    /// Explicit-content settings.
    #[serde(default)]
    pub explicit_content: Option<ExplicitContent>,
    /// Followers.
    #[serde(default)]
    pub followers: Option<Followers>,
    /// Profile images.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// External URLs.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

impl User {
    /// The display name, or the id.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.id)
    }

    /// `Some(true)` for Premium, `Some(false)` for other products, `None` when unknown.
    pub fn is_premium(&self) -> Option<bool> {
        self.product.as_deref().map(|p| p == "premium")
    }
}
