//! The request editor: every part of a [`RequestSpec`] a user edits (method,
//! URL, query, headers, auth, Last-Event-ID, reconnect policy, body) as
//! [`TextInput`]s and choices, with a focus and two modes.
//!
//! Navigation mode: j/k (↑/↓) move between lines, Tab/Shift-Tab between
//! fields, h/l (←/→) between a row's name and value or through a choice's
//! options. Enter or `i` edits the focused text field; single letters are
//! commands (`a` add a row, `d` delete it, Space toggle it or cycle a choice,
//! `F` format the JSON body, `E` open the body in `$EDITOR`, `r` reveal
//! secrets). Esc returns [`FormOutcome::Close`].
//!
//! Editing mode: the field has the keys, so letters type. Esc or Enter ends
//! the edit (in the body Enter is a newline and Tab indents, so only Esc
//! leaves); Tab moves on to the next field still editing. Ctrl-R, Ctrl-C and
//! F-keys are never taken: connecting works from anywhere.
//!
//! The form never sends anything itself: [`RequestForm::build`] validates and
//! returns the spec, or records an error on each bad field.

mod build;
mod hints;
mod json_body;
mod keys;

use crate::request::vars::Vars;
use crate::sse::redact::SecretNames;
use crate::sse::{ApiKeyLocation, Auth, BodyFormat, Field, ReconnectPolicy, RequestSpec};

use super::frame::EditorScroll;
use super::text_input::TextInput;

pub use json_body::{format_json, looks_like_json};

/// What the app should do after the form saw a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOutcome {
    /// The form used the key.
    Handled,
    /// The key means nothing here (or must reach the app: Ctrl-R, Ctrl-C, F-keys).
    NotHandled,
    /// Esc in navigation mode: leave the form.
    Close,
    /// Open this body text in `$EDITOR`, then hand the result to [`RequestForm::set_body`].
    EditBody(String),
    /// `v`: show each field's value as it will be sent.
    ShowResolved,
}

/// The two lists of name/value rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Query,
    Headers,
}

/// Which half of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Name,
    Value,
}

/// One focusable place in the form, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Method,
    Url,
    Row(List, usize, Part),
    /// The line standing for an empty list, where `a` or Enter adds a row.
    AddRow(List),
    AuthKind,
    AuthToken,
    AuthUser,
    AuthPassword,
    AuthKeyName,
    AuthKeyValue,
    AuthKeyLocation,
    LastEventId,
    Reconnect,
    /// What the request speaks: an event stream, or MCP (`ssetui mcp`).
    Kind,
    /// How the body is read (`--parse-as`).
    ParseAs,
    /// Where the Answer view finds each event's text (empty: by the API's shape).
    AnswerPath,
    Body,
}

impl Slot {
    /// Whether Space and h/l cycle this slot's value.
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            Slot::AuthKind | Slot::AuthKeyLocation | Slot::Reconnect | Slot::Kind | Slot::ParseAs
        )
    }
}

/// A query parameter or header: sent only while enabled.
#[derive(Debug, Clone)]
pub struct Row {
    pub enabled: bool,
    pub name: TextInput,
    pub value: TextInput,
}

impl Row {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            enabled: true,
            name: TextInput::single_line(name),
            value: TextInput::single_line(value),
        }
    }

    /// A row with neither name nor value is left out (and removed when its edit ends).
    pub fn is_blank(&self) -> bool {
        self.name.text().trim().is_empty() && self.value.text().is_empty()
    }
}

/// The kinds of [`Auth`], as the form cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    None,
    Bearer,
    Basic,
    ApiKey,
}

impl AuthKind {
    pub const ALL: [AuthKind; 4] = [Self::None, Self::Bearer, Self::Basic, Self::ApiKey];

    pub fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Bearer => "Bearer",
            Self::Basic => "Basic",
            Self::ApiKey => "API key",
        }
    }
}

/// The auth fields of every kind, kept while the kind changes so cycling
/// through the kinds loses nothing typed.
#[derive(Debug, Clone)]
pub struct AuthFields {
    pub kind: AuthKind,
    pub token: TextInput,
    pub user: TextInput,
    pub password: TextInput,
    pub key_name: TextInput,
    pub key_value: TextInput,
    pub key_location: ApiKeyLocation,
}

impl AuthFields {
    fn from_auth(auth: &Auth) -> Self {
        let mut fields = Self {
            kind: AuthKind::None,
            token: TextInput::single_line(""),
            user: TextInput::single_line(""),
            password: TextInput::single_line(""),
            key_name: TextInput::single_line(""),
            key_value: TextInput::single_line(""),
            key_location: ApiKeyLocation::Header,
        };
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => {
                fields.kind = AuthKind::Bearer;
                fields.token = TextInput::single_line(token.as_str());
            }
            Auth::Basic { user, password } => {
                fields.kind = AuthKind::Basic;
                fields.user = TextInput::single_line(user.as_str());
                fields.password = TextInput::single_line(password.as_str());
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } => {
                fields.kind = AuthKind::ApiKey;
                fields.key_name = TextInput::single_line(name.as_str());
                fields.key_value = TextInput::single_line(value.as_str());
                fields.key_location = *location;
            }
        }
        fields
    }
}

/// Options of the body-format choice, in cycling order.
pub const BODY_FORMATS: [BodyFormat; 3] = [
    BodyFormat::EventStream,
    BodyFormat::ForceSse,
    BodyFormat::Ndjson,
];

/// Options of the reconnect choice, in cycling order.
pub const RECONNECT_POLICIES: [ReconnectPolicy; 3] = [
    ReconnectPolicy::Always,
    ReconnectPolicy::OnError,
    ReconnectPolicy::Never,
];

/// Methods Space cycles through on the method field (any token can be typed).
pub const COMMON_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The request editor's state. See the module documentation for the keys.
#[derive(Debug, Clone)]
pub struct RequestForm {
    pub method: TextInput,
    /// Scheme, host and path; the query lives in `query`.
    pub url: TextInput,
    pub query: Vec<Row>,
    pub headers: Vec<Row>,
    pub auth: AuthFields,
    pub last_event_id: TextInput,
    pub reconnect: ReconnectPolicy,
    pub parse_as: BodyFormat,
    /// The request is an MCP connection (else an event stream).
    pub mcp: bool,
    /// Not part of the request: the tab's Answer path, edited beside it.
    pub answer_path: TextInput,
    pub body: TextInput,
    /// The body as loaded, sent as is while the text is unchanged (it may not be UTF-8).
    original_body: Option<Vec<u8>>,
    focus: Slot,
    editing: bool,
    /// The field being edited and its text before the edit: what Ctrl-C
    /// puts back ([`RequestForm::cancel_edit`]).
    before_edit: Option<(Slot, String)>,
    reveal_secrets: bool,
    errors: Vec<(Slot, String)>,
    /// Which header and query names hold secrets (the rule, with the
    /// request's exceptions).
    secret_names: SecretNames,
    /// The first form line shown, as the last frame reported it, so the next
    /// one keeps the focus in view moving as little as possible.
    scroll: usize,
    /// The tab's variables, which fill `{{name}}` in the URL before it is
    /// read: `{{base_url}}/chat` is no URL until its host is filled in.
    url_vars: Option<Vars>,
    /// What supplies the request's credentials when the profile says so
    /// (a token command, OAuth2), which the form does not edit: said beside
    /// the auth kind so "None" does not read as "no auth".
    credentials_from: Option<String>,
}

impl RequestForm {
    /// The form showing `spec`; its query string is split into rows.
    pub fn from_spec(spec: &RequestSpec) -> Self {
        let mut url = spec.url.clone();
        url.set_query(None);
        let query = spec
            .url
            .query()
            .filter(|q| !q.is_empty())
            .map(split_query)
            .unwrap_or_default();
        let headers = spec.headers.iter().map(|(n, v)| Row::new(n, v)).collect();
        let body_text = spec
            .body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let mut form = Self {
            method: TextInput::single_line(spec.method.as_str()),
            url: TextInput::single_line(url.as_str()),
            query,
            headers,
            auth: AuthFields::from_auth(&spec.auth),
            last_event_id: TextInput::single_line(spec.last_event_id.as_str()),
            reconnect: spec.reconnect,
            parse_as: spec.body_format,
            mcp: spec.protocol.is_mcp(),
            answer_path: TextInput::single_line(""),
            body: TextInput::multi_line(body_text),
            original_body: spec.body.clone(),
            focus: Slot::Url,
            editing: false,
            before_edit: None,
            reveal_secrets: false,
            errors: Vec::new(),
            secret_names: spec.secret_names(),
            scroll: 0,
            url_vars: None,
            credentials_from: spec.session.credentials.as_ref().map(|c| c.describe()),
        };
        // The flag goes with its field: rows moved or typed into keep or lose it.
        for field in &spec.redacted {
            if let Some(input) = form.slot_for(*field).and_then(|slot| form.input_mut(slot)) {
                input.mark_redacted();
            }
        }
        form
    }

    /// The slot that holds `field` of the request [`build`](Self::build)
    /// makes: rows are counted as it counts them (enabled, not blank).
    pub fn slot_for(&self, field: Field) -> Option<Slot> {
        let row = |list: List, n: usize| {
            self.rows(list)
                .iter()
                .enumerate()
                .filter(|(_, r)| r.enabled && !r.is_blank())
                .nth(n)
                .map(|(i, _)| Slot::Row(list, i, Part::Value))
        };
        Some(match field {
            Field::Url => Slot::Url,
            Field::Query(n) => return row(List::Query, n),
            Field::Header(n) => return row(List::Headers, n),
            Field::AuthToken => Slot::AuthToken,
            Field::AuthUser => Slot::AuthUser,
            Field::AuthPassword => Slot::AuthPassword,
            Field::ApiKeyName => Slot::AuthKeyName,
            Field::ApiKeyValue => Slot::AuthKeyValue,
            Field::Body => Slot::Body,
            Field::LastEventId => Slot::LastEventId,
        })
    }

    /// Puts the focus on `field` with `message` as its error (why the
    /// request was not sent); `false` when the form has no such field.
    pub fn point_at(&mut self, field: Field, message: String) -> bool {
        let Some(slot) = self.slot_for(field).filter(|s| self.input(*s).is_some()) else {
            return false;
        };
        self.set_error(slot, message);
        self.focus = slot;
        self.editing = false;
        true
    }

    /// Whether `slot` holds a value masked where the request came from.
    pub fn is_redacted(&self, slot: Slot) -> bool {
        self.input(slot).is_some_and(TextInput::is_redacted)
    }

    /// The focused slot.
    pub fn focus(&self) -> Slot {
        self.focus
    }

    /// Whether a text field has the keys (letters type instead of acting).
    pub fn is_editing(&self) -> bool {
        self.editing
    }

    /// Whether secrets are shown in clear.
    pub fn secrets_revealed(&self) -> bool {
        self.reveal_secrets
    }

    /// The error recorded on `slot` by the last validation, if any.
    pub fn error(&self, slot: Slot) -> Option<&str> {
        self.errors
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, e)| e.as_str())
    }

    /// How many fields have an error.
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// The first form line shown (for the renderer).
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Where a frame drew the form and the field being typed in from, as it
    /// reported it.
    /// The variables that fill `{{name}}` in the URL field (the tab's
    /// environment, profile and settings); the URL is checked again with them.
    pub fn set_url_vars(&mut self, vars: Option<Vars>) {
        self.url_vars = vars;
        if self.url.text().contains("{{") {
            self.validate_slot(Slot::Url);
        }
    }

    /// What supplies the credentials, when not the auth fields (see the field).
    pub fn credentials_from(&self) -> Option<&str> {
        self.credentials_from.as_deref()
    }

    pub fn set_scroll(&mut self, scroll: EditorScroll) {
        self.scroll = scroll.top;
        if let Some((slot, input)) = scroll.input
            && let Some(field) = self.input_mut(slot)
        {
            field.set_scroll(input);
        }
    }

    /// Replaces the body with what `$EDITOR` returned (undoable) and validates it.
    pub fn set_body(&mut self, text: String) {
        self.body.set_text(text);
        self.editing = false;
        self.focus = Slot::Body;
        self.validate_slot(Slot::Body);
    }

    /// The form's focusable slots line by line, as drawn.
    pub fn lines(&self) -> Vec<Vec<Slot>> {
        let mut lines = vec![vec![Slot::Method], vec![Slot::Url]];
        for list in [List::Query, List::Headers] {
            let rows = self.rows(list);
            if rows.is_empty() {
                lines.push(vec![Slot::AddRow(list)]);
            }
            for i in 0..rows.len() {
                lines.push(vec![
                    Slot::Row(list, i, Part::Name),
                    Slot::Row(list, i, Part::Value),
                ]);
            }
        }
        lines.push(vec![Slot::AuthKind]);
        let auth: &[Slot] = match self.auth.kind {
            AuthKind::None => &[],
            AuthKind::Bearer => &[Slot::AuthToken],
            AuthKind::Basic => &[Slot::AuthUser, Slot::AuthPassword],
            AuthKind::ApiKey => &[Slot::AuthKeyName, Slot::AuthKeyValue, Slot::AuthKeyLocation],
        };
        lines.extend(auth.iter().map(|s| vec![*s]));
        lines.push(vec![Slot::LastEventId]);
        lines.push(vec![Slot::Reconnect]);
        lines.push(vec![Slot::Kind]);
        lines.push(vec![Slot::ParseAs]);
        lines.push(vec![Slot::AnswerPath]);
        lines.push(vec![Slot::Body]);
        lines
    }

    pub fn rows(&self, list: List) -> &[Row] {
        match list {
            List::Query => &self.query,
            List::Headers => &self.headers,
        }
    }

    fn rows_mut(&mut self, list: List) -> &mut Vec<Row> {
        match list {
            List::Query => &mut self.query,
            List::Headers => &mut self.headers,
        }
    }

    /// The text field behind `slot`, if it is one.
    pub fn input(&self, slot: Slot) -> Option<&TextInput> {
        Some(match slot {
            Slot::Method => &self.method,
            Slot::Url => &self.url,
            Slot::Row(list, i, part) => {
                let row = self.rows(list).get(i)?;
                match part {
                    Part::Name => &row.name,
                    Part::Value => &row.value,
                }
            }
            Slot::AuthToken => &self.auth.token,
            Slot::AuthUser => &self.auth.user,
            Slot::AuthPassword => &self.auth.password,
            Slot::AuthKeyName => &self.auth.key_name,
            Slot::AuthKeyValue => &self.auth.key_value,
            Slot::LastEventId => &self.last_event_id,
            Slot::AnswerPath => &self.answer_path,
            Slot::Body => &self.body,
            Slot::AddRow(_)
            | Slot::AuthKind
            | Slot::AuthKeyLocation
            | Slot::Reconnect
            | Slot::Kind
            | Slot::ParseAs => {
                return None;
            }
        })
    }

    fn input_mut(&mut self, slot: Slot) -> Option<&mut TextInput> {
        Some(match slot {
            Slot::Method => &mut self.method,
            Slot::Url => &mut self.url,
            Slot::Row(list, i, part) => {
                let row = self.rows_mut(list).get_mut(i)?;
                match part {
                    Part::Name => &mut row.name,
                    Part::Value => &mut row.value,
                }
            }
            Slot::AuthToken => &mut self.auth.token,
            Slot::AuthUser => &mut self.auth.user,
            Slot::AuthPassword => &mut self.auth.password,
            Slot::AuthKeyName => &mut self.auth.key_name,
            Slot::AuthKeyValue => &mut self.auth.key_value,
            Slot::LastEventId => &mut self.last_event_id,
            Slot::AnswerPath => &mut self.answer_path,
            Slot::Body => &mut self.body,
            Slot::AddRow(_)
            | Slot::AuthKind
            | Slot::AuthKeyLocation
            | Slot::Reconnect
            | Slot::Kind
            | Slot::ParseAs => {
                return None;
            }
        })
    }

    /// Whether `slot` holds a secret, masked with `•` unless revealed: the
    /// auth token, password and key value, and the values of headers and
    /// query parameters whose names say secret (`Authorization`, `X-Api-Key`,
    /// `X-Amz-Signature`...: the one rule, `SecretNames`).
    pub fn is_secret(&self, slot: Slot) -> bool {
        match slot {
            Slot::AuthToken | Slot::AuthPassword | Slot::AuthKeyValue => true,
            Slot::Row(List::Headers, i, Part::Value) => self
                .headers
                .get(i)
                .is_some_and(|row| self.secret_names.is_secret(row.name.text())),
            Slot::Row(List::Query, i, Part::Value) => self
                .query
                .get(i)
                .is_some_and(|row| self.secret_names.is_secret_query(row.name.text().trim())),
            _ => false,
        }
    }

    /// Whether `slot` is shown masked right now.
    pub fn is_masked(&self, slot: Slot) -> bool {
        !self.reveal_secrets && self.is_secret(slot)
    }

    /// Whether the body will be checked as JSON: it starts with `{` or `[`,
    /// or an enabled `Content-Type` header says JSON.
    pub fn body_is_json(&self) -> bool {
        looks_like_json(self.body.text())
            || self.headers.iter().any(|row| {
                row.enabled
                    && row.name.text().trim().eq_ignore_ascii_case("content-type")
                    && row.value.text().to_ascii_lowercase().contains("json")
            })
    }
}

/// Rows from a raw query string, each value kept exactly as written (percent
/// escapes included) so joining them back gives the same URL.
fn split_query(query: &str) -> Vec<Row> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Row::new(name, value)
        })
        .collect()
}

#[cfg(test)]
mod tests;
