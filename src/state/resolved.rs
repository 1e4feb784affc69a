//! What the request editor's `v` shows: each field of the request as it
//! will be sent, `{{name}}` filled from the tab's environment and
//! `${env:VAR}` resolved, every secret masked (by the secrets rule, and any
//! value of a secret-named variable wherever it appears), so a user sees
//! what goes out without putting a secret on the screen.

use crate::request::{Vars, vars::fill_spec};
use crate::sse::redact::{self, MASK};
use crate::sse::request::{ApiKeyLocation, Auth, RequestSpec};
use crate::sse::{Env, env_ref};

/// The fields as they will be sent, or why the request cannot be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedView {
    /// The environment the placeholders came from, if any.
    pub environment: Option<String>,
    /// Field name and value, secrets masked; or the one error.
    pub rows: Result<Vec<(String, String)>, String>,
}

impl ResolvedView {
    /// `spec` (the editor's request as it stands) filled from `vars`, then
    /// resolved from `env`.
    pub fn of(spec: &RequestSpec, vars: &Vars, env: &Env) -> Self {
        Self {
            environment: vars.environment().map(str::to_owned),
            rows: rows(spec, vars, env),
        }
    }
}

fn rows(spec: &RequestSpec, vars: &Vars, env: &Env) -> Result<Vec<(String, String)>, String> {
    let filled = fill_spec(vars, spec).map_err(|e| e.to_string())?;
    let sent = filled
        .to_send(&|name| env.get(name))
        .map_err(|e| e.to_string())?;
    let names = sent.secret_names();
    // Values that must not show anywhere (a body may quote a token).
    let mut secrets = secret_var_values(vars, env);
    match &sent.auth {
        Auth::None => {}
        Auth::Bearer(token) => secrets.push(token.clone()),
        Auth::Basic { password, .. } => secrets.push(password.clone()),
        Auth::ApiKey { value, .. } => secrets.push(value.clone()),
    }
    for (name, value) in &sent.headers {
        if names.is_secret(name) {
            secrets.push(value.clone());
        }
    }
    let mut rows = vec![
        ("Method".to_owned(), sent.method.to_string()),
        ("URL".to_owned(), redact::url(&sent.url, &names)),
    ];
    for (name, value) in &sent.headers {
        let shown = redact::header_value(name, value, &names);
        rows.push((name.clone(), redact::text(&shown, &secrets)));
    }
    if let Some(auth) = sent.auth.header() {
        let shown = redact::header_value(&auth.name, &auth.value, &names);
        let shown = if shown == auth.value && names.is_secret(&auth.name) {
            MASK.to_owned()
        } else {
            shown
        };
        rows.push((auth.name, shown));
    }
    if let Auth::ApiKey {
        name,
        location: ApiKeyLocation::Query,
        ..
    } = &sent.auth
    {
        rows.push((format!("?{name}"), MASK.to_owned()));
    }
    if !sent.last_event_id.is_empty() {
        rows.push((
            "Last-Event-ID".to_owned(),
            redact::text(&sent.last_event_id, &secrets),
        ));
    }
    if let Some(body) = &sent.body {
        let text = String::from_utf8_lossy(body);
        rows.push(("Body".to_owned(), redact::text(&text, &secrets)));
    }
    Ok(rows)
}

/// The values (resolved) of the variables whose names are secret by the
/// rule (`token`, `api_key`), wherever they end up.
fn secret_var_values(vars: &Vars, env: &Env) -> Vec<String> {
    vars.names()
        .filter(|name| redact::is_secret_by_rule(name))
        .filter_map(|name| vars.get(name))
        .filter_map(|value| env_ref::resolve(value, &|n| env.get(n)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::VarSource;

    #[test]
    fn fields_show_as_sent_with_secrets_masked() {
        let mut spec = RequestSpec::get("http://h/{{path}}?q={{q}}&key=${env:K}".parse().unwrap());
        spec.headers = vec![
            ("X-Org".into(), "{{org}}".into()),
            ("X-Api-Key".into(), "{{token}}".into()),
        ];
        spec.auth = Auth::Bearer("{{token}}".into());
        spec.body = Some(br#"{"t": "{{token}}", "u": "{{ user }}", "o": "{{org}}"}"#.to_vec());
        let vars = Vars::new().with(
            VarSource::Environment("staging".into()),
            [
                ("path", "v1/s"),
                ("q", "x y"),
                ("org", "acme"),
                ("token", "${env:STAGING_TOKEN}"),
            ],
        );
        let env = Env::fixed(&[("STAGING_TOKEN", "s3cret-token"), ("K", "k3y")]);
        let view = ResolvedView::of(&spec, &vars, &env);
        assert_eq!(view.environment.as_deref(), Some("staging"));
        let rows = view.rows.unwrap();
        let all = format!("{rows:?}");
        assert!(
            !all.contains("s3cret-token") && !all.contains("k3y"),
            "{all}"
        );
        let row = |name: &str| rows.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(row("URL"), "http://h/v1/s?q=x%20y&key=***");
        assert_eq!(row("X-Org"), "acme");
        assert_eq!(row("X-Api-Key"), "***");
        assert_eq!(row("Authorization"), "Bearer ***");
        assert_eq!(
            row("Body"),
            r#"{"t": "***", "u": "{{ user }}", "o": "acme"}"#
        );
    }

    #[test]
    fn an_undefined_variable_or_unset_env_is_the_one_row() {
        let spec = RequestSpec::get("http://h/s".parse().unwrap());
        let mut with_header = spec.clone();
        with_header.headers = vec![("X-A".into(), "{{nope}}".into())];
        let view = ResolvedView::of(&with_header, &Vars::new(), &Env::fixed(&[]));
        let err = view.rows.unwrap_err();
        assert!(err.contains("{{nope}}") && err.contains("X-A"), "{err}");
        with_header.headers = vec![("X-A".into(), "${env:UNSET}".into())];
        let err = ResolvedView::of(&with_header, &Vars::new(), &Env::fixed(&[]))
            .rows
            .unwrap_err();
        assert!(err.contains("UNSET"), "{err}");
    }
}
