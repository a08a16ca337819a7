//! Intents: user-level commands that keys are bound to. The help screen and
//! the config file use the names returned by [`Intent::name`].

/// A user-level command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Intent {
    /// Quit spotdeck.
    Quit,
    /// Show or hide the help screen.
    Help,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move the selection a page up.
    PageUp,
    /// Move the selection a page down.
    PageDown,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Activate the selected row (play, transfer, open).
    Select,
    /// Go back / close a popup.
    Back,
    /// Answer yes to a question (only while one is asked).
    Yes,
    /// Answer no to a question (only while one is asked).
    No,
    /// Clear the text field being typed in.
    ClearField,
    /// Play or pause.
    PlayPause,
    /// Next track.
    Next,
    /// Previous track.
    Previous,
    /// Seek forward 5 s.
    SeekForward,
    /// Seek back 5 s.
    SeekBackward,
    /// Seek forward 30 s.
    SeekForwardLong,
    /// Seek back 30 s.
    SeekBackwardLong,
    /// Seek to a typed position.
    SeekTo,
    /// Volume up 5.
    VolumeUp,
    /// Volume down 5.
    VolumeDown,
    /// Mute, or restore the volume before muting.
    Mute,
    /// Toggle shuffle.
    Shuffle,
    /// Cycle repeat off → context → track.
    Repeat,
    /// Open the device picker.
    Devices,
    /// Add the selected item to the queue.
    Enqueue,
    /// Show the player (now playing, queue, recent).
    ShowPlayer,
    /// Show the playlist browser.
    ShowPlaylists,
    /// Filter the current list as you type.
    Filter,
    /// Refresh what is on screen.
    Refresh,
    /// Remove the selected playlist item(s).
    Remove,
    /// Move the selected playlist item up.
    MoveUp,
    /// Move the selected playlist item down.
    MoveDown,
    /// Move the selected playlist item to a typed position.
    MoveTo,
    /// Mark or unmark the row for a multi-row edit.
    Mark,
    /// Undo the last playlist edit.
    Undo,
    /// Apply the last undone playlist edit again.
    Redo,
    /// Add the selected (or now-playing) track to a playlist.
    AddToPlaylist,
    /// Create a playlist.
    NewPlaylist,
    /// Edit the playlist's name, description and flags.
    EditDetails,
    /// Upload a cover image from a file.
    UploadCover,
    /// Unfollow (delete) the playlist.
    Unfollow,
    /// Open a playlist by id, URI or link.
    OpenById,
    /// Show the Search screen.
    ShowSearch,
    /// Show the Library screen (Liked Songs, albums, artists, shows).
    ShowLibrary,
    /// Like / unlike (save, follow) the selected item.
    Like,
    /// Open the album, artist, show or playlist page of the selected row.
    OpenPage,
    /// Open the album of what is playing.
    GoToAlbum,
    /// Open the artist of what is playing.
    GoToArtist,
}

impl Intent {
    /// Every intent, in help-screen order.
    pub const ALL: &'static [Intent] = &[
        Intent::PlayPause,
        Intent::Next,
        Intent::Previous,
        Intent::SeekForward,
        Intent::SeekBackward,
        Intent::SeekForwardLong,
        Intent::SeekBackwardLong,
        Intent::SeekTo,
        Intent::VolumeUp,
        Intent::VolumeDown,
        Intent::Mute,
        Intent::Shuffle,
        Intent::Repeat,
        Intent::Devices,
        Intent::Enqueue,
        Intent::ShowPlayer,
        Intent::ShowPlaylists,
        Intent::ShowSearch,
        Intent::ShowLibrary,
        Intent::Like,
        Intent::OpenPage,
        Intent::GoToAlbum,
        Intent::GoToArtist,
        Intent::FocusNext,
        Intent::FocusPrev,
        Intent::Up,
        Intent::Down,
        Intent::PageUp,
        Intent::PageDown,
        Intent::Top,
        Intent::Bottom,
        Intent::Select,
        Intent::Back,
        Intent::Filter,
        Intent::Refresh,
        Intent::Mark,
        Intent::Remove,
        Intent::MoveUp,
        Intent::MoveDown,
        Intent::MoveTo,
        Intent::Undo,
        Intent::Redo,
        Intent::AddToPlaylist,
        Intent::NewPlaylist,
        Intent::EditDetails,
        Intent::UploadCover,
        Intent::Unfollow,
        Intent::OpenById,
        Intent::Yes,
        Intent::No,
        Intent::ClearField,
        Intent::Help,
        Intent::Quit,
    ];

    /// Config-file name, e.g. `play_pause`.
    pub fn name(self) -> &'static str {
        match self {
            Intent::Quit => "quit",
            Intent::Help => "help",
            Intent::FocusNext => "focus_next",
            Intent::FocusPrev => "focus_prev",
            Intent::Up => "up",
            Intent::Down => "down",
            Intent::PageUp => "page_up",
            Intent::PageDown => "page_down",
            Intent::Top => "top",
            Intent::Bottom => "bottom",
            Intent::Select => "select",
            Intent::Back => "back",
            Intent::PlayPause => "play_pause",
            Intent::Next => "next",
            Intent::Previous => "previous",
            Intent::SeekForward => "seek_forward",
            Intent::SeekBackward => "seek_backward",
            Intent::SeekForwardLong => "seek_forward_long",
            Intent::SeekBackwardLong => "seek_backward_long",
            Intent::SeekTo => "seek_to",
            Intent::VolumeUp => "volume_up",
            Intent::VolumeDown => "volume_down",
            Intent::Mute => "mute",
            Intent::Shuffle => "shuffle",
            Intent::Repeat => "repeat",
            Intent::Devices => "devices",
            Intent::Enqueue => "enqueue",
            Intent::ShowPlayer => "show_player",
            Intent::ShowPlaylists => "show_playlists",
            Intent::Filter => "filter",
            Intent::Refresh => "refresh",
            Intent::Remove => "remove",
            Intent::MoveUp => "move_up",
            Intent::MoveDown => "move_down",
            Intent::MoveTo => "move_to",
            Intent::Mark => "mark",
            Intent::Undo => "undo",
            Intent::Redo => "redo",
            Intent::AddToPlaylist => "add_to_playlist",
            Intent::NewPlaylist => "new_playlist",
            Intent::EditDetails => "edit_details",
            Intent::UploadCover => "upload_cover",
            Intent::Unfollow => "unfollow",
            Intent::OpenById => "open_by_id",
            Intent::ShowSearch => "show_search",
            Intent::ShowLibrary => "show_library",
            Intent::Like => "like",
            Intent::OpenPage => "open_page",
            Intent::GoToAlbum => "go_to_album",
            Intent::GoToArtist => "go_to_artist",
            Intent::Yes => "yes",
            Intent::No => "no",
            Intent::ClearField => "clear_field",
        }
    }

    /// One-line description for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Intent::Quit => "quit",
            Intent::Help => "show/hide this help",
            Intent::FocusNext => "focus next pane",
            Intent::FocusPrev => "focus previous pane",
            Intent::Up => "up",
            Intent::Down => "down",
            Intent::PageUp => "page up",
            Intent::PageDown => "page down",
            Intent::Top => "first row",
            Intent::Bottom => "last row",
            Intent::Select => "play / transfer / open selected",
            Intent::Back => "back / close",
            Intent::PlayPause => "play / pause",
            Intent::Next => "next track",
            Intent::Previous => "previous track",
            Intent::SeekForward => "seek +5 s",
            Intent::SeekBackward => "seek −5 s",
            Intent::SeekForwardLong => "seek +30 s",
            Intent::SeekBackwardLong => "seek −30 s",
            Intent::SeekTo => "seek to a typed position (m:ss)",
            Intent::VolumeUp => "volume +5",
            Intent::VolumeDown => "volume −5",
            Intent::Mute => "mute / unmute",
            Intent::Shuffle => "toggle shuffle",
            Intent::Repeat => "cycle repeat off → context → track",
            Intent::Devices => "pick a device",
            Intent::Enqueue => "add selected to queue",
            Intent::ShowPlayer => "player screen",
            Intent::ShowPlaylists => "playlist browser",
            Intent::Filter => "filter as you type",
            Intent::Refresh => "reload",
            Intent::Remove => "remove selected/marked item(s)",
            Intent::MoveUp => "move item up",
            Intent::MoveDown => "move item down",
            Intent::MoveTo => "move item to a typed position",
            Intent::Mark => "mark row for a multi-row edit",
            Intent::Undo => "undo last playlist edit",
            Intent::Redo => "redo the edit last undone",
            Intent::AddToPlaylist => "add selected / now playing to a playlist",
            Intent::NewPlaylist => "create a playlist",
            Intent::EditDetails => "edit name, description, public, collaborative",
            Intent::UploadCover => "upload a cover image file",
            Intent::Unfollow => "unfollow (delete) the playlist",
            Intent::OpenById => "open a playlist by id, URI or link",
            Intent::ShowSearch => "search screen (type to search)",
            Intent::ShowLibrary => "library: Liked Songs, albums, artists, shows",
            Intent::Like => "like / unlike (save, follow) the selected item",
            Intent::OpenPage => "open the album / artist / show / playlist page",
            Intent::GoToAlbum => "go to the album of what is playing",
            Intent::GoToArtist => "go to the artist of what is playing",
            Intent::Yes => "answer yes (questions, form flags)",
            Intent::No => "answer no (questions, form flags)",
            Intent::ClearField => "clear the text field being typed in",
        }
    }

    /// Looks an intent up by its config name.
    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.iter().copied().find(|i| i.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for i in Intent::ALL {
            assert!(seen.insert(i.name()), "duplicate {}", i.name());
            assert_eq!(Intent::from_name(i.name()), Some(*i));
        }
    }
}

#[cfg(test)]
mod readme_tests {
    use super::Intent;

    #[test]
    fn readme_documents_every_intent() {
        let readme = include_str!("../../README.md");
        for i in Intent::ALL {
            assert!(
                readme.contains(&format!("`{}`", i.name())),
                "README misses `{}`",
                i.name()
            );
        }
    }
}
