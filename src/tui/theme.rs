//! Styles. Colour mode uses only the basic ANSI colours with bold (readable on dark and light
//! backgrounds; no fixed white or black text); monochrome mode uses bold, underline and
//! reverse video only, so selection never depends on colour.

use ratatui::style::{Color, Modifier, Style};

use crate::runbook::{AlertKind, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub(crate) fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub(crate) fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn heading(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub(crate) fn dim(self) -> Style {
        if self.color { Style::new().add_modifier(Modifier::DIM) } else { Style::new() }
    }

    pub(crate) fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn mark(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub(crate) fn code(self) -> Style {
        self.fg(Color::Green)
    }

    pub(crate) fn link(self) -> Style {
        self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED)
    }

    pub(crate) fn answer(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn done(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn danger(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn alert(self, kind: AlertKind) -> Style {
        let c = match kind {
            AlertKind::Note => Color::Blue,
            AlertKind::Tip => Color::Green,
            AlertKind::Important => Color::Magenta,
            AlertKind::Warning => Color::Yellow,
            AlertKind::Caution => Color::Red,
        };
        self.fg(c).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn severity(self, sev: Severity) -> Style {
        match sev {
            Severity::Critical => self.danger().add_modifier(Modifier::REVERSED),
            Severity::High => self.danger(),
            Severity::Medium => self.warn(),
            Severity::Low => self.dim(),
        }
    }
}
