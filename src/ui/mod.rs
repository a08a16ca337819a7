//! Rendering: a pure function of the application state and the clock.
//! Nothing here performs I/O or reads the time.

pub mod format;
pub mod layout;
pub mod library;
mod player;
pub(crate) mod popups;
pub mod theme;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::intent::Intent;
use crate::app::state::{AppState, Level, Screen};

/// The clock a frame is drawn at.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Monotonic time, for progress interpolation and countdowns.
    pub now: Instant,
    /// Wall-clock Unix seconds, for "5 min ago".
    pub unix_secs: i64,
}

impl Clock {
    /// The current time.
    pub fn system() -> Self {
        let unix_secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Self {
            now: Instant::now(),
            unix_secs,
        }
    }
}

/// Draws the whole screen.
pub fn render(state: &AppState, clock: Clock, frame: &mut Frame) {
    let area = frame.area();
    match state.screen {
        Screen::Player => player::render(state, clock, frame, area),
        Screen::Playlists => {
            render_header(state, frame, Rect { height: 1, ..area });
            library::render(state, clock, frame, layout::playlists_body(area));
            let status = Rect {
                y: area.y + area.height.saturating_sub(1),
                height: 1.min(area.height),
                ..area
            };
            render_status(state, clock, frame, status);
        }
    }
    popups::render(state, clock, frame, area);
}

pub(crate) fn render_header(state: &AppState, frame: &mut Frame, area: Rect) {
    let tab = |label: &str, key: String, on: bool| {
        let style = if on {
            theme::accent()
        } else {
            theme::secondary()
        };
        vec![
            Span::styled(format!(" {key}"), theme::key()),
            Span::styled(format!(" {label} "), style),
        ]
    };
    let mut spans = vec![Span::styled(" spotdeck ", theme::accent())];
    spans.extend(tab(
        "Player",
        state.keymap.first_key(Intent::ShowPlayer),
        state.screen == Screen::Player,
    ));
    spans.extend(tab(
        "Playlists",
        state.keymap.first_key(Intent::ShowPlaylists),
        state.screen == Screen::Playlists,
    ));
    spans.push(Span::styled(
        format!("  {} help", state.keymap.first_key(Intent::Help)),
        theme::secondary(),
    ));
    if let Some((_, name)) = &state.user {
        spans.push(Span::styled(format!("  · {name}"), theme::secondary()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(crate) fn render_status(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    if let Some(until) = state.rate_limited_until
        && until > clock.now
    {
        let secs = until.saturating_duration_since(clock.now).as_secs() + 1;
        spans.push(Span::styled(
            format!("⏳ rate limited by Spotify, retrying in {secs}s  "),
            theme::warning(),
        ));
    }
    if let Some(timer) = &state.sleep {
        let seen = crate::app::sleep::observe(state, clock.now);
        spans.push(Span::styled(
            format!("{}  ", timer.status(clock.now, &seen)),
            theme::accent(),
        ));
    }
    if state.library.is_loading() {
        spans.push(Span::styled(
            format!("{} loading  ", state.library.loading_text()),
            theme::secondary(),
        ));
    }
    match &state.status {
        Some(s) => {
            let style = match s.level {
                Level::Error => theme::error(),
                Level::Info => ratatui::style::Style::new(),
            };
            spans.push(Span::styled(s.text.clone(), style));
        }
        None => {
            let hint = |i: Intent| {
                vec![
                    Span::styled(state.keymap.first_key(i), theme::key()),
                    Span::styled(format!(" {}  ", i.describe()), theme::secondary()),
                ]
            };
            for i in [
                Intent::PlayPause,
                Intent::Next,
                Intent::Devices,
                Intent::VolumeUp,
                Intent::Help,
                Intent::Quit,
            ] {
                spans.extend(hint(i));
            }
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests;
