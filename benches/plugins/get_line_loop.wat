;; Benchmark plugin: `:getlines N` calls rtdvi_get_line(current buffer, row 0)
;; N times into a 256-byte buffer, to time one import call from a plugin loop.
;; N is read from the JSON argument array `["N"]` (digits only). Returns 1 if
;; any call did not return 80 (the bench's line length), so a broken setup
;; fails instead of timing errors.
(module
  (import "rtdvi" "rtdvi_register_command" (func $register (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_get_line" (func $get_line (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "getlines")
  (func (export "alloc") (param i32) (result i32) (i32.const 4096))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $register (i32.const 0) (i32.const 8)))
    (i32.const 0))
  (func (export "run_command") (param $np i32) (param $nl i32) (param $ap i32) (param $al i32) (result i32)
    (local $n i32) (local $i i32) (local $c i32) (local $bad i32)
    ;; Parse the digits of the JSON text, skipping everything else.
    (block $done
      (loop $digits
        (br_if $done (i32.ge_s (local.get $i) (local.get $al)))
        (local.set $c (i32.load8_u (i32.add (local.get $ap) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 48)) (i32.le_u (local.get $c) (i32.const 57)))
          (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
                                       (i32.sub (local.get $c) (i32.const 48))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $digits)))
    (block $end
      (loop $calls
        (br_if $end (i32.le_s (local.get $n) (i32.const 0)))
        (if (i32.ne (call $get_line (i32.const 0) (i32.const 0) (i32.const 2048) (i32.const 256)) (i32.const 80))
          (then (local.set $bad (i32.const 1))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $calls)))
    (local.get $bad)))
