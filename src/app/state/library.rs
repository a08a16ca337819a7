//! The playlists screen's state: the lists, the open playlist, the modal,
//! edits in flight and the undo stack. The reducer is [`crate::app::library`].

use std::collections::{BTreeSet, HashMap};

use super::edits::{Done, InFlight};
use super::modal::Modal;
use super::paged::Paged;
use crate::app::cursor::ListCursor;
use crate::domain::{PlaylistEntry, PlaylistSummary};

/// Which list the left pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// The user's own and followed playlists.
    #[default]
    Mine,
    /// Spotify's featured playlists.
    Featured,
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    /// The playlists list.
    #[default]
    List,
    /// The open playlist's items.
    Items,
}

/// What one of the library's requests was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Req {
    Mine,
    Featured,
    Playlist(String),
    Items(String),
    Edit(String),
    Create,
    Unfollow(String),
    /// Unfollowing a created playlist to undo its creation.
    UndoCreate(String),
    /// The name of the playing context (a playlist the lists do not hold), by URI.
    ContextName(String),
    Cover(String),
    Upload(String),
    Queue(String),
}

/// The playlist shown in the right pane.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenPlaylist {
    /// Metadata, including the snapshot id edits refer to.
    pub summary: PlaylistSummary,
    /// Rows by real position.
    pub items: Paged<PlaylistEntry>,
    /// Why Spotify hides the items (403 under the 2026 rules), if it does.
    pub hidden: Option<String>,
    /// Why loading failed, if it did.
    pub error: Option<String>,
    /// Filter text.
    pub filter: String,
    /// Real positions shown, in order.
    pub view: Vec<usize>,
    /// Selection within `view`.
    pub cursor: ListCursor,
    /// Marked real positions.
    pub marks: BTreeSet<usize>,
    pub(crate) load: Option<u64>,
    /// The rows shown are from before a reload; the next page replaces them.
    pub(crate) stale: bool,
    /// The rows shown come from the on-disk cache and are not confirmed yet.
    pub cached: bool,
}

impl OpenPlaylist {
    pub(crate) fn new(summary: PlaylistSummary) -> Self {
        Self {
            summary,
            items: Paged::default(),
            hidden: None,
            error: None,
            filter: String::new(),
            view: Vec::new(),
            cursor: ListCursor::default(),
            marks: BTreeSet::new(),
            load: None,
            stale: false,
            cached: false,
        }
    }

    /// Real position of the selected row.
    pub fn selected_position(&self) -> Option<usize> {
        self.view.get(self.cursor.selected).copied()
    }

    /// The selected row, if it has arrived.
    pub fn selected_entry(&self) -> Option<&PlaylistEntry> {
        self.selected_position().and_then(|i| self.items.get(i))
    }

    /// True while item pages are still arriving.
    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// Drops rows from before a reload, once the reload answers.
    pub(crate) fn drop_stale(&mut self) {
        if self.stale {
            self.stale = false;
            self.cached = false;
            self.items = Paged::default();
            self.hidden = None;
            self.marks.clear();
        }
    }

    pub(crate) fn refresh_view(&mut self, rows: usize) {
        self.view = crate::fuzzy::view(&self.items.slots, &self.filter);
        self.cursor.clamp(self.view.len(), rows);
    }
}

/// Playlist browser and editor state.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Left pane source.
    pub source: Source,
    /// Focused pane.
    pub focus: Pane,
    /// The user's playlists by position.
    pub mine: Paged<PlaylistSummary>,
    /// Why the user's playlists could not be loaded.
    pub mine_error: Option<String>,
    /// `mine` is the list saved at the last exit, not yet reloaded.
    pub mine_cached: bool,
    /// Featured playlists.
    pub featured: Paged<PlaylistSummary>,
    /// Why featured playlists are not shown.
    pub featured_note: Option<String>,
    /// Filter text of the left pane.
    pub list_filter: String,
    /// Positions of the left pane's list shown, in order.
    pub list_view: Vec<usize>,
    /// Selection within `list_view`.
    pub list_cursor: ListCursor,
    /// The typed filter is receiving keys.
    pub filtering: bool,
    /// The playlist on the right.
    pub open: Option<OpenPlaylist>,
    /// A modal owned by the library.
    pub modal: Option<Modal>,
    /// Edits sent and not answered, one per playlist at most.
    pub edits: Vec<InFlight>,
    /// Confirmed edits, last on top: `u` reverses the top one.
    pub undo: Vec<Done>,
    /// Undone edits, last on top: redo applies the top one again. Cleared
    /// by a new edit.
    pub redo: Vec<Done>,
    /// Moves pressed while an edit of that playlist was saving: the
    /// playlist id and the net number of places (down positive), sent as
    /// one move when the edit is confirmed.
    pub queued_move: Option<(String, i64)>,
    /// The screen to go back to when the picker closes (it was opened from there).
    pub return_to: Option<super::Screen>,
    pub(crate) reqs: HashMap<u64, Req>,
    pub(crate) mine_load: Option<u64>,
    pub(crate) featured_load: Option<u64>,
}

impl Library {
    /// True while pages are still arriving.
    pub fn is_loading(&self) -> bool {
        self.mine_load.is_some()
            || self.featured_load.is_some()
            || self.open.as_ref().is_some_and(OpenPlaylist::is_loading)
    }

    /// Short text for the status line while loading.
    pub fn loading_text(&self) -> String {
        if let Some(o) = self.open.as_ref().filter(|o| o.is_loading()) {
            return format!(
                "“{}” {}/{}",
                o.summary.name,
                o.items.received(),
                o.items.len().max(o.summary.total as usize)
            );
        }
        if self.mine_load.is_some() {
            return format!("playlists {}/{}", self.mine.received(), self.mine.len());
        }
        "featured playlists".into()
    }

    /// Name of a playlist the library knows, by id.
    pub fn playlist_name(&self, id: &str) -> Option<String> {
        self.find(id).map(|p| p.name.clone())
    }

    /// The list the left pane shows.
    pub fn list(&self) -> &Paged<PlaylistSummary> {
        match self.source {
            Source::Mine => &self.mine,
            Source::Featured => &self.featured,
        }
    }

    /// The playlist selected in the left pane.
    pub fn selected_playlist(&self) -> Option<&PlaylistSummary> {
        self.list_view
            .get(self.list_cursor.selected)
            .and_then(|&i| self.list().get(i))
    }

    /// A known playlist by id (open one first, then the lists).
    pub fn find(&self, id: &str) -> Option<&PlaylistSummary> {
        self.open
            .as_ref()
            .map(|o| &o.summary)
            .filter(|s| s.id == id)
            .or_else(|| self.mine.slots.iter().flatten().find(|p| p.id == id))
            .or_else(|| self.featured.slots.iter().flatten().find(|p| p.id == id))
    }

    /// True when an edit or a reload of this playlist is still running.
    pub fn is_busy(&self, playlist_id: &str) -> bool {
        self.edits.iter().any(|e| e.playlist_id == playlist_id)
            || self.reqs.values().any(|r| match r {
                Req::Playlist(id) | Req::Items(id) => id == playlist_id,
                _ => false,
            })
    }

    /// Applies `f` to every copy of a playlist's summary (lists and open pane).
    pub(crate) fn update_summary(&mut self, id: &str, f: impl Fn(&mut PlaylistSummary)) {
        for p in self
            .mine
            .slots
            .iter_mut()
            .chain(self.featured.slots.iter_mut())
            .flatten()
            .filter(|p| p.id == id)
        {
            f(p);
        }
        if let Some(o) = self.open.as_mut().filter(|o| o.summary.id == id) {
            f(&mut o.summary);
        }
    }

    /// True when `id` is the playlist open on the right.
    pub fn is_open(&self, id: &str) -> bool {
        self.open.as_ref().is_some_and(|o| o.summary.id == id)
    }

    /// The open playlist when it is `id` and `load` is its load in flight
    /// (answers of older loads find nothing).
    pub(crate) fn open_loading(&mut self, id: &str, load: u64) -> Option<&mut OpenPlaylist> {
        self.open
            .as_mut()
            .filter(|o| o.summary.id == id && o.load == Some(load))
    }

    /// Closes the right pane if it shows `id` (it was removed or never
    /// existed), giving the keyboard back to the list.
    pub(crate) fn close(&mut self, id: &str) {
        if self.is_open(id) {
            self.open = None;
            self.focus = Pane::List;
        }
    }

    pub(crate) fn refresh_list_view(&mut self, rows: usize) {
        self.list_view = crate::fuzzy::view(&self.list().slots, &self.list_filter);
        self.list_cursor.clamp(self.list_view.len(), rows);
    }
}
