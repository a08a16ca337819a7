//! A drawn frame as an SVG picture, for the README's screenshots.
//!
//! Cells sit on a fixed monospace grid: text stays text (one `<text>` per run
//! of equally styled cells, pinned to the grid with `textLength`), colours and
//! bold, dim, italic, underline, crossed-out, reversed and hidden are kept.
//! Half-block cells (`▀`, `▄`, `█`, how cover art is drawn without an image
//! protocol) become coloured rectangles so the picture has no seams.
//! Pure: the same buffer always gives the same bytes.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Width of one cell in SVG units.
pub const CELL_WIDTH: u32 = 9;
/// Height of one cell in SVG units.
pub const CELL_HEIGHT: u32 = 18;
/// Empty border around the grid.
const PAD: u32 = 10;
/// Font size: a monospace glyph is about 0.6 em wide, so 15 fills 9 units.
const FONT_SIZE: u32 = 15;
/// Baseline offset from the top of a row.
const BASELINE: u32 = 14;

/// The terminal's own colours: what `Color::Reset` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backdrop {
    fg: Rgb,
    bg: Rgb,
}

impl Backdrop {
    /// A dark terminal: light grey text on near-black.
    pub const DARK: Self = Self {
        fg: Rgb(0xd8, 0xdd, 0xe6),
        bg: Rgb(0x16, 0x18, 0x1d),
    };
    /// A light terminal: near-black text on white.
    pub const LIGHT: Self = Self {
        fg: Rgb(0x1f, 0x23, 0x28),
        bg: Rgb(0xff, 0xff, 0xff),
    };
}
const FONTS: &str =
    "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/// The sixteen ANSI colours, in index order (black … bright white).
const ANSI: [Rgb; 16] = [
    Rgb(0x1d, 0x1f, 0x21),
    Rgb(0xe0, 0x6c, 0x75),
    Rgb(0x98, 0xc3, 0x79),
    Rgb(0xe5, 0xc0, 0x7b),
    Rgb(0x61, 0xaf, 0xef),
    Rgb(0xc6, 0x78, 0xdd),
    Rgb(0x56, 0xb6, 0xc2),
    Rgb(0xab, 0xb2, 0xbf),
    Rgb(0x5c, 0x63, 0x70),
    Rgb(0xff, 0x7a, 0x85),
    Rgb(0xb5, 0xe8, 0x90),
    Rgb(0xff, 0xd6, 0x8a),
    Rgb(0x82, 0xc4, 0xff),
    Rgb(0xde, 0x9b, 0xf0),
    Rgb(0x7f, 0xd4, 0xde),
    Rgb(0xe6, 0xe6, 0xe6),
];

/// A resolved colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Resolves a terminal colour; `Reset` becomes `default`.
fn rgb(color: Color, default: Rgb) -> Rgb {
    let named = |i: usize| ANSI[i];
    match color {
        Color::Reset => default,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(i) => indexed(i),
    }
}

/// The xterm 256-colour palette: 16 ANSI, a 6×6×6 cube, 24 greys.
fn indexed(i: u8) -> Rgb {
    match i {
        0..=15 => ANSI[usize::from(i)],
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let n = i - 16;
            Rgb(level(n / 36), level((n / 6) % 6), level(n % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            Rgb(v, v, v)
        }
    }
}

/// One grid position after wide glyphs and reversal are resolved.
#[derive(Debug, Clone, PartialEq)]
struct Glyph<'a> {
    /// First column.
    x: u16,
    /// Columns covered (2 for wide glyphs).
    width: u16,
    symbol: &'a str,
    fg: Rgb,
    /// Colour of the upper and lower half of the cell's background.
    top: Rgb,
    bottom: Rgb,
    /// Text attributes that change how glyphs are drawn.
    look: Modifier,
}

/// Attributes kept in the picture (blinking is not).
const LOOK: Modifier = Modifier::BOLD
    .union(Modifier::DIM)
    .union(Modifier::ITALIC)
    .union(Modifier::UNDERLINED)
    .union(Modifier::CROSSED_OUT);

fn glyph(cell: &Cell, x: u16, width: u16, backdrop: Backdrop) -> Glyph<'_> {
    let (mut fg, mut bg) = (rgb(cell.fg, backdrop.fg), rgb(cell.bg, backdrop.bg));
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    let symbol = cell.symbol();
    let (symbol, top, bottom) = match symbol {
        "▀" => (" ", fg, bg),
        "▄" => (" ", bg, fg),
        "█" => (" ", fg, fg),
        _ if cell.modifier.contains(Modifier::HIDDEN) => (" ", bg, bg),
        s => (s, bg, bg),
    };
    Glyph {
        x,
        width,
        symbol,
        fg,
        top,
        bottom,
        look: cell.modifier.intersection(LOOK),
    }
}

/// The row's glyphs, left to right; cells covered by a wide glyph are folded into it.
fn row(buf: &Buffer, y: u16, backdrop: Backdrop) -> Vec<Glyph<'_>> {
    let area = buf.area;
    let mut out = Vec::with_capacity(usize::from(area.width));
    let mut x = area.x;
    while x < area.x + area.width {
        let cell = &buf[(x, y)];
        let wide = u16::try_from(cell.symbol().width()).unwrap_or(1).max(1);
        let width = wide.min(area.x + area.width - x);
        out.push(glyph(cell, x - area.x, width, backdrop));
        x += width;
    }
    out
}

/// Writes the frame as a standalone SVG document, on a terminal with `backdrop` colours.
pub fn to_svg(buf: &Buffer, backdrop: Backdrop) -> String {
    let (cols, rows) = (u32::from(buf.area.width), u32::from(buf.area.height));
    let (w, h) = (cols * CELL_WIDTH + 2 * PAD, rows * CELL_HEIGHT + 2 * PAD);
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\" xml:space=\"preserve\">"
    );
    let _ = writeln!(out, "<style>text{{white-space:pre}}</style>");
    let _ = writeln!(
        out,
        "<rect width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{}\"/>",
        backdrop.bg
    );
    let rows: Vec<Vec<Glyph<'_>>> = (buf.area.y..buf.area.y + buf.area.height)
        .map(|y| row(buf, y, backdrop))
        .collect();
    let _ = writeln!(out, "<g shape-rendering=\"crispEdges\">");
    for (y, glyphs) in rows.iter().enumerate() {
        backgrounds(&mut out, y as u32, glyphs, backdrop.bg);
    }
    let _ = writeln!(out, "</g>");
    for (y, glyphs) in rows.iter().enumerate() {
        texts(&mut out, y as u32, glyphs);
    }
    out.push_str("</svg>\n");
    out
}

/// Rectangles for runs of non-default background, split in halves where the
/// upper and lower colour differ.
fn backgrounds(out: &mut String, y: u32, glyphs: &[Glyph<'_>], blank: Rgb) {
    let top_y = PAD + y * CELL_HEIGHT;
    // Nothing to paint where the colour is the one already underneath.
    let mut rect = |x: u32, y: u32, width: u32, height: u32, fill: Rgb| {
        if fill != blank {
            let _ = writeln!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" fill=\"{fill}\"/>"
            );
        }
    };
    for run in glyphs.chunk_by(|a, b| (a.top, a.bottom) == (b.top, b.bottom)) {
        let first = &run[0];
        let x = PAD + u32::from(first.x) * CELL_WIDTH;
        let width = run.iter().map(|g| u32::from(g.width)).sum::<u32>() * CELL_WIDTH;
        if first.top == first.bottom {
            rect(x, top_y, width, CELL_HEIGHT, first.top);
        } else {
            let half = CELL_HEIGHT / 2;
            rect(x, top_y, width, half, first.top);
            rect(x, top_y + half, width, CELL_HEIGHT - half, first.bottom);
        }
    }
}

/// One `<text>` per run of equally styled glyphs, without its outer spaces.
fn texts(out: &mut String, y: u32, glyphs: &[Glyph<'_>]) {
    let baseline = PAD + y * CELL_HEIGHT + BASELINE;
    let lines = Modifier::UNDERLINED | Modifier::CROSSED_OUT;
    for run in glyphs.chunk_by(|a, b| (a.fg, a.look) == (b.fg, b.look)) {
        let first = &run[0];
        // Spaces draw nothing unless a line runs through them.
        let blank = |g: &&Glyph<'_>| g.symbol.trim().is_empty() && !g.look.intersects(lines);
        let Some(start) = run.iter().position(|g| !blank(&g)) else {
            continue;
        };
        let end = run.iter().rposition(|g| !blank(&g)).unwrap_or(start);
        let run = &run[start..=end];
        let x = PAD + u32::from(run[0].x) * CELL_WIDTH;
        let length = run.iter().map(|g| u32::from(g.width)).sum::<u32>() * CELL_WIDTH;
        let mut text = String::new();
        for g in run {
            escape_into(&mut text, if g.symbol.is_empty() { " " } else { g.symbol });
        }
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{baseline}\" textLength=\"{length}\" fill=\"{}\"",
            first.fg
        );
        attributes(out, first.look);
        let _ = writeln!(out, ">{text}</text>");
    }
}

fn attributes(out: &mut String, look: Modifier) {
    if look.contains(Modifier::BOLD) {
        out.push_str(" font-weight=\"bold\"");
    }
    if look.contains(Modifier::ITALIC) {
        out.push_str(" font-style=\"italic\"");
    }
    if look.contains(Modifier::DIM) {
        out.push_str(" opacity=\"0.55\"");
    }
    match (
        look.contains(Modifier::UNDERLINED),
        look.contains(Modifier::CROSSED_OUT),
    ) {
        (true, true) => out.push_str(" text-decoration=\"underline line-through\""),
        (true, false) => out.push_str(" text-decoration=\"underline\""),
        (false, true) => out.push_str(" text-decoration=\"line-through\""),
        (false, false) => {}
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    fn buffer(w: u16, h: u16) -> Buffer {
        Buffer::empty(Rect::new(0, 0, w, h))
    }

    fn lines_with<'a>(svg: &'a str, needle: &str) -> Vec<&'a str> {
        svg.lines().filter(|l| l.contains(needle)).collect()
    }

    #[test]
    fn empty_frame_is_just_the_background() {
        let svg = to_svg(&buffer(120, 40), Backdrop::DARK);
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1100\" height=\"740\""
        ));
        assert!(svg.ends_with("</svg>\n"));
        assert!(!svg.contains("<text"), "{svg}");
        assert_eq!(lines_with(&svg, "<rect").len(), 1, "{svg}");
    }

    #[test]
    fn runs_keep_their_place_colour_and_weight() {
        let mut b = buffer(20, 2);
        b.set_string(
            2,
            1,
            "play",
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        );
        b.set_string(7, 1, "on", Style::new());
        let svg = to_svg(&b, Backdrop::DARK);
        let texts = lines_with(&svg, "<text");
        assert_eq!(
            texts,
            [
                "<text x=\"28\" y=\"42\" textLength=\"36\" fill=\"#98c379\" font-weight=\"bold\">play</text>",
                "<text x=\"73\" y=\"42\" textLength=\"18\" fill=\"#d8dde6\">on</text>",
            ]
        );
    }

    #[test]
    fn inner_spaces_are_kept_and_markup_is_escaped() {
        let mut b = buffer(20, 1);
        b.set_string(0, 0, "<a  &  b>", Style::new());
        let svg = to_svg(&b, Backdrop::DARK);
        assert!(
            svg.contains("textLength=\"81\" fill=\"#d8dde6\">&lt;a  &amp;  b&gt;</text>"),
            "{svg}"
        );
    }

    #[test]
    fn reversed_swaps_colours_and_paints_the_background() {
        let mut b = buffer(10, 1);
        b.set_string(1, 0, "sel", Style::new().add_modifier(Modifier::REVERSED));
        let svg = to_svg(&b, Backdrop::DARK);
        assert!(
            svg.contains("<rect x=\"19\" y=\"10\" width=\"27\" height=\"18\" fill=\"#d8dde6\"/>"),
            "{svg}"
        );
        assert!(svg.contains("fill=\"#16181d\">sel</text>"), "{svg}");
    }

    #[test]
    fn dim_italic_underline_and_strike_are_attributes() {
        let mut b = buffer(10, 1);
        let style = Style::new().fg(Color::DarkGray).add_modifier(
            Modifier::DIM | Modifier::ITALIC | Modifier::UNDERLINED | Modifier::CROSSED_OUT,
        );
        b.set_string(0, 0, "x", style);
        let svg = to_svg(&b, Backdrop::DARK);
        assert!(
            svg.contains("fill=\"#5c6370\" font-style=\"italic\" opacity=\"0.55\" text-decoration=\"underline line-through\">x</text>"),
            "{svg}"
        );
    }

    #[test]
    fn hidden_text_is_not_drawn() {
        let mut b = buffer(10, 1);
        b.set_string(0, 0, "secret", Style::new().add_modifier(Modifier::HIDDEN));
        assert!(!to_svg(&b, Backdrop::DARK).contains("secret"));
    }

    #[test]
    fn half_blocks_become_two_rectangles_and_no_text() {
        let mut b = buffer(4, 1);
        for x in 0..2 {
            b[(x, 0)]
                .set_char('▀')
                .set_fg(Color::Rgb(255, 0, 0))
                .set_bg(Color::Rgb(0, 0, 255));
        }
        b[(2, 0)].set_char('▄').set_fg(Color::Indexed(46));
        let svg = to_svg(&b, Backdrop::DARK);
        assert!(!svg.contains("<text"), "{svg}");
        let rects = lines_with(&svg, "<rect x=");
        assert_eq!(
            rects,
            [
                "<rect x=\"10\" y=\"10\" width=\"18\" height=\"9\" fill=\"#ff0000\"/>",
                "<rect x=\"10\" y=\"19\" width=\"18\" height=\"9\" fill=\"#0000ff\"/>",
                "<rect x=\"28\" y=\"19\" width=\"9\" height=\"9\" fill=\"#00ff00\"/>",
            ]
        );
    }

    #[test]
    fn wide_glyphs_take_two_columns() {
        let mut b = buffer(10, 1);
        b.set_string(0, 0, "漢x", Style::new());
        let svg = to_svg(&b, Backdrop::DARK);
        assert!(
            svg.contains("<text x=\"10\" y=\"24\" textLength=\"27\" fill=\"#d8dde6\">漢x</text>"),
            "{svg}"
        );
    }

    #[test]
    fn palette() {
        assert_eq!(indexed(196).to_string(), "#ff0000");
        assert_eq!(indexed(16).to_string(), "#000000");
        assert_eq!(indexed(244).to_string(), "#808080");
        assert_eq!(indexed(9), rgb(Color::LightRed, Backdrop::DARK.fg));
        assert_eq!(rgb(Color::Reset, Backdrop::LIGHT.bg), Backdrop::LIGHT.bg);
    }

    #[test]
    fn a_light_backdrop_changes_only_the_default_colours() {
        let mut b = buffer(10, 1);
        b.set_string(0, 0, "ab", Style::new());
        b.set_string(3, 0, "cd", Style::new().fg(Color::Red));
        let svg = to_svg(&b, Backdrop::LIGHT);
        assert!(svg.contains("rx=\"6\" fill=\"#ffffff\""), "{svg}");
        assert!(svg.contains("fill=\"#1f2328\">ab</text>"), "{svg}");
        assert!(svg.contains("fill=\"#e06c75\">cd</text>"), "{svg}");
    }

    #[test]
    fn same_buffer_same_bytes() {
        let mut b = buffer(30, 3);
        b.set_string(0, 1, "spotdeck ▶ 1:05", Style::new().fg(Color::Cyan));
        assert_eq!(
            to_svg(&b, Backdrop::DARK),
            to_svg(&b.clone(), Backdrop::DARK)
        );
    }
}
