"""Plots of the committed benchmark results, drawn with matplotlib at build time.

One function per benchmark, ``PLOTS[name](data) -> file name``; ``data`` is a
results file already validated by ``bench_results.load``. Labels are English
(shared by both languages, as in ``figures.py``); files go to
``docs/generated/figures/bench_NAME.png``.
"""

from __future__ import annotations

from nnref_docs.errors import DocsBuildError
from nnref_docs.figures import _pyplot, _save


def _values(data: dict, *names: str) -> list[float]:
    by_name = {f["name"]: f for f in data["figures"]}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise DocsBuildError(
            f"benchmarks/results/{data['benchmark']}.json has no figure {missing[0]!r} to plot"
        )
    return [by_name[n]["value"] for n in names]


def _series(data: dict, name: str) -> list[dict]:
    rows = data["series"].get(name)
    if not rows:
        raise DocsBuildError(
            f"benchmarks/results/{data['benchmark']}.json has no series {name!r} to plot"
        )
    return rows


def _barh(ax, labels, values, colors, fmt):
    bars = ax.barh(labels, values, color=colors)
    for bar, value in zip(bars, values, strict=True):
        ax.text(bar.get_width() * 1.08, bar.get_y() + bar.get_height() / 2, fmt(value),
                va="center", fontsize=8)  # fmt: skip
    ax.invert_yaxis()


def reference(data: dict) -> str:
    """Samples per second, log scale: reference, micrograd and the floor, gradients and step."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(11, 2.8), sharex=True)
    colors = ["tab:blue", "tab:orange", "tab:gray"]
    for ax, key, title in zip(axes, ("grads", "step"), ("gradients", "training step (+ Adam)"),
                              strict=True):  # fmt: skip
        ref, micro, floor = _values(data, f"reference_{key}_per_s", f"micrograd_{key}_per_s",
                                    "floor_per_s")  # fmt: skip
        speedup, over = _values(data, f"speedup_{key}", f"over_floor_{key}")
        _barh(ax, ["reference", "micrograd 0.1.0", "floor (3 x MACs)"], [ref, micro, floor],
              colors, lambda v: f"{v:,.1f}/s")  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlim(0.3, 3000)
        ax.set_title(f"{title}: {speedup:,.0f}x micrograd, {over:.2f}x the floor", fontsize=10)
        ax.set_xlabel("samples per second (log scale; higher is faster)")
    fig.tight_layout()
    return _save(fig, "bench_reference.png")


def symbolic(data: dict) -> str:
    """CPU seconds of exact whole-network gradients against parameter count; the guard marked."""
    plt = _pyplot()
    curve = _series(data, "curve")
    (guard,) = _values(data, "max_params")
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for hidden, color in (("sigmoid", "tab:blue"), ("relu", "tab:orange")):
        points = [p for p in curve if p.get("hidden") == hidden]
        ax.plot([p["params"] for p in points], [p["cpu_s"] for p in points], "o-", color=color,
                label=f"{hidden} hidden layer")  # fmt: skip
    ax.axvline(guard, color="tab:red", linestyle="--", label=f"size guard MAX_PARAMS = {guard:g}")
    ax.axhline(10, color="gray", linestyle=":", label="10 s of CPU")
    ax.set_yscale("log")
    ax.set_xlabel("parameters (one hidden layer, softmax + cross-entropy)")
    ax.set_ylabel("CPU seconds, one gradient (log)")
    ax.set_title("nnref.symbolic.gradients: exact whole-network gradients", fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, "bench_symbolic.png")


def gradcheck(data: dict) -> str:
    """Evaluations per check, log scale: nnref full and fast, torch slow and fast."""
    plt = _pyplot()
    rows = _series(data, "evaluations")
    (n,) = _values(data, "parameters")
    fig, ax = plt.subplots(figsize=(8, 2.8))
    labels = [r["mode"] for r in rows]
    totals = [r["forward"] + r["backward"] for r in rows]
    colors = ["tab:blue" if r["mode"].startswith("nnref") else "tab:orange" for r in rows]
    _barh(ax, labels, totals, colors, lambda v: f"{v:,.0f}")
    ax.set_xscale("log")
    ax.set_xlim(1, max(totals) * 20)
    ax.set_xlabel("evaluations of f (forward + backward calls; log scale)")
    ax.set_title(f"one check of a {n:,.0f}-parameter numpy MLP (nnref fast: one wrong entry, "
                 "localized)", fontsize=10)  # fmt: skip
    return _save(fig, "bench_gradcheck.png")


def check(data: dict) -> str:
    """Wall seconds of ``nnref check`` full and --quick against their goals."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 2.2))
    for ax, profile in zip(axes, ("full", "quick"), strict=True):
        wall, cpu = _values(data, f"{profile}_wall_s", f"{profile}_cpu_s")
        goal = next(f["goal"]["value"] for f in data["figures"] if f["name"] == f"{profile}_wall_s")
        _barh(ax, ["wall", "CPU"], [wall, cpu], ["tab:blue", "tab:gray"], lambda v: f"{v:.2f} s")
        ax.axvline(goal, color="tab:red", linestyle="--", label=f"goal < {goal:g} s")
        ax.set_xlim(0, goal * 1.3)
        ax.set_xlabel("seconds")
        flag = " --quick" if profile == "quick" else ""
        ax.set_title(f"nnref check{flag}", fontsize=10)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return _save(fig, "bench_check.png")


def mutation(data: dict) -> str:
    """Per judge (nnref check, the test suite): mutants killed, survived, equivalent."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.8))
    outcomes = ("killed", "misbehaved", "survived")
    colors = {"killed": "tab:green", "misbehaved": "tab:orange", "survived": "tab:red"}
    for row, judge in enumerate(("check", "tests")):
        counts = {o: sum(r["outcome"] == o for r in _series(data, judge)) for o in outcomes}
        left = 0
        for outcome in outcomes:
            ax.barh(row, counts[outcome], left=left, color=colors[outcome],
                    label=outcome if row == 0 else None)  # fmt: skip
            left += counts[outcome]
    ax.set_yticks([0, 1], ["nnref check --quick", "test suite"])
    ax.invert_yaxis()
    ax.set_xlabel("sampled mutants (equivalent ones included; see the table)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return _save(fig, "bench_mutation.png")


def grading(data: dict) -> str:
    """Wall seconds of grading the class one after another and with --jobs 2."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.6))
    n, serial, parallel = _values(data, "submissions", "jobs1_wall_s", "jobs2_wall_s")
    _barh(ax, ["--jobs 1", "--jobs 2"], [serial, parallel], ["tab:gray", "tab:blue"],
          lambda v: f"{v:.0f} s ({v / n:.1f} s each)")  # fmt: skip
    ax.set_xlim(0, serial * 1.4)
    ax.set_xlabel(f"seconds for {n:g} submissions")
    fig.tight_layout()
    return _save(fig, "bench_class.png")


PLOTS = {
    "reference": reference,
    "symbolic": symbolic,
    "gradcheck": gradcheck,
    "check": check,
    "mutation": mutation,
    "class": grading,
}
