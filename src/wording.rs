//! Wording tables: phrases looked up in a line by one shared loop. Long `contains` chains
//! and if/else ladders written out as code cost a call per phrase at each place in the web
//! bundle. A phrase list is one string literal with the phrases joined by NUL
//! ([`phrases!`]): an array of `&str` would cost eight bytes of pointer and length per phrase,
//! which compress far worse than the text itself.

/// The phrases joined into one `&'static str`, NUL between them, for [`any_in`] and
/// [`first_row`].
macro_rules! phrases {
    ($first:literal $(, $rest:literal)* $(,)?) => {
        concat!($first $(, "\0", $rest)*)
    };
}
pub(crate) use phrases;

/// Rows of (phrases, second phrase, text) for [`first_text`], as one string literal: fields
/// end with `\u{1}`, rows with `\u{2}`, so the table holds no pointers at all.
macro_rules! text_rows {
    ($((phrases![$($p:literal),+ $(,)?], $also:literal, $text:literal $(,)?)),+ $(,)?) => {
        concat!($(phrases![$($p),+], "\u{1}", $also, "\u{1}", $text, "\u{2}"),+)
    };
}
pub(crate) use text_rows;

/// The phrases of a list made by [`phrases!`].
pub fn each(phrases: &str) -> std::str::Split<'_, char> {
    phrases.split('\0')
}

/// Whether `text` holds any of `phrases` (a list made by [`phrases!`]).
#[inline(never)]
pub fn any_in(text: &str, phrases: &str) -> bool {
    each(phrases).any(|p| text.contains(p))
}

/// Entry `i` of `phrases` (a list made by [`phrases!`]), `""` past its end: names kept as
/// one literal in declaration order and picked by an enum's position, where a `match`
/// returning a literal per variant compiles to tables of pointers and lengths.
#[inline(never)]
pub fn nth(phrases: &'static str, i: usize) -> &'static str {
    each(phrases).nth(i).unwrap_or("")
}

/// The position of `word` in `phrases` (a list made by [`phrases!`]).
#[inline(never)]
pub fn position(word: &str, phrases: &str) -> Option<usize> {
    each(phrases).position(|p| p == word)
}

/// Whether `word` is one of `phrases` (a list made by [`phrases!`]).
#[inline(never)]
pub fn any_eq(word: &str, phrases: &str) -> bool {
    each(phrases).any(|p| word == p)
}

/// Whether `text` starts with any of `phrases` (a list made by [`phrases!`]).
#[inline(never)]
pub fn any_prefix(text: &str, phrases: &str) -> bool {
    each(phrases).any(|p| text.starts_with(p))
}

/// The value of the first row of `table` that holds any of its phrases in `text` and, when the
/// row names one, its second phrase too; `otherwise` when no row matches. Rows are tried in
/// order, so a more specific row comes before a more general one.
#[inline(never)]
pub fn first_row<T: Copy>(text: &str, table: &[(&str, &str, T)], otherwise: T) -> T {
    for &(phrases, also, value) in table {
        if any_in(text, phrases) && text.contains(also) {
            return value;
        }
    }
    otherwise
}

/// [`first_row`] over a [`text_rows!`] table: the text of the first row that matches.
#[inline(never)]
pub fn first_text(text: &str, rows: &'static str, otherwise: &'static str) -> &'static str {
    for row in rows.split_terminator('\u{2}') {
        let mut fields = row.split('\u{1}');
        let (Some(phrases), Some(also), Some(value)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
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
        const T: &[(&str, &str, u8)] = &[
            (phrases!["a", "b"], "x", 1),
            (phrases!["a"], "", 2),
            (phrases!["c"], "", 3),
        ];
        assert_eq!(first_row("b x", T, 0), 1);
        assert_eq!(first_row("a", T, 0), 2);
        assert_eq!(first_row("c a", T, 0), 2);
        assert_eq!(first_row("c", T, 0), 3);
        assert_eq!(first_row("b", T, 0), 0);
        const R: &str = text_rows![
            (phrases!["a", "b"], "x", "one"),
            (phrases!["a"], "", "two"),
            (phrases!["c"], "", "three"),
        ];
        assert_eq!(first_text("b x", R, "none"), "one");
        assert_eq!(first_text("c a", R, "none"), "two");
        assert_eq!(first_text("c", R, "none"), "three");
        assert_eq!(first_text("b", R, "none"), "none");
        assert_eq!(nth(phrases!["a", "b"], 1), "b");
        assert_eq!(nth(phrases!["a", "b"], 2), "");
        assert_eq!(position("b", phrases!["a", "b"]), Some(1));
        assert_eq!(position("c", phrases!["a", "b"]), None);
        assert!(any_in("abc", phrases!["x", "bc"]));
        assert!(!any_in("abc", phrases!["x", "cb"]));
        assert_eq!(each(phrases!["a b", "c"]).collect::<Vec<_>>(), ["a b", "c"]);
        assert!(any_eq("c", phrases!["a b", "c"]) && !any_eq("a", phrases!["a b", "c"]));
        assert!(any_prefix("c d", phrases!["a", "c"]) && !any_prefix("d c", phrases!["a", "c"]));
    }
}
