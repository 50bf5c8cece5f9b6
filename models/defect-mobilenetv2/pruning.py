"""Global unstructured magnitude pruning of a PyTorch network, one-shot or iterative.

Pruning masks the weights of smallest magnitude over all Conv2d and Linear layers together (one global
threshold, so layers with many small weights lose more of them than layers whose weights matter),
then the network is fine-tuned with the mask held fixed, and finally the mask is made permanent
(prune.remove): the weights become plain tensors with zeros in them, which is what ONNX exports.

Biases and batch norm parameters stay dense; the ONNX export folds batch norm into the convolutions,
which scales each output channel's weights and keeps the zeros zero.

Fine-tuning is a callback, fine_tune(model, epochs, label) -> (history, seconds), so this module only
knows about pruning; train.py supplies the training loop.
"""

import importlib

# One-shot: prune to the target at once, then fine-tune.
ONE_SHOT_FINE_TUNE_EPOCHS = 2
# Iterative: ITERATIVE_ROUNDS x (prune a step further, fine-tune ITERATIVE_EPOCHS_PER_ROUND), the
# targets rising linearly (for 50 %: 16.7 %, 33.3 %, 50 %).
ITERATIVE_ROUNDS = 3
ITERATIVE_EPOCHS_PER_ROUND = 1
# Fine-tunes start from a trained network: a third of the dense training's peak rate, short warm-up.
FINE_TUNE_MAX_LR = 1e-3
FINE_TUNE_PCT_START = 0.1


def _prune(torch):
    # torch.nn.utils does not import its prune submodule by itself.
    return importlib.import_module("torch.nn.utils.prune")


def prunable_weights(torch, model):
    """(module, "weight") of every Conv2d and Linear layer: what global pruning ranks together."""
    kinds = (torch.nn.Conv2d, torch.nn.Linear)
    return [(module, "weight") for module in model.modules() if isinstance(module, kinds)]


def prune_to(torch, targets, sparsity):
    """Masks further weights, smallest |w| across all targets first, until `sparsity` of them are masked.

    Weights masked in an earlier round stay masked: global_unstructured ranks only the unmasked ones,
    so the amount passed is the number still to mask.
    """
    prune = _prune(torch)
    total = sum(getattr(module, name).numel() for module, name in targets)
    masked = sum(int((getattr(module, name + "_mask") == 0).sum())
                 for module, name in targets if hasattr(module, name + "_mask"))
    amount = round(sparsity * total) - masked
    if amount > 0:
        prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=amount,
                                  importance_scores={t: _current_weight(*t) for t in targets})


def _current_weight(module, name):
    """The weight as the next forward pass will see it, contiguous.

    Once pruned, `module.weight` is only recomputed (weight_orig * weight_mask) by the next forward
    pass, so after an optimizer step it is stale; and after channels_last training it cannot be
    flattened with view(), which global_unstructured does.
    """
    if hasattr(module, name + "_orig"):
        weight = getattr(module, name + "_orig") * getattr(module, name + "_mask")
    else:
        weight = getattr(module, name)
    return weight.detach().contiguous()


def make_permanent(torch, targets):
    """Folds each mask into its weight and drops the re-parametrisation (weight_orig, weight_mask)."""
    for module, name in targets:
        _prune(torch).remove(module, name)


def weight_sparsity(targets):
    """Fraction of zeros over the targets' weights."""
    total = sum(getattr(module, name).numel() for module, name in targets)
    zeros = sum(int((getattr(module, name) == 0).sum()) for module, name in targets)
    return zeros / total


def one_shot(torch, model, sparsity, fine_tune):
    """Prunes to `sparsity` at once, fine-tunes; returns (history, fine-tune epochs)."""
    targets = prunable_weights(torch, model)
    prune_to(torch, targets, sparsity)
    history, _ = fine_tune(model, ONE_SHOT_FINE_TUNE_EPOCHS, "one-shot {:.0%}".format(sparsity))
    make_permanent(torch, targets)
    return history, ONE_SHOT_FINE_TUNE_EPOCHS


def iterative(torch, model, sparsity, fine_tune):
    """Rounds of (prune a step further, fine-tune) up to `sparsity`; returns (history, fine-tune epochs)."""
    targets = prunable_weights(torch, model)
    history = []
    for step in range(1, ITERATIVE_ROUNDS + 1):
        target = sparsity * step / ITERATIVE_ROUNDS
        prune_to(torch, targets, target)
        label = "iterative round {}/{} {:.1%}".format(step, ITERATIVE_ROUNDS, target)
        round_history, _ = fine_tune(model, ITERATIVE_EPOCHS_PER_ROUND, label)
        history.extend(dict(entry, round=step, roundSparsity=target) for entry in round_history)
    make_permanent(torch, targets)
    return history, ITERATIVE_ROUNDS * ITERATIVE_EPOCHS_PER_ROUND


METHODS = {"one-shot": one_shot, "iterative": iterative}


def settings(method):
    """What a pruned variant depends on besides the dense weights; part of its checkpoint stamp."""
    common = {"criterion": "global L1 unstructured", "scope": "Conv2d+Linear weights",
              "maxLr": FINE_TUNE_MAX_LR, "pctStart": FINE_TUNE_PCT_START}
    if method == "one-shot":
        return dict(common, epochs=ONE_SHOT_FINE_TUNE_EPOCHS)
    return dict(common, rounds=ITERATIVE_ROUNDS, epochsPerRound=ITERATIVE_EPOCHS_PER_ROUND)
