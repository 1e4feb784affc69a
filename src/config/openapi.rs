//! `ssetui import openapi FILE`: every operation of an OpenAPI description
//! (YAML or JSON, 3.0 to 3.2) that answers `text/event-stream` as a
//! profile named by its `operationId`: the server URL and path (path
//! parameters as `{{name}}` placeholders, filled from an environment or
//! `--var`), the query parameters that have an example, the method, an
//! example body, and the security scheme as an auth kind whose secrets are
//! `${env:NAME}` references (never a value from the file).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::model::Profile;

/// One profile the description gives, or why an operation gives none.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub name: String,
    pub profile: Profile,
    /// What the profile expects the user to set: `${env:…}` and `{{…}}`.
    pub needs: Vec<String>,
}

/// What reading a description found.
#[derive(Debug, Default)]
pub struct Import {
    pub profiles: Vec<Imported>,
    /// Operations skipped, and why (no server URL, a name taken twice…).
    pub skipped: Vec<String>,
}

/// The description in `text`: JSON when it starts with `{`, else YAML.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|err| format!("not JSON: {err}"))
    } else {
        serde_saphyr::from_str::<Value>(text).map_err(|err| format!("not YAML: {err}"))
    }
}

/// The profiles of every event-stream operation of `doc`; `server` (the
/// `--server` flag) replaces the description's first server URL.
pub fn profiles(doc: &Value, server: Option<&str>) -> Result<Import, String> {
    if doc.get("openapi").and_then(Value::as_str).is_none() {
        return Err("no \"openapi\" version: not an OpenAPI description".into());
    }
    let base = match server {
        Some(url) => url.to_owned(),
        None => doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or("no servers[0].url: give the server with --server URL")?,
    };
    let base = base.trim_end_matches('/').to_owned();
    let mut import = Import::default();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(import);
    };
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            if !answers_event_stream(op) {
                continue;
            }
            let name = op
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| slug(method, path), str::to_owned);
            if let Some(first) = taken.get(&name) {
                import.skipped.push(format!(
                    "{} {path}: the name {name:?} is {first}'s already",
                    method.to_uppercase()
                ));
                continue;
            }
            taken.insert(name.clone(), format!("{} {path}", method.to_uppercase()));
            match profile(doc, &base, path, method, op) {
                Ok((profile, needs)) => import.profiles.push(Imported {
                    name,
                    profile,
                    needs,
                }),
                Err(why) => import
                    .skipped
                    .push(format!("{} {path}: {why}", method.to_uppercase())),
            }
        }
    }
    Ok(import)
}

/// Whether a response of `op` is an event stream.
fn answers_event_stream(op: &Value) -> bool {
    op.get("responses")
        .and_then(Value::as_object)
        .is_some_and(|responses| {
            responses.values().any(|r| {
                r.get("content")
                    .and_then(Value::as_object)
                    .is_some_and(|c| c.contains_key("text/event-stream"))
            })
        })
}

/// A name for an operation with no `operationId`: `post-chat`.
fn slug(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{method}-{}", words.join("-"))
}

/// An environment variable's name for `scheme`'s `what`: `BEARERAUTH_TOKEN`.
fn env_name(scheme: &str, what: &str) -> String {
    let cleaned: String = scheme
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{cleaned}_{what}")
}

fn profile(
    doc: &Value,
    base: &str,
    path: &str,
    method: &str,
    op: &Value,
) -> Result<(Profile, Vec<String>), String> {
    let mut needs = Vec::new();
    // Path parameters become `{{name}}`: the environment fills them.
    let mut url_path = String::new();
    for part in path.split_inclusive('/') {
        if let Some(inner) = part.strip_prefix('{') {
            let (name, rest) = inner.split_once('}').unwrap_or((inner, ""));
            url_path.push_str(&format!("{{{{{name}}}}}{rest}"));
            needs.push(format!("{{{{{name}}}}}"));
        } else {
            url_path.push_str(part);
        }
    }
    let mut query = Vec::new();
    for parameter in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if parameter.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let example = parameter
            .get("example")
            .or_else(|| parameter.pointer("/schema/example"))
            .or_else(|| parameter.pointer("/schema/default"));
        match example {
            Some(Value::String(text)) => query.push(format!("{name}={}", encode(text))),
            Some(value) if !value.is_null() => query.push(format!("{name}={value}")),
            _ if parameter.get("required") == Some(&Value::Bool(true)) => {
                query.push(format!("{name}={{{{{name}}}}}"));
                needs.push(format!("{{{{{name}}}}}"));
            }
            _ => {}
        }
    }
    let mut url = format!("{base}{url_path}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    let body = example_body(op);
    let mut fields = json!({ "url": url, "method": method.to_uppercase() });
    if let Some(body) = body {
        fields["body"] = Value::String(body);
        fields["headers"] = json!({ "Content-Type": "application/json" });
    }
    if let Some(summary) = op
        .get("summary")
        .or_else(|| op.get("description"))
        .and_then(Value::as_str)
    {
        fields["description"] = Value::String(crate::text::cut(summary, 200).into_owned());
    }
    if let Some(auth) = auth(doc, op, &mut needs) {
        fields["auth"] = auth;
    }
    let profile: Profile = serde_json::from_value(fields).map_err(|err| err.to_string())?;
    Ok((profile, needs))
}

/// Query values percent-encoded, `{{…}}` kept.
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The request body's example as JSON text: `example`, the first of
/// `examples`, or the schema's `example`.
fn example_body(op: &Value) -> Option<String> {
    let media = op.pointer("/requestBody/content/application~1json")?;
    let example = media
        .get("example")
        .or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|all| all.values().next())
                .and_then(|e| e.get("value"))
        })
        .or_else(|| media.pointer("/schema/example"))?;
    serde_json::to_string(example).ok()
}

/// The operation's security (its own, else the document's) as an auth
/// table, its secrets `${env:NAME}`; the first scheme ssetui can send.
fn auth(doc: &Value, op: &Value, needs: &mut Vec<String>) -> Option<Value> {
    let requirements = op.get("security").or_else(|| doc.get("security"))?;
    let names = requirements
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|r| r.keys().cloned());
    for name in names {
        let scheme = doc.pointer(&format!(
            "/components/securitySchemes/{}",
            name.replace('~', "~0").replace('/', "~1")
        ))?;
        let kind = scheme
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let http = scheme
            .get("scheme")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let env = |what: &str, needs: &mut Vec<String>| {
            let reference = format!("${{env:{}}}", env_name(&name, what));
            needs.push(reference.clone());
            reference
        };
        let auth = match (kind, http.as_str()) {
            ("http", "bearer") | ("oauth2" | "openIdConnect", _) => {
                json!({ "kind": "bearer", "token": env("TOKEN", needs) })
            }
            ("http", "basic") => json!({
                "kind": "basic",
                "user": env("USER", needs),
                "password": env("PASSWORD", needs),
            }),
            ("apiKey", _) => {
                let location = scheme.get("in").and_then(Value::as_str).unwrap_or("header");
                if location == "cookie" {
                    continue;
                }
                json!({
                    "kind": "api-key",
                    "name": scheme.get("name").and_then(Value::as_str).unwrap_or("X-Api-Key"),
                    "value": env("KEY", needs),
                    "location": location,
                })
            }
            _ => continue,
        };
        return Some(auth);
    }
    None
}

#[cfg(test)]
mod tests;

/// What an OpenAPI description says an operation's event stream holds
/// (`--openapi`): in 3.2, `itemSchema` on `text/event-stream` describes
/// each event as an object (`event`, `data`, `id`, `retry`, `data` a
/// string), and the JSON inside `data` is described by its
/// `contentMediaType` + `contentSchema` (annotations to validators, so
/// validated apart); before 3.2, the media type's `schema` is taken as
/// each event's data schema, with a notice saying so.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamContract {
    /// The schema of the event object (3.2 `itemSchema`), if given.
    pub item_schema: Option<Value>,
    /// The schema of each event's data parsed as JSON, if given.
    pub data_schema: Option<Value>,
    /// What the reader should know of how the description was read.
    pub notice: Option<String>,
}

/// The contract of the operation `operation_id`, else of the one for
/// `method` and the URL path `path` (its templates matched segment by
/// segment). `$ref`s into the description are resolved.
pub fn stream_contract(
    doc: &Value,
    method: &str,
    path: &str,
    operation_id: Option<&str>,
) -> Result<StreamContract, String> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the description has no paths")?;
    let method = method.to_ascii_lowercase();
    let op = paths
        .iter()
        .find_map(|(template, item)| match operation_id {
            Some(id) => ["get", "post", "put", "patch", "delete"]
                .iter()
                .filter_map(|m| item.get(*m))
                .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id)),
            None => item.get(&method).filter(|_| path_matches(template, path)),
        });
    let op = op.ok_or_else(|| match operation_id {
        Some(id) => format!("no operation has operationId {id:?}"),
        None => format!(
            "no operation for {} {path} (name one with --operation ID)",
            method.to_uppercase()
        ),
    })?;
    let media = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|responses| responses.values())
        .find_map(|response| {
            resolve(doc, response)
                .pointer("/content/text~1event-stream")
                .cloned()
        })
        .ok_or("the operation answers no text/event-stream")?;
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(item) = media.get("itemSchema") {
        let item = inline_refs(doc, item, 0);
        let data_schema = item.pointer("/properties/data/contentSchema").cloned();
        return Ok(StreamContract {
            item_schema: Some(item),
            data_schema,
            notice: None,
        });
    }
    match media.get("schema") {
        Some(schema) => Ok(StreamContract {
            item_schema: None,
            data_schema: Some(inline_refs(doc, schema, 0)),
            notice: Some(format!(
                "OpenAPI {version} has no itemSchema: the text/event-stream schema is taken as each event's data schema"
            )),
        }),
        None => Err("the operation's text/event-stream has neither itemSchema nor schema".into()),
    }
}

/// Whether the URL path `path` is an instance of the template `template`
/// (`/runs/{id}/events`).
fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// A `$ref` into the description followed (one level).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(value)
}

/// How deep `$ref`s are followed: a cycle ends here.
const REF_DEPTH: usize = 32;

/// `schema` with every `$ref` into the description replaced by what it
/// names, so the schema stands alone (a validator sees no other file).
fn inline_refs(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > REF_DEPTH {
        return Value::Bool(true);
    }
    match schema {
        Value::Object(map) => {
            if let Some(target) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|pointer| doc.pointer(pointer))
            {
                return inline_refs(doc, target, depth + 1);
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), inline_refs(doc, v, depth + 1)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| inline_refs(doc, v, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}
