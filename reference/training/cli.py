"""``nnref train``: train the reference network on a built-in data set or a CSV file.

    nnref train iris
    nnref train wine --hidden 100,100,100,100 --epochs 50
    nnref train winequality-red.csv --target quality --save net.json --json metrics.json

Every option, every output path and the data are checked before training
starts, and every output file is written atomically after training ends, so
a failed run never destroys a file that was already there.

It sits beside the package it serves and, like it, uses the standard library
only (``--plot`` draws an SVG by hand); ``nnref.conformance.cli`` just dispatches to it.
"""

from __future__ import annotations

import argparse
import os

from nnref.reference import datasets
from nnref.reference.errors import DataError, InputError
from nnref.reference.training import TrainConfig, parse_hidden, read_csv, report, train
from nnref.reference.training.config import HIDDEN_ACTIVATIONS, OPTIMIZERS
from nnref.reference.training.plot import training_svg
from nnref.reference.training.progress import Progress

DESCRIPTION = (
    "Train the reference network (softmax output, cross-entropy loss) as a classifier on a "
    "built-in data set (iris, wine) or on a CSV file with a header row, and report train and "
    "test accuracy beside the majority-class baseline. Inputs are standardized with training "
    "statistics; the train/test split is stratified and seeded; the same seed gives "
    "bit-identical results."
)


def register(p) -> None:
    """The options; their defaults are TrainConfig's, filled in by ``run`` (None: not given)."""
    p.description = DESCRIPTION
    p.formatter_class = _DefaultsHelp
    p.add_argument("data", metavar="DATA", help="'iris', 'wine', or a CSV file (with --target)")
    p.add_argument("--target", metavar="COLUMN", help="the class column of a CSV file")
    p.add_argument(
        "--hidden",
        metavar="SIZES",
        help="hidden layer sizes, comma-separated, e.g. 100,100 (default {hidden})",
    )
    p.add_argument(
        "--activation",
        metavar="NAME",
        help="hidden activation: {activations} (default {activation})",
    )
    p.add_argument(
        "--optimizer",
        metavar="NAME",
        help="{optimizers} (default {optimizer})",
    )
    p.add_argument("--lr", type=_typed(float), help="learning rate (default {lr})")
    p.add_argument(
        "--epochs",
        type=_typed(int),
        help="passes over the training set (default {epochs})",
    )
    p.add_argument(
        "--batch-size",
        type=_typed(int),
        metavar="N",
        help="samples per step; 1 is the tutorial's one sample at a time; "
        "a batch's loss is the mean over its samples (default {batch_size})",
    )
    p.add_argument(
        "--seed",
        type=_typed(int),
        help="seed of the split, the initial weights and the sample order (default {seed})",
    )
    p.add_argument(
        "--test-fraction",
        type=_typed(float),
        metavar="F",
        help="share of each class held out for testing, in (0, 1) (default {test_fraction})",
    )
    p.add_argument(
        "--save", metavar="FILE", help="save network, optimizer state and scaling as JSON"
    )
    p.add_argument("--json", metavar="FILE", help="write final metrics and curves as JSON")
    p.add_argument(
        "--plot",
        metavar="FILE",
        help="draw the loss and accuracy curves to FILE, an SVG picture (FILE ends in .svg)",
    )
    p.set_defaults(func=run)


class _DefaultsHelp(argparse.HelpFormatter):
    """Fills ``{name}`` in the options' help from TrainConfig, importing it only for --help."""

    def _get_help_string(self, action):
        d = TrainConfig()
        values = {
            **d.to_json(),
            "hidden": ",".join(map(str, d.hidden)),
            "activations": ", ".join(HIDDEN_ACTIVATIONS),
            "optimizers": " or ".join(OPTIMIZERS),
        }
        return action.help.format(**values)


def _typed(kind):
    """An argparse type whose error is one line naming the expected kind."""

    def convert(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind.__name__}, got {text!r}") from None

    convert.__name__ = kind.__name__
    return convert


def run(args) -> int:
    """Check everything, train, print the summary, then write the requested files.

    Bad data or options raise an ``InputError`` (``DataError``, ``NetworkError``), which
    the ``nnref`` command prints as one line.
    """

    given = {
        "hidden": None if args.hidden is None else parse_hidden(args.hidden),
        "activation": args.activation,
        "optimizer": args.optimizer,
        "lr": args.lr,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "test_fraction": args.test_fraction,
    }
    config = TrainConfig(**{k: v for k, v in given.items() if v is not None}).validate()
    outputs = [path for path in (args.save, args.json, args.plot) if path]
    if len(set(map(os.path.realpath, outputs))) != len(outputs):
        raise InputError("--save, --json and --plot must name different files")
    from_file = args.data not in datasets.FILES and os.path.isfile(args.data)
    if from_file and os.path.realpath(args.data) in map(os.path.realpath, outputs):
        raise InputError(f"an output file would overwrite the data file {args.data}")
    for path in outputs:
        report.check_writable(path)
    if args.plot and not str(args.plot).lower().endswith(".svg"):
        raise InputError(
            f"--plot {args.plot}: the curves are drawn as SVG; give a file ending in .svg"
        )
    data = load_data(args.data, args.target)

    progress = Progress(config.epochs)
    try:
        result = train(data, config, on_epoch=progress.update)
    finally:
        progress.close()
    for line in report.summary(data, result):
        print(line)

    contents = {}
    if args.json:
        contents[args.json] = report.metrics_json(data, result).encode("utf-8")
    if args.plot:
        title = f"nnref train {data.name}: {result.config.optimizer}, seed {result.config.seed}"
        svg = training_svg(result.history, result.baseline, title)
        contents[args.plot] = svg.encode("utf-8")
    if args.save:
        report.save(args.save, data, result)
    for path, content in contents.items():
        report.write_atomically(path, content)
    for path in outputs:
        print(f"wrote {path}")
    return 0


def load_data(source: str, target: str | None):
    """A built-in data set by name (the name wins over a file of that name; use ./iris
    for the file), or a CSV file, which needs ``target``."""

    if source in datasets.FILES:
        if target not in (None, datasets.TARGET):
            raise DataError(
                f"the built-in data set {source!r} has the target column "
                f"{datasets.TARGET!r}, not {target!r}"
            )
        return datasets.load(source)
    if not os.path.exists(source):
        if os.sep not in source and "." not in source:
            raise DataError(
                f"unknown data set {source!r}: give one of {', '.join(datasets.FILES)}, "
                "or a CSV file with --target COLUMN"
            )
        raise DataError(f"no such file: {source}")
    if target is None:
        raise DataError(f"{source}: name its class column with --target COLUMN")
    return read_csv(source, target)
