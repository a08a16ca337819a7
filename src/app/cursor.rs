//! A list cursor: selection and scroll offset, kept in state so rendering
//! stays pure.

use super::intent::Intent;

/// Selection and first visible row of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// Selected row.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` rows within `len` rows, keeping the selection visible in `rows` rows.
    pub fn step(&mut self, delta: isize, len: usize, rows: usize) {
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.keep_visible(rows);
    }

    /// Selects row `i` (clamped).
    pub fn select(&mut self, i: usize, len: usize, rows: usize) {
        self.selected = i.min(len.saturating_sub(1));
        self.keep_visible(rows);
    }

    /// Clamps after the list shrank.
    pub fn clamp(&mut self, len: usize, rows: usize) {
        if len == 0 {
            *self = ListCursor::default();
        } else {
            self.selected = self.selected.min(len - 1);
            self.keep_visible(rows);
        }
    }

    /// Adjusts the offset so the selection is inside the viewport.
    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

impl ListCursor {
    /// Moves for a navigation intent (up, down, a page, first, last row) in a
    /// list of `len` rows showing `rows`; false (and no move) for any other intent.
    pub fn navigate(&mut self, intent: Intent, len: usize, rows: usize) -> bool {
        let page = rows.max(1) as isize;
        let delta = match intent {
            Intent::Up => -1,
            Intent::Down => 1,
            Intent::PageUp => -page,
            Intent::PageDown => page,
            Intent::Top => isize::MIN / 2,
            Intent::Bottom => isize::MAX / 2,
            _ => return false,
        };
        self.step(delta, len, rows);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_clamp_and_scroll() {
        let mut c = ListCursor::default();
        c.step(5, 10, 3);
        assert_eq!((c.selected, c.offset), (5, 3));
        c.step(100, 10, 3);
        assert_eq!((c.selected, c.offset), (9, 7));
        c.step(-100, 10, 3);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.step(1, 0, 3);
        assert_eq!(c, ListCursor::default());
        c.select(8, 10, 4);
        c.clamp(5, 4);
        assert_eq!((c.selected, c.offset), (4, 4));
    }
}
