"""The text tables `run.py` prints and writes to RESULTS.md, each ratio next to its target from issue 6.

A ratio reads "1.05x ok" or "1.32x FAIL" against the target in its column header.
The hand-written rows are the baselines (1.00x); the lamina and Keras rows are
both marked, so the table reads as "lamina vs hand-written vs Keras".
"""

# (figure, comparison, bound) from issue 6; "max": ratio <= bound, "min": ratio >= bound.
TARGETS = {
    "first_epoch": ("max", 1.5),
    "steady_epoch": ("max", 1.10),
    "peak_rss_mb": ("max", 1.2),
    "predict_throughput": ("min", 0.9),
    "predict_one_latency": ("max", 2.0),
    "call_one_latency": ("max", 2.0),
    "import_lamina_seconds": ("max", 0.3),
    "import_with_backend": ("max", 1.1),
    "growth_percent": ("max", 5.0),
    "same_start": ("max", 1e-3),
}


def passes(key, value):
    comparison, bound = TARGETS[key]
    return value <= bound if comparison == "max" else value >= bound


def mark(key, value):
    return "ok" if passes(key, value) else "FAIL"


def target_label(key):
    comparison, bound = TARGETS[key]
    return f"{'<=' if comparison == 'max' else '>='}{bound:g}"


def ratio_cell(cell, key):
    """`"1.05x ok"`, the bare ratio on the hand-written row, or "-" when missing."""
    ratio = cell.get(f"{key}_ratio")
    if ratio is None:
        return "-"
    if cell["case"] == "handwritten":
        return f"{ratio:.2f}x"
    return f"{ratio:.2f}x {mark(key, ratio)}"


def number(value, pattern):
    return "-" if value is None else format(value, pattern)


def render(header, rows):
    """Left-aligned columns separated by two spaces, with a dashed rule under the header."""
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    return "\n".join(
        "  ".join(str(text).ljust(width) for text, width in zip(row, widths)).rstrip()
        for row in [header, tuple("-" * width for width in widths), *rows]
    )


def _loss_difference(cell):
    difference = cell.get("final_loss_difference")
    return "-" if difference is None or cell["case"] == "handwritten" else f"{100 * difference:.2f}%"


def _same_start(cell):
    difference = cell.get("same_start_difference")
    if cell.get("same_start_error"):
        return "failed"
    if difference is None:
        return "-"
    if cell["case"] == "handwritten":
        return "baseline"
    return f"{'yes' if passes('same_start', difference) else 'NO'} {difference:.1e}"


def training_table(cells):
    header = (
        "workload", "backend", "case",
        "first (s)", f"first/hand {target_label('first_epoch')}",
        "steady (s)", f"steady/hand {target_label('steady_epoch')}",
        "peak RSS (MiB)", f"RSS/hand {target_label('peak_rss_mb')}",
        "loss", "vs hand", "same-start loss", f"agree {target_label('same_start')}",
    )  # fmt: skip
    rows = []
    for cell in cells:
        if cell.get("first_epoch") is None:
            # No fit figures: the fit part failed, or only the same-start part ran.
            fit_status = "failed" if cell.get("errors") else "-"
            same_start = (number(cell.get("same_start_loss"), ".6f"), _same_start(cell))
            blanks = ["-"] * 7
            rows.append((cell["workload"], cell["backend"], cell["case"], fit_status, *blanks, *same_start))
            continue
        rows.append(
            (
                cell["workload"], cell["backend"], cell["case"],
                number(cell["first_epoch"], ".3f"), ratio_cell(cell, "first_epoch"),
                number(cell["steady_epoch"], ".3f"), ratio_cell(cell, "steady_epoch"),
                number(cell["peak_rss_mb"], ".0f"), ratio_cell(cell, "peak_rss_mb"),
                number(cell["final_loss"], ".4f"), _loss_difference(cell),
                number(cell.get("same_start_loss"), ".6f"), _same_start(cell),
            )
        )  # fmt: skip
    return render(header, rows)


def predict_table(cells):
    header = (
        "workload", "backend", "case",
        "predict(x) samples/s", f"/hand {target_label('predict_throughput')}",
        "predict(x[:1]) ms", f"/hand {target_label('predict_one_latency')}",
        "model(x[:1]) ms", f"/hand {target_label('call_one_latency')}",
    )  # fmt: skip
    rows = []
    for cell in cells:
        rows.append(
            (
                cell["workload"], cell["backend"], cell["case"],
                number(cell.get("predict_throughput"), ",.0f"), ratio_cell(cell, "predict_throughput"),
                number(_milliseconds(cell.get("predict_one_latency")), ".3f"),
                ratio_cell(cell, "predict_one_latency"),
                number(_milliseconds(cell.get("call_one_latency")), ".3f"),
                ratio_cell(cell, "call_one_latency"),
            )
        )  # fmt: skip
    return render(header, rows)


def _milliseconds(seconds):
    return None if seconds is None else 1000.0 * seconds


def import_table(rows):
    header = ("import", "backend", "seconds (median)", "target", "backends loaded")
    lines = []
    for row in rows:
        seconds = row["seconds"]
        if row["what"] == "import lamina" and seconds is not None:
            # The target also asks that no backend be imported until first use.
            verdict = mark("import_lamina_seconds", seconds)
            if row["jax_loaded"] or row["torch_loaded"]:
                verdict = "FAIL (a backend was imported)"
            target = f"{target_label('import_lamina_seconds')} s {verdict}"
        elif row.get("ratio") is not None:
            label, verdict = target_label("import_with_backend"), mark("import_with_backend", row["ratio"])
            target = f"{row['ratio']:.2f}x import {row['backend']} ({label}) {verdict}"
        else:
            target = "-"
        loaded = ", ".join(name for name in ("jax", "torch") if row[f"{name}_loaded"]) or "none"
        lines.append((row["what"], row["backend"] or "-", number(seconds, ".3f"), target, loaded))
    return render(header, lines)


def growth_table(rows):
    header = ("case", "backend", "RSS after epoch 5 (MiB)", "RSS after last epoch (MiB)", "epochs", "growth")
    lines = []
    for row in rows:
        if row.get("growth_percent") is None:
            lines.append((row["case"], row["backend"], "failed", "-", "-", "-"))
            continue
        growth = row["growth_percent"]
        lines.append(
            (
                row["case"], row["backend"], f"{row['early_mb']:.1f}", f"{row['late_mb']:.1f}", row["epochs"],
                f"{growth:+.1f}% ({target_label('growth_percent')}%) {mark('growth_percent', abs(growth))}",
            )
        )  # fmt: skip
    return render(header, lines)


def machine_line(machine):
    """One line: date, cores, load average before/after, thread and malloc settings, versions, platform."""
    loads = [
        "/".join(f"{load:.2f}" for load in machine[key])
        for key in ("load_average_before", "load_average_after")
    ]
    threads = " ".join(
        f"{key}={value!r}" if " " in value else f"{key}={value}" for key, value in machine["threads"].items()
    )
    allocator = " ".join(f"{key}={value}" for key, value in machine.get("allocator", {}).items()) or "default"
    versions = ", ".join(f"{name} {machine[name]}" for name in ("python", "jax", "torch", "keras", "lamina"))
    return (
        f"{machine['date']} | {machine['cores']} cores | load (1/5/15 min) before {loads[0]}, "
        f"after {loads[1]} | threads: {threads}, torch threads {machine.get('torch_threads')} | "
        f"malloc: {allocator} | {versions} | {machine['platform']}"
    )
