//! Rows that arrive page by page (possibly out of order), placed by offset.
//! The filtered view over them is [`crate::fuzzy::view`].

/// Rows placed by offset as pages arrive; `None` marks a row not yet received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    /// One slot per position.
    pub slots: Vec<Option<T>>,
    /// Every page has arrived.
    pub done: bool,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            done: false,
        }
    }
}

impl<T> Paged<T> {
    /// Places a page at `offset`; `total` is the size the server reported.
    pub fn place(&mut self, offset: usize, total: usize, items: Vec<T>, done: bool) {
        let end = offset + items.len();
        let len = total.max(end).max(self.slots.len());
        self.slots.resize_with(len, || None);
        for (i, item) in items.into_iter().enumerate() {
            self.slots[offset + i] = Some(item);
        }
        if done {
            self.done = true;
            // The list may have shrunk since the first page: drop trailing holes past the total.
            while self.slots.len() > total && self.slots.last().is_some_and(Option::is_none) {
                self.slots.pop();
            }
        }
    }

    /// Rows received so far.
    pub fn received(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// Number of positions.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are no positions.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The row at a position, if it has arrived.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.slots.get(i).and_then(Option::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_placed_by_offset_in_any_order() {
        let mut p: Paged<String> = Paged::default();
        p.place(2, 4, vec!["c".into(), "d".into()], false);
        assert_eq!(
            p.slots,
            vec![None, None, Some("c".into()), Some("d".into())]
        );
        p.place(0, 4, vec!["a".into(), "b".into()], true);
        assert_eq!(p.received(), 4);
        assert!(p.done);
        assert_eq!(p.get(1).map(String::as_str), Some("b"));
    }

    #[test]
    fn shrunk_total_drops_trailing_holes() {
        let mut p: Paged<String> = Paged::default();
        p.place(0, 5, vec!["a".into()], false);
        p.place(1, 2, vec!["b".into()], true);
        assert_eq!(p.len(), 2);
    }
}
