"""Plugin start-up and memory, whole process, both engines side by side.

- start-up: `rtdvi --headless -n -c qa` with 20 small plugins configured vs none, once the
  compiled-module cache is warm (budget: at most 15 ms more on wasmtime), and on a first run
  (empty cache: every plugin compiled);
- memory: resident memory (VmRSS) of the running editor with 100 idle plugins vs none, per plugin
  (goal: at most 256 KiB each). The editor is kept waiting on `-s FIFO` while /proc is read (the
  peak RSS of a `-c qa` run is set by start-up, not by the plugins).

The plugins are generated here: tiny modules (memory, alloc, dealloc, rtdvi_init) that differ in
one constant, so each is its own cache entry and its own compilation, as real plugins would be.

Usage: python3 scripts/bench/plugins.py [RUNS]   (RTDVI=path/to/rtdvi, default target/release/rtdvi)
Prints Markdown for BENCHMARKS.md.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from procbench import run_once  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def vec(items):
    return uleb(len(items)) + b"".join(items)


def name(s):
    return uleb(len(s)) + s.encode()


def section(sid, body):
    return bytes([sid]) + uleb(len(body)) + body


def idle_plugin(index):
    """A minimal valid rtdvi plugin; `index` makes its bytes (and code) unique."""
    i32 = b"\x7f"
    types = vec([b"\x60" + vec([i32]) + vec([i32]),  # alloc
                 b"\x60" + vec([i32, i32]) + vec([]),  # dealloc
                 b"\x60" + vec([i32, i32]) + vec([i32])])  # rtdvi_init
    funcs = vec([uleb(0), uleb(1), uleb(2)])
    memory = vec([b"\x00" + uleb(1)])
    exports = vec([name("memory") + b"\x02" + uleb(0), name("alloc") + b"\x00" + uleb(0),
                   name("dealloc") + b"\x00" + uleb(1), name("rtdvi_init") + b"\x00" + uleb(2)])

    def body(code):
        b = vec([]) + code + b"\x0b"
        return uleb(len(b)) + b

    code = vec([body(b"\x41" + sleb(1024 + index)), body(b""), body(b"\x41" + sleb(0))])
    return (b"\x00asm\x01\x00\x00\x00" + section(1, types) + section(3, funcs) + section(5, memory)
            + section(7, exports) + section(10, code))


def setup(root, count):
    """A config dir naming `count` generated plugins; returns the environment to run with."""
    plugins = os.path.join(root, "plugins")
    os.makedirs(plugins, exist_ok=True)
    names = []
    for i in range(count):
        n = f"idle{i:03}"
        with open(os.path.join(plugins, n + ".wasm"), "wb") as f:
            f.write(idle_plugin(i))
        names.append(n)
    config = os.path.join(root, "config.toml")
    with open(config, "w") as f:
        f.write("plugins = [" + ", ".join(f'"{n}"' for n in names) + "]\n")
    env = dict(os.environ)
    env.update({"RTDVI_CONFIG": config, "RTDVI_PLUGIN_DIR": plugins, "HOME": root,
                "XDG_CONFIG_HOME": os.path.join(root, "xdg-config"), "XDG_CACHE_HOME": os.path.join(root, "cache"),
                "XDG_DATA_HOME": os.path.join(root, "data"), "XDG_STATE_HOME": os.path.join(root, "state")})
    return env


def measure(rtdvi, env, runs, cold=False):
    """Median wall ms, median peak RSS KiB of `rtdvi --headless -n -c qa` (cold: empty cache each run)."""
    argv = [rtdvi, "--headless", "-n", "-c", "qa"]
    secs, rss = [], []
    if not cold:
        run_once(argv, env)  # fills the cache
    for _ in range(runs):
        if cold:
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        s, r, code, _ = run_once(argv, env)
        if code != 0:
            sys.exit(f"rtdvi exited with {code} (env RTDVI_WASM_RUNTIME={env.get('RTDVI_WASM_RUNTIME')})")
        secs.append(s)
        rss.append(r)
    return statistics.median(secs) * 1000, statistics.median(rss)


def resident_kib(rtdvi, env, runs):
    """Median VmRSS (KiB) of a running editor with everything loaded (cache warm)."""
    run_once([rtdvi, "--headless", "-n", "-c", "qa"], env)
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            fifo = os.path.join(tmp, "keys")
            os.mkfifo(fifo)
            proc = subprocess.Popen([rtdvi, "--headless", "-n", "-s", fifo], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            with open(fifo, "wb") as keys:
                time.sleep(1.0)  # start-up done: plugins loaded, waiting for keys
                with open(f"/proc/{proc.pid}/status") as f:
                    rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
                keys.write(b":qa!\r")
            proc.wait()
            samples.append(rss)
    return statistics.median(samples)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    rtdvi = os.environ.get("RTDVI", os.path.join(REPO, "target", "release", "rtdvi"))
    rows_start, rows_mem = [], []
    with tempfile.TemporaryDirectory() as tmp:
        envs = {n: setup(os.path.join(tmp, f"p{n}"), n) for n in (0, 20, 100)}
        for engine in ("wasmtime", "wasmi"):
            for e in envs.values():
                e["RTDVI_WASM_RUNTIME"] = engine
            none_ms, _ = measure(rtdvi, envs[0], runs)
            warm_ms, _ = measure(rtdvi, envs[20], runs)
            cold_ms, _ = measure(rtdvi, envs[20], max(5, runs // 3), cold=True)
            none_rss = resident_kib(rtdvi, envs[0], 3)
            many_rss = resident_kib(rtdvi, envs[100], 3)
            rows_start.append((engine, none_ms, warm_ms, cold_ms))
            rows_mem.append((engine, none_rss, many_rss))
    print(f"#### Start-up, `rtdvi --headless -n -c qa`, median of {runs} runs")
    print()
    print("| engine | no plugins ms | 20 plugins, warm cache ms | added ms (budget ≤ 15) | 20 plugins, first run ms | added ms |")
    print("|---|---|---|---|---|---|")
    for engine, none_ms, warm_ms, cold_ms in rows_start:
        print(f"| {engine} | {none_ms:.1f} | {warm_ms:.1f} | {warm_ms - none_ms:+.1f} | {cold_ms:.1f} | {cold_ms - none_ms:+.1f} |")
    print()
    print("#### Memory of idle plugins (VmRSS of the waiting editor, median of 3)")
    print()
    print("| engine | no plugins KiB | 100 plugins KiB | per plugin KiB (goal ≤ 256) |")
    print("|---|---|---|---|")
    for engine, none_rss, many_rss in rows_mem:
        print(f"| {engine} | {none_rss} | {many_rss} | {(many_rss - none_rss) / 100:.0f} |")


if __name__ == "__main__":
    main()
