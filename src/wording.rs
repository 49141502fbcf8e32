//! Wording tables: phrases looked up in a line by one shared loop. Long `contains` chains
//! and if/else ladders written out as code cost a call per phrase at each place in the web
//! bundle; a table costs its phrases as data and one loop for all.

/// Whether `text` holds any of `phrases`.
#[inline(never)]
pub fn any_in(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| text.contains(p))
}

/// The value of the first row of `table` that holds any of its phrases in `text` and, when the
/// row names one, its second phrase too; `otherwise` when no row matches. Rows are tried in
/// order, so a more specific row comes before a more general one.
#[inline(never)]
pub fn first_row<T: Copy>(text: &str, table: &[(&[&str], &str, T)], otherwise: T) -> T {
    for &(phrases, also, value) in table {
        if any_in(text, phrases) && text.contains(also) {
            return value;
        }
    }
    otherwise
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_tried_in_order_with_their_second_phrase() {
        const T: &[(&[&str], &str, u8)] =
            &[(&["a", "b"], "x", 1), (&["a"], "", 2), (&["c"], "", 3)];
        assert_eq!(first_row("b x", T, 0), 1);
        assert_eq!(first_row("a", T, 0), 2);
        assert_eq!(first_row("c a", T, 0), 2);
        assert_eq!(first_row("c", T, 0), 3);
        assert_eq!(first_row("b", T, 0), 0);
        assert!(any_in("abc", &["x", "bc"]));
        assert!(!any_in("abc", &["x", "cb"]));
        assert!(!any_in("abc", &[]));
    }
}
