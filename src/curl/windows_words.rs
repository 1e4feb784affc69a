//! Splitting the Windows flavours of "Copy as cURL" into words: Chrome's
//! "Copy as cURL (cmd)" and Firefox's Windows copy (`^"…^"` caret escapes,
//! ` ^` line continuations) and curl typed into PowerShell (backtick
//! continuations). A cmd line goes through two parsers before curl.exe sees
//! it, and both are modelled: cmd.exe removes the carets, then the C
//! runtime's argument parser splits words at spaces, honouring `"` and `\"`.

use super::shell_words::SplitError;

/// Which shell a pasted command was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Bash,
    Cmd,
    PowerShell,
}

/// The shell `command` was written for. cmd: a line ending in ` ^`, or the
/// first argument starting with `^"` (how both browsers write the URL).
/// PowerShell: a line ending in a backtick, or a `$env:NAME` variable.
/// Anything else is bash.
pub fn detect(command: &str) -> Flavour {
    let line_ends = command
        .lines()
        .map(|l| l.trim_end_matches([' ', '\t', '\r']));
    let mut cmd = false;
    let mut powershell = false;
    for end in line_ends {
        cmd |= end.ends_with(" ^");
        powershell |= end.ends_with(" `");
    }
    let first_argument = command
        .trim_start()
        .split_once([' ', '\t'])
        .map(|(_, rest)| rest.trim_start());
    if cmd || first_argument.is_some_and(|a| a.starts_with("^\"")) {
        Flavour::Cmd
    } else if powershell || command.to_ascii_lowercase().contains("$env:") {
        Flavour::PowerShell
    } else {
        Flavour::Bash
    }
}

/// What cmd.exe hands on to the program: characters, and line ends that were
/// not escaped (which end a word, as nothing can continue past them).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    LineEnd,
}

/// The words of a cmd.exe command line, as curl.exe would receive them.
///
/// One departure from the two parsers, for Chrome: its cmd copy doubles
/// every backslash (so `a\b` reaches curl.exe as `a\\b`, a Chrome bug that
/// breaks JSON bodies with `\n`). When the command is Chrome's (it starts
/// with `curl`, where Firefox writes `curl.exe`) and every backslash run is
/// doubled, the runs are halved back to what the browser sent.
pub fn split_cmd(line: &str) -> Vec<Vec<u8>> {
    let toks = remove_carets(line);
    let chrome = line.trim_start().starts_with("curl ") && backslashes_doubled(&toks);
    split_crt(&toks, chrome)
}

/// cmd.exe's part: carets escape the next character outside double quotes;
/// a caret at a line's end joins the next line and escapes its first
/// character (Chrome writes a newline in a value as `^` + two newlines). CRs
/// are dropped, as cmd.exe drops them. A `%NAME%` variable (unescaped, in
/// quotes or not) becomes a `${env:NAME}` reference, read when the request
/// is sent; `^%` is a literal `%`.
fn remove_carets(line: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut chars = line.chars().filter(|c| *c != '\r').peekable();
    while let Some(c) = chars.next() {
        match c {
            // Firefox writes a newline as `"^` + two newlines + `"`, so a caret
            // before a line end continues the line even inside quotes.
            '^' if chars.peek() == Some(&'\n') => {
                chars.next();
                // An escaped quote does not toggle cmd.exe's quoting.
                if let Some(escaped) = chars.next() {
                    out.push(Tok::Char(escaped));
                }
            }
            '^' if !quoted => {
                if let Some(escaped) = chars.next() {
                    out.push(Tok::Char(escaped));
                }
            }
            '"' => {
                quoted = !quoted;
                out.push(Tok::Char('"'));
            }
            '\n' => {
                quoted = false;
                out.push(Tok::LineEnd);
            }
            '%' => match cmd_variable(&mut chars) {
                Some(name) => {
                    let reference = crate::sse::env_ref::reference(&name);
                    out.extend(reference.chars().map(Tok::Char));
                }
                None => out.push(Tok::Char('%')),
            },
            c => out.push(Tok::Char(c)),
        }
    }
    out
}

/// After a `%`: `NAME%`, consumed, when NAME is a variable name; a percent
/// escape of a URL (`%E2%80`, two hex digits) is not one.
fn cmd_variable(
    chars: &mut std::iter::Peekable<impl Iterator<Item = char> + Clone>,
) -> Option<String> {
    let mut ahead = chars.clone();
    let mut name = String::new();
    loop {
        match ahead.next()? {
            '%' => break,
            c if c == '_'
                || c.is_ascii_alphabetic()
                || (!name.is_empty() && c.is_ascii_digit()) =>
            {
                name.push(c);
            }
            _ => return None,
        }
    }
    let percent_escape = name.len() == 2 && name.chars().all(|c| c.is_ascii_hexdigit());
    if name.is_empty() || percent_escape {
        return None;
    }
    *chars = ahead;
    Some(name)
}

/// Whether every run of backslashes not before a quote has an even length,
/// apart from the single ones Chrome puts before `[]{}` in a URL to stop
/// curl's globbing.
fn backslashes_doubled(toks: &[Tok]) -> bool {
    let mut run = 0;
    for tok in toks {
        if *tok == Tok::Char('\\') {
            run += 1;
            continue;
        }
        // Before a quote an odd run is normal: `\"` is Chrome's escaped quote.
        let quote = *tok == Tok::Char('"');
        let glob = matches!(tok, Tok::Char('[' | ']' | '{' | '}'));
        if run % 2 == 1 && !quote && !(run == 1 && glob) {
            return false;
        }
        run = 0;
    }
    run % 2 == 0
}

/// The C runtime's argument splitting (the rules since Visual C++ 2008):
/// spaces and tabs separate words outside quotes; `"` toggles quoting and
/// `""` inside quotes is one literal quote; 2n backslashes before a quote are
/// n backslashes and the quote toggles, 2n+1 are n and a literal quote;
/// other backslashes are literal (halved when `halve`).
fn split_crt(toks: &[Tok], halve: bool) -> Vec<Vec<u8>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    let mut i = 0;
    while i < toks.len() {
        let c = match toks[i] {
            Tok::LineEnd => {
                quoted = false;
                if let Some(w) = word.take() {
                    words.push(w.into_bytes());
                }
                i += 1;
                continue;
            }
            Tok::Char(c) => c,
        };
        match c {
            ' ' | '\t' if !quoted => {
                if let Some(w) = word.take() {
                    words.push(w.into_bytes());
                }
                i += 1;
            }
            '\\' => {
                let run = toks[i..]
                    .iter()
                    .take_while(|t| **t == Tok::Char('\\'))
                    .count();
                i += run;
                let w = word.get_or_insert_default();
                if toks.get(i) == Some(&Tok::Char('"')) {
                    w.extend(std::iter::repeat_n('\\', run / 2));
                    if run % 2 == 1 {
                        w.push('"');
                        i += 1;
                    }
                    // An even run leaves the quote to toggle on the next turn.
                } else {
                    let kept = if halve { run.div_ceil(2) } else { run };
                    w.extend(std::iter::repeat_n('\\', kept));
                }
            }
            '"' => {
                let w = word.get_or_insert_default();
                if quoted && toks.get(i + 1) == Some(&Tok::Char('"')) {
                    w.push('"');
                    i += 2;
                } else {
                    quoted = !quoted;
                    i += 1;
                }
            }
            c => {
                word.get_or_insert_default().push(c);
                i += 1;
            }
        }
    }
    if let Some(w) = word {
        words.push(w.into_bytes());
    }
    words
}

/// The words of a PowerShell command line: backtick escapes and line
/// continuations, `'…'` literal (`''` is a quote), `"…"` with backtick
/// escapes. `$env:NAME`, bare or in `"…"`, becomes a `${env:NAME}`
/// reference; other variables stay as written.
pub fn split_powershell(line: &str) -> Result<Vec<Vec<u8>>, SplitError> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().filter(|c| *c != '\r').peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if let Some(w) = word.take() {
                    words.push(w.into_bytes());
                }
            }
            '`' => match chars.next() {
                // A backtick at a line's end continues the command.
                Some('\n') | None => {}
                Some(e) => word.get_or_insert_default().push(backtick(e)),
            },
            '\'' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            w.push('\'');
                        }
                        Some('\'') => break,
                        Some(ch) => w.push(ch),
                        None => return Err(SplitError::UnbalancedQuote("single")),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            w.push('"');
                        }
                        Some('"') => break,
                        Some('`') => match chars.next() {
                            Some(e) => w.push(backtick(e)),
                            None => return Err(SplitError::UnbalancedQuote("double")),
                        },
                        Some('$') => powershell_variable(&mut chars, w),
                        Some(ch) => w.push(ch),
                        None => return Err(SplitError::UnbalancedQuote("double")),
                    }
                }
            }
            '$' => powershell_variable(&mut chars, word.get_or_insert_default()),
            c => word.get_or_insert_default().push(c),
        }
    }
    if let Some(w) = word {
        words.push(w.into_bytes());
    }
    Ok(words)
}

/// After a `$`: `env:NAME` or `{env:NAME}` becomes a `${env:NAME}`
/// reference, read when the request is sent. PowerShell's own variables
/// (`$HOME`, `$x`) cannot be known here and stay as written.
fn powershell_variable(
    chars: &mut std::iter::Peekable<impl Iterator<Item = char> + Clone>,
    word: &mut String,
) {
    let mut ahead = chars.clone();
    let braced = ahead.peek() == Some(&'{');
    if braced {
        ahead.next();
    }
    let prefix: String = ahead.by_ref().take(4).collect();
    let mut name = String::new();
    if prefix.eq_ignore_ascii_case("env:") {
        while let Some(&c) = ahead.peek() {
            if !(c == '_' || c.is_ascii_alphanumeric()) {
                break;
            }
            name.push(c);
            ahead.next();
        }
    }
    if name.is_empty() || (braced && ahead.next() != Some('}')) {
        word.push('$');
        return;
    }
    *chars = ahead;
    word.push_str(&crate::sse::env_ref::reference(&name));
}

/// PowerShell's backtick escapes; any other character stands for itself.
fn backtick(e: char) -> char {
    match e {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'e' => '\u{1b}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\u{b}',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(words: Vec<Vec<u8>>) -> Vec<String> {
        words
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap_or_default())
            .collect()
    }

    #[test]
    fn detects_each_flavour() {
        assert_eq!(detect("curl ^\"http://h/^\""), Flavour::Cmd);
        assert_eq!(detect("curl.exe http://h/ ^\r\n  -N"), Flavour::Cmd);
        assert_eq!(detect("curl.exe http://h/ `\n  -N"), Flavour::PowerShell);
        assert_eq!(detect("curl 'http://h/' \\\n -d '^\"'"), Flavour::Bash);
        assert_eq!(detect("curl"), Flavour::Bash);
    }

    #[test]
    fn carets_escape_and_continue_lines() {
        let line = "curl ^\"http://h/?a=1^&b=^%^41^\" ^\n  -H ^\"X: ^<y^>^\"";
        assert_eq!(
            text(split_cmd(line)),
            ["curl", "http://h/?a=1&b=%41", "-H", "X: <y>"]
        );
        // Chrome: a quote as ^\^", a newline as ^ and two newlines.
        let body = "curl x --data-raw ^\"^{^\\^\"a^\\^\":1,^\n\n^\\^\"b^\\^\":2^}^\"";
        assert_eq!(text(split_cmd(body))[3], "{\"a\":1,\n\"b\":2}");
    }

    #[test]
    fn crt_backslash_and_quote_rules() {
        // curl.exe (Firefox-style): backslashes literal unless before a quote.
        assert_eq!(
            text(split_cmd(r#"curl.exe "a\\b" "c\"d" "e\\\"f" "g""h" """#)),
            ["curl.exe", r"a\\b", "c\"d", r#"e\"f"#, "g\"h", ""]
        );
        // Chrome doubles every backslash: halved back.
        assert_eq!(
            text(split_cmd(r#"curl ^"x\\ny^" ^"q\\\^"^""#)),
            ["curl", r"x\ny", r#"q\""#]
        );
        // An odd run means the backslashes were not doubled: kept.
        assert_eq!(text(split_cmd(r"curl a\b\\c"))[1], r"a\b\\c");
    }

    #[test]
    fn powershell_backticks_and_quotes() {
        let line = "curl.exe 'http://h/it''s' `\r\n  -H \"X: `\"q`\" `$HOME\" -d \"a\"\"b\"";
        assert_eq!(
            split_powershell(line).map(text),
            Ok(vec![
                "curl.exe".into(),
                "http://h/it's".into(),
                "-H".into(),
                "X: \"q\" $HOME".into(),
                "-d".into(),
                "a\"b".into()
            ])
        );
        assert!(split_powershell("curl 'a").is_err());
        assert!(split_powershell("curl \"a`").is_err());
    }

    #[test]
    fn cmd_and_powershell_variables_become_references_and_the_rest_stays() {
        assert_eq!(
            text(split_cmd("curl %KEY% a%20b%E2%80 %% %A ^%B^% 100%")),
            [
                "curl",
                "${env:KEY}",
                "a%20b%E2%80",
                "%%",
                "%A",
                "%B%",
                "100%"
            ]
        );
        assert_eq!(
            split_powershell("curl.exe $env:KEY \"x${env:A_1}y\" $HOME '$env:LIT' $env: ${env:B")
                .map(text),
            Ok(vec![
                "curl.exe".into(),
                "${env:KEY}".into(),
                "x${env:A_1}y".into(),
                "$HOME".into(),
                "$env:LIT".into(),
                "$env:".into(),
                "${env:B".into()
            ])
        );
    }

    #[test]
    fn odd_input_never_panics() {
        for line in [
            "^", "^\n", "\"", "\\", "\\\"", "^\"\\", "`", "'", "\"\"\"", "%", "%%", "%A", "$",
            "$env:", "${env:", "${",
        ] {
            let _ = split_cmd(line);
            let _ = split_powershell(line);
            let _ = detect(line);
        }
    }
}
