"""The tutorial's figures, redrawn from the code at build time with matplotlib.

Every curve is computed by the reference (standard-library Python) during the
build; matplotlib only draws. Each figure is drawn twice, with English labels
(``NAME.png``) and with Japanese ones (``NAME-ja.png``, in IPAexGothic, the font
the ``japanize-matplotlib`` package ships: nothing is downloaded at build time).
Files go to ``docs/generated/figures/``.

- ``activations.png``: step, sigmoid, tanh, ReLU, identity and their derivatives
  (S5-S9; the derivatives are the reference's own, from the recorded output, S12);
- ``softmax.png``: the softmax example D_softmax (logits 3, 0, -1; S10);
- ``iris_training.png``: loss and accuracy per epoch of ``nnref train iris``
  (``nnref.reference.training.train`` with its default configuration);
- ``gradient_descent.png``: SGD steps (S22) down the loss of the tutorial
  network as one weight varies;
- ``vanishing_gradient.png``: the (1/4)^k bound of S21 against a sigmoid stack.
"""

from __future__ import annotations

import io
import itertools
from functools import cache

from nnref_docs.errors import DocsBuildError
from nnref_docs.i18n import LANGS, tr
from nnref_docs.markers import generator
from nnref_docs.paths import GENERATED, write_if_changed

OUT = GENERATED / "figures"


#: The Japanese font: IPAexGothic, shipped inside the ``japanize-matplotlib`` package (found
#: without importing it: the package's own import needs distutils, gone in Python 3.12).
JA_FONT = ("japanize_matplotlib", "fonts/ipaexg.ttf", "IPAexGothic")


@cache
def japanese_font() -> str:
    """Register the Japanese font with matplotlib once; return its family name."""
    import importlib.util
    from pathlib import Path

    from matplotlib import font_manager

    package, relative, family = JA_FONT
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DocsBuildError(
            "the Japanese figures need a CJK font: pip install japanize-matplotlib "
            "(it ships IPAexGothic; nnref[docs] installs it)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.exists():
        raise DocsBuildError(f"{package} has no {relative}: reinstall it")
    font_manager.fontManager.addfont(str(path))
    return family


def _pyplot(lang: str = "en"):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise DocsBuildError("matplotlib is not installed: the figures need it") from exc
    plt.rcParams.update({"figure.dpi": 100, "font.size": 10, "axes.grid": True})
    if lang == "ja":
        plt.rcParams["font.family"] = [japanese_font(), "DejaVu Sans"]
    else:
        plt.rcParams["font.family"] = ["DejaVu Sans"]
    return plt


def figure_name(name: str, lang: str) -> str:
    """``activations.png`` in English, ``activations-ja.png`` in Japanese."""
    return f"{name}.png" if lang == "en" else f"{name}-{lang}.png"


def _save(fig, name: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    write_if_changed(OUT / name, buffer.getvalue())
    return name


def _grid(lo: float, hi: float, n: int = 401) -> list[float]:
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


TITLES_JA = {"step": "ステップ関数", "sigmoid": "シグモイド関数", "tanh": "tanh",
             "relu": "ReLU", "identity": "線形関数"}  # fmt: skip


def activations(lang: str = "en") -> str:
    from nnref.reference import ACTIVATIONS
    from nnref.reference.activations import relu_derivative

    plt = _pyplot(lang)
    us = _grid(-4.0, 4.0)
    names = ("step", "sigmoid", "tanh", "relu", "identity")
    fig, grid = plt.subplots(2, 3, figsize=(11, 6.4))
    axes = list(grid.flat)
    axes[-1].axis("off")  # five activations on a 2 x 3 grid
    for ax, name in zip(axes, names, strict=False):
        act = ACTIVATIONS[name]
        ys = act.f(us)
        ax.plot(us, ys, label="f(u)", color="tab:blue")
        if name == "step":
            ax.text(
                0.05,
                0.55,
                tr(
                    lang,
                    "f' does not exist at 0\n(not trainable, S5)",
                    "0 で f' は存在しない\n（学習できない、S5）",
                ),
                fontsize=8,
                transform=ax.transAxes,
            )
        else:
            derivative = relu_derivative(us, ys, 1.0) if name == "relu" else act.derivative(us, ys)
            ax.plot(us, derivative, label="f'(u)", color="tab:orange", linestyle="--")
        if name == "relu":
            ax.plot([0.0], [1.0], "o", color="tab:orange", markersize=4)
            ax.text(0.3, 0.85, tr(lang, "f'(0) = 1 (S8)", "f'(0) = 1（S8）"), fontsize=8)
        ax.set_title(tr(lang, name, TITLES_JA[name]))
        ax.set_xlabel("u")
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return _save(fig, figure_name("activations", lang))


def softmax(lang: str = "en") -> str:
    from nnref.reference import softmax as softmax_fn

    plt = _pyplot(lang)
    logits = [3.0, 0.0, -1.0]
    ys = softmax_fn(logits)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    labels = ["u1", "u2", "u3"]
    ax1.bar(labels, logits, color="tab:gray")
    ax1.set_title(tr(lang, "logits u (D_softmax)", "ロジット u（D_softmax）"))
    ax2.bar(["y1", "y2", "y3"], ys, color="tab:blue")
    for i, y in enumerate(ys):
        ax2.text(i, y + 0.02, f"{y:.11f}", ha="center", fontsize=8)
    ax2.set_ylim(0, 1.1)
    ax2.set_title(tr(lang, f"softmax(u): sums to {sum(ys):.15g} (S10)",
                     f"softmax(u): 和は {sum(ys):.15g}（S10）"))  # fmt: skip
    return _save(fig, figure_name("softmax", lang))


@cache
def iris_history():
    """The per-epoch history of ``nnref.reference.training.train`` on iris (the defaults)."""
    try:
        from nnref.reference.datasets import load
        from nnref.reference.training import TrainConfig, train
    except ImportError as exc:
        raise DocsBuildError(f"the training API is not importable: {exc}") from exc
    config = TrainConfig(hidden=(16,))
    result = train(load("iris"), config)
    return config, result


def iris_training(lang: str = "en") -> str:
    plt = _pyplot(lang)
    config, result = iris_history()
    epochs = [h["epoch"] for h in result.history]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.4))
    ax1.plot(epochs, [h["loss"] for h in result.history], color="tab:red")
    ax1.set_xlabel(tr(lang, "epoch", "エポック"))
    ax1.set_ylabel(tr(lang, "mean cross-entropy (training)", "Cross-entropy関数の平均（訓練）"))
    ax1.set_yscale("log")
    ax2.plot(
        epochs, [h["train_accuracy"] for h in result.history], label=tr(lang, "training", "訓練")
    )
    ax2.plot(epochs, [h["test_accuracy"] for h in result.history], label=tr(lang, "test", "テスト"))
    ax2.axhline(
        result.baseline,
        color="gray",
        linestyle=":",
        label=tr(lang, "majority baseline", "最も多いクラスを答えた場合"),
    )
    ax2.set_xlabel(tr(lang, "epoch", "エポック"))
    ax2.set_ylabel(tr(lang, "accuracy", "正解率"))  # fmt: skip
    ax2.set_ylim(0, 1.02)
    ax2.legend(loc="lower right", fontsize=8)
    hidden = "-".join(str(n) for n in config.hidden)
    fig.suptitle(
        tr(lang,
           f"iris: 4-{hidden}-3, {config.activation}, {config.optimizer} lr={config.lr}, "
           f"seed {config.seed}; test accuracy {result.test_accuracy:.3f}",
           f"iris: 4-{hidden}-3、{config.activation}、{config.optimizer} 学習率 {config.lr}、"
           f"シード {config.seed}。テストの正解率 {result.test_accuracy:.3f}"),
        fontsize=10,
    )  # fmt: skip
    return _save(fig, figure_name("iris_training", lang))


@cache
def descent_path(lr: float = 1.0, steps: int = 12, start: float = -3.0):
    """SGD on one weight of the tutorial network: (w, E) after each step (S22).

    The weight is W3[1][0] (neuron d -> output f); the other weights stay fixed.
    """
    from nnref import reference
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X

    def with_weight(w: float) -> list[dict]:
        layers = reference.tutorial_layers()
        layers[2]["W"][1][0] = w
        return layers

    def loss(w: float) -> float:
        return reference.loss_value(with_weight(w), TUTORIAL_X, TUTORIAL_T, "cross_entropy")

    path, w = [], start
    for _ in range(steps + 1):
        path.append((w, loss(w)))
        grad = reference.gradients(with_weight(w), TUTORIAL_X, TUTORIAL_T, "cross_entropy")
        (w,) = reference.sgd_step([w], [grad[2]["W"][1][0]], lr)
    assert TUTORIAL_LAYERS[2]["W"][1][0] == 1.0  # the original stays untouched
    return path, loss


def gradient_descent(lang: str = "en") -> str:
    plt = _pyplot(lang)
    path, loss = descent_path()
    ws = _grid(-4.0, 6.0, 201)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(ws, [loss(w) for w in ws], color="tab:blue", label="E(w)")
    steps_label = tr(lang, "SGD steps (lr = 1)", "SGD のステップ（学習率 1）")
    xs, es = zip(*path, strict=True)
    ax.plot(xs, es, "o", color="tab:red", markersize=4, label=steps_label)
    for (w0, e0), (w1, e1) in itertools.pairwise(path):
        ax.annotate(
            "",
            xy=(w1, e1),
            xytext=(w0, e0),
            arrowprops={"arrowstyle": "->", "color": "tab:red", "lw": 0.8},
        )
    ax.axvline(
        1.0,
        color="gray",
        linestyle=":",
        label=tr(lang, "tutorial's value w = 1", "チュートリアルの値 w = 1"),
    )
    ax.set_xlabel(
        tr(lang, "w (weight from neuron d to output f)", "w（ニューロン d から出力 f への重み）")
    )
    ax.set_ylabel(tr(lang, "E (cross-entropy, tutorial sample)",
                     "E（Cross-entropy関数、チュートリアルのサンプル）"))  # fmt: skip
    ax.legend(fontsize=8)
    return _save(fig, figure_name("gradient_descent", lang))


@cache
def vanishing_ratios(depth: int = 10) -> list[tuple[int, float]]:
    """|dE/dx| / |dE/dy| through k sigmoid layers of width 1, weight 1 (S21), k = 1..depth."""
    from nnref import reference

    out = []
    for k in range(1, depth + 1):
        layers = [{"W": [[1.0]], "b": [0.0], "activation": "sigmoid"} for _ in range(k)]
        layers.append({"W": [[1.0]], "b": [0.0], "activation": "identity"})
        grads = reference.gradients(layers, [0.0], [1.0], "squared_error")
        top = grads[-1]["b"][0]  # -delta of the identity output
        first = grads[0]["b"][0]  # -delta of the first sigmoid layer
        out.append((k, abs(first / top)))
    return out


def vanishing_gradient(lang: str = "en") -> str:
    plt = _pyplot(lang)
    ratios = vanishing_ratios()
    ks = [k for k, _ in ratios]
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.semilogy(
        ks,
        [r for _, r in ratios],
        "o-",
        label=tr(
            lang,
            "reference: sigmoid stack, x = 0, w = 1, b = 0",
            "参照実装: シグモイドの層を重ねたもの、x = 0、w = 1、b = 0",
        ),
    )
    ax.semilogy(
        ks,
        [0.25**k for k in ks],
        "--",
        color="gray",
        label=tr(lang, "bound (1/4)^k (S21)", "上限 (1/4)^k（S21）"),
    )
    ax.set_xlabel(tr(lang, "number of sigmoid layers k", "シグモイドの層の数 k"))
    ax.set_ylabel(tr(lang, "gradient ratio (first layer / output)",
                     "勾配の比（最初の層 / 出力）"))  # fmt: skip
    ax.legend(fontsize=8)
    return _save(fig, figure_name("vanishing_gradient", lang))


FIGURES = (activations, softmax, iris_training, gradient_descent, vanishing_gradient)


def draw_all() -> list[str]:
    return [draw(lang) for draw in FIGURES for lang in LANGS]


@generator("iris_summary")
def iris_summary(lang: str, arg: str | None) -> str:
    from nnref_docs.i18n import tr

    config, result = iris_history()
    last = result.history[-1]
    hidden = ", ".join(str(n) for n in config.hidden)
    return tr(
        lang,
        f"Configuration (the defaults of `nnref train iris`): hidden layers ({hidden}), "
        f"{config.activation}, {config.optimizer} with learning rate {config.lr}, "
        f"{config.epochs} epochs, batch size {config.batch_size}, seed {config.seed}. "
        f"{result.n_train} training and {result.n_test} test samples. Final training loss "
        f"{last['loss']:.4f}; test accuracy **{result.test_accuracy:.3f}** "
        f"(majority-class baseline {result.baseline:.3f}).",
        f"設定（`nnref train iris` の既定値）: 中間層 ({hidden})、{config.activation}、"
        f"{config.optimizer}（学習率 {config.lr}）、{config.epochs} エポック、"
        f"バッチサイズ {config.batch_size}、シード {config.seed}。訓練データ {result.n_train} 件、"
        f"テストデータ {result.n_test} 件。最終的な訓練損失 {last['loss']:.4f}、"
        f"テスト正解率 **{result.test_accuracy:.3f}**"
        f"（多数派クラスの基準 {result.baseline:.3f}）。",
    )


@generator("descent_summary")
def descent_summary(lang: str, arg: str | None) -> str:
    from nnref_docs.fmt import table
    from nnref_docs.i18n import tr

    path, _ = descent_path()
    rows = [[str(i), f"{w:.6f}", f"{e:.6f}"] for i, (w, e) in enumerate(path)]
    return table([tr(lang, "step", "ステップ"), "w", "E(w)"], rows)


@generator("vanishing_summary")
def vanishing_summary(lang: str, arg: str | None) -> str:
    from nnref_docs.fmt import table
    from nnref_docs.i18n import tr

    rows = [[str(k), f"{r:.6e}", f"{0.25**k:.6e}"] for k, r in vanishing_ratios()]
    return table([tr(lang, "layers k", "層数 k"), tr(lang, "ratio", "比"), "(1/4)^k"], rows)
