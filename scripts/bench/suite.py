"""The benchmark suite of issue 8: every comparison side by side in one run, then BENCHMARKS.md.

Run through scripts/bench.sh (which installs the tools and builds rtdvi in release mode first).
Each area alternates its commands (A B C A B C ...), several rounds after a warm-up; a command that
needs a feature rtdvi does not have yet (checked by a probe at the start) is listed as
"not available yet" and never counted as a pass.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import criterion  # noqa: E402
import inputs  # noqa: E402
import procbench  # noqa: E402
import report  # noqa: E402
from procbench import Cmd  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NA = "not available yet"


class Tools:
    """Paths of the programs compared."""

    def __init__(self, args):
        self.rtdvi = os.path.abspath(args.rtdvi)
        self.nvim = args.nvim
        self.vim = shutil.which("vim")
        self.lua54 = shutil.which("lua5.4")
        self.luajit = shutil.which("luajit")


class Suite:
    """Holds the settings, the generated inputs, the probes' results and everything measured."""

    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.runs = args.runs or (3 if args.quick else 10)
        self.warmup = 1 if args.quick else 2
        # Rows whose commands take seconds each (large files, 10,000 keys) get fewer rounds when quick.
        self.heavy_runs = min(self.runs, 2) if args.quick else self.runs
        # Wall time is what users feel, but on a machine with more runnable work than cores it measures
        # the queue; CPU time (user + system of the process) then stays close to a quiet machine's figure.
        load = os.getloadavg()[0]
        self.use_cpu = args.metric == "cpu" or (args.metric == "auto" and load > (os.cpu_count() or 1))
        self.metric_why = (f"CPU time (user + system): the load average at the start was {load:.1f} on "
                           f"{os.cpu_count()} cores" if self.use_cpu and args.metric == "auto" else
                           "CPU time (user + system), as asked" if self.use_cpu else "wall time")
        self.unit = " CPU" if self.use_cpu else ""
        report.RATIO_KEY = "cpu_ms" if self.use_cpu else "median_ms"
        self.timeout = 300  # per process; 10,000 keys on 1M lines take ~30 s on a loaded machine
        self.t = Tools(args)
        self.work = os.path.abspath(args.work)
        self.inp = os.path.join(self.work, "inputs")
        self.home = os.path.join(self.work, "home")
        os.makedirs(self.inp, exist_ok=True)
        self.sections = []  # report.Section
        self.budgets = []  # report.Budget
        self.plots = {}
        self.features = {}  # name -> (bool, detail)
        self.raw = {}

    # ----- environment -------------------------------------------------------------------------

    def env(self, **extra):
        """An environment with no user configuration: HOME and the XDG dirs inside the work dir."""
        e = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "RTDVI_", "NVIM", "VIM"))}
        e.update(HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                 XDG_STATE_HOME=os.path.join(self.home, "state"), XDG_DATA_HOME=os.path.join(self.home, "data"),
                 XDG_CACHE_HOME=os.path.join(self.home, "cache"), TERM="dumb")
        for d in ("config", "state", "data", "cache"):
            os.makedirs(os.path.join(self.home, d), exist_ok=True)
        e.update({k: v for k, v in extra.items() if v is not None})
        return e

    def rt_env(self, engine, **extra):
        return self.env(RTDVI_WASM_RUNTIME=engine, **extra)

    def path(self, name):
        return os.path.join(self.inp, name)

    # ----- inputs ------------------------------------------------------------------------------

    def make_inputs(self):
        log("generating inputs in", self.inp)
        p = self.path
        self.files = {
            "1k": inputs.text_lines(p("lines-1k.txt"), 1_000),
            "100k": inputs.text_lines(p("lines-100k.txt"), 100_000),
            "1m": inputs.text_lines(p("lines-1m.txt"), 1_000_000),
            "100mb": inputs.big_file(p("100mb.txt")),
        }
        inputs.init_lua(p("init.lua"))
        for n in (5, 20):
            root = inputs.lua_plugin_set(p(f"lua-plugins-{n}"), n)
            inputs.init_lua(p(f"init-plugins-{n}.lua"),
                            f'vim.opt.packpath:prepend("{root}")\n'
                            f"-- the plugins under {root}/pack/bench/start load after this file\n")
        self.wasm_sets = {}
        for n in (0, 20, 50, 100, 1, 10):
            self.wasm_sets[n] = inputs.wasm_plugin_set(p(f"wasm-plugins-{n}"), n)
        self.getline_sets = {loops: inputs.wasm_plugin_set(p(f"wasm-getline-{loops}"), 1, getline_loops=loops)
                             for loops in (0, 1_000_000)}
        self.keys = inputs.keystroke_script(p("keys-10k.txt"), 10_000)
        with open(self.keys, newline="") as f:
            body = f.read()[: -len("\x1b:qa!\r")]
        self.keys_write = p("keys-10k-write.txt")
        self.keys_out = {}
        with open(self.keys_write, "w", newline="") as f:
            f.write(body + "\x1b:w! %s\r:qa!\r" % p("keys-result.txt"))
        self.quit_keys = p("keys-quit.txt")
        with open(self.quit_keys, "w", newline="") as f:
            f.write("\x1b:qa!\r")
        self.move_keys = {k: inputs.moves_script(p(f"moves-{k}.txt"), k) for k in (0, 2000)}
        # The Lua dispatch probe reads keys as the measurement does: CursorMoved fires for keys from the
        # typeahead (-s), not inside `:normal` (neither editor fires it there).
        self.dispatch_probe_keys = p("keys-dispatch-probe.txt")
        with open(self.dispatch_probe_keys, "w", newline="") as f:
            f.write('jkjk:lua print("calls" .. "=" .. _G.bench_calls)\r:qa!\r')
        for call in ("get_lines", "get_cursor", "set_extmark"):
            for n in (0, 100_000):
                inputs.lua_api_script(p(f"api-{call}-{n}.lua"), call, n)
        for n in (0, 1, 10, 50):
            inputs.lua_dispatch_init(p(f"dispatch-{n}.lua"), n)
        scripts_dir = os.path.join(REPO, "crates", "rtdvi-lua", "benches", "scripts")
        for name in ("fib", "strings", "tables"):
            with open(os.path.join(scripts_dir, f"{name}.lua")) as f:
                src = f.read()
            # Wrapped so that no runner mistakes the chunk's return value for an exit status.
            with open(p(f"lua-{name}.lua"), "w") as f:
                f.write("local function bench()\n%s\nend\n_G.bench_result = bench()\n" % src)
        with open(p("lua-empty.lua"), "w") as f:
            f.write("_G.bench_result = 0\n")
        with open(p("probe.lua"), "w") as f:
            f.write('print("probe-ok")\n')
        with open(p("probe-init.lua"), "w") as f:
            f.write('vim.g.bench_probe = 1\nprint("probe-init-ok")\n')
        with open(p("probe-api.lua"), "w") as f:
            f.write("local ns = vim.api.nvim_create_namespace('probe')\n"
                    "local l = vim.api.nvim_buf_get_lines(0, 0, 1, false)\n"
                    "local c = vim.api.nvim_win_get_cursor(0)\n"
                    "local id = vim.api.nvim_buf_set_extmark(0, ns, 0, 0, {})\n"
                    "print('api-ok ' .. #l .. ' ' .. c[1] .. ' ' .. type(id))\n")

    # ----- feature probes ----------------------------------------------------------------------

    def probe(self, name, argv, env, expect, stdin_path=None):
        """Runs a command once; the feature is there if its output matches the regex `expect` (which the
        command line itself must not contain, since error messages echo it) and it exits 0."""
        code, out = procbench.capture(argv, env=env, stdin_path=stdin_path, timeout=60)
        ok = code == 0 and re.search(expect, out) is not None
        detail = "" if ok else f"exit {code}: " + (out.strip().splitlines() or ["(no output)"])[-1].replace(self.inp + "/", "")[:160]
        self.features[name] = (ok, detail)
        log(f"probe {name}: {'yes' if ok else 'no'} {detail}")
        return ok

    def has(self, name):
        return self.features.get(name, (False, ""))[0]

    def run_probes(self):
        r, nv = self.t.rtdvi, self.t.nvim
        head = ["--headless", "-n", "-i", "NONE"]
        one = self.files["1k"]
        for eng in ("wasmtime", "wasmi"):
            e = self.rt_env(eng)
            self.probe(f"lua-{eng}", [r, *head, "-u", "NONE", "-c", 'lua print("probe-" .. "ok")', "-c", "qa!"], e,
                       "probe-ok")
            self.probe(f"lua-l-{eng}", [r, "-l", self.path("probe.lua")], e, "probe-ok")
            self.probe(f"luafile-{eng}", [r, *head, "-u", "NONE", "-c", "luafile " + self.path("probe.lua"),
                                          "-c", "qa!"], e, "probe-ok")
            self.probe(f"api-{eng}", [r, *head, "-u", "NONE", one, "-c", "luafile " + self.path("probe-api.lua"),
                                      "-c", "qa!"], e, "api-ok 1 1 number")
            self.probe(f"init-lua-{eng}", [r, *head, "-u", self.path("probe-init.lua"), "-c", "qa!"], e,
                       "probe-init-ok")
            for n in (5, 20):
                self.probe(f"lua-plugins-{n}-{eng}",
                           [r, *head, "-u", self.path(f"init-plugins-{n}.lua"), "-c",
                            'lua print("loaded" .. "=" .. tostring(vim.g.bench_loaded))', "-c", "qa!"], e, f"loaded={n}")
            wenv = self.rt_env(eng, XDG_CONFIG_HOME=os.path.join(self.wasm_sets[20], "config"),
                               RTDVI_PLUGIN_DIR=os.path.join(self.wasm_sets[20], "plugins"))
            self.probe(f"wasm-plugins-{eng}", [r, *head, "-c", inputs.wasm_command(20), "-c", "qa!"], wenv,
                       "benchw20 ok")
            self.probe(f"lua-dispatch-{eng}", [r, *head, "-u", "NONE", one, "-c",
                                               "luafile " + self.path("dispatch-1.lua"), "-s",
                                               self.dispatch_probe_keys], e, r"calls=[1-9]")
        self.probe("scriptin", [r, *head, "-u", "NONE", one, "-s", self.quit_keys], self.env(), "^")
        self.probe("nvim", [nv, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c",
                            'lua print("probe-" .. "ok")', "-c", "qa!"], self.env(), "probe-ok")
        self.features["vim"] = (bool(self.t.vim), "" if self.t.vim else "vim not installed")
        self.features["lua5.4"] = (bool(self.t.lua54), "")
        self.features["luajit"] = (bool(self.t.luajit), "")

    def lua_cmd_form(self, eng):
        """How rtdvi runs a Lua file for the Lua rows: -l if it has it, else :luafile."""
        if self.has(f"lua-l-{eng}"):
            return "l"
        if self.has(f"luafile-{eng}"):
            return "luafile"
        return None

    def ms(self, r):
        """The figure budgets and net costs are computed from: median wall time, or median CPU time when
        the machine is too loaded for wall time to mean much (see `--metric`)."""
        return r["cpu_ms"] if self.use_cpu else r["median_ms"]

    # ----- running a comparison ----------------------------------------------------------------

    def compare(self, key, cmds, missing=(), runs=None):
        """Runs cmds alternately; `missing` are (label, reason) rows shown as not available."""
        log(f"== {key}: {len(cmds)} commands x {runs or self.runs} runs")
        warmup = self.warmup if runs is None or runs > 2 else 0
        res = procbench.compare_cmds(cmds, runs=runs or self.runs, warmup=warmup,
                                     timeout=self.timeout) if cmds else {}
        for c in cmds:
            res[c.label]["argv"] = self.show(c.argv)
            res[c.label].update(c.extra)
            bad = [x for x in res[c.label]["exit_codes"] if x != 0]
            if bad:
                log(f"   {c.label}: exit codes {res[c.label]['exit_codes']}")
        for label, reason in missing:
            res[label] = {"missing": reason}
        self.raw[key] = res
        return res

    def show(self, argv):
        """A command as the report shows it: program names without their directories, inputs relative to
        the work dir."""
        shown = []
        for i, a in enumerate(argv):
            if i == 0:
                a = os.path.basename(a)
            a = a.replace(self.inp + "/", "").replace(REPO + "/", "")
            shown.append(shell_quote(a))
        return " ".join(shown)

    # ----- areas -------------------------------------------------------------------------------

    def area_startup(self):
        r, nv = self.t.rtdvi, self.t.nvim
        head_r = [r, "--headless", "-n", "-i", "NONE"]
        head_n = [nv, "--headless", "-n", "-i", "NONE"]
        sec = report.Section("Startup", "Process start to exit (`-c qa`), headless. Lua plugins are "
                             "Neovim-style packages (`pack/bench/start/*`, each with `plugin/*.lua` calling "
                             "`require(...).setup()` that creates a command, two keymaps, an augroup with two "
                             "autocmds and a namespace) found through `packpath` (prepended to in the init.lua); the same "
                             "files for both editors. Neovim also sources its own runtime plugins when an init "
                             "file is given, as a user would get.")
        # 1. -u NONE
        cmds = [Cmd("rtdvi -u NONE", head_r + ["-u", "NONE", "-c", "qa"], env=self.rt_env("wasmtime")),
                Cmd("nvim -u NONE", head_n + ["-u", "NONE", "-c", "qa"], env=self.env())]
        if self.t.vim:
            cmds.append(Cmd("vim -u NONE -es", [self.t.vim, "-u", "NONE", "-i", "NONE", "-N", "-n", "-es", "-c", "qa"],
                            env=self.env()))
        res = self.compare("startup-none", cmds)
        sec.table("`-u NONE`, start and quit", res, reference="nvim -u NONE")
        self.goal_vs_nvim("8", "startup `-u NONE` ≤ Neovim", res, "rtdvi -u NONE", "nvim -u NONE")
        # 2. init.lua, 5 and 20 plugins
        cmds, missing = [], []
        plugin_points = {}
        for n, init in ((0, "init.lua"), (5, "init-plugins-5.lua"), (20, "init-plugins-20.lua")):
            what = "init.lua (30 options, 30 keymaps)" + (f" + {n} Lua plugins" if n else "")
            feat = "init-lua-wasmtime" if n == 0 else f"lua-plugins-{n}-wasmtime"
            for eng in ("wasmtime", "wasmi"):
                feat_e = feat.replace("wasmtime", eng)
                label = f"rtdvi ({eng}) {what}"
                if self.has(feat_e):
                    cmds.append(Cmd(label, head_r + ["-u", self.path(init), "-c", "qa"], env=self.rt_env(eng),
                                    extra={"plugins": n, "series": f"rtdvi Lua ({eng})"}))
                else:
                    missing.append((label, f"{NA}: {self.features.get(feat_e, (0, ''))[1]}"))
            cmds.append(Cmd(f"nvim {what}", head_n + ["-u", self.path(init), "-c", "qa"], env=self.env(),
                            extra={"plugins": n, "series": "nvim Lua"}))
            plugin_points[n] = what
        res = self.compare("startup-lua", cmds, missing)
        sec.table("init.lua and Lua plugins", res, reference="nvim init.lua (30 options, 30 keymaps) + 5 Lua plugins")
        self.budget_le("6", "startup with init.lua (30 options, 30 keymaps) + 5 Lua plugins ≤ Neovim's",
                       res, "rtdvi (wasmtime) init.lua (30 options, 30 keymaps) + 5 Lua plugins",
                       "nvim init.lua (30 options, 30 keymaps) + 5 Lua plugins")
        self.goal_vs_nvim("8", "startup with init.lua ≤ Neovim", res,
                          "rtdvi (wasmtime) init.lua (30 options, 30 keymaps)", "nvim init.lua (30 options, 30 keymaps)")
        self.goal_vs_nvim("8", "startup with init.lua + 20 Lua plugins ≤ Neovim", res,
                          "rtdvi (wasmtime) init.lua (30 options, 30 keymaps) + 20 Lua plugins",
                          "nvim init.lua (30 options, 30 keymaps) + 20 Lua plugins")
        self.lua_memory(sec)
        self.plots["startup-lua"] = res
        # 3. WASM plugins, both engines
        cmds, missing = [], []
        for eng in ("wasmtime", "wasmi"):
            for n in (0, 20, 100):
                label = f"rtdvi ({eng}) {n} WASM plugins"
                e = self.rt_env(eng, XDG_CONFIG_HOME=os.path.join(self.wasm_sets[n], "config"),
                                RTDVI_PLUGIN_DIR=os.path.join(self.wasm_sets[n], "plugins"),
                                XDG_CACHE_HOME=os.path.join(self.home, f"cache-{eng}"))
                if self.has(f"wasm-plugins-{eng}") or n == 0:
                    cmds.append(Cmd(label, head_r + ["-c", "qa"], env=e, extra={"plugins": n,
                                                                                "series": f"rtdvi WASM ({eng})"}))
                else:
                    missing.append((label, f"{NA}: {self.features[f'wasm-plugins-{eng}'][1]}"))
            if self.has(f"wasm-plugins-{eng}"):
                cache = os.path.join(self.home, f"cache-first-{eng}")
                e = self.rt_env(eng, XDG_CONFIG_HOME=os.path.join(self.wasm_sets[20], "config"),
                                RTDVI_PLUGIN_DIR=os.path.join(self.wasm_sets[20], "plugins"), XDG_CACHE_HOME=cache)
                cmds.append(Cmd(f"rtdvi ({eng}) 20 WASM plugins, first run (empty cache)", head_r + ["-c", "qa"],
                                env=e, before=lambda c=cache: shutil.rmtree(c, ignore_errors=True)))
            else:
                missing.append((f"rtdvi ({eng}) 20 WASM plugins, first run (empty cache)", NA))
        res = self.compare("startup-wasm", cmds, missing)
        sec.table("WASM plugins (rtdvi only; the cache of compiled modules is warm unless said)", res,
                  reference="rtdvi (wasmtime) 0 WASM plugins")
        self.plots["startup-wasm"] = res
        for eng in ("wasmtime", "wasmi"):
            self.budget_delta("5", f"startup with 20 WASM plugins ≤ 15 ms more than none ({eng}, warm cache)",
                              res, f"rtdvi ({eng}) 20 WASM plugins", f"rtdvi ({eng}) 0 WASM plugins", 15.0,
                              required=(eng == "wasmtime"))
            a, b = res.get(f"rtdvi ({eng}) 100 WASM plugins", {}), res.get(f"rtdvi ({eng}) 0 WASM plugins", {})
            if "median_ms" in a and "median_ms" in b:
                per = (a["rss_mib"] - b["rss_mib"]) * 1024 / 100
                self.budgets.append(report.Budget("5", f"resident memory per idle plugin, 100 plugins ({eng})",
                                                  f"{per:.0f} KiB", "yes" if per <= 256 else "**no**",
                                                  "goal ≤ 256 KiB"))
            else:
                self.budgets.append(report.Budget("5", f"resident memory per idle plugin, 100 plugins ({eng})",
                                                  "—", NA, "goal ≤ 256 KiB"))
            first = res.get(f"rtdvi ({eng}) 20 WASM plugins, first run (empty cache)", {})
            self.budgets.append(report.Budget("5", f"first-run startup with 20 WASM plugins ({eng})",
                                              f"{self.ms(first):.1f} ms{self.unit}" if "median_ms" in first else "—",
                                              "reported" if "median_ms" in first else NA, "report"))
        self.sections.append(sec)

    def lua_memory(self, sec):
        """Lua heap (collectgarbage("count")) with init.lua + 5 plugins, rtdvi next to Neovim."""
        rows = []
        cmd_tail = ["-c", 'lua print("luamem" .. "=" .. collectgarbage("count"))', "-c", "qa"]
        for label, argv, env, feat in (
            ("rtdvi (wasmtime)", [self.t.rtdvi, "--headless", "-n", "-i", "NONE"], self.rt_env("wasmtime"),
             "lua-plugins-5-wasmtime"),
            ("rtdvi (wasmi)", [self.t.rtdvi, "--headless", "-n", "-i", "NONE"], self.rt_env("wasmi"),
             "lua-plugins-5-wasmi"),
            ("nvim", [self.t.nvim, "--headless", "-n", "-i", "NONE"], self.env(), None),
        ):
            if feat and not self.has(feat):
                rows.append((label, NA))
                continue
            _, out = procbench.capture(argv + ["-u", self.path("init-plugins-5.lua")] + cmd_tail, env=env)
            val = next((ln.split("=", 1)[1] for ln in out.splitlines() if ln.startswith("luamem=")), None)
            rows.append((label, f"{float(val):.0f} KiB" if val else "not reported: " + out.strip()[-100:]))
        sec.text_block("Lua heap after init.lua + 5 plugins (`collectgarbage(\"count\")`; "
                       "Neovim's LuaJIT heap includes its runtime's own modules):\n\n"
                       "| editor | Lua heap |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows))
        nv = next((b for a, b in rows if a == "nvim"), "—")
        rt = next((b for a, b in rows if a == "rtdvi (wasmtime)"), "—")
        self.budgets.append(report.Budget("6", "Lua state memory with init.lua + 5 plugins, next to Neovim's",
                                          f"rtdvi {rt}, nvim {nv}", "reported" if rt != NA else NA, "report"))

    def area_large_files(self):
        r, nv, vim = self.t.rtdvi, self.t.nvim, self.t.vim
        sec = report.Section("Large files", "Whole process: open, run the command, quit without saving. "
                             "Vim runs in silent ex mode (`-es`), the way it is scripted.")
        big, m1 = self.files["100mb"], self.files["1m"]
        size_mib = os.path.getsize(big) / 2**20
        rows = [
            ("open 100 MB, go to the last line, quit", big, ["+$", "+q"], ["+$", "+q"]),
            ("open 1M lines and quit (baseline for the two below)", m1, ["-c", "q!"], ["-c", "q!"]),
            (":%s/foo/bar/g on 1M lines", m1, ["-c", "%s/foo/bar/g", "-c", "q!"], ["-c", "%s/foo/bar/g", "-c", "q!"]),
            (":g/TODO/d on 1M lines", m1, ["-c", "g/TODO/d", "-c", "q!"], ["-c", "g/TODO/d", "-c", "q!"]),
        ]
        for title, f, tail, vtail in rows:
            cmds = [Cmd("rtdvi", [r, "--headless", "-u", "NONE", "-n", "-i", "NONE", f] + tail, env=self.rt_env("wasmtime")),
                    Cmd("nvim", [nv, "--headless", "-u", "NONE", "-n", "-i", "NONE", f] + tail, env=self.env())]
            if vim:
                cmds.append(Cmd("vim", [vim, "-u", "NONE", "-i", "NONE", "-N", "-n", "-es", f] + vtail, env=self.env()))
            res = self.compare("large-" + title, cmds, runs=self.heavy_runs)
            sec.table(title, res, reference="nvim")
            if title.startswith("open 100 MB"):
                self.budget_le("2", "open 100 MB + `+$` + quit faster than Neovim", res, "rtdvi", "nvim")
                rss = res["rtdvi"]["rss_mib"]
                self.budgets.append(report.Budget("2", f"peak RSS opening the 100 MB file ≤ 1.5 × file size "
                                                  f"({1.5 * size_mib:.0f} MiB)", f"{rss:.1f} MiB (nvim "
                                                  f"{res['nvim']['rss_mib']:.1f})",
                                                  "yes" if rss <= 1.5 * size_mib else "**no**"))
            elif not title.startswith("open 1M"):
                self.goal_vs_nvim("8", title + " ≤ Neovim", res, "rtdvi", "nvim")
        self.sections.append(sec)

    def area_editing(self):
        r, nv = self.t.rtdvi, self.t.nvim
        sec = report.Section("Editing engine", "A realistic session of 10,000 typed keys (motions, searches, "
                             "operators with counts, text objects, inserts with typed text, undo/redo, `.`, "
                             "visual mode, `:s`; generated with a fixed seed by scripts/bench/inputs.py) read "
                             "through `-s` scriptin, then `:qa!`. Per key = (run with the script − run that only "
                             "quits) / 10,000, both taken in the same alternation.")
        if not self.has("scriptin"):
            sec.text_block(f"rtdvi `-s`: {NA}")
            self.sections.append(sec)
            return
        # Quick mode leaves out 1M lines: rtdvi's run there alone takes ~30 s on this machine.
        sizes = ("1k", "100k") if self.quick else ("1k", "100k", "1m")
        per_key = {}
        for size in sizes:
            f = self.files[size]
            cmds = []
            for who, exe, env in (("rtdvi", r, self.rt_env("wasmtime")), ("nvim", nv, self.env())):
                base = [exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", f, "-s"]
                cmds.append(Cmd(f"{who} 10,000 keys", base + [self.keys], env=env))
                cmds.append(Cmd(f"{who} quit only", base + [self.quit_keys], env=env))
            res = self.compare(f"keys-{size}", cmds, runs=self.heavy_runs)
            for who in ("rtdvi", "nvim"):
                d = self.ms(res[f"{who} 10,000 keys"]) - self.ms(res[f"{who} quit only"])
                cpu = res[f"{who} 10,000 keys"]["cpu_ms"] - res[f"{who} quit only"]["cpu_ms"]
                per_key.setdefault(who, {})[size] = d * 1000 / 10_000
                res[f"{who} 10,000 keys"]["note"] = (f"{d * 1000 / 10_000:.1f} µs per key "
                                                     f"({cpu * 1000 / 10_000:.1f} µs CPU)")
            if size == "100k":
                sec.table(f"10,000 keys on {size} lines", res, reference="nvim 10,000 keys")
                self.goal_vs_nvim("8", "10,000 keys via -s on 100k lines ≤ Neovim", res, "rtdvi 10,000 keys",
                                  "nvim 10,000 keys")
        sec.text_block("Per key (µs), by buffer size (plotted in keystroke-vs-size.svg):\n\n| editor | " +
                       " | ".join(f"{s} lines" for s in sizes) + " |\n|---|" + "---|" * len(sizes) + "\n" +
                       "\n".join(f"| {w} | " + " | ".join(f"{per_key[w][s]:.1f}" for s in sizes) + " |"
                                 for w in per_key))
        self.plots["keys"] = per_key
        # Same result as Neovim? Run once each with :w at the end and compare the files.
        out = self.path("keys-result.txt")
        results = {}
        for who, exe, env in (("rtdvi", r, self.rt_env("wasmtime")), ("nvim", nv, self.env())):
            if os.path.exists(out):
                os.unlink(out)
            procbench.capture([exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", self.files["100k"], "-s",
                               self.keys_write], env=env, timeout=self.timeout)
            results[who] = open(out, "rb").read().split(b"\n") if os.path.exists(out) else None
        if results["rtdvi"] is None or results["nvim"] is None:
            verdict = "could not compare (a file was not written)"
        elif results["rtdvi"] == results["nvim"]:
            verdict = "identical"
        else:
            a, b = results["rtdvi"], results["nvim"]
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            verdict = (f"different ({len(a)} lines vs Neovim's {len(b)}, first difference on line {first + 1}): "
                       "the timing compares unequal work")
            self.keys_diverge = True
        text = f"Check: the buffer after the 10,000 keys on 100k lines, rtdvi vs Neovim: **{verdict}**."
        if getattr(self, "keys_diverge", False):
            if self.quick:
                text += (" `python3 scripts/bench/keys_diverge.py --nvim NVIM target/bench/inputs/keys-10k.txt "
                         "target/bench/inputs/lines-100k.txt` finds the first key after which they differ.")
            else:
                code, out = procbench.capture([sys.executable, os.path.join(REPO, "scripts", "bench", "keys_diverge.py"),
                                               "--nvim", self.t.nvim, "--rtdvi", self.t.rtdvi, self.keys,
                                               self.files["100k"]], env=self.env(), timeout=1800)
                text += "\n\nFirst divergence (scripts/bench/keys_diverge.py):\n\n```\n" + out.strip()[:3000] + "\n```"
        sec.text_block(text)
        self.keys_profile(sec)
        self.sections.append(sec)

    def keys_profile(self, sec):
        """CPU time per key of single commands repeated ~2,000 keys' worth on 100k lines, rtdvi vs Neovim: the
        profile that explains the 10,000-key row."""
        cases = [("j k", "jk"), ("w", "w"), ("b", "b"), ("} then ``", "}``"), ("{ then ``", "{``"), ("x", "x"), ("ciw + 2 chars", "ciwab\x1b"),
                 ("o + 2 chars", "oab\x1b"), ("dd p", "ddp"), ("yy p", "yyp"), ("x u", "xu"), ("x u <C-r>", "xu\x12"),
                 ("x .", "x."), (">>", ">>"), ("J", "J"), ("V j d", "Vjd"), ("/foo<CR>", "/foo\r"),
                 ("* (word under cursor)", "*"), ("/pattern not found<CR>", "/zzqq\r"), (":s/o/0/<CR>", ":s/o/0/\r")]
        quit_only = self.path("profile-quit.txt")
        with open(quit_only, "w", newline="") as f:
            f.write("50%\x1b:qa!\r")
        lines = ["| command | rtdvi µs CPU per key | nvim µs CPU per key | ratio |", "|---|---|---|---|"]
        for name, k in cases:
            reps = max(1, 2000 // len(k))  # enough keys that the net cost stands above the noise
            script = self.path(f"profile-{abs(hash(k))}.txt")
            with open(script, "w", newline="") as f:
                f.write("50%" + k * reps + "\x1b:qa!\r")
            cmds = []
            for who, exe, env in (("rtdvi", self.t.rtdvi, self.rt_env("wasmtime")), ("nvim", self.t.nvim, self.env())):
                base = [exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", self.files["100k"], "-s"]
                cmds += [Cmd(who, base + [script], env=env), Cmd(who + " quit", base + [quit_only], env=env)]
            res = procbench.compare_cmds(cmds, runs=2 if self.quick else 5, warmup=0, timeout=self.timeout)
            per = {w: (res[w]["cpu_ms"] - res[w + " quit"]["cpu_ms"]) * 1000 / (reps * len(k)) for w in ("rtdvi", "nvim")}
            ratio = f"{per['rtdvi'] / per['nvim']:.2f}×" if per["nvim"] > 0.5 else "—"
            lines.append(f"| `{name}` | {per['rtdvi']:.1f} | {per['nvim']:.1f} | {ratio} |")
        sec.text_block("Profile: single commands repeated ~2,000 keys' worth on 100k lines (net CPU time per key, "
                       "which the shared machine's load disturbs less than wall time):\n\n" + "\n".join(lines))

    def area_lua(self):
        sec = report.Section("Lua", "fib(27), a string-heavy and a table-heavy script (crates/rtdvi-lua/benches/"
                             "scripts). Whole process, net of the same runner on an empty script (both in the "
                             "same alternation). rtdvi runs them with `-l` (or `:luafile` until `-l` exists); "
                             "`nvim -l` is Neovim's LuaJIT.")
        runners = []
        for eng in ("wasmtime", "wasmi"):
            form = self.lua_cmd_form(eng)
            if form == "l":
                runners.append((f"rtdvi ({eng})", lambda s, e=eng: [self.t.rtdvi, "-l", s], self.rt_env(eng)))
            elif form == "luafile":
                runners.append((f"rtdvi ({eng})", lambda s: [self.t.rtdvi, "--headless", "-u", "NONE", "-n", "-i",
                                                             "NONE", "-c", "luafile " + s, "-c", "qa!"],
                                self.rt_env(eng)))
            else:
                runners.append((f"rtdvi ({eng})", None, f"{NA}: {self.features.get(f'lua-l-{eng}', (0, ''))[1]}"))
        for name, exe in (("lua5.4", self.t.lua54), ("luajit", self.t.luajit)):
            runners.append((name, (lambda s, x=exe: [x, s]) if exe else None, self.env() if exe else "not installed"))
        runners.append(("nvim -l (LuaJIT)", lambda s: [self.t.nvim, "-l", s], self.env()))
        net, failed = {}, {}
        for script in ("fib", "strings", "tables"):
            cmds, missing = [], []
            for label, mk, env in runners:
                if mk is None:
                    missing.append((label, env))
                    continue
                cmds.append(Cmd(label, mk(self.path(f"lua-{script}.lua")), env=env))
                cmds.append(Cmd(label + " (empty script)", mk(self.path("lua-empty.lua")), env=env))
            res = self.compare(f"lua-{script}", cmds, missing)
            for label, _, _ in runners:
                if label in res and "median_ms" in res[label]:
                    if not ran_ok(res, label, label + " (empty script)"):
                        # A run stopped by the per-call time limit (exit 1) measured an unfinished script.
                        failed.setdefault(script, {})[label] = res[label]["exit_codes"]
                        continue
                    d = self.ms(res[label]) - self.ms(res[label + " (empty script)"])
                    net.setdefault(script, {})[label] = d
                    res[label]["note"] = f"net {d:.1f} ms"
            sec.table(f"{script}", res, reference="lua5.4" if self.t.lua54 else None)
        # In-process numbers of the Lua guest (criterion), next to native Lua's net time.
        crit = criterion.load(self.args.criterion_dir)
        lines = ["| script | rtdvi wasmtime (criterion, in process) | rtdvi wasmi (criterion) | lua5.4 net | luajit net "
                 "| nvim -l net |", "|---|---|---|---|---|---|"]
        for script, cid in (("fib", "fib27"), ("strings", "strings"), ("tables", "tables")):
            cells = []
            for eng in ("wasmtime", "wasmi"):
                e = crit.get(f"{eng}/{cid}")
                cells.append(f"{e.median_ms:.1f} ms" if e else "not run")
            for label in ("lua5.4", "luajit", "nvim -l (LuaJIT)"):
                v = net.get(script, {}).get(label)
                cells.append(f"{v:.1f} ms" if v is not None else "—")
            lines.append(f"| {script} | " + " | ".join(cells) + " |")
        sec.text_block("In-process figures of the Lua guest (`cargo bench -p rtdvi-lua --bench lua`" +
                       (", from an earlier criterion run" if self.quick else "") + "):\n\n" + "\n".join(lines))
        # Budget: fib(27) on wasmtime ≤ 1.5 × native Lua 5.4.
        lua_fib = net.get("fib", {}).get("lua5.4")
        rt_fib = net.get("fib", {}).get("rtdvi (wasmtime)")
        src = "whole process"
        if rt_fib is None:
            e = crit.get("wasmtime/fib27")
            rt_fib, src = (e.median_ms, "criterion, in process") if e else (None, None)
        if lua_fib and rt_fib:
            ratio = rt_fib / lua_fib
            self.budgets.append(report.Budget("6", "fib(27) on wasmtime ≤ 1.5 × native Lua 5.4",
                                              f"{rt_fib:.1f} ms vs {lua_fib:.1f} ms = {ratio:.2f}× ({src})",
                                              "yes" if ratio <= 1.5 else "**no**"))
        else:
            self.budgets.append(report.Budget("6", "fib(27) on wasmtime ≤ 1.5 × native Lua 5.4", "—", NA))
        wi = net.get("fib", {}).get("rtdvi (wasmi)") or (crit.get("wasmi/fib27").median_ms
                                                         if crit.get("wasmi/fib27") else None)
        stopped = failed.get("fib", {}).get("rtdvi (wasmi)")
        if stopped and wi is None:
            self.budgets.append(report.Budget("6", "fib(27) on wasmi (reported)",
                                              f"did not finish: stopped by Lua's per-call limit (exit status "
                                              f"{stopped})", "**failed**", "report"))
            self.sections.append(sec)
            return
        self.budgets.append(report.Budget("6", "fib(27) on wasmi (reported)",
                                          f"{wi:.1f} ms ({wi / lua_fib:.1f}× Lua 5.4)" if wi and lua_fib else "—",
                                          "reported" if wi else NA, "report"))
        self.sections.append(sec)

    def area_api(self):
        sec = report.Section("API crossing", "100,000 calls from Lua (`:luafile` on a 1,000-line buffer), net of "
                             "the same file with 0 calls, in the same alternation.")
        calls = {"get_lines": "nvim_buf_get_lines(0, i, i+1, false)", "get_cursor": "nvim_win_get_cursor(0)",
                 "set_extmark": "nvim_buf_set_extmark(0, ns, i, 0, {})"}
        for call, desc in calls.items():
            cmds, missing = [], []
            who = [(f"rtdvi ({eng})", self.t.rtdvi, self.rt_env(eng), f"api-{eng}") for eng in ("wasmtime", "wasmi")]
            who.append(("nvim", self.t.nvim, self.env(), None))
            for label, exe, env, feat in who:
                if feat and not self.has(feat):
                    missing.append((label, f"{NA}: {self.features[feat][1]}"))
                    continue
                for n in (100_000, 0):
                    cmds.append(Cmd(f"{label}" + ("" if n else " (0 calls)"),
                                    [exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", self.files["1k"], "-c",
                                     "luafile " + self.path(f"api-{call}-{n}.lua"), "-c", "qa!"], env=env))
            res = self.compare(f"api-{call}", cmds, missing)
            # Did each loop run to its end? (A chunk that passes Lua's per-call time limit is stopped.)
            for c in cmds:
                if c.label.endswith("(0 calls)"):
                    continue
                code, out = procbench.capture(c.argv[:-2] + ["-c", 'lua print("done" .. "=" .. tostring(vim.g.bench_done))',
                                                             "-c", "qa!"], env=c.env, timeout=self.timeout)
                if not re.search(r"done=100000", out):
                    res[c.label]["exit_codes"] = res[c.label]["exit_codes"] + ["stopped before the end"]
                    log(f"   {c.label}: the loop did not finish: {out.strip()[-160:]}")
            nets = {}
            for label, _, _, _ in who:
                if label in res and "median_ms" in res[label] and ran_ok(res, label, label + " (0 calls)"):
                    nets[label] = self.ms(res[label]) - self.ms(res[label + " (0 calls)"])
                    res[label]["note"] = f"{nets[label] * 1e6 / 100_000:.0f} ns per call"
            sec.table(f"100,000 × `{desc}`", res, reference="nvim")
            if call in ("get_lines", "get_cursor"):
                rt, n = nets.get("rtdvi (wasmtime)"), nets.get("nvim")
                name = f"100,000 × {desc} ≤ 3 × Neovim (wasmtime)"
                if rt is not None and n:
                    self.budgets.append(report.Budget("6", name, f"{rt:.1f} ms vs {n:.1f} ms = {rt / n:.2f}×",
                                                      "yes" if rt <= 3 * n else "**no**"))
                elif "exit_codes" in res.get("rtdvi (wasmtime)", {}):
                    self.budgets.append(report.Budget("6", name, "did not finish: exit status "
                                                      f"{res['rtdvi (wasmtime)']['exit_codes']}", "**failed**"))
                else:
                    self.budgets.append(report.Budget("6", name, "—", NA))
        self.sections.append(sec)

    def area_dispatch(self):
        sec = report.Section("Plugin dispatch", "2,000 keys (`jk` alternately, so every key moves the cursor) "
                             "through `-s` with N subscribed plugins. WASM plugins export `on_event` (the seed ABI: "
                             "they receive every event); Lua plugins each create a `CursorMoved` autocmd callback. "
                             "Time per key = (run with the keys − run that only quits) / 2,000.")
        keys = 2000
        table = {}
        runners = []
        for eng in ("wasmtime", "wasmi"):
            runners.append((f"rtdvi WASM ({eng})", "wasm", eng))
        for eng in ("wasmtime", "wasmi"):
            runners.append((f"rtdvi Lua ({eng})", "lua", eng))
        runners.append(("nvim Lua", "lua", None))
        for label, kind, eng in runners:
            feat = (f"wasm-plugins-{eng}" if kind == "wasm" else f"lua-dispatch-{eng}") if eng else None
            if feat and not self.has(feat):
                table[label] = NA + ": " + self.features[feat][1]
                continue
            cmds = []
            for n in (0, 1, 10, 50):
                for k in (keys, 0):
                    mv = self.move_keys[k]
                    if kind == "wasm":
                        s = self.wasm_sets[n]
                        env = self.rt_env(eng, XDG_CONFIG_HOME=os.path.join(s, "config"),
                                          RTDVI_PLUGIN_DIR=os.path.join(s, "plugins"),
                                          XDG_CACHE_HOME=os.path.join(self.home, f"cache-{eng}"))
                        argv = [self.t.rtdvi, "--headless", "-n", "-i", "NONE", self.files["1k"], "-s", mv]
                    else:
                        exe = self.t.rtdvi if eng else self.t.nvim
                        env = self.rt_env(eng) if eng else self.env()
                        argv = [exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", self.files["1k"], "-c",
                                "luafile " + self.path(f"dispatch-{n}.lua"), "-s", mv]
                    cmds.append(Cmd(f"{label} {n} plugins {k} keys", argv, env=env))
            res = self.compare(f"dispatch-{label}", cmds, runs=self.runs)
            table[label] = {n: (self.ms(res[f"{label} {n} plugins {keys} keys"]) -
                                self.ms(res[f"{label} {n} plugins 0 keys"])) * 1000 / keys
                            for n in (0, 1, 10, 50)}
            table[label]["rss"] = res[f"{label} 50 plugins {keys} keys"]["rss_mib"]
        lines = ["| plugins subscribed | 0 | 1 | 10 | 50 | peak RSS with 50, MiB |", "|---|---|---|---|---|---|"]
        for label, v in table.items():
            if isinstance(v, str):
                lines.append(f"| {label} | {v} | | | | |")
            else:
                lines.append(f"| {label} | " + " | ".join(f"{v[n]:.1f} µs" for n in (0, 1, 10, 50)) +
                             f" | {v['rss']:.1f} |")
        sec.text_block("Time per key:\n\n" + "\n".join(lines))
        self.raw["dispatch-table"] = table
        for eng in ("wasmtime", "wasmi"):
            v = table.get(f"rtdvi WASM ({eng})")
            name = f"one event to 50 subscribed WASM plugins ≤ 100 µs ({eng})"
            if isinstance(v, dict):
                extra = v[50] - v[0]
                self.budgets.append(report.Budget(
                    "5", name, f"{extra:.1f} µs per key over none ({extra * 1000 / 50:.0f} ns per plugin call)",
                    ("yes" if extra <= 100 else "**no**") if eng == "wasmtime" else "reported",
                    "≤ 100 µs" if eng == "wasmtime" else "report"))
            else:
                self.budgets.append(report.Budget("5", name, "—", NA))
        self.sections.append(sec)

    def area_getline(self):
        sec = report.Section("WASM host calls", "A WASM plugin command calling `rtdvi_get_line` 1,000,000 times "
                             "on a 1,000-line buffer of ~50-byte lines, net of the same command looping 0 times.")
        cmds, missing = [], []
        for eng in ("wasmtime", "wasmi"):
            if not self.has(f"wasm-plugins-{eng}"):
                missing.append((f"rtdvi ({eng})", NA))
                continue
            for loops in (1_000_000, 0):
                s = self.getline_sets[loops]
                env = self.rt_env(eng, XDG_CONFIG_HOME=os.path.join(s, "config"),
                                  RTDVI_PLUGIN_DIR=os.path.join(s, "plugins"),
                                  XDG_CACHE_HOME=os.path.join(self.home, f"cache-{eng}"))
                cmds.append(Cmd(f"rtdvi ({eng})" + ("" if loops else " (0 calls)"),
                                [self.t.rtdvi, "--headless", "-n", "-i", "NONE", self.files["1k"], "-c", inputs.wasm_command(1),
                                 "-c", "qa!"], env=env))
        res = self.compare("getline", cmds, missing)
        for eng in ("wasmtime", "wasmi"):
            label = f"rtdvi ({eng})"
            if "median_ms" in res.get(label, {}):
                ns = (self.ms(res[label]) - self.ms(res[label + " (0 calls)"])) * 1e6 / 1_000_000
                res[label]["note"] = f"{ns:.0f} ns per call"
                self.budgets.append(report.Budget("5", f"rtdvi_get_line of a line from a plugin loop ({eng})",
                                                  f"{ns:.0f} ns per call (~50-byte lines)",
                                                  ("yes" if ns <= 200 else "**no**") if eng == "wasmtime"
                                                  else "reported", "≤ 200 ns" if eng == "wasmtime" else "report"))
            else:
                self.budgets.append(report.Budget("5", f"rtdvi_get_line from a plugin loop ({eng})", "—", NA))
        sec.table("1,000,000 × rtdvi_get_line", res)
        self.sections.append(sec)

    def area_first_frame(self):
        sec = report.Section("Startup to first frame (terminal UI)", "scripts/bench-startup.sh: each editor opens "
                             "a Rust file in a fresh 120×40 tmux window; time until its first line is on screen.")
        if not shutil.which("tmux"):
            sec.text_block("tmux is not installed: not measured.")
            self.sections.append(sec)
            return
        runs = 5 if self.quick else 20
        env = self.env(RTDVI=self.t.rtdvi, NVIM=self.t.nvim)
        code, out = procbench.capture(["bash", os.path.join(REPO, "scripts", "bench-startup.sh"), str(runs)],
                                      env=env, timeout=300)
        sec.text_block(f"```\n{out.strip()}\n```")
        ratio = next((ln.split(":")[1].strip() for ln in out.splitlines() if ln.startswith("ratio")), None)
        self.budgets.append(report.Budget("4", "startup to first frame under tmux, faster than `nvim -u NONE`",
                                          f"ratio {ratio}" if ratio else "failed",
                                          ("yes" if float(ratio) < 1 else "**no**") if ratio else "**failed**",
                                          "goal < 1"))
        self.sections.append(sec)

    def area_criterion(self):
        crit = criterion.load(self.args.criterion_dir)
        where = os.path.relpath(self.args.criterion_dir, REPO)
        sec = report.Section("In-process budgets (criterion)", f"Read from `{where}/*/new/estimates.json`. "
                             + ("This quick run did not run criterion; figures come from the last `cargo bench` "
                                "run on this machine (its date is given), or are marked not measured."
                                if self.quick else "Run by this suite (`cargo bench`) just before."))
        rows = criterion.BUDGETS
        lines = ["| issue | benchmark | median | budget | holds | measured at |", "|---|---|---|---|---|---|"]
        for issue, bid, desc, limit_us in rows:
            e = crit.get(bid)
            if e is None:
                holds = "not measured in this run" if criterion.known(bid) else NA
                lines.append(f"| {issue} | {desc} | — | {fmt_budget(limit_us)} | {holds} | — |")
                self.budgets.append(report.Budget(issue, desc, "—", holds, fmt_budget(limit_us)))
                continue
            holds = "yes" if limit_us is None or e.median_us <= limit_us else "**no**"
            if limit_us is None:
                holds = "reported"
            lines.append(f"| {issue} | {desc} | {fmt_us(e.median_us)} | {fmt_budget(limit_us)} | {holds} | {e.when} |")
            self.budgets.append(report.Budget(issue, desc, fmt_us(e.median_us), holds, fmt_budget(limit_us)))
        sec.text_block("\n".join(lines))
        self.cpu_time_rows(sec)
        self.embed_rows(sec)
        self.sections.append(sec)

    def embed_rows(self, sec):
        """Issue 9's budgets (the embeddable host, 1,000 Lua plugins) from the rtdvi-embed scaling
        example's table, which bench.sh writes in full mode (target/bench/embed_scaling.txt)."""
        # (name, column of the 1,000-plugin row, limit, limit as a number or None for "report").
        rows = [("embeddable host: instantiate-to-ready per plugin, 1,000 plugins, wasmtime", 1, "≤ 100 µs", 100.0, "µs"),
                ("the seed's design (one native mlua state per plugin), 1,000 plugins", 3, "report", None, "µs"),
                ("embeddable host: resident memory per idle Lua plugin, 1,000 plugins (wasmtime)", 4, "≤ 150 KiB",
                 150.0, "KiB"),
                ("embeddable host: the same for the seed's design (native mlua state per plugin)", 6, "report", None,
                 "KiB")]
        path = os.path.join(self.work, "embed_scaling.txt")
        cells = None
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    parts = [c.strip() for c in line.strip().strip("|").split("|")]
                    if parts and parts[0] == "1000":
                        cells = parts
        example = os.path.join(REPO, "crates", "rtdvi-embed", "examples", "scaling.rs")
        missing = "not measured in this run" if os.path.exists(example) else NA
        lines = ["| measurement (1,000 plugins) | measured | budget | holds |", "|---|---|---|---|"]
        for name, col, limit, lim, unit in rows:
            try:
                value = float(cells[col]) if cells else None
            except (IndexError, ValueError):
                value = None
            if value is None:
                self.budgets.append(report.Budget("9", name, "—", missing, limit))
                lines.append(f"| {name} | — | {limit} | {missing} |")
                continue
            holds = "reported" if lim is None else ("yes" if value <= lim else "**no**")
            self.budgets.append(report.Budget("9", name, f"{value:.0f} {unit}", holds, limit))
            lines.append(f"| {name} | {value:.0f} {unit} | {limit} | {holds} |")
        sec.text_block("The embeddable host (issue 9), from `cargo run --release -p rtdvi-embed --example scaling` "
                       "(per plugin: time to load and be ready, resident memory while idle):\n\n" + "\n".join(lines))

    def cpu_time_rows(self, sec):
        """The terminal UI's per-frame budgets from the cpu_time example's output (thread CPU time,
        median and p99), which bench.sh writes in full mode."""
        path = os.path.join(self.work, "cpu_time.txt")
        budgets = {"key to frame": (1000.0, 4000.0), "full redraw": (2000.0, None), "tree-sitter re-parse": (2000.0, None)}
        if not os.path.exists(path):
            self.budgets.append(report.Budget("4", "key to frame p99 ≤ 4 ms (cpu_time example)", "—",
                                              "not measured in this run", "≤ 4 ms"))
            return
        when = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc)
        rows = []
        for line in open(path):
            m = re.match(r"^(.*?)\s+median\s+([\d.]+) µs\s+p99\s+([\d.]+) µs", line)
            if not m:
                continue
            name, med, p99 = m.group(1).strip(), float(m.group(2)), float(m.group(3))
            # The flat file is tree-sitter's bad case, reported next to the budget's realistic file.
            lim = next((v for k, v in budgets.items() if name.startswith(k) and "(flat" not in name), None)
            if lim is None:
                rows.append(f"| {name} | {fmt_us(med)} | {fmt_us(p99)} | report | — |")
                continue
            ok = med <= lim[0] and (lim[1] is None or p99 <= lim[1])
            limit = f"median ≤ {fmt_us(lim[0])}" + (f", p99 ≤ {fmt_us(lim[1])}" if lim[1] else "")
            rows.append(f"| {name} | {fmt_us(med)} | {fmt_us(p99)} | {limit} | {'yes' if ok else '**no**'} |")
            self.budgets.append(report.Budget("4", f"{name} (thread CPU time)", f"median {fmt_us(med)}, p99 "
                                              f"{fmt_us(p99)}", "yes" if ok else "**no**", limit))
        sec.text_block(f"Thread CPU time per frame (`cargo run --release -p rtdvi-tui --example cpu_time`, "
                       f"{when:%Y-%m-%d %H:%M} UTC):\n\n| measurement | median | p99 | budget | holds |\n"
                       "|---|---|---|---|---|\n" + "\n".join(rows))

    def area_memory(self):
        """Peak RSS of every command measured above, one line per comparison."""
        sec = report.Section("Memory", "Peak RSS (MiB) of every command above, from `wait4` (the largest of its "
                             "runs); the tables above have the same figures next to their times.")
        lines = ["| comparison | peak RSS, MiB |", "|---|---|"]
        for key, res in self.raw.items():
            if not isinstance(res, dict):
                continue
            cells = [f"{label} {r['rss_mib']:.1f}" for label, r in res.items()
                     if isinstance(r, dict) and "rss_mib" in r and "(0 " not in label and "quit only" not in label
                     and "empty script" not in label and not label.endswith(" 0 keys")]
            if cells:
                lines.append(f"| {key} | " + "; ".join(cells) + " |")
        sec.text_block("\n".join(lines))
        self.sections.append(sec)

    # ----- budget helpers ----------------------------------------------------------------------

    def budget_le(self, issue, name, res, a, b):
        ra, rb = res.get(a, {}), res.get(b, {})
        if "median_ms" not in ra or "median_ms" not in rb:
            self.budgets.append(report.Budget(issue, name, "—", NA))
            return
        ratio = self.ms(ra) / self.ms(rb)
        self.budgets.append(report.Budget(issue, name, f"{self.ms(ra):.1f} vs {self.ms(rb):.1f} ms{self.unit} = "
                                          f"{ratio:.2f}×", "yes" if ratio <= 1.0 else "**no**"))

    def goal_vs_nvim(self, issue, name, res, a, b):
        self.budget_le(issue, "goal: " + name, res, a, b)

    def budget_delta(self, issue, name, res, a, b, limit_ms, required=True):
        ra, rb = res.get(a, {}), res.get(b, {})
        if "median_ms" not in ra or "median_ms" not in rb:
            self.budgets.append(report.Budget(issue, name, "—", NA))
            return
        d = self.ms(ra) - self.ms(rb)
        holds = ("yes" if d <= limit_ms else "**no**") if required else "reported"
        self.budgets.append(report.Budget(issue, name, f"+{d:.1f} ms{self.unit} ({self.ms(ra):.1f} vs {self.ms(rb):.1f})",
                                          holds, f"≤ +{limit_ms:.0f} ms" if required else "report"))

    # ----- the whole run -----------------------------------------------------------------------

    def machine(self):
        def out(argv):
            try:
                return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip() or \
                    subprocess.run(argv, capture_output=True, text=True, timeout=30).stderr.strip()
            except (OSError, subprocess.TimeoutExpired):
                return "—"
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
        mem = next((ln.split()[1] for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), "0")
        return {
            "cpu": f"{cpu}, {os.cpu_count()} cores", "memory": f"{int(mem) / 2**20:.1f} GiB",
            "os": f"{platform.system()} {platform.release()}, " + out(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
            "rtdvi": out([self.t.rtdvi, "--version"]).splitlines()[0] + " at " +
            out(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]),
            "rustc": out(["rustc", "--version"]),
            "nvim": out([self.t.nvim, "--version"]).splitlines()[0],
            "vim": (out([self.t.vim, "--version"]).splitlines() or ["—"])[0] if self.t.vim else "—",
            "lua5.4": out([self.t.lua54, "-v"]) if self.t.lua54 else "—",
            "luajit": out([self.t.luajit, "-v"]) if self.t.luajit else "—",
        }

    def run(self):
        start = datetime.datetime.now(datetime.timezone.utc)
        load0 = os.getloadavg()
        procbench.build_launcher(os.path.join(self.work, "tools"))
        self.make_inputs()
        self.run_probes()
        areas = [self.area_startup, self.area_large_files, self.area_editing, self.area_lua, self.area_api,
                 self.area_dispatch, self.area_getline, self.area_first_frame, self.area_criterion,
                 self.area_memory]
        only = set(self.args.only.split(",")) if self.args.only else None
        for area in areas:
            if only and area.__name__.replace("area_", "") not in only:
                continue
            area()
        end = datetime.datetime.now(datetime.timezone.utc)
        meta = {"start": start, "end": end, "load": (load0, os.getloadavg()), "machine": self.machine(),
                "command": self.args.command_line, "quick": self.quick, "note": self.args.note, "metric": self.metric_why, "runs": self.runs, "warmup": self.warmup}
        plots_dir = os.path.join(REPO, "doc", "bench") if self.args.plots_in_doc else os.path.dirname(
            os.path.abspath(self.args.out))
        plots = report.write_plots(self.plots, plots_dir)
        report.write(self.args.out, meta, self.features, self.sections, self.budgets, plots,
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "earlier-measurements.md"))
        with open(os.path.join(self.work, "results.json"), "w") as f:
            json.dump({"raw": self.raw, "features": self.features}, f, indent=1, default=str)
        log(f"wrote {self.args.out} ({(end - start).total_seconds():.0f} s)")


def ran_ok(res, *labels):
    """True if every run of the commands `labels` exited 0."""
    return all(all(c == 0 for c in res[label].get("exit_codes", [])) for label in labels)


def fmt_us(us):
    return f"{us / 1000:.1f} ms" if us >= 1000 else f"{us:.2f} µs" if us < 10 else f"{us:.0f} µs"


def fmt_budget(limit_us):
    return "report" if limit_us is None else f"≤ {fmt_us(limit_us)}"


def shell_quote(a):
    return a if a and all(c.isalnum() or c in "-_./=+:%$" for c in a) else "'" + a.replace("'", "'\\''") + "'"


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer rounds (CI); no criterion run")
    ap.add_argument("--runs", type=int, help="measured rounds per comparison")
    ap.add_argument("--rtdvi", default=os.path.join(REPO, "target", "release", "rtdvi"))
    ap.add_argument("--nvim", required=True)
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench"))
    ap.add_argument("--out", default=os.path.join(REPO, "BENCHMARKS.md"))
    ap.add_argument("--plots-in-doc", action="store_true", help="write the SVG plots to doc/bench/")
    ap.add_argument("--only", help="comma-separated areas (startup,large_files,editing,lua,api,dispatch,getline,"
                                   "first_frame,criterion,memory)")
    ap.add_argument("--metric", choices=("auto", "wall", "cpu"), default="auto",
                    help="what budgets and net costs use; auto: CPU time when the load average exceeds the cores")
    ap.add_argument("--criterion-dir", default=os.path.join(REPO, "target", "criterion"))
    ap.add_argument("--note", help="a remark printed at the top of the report")
    ap.add_argument("--command-line", default="scripts/bench.sh")
    Suite(ap.parse_args()).run()


if __name__ == "__main__":
    main()
