//! A connection's credentials: fetched by the connection task before each
//! attempt (a new one after a rejection) and put on the request with the
//! cookie jar's cookies; a 401 or 403 answered by refreshing them once,
//! not counted against the retries, and a second one failing the series.

use std::time::Duration;

use tokio::sync::mpsc;

use super::{Connection, Consumer};
use crate::sse::attempt::PreparedRequest;
use crate::sse::backoff::MIN_RETRY_DELAY;
use crate::sse::error::{ConnError, ErrorKind};
use crate::sse::message::{CloseReason, ConnMsg};
use crate::sse::redact;
use crate::sse::session::{self, Credential, Freshness};

impl<C: Consumer> Connection<C> {
    /// Puts the attempt's credential and the jar's cookies on `request`.
    pub(super) async fn authorise(
        &mut self,
        http: &reqwest::Client,
        request: &mut PreparedRequest,
    ) -> Result<(), ConnError> {
        let credential = self.credential(http).await?;
        session::apply(
            &mut request.headers,
            &request.url,
            credential.as_ref(),
            self.spec.session.cookies.as_ref(),
        )
    }

    /// Whether `error` is a 401 or 403 that fresh credentials may answer.
    /// A second one in a series says so in its message, naming the source.
    pub(super) fn credentials_rejected(&self, error: &mut ConnError) -> bool {
        let rejected = error.kind == ErrorKind::Status
            && matches!(error.status, Some(401 | 403))
            && self.spec.session.can_refresh();
        if rejected && self.auth_refreshed {
            error.message = format!(
                "{}; the credentials from {} were rejected again after a refresh: check them, or the account's access",
                error.message,
                self.spec.session.describe()
            );
            error.message = redact::text(&error.message, &self.secrets);
        }
        rejected
    }

    /// After a rejection: refresh once and retry at once, not counted as a
    /// failure; a second rejection in the series ends the connection.
    pub(super) fn refresh_or_fail(
        &mut self,
        error: ConnError,
    ) -> Result<Option<Duration>, CloseReason> {
        if self.auth_refreshed {
            return Err(CloseReason::Failed(error));
        }
        self.auth_refreshed = true;
        self.freshness = Freshness::Rejected;
        Ok(Some(MIN_RETRY_DELAY))
    }

    /// The credential for the next attempt, fetched by this task (a new
    /// one after a rejection): its header becomes a secret name and its
    /// value a secret scrubbed from every message.
    async fn credential(
        &mut self,
        http: &reqwest::Client,
    ) -> Result<Option<Credential>, ConnError> {
        let Some(source) = self.spec.session.credentials.clone() else {
            return Ok(None);
        };
        source.use_client(http);
        let (notices, mut notes) = mpsc::unbounded_channel();
        let mut fetch = source.credential(self.freshness, notices);
        let fetched = loop {
            tokio::select! {
                fetched = &mut fetch => break fetched,
                Some(text) = notes.recv() => {
                    let attempt = self.attempt;
                    // A consumer gone stops the task through its next send.
                    let _ = self.send(ConnMsg::AuthNotice { attempt, text }).await;
                }
            }
        };
        let credential = fetched.map_err(|err| ConnError::new(ErrorKind::Request, err.0))?;
        self.freshness = Freshness::Cached;
        if !self.secrets.contains(&credential.secret) {
            self.secrets.push(credential.secret.clone());
            self.secrets.push(credential.value.clone());
        }
        if !self.names.is_secret(&credential.header) {
            self.names = std::mem::take(&mut self.names).with_secret([credential.header.clone()]);
        }
        Ok(Some(credential))
    }
}
