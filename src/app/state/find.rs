//! State of the Search and Library screens and the album, artist and show
//! pages opened from them (or from the player).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::app::cursor::ListCursor;
use crate::domain::music::{MusicKind, MusicRow, SearchGroup};

/// At most one search request per this much typing.
pub const SEARCH_EVERY: Duration = Duration::from_millis(300);
/// A query is sent once typing paused this long (or `SEARCH_EVERY` passed).
pub const SEARCH_QUIET: Duration = Duration::from_millis(150);
/// Results per type asked for at a time.
pub const SEARCH_PAGE: u32 = 5;

/// A list loaded page by page (Liked Songs, an album's tracks, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowList {
    /// Rows loaded so far, in order.
    pub rows: Vec<MusicRow>,
    /// Rows on the server.
    pub total: u32,
    /// Id of the load in flight.
    pub loading: Option<u64>,
    /// Every page has arrived at least once.
    pub loaded: bool,
    /// Why the last load failed, in plain words.
    pub error: Option<String>,
    /// Selection.
    pub cursor: ListCursor,
}

/// The Library screen's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LibraryTab {
    /// Liked Songs.
    #[default]
    Liked,
    /// Saved albums.
    Albums,
    /// Followed artists.
    Artists,
    /// Saved shows.
    Shows,
}

impl LibraryTab {
    /// Every tab in order.
    pub const ALL: [LibraryTab; 4] = [
        LibraryTab::Liked,
        LibraryTab::Albums,
        LibraryTab::Artists,
        LibraryTab::Shows,
    ];

    /// Position in [`LibraryTab::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            LibraryTab::Liked => "Liked Songs",
            LibraryTab::Albums => "Albums",
            LibraryTab::Artists => "Artists",
            LibraryTab::Shows => "Shows",
        }
    }

    /// The tab `step` places further (wrapping).
    pub fn step(self, step: isize) -> LibraryTab {
        let n = Self::ALL.len() as isize;
        Self::ALL[(self.index() as isize + step).rem_euclid(n) as usize]
    }
}

/// An album, artist or show page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MusicPage {
    /// What the page is about (its first row: like/follow it from there).
    pub header: MusicRow,
    /// Its tracks, albums or episodes.
    pub list: RowList,
}

/// One line of the search results: a type's heading, a result, or "more".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchLine {
    /// Heading of group `g`.
    Heading(usize),
    /// Row `r` of group `g`.
    Row(usize, usize),
    /// "more …" of group `g`.
    More(usize),
}

/// The Search screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState {
    /// What is typed.
    pub input: String,
    /// Keys go to the input line.
    pub editing: bool,
    /// When the input last changed without being sent.
    pub typed_at: Option<Instant>,
    /// When a search was last sent.
    pub sent_at: Option<Instant>,
    /// Id of the newest search sent; answers to older ones are dropped.
    pub latest: Option<u64>,
    /// The query the results below answer.
    pub query: String,
    /// Results by type.
    pub groups: Vec<SearchGroup>,
    /// "More" loads in flight: id → group kind.
    pub more: HashMap<u64, MusicKind>,
    /// Selection over [`SearchState::lines`].
    pub cursor: ListCursor,
    /// Why the last search failed.
    pub error: Option<String>,
}

impl SearchState {
    /// The result lines, headings included.
    pub fn lines(&self) -> Vec<SearchLine> {
        let mut out = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            out.push(SearchLine::Heading(g));
            out.extend((0..group.rows.len()).map(|r| SearchLine::Row(g, r)));
            if (group.rows.len() as u32) < group.total {
                out.push(SearchLine::More(g));
            }
        }
        out
    }

    /// The selected result row, if a row is selected.
    pub fn selected_row(&self) -> Option<&MusicRow> {
        match self.lines().get(self.cursor.selected)? {
            SearchLine::Row(g, r) => self.groups.get(*g)?.rows.get(*r),
            _ => None,
        }
    }

    /// True when typed text waits to be sent.
    pub fn pending(&self) -> bool {
        self.typed_at.is_some()
    }

    /// True when a search should go out now: something is pending, typing
    /// paused [`SEARCH_QUIET`] (or has gone on for [`SEARCH_EVERY`]), and
    /// the last search left at least [`SEARCH_EVERY`] ago.
    pub fn due(&self, now: Instant) -> bool {
        let Some(typed) = self.typed_at else {
            return false;
        };
        let rested = self
            .sent_at
            .is_none_or(|s| now.saturating_duration_since(s) >= SEARCH_EVERY);
        let paused = now.saturating_duration_since(typed) >= SEARCH_QUIET
            || self
                .sent_at
                .is_some_and(|s| now.saturating_duration_since(s) >= SEARCH_EVERY * 2);
        rested && paused
    }
}

/// What a request of these screens was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindReq {
    /// A search (the newest one is in [`SearchState::latest`]).
    Search,
    /// More results of one type.
    More(MusicKind),
    /// A library tab's list.
    Tab(LibraryTab),
    /// The list of the page with this header URI.
    Page(String),
    /// The album and artists of the playing track: open this kind's page.
    GoTo(MusicKind),
    /// Which of these URIs are saved.
    Contains(Vec<String>),
    /// A like/unlike of these URIs, with the marks to restore on failure.
    Save(Vec<(String, bool)>),
    /// An album's tracks, to add them all to a playlist.
    AddAlbum,
    /// Adding this title to the queue.
    Queue(String),
}

/// Everything the Search and Library screens and the pages hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// The Search screen.
    pub search: SearchState,
    /// The Library screen's tab.
    pub tab: LibraryTab,
    /// The Library screen's lists, by [`LibraryTab::index`].
    pub lists: [RowList; 4],
    /// Open pages, the last on top; shown over the Search/Library screen.
    pub pages: Vec<MusicPage>,
    /// Known like/save/follow state by URI (the ♥ mark).
    pub saved: HashMap<String, bool>,
    /// Requests in flight and what they were for.
    pub reqs: HashMap<u64, FindReq>,
    /// Filter of the library list or page on screen (fuzzy, as you type).
    pub filter: String,
    /// Keys go to [`Find::filter`].
    pub filtering: bool,
    /// Track URIs of an album being read to add it to a playlist.
    pub album_uris: Vec<String>,
}

impl Find {
    /// The list on screen: the top page's, else the library tab's.
    pub fn list(&self, tab_screen: bool) -> Option<&RowList> {
        match self.pages.last() {
            Some(p) => Some(&p.list),
            None if tab_screen => Some(&self.lists[self.tab.index()]),
            None => None,
        }
    }

    /// True while something loads or waits to be sent (the screen animates).
    pub fn is_busy(&self) -> bool {
        self.search.pending() || !self.reqs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_throttled_and_debounced() {
        let t0 = Instant::now();
        let mut s = SearchState::default();
        assert!(!s.due(t0));
        s.typed_at = Some(t0);
        assert!(!s.due(t0 + Duration::from_millis(100)), "still typing");
        assert!(s.due(t0 + SEARCH_QUIET));
        s.sent_at = Some(t0 + SEARCH_QUIET);
        s.typed_at = Some(t0 + Duration::from_millis(200));
        assert!(!s.due(t0 + Duration::from_millis(400)), "one per 300 ms");
        assert!(s.due(t0 + SEARCH_QUIET + SEARCH_EVERY));
    }

    #[test]
    fn tabs_wrap() {
        assert_eq!(LibraryTab::Liked.step(-1), LibraryTab::Shows);
        assert_eq!(LibraryTab::Shows.step(1), LibraryTab::Liked);
    }
}
