//! Configuration: built-in defaults, then the user's TOML file, then
//! environment overrides. Unknown keys in the file are errors that name the
//! file, line and key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::token::Secret;

/// Default base URL of the Spotify Web API.
pub const DEFAULT_API_BASE: &str = "https://api.spotify.com/v1";
/// Default base URL of the Spotify Accounts service.
pub const DEFAULT_ACCOUNTS_BASE: &str = "https://accounts.spotify.com";

/// Everything the user can configure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the services live and how to log in.
    pub spotify: SpotifyConfig,
    /// How often playback and devices are polled.
    pub poll: PollConfig,
    /// Screen options.
    pub ui: UiConfig,
    /// Key bindings: intent name to one or more keys, replacing the default keys of that intent.
    pub keys: BTreeMap<String, KeyList>,
    /// Logging.
    pub log: LogConfig,
    /// Desktop integration: MPRIS, notifications, the sleep timer's fade.
    pub desktop: DesktopConfig,
    /// Commands run on player events.
    pub hooks: HooksConfig,
    /// Colours.
    pub theme: ThemeConfig,
}

/// One key or several keys for an intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    /// A single key such as `"space"`.
    One(String),
    /// Several keys such as `["n", "right"]`.
    Many(Vec<String>),
}

impl KeyList {
    /// The keys as a list.
    pub fn keys(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

/// Login flows the app can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AuthFlow {
    /// Authorization code with PKCE (no secret needed). The default.
    #[default]
    Pkce,
    /// Authorization code with the app's client secret.
    AuthorizationCode,
    /// Legacy implicit grant; retired by Spotify for new apps.
    Implicit,
    /// App-only token: no user data.
    ClientCredentials,
}

/// Service endpoints and credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpotifyConfig {
    /// Base URL of the Web API (env `SPOTDECK_API_BASE`).
    pub api_base: String,
    /// Base URL of the Accounts service (env `SPOTDECK_ACCOUNTS_BASE`).
    pub accounts_base: String,
    /// Client id of your Spotify app (env `SPOTDECK_CLIENT_ID`).
    pub client_id: String,
    /// Client secret, only for the `authorization_code` and `client_credentials` flows (env `SPOTDECK_CLIENT_SECRET`).
    pub client_secret: Option<Secret>,
    /// Login flow.
    pub auth_flow: AuthFlow,
    /// Loopback port for the login redirect; 0 picks a free one.
    pub redirect_port: u16,
    /// Seconds to wait for the browser to come back during login.
    pub login_timeout_secs: u64,
    /// Market (ISO 3166-1 alpha-2) sent where the API takes one; empty means the account's.
    pub market: String,
}

impl Default for SpotifyConfig {
    fn default() -> Self {
        Self {
            api_base: DEFAULT_API_BASE.into(),
            accounts_base: DEFAULT_ACCOUNTS_BASE.into(),
            client_id: String::new(),
            client_secret: None,
            auth_flow: AuthFlow::Pkce,
            redirect_port: 8888,
            login_timeout_secs: 180,
            market: String::new(),
        }
    }
}

/// Polling intervals in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PollConfig {
    /// Playback poll while a track plays.
    pub playing_ms: u64,
    /// Playback poll while paused.
    pub paused_ms: u64,
    /// Playback poll while no device is active.
    pub inactive_ms: u64,
    /// Playback poll for a few seconds after a command or near a track's end.
    pub burst_ms: u64,
    /// How long the burst lasts after a command.
    pub burst_window_ms: u64,
    /// Device list poll.
    pub devices_ms: u64,
}

impl Default for PollConfig {
    fn default() -> Self {
        Self {
            playing_ms: 5_000,
            paused_ms: 10_000,
            inactive_ms: 15_000,
            burst_ms: 700,
            burst_window_ms: 3_000,
            devices_ms: 30_000,
        }
    }
}

/// How cover art is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ImageMode {
    /// Ask the terminal (kitty, sixel, iTerm2); halfblocks when it does not answer.
    #[default]
    Auto,
    /// Coloured half-block characters; works everywhere.
    Halfblocks,
    /// No cover art.
    Off,
}

/// Screen options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// Cover art mode (env `SPOTDECK_IMAGES`).
    pub images: ImageMode,
    /// Milliseconds between progress-bar frames while playing.
    pub tick_ms: u64,
    /// Enable mouse clicks and scrolling.
    pub mouse: bool,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            images: ImageMode::Auto,
            tick_ms: 250,
            mouse: true,
        }
    }
}

/// Logging options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// Level filter, e.g. `info` or `spotdeck=debug` (env `SPOTDECK_LOG`).
    pub level: String,
    /// Log file; empty means `spotdeck.log` in the platform state directory.
    pub file: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            file: String::new(),
        }
    }
}

/// Desktop integration options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DesktopConfig {
    /// Publish `org.mpris.MediaPlayer2.spotdeck` on the session bus (media keys, status bars).
    pub mpris: bool,
    /// Show a desktop notification when the track changes.
    pub notify: bool,
    /// Seconds over which the sleep timer lowers the volume before it pauses; 0 turns the fade off.
    pub sleep_fade_secs: u64,
}

impl Default for DesktopConfig {
    fn default() -> Self {
        Self {
            mpris: true,
            notify: false,
            sleep_fade_secs: 30,
        }
    }
}

/// The `[theme]` table: a built-in theme or a theme file, then single
/// colours over it. A theme file holds the same colour keys (no `name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// `dark` (default), `light`, or the path of a theme file.
    pub name: String,
    /// Now playing, the active device.
    pub accent: Option<String>,
    /// Background of the selected row (`none`: reverse video).
    pub selection: Option<String>,
    /// Border of unfocused panes.
    pub border: Option<String>,
    /// Border and title of the focused pane.
    pub border_focused: Option<String>,
    /// Rows that cannot be played (local files).
    pub dimmed: Option<String>,
    /// Artists, albums, times, hints.
    pub secondary: Option<String>,
    /// Key names in hints.
    pub key: Option<String>,
    /// Status line information.
    pub info: Option<String>,
    /// Status line warnings.
    pub warning: Option<String>,
    /// Status line errors.
    pub error: Option<String>,
    /// Elapsed part of the progress bar.
    pub progress: Option<String>,
    /// Remaining part of the progress bar.
    pub progress_empty: Option<String>,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        Self {
            name: "dark".into(),
            accent: None,
            selection: None,
            border: None,
            border_focused: None,
            dimmed: None,
            secondary: None,
            key: None,
            info: None,
            warning: None,
            error: None,
            progress: None,
            progress_empty: None,
        }
    }
}

/// Shell commands run on player events, with the event in `SPOTDECK_*`
/// environment variables; empty means none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct HooksConfig {
    /// Run when the playing item changes.
    pub on_track_change: String,
    /// Run when playback starts or pauses.
    pub on_play_pause: String,
    /// Run when playback moves to another device.
    pub on_device_change: String,
}

impl ThemeConfig {
    /// Parses a theme file; `path` is only used in messages.
    pub fn from_file(text: &str, path: &Path) -> Result<Self, ConfigError> {
        parse_toml(text, path)
    }
}

/// A configuration problem, phrased for the user.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// File path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The file is not valid for spotdeck.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// File path.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A theme file cannot be read or a theme colour is not a colour.
    #[error("{source_name}: `{key}`: {message}")]
    Theme {
        /// Theme file, or `config [theme]` for the config's table.
        source_name: PathBuf,
        /// The colour's key.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// An environment variable holds a bad value.
    #[error("environment variable {var}: {message}")]
    Env {
        /// Variable name.
        var: String,
        /// What is wrong.
        message: String,
    },
}

/// Platform directories for config, data (tokens) and state (logs).
#[derive(Debug, Clone)]
pub struct Dirs {
    /// Holds `config.toml`.
    pub config: PathBuf,
    /// Holds the token cache.
    pub data: PathBuf,
    /// Holds the log file.
    pub state: PathBuf,
}

impl Dirs {
    /// The platform's directories, or `SPOTDECK_HOME/{config,data,state}` when that is set.
    pub fn discover() -> Self {
        if let Some(home) = std::env::var_os("SPOTDECK_HOME") {
            let home = PathBuf::from(home);
            return Self {
                config: home.join("config"),
                data: home.join("data"),
                state: home.join("state"),
            };
        }
        match directories::ProjectDirs::from("", "", "spotdeck") {
            Some(p) => Self {
                config: p.config_dir().to_path_buf(),
                data: p.data_dir().to_path_buf(),
                state: p.state_dir().unwrap_or_else(|| p.cache_dir()).to_path_buf(),
            },
            None => {
                let base = std::env::temp_dir().join("spotdeck");
                Self {
                    config: base.join("config"),
                    data: base.join("data"),
                    state: base.join("state"),
                }
            }
        }
    }

    /// The default config file path.
    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }
}

impl Config {
    /// Parses TOML text; `path` is only used in messages.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self, ConfigError> {
        parse_toml(text, path)
    }

    /// Checks the `[keys]` table parsed from `text`, so a bad entry is
    /// reported with the file and line like any other config error.
    pub fn check_keys(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let Err(e) = crate::app::keymap::Keymap::build(&self.keys) else {
            return Ok(());
        };
        let (line, column) = keys_entry_offset(text, &e.entry)
            .map(|at| line_col(text, at))
            .unwrap_or((1, 1));
        Err(ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message,
        })
    }

    /// Loads defaults, then `path` (or the default file if it exists), then the environment.
    pub fn load(path: Option<&Path>, dirs: &Dirs) -> Result<Self, ConfigError> {
        let default_path = dirs.config_file();
        let (file, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (default_path, false),
        };
        let mut cfg = match std::fs::read_to_string(&file) {
            Ok(text) => {
                let cfg = Self::from_toml(&text, &file)?;
                cfg.check_keys(&text, &file)?;
                cfg
            }
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => return Err(ConfigError::Read { path: file, source }),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        Ok(cfg)
    }

    /// Applies `SPOTDECK_*` overrides read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("SPOTDECK_CLIENT_ID") {
            self.spotify.client_id = v;
        }
        if let Some(v) = get("SPOTDECK_CLIENT_SECRET") {
            self.spotify.client_secret = Some(Secret::new(v));
        }
        if let Some(v) = get("SPOTDECK_API_BASE") {
            self.spotify.api_base = v;
        }
        if let Some(v) = get("SPOTDECK_ACCOUNTS_BASE") {
            self.spotify.accounts_base = v;
        }
        if let Some(v) = get("SPOTDECK_LOG") {
            self.log.level = v;
        }
        if let Some(v) = get("SPOTDECK_IMAGES") {
            self.ui.images = match v.as_str() {
                "auto" => ImageMode::Auto,
                "halfblocks" => ImageMode::Halfblocks,
                "off" => ImageMode::Off,
                other => {
                    return Err(ConfigError::Env {
                        var: "SPOTDECK_IMAGES".into(),
                        message: format!("`{other}` is not one of auto, halfblocks, off"),
                    });
                }
            };
        }
        if let Some(v) = get("SPOTDECK_AUTH_FLOW") {
            self.spotify.auth_flow = match v.as_str() {
                "pkce" => AuthFlow::Pkce,
                "authorization_code" => AuthFlow::AuthorizationCode,
                "implicit" => AuthFlow::Implicit,
                "client_credentials" => AuthFlow::ClientCredentials,
                other => {
                    return Err(ConfigError::Env {
                        var: "SPOTDECK_AUTH_FLOW".into(),
                        message: format!(
                            "`{other}` is not one of pkce, authorization_code, implicit, client_credentials"
                        ),
                    });
                }
            };
        }
        Ok(())
    }

    /// Renders the configuration as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// Byte offset of `entry` inside the `[keys]` table of `text`.
fn keys_entry_offset(text: &str, entry: &str) -> Option<usize> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let (_, keys) = doc.get_ref().iter().find(|(k, _)| k.get_ref() == "keys")?;
    let toml::de::DeValue::Table(table) = keys.get_ref() else {
        return None;
    };
    table
        .iter()
        .find(|(k, _)| k.get_ref() == entry)
        .map(|(k, _)| k.span().start)
}

fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    toml::from_str::<T>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_equals_defaults() {
        let text = include_str!("../config.example.toml");
        let cfg = Config::from_toml(text, Path::new("config.example.toml")).expect("parses");
        assert_eq!(cfg, Config::default());
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let text = "[ui]\nimages = \"off\"\ncolour = \"red\"\n";
        let err = Config::from_toml(text, Path::new("/tmp/c.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/tmp/c.toml:3:"), "{msg}");
        assert!(msg.contains("colour"), "{msg}");
    }

    fn checked(text: &str, path: &str) -> Result<Config, ConfigError> {
        let cfg = Config::from_toml(text, Path::new(path))?;
        cfg.check_keys(text, Path::new(path))?;
        Ok(cfg)
    }

    #[test]
    fn keys_errors_name_file_and_line() {
        let text = "[ui]\nmouse = true\n\n[keys]\nnext = \"l\"\nnxt = \"x\"\n";
        let msg = checked(text, "/tmp/c.toml").unwrap_err().to_string();
        assert!(msg.starts_with("/tmp/c.toml:6:1: "), "{msg}");
        assert!(msg.contains("`nxt` is not an intent"), "{msg}");

        let text = "[keys]\nplay_pause = \"space\"\nnext = \"q\"\n";
        let msg = checked(text, "c.toml").unwrap_err().to_string();
        assert!(msg.starts_with("c.toml:3:1: "), "{msg}");
        assert!(msg.contains("bound to both"), "{msg}");

        let text = "[keys]\nnext = \"ctrl-\"\n";
        let msg = checked(text, "c.toml").unwrap_err().to_string();
        assert!(msg.starts_with("c.toml:2:1: "), "{msg}");
    }

    #[test]
    fn load_reports_keys_errors_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[keys]\n\nquit = \"nope-key\"\n").unwrap();
        let dirs = Dirs {
            config: dir.path().into(),
            data: dir.path().into(),
            state: dir.path().into(),
        };
        let msg = Config::load(Some(&file), &dirs).unwrap_err().to_string();
        assert!(
            msg.starts_with(&format!("{}:3:1: ", file.display())),
            "{msg}"
        );
    }

    #[test]
    fn env_overrides_file() {
        let mut cfg = Config::default();
        cfg.apply_env(|k| match k {
            "SPOTDECK_API_BASE" => Some("http://127.0.0.1:9/v1".into()),
            "SPOTDECK_CLIENT_ID" => Some("abc".into()),
            "SPOTDECK_IMAGES" => Some("off".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(cfg.spotify.api_base, "http://127.0.0.1:9/v1");
        assert_eq!(cfg.spotify.client_id, "abc");
        assert_eq!(cfg.ui.images, ImageMode::Off);
    }

    #[test]
    fn bad_env_value_is_reported() {
        let mut cfg = Config::default();
        let err = cfg
            .apply_env(|k| (k == "SPOTDECK_IMAGES").then(|| "sixels".into()))
            .unwrap_err();
        assert!(err.to_string().contains("SPOTDECK_IMAGES"));
    }

    #[test]
    fn secret_is_not_in_debug() {
        let mut cfg = Config::default();
        cfg.spotify.client_secret = Some(Secret::new("topsecret"));
        assert!(!format!("{cfg:?}").contains("topsecret"));
    }
}
