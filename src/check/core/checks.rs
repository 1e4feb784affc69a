//! What a check is asked to judge: the expectations and the time they are
//! judged over, as the command line gives them or as a profile stores them,
//! so `ssetui check --profile NAME` is one line in a pipeline:
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

use super::condition::Condition;
use super::expect::Expectation;

/// How long the stream is watched without `within`.
pub const DEFAULT_WITHIN: Duration = Duration::from_secs(10);

/// The expectations of one check and the time they are judged over: a
/// profile's `check` table, or the command line's flags (the runner copies
/// them here, so this layer knows no command line).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
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
    /// Fail on any LLM stream shape that breaks client SDKs (`--llm-strict`).
    #[serde(default)]
    pub llm_strict: bool,
    #[serde(default, deserialize_with = "duration")]
    pub first_event_within: Option<Duration>,
    #[serde(default)]
    pub ends_with: Option<String>,
    #[serde(default, deserialize_with = "conditions")]
    pub expect: Vec<Condition>,
    #[serde(default, deserialize_with = "conditions")]
    pub expect_any: Vec<Condition>,
}

impl Checks {
    /// `flags` over these (a profile's): what the command line gives wins or adds.
    pub fn merged_into(&self, flags: &mut Checks) {
        flags.within = flags.within.or(self.within);
        flags.min_events = flags.min_events.or(self.min_events);
        flags.max_events = flags.max_events.or(self.max_events);
        prepend(&mut flags.expect_type, &self.expect_type);
        prepend(&mut flags.forbid_type, &self.forbid_type);
        flags.ids_increasing |= self.ids_increasing;
        flags.data_json |= self.data_json;
        flags.llm_strict |= self.llm_strict;
        flags.first_event_within = flags.first_event_within.or(self.first_event_within);
        if flags.ends_with.is_none() {
            flags.ends_with.clone_from(&self.ends_with);
        }
        prepend(&mut flags.expect, &self.expect);
        prepend(&mut flags.expect_any, &self.expect_any);
    }

    /// How long the stream is watched: `within`, or [`DEFAULT_WITHIN`].
    pub fn within(&self) -> Duration {
        self.within.unwrap_or(DEFAULT_WITHIN)
    }

    /// The expectations asked for, in a fixed order (the report's order).
    pub fn expectations(&self) -> Vec<Expectation> {
        let mut list = Vec::new();
        list.extend(self.min_events.map(Expectation::MinEvents));
        list.extend(self.max_events.map(Expectation::MaxEvents));
        list.extend(
            self.expect_type
                .iter()
                .cloned()
                .map(Expectation::ExpectType),
        );
        list.extend(
            self.forbid_type
                .iter()
                .cloned()
                .map(Expectation::ForbidType),
        );
        if self.ids_increasing {
            list.push(Expectation::IdsIncreasing);
        }
        if self.data_json {
            list.push(Expectation::DataJson);
        }
        list.extend(self.first_event_within.map(Expectation::FirstEventWithin));
        list.extend(self.ends_with.clone().map(Expectation::EndsWith));
        list.extend(self.expect.iter().cloned().map(Expectation::Every));
        list.extend(self.expect_any.iter().cloned().map(Expectation::Any));
        if self.llm_strict {
            list.push(Expectation::LlmStrict);
        }
        list
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

    fn checks(text: &str) -> Result<Checks, toml::de::Error> {
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
        assert_eq!(c.expectations().len(), 10, "every key but within");
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
        let mut flags = Checks {
            min_events: Some(5),
            expect_type: vec!["b".into()],
            data_json: true,
            ..Checks::default()
        };
        c.merged_into(&mut flags);
        assert_eq!(flags.min_events, Some(5));
        assert_eq!(flags.max_events, Some(9));
        assert_eq!(flags.expect_type, ["a", "b"]);
        assert_eq!(flags.ends_with.as_deref(), Some("[DONE]"));
        assert!(flags.data_json && !flags.ids_increasing);
        assert_eq!(flags.within, None);
        assert_eq!(flags.within(), DEFAULT_WITHIN);
    }
}
