//! Colours and styles in one place.

use ratatui::style::{Color, Modifier, Style};

/// Border of a focused pane.
pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Green)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

/// Title text of a pane.
pub fn title(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// The selected row.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// Rows that cannot be played through the API (local files): greyed out.
pub fn disabled() -> Style {
    Style::new().fg(Color::DarkGray).add_modifier(Modifier::DIM)
}

/// Secondary text (artists, album, times).
pub fn secondary() -> Style {
    Style::new().fg(Color::Gray)
}

/// Accent (now playing, active device).
pub fn accent() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

/// Errors on the status line.
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// Warnings (rate limit countdown).
pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

/// Key names in hints.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
