//! Where each pane goes for a terminal size: the geometry lives in
//! [`crate::app::geometry`] (the reducer needs it too); this is its name in `ui`.

pub use crate::app::geometry::*;
