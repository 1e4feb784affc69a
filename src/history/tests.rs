use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::sse::{Auth, Field};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ssetui-history-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn spec(url: &str) -> RequestSpec {
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.auth = Auth::Bearer("sk-live-secret".into());
    spec.headers.push(("X-Api-Key".into(), "k3y-secret".into()));
    spec.headers.push(("Accept-Language".into(), "en".into()));
    spec
}

fn entry(n: u64) -> Entry {
    Entry::new(
        &spec(&format!("http://127.0.0.1:1/s?n={n}")),
        Some("p".into()),
        Sender::Print,
        UNIX_EPOCH + Duration::from_secs(n),
    )
}

#[test]
fn an_entry_holds_no_secret_and_reopens_asking_for_them() {
    let mut sent = spec("http://u:pw@127.0.0.1:1/s?token=t0k&x=1");
    sent.body = Some(b"{\"q\":1}".to_vec());
    let entry = Entry::new(&sent, None, Sender::Ui, SystemTime::now());
    let line = serde_json::to_string(&entry).unwrap();
    for secret in ["sk-live-secret", "k3y-secret", "t0k", "pw"] {
        assert!(!line.contains(secret), "{secret} in {line}");
    }
    assert!(line.contains("Accept-Language") && line.contains("\"en\""));
    let again = entry.to_spec().unwrap();
    assert_eq!(again.body.as_deref(), Some(&b"{\"q\":1}"[..]));
    assert!(again.redacted.contains(&Field::Url), "{:?}", again.redacted);
    assert!(again.check_redacted().is_err(), "the masks are never sent");
}

#[test]
fn the_file_is_private_keeps_the_newest_500_and_skips_a_corrupt_line() {
    let dir = scratch("cap");
    let path = path_beside(&dir.join("config.toml"));
    assert_eq!(path, dir.join("history.jsonl"));
    assert!(read(&path).unwrap().is_empty(), "no file yet: no history");
    append(&path, &entry(0)).unwrap();
    // A line broken by hand (or by a crash of another writer) in the middle.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"time\": broken\n");
    std::fs::write(&path, text).unwrap();
    for n in 1..=MAX_ENTRIES as u64 + 4 {
        append(&path, &entry(n)).unwrap();
    }
    let entries = read(&path).unwrap();
    assert_eq!(entries.len(), MAX_ENTRIES);
    assert_eq!(entries.first(), Some(&entry(5)), "the oldest dropped");
    assert_eq!(entries.last(), Some(&entry(MAX_ENTRIES as u64 + 4)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "history.jsonl")
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_name_is_refused_and_its_target_untouched() {
    let dir = scratch("link");
    let target = dir.join("elsewhere.txt");
    std::fs::write(&target, "precious\n").unwrap();
    let path = dir.join(FILE_NAME);
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let err = append(&path, &entry(1)).unwrap_err();
    assert!(matches!(err, HistoryError::Symlink(_)), "{err}");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(read(&path).is_err());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_body_too_long_to_keep_is_left_out_and_said() {
    let mut sent = spec("http://127.0.0.1:1/s");
    sent.body = Some(vec![b'x'; MAX_BODY_BYTES + 1]);
    let entry = Entry::new(&sent, None, Sender::Check, SystemTime::now());
    assert_eq!(entry.request.body, None);
    assert_eq!(entry.body_omitted, Some(MAX_BODY_BYTES + 1));
    assert!(entry.to_spec().unwrap_err().contains("too long"));
}

#[test]
fn the_table_shows_time_method_url_and_profile_on_one_line_each() {
    let mut hostile = entry(2);
    hostile.request.url = "http://x/\u{1b}[2Jpath".into();
    let table = table(&[entry(1), hostile]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("1970-01-01 00:00:01  print  GET     http://127.0.0.1:1/s?n=1  [p]"),
        "{}",
        lines[0]
    );
    assert!(!table.contains('\u{1b}'), "{table:?}");
}

#[test]
fn a_json_line_reads_back_the_same_and_shows_no_hidden_character() {
    let mut hostile = entry(3);
    hostile.request.body = Some("right-to-left \u{202e} and \u{1b}[2J".into());
    let line = json_line(&hostile);
    assert!(line.ends_with('\n'));
    assert!(
        !line.contains('\u{202e}') && !line.contains('\u{1b}'),
        "{line}"
    );
    let back: Entry = serde_json::from_str(&line).unwrap();
    assert_eq!(back, hostile);
}

#[test]
fn appending_adds_a_line_and_a_long_file_is_trimmed_to_the_newest() {
    let dir = scratch("trim");
    let path = dir.join("history.jsonl");
    // A body large enough that the file passes the size at which lines are counted.
    let big = |n: u64| {
        let mut sent = spec(&format!("http://127.0.0.1:1/s?n={n}"));
        sent.body = Some(vec![b'x'; 600]);
        Entry::new(
            &sent,
            None,
            Sender::Print,
            UNIX_EPOCH + Duration::from_secs(n),
        )
    };
    append(&path, &big(0)).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    append(&path, &big(1)).unwrap();
    let second = std::fs::read_to_string(&path).unwrap();
    assert!(second.starts_with(&first), "appended, not rewritten");
    assert_eq!(second.lines().count(), 2);
    for n in 2..=(2 * MAX_ENTRIES as u64) {
        append(&path, &big(n)).unwrap();
    }
    let lines = std::fs::read_to_string(&path).unwrap().lines().count();
    assert_eq!(lines, MAX_ENTRIES, "trimmed once it passed twice the cap");
    let entries = read(&path).unwrap();
    assert_eq!(entries.last(), Some(&big(2 * MAX_ENTRIES as u64)));
    assert_eq!(entries.first(), Some(&big(MAX_ENTRIES as u64 + 1)));
}
