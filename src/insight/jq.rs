//! jq-style filters on event `data`: "show only events where an expression
//! holds" and "show the expression's value as an extra column".
//!
//! The language is jq as implemented by the jaq crates (core, standard library
//! and JSON definitions); this module only compiles an expression once, feeds
//! it one event's data at a time and turns the outputs into a `bool` or a short
//! text. It is pure: no I/O, no global state, so the UI, profiles and `print`
//! share it.
//!
//! # Bounds
//! An expression is user input run against untrusted data, so evaluation is
//! bounded where jaq allows it:
//! - data is read by serde_json, which rejects nesting deeper than 128 levels
//!   (jaq's own reader recurses without a limit);
//! - [`Query::holds`] consumes one output, [`Query::extract`] at most
//!   [`EXTRACT_MAX_OUTPUTS`], and its text stops at [`EXTRACT_MAX_BYTES`]
//!   (formatting a large value stops there too), [`Query::all_outputs_hold`]
//!   (`ssetui check`) at most [`ALL_MAX_OUTPUTS`], so `repeat`, `range(1e9)`
//!   or `..` on a big document return quickly;
//! - `halt` and `halt_error` become a plain error (jaq's `unwrap_valr` would
//!   exit the process); `input`/`inputs` are not defined; imports fail (no
//!   module paths are given), so an expression never touches the file system.
//!   `env` does read the environment, and `debug`/`stderr` go to the `log`
//!   crate, silent unless a logger is installed.
//!
//! - an expression holds at most [`MAX_STRUCTURE`] operators, brackets and
//!   keywords: jaq parses, compiles and runs it by recursion, a level per
//!   operator or bracket, so 60,000 nested parentheses (or `.|.|.|…`)
//!   overflowed the stack and aborted the process;
//! - `fromjson` reads with serde_json too (jaq's own reads any depth).
//!
//! What cannot be bounded, because jaq has no step budget or cancellation: work
//! done before the first output (`first(range(1e12) | select(. < 0))`,
//! `last(range(1e12))`, `[range(1e9)]`), memory held by one value (`"x" *`
//! a 30-digit integer aborts on a failed allocation), and unbounded recursion
//! (`def f: [f]; f`), which overflows the stack. These only happen when the user writes them; a thread with a
//! deadline would not help, as a runaway evaluation cannot be stopped.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use jaq_core::data::JustLut;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use jaq_json::Val;

/// The most outputs [`Query::extract`] consumes; the rest are cut off (shown as
/// an ellipsis), which is what stops generators such as `repeat` or `range(1e9)`.
pub const EXTRACT_MAX_OUTPUTS: usize = 64;

/// The most bytes of text [`Query::extract`] returns, not counting the ellipsis
/// that marks a cut. A list column shows a fraction of that anyway.
pub const EXTRACT_MAX_BYTES: usize = 4096;

/// The most operators, brackets and keywords an expression may hold. jaq
/// recurses a level for each while parsing, compiling and running; the
/// costliest measured (nested `{a:` objects) overflowed a 2 MiB stack, a test
/// thread's, past 210 levels in a debug build, so this leaves room to spare
/// on any thread (the main thread has 8 MiB). Real filters hold a few dozen.
pub const MAX_STRUCTURE: usize = 128;

/// The most outputs [`Query::all_outputs_hold`] reads: past that it does
/// not hold ([`NotHeld::TooManyOutputs`]), which is what stops `repeat`;
/// `all(.items[]; …)` judges a longer list as one output.
pub const ALL_MAX_OUTPUTS: usize = 10_000;

/// The most bytes of a run-time error's message [`NotHeld::Failed`] keeps:
/// jq's messages quote the value they failed on, which may be the whole data.
pub const ERROR_MAX_BYTES: usize = 200;

/// What marks text cut by one of the bounds above.
const ELLIPSIS: char = '…';

/// How much of an offending token an error message quotes.
const QUOTED_TOKEN_CHARS: usize = 24;

/// jaq's data kind for plain JSON values with no custom global data.
type Data = JustLut<Val>;

/// An event's data read as JSON once, for as many expressions as judge it
/// (read by serde_json, with its nesting limit, as everywhere here).
#[derive(Clone)]
pub struct Input(Val);

impl Input {
    /// `data` as JSON, or `None` when it is not JSON (or nests too deep).
    pub fn parse(data: &str) -> Option<Input> {
        parse(data).map(Input)
    }
}

/// Why [`Query::all_outputs_hold`] found that an expression does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotHeld {
    /// The expression yielded nothing (`(.n | numbers) > 3` on a string `.n`).
    NoOutput,
    /// Its output number `index` (from 1) was `value`: `false` or `null`.
    Falsy { index: usize, value: String },
    /// It failed (`.a` on a number, `error("…")`, `halt`): jq's message,
    /// cut at [`ERROR_MAX_BYTES`]. The text comes from the data: escape it.
    Failed(String),
    /// It yielded more than [`ALL_MAX_OUTPUTS`] outputs, every one true.
    TooManyOutputs,
}

/// A jq expression compiled once, then run on the `data` of many events.
///
/// Cheap to clone (the compiled program is shared) and `Send + Sync`, so UI
/// state can hold it. Two queries are equal when their expression text is: the
/// same text always compiles to the same program.
#[derive(Clone)]
pub struct Query {
    expr: Arc<str>,
    filter: Arc<jaq_core::Filter<Data>>,
}

/// Why an expression did not compile: a message naming the problem and, when
/// jaq reports where it is, the 1-based column (in characters) in the
/// expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", at_column(*.column))]
pub struct QueryError {
    message: String,
    column: Option<usize>,
}

impl QueryError {
    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where it is wrong: 1-based character column in the expression, when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }
}

fn at_column(column: Option<usize>) -> String {
    column.map_or_else(String::new, |c| format!(" at column {c}"))
}

impl Query {
    /// Compiles `expr` with jq's standard library, or says what is wrong with it.
    pub fn compile(expr: &str) -> Result<Query, QueryError> {
        if expr.trim().is_empty() {
            return Err(QueryError {
                message: "the expression is empty".to_owned(),
                column: None,
            });
        }
        if let Some(at) = past_structure_limit(expr) {
            return Err(QueryError {
                message: format!(
                    "the expression is too complex: more than {MAX_STRUCTURE} operators, \
                     brackets and keywords"
                ),
                column: column_of(expr, &expr[at..]),
            });
        }
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs::<Data>()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs().filter(|(name, _, _)| *name != "fromjson"))
            .chain([fromjson()]);
        let arena = Arena::default();
        let program = File {
            code: expr,
            path: (),
        };
        let modules = Loader::new(defs)
            .load(&arena, program)
            .map_err(|errors| load_error(expr, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| compile_error(expr, errors))?;
        Ok(Query {
            expr: Arc::from(expr),
            filter: Arc::new(filter),
        })
    }

    /// The expression this query was compiled from, as typed (for profiles and
    /// the filter field).
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// Whether the expression holds for `data`: its first output is neither
    /// `false` nor `null`. Data that is not JSON, an expression that fails on it
    /// or yields nothing, all count as "does not hold".
    pub fn holds(&self, data: &str) -> bool {
        let Some(input) = parse(data) else {
            return false;
        };
        matches!(self.outputs(input).next(), Some(Ok(v)) if jaq_core::ValT::as_bool(&v))
    }

    /// Whether every output of the expression on `input` is neither `false`
    /// nor `null`, and there is at least one: jq's truth for a check, where
    /// `.items[] > 2` must hold for each item. An error at any output means
    /// it does not hold, as does running past [`ALL_MAX_OUTPUTS`] outputs.
    pub fn all_outputs_hold(&self, input: &Input) -> Result<(), NotHeld> {
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        let outputs = self.filter.id.run((ctx, input.0.clone()));
        let mut count = 0;
        for output in outputs {
            count += 1;
            if count > ALL_MAX_OUTPUTS {
                return Err(NotHeld::TooManyOutputs);
            }
            match output {
                Ok(value) if jaq_core::ValT::as_bool(&value) => {}
                Ok(value) => {
                    return Err(NotHeld::Falsy {
                        index: count,
                        value: value.to_string(),
                    });
                }
                Err(exn) => return Err(NotHeld::Failed(exception_text(exn))),
            }
        }
        if count == 0 {
            return Err(NotHeld::NoOutput);
        }
        Ok(())
    }

    /// The expression's outputs for `data` as one short line of text: strings
    /// without quotes, other values as compact JSON, several outputs joined by
    /// a space, cut (with `…`) after [`EXTRACT_MAX_OUTPUTS`] outputs or
    /// [`EXTRACT_MAX_BYTES`] bytes. `None` when `data` is not JSON, the
    /// expression fails on it, or it yields nothing (`// empty` turns a `null`
    /// into nothing).
    ///
    /// The text comes from the stream: it may hold control characters, so
    /// escape it before drawing.
    pub fn extract(&self, data: &str) -> Option<String> {
        let input = parse(data)?;
        let mut text = CappedText::new(EXTRACT_MAX_BYTES);
        let mut outputs = self.outputs(input);
        let mut count = 0;
        while !text.full {
            let Some(output) = outputs.next() else {
                break;
            };
            let value = output.ok()?;
            if count == EXTRACT_MAX_OUTPUTS {
                text.full = true;
                break;
            }
            if count > 0 {
                text.push(" ");
            }
            text.push_value(&value);
            count += 1;
        }
        (count > 0).then(|| text.finish())
    }

    /// Runs the compiled filter on one input. Errors (including `halt`, which
    /// jaq reports as an exception) are kept as `Err` so callers decide.
    fn outputs(&self, input: Val) -> impl Iterator<Item = Result<Val, ()>> + '_ {
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        self.filter.id.run((ctx, input)).map(|r| r.map_err(drop))
    }
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query").field("expr", &self.expr).finish()
    }
}

impl PartialEq for Query {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl Eq for Query {}

/// What an exception says: an error's message (cut at [`ERROR_MAX_BYTES`],
/// formatting a huge value stops there), or that `halt` was called.
fn exception_text(exn: jaq_core::Exn<'_, Val>) -> String {
    match exn.get_err() {
        Ok(error) => {
            let mut text = CappedText::new(ERROR_MAX_BYTES);
            // A full buffer makes `write!` fail, which only ends the formatting.
            let _ = write!(text, "{error}");
            text.finish()
        }
        Err(exn) => match exn.get_halt() {
            Ok(code) => format!("halt (exit code {code})"),
            Err(_) => "the expression stopped".to_owned(),
        },
    }
}

/// jq's `fromjson`, read by serde_json as event data is: jaq's own reader
/// recurses once per nesting level without a limit, so `.a | fromjson` on a
/// string of 100,000 `[` (a server's to choose) aborted the process.
fn fromjson() -> jaq_core::native::Fun<Data> {
    jaq_core::native::run(("fromjson", jaq_core::native::v(0), |cv| {
        let parsed = match &cv.1 {
            Val::TStr(text) | Val::BStr(text) => serde_json::from_slice::<Val>(text)
                .map_err(|e| jaq_json::Error::str(format!("cannot parse as JSON: {e}"))),
            _ => Err(jaq_json::Error::str("fromjson takes a string")),
        };
        jaq_core::native::bome(parsed)
    }))
}

/// Event data as a jaq value, when it is JSON. serde_json rather than jaq's
/// reader: strict JSON (no `NaN` or byte strings) and a nesting limit.
fn parse(data: &str) -> Option<Val> {
    serde_json::from_str(data).ok()
}

/// A text buffer that stops growing at a byte cap (on a char boundary) and
/// remembers that it did, so formatting a huge value stops early.
struct CappedText {
    buf: String,
    cap_bytes: usize,
    full: bool,
}

impl CappedText {
    fn new(cap_bytes: usize) -> Self {
        CappedText {
            buf: String::new(),
            cap_bytes,
            full: false,
        }
    }

    /// Appends what fits of `s`; returns false once the cap is reached.
    fn push(&mut self, s: &str) -> bool {
        if self.full {
            return false;
        }
        let room = self.cap_bytes.saturating_sub(self.buf.len());
        if s.len() <= room {
            self.buf.push_str(s);
            return true;
        }
        self.buf.push_str(crate::text::head(s, room));
        self.full = true;
        false
    }

    /// A string value's text as is (like `jq -r`), anything else as compact JSON.
    fn push_value(&mut self, value: &Val) {
        match value {
            Val::TStr(bytes) => {
                self.push(&String::from_utf8_lossy(bytes));
            }
            // A full buffer makes `write!` fail, which only ends the formatting.
            other => {
                let _ = write!(self, "{other}");
            }
        }
    }

    fn finish(mut self) -> String {
        if self.full {
            self.buf.push(ELLIPSIS);
        }
        self.buf
    }
}

impl fmt::Write for CappedText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.push(s) {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

/// Where (a byte offset) `expr`'s operators, opening brackets and keywords
/// pass [`MAX_STRUCTURE`], if they do: each is a level of recursion in jaq.
/// Strings and comments do not count, a string's `\(…)` interpolations do.
/// One pass, no recursion, so any input is safe to measure.
fn past_structure_limit(expr: &str) -> Option<usize> {
    const KEYWORDS: [&str; 10] = [
        "if", "elif", "try", "reduce", "foreach", "def", "label", "as", "and", "or",
    ];
    let b = expr.as_bytes();
    let mut count = 0;
    // For each `\(` being read, its parentheses still open; empty at the top.
    let mut interpolations: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let at = i;
        let counted = if in_string {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'(')) => {
                    interpolations.push(1);
                    in_string = false;
                    i += 2;
                    true
                }
                (b'\\', _) => {
                    i += 2;
                    false
                }
                (b'"', _) => {
                    in_string = false;
                    i += 1;
                    false
                }
                _ => {
                    i += 1;
                    false
                }
            }
        } else {
            match b[i] {
                b'"' => {
                    in_string = true;
                    i += 1;
                    false
                }
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    false
                }
                b'(' => {
                    if let Some(open) = interpolations.last_mut() {
                        *open += 1;
                    }
                    i += 1;
                    true
                }
                b')' => {
                    if let Some(open) = interpolations.last_mut() {
                        *open -= 1;
                        if *open == 0 {
                            interpolations.pop();
                            in_string = true;
                        }
                    }
                    i += 1;
                    false
                }
                b'[' | b'{' | b'|' | b',' | b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>'
                | b'=' | b'!' => {
                    i += 1;
                    true
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                    let start = i;
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    KEYWORDS.contains(&&expr[start..i])
                }
                _ => {
                    i += 1;
                    false
                }
            }
        };
        if counted {
            count += 1;
            if count > MAX_STRUCTURE {
                return Some(at);
            }
        }
    }
    None
}

/// Turns the loader's (lexer and parser) errors into one message about the
/// first problem.
fn load_error(expr: &str, errors: load::Errors<&str, ()>) -> QueryError {
    let first = errors.into_iter().next().map(|(_file, error)| error);
    let (message, at) = match first {
        Some(load::Error::Lex(errs)) => match errs.into_iter().next() {
            // The lexer stops at a character that starts no token: name it.
            Some((load::lex::Expect::Token, at)) => {
                let unexpected = at.chars().next().map_or_else(
                    || "the end of the expression".to_owned(),
                    |c| format!("`{}`", c.escape_debug()),
                );
                (format!("unexpected {unexpected}"), Some(at))
            }
            Some((expect, at)) => (format!("expected {}", lex_expect(&expect)), Some(at)),
            None => ("the expression could not be read".to_owned(), None),
        },
        Some(load::Error::Parse(errs)) => match errs.into_iter().next() {
            Some((expect, found)) => (
                format!("expected {}, found {}", expect.as_str(), quote_token(found)),
                Some(found),
            ),
            None => ("the expression could not be parsed".to_owned(), None),
        },
        Some(load::Error::Io(errs)) => match errs.into_iter().next() {
            // `why` is jaq's "module loading not supported": say it once, plainly.
            Some((path, _why)) => (
                format!("cannot import `{path}`: modules are not supported"),
                Some(path),
            ),
            None => ("modules are not supported".to_owned(), None),
        },
        None => ("the expression could not be read".to_owned(), None),
    };
    QueryError {
        message,
        column: at.and_then(|at| column_of(expr, at)),
    }
}

/// Turns the compiler's errors (names that are not defined) into one message
/// about the first.
fn compile_error(expr: &str, errors: jaq_core::compile::Errors<&str, ()>) -> QueryError {
    let first = errors.into_iter().flat_map(|(_file, errs)| errs).next();
    match first {
        Some((name, undefined)) => {
            let what = match &undefined {
                jaq_core::compile::Undefined::Filter(arity) => {
                    format!("filter `{name}/{arity}`")
                }
                other => format!("{} `{name}`", other.as_str()),
            };
            QueryError {
                message: format!("unknown {what}"),
                column: column_of(expr, name),
            }
        }
        None => QueryError {
            message: "the expression could not be compiled".to_owned(),
            column: None,
        },
    }
}

/// What the lexer expected, in words. Written here rather than with
/// `Expect::as_str`, which panics on a delimiter it does not know.
fn lex_expect(expect: &load::lex::Expect<&str>) -> String {
    use load::lex::Expect;
    match expect {
        Expect::Digit => "a digit".to_owned(),
        Expect::Ident => "an identifier".to_owned(),
        Expect::Delim("(") => "a closing parenthesis".to_owned(),
        Expect::Delim("[") => "a closing bracket".to_owned(),
        Expect::Delim("{") => "a closing brace".to_owned(),
        Expect::Delim("\"") => "a closing quote".to_owned(),
        Expect::Delim(open) => format!("a match for `{open}`"),
        Expect::Escape => "a string escape sequence".to_owned(),
        Expect::Unicode => "a 4-digit hexadecimal code point".to_owned(),
        Expect::Token => "a token".to_owned(),
        _ => "something else".to_owned(),
    }
}

/// The token the parser stumbled on, quoted and shortened to its first line.
fn quote_token(found: &str) -> String {
    let line = found.lines().next().unwrap_or("");
    if line.is_empty() {
        return "the end of the expression".to_owned();
    }
    format!("`{}`", crate::text::cut(line, QUOTED_TOKEN_CHARS))
}

/// 1-based character column of `part` in `expr`. jaq reports positions as
/// subslices of the code it was given; anything else (a slice of the standard
/// library, say) has no column.
fn column_of(expr: &str, part: &str) -> Option<usize> {
    let start = expr.as_ptr() as usize;
    let offset = (part.as_ptr() as usize).checked_sub(start)?;
    expr.get(..offset).map(|before| before.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(expr: &str) -> Query {
        match Query::compile(expr) {
            Ok(q) => q,
            Err(e) => panic!("{expr} should compile: {e}"),
        }
    }

    #[test]
    fn query_is_send_sync_and_debug_shows_the_expression() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<Query>();
        assert_eq!(format!("{:?}", query(".a")), r#"Query { expr: ".a" }"#);
    }

    #[test]
    fn string_output_is_unquoted_and_others_are_compact_json() {
        let data = r#"{"s":"hi","o":{"a": [1, 2]},"n":null}"#;
        assert_eq!(query(".s").extract(data).as_deref(), Some("hi"));
        assert_eq!(query(".o").extract(data).as_deref(), Some(r#"{"a":[1,2]}"#));
        assert_eq!(query(".n").extract(data).as_deref(), Some("null"));
        assert_eq!(query(".n // empty").extract(data), None);
    }

    #[test]
    fn truthiness_follows_jq() {
        assert!(query(".").holds("0"));
        assert!(query(".").holds(r#""""#));
        assert!(!query(".").holds("null"));
        assert!(!query(".").holds("false"));
        assert!(!query("empty").holds("{}"));
    }

    fn all_hold(expr: &str, data: &str) -> Result<(), NotHeld> {
        query(expr).all_outputs_hold(&Input::parse(data).expect("JSON"))
    }

    #[test]
    fn every_output_must_be_true_and_there_must_be_one() {
        assert_eq!(all_hold(".a[] > 0", r#"{"a":[1,2]}"#), Ok(()));
        assert_eq!(
            all_hold(".a[] > 1", r#"{"a":[1,2,0]}"#),
            Err(NotHeld::Falsy {
                index: 1,
                value: "false".into()
            })
        );
        assert_eq!(
            all_hold(".a[]", r#"{"a":[1,null]}"#),
            Err(NotHeld::Falsy {
                index: 2,
                value: "null".into()
            })
        );
        assert_eq!(all_hold(".a[]", r#"{"a":[]}"#), Err(NotHeld::NoOutput));
        assert_eq!(
            all_hold("(.n | numbers) > 3", r#"{"n":"x"}"#),
            Err(NotHeld::NoOutput)
        );
        // jq orders values across types: a string is greater than any number.
        assert_eq!(all_hold(".n > 3", r#"{"n":"x"}"#), Ok(()));
    }

    #[test]
    fn an_error_at_any_output_does_not_hold() {
        assert_eq!(
            all_hold(".a", "5"),
            Err(NotHeld::Failed("cannot index 5 with \"a\"".into()))
        );
        assert!(matches!(
            all_hold(".[] | .a", r#"[{"a":1}, 2]"#),
            Err(NotHeld::Failed(_))
        ));
        assert!(matches!(all_hold("halt", "{}"), Err(NotHeld::Failed(m)) if m.starts_with("halt")));
        // A value thrown is shown as JSON, as jaq shows it.
        assert_eq!(
            all_hold(r#"error("no \u001b")"#, "{}"),
            Err(NotHeld::Failed(r#""no \u001b""#.into()))
        );
    }

    #[test]
    fn endless_outputs_stop_at_the_cap_and_long_errors_are_cut() {
        assert_eq!(all_hold("repeat(1)", "{}"), Err(NotHeld::TooManyOutputs));
        let limit = format!("limit({ALL_MAX_OUTPUTS}; repeat(1))");
        assert_eq!(all_hold(&limit, "{}"), Ok(()));
        let big = format!("[{}]", vec!["1"; 100_000].join(","));
        let Err(NotHeld::Failed(message)) = all_hold(".a", &big) else {
            panic!("indexing an array with a key fails")
        };
        assert!(
            message.len() <= ERROR_MAX_BYTES + '…'.len_utf8(),
            "{}",
            message.len()
        );
        assert!(
            message.starts_with("cannot index [1,1,") && message.ends_with('…'),
            "{message}"
        );
    }

    #[test]
    fn halt_is_an_error_not_an_exit() {
        assert!(!query("halt").holds("{}"));
        assert_eq!(query("halt_error").extract(r#""x""#), None);
    }

    #[test]
    fn text_is_cut_at_the_byte_cap_on_a_char_boundary() {
        let mut text = CappedText::new(5);
        assert!(!text.push("abcdé"));
        assert_eq!(text.finish(), "abcd…");
    }

    #[test]
    fn error_column_counts_characters() {
        let expr = "é.x";
        assert_eq!(column_of(expr, &expr[2..]), Some(2));
        assert_eq!(column_of(expr, &expr[expr.len()..]), Some(4));
        assert_eq!(column_of(&expr[2..], expr), None);
    }

    #[test]
    fn empty_expression_is_an_error() {
        let err = Query::compile("  ").err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("the expression is empty")
        );
    }

    /// Expressions as deep as the limit allows, of each construct jaq recurses on.
    fn at_the_limit() -> Vec<String> {
        let n = MAX_STRUCTURE;
        vec![
            format!("{}.{}", "(".repeat(n), ")".repeat(n)),
            format!("{}.{}", "[".repeat(n), "]".repeat(n)),
            format!("{}.{}", "{a:".repeat(n), "}".repeat(n)),
            vec!["."; n + 1].join(" | "),
            vec!["1"; n + 1].join(" + "),
            vec!["."; n + 1].join(", "),
            format!("{}1", "-".repeat(n)),
            format!("{}.{}", "if . then ".repeat(n), " else . end".repeat(n)),
            format!("{}.", "try ".repeat(n)),
            format!("{}.{}", "def f: ".repeat(n), "; f".repeat(n)),
            format!("{}.", ". as $x | ".repeat(n / 2)),
            // Three a level, and two brackets to make 128.
            format!(
                "[[{}.{}]]",
                "reduce . as $x (.; ".repeat(n / 3),
                ")".repeat(n / 3)
            ),
            format!("{}.{}", "\"\\(".repeat(n), ")\"".repeat(n)),
        ]
    }

    /// Run on this test's thread (2 MiB of stack): every construct at the
    /// limit compiles and runs; one more and it is refused, at its column.
    #[test]
    fn expressions_past_the_structure_limit_are_refused_and_those_within_run() {
        for expr in at_the_limit() {
            let query = Query::compile(&expr).unwrap_or_else(|e| panic!("{expr:.40}…: {e}"));
            let _ = query.holds(r#"{"a":[1]}"#);
            let _ = query.extract(r#"{"a":[1]}"#);
            let over = format!("({expr})");
            let err = Query::compile(&over).expect_err(&over);
            assert_eq!(
                err.message(),
                "the expression is too complex: more than 128 operators, brackets and keywords"
            );
            assert!(err.column().is_some(), "{err}");
        }
    }

    /// The issue's input: 60,000 nested parentheses overflowed the stack.
    #[test]
    fn sixty_thousand_nested_brackets_are_an_error_not_an_abort() {
        let cases = [
            ("(", ")", "("),
            ("[", "]", "["),
            ("{a:", "}", "{"),
            ("\"\\(", ")\"", "\\("),
        ];
        for (open, close, counted) in cases {
            let expr = format!("{}.{}", open.repeat(60_000), close.repeat(60_000));
            let err = Query::compile(&expr).expect_err(open);
            // At the 129th.
            let at = expr
                .match_indices(counted)
                .nth(MAX_STRUCTURE)
                .map(|(i, _)| i + 1);
            assert_eq!(err.column(), at, "{open}");
        }
        let chain = vec!["."; 60_000].join("|");
        assert!(Query::compile(&chain).is_err());
    }

    #[test]
    fn strings_and_comments_do_not_count_toward_the_limit() {
        let long_string = format!(r#"select(.text == "{}")"#, "(|,[{".repeat(1000));
        assert!(Query::compile(&long_string).is_ok());
        let commented = format!("# {}\n.a", "((((".repeat(1000));
        assert!(Query::compile(&commented).is_ok());
        let everyday = r#"select(.choices[0].delta.content != null and (.choices[0].delta.content | length) > 0) | .choices[0].delta.content"#;
        assert!(Query::compile(everyday).is_ok());
    }

    /// The data is the server's: a string nested 100,000 deep given to
    /// `fromjson` overflowed jaq's reader.
    #[test]
    fn fromjson_on_a_deeply_nested_string_fails_like_bad_json() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let data = serde_json::json!({ "a": deep, "b": "[1, {\"c\": 2}]" }).to_string();
        assert!(!query(".a | fromjson").holds(&data));
        assert_eq!(query(".a | fromjson").extract(&data), None);
        assert_eq!(
            query(".b | fromjson | .[1].c").extract(&data).as_deref(),
            Some("2")
        );
        assert_eq!(
            query(r#""1" | fromjson + 1"#).extract("{}").as_deref(),
            Some("2")
        );
        assert_eq!(
            query("try (5 | fromjson) catch \"no\"")
                .extract("{}")
                .as_deref(),
            Some("no")
        );
    }
}
