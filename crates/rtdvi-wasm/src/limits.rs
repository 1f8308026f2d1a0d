//! Per-instance resource limits and the limiter both engines consult.

use std::time::Duration;

/// Limits of one instance, set by the caller at instantiation.
///
/// The wasm stack depth is an engine-wide setting (see
/// [`crate::EngineConfig`]) because neither engine can vary it per store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum bytes of each linear memory; `memory.grow` past it returns -1.
    pub memory_bytes: Option<usize>,
    /// CPU deadline of each outermost call from the host (re-entrant calls
    /// share the deadline of the call they are nested in).
    pub deadline: Option<Duration>,
    /// Maximum elements of each table.
    pub table_elements: Option<usize>,
    /// Maximum instances in the store (one per plugin normally).
    pub instances: usize,
    /// Maximum tables in the store.
    pub tables: usize,
    /// Maximum linear memories in the store.
    pub memories: usize,
}

impl Default for Limits {
    /// 64 MiB of memory, a 100 ms deadline, 100 000 table elements, and one
    /// instance with at most 10 tables and one memory.
    fn default() -> Self {
        Self {
            memory_bytes: Some(64 << 20),
            deadline: Some(Duration::from_millis(100)),
            table_elements: Some(100_000),
            instances: 1,
            tables: 10,
            memories: 1,
        }
    }
}

impl Limits {
    /// No limits at all (trusted code, benchmarks).
    pub fn unlimited() -> Self {
        Self {
            memory_bytes: None,
            deadline: None,
            table_elements: None,
            instances: 10_000,
            tables: 10_000,
            memories: 10_000,
        }
    }
}

/// The limiter held in each store. It records refusals so that a later trap
/// can be reported as out-of-memory rather than whatever the guest did next.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) limits: Limits,
    /// Set when a grow was refused during the current outermost call.
    pub(crate) grow_refused: bool,
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Self { limits, grow_refused: false }
    }

    fn allow_memory(&mut self, desired: usize, maximum: Option<usize>) -> bool {
        let within_limit = self.limits.memory_bytes.is_none_or(|l| desired <= l);
        let within_max = maximum.is_none_or(|m| desired <= m);
        if !within_limit {
            self.grow_refused = true;
        }
        within_limit && within_max
    }

    fn allow_table(&mut self, desired: usize, maximum: Option<usize>) -> bool {
        self.limits.table_elements.is_none_or(|l| desired <= l) && maximum.is_none_or(|m| desired <= m)
    }
}

#[cfg(feature = "wasmtime")]
impl wasmtime::ResourceLimiter for Limiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(self.allow_memory(desired, maximum))
    }

    fn table_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(self.allow_table(desired, maximum))
    }

    fn instances(&self) -> usize {
        self.limits.instances
    }

    fn tables(&self) -> usize {
        self.limits.tables
    }

    fn memories(&self) -> usize {
        self.limits.memories
    }
}

#[cfg(feature = "wasmi")]
impl wasmi::ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.allow_memory(desired, maximum))
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, wasmi_core::LimiterError> {
        Ok(self.allow_table(desired, maximum))
    }

    fn instances(&self) -> usize {
        self.limits.instances
    }

    fn tables(&self) -> usize {
        self.limits.tables
    }

    fn memories(&self) -> usize {
        self.limits.memories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_is_recorded_only_for_the_memory_limit() {
        let mut l = Limiter::new(Limits { memory_bytes: Some(1 << 20), ..Limits::default() });
        assert!(l.allow_memory(1 << 20, None));
        assert!(!l.grow_refused);
        // The module's own maximum is not our limit.
        assert!(!l.allow_memory(1 << 19, Some(1 << 18)));
        assert!(!l.grow_refused);
        assert!(!l.allow_memory((1 << 20) + 65536, None));
        assert!(l.grow_refused);
    }
}
