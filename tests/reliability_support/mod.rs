//! The old name of the shared harness, kept for tests that import it: the
//! harness itself is `tests/support` (one copy, used by every tmux test).

#[path = "../support/mod.rs"]
mod support;

pub use support::tmux::*;
pub use support::*;
pub use support::soak::*;
