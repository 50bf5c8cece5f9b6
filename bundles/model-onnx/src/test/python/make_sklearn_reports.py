"""Writes src/test/resources/sklearn-reports/: per case NAME.json (labels, y_true, y_pred and scikit-learn's
confusion_matrix) and NAME.txt (scikit-learn's classification_report text, byte for byte), so the Java
report (ClassificationReport) can be compared character for character.

Called as the training pipelines call it (models/garbage-mobilenet/train.py): every label of the card is
passed, labels=list(range(len(names))), target_names=names, default digits=2 and zero_division.

Run with Debian's Python (python3-sklearn): /usr/bin/python3 make_sklearn_reports.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "sklearn-reports")


def case(name, names, y_true, y_pred):
    labels = list(range(len(names)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zero_division warnings are the point of some cases
        report = metrics.classification_report(y_true, y_pred, labels=labels, target_names=names)
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=labels)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "names": names, "yTrue": [int(v) for v in y_true],
                   "yPred": [int(v) for v in y_pred], "matrix": matrix.tolist()}, f)
        f.write("\n")
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write(report)
    print(name)


def random_case(name, seed, classes, n, skill):
    rng = np.random.default_rng(seed)
    names = ["class_%d" % i for i in range(classes)]
    y_true = rng.integers(0, classes, n)
    y_pred = np.where(rng.random(n) < skill, y_true, rng.integers(0, classes, n))
    case(name, names, y_true.tolist(), y_pred.tolist())


os.makedirs(OUT, exist_ok=True)
# Two classes, one mistake each way.
case("binary", ["ok", "defect"], [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1, 1, 0])
# 'dent' is never predicted: precision 0/0 -> 0.00 (zero_division="warn" behaves as 0).
case("never-predicted", ["none", "scratch", "dent"],
     [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1], [0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1])
# Label names longer than 'weighted avg' widen the first column.
case("long-names", ["ok", "missing_solder_joint_left_side", "tombstoned_capacitor"],
     [0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 1], [0, 1, 2, 1, 1, 0, 0, 2, 2, 1, 1])
# A label with no images and no predictions: the set of labels differs from the data's, so sklearn
# prints 'micro avg' instead of 'accuracy'.
case("label-without-images", ["ok", "defect", "unknown"], [0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
# A label with no images that is predicted: support 0, precision 0.
case("predicted-without-images", ["ok", "defect", "unknown"], [0, 0, 1, 1, 1, 0], [0, 2, 1, 1, 2, 0])
# Everything right.
case("perfect", ["ok", "defect"], [0, 1, 0, 1, 1], [0, 1, 0, 1, 1])
# No prediction right: sklearn's counts become float64 and supports print as "2.0".
case("all-wrong", ["ok", "defect"], [0, 0, 1], [1, 1, 0])
# Exact binary ties: 0.125 -> 0.12 and 0.875 -> 0.88 (round half to even), 0.625 -> 0.62.
case("rounding-ties", ["a", "b"], [0] + [1] * 15, [0] * 8 + [1] * 8)
# Values that land near rounding ties, and more than eight classes (numpy's pairwise sums).
random_case("random-3", 11, 3, 40, 0.6)
random_case("random-7", 12, 7, 333, 0.5)
random_case("random-12", 13, 12, 1000, 0.7)
random_case("random-20", 14, 20, 257, 0.3)
random_case("random-40", 15, 40, 2000, 0.8)
