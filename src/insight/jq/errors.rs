//! What is wrong with an expression, in words and with its column: jaq's
//! lexer, parser and compiler errors turned into one message.

use jaq_core::load;

/// How much of an offending token an error message quotes.
const QUOTED_TOKEN_CHARS: usize = 24;

/// Why an expression did not compile: a message naming the problem and, when
/// jaq reports where it is, the 1-based column (in characters) in the
/// expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", at_column(*.column))]
pub struct QueryError {
    pub(super) message: String,
    pub(super) column: Option<usize>,
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

/// Turns the loader's (lexer and parser) errors into one message about the
/// first problem.
pub(super) fn load_error(expr: &str, errors: load::Errors<&str, ()>) -> QueryError {
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
pub(super) fn compile_error(expr: &str, errors: jaq_core::compile::Errors<&str, ()>) -> QueryError {
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
pub(super) fn column_of(expr: &str, part: &str) -> Option<usize> {
    let offset = crate::text::range_in(expr.as_bytes(), part.as_bytes())?.start;
    expr.get(..offset).map(|before| before.chars().count() + 1)
}
