//! What a line starts: a fence, a heading, a rule, a quote, a list item.

/// ```` ```lang ```` or `~~~`: the fence character, its length, the language tag.
pub(super) fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = strip_indent(line)?;
    let fence = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == fence).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim();
    // A backtick fence's info string may not contain a backtick.
    if fence == '`' && info.contains('`') {
        return None;
    }
    Some((fence, len, info.split_whitespace().next().unwrap_or("")))
}

pub(super) fn is_closing_fence(line: &str, fence: char, len: usize) -> bool {
    let Some(trimmed) = strip_indent(line) else {
        return false;
    };
    let run = trimmed.chars().take_while(|c| *c == fence).count();
    run >= len && trimmed[run * fence.len_utf8()..].trim().is_empty()
}

/// The line without up to three spaces of indent; `None` with four or more
/// (an indented line is not a fence, heading or rule).
fn strip_indent(line: &str) -> Option<&str> {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    (spaces <= 3).then(|| &line[spaces..])
}

/// `## Title ##` → (2, "Title").
pub(super) fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = strip_indent(line)?;
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim();
    let title = title.trim_end_matches('#');
    // Closing hashes count only after a space (`# C#` keeps its `#`).
    let title = if title.len() < rest.trim().len() && !(title.is_empty() || title.ends_with(' ')) {
        rest.trim()
    } else {
        title.trim_end()
    };
    Some((level, title))
}

/// `---`, `***`, `___` (three or more, spaces allowed between).
pub(super) fn is_rule(line: &str) -> bool {
    let Some(trimmed) = strip_indent(line) else {
        return false;
    };
    let Some(c) = trimmed
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '*' | '_'))
    else {
        return false;
    };
    trimmed.chars().filter(|x| *x == c).count() >= 3
        && trimmed.chars().all(|x| x == c || x == ' ' || x == '\t')
}

/// `> > text` → (2, "text").
pub(super) fn quote(line: &str) -> Option<(usize, &str)> {
    let mut rest = strip_indent(line)?;
    let mut depth = 0;
    while let Some(after) = rest.strip_prefix('>') {
        depth += 1;
        rest = after
            .strip_prefix(' ')
            .unwrap_or(after)
            .trim_start_matches(' ');
    }
    (depth > 0).then_some((depth, rest))
}

/// `  - item` / `3. item` → (indent, marker shown, text).
pub(super) fn list_item(line: &str) -> Option<(usize, String, &str)> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = line[..line.len() - body.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum::<usize>()
        .min(40);
    let mut chars = body.chars();
    let first = chars.next()?;
    if matches!(first, '-' | '*' | '+') {
        let rest = &body[1..];
        return (rest.starts_with([' ', '\t']) || rest.is_empty())
            .then(|| (indent, "•".to_owned(), rest));
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let after = &body[digits..];
    let delimiter = after.chars().next().filter(|c| *c == '.' || *c == ')')?;
    let rest = &after[1..];
    (rest.starts_with([' ', '\t']) || rest.is_empty())
        .then(|| (indent, format!("{}{delimiter}", &body[..digits]), rest))
}
