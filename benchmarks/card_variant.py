"""Writes a variant of a model package that differs only in its card: /usr/bin/python3 card_variant.py SRC DST PATCH

PATCH is a JSON merge patch (RFC 7386: objects merge, null removes a field) applied to SRC/model.json and
written to DST/model.json. Everything else in SRC (the model file, golden/) is linked, not copied: the card's
sha256 is of the model file only, so the variant loads the same network with another preprocessing recipe.
DST is rewritten on every call, so a variant never keeps a stale card.
"""
import json
import os
import shutil
import sys


def merge(target, patch):
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge(result.get(key), value)
    return result


source, target, patch = os.path.abspath(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
with open(os.path.join(source, "model.json")) as f:
    card = json.load(f)
os.makedirs(target, exist_ok=True)
for name in os.listdir(source):
    if name == "model.json":
        continue
    link = os.path.join(target, name)
    if os.path.isdir(link) and not os.path.islink(link):
        shutil.rmtree(link)
    elif os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.join(source, name), link)
with open(os.path.join(target, "model.json"), "w") as f:
    json.dump(merge(card, patch), f, indent=2)
