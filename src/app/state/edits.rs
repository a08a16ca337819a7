//! Playlist edits as state: what was sent, what is in flight, and how a
//! confirmed edit is undone. Sending and applying them is
//! [`crate::app::library`]'s job.

use std::collections::VecDeque;

use crate::domain::{PlaylistEntry, PlaylistSummary};

/// Name, description and flags of a playlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Public flag (`None` when unknown).
    pub public: Option<bool>,
    /// Collaborative flag.
    pub collaborative: bool,
}

impl Details {
    /// The details of a summary.
    pub fn of(p: &PlaylistSummary) -> Self {
        Self {
            name: p.name.clone(),
            description: p.description.clone(),
            public: p.public,
            collaborative: p.collaborative,
        }
    }
}

/// One edit of one playlist.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Remove these copies: (real position, uri), ascending.
    Remove {
        /// Positions and URIs.
        items: Vec<(u32, String)>,
        /// The removed rows, when known (for undo).
        entries: Vec<PlaylistEntry>,
    },
    /// Move one item (Spotify reorder semantics).
    Move {
        /// Position moved.
        from: u32,
        /// Insert before this position of the list before the move.
        insert_before: u32,
    },
    /// Add items at a position (end when `None`).
    Add {
        /// Position.
        position: Option<u32>,
        /// URIs.
        uris: Vec<String>,
        /// The rows, when known, so the local list can be updated without a reload.
        entries: Option<Vec<PlaylistEntry>>,
    },
    /// Change details.
    Details {
        /// Before.
        old: Details,
        /// After.
        new: Details,
    },
}

/// Final position of an item moved from `from` with `insert_before`.
pub fn moved_to(from: u32, insert_before: u32) -> u32 {
    if insert_before > from {
        insert_before - 1
    } else {
        insert_before
    }
}

/// `insert_before` that moves the item at `from` to final position `to`.
pub fn insert_before_for(from: u32, to: u32) -> u32 {
    if to > from { to + 1 } else { to }
}

/// How to undo a confirmed edit.
#[derive(Debug, Clone, PartialEq)]
pub enum UndoRecord {
    /// Add removed rows back: one `AddItems` per contiguous run, ascending.
    ReAdd {
        /// Playlist id.
        playlist_id: String,
        /// (position, rows) per run.
        runs: Vec<(u32, Vec<PlaylistEntry>)>,
    },
    /// Move the item back.
    Move {
        /// Playlist id.
        playlist_id: String,
        /// Where it is now.
        from: u32,
        /// Insert before this to put it back.
        insert_before: u32,
    },
    /// Remove the copies that were added.
    RemoveAdded {
        /// Playlist id.
        playlist_id: String,
        /// (position, uri) of the added copies.
        items: Vec<(u32, String)>,
    },
    /// Put the old details back.
    Details {
        /// Playlist id.
        playlist_id: String,
        /// Details now.
        current: Details,
        /// Details before the edit.
        old: Details,
    },
    /// Unfollow a playlist that was created.
    Unfollow {
        /// Playlist id.
        playlist_id: String,
    },
    /// The edit cannot be undone through the Web API (a cover upload: Spotify
    /// keeps no earlier cover; an unfollow). Kept so that undo names it
    /// instead of reaching back to an older edit.
    Irreversible {
        /// Playlist id.
        playlist_id: String,
        /// Why, in a sentence.
        why: String,
    },
}

impl UndoRecord {
    /// The playlist the edit was made on.
    pub fn playlist_id(&self) -> &str {
        match self {
            UndoRecord::ReAdd { playlist_id, .. }
            | UndoRecord::Move { playlist_id, .. }
            | UndoRecord::RemoveAdded { playlist_id, .. }
            | UndoRecord::Details { playlist_id, .. }
            | UndoRecord::Unfollow { playlist_id }
            | UndoRecord::Irreversible { playlist_id, .. } => playlist_id,
        }
    }

    /// True when the record names item positions, which a change made
    /// elsewhere invalidates.
    pub fn uses_positions(&self) -> bool {
        matches!(
            self,
            UndoRecord::ReAdd { .. } | UndoRecord::Move { .. } | UndoRecord::RemoveAdded { .. }
        )
    }
}

/// A confirmed edit in the undo (or redo) history: how to reverse it, and
/// what it was in words ("moved item 2 to position 3 in “Road Trip”").
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// How to reverse it.
    pub record: UndoRecord,
    /// What it was.
    pub what: String,
}

/// Why an edit was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The user made it.
    Edit,
    /// It undoes `what`; `redo` when it can be redone afterwards (a single
    /// request).
    Undo {
        /// The edit undone, in words.
        what: String,
        /// A redo is recorded when it is confirmed.
        redo: bool,
    },
    /// It redoes `what`.
    Redo {
        /// The edit redone, in words.
        what: String,
    },
}

/// An edit sent and not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub struct InFlight {
    /// Request id.
    pub id: u64,
    /// Playlist id.
    pub playlist_id: String,
    /// The edit.
    pub edit: Edit,
    /// Edits to send after this one succeeds (multi-run undo).
    pub rest: VecDeque<Edit>,
    /// Made by the user, an undo or a redo.
    pub origin: Origin,
    /// Total items before the edit (for undoing an append).
    pub total_before: u32,
}
