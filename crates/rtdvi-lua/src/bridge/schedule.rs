//! The Lua side of the editor's loop: `vim.schedule` callbacks and `vim.uv`
//! timers. Time is the real monotonic clock plus what `vim.wait` skipped:
//! a wait advances the clock to the next due timer instead of sleeping, so
//! it never blocks the editor and headless runs are deterministic.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::value::CallbackId;

/// One timer started by `timer:start(timeout, repeat, cb)`.
#[derive(Debug, Clone)]
struct Timer {
    due: Duration,
    repeat: Duration,
    callback: CallbackId,
}

/// Scheduled callbacks and timers of one Lua state.
#[derive(Debug)]
pub(crate) struct Schedule {
    started: Instant,
    skipped: Duration,
    queue: VecDeque<CallbackId>,
    timers: BTreeMap<u64, Timer>,
    next_timer: u64,
}

/// Something due to run now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Due {
    /// A `vim.schedule` callback (released after it ran).
    Scheduled(CallbackId),
    /// A timer's callback (released when the timer ends).
    Timer(u64, CallbackId),
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            started: Instant::now(),
            skipped: Duration::ZERO,
            queue: VecDeque::new(),
            timers: BTreeMap::new(),
            next_timer: 1,
        }
    }
}

impl Schedule {
    /// The loop's clock.
    pub fn now(&self) -> Duration {
        self.started.elapsed() + self.skipped
    }

    /// `vim.schedule(fn)`.
    pub fn schedule(&mut self, callback: CallbackId) {
        self.queue.push_back(callback);
    }

    /// `timer:start(timeout, repeat, cb)`: the timer's id.
    pub fn start(&mut self, timeout_ms: u64, repeat_ms: u64, callback: CallbackId) -> u64 {
        let id = self.next_timer;
        self.next_timer += 1;
        let due = self.now() + Duration::from_millis(timeout_ms);
        self.timers.insert(id, Timer { due, repeat: Duration::from_millis(repeat_ms), callback });
        id
    }

    /// `timer:stop()`: the callback to release, if the timer was running.
    pub fn stop(&mut self, id: u64) -> Option<CallbackId> {
        self.timers.remove(&id).map(|t| t.callback)
    }

    /// Whether timer `id` is running.
    pub fn is_active(&self, id: u64) -> bool {
        self.timers.contains_key(&id)
    }

    /// `timer:again()`: restarts a repeating timer from now.
    pub fn again(&mut self, id: u64) {
        let now = self.now();
        if let Some(t) = self.timers.get_mut(&id) {
            t.due = now + t.repeat;
        }
    }

    /// The next thing due now (scheduled callbacks first, then timers by due
    /// time and id). A repeating timer is re-armed; a one-shot one removed.
    pub fn next_due(&mut self) -> Option<Due> {
        if let Some(cb) = self.queue.pop_front() {
            return Some(Due::Scheduled(cb));
        }
        let now = self.now();
        let (&id, timer) = self.timers.iter().filter(|(_, t)| t.due <= now).min_by_key(|(id, t)| (t.due, **id))?;
        let callback = timer.callback;
        if timer.repeat.is_zero() {
            self.timers.remove(&id);
        } else if let Some(t) = self.timers.get_mut(&id) {
            t.due = now + t.repeat;
        }
        Some(Due::Timer(id, callback))
    }

    /// Whether timer `id` still exists (a one-shot timer is gone once fired).
    pub fn has_timer(&self, id: u64) -> bool {
        self.timers.contains_key(&id)
    }

    /// Moves the clock forward to the next due timer, but not past `limit`
    /// (both on the loop's clock), when nothing is due now.
    pub fn skip_until(&mut self, limit: Duration) {
        if !self.queue.is_empty() {
            return;
        }
        let now = self.now();
        let next = self.timers.values().map(|t| t.due).min().unwrap_or(limit).min(limit);
        if next > now {
            self.skipped += next - now;
        }
    }

    /// Whether something is due now.
    pub fn has_due(&self) -> bool {
        let now = self.now();
        !self.queue.is_empty() || self.timers.values().any(|t| t.due <= now)
    }

    /// How long until something is due (zero when something is due now).
    pub fn next_in(&self) -> Option<Duration> {
        if !self.queue.is_empty() {
            return Some(Duration::ZERO);
        }
        let now = self.now();
        self.timers.values().map(|t| t.due.saturating_sub(now)).min()
    }

    /// Forgets everything (the Lua state was rebuilt: its ids are gone).
    pub fn clear(&mut self) {
        self.queue.clear();
        self.timers.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_then_timers_in_due_order() {
        let mut s = Schedule::default();
        let a = s.start(50, 0, CallbackId(1));
        let b = s.start(10, 0, CallbackId(2));
        s.schedule(CallbackId(3));
        assert_eq!(s.next_due(), Some(Due::Scheduled(CallbackId(3))));
        assert_eq!(s.next_due(), None, "nothing due before time passes");
        let limit = s.now() + Duration::from_millis(100);
        s.skip_until(limit);
        assert_eq!(s.next_due(), Some(Due::Timer(b, CallbackId(2))));
        s.skip_until(limit);
        assert_eq!(s.next_due(), Some(Due::Timer(a, CallbackId(1))));
        assert!(!s.has_timer(a));
        assert_eq!(s.next_due(), None);
    }

    #[test]
    fn repeating_timers_rearm_and_stop() {
        let mut s = Schedule::default();
        let t = s.start(5, 5, CallbackId(9));
        let limit = s.now() + Duration::from_millis(5);
        s.skip_until(limit);
        assert_eq!(s.next_due(), Some(Due::Timer(t, CallbackId(9))));
        assert!(s.is_active(t));
        assert_eq!(s.stop(t), Some(CallbackId(9)));
        assert!(!s.is_active(t));
        assert_eq!(s.stop(t), None);
    }
}
