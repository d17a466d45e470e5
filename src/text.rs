//! Text hygiene shared by the loader and every output: runbook text is data, so control
//! characters never reach a terminal, and line endings are normalised once at load time.

/// Normalise CRLF and lone CR to LF.
pub(crate) fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Whether `c` is a C0 or C1 control character other than tab and newline.
pub(crate) fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Remove C0/C1 control characters (ESC, BEL, CSI, OSC, DEL, ...), keeping tab and newline,
/// so no runbook can clear the screen, set the title or write a responder's clipboard.
/// Returns the cleaned text and how many characters were removed.
///
/// ```
/// let (clean, removed) = runbook::text::strip_controls("ok\u{1b}]52;c;ZXZpbA==\u{7} done\n");
/// assert_eq!(clean, "ok]52;c;ZXZpbA== done\n");
/// assert_eq!(removed, 2);
/// ```
pub fn strip_controls(text: &str) -> (String, usize) {
    let removed = text.chars().filter(|&c| is_unsafe_control(c)).count();
    (clean(text).into_owned(), removed)
}

/// `text` without control characters, borrowed when it has none: for text that the markdown
/// or YAML parser decoded after the load-time strip (`&#x1b;`, `"\e"`), so it is clean too.
///
/// ```
/// assert_eq!(runbook::text::clean("a&b"), "a&b");
/// assert_eq!(runbook::text::clean("x\u{1b}[2J\u{9b}y"), "x[2Jy");
/// ```
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(is_unsafe_control) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !is_unsafe_control(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Sanitise text for one terminal line: controls dropped, tabs and newlines become spaces.
pub fn one_line(text: &str) -> String {
    clean(text).chars().map(|c| if c == '\n' || c == '\t' { ' ' } else { c }).collect()
}

/// A file name or id made readable: `disk-full` -> `Disk full`,
/// `KubePodCrashLooping` -> `Kube Pod Crash Looping`.
pub(crate) fn readable_name(stem: &str) -> String {
    let words = split_words(stem);
    let mut out = words.join(" ");
    if let Some(first) = out.get(0..1) {
        let upper = first.to_uppercase();
        out.replace_range(0..1, &upper);
    }
    out
}

/// Split an identifier into words at separators and CamelCase boundaries
/// (`KubePodCrashLooping` -> Kube Pod Crash Looping, `disk-full.md` -> disk full md,
/// `HTTPServerDown` -> HTTP Server Down).
pub(crate) fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in s.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (prev, cur) = (chars[i - 1], chars[i]);
            let boundary = case_boundary(prev, cur, chars.get(i + 1).copied())
                || (prev.is_alphabetic() && cur.is_ascii_digit())
                || (prev.is_ascii_digit() && cur.is_alphabetic());
            if boundary {
                words.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect());
        }
    }
    words
}

/// Whether an identifier changes case between `prev` and `cur` (`next` follows `cur`): a
/// capital after a small letter (`pod|Crash`), or the last capital of a run before small
/// letters (`HTTP|Server`). Shared by `split_words` and the search index's identifier
/// splitting, so both cut identifiers alike.
pub(crate) fn case_boundary(prev: char, cur: char, next: Option<char>) -> bool {
    (prev.is_lowercase() && cur.is_uppercase())
        || (prev.is_uppercase() && cur.is_uppercase() && next.is_some_and(char::is_lowercase))
}

/// GitHub's heading anchor: lowercase, drop everything but letters, digits, spaces, `-`
/// and `_`, spaces become `-`. (The algorithm is small and must match GitHub exactly, so it is
/// written here rather than taken from a general-purpose slug crate that transliterates.)
///
/// ```
/// use runbook::text::github_slug;
/// assert_eq!(github_slug("Is the disk really full?"), "is-the-disk-really-full");
/// assert_eq!(github_slug("Restart `nginx` (safely)"), "restart-nginx-safely");
/// ```
pub fn github_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The candidates closest to `wanted`, best first (for "did you mean ...?").
pub(crate) fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let id = c.to_lowercase();
            let last = id.rsplit('/').next().unwrap_or(&id);
            let bonus = if id.contains(&wanted) || wanted.contains(last) { 0.2 } else { 0.0 };
            (strsim::jaro_winkler(&wanted, &id).max(strsim::jaro_winkler(&wanted, last)) + bonus, c)
        })
        .filter(|(s, _)| *s > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// Byte length of the longest prefix of `s` that fits in `width` columns (at least 1 char).
pub(crate) fn take_width(s: &str, width: usize) -> usize {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && i > 0 {
            return i;
        }
        used += w;
    }
    s.len()
}

/// How many terminal columns `s` takes.
pub(crate) fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The part of `s` from column `left` on that fits in `width` columns (a line scrolled
/// sideways); a wide character cut by the left edge is left out whole.
pub(crate) fn columns(s: &str, left: usize, width: usize) -> &str {
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices() {
        if used >= left {
            start = i;
            break;
        }
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    let rest = s.get(start..).unwrap_or_default();
    let mut shown = 0;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if shown + w > width {
            end = i;
            break;
        }
        shown += w;
    }
    rest.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_scroll_sideways_by_display_width() {
        assert_eq!(columns("systemctl restart myapp", 10, 7), "restart");
        assert_eq!(columns("abc", 5, 4), "");
        assert_eq!(columns("日本語テキスト", 2, 4), "本語");
        assert_eq!(columns("日本語", 1, 4), "本語", "a wide char cut on the left is left out");
        assert_eq!(columns("日本語", 0, 3), "日", "one that does not fit on the right too");
        assert_eq!(width("日本語"), 6);
    }

    #[test]
    fn strips_escape_sequences_but_keeps_tabs_and_newlines() {
        let (clean, n) = strip_controls("a\u{1b}[2Jb\u{7}\tc\nd\u{9b}e\u{7f}");
        assert_eq!(clean, "a[2Jb\tc\nde");
        assert_eq!(n, 4);
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn camel_case_and_separators_split() {
        assert_eq!(split_words("KubePodCrashLooping"), ["Kube", "Pod", "Crash", "Looping"]);
        assert_eq!(split_words("disk-full.md"), ["disk", "full", "md"]);
        assert_eq!(split_words("HTTPServerDown"), ["HTTP", "Server", "Down"]);
        assert_eq!(split_words("etcdGRPCRequestsSlow"), ["etcd", "GRPC", "Requests", "Slow"]);
        assert_eq!(readable_name("disk-full"), "Disk full");
    }

    #[test]
    fn slugs_match_github() {
        assert_eq!(github_slug("Is the disk really full?"), "is-the-disk-really-full");
        assert_eq!(github_slug("Step 2: `df -h` (read-only)"), "step-2-df--h-read-only");
        assert_eq!(github_slug("Before you start"), "before-you-start");
        assert_eq!(github_slug("Ünïcode ok"), "ünïcode-ok");
    }
}
