//! From the form back to a [`RequestSpec`]: each field checked with a message
//! that says what is wrong and what to type, nothing sent while one is bad.

use reqwest::{Method, Url};

use super::json_body::check_json;
use super::{AuthKind, List, Part, RequestForm, Row, Slot, split_query};
use crate::insight::llm::ContentPath;
use crate::request::{self, header};
use crate::sse::{ApiKeyLocation, Auth, Field, RequestSpec};
use crate::state::text_input::TextInput;

impl RequestForm {
    /// The request the form describes, with `base`'s retry and transport
    /// settings (which the form does not edit). When a field is invalid,
    /// records an error on each bad field, focuses the first and returns `None`.
    pub fn build(&mut self, base: &RequestSpec) -> Option<RequestSpec> {
        self.move_url_query_to_rows();
        self.errors = self
            .lines()
            .concat()
            .into_iter()
            .filter_map(|slot| self.check(slot).err().map(|e| (slot, e)))
            .collect();
        if let Some((first, _)) = self.errors.first() {
            self.focus = *first;
            self.editing = false;
            if *first == Slot::Body
                && let Err(err) = check_json(self.body.text())
            {
                self.body
                    .set_cursor_line_col(err.line.saturating_sub(1), err.column.saturating_sub(1));
            }
            return None;
        }
        self.to_spec(base)
    }

    /// The request the form describes as it stands, the form untouched (no
    /// error recorded, a query typed into the URL not yet moved): `None`
    /// while a field is invalid. What the tab's "modified" compares with
    /// its profile as the user types.
    pub fn to_spec(&self, base: &RequestSpec) -> Option<RequestSpec> {
        if self
            .lines()
            .concat()
            .into_iter()
            .any(|slot| self.check(slot).is_err())
        {
            return None;
        }
        Some(RequestSpec {
            method: parse_method(self.method.text()).ok()?,
            url: self.url_with_query().ok()?,
            headers: enabled(&self.headers)
                .map(|row| {
                    (
                        row.name.text().trim().to_owned(),
                        row.value.text().to_owned(),
                    )
                })
                .collect(),
            body: self.body_bytes(),
            auth: self.auth(),
            last_event_id: self.last_event_id.text().to_owned(),
            reconnect: self.reconnect,
            // Picked in the editor: the user's choice from now on.
            reconnect_explicit: base.reconnect_explicit || self.reconnect != base.reconnect,
            body_format: self.parse_as,
            protocol: match (&base.protocol, self.mcp) {
                (crate::sse::Protocol::Mcp { .. }, true) => base.protocol.clone(),
                (_, true) => crate::sse::Protocol::Mcp {
                    version: None,
                    capabilities: Vec::new(),
                },
                (_, false) => crate::sse::Protocol::Sse,
            },
            redacted: self.redacted_fields(),
            ..base.clone()
        })
    }

    /// The fields still holding a value masked where the request came
    /// from, as the request built from the form counts them.
    fn redacted_fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        if self.url.is_redacted() {
            fields.push(Field::Url);
        }
        let rows = |rows: &[Row], field: fn(usize) -> Field| -> Vec<Field> {
            enabled(rows)
                .enumerate()
                .filter(|(_, row)| row.value.is_redacted())
                .map(|(i, _)| field(i))
                .collect()
        };
        fields.extend(rows(&self.query, Field::Query));
        fields.extend(rows(&self.headers, Field::Header));
        let a = &self.auth;
        let auth: &[(Field, &TextInput)] = match a.kind {
            AuthKind::None => &[],
            AuthKind::Bearer => &[(Field::AuthToken, &a.token)],
            AuthKind::Basic => &[
                (Field::AuthUser, &a.user),
                (Field::AuthPassword, &a.password),
            ],
            AuthKind::ApiKey => &[
                (Field::ApiKeyName, &a.key_name),
                (Field::ApiKeyValue, &a.key_value),
            ],
        };
        fields.extend(
            auth.iter()
                .filter(|(_, i)| i.is_redacted())
                .map(|(f, _)| *f),
        );
        if self.body.is_redacted() {
            fields.push(Field::Body);
        }
        if self.last_event_id.is_redacted() {
            fields.push(Field::LastEventId);
        }
        fields
    }

    /// Tidies a field whose edit ended (the method upper-cased, a query typed
    /// into the URL moved to the rows) and shows or clears its error.
    pub(super) fn finish_field(&mut self, slot: Slot) {
        match slot {
            Slot::Method => {
                let upper = self.method.text().trim().to_ascii_uppercase();
                if upper != self.method.text() {
                    self.method.set_text(upper);
                }
            }
            Slot::Url => self.move_url_query_to_rows(),
            _ => {}
        }
        self.validate_slot(slot);
    }

    /// Records or clears the error of one field.
    pub(super) fn validate_slot(&mut self, slot: Slot) {
        match self.check(slot) {
            Ok(()) => self.clear_error(slot),
            Err(message) => self.set_error(slot, message),
        }
    }

    /// What is wrong with one field, if anything.
    fn check(&self, slot: Slot) -> Result<(), String> {
        let api_key_in_header = self.auth.key_location == ApiKeyLocation::Header;
        match slot {
            Slot::Method => parse_method(self.method.text()).map(drop),
            Slot::Url => parse_url(&self.filled_url()?).map(drop),
            Slot::Row(list, i, part) => match self.rows(list).get(i) {
                Some(row) if row.enabled && !row.is_blank() => check_row(list, part, row),
                _ => Ok(()),
            },
            Slot::AuthToken if self.auth.kind == AuthKind::Bearer => {
                let token = self.auth.token.text();
                if token.is_empty() {
                    return Err("enter the token, or set auth to none".into());
                }
                header_value(token, "a token")
            }
            Slot::AuthUser if self.auth.user.text().contains(':') => {
                Err(request::RequestError::BasicUser.to_string())
            }
            Slot::AuthKeyName if self.auth.kind == AuthKind::ApiKey => {
                let name = self.auth.key_name.text().trim();
                if name.is_empty() {
                    Err("enter the API key's name, e.g. X-API-Key".into())
                } else if api_key_in_header {
                    header_name(name)
                } else {
                    Ok(())
                }
            }
            Slot::AuthKeyValue if self.auth.kind == AuthKind::ApiKey && api_key_in_header => {
                header_value(self.auth.key_value.text(), "an API key")
            }
            Slot::LastEventId => header_value(self.last_event_id.text(), "the Last-Event-ID"),
            Slot::AnswerPath => self.answer_path().map(|_| ()),
            Slot::Body if self.body_is_json() => {
                check_json(self.body.text()).map_err(|e| e.message)
            }
            _ => Ok(()),
        }
    }

    /// The Answer path typed: `None` when empty (the API's shape decides).
    pub fn answer_path(&self) -> Result<Option<ContentPath>, String> {
        let text = self.answer_path.text().trim();
        if text.is_empty() {
            return Ok(None);
        }
        ContentPath::parse(text)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// Moves a `?query` typed or pasted into the URL field to the query rows.
    fn move_url_query_to_rows(&mut self) {
        let text = self.url.text();
        let Some(q) = text.find('?') else {
            return;
        };
        let fragment = text[q..].find('#').map_or(text.len(), |f| q + f);
        let rows = split_query(&text[q + 1..fragment]);
        let url = format!("{}{}", &text[..q], &text[fragment..]);
        self.url.set_text(url);
        if !rows.is_empty() {
            self.shift_query_focus();
            self.query.extend(rows);
        }
    }

    /// Keeps the focus on the empty query list's line valid once rows exist.
    fn shift_query_focus(&mut self) {
        if self.focus == Slot::AddRow(List::Query) {
            self.focus = Slot::Row(List::Query, 0, Part::Name);
        }
    }

    /// The URL with the enabled query rows joined on, then any query still
    /// typed in the URL field (where [`build`](Self::build) moves it).
    fn url_with_query(&self) -> Result<Url, String> {
        let mut url = parse_url(&self.filled_url()?)?;
        let typed = url.query().map(split_query).unwrap_or_default();
        let pairs: Vec<String> = enabled(&self.query)
            .chain(enabled(&typed))
            .map(|row| {
                let name = encode_query_part(row.name.text().trim(), true);
                match row.value.text() {
                    "" => name,
                    value => format!("{name}={}", encode_query_part(value, false)),
                }
            })
            .collect();
        url.set_query((!pairs.is_empty()).then(|| pairs.join("&")).as_deref());
        Ok(url)
    }

    /// The body to send: the loaded bytes while the text is unchanged (they may
    /// not be UTF-8), nothing when empty.
    fn body_bytes(&self) -> Option<Vec<u8>> {
        let text = self.body.text();
        if let Some(original) = &self.original_body
            && String::from_utf8_lossy(original) == text
        {
            return Some(original.clone());
        }
        (!text.is_empty()).then(|| text.as_bytes().to_vec())
    }

    fn auth(&self) -> Auth {
        let a = &self.auth;
        match a.kind {
            AuthKind::None => Auth::None,
            AuthKind::Bearer => Auth::Bearer(a.token.text().to_owned()),
            AuthKind::Basic => Auth::Basic {
                user: a.user.text().to_owned(),
                password: a.password.text().to_owned(),
            },
            AuthKind::ApiKey => Auth::ApiKey {
                name: a.key_name.text().trim().to_owned(),
                value: a.key_value.text().to_owned(),
                location: a.key_location,
            },
        }
    }
}

/// The rows that are sent: enabled and not blank.
fn enabled(rows: &[Row]) -> impl Iterator<Item = &Row> {
    rows.iter().filter(|r| r.enabled && !r.is_blank())
}

fn check_row(list: List, part: Part, row: &Row) -> Result<(), String> {
    let name = row.name.text().trim();
    match (list, part) {
        (List::Query, Part::Name) if name.is_empty() => Err("enter a parameter name".into()),
        (List::Headers, Part::Name) if name.is_empty() => Err("enter a header name".into()),
        (List::Headers, Part::Name) => header_name(name),
        (List::Headers, Part::Value) => header_value(row.value.text(), "a header value"),
        _ => Ok(()),
    }
}

/// The method typed, by the method rule (`request::parse_method`).
fn parse_method(text: &str) -> Result<Method, String> {
    let text = text.trim().to_ascii_uppercase();
    if text.is_empty() {
        return Err("enter a method, e.g. GET or POST".into());
    }
    request::parse_method(&text)
        .map_err(|_| "not an HTTP method: use letters, digits or !#$%&'*+-.^_`|~ (e.g. GET)".into())
}

impl RequestForm {
    /// The URL field's text with its `{{name}}` filled from the tab's
    /// variables; as typed when there are none or it holds no placeholder
    /// (the URL parser then says what is wrong with it). An undefined name
    /// is the field's error, named.
    fn filled_url(&self) -> Result<std::borrow::Cow<'_, str>, String> {
        let text = self.url.text();
        match &self.url_vars {
            Some(vars) if text.contains("{{") => vars
                .fill("the URL", text)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| e.to_string()),
            _ => Ok(std::borrow::Cow::Borrowed(text)),
        }
    }
}

/// The URL typed, by the URL policy (`request::parse_url`): no scheme is
/// http://, as on the command line.
fn parse_url(text: &str) -> Result<Url, String> {
    request::parse_url(text).map_err(|e| e.reason())
}

/// A header name, by the header rule.
fn header_name(name: &str) -> Result<(), String> {
    header::check_name(name).map_err(|e| e.to_string())
}

/// A value sent in a header (`what` it is, for the message), by the header rule.
fn header_value(value: &str, what: &str) -> Result<(), String> {
    if header::is_value(value) {
        Ok(())
    } else {
        Err(format!(
            "{what} cannot contain line breaks or control characters"
        ))
    }
}

/// A query name or value made safe to join: the separators `&` (and `=` in a
/// name), `#` and spaces escaped; existing `%xx` escapes kept as written.
fn encode_query_part(s: &str, is_name: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("%26"),
            '#' => out.push_str("%23"),
            ' ' => out.push_str("%20"),
            '=' if is_name => out.push_str("%3D"),
            c => out.push(c),
        }
    }
    out
}
