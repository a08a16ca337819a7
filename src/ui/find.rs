//! Rendering of the Search and Library screens and the album, artist and
//! show pages.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::format::{duration, truncate};
use crate::app::find::is_saved;
use crate::app::intent::Intent;
use crate::app::state::find::{LibraryTab, RowList, SearchLine};
use crate::app::state::{AppState, Screen};
use crate::domain::music::{MusicKind, MusicRow};

/// Draws the Search or Library screen (or the page on top of it) into `area`.
pub fn render(state: &AppState, frame: &mut Frame, area: Rect) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let f = &state.find;
    let (title, top, lines, selected) = if let Some(p) = f.pages.last() {
        let kind = match p.header.kind {
            MusicKind::Album => "Album",
            MusicKind::Artist => "Artist",
            MusicKind::Show => "Show",
            _ => "Page",
        };
        let mut rows = vec![header_line(state, &p.header, area.width)];
        rows.extend(list_lines(state, &p.list, area.width));
        let mut top = Line::from(vec![
            Span::styled(format!("{kind}: "), state.theme.secondary()),
            Span::styled(p.header.name.clone(), state.theme.accent()),
            Span::styled(
                format!("  {} back", state.keymap.first_key(Intent::Back)),
                state.theme.secondary(),
            ),
        ]);
        top.spans.extend(filter_span(state));
        (kind.to_string(), top, rows, p.list.cursor)
    } else if state.screen == Screen::Library {
        let list = &f.lists[f.tab.index()];
        let mut tabs = tabs_line(state);
        tabs.spans.extend(filter_span(state));
        (
            "Library".to_string(),
            tabs,
            list_lines(state, list, area.width),
            list.cursor,
        )
    } else {
        let s = &f.search;
        let caret = if s.editing { "▏" } else { "" };
        let mut spans = vec![
            Span::styled("Search: ", state.theme.secondary()),
            Span::styled(format!("{}{caret}", s.input), state.theme.accent()),
        ];
        let hint = if s.latest.is_some() {
            "  searching…".to_string()
        } else if s.editing {
            "  type, enter to browse the results".to_string()
        } else {
            format!("  {} to type", state.keymap.first_key(Intent::Filter))
        };
        spans.push(Span::styled(hint, state.theme.secondary()));
        (
            "Search".to_string(),
            Line::from(spans),
            search_lines(state, area.width),
            s.cursor,
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(state.theme.border(true))
        .title(Span::styled(format!(" {title} "), state.theme.title(true)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    frame.render_widget(Paragraph::new(top), Rect { height: 1, ..inner });
    let body = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let visible: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(selected.offset)
        .take(usize::from(body.height))
        .map(|(i, l)| {
            if i == selected.selected && !editing(state) {
                l.style(state.theme.selected())
            } else {
                l
            }
        })
        .collect();
    if visible.is_empty() {
        let empty = empty_text(state);
        frame.render_widget(
            Paragraph::new(Span::styled(empty, state.theme.secondary())),
            body,
        );
        return;
    }
    frame.render_widget(Paragraph::new(visible), body);
}

fn editing(state: &AppState) -> bool {
    state.screen == Screen::Search && state.find.search.editing && state.find.pages.is_empty()
}

fn empty_text(state: &AppState) -> String {
    let f = &state.find;
    let list = f.list(state.screen == Screen::Library);
    if let Some(l) = list {
        if let Some(e) = &l.error {
            return e.clone();
        }
        if l.loading.is_some() {
            return "Loading…".into();
        }
        return "Nothing here yet.".into();
    }
    if let Some(e) = &f.search.error {
        return e.clone();
    }
    if f.search.query.is_empty() {
        "Type to search tracks, albums, artists, playlists, shows and episodes.".into()
    } else {
        format!("Nothing found for “{}”.", f.search.query)
    }
}

fn tabs_line(state: &AppState) -> Line<'static> {
    let f = &state.find;
    let mut spans = Vec::new();
    for tab in LibraryTab::ALL {
        let l = &f.lists[tab.index()];
        let count = if l.loaded || l.total > 0 {
            format!(" ({})", l.total)
        } else {
            String::new()
        };
        let style = if tab == f.tab {
            state.theme.accent()
        } else {
            state.theme.secondary()
        };
        spans.push(Span::styled(format!("{}{count}", tab.title()), style));
        spans.push(Span::styled("  ", Style::new()));
    }
    let l = &f.lists[f.tab.index()];
    if l.loading.is_some() {
        spans.push(Span::styled(
            format!("loading {} of {}…", l.rows.len(), l.total),
            state.theme.secondary(),
        ));
    }
    Line::from(spans)
}

/// "♥ " when saved, else two spaces.
fn mark(state: &AppState, uri: &str) -> &'static str {
    if is_saved(state, uri) { "♥ " } else { "  " }
}

/// One row, fitted to `width` columns: mark, name, subtitle, then the detail
/// and duration on the right when there is room.
fn row_line(state: &AppState, r: &MusicRow, width: u16) -> Line<'static> {
    let width = usize::from(width.saturating_sub(2));
    let right = match (r.kind, r.duration_ms) {
        (MusicKind::Episode, d) if !r.detail.is_empty() => {
            format!("{}  {}", r.detail, duration(d))
        }
        (_, 0) => r.detail.clone(),
        (_, d) => duration(d),
    };
    let right = if width >= 50 { right } else { String::new() };
    let mark = mark(state, &r.uri);
    let right_w = unicode_width::UnicodeWidthStr::width(right.as_str());
    let left_w = width.saturating_sub(right_w + 2 + 2);
    let mut left = r.name.clone();
    if !r.subtitle.is_empty() {
        left.push_str(" — ");
        left.push_str(&r.subtitle);
    }
    let left = truncate(&left, left_w);
    let pad = left_w.saturating_sub(unicode_width::UnicodeWidthStr::width(left.as_str()));
    Line::from(vec![
        Span::styled(mark.to_string(), state.theme.accent()),
        Span::raw(left),
        Span::raw(" ".repeat(pad + 2)),
        Span::styled(right, state.theme.secondary()),
    ])
}

fn header_line(state: &AppState, r: &MusicRow, width: u16) -> Line<'static> {
    let verb = match (r.kind, is_saved(state, &r.uri)) {
        (MusicKind::Artist, true) => "following",
        (MusicKind::Artist, false) => "not followed",
        (_, true) => "in your library",
        (_, false) => "not saved",
    };
    let key = state.keymap.first_key(Intent::Like);
    let text = format!(
        "{}{} — {verb} ({key} to change)",
        mark(state, &r.uri),
        if r.subtitle.is_empty() {
            r.name.clone()
        } else {
            format!("{} · {}", r.name, r.subtitle)
        }
    );
    Line::from(Span::styled(
        truncate(&text, usize::from(width.saturating_sub(2))),
        state.theme.title(false),
    ))
}

fn list_lines(state: &AppState, list: &RowList, width: u16) -> Vec<Line<'static>> {
    crate::app::find::shown(state)
        .into_iter()
        .filter_map(|i| list.rows.get(i))
        .map(|r| row_line(state, r, width))
        .collect()
}

/// `  /filter▏` after a list's title line while a filter is typed or set.
fn filter_span(state: &AppState) -> Option<Span<'static>> {
    let f = &state.find;
    (f.filtering || !f.filter.is_empty()).then(|| {
        let caret = if f.filtering { "▏" } else { "" };
        Span::styled(format!("  /{}{caret}", f.filter), state.theme.accent())
    })
}

fn search_lines(state: &AppState, width: u16) -> Vec<Line<'static>> {
    let s = &state.find.search;
    s.lines()
        .into_iter()
        .filter_map(|l| match l {
            SearchLine::Heading(g) => {
                let g = s.groups.get(g)?;
                Some(Line::from(Span::styled(
                    format!("{} · {}", g.kind.heading(), g.total),
                    state.theme.title(false),
                )))
            }
            SearchLine::Row(g, r) => Some(row_line(state, s.groups.get(g)?.rows.get(r)?, width)),
            SearchLine::More(g) => {
                let g = s.groups.get(g)?;
                let left = g.total.saturating_sub(g.rows.len() as u32);
                let loading = s.more.values().any(|k| *k == g.kind);
                let text = if loading {
                    "  loading more…".to_string()
                } else {
                    format!(
                        "  … {left} more {} ({})",
                        g.kind.heading().to_lowercase(),
                        state.keymap.first_key(Intent::Select)
                    )
                };
                Some(Line::from(Span::styled(text, state.theme.secondary())))
            }
        })
        .collect()
}
