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
use jaq_core::load::{Arena, File, Loader};
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

mod bounds;
mod errors;

use bounds::{CappedText, past_structure_limit};
pub use errors::QueryError;
use errors::{column_of, compile_error, load_error};

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

#[cfg(test)]
mod tests;
