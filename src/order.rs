//! Stable sorting through one shared sort of positions: every element type reuses the same
//! compiled sort instead of a copy of it per type (the web bundle carries each copy).

use std::cmp::Ordering;

/// The positions `0..n` in stable sorted order under `cmp`: a bottom-up merge sort, a few
/// hundred bytes of code where the standard library's sort is several thousand. A stable
/// order under a total order is unique, so the result is the standard stable sort's.
#[inline(never)]
fn sorted_positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..n).collect();
    let mut merged = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut merged[lo..hi] {
                // The right run goes first only when strictly less: equal elements keep
                // their order.
                if j < hi && (i >= mid || cmp(positions[j], positions[i]) == Ordering::Less) {
                    *slot = positions[j];
                    j += 1;
                } else {
                    *slot = positions[i];
                    i += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut positions, &mut merged);
        width *= 2;
    }
    positions
}

/// `v.sort_by(cmp)`: the same stable order.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// `v.sort_by_key(key)`: the same stable order.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_the_standard_stable_sort() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for n in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ((x % 5) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |e| e.0);
            let mut std = v.clone();
            std.sort_by_key(|e| e.0);
            assert_eq!(ours, std);
            let cmp =
                |a: &(u8, usize), b: &(u8, usize)| (a.0 % 3).cmp(&(b.0 % 3)).then(b.0.cmp(&a.0));
            let mut ours = v.clone();
            sort_by(&mut ours, cmp);
            let mut std = v;
            std.sort_by(cmp);
            assert_eq!(ours, std);
        }
    }
}
