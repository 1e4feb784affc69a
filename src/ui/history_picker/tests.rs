use std::time::{Duration, UNIX_EPOCH};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::history::{Entry, Sender};
use crate::sse::RequestSpec;

fn screen(picker: &HistoryPicker) -> Vec<String> {
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| render(f, f.area(), picker, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..24)
        .map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

fn entry(url: &str, profile: Option<&str>, secs: u64) -> Entry {
    Entry::new(
        &RequestSpec::get(url.parse().unwrap()),
        profile.map(str::to_owned),
        Sender::Ui,
        UNIX_EPOCH + Duration::from_secs(secs),
    )
}

#[test]
fn newest_first_with_time_method_url_and_profile_and_nothing_raw() {
    let mut hostile = entry("http://evil.test/x", Some("p\u{1b}[31mred"), 30);
    hostile.request.url = "http://evil.test/\u{202e}txt.exe".into();
    let picker = HistoryPicker::new(vec![entry("http://old.test/a", None, 10), hostile]);
    let lines = screen(&picker);
    let text = lines.join("\n");
    assert!(text.contains("History"), "{text}");
    let row = |what: &str| lines.iter().position(|l| l.contains(what));
    let (newest, oldest) = (row("evil.test").unwrap(), row("old.test").unwrap());
    assert!(newest < oldest, "newest first:\n{text}");
    assert!(lines[newest].contains("1970-01-01 00:00:30") && lines[newest].contains("GET"));
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(text.contains("Enter reopen"), "{text}");
}
