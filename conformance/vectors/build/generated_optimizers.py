"""Generated vectors for the optimizers: SGD steps (S22), Adam steps and trajectories (S23)."""

from __future__ import annotations

from nnref.conformance.vectors.build import oracle
from nnref.conformance.vectors.build.casebuild import TOL_ADAM, call_case, case, floats
from nnref.conformance.vectors.build.sampling import vector


def optimizer_cases(ref, rng):
    for k in range(12):
        n = rng.randint(1, 6)
        w, g, lr = vector(rng, n), vector(rng, n), rng.choice((0.001, 0.01, 0.1, 0.5))
        yield call_case(
            ref,
            f"sgd_step-{k:03d}",
            ["S22"],
            "sgd_step",
            {"w": w, "g": g, "lr": lr},
            "seeded random",
            flags=["random"],
        )
    for k in range(16):
        n = rng.randint(1, 5)
        w, g, m = vector(rng, n), vector(rng, n, -1, 1), vector(rng, n, -0.5, 0.5)
        v = vector(rng, n, 0, 0.5)
        t = rng.choice((1, 2, 3, 10, 100, 1000))
        hyper = {} if k % 2 == 0 else {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}
        yield _adam_case(
            ref,
            f"adam_step-{k:03d}",
            w,
            g,
            m,
            v,
            t,
            hyper,
            "seeded random",
            ["random"] if hyper else ["random", "defaults"],
        )
    z = [0.0, 0.0]
    yield _adam_case(
        ref,
        "adam_step-zero-gradient-first",
        [0.5, -1.5],
        z,
        z,
        z,
        1,
        {},
        "a zero gradient at t = 1 with m = v = 0 leaves w unchanged",
        ["adam_zero_grad", "defaults"],
    )
    yield _adam_case(
        ref,
        "adam_step-zero-gradient-later",
        [0.5, -1.5],
        z,
        [0.1, -0.2],
        [0.01, 0.04],
        5,
        {},
        "a zero gradient still counts as a step: m, v decay and w moves",
        ["adam_zero_grad", "defaults"],
    )
    yield from _small_gradient_cases(ref)
    yield from _adam_trajectories(ref, rng)


#: Gradients about as small as eps, so eps's place (outside the root, S23) and value (1e-8)
#: and Algorithm 1's form (eps added to sqrt(v_hat), not to sqrt(v)) decide the step.
SMALL = (
    ([0.5, -1.25, 2.0], [3e-08, -1e-08, 5e-09], [0.0] * 3, [0.0] * 3, 1, {}),
    ([1.0, -0.5], [2e-08, -4e-08], [1e-08, -2e-08], [1e-16, 4e-16], 10, {}),
    (
        [0.25, 0.75, -1.5],
        [-6e-09, 1.5e-08, 0.0],
        [-5e-09, 1e-08, 2e-09],
        [4e-17, 1e-16, 9e-18],
        1000,
        {},
    ),
    ([-2.0, 0.125], [2e-06, -5e-07], [0.0, 0.0], [0.0, 0.0], 1, {"lr": 0.01, "eps": 1e-06}),
    ([0.5, 1.5], [1e-06, -3e-06], [5e-07, -1e-06], [1e-12, 4e-12], 20, {"eps": 1e-06}),
)


def _small_gradient_cases(ref):
    for k, (w, g, m, v, t, hyper) in enumerate(SMALL):
        yield _adam_case(
            ref,
            f"adam_step-small-gradient-{k:03d}",
            w,
            g,
            m,
            v,
            t,
            hyper,
            f"gradients of about {max(map(abs, g)):.0e} at t = {t}: eps decides the step size",
            ["small_gradient", *([] if hyper else ["defaults"])],
        )


def _adam_case(ref, cid, w, g, m, v, t, hyper, source, flags):
    inputs = floats({"w": w, "g": g, "m": m, "v": v}) | {"t": t} | floats(hyper)
    got = ref.adam_step(inputs["w"], inputs["g"], inputs["m"], inputs["v"], t, **floats(hyper))
    exact = oracle.adam_step(w, g, m, v, t, **hyper)
    return case(
        cid,
        ["S23"],
        "adam_step",
        inputs,
        dict(zip("wmv", got)),
        source,
        exact=dict(zip("wmv", exact)),
        tolerance=TOL_ADAM,
        flags=flags,
    )


def _adam_trajectories(ref, rng):
    for k, steps in enumerate((5, 10, 20, 8)):
        n = rng.randint(1, 4)
        w = vector(rng, n)
        grads = [vector(rng, n, -1, 1) for _ in range(steps)]
        if k % 2 == 1:
            grads[steps // 2] = [0.0] * n  # a zero gradient mid-way still counts (S23)
        hyper = {} if k < 2 else {"lr": 0.05}
        expected, exact = [], []
        wf, mf, vf = w, [0.0] * n, [0.0] * n
        we, me, ve = w, [0.0] * n, [0.0] * n
        for t, g in enumerate(grads, start=1):
            wf, mf, vf = ref.adam_step(wf, g, mf, vf, t, **hyper)
            we, me, ve = oracle.adam_step(we, g, me, ve, t, **hyper)
            expected.append({"w": wf, "m": mf, "v": vf})
            exact.append({"w": we, "m": me, "v": ve})
        yield case(
            f"adam_trajectory-{k:03d}",
            ["S23"],
            "adam_trajectory",
            floats({"w": w, "grads": grads, **hyper}),
            expected,
            f"seeded random: {steps} Adam steps from m = v = 0, t = 1 .. {steps}",
            exact=exact,
            tolerance=TOL_ADAM,
            flags=["trajectory", *(["adam_zero_grad"] if k % 2 else [])],
        )
