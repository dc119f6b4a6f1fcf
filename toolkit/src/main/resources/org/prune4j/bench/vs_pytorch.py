"""The PyTorch side of `./prune4j bench --suite vs-pytorch`: LeNet-300-100 on MNIST in a plain PyTorch loop.

The same model (784-300-100-10, ReLU, nn.Linear's default initialisation), batch, optimizer (SGD lr 0.1, momentum
0.9, weight decay 5e-4), data (the MNIST IDX files, scaled (v/255 - 0.1307)/0.3081) and thread count as the Java
side. The masked step is the authors' practice (sparselearning's Masking.step): after optimizer.step(), each
weight is multiplied by its 0/1 mask (90% pruned by magnitude per layer).

Two modes:
  worker: reads commands on stdin, one per line, and answers one line each, so the Java bench can interleave
          PyTorch's steps with its own in chunks:
            dense N | masked N   run N training steps, answer the nanoseconds they took
            profile dense N FILE the same under libtorch's profiler, its Chrome trace written to FILE
            ops N                nanoseconds per call of fc1's forward product, its weight gradient's and a ReLU
            quit
  run:    --run-epochs E [--model lenet300|mlp2048]: a whole dense training of E epochs with a test pass after each (as ./prune4j train does),
          printing one JSON line: trainSeconds (with the test passes), testAccuracy, maxRssKb.
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist(root, split):
    prefix = "train" if split == "train" else "t10k"
    images = idx(os.path.join(root, prefix + "-images-idx3-ubyte"))
    labels = idx(os.path.join(root, prefix + "-labels-idx1-ubyte")).astype(np.int64)
    # In place in float32: no float64 temporaries to inflate the peak memory this bench reports.
    x = torch.from_numpy(images.copy()).reshape(-1, 784).float().div_(255.0).sub_(0.1307).div_(0.3081)
    return x, torch.from_numpy(labels)


def mlp(hidden):
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 10))


MODELS = {"lenet300": (300, 100), "mlp2048": (2048, 2048)}


def lenet300():
    return mlp(MODELS["lenet300"])


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)


def magnitude_masks(model, sparsity):
    masks = {}
    for name, p in model.named_parameters():
        if p.dim() == 2:
            keep = int(round((1 - sparsity) * p.numel()))
            threshold = p.detach().abs().flatten().kthvalue(p.numel() - keep).values
            masks[name] = (p.detach().abs() > threshold).float()
            p.data.mul_(masks[name])
    return masks


class Stepper:
    """Training steps over a fixed permutation of the training set, batch after batch, wrapping around."""

    def __init__(self, x, y, batch, masks_sparsity=None, seed=1):
        torch.manual_seed(seed)
        self.x, self.y, self.batch = x, y, batch
        self.model = lenet300()
        self.optimizer = sgd(self.model)
        self.masks = magnitude_masks(self.model, masks_sparsity) if masks_sparsity else None
        self.params = dict(self.model.named_parameters())
        self.order = torch.randperm(len(x))
        self.at = 0

    def step(self):
        if self.at + self.batch > len(self.x):
            self.order = torch.randperm(len(self.x))
            self.at = 0
        index = self.order[self.at:self.at + self.batch]
        self.at += self.batch
        loss = F.cross_entropy(self.model(self.x[index]), self.y[index])
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        if self.masks:
            with torch.no_grad():
                for name, mask in self.masks.items():
                    self.params[name].mul_(mask)
        return loss


def worker(args):
    x, y = mnist(args.mnist, "train")
    steppers = {"dense": Stepper(x, y, args.batch), "masked": Stepper(x, y, args.batch, args.sparsity)}
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] == "profile":
            print(profile(steppers[parts[1]], int(parts[2]), parts[3]), flush=True)
            continue
        if parts[0] == "ops":
            print(" ".join(str(nanos) for nanos in time_ops(int(parts[1]))), flush=True)
            continue
        stepper, n = steppers[parts[0]], int(parts[1])
        start = time.perf_counter_ns()
        for _ in range(n):
            loss = stepper.step()
        loss.item()  # one read per chunk, as the Java side syncs once per chunk
        print(time.perf_counter_ns() - start, flush=True)


def time_ops(n):
    """Nanoseconds per call, unprofiled, of the step's largest products and one small op (LeNet-300-100's fc1)."""
    torch.manual_seed(0)
    x, w, b = torch.randn(128, 784), torch.randn(300, 784), torch.randn(300)
    g, h = torch.randn(128, 300), torch.randn(128, 300)

    def timed(op):
        for _ in range(20):
            op()
        start = time.perf_counter_ns()
        for _ in range(n):
            op()
        return (time.perf_counter_ns() - start) // n

    return [timed(lambda: F.linear(x, w, b)), timed(lambda: torch.mm(g.t(), x)), timed(lambda: torch.relu(h))]


def profile(stepper, n, path):
    """N steps under libtorch's profiler, the trace written to path; returns the steps' nanoseconds."""
    with torch.autograd.profiler.profile() as prof:
        start = time.perf_counter_ns()
        for _ in range(n):
            loss = stepper.step()
        loss.item()
        elapsed = time.perf_counter_ns() - start
    prof.export_chrome_trace(path)
    return elapsed


def run(args):
    x, y = mnist(args.mnist, "train")
    tx, ty = mnist(args.mnist, "test")
    torch.manual_seed(1)
    model = mlp(MODELS[args.model])
    optimizer = sgd(model)
    seconds = 0.0
    accuracy = 0.0
    for _ in range(args.run_epochs):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(x))
        for at in range(0, len(x), args.batch):
            index = order[at:at + args.batch]
            loss = F.cross_entropy(model(x[index]), y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(tx).argmax(1) == ty).float().mean().item()
        # The test pass counts, as it does in ./prune4j train's trainSeconds.
        seconds += time.perf_counter() - start
    print(json.dumps({"trainSeconds": seconds, "testAccuracy": accuracy,
                      "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--sparsity", type=float, default=0.9)
    parser.add_argument("--run-epochs", type=int, default=0)
    parser.add_argument("--model", choices=sorted(MODELS), default="lenet300")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    run(args) if args.run_epochs else worker(args)


if __name__ == "__main__":
    main()
