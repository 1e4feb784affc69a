//! Expectations stored in a profile, so `ssetui check --profile NAME` is one
//! line in a pipeline:
//!
//! ```toml
//! [profiles.chat.check]
//! within = "30s"
//! min_events = 1
//! data_json = false
//! ends_with = "[DONE]"
//! expect_any = [".choices[0].delta.content != null"]
//! ```
//!
//! The keys are the command-line flags with `_` for `-`. Flags given on the
//! command line add to these: a number, duration or text given replaces the
//! profile's, lists are joined, switches are on when either turns them on.
//! Unknown keys are an error, not a warning: a misspelt expectation would
//! otherwise make a CI check pass without checking anything.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::json_path::Condition;
use crate::cli::CheckArgs;

/// The `check` table of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileChecks {
    #[serde(default, deserialize_with = "duration")]
    pub within: Option<Duration>,
    #[serde(default)]
    pub min_events: Option<u64>,
    #[serde(default)]
    pub max_events: Option<u64>,
    #[serde(default)]
    pub expect_type: Vec<String>,
    #[serde(default)]
    pub forbid_type: Vec<String>,
    #[serde(default)]
    pub ids_increasing: bool,
    #[serde(default)]
    pub data_json: bool,
    #[serde(default, deserialize_with = "duration")]
    pub first_event_within: Option<Duration>,
    #[serde(default)]
    pub ends_with: Option<String>,
    #[serde(default, deserialize_with = "conditions")]
    pub expect: Vec<Condition>,
    #[serde(default, deserialize_with = "conditions")]
    pub expect_any: Vec<Condition>,
}

impl ProfileChecks {
    /// `args` over these: what the command line gives wins or adds.
    pub fn merged_into(&self, args: &mut CheckArgs) {
        args.within = args.within.or(self.within);
        args.min_events = args.min_events.or(self.min_events);
        args.max_events = args.max_events.or(self.max_events);
        prepend(&mut args.expect_type, &self.expect_type);
        prepend(&mut args.forbid_type, &self.forbid_type);
        args.ids_increasing |= self.ids_increasing;
        args.data_json |= self.data_json;
        args.first_event_within = args.first_event_within.or(self.first_event_within);
        if args.ends_with.is_none() {
            args.ends_with.clone_from(&self.ends_with);
        }
        prepend(&mut args.expect, &self.expect);
        prepend(&mut args.expect_any, &self.expect_any);
    }
}

/// The profile's items first, so the report lists them in the file's order.
fn prepend<T: Clone>(list: &mut Vec<T>, first: &[T]) {
    list.splice(0..0, first.iter().cloned());
}

/// `"500ms"`, `"10s"`, `"1m 30s"`.
fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    humantime::parse_duration(&text).map(Some).map_err(|e| {
        serde::de::Error::custom(format!("{text:?} is not a duration ({e}), e.g. \"10s\""))
    })
}

fn conditions<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Condition>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|text| Condition::parse(text).map_err(serde::de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: CheckArgs,
    }

    fn args(flags: &[&str]) -> CheckArgs {
        let mut argv = vec!["check"];
        argv.extend_from_slice(flags);
        Wrapper::try_parse_from(argv).expect("flags parse").args
    }

    fn checks(text: &str) -> Result<ProfileChecks, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn every_key_reads_from_toml() {
        let c = checks(
            "within = \"30s\"\nmin_events = 1\nmax_events = 9\nexpect_type = [\"a\"]\n\
             forbid_type = [\"error\"]\nids_increasing = true\ndata_json = true\n\
             first_event_within = \"500ms\"\nends_with = \"[DONE]\"\n\
             expect = [\".n > 0\"]\nexpect_any = [\".done\"]\n",
        )
        .expect("parses");
        assert_eq!(c.within, Some(Duration::from_secs(30)));
        assert_eq!(c.first_event_within, Some(Duration::from_millis(500)));
        assert_eq!(c.expect[0].to_string(), ".n > 0");
        assert!(c.ids_increasing && c.data_json);
    }

    #[test]
    fn typos_bad_durations_and_bad_expressions_are_errors() {
        assert!(checks("min_event = 1").is_err());
        assert!(checks("within = \"soon\"").is_err());
        assert!(checks("expect = [\"n > 1\"]").is_err());
    }

    #[test]
    fn the_command_line_replaces_scalars_and_adds_to_lists() {
        let c =
            checks("min_events = 1\nmax_events = 9\nexpect_type = [\"a\"]\nends_with = \"[DONE]\"")
                .unwrap();
        let mut a = args(&["--min-events", "5", "--expect-type", "b", "--data-json"]);
        c.merged_into(&mut a);
        assert_eq!(a.min_events, Some(5));
        assert_eq!(a.max_events, Some(9));
        assert_eq!(a.expect_type, ["a", "b"]);
        assert_eq!(a.ends_with.as_deref(), Some("[DONE]"));
        assert!(a.data_json && !a.ids_increasing);
        assert_eq!(a.within, None);
    }
}
