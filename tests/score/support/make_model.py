"""Writes small TorchScript models that break (or use) the model contract, for the CLI tests.

usage: make_model.py KIND OUT.pt   with the pool's items 1x28x28 and 10 classes.
"""
import sys

import torch


class Base(torch.nn.Module):
    def __init__(self, classes=10, dropout=0.0):
        super().__init__()
        self.fc = torch.nn.Linear(28 * 28, 16)
        self.out = torch.nn.Linear(16, classes)
        self.drop = torch.nn.Dropout(dropout)

    def features(self, x):
        return torch.relu(self.fc(torch.flatten(x, 1) / 255.0))


class LogitsOnly(Base):
    def forward(self, x):
        return self.out(self.drop(self.features(x)))


class DictOutput(Base):
    def forward(self, x):
        h = self.features(x)
        return {"logits": self.out(self.drop(h)), "embedding": h}


class NanOutput(Base):
    def forward(self, x):
        logits = self.out(self.features(x))
        # NaN for items whose first pixel is bright (255, or 1.0 after quarry scales it).
        bad = (x[:, 0, 0, 0] > 0.5).unsqueeze(1)
        return torch.where(bad, torch.full_like(logits, float("nan")), logits)


class ListOutput(Base):
    def forward(self, x):
        h = self.features(x)
        return [self.out(h), h, h]


kinds = {
    "logits-only": lambda: LogitsOnly(),
    "dict": lambda: DictOutput(dropout=0.3),
    "no-dropout": lambda: DictOutput(dropout=0.0),
    "three-classes": lambda: LogitsOnly(classes=3),
    "nan": lambda: NanOutput(),
    "list": lambda: ListOutput(),
}

torch.manual_seed(0)
model = kinds[sys.argv[1]]().eval()
torch.jit.script(model).save(sys.argv[2])
