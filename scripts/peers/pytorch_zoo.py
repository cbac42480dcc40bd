#!/usr/bin/env python3
"""Runs the shared PyTorch peer (path given first) with our three extra models added, so that
`npm run bench` compares every model of the zoo: the compact CNN, our default CNN and the wide dense network.
Definitions mirror src/core/models/zoo.ts layer for layer.

  python3 scripts/peers/pytorch_zoo.py ../shared/peers/pytorch_fmnist.py --models default,compact
"""
import importlib.util
import sys

from torch import nn


def load_peer(path):
    """The shared peer module at `path`, with our models added to its MODELS."""
    spec = importlib.util.spec_from_file_location("pytorch_fmnist", path)
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    peer.MODELS["compact"] = lambda: nn.Sequential(
        *peer.conv(1, 16), nn.MaxPool2d(2), *peer.conv(16, 32), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 7 * 7, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 10))
    peer.MODELS["default"] = lambda: nn.Sequential(
        *conv_bn_relu(1, 16), nn.MaxPool2d(2), *conv_bn_relu(16, 32), nn.MaxPool2d(2),
        *conv_bn_relu(32, 64), nn.Flatten(), nn.Dropout(0.4),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.4), nn.Linear(128, 10))
    peer.MODELS["dense-wide"] = lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 536), nn.ReLU(), nn.Linear(536, 10))
    return peer


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


if __name__ == "__main__":
    peer = load_peer(sys.argv[1])
    sys.argv = [sys.argv[0]] + sys.argv[2:]
    peer.main()
