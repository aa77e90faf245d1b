"""Initialization (S24-S26, E2), determinism, and the JSON save format."""

import json
import math
import os
import random
import re
import statistics

import pytest

from nnref import reference as r
from nnref.reference.errors import DataError
from nnref.reference.init import weight_scale
from nnref.reference.serialize import write_atomically
from nnref.reference.training import report


@pytest.mark.spec("S25")
def test_S25_box_muller_at_known_uniforms():
    assert r.box_muller(1.0, 0.3) == 0.0
    assert r.box_muller(math.exp(-0.5), 0.0) == pytest.approx(1.0)  # sqrt(-2 ln x) = 1, cos 0 = 1
    assert r.box_muller(math.exp(-2.0), 0.5) == pytest.approx(-2.0)


@pytest.mark.spec("S25")
@pytest.mark.parametrize("x", [0.0, -0.1, 1.5])
def test_S25_box_muller_rejects_x_outside_unit_interval(x):
    with pytest.raises(r.NetworkError, match="x must lie in"):
        r.box_muller(x, 0.5)


@pytest.mark.spec("S25")
def test_S25_gaussian_is_standard_normal():
    rng = random.Random(1)
    z = [r.gaussian(rng) for _ in range(20000)]
    assert abs(statistics.fmean(z)) < 0.03
    assert abs(statistics.pvariance(z) - 1.0) < 0.04


@pytest.mark.spec("S25")
def test_S25_first_uniform_never_zero():
    class ZeroRandom(random.Random):
        def random(self):
            return 0.0

    assert math.isfinite(r.gaussian(ZeroRandom()))


@pytest.mark.spec("S24", "E2")
@pytest.mark.parametrize(("activation", "variance"), [("relu", 2 / 50), ("sigmoid", 1 / 50)])
def test_S24_E2_weight_scale_is_a_standard_deviation(activation, variance):
    layers = r.init_layers([50, 400], [activation], random.Random(7))
    weights = [w for row in layers[0]["W"] for w in row]
    assert weight_scale(50, activation) ** 2 == pytest.approx(variance)
    assert statistics.pvariance(weights) == pytest.approx(variance, rel=0.05)


@pytest.mark.spec("S26")
def test_S26_thresholds_start_at_zero():
    layers = r.init_layers([3, 4, 2], ["relu", "softmax"], random.Random(0))
    assert all(b == 0.0 for layer in layers for b in layer["b"])


@pytest.mark.spec("S24")
def test_S24_same_seed_same_network_different_seed_different():
    a = r.init_layers([4, 8, 3], ["relu", "softmax"], random.Random(3))
    b = r.init_layers([4, 8, 3], ["relu", "softmax"], random.Random(3))
    c = r.init_layers([4, 8, 3], ["relu", "softmax"], random.Random(4))
    assert a == b and a != c


@pytest.mark.spec("S23")
def test_S23_save_load_round_trip_is_bit_exact(tmp_path):
    layers = r.init_layers([4, 5, 3], ["tanh", "softmax"], random.Random(11))
    opt = r.Adam()
    for _ in range(3):
        opt.step(
            layers, r.gradients(layers, [0.1, -0.2, 0.3, 0.4], [0.0, 0.0, 1.0], "cross_entropy")
        )
    path = tmp_path / "net.json"
    r.save_network(str(path), layers, optimizer=opt.state(), extra={"classes": ["a", "b", "c"]})
    loaded = r.load_network(str(path))
    assert loaded["layers"] == layers  # == on floats: bit-exact
    assert loaded["optimizer"] == json.loads(json.dumps(opt.state()))
    assert loaded["extra"] == {"classes": ["a", "b", "c"]}


def test_save_to_unwritable_path_keeps_nothing_half_written(tmp_path):
    with pytest.raises(r.NetworkError, match="cannot write"):
        r.save_network(str(tmp_path / "missing" / "net.json"), r.tutorial_layers())
    target = tmp_path / "net.json"
    target.write_text("precious")
    bad = r.tutorial_layers()
    bad[0]["W"][0][0] = float("nan")
    with pytest.raises(r.NetworkError, match="NaN"):
        r.save_network(str(target), bad)
    assert target.read_text() == "precious"
    assert os.listdir(tmp_path) == ["net.json"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [("näive\n", "näive\n".encode()), (b"\x89PNG\r\n", b"\x89PNG\r\n")],
    ids=["text-as-utf8", "bytes-as-they-are"],
)
def test_write_atomically_writes_text_and_bytes_and_leaves_no_temporary_file(
    tmp_path, content, expected
):
    target = tmp_path / "out"
    target.write_text("old")
    write_atomically(str(target), content)
    assert target.read_bytes() == expected
    assert os.listdir(tmp_path) == ["out"]


@pytest.mark.parametrize("error", [r.NetworkError, DataError], ids=["serialize", "training"])
def test_write_atomically_failures_name_the_path_and_keep_the_old_file(tmp_path, error):
    write = write_atomically if error is r.NetworkError else report.write_atomically
    missing = tmp_path / "missing" / "out.json"
    no_folder = rf"^cannot write {re.escape(str(missing))}: No such file or directory$"
    with pytest.raises(error, match=no_folder):
        write(str(missing), b"x")
    (tmp_path / "folder").mkdir()
    with pytest.raises(error, match=r"^cannot write .*folder: Is a directory$"):
        write(str(tmp_path / "folder"), b"x")
    assert os.listdir(tmp_path) == ["folder"]  # the temporary file was removed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "not an nnref network file"),
        ('{"format": "nnref-network", "version": 9}', "unsupported network file version 9"),
        ('{"format": "nnref-network", "version": 1, "layers": []}', "non-empty list"),
        (
            '{"format": "nnref-network", "version": 1, "layers": '
            '[{"W": [[NaN]], "b": [0], "activation": "relu"}]}',
            "may not contain NaN",
        ),
        (
            '{"format": "nnref-network", "version": 1, "layers": '
            '[{"W": [[1.0, 2.0]], "b": [0.0], "activation": "relu"}]}',
            r"W\[0\] has 2 columns but b has 1 entries",  # the shapes are checked on load
        ),
    ],
)
def test_load_rejects_bad_files_in_one_line(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(r.NetworkError, match=message):
        r.load_network(str(path))


@pytest.mark.spec("S24")
def test_S24_init_layers_names_an_unknown_activation_before_drawing_anything():
    rng = random.Random(1)
    with pytest.raises(r.NetworkError, match="nope"):
        r.init_layers([2, 3], ["nope"], rng)
    assert rng.random() == random.Random(1).random()  # nothing was drawn


@pytest.mark.spec("S23")
def test_S23_an_adam_optimizer_comes_back_from_its_state_as_it_was():
    from nnref.reference.optimizers import optimizer_from_state

    adam = r.Adam(lr=0.01, beta1=0.8, beta2=0.95, eps=1e-6)
    adam.t, adam.m, adam.v = 3, [{"W": [[0.5]], "b": [0.25]}], [{"W": [[0.1]], "b": [0.2]}]
    back = optimizer_from_state(json.loads(json.dumps(adam.state())))
    assert back.state() == adam.state()
    assert (back.lr, back.beta1, back.beta2, back.eps) == (0.01, 0.8, 0.95, 1e-6)
