//! Modals: help, device picker, seek prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::{Clock, layout};
use crate::app::intent::Intent;
use crate::app::state::{AppState, Popup};

pub(super) fn render(state: &AppState, _clock: Clock, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    match &state.popup {
        None => {}
        Some(Popup::Help { scroll }) => help(state, *scroll, frame, area),
        Some(Popup::DevicePicker { cursor, retry }) => {
            let r = layout::device_popup((area.width, area.height));
            frame.render_widget(Clear, r);
            let title = if retry.is_some() {
                " No active device — pick one to send the command to "
            } else {
                " Play on which device? "
            };
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(th.border(true))
                .title(Span::styled(title, th.title(true)))
                .title_bottom(Line::from(vec![
                    Span::styled(" enter", th.key()),
                    Span::raw(" choose  "),
                    Span::styled("esc", th.key()),
                    Span::raw(" cancel "),
                ]));
            if state.devices.is_empty() {
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "No devices found. Open Spotify on a phone, computer or speaker; this list refreshes.",
                        th.secondary(),
                    ))
                    .wrap(Wrap { trim: true })
                    .block(block),
                    r,
                );
                return;
            }
            let width = usize::from(r.width.saturating_sub(2));
            let items: Vec<ListItem> = state
                .devices
                .iter()
                .map(|d| super::player::device_item(th, d, width))
                .collect();
            let list = List::new(items).block(block).highlight_style(th.selected());
            let mut ls = ListState::default().with_offset(cursor.offset);
            ls.select(Some(cursor.selected));
            frame.render_stateful_widget(list, r, &mut ls);
        }
        Some(Popup::SeekPrompt { input }) => {
            let r = layout::centered(area, 40, 3);
            frame.render_widget(Clear, r);
            let p = Paragraph::new(Line::from(vec![
                Span::raw("Seek to (m:ss): "),
                Span::styled(input.clone(), th.accent()),
                Span::styled("▏", th.accent()),
            ]))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(th.border(true))
                    .title(" Seek "),
            );
            frame.render_widget(p, r);
        }
        Some(Popup::SleepMenu { selected }) => sleep_menu(th, *selected, frame, area),
    }
}

/// The sleep timer's choices (`z`).
fn sleep_menu(th: &crate::theme::Theme, selected: usize, frame: &mut Frame, area: Rect) {
    use crate::app::sleep::CHOICES;
    let r = layout::centered(area, 44, CHOICES.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let items: Vec<ListItem> = CHOICES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            ListItem::new(Line::from(vec![
                Span::styled(format!(" {} ", i + 1), th.key()),
                Span::raw(format!("pause {}", c.label())),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(th.border(true))
                .title(Span::styled(" Sleep timer ", th.title(true)))
                .title_bottom(" enter/1-6 set · esc cancel "),
        )
        .highlight_style(th.selected());
    let mut ls = ListState::default();
    ls.select(Some(selected));
    frame.render_stateful_widget(list, r, &mut ls);
}

/// Lines of the help screen: every intent with its keys, from the keymap.
pub fn help_lines(state: &AppState) -> Vec<Line<'static>> {
    let th = &state.theme;
    let mut lines = Vec::new();
    for &i in Intent::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>18}  ", state.keymap.keys_text(i)), th.key()),
            Span::raw(i.describe()),
            Span::styled(format!("  ({})", i.name()), th.secondary()),
        ]));
    }
    lines
}

fn help(state: &AppState, scroll: u16, frame: &mut Frame, area: Rect) {
    let th = &state.theme;
    let r = layout::centered(area, 86, area.height.saturating_sub(2));
    frame.render_widget(Clear, r);
    let p = Paragraph::new(help_lines(state))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(th.border(true))
                .title(Span::styled(
                    " Keys (rebind in [keys] of config.toml) ",
                    th.title(true),
                ))
                .title_bottom(" j/k scroll · esc close "),
        )
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(p, r);
}
