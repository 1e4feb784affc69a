//! `[environments.NAME]` tables and the `vars` of the settings and of a
//! profile: named values for `{{name}}` placeholders (`request::vars`),
//! gathered into the [`Vars`] one request uses, and listed by `ssetui envs`
//! with the values of secret-named keys masked.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::ConfigError;
use super::model::Config;
use crate::request::{VarSource, Vars, vars::is_var_name};
use crate::sse::redact::{MASK, SecretNames};

/// Variable name → value, in the order written. A value may be a string
/// (with `${env:VAR}` references), a number or a boolean; it is kept as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VarTable(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for VarTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Text(String),
            Int(i64),
            Float(f64),
            Bool(bool),
        }
        struct TableVisitor;
        impl<'de> Visitor<'de> for TableVisitor {
            type Value = VarTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of name = \"value\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VarTable, A::Error> {
                let mut pairs = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    if !is_var_name(&name) {
                        return Err(de::Error::custom(format!(
                            "{name:?} is not a variable name: a letter or _, then letters, digits, _ . -"
                        )));
                    }
                    let value = match map.next_value::<Scalar>() {
                        Ok(Scalar::Text(text)) => text,
                        Ok(Scalar::Int(n)) => n.to_string(),
                        Ok(Scalar::Float(x)) => x.to_string(),
                        Ok(Scalar::Bool(b)) => b.to_string(),
                        Err(_) => {
                            return Err(de::Error::custom(format!(
                                "{name}: expected a string, a number or a boolean"
                            )));
                        }
                    };
                    pairs.push((name, value));
                }
                Ok(VarTable(pairs))
            }
        }
        deserializer.deserialize_map(TableVisitor)
    }
}

impl VarTable {
    /// The pairs, as a layer of [`Vars`] takes them.
    fn pairs(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.0.iter().cloned()
    }
}

/// One environment as `ssetui envs` and the UI's picker list it: its name
/// and its keys, secret values masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentSummary {
    pub name: String,
    /// Key and value as shown: a secret-named key's value is `***` unless it
    /// is only `${env:VAR}` references, which name no secret.
    pub vars: Vec<(String, String)>,
}

impl Config {
    /// The environments' names, in the order written.
    pub fn environment_names(&self) -> Vec<String> {
        self.environments.keys().cloned().collect()
    }

    /// Every environment, secret values masked by the secrets rule (with the
    /// settings' exceptions).
    pub fn environment_summaries(&self) -> Vec<EnvironmentSummary> {
        let names = self.settings.secret_names();
        self.environments
            .iter()
            .map(|(name, table)| EnvironmentSummary {
                name: name.clone(),
                vars: table
                    .0
                    .iter()
                    .map(|(k, v)| (k.clone(), shown_value(k, v, &names)))
                    .collect(),
            })
            .collect()
    }

    /// The variables one request uses: `explicit` (`--var`), the environment
    /// `env` (else the profile's own `env`), the profile's `vars`, the
    /// settings' `vars`. An environment that does not exist is an error
    /// listing those that do.
    pub fn vars(
        &self,
        profile: Option<&str>,
        env: Option<&str>,
        explicit: &[(String, String)],
    ) -> Result<Vars, ConfigError> {
        let mut vars = Vars::new()
            .with(VarSource::Settings, self.settings.vars.pairs())
            .with(VarSource::Explicit, explicit.iter().cloned());
        let profile = profile.and_then(|name| Some((name, self.profiles.get(name)?)));
        if let Some((name, p)) = profile {
            vars = vars.with(VarSource::Profile(name.to_owned()), p.vars.pairs());
        }
        let chosen = env.or_else(|| profile.and_then(|(_, p)| p.env.as_deref()));
        if let Some(env) = chosen {
            let table = self
                .environments
                .get(env)
                .ok_or_else(|| ConfigError::NoEnvironment {
                    name: env.to_owned(),
                    known: self.environment_names(),
                })?;
            vars = vars.with(VarSource::Environment(env.to_owned()), table.pairs());
        }
        Ok(vars)
    }
}

/// `value` as a listing shows it: masked when `key` is secret by the rule,
/// unless it is only `${env:VAR}` references.
pub fn shown_value(key: &str, value: &str, names: &SecretNames) -> String {
    if !names.is_secret(key) || only_env_refs(value) {
        value.to_owned()
    } else {
        MASK.to_owned()
    }
}

/// Whether `text` is nothing but `${env:VAR}` references (and spaces).
fn only_env_refs(text: &str) -> bool {
    crate::sse::env_ref::has_ref(text)
        && crate::sse::env_ref::resolve(text, &|_| Some(String::new()))
            .is_ok_and(|rest| rest.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Profile, ProfileAuth};
    use crate::sse::Auth;
    use std::path::Path;

    fn config(text: &str) -> Config {
        let (file, _) = super::super::ConfigFile::parse(Path::new("c.toml"), text).unwrap();
        file.config().clone()
    }

    const TEXT: &str = r#"
[settings.vars]
org = "acme"
[environments.staging]
base_url = "https://staging.example"
token = "${env:STAGING_TOKEN}"
api_key = "plain-secret"
port = 8443
[environments.dev]
base_url = "http://localhost:8900"
[profiles.p]
url = "{{base_url}}/chat"
env = "dev"
vars = { model = "m1" }
"#;

    #[test]
    fn environments_list_with_secret_values_masked() {
        let config = config(TEXT);
        // In the order written, not sorted: staging comes first in TEXT.
        assert_eq!(config.environment_names(), ["staging", "dev"]);
        let staging = &config.environment_summaries()[0];
        assert_eq!(staging.name, "staging");
        let keys: Vec<&str> = staging.vars.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["base_url", "token", "api_key", "port"]);
        let value = |k: &str| staging.vars.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(value("base_url"), "https://staging.example");
        assert_eq!(value("api_key"), "***", "secret by the rule");
        assert_eq!(
            value("token"),
            "${env:STAGING_TOKEN}",
            "a reference names no secret"
        );
        assert_eq!(value("port"), "8443");
    }

    #[test]
    fn a_profile_takes_its_own_environment_unless_one_is_given() {
        let config = config(TEXT);
        let vars = config.vars(Some("p"), None, &[]).unwrap();
        assert_eq!(vars.get("base_url"), Some("http://localhost:8900"));
        assert_eq!(vars.get("model"), Some("m1"));
        assert_eq!(vars.get("org"), Some("acme"));
        let vars = config
            .vars(Some("p"), Some("staging"), &[("org".into(), "cli".into())])
            .unwrap();
        assert_eq!(vars.get("base_url"), Some("https://staging.example"));
        assert_eq!(vars.get("org"), Some("cli"));
        let err = config
            .vars(None, Some("prod"), &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"prod\"") && err.contains("staging, dev"),
            "{err}"
        );
    }

    #[test]
    fn a_variables_env_reference_waits_for_sending_and_exports_as_a_shell_variable() {
        let text = r#"
[environments.staging]
base_url = "https://staging.example"
token = "${env:STAGING_TOKEN}"
[profiles.p]
url = "{{base_url}}/s"
headers = { X-Org = "${env:ORG}" }
auth = { kind = "bearer", token = "{{token}}" }
"#;
        let (file, _) = super::super::ConfigFile::parse(Path::new("c.toml"), text).unwrap();
        let vars = file.config().vars(Some("p"), Some("staging"), &[]).unwrap();
        let lookup = |name: &str| match name {
            "ORG" => Some("acme".to_owned()),
            "STAGING_TOKEN" => Some("s3cret".to_owned()),
            _ => None,
        };
        let profile = file.profile("p").unwrap();
        let spec =
            crate::request::compose([profile.to_overrides("p", &lookup, &vars).unwrap()]).unwrap();
        assert_eq!(spec.url.as_str(), "https://staging.example/s");
        // The profile's own reference and the environment's are both kept
        // until the request is sent...
        assert_eq!(
            spec.headers,
            [("X-Org".to_owned(), "${env:ORG}".to_owned())]
        );
        assert_eq!(spec.auth, Auth::Bearer("${env:STAGING_TOKEN}".into()));
        // ...and read then.
        let sent = spec.to_send(&lookup).unwrap();
        assert_eq!(sent.headers, [("X-Org".to_owned(), "acme".to_owned())]);
        assert_eq!(sent.auth, Auth::Bearer("s3cret".into()));
        let curl = crate::curl::to_curl(&spec, false);
        assert!(
            curl.contains(r#"'Authorization: Bearer '"$STAGING_TOKEN""#),
            "{curl}"
        );
        // Saved back, the profile keeps its placeholder.
        let saved = Profile::from_spec_with(&spec, Some(profile), &lookup, &[vars]);
        assert_eq!(
            saved.auth,
            ProfileAuth::Bearer {
                token: "{{token}}".into()
            }
        );
        assert_eq!(saved.url, "{{base_url}}/s");
    }

    #[test]
    fn a_bad_variable_name_is_a_parse_error() {
        let err = super::super::ConfigFile::parse(
            Path::new("c.toml"),
            "[environments.x]\n\"a b\" = \"1\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not a variable name"), "{err}");
    }
}
