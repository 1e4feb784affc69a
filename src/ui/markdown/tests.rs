use ratatui::style::{Modifier, Style};

use super::inline::inline;
use super::*;

fn plain(lines: &[Line]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

fn mono() -> Theme {
    Theme::new(false)
}

#[test]
fn emphasis_pairs_and_leaves_strays_literal() {
    let spans = inline(
        "a **b** *c* _d_ snake_case_name 2 * 3 **open",
        Style::new(),
        &mono(),
    );
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    assert_eq!(text, "a b c d snake_case_name 2 * 3 **open");
    let style_of = |needle: &str| {
        spans
            .iter()
            .find(|s| s.content == needle)
            .map(|s| s.style)
            .unwrap_or_else(|| panic!("{needle:?} in {spans:?}"))
    };
    assert!(style_of("b").add_modifier.contains(Modifier::BOLD));
    assert!(style_of("c").add_modifier.contains(Modifier::ITALIC));
    assert!(style_of("d").add_modifier.contains(Modifier::ITALIC));
}

#[test]
fn code_spans_and_backslash_escapes() {
    let text: String = inline(r"`a*b*` \*not\* ``x`y`` `open", Style::new(), &mono())
        .iter()
        .map(|s| s.content.to_string())
        .collect();
    assert_eq!(text, "a*b* *not* x`y `open");
}

#[test]
fn pathological_inline_input_is_linear_enough() {
    let nasty = "` * _ ** ".repeat(20_000);
    let spans = inline(&nasty, Style::new(), &mono());
    assert!(!spans.is_empty());
}

#[test]
fn words_wrap_with_a_hanging_indent() {
    let lines = render("- alpha beta gamma delta", 12, &mono());
    assert_eq!(plain(&lines), ["• alpha beta", "  gamma", "  delta"]);
    let lines = render("abcdefghijklmnop", 5, &mono());
    assert_eq!(plain(&lines), ["abcde", "fghij", "klmno", "p"]);
}

#[test]
fn headings_lists_quotes_and_rules() {
    let src =
        "# Title #\n\nSome *text*\nwrapped.\n\n1. one\n2. two\n\n> quoted\n> more\n\n---\n## C#";
    let lines = render(src, 40, &mono());
    assert_eq!(
        plain(&lines),
        [
            "Title",
            "",
            "Some text wrapped.",
            "",
            "1. one",
            "2. two",
            "",
            "│ quoted more",
            "",
            &"─".repeat(40),
            "",
            "C#",
        ]
    );
}

#[test]
fn the_cache_matches_a_full_render_at_every_prefix() {
    let src = "# Plan\n\nFirst para with **bold**.\n\n- a\n- b\n\n```rust\nfn main() {}\n```\nAfter the fence.\n\n> q\n\nEnd";
    let theme = Theme::new(true);
    let mut cache = MarkdownCache::default();
    for end in (0..=src.len()).filter(|i| src.is_char_boundary(*i)) {
        let text = &src[..end];
        assert_eq!(
            *cache.lines(text, 30, &theme, an_hour_later(end), true),
            render(text, 30, &theme),
            "at {end}"
        );
    }
    // A new text is noticed.
    assert_eq!(
        *cache.lines("other", 30, &theme, an_hour_later(src.len() + 1), true),
        render("other", 30, &theme)
    );
}

#[test]
fn after_a_slow_render_the_next_waits_twenty_times_its_cost_then_shows_everything() {
    use std::time::{Duration, Instant};
    let theme = Theme::new(true);
    let mut cache = MarkdownCache::default();
    let t0 = Instant::now();
    let first = cache.lines("one long paragraph", 30, &theme, t0, true);
    drop(first);
    // As if that render had taken 10 ms: the next waits 200 ms.
    cache.last_render = Some((t0, Duration::from_millis(10)));
    let grown = "one long paragraph that grows";
    let stale = cache.lines(grown, 30, &theme, t0 + Duration::from_millis(50), true);
    assert_eq!(*stale, render("one long paragraph", 30, &theme));
    drop(stale);
    let fresh = cache.lines(grown, 30, &theme, t0 + Duration::from_millis(250), true);
    assert_eq!(*fresh, render(grown, 30, &theme));
    drop(fresh);
    // A stream that ended shows its whole text at once: nothing may draw again.
    cache.last_render = Some((t0, Duration::from_millis(10)));
    let ended = "one long paragraph that grows, then ends";
    assert_eq!(
        *cache.lines(ended, 30, &theme, t0, false),
        render(ended, 30, &theme)
    );
    // A fast render never waits.
    cache.last_render = Some((t0, Duration::from_millis(1)));
    let more = "one long paragraph that grows, then ends, on";
    assert_eq!(
        *cache.lines(more, 30, &theme, t0, true),
        render(more, 30, &theme)
    );
}

/// Frame `n`'s time, an hour after the one before: a render however slow
/// (a debug build highlighting a fence) is never waited for, so each frame
/// shows the whole text.
fn an_hour_later(n: usize) -> std::time::Instant {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    *START.get_or_init(std::time::Instant::now) + std::time::Duration::from_secs(3600 * n as u64)
}
