//! Scrolling a view taller than its area. Keys record intent (a move, "keep the selection in
//! view"); the top line is worked out while drawing, when the content's height is known, by
//! `top_line`, a pure function. This is gitui's `scroll_vertical.rs` pattern: `update` never
//! renders to learn where things are.

use std::cell::Cell;
use std::ops::Range;

/// A scroll the responder asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Up(usize),
    Down(usize),
    /// A page up or down: the view's height less the lines kept from the last page, so
    /// paging visits every line (as `less` does), however tall the view turns out to be.
    PageUp(usize),
    PageDown(usize),
    Top,
    Bottom,
    /// Put this line at the top (a find match, a section of a page).
    Line(usize),
}

/// The first line to show: `top` after the move, within the content, and with the `keep`
/// lines (the selected answer or step) on screen, their start first when they do not fit.
pub(crate) fn top_line(
    top: usize,
    request: Option<Move>,
    total: usize,
    height: usize,
    keep: Option<Range<usize>>,
) -> usize {
    let height = height.max(1);
    let moved = match request {
        None => top,
        Some(Move::Up(n)) => top.saturating_sub(n),
        Some(Move::Down(n)) => top.saturating_add(n),
        Some(Move::PageUp(n)) => top.saturating_sub(page(height).saturating_mul(n)),
        Some(Move::PageDown(n)) => top.saturating_add(page(height).saturating_mul(n)),
        Some(Move::Top) => 0,
        Some(Move::Bottom) => usize::MAX,
        Some(Move::Line(l)) => l,
    };
    let mut top = moved.min(total.saturating_sub(height));
    if let Some(keep) = keep {
        if keep.start < top {
            top = keep.start;
        } else if keep.end > top.saturating_add(height) {
            top = keep.end.saturating_sub(height).min(keep.start);
        }
    }
    top
}

/// Lines a page moves in a view `height` rows tall: two kept in view from the last page
/// (one in a view of four rows or fewer, so a page still moves).
pub(crate) fn page(height: usize) -> usize {
    if height > 4 { height - 2 } else { height.saturating_sub(1).max(1) }
}

/// A view's scroll: the top line as last drawn, and the move asked for since. Cells, so that
/// drawing (which reads the state) can settle the move; nothing else changes during a draw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scroll {
    top: Cell<usize>,
    request: Cell<Option<Move>>,
}

impl Scroll {
    /// Ask for a move; moves asked before the next draw are replaced, except that line moves
    /// add up (two Page Downs between frames scroll two pages).
    pub(crate) fn request(&self, m: Move) {
        let merged = match (self.request.get(), m) {
            (Some(Move::Down(a)), Move::Down(b)) => Move::Down(a.saturating_add(b)),
            (Some(Move::Up(a)), Move::Up(b)) => Move::Up(a.saturating_add(b)),
            (Some(Move::PageDown(a)), Move::PageDown(b)) => Move::PageDown(a.saturating_add(b)),
            (Some(Move::PageUp(a)), Move::PageUp(b)) => Move::PageUp(a.saturating_add(b)),
            _ => m,
        };
        self.request.set(Some(merged));
    }

    /// The top line as last drawn.
    pub(crate) fn top(&self) -> usize {
        self.top.get()
    }

    /// Settle the asked-for move for content of `total` lines in `height` rows (drawing).
    pub(crate) fn settle(&self, total: usize, height: usize, keep: Option<Range<usize>>) -> usize {
        let top = top_line(self.top.get(), self.request.take(), total, height, keep);
        self.top.set(top);
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_within_the_content() {
        assert_eq!(top_line(0, Some(Move::Down(5)), 30, 10, None), 5);
        assert_eq!(top_line(18, Some(Move::Down(5)), 30, 10, None), 20, "not past the last page");
        assert_eq!(top_line(3, Some(Move::Up(5)), 30, 10, None), 0);
        assert_eq!(top_line(7, Some(Move::Bottom), 30, 10, None), 20);
        assert_eq!(top_line(7, Some(Move::Top), 30, 10, None), 0);
        assert_eq!(top_line(0, Some(Move::Line(12)), 30, 10, None), 12);
        assert_eq!(top_line(9, None, 5, 10, None), 0, "content shorter than the area");
    }

    #[test]
    fn the_kept_lines_stay_in_view() {
        // Below the area: scrolled so that its end is on the last row.
        assert_eq!(top_line(0, None, 40, 10, Some(14..16)), 6);
        // Above it: its first line at the top.
        assert_eq!(top_line(20, None, 40, 10, Some(3..5)), 3);
        // Taller than the area: its start wins.
        assert_eq!(top_line(0, None, 40, 10, Some(12..30)), 12);
        // A page down cannot lose the selection.
        assert_eq!(top_line(0, Some(Move::Down(10)), 40, 10, Some(2..4)), 2);
    }

    /// Paging down from the top shows every line, each page keeping the last page's last
    /// lines, and reaches the end; paging up comes back to the top.
    #[test]
    fn paging_visits_every_line() {
        for height in 1..30 {
            for total in 0..80 {
                let mut seen = vec![false; total];
                let mut top = 0;
                for _ in 0..=total {
                    seen.iter_mut().skip(top).take(height).for_each(|s| *s = true);
                    let next = top_line(top, Some(Move::PageDown(1)), total, height, None);
                    if next == top {
                        break;
                    }
                    assert!(next <= top + height, "a page down skips no line ({height} rows, {total} lines)");
                    top = next;
                }
                assert!(seen.iter().all(|s| *s), "every line seen: {height} rows, {total} lines");
                for _ in 0..=total {
                    top = top_line(top, Some(Move::PageUp(1)), total, height, None);
                }
                assert_eq!(top, 0);
            }
        }
    }

    #[test]
    fn a_zero_height_area_does_not_underflow() {
        assert_eq!(top_line(0, Some(Move::Bottom), 0, 0, Some(0..0)), 0);
    }

    #[test]
    fn line_moves_asked_between_frames_add_up() {
        let s = Scroll::default();
        s.request(Move::Down(3));
        s.request(Move::Down(3));
        assert_eq!(s.settle(100, 10, None), 6);
        s.request(Move::Up(1));
        s.request(Move::Top);
        assert_eq!(s.settle(100, 10, None), 0, "a jump replaces a line move");
        assert_eq!(s.top(), 0);
    }
}
