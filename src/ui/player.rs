//! The player screen: now playing with cover art, queue, recently played, devices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use unicode_width::UnicodeWidthStr;

use super::format::{duration, parse_rfc3339, relative, truncate};
use super::theme::Theme;
use super::{Clock, layout, render_header, render_status};
use crate::app::state::{AppState, Focus};
use crate::domain::{Device, ItemKind, Repeat, Track};

pub(super) fn render(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let l = layout::player(area, state);
    render_header(state, frame, l.header);
    now_playing(state, clock, frame, &l);
    if let Some(r) = l.queue {
        queue(state, frame, r);
    }
    if let Some(r) = l.recent {
        recent(state, clock, frame, r);
    }
    if let Some(r) = l.devices {
        devices_pane(state, frame, r);
    }
    render_status(state, clock, frame, l.status);
}

fn pane(th: &Theme, title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(focused))
        .title(Span::styled(title, th.title(focused)))
}

fn now_playing(state: &AppState, clock: Clock, frame: &mut Frame, l: &layout::PlayerLayout) {
    let th = &state.theme;
    let device_name = state
        .playback
        .as_ref()
        .and_then(|p| p.device.as_ref())
        .map(|d| d.name.clone());
    // Playback shown before any answer is the one saved at the last exit.
    let cached = !state.playback_loaded && state.playback.is_some();
    let title = match (&device_name, cached) {
        (Some(d), false) => format!(" Now playing on {d} "),
        (None, false) => " Now playing ".to_string(),
        (Some(d), true) => format!(" Last played on {d} · cached "),
        (None, true) => " Last played · cached ".to_string(),
    };
    frame.render_widget(pane(th, title, false), l.now_playing);

    if let Some(art) = l.art {
        art_block(state, frame, art);
    }

    let info = l.info;
    let w = usize::from(info.width);
    let Some(pb) = &state.playback else {
        let text = if state.playback_loaded {
            vec![
                Line::from(Span::styled("Nothing is playing.", th.title(false))),
                Line::from(Span::styled(
                    format!(
                        "Press {} to pick a device, or {} to play.",
                        state.keymap.first_key(crate::app::intent::Intent::Devices),
                        state
                            .keymap
                            .first_key(crate::app::intent::Intent::PlayPause)
                    ),
                    th.secondary(),
                )),
            ]
        } else {
            vec![Line::from(Span::styled(
                "Connecting to Spotify…",
                th.secondary(),
            ))]
        };
        frame.render_widget(Paragraph::new(text), info);
        return;
    };
    // Rows above the progress bar; the bar's row comes from the layout (click to seek).
    let progress_row = usize::from(l.progress.y.saturating_sub(info.y));
    let mut lines: Vec<Line> = Vec::new();
    match &pb.item {
        Some(t) => {
            let kind = match t.kind {
                ItemKind::Episode => "🎙 ",
                ItemKind::Local => "local · ",
                ItemKind::Track => "",
            };
            let kind_w = UnicodeWidthStr::width(kind);
            if progress_row >= 2 {
                lines.push(Line::from(vec![
                    Span::styled(kind, th.secondary()),
                    Span::styled(truncate(&t.title, w.saturating_sub(kind_w)), th.title(true)),
                ]));
                lines.push(Line::from(Span::raw(truncate(&t.artist_line(), w))));
            } else {
                // One row above the bar: title and artist share it.
                let artists = t.artist_line();
                let room = w.saturating_sub(kind_w);
                let (title_w, artist_w) = split_room(
                    UnicodeWidthStr::width(t.title.as_str()),
                    UnicodeWidthStr::width(artists.as_str()) + 3,
                    room,
                );
                let mut spans = vec![
                    Span::styled(kind, th.secondary()),
                    Span::styled(truncate(&t.title, title_w), th.title(true)),
                ];
                if artist_w > 3 {
                    spans.push(Span::styled(
                        format!(" · {}", truncate(&artists, artist_w - 3)),
                        th.secondary(),
                    ));
                }
                lines.push(Line::from(spans));
            }
            if info.height >= 5 {
                lines.push(Line::from(Span::styled(
                    truncate(&t.album, w),
                    th.secondary(),
                )));
            }
            if info.height >= 6 {
                let ctx = pb
                    .context_uri
                    .as_deref()
                    .map(|c| context_label(state, c))
                    .unwrap_or_default();
                lines.push(Line::from(Span::styled(truncate(&ctx, w), th.secondary())));
            }
        }
        None => lines.push(Line::from(Span::styled(
            "(no item information)",
            th.secondary(),
        ))),
    }
    // Pad so the progress bar lands on its row.
    while lines.len() < progress_row {
        lines.push(Line::default());
    }
    lines.truncate(progress_row);
    let pos = pb.progress_at(clock.now);
    let dur = pb.item.as_ref().map_or(0, |t| t.duration_ms);
    lines.push(progress_line(th, pos, dur, w));
    lines.push(flags_line(th, pb, w));
    frame.render_widget(Paragraph::new(lines), info);
}

/// Splits `room` columns between a first text of width `a` and a second of
/// width `b`: each gets what it needs when both fit, else the first keeps at
/// least half (more when the second is short).
pub(super) fn split_room(a: usize, b: usize, room: usize) -> (usize, usize) {
    if a + b <= room {
        return (a, b);
    }
    let first = a.min(room.saturating_sub(b.min(room / 2)));
    (first, room - first)
}

fn context_label(state: &AppState, uri: &str) -> String {
    let id = uri.rsplit(':').next().unwrap_or_default();
    let fetched = state
        .context_name
        .as_ref()
        .filter(|(u, name)| u == uri && !name.is_empty())
        .map(|(_, name)| name.clone());
    if let Some(name) = state.library.playlist_name(id).or(fetched) {
        return format!("from playlist “{name}”");
    }
    let kind = uri.split(':').nth(1).unwrap_or("context");
    format!("from {kind}")
}

/// `1:05 ━━━━──── 3:35` in `width` columns.
pub(super) fn progress_line(th: &Theme, pos: u64, dur: u64, width: usize) -> Line<'static> {
    let left = duration(pos);
    let right = duration(dur);
    let (_, bar_w) = crate::app::geometry::progress_bar(width, pos, dur);
    let filled = if dur > 0 {
        ((pos as f64 / dur as f64) * bar_w as f64).round() as usize
    } else {
        0
    }
    .min(bar_w);
    Line::from(vec![
        Span::raw(format!("{left} ")),
        Span::styled("━".repeat(filled), th.progress()),
        Span::styled("─".repeat(bar_w - filled), th.progress_empty()),
        Span::raw(format!(" {right}")),
    ])
}

fn flags_line(th: &Theme, pb: &crate::domain::Playback, width: usize) -> Line<'static> {
    let play = if pb.is_playing {
        "▶ playing"
    } else {
        "⏸ paused"
    };
    let shuffle = if pb.shuffle {
        "shuffle on"
    } else {
        "shuffle off"
    };
    let repeat = match pb.repeat {
        Repeat::Off => "repeat off",
        Repeat::Context => "repeat all",
        Repeat::Track => "repeat one",
    };
    let vol = pb
        .device
        .as_ref()
        .and_then(|d| d.volume)
        .map_or("vol –".to_string(), |v| match v {
            0 => "muted, vol 0%".to_string(),
            v => format!("vol {v}%"),
        });
    let on = |b: bool| {
        if b { th.accent() } else { th.secondary() }
    };
    let text = vec![
        Span::styled(
            play,
            if pb.is_playing {
                th.accent()
            } else {
                Style::new()
            },
        ),
        Span::raw("  "),
        Span::styled(shuffle, on(pb.shuffle)),
        Span::raw("  "),
        Span::styled(repeat, on(pb.repeat != Repeat::Off)),
        Span::raw("  "),
        Span::raw(vol.clone()),
    ];
    let line = Line::from(text);
    if line.width() > width {
        Line::from(Span::raw(truncate(&format!("{play} · {vol}"), width)))
    } else {
        line
    }
}

fn art_block(state: &AppState, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    if let Some(enc) = &state.art.encoded
        && state.art.wanted.as_deref() == Some(enc.url.as_str())
    {
        frame.render_widget(ratatui_image::Image::new(&enc.protocol), area);
        return;
    }
    // Placeholder: a framed note, while loading or when there is no art.
    let text = match (&state.art.wanted, &state.art.failed) {
        (Some(w), Some((f, _))) if w == f => "no cover",
        (Some(_), _) => "loading…",
        (None, _) => match state.now_playing().map(|t| t.kind) {
            Some(ItemKind::Local) => "local file",
            Some(_) => "no cover",
            None => "♪",
        },
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.secondary());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let y = inner.y + inner.height / 2;
    let line = Rect {
        y,
        height: 1.min(inner.height),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(Span::styled(text, th.secondary()))
            .alignment(ratatui::layout::Alignment::Center),
        line,
    );
}

fn track_item(
    th: &Theme,
    t: &Track,
    width: usize,
    prefix: Option<String>,
    extra: Option<String>,
) -> ListItem<'static> {
    let style = if t.can_play() {
        Style::new()
    } else {
        th.disabled()
    };
    let mut spans = Vec::new();
    if let Some(p) = prefix {
        spans.push(Span::styled(p, th.secondary()));
    }
    spans.push(Span::styled(truncate(&t.title, width / 2), style));
    spans.push(Span::styled(
        format!(
            " · {}",
            truncate(
                &t.artist_line(),
                width.saturating_sub(t.title.len().min(width / 2) + 3)
            )
        ),
        if t.can_play() {
            th.secondary()
        } else {
            th.disabled()
        },
    ));
    if let Some(e) = extra {
        spans.push(Span::styled(format!("  {e}"), th.secondary()));
    }
    ListItem::new(Line::from(spans))
}

fn list_state(selected: usize, offset: usize, focused: bool, len: usize) -> ListState {
    let mut s = ListState::default().with_offset(offset);
    if focused && len > 0 {
        s.select(Some(selected));
    }
    s
}

fn queue(state: &AppState, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let focused = state.focus == Focus::Queue;
    let w = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = if state.queue.is_empty() {
        vec![ListItem::new(Span::styled(
            "The queue is empty.",
            th.secondary(),
        ))]
    } else {
        state
            .queue
            .iter()
            .enumerate()
            .map(|(i, t)| {
                track_item(
                    th,
                    t,
                    w.saturating_sub(4),
                    Some(format!("{:>2} ", i + 1)),
                    None,
                )
            })
            .collect()
    };
    let list = List::new(items)
        .block(pane(
            th,
            format!(" Up next ({}) ", state.queue.len()),
            focused,
        ))
        .highlight_style(th.selected());
    let mut ls = list_state(
        state.queue_cursor.selected,
        state.queue_cursor.offset,
        focused,
        state.queue.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}

fn recent(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let focused = state.focus == Focus::Recent;
    let w = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = if state.recent.is_empty() {
        vec![ListItem::new(Span::styled(
            "Nothing played recently.",
            th.secondary(),
        ))]
    } else {
        state
            .recent
            .iter()
            .map(|r| {
                let when = parse_rfc3339(&r.played_at)
                    .map_or(String::new(), |t| relative(t, clock.unix_secs));
                track_item(
                    th,
                    &r.track,
                    w.saturating_sub(when.len() + 2),
                    None,
                    Some(when),
                )
            })
            .collect()
    };
    let list = List::new(items)
        .block(pane(th, " Recently played ".into(), focused))
        .highlight_style(th.selected());
    let mut ls = list_state(
        state.recent_cursor.selected,
        state.recent_cursor.offset,
        focused,
        state.recent.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}

/// What of a device row fits in the width: the name's columns and which
/// of the other fields are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DeviceFit {
    name: usize,
    kind: bool,
    volume: bool,
    note: bool,
}

const GAP: usize = 2;
const MARKER_W: usize = 2;
const NAME_MIN: usize = 10;

fn device_note(d: &Device) -> &'static str {
    match (d.is_restricted, d.id.is_none()) {
        (true, _) => "restricted",
        (false, true) => "no id",
        (false, false) => "",
    }
}

fn volume_text(d: &Device) -> String {
    d.volume.map_or(String::new(), |v| format!("{v}%"))
}

impl DeviceFit {
    /// Fits one device into `width` columns: the name shrinks first (to 10
    /// columns, with an ellipsis), then the volume is dropped, then the
    /// type, then the note, then the name shrinks further. Nothing is cut
    /// silently.
    pub(super) fn new(d: &Device, width: usize) -> Self {
        let avail = width.saturating_sub(MARKER_W);
        let natural = UnicodeWidthStr::width(d.name.as_str());
        let kind_w = UnicodeWidthStr::width(d.kind.as_str());
        let vol_w = volume_text(d).len();
        let note_w = device_note(d).len();
        let mut f = Self {
            name: natural,
            kind: kind_w > 0,
            volume: vol_w > 0,
            note: note_w > 0,
        };
        // The volume and note sit at the right edge, so one space sets them apart.
        let others = |f: &Self| {
            let col = |on: bool, gap: usize, w: usize| if on { gap + w } else { 0 };
            col(f.kind, GAP, kind_w) + col(f.volume, 1, vol_w) + col(f.note, 1, note_w)
        };
        let over = |f: &Self| (f.name + others(f)).saturating_sub(avail);
        f.name -= over(&f).min(natural.saturating_sub(NAME_MIN));
        for drop in [
            |f: &mut Self| f.volume = false,
            |f: &mut Self| f.kind = false,
            |f: &mut Self| f.note = false,
        ] {
            if over(&f) > 0 {
                drop(&mut f);
            }
        }
        // What is left goes back to the name.
        f.name = natural.min(avail.saturating_sub(others(&f)));
        f
    }
}

/// One device as a list row fitted to `width` columns (see [`DeviceFit`]),
/// the volume and note at the right edge.
pub(super) fn device_item(th: &Theme, d: &Device, width: usize) -> ListItem<'static> {
    let f = DeviceFit::new(d, width);
    let marker = if d.is_active { "● " } else { "  " };
    let name = truncate(&d.name, f.name);
    let mut left = vec![
        Span::styled(marker, th.accent()),
        Span::styled(
            name,
            if d.is_active {
                th.accent()
            } else {
                Style::new()
            },
        ),
    ];
    if f.kind {
        left.push(Span::styled(format!("  {}", d.kind), th.secondary()));
    }
    let mut right = Vec::new();
    if f.volume {
        right.push(Span::styled(format!(" {}", volume_text(d)), th.secondary()));
    }
    let note = device_note(d);
    if f.note {
        right.push(Span::styled(format!(" {note}"), th.warning()));
    }
    let used: usize = left.iter().chain(&right).map(Span::width).sum();
    left.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    left.extend(right);
    let item = ListItem::new(Line::from(left));
    if note.is_empty() {
        item
    } else {
        item.style(Style::new().add_modifier(Modifier::DIM))
    }
}

fn devices_pane(state: &AppState, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let focused = state.focus == Focus::Devices;
    let items: Vec<ListItem> = if state.devices.is_empty() {
        vec![ListItem::new(Span::styled(
            "No devices. Open Spotify somewhere.",
            th.secondary(),
        ))]
    } else {
        let width = usize::from(area.width.saturating_sub(2));
        state
            .devices
            .iter()
            .map(|d| device_item(th, d, width))
            .collect()
    };
    let list = List::new(items)
        .block(pane(th, " Devices ".into(), focused))
        .highlight_style(th.selected());
    let mut ls = list_state(
        state.device_cursor.selected,
        state.device_cursor.offset,
        focused,
        state.devices.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}
