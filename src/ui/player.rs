//! The player screen: now playing with cover art, queue, recently played, devices.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::format::{duration, parse_rfc3339, relative, truncate};
use super::{Clock, layout, render_header, render_status, theme};
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

fn pane(title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title(focused)))
}

fn now_playing(state: &AppState, clock: Clock, frame: &mut Frame, l: &layout::PlayerLayout) {
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
    frame.render_widget(pane(title, false), l.now_playing);

    if let Some(art) = l.art {
        art_block(state, frame, art);
    }

    let info = l.info;
    let w = usize::from(info.width);
    let Some(pb) = &state.playback else {
        let text = if state.playback_loaded {
            vec![
                Line::from(Span::styled("Nothing is playing.", theme::title(false))),
                Line::from(Span::styled(
                    format!(
                        "Press {} to pick a device, or {} to play.",
                        state.keymap.first_key(crate::app::intent::Intent::Devices),
                        state
                            .keymap
                            .first_key(crate::app::intent::Intent::PlayPause)
                    ),
                    theme::secondary(),
                )),
            ]
        } else {
            vec![Line::from(Span::styled(
                "Connecting to Spotify…",
                theme::secondary(),
            ))]
        };
        frame.render_widget(Paragraph::new(text), info);
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    match &pb.item {
        Some(t) => {
            let kind = match t.kind {
                ItemKind::Episode => "🎙 ",
                ItemKind::Local => "local · ",
                ItemKind::Track => "",
            };
            lines.push(Line::from(vec![
                Span::styled(kind, theme::secondary()),
                Span::styled(truncate(&t.title, w.saturating_sub(4)), theme::title(true)),
            ]));
            lines.push(Line::from(Span::raw(truncate(&t.artist_line(), w))));
            if info.height >= 5 {
                lines.push(Line::from(Span::styled(
                    truncate(&t.album, w),
                    theme::secondary(),
                )));
            }
            if info.height >= 6 {
                let ctx = pb
                    .context_uri
                    .as_deref()
                    .map(|c| context_label(state, c))
                    .unwrap_or_default();
                lines.push(Line::from(Span::styled(
                    truncate(&ctx, w),
                    theme::secondary(),
                )));
            }
        }
        None => lines.push(Line::from(Span::styled(
            "(no item information)",
            theme::secondary(),
        ))),
    }
    // Pad so the progress bar lands on its row.
    let progress_row = usize::from(l.progress.y.saturating_sub(info.y));
    while lines.len() < progress_row {
        lines.push(Line::default());
    }
    lines.truncate(progress_row);
    lines.push(progress_line(pb, clock, w));
    lines.push(flags_line(pb, w));
    frame.render_widget(Paragraph::new(lines), info);
}

fn context_label(state: &AppState, uri: &str) -> String {
    let id = uri.rsplit(':').next().unwrap_or_default();
    if let Some(name) = state.library.playlist_name(id) {
        return format!("from playlist “{name}”");
    }
    let kind = uri.split(':').nth(1).unwrap_or("context");
    format!("from {kind}")
}

fn progress_line(pb: &crate::domain::Playback, clock: Clock, width: usize) -> Line<'static> {
    let pos = pb.progress_at(clock.now);
    let dur = pb.item.as_ref().map_or(0, |t| t.duration_ms);
    let left = duration(pos);
    let right = duration(dur);
    let bar_w = width.saturating_sub(left.len() + right.len() + 2);
    let filled = if dur > 0 {
        ((pos as f64 / dur as f64) * bar_w as f64).round() as usize
    } else {
        0
    }
    .min(bar_w);
    Line::from(vec![
        Span::raw(format!("{left} ")),
        Span::styled("━".repeat(filled), theme::accent()),
        Span::styled("─".repeat(bar_w - filled), theme::secondary()),
        Span::raw(format!(" {right}")),
    ])
}

fn flags_line(pb: &crate::domain::Playback, width: usize) -> Line<'static> {
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
        .map_or("vol –".to_string(), |v| format!("vol {v}%"));
    let on = |b: bool| {
        if b {
            theme::accent()
        } else {
            theme::secondary()
        }
    };
    let text = vec![
        Span::styled(
            play,
            if pb.is_playing {
                theme::accent()
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
        .border_style(theme::secondary());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let y = inner.y + inner.height / 2;
    let line = Rect {
        y,
        height: 1.min(inner.height),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(Span::styled(text, theme::secondary()))
            .alignment(ratatui::layout::Alignment::Center),
        line,
    );
}

fn track_item(
    t: &Track,
    width: usize,
    prefix: Option<String>,
    extra: Option<String>,
) -> ListItem<'static> {
    let style = if t.can_play() {
        Style::new()
    } else {
        theme::disabled()
    };
    let mut spans = Vec::new();
    if let Some(p) = prefix {
        spans.push(Span::styled(p, theme::secondary()));
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
            theme::secondary()
        } else {
            theme::disabled()
        },
    ));
    if let Some(e) = extra {
        spans.push(Span::styled(format!("  {e}"), theme::secondary()));
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
    let focused = state.focus == Focus::Queue;
    let w = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = if state.queue.is_empty() {
        vec![ListItem::new(Span::styled(
            "The queue is empty.",
            theme::secondary(),
        ))]
    } else {
        state
            .queue
            .iter()
            .enumerate()
            .map(|(i, t)| track_item(t, w.saturating_sub(4), Some(format!("{:>2} ", i + 1)), None))
            .collect()
    };
    let list = List::new(items)
        .block(pane(format!(" Up next ({}) ", state.queue.len()), focused))
        .highlight_style(theme::selected());
    let mut ls = list_state(
        state.queue_cursor.selected,
        state.queue_cursor.offset,
        focused,
        state.queue.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}

fn recent(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::Recent;
    let w = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = if state.recent.is_empty() {
        vec![ListItem::new(Span::styled(
            "Nothing played recently.",
            theme::secondary(),
        ))]
    } else {
        state
            .recent
            .iter()
            .map(|r| {
                let when = parse_rfc3339(&r.played_at)
                    .map_or(String::new(), |t| relative(t, clock.unix_secs));
                track_item(&r.track, w.saturating_sub(when.len() + 2), None, Some(when))
            })
            .collect()
    };
    let list = List::new(items)
        .block(pane(" Recently played ".into(), focused))
        .highlight_style(theme::selected());
    let mut ls = list_state(
        state.recent_cursor.selected,
        state.recent_cursor.offset,
        focused,
        state.recent.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}

/// One device as a list row.
pub(super) fn device_item(d: &Device) -> ListItem<'static> {
    let marker = if d.is_active { "● " } else { "  " };
    let mut spans = vec![
        Span::styled(marker, theme::accent()),
        Span::styled(
            d.name.clone(),
            if d.is_active {
                theme::accent()
            } else {
                Style::new()
            },
        ),
        Span::styled(format!("  {}", d.kind), theme::secondary()),
    ];
    if let Some(v) = d.volume {
        spans.push(Span::styled(format!("  {v}%"), theme::secondary()));
    }
    if d.is_restricted {
        spans.push(Span::styled("  restricted", theme::warning()));
    }
    if d.id.is_none() {
        spans.push(Span::styled("  no id", theme::warning()));
    }
    let item = ListItem::new(Line::from(spans));
    if d.is_restricted || d.id.is_none() {
        item.style(Style::new().add_modifier(Modifier::DIM))
    } else {
        item
    }
}

fn devices_pane(state: &AppState, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::Devices;
    let items: Vec<ListItem> = if state.devices.is_empty() {
        vec![ListItem::new(Span::styled(
            "No devices. Open Spotify somewhere.",
            theme::secondary(),
        ))]
    } else {
        state.devices.iter().map(device_item).collect()
    };
    let list = List::new(items)
        .block(pane(" Devices ".into(), focused))
        .highlight_style(theme::selected());
    let mut ls = list_state(
        state.device_cursor.selected,
        state.device_cursor.offset,
        focused,
        state.devices.len(),
    );
    frame.render_stateful_widget(list, area, &mut ls);
}
