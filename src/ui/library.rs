//! The playlist browser screen: playlists on the left, the open playlist's
//! items on the right (one at a time when narrow), and the library's modals.
//! Only visible rows are built, so long lists draw in constant time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::theme::Theme;
use super::{Clock, format, layout};
use crate::app::intent::Intent;
use crate::app::library::{
    Confirmed, Form, FormPurpose, Modal, OpenPlaylist, Pane, Source, is_mosaic,
};
use crate::app::state::AppState;
use crate::domain::{ItemKind, PlaylistEntry};

pub use crate::app::geometry::{
    META_LINES, Panes, WIDE, item_rows_in, list_rows_in, panes, picker_rect, picker_rows,
};

/// Draws the playlist browser into `area`.
pub fn render(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let lib = &state.library;
    let p = panes(area, lib);
    if let Some(r) = p.list {
        render_list(state, frame, r);
    }
    if let Some(r) = p.items {
        render_items(state, clock, frame, r);
    }
    if let Some(m) = &lib.modal {
        render_modal(state, m, frame, area);
    }
}

/// A pane title that keeps the filter visible: the first of `names` that
/// fits beside `/filter▏` in `width` columns, else the first one cut with an
/// ellipsis (a filter longer than the title is cut from the left, keeping
/// what was typed last).
fn titled(
    th: &Theme,
    names: &[String],
    filter: &str,
    typing: bool,
    focused: bool,
    width: usize,
) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let room = width.saturating_sub(2); // the corners
    let filter = if filter.is_empty() && !typing {
        String::new()
    } else {
        format!("/{filter}{} ", if typing { "▏" } else { "" })
    };
    let fw = UnicodeWidthStr::width(filter.as_str());
    if fw >= room {
        let keep: String = filter
            .chars()
            .rev()
            .take(room.saturating_sub(2))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Line::from(Span::styled(format!(" …{keep}"), th.accent()));
    }
    let name = names
        .iter()
        .find(|n| UnicodeWidthStr::width(n.as_str()) + fw <= room)
        .cloned()
        .unwrap_or_else(|| {
            let first = names.first().map_or("", String::as_str);
            let cut = format::truncate(first.trim(), (room - fw).saturating_sub(2));
            if cut.is_empty() {
                " ".to_string()
            } else {
                format!(" {cut} ")
            }
        });
    Line::from(vec![
        Span::styled(name, th.title(focused)),
        Span::styled(filter, th.accent()),
    ])
}

fn render_list(state: &AppState, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let lib = &state.library;
    let focused = lib.focus == Pane::List || lib.open.is_none();
    let list = lib.list();
    let (name, short) = match lib.source {
        Source::Mine => ("Your playlists", "Playlists"),
        Source::Featured => ("Featured", "Featured"),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(focused))
        .title({
            let loaded = list.slots.iter().flatten().count();
            // While filtered, the count says how many of them match.
            let n = if lib.list_filter.is_empty() {
                loaded.to_string()
            } else {
                format!("{} of {loaded}", lib.list_view.len())
            };
            let cached = if lib.mine_cached && lib.source == Source::Mine {
                ", cached"
            } else {
                ""
            };
            titled(
                th,
                &[
                    format!(" {name} ({n}{cached}) "),
                    format!(" {name} "),
                    format!(" {short} ({n}{cached}) "),
                    format!(" {short} "),
                    format!(" ({n}) "),
                ],
                &lib.list_filter,
                lib.filtering && focused,
                focused,
                usize::from(area.width),
            )
        })
        .title_bottom({
            let mut spans = vec![Span::raw(" ")];
            spans.extend(super::hints(
                state,
                &[
                    (Intent::Select, "open"),
                    (Intent::Filter, "filter"),
                    (
                        Intent::FocusNext,
                        match lib.source {
                            Source::Mine => "featured",
                            Source::Featured => "yours",
                        },
                    ),
                    (Intent::NewPlaylist, "new"),
                ],
                usize::from(area.width.saturating_sub(4)),
            ));
            Line::from(spans)
        });
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let note = match lib.source {
        Source::Mine => lib.mine_error.clone(),
        Source::Featured => lib.featured_note.clone(),
    };
    if let Some(note) = note {
        frame.render_widget(
            Paragraph::new(note)
                .style(th.secondary())
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    if lib.list_view.is_empty() {
        let text = if !list.done {
            "Loading…"
        } else if !lib.list_filter.is_empty() {
            "No playlist matches the filter."
        } else {
            "No playlists."
        };
        frame.render_widget(Paragraph::new(text).style(th.secondary()), inner);
        return;
    }
    let rows = usize::from(inner.height);
    let width = usize::from(inner.width);
    let me = state.user.as_ref().map(|u| u.0.as_str());
    let open_id = lib.open.as_ref().map(|o| o.summary.id.as_str());
    let lines: Vec<Line> = lib
        .list_view
        .iter()
        .enumerate()
        .skip(lib.list_cursor.offset)
        .take(rows)
        .map(|(v, &i)| {
            let Some(p) = list.get(i) else {
                return Line::from(Span::styled("…", th.secondary()));
            };
            let count = format!(" {}", p.total);
            let marker = if Some(p.id.as_str()) == open_id {
                "▸ "
            } else {
                "  "
            };
            let owner = if me.is_some_and(|m| m != p.owner_id) && !p.owner_name.is_empty() {
                format!(" · {}", p.owner_name)
            } else {
                String::new()
            };
            let room = width.saturating_sub(count.len() + 2);
            let label = format::truncate(&format!("{}{owner}", p.name), room);
            let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
            let mut line = Line::from(vec![
                Span::styled(marker, th.accent()),
                Span::raw(label),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, th.secondary()),
            ]);
            if v == lib.list_cursor.selected {
                line = line.style(if focused {
                    th.selected()
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                });
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_items(state: &AppState, clock: Clock, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let lib = &state.library;
    let focused = lib.focus == Pane::Items;
    let Some(o) = lib.open.as_ref() else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(th.border(false));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new(format!(
                "Select a playlist and press {} to open it.",
                state.keymap.first_key(Intent::Select)
            ))
            .style(th.secondary())
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    };
    let mut bottom = vec![Span::raw(" ")];
    bottom.extend(super::hints(
        state,
        &[
            (Intent::Select, "play"),
            (Intent::Enqueue, "queue"),
            (Intent::AddToPlaylist, "add"),
            (Intent::Mark, "mark"),
            (Intent::Remove, "remove"),
            (Intent::MoveUp, "up"),
            (Intent::MoveDown, "down"),
            (Intent::Undo, "undo"),
        ],
        usize::from(area.width.saturating_sub(4)),
    ));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(focused))
        .title(titled(
            th,
            &[format!(" {} ", o.summary.name)],
            &o.filter,
            lib.filtering && focused,
            focused,
            usize::from(area.width),
        ))
        .title_bottom(Line::from(bottom));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [meta, table] =
        Layout::vertical([Constraint::Length(META_LINES), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(meta_lines(state, o)), meta);

    if let Some(why) = o.hidden.as_ref().or(o.error.as_ref()) {
        frame.render_widget(
            Paragraph::new(why.as_str())
                .style(th.warning())
                .wrap(Wrap { trim: true }),
            table,
        );
        return;
    }
    if o.view.is_empty() {
        let text = if o.is_loading() {
            "Loading…"
        } else if !o.filter.is_empty() {
            "No item matches the filter."
        } else {
            "This playlist is empty."
        };
        frame.render_widget(Paragraph::new(text).style(th.secondary()), table);
        return;
    }
    render_table(state, clock, o, focused, frame, table);
}

fn meta_lines(state: &AppState, o: &OpenPlaylist) -> Vec<Line<'static>> {
    let th = &state.theme;
    let s = &o.summary;
    let mut facts = vec![format!(
        "by {}",
        if s.owner_name.is_empty() {
            &s.owner_id
        } else {
            &s.owner_name
        }
    )];
    facts.push(if o.filter.is_empty() {
        format!("{} items", s.total)
    } else {
        format!("{} of {} items match", o.view.len(), s.total)
    });
    facts.push(
        match s.public {
            Some(true) => "public",
            Some(false) => "private",
            None => "visibility unknown",
        }
        .into(),
    );
    if s.collaborative {
        facts.push("collaborative".into());
    }
    if !o.marks.is_empty() {
        facts.push(format!("{} marked", o.marks.len()));
    }
    if o.cached {
        facts.push("cached, checking for changes…".into());
    }
    if state.library.is_busy(&s.id) && !o.is_loading() {
        facts.push("saving…".into());
    }
    let second = if s.description.is_empty() {
        Line::from(Span::styled("(no description)", th.secondary()))
    } else {
        Line::from(Span::styled(s.description.clone(), th.secondary()))
    };
    vec![
        Line::from(Span::styled(facts.join(" · "), th.secondary())),
        second,
    ]
}

fn render_table(
    state: &AppState,
    clock: Clock,
    o: &OpenPlaylist,
    focused: bool,
    frame: &mut Frame,
    area: Rect,
) {
    let th = &state.theme;
    let rows = usize::from(area.height.saturating_sub(1));
    let num_w = (o.items.len().max(1).ilog10() as u16 + 2).max(3);
    let wide = area.width >= 70;
    let very_wide = area.width >= 100;
    let mut widths = vec![Constraint::Length(num_w), Constraint::Fill(3)];
    let mut header = vec!["#", "Title"];
    widths.push(Constraint::Fill(2));
    header.push("Artist");
    if wide {
        widths.push(Constraint::Fill(2));
        header.push("Album");
    }
    if very_wide {
        widths.push(Constraint::Length(16));
        header.push("Added");
    }
    widths.push(Constraint::Length(7));
    header.push("Time");
    // Resolve the columns here, as the table would, so every cell can be
    // cut with an ellipsis at its real width instead of silently.
    let cols: Vec<u16> = Layout::horizontal(widths)
        .spacing(1)
        .split(Rect { height: 1, ..area })
        .iter()
        .map(|r| r.width)
        .collect();

    let body: Vec<Row> = o
        .view
        .iter()
        .enumerate()
        .skip(o.cursor.offset)
        .take(rows)
        .map(|(v, &pos)| {
            let entry = o.items.get(pos);
            let selected = v == o.cursor.selected;
            item_row(
                state,
                clock,
                entry,
                pos,
                o.marks.contains(&pos),
                selected,
                focused,
                wide,
                very_wide,
                &cols,
            )
        })
        .collect();
    let table = Table::new(body, cols.iter().map(|&w| Constraint::Length(w)))
        .header(Row::new(header).style(th.title(false)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

#[allow(clippy::too_many_arguments)]
fn item_row(
    state: &AppState,
    clock: Clock,
    entry: Option<&PlaylistEntry>,
    pos: usize,
    marked: bool,
    selected: bool,
    focused: bool,
    wide: bool,
    very_wide: bool,
    widths: &[u16],
) -> Row<'static> {
    let th = &state.theme;
    let num = format!("{}{}", if marked { "●" } else { " " }, pos + 1);
    let Some(e) = entry else {
        return Row::new(vec![Cell::from(num), Cell::from("…")]).style(th.secondary());
    };
    let t = &e.track;
    let local = t.kind == ItemKind::Local;
    let mut cells = vec![
        num,
        if local {
            format!("{} (local file)", t.title)
        } else {
            t.title.clone()
        },
        t.artist_line(),
    ];
    if wide {
        cells.push(t.album.clone());
    }
    if very_wide {
        let when = e
            .added_at
            .as_deref()
            .and_then(format::parse_rfc3339)
            .map(|ts| format::relative(ts, clock.unix_secs));
        let by = e
            .added_by
            .as_ref()
            .filter(|b| state.user.as_ref().is_none_or(|u| &u.0 != *b));
        let text = match (when, by) {
            (Some(w), Some(b)) => format!("{w} · {b}"),
            (Some(w), None) => w,
            (None, Some(b)) => b.clone(),
            (None, None) => String::new(),
        };
        cells.push(text);
    }
    cells.push(format::duration(t.duration_ms));
    let cells = cells
        .iter()
        .zip(widths)
        .map(|(text, &w)| Cell::from(format::truncate(text, usize::from(w))));
    let mut style = if local || !t.is_playable {
        th.disabled()
    } else {
        Style::new()
    };
    if marked {
        style = style.add_modifier(Modifier::BOLD);
    }
    if selected {
        style = if focused {
            style.patch(th.selected())
        } else {
            style.add_modifier(Modifier::UNDERLINED)
        };
    }
    Row::new(cells).style(style)
}

fn render_modal(state: &AppState, m: &Modal, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let popup = |title: String| {
        Block::default()
            .borders(Borders::ALL)
            .border_style(th.border(true))
            .title(Span::styled(title, th.title(true)))
    };
    match m {
        Modal::Confirm { question, action } => {
            let r = layout::centered(area, 64, 8);
            frame.render_widget(Clear, r);
            let title = match action {
                Confirmed::Remove { .. } => " Remove? ",
                Confirmed::Unfollow { .. } => " Unfollow? ",
            };
            let lines = vec![
                Line::from(question.clone()),
                Line::from(vec![
                    Span::styled("y", th.key()),
                    Span::raw(" yes   "),
                    Span::styled("n", th.key()),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .block(popup(title.into())),
                r,
            );
        }
        Modal::Picker {
            uris,
            choices,
            cursor,
            ..
        } => {
            let r = picker_rect(area);
            frame.render_widget(Clear, r);
            let block =
                popup(format!(" Add {} item(s) to… ", uris.len())).title_bottom(Line::from(vec![
                    Span::styled(" enter", th.key()),
                    Span::raw(" add  "),
                    Span::styled("esc", th.key()),
                    Span::raw(" cancel "),
                ]));
            let inner = block.inner(r);
            frame.render_widget(block, r);
            if choices.is_empty() {
                frame.render_widget(
                    Paragraph::new(if state.library.mine.done {
                        "You own no playlist yet; create one with N on the playlists screen."
                    } else {
                        "Loading your playlists…"
                    })
                    .wrap(Wrap { trim: true })
                    .style(th.secondary()),
                    inner,
                );
                return;
            }
            let lines: Vec<Line> = choices
                .iter()
                .enumerate()
                .skip(cursor.offset)
                .take(usize::from(inner.height))
                .map(|(i, (_, name))| {
                    let line = Line::from(format::truncate(name, usize::from(inner.width)));
                    if i == cursor.selected {
                        line.style(th.selected())
                    } else {
                        line
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Modal::MoveTo { input, len, .. } => {
            let r = layout::centered(area, 44, 3);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(format!("Move to position (1–{len}): ")),
                    Span::styled(input.clone(), th.accent()),
                    Span::styled("▏", th.accent()),
                ]))
                .block(popup(" Move ".into())),
                r,
            );
        }
        Modal::OpenById { input } => {
            let r = layout::centered(area, 70, 3);
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw("Playlist id, URI or link: "),
                    Span::styled(input.clone(), th.accent()),
                    Span::styled("▏", th.accent()),
                ]))
                .block(popup(" Open playlist ".into())),
                r,
            );
        }
        Modal::Form(f) => render_form(th, f, frame, area),
        Modal::Cover {
            name,
            images,
            input,
            ..
        } => {
            let r = layout::centered(area, 72, 10);
            frame.render_widget(Clear, r);
            let mut lines = vec![];
            match images {
                None => lines.push(Line::from(Span::styled("Loading…", th.secondary()))),
                Some(Err(why)) => lines.push(Line::from(Span::styled(why.clone(), th.error()))),
                Some(Ok(imgs)) if imgs.is_empty() => lines.push(Line::from("No cover image.")),
                Some(Ok(imgs)) => {
                    if is_mosaic(imgs) {
                        lines.push(Line::from(
                            "A mosaic Spotify generated from the first album covers.",
                        ));
                    }
                    for i in imgs.iter().take(3) {
                        let size = i
                            .width
                            .map_or("size unknown".to_string(), |w| format!("{w}px"));
                        lines.push(Line::from(vec![
                            Span::styled(format!("{size}: "), th.secondary()),
                            Span::raw(i.url.clone()),
                        ]));
                    }
                }
            }
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::raw("Upload from file: "),
                Span::styled(input.clone(), th.accent()),
                Span::styled("▏", th.accent()),
            ]));
            let block = popup(format!(" Cover of “{name}” ")).title_bottom(Line::from(vec![
                Span::styled(" enter", th.key()),
                Span::raw(" upload (JPEG/PNG/…, converted)  "),
                Span::styled("esc", th.key()),
                Span::raw(" close "),
            ]));
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(block),
                r,
            );
        }
    }
}

fn render_form(th: &Theme, f: &Form, frame: &mut Frame, area: Rect) {
    let r = layout::centered(area, 64, 8);
    frame.render_widget(Clear, r);
    let title = match &f.purpose {
        FormPurpose::Create => " New playlist ".to_string(),
        FormPurpose::Edit { old, .. } => format!(" Details of “{}” ", old.name),
    };
    let yn = |b: bool| if b { "yes" } else { "no" };
    let fields = [
        ("Name", f.name.clone()),
        ("Description", f.description.clone()),
        ("Public (y/n)", yn(f.public).to_string()),
        ("Collaborative (y/n)", yn(f.collaborative).to_string()),
    ];
    let lines: Vec<Line> = fields
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let here = i == f.step;
            let mut spans = vec![
                Span::styled(if here { "› " } else { "  " }, th.accent()),
                Span::styled(format!("{label:<20}"), th.secondary()),
                Span::styled(value.clone(), if here { th.accent() } else { Style::new() }),
            ];
            if here && i < 2 {
                spans.push(Span::styled("▏", th.accent()));
            }
            Line::from(spans)
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.border(true))
        .title(Span::styled(title, th.title(true)))
        .title_bottom(Line::from(vec![
            Span::styled(" enter", th.key()),
            Span::raw(" next  "),
            Span::styled("shift-tab", th.key()),
            Span::raw(" back  "),
            Span::styled("esc", th.key()),
            Span::raw(" cancel "),
        ]));
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
