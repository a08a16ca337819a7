//! What the scripting CLI prints and how it exits: text or JSON on stdout,
//! errors as a sentence on stderr (or `{"error": {...}}` on stdout with
//! `--json`), an exit code per kind of failure, and a quiet exit when the
//! reader of stdout has gone away (`spotdeck playlists | head -1`).

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use crate::spotify::ApiError;

/// Why a command failed, as scripts see it: the `kind` in JSON and the exit code.
pub fn error_kind(e: &ApiError) -> (&'static str, u8) {
    match e {
        ApiError::InvalidArgument(_) => ("usage", 2),
        ApiError::NotFound { .. } => ("not_found", 3),
        ApiError::Forbidden { .. }
        | ApiError::BadRequest { .. }
        | ApiError::Restricted { .. }
        | ApiError::PremiumRequired
        | ApiError::NoActiveDevice
        | ApiError::Conflict(_)
        | ApiError::RateLimited { .. } => ("refused", 4),
        ApiError::Network(_)
        | ApiError::Timeout
        | ApiError::Server { .. }
        | ApiError::Decode(_) => ("network", 5),
        ApiError::Unauthorized { .. } | ApiError::Token(_) => ("auth", 6),
    }
}

/// The error's sentence with CLI advice instead of TUI keys.
pub fn cli_sentence(e: &ApiError) -> String {
    match e {
        ApiError::NoActiveDevice => "No active device — list them with `spotdeck devices`, \
             then pick one with `spotdeck transfer DEVICE` (or open Spotify on one)"
            .into(),
        _ => crate::text::clean_text(&e.sentence()).into_owned(),
    }
}

/// The `--json` form of an error.
pub fn error_json(e: &ApiError) -> serde_json::Value {
    let (kind, code) = error_kind(e);
    let mut err = json!({ "kind": kind, "message": cli_sentence(e), "exit_code": code });
    if let (Some(status), Some(o)) = (e.status(), err.as_object_mut()) {
        o.insert("status".into(), json!(status));
    }
    json!({ "error": err })
}

/// Writes `text` and a newline to `w`; a reader that went away is not an error.
pub fn write_out(w: &mut impl Write, text: &str) -> std::io::Result<()> {
    let r = w
        .write_all(text.as_bytes())
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.flush());
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints a command's result and picks the exit code.
pub fn finish(result: Result<String, ApiError>, json: bool) -> ExitCode {
    let stdout = &mut std::io::stdout().lock();
    match result {
        Ok(out) => {
            if !out.is_empty() && write_out(stdout, out.trim_end()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let (_, code) = error_kind(&e);
            if json {
                let text = serde_json::to_string_pretty(&error_json(&e)).unwrap_or_default();
                let _ = write_out(stdout, &text);
            } else {
                let _ = write_out(
                    &mut std::io::stderr().lock(),
                    &format!("spotdeck: {}", cli_sentence(&e)),
                );
            }
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_exit_code() {
        let cases = [
            (ApiError::InvalidArgument("x".into()), "usage", 2),
            (
                ApiError::NotFound {
                    message: "m".into(),
                },
                "not_found",
                3,
            ),
            (ApiError::NoActiveDevice, "refused", 4),
            (ApiError::Network("down".into()), "network", 5),
            (
                ApiError::Unauthorized {
                    message: "m".into(),
                },
                "auth",
                6,
            ),
        ];
        for (e, kind, code) in cases {
            assert_eq!(error_kind(&e), (kind, code), "{e:?}");
            let j = error_json(&e);
            assert_eq!(j["error"]["kind"], kind);
            assert_eq!(j["error"]["exit_code"], code);
        }
    }

    #[test]
    fn the_cli_gives_cli_advice() {
        let s = cli_sentence(&ApiError::NoActiveDevice);
        assert!(
            s.contains("spotdeck devices") && s.contains("spotdeck transfer"),
            "{s}"
        );
        assert!(!s.contains("with d"), "{s}");
    }

    /// A writer whose reader has gone away.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        assert!(write_out(&mut ClosedPipe, "hello").is_ok());
        let mut buf = Vec::new();
        write_out(&mut buf, "hello").unwrap();
        assert_eq!(buf, b"hello\n");
    }
}
