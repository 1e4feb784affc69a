//! A profile's JSON Schemas (`schema`, `[profiles.NAME.schemas]`), as the
//! rules `--schema` gives, with paths relative to the config file's folder.

use std::path::Path;

use super::model::Profile;
use crate::insight::contract::SchemaRule;

impl Profile {
    /// The profile's schema rules: `schema` first, then one per event type
    /// (by type name). A relative path is taken from `config_path`'s folder.
    pub fn schema_rules(&self, config_path: Option<&Path>) -> Vec<SchemaRule> {
        let folder = config_path.and_then(Path::parent);
        let resolve = |file: &str| match folder {
            Some(folder) if Path::new(file).is_relative() => {
                folder.join(file).display().to_string()
            }
            _ => file.to_owned(),
        };
        let every = self.schema.iter().map(|file| SchemaRule {
            event_type: None,
            file: resolve(file),
        });
        let typed = self.schemas.iter().map(|(kind, file)| SchemaRule {
            event_type: Some(kind.clone()),
            file: resolve(file),
        });
        every.chain(typed).collect()
    }
}
