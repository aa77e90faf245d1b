"""Plots of the committed benchmark results, drawn with matplotlib at build time.

One function per benchmark, ``PLOTS[name](data) -> file name``; ``data`` is a
results file already validated by ``bench_results.load``, and ``lang`` the page's
language: each plot is drawn in English (``bench_NAME.png``) and in Japanese
(``bench_NAME-ja.png``, in the font ``figures.py`` uses), into docs/generated/figures/.
"""

from __future__ import annotations

from nnref_docs.errors import DocsBuildError
from nnref_docs.figures import _pyplot, _save, figure_name
from nnref_docs.i18n import tr


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
        ax.text(
            bar.get_width() * 1.08,
            bar.get_y() + bar.get_height() / 2,
            fmt(value),
            va="center",
            fontsize=8,
        )
    ax.invert_yaxis()


def reference(data: dict, lang: str = "en") -> str:
    """Samples per second, log scale: reference, micrograd and the floor, gradients and step."""
    plt = _pyplot(lang)
    fig, axes = plt.subplots(1, 2, figsize=(11, 2.8), sharex=True)
    colors = ["tab:blue", "tab:orange", "tab:gray"]
    titles = (
        tr(lang, "gradients", "勾配"),
        tr(lang, "training step (+ Adam)", "学習ステップ（+ Adam）"),
    )
    for ax, key, title in zip(axes, ("grads", "step"), titles, strict=True):
        ref, micro, floor = _values(
            data, f"reference_{key}_per_s", f"micrograd_{key}_per_s", "floor_per_s"
        )
        speedup, over = _values(data, f"speedup_{key}", f"over_floor_{key}")
        names = [
            tr(lang, "reference", "参照実装"),
            "micrograd 0.1.0",
            tr(lang, "floor (3 x MACs)", "下限（積和の 3 倍）"),
        ]
        _barh(ax, names, [ref, micro, floor], colors, lambda v: f"{v:,.1f}/s")
        ax.set_xscale("log")
        ax.set_xlim(0.3, 3000)
        ax.set_title(
            tr(
                lang,
                f"{title}: {speedup:,.0f}x micrograd, {over:.2f}x the floor",
                f"{title}: micrograd の {speedup:,.0f} 倍、下限の {over:.2f} 倍",
            ),
            fontsize=10,
        )
        ax.set_xlabel(
            tr(
                lang,
                "samples per second (log scale; higher is faster)",
                "1 秒あたりのサンプル数（対数目盛、大きいほど速い）",
            )
        )
    fig.tight_layout()
    return _save(fig, figure_name("bench_reference", lang))


def symbolic(data: dict, lang: str = "en") -> str:
    """CPU seconds of exact whole-network gradients against parameter count; the guard marked."""
    plt = _pyplot(lang)
    curve = _series(data, "curve")
    (guard,) = _values(data, "max_params")
    fig, ax = plt.subplots(figsize=(8, 3.8))
    hidden_ja = {"sigmoid": "シグモイド関数", "relu": "ReLU"}
    for hidden, color in (("sigmoid", "tab:blue"), ("relu", "tab:orange")):
        points = [p for p in curve if p.get("hidden") == hidden]
        ax.plot(
            [p["params"] for p in points],
            [p["cpu_s"] for p in points],
            "o-",
            color=color,
            label=tr(lang, f"{hidden} hidden layer", f"中間層 {hidden_ja[hidden]}"),
        )
    ax.axvline(
        guard,
        color="tab:red",
        linestyle="--",
        label=tr(lang, "size guard", "サイズの上限") + f" MAX_PARAMS = {guard:g}",
    )
    ax.axhline(10, color="gray", linestyle=":", label=tr(lang, "10 s of CPU", "CPU 時間 10 秒"))
    ax.set_yscale("log")
    ax.set_xlabel(
        tr(
            lang,
            "parameters (one hidden layer, softmax + cross-entropy)",
            "パラメータ数（中間層 1 層、Softmax関数＋Cross-entropy関数）",
        )
    )
    ax.set_ylabel(tr(lang, "CPU seconds, one gradient (log)", "勾配 1 回の CPU 秒（対数目盛）"))
    ax.set_title(
        tr(
            lang,
            "nnref.symbolic.gradients: exact whole-network gradients",
            "nnref.symbolic.gradients: ネットワーク全体の厳密な勾配",
        ),
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return _save(fig, figure_name("bench_symbolic", lang))


def gradcheck(data: dict, lang: str = "en") -> str:
    """Evaluations per check, log scale: nnref full and fast, torch slow and fast."""
    plt = _pyplot(lang)
    rows = _series(data, "evaluations")
    (n,) = _values(data, "parameters")
    fig, ax = plt.subplots(figsize=(8, 2.8))
    modes_ja = {"full": "全体モード", "fast": "高速モード", "slow": "遅いモード"}
    labels = [
        r["mode"] if lang == "en" else " ".join(modes_ja.get(w, w) for w in r["mode"].split())
        for r in rows
    ]
    totals = [r["forward"] + r["backward"] for r in rows]
    colors = ["tab:blue" if r["mode"].startswith("nnref") else "tab:orange" for r in rows]
    _barh(ax, labels, totals, colors, lambda v: f"{v:,.0f}")
    ax.set_xscale("log")
    ax.set_xlim(1, max(totals) * 20)
    ax.set_xlabel(
        tr(
            lang,
            "evaluations of f (forward + backward calls; log scale)",
            "f の評価回数（順伝播と逆伝播の呼び出し、対数目盛）",
        )
    )
    ax.set_title(
        tr(
            lang,
            f"one check of a {n:,.0f}-parameter numpy MLP (nnref fast: one wrong entry, localized)",
            f"パラメータ {n:,.0f} 個の numpy MLP の検査 1 回"
            "（nnref 高速: 誤った成分一つ、その特定まで）",
        ),
        fontsize=10,
    )
    return _save(fig, figure_name("bench_gradcheck", lang))


def check(data: dict, lang: str = "en") -> str:
    """Wall seconds of ``nnref check`` full and --quick against their goals."""
    plt = _pyplot(lang)
    fig, axes = plt.subplots(1, 2, figsize=(10, 2.2))
    for ax, profile in zip(axes, ("full", "quick"), strict=True):
        wall, cpu = _values(data, f"{profile}_wall_s", f"{profile}_cpu_s")
        goal = next(f["goal"]["value"] for f in data["figures"] if f["name"] == f"{profile}_wall_s")
        _barh(
            ax,
            [tr(lang, "wall", "経過時間"), tr(lang, "CPU", "CPU 時間")],
            [wall, cpu],
            ["tab:blue", "tab:gray"],
            lambda v: f"{v:.2f} s",
        )
        ax.axvline(
            goal,
            color="tab:red",
            linestyle="--",
            label=tr(lang, f"goal < {goal:g} s", f"目標 < {goal:g} s"),
        )
        ax.set_xlim(0, goal * 1.3)
        ax.set_xlabel(tr(lang, "seconds", "秒"))
        flag = " --quick" if profile == "quick" else ""
        ax.set_title(f"nnref check{flag}", fontsize=10)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return _save(fig, figure_name("bench_check", lang))


def mutation(data: dict, lang: str = "en") -> str:
    """Per judge (nnref check, the test suite): mutants killed, survived, equivalent."""
    plt = _pyplot(lang)
    fig, ax = plt.subplots(figsize=(8, 1.8))
    outcomes = ("killed", "misbehaved", "survived")
    colors = {"killed": "tab:green", "misbehaved": "tab:orange", "survived": "tab:red"}
    outcomes_ja = {"killed": "検出", "misbehaved": "異常終了", "survived": "生存"}
    for row, judge in enumerate(("check", "tests")):
        counts = {o: sum(r["outcome"] == o for r in _series(data, judge)) for o in outcomes}
        left = 0
        for outcome in outcomes:
            ax.barh(
                row,
                counts[outcome],
                left=left,
                color=colors[outcome],
                label=tr(lang, outcome, outcomes_ja[outcome]) if row == 0 else None,
            )
            left += counts[outcome]
    ax.set_yticks([0, 1], ["nnref check --quick", tr(lang, "test suite", "テストスイート")])
    ax.invert_yaxis()
    ax.set_xlabel(
        tr(
            lang,
            "sampled mutants (equivalent ones included; see the table)",
            "抽出したミュータント（等価なものを含む。表を参照）",
        )
    )
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return _save(fig, figure_name("bench_mutation", lang))


def grading(data: dict, lang: str = "en") -> str:
    """Wall seconds of grading the class one after another and with --jobs 2."""
    plt = _pyplot(lang)
    fig, ax = plt.subplots(figsize=(8, 1.6))
    n, serial, parallel = _values(data, "submissions", "jobs1_wall_s", "jobs2_wall_s")
    _barh(
        ax,
        ["--jobs 1", "--jobs 2"],
        [serial, parallel],
        ["tab:gray", "tab:blue"],
        lambda v: tr(lang, f"{v:.0f} s ({v / n:.1f} s each)", f"{v:.0f} s（1 件 {v / n:.1f} s）"),
    )
    ax.set_xlim(0, serial * 1.4)
    ax.set_xlabel(tr(lang, f"seconds for {n:g} submissions", f"提出物 {n:g} 件の秒数"))
    fig.tight_layout()
    return _save(fig, figure_name("bench_class", lang))


PLOTS = {
    "reference": reference,
    "symbolic": symbolic,
    "gradcheck": gradcheck,
    "check": check,
    "mutation": mutation,
    "class": grading,
}
