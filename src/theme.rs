//! Colours and styles in one place: a [`Theme`] built from the `[theme]`
//! config table (a built-in theme or a theme file, then single colours over
//! it). Rendering reads it from the state; nothing here is global.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};

use crate::config::{ConfigError, ThemeConfig};

/// The built-in dark theme (the default), as shipped in `assets/themes/dark.toml`.
pub const DARK: &str = include_str!("../assets/themes/dark.toml");
/// The built-in light theme, as shipped in `assets/themes/light.toml`.
pub const LIGHT: &str = include_str!("../assets/themes/light.toml");

/// How errors name the config's own table.
const CONFIG_TABLE: &str = "config [theme]";

/// Resolved colours; `None` draws in the terminal's default colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Now playing, the active device, the filled progress bar's default.
    pub accent: Option<Color>,
    /// Background of the selected row; `None` reverses the row instead.
    pub selection: Option<Color>,
    /// Border of an unfocused pane.
    pub border: Option<Color>,
    /// Border and title of the focused pane.
    pub border_focused: Option<Color>,
    /// Rows that cannot be played (local files).
    pub dimmed: Option<Color>,
    /// Secondary text: artists, albums, times, hints.
    pub secondary: Option<Color>,
    /// Key names in hints.
    pub key: Option<Color>,
    /// Information on the status line.
    pub info: Option<Color>,
    /// Warnings (rate limit countdown, restricted devices).
    pub warning: Option<Color>,
    /// Errors on the status line.
    pub error: Option<Color>,
    /// The elapsed part of the progress bar.
    pub progress: Option<Color>,
    /// The remaining part of the progress bar.
    pub progress_empty: Option<Color>,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            accent: Some(Color::Green),
            selection: None,
            border: Some(Color::DarkGray),
            border_focused: Some(Color::Green),
            dimmed: Some(Color::DarkGray),
            secondary: Some(Color::Gray),
            key: Some(Color::Cyan),
            info: None,
            warning: Some(Color::Yellow),
            error: Some(Color::Red),
            progress: Some(Color::Green),
            progress_empty: Some(Color::Gray),
        }
    }
}

fn fg(c: Option<Color>) -> Style {
    c.map_or(Style::new(), |c| Style::new().fg(c))
}

impl Theme {
    /// No colours at all (for `NO_COLOR`); bold, dim and reverse stay.
    pub fn plain() -> Self {
        Self {
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

    /// The theme the config asks for; `no_color` (the `NO_COLOR` convention)
    /// drops every colour. Errors name the theme file and the key.
    pub fn load(cfg: &ThemeConfig, no_color: bool) -> Result<Self, ConfigError> {
        if no_color {
            return Ok(Self::plain());
        }
        let (text, path) = match cfg.name.as_str() {
            "" | "dark" => (DARK.to_string(), PathBuf::from("assets/themes/dark.toml")),
            "light" => (LIGHT.to_string(), PathBuf::from("assets/themes/light.toml")),
            file => {
                let path = expand_home(file);
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Theme {
                    source_name: PathBuf::from(CONFIG_TABLE),
                    key: "name".into(),
                    message: format!("cannot read the theme file {}: {e}", path.display()),
                })?;
                (text, path)
            }
        };
        let base = ThemeConfig::from_file(&text, &path)?;
        let mut theme = Self::plain();
        theme.apply(&base, &path)?;
        theme.apply(cfg, Path::new(CONFIG_TABLE))?;
        Ok(theme)
    }

    /// Sets every colour `cfg` names.
    fn apply(&mut self, cfg: &ThemeConfig, source: &Path) -> Result<(), ConfigError> {
        let slots: [(&str, &Option<String>, &mut Option<Color>); 12] = [
            ("accent", &cfg.accent, &mut self.accent),
            ("selection", &cfg.selection, &mut self.selection),
            ("border", &cfg.border, &mut self.border),
            (
                "border_focused",
                &cfg.border_focused,
                &mut self.border_focused,
            ),
            ("dimmed", &cfg.dimmed, &mut self.dimmed),
            ("secondary", &cfg.secondary, &mut self.secondary),
            ("key", &cfg.key, &mut self.key),
            ("info", &cfg.info, &mut self.info),
            ("warning", &cfg.warning, &mut self.warning),
            ("error", &cfg.error, &mut self.error),
            ("progress", &cfg.progress, &mut self.progress),
            (
                "progress_empty",
                &cfg.progress_empty,
                &mut self.progress_empty,
            ),
        ];
        for (key, value, slot) in slots {
            if let Some(v) = value {
                *slot = parse_color(v).map_err(|message| ConfigError::Theme {
                    source_name: source.to_path_buf(),
                    key: key.into(),
                    message,
                })?;
            }
        }
        Ok(())
    }

    /// Border of a pane.
    pub fn border(&self, focused: bool) -> Style {
        fg(if focused {
            self.border_focused
        } else {
            self.border
        })
    }

    /// Title text of a pane.
    pub fn title(&self, focused: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        match (focused, self.border_focused) {
            (true, Some(c)) => s.fg(c),
            _ => s,
        }
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        match self.selection {
            Some(c) => Style::new().bg(c),
            None => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    /// Rows that cannot be played through the API (local files): greyed out.
    pub fn disabled(&self) -> Style {
        fg(self.dimmed).add_modifier(Modifier::DIM)
    }

    /// Secondary text (artists, album, times).
    pub fn secondary(&self) -> Style {
        fg(self.secondary)
    }

    /// Accent (now playing, active device).
    pub fn accent(&self) -> Style {
        fg(self.accent).add_modifier(Modifier::BOLD)
    }

    /// Information on the status line.
    pub fn info(&self) -> Style {
        fg(self.info)
    }

    /// Errors on the status line.
    pub fn error(&self) -> Style {
        fg(self.error).add_modifier(Modifier::BOLD)
    }

    /// Warnings (rate limit countdown).
    pub fn warning(&self) -> Style {
        fg(self.warning)
    }

    /// Key names in hints.
    pub fn key(&self) -> Style {
        fg(self.key).add_modifier(Modifier::BOLD)
    }

    /// The elapsed part of a progress bar.
    pub fn progress(&self) -> Style {
        fg(self.progress.or(self.accent))
    }

    /// The remaining part of a progress bar.
    pub fn progress_empty(&self) -> Style {
        fg(self.progress_empty.or(self.secondary))
    }
}

/// A colour name (`green`, `dark_gray`, `light blue`), `#rrggbb`, a
/// 256-colour index, or `none` for the terminal's default.
pub fn parse_color(text: &str) -> Result<Option<Color>, String> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("default") {
        return Ok(None);
    }
    t.parse::<Color>().map(Some).map_err(|_| {
        format!(
            "`{text}` is not a colour: use a name such as \"green\" or \"dark_gray\", \"#rrggbb\", a number 0–255, or \"none\""
        )
    })
}

/// True when the environment asks for no colours (`NO_COLOR` set and not
/// empty, see no-color.org). Read once at start-up, never while drawing.
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> ThemeConfig {
        ThemeConfig::from_file(text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn dark_is_the_default_and_matches_its_file() {
        assert_eq!(
            Theme::load(&ThemeConfig::default(), false).unwrap(),
            Theme::default()
        );
    }

    #[test]
    fn light_differs_and_overrides_apply_on_top() {
        let light = Theme::load(&cfg("name = \"light\""), false).unwrap();
        assert_ne!(light, Theme::default());
        let t = Theme::load(
            &cfg("name = \"light\"\naccent = \"#ff8800\"\nselection = \"none\""),
            false,
        )
        .unwrap();
        assert_eq!(t.accent, Some(Color::Rgb(0xff, 0x88, 0)));
        assert_eq!(t.selection, None);
        assert_eq!(t.border, light.border);
    }

    #[test]
    fn a_theme_file_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(&path, "accent = \"magenta\"\nkey = \"33\"\n").unwrap();
        let t = Theme::load(&cfg(&format!("name = {:?}", path.display())), false).unwrap();
        assert_eq!(t.accent, Some(Color::Magenta));
        assert_eq!(t.key, Some(Color::Indexed(33)));
        // Not named in the file: the terminal's default.
        assert_eq!(t.error, None);
    }

    #[test]
    fn errors_name_the_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "accent = \"chartreuse-ish\"\n").unwrap();
        let err = Theme::load(&cfg(&format!("name = {:?}", path.display())), false).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad.toml") && msg.contains("accent"), "{msg}");

        std::fs::write(&path, "acent = \"red\"\n").unwrap();
        let err = Theme::load(&cfg(&format!("name = {:?}", path.display())), false).unwrap_err();
        assert!(err.to_string().contains("acent"), "{err}");

        let missing = Theme::load(&cfg("name = \"/nonexistent/theme.toml\""), false).unwrap_err();
        let msg = missing.to_string();
        assert!(msg.contains("theme file /nonexistent/theme.toml"), "{msg}");
    }

    #[test]
    fn no_color_drops_colours_but_keeps_modifiers() {
        let t = Theme::load(&cfg("name = \"light\""), true).unwrap();
        assert_eq!(t, Theme::plain());
        assert_eq!(t.accent().fg, None);
        assert!(t.accent().add_modifier.contains(Modifier::BOLD));
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        assert!(t.disabled().add_modifier.contains(Modifier::DIM));
    }
}
