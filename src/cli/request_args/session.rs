//! `--auth-command` and `--cookie-jar`: what keeps a stream authenticated
//! across reconnects, as the command line gives it.

use std::path::Path;
use std::sync::Arc;

use super::{ArgError, RequestArgs, arg_error};
use crate::auth::{Placement, TokenCommand};
use crate::sse::Session;
use crate::sse::cookies::CookieJar;
use crate::sse::session::{self, SharedJar};

impl RequestArgs {
    /// The token command and the cookie jar given, if any.
    pub(super) fn session(&self) -> Result<Session, ArgError> {
        let credentials = match &self.auth_command {
            None => None,
            Some(line) => {
                let words = crate::curl::shell_words::split(line)
                    .map_err(|err| arg_error(format!("--auth-command: {err}")))?;
                let argv = words
                    .into_iter()
                    .map(String::from_utf8)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| arg_error("--auth-command: the command is not UTF-8"))?;
                let command = TokenCommand::new(argv, self.auth_ttl, None, Placement::default())
                    .ok_or_else(|| arg_error("--auth-command: no program given"))?;
                Some(Arc::new(command) as Arc<dyn crate::sse::CredentialSource>)
            }
        };
        let cookies = self.cookie_jar.as_deref().map(read_jar).transpose()?;
        Ok(Session {
            credentials,
            cookies,
        })
    }
}

/// The jar in `path`, empty when there is no file yet (as curl starts one).
pub fn read_jar(path: &Path) -> Result<SharedJar, ArgError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => {
            return Err(arg_error(format!(
                "--cookie-jar {}: {err}",
                crate::text::one_line(path.display())
            )));
        }
    };
    Ok(session::shared_jar(CookieJar::from_netscape(
        &text,
        session::now_secs(),
    )))
}

/// Writes the jar back to `path` (0600, never through a symlink).
pub fn write_jar(path: &Path, jar: &SharedJar) -> std::io::Result<()> {
    use std::io::Write as _;
    let text = session::lock(jar).to_netscape();
    let mut file = crate::private_file::replace(path)?;
    file.write_all(text.as_bytes())
}
