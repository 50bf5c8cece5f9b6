#!/usr/bin/python3
"""Reference drift figures made by numpy and scipy themselves, for DriftParityTest.

usage: drift_references.py OUT_DIR
Writes cases.txt: per case one line "name", then the reference sample, the current sample (one line each, values
as repr floats separated by spaces), then "psi <value>" (numpy: np.histogram with 10 bins on [0, 1], shares floored
at 1e-4, sum((a - e) * log(a / e))) and "ks <value>" (scipy.stats.ks_2samp(reference, current).statistic).
"""
import os
import sys

import numpy as np
from scipy import stats

BINS, LO, HI, FLOOR = 10, 0.0, 1.0, 1e-4


def psi(reference, current):
    e = np.histogram(reference, bins=BINS, range=(LO, HI))[0] / len(reference)
    a = np.histogram(current, bins=BINS, range=(LO, HI))[0] / len(current)
    e = np.maximum(e, FLOOR)
    a = np.maximum(a, FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def cases():
    rng = np.random.default_rng(20261207)
    # a confident classifier, then the same, then one that lost confidence (a changed lighting, a new product)
    yield 'same model, two windows', rng.beta(8, 2, 2000), rng.beta(8, 2, 2000)
    yield 'confidence dropped', rng.beta(8, 2, 2000), rng.beta(4, 2, 1500)
    yield 'a second mode appeared', rng.beta(8, 2, 1000), np.concatenate([rng.beta(8, 2, 700), rng.beta(2, 5, 300)])
    # values exactly on bin edges, at 0 and 1, and many ties (confidences rounded as a quantized model gives them)
    edges = np.linspace(0.0, 1.0, 11)
    yield 'edges and ends', np.concatenate([edges, edges, rng.random(50)]), np.concatenate([edges[3:], rng.random(80)])
    yield 'ties', np.round(rng.beta(5, 2, 600), 2), np.round(rng.beta(5, 3, 400), 2)
    yield 'an empty bin on one side', rng.uniform(0.5, 1.0, 500), rng.uniform(0.0, 1.0, 500)
    yield 'small samples', rng.random(7), rng.random(5)
    yield 'values outside the range', np.concatenate([rng.random(100), [-0.5, 1.5]]), rng.random(120)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'cases.txt'), 'w') as f:
        for name, reference, current in cases():
            f.write(name + '\n')
            f.write(' '.join(repr(float(v)) for v in reference) + '\n')
            f.write(' '.join(repr(float(v)) for v in current) + '\n')
            f.write('psi %r\n' % psi(reference, current))
            f.write('ks %r\n' % float(stats.ks_2samp(reference, current).statistic))


if __name__ == '__main__':
    main()
