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
