"""Fit the duplicate check's score model on the training half of the labelled set.

    python bench/dedup/fit.py [--workdir /tmp/hdcat-dedup] [--synthetic 5000] [--seed 1]

For every training query (seed 1), every candidate the index compares is an example: its
features (hdcat.dedup_features.FEATURES) and whether it is a true duplicate. A logistic
regression with a small L2 penalty is fitted by Newton's method (IRLS; pure Python, 20-odd
weights), then the duplicate threshold is the lowest that keeps the band's precision on the
training queries at --precision or more. Prints the weights to paste into
hdcat/dedup_features.py (INTERCEPT, WEIGHTS, DUPLICATE_AT).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import labelled  # noqa: E402

from hdcat.dedup_features import FEATURES  # noqa: E402


def examples(index, catalog, queries: list[dict]) -> list[tuple[str, list[float], int]]:  # noqa: ANN001
    out = []
    for q in queries:
        gold = set(q["gold"])
        for m in index.check(q["plan"], limit=10000, catalog=catalog):
            x = [m.features.get(k, 0.0) for k in FEATURES]
            out.append((q["id"], x, int(m.dataset in gold)))
    return out


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b (Gaussian elimination with partial pivoting)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col and m[r][col]:
                factor = m[r][col] / m[col][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(data: list[tuple[str, list[float], int]], l2: float = 0.5,
        iterations: int = 25) -> list[float]:
    """Logistic regression weights [intercept, w...] by IRLS with an L2 penalty."""
    xs = [[1.0, *x] for _q, x, _y in data]
    ys = [y for _q, _x, y in data]
    k = len(xs[0])
    w = [0.0] * k
    for _ in range(iterations):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, y in zip(xs, ys, strict=True):
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - y
            s = p * (1 - p)
            for i in range(k):
                if x[i]:
                    grad[i] += g * x[i]
                    xi_s = x[i] * s
                    row = hess[i]
                    for j in range(k):
                        if x[j]:
                            row[j] += xi_s * x[j]
        for i in range(1, k):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        hess[0][0] += 1e-6
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def threshold(data: list[tuple[str, list[float], int]], w: list[float], target: float) -> float:
    scored = []
    for _q, x, y in data:
        z = w[0] + sum(wi * xi for wi, xi in zip(w[1:], x, strict=True))
        scored.append((1 / (1 + math.exp(-max(-30.0, min(30.0, z)))), y))
    best = 0.99
    positives = sum(y for _p, y in scored)
    for t in [i / 100 for i in range(99, 10, -1)]:
        tp = sum(1 for p, y in scored if p >= t and y)
        fp = sum(1 for p, y in scored if p >= t and not y)
        if t * 100 % 5 == 0:
            print(f"  at {t:.2f}: precision {tp / max(1, tp + fp):.3f} recall "
                  f"{tp / max(1, positives):.3f}", file=sys.stderr)
        if tp + fp and tp / (tp + fp) >= target:
            best = t
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default="/tmp/hdcat-dedup")
    parser.add_argument("--synthetic", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--l2", type=float, default=0.5)
    args = parser.parse_args(argv)

    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.dedup import dedup_index
    from hdcat.store import EmbeddedStore

    data_dir = labelled.build_catalog(Path(args.workdir), args.synthetic)
    catalog = Catalog(Settings(data_dir=data_dir), EmbeddedStore(data_dir / "store"))
    index = dedup_index(catalog, fresh=False)
    data = examples(index, catalog, labelled.labelled_set(args.synthetic, args.seed))
    positives = sum(y for _q, _x, y in data)
    print(f"{len(data)} examples, {positives} true duplicates", file=sys.stderr)
    w = fit(data, l2=args.l2)
    t = threshold(data, w, args.precision)
    worst = sorted(((w[0] + sum(a * b for a, b in zip(w[1:], x, strict=True)), q, x)
                    for q, x, y in data if not y), reverse=True)[:15]
    for z, q, x in worst:
        shown = {k: round(v, 2) for k, v in zip(FEATURES, x, strict=True) if v}
        print(f"  negative {q} z={z:.2f} {shown}", file=sys.stderr)
    missed = sorted((w[0] + sum(a * b for a, b in zip(w[1:], x, strict=True)), q, x)
                    for q, x, y in data if y)[:25]
    for z, q, x in missed:
        shown = {k: round(v, 2) for k, v in zip(FEATURES, x, strict=True) if v}
        print(f"  missed {q} z={z:.2f} {shown}", file=sys.stderr)
    print(f"INTERCEPT = {w[0]:.2f}")
    print("WEIGHTS: dict[str, float] = {")
    for name, value in zip(FEATURES, w[1:], strict=True):
        print(f'    "{name}": {value:.2f},')
    print("}")
    print(f"DUPLICATE_AT = {t:.2f}")
    catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
