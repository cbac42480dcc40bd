#!/usr/bin/env python3
"""The parity check with PyTorch: trains our `default` CNN in PyTorch with the recipe of our CLI's
parity runs (docs/models.md, "Parity with PyTorch") and prints the test accuracy after every epoch, one
JSON object per line, so the two sides can be compared on the same data, seed and budget.

  python3 scripts/peers/pytorch_parity.py ../shared/peers/pytorch_fmnist.py --seed 1
  python3 scripts/peers/pytorch_parity.py ../shared/peers/pytorch_fmnist.py --like-ours   # tfjs's differences

The recipe: Adam, a linear warm-up over the first `--warmup` of the steps, then a cosine to zero,
stepped per batch as our core's scheduledLearningRate does. `--like-ours` turns on, together, the
small ways our core still differs from PyTorch's defaults: biases start at 0, Adam's epsilon is
1e-7, and the loss is taken from softmax probabilities clipped to [1e-7, 1] (as Keras does)
rather than from the logits.
"""
import argparse, json, math, os, sys, time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_zoo import load_peer  # noqa: E402


def learning_rate(step, steps, peak, warmup):
    """src/core/training/optimizer.ts's scheduledLearningRate for the cosine schedule."""
    warm = math.floor(warmup * steps)
    if step < warm:
        return peak * (step + 1) / warm
    rest = steps - warm
    return peak if rest <= 1 else 0.5 * peak * (1 + math.cos(math.pi * min(step - warm, rest) / rest))


def clipped_softmax_loss(logits, y):
    probs = torch.softmax(logits, 1).clamp(1e-7, 1.0)
    return -torch.log(probs.gather(1, y[:, None])).mean()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("peer", help="path of the shared peer, pytorch_fmnist.py")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--like-ours", action="store_true", help="zero biases, Adam eps 1e-7, clipped-softmax loss")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    peer = load_peer(a.peer)
    x, y = peer.load("train")
    xt, yt = peer.load("test")

    torch.manual_seed(a.seed)
    model = peer.MODELS["default"]()
    if a.like_ours:
        for m in model.modules():
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7 if a.like_ours else 1e-8)
    loss_fn = clipped_softmax_loss if a.like_ours else nn.CrossEntropyLoss()
    per_epoch = math.ceil(x.shape[0] / a.batch)
    steps = per_epoch * a.epochs
    step = 0
    started = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], a.batch):
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, steps, a.lr, a.warmup)
            idx = perm[i:i + a.batch]
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
            step += 1
        model.eval()
        with torch.no_grad():
            accuracy = (model(xt).argmax(1) == yt).float().mean().item()
        print(json.dumps({"peer": "pytorch-cpu", "torch": torch.__version__, "model": "default", "seed": a.seed,
                          "like_ours": a.like_ours, "epoch": epoch, "test_accuracy": round(accuracy, 4),
                          "seconds": round(time.perf_counter() - started, 1)}), flush=True)


if __name__ == "__main__":
    main()
