//! The screens and their layout as a pure function of the terminal size, so every size is
//! testable: the preview pane appears only when there is room, and chrome shrinks before
//! content does.

use ratatui::layout::Rect;

/// The screens the TUI shows, each laid out below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Search,
    Guide,
}

/// Width from which the search screen shows a preview pane.
pub(crate) const PREVIEW_MIN_WIDTH: u16 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SearchAreas {
    pub header: Rect,
    pub query: Rect,
    pub results: Rect,
    pub preview: Option<Rect>,
    pub footer: Rect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GuideAreas {
    pub header: Rect,
    /// The alert being answered (empty when none).
    pub alert: Rect,
    pub crumbs: Rect,
    pub content: Rect,
    pub footer: Rect,
}

fn row(area: Rect, y: u16, h: u16) -> Rect {
    Rect { x: area.x, y: area.y + y.min(area.height), width: area.width, height: h.min(area.height.saturating_sub(y)) }
}

/// The search screen, its footer `footer` rows tall (a status message may take two).
pub(crate) fn search(area: Rect, footer: u16) -> SearchAreas {
    let header = row(area, 0, 1);
    let query = row(area, 1, 1);
    let footer_area = row(area, area.height.saturating_sub(footer), footer);
    let body = row(area, 2, area.height.saturating_sub(2 + footer));
    let footer = footer_area;
    if area.width >= PREVIEW_MIN_WIDTH && body.height >= 6 {
        let left = body.width * 11 / 20;
        let results = Rect { width: left, ..body };
        let preview = Rect { x: body.x + left, width: body.width - left, ..body };
        SearchAreas { header, query, results, preview: Some(preview), footer }
    } else {
        SearchAreas { header, query, results: body, preview: None, footer }
    }
}

/// The guide screen; the breadcrumb row only when there is a path to show (`crumbs`), else
/// the content takes it; the footer `footer` rows tall.
pub(crate) fn guide(area: Rect, crumbs: bool, alert: bool, footer: u16) -> GuideAreas {
    let top = 1 + u16::from(alert) + u16::from(crumbs);
    GuideAreas {
        header: row(area, 0, 1),
        alert: row(area, 1, u16::from(alert)),
        crumbs: row(area, 1 + u16::from(alert), u16::from(crumbs)),
        content: row(area, top, area.height.saturating_sub(top + footer)),
        footer: row(area, area.height.saturating_sub(footer), footer),
    }
}

/// A centred popup of at most `w` x `h`, never larger than the screen minus a margin.
pub(crate) fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let width = w.min(area.width.saturating_sub(2)).max(area.width.min(20));
    let height = h.min(area.height.saturating_sub(2)).max(area.height.min(5));
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_only_when_wide() {
        assert!(search(Rect::new(0, 0, 120, 30), 1).preview.is_some());
        assert!(search(Rect::new(0, 0, 80, 24), 1).preview.is_none());
        assert!(search(Rect::new(0, 0, 60, 20), 1).preview.is_none());
    }

    #[test]
    fn areas_tile_the_screen() {
        for (w, h) in [(60, 20), (80, 24), (120, 40)] {
            let a = search(Rect::new(0, 0, w, h), 1);
            assert_eq!(a.header.y, 0);
            assert_eq!(a.query.y, 1);
            assert_eq!(a.results.y, 2);
            assert_eq!(a.results.height, h - 3);
            assert_eq!(a.footer.y, h - 1);
            let g = guide(Rect::new(0, 0, w, h), true, false, 1);
            assert_eq!(g.content.height, h - 3);
            assert_eq!(g.content.width, w);
            let g = guide(Rect::new(0, 0, w, h), true, true, 1);
            assert_eq!((g.alert.y, g.crumbs.y, g.content.y, g.content.height), (1, 2, 3, h - 4), "an alert row");
            let g = guide(Rect::new(0, 0, w, h), false, false, 1);
            assert_eq!((g.crumbs.height, g.content.y, g.content.height), (0, 1, h - 2), "no path: no breadcrumb row");
            let g = guide(Rect::new(0, 0, w, h), false, false, 2);
            assert_eq!((g.content.height, g.footer.y, g.footer.height), (h - 3, h - 2, 2), "a two-row status");
            let a = search(Rect::new(0, 0, w, h), 2);
            assert_eq!((a.results.height, a.footer.y, a.footer.height), (h - 4, h - 2, 2));
        }
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        let a = search(Rect::new(0, 0, 10, 2), 1);
        assert!(a.results.height == 0 && a.footer.y <= 1);
        let p = popup(Rect::new(0, 0, 10, 3), 70, 20);
        assert!(p.width <= 10 && p.height <= 3);
    }
}
