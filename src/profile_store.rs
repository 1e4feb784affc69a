//! The config file's profiles as the UI loop uses them: opened, saved,
//! renamed and deleted on the user's command, each change written to disk at
//! once (atomically, keeping the user's comments: see `config`). A file that
//! did not load is never written over: the user fixes it first.

use std::path::PathBuf;

use crate::config::{ConfigFile, Profile, ProfileSummary, Startup, ViewSettings};
use crate::request;
use crate::sse::RequestSpec;

pub struct ProfileStore {
    path: Option<PathBuf>,
    file: Option<ConfigFile>,
    /// Why the file is not used (it did not parse); saving is refused.
    broken: Option<String>,
}

impl ProfileStore {
    pub fn new(startup: &mut Startup) -> Self {
        Self {
            path: startup.path.clone(),
            file: startup.file.take(),
            broken: startup.error.as_ref().map(ToString::to_string),
        }
    }

    /// The profiles in the file's order, as the picker lists them.
    pub fn summaries(&self) -> Vec<ProfileSummary> {
        self.file
            .as_ref()
            .map(ConfigFile::profile_summaries)
            .unwrap_or_default()
    }

    /// The profile's request, `{{name}}` filled from environment `env` (else
    /// the profile's own), `${env:…}` resolved and the settings applied
    /// (`request::compose` of the two), as `--profile NAME --env ENV` builds it.
    pub fn open(&self, name: &str, env: Option<&str>) -> Result<RequestSpec, String> {
        let file = self.usable()?;
        let vars = file
            .config()
            .vars(Some(name), env, &[])
            .map_err(|e| format!("profile {name:?}: {e}"))?;
        let profile = file
            .profile_request(name, &vars)
            .map_err(|e| e.to_string())?;
        let settings = file.config().settings.request_defaults();
        request::compose([settings, profile]).map_err(|e| format!("profile {name:?}: {e}"))
    }

    /// What profile `name` keeps of how the UI shows its stream.
    /// The profile's JSON Schemas (`schema`, `schemas`) read and compiled;
    /// `None` when it has none.
    pub fn schemas(&self, name: &str) -> Result<Option<crate::insight::contract::Schemas>, String> {
        let rules = self
            .file
            .as_ref()
            .and_then(|file| file.profile(name))
            .map(|profile| profile.schema_rules(self.path.as_deref()))
            .unwrap_or_default();
        crate::config::schemas::compile(&rules, Vec::new())
    }

    pub fn view(&self, name: &str) -> ViewSettings {
        self.file
            .as_ref()
            .and_then(|file| file.profile(name))
            .map(|profile| profile.view.clone())
            .unwrap_or_default()
    }

    /// Saves `spec` as profile `name`: `${env:…}` references of the previous
    /// version are kept where the value did not change, and the settings'
    /// default headers are not copied into it. Returns the fields that hold
    /// a secret in plain text (by the rule: `Profile::plain_secrets`), so
    /// the user is told where.
    pub fn save(
        &mut self,
        name: &str,
        spec: &RequestSpec,
        view: &ViewSettings,
        overwrite: bool,
    ) -> Result<Vec<String>, String> {
        let file = self.usable()?;
        let previous = file.profile(name);
        if previous.is_some() && !overwrite {
            return Err(format!("a profile named {name:?} exists already"));
        }
        let defaults = &file.config().settings.headers.0;
        let mut spec = spec.clone();
        spec.headers.retain(|(n, v)| {
            let from_settings = defaults
                .iter()
                .any(|(dn, dv)| dn.eq_ignore_ascii_case(n) && dv == v);
            let in_profile = previous
                .is_some_and(|p| p.headers.0.iter().any(|(pn, _)| pn.eq_ignore_ascii_case(n)));
            !from_settings || in_profile
        });
        // A `{{name}}` of the previous version is kept when it fills to the
        // value in one of the environments (the tab's is among them).
        let config = file.config();
        let mut var_sets: Vec<_> = std::iter::once(None)
            .chain(config.environment_names().into_iter().map(Some))
            .filter_map(|env| config.vars(Some(name), env.as_deref(), &[]).ok())
            .collect();
        var_sets.dedup();
        let mut profile = Profile::from_spec_with(
            &spec,
            previous,
            &crate::sse::env_ref::process_env,
            &var_sets,
        );
        profile.view = view.clone();
        let plain = profile.plain_secrets(&file.config().settings.secret_names());
        self.change(|file| {
            file.set_profile(name, &profile);
            Ok(())
        })?;
        Ok(plain)
    }

    /// Writes `profiles` in one change of the file: a name that exists is
    /// kept unless `force`. Returns the names written and those kept.
    pub fn import(
        &mut self,
        profiles: &[(String, Profile)],
        force: bool,
    ) -> Result<(Vec<String>, Vec<String>), String> {
        let file = self.usable()?;
        let (write, keep): (Vec<_>, Vec<_>) = profiles
            .iter()
            .partition(|(name, _)| force || file.profile(name).is_none());
        if !write.is_empty() {
            self.change(|file| {
                for (name, profile) in &write {
                    file.set_profile(name, profile);
                }
                Ok(())
            })?;
        }
        let names =
            |list: Vec<&(String, Profile)>| list.into_iter().map(|(n, _)| n.clone()).collect();
        Ok((names(write), names(keep)))
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        self.change(|file| file.rename_profile(from, to).map_err(|e| e.to_string()))
    }

    pub fn delete(&mut self, name: &str) -> Result<(), String> {
        self.change(|file| {
            if file.delete_profile(name) {
                Ok(())
            } else {
                Err(format!("there is no profile {name:?}"))
            }
        })
    }

    /// Applies `edit` to a copy and writes it; the copy replaces the file in
    /// memory only once it is on disk, so a failed write changes nothing.
    fn change(
        &mut self,
        edit: impl FnOnce(&mut ConfigFile) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut file = self.usable()?.clone();
        edit(&mut file)?;
        file.save().map_err(|e| e.to_string())?;
        self.file = Some(file);
        Ok(())
    }

    fn usable(&self) -> Result<&ConfigFile, String> {
        if let Some(why) = &self.broken {
            return Err(format!(
                "the config file is not used until it is fixed: {why}"
            ));
        }
        self.file.as_ref().ok_or_else(|| match &self.path {
            Some(path) => format!("cannot use the config file {}", path.display()),
            None => "no config file (no home directory): start with --config PATH".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ssetui-store-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn store(path: &Path) -> ProfileStore {
        ProfileStore::new(&mut Startup::load(Some(path)))
    }

    fn spec() -> RequestSpec {
        let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
        spec.headers = vec![
            ("X-Team".into(), "blue".into()),
            ("User-Agent".into(), "from-settings".into()),
        ];
        spec
    }

    #[test]
    fn a_saved_profile_is_listed_and_opens_without_the_settings_headers_in_it() {
        let path = scratch("save").join("config.toml");
        fs::write(
            &path,
            "[settings.headers]\nUser-Agent = \"from-settings\"\n",
        )
        .unwrap();
        let mut store = store(&path);
        let view = ViewSettings {
            search: Some("jq:.n > 1".into()),
            transcript_path: None,
            list_column: None,
        };
        store.save("mine", &spec(), &view, false).unwrap();
        assert_eq!(store.summaries()[0].name, "mine");
        assert_eq!(store.view("mine"), view, "the tab's search is kept with it");
        let written = fs::read_to_string(&path).unwrap();
        assert!(written.contains("X-Team"), "{written}");
        assert_eq!(written.matches("from-settings").count(), 1, "{written}");
        // Opened, the settings' header is added back, as `--profile` does.
        assert_eq!(store.open("mine", None).unwrap().headers.len(), 2);
        assert!(
            store
                .save("mine", &spec(), &ViewSettings::default(), false)
                .is_err(),
            "exists: not overwritten"
        );
    }

    #[test]
    fn a_save_names_the_secrets_the_profile_holds_in_plain_text() {
        let path = scratch("plain").join("config.toml");
        fs::write(
            &path,
            "[profiles.mine]\nurl = \"http://h/s\"\nheaders = { X-Auth-Token = \"${env:SSETUI_STORE_TEST_UNSET}\" }\n",
        )
        .unwrap();
        let mut store = store(&path);
        let mut spec = spec();
        spec.headers.push(("X-Api-Key".into(), "k-123".into()));
        let plain = store
            .save("new", &spec, &ViewSettings::default(), false)
            .unwrap();
        assert_eq!(plain, ["headers.X-Api-Key"]);
        let plain = store
            .save(
                "mine",
                &RequestSpec::get("http://h/s".parse().unwrap()),
                &ViewSettings::default(),
                true,
            )
            .unwrap();
        assert_eq!(plain, Vec::<String>::new(), "no secret, nothing named");
    }

    #[test]
    fn a_reference_in_the_request_is_saved_as_written_never_its_value() {
        let path = scratch("reference").join("config.toml");
        fs::write(&path, "").unwrap();
        let mut store = store(&path);
        let mut spec = spec();
        // As an imported `$OPENAI_API_KEY` or a typed reference leaves it.
        spec.auth = crate::sse::Auth::Bearer("${env:SSETUI_STORE_TEST_KEY}".into());
        store
            .save("ref", &spec, &ViewSettings::default(), false)
            .unwrap();
        let written = fs::read_to_string(&path).unwrap();
        assert!(
            written.contains("token = \"${env:SSETUI_STORE_TEST_KEY}\""),
            "{written}"
        );
    }

    #[test]
    fn the_picker_lists_a_profile_as_ssetui_profiles_does() {
        let path = scratch("summaries").join("config.toml");
        fs::write(
            &path,
            "[profiles.a]\nurl = \"http://h/a\"\nmethod = \"post\"\n\
             [profiles.b]\nurl = \"http://h/b\"\nbody = \"x\"\n\
             [profiles.c]\nurl = \"http://u:pw@h/c?key=k\"\n",
        )
        .unwrap();
        let store = store(&path);
        let listed: Vec<(String, String)> = store
            .summaries()
            .into_iter()
            .map(|s| (s.method, s.url))
            .collect();
        assert_eq!(
            listed,
            [
                ("POST".to_owned(), "http://h/a".to_owned()),
                ("POST".to_owned(), "http://h/b".to_owned()),
                ("GET".to_owned(), "http://u:***@h/c?key=***".to_owned()),
            ]
        );
        let table = crate::config::profile_table(store.file.as_ref().unwrap());
        for (method, url) in &listed {
            assert!(
                table.lines().any(|l| l.contains(method) && l.contains(url)),
                "{table}"
            );
        }
    }

    #[test]
    fn a_broken_file_is_never_saved_over() {
        let path = scratch("broken").join("config.toml");
        fs::write(&path, "[settings\n").unwrap();
        let mut store = store(&path);
        let err = store
            .save("p", &spec(), &ViewSettings::default(), false)
            .unwrap_err();
        assert!(err.contains("not used until it is fixed"), "{err}");
        assert!(store.delete("p").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "[settings\n");
    }

    #[test]
    fn a_failed_write_leaves_the_file_and_the_list_as_they_were() {
        let dir = scratch("failed-write");
        let path = dir.join("config.toml");
        let original = "[profiles.old]\nurl = \"http://h/old\"\n";
        fs::write(&path, original).unwrap();
        // A directory where the backup goes: the save fails, even as root.
        fs::create_dir(dir.join("config.toml.bak")).unwrap();
        let mut store = store(&path);
        assert!(
            store
                .save("new", &spec(), &ViewSettings::default(), false)
                .is_err()
        );
        assert!(store.rename("old", "older").is_err());
        let names: Vec<String> = store.summaries().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["old"]);
        assert_eq!(fs::read_to_string(&path).unwrap(), original);
    }
}
