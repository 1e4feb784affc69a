//! How deep JSON may nest before ssetui stops reading it as JSON.
//!
//! serde_json refuses to build a value nested 128 levels deep (its recursion
//! limit), so `check --expect`, jq filters and the Answer view never see
//! such data. Everything else that reads event data as JSON (the Content
//! view's pretty-printing, validity checks that skip building a value) asks
//! [`too_deep`] first, so one rule holds everywhere and no layout is made of
//! a hundred thousand nested levels.

/// JSON nested this many levels deep (arrays and objects), or deeper, is
/// not read as JSON: serde_json's recursion limit, so 127 levels are read.
pub const DEPTH_LIMIT: usize = 128;

/// Whether `src` nests arrays and objects [`DEPTH_LIMIT`] levels deep or
/// more. Brackets inside strings do not count. One pass, no recursion, and it
/// stops at the first level too deep, so it is cheap on any input; it does
/// not check that `src` is valid JSON.
pub fn too_deep(src: &[u8]) -> bool {
    // Nesting 128 deep takes 128 opening brackets. Almost every event has
    // fewer, and counting them is a pass the compiler vectorises, where the
    // walk below goes a byte at a time through a state machine: that walk
    // was a fifth of a frame under a firehose, since every event's data is
    // checked once (`insight::diagnose`'s JSON check).
    if opening_brackets(src) < DEPTH_LIMIT {
        return false;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in src {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= DEPTH_LIMIT {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// How many `[` and `{` bytes `src` holds, strings included.
fn opening_brackets(src: &[u8]) -> usize {
    // Counted in blocks of u8 so each block's sum cannot overflow and the
    // loop stays a simple vectorisable reduction.
    src.chunks(255)
        .map(|block| {
            block
                .iter()
                .map(|&b| u8::from(b == b'[' || b == b'{'))
                .sum::<u8>() as usize
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn the_limit_is_serde_jsons() {
        let deepest = nested(DEPTH_LIMIT - 1);
        assert!(!too_deep(deepest.as_bytes()));
        assert!(serde_json::from_str::<serde_json::Value>(&deepest).is_ok());
        let refused = nested(DEPTH_LIMIT);
        assert!(too_deep(refused.as_bytes()));
        assert!(serde_json::from_str::<serde_json::Value>(&refused).is_err());
    }

    #[test]
    fn the_count_that_skips_the_walk_counts_every_opening_bracket() {
        // Past 255 bytes (the counting block) and across blocks.
        let src = format!("{}{}x{}", "[".repeat(300), "{".repeat(300), "]".repeat(10));
        assert_eq!(opening_brackets(src.as_bytes()), 600);
        assert_eq!(opening_brackets(b""), 0);
        // One short of the limit is not too deep without a walk; at the
        // limit the walk decides, strings and all.
        assert!(!too_deep(nested(DEPTH_LIMIT - 1).as_bytes()));
        let in_a_string = format!("[\"{}\"]", "[".repeat(DEPTH_LIMIT));
        assert!(!too_deep(in_a_string.as_bytes()));
    }

    #[test]
    fn brackets_in_strings_do_not_count() {
        let src = format!(
            r#"{{"a": "{}\"{}", "b": [1]}}"#,
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(!too_deep(src.as_bytes()));
        let objects = format!("{}1{}", r#"{"k":"#.repeat(200), "}".repeat(200));
        assert!(too_deep(objects.as_bytes()));
    }

    #[test]
    fn depth_is_the_deepest_point_not_the_count() {
        let wide = "[[]],".repeat(10_000);
        assert!(!too_deep(format!("[{wide}1]").as_bytes()));
    }
}
