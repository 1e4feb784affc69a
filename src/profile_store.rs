//! The config file's profiles as the UI loop uses them: opened, saved,
//! renamed and deleted on the user's command, each change written to disk at
//! once (atomically, keeping the user's comments: see `config`). A file that
//! did not load is never written over: the user fixes it first.

use std::path::PathBuf;

use clap::Parser;

use crate::cli::RequestArgs;
use crate::config::{ConfigFile, Profile, Startup};
use crate::sse::RequestSpec;
use crate::state::ProfileSummary;

pub struct ProfileStore {
    path: Option<PathBuf>,
    file: Option<ConfigFile>,
    /// Why the file is not used (it did not parse); saving is refused.
    broken: Option<String>,
}

/// A request made of no options at all, for a profile opened from the picker.
#[derive(Parser)]
struct NoOptions {
    #[command(flatten)]
    request: RequestArgs,
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
        let Some(file) = &self.file else {
            return Vec::new();
        };
        file.profile_names()
            .into_iter()
            .filter_map(|name| {
                let profile = file.profile(&name)?;
                Some(ProfileSummary {
                    method: profile.method.clone().unwrap_or_else(|| {
                        if profile.body.is_some() {
                            "POST"
                        } else {
                            "GET"
                        }
                        .to_owned()
                    }),
                    url: profile.url.clone(),
                    description: profile.description.clone().unwrap_or_default(),
                    name,
                })
            })
            .collect()
    }

    /// The profile's request, `${env:…}` resolved and the settings applied, as
    /// `--profile NAME` builds it.
    pub fn open(&self, name: &str) -> Result<RequestSpec, String> {
        let file = self.usable()?;
        let mut args = NoOptions::try_parse_from(["ssetui"])
            .map_err(|e| e.to_string())?
            .request;
        args.profile = Some(name.to_owned());
        args.to_spec_with_config(Some(file), None)
            .map_err(|e| e.to_string())
    }

    /// Saves `spec` as profile `name`: `${env:…}` references of the previous
    /// version are kept where the value did not change, and the settings'
    /// default headers are not copied into it.
    pub fn save(&mut self, name: &str, spec: &RequestSpec, overwrite: bool) -> Result<(), String> {
        let file = self.usable()?;
        let previous = file.profile(name);
        if previous.is_some() && !overwrite {
            return Err(format!("a profile named {name:?} exists already"));
        }
        let defaults = file.config().settings.request_defaults().headers;
        let mut spec = spec.clone();
        spec.headers.retain(|(n, v)| {
            let from_settings = defaults
                .iter()
                .any(|(dn, dv)| dn.eq_ignore_ascii_case(n) && dv == v);
            let in_profile = previous
                .is_some_and(|p| p.headers.0.iter().any(|(pn, _)| pn.eq_ignore_ascii_case(n)));
            !from_settings || in_profile
        });
        let profile = Profile::from_spec(&spec, previous);
        self.change(|file| {
            file.set_profile(name, &profile);
            Ok(())
        })
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
