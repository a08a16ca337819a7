//! The now-playing bar shown on screens other than the player: play state,
//! title, artist, device and progress in one or two lines.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::format::{duration, truncate};
use super::player::{progress_line, split_room};
use super::theme::Theme;
use super::{Clock, hints};
use crate::app::geometry;
use crate::app::intent::Intent;
use crate::app::state::AppState;
use crate::domain::Playback;

/// Draws the bar into `area` (one or two rows; nothing when empty).
pub(super) fn render(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let th = &state.theme;
    let w = usize::from(area.width);
    let lines = match &state.playback {
        Some(pb) if area.height >= 2 => vec![title_line(th, pb, w)],
        Some(pb) => vec![one_line(th, pb, clock, w)],
        None => {
            let text = if state.playback_loaded {
                "Nothing is playing. "
            } else {
                "Connecting to Spotify… "
            };
            let mut spans = vec![Span::styled(format!(" {text}"), th.secondary())];
            if state.playback_loaded {
                let room = w.saturating_sub(text.len() + 1);
                spans.extend(hints(
                    state,
                    &[
                        (Intent::Devices, "pick a device"),
                        (Intent::PlayPause, "play"),
                    ],
                    room,
                ));
            }
            vec![Line::from(spans)]
        }
    };
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(pb) = state.playback.as_ref() {
        // Where the mouse seeks (see `geometry::now_bar_progress`).
        let bar = geometry::now_bar_progress(area);
        let dur = pb.item.as_ref().map_or(0, |t| t.duration_ms);
        let line = progress_line(th, pb.progress_at(clock.now), dur, usize::from(bar.width));
        frame.render_widget(Paragraph::new(line), bar);
    }
}

fn play_mark(pb: &Playback) -> &'static str {
    if pb.is_playing { "▶" } else { "⏸" }
}

/// `▶ Title · Artist` fitted to `room` columns, title kept longest.
fn title_spans(th: &Theme, pb: &Playback, room: usize) -> Vec<Span<'static>> {
    let Some(t) = &pb.item else {
        return vec![Span::styled(
            truncate("(no item information)", room),
            th.secondary(),
        )];
    };
    let artists = t.artist_line();
    let (title_w, artist_w) = split_room(
        UnicodeWidthStr::width(t.title.as_str()),
        UnicodeWidthStr::width(artists.as_str()) + 3,
        room,
    );
    let mut spans = vec![Span::styled(truncate(&t.title, title_w), th.title(true))];
    if artist_w > 3 {
        spans.push(Span::styled(
            format!(" · {}", truncate(&artists, artist_w - 3)),
            th.secondary(),
        ));
    }
    spans
}

fn device_text(pb: &Playback) -> Option<String> {
    pb.device.as_ref().map(|d| format!("on {}", d.name))
}

/// Row 1 of two: `▶ Title · Artist … on Device` (row 2 is the progress line).
fn title_line(th: &Theme, pb: &Playback, w: usize) -> Line<'static> {
    let mark = format!(" {} ", play_mark(pb));
    let device = device_text(pb).unwrap_or_default();
    let dev_w = UnicodeWidthStr::width(device.as_str());
    let room = w.saturating_sub(mark.chars().count() + 1);
    // The device yields to the title when both do not fit.
    let (dev_shown, room) = if dev_w > 0 && room >= dev_w + 2 + 20 {
        (device, room - dev_w - 2)
    } else {
        (String::new(), room)
    };
    let mut spans = vec![Span::styled(mark, th.accent())];
    spans.extend(title_spans(th, pb, room));
    if !dev_shown.is_empty() {
        let used: usize = spans.iter().map(Span::width).sum();
        let pad = w.saturating_sub(used + dev_w + 1);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(dev_shown, th.secondary()));
    }
    Line::from(spans)
}

/// `▶ Title · Artist  1:05/3:35  on Device`, dropping the device, then the
/// times, when the title needs the room.
fn one_line(th: &Theme, pb: &Playback, clock: Clock, w: usize) -> Line<'static> {
    let mark = format!(" {} ", play_mark(pb));
    let dur = pb.item.as_ref().map_or(0, |t| t.duration_ms);
    let times = format!(
        "  {}/{}",
        duration(pb.progress_at(clock.now)),
        duration(dur)
    );
    let device = device_text(pb).map(|d| format!("  {d}"));
    let mut room = w.saturating_sub(mark.chars().count() + 1);
    // The title comes first: the times need it whole (up to 16 columns),
    // the device needs it whole with some of the artist.
    let (title_w, artist_w) = pb.item.as_ref().map_or((0, 0), |t| {
        (
            UnicodeWidthStr::width(t.title.as_str()),
            UnicodeWidthStr::width(t.artist_line().as_str()) + 3,
        )
    });
    let mut tail = Vec::new();
    if room >= times.len() + title_w.min(16) {
        room -= times.len();
        tail.push(Span::raw(times));
        if let Some(d) = device {
            let dw = UnicodeWidthStr::width(d.as_str());
            if room >= dw + title_w + artist_w.min(12) {
                room -= dw;
                tail.push(Span::styled(d, th.secondary()));
            }
        }
    }
    let mut spans = vec![Span::styled(mark, th.accent())];
    spans.extend(title_spans(th, pb, room));
    spans.extend(tail);
    Line::from(spans)
}
