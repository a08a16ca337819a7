//! The application: state and the synchronous `update` reducer.
//!
//! Three kinds of message flow through it:
//! - **Input events** ([`event::Event::Key`], mouse, resize, paste) from the
//!   terminal;
//! - **internal events** ([`event::Event::Api`], [`event::Event::Art`],
//!   [`event::Event::PollDue`], [`event::Event::Tick`]) from the Web API
//!   worker, the art encoder, the poller and the animation tick;
//! - **actions** ([`action::Action`]) that `update` returns: requests go to
//!   the worker as they are, poll plans to the poller.
//!
//! `update` is synchronous and takes the clock as a parameter, so every state
//! change is unit-testable without a runtime. The runtime that wires it to
//! the terminal and the worker is [`crate::runtime`].

pub mod action;
pub mod cursor;
pub mod event;
pub mod find;
pub mod geometry;
pub mod intent;
pub mod keymap;
pub mod library;
pub mod sleep;
pub mod state;
pub mod update;
