;; The smallest rtdvi plugin: registers the ex command `:greet`, which sets
;; the status line to "Hello from WAT!". Loads as text (rtdvi assembles .wat
;; files itself), so no toolchain is needed.
(module
  ;; Host functions come from module "rtdvi"; strings are (ptr, len) pairs
  ;; pointing into this module's memory.
  (import "rtdvi" "rtdvi_register_command"
          (func $register_command (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_set_status"
          (func $set_status (param i32 i32)))

  ;; One 64 KiB page. Bytes 0..64 hold the constant strings; everything the
  ;; host passes in goes to the scratch area from 128 on.
  (memory (export "memory") 1)
  (data (i32.const 0) "greet")             ;; offset 0, length 5
  (data (i32.const 8) "Hello from WAT!")   ;; offset 8, length 15

  ;; The host calls alloc(size) before passing a string (the command name and
  ;; its JSON arguments). This plugin never keeps them, so every string may go
  ;; to the same scratch address (at most 64 KiB - 128 bytes of it).
  (func (export "alloc") (param $size i32) (result i32)
    (i32.const 128))
  (func (export "dealloc") (param i32 i32))

  ;; Called once when the plugin loads: register :greet, accept (return 0).
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $register_command (i32.const 0) (i32.const 5)))
    (i32.const 0))

  ;; :greet -> status line. (name_ptr, name_len, args_ptr, args_len) are
  ;; ignored: this plugin has a single command and no arguments.
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (call $set_status (i32.const 8) (i32.const 15))
    (i32.const 0))
)
