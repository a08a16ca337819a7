//! HTTP plumbing for the login flows: a reqwest client that never follows
//! redirects, and the adapter that lets the `oauth2` crate send its requests
//! through reqwest 0.13.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Why an OAuth HTTP exchange failed below the OAuth layer.
#[derive(Debug, thiserror::Error)]
pub enum HttpAdapterError {
    /// The request could not be sent or the reply not read.
    #[error("HTTP request failed: {0}")]
    Reqwest(#[from] reqwest::Error),
    /// The reply could not be turned into an `http::Response`.
    #[error("malformed HTTP response: {0}")]
    Http(#[from] oauth2::http::Error),
    /// The reply was larger than any token response can be.
    #[error("the Accounts service sent more than {} KB; the answer was refused", MAX_TOKEN_BODY / 1024)]
    TooLarge,
}

/// Largest token response accepted (real ones are under 2 KB).
pub const MAX_TOKEN_BODY: usize = 256 * 1024;

/// Future returned by [`OAuthHttp`].
pub type OAuthHttpFuture =
    Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, HttpAdapterError>> + Send>>;

/// An `oauth2` async HTTP client backed by reqwest 0.13.
#[derive(Debug, Clone)]
pub struct OAuthHttp {
    client: reqwest::Client,
}

impl OAuthHttp {
    /// Wraps a reqwest client (build it with [`build_client`]).
    pub fn new(client: reqwest::Client) -> Self {
        Self { client }
    }

    /// Sends one OAuth request and converts the reply for `oauth2`.
    pub fn send(&self, req: oauth2::HttpRequest) -> OAuthHttpFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let req = reqwest::Request::try_from(req)?;
            let resp = client.execute(req).await?;
            let mut builder = oauth2::http::Response::builder().status(resp.status());
            for (name, value) in resp.headers() {
                builder = builder.header(name, value);
            }
            let mut resp = resp;
            if resp
                .content_length()
                .is_some_and(|n| n > MAX_TOKEN_BODY as u64)
            {
                return Err(HttpAdapterError::TooLarge);
            }
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await? {
                if body.len() + chunk.len() > MAX_TOKEN_BODY {
                    return Err(HttpAdapterError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(builder.body(body)?)
        })
    }

    /// A closure form accepted by `oauth2`'s `request_async`.
    pub fn as_fn(&self) -> impl Fn(oauth2::HttpRequest) -> OAuthHttpFuture + '_ {
        move |req| self.send(req)
    }
}

/// A reqwest client for the Accounts service: no redirects (an OAuth
/// endpoint that redirects is a misconfiguration, and following it could
/// leak credentials), bounded timeouts.
pub fn build_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("spotdeck/", env!("CARGO_PKG_VERSION")))
        .build()
}
