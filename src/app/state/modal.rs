//! The playlists screen's modals as state (confirmation, picker, prompts,
//! the details form, the cover view); their keys are in
//! [`crate::app::library`].

use super::edits::Details;
use crate::app::cursor::ListCursor;
use crate::domain::{ImageRef, PlaylistEntry};

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    /// Remove these copies.
    Remove {
        /// Playlist id.
        playlist_id: String,
        /// (position, uri), ascending.
        items: Vec<(u32, String)>,
        /// The rows removed.
        entries: Vec<PlaylistEntry>,
    },
    /// Unfollow the playlist.
    Unfollow {
        /// Playlist id.
        playlist_id: String,
    },
}

/// What the details form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    /// A new playlist.
    Create,
    /// Changing an existing playlist.
    Edit {
        /// Playlist id.
        playlist_id: String,
        /// Details before.
        old: Details,
    },
}

/// Name, description, public and collaborative, asked one after the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Create or edit.
    pub purpose: FormPurpose,
    /// Field being asked: 0 name, 1 description, 2 public, 3 collaborative.
    pub step: usize,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Public.
    pub public: bool,
    /// Collaborative.
    pub collaborative: bool,
}

/// Number of fields in the form.
pub const FORM_STEPS: usize = 4;

/// A modal of the playlists screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    /// A yes/no question before a destructive edit.
    Confirm {
        /// The question, with what it means.
        question: String,
        /// What "yes" does.
        action: Confirmed,
    },
    /// Pick a playlist to add `uris` to.
    Picker {
        /// What to add.
        uris: Vec<String>,
        /// The rows being added, when known.
        entries: Option<Vec<PlaylistEntry>>,
        /// Editable playlists: (id, name).
        choices: Vec<(String, String)>,
        /// Selection.
        cursor: ListCursor,
    },
    /// Type the position to move the selected item to.
    MoveTo {
        /// Digits typed.
        input: String,
        /// Real position of the item.
        from: u32,
        /// Items in the playlist.
        len: u32,
    },
    /// Type a playlist id, URI or link to open.
    OpenById {
        /// Text typed.
        input: String,
    },
    /// Create a playlist or change its details.
    Form(Form),
    /// The cover: what it is now, and a path to upload a new one.
    Cover {
        /// Playlist id.
        playlist_id: String,
        /// Playlist name.
        name: String,
        /// Images, once loaded (or why not).
        images: Option<Result<Vec<ImageRef>, String>>,
        /// Path typed.
        input: String,
    },
}

impl Modal {
    /// True when the modal takes typed text (paste goes there).
    pub fn takes_text(&self) -> bool {
        match self {
            Modal::Form(f) => f.step < 2,
            Modal::MoveTo { .. } | Modal::Cover { .. } | Modal::OpenById { .. } => true,
            _ => false,
        }
    }
}
