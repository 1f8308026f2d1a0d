//! One shared thread that advances the epoch of every live wasmtime engine.
//!
//! Deadlines are counted in ticks of [`TICK`]: a call with deadline `d` is
//! interrupted between `d` and `d + TICK` after it starts. The epoch follows
//! the clock, not the number of wake-ups: a ticker thread that slept late
//! (a loaded machine) catches up, so deadlines do not stretch. The thread
//! sleeps (parked) while no engine is alive, and forgets dropped engines.

use std::sync::{Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// Epoch tick period.
pub(crate) const TICK: Duration = Duration::from_millis(2);

struct Ticker {
    engines: Mutex<Vec<wasmtime::EngineWeak>>,
    thread: Option<Thread>,
}

fn ticker() -> &'static Ticker {
    static TICKER: OnceLock<Ticker> = OnceLock::new();
    TICKER.get_or_init(|| {
        let thread =
            std::thread::Builder::new().name("rtdvi-wasm-epoch".into()).spawn(run).ok().map(|h| h.thread().clone());
        Ticker { engines: Mutex::new(Vec::new()), thread }
    })
}

/// Most ticks one wake-up may catch up on (after a very long stall, the
/// deadline of every running call has passed anyway).
const MAX_CATCH_UP: u32 = 1000;

fn run() {
    let mut start = Instant::now();
    let mut done: u128 = 0;
    loop {
        std::thread::sleep(TICK);
        let due = start.elapsed().as_nanos() / TICK.as_nanos().max(1);
        let n = u32::try_from(due.saturating_sub(done)).unwrap_or(MAX_CATCH_UP).min(MAX_CATCH_UP);
        done = due;
        let t = ticker();
        let alive = {
            let mut engines = t.engines.lock().unwrap_or_else(|p| p.into_inner());
            engines.retain(|w| match w.upgrade() {
                Some(e) => {
                    for _ in 0..n {
                        e.increment_epoch();
                    }
                    true
                }
                None => false,
            });
            !engines.is_empty()
        };
        if !alive {
            std::thread::park();
            start = Instant::now();
            done = 0;
        }
    }
}

/// Starts ticking `engine`'s epoch. Returns false if the thread could not be
/// started (deadlines then never fire; the caller logs it).
pub(crate) fn register(engine: &wasmtime::Engine) -> bool {
    let t = ticker();
    t.engines.lock().unwrap_or_else(|p| p.into_inner()).push(engine.weak());
    match &t.thread {
        Some(th) => {
            th.unpark();
            true
        }
        None => false,
    }
}

/// Ticks to allow for `deadline` (rounded up, plus one for the tick already
/// under way).
pub(crate) fn ticks_for(deadline: Duration) -> u64 {
    let tick = TICK.as_nanos().max(1);
    let n = deadline.as_nanos().div_ceil(tick) + 1;
    u64::try_from(n).unwrap_or(u64::MAX / 2).min(u64::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_round_up_and_add_one() {
        assert_eq!(ticks_for(Duration::ZERO), 1);
        assert_eq!(ticks_for(Duration::from_millis(1)), 2);
        assert_eq!(ticks_for(Duration::from_millis(4)), 3);
        assert_eq!(ticks_for(Duration::MAX), u64::MAX / 2);
    }
}
