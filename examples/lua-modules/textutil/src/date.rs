//! Dates without a time zone database: UTC only, proleptic Gregorian
//! calendar, from a Unix timestamp.

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Monday.
    weekday: usize,
    /// 1-based day of the year.
    yday: u32,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Year, month, day of day number `days` since 1970-01-01 (days-from-civil
/// inverted over 400-year eras of 146 097 days).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn civil(timestamp: i64) -> Civil {
    let days = timestamp.div_euclid(86_400);
    let secs = timestamp.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = u32::from(month > 2 && is_leap(year));
    let yday = cumulative.get(month as usize - 1).copied().unwrap_or(0) + day + leap;
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        // 1970-01-01 was a Thursday (3 with Monday = 0).
        weekday: (days + 3).rem_euclid(7) as usize,
        yday,
    }
}

/// Formats `timestamp` with `%Y %y %m %d %e %H %M %S %j %a %A %b %B %F %T
/// %s %%`; any other specifier is an error naming it.
pub fn format(timestamp: i64, pattern: &str) -> Result<String, String> {
    // Years stay within four digits' reach of chrono-style formatting.
    if !(-(1i64 << 40)..(1i64 << 40)).contains(&timestamp) {
        return Err(format!("timestamp {timestamp} out of range"));
    }
    let t = civil(timestamp);
    let weekday = WEEKDAYS.get(t.weekday).copied().unwrap_or("?");
    let month = MONTHS.get(t.month as usize - 1).copied().unwrap_or("?");
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&t.year.to_string()),
            Some('y') => out.push_str(&format!("{:02}", t.year.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{:02}", t.month)),
            Some('d') => out.push_str(&format!("{:02}", t.day)),
            Some('e') => out.push_str(&format!("{:2}", t.day)),
            Some('H') => out.push_str(&format!("{:02}", t.hour)),
            Some('M') => out.push_str(&format!("{:02}", t.minute)),
            Some('S') => out.push_str(&format!("{:02}", t.second)),
            Some('j') => out.push_str(&format!("{:03}", t.yday)),
            Some('a') => out.push_str(weekday.get(..3).unwrap_or(weekday)),
            Some('A') => out.push_str(weekday),
            Some('b') => out.push_str(month.get(..3).unwrap_or(month)),
            Some('B') => out.push_str(month),
            Some('F') => out.push_str(&format!("{}-{:02}-{:02}", t.year, t.month, t.day)),
            Some('T') => out.push_str(&format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second)),
            Some('s') => out.push_str(&timestamp.to_string()),
            Some('%') => out.push('%'),
            Some(other) => return Err(format!("unknown format specifier %{other}")),
            None => return Err("format ends with a lone %".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(format(0, "%F %T %A %j").unwrap(), "1970-01-01 00:00:00 Thursday 001");
        // 2000-02-29 12:34:56 UTC, a leap day.
        assert_eq!(format(951_827_696, "%a %e %b %Y %H:%M:%S %j").unwrap(), "Tue 29 Feb 2000 12:34:56 060");
        assert_eq!(format(-1, "%F %T").unwrap(), "1969-12-31 23:59:59");
        assert_eq!(format(1_700_000_000, "%y/%m/%d %s %%").unwrap(), "23/11/14 1700000000 %");
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert_eq!(format(0, "%Q").unwrap_err(), "unknown format specifier %Q");
        assert!(format(0, "50%").is_err());
        assert!(format(i64::MAX, "%Y").is_err());
    }
}
