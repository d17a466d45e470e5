//! Lists read as what a runbook asks and tells: a list of links is a set of answers, a task
//! list is steps, and a warning or a code block next to a step belongs to it.

use std::collections::HashSet;

use super::blocks::{Block, Choice, Command, Risk, Step, Target, plain_text};
use super::model::Section;

/// The most characters of a step's or answer's text an id keeps.
const ID_TEXT_CHARS: usize = 40;

/// The id of a step or an answer with this text in the section `section`:
/// `section/words-of-its-text`. A journal written before steps had ids names a step by its
/// section and text, so the same rule turns it into the id the parser gives.
pub fn item_id(section: &str, text: &str) -> String {
    let words = crate::text::github_slug(&crate::text::one_line(text));
    let words: String = words.chars().take(ID_TEXT_CHARS).collect();
    let words = words.trim_matches('-');
    format!("{section}/{}", if words.is_empty() { "item" } else { words })
}

/// Give every step and answer of the runbook its id: `item_id` of its section and text,
/// with `-2`, `-3`... for a second one with the same (steps and answers apart). The same text
/// gives the same ids, so a reload keeps what was checked.
pub(super) fn give_ids(sections: &mut [Section]) {
    let (mut steps, mut answers) = (HashSet::new(), HashSet::new());
    let unique = |seen: &mut HashSet<String>, base: String| {
        let mut id = base.clone();
        let mut n = 1;
        while !seen.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    };
    for s in sections {
        for b in &mut s.blocks {
            match b {
                Block::Step(step) => step.id = unique(&mut steps, item_id(&s.id, &plain_text(&step.text))),
                Block::Choices { choices, .. } => {
                    for c in choices {
                        c.id = unique(&mut answers, item_id(&s.id, &c.label));
                    }
                }
                _ => {}
            }
        }
    }
}

/// How a list reads.
#[derive(Debug)]
pub(super) enum ListKind {
    /// Every item is just one link to a section or a runbook: a set of answers.
    Answers(Vec<Choice>),
    /// A list of text.
    Plain,
    /// Most items are answers but one is not, so it is shown as plain bullets and its question
    /// has no answers: that item's line, and why it is not an answer.
    Broken { line: usize, why: String },
}

/// Whether a list is a set of answers, text, or a set of answers that one item breaks.
pub(super) fn as_choices(items: &[(Vec<Block>, Option<bool>, usize)]) -> ListKind {
    if items.is_empty() {
        return ListKind::Plain;
    }
    let read: Vec<Result<Choice, (usize, String)>> =
        items.iter().map(|(b, task, line)| answer(b, *task, *line)).collect();
    let good = read.iter().filter(|r| r.is_ok()).count();
    if good == read.len() {
        return ListKind::Answers(read.into_iter().flatten().collect());
    }
    match read.into_iter().find_map(Result::err) {
        Some((line, why)) if good > 0 && good * 2 >= items.len() => ListKind::Broken { line, why },
        _ => ListKind::Plain,
    }
}

/// One item as an answer, or its line and why it is not one.
fn answer(blocks: &[Block], task: Option<bool>, line: usize) -> Result<Choice, (usize, String)> {
    let not = |why: &str| Err((line, why.to_owned()));
    if let Some(checked) = task {
        let mark = if checked { "[x]" } else { "[ ]" };
        return Err((
            line,
            format!("it starts with `{mark}`, which makes it a task, not a link: write `- [Label](#target)`"),
        ));
    }
    let [Block::Paragraph { text, .. }] = blocks else {
        return not("it holds more than one line of text: an answer is one link, alone on its line");
    };
    let Some(dest) = text.iter().find_map(|i| i.link.clone()) else {
        return not("it has no link: an answer is `[Label](#target)`");
    };
    if !text.iter().all(|i| i.link.as_deref() == Some(dest.as_str()) || i.text.trim().is_empty()) {
        return not("there is text beside its link: put it inside the link's label, or on a line of its own");
    }
    let Some(target) = target_of(&dest) else {
        return Err((line, format!("its link `{dest}` leads to no section or runbook (`#id` or a `.md` file)")));
    };
    Ok(Choice { id: String::new(), label: super::blocks::plain_text(text).trim().to_owned(), target, line })
}

/// Where the links in `blocks`' text lead (answers aside), in reading order, each once.
pub fn text_links(blocks: &[super::blocks::Block]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    super::blocks::visit_inlines(blocks, &mut |i| {
        if let Some(t) = i.link.as_deref().and_then(target_of)
            && seen.insert(t.clone())
        {
            out.push(t);
        }
    });
    out
}

/// Interpret a link destination as a section or runbook target; `None` for anything else
/// (web addresses, absolute paths, images, other files).
pub fn target_of(dest: &str) -> Option<Target> {
    if let Some(frag) = dest.strip_prefix('#') {
        return (!frag.is_empty()).then(|| Target::Section { section: frag.to_owned() });
    }
    if dest.contains("://") || dest.starts_with('/') || dest.starts_with("mailto:") {
        return None;
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned()).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let lower = path.to_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return None;
    }
    Some(Target::Runbook { path: path.to_owned(), section: frag })
}

pub(super) fn step_from(mut blocks: Vec<Block>, checked: bool, line: usize) -> Step {
    let text = match blocks.first() {
        Some(Block::Paragraph { .. }) => match blocks.remove(0) {
            Block::Paragraph { text, .. } => text,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let command = blocks.iter().position(|b| matches!(b, Block::Code { .. })).and_then(|i| match blocks.remove(i) {
        Block::Code { lang, code, line } => Some(Command { lang, code, line }),
        _ => None,
    });
    let risk =
        blocks.iter().position(|b| matches!(b, Block::Alert { kind, .. } if kind.is_risk())).and_then(|i| match blocks
            .remove(i)
        {
            Block::Alert { kind, blocks, .. } => Some(Risk { kind, blocks }),
            _ => None,
        });
    Step { id: String::new(), text, body: blocks, command, risk, checked, line }
}

/// Within a section: a CAUTION/WARNING alert right before a step marks it risky, and a code
/// block right after a step without a command becomes its command.
pub(super) fn attach_steps(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i < blocks.len() {
        let next_is_step = matches!(blocks.get(i + 1), Some(Block::Step(s)) if s.risk.is_none());
        if next_is_step && matches!(&blocks[i], Block::Alert { kind, .. } if kind.is_risk()) {
            if let Block::Alert { kind, blocks: alert, .. } = blocks.remove(i)
                && let Some(Block::Step(step)) = blocks.get_mut(i)
            {
                step.risk = Some(Risk { kind, blocks: alert });
            }
            continue;
        }
        let prev_needs_command = i > 0 && matches!(&blocks[i - 1], Block::Step(s) if s.command.is_none());
        if prev_needs_command && matches!(&blocks[i], Block::Code { .. }) {
            if let Block::Code { lang, code, line } = blocks.remove(i)
                && let Some(Block::Step(step)) = blocks.get_mut(i - 1)
            {
                step.command = Some(Command { lang, code, line });
            }
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod id_tests {
    use crate::runbook::{Origin, parse_text};

    const TEXT: &str = "# R\n\n## Is it up? {#up}\n\n- [Yes](#fix)\n- [No, **down**](#fix)\n\n## Fix\n\n- [ ] Restart `web`\n- [ ] Restart `web`\n- [ ] \n";

    fn ids(text: &str) -> (Vec<String>, Vec<String>) {
        let (rb, _) = parse_text(text, Origin { root: 0, rel_path: "r.md".into(), file: "r.md".into() });
        let steps = rb.steps().map(|(_, s)| s.id.clone()).collect();
        let answers = rb.sections.iter().flat_map(|s| s.choices()).map(|c| c.id.clone()).collect();
        (steps, answers)
    }

    #[test]
    fn steps_and_answers_have_ids_from_their_section_and_text() {
        let (steps, answers) = ids(TEXT);
        assert_eq!(steps, ["fix/restart-web", "fix/restart-web-2", "fix/item"]);
        assert_eq!(answers, ["up/yes", "up/no-down"]);
        assert_eq!(ids(TEXT), (steps.clone(), answers), "the same text, the same ids");
        // A step added before them leaves their ids alone.
        let (more, _) = ids(&TEXT.replace("## Fix\n\n", "## Fix\n\n- [ ] Look first\n"));
        assert_eq!(more[1..], steps[..]);
    }
}
