;; Benchmark plugin: an `on_event` that does nothing, to time the host's
;; per-event cost (JSON built once, copied in, call, copy freed).
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "on_event") (param i32 i32)))
