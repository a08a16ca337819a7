//! The playlist browser screen. (Placeholder; filled in by the playlist work.)

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Clock;
use crate::app::state::AppState;

/// Draws the playlist browser into `area`.
pub fn render(_state: &AppState, _clock: Clock, frame: &mut Frame, area: Rect) {
    frame.render_widget(
        Paragraph::new("Playlists are loading…")
            .block(Block::default().borders(Borders::ALL).title(" Playlists ")),
        area,
    );
}
