"""Turns the raw per-round results into the figures of the table: medians over rounds and ratios.

A cell's figure is the median over its rounds (separate processes) of that round's
figure; a round's steady epoch is the median of its epochs after the first. Ratios
divide by the hand-written loop of the same workload and backend.
"""

import statistics

import common

SAME_START_TOLERANCE = 1e-3
GROWTH_EARLY_EPOCH = 5


def _median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _ratio(value, reference):
    return value / reference if value is not None and reference else None


def fit_cell(rounds):
    """Median figures of one fit cell's rounds; the errors of failed rounds are kept."""
    good = [result for result in rounds if "error" not in result]
    cell = {"rounds": rounds, "errors": [result["error"] for result in rounds if "error" in result]}
    if not good:
        return cell
    steady = [statistics.median(r["epoch_times"][1:]) if len(r["epoch_times"]) > 1 else None for r in good]
    cell.update(
        first_epoch=_median([r["epoch_times"][0] for r in good]),
        steady_epoch=_median(steady),
        peak_rss_mb=_median([r["peak_rss_mb"] for r in good]),
        final_loss=_median([r["epoch_losses"][-1] for r in good]),
        torch_threads=good[0].get("torch_threads"),
        version=good[0].get("version"),
    )
    return cell


def predict_cell(rounds):
    """Median predict figures of one cell's rounds."""
    good = [result for result in rounds if "error" not in result]
    cell = {"rounds": rounds, "errors": [result["error"] for result in rounds if "error" in result]}
    for key in ("predict_throughput", "predict_one_latency", "call_one_latency"):
        cell[key] = _median([result.get(key) for result in good])
    return cell


def add_ratios(cells, keys):
    """Adds `<key>_ratio` (cell / hand-written of the same workload and backend) for each key."""
    baseline = {(cell["workload"], cell["backend"]): cell for cell in cells if cell["case"] == "handwritten"}
    for cell in cells:
        reference = baseline.get((cell["workload"], cell["backend"]), {})
        for key in keys:
            cell[f"{key}_ratio"] = _ratio(cell.get(key), reference.get(key))
        if "final_loss" in cell:
            cell["final_loss_difference"] = common.relative_difference(
                cell.get("final_loss"), reference.get("final_loss")
            )
    return cells


def add_same_start(fit_cells, same_start_results):
    """Puts each same-start loss, and its relative difference from the hand-written one, on its fit cell."""
    by_cell = {(r["workload"], r["backend"], r["case"]): r for r in same_start_results}
    for cell in fit_cells:
        result = by_cell.get((cell["workload"], cell["backend"], cell["case"]), {})
        hand = by_cell.get((cell["workload"], cell["backend"], "handwritten"), {})
        cell["same_start_loss"] = result.get("same_start_loss")
        cell["same_start_error"] = result.get("error")
        cell["same_start_difference"] = common.relative_difference(
            result.get("same_start_loss"), hand.get("same_start_loss")
        )
    return fit_cells


def import_rows(rounds_by_label):
    """Median import times; each lamina row gets its ratio to the matching framework import."""
    rows = []
    for (label, backend), rounds in rounds_by_label.items():
        good = [result for result in rounds if "error" not in result]
        rows.append(
            {
                "what": label,
                "backend": backend,
                "seconds": _median([result["seconds"] for result in good]),
                "jax_loaded": any(result.get("jax_loaded") for result in good),
                "torch_loaded": any(result.get("torch_loaded") for result in good),
                "errors": [result["error"] for result in rounds if "error" in result],
            }
        )
    framework = {
        row["what"].split()[-1]: row["seconds"]
        for row in rows
        if row["what"] in ("import jax", "import torch")
    }
    for row in rows:
        if row["what"].startswith("import lamina;"):
            row["ratio"] = _ratio(row["seconds"], framework.get(row["backend"]))
    return rows


def growth_row(result):
    """RSS after epoch 5 and after the last epoch of the growth run, and the growth in percent."""
    rss = result.get("rss_after_epoch_mb") or []
    row = {"backend": result["backend"], "case": result["case"], "error": result.get("error")}
    if len(rss) >= GROWTH_EARLY_EPOCH:
        early, late = rss[GROWTH_EARLY_EPOCH - 1], rss[-1]
        row.update(
            early_mb=early, late_mb=late, epochs=len(rss), growth_percent=100.0 * (late - early) / early
        )
    return row
