//! Rendering: a pure function of the application state.
