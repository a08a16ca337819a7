//! Things the user must hear about that no Web API answer carries: the
//! start-up report of interrupted playlist removals, and a renewed login
//! that could not be saved. They reach the reducer as [`Event::Notice`].

use std::sync::Arc;
use std::time::Duration;

use futures::Stream;
use futures::StreamExt;

use crate::app::event::Event;
use crate::token::TokenSource;

/// The start-up notices as one event, then each new reason a renewed login
/// could not be saved, checked every `every` and said once per distinct
/// message.
pub fn stream(
    start: &[String],
    tokens: Arc<dyn TokenSource>,
    every: Duration,
) -> impl Stream<Item = Event> + Send + Unpin + 'static {
    let first = (!start.is_empty()).then(|| Event::Notice(start.join(" ")));
    let problems =
        futures::stream::unfold((tokens, None::<String>), move |(tokens, said)| async move {
            loop {
                tokio::time::sleep(every).await;
                match tokens.persist_problem() {
                    Some(p) if said.as_deref() != Some(p.as_str()) => {
                        return Some((Event::Notice(p.clone()), (tokens, Some(p))));
                    }
                    _ => {}
                }
            }
        });
    Box::pin(futures::stream::iter(first).chain(problems))
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::token::{AccessToken, TokenError, TokenFuture};

    /// A token source whose save problem the test sets.
    struct Unsaved(Mutex<Option<String>>);

    impl TokenSource for Unsaved {
        fn access_token(&self) -> TokenFuture<'_> {
            Box::pin(async { Ok(AccessToken::bare("t")) })
        }
        fn refresh_after_rejection(&self) -> TokenFuture<'_> {
            Box::pin(async { Err(TokenError::Refresh("no".into())) })
        }
        fn persist_problem(&self) -> Option<String> {
            self.0.lock().ok().and_then(|p| p.clone())
        }
    }

    async fn next(s: &mut (impl Stream<Item = Event> + Unpin)) -> Option<String> {
        match tokio::time::timeout(Duration::from_secs(5), s.next()).await {
            Ok(Some(Event::Notice(text))) => Some(text),
            _ => None,
        }
    }

    #[tokio::test]
    async fn start_notices_then_each_distinct_save_problem_once() {
        let tokens = Arc::new(Unsaved(Mutex::new(None)));
        let start = [
            "Finished the removal.".to_string(),
            "Put 2 back.".to_string(),
        ];
        let mut s = stream(&start, tokens.clone(), Duration::from_millis(5));
        assert_eq!(
            next(&mut s).await.as_deref(),
            Some("Finished the removal. Put 2 back.")
        );
        *tokens.0.lock().unwrap() = Some("cannot save /x: disk full".into());
        assert_eq!(
            next(&mut s).await.as_deref(),
            Some("cannot save /x: disk full")
        );
        *tokens.0.lock().unwrap() = Some("cannot save /x: read-only".into());
        assert_eq!(
            next(&mut s).await.as_deref(),
            Some("cannot save /x: read-only")
        );
    }
}
