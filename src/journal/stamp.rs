//! The time of a journal record, typed: the responder's wall clock and its UTC offset, as
//! they saw it (`2026-11-25T03:12:09+01:00`). Parsed when the journal is read, so a line
//! whose time is not a time is an unreadable line, never a string that a report slices.

use std::fmt;
use std::str::FromStr;

use jiff::civil::DateTime;
use jiff::fmt::strtime::BrokenDownTime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A local date and time to the second, with its offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    local: DateTime,
    offset: Offset,
}

/// Why a journal time could not be read.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a time like 2026-11-25T03:12:09+01:00")]
pub struct BadStamp(String);

impl Stamp {
    /// Now, in the local time zone, to the second.
    pub(crate) fn now() -> Stamp {
        let zoned = jiff::Zoned::now();
        let local = zoned.datetime();
        let local = local.with().subsec_nanosecond(0).build().unwrap_or(local);
        Stamp { local, offset: zoned.offset() }
    }

    /// The instant, for durations between records.
    pub(crate) fn timestamp(self) -> Option<jiff::Timestamp> {
        self.offset.to_timestamp(self.local).ok()
    }

    /// Whole minutes from `self` to `later` (never negative).
    pub(crate) fn minutes_until(self, later: Stamp) -> Option<i64> {
        let (a, b) = (self.timestamp()?, later.timestamp()?);
        Some((b.as_second() - a.as_second()).max(0) / 60)
    }

    /// `03:12`, the responder's wall clock.
    pub(crate) fn clock(self) -> String {
        self.local.strftime("%H:%M").to_string()
    }

    /// `2026-11-25 03:12 (+01:00)`.
    pub(crate) fn pretty(self) -> String {
        self.format("%Y-%m-%d %H:%M (%:z)")
    }

    /// The local time with its offset, as jiff's `strftime` formats it.
    fn format(self, pattern: &str) -> String {
        let mut tm = BrokenDownTime::from(self.local);
        tm.set_offset(Some(self.offset));
        tm.to_string(pattern).unwrap_or_else(|_| self.local.to_string())
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format("%Y-%m-%dT%H:%M:%S%:z"))
    }
}

impl FromStr for Stamp {
    type Err = BadStamp;

    fn from_str(s: &str) -> Result<Stamp, BadStamp> {
        let bad = || BadStamp(crate::text::one_line(s).chars().take(40).collect());
        let pieces = Pieces::parse(s).map_err(|_| bad())?;
        let time = pieces.time().ok_or_else(bad)?;
        let offset = pieces.offset().ok_or_else(bad)?.to_numeric_offset();
        let local = DateTime::from_parts(pieces.date(), time);
        let local = local.with().subsec_nanosecond(0).build().unwrap_or(local);
        Ok(Stamp { local, offset })
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_what_it_wrote() {
        let now = Stamp::now();
        assert_eq!(now.to_string().parse::<Stamp>().ok(), Some(now));
        let s: Stamp = "2026-11-25T03:12:09+01:00".parse().unwrap();
        assert_eq!(s.to_string(), "2026-11-25T03:12:09+01:00");
        assert_eq!(s.clock(), "03:12");
        assert_eq!(s.pretty(), "2026-11-25 03:12 (+01:00)");
        let later: Stamp = "2026-11-25T02:42:09Z".parse().unwrap();
        assert_eq!(s.minutes_until(later), Some(30));
        assert_eq!(
            "2026-11-25T03:12:09-05:30".parse::<Stamp>().map(|s| s.to_string()).ok().as_deref(),
            Some("2026-11-25T03:12:09-05:30")
        );
    }

    #[test]
    fn what_is_not_a_time_is_an_error() {
        for bad in ["", "yesterday", "2026-11-25", "2026-11-25T03:12:09", "é", "2026-13-40T99:00:00+01:00"] {
            assert!(bad.parse::<Stamp>().is_err(), "{bad}");
        }
    }
}
