//! The OAuth scopes spotdeck asks for, and which feature needs each one.

/// Every scope spotdeck requests, with the feature that needs it.
pub const SCOPES: &[(&str, &str)] = &[
    (
        "user-read-playback-state",
        "showing what plays and the device list",
    ),
    (
        "user-modify-playback-state",
        "playback control (play, pause, skip, seek, volume, devices, queue)",
    ),
    ("user-read-currently-playing", "the now-playing view"),
    ("user-read-recently-played", "recently played tracks"),
    ("playlist-read-private", "your private playlists"),
    ("playlist-read-collaborative", "collaborative playlists"),
    ("playlist-modify-public", "editing public playlists"),
    ("playlist-modify-private", "editing private playlists"),
    ("ugc-image-upload", "uploading playlist cover images"),
    ("user-read-private", "your profile and market"),
];

/// The scope names alone, in request order.
pub fn scope_names() -> Vec<String> {
    SCOPES.iter().map(|(s, _)| (*s).to_string()).collect()
}

/// Scopes from [`SCOPES`] that are not in `granted`.
pub fn missing_scopes(granted: &[String]) -> Vec<&'static str> {
    SCOPES
        .iter()
        .filter(|(s, _)| !granted.iter().any(|g| g == s))
        .map(|(s, _)| *s)
        .collect()
}

/// A message naming each feature that lacks its scope, or `None` when every
/// needed scope was granted.
pub fn missing_scope_message(granted: &[String]) -> Option<String> {
    let lines: Vec<String> = SCOPES
        .iter()
        .filter(|(s, _)| !granted.iter().any(|g| g == s))
        .map(|(s, feature)| format!("  - {feature} needs `{s}`"))
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(format!(
        "the login lacks {} scope(s):\n{}\nRun `spotdeck login` again to grant them.",
        lines.len(),
        lines.join("\n")
    ))
}

/// Splits a space-separated `scope` value into scope names.
pub fn parse_scope_list(value: &str) -> Vec<String> {
    value.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_scopes_granted_gives_no_message() {
        assert_eq!(missing_scope_message(&scope_names()), None);
    }

    #[test]
    fn missing_scope_is_named_with_its_feature() {
        let granted: Vec<String> = scope_names()
            .into_iter()
            .filter(|s| s != "user-modify-playback-state")
            .collect();
        let msg = missing_scope_message(&granted).unwrap();
        assert!(msg.contains("`user-modify-playback-state`"), "{msg}");
        assert!(msg.contains("playback control"), "{msg}");
        assert!(msg.contains("1 scope"), "{msg}");
        assert!(!msg.contains("`ugc-image-upload`"), "{msg}");
        assert_eq!(missing_scopes(&granted), vec!["user-modify-playback-state"]);
    }

    #[test]
    fn scope_list_is_split_on_whitespace() {
        assert_eq!(parse_scope_list(" a  b\tc "), vec!["a", "b", "c"]);
        assert_eq!(missing_scopes(&[]).len(), SCOPES.len());
    }
}
