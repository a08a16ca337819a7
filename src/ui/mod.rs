//! Rendering: a pure function of the application state and the clock.
//! Nothing here performs I/O or reads the time.

pub mod find;
pub mod format;
pub mod layout;
pub mod library;
mod now_bar;
mod player;
pub(crate) mod popups;
pub mod svg;
pub use crate::theme;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

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
            now_bar::render(state, clock, frame, layout::playlists_now_bar(area));
            let status = Rect {
                y: area.y + area.height.saturating_sub(1),
                height: 1.min(area.height),
                ..area
            };
            render_status(state, clock, frame, status);
        }
        Screen::Search | Screen::Library => {
            render_header(state, frame, Rect { height: 1, ..area });
            find::render(state, frame, layout::playlists_body(area));
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
    let th = &state.theme;
    let tab = |label: &str, key: String, on: bool| {
        let style = if on { th.accent() } else { th.secondary() };
        vec![
            Span::styled(format!(" {key}"), th.key()),
            Span::styled(format!(" {label} "), style),
        ]
    };
    // Narrow terminals drop the name and shorten "Playlists", never cutting a tab.
    let narrow = area.width < 64;
    let mut spans = if narrow {
        Vec::new()
    } else {
        vec![Span::styled(" spotdeck ", th.accent())]
    };
    let tabs = [
        ("Player", Intent::ShowPlayer, Screen::Player),
        (
            if narrow { "Lists" } else { "Playlists" },
            Intent::ShowPlaylists,
            Screen::Playlists,
        ),
        ("Search", Intent::ShowSearch, Screen::Search),
        ("Library", Intent::ShowLibrary, Screen::Library),
    ];
    for (label, intent, screen) in tabs {
        spans.extend(tab(
            label,
            state.keymap.first_key(intent),
            state.screen == screen,
        ));
    }
    let help = format!("  {} help", state.keymap.first_key(Intent::Help));
    let used: usize = spans.iter().map(Span::width).sum();
    if used + help.chars().count() <= usize::from(area.width) {
        spans.push(Span::styled(help, th.secondary()));
    }
    if let Some((_, name)) = &state.user {
        let used: usize = spans.iter().map(Span::width).sum();
        let room = usize::from(area.width).saturating_sub(used + 4);
        if room >= 4 {
            spans.push(Span::styled(
                format!(
                    "  · {}",
                    format::truncate(&crate::text::clean_line(name), room)
                ),
                th.secondary(),
            ));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Key hints `key what  key what`, as many whole hints as fit in `width`.
pub(crate) fn hints(
    state: &AppState,
    items: &[(Intent, &str)],
    width: usize,
) -> Vec<Span<'static>> {
    let th = &state.theme;
    let mut spans = Vec::new();
    let mut used = 0;
    for &(i, label) in items {
        let key = state.keymap.first_key(i);
        let label = format!(" {label}  ");
        let w = key.chars().count() + label.chars().count();
        if used + w > width + 2 {
            break;
        }
        used += w;
        spans.push(Span::styled(key, th.key()));
        spans.push(Span::styled(label, th.secondary()));
    }
    spans
}

/// The status-line marker while polls do not get through: what is wrong,
/// when the next try is, and that the screen shows the last known state.
fn link_text(
    state: &AppState,
    why: &crate::spotify::error::ApiError,
    now: std::time::Instant,
) -> String {
    if why.is_unreachable() {
        let left = state.poll_plan.playback_at.saturating_duration_since(now)
            + std::time::Duration::from_millis(999);
        format!(
            "⚠ offline — retrying in {}, showing last known  ",
            crate::spotify::error::wait_text(left)
        )
    } else {
        "⚠ login not valid — run `spotdeck login`, showing last known  ".into()
    }
}

pub(crate) fn render_status(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let mut spans = Vec::new();
    if let Some(until) = state.rate_limited_until
        && until > clock.now
    {
        let left = until.saturating_duration_since(clock.now) + std::time::Duration::from_secs(1);
        spans.push(Span::styled(
            format!(
                "⏳ rate limited by Spotify, retrying in {}  ",
                crate::spotify::error::wait_text(left)
            ),
            th.warning(),
        ));
    }
    if let Some(why) = &state.link_problem {
        spans.push(Span::styled(link_text(state, why, clock.now), th.warning()));
    }
    if state.library.is_loading() {
        spans.push(Span::styled(
            format!("{} loading  ", state.library.loading_text()),
            th.secondary(),
        ));
    }
    let width = usize::from(area.width);
    match &state.status {
        Some(s) => {
            let style = match s.level {
                Level::Error => th.error(),
                Level::Info => th.info(),
                Level::Progress => th.secondary(),
            };
            let used: usize = spans.iter().map(Span::width).sum();
            let (first, second) = format::wrap2(&s.text, width.saturating_sub(used), width);
            spans.push(Span::styled(first, style));
            if let Some(second) = second
                && area.y > 0
            {
                // A long message takes the row above too, so it stays readable.
                let two = Rect {
                    y: area.y - 1,
                    height: 2,
                    ..area
                };
                frame.render_widget(Clear, two);
                let lines = vec![Line::from(spans), Line::from(Span::styled(second, style))];
                frame.render_widget(Paragraph::new(lines), two);
                return;
            }
        }
        None => {
            let used: usize = spans.iter().map(Span::width).sum();
            let items = [
                (Intent::PlayPause, "play/pause"),
                (Intent::Next, "next"),
                (Intent::Devices, "devices"),
                (Intent::VolumeUp, "volume"),
                (Intent::Help, "all keys"),
                (Intent::Quit, "quit"),
            ];
            spans.extend(hints(state, &items, width.saturating_sub(used)));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests;
